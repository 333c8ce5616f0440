import Foundation

/// The currency of a sum of money. The raw values are the ISO 4217 codes used in the facts JSON, in
/// messages and in rule units (`USD million`). Money in two currencies is never added or compared:
/// Assay knows no exchange rates, and a rule that meets two currencies is an `error` naming both.
public enum Currency: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case cny = "CNY"
    case usd = "USD"
    case eur = "EUR"
    case gbp = "GBP"
    case hkd = "HKD"
    case jpy = "JPY"

    /// The Chinese unit word, which a magnitude may stand before: 元 (万元, 亿元), 美元 (万美元), 欧元, 英镑, 港元, 日元.
    public var chineseUnit: String {
        switch self {
        case .cny: return "元"
        case .usd: return "美元"
        case .eur: return "欧元"
        case .gbp: return "英镑"
        case .hkd: return "港元"
        case .jpy: return "日元"
        }
    }

    /// The sign written before an amount, for the currencies whose sign is unambiguous ($5 million, €2 million).
    public var sign: String? {
        switch self {
        case .usd: return "$"
        case .eur: return "€"
        case .gbp: return "£"
        case .hkd: return "HK$"
        case .cny, .jpy: return nil
        }
    }

    /// The unit of a value in the currency's base unit: 元 for CNY (as bulletins write it), the code otherwise.
    public var baseUnit: String { self == .cny ? "元" : rawValue }

    /// The ISO 4217 code (CNY, USD …).
    public var description: String { rawValue }

    /// Written before an amount, longest first: signs (US$, HK$, $, €, £), codes (USD, RMB…) and 人民币.
    public static let prefixes: [(String, Currency)] = [
        ("US$", .usd), ("HK$", .hkd), ("人民币", .cny), ("USD", .usd), ("EUR", .eur), ("GBP", .gbp), ("CNY", .cny),
        ("RMB", .cny), ("HKD", .hkd), ("JPY", .jpy), ("$", .usd), ("€", .eur), ("£", .gbp),
    ]

    /// Written after an amount (and its magnitude) in English, lower-cased: 5 million dollars, 5000000 USD.
    public static let englishWords: [String: Currency] = [
        "usd": .usd, "dollars": .usd, "dollar": .usd, "usdollars": .usd, "eur": .eur, "euros": .eur, "euro": .eur,
        "gbp": .gbp, "cny": .cny, "rmb": .cny, "yuan": .cny, "hkd": .hkd, "jpy": .jpy, "yen": .jpy,
    ]

    /// Chinese unit words, longest first (美元 before 元).
    static let byChineseUnit = allCases.sorted { $0.chineseUnit.count > $1.chineseUnit.count }
}

/// A number with its unit, compared unit-aware: % is not 个百分点; money converts between magnitudes
/// (元, 万元, 亿元; `USD`, `USD million`) but never between currencies; a classifier (个, 项, 天) must
/// match. Values are `Decimal`; binary floating point never enters a check.
///
/// This is the one home of money units: a money unit is a magnitude and a currency, written the Chinese
/// way (万元, 亿元, 万美元: `chineseMagnitudes` before `Currency.chineseUnit`) or the English way
/// (`USD million`: a code and one of `englishMagnitudes`), and `money(_:)` reads both.
public struct Measure: Sendable, Hashable, CustomStringConvertible {
    /// The number as written, in the measure's `unit` (not converted to the base unit; see `baseValue`).
    public var value: Decimal
    /// The unit as written, or nil for a bare number. Money units are normalised: 万元, 万美元, `USD million`.
    public var unit: String?
    /// Approximation marker of the figure the measure came from (余, 多, 超, 以上, 近, 约, 左右).
    public var approx: String?

    /// A measure of `value` in `unit` (nil for a bare number), with the approximation marker it was written with, if any.
    public init(_ value: Decimal, unit: String? = nil, approx: String? = nil) {
        self.value = value
        self.unit = unit
        self.approx = approx
    }

    /// Chinese magnitudes, longest first: what 万元, 亿元, 万美元 multiply by.
    public static let chineseMagnitudes: [(word: String, factor: Decimal)] = [
        ("万亿", Decimal(string: "1000000000000")!), ("千万", 10_000_000), ("百万", 1_000_000), ("十万", 100_000),
        ("亿", 100_000_000), ("万", 10_000), ("千", 1_000),
    ]

    /// The magnitudes a figure in a bulletin or a target is written with (5.2万个, 1.5亿, 3千万元): the
    /// Chinese ones without 十万 and 千, which after a number begin words (千方百计) far more often than
    /// they scale it.
    public static let figureMagnitudes = chineseMagnitudes.filter { $0.word != "十万" && $0.word != "千" }

    /// English magnitudes: `USD million`, $2.42 million.
    public static let englishMagnitudes: [(word: String, factor: Decimal)] = [
        ("trillion", Decimal(string: "1000000000000")!), ("billion", 1_000_000_000), ("million", 1_000_000),
        ("thousand", 1_000),
    ]

    /// A money unit's factor to its currency's base unit and its currency: 万元 → (10000, CNY),
    /// 万美元 → (10000, USD), `USD million` → (1000000, USD), 元 → (1, CNY). Nil for any other unit.
    public static func money(_ unit: String?) -> (factor: Decimal, currency: Currency)? {
        guard let u = unit, let first = u.unicodeScalars.first else { return nil }
        if first.value >= 0x41 && first.value <= 0x5A {
            let parts = u.split(separator: " ", maxSplits: 1)
            guard let c = Currency(rawValue: String(parts[0])) else { return nil }
            if parts.count == 1 { return (1, c) }
            guard let m = englishMagnitudes.first(where: { $0.word == parts[1] }) else { return nil }
            return (m.factor, c)
        }
        // A unit of printable ASCII and CJK ideographs (nearly every unit) is one Character per scalar with no
        // canonical equivalents, so its Character suffix is a byte suffix, and String.hasSuffix (measured:
        // 2% of a check's instructions, callgrind) is needed only for the rest. The currency words are
        // ideographs.
        let simple = u.unicodeScalars.allSatisfy {
            ($0.value >= 0x20 && $0.value < 0x7F) || ($0.value >= 0x4E00 && $0.value <= 0x9FFF)
        }
        func ends(_ w: String) -> Bool {
            guard simple else { return u.hasSuffix(w) }
            return u.utf8.count >= w.utf8.count && u.utf8.suffix(w.utf8.count).elementsEqual(w.utf8)
        }
        for c in Currency.byChineseUnit where ends(c.chineseUnit) {
            let magnitude = u.dropLast(c.chineseUnit.count)
            if magnitude.isEmpty { return (1, c) }
            guard let m = chineseMagnitudes.first(where: { $0.word == magnitude }) else { return nil }
            return (m.factor, c)
        }
        return nil
    }

    /// The family a unit belongs to: two measures compare only within one family (and money only
    /// within one currency).
    public enum Family: Hashable, Sendable, CustomStringConvertible {
        case bare, percent, percentagePoint, money
        case counted(String)

        /// How the family is named in messages: "a percent", "money", "a count in 个" …
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

    /// The family of a unit: nil or empty is a bare number; %, ％ and `percent` are percent; 个百分点, 百分点, `pp`
    /// and `percentage points` are percentage points; any money unit is money; any other unit is a count in that unit.
    public static func family(of unit: String?) -> Family {
        guard let u = unit, !u.isEmpty else { return .bare }
        if u == "%" || u == "\u{FF05}" || u == "percent" { return .percent }
        if u == "个百分点" || u == "百分点" || u == "pp" || u == "percentage points" { return .percentagePoint }
        if money(u) != nil { return .money }
        return .counted(u)
    }

    /// The family of this measure's unit (see `family(of:)`).
    public var family: Family { Self.family(of: unit) }

    /// The currency of a money measure; nil for anything else, a bare number included.
    public var currency: Currency? { Self.money(unit)?.currency }

    /// The value in the family's base unit (元 or the currency's unit for money; the value itself otherwise).
    public var baseValue: Decimal {
        if let m = Self.money(unit) { return value * m.factor }
        return value
    }

    /// The currencies of two measures when both are money in different currencies: they cannot be compared.
    public static func currencyClash(_ a: Measure, _ b: Measure) -> (Currency, Currency)? {
        guard let x = a.currency, let y = b.currency, x != y else { return nil }
        return (x, y)
    }

    /// Lower-bound markers (the true figure is at least the value), upper-bound markers, and loose ones.
    public enum Bound { case exact, atLeast, atMost, about }

    /// What the approximation marker says about the true figure: none is exact; 余, 多, 超, 以上, 逾, more than, over
    /// are at least; 近, 不到, 以下, nearly, almost are at most; any other marker (约, 左右 …) is about.
    public var bound: Bound {
        switch approx {
        case nil: return .exact
        case "余", "多", "超", "以上", "逾", "more than", "over": return .atLeast
        case "近", "不到", "以下", "nearly", "almost": return .atMost
        default: return .about
        }
    }

    /// The measure as a bulletin would write it: 80%, 超90%, 600万元, 330天以上, $5 million, USD 5000000.
    public var description: String {
        // English money reads as written: $5 million, €2 million, USD 5000000 for a currency without a sign.
        if let u = unit, let m = Self.money(u), u.unicodeScalars.first!.isASCII {
            let magnitude = u.split(separator: " ", maxSplits: 1).dropFirst().first.map { " " + $0 } ?? ""
            let number = JSONValue.format(value < 0 ? -value : value)
            let amount = (m.currency.sign.map { $0 + number } ?? m.currency.rawValue + " " + number) + magnitude
            return (approx ?? "") + (value < 0 ? "-" : "") + amount
        }
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

    /// Parses a target as written in a rule: "80%", "330天", "2万", "54.9万个", "1.5亿元", "6个百分点", "0.5",
    /// and money in any currency Assay knows: "600万元", "人民币600万元", "$5 million", "US$1.2 billion",
    /// "USD 5000000", "5 million dollars", "€2 million", "£310,000", "50万美元". A number with an English
    /// magnitude and no currency ("5 million") is a bare number, like "2万".
    public static func parse(_ text: String) -> Measure? {
        // ８０％ reads as 80%.
        let scalars = ScalarText.foldWidth(text).filter { $0 != " " && $0 != "," && $0 != "\u{A0}" }
        var i = 0
        var digits = ""
        if i < scalars.count, scalars[i] == "-" || scalars[i] == "+" {
            if scalars[i] == "-" { digits.append("-") }
            i += 1
        }
        // A currency written before the number: $5 million, US$1.2 billion, USD 5000000, 人民币600万元.
        var written: Currency? = nil
        for (p, c) in Currency.prefixes {
            let ps = Array(p.unicodeScalars)
            if i + ps.count <= scalars.count, Array(scalars[i..<(i + ps.count)]) == ps {
                written = c
                i += ps.count
                break
            }
        }
        let numberStart = i
        while i < scalars.count, let d = ScalarText.digit(scalars[i]) ?? (scalars[i] == "." ? -1 : nil) {
            digits.append(d == -1 ? "." : String(d))
            i += 1
        }
        var value: Decimal
        if i > numberStart {
            // Decimal holds 38 digits exactly; a longer number has no exact value and is not read.
            guard digits.utf8.count(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) <= 38,
                let v = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX"))
            else { return nil }
            value = v
        } else {
            var j = i
            while j < scalars.count, ChineseNumeral.isNumeralScalar(scalars[j]) { j += 1 }
            guard j > i, let v = ChineseNumeral.value(scalars[i..<j]) else { return nil }
            value = Decimal(digits == "-" ? -v : v)
            i = j
        }
        var unit = String(String.UnicodeScalarView(scalars[i...]))
        // English: an optional magnitude, then an optional currency word (5million, 5milliondollars, $4million).
        var rest = unit.lowercased()
        let english = englishMagnitudes.first { rest.hasPrefix($0.word) }
        if let e = english { rest.removeFirst(e.word.count) }
        let word = rest.isEmpty ? nil : Currency.englishWords[rest]
        if english != nil || word != nil || (written != nil && rest.isEmpty) {
            guard rest.isEmpty || word != nil else { return nil }
            if let w = word, let p = written, w != p { return nil }
            guard let c = written ?? word else { return Measure(value * english!.factor) }  // 5 million: a bare number
            return Measure(value, unit: c.rawValue + (english.map { " " + $0.word } ?? ""))
        }
        if let c = written {
            // 人民币600万元, 人民币600万: the unit names that currency, or is a magnitude of it.
            if chineseMagnitudes.contains(where: { $0.word == unit }) { unit += c.chineseUnit }
            guard let m = money(unit), m.currency == c else { return nil }
            return Measure(value, unit: unit)
        }
        if money(unit) == nil, let m = figureMagnitudes.first(where: { unit.hasPrefix($0.word) }) {
            value *= m.factor
            unit.removeFirst(m.word.count)
        }
        return Measure(value, unit: unit.isEmpty ? nil : unit)
    }

}

/// Comparison operators of `threshold` rules.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case atLeast = ">="
    case greater = ">"
    case atMost = "<="
    case less = "<"
    case equal = "=="
    case between

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
