import AssayExtraction
import AssayRegex
import AssayValues
import Foundation

/// A loaded, fully validated rule file. Never half-loaded: a file with any error yields no `RuleSet`.
public struct RuleSet: Sendable {
    /// The rule language major version this build reads.
    public static let supportedVersion = 1

    /// The rule set's name (`ruleset:`), shown in reports and used in the rule sets' hash.
    public var name: String
    /// The set's own version (`version:`) as written; nil when the file gives none.
    public var version: String?
    /// What the set is for (`description:`); nil when the file gives none.
    public var description: String?
    /// The file it came from, as given.
    public var file: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// Where the set applies; empty: everywhere.
    public var appliesTo: Applicability = Applicability()
    /// The named targets (`targets:`), by name without the `$`.
    public var targets: [String: Target]
    /// The rules, in file order.
    public var rules: [Rule]
    /// The overlay file that adjusted this set (`extends` and `overrides` there), nil when none did.
    public var adjustedBy: String?
    /// The language of its rules' built-in messages (`language: zh | en | auto`); nil when not given
    /// (`Evaluator.defaultLanguage` then).
    public var language: MessageLanguage?

    /// A named value rules refer to as `$name`, with the document or plan it comes from.
    public struct Target: Sendable {
        /// The target's name, as rules write it after `$`.
        public var name: String
        /// The value (`value:`, a number with an optional unit); nil for a target that has only a date.
        public var measure: Measure?
        /// The date (`date:`), ISO at the precision written ("2020", "2020-11", "2020-11-27"); nil when none.
        public var date: String?
        /// Where the value comes from (`source:`, e.g. the rectification plan); nil when not given.
        public var source: String?
        /// For a target with alternatives (a list of `{when, value}`): each, in order; empty otherwise. The
        /// target's own value is then the first alternative's.
        public var options: [Option] = []

        /// One alternative of a target: its value where `when` holds (nil: the default).
        public struct Option: Sendable {
            /// Where this value applies; nil for the default.
            public var when: Condition?
            /// The value.
            public var target: Target
        }

        /// The value as written: `80%`, `2020-09-10`.
        public var shown: String { measure?.description ?? date ?? "" }
    }
}

/// One rule: what it checks, how serious a failure is, and the message a reviewer reads.
public struct Rule: Sendable {
    /// The rule's id: letters, digits, `-`, `_` and `.`, unique across the loaded rule sets.
    public var id: String
    /// A short human title for reports (`title:`, required).
    public var title: String
    /// What sort of check it is (`kind:`).
    public var kind: RuleKind
    /// The severity of its pass and fail outcomes (`severity:`, else the set's default, else warning).
    public var severity: Severity
    /// The severity of its `missing` outcomes, when what it needs is not found (`on_missing:`, else the set's
    /// default, else warning).
    public var onMissing: Severity
    /// The template for every status (`message: "…"`): {section}, {as_of}, {published}, {status}, and the
    /// names of the values the kind reports ({actual}, {target}, …); nil when none or per status.
    public var message: String?
    /// The templates per status (`message: {pass: …, fail: …, missing: …, not_applicable: …}`); empty when
    /// `message` is one template or absent.
    public var messagesByStatus: [OutcomeStatus: String] = [:]
    /// The regulation or document the rule rests on (`basis:`); nil when not given.
    public var basis: String?
    /// Documents to read about the rule (`references:`, each a title and an optional URL); empty when none.
    public var references: [Reference] = []
    /// Free labels for grouping rules (`tags:`); empty when none.
    public var tags: [String]
    /// Where in the document the rule looks (`scope:`; `.document` when not given).
    public var scope: Scope
    /// Where this rule applies, on top of its set's `applies_to`; empty: wherever the set does.
    public var appliesTo: Applicability = Applicability()
    /// The condition under which it is checked in a scope instance (`when:`); elsewhere its outcome is
    /// `not_applicable` with the reason. Nil: always.
    public var when: Condition?
    /// What it checks: its kind's reading of the kind's keys (Kinds/).
    var check: any RuleCheck
    /// When the rule uses a target with alternatives: the target's name; in each scope instance the first
    /// alternative whose `when` holds stands in for it (its set's `targets[name].options`). Nil otherwise.
    var targetChoice: String?
    /// Sample texts the rule should pass and fail (`examples:`).
    public var examples: Examples
    /// Where the rule starts in its file (1-based).
    public var line: Int
    /// The rule file it came from, as named in errors and reports.
    public var file: String

    /// Sample texts for a rule (`examples: {pass, fail}`), for its tests and docs.
    public struct Examples: Sendable {
        /// Texts on which the rule should pass.
        public var pass: [String] = []
        /// Texts on which the rule should fail.
        public var fail: [String] = []
        /// Texts on which the rule should find its facts missing (`missing`, at `on_missing`).
        public var missing: [String] = []
    }
}

/// Where a rule looks: the whole document, each top-level section, sections by name, or each numbered item.
public enum Scope: Sendable, Hashable {
    /// The whole document, once.
    case document
    /// Each top-level (level 1) section, once per section.
    case eachSection
    /// Each numbered item (一是…, 1., (一)) of every section.
    case eachItem
    /// The sections whose name matches (`scope: {section: NAME}`), at any level.
    case section(NameMatcher)
}

/// A name or a pattern (written /…/) matched against section names and labels.
public struct NameMatcher: Sendable, Hashable, CustomStringConvertible {
    /// The name as written; nil for a pattern.
    public var literal: String?
    /// The pattern without its slashes; nil for a literal name.
    public var pattern: String?
    /// The compiled `pattern`; nil for a literal name.
    package let regex: SendableRegex?

    /// Matches the name `literal` (exactly for sections, as a substring for labels and sentences).
    public init(literal: String) {
        self.literal = literal
        self.pattern = nil
        self.regex = nil
    }

    /// Matches the regular expression `pattern` (written without slashes); throws when it does not compile.
    public init(pattern: String) throws {
        self.literal = nil
        self.pattern = pattern
        self.regex = try SendableRegex(pattern)
    }

    /// Exact name for sections; substring for labels and sentences. A pattern searches within `budget`,
    /// its rule's time for patterns. A section name matches with or without its numbering and in either
    /// width: `审计查出问题基本情况` matches the heading `一、审计查出问题基本情况`, `(一)加强管理` matches `（一）加强管理`.
    public func matches(_ s: String, substring: Bool = false, budget: PatternBudget) throws(PatternTimeout) -> Bool {
        if let l = literal {
            if substring { return s.unicodeScalars.containsScalars(of: l) }
            return s == l || Self.bareName(s) == Self.bareName(l)
        }
        guard let regex else { return false }
        return try regex.firstMatch(in: s, budget: budget) != nil
    }

    /// The same, outside a rule (waivers): a pattern gets the standard limit for this one test, and a
    /// search that gives up counts as no match (a waiver that cannot be matched in time does not apply).
    public func matches(_ s: String, substring: Bool = false) -> Bool {
        (try? matches(s, substring: substring, budget: PatternBudget())) ?? false
    }

    /// A section name without its numbering, width-folded: `一、总体情况`, `(一)总体情况`, `（一）总体情况`,
    /// `1.总体情况` and `总体情况` all give `总体情况`.
    static func bareName(_ name: String) -> [Unicode.Scalar] {
        let s = ScalarText.foldWidth(name)
        var i = 0
        let open = i < s.count && s[i] == "("
        if open { i += 1 }
        let digits = i
        while i < s.count, i - digits < 6, ChineseNumeral.isNumeralScalar(s[i]) || ScalarText.digit(s[i]) != nil {
            i += 1
        }
        guard i > digits, i < s.count else { return s }
        if open { return s[i] == ")" ? Array(s[(i + 1)...]) : s }
        return s[i] == "、" || s[i] == "." ? Array(s[(i + 1)...]) : s
    }

    /// The name as written, or the pattern between slashes.
    public var description: String { literal ?? "/\(pattern ?? "")/" }
}

/// A rule pattern, compiled once when the rule file loads: ICU (`NSRegularExpression`) always, to validate
/// it and as the reference, plus `ScalarRegex`, the Swift engine over scalars, when the pattern is in its subset.
/// Matching uses the Swift engine where it can (same results, no UTF-16 bridging) and ICU otherwise; ICU
/// alone makes the evaluate stage 1.4–3.5 times slower (docs/benchmarks.md, "ScalarRegex against ICU").
///
/// Every search runs within a `PatternBudget`, the time its rule's patterns have on the bulletin, in both
/// engines: the Swift engine reads the clock every 4096 steps, ICU from inside its match loop (see
/// `PatternBudget`). A search that runs out throws `PatternTimeout`. When the Swift engine exceeds its step
/// budget with time left, ICU takes the search over with the time that is left; once the time is gone
/// nothing is handed over.
public struct SendableRegex: @unchecked Sendable, Hashable {
    /// The pattern as compiled (for a joined regex, the alternation of its parts).
    public let pattern: String
    /// The rule patterns it was joined from (`init(joining:)`), named when a search gives up; else [pattern].
    public let sources: [String]
    /// The ICU compilation, always present: the reference, and the engine for patterns outside the Swift subset.
    package let regex: NSRegularExpression
    /// Nil when the pattern uses syntax outside the Swift engine's subset.
    let engine: ScalarRegex?

    /// Compiles `pattern` for both engines; throws when ICU cannot compile it.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        self.sources = [pattern]
        self.regex = try NSRegularExpression(pattern: pattern, options: [])
        self.engine = ScalarRegex(pattern)
    }

    /// Why patterns were not joined: one refers back to a numbered group (`\1`, `\k<name>`), and in an
    /// alternation its groups would be renumbered, so the reference would point elsewhere.
    public struct NotJoinable: Error, CustomStringConvertible {
        /// The pattern with the back reference.
        public var pattern: String
        /// `pattern '…' refers back to a group; it is matched on its own`.
        public var description: String { "pattern '\(pattern)' refers back to a group; it is matched on its own" }
    }

    /// Whether the pattern has a back reference (`\1`…`\9`, `\k<name>`) outside a character class.
    public static func hasBackreference(_ pattern: String) -> Bool {
        let s = Array(pattern.unicodeScalars)
        var i = 0
        var inClass = false
        while i < s.count {
            switch s[i] {
            case "\\":
                if !inClass, i + 1 < s.count {
                    let c = s[i + 1]
                    if ("1"..."9").contains(c) { return true }
                    if c == "k", i + 2 < s.count, s[i + 2] == "<" { return true }
                }
                i += 2
                continue
            case "[": inClass = true
            case "]": inClass = false
            default: break
            }
            i += 1
        }
        return false
    }

    /// One alternation of `patterns` (each in a group), so a text is scanned once for all of them. Throws
    /// `NotJoinable` when a pattern (of more than one) has a back reference: match such patterns one by one.
    public init(joining patterns: [SendableRegex]) throws {
        if patterns.count > 1, let p = patterns.first(where: { Self.hasBackreference($0.pattern) }) {
            throw NotJoinable(pattern: p.pattern)
        }
        self.pattern =
            patterns.count == 1 ? patterns[0].pattern : patterns.map { "(?:\($0.pattern))" }.joined(separator: "|")
        self.sources = patterns.flatMap(\.sources)
        self.regex = try NSRegularExpression(pattern: pattern, options: [])
        self.engine = ScalarRegex(pattern)
    }

    /// Two regexes are equal when their patterns are the same text.
    public static func == (a: SendableRegex, b: SendableRegex) -> Bool { a.pattern == b.pattern }
    /// Hashes the pattern text, consistent with `==`.
    public func hash(into h: inout Hasher) { h.combine(pattern) }

    /// A match as scalar ranges, with named captures.
    public struct Match {
        /// The whole match, in Unicode scalar offsets.
        public var range: Range<Int>
        /// The named captures asked for that took part in the match, by name, in scalar offsets.
        public var captures: [String: Range<Int>]
    }

    /// The first match in `text` (scalar offsets, no captures), nil when none; throws `PatternTimeout` when
    /// `budget` runs out.
    public func firstMatch(in text: String, budget: PatternBudget = PatternBudget()) throws(PatternTimeout) -> Match? {
        let scalars = Array(text.unicodeScalars)
        return try search(scalars, 0..<scalars.count, text: text, names: [], limit: 1, budget: budget).first
    }

    /// Matches with scalar offsets into `text`, and named captures as scalar ranges.
    public func matches(in text: String, names: [String], budget: PatternBudget = PatternBudget())
        throws(PatternTimeout) -> [Match]
    {
        let scalars = Array(text.unicodeScalars)
        return try search(scalars, 0..<scalars.count, text: text, names: names, limit: .max, budget: budget)
    }

    /// Matches inside `range` of `scalars`, the range taken as the whole input (as if it were
    /// `String(scalars[range])`: `^` and `$` anchor at its ends). Offsets, of matches and captures, index
    /// `scalars` itself, not the range.
    public func matches(
        in scalars: [Unicode.Scalar], range: Range<Int>, names: [String],
        budget: PatternBudget = PatternBudget()
    ) throws(PatternTimeout) -> [Match] {
        try search(scalars, range.clamped(to: 0..<scalars.count), text: nil, names: names, limit: .max, budget: budget)
    }

    /// Whether searches use `ScalarRegex` where it can (the default) or ICU only: `ASSAY_REGEX=icu` in the
    /// environment, or `assay bench --regex icu`, which sets this before any search. For measuring the two
    /// (docs/benchmarks.md, "ScalarRegex against ICU"); set once, before any rule is evaluated.
    nonisolated(unsafe) public static var usesScalarEngine = ProcessInfo.processInfo.environment["ASSAY_REGEX"] != "icu"

    /// Matches inside `range` of the document `icu` was made from, offsets indexing its scalars: ICU over the
    /// document's one UTF-16 text, the range taken as the whole input as in `matches(in:range:names:budget:)`.
    func matches(
        in scalars: [Unicode.Scalar], range: Range<Int>, names: [String], icu: ICUText,
        budget: PatternBudget
    ) throws(PatternTimeout) -> [Match] {
        try search(
            scalars, range.clamped(to: 0..<scalars.count), text: nil, names: names, limit: .max, budget: budget,
            icu: icu)
    }

    /// The search behind the three: the Swift engine, else ICU on `text` (built from `scalars[r]` when nil),
    /// or on `icu`, the whole document's UTF-16 text, when given.
    func search(
        _ scalars: [Unicode.Scalar], _ r: Range<Int>, text: String?, names: [String], limit: Int,
        budget: PatternBudget, icu: ICUText? = nil
    ) throws(PatternTimeout) -> [Match] {
        if budget.ranOut { throw budget.gaveUp(sources, characters: r.count) }
        defer { budget.endSearch() }
        if Self.usesScalarEngine, let engine,
            let ms = engine.matches(in: scalars, range: r, limit: limit, budget: budget)
        {
            return ms.map { convert($0, names: names) }
        }
        if budget.ranOut { throw budget.gaveUp(sources, characters: r.count) }
        budget.startTiming()
        if let icu, text == nil {
            let found = icuMatches(
                in: icu.string, range: icu.utf16Range(r), names: names, limit: limit, budget: budget,
                scalarOffset: icu.scalarOffset)
            if budget.ranOut { throw budget.gaveUp(sources, characters: r.count) }
            return found
        }
        let found = icuMatches(in: text ?? ScalarText.string(scalars[r]), names: names, limit: limit, budget: budget)
        if budget.ranOut { throw budget.gaveUp(sources, characters: r.count) }
        guard r.lowerBound != 0 else { return found }
        return found.map { m in
            Match(
                range: (m.range.lowerBound + r.lowerBound)..<(m.range.upperBound + r.lowerBound),
                captures: m.captures.mapValues { ($0.lowerBound + r.lowerBound)..<($0.upperBound + r.lowerBound) })
        }
    }

    func convert(_ m: ScalarRegex.Match, names: [String]) -> Match {
        var caps = [String: Range<Int>]()
        if let engine {
            for n in names {
                if let g = engine.groupNumbers[n], let r = m.groups[g - 1] { caps[n] = r }
            }
        }
        return Match(range: m.range, captures: caps)
    }

    /// ICU's matches, converted from UTF-16 to scalar offsets. `.reportProgress` has ICU call the block
    /// from inside a match, where a spent `budget` stops it (`budget.ranOut` tells the caller).
    func icuMatches(in text: String, names: [String], limit: Int = .max, budget: PatternBudget? = nil) -> [Match] {
        let length = text.utf16.count
        var map: [Int]?
        return icuMatches(
            in: text, range: NSRange(location: 0, length: length), names: names, limit: limit, budget: budget
        ) { u16 in
            if map == nil {
                var m = [Int](repeating: 0, count: length + 1)
                var u = 0
                var scalar = 0
                for s in text.unicodeScalars {
                    let w = s.value > 0xFFFF ? 2 : 1
                    for k in 0..<w { m[u + k] = scalar }
                    u += w
                    scalar += 1
                }
                m[length] = scalar
                map = m
            }
            return map![u16]
        }
    }

    /// ICU's matches inside `range` (UTF-16) of `text`, the range taken as the whole input (ICU's default
    /// anchoring, opaque bounds), converted by `scalarOffset` (UTF-16 offset → scalar offset).
    func icuMatches(
        in text: String, range: NSRange, names: [String], limit: Int = .max, budget: PatternBudget? = nil,
        scalarOffset: (Int) -> Int
    ) -> [Match] {
        var results = [NSTextCheckingResult]()
        regex.enumerateMatches(in: text, options: budget == nil ? [] : [.reportProgress], range: range) { m, _, stop in
            if let m {
                results.append(m)
                if results.count >= limit { stop.pointee = true }
            } else if let budget, budget.isOut() {
                stop.pointee = true
            }
        }
        guard !results.isEmpty else { return [] }
        func conv(_ r: NSRange) -> Range<Int>? {
            r.location == NSNotFound ? nil : scalarOffset(r.location)..<scalarOffset(r.location + r.length)
        }
        return results.map { m in
            var caps = [String: Range<Int>]()
            for n in names { if let r = conv(m.range(withName: n)) { caps[n] = r } }
            return Match(range: conv(m.range)!, captures: caps)
        }
    }

    /// Names of the `(?<name>…)` groups in a pattern.
    public static func groupNames(_ pattern: String) -> [String] {
        var names = [String]()
        let s = Array(pattern.unicodeScalars)
        var i = 0
        while i + 3 < s.count {
            if s[i] == "(", s[i + 1] == "?", s[i + 2] == "<", s[i + 3] != "=", s[i + 3] != "!" {
                var j = i + 3
                var name = ""
                while j < s.count, s[j] != ">" { name.unicodeScalars.append(s[j]); j += 1 }
                names.append(name)
                i = j
            }
            i += 1
        }
        return names
    }
}

/// A document's text for ICU, made once per document when a search needs it: one UTF-16 text and the
/// offsets between it and the scalars, so ICU searches ranges of the document without a copy of each range.
final class ICUText {
    let string: String
    /// Scalar offset → UTF-16 offset, `count + 1` entries.
    private let utf16Offsets: [Int32]
    /// UTF-16 offset → scalar offset (the scalar a trailing surrogate belongs to), `utf16 count + 1` entries.
    private let scalarOffsets: [Int32]

    init(_ scalars: [Unicode.Scalar]) {
        var s = ScalarText.string(scalars[...])
        s.makeContiguousUTF8()
        var toU16 = [Int32]()
        var toScalar = [Int32]()
        toU16.reserveCapacity(scalars.count + 1)
        toScalar.reserveCapacity(scalars.count + 1)
        var u = Int32(0)
        for (i, c) in scalars.enumerated() {
            toU16.append(u)
            toScalar.append(Int32(i))
            if c.value > 0xFFFF { toScalar.append(Int32(i)); u += 2 } else { u += 1 }
        }
        toU16.append(u)
        toScalar.append(Int32(scalars.count))
        string = s
        utf16Offsets = toU16
        scalarOffsets = toScalar
    }

    func utf16Range(_ r: Range<Int>) -> NSRange {
        let lo = Int(utf16Offsets[r.lowerBound])
        return NSRange(location: lo, length: Int(utf16Offsets[r.upperBound]) - lo)
    }

    func scalarOffset(_ u16: Int) -> Int { Int(scalarOffsets[u16]) }
}

/// Which facts a rule looks at. Every condition given must hold.
public struct Selector: Sendable, Hashable {
    /// The fact is of one of these kinds (`kind:`); empty: any kind. Ignored for `match` selectors.
    public var kinds: [FactKind] = []
    /// Label contains this text, or matches this /pattern/.
    public var label: NameMatcher?
    /// The fact's unit is one of these (`unit:`, width-folded; a percent counts as `%`); empty: any unit.
    public var units: [String] = []
    /// Any element of the fact's section path matches.
    public var section: NameMatcher?
    /// The fact's sentence contains every one of these.
    public var sentence: [String] = []
    /// Restrict to exact (false) or approximate (true) figures.
    public var approx: Bool?
    /// Restrict to figures read from a text layer (false) or by OCR (true).
    public var ocr: Bool?
    /// The fact's role in a tally is one of these.
    public var roles: [TallyRole] = []
    /// The fact is a member of a tally (`tally: any`), of one of these subjects when given.
    public var inTally = false
    /// The subjects of `tally:`; empty with `inTally`: a member of any tally.
    public var tallySubjects: [TallySubject] = []
    /// A pattern over sentences whose named capture `capture` is read as a typed value.
    public var match: SendableRegex?
    /// Whether `match` is given, read from the optional's tag in place. (`match == nil` goes through
    /// `Optional<SendableRegex>`'s Equatable `==`, which copies both sides into a tuple through the type's
    /// value witnesses: 180 instructions for every fact a selector is tried on, callgrind 2026-12-03.)
    @inline(__always) public var hasMatch: Bool {
        if case .some = match { return true }
        return false
    }
    /// The named capture of `match` read as the value (`capture:`; the pattern's first named group when not given).
    public var capture: String?
    /// The kind the capture is read as (`type:`: quantity, percent, money, date or number; quantity when not given).
    public var captureType: FactKind?

    /// Labels the fact's label must equal, one of them (`label: {exact: [...]}`, width-folded); empty: any.
    public var exactLabels: [String] = []
    /// Selectors the fact must not match (`not:`); empty: none excluded.
    public var not: [Selector] = []

    /// A selector with no condition.
    public init() {}

    /// The selector as a rule writes it, for messages: `{kind: percent, label: 整改率, not: {label: 资金整改率}}`.
    public var description: String {
        var parts = [String]()
        if !kinds.isEmpty { parts.append("kind: " + Self.list(kinds.map(\.rawValue))) }
        if let l = label { parts.append("label: \(l)") }
        if !exactLabels.isEmpty { parts.append("label: {exact: \(Self.list(exactLabels))}") }
        if !units.isEmpty { parts.append("unit: " + Self.list(units)) }
        if let s = section { parts.append("section: \(s)") }
        if !sentence.isEmpty { parts.append("sentence: " + Self.list(sentence)) }
        if let a = approx { parts.append("approx: \(a)") }
        if let o = ocr { parts.append("ocr: \(o)") }
        if !roles.isEmpty { parts.append("role: " + Self.list(roles.map(\.rawValue))) }
        if inTally {
            parts.append("tally: " + (tallySubjects.isEmpty ? "any" : Self.list(tallySubjects.map(\.rawValue))))
        }
        if let m = match { parts.append("match: /\(m.pattern)/") }
        for n in not { parts.append("not: \(n.description)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static func list(_ xs: [String]) -> String { xs.count == 1 ? xs[0] : "[" + xs.joined(separator: ", ") + "]" }

    /// The family of the figures the selector can pick, when its kind, unit or capture type says (money,
    /// a percent, percentage points, a count in one unit); nil when it leaves that open.
    public var family: Measure.Family? {
        if !units.isEmpty {
            let fams = Set(units.map { $0 == "%" ? Measure.Family.percent : Measure.family(of: $0) })
            return fams.count == 1 ? fams.first : nil
        }
        let ks = hasMatch ? (captureType.map { [$0] } ?? [.quantity]) : kinds
        if ks == [.money] { return .money }
        if ks == [.percent] { return .percent }
        return nil
    }

    /// Whether no condition is given.
    public var isEmpty: Bool {
        kinds.isEmpty && label == nil && units.isEmpty && section == nil && sentence.isEmpty && approx == nil
            && ocr == nil
            && !hasMatch
            && roles.isEmpty && !inTally && exactLabels.isEmpty && not.isEmpty
    }
}
