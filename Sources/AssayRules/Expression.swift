import AssayExtraction
import AssayValues
import Foundation

/// A small, safe arithmetic language for `consistency` rules: + − × ÷, comparisons, abs/min/max/round,
/// numbers with units (80%, 2万元, $0.45 million) and names bound to facts. Evaluated in `Decimal`; units
/// must agree, and money is never mixed across currencies (a bare number takes the other side's currency).
public indirect enum Expression: Sendable {
    /// A literal number, with its unit if any.
    case number(Measure)
    /// A name bound to a fact's value when evaluated.
    case name(String)
    /// An operator applied to one operand: `-` (negation), the only one parsed.
    case unary(String, Expression)
    /// An operator between two operands: `+ - * /` (× ÷ − read as these) or a comparison `== != < <= > >=`.
    case binary(String, Expression, Expression)
    /// A function (one of `functions`) applied to its arguments.
    case call(String, [Expression])

    /// Why an expression's text could not be read, and where.
    public struct ParseError: Error, CustomStringConvertible {
        /// The 1-based position, in Unicode scalars, where reading failed.
        public var column: Int
        /// What was wrong there.
        public var reason: String
        /// `at character N: reason`.
        public var description: String { "at character \(column): \(reason)" }
    }

    /// Why an expression has no value: a name without a value or with an approximate one, mismatched units or
    /// currencies, division by zero, a wrong call.
    public struct EvaluationError: Error, CustomStringConvertible {
        /// What went wrong, for the outcome's message.
        public var reason: String
        /// The two currencies when the expression met money in both: an `error` outcome, not a missing figure.
        public var currencies: (Currency, Currency)? = nil
        /// The reason.
        public var description: String { reason }
    }

    /// The deepest nesting of parentheses, calls and signs an expression may have; deeper is a `ParseError`
    /// (a hostile rule file would otherwise overflow the parser's stack).
    public static let maxDepth = 100

    /// The functions an expression may call: abs(x), min(…), max(…), round(x, decimals) (half up).
    public static let functions: Set<String> = ["abs", "min", "max", "round"]

    /// Every name the expression refers to.
    public var names: [String] {
        switch self {
        case .number: return []
        case .name(let n): return [n]
        case .unary(_, let e): return e.names
        case .binary(_, let a, let b): return a.names + b.names
        case .call(_, let args): return args.flatMap(\.names)
        }
    }

    // MARK: Parsing

    /// Reads an expression: arithmetic with at most one comparison outside parentheses; throws `ParseError` at the
    /// first character it cannot read.
    public static func parse(_ text: String) throws(ParseError) -> Expression {
        var p = Parser(s: Array(text.unicodeScalars))
        let e = try p.comparison()
        p.skip()
        if p.i < p.s.count { throw ParseError(column: p.i + 1, reason: "unexpected '\(p.s[p.i])'") }
        return e
    }

    struct Parser {
        let s: [Unicode.Scalar]
        var i = 0
        /// How many `unary` calls are open: every nesting (a parenthesis, a call, a sign) passes through one.
        var depth = 0

        mutating func skip() { while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 } }

        mutating func eat(_ t: String) -> Bool {
            skip()
            let u = Array(t.unicodeScalars)
            guard i + u.count <= s.count, Array(s[i..<(i + u.count)]) == u else { return false }
            i += u.count
            return true
        }

        mutating func comparison() throws(ParseError) -> Expression {
            let left = try sum()
            for op in ["==", "!=", "<=", ">=", "<", ">"] where eat(op) {
                return .binary(op, left, try sum())
            }
            return left
        }

        mutating func sum() throws(ParseError) -> Expression {
            var e = try product()
            while true {
                if eat("+") {
                    e = .binary("+", e, try product())
                } else if eat("-") || eat("−") {
                    e = .binary("-", e, try product())
                } else {
                    return e
                }
            }
        }

        mutating func product() throws(ParseError) -> Expression {
            var e = try unary()
            while true {
                if eat("*") || eat("×") {
                    e = .binary("*", e, try unary())
                } else if eat("/") || eat("÷") {
                    e = .binary("/", e, try unary())
                } else {
                    return e
                }
            }
        }

        mutating func unary() throws(ParseError) -> Expression {
            depth += 1
            defer { depth -= 1 }
            if depth > Expression.maxDepth {
                throw ParseError(
                    column: i + 1, reason: "the expression is nested more than \(Expression.maxDepth) deep")
            }
            if eat("-") || eat("−") { return .unary("-", try unary()) }
            return try primary()
        }

        mutating func primary() throws(ParseError) -> Expression {
            skip()
            guard i < s.count else { throw ParseError(column: i + 1, reason: "expression ends too early") }
            if eat("(") {
                let e = try comparison()
                guard eat(")") else { throw ParseError(column: i + 1, reason: "missing ')'") }
                return e
            }
            let c = s[i]
            // a number, or money with its sign: $0.45 million, €2 million
            let signed = (c == "$" || c == "€" || c == "£") && i + 1 < s.count && ScalarText.digit(s[i + 1]) != nil
            if ScalarText.digit(c) != nil || signed {
                let start = i
                if signed { i += 1 }
                while i < s.count, ScalarText.digit(s[i]) != nil || s[i] == "." { i += 1 }
                // a unit written right after the number: %, 个百分点, 万元, 天 …
                while i < s.count, !" +-*/()<>=!,×÷−".unicodeScalars.contains(s[i]) { i += 1 }
                // an English magnitude after a space: 0.45 million
                if i < s.count, s[i] == " " {
                    for m in Measure.englishMagnitudes {
                        let w = Array(m.word.unicodeScalars)
                        let end = i + 1 + w.count
                        if end <= s.count, Array(s[(i + 1)..<end]) == w,
                            end == s.count || !s[end].properties.isAlphabetic
                        {
                            i = end
                            break
                        }
                    }
                }
                let text = String(String.UnicodeScalarView(s[start..<i]))
                guard let m = Measure.parse(text) else {
                    throw ParseError(column: start + 1, reason: "bad number '\(text)'")
                }
                return .number(m)
            }
            if c.properties.isAlphabetic || c == "_" {
                let start = i
                while i < s.count, s[i].properties.isAlphabetic || s[i] == "_" || ScalarText.digit(s[i]) != nil {
                    i += 1
                }
                let name = String(String.UnicodeScalarView(s[start..<i]))
                if eat("(") {
                    guard Expression.functions.contains(name) else {
                        throw ParseError(
                            column: start + 1, reason: "unknown function '\(name)'; use abs, min, max or round")
                    }
                    var args = [Expression]()
                    if !eat(")") {
                        repeat { args.append(try comparison()) } while eat(",")
                        guard eat(")") else { throw ParseError(column: i + 1, reason: "missing ')'") }
                    }
                    return .call(name, args)
                }
                return .name(name)
            }
            throw ParseError(column: i + 1, reason: "unexpected '\(c)'")
        }
    }

    // MARK: Evaluation

    /// A value: a measure, or a truth value from a comparison.
    public enum Value: Sendable, Equatable {
        /// A number with its unit (money in its base unit).
        case measure(Measure)
        /// The result of a comparison.
        case truth(Bool)
    }

    /// The value with names bound from `env`, numbers brought to their base units (money in 元 or its currency's base
    /// unit, percents as %). Throws `EvaluationError` for an unbound or approximate name, mismatched units or
    /// currencies, division by zero, a wrong call, or a comparison used as a number.
    public func evaluate(_ env: [String: Measure]) throws(EvaluationError) -> Value {
        switch self {
        case .number(let m): return .measure(Measure(m.baseValue, unit: Self.baseUnit(m)))
        case .name(let n):
            guard let m = env[n] else { throw EvaluationError(reason: "no value for '\(n)'") }
            if m.approx != nil {
                throw EvaluationError(reason: "'\(n)' is approximate (\(m)); it cannot take part in exact arithmetic")
            }
            return .measure(Measure(m.baseValue, unit: Self.baseUnit(m)))
        case .unary(_, let e):
            let m = try e.measure(env)
            return .measure(Measure(-m.value, unit: m.unit))
        case .call(let f, let args):
            let ms = try args.map { (a) throws(EvaluationError) -> Measure in try a.measure(env) }
            switch f {
            case "abs":
                guard ms.count == 1 else { throw EvaluationError(reason: "abs takes one argument") }
                return .measure(Measure(ms[0].value < 0 ? -ms[0].value : ms[0].value, unit: ms[0].unit))
            case "round":
                guard ms.count == 2 else {
                    throw EvaluationError(reason: "round takes a value and a number of decimals")
                }
                return .measure(
                    Measure(
                        Self.roundHalfUp(ms[0].value, NSDecimalNumber(decimal: ms[1].value).intValue), unit: ms[0].unit)
                )
            default:
                guard !ms.isEmpty else { throw EvaluationError(reason: "\(f) needs arguments") }
                for m in ms.dropFirst() { try Self.sameFamily(ms[0], m, f) }
                let pick = f == "min" ? ms.min { $0.value < $1.value }! : ms.max { $0.value < $1.value }!
                return .measure(pick)
            }
        case .binary(let op, let a, let b):
            let x = try a.measure(env)
            let y = try b.measure(env)
            switch op {
            case "+", "-":
                try Self.sameFamily(x, y, op)
                return .measure(Measure(op == "+" ? x.value + y.value : x.value - y.value, unit: x.unit ?? y.unit))
            case "*":
                if x.unit != nil && y.unit != nil {
                    throw EvaluationError(reason: "cannot multiply \(x.family) by \(y.family)")
                }
                return .measure(Measure(x.value * y.value, unit: x.unit ?? y.unit))
            case "/":
                guard y.value != 0 else { throw EvaluationError(reason: "division by zero") }
                try Self.sameCurrency(x, y, op)
                let unit: String? = (x.unit == y.unit) ? nil : (y.unit == nil ? x.unit : nil)
                if x.unit != y.unit && y.unit != nil {
                    throw EvaluationError(reason: "cannot divide \(x.family) by \(y.family)")
                }
                return .measure(Measure(x.value / y.value, unit: unit))
            default:
                try Self.sameFamily(x, y, op)
                let r: Bool
                switch op {
                case "==": r = x.value == y.value
                case "!=": r = x.value != y.value
                case "<": r = x.value < y.value
                case "<=": r = x.value <= y.value
                case ">": r = x.value > y.value
                default: r = x.value >= y.value
                }
                return .truth(r)
            }
        }
    }

    /// The value as a measure; throws `EvaluationError` as `evaluate` does, and when the expression is a comparison.
    package func measure(_ env: [String: Measure]) throws(EvaluationError) -> Measure {
        switch try evaluate(env) {
        case .measure(let m): return m
        case .truth: throw EvaluationError(reason: "a comparison cannot be used as a number")
        }
    }

    static func baseUnit(_ m: Measure) -> String? {
        switch m.family {
        case .money: return m.currency?.baseUnit ?? "元"
        case .percent: return "%"
        default: return m.unit
        }
    }

    static func sameFamily(_ a: Measure, _ b: Measure, _ op: String) throws(EvaluationError) {
        try sameCurrency(a, b, op)
        let fa = a.family
        let fb = b.family
        if fa == fb || fa == .bare || fb == .bare { return }
        throw EvaluationError(reason: "'\(op)' between \(fa) and \(fb)")
    }

    /// Money in two currencies is never added, divided or compared; a bare number takes the other's currency.
    static func sameCurrency(_ a: Measure, _ b: Measure, _ op: String) throws(EvaluationError) {
        guard let (x, y) = Measure.currencyClash(a, b) else { return }
        throw EvaluationError(
            reason: "'\(op)' between money in \(x) and money in \(y): money in different currencies is never compared",
            currencies: (x, y))
    }

    /// Rounds half up (away from zero at .5) to `places` decimals, as bulletins print rates.
    public static func roundHalfUp(_ value: Decimal, _ places: Int) -> Decimal {
        var v = value
        var r = Decimal()
        NSDecimalRound(&r, &v, places, .plain)
        return r
    }
}
