import Foundation

/// A number with its unit, compared unit-aware: % is not 个百分点; 万元 and 亿元 convert to 元; a
/// classifier (个, 项, 天) must match. Values are `Decimal`; binary floating point never enters a check.
public struct Measure: Sendable, Hashable, CustomStringConvertible {
    public var value: Decimal
    /// The unit as written, or nil for a bare number.
    public var unit: String?
    /// Approximation marker of the figure the measure came from (余, 多, 超, 以上, 近, 约, 左右).
    public var approx: String?

    public init(_ value: Decimal, unit: String? = nil, approx: String? = nil) {
        self.value = value
        self.unit = unit
        self.approx = approx
    }

    /// Money units and their value in 元.
    public static let moneyUnits: [String: Decimal] = [
        "元": 1, "千元": 1_000, "万元": 10_000, "十万元": 100_000, "百万元": 1_000_000, "千万元": 10_000_000,
        "亿元": 100_000_000, "万亿元": 1_000_000_000_000,
    ]

    /// The family a unit belongs to: two measures compare only within one family.
    public enum Family: Hashable, Sendable, CustomStringConvertible {
        case bare, percent, percentagePoint, money, counted(String)

        public var description: String {
            switch self {
            case .bare: return "a bare number"
            case .percent: return "a percent"
            case .percentagePoint: return "percentage points"
            case .money: return "money"
            case .counted(let u): return "a count in \(u)"
            }
        }
    }

    public static func family(of unit: String?) -> Family {
        guard let u = unit, !u.isEmpty else { return .bare }
        if u == "%" || u == "\u{FF05}" || u == "percent" { return .percent }
        if u == "个百分点" || u == "百分点" || u == "pp" || u == "percentage points" { return .percentagePoint }
        if moneyUnits[u] != nil || u == "USD" || u == "$" { return .money }
        return .counted(u)
    }

    public var family: Family { Self.family(of: unit) }

    /// The value in the family's base unit (元 for money; the value itself otherwise).
    public var baseValue: Decimal {
        if let u = unit, let m = Self.moneyUnits[u] { return value * m }
        return value
    }

    /// Lower-bound markers (the true figure is at least the value), upper-bound markers, and loose ones.
    public enum Bound { case exact, atLeast, atMost, about }

    public var bound: Bound {
        switch approx {
        case nil: return .exact
        case "余", "多", "超", "以上", "逾", "more than", "over": return .atLeast
        case "近", "不到", "以下", "nearly", "almost": return .atMost
        default: return .about
        }
    }

    public var description: String {
        let number = JSONValue.format(value)
        switch (approx, unit) {
        case ("超", let u?), ("近", let u?), ("约", let u?): return approx! + number + u
        case ("以上", let u?): return number + u + "以上"
        case ("左右", let u?): return number + u + "左右"
        case (let a?, let u?): return number + a + u
        case (let a?, nil): return number + a
        case (nil, let u?): return number + u
        case (nil, nil): return number
        }
    }

    /// Parses a target as written in a rule: "80%", "330天", "2万", "54.9万个", "1.5亿元", "6个百分点", "0.5".
    public static func parse(_ text: String) -> Measure? {
        let scalars = ScalarText.foldWidth(text).filter { $0 != " " && $0 != "," }  // ８０％ reads as 80%
        var i = 0
        var digits = ""
        if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" {
            if scalars[i] == "-" { digits.append("-") }
            i += 1
        }
        let numberStart = i
        while i < scalars.count, let d = asciiDigit(scalars[i]) ?? (scalars[i] == "." ? -1 : nil) {
            digits.append(d == -1 ? "." : String(d))
            i += 1
        }
        var value: Decimal
        if i > numberStart {
            guard let v = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            value = v
        } else {
            var j = i
            while j < scalars.count, ChineseNumeral.isNumeralScalar(scalars[j]) { j += 1 }
            guard j > i, let v = ChineseNumeral.value(scalars[i..<j]) else { return nil }
            value = Decimal(digits == "-" ? -v : v)
            i = j
        }
        var unit = String(String.UnicodeScalarView(scalars[i...]))
        if unit.hasPrefix("万") && moneyUnits[unit] == nil { value *= 10_000; unit.removeFirst() }
        else if unit.hasPrefix("亿") && moneyUnits[unit] == nil { value *= 100_000_000; unit.removeFirst() }
        return Measure(value, unit: unit.isEmpty ? nil : unit)
    }

    static func asciiDigit(_ c: Unicode.Scalar) -> Int? { ScalarText.digit(c) }

    /// The measure a fact stands for, when its value is a number.
    public init?(fact: Fact) {
        guard let v = fact.value.decimal else { return nil }
        switch fact.kind {
        case .money:
            self.init(v, unit: "元", approx: fact.approx)
        case .percent:
            self.init(v, unit: "%", approx: fact.approx)
        default:
            self.init(v, unit: fact.unit, approx: fact.approx)
        }
    }
}

/// Comparison operators of `threshold` rules.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case atLeast = ">=", greater = ">", atMost = "<=", less = "<", equal = "==", between

    /// True when the figure provably satisfies the comparison; approximate figures count as the bound
    /// they state (超90% satisfies >= 90%) and never satisfy ==.
    public func holds(_ a: Measure, _ target: Decimal, upper: Decimal? = nil) -> Bool {
        let v = a.baseValue
        switch (self, a.bound) {
        case (.equal, .exact): return v == target
        case (.equal, _): return false
        case (.atLeast, .exact), (.atLeast, .atLeast): return v >= target
        case (.greater, .exact): return v > target
        case (.greater, .atLeast): return v >= target
        case (.atMost, .exact), (.atMost, .atMost): return v <= target
        case (.less, .exact): return v < target
        case (.less, .atMost): return v <= target
        case (.between, .exact): return v >= target && v <= (upper ?? target)
        default: return false
        }
    }
}
