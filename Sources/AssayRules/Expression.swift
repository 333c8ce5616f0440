import AssayExtraction
import AssayValues
import Foundation

/// A small, safe expression language for `consistency` rules and `when:` conditions: + − × ÷,
/// comparisons, `and`/`or`/`not`, abs/min/max/round, `sum(name)` and `count(name)` over every figure a
/// name selects, `within_rounding(stated, computed)`, numbers with units (80%, 2万元, $0.45 million) and
/// names bound to facts. Evaluated in `Decimal`.
///
/// Units. Money is in its currency's base unit and never mixed across currencies (a bare number takes the
/// other side's currency). A percent is a fraction in arithmetic: 10% is 0.10, so `outstanding / found <=
/// 10%` compares the ratio of two sums of money with one tenth; a percentage point is a fraction too
/// (3个百分点 is 0.03), a percent minus a percent is in percentage points, and a percent plus percentage
/// points is a percent. Comparing money with a percent, or a percent with percentage points, is an error,
/// and `types(_:)` finds it when the rule file loads.
public indirect enum Expression: Sendable {
    /// A literal number, with its unit if any.
    case number(Measure)
    /// A name bound to a fact's value when evaluated.
    case name(String)
    /// An operator applied to one operand: `-` (negation) or `not`.
    case unary(String, Expression)
    /// An operator between two operands: `+ - * /` (× ÷ − read as these), a comparison `== != < <= > >=`,
    /// `and` or `or`.
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

    /// The functions an expression may call: abs(x), min(…), max(…), round(x, decimals) (half up; a percent
    /// rounds in percent: round(79.02%, 1) is 79.0%), sum(name) and count(name) over every figure the name
    /// selects, within_rounding(stated, computed) (the computed value, rounded half up to the digits the
    /// stated figure is printed with, in its unit, equals it).
    public static let functions: [String] = ["abs", "min", "max", "round", "sum", "count", "within_rounding"]

    /// The words of logic; a fact may not be named with one of them.
    public static let keywords: Set<String> = ["and", "or", "not"]

    /// The functions whose argument is a name (every figure it selects), not a value.
    static let nameFunctions: Set<String> = ["sum", "count"]

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

    /// The names whose figures must be found: every name outside `count(…)` (the count of nothing is 0).
    public var requiredNames: [String] {
        switch self {
        case .number: return []
        case .name(let n): return [n]
        case .unary(_, let e): return e.requiredNames
        case .binary(_, let a, let b): return a.requiredNames + b.requiredNames
        case .call(let f, let args): return f == "count" ? [] : args.flatMap(\.requiredNames)
        }
    }

    /// The names given to `sum(…)` or `count(…)`: they stand for every figure their selector finds.
    public var summedNames: [String] {
        switch self {
        case .number, .name: return []
        case .unary(_, let e): return e.summedNames
        case .binary(_, let a, let b): return a.summedNames + b.summedNames
        case .call(let f, let args):
            return Expression.nameFunctions.contains(f) ? args.flatMap(\.names) : args.flatMap(\.summedNames)
        }
    }

    // MARK: Parsing

    /// Reads an expression: comparisons joined by `and`, `or`, `not` (loosest to tightest: or, and, not, a
    /// comparison, + −, × ÷, a sign), at most one comparison in a row; throws `ParseError` at the first
    /// character it cannot read.
    public static func parse(_ text: String) throws(ParseError) -> Expression {
        var p = Parser(s: Array(text.unicodeScalars))
        let e = try p.disjunction()
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

        /// Eats the word `w` when it stands alone (not the start of a longer name).
        mutating func eatWord(_ w: String) -> Bool {
            skip()
            let u = Array(w.unicodeScalars)
            guard i + u.count <= s.count, Array(s[i..<(i + u.count)]) == u else { return false }
            let end = i + u.count
            if end < s.count, s[end].properties.isAlphabetic || s[end] == "_" || ScalarText.digit(s[end]) != nil {
                return false
            }
            i = end
            return true
        }

        mutating func disjunction() throws(ParseError) -> Expression {
            var e = try conjunction()
            while eatWord("or") || eat("||") { e = .binary("or", e, try conjunction()) }
            return e
        }

        mutating func conjunction() throws(ParseError) -> Expression {
            var e = try negation()
            while eatWord("and") || eat("&&") { e = .binary("and", e, try negation()) }
            return e
        }

        mutating func negation() throws(ParseError) -> Expression {
            guard eatWord("not") else { return try comparison() }
            depth += 1
            defer { depth -= 1 }
            if depth > Expression.maxDepth {
                throw ParseError(
                    column: i + 1, reason: "the expression is nested more than \(Expression.maxDepth) deep")
            }
            return .unary("not", try negation())
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
                let e = try disjunction()
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
                // A dotted name (previous.done in progress rules) is one name.
                while i < s.count,
                    s[i].properties.isAlphabetic || s[i] == "_" || ScalarText.digit(s[i]) != nil
                        || (s[i] == "." && i + 1 < s.count && (s[i + 1].properties.isAlphabetic || s[i + 1] == "_"))
                {
                    i += 1
                }
                let name = String(String.UnicodeScalarView(s[start..<i]))
                if Expression.keywords.contains(name) {
                    throw ParseError(column: start + 1, reason: "'\(name)' needs a condition on each side")
                }
                if eat("(") {
                    guard Expression.functions.contains(name) else {
                        let hint = YAMLReader.hint(name, among: Expression.functions)
                        throw ParseError(
                            column: start + 1,
                            reason:
                                "unknown function '\(name)'\(hint); functions: \(Expression.functions.joined(separator: ", "))"
                        )
                    }
                    var args = [Expression]()
                    let argsAt = i
                    if !eat(")") {
                        repeat { args.append(try disjunction()) } while eat(",")
                        guard eat(")") else { throw ParseError(column: i + 1, reason: "missing ')'") }
                    }
                    try Self.checkArguments(name, args, column: start + 1, argsAt: argsAt + 1)
                    return .call(name, args)
                }
                return .name(name)
            }
            throw ParseError(column: i + 1, reason: "unexpected '\(c)'")
        }
        /// Arity and argument forms, checked as the call is read: `sum` and `count` take one name,
        /// `within_rounding` a name and a value, `round` a value and a whole number of decimals.
        static func checkArguments(_ f: String, _ args: [Expression], column: Int, argsAt: Int) throws(ParseError) {
            func need(_ n: Int, _ what: String) throws(ParseError) {
                if args.count != n { throw ParseError(column: column, reason: "\(f) takes \(what)") }
            }
            switch f {
            case "abs": try need(1, "one argument")
            case "round":
                try need(2, "a value and a number of decimals, e.g. round(rate, 2)")
                guard case .number(let m) = args[1], m.unit == nil, m.value >= 0, m.value <= 10,
                    m.value == Expression.roundHalfUp(m.value, 0)
                else {
                    throw ParseError(
                        column: column, reason: "round's second argument is a whole number of decimals, 0 to 10")
                }
            case "sum", "count":
                try need(1, "one name, the figures it selects (\(f)(found))")
                guard case .name = args[0] else {
                    throw ParseError(column: argsAt, reason: "\(f) takes a name bound under 'facts', not a value")
                }
            case "within_rounding":
                try need(2, "the stated figure's name and the computed value, e.g. within_rounding(rate, done / total)")
                guard case .name = args[0] else {
                    throw ParseError(
                        column: argsAt,
                        reason:
                            "within_rounding's first argument is the name of a stated figure (its printed digits set the rounding)"
                    )
                }
            default:
                if args.isEmpty { throw ParseError(column: column, reason: "\(f) needs arguments") }
            }
        }
    }

    // MARK: Evaluation

    /// A value: a measure, or a truth value from a comparison.
    public enum Value: Sendable, Equatable {
        /// A number with its unit: money in its currency's base unit, a percent or percentage point as a
        /// fraction (unit `%` or `个百分点`; 10% is 0.1).
        case measure(Measure)
        /// The result of a comparison or of `and`, `or`, `not`.
        case truth(Bool)
    }

    /// The figures a name stands for when an expression is evaluated.
    public struct Binding: Sendable {
        /// Every figure the name selects, in document order, in the units written (money in its base unit is
        /// fine: `Measure(fact:)`); the name alone means the first.
        public var measures: [Measure]
        /// The decimals each figure is printed with (79.02% has 2, 2.15亿元 has 2), for `within_rounding`.
        public var places: [Int]
        /// The factor from each figure's printed unit to its measure's unit (2.15亿元 read as 215000000元:
        /// 100000000), for `within_rounding`.
        public var printedFactor: [Decimal]

        /// Figures printed as their measures are written (no magnitude between them).
        public init(_ measures: [Measure], places: [Int]? = nil, printedFactor: [Decimal]? = nil) {
            self.measures = measures
            self.places = places ?? measures.map { Expression.places(of: $0.value) }
            self.printedFactor = printedFactor ?? measures.map { _ in 1 }
        }
    }

    /// The decimals of a value as written (2.15 has 2): the digits after the point of its shortest form.
    public static func places(of value: Decimal) -> Int {
        let text = JSONValue.format(value)
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }

    /// The value with each name bound to one figure (tests and simple callers).
    public func evaluate(_ env: [String: Measure]) throws(EvaluationError) -> Value {
        try evaluate(bindings: env.mapValues { Binding([$0]) })
    }

    /// The value with names bound from `env`. Throws `EvaluationError` for a name without a figure or with an
    /// approximate one, mismatched units or currencies, division by zero, or a truth value used as a number
    /// (or the reverse).
    public func evaluate(bindings env: [String: Binding]) throws(EvaluationError) -> Value {
        switch self {
        case .number(let m): return .measure(Self.normal(m))
        case .name(let n): return .measure(try Self.figure(n, env))
        case .unary(let op, let e):
            if op == "not" { return .truth(!(try e.truth(env))) }
            let m = try e.measure(env)
            return .measure(Measure(-m.value, unit: m.unit))
        case .call(let f, let args): return try Self.call(f, args, env)
        case .binary(let op, let a, let b):
            if op == "and" || op == "or" {
                let x = try a.truth(env)
                // Both sides are evaluated: a missing figure on either side is reported, never skipped.
                let y = try b.truth(env)
                return .truth(op == "and" ? x && y : x || y)
            }
            let x = try a.measure(env)
            let y = try b.measure(env)
            switch op {
            case "+", "-": return .measure(try Self.add(x, y, op))
            case "*": return .measure(try Self.multiply(x, y))
            case "/": return .measure(try Self.divide(x, y))
            default:
                try Self.comparable(x, y, op)
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
    package func measure(_ env: [String: Binding]) throws(EvaluationError) -> Measure {
        switch try evaluate(bindings: env) {
        case .measure(let m): return m
        case .truth: throw EvaluationError(reason: "a comparison cannot be used as a number")
        }
    }

    /// The value as a truth; throws when it is a number.
    package func truth(_ env: [String: Binding]) throws(EvaluationError) -> Bool {
        switch try evaluate(bindings: env) {
        case .truth(let t): return t
        case .measure: throw EvaluationError(reason: "a number cannot be used as a condition")
        }
    }

    /// The first figure bound to `n`, normalised; throws when there is none or it is approximate.
    static func figure(_ n: String, _ env: [String: Binding]) throws(EvaluationError) -> Measure {
        guard let m = env[n]?.measures.first else { throw EvaluationError(reason: "no value for '\(n)'") }
        if m.approx != nil {
            throw EvaluationError(reason: "'\(n)' is approximate (\(m)); it cannot take part in exact arithmetic")
        }
        return normal(m)
    }

    /// A measure in the units arithmetic uses: money in its currency's base unit, a percent or percentage
    /// point as a fraction.
    static func normal(_ m: Measure) -> Measure {
        switch m.family {
        case .money: return Measure(m.baseValue, unit: m.currency?.baseUnit ?? "元")
        case .percent: return Measure(m.value.divided(by: 100), unit: "%")
        case .percentagePoint: return Measure(m.value.divided(by: 100), unit: "个百分点")
        default: return m
        }
    }

    static func call(_ f: String, _ args: [Expression], _ env: [String: Binding]) throws(EvaluationError) -> Value {
        switch f {
        case "count":
            guard case .name(let n) = args[0] else { throw EvaluationError(reason: "count takes a name") }
            return .measure(Measure(Decimal(env[n]?.measures.count ?? 0)))
        case "sum":
            guard case .name(let n) = args[0] else { throw EvaluationError(reason: "sum takes a name") }
            guard let ms = env[n]?.measures, !ms.isEmpty else { throw EvaluationError(reason: "no value for '\(n)'") }
            var total: Measure?
            for m in ms {
                if m.approx != nil {
                    throw EvaluationError(
                        reason: "'\(n)' includes an approximate figure (\(m)); sum(\(n)) is not exact")
                }
                let x = normal(m)
                total = try total.map { (t) throws(EvaluationError) -> Measure in try add(t, x, "+") } ?? x
            }
            return .measure(total!)
        case "within_rounding":
            guard case .name(let n) = args[0], let b = env[n], !b.measures.isEmpty else {
                throw EvaluationError(reason: "no value for the stated figure")
            }
            let s = try figure(n, env)
            let computed = try args[1].measure(env)
            try comparable(s, computed, "within_rounding")
            // Back to the unit the figure is printed in (79% as 79, 2.15亿元 as 2.15), rounded half up to its digits.
            let perPrinted =
                (s.family == .percent || s.family == .percentagePoint)
                ? Decimal(sign: .plus, exponent: -2, significand: 1) : b.printedFactor[0]
            let printedValue = s.value.divided(by: perPrinted)
            let shown = roundHalfUp(computed.value.divided(by: perPrinted), b.places[0])
            return .truth(shown == roundHalfUp(printedValue, b.places[0]))
        default:
            let ms = try args.map { (a) throws(EvaluationError) -> Measure in try a.measure(env) }
            switch f {
            case "abs": return .measure(Measure(ms[0].value < 0 ? -ms[0].value : ms[0].value, unit: ms[0].unit))
            case "round":
                let places = NSDecimalNumber(decimal: ms[1].value).intValue
                let x = ms[0]
                if x.family == .percent || x.family == .percentagePoint {
                    return .measure(Measure(roundHalfUp(x.value * 100, places).divided(by: 100), unit: x.unit))
                }
                return .measure(Measure(roundHalfUp(x.value, places), unit: x.unit))
            default:
                for m in ms.dropFirst() { try comparable(ms[0], m, f) }
                let pick = f == "min" ? ms.min { $0.value < $1.value }! : ms.max { $0.value < $1.value }!
                return .measure(pick)
            }
        }
    }

    /// `+` or `-` of two normalised measures: within one family (a bare number takes the other's unit); a
    /// percent minus a percent is in percentage points, a percent plus or minus percentage points a percent.
    static func add(_ x: Measure, _ y: Measure, _ op: String) throws(EvaluationError) -> Measure {
        try sameCurrency(x, y, op)
        let v = op == "+" ? x.value + y.value : x.value - y.value
        switch (x.family, y.family) {
        case (.percent, .percent): return Measure(v, unit: op == "-" ? "个百分点" : "%")
        case (.percent, .percentagePoint), (.percentagePoint, .percent): return Measure(v, unit: "%")
        case (let a, let b) where a == b || a == .bare || b == .bare: return Measure(v, unit: x.unit ?? y.unit)
        default: throw EvaluationError(reason: "'\(op)' between \(x.family) and \(y.family)")
        }
    }

    /// A bare number, a percent or percentage points scale a measure; two measures with units do not multiply.
    static func isScale(_ m: Measure) -> Bool { [.bare, .percent, .percentagePoint].contains(m.family) }

    static func multiply(_ x: Measure, _ y: Measure) throws(EvaluationError) -> Measure {
        let v = x.value * y.value
        switch (isScale(x), isScale(y)) {
        case (true, true):
            return Measure(v, unit: x.family == .bare ? y.unit : (y.family == .bare ? x.unit : "%"))
        case (true, false): return Measure(v, unit: y.unit)
        case (false, true): return Measure(v, unit: x.unit)
        case (false, false): throw EvaluationError(reason: "cannot multiply \(x.family) by \(y.family)")
        }
    }

    /// Like by like is a bare ratio (money ÷ money in one currency, 个 ÷ 个, % ÷ %); anything ÷ a scale keeps its unit.
    static func divide(_ x: Measure, _ y: Measure) throws(EvaluationError) -> Measure {
        guard y.value != 0 else { throw EvaluationError(reason: "division by zero") }
        try sameCurrency(x, y, "/")
        let v = x.value / y.value
        if x.family == y.family { return Measure(v) }
        if isScale(y) { return Measure(v, unit: x.family == .bare ? nil : x.unit) }
        throw EvaluationError(reason: "cannot divide \(x.family) by \(y.family)")
    }

    /// Whether two normalised measures may be compared: one family, or a bare number with anything.
    static func comparable(_ a: Measure, _ b: Measure, _ op: String) throws(EvaluationError) {
        try sameCurrency(a, b, op)
        if compatible(a.family, b.family) { return }
        throw EvaluationError(reason: "'\(op)' between \(a.family) and \(b.family)")
    }

    /// One family, a bare number with anything, or a percent with percentage points (both fractions: a
    /// tolerance of 0.5% on a difference of rates means half a point).
    static func compatible(_ a: Measure.Family, _ b: Measure.Family) -> Bool {
        let fractions: Set<Measure.Family> = [.percent, .percentagePoint]
        return a == b || a == .bare || b == .bare || (fractions.contains(a) && fractions.contains(b))
    }

    /// Money in two currencies is never added, divided or compared; a bare number takes the other's currency.
    static func sameCurrency(_ a: Measure, _ b: Measure, _ op: String) throws(EvaluationError) {
        guard let (x, y) = Measure.currencyClash(a, b) else { return }
        throw EvaluationError(
            reason: "'\(op)' between money in \(x) and money in \(y): money in different currencies is never compared",
            currencies: (x, y))
    }

    /// `roundHalfUp(n / d * 100, places)`: a rate in percent as printed with `places` decimals. For whole
    /// `n` and `d` (counts, and money in whole 元) in integers, which Foundation's Decimal division took
    /// about five times as long over (a tenth of the rules' instructions on a bulletin of tallies, callgrind).
    /// The same result: where n / d * 100 is exactly halfway Decimal's 38 digits hold it exactly, and
    /// anywhere else it is further from halfway (by at least 1 / (2·d·10^places)) than those digits err.
    /// `ExpressionTests` compares the two.
    public static func percentRounded(_ n: Decimal, of d: Decimal, places: Int) -> Decimal {
        if let a = whole(n), let b = whole(d), b > 0, places >= 0, places <= 4 {
            var scale: Int64 = 100
            for _ in 0..<places { scale *= 10 }
            let scaled = a * scale
            var q = scaled / b
            if 2 * (scaled % b) >= b { q += 1 }
            return Decimal(sign: .plus, exponent: -places, significand: Decimal(q))
        }
        return roundHalfUp(n / d * 100, places)
    }

    /// `d` as an integer when it is whole, at least 0 and below 10^12; nil otherwise.
    private static func whole(_ d: Decimal) -> Int64? {
        guard d >= 0, d < 1_000_000_000_000 else { return nil }
        let i = NSDecimalNumber(decimal: d).int64Value
        return Decimal(i) == d ? i : nil
    }

    /// Rounds half up (away from zero at .5) to `places` decimals, as bulletins print rates.
    public static func roundHalfUp(_ value: Decimal, _ places: Int) -> Decimal {
        var v = value
        var r = Decimal()
        NSDecimalRound(&r, &v, places, .plain)
        return r
    }

    // MARK: Types, checked when the rule file loads

    /// What an expression gives, as far as the selectors tell: a truth, or a measure of a family (nil: not
    /// known until figures are found).
    public enum Kind: Equatable, Sendable {
        /// A comparison, `and`, `or`, `not`, `within_rounding`.
        case truth
        /// A number of this family, or of a family known only at run time (nil).
        case measure(Measure.Family?)
    }

    /// The families of money, percents and percentage points and of a counted unit that `families` gives each
    /// name (from its selector's kind and unit; nil when the selector leaves it open), checked through the
    /// expression: comparing money with a percent, adding money to a count, a number where a condition is
    /// needed. Returns the expression's kind, or the first problem as a sentence.
    public func kind(_ families: [String: Measure.Family?]) -> Result<Kind, TypeProblem> {
        do throws(TypeProblem) { return .success(try infer(families)) } catch { return .failure(error) }
    }

    /// A type mistake found before any bulletin is read.
    public struct TypeProblem: Error, CustomStringConvertible {
        /// The mistake, naming the operands.
        public var description: String
    }

    func infer(_ fams: [String: Measure.Family?]) throws(TypeProblem) -> Kind {
        func family(_ e: Expression) throws(TypeProblem) -> Measure.Family? {
            switch try e.infer(fams) {
            case .truth: throw TypeProblem(description: "a condition (\(e.text)) is used as a number")
            case .measure(let f): return f
            }
        }
        func truth(_ e: Expression) throws(TypeProblem) {
            if case .measure = try e.infer(fams) {
                throw TypeProblem(
                    description: "\(e.text) is a number where a condition is needed (a comparison, and, or, not)")
            }
        }
        func clash(_ a: Measure.Family?, _ b: Measure.Family?, _ op: String, _ x: Expression, _ y: Expression)
            throws(TypeProblem)
        {
            guard let a, let b, !Expression.compatible(a, b) else { return }
            throw TypeProblem(description: "'\(op)' between \(a) (\(x.text)) and \(b) (\(y.text))")
        }
        switch self {
        case .number(let m): return .measure(m.family)
        case .name(let n): return .measure(fams[n] ?? nil)
        case .unary(let op, let e):
            if op == "not" { try truth(e); return .truth }
            return .measure(try family(e))
        case .call(let f, let args):
            switch f {
            case "count": return .measure(.bare)
            case "sum": return .measure(try family(args[0]))
            case "within_rounding":
                let a = try family(args[0])
                let b = try family(args[1])
                try clash(a, b, f, args[0], args[1])
                return .truth
            case "abs", "round": return .measure(try family(args[0]))
            default:
                let fs = try args.map { (a) throws(TypeProblem) -> Measure.Family? in try family(a) }
                for (k, f2) in fs.enumerated().dropFirst() { try clash(fs[0], f2, f, args[0], args[k]) }
                return .measure(fs.first { $0 != nil && $0 != .bare } ?? fs.first ?? nil)
            }
        case .binary(let op, let a, let b):
            if op == "and" || op == "or" {
                try truth(a)
                try truth(b)
                return .truth
            }
            let x = try family(a)
            let y = try family(b)
            let scales: [Measure.Family] = [.bare, .percent, .percentagePoint]
            switch op {
            case "+", "-":
                try clash(x, y, op, a, b)
                if x == .percent, y == .percent { return .measure(op == "-" ? .percentagePoint : .percent) }
                if let x, let y, Set([x, y]) == Set([.percent, .percentagePoint]) { return .measure(.percent) }
                return .measure(x == .bare ? y : (y == .bare ? x : (x ?? y)))
            case "*":
                if let x, let y, !scales.contains(x), !scales.contains(y) {
                    throw TypeProblem(description: "cannot multiply \(x) (\(a.text)) by \(y) (\(b.text))")
                }
                guard let x, let y else { return .measure(nil) }
                return .measure(
                    scales.contains(x) ? (x == .bare ? y : (scales.contains(y) && y != .bare ? .percent : y)) : x)
            case "/":
                guard let x, let y else { return .measure(nil) }
                if x == y { return .measure(.bare) }
                if scales.contains(y) { return .measure(x) }
                throw TypeProblem(description: "cannot divide \(x) (\(a.text)) by \(y) (\(b.text))")
            default:
                try clash(x, y, op, a, b)
                return .truth
            }
        }
    }

    /// The expression written back, for messages: `found - rectified`, `sum(parts)`, `80%`.
    public var text: String {
        switch self {
        case .number(let m): return m.description
        case .name(let n): return n
        case .unary(let op, let e): return op == "not" ? "not \(e.text)" : "-\(e.text)"
        case .call(let f, let args): return "\(f)(\(args.map(\.text).joined(separator: ", ")))"
        case .binary(let op, let a, let b): return "\(a.text) \(op) \(b.text)"
        }
    }
}
