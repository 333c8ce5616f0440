import CAssayNative

/// A small backtracking regular-expression engine over `[Unicode.Scalar]`, for the subset of ICU
/// syntax the bundled rules use. It gives the same matches, in the same order, with the same ranges and
/// captures as `NSRegularExpression` (ICU) with no options, without bridging the text to UTF-16.
///
/// `init?` returns nil for any pattern outside the subset, and `matches` returns nil when it cannot be
/// sure of the answer for one call (step budget exceeded, or a scalar whose class membership this
/// engine's tables do not cover, see `ScalarClassFlags`); callers then use ICU (`SendableRegex` does).
/// It also returns nil when the caller's clock (`ScalarRegexClock`, Assay's `PatternBudget`), read every 4096 steps, says the time is out; then the
/// search gives up (`SendableRegex` does not hand it to ICU).
///
/// Supported, with ICU's default-option meaning:
/// - literal scalars; `\t \n \r \f`, `\uhhhh`, `\xhh`, `\x{h…}`; escaped ASCII punctuation (`\.` `\-` `\(` …)
/// - `.`: any scalar except the line terminators U+000A–U+000D, U+0085, U+2028, U+2029
/// - `\d` (general category Nd, so ０–９ too), `\s` (White_Space), `\w` (Alphabetic, M, Nd, Pc, ZWNJ, ZWJ),
///   `\D \S \W`
/// - classes `[…]`, `[^…]` with literals, ranges, the escapes above and `\d \s \w \D \S \W`;
///   `-` is literal only first or last
/// - groups `( )`, `(?: )`, `(?<name> )`; alternation `|`
/// - `? * + {n} {n,} {n,m}`, greedy or lazy (`??` `*?` `+?` `{n,m}?`)
/// - `^` and `$` (not multi-line: `$` also matches before a final line terminator or CRLF)
///
/// Everything else (lookaround, back references, `\b`, `\p{…}`, inline flags, possessive quantifiers,
/// POSIX classes, set operations, `\Q…\E`, comments…) is refused. So is `*?` or `+?` over a group that
/// can match the empty string, which ICU does not guard against looping.
///
/// Execution follows ICU's own code shapes where they decide the result: ordered alternation,
/// greedy/lazy loops, `*` and `+` over a group that can match empty stop after an iteration that did not
/// advance (ICU's `JMP_SAV_X`), `{n,m}` over a group counts iterations with ICU's `CTR_INIT/CTR_LOOP`
/// rules, captures keep the last iteration's value, and `find` resumes at the end of the previous match,
/// one scalar further after an empty match.
///
/// The find loop skips start positions that cannot match, without changing any result: scalars outside the
/// set a match can start with; after a failed attempt inside a run of the pattern's leading unbounded
/// repetition (`[a-z]+@…`), the rest of that run; and, per branch of a leading alternation (`(?:[a-z]+@…|
/// \d{4}…)`, what a rule's `patterns:` are joined into), the rest of the run of that branch's leading
/// repetition, while the other branches are still tried (`ScalarRegexProgram.branchLeads`). So the joined
/// contact-block patterns search a 200 KB line of digits in linear time (docs/benchmarks.md, "Bounded work").
/// Last, no attempt is made where no branch of the leading alternation can start a match: where its first
/// set does not hold the scalar, or where a scalar that every match of it needs within a bounded distance
/// (`[-—]` within 5 in `\d{4,5}[-—]…`) is not there (`ScalarRegexProgram.branchStarts`); so 10 MB of
/// digits costs a few bit tests per scalar, not an attempt of 20 steps at each.
///
/// Why an engine of its own and not ICU alone (STYLE point 17): measured in one release binary, the
/// evaluate stage with every search on ICU (`ASSAY_REGEX=icu`, one UTF-16 text per document) against this
/// engine where it can, `assay bench Samples/*.txt --iterations 300 --regex icu|scalar` and the same on
/// 1,000 seeded variants of the corpus (`scripts/bench-variants.py`): ICU only makes evaluate 2.2–3.5 times
/// slower on the sample (mean 1.25–1.57 ms against 0.43–0.58 ms per bulletin) and 1.4–1.7 times on the
/// variants (0.68–0.84 ms against 0.47–0.51 ms), the whole pipeline 1.4–2.2 and 1.13–1.34 times. Figures
/// and commands: docs/benchmarks.md, "ScalarRegex against ICU". `Tests/AssayRegexTests` compares it with
/// ICU on seeded random patterns and texts.
public struct ScalarRegex: Sendable {
    /// A match; offsets index the scalar buffer that was searched.
    public struct Match: Equatable, Sendable {
        /// The scalar offsets of the whole match.
        public var range: Range<Int>
        /// Groups 1…n in pattern order; nil where the group did not take part.
        public var groups: [Range<Int>?]

        /// A match over `range` with the given group ranges.
        public init(range: Range<Int>, groups: [Range<Int>?]) {
            self.range = range
            self.groups = groups
        }
    }

    /// The pattern as given.
    public let pattern: String
    /// The number of capture groups, named ones included.
    public let groupCount: Int
    /// Named groups → group number (1-based).
    public let groupNumbers: [String: Int]
    let program: ScalarRegexProgram

    /// Compiles a pattern; nil when it uses anything outside the supported subset (then use ICU).
    public init?(_ pattern: String) {
        var parser = ScalarRegexParser(Array(pattern.unicodeScalars))
        guard let root = parser.parse() else { return nil }
        var compiler = ScalarRegexCompiler(classes: parser.classes, groupCount: parser.groupCount)
        guard let program = compiler.compile(root) else { return nil }
        self.pattern = pattern
        self.groupCount = parser.groupCount
        self.groupNumbers = parser.names
        self.program = program
    }

    /// All non-overlapping matches inside `range`, which is treated as the whole input (`^` and `$`
    /// anchor at its ends, nothing outside it is read), like ICU on `String(scalars[range])`; offsets index
    /// `scalars`. At most `limit` matches. Nil: undecided, use ICU — or, when `budget` has run out
    /// (`budget.isOut()`), the time is gone.
    public func matches(
        in scalars: [Unicode.Scalar], range: Range<Int>, limit: Int = .max, budget: ScalarRegexClock? = nil
    ) -> [Match]? {
        let r = range.clamped(to: 0..<scalars.count)
        return scalars.withUnsafeBufferPointer { matches(in: $0, range: r, limit: limit, budget: budget) }
    }

    /// `matches(in:range:limit:budget:)` over a buffer; `range` must lie within it (checked by a precondition).
    public func matches(
        in scalars: UnsafeBufferPointer<Unicode.Scalar>, range: Range<Int>, limit: Int = .max,
        budget: ScalarRegexClock? = nil
    ) -> [Match]? {
        precondition(range.lowerBound >= 0 && range.upperBound <= scalars.count)
        // An empty buffer may have no address; the matcher reads nothing from it then.
        let p =
            scalars.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt32.self) }
            ?? UnsafePointer(ScalarClassFlags.noScalars)
        var m = ScalarRegexMatcher(program, p, range.lowerBound, range.upperBound, groupCount, clock: budget)
        defer { m.release() }
        return m.run(limit: limit)
    }
}

/// The time a search may take, read by the matcher every 4096 steps (10–40 µs): true ends the search
/// (`matches` returns nil). Assay's `PatternBudget` is one; the first reading may start its timing.
public protocol ScalarRegexClock: AnyObject {
    /// True when the search's time is out.
    func isOut() -> Bool
}

// MARK: - Unicode classes

/// Per-scalar membership of ICU's `\d`, `\s` and `\w`, from ICU's own tables (`ScalarClassData`).
///
/// The tables are those of the ICU in Swift's Foundation (Unicode 16.0); a test derives them again from
/// `NSRegularExpression` over every code point and must find them equal. A scalar not assigned in that
/// version is `unknown`: a newer ICU might class it differently, so a search that needs its class goes to ICU.
enum ScalarClassFlags {
    static let digit: UInt8 = 1, space: UInt8 = 2, word: UInt8 = 4, unknown: UInt8 = 8

    /// The tables as sorted, disjoint ranges (digit, space, word, assigned), parsed once.
    static let ranges: [[ClosedRange<UInt32>]] = [
        ScalarClassData.digit, ScalarClassData.space, ScalarClassData.word,
        ScalarClassData.assigned,
    ].map(parse)

    /// Reads `lo-hi` and single hexadecimal code points separated by spaces or newlines.
    static func parse(_ text: String) -> [ClosedRange<UInt32>] {
        var out = [ClosedRange<UInt32>]()
        var lo: UInt32?
        var value: UInt32 = 0
        var digits = 0
        func end() {
            if digits > 0 { out.append((lo ?? value)...value) }
            lo = nil
            value = 0
            digits = 0
        }
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(b - UInt8(ascii: "0")); digits += 1
            case UInt8(ascii: "a")...UInt8(ascii: "f"):
                value = value << 4 | UInt32(b - UInt8(ascii: "a") + 10); digits += 1
            case UInt8(ascii: "-"):
                lo = value
                value = 0
                digits = 0
            default: end()
            }
        }
        end()
        return out
    }

    /// Flags of the Basic Multilingual Plane, built from the tables on first use.
    nonisolated(unsafe) static let bmp: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 0x10000)
        table.initialize(repeating: unknown, count: 0x10000)
        for (k, flag) in [digit, space, word, unknown].enumerated() {
            for r in ranges[k] where r.lowerBound < 0x10000 {
                for v in r.lowerBound...Swift.min(r.upperBound, 0xFFFF) {
                    if flag == unknown { table[Int(v)] &= ~unknown } else { table[Int(v)] |= flag }
                }
            }
        }
        return UnsafePointer(table)
    }()

    /// Flags of any scalar, by binary search (for scalars beyond the BMP, and at compile time).
    static func compute(_ v: UInt32) -> UInt8 {
        func contains(_ rs: [ClosedRange<UInt32>]) -> Bool {
            var lo = 0
            var hi = rs.count - 1
            while lo <= hi {
                let mid = (lo + hi) / 2
                if v < rs[mid].lowerBound {
                    hi = mid - 1
                } else if v > rs[mid].upperBound {
                    lo = mid + 1
                } else {
                    return true
                }
            }
            return false
        }
        guard contains(ranges[3]) else { return unknown }
        return (contains(ranges[0]) ? digit : 0) | (contains(ranges[1]) ? space : 0) | (contains(ranges[2]) ? word : 0)
    }

    /// Bit sets over the BMP (1024 words each) of \d, \s, \w and of unknown scalars, from `bmp`.
    nonisolated(unsafe) static let bmpBits: UnsafePointer<UInt64> = {
        let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: 4 * 1024)
        bits.initialize(repeating: 0, count: 4 * 1024)
        let table = bmp
        for v in 0..<0x10000 {
            let f = table[v]
            let bit: UInt64 = 1 << UInt64(v & 63)
            let w = v >> 6
            if f & digit != 0 { bits[w] |= bit }
            if f & space != 0 { bits[1024 + w] |= bit }
            if f & word != 0 { bits[2048 + w] |= bit }
            if f & unknown != 0 { bits[3072 + w] |= bit }
        }
        return UnsafePointer(bits)
    }()

    /// Stands in for an empty buffer's missing address.
    nonisolated(unsafe) static let noScalars: UnsafeMutablePointer<UInt32> = .allocate(capacity: 1)

    /// Stands in for `bmp` where no class reads properties.
    nonisolated(unsafe) static let none: UnsafePointer<UInt8> = UnsafePointer(
        UnsafeMutablePointer<UInt8>.allocate(capacity: 1))

    @inline(__always)
    static func flags(_ v: UInt32, _ bmp: UnsafePointer<UInt8>) -> UInt8 {
        v < 0x10000 ? bmp[Int(v)] : compute(v)
    }
}

// MARK: - Syntax tree

indirect enum ScalarRegexNode {
    case empty
    case char(UInt32)
    case cls(Int)
    case dot
    case caret, dollar
    case concat([ScalarRegexNode])
    case alt([ScalarRegexNode])
    /// A group; the capture number (1-based) when capturing.
    case group(ScalarRegexNode, Int?)
    case rep(ScalarRegexNode, ScalarRegexQuantifier, greedy: Bool)

    /// Whether it can match the empty string.
    var nullable: Bool {
        switch self {
        case .empty, .caret, .dollar: return true
        case .char, .cls, .dot: return false
        case .concat(let xs): return xs.allSatisfy(\.nullable)
        case .alt(let xs): return xs.contains(where: \.nullable)
        case .group(let x, _): return x.nullable
        case .rep(let x, let q, _): return q.min == 0 || x.nullable
        }
    }
}

enum ScalarRegexQuantifier {
    case opt, star, plus
    /// `{min,max}`; max -1 when unbounded.
    case interval(Int, Int)

    var min: Int {
        switch self {
        case .opt, .star: return 0
        case .plus: return 1
        case .interval(let lo, _): return lo
        }
    }

    var max: Int {
        switch self {
        case .opt: return 1
        case .star, .plus: return -1
        case .interval(_, let hi): return hi
        }
    }
}

/// A character class as parsed: explicit ranges, class escapes, negation.
struct ScalarClassSpec {
    /// Explicit members.
    var ranges: [ClosedRange<UInt32>] = []
    /// `\d \s \w` (bits 0–2) and `\D \S \W` (bits 3–5).
    var props: UInt8 = 0
    var negated = false

    func contains(_ v: UInt32) -> Bool {
        var hit = ranges.contains { $0.contains(v) }
        if !hit, props != 0 {
            let f = UInt32(ScalarClassFlags.compute(v))
            hit = (f & UInt32(props) & 7) != 0 || (~f & (UInt32(props) >> 3) & 7) != 0
        }
        return hit != negated
    }
}

// MARK: - Parser

struct ScalarRegexParser {
    let s: [Unicode.Scalar]
    var i = 0
    var groupCount = 0
    var names: [String: Int] = [:]
    var classes: [ScalarClassSpec] = []
    var depth = 0

    init(_ s: [Unicode.Scalar]) { self.s = s }

    mutating func parse() -> ScalarRegexNode? {
        guard s.count <= 4096, let root = parseAlternation(), i == s.count else { return nil }
        return root
    }

    func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    mutating func eat(_ c: Unicode.Scalar) -> Bool {
        if peek() == c { i += 1; return true }
        return false
    }

    mutating func parseAlternation() -> ScalarRegexNode? {
        var branches = [ScalarRegexNode]()
        repeat {
            guard let b = parseConcatenation() else { return nil }
            branches.append(b)
        } while eat("|")
        return branches.count == 1 ? branches[0] : .alt(branches)
    }

    mutating func parseConcatenation() -> ScalarRegexNode? {
        var items = [ScalarRegexNode]()
        while let c = peek(), c != "|", c != ")" {
            guard let q = parseQuantified() else { return nil }
            items.append(q)
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    mutating func parseQuantified() -> ScalarRegexNode? {
        guard let atom = parseAtom() else { return nil }
        let q: ScalarRegexQuantifier
        switch peek() {
        case "*": q = .star; i += 1
        case "+": q = .plus; i += 1
        case "?": q = .opt; i += 1
        case "{":
            guard let (lo, hi) = parseInterval() else { return nil }
            q = .interval(lo, hi)
        default: return atom
        }
        switch atom {
        case .caret, .dollar: return nil
        default: break
        }
        var greedy = true
        if eat("?") {
            greedy = false
        } else if peek() == "+" {
            return nil  // possessive
        }
        if let c = peek(), c == "*" || c == "+" || c == "?" || c == "{" { return nil }
        return .rep(atom, q, greedy: greedy)
    }

    /// `{n}`, `{n,}` or `{n,m}` with ASCII digits; i is at the `{`.
    mutating func parseInterval() -> (Int, Int)? {
        i += 1
        func number(_ p: inout ScalarRegexParser) -> Int? {
            var n = 0
            var digits = 0
            while let c = p.peek(), c.value >= 0x30 && c.value <= 0x39 {
                n = n * 10 + Int(c.value - 0x30)
                digits += 1
                p.i += 1
                if n > 10_000 { return nil }
            }
            return digits == 0 ? nil : n
        }
        guard let lo = number(&self) else { return nil }
        var hi = lo
        if eat(",") {
            if peek() == "}" {
                hi = -1
            } else {
                guard let h = number(&self) else { return nil }
                hi = h
            }
        }
        guard eat("}") else { return nil }
        if hi != -1 && hi < lo { return nil }
        return (lo, hi)
    }

    mutating func parseAtom() -> ScalarRegexNode? {
        guard let c = peek() else { return nil }
        switch c {
        case "(":
            i += 1
            depth += 1
            guard depth <= 64 else { return nil }
            defer { depth -= 1 }
            var capture: Int?
            if eat("?") {
                if eat(":") {
                    capture = nil
                } else if eat("<") {
                    var name = ""
                    guard let f = peek(), Self.isASCIILetter(f) else { return nil }
                    while let n = peek(), Self.isASCIILetter(n) || (n.value >= 0x30 && n.value <= 0x39) {
                        name.unicodeScalars.append(n)
                        i += 1
                    }
                    guard eat(">"), names[name] == nil else { return nil }
                    groupCount += 1
                    names[name] = groupCount
                    capture = groupCount
                } else {
                    return nil
                }
            } else {
                groupCount += 1
                capture = groupCount
            }
            guard let body = parseAlternation(), eat(")") else { return nil }
            return .group(body, capture)
        case "[":
            return parseClass()
        case ".":
            i += 1
            return .dot
        case "^":
            i += 1
            return .caret
        case "$":
            i += 1
            return .dollar
        case "\\":
            guard let e = parseEscape() else { return nil }
            switch e {
            case .char(let v): return .char(v)
            case .props(let p):
                classes.append(ScalarClassSpec(props: p))
                return .cls(classes.count - 1)
            }
        case "*", "+", "?", "{", "}", "]", ")", "|":
            return nil
        default:
            i += 1
            return .char(c.value)
        }
    }

    enum Escape {
        case char(UInt32)
        case props(UInt8)
    }

    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    static func isASCIIPunctuation(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x21 && v <= 0x2F) || (v >= 0x3A && v <= 0x40) || (v >= 0x5B && v <= 0x60)
            || (v >= 0x7B && v <= 0x7E)
    }

    /// A backslash escape; i is at the backslash.
    mutating func parseEscape() -> Escape? {
        i += 1
        guard let c = peek() else { return nil }
        i += 1
        switch c {
        case "d": return .props(1)
        case "s": return .props(2)
        case "w": return .props(4)
        case "D": return .props(8)
        case "S": return .props(16)
        case "W": return .props(32)
        case "t": return .char(0x09)
        case "n": return .char(0x0A)
        case "r": return .char(0x0D)
        case "f": return .char(0x0C)
        case "u":
            guard let v = hex(min: 4, max: 4) else { return nil }
            return Self.valid(v) ? .char(v) : nil
        case "x":
            if eat("{") {
                guard let v = hex(min: 1, max: 8), eat("}"), Self.valid(v) else { return nil }
                return .char(v)
            }
            guard let v = hex(min: 2, max: 2) else { return nil }
            return .char(v)
        default:
            return Self.isASCIIPunctuation(c) ? .char(c.value) : nil
        }
    }

    static func valid(_ v: UInt32) -> Bool { v <= 0x10FFFF && !(0xD800...0xDFFF).contains(v) }

    mutating func hex(min: Int, max: Int) -> UInt32? {
        var v: UInt32 = 0
        var n = 0
        while n < max, let c = peek(), let d = Self.hexValue(c) {
            v = v * 16 + d
            n += 1
            i += 1
        }
        return n >= min ? v : nil
    }

    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c.value {
        case 0x30...0x39: return c.value - 0x30
        case 0x41...0x46: return c.value - 0x41 + 10
        case 0x61...0x66: return c.value - 0x61 + 10
        default: return nil
        }
    }

    /// `[…]`; i is at the `[`. Conservative: nested sets, `&`, `--`, a `-` anywhere but first or last,
    /// `[:` and `[]` are refused.
    mutating func parseClass() -> ScalarRegexNode? {
        i += 1
        var spec = ScalarClassSpec()
        if eat("^") { spec.negated = true }
        // ICU reads `[:` as the start of a POSIX class `[:name:]` when a `:]` follows anywhere later in the
        // pattern; `[::]` (an empty name) and a `[:` with no `:]` after it are ordinary sets.
        if peek() == ":" {
            var j = i + 1
            while j + 1 < s.count, !(s[j] == ":" && s[j + 1] == "]") { j += 1 }
            if j + 1 < s.count, j != i + 1 { return nil }
        }
        var first = true
        while true {
            guard let c = peek() else { return nil }
            if first, c == "]" { return nil }
            if c == "]" { i += 1; break }
            if c == "[" || c == "&" { return nil }
            var literal: UInt32
            if c == "\\" {
                guard let e = parseEscape() else { return nil }
                switch e {
                case .props(let p):
                    spec.props |= p
                    first = false
                    continue
                case .char(let v):
                    literal = v
                }
            } else if c == "-" {
                if peek(1) == "-" { return nil }
                guard first || peek(1) == "]" else { return nil }
                literal = c.value
                i += 1
            } else {
                literal = c.value
                i += 1
            }
            first = false
            if peek() == "-", let after = peek(1), after != "]" {
                i += 1
                var hi: UInt32
                if after == "\\" {
                    guard case .char(let v)? = parseEscape() else { return nil }
                    hi = v
                } else {
                    if after == "[" || after == "-" || after == "&" { return nil }
                    hi = after.value
                    i += 1
                }
                guard literal <= hi else { return nil }
                spec.ranges.append(literal...hi)
            } else {
                spec.ranges.append(literal...literal)
            }
        }
        // An empty class never matches (ICU compiles it to a bare backtrack); refused for simplicity.
        if !spec.negated && spec.ranges.isEmpty && spec.props == 0 { return nil }
        if spec.negated && (spec.props & (spec.props >> 3) & 7) != 0 { return nil }
        classes.append(spec)
        return .cls(classes.count - 1)
    }
}

// MARK: - Program

enum ScalarRegexInst {
    case char(UInt32)
    /// A class: offset of its words in `classWords`.
    case cls(Int32)
    case any
    case caret
    case dollar
    /// Continue at pc+1; on backtrack resume at the target (ICU STATE_SAVE).
    case split(Int32)
    case jmp(Int32)
    /// Resume at pc+1 on backtrack; jump to the target now (ICU JMP_SAV).
    case jmpSav(Int32)
    /// slot = position (ICU STO_INP_LOC).
    case stoInp(Int32)
    /// Loop back to the target only if the iteration advanced past the slot (ICU JMP_SAV_X).
    case jmpSavX(Int32, Int32)
    /// The start of branch k of the leading alternation (`ScalarRegexProgram.branchLeads`): fails when an
    /// earlier attempt showed that the branch cannot match here.
    case branchGuard(Int32)
    /// A single-scalar item repeated: index into `reps`.
    case rep(Int32)
    /// Counted loop over a group: index into `ctrs` (ICU CTR_INIT(_NG) / CTR_LOOP(_NG)).
    case ctrInit(Int32)
    case ctrLoop(Int32)
    /// Capture slots base: [base] start, [base+1] end, [base+2] start in progress.
    case startCap(Int32)
    case endCap(Int32)
    case match
}

struct ScalarRegexRep {
    /// 0 scalar, 1 class, 2 dot.
    var kind: UInt8
    var value: UInt32
    var min: Int
    /// -1 unbounded.
    var max: Int
    var greedy: Bool
}

struct ScalarRegexCounter {
    var slot: Int32
    var min: Int
    var max: Int
    var body: Int32
    var exit: Int32
    var greedy: Bool
}

/// The compiled pattern, in memory allocated once and read without bounds checks or reference counting.
/// What any match through one branch of the leading alternation needs at its start position
/// (`ScalarRegexProgram.branchStarts`, `ScalarRegexCompiler.branchStarts`).
struct ScalarRegexBranchStart {
    /// The branch's first set as BMP bits (a scalar beyond the BMP passes); nil for a branch that can match
    /// empty.
    let first: [UInt64]?
    /// A scalar of this set (BMP bits) lies at most `window` scalars on (`Int.max`: somewhere after the
    /// start); nil: nothing known.
    let need: [UInt64]?
    /// See `need`.
    let window: Int
    /// `first` as its members when it is one or two named scalars (`电话|热线` starts with 电 or 热): the
    /// matcher finds them with `wmemchr`, several scalars per instruction, instead of a bit test per scalar.
    let firstScalars: [UInt32]?
    /// `need` as its members when it is one or two scalars (`@`, `[-—]`), found the same way.
    let needScalars: [UInt32]?

    init(first: ScalarRegexCompiler.FirstSet?, need: ScalarRegexCompiler.FirstSet?, window: Int) {
        self.first = first?.bmpBits()
        self.need = need?.bmpBits()
        self.window = window
        firstScalars = first?.members(limit: 2)
        needScalars = need?.members(limit: 2)
    }
}

final class ScalarRegexProgram: @unchecked Sendable {
    let insts: UnsafeMutableBufferPointer<ScalarRegexInst>
    /// Per class: 4 words of ASCII bits, flags (props bits 0–5, 0x40 every non-ASCII scalar, 0x80 negated),
    /// range count, then lo/hi pairs of non-ASCII ranges, sorted and disjoint.
    let classWords: UnsafeMutableBufferPointer<UInt32>
    let reps: UnsafeMutableBufferPointer<ScalarRegexRep>
    let ctrs: UnsafeMutableBufferPointer<ScalarRegexCounter>
    let slotCount: Int
    /// Class words offset of the set of scalars a match can start with; -1 when the pattern can match empty.
    let first: Int
    /// The same set over the BMP as bits (1024 words), so skipping impossible starts costs one test per scalar;
    /// it also admits unknown scalars when the set depends on \d \s \w. Nil when `first` is -1.
    let firstBits: UnsafeMutablePointer<UInt64>?
    /// Every match starts at the start of the input.
    let anchored: Bool
    /// The scalar class of a leading unbounded repetition (`[a-z]+@…`, `\w*x`), by which a failed attempt
    /// lets the search skip the rest of that run: 0 none, 1 the scalar `leadValue`, 2 the class at class-words
    /// offset `leadValue`, 3 any scalar but a line terminator.
    let leadKind: Int
    /// See `leadKind`.
    let leadValue: UInt32
    /// Per branch of the leading alternation (`(?:[a-z]+@…|\\d{4}…)`, the alternation every match starts in),
    /// the (kind, value) of the branch's leading unbounded repetition as in `leadKind`, kind 0 for a branch
    /// without one. A failed attempt at i whose scalar is in branch k's run shows that branch k fails
    /// everywhere up to the end of that run (`ScalarRegexCompiler.leadingRun`); its `branchGuard` then skips
    /// it there, while the other branches are still tried. Empty when there is no leading alternation.
    let branchLeads: [(kind: Int, value: UInt32)]
    /// Some class uses \d \s \w (and so reads the class tables).
    let usesProperties: Bool
    /// Per branch of the leading alternation (the whole pattern when there is none), what any match through
    /// it needs at its start position `at` (`ScalarRegexCompiler.branchStarts`): its first scalar in
    /// `first` (BMP bits; nil for a branch that can match empty), and a scalar of `need` (BMP bits) at most
    /// `window` scalars on (`need` nil: nothing known). A scalar beyond the BMP passes both tests. The find
    /// loop makes no attempt where no branch passes: the joined contact-block patterns on ten million
    /// digits tried `\d{4,5}[-—]…` at every one (about 20 steps each, 0.9 s against the rule's 200 ms),
    /// where no `-` or `—` is within 5 scalars.
    let branchStarts: [ScalarRegexBranchStart]
    /// `branchStarts`' bits flattened for the find loop: branch k's first set at `2k·1024`, its needed set at
    /// `(2k+1)·1024` (all ones where there is none).
    let startBits: UnsafeMutablePointer<UInt64>

    init(
        insts: [ScalarRegexInst], classWords: [UInt32], reps: [ScalarRegexRep], ctrs: [ScalarRegexCounter],
        slotCount: Int, first: Int, firstBits: [UInt64]?, anchored: Bool, usesProperties: Bool,
        lead: (Int, UInt32)? = nil, branchLeads: [(kind: Int, value: UInt32)] = [],
        branchStarts: [ScalarRegexBranchStart] = []
    ) {
        (leadKind, leadValue) = lead ?? (0, 0)
        self.branchLeads = branchLeads
        self.branchStarts = branchStarts
        let n = branchStarts.count
        startBits = .allocate(capacity: Swift.max(1, 2 * n * 1024))
        startBits.initialize(repeating: ~0, count: Swift.max(1, 2 * n * 1024))
        for (k, b) in branchStarts.enumerated() {
            if let f = b.first { for w in 0..<1024 { startBits[2 * k * 1024 + w] = f[w] } }
            if let f = b.need { for w in 0..<1024 { startBits[(2 * k + 1) * 1024 + w] = f[w] } }
        }
        func copy<T>(_ a: [T]) -> UnsafeMutableBufferPointer<T> {
            let p = UnsafeMutableBufferPointer<T>.allocate(capacity: Swift.max(1, a.count))
            _ = p.initialize(from: a)
            return p
        }
        self.insts = copy(insts)
        self.classWords = copy(classWords)
        self.reps = copy(reps)
        self.ctrs = copy(ctrs)
        self.slotCount = slotCount
        self.first = first
        self.firstBits = firstBits.map { copy($0).baseAddress! }
        self.anchored = anchored
        self.usesProperties = usesProperties
    }

    deinit {
        insts.deallocate()
        classWords.deallocate()
        reps.deallocate()
        ctrs.deallocate()
        firstBits?.deallocate()
        startBits.deallocate()
    }
}

// MARK: - Compiler

struct ScalarRegexCompiler {
    let classes: [ScalarClassSpec]
    let groupCount: Int
    var insts: [ScalarRegexInst] = []
    var classWords: [UInt32] = []
    var classOffsets: [Int32] = []
    var reps: [ScalarRegexRep] = []
    var ctrs: [ScalarRegexCounter] = []
    var slotCount: Int
    var failed = false

    init(classes: [ScalarClassSpec], groupCount: Int) {
        self.classes = classes
        self.groupCount = groupCount
        self.slotCount = 3 * groupCount
    }

    mutating func compile(_ root: ScalarRegexNode) -> ScalarRegexProgram? {
        var usesProperties = false
        for c in classes {
            classOffsets.append(Int32(classWords.count))
            classWords += Self.words(c, anyNonASCII: false)
            if c.props != 0 { usesProperties = true }
        }
        emitLeading(root)
        insts.append(.match)
        guard !failed, insts.count < 1 << 20 else { return nil }
        var first = -1
        var firstBits: [UInt64]?
        if !root.nullable {
            var f = FirstSet()
            f.add(root, classes)
            if f.props != 0 { usesProperties = true }
            first = classWords.count
            classWords += f.words()
            firstBits = f.bmpBits()
        }
        let classOffsets = self.classOffsets
        func lead(_ atom: ScalarRegexNode) -> (Int, UInt32) {
            switch atom {
            case .char(let v): return (1, v)
            case .cls(let k): return (2, UInt32(classOffsets[k]))
            default: return (3, 0)
            }
        }
        return ScalarRegexProgram(
            insts: insts, classWords: classWords, reps: reps, ctrs: ctrs, slotCount: slotCount,
            first: first, firstBits: firstBits, anchored: Self.anchored(root), usesProperties: usesProperties,
            lead: Self.leadingRun(root).map(lead),
            branchLeads: branchLeads.map { $0.map(lead).map { (kind: $0.0, value: $0.1) } ?? (kind: 0, value: 0) },
            branchStarts: Self.branchStarts(root, classes))
    }

    /// `ScalarRegexProgram.branchStarts`: for each branch, its first set, and the first scalar item after a
    /// prefix of bounded width that every match of the branch goes through (`\d{4,5}[-—]…`: `[-—]` within
    /// 5 of the start), when that item is a set of scalars named in the pattern (no `.`, negated class or
    /// \d \s \w, which would admit nearly everything). Empty when no branch has such an item: the loop
    /// then does as before.
    static func branchStarts(
        _ root: ScalarRegexNode, _ classes: [ScalarClassSpec]
    ) -> [ScalarRegexBranchStart] {
        let branches = leadingAlternation(root) ?? [root]
        var any = false
        let out = branches.map { b -> ScalarRegexBranchStart in
            var first: FirstSet?
            if !b.nullable {
                var f = FirstSet()
                f.add(b, classes)
                first = f
            }
            // The prefix before the needed item may be unbounded (`[a-z]+@…`): the item is still in every
            // match, somewhere after its start (window `Int.max`).
            var width = 0
            for (k, item) in items(b).enumerated() {
                if k > 0, let atom = singleScalar(item), let named = namedSet(atom, classes) {
                    any = true
                    return ScalarRegexBranchStart(first: first, need: named, window: width)
                }
                if width == Int.max { continue }
                guard let w = maxWidth(item) else {
                    width = Int.max
                    continue
                }
                width += w
            }
            return ScalarRegexBranchStart(first: first, need: nil, window: 0)
        }
        return any ? out : []
    }

    /// The items of a branch in order: a concatenation's, through groups.
    static func items(_ n: ScalarRegexNode) -> [ScalarRegexNode] {
        switch n {
        case .concat(let xs): return xs
        case .group(let x, _): return items(x)
        default: return [n]
        }
    }

    /// The BMP bits of a single-scalar item whose scalars the pattern names (a literal, a class of
    /// literals and ranges); nil for `.` and classes that are negated or use \d \s \w.
    static func namedSet(_ atom: ScalarRegexNode, _ classes: [ScalarClassSpec]) -> FirstSet? {
        switch atom {
        case .char: break
        case .cls(let k): if classes[k].negated || classes[k].props != 0 { return nil }
        default: return nil
        }
        var f = FirstSet()
        f.add(atom, classes)
        return f.anyNonASCII ? nil : f
    }

    /// The most scalars a node matches; nil when unbounded.
    static func maxWidth(_ n: ScalarRegexNode) -> Int? {
        switch n {
        case .empty, .caret, .dollar: return 0
        case .char, .cls, .dot: return 1
        case .concat(let xs):
            var w = 0
            for x in xs {
                guard let v = maxWidth(x) else { return nil }
                w += v
            }
            return w
        case .alt(let xs):
            var w = 0
            for x in xs {
                guard let v = maxWidth(x) else { return nil }
                w = Swift.max(w, v)
            }
            return w
        case .group(let x, _): return maxWidth(x)
        case .rep(let x, let q, _):
            guard q.max >= 0, let v = maxWidth(x) else { return nil }
            return v * q.max
        }
    }

    /// The leading runs of the branches of the leading alternation, once `emitLeading` has found it.
    var branchLeads: [ScalarRegexNode?] = []

    /// The alternation every match starts in: the root, or the first item of the root's concatenation,
    /// through groups (`(?:a+b|\\d{4})`, `(?:电话|[a-z]+)\\d`); nil when there is none.
    static func leadingAlternation(_ n: ScalarRegexNode) -> [ScalarRegexNode]? {
        switch n {
        case .alt(let xs): return xs
        case .group(let x, _): return leadingAlternation(x)
        case .concat(let xs): return xs.first.flatMap(leadingAlternation)
        default: return nil
        }
    }

    /// Emits `n` as `emit` does, with a `branchGuard` at the start of each branch of the leading alternation
    /// that begins with an unbounded repetition (`leadingRun`). Every attempt reaches those branch starts at
    /// its start position: nothing before them consumes a scalar.
    mutating func emitLeading(_ n: ScalarRegexNode) {
        guard let branches = Self.leadingAlternation(n) else { return emit(n) }
        let runs = branches.map(Self.leadingRun)
        guard runs.contains(where: { $0 != nil }) else { return emit(n) }
        branchLeads = runs
        emitGuarded(n)
    }

    /// `emit`, down the path to the leading alternation, whose branches get their guards.
    private mutating func emitGuarded(_ n: ScalarRegexNode) {
        switch n {
        case .alt(let xs):
            var jumps = [Int]()
            for (k, x) in xs.enumerated() {
                let split = insts.count
                let last = k == xs.count - 1
                if !last { insts.append(.split(0)) }
                if branchLeads[k] != nil { insts.append(.branchGuard(Int32(k))) }
                emit(x)
                if !last {
                    jumps.append(insts.count)
                    insts.append(.jmp(0))
                    insts[split] = .split(here)
                }
            }
            for j in jumps { insts[j] = .jmp(here) }
        case .group(let x, let capture):
            if let g = capture {
                let base = Int32(3 * (g - 1))
                insts.append(.startCap(base))
                emitGuarded(x)
                insts.append(.endCap(base))
            } else {
                emitGuarded(x)
            }
        case .concat(let xs):
            emitGuarded(xs[0])
            for x in xs.dropFirst() { emit(x) }
        default:
            emit(n)
        }
    }

    /// The atom of an unbounded repetition every match starts with (`C*`, `C+`, `C{n,}`, greedy or lazy,
    /// perhaps in a group), or nil. When an attempt at i fails and the scalar at i is in C, attempts at i+1 …
    /// up to the end of that run of C fail too: the repetition can end at no place an attempt at i did not
    /// try, and what follows it depends only on that place (the engine has no back references or lookbehind).
    /// The find loop skips them, so a long run (a line of letters before an e-mail pattern's @) is linear.
    static func leadingRun(_ n: ScalarRegexNode) -> ScalarRegexNode? {
        switch n {
        case .concat(let xs): return xs.first.flatMap(leadingRun)
        case .group(let x, _): return leadingRun(x)
        case .rep(let x, let q, _):
            guard q.max == -1, let atom = singleScalar(x) else { return nil }
            return atom
        default: return nil
        }
    }

    static func anchored(_ n: ScalarRegexNode) -> Bool {
        switch n {
        case .caret: return true
        case .concat(let xs): return xs.first.map(anchored) ?? false
        case .group(let x, _): return anchored(x)
        case .alt(let xs): return xs.allSatisfy(anchored)
        default: return false
        }
    }

    /// The class words for a spec (see `ScalarRegexProgram.classWords`).
    static func words(_ c: ScalarClassSpec, anyNonASCII: Bool) -> [UInt32] {
        var ascii = [UInt32](repeating: 0, count: 4)
        for v in UInt32(0)..<128 where c.contains(v) { ascii[Int(v >> 5)] |= 1 << (v & 31) }
        let ranges = mergedNonASCII(c.ranges)
        var w = ascii
        w.append(UInt32(c.props) | (anyNonASCII ? 0x40 : 0) | (c.negated ? 0x80 : 0))
        w.append(UInt32(ranges.count))
        for r in ranges { w += [r.lowerBound, r.upperBound] }
        return w
    }

    static func mergedNonASCII(_ rs: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
        var out = [ClosedRange<UInt32>]()
        for r in rs.filter({ $0.upperBound >= 128 }).map({ Swift.max(128, $0.lowerBound)...$0.upperBound })
            .sorted(by: { $0.lowerBound < $1.lowerBound })
        {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
                out[out.count - 1] = last.lowerBound...Swift.max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// The scalars a non-empty match can start with (a superset is fine).
    struct FirstSet {
        var ascii = [UInt32](repeating: 0, count: 4)
        var ranges: [ClosedRange<UInt32>] = []
        var props: UInt8 = 0
        var anyNonASCII = false

        mutating func addASCII(_ member: (UInt32) -> Bool) {
            for v in UInt32(0)..<128 where member(v) { ascii[Int(v >> 5)] |= 1 << (v & 31) }
        }

        /// Adds the first scalars of n; returns whether n can match empty (so what follows adds too).
        @discardableResult
        mutating func add(_ n: ScalarRegexNode, _ classes: [ScalarClassSpec]) -> Bool {
            switch n {
            case .empty, .caret, .dollar: return true
            case .char(let v):
                if v < 128 { ascii[Int(v >> 5)] |= 1 << (v & 31) } else { ranges.append(v...v) }
                return false
            case .dot:
                addASCII { !($0 >= 0x0A && $0 <= 0x0D) }
                anyNonASCII = true
                return false
            case .cls(let k):
                let c = classes[k]
                addASCII(c.contains)
                if c.negated || c.props & 0x38 != 0 {
                    anyNonASCII = true
                } else {
                    ranges += c.ranges
                    props |= c.props
                }
                return false
            case .concat(let xs):
                for x in xs {
                    if !add(x, classes) { return false }
                }
                return true
            case .alt(let xs):
                var nullable = false
                for x in xs {
                    if add(x, classes) { nullable = true }
                }
                return nullable
            case .group(let x, _):
                return add(x, classes)
            case .rep(let x, let q, _):
                if q.max == 0 { return true }
                return add(x, classes) || q.min == 0
            }
        }

        /// Every member, when the set is exactly a few named scalars (at most `limit`): no `.`, negated
        /// class or \\d \\s \\w. Nil otherwise.
        func members(limit: Int) -> [UInt32]? {
            guard !anyNonASCII, props == 0 else { return nil }
            var out = [UInt32]()
            for v in UInt32(0)..<128 where ascii[Int(v >> 5)] >> (v & 31) & 1 != 0 {
                out.append(v)
                if out.count > limit { return nil }
            }
            for r in ScalarRegexCompiler.mergedNonASCII(ranges) {
                guard r.count <= limit - out.count else { return nil }
                out += Array(r)
            }
            return out
        }

        /// The set over the BMP as 1024 words of bits.
        func bmpBits() -> [UInt64] {
            var bits = [UInt64](repeating: 0, count: 1024)
            bits[0] = UInt64(ascii[0]) | UInt64(ascii[1]) << 32
            bits[1] = UInt64(ascii[2]) | UInt64(ascii[3]) << 32
            if anyNonASCII {
                for k in 2..<1024 { bits[k] = ~0 }
                return bits
            }
            for r in ScalarRegexCompiler.mergedNonASCII(ranges) where r.lowerBound < 0x10000 {
                for v in r.lowerBound...Swift.min(r.upperBound, 0xFFFF) { bits[Int(v >> 6)] |= 1 << UInt64(v & 63) }
            }
            if props & 7 != 0 {
                let table = ScalarClassFlags.bmpBits
                for (k, flag) in [1, 2, 4, 8].enumerated() where UInt8(flag) & (props | 8) != 0 {
                    for w in 2..<1024 { bits[w] |= table[k * 1024 + w] }
                }
            }
            return bits
        }

        func words() -> [UInt32] {
            var w = ascii
            if anyNonASCII {
                w += [0x40, 0]
                return w
            }
            let rs = ScalarRegexCompiler.mergedNonASCII(ranges)
            w.append(UInt32(props))
            w.append(UInt32(rs.count))
            for r in rs { w += [r.lowerBound, r.upperBound] }
            return w
        }
    }

    mutating func newSlots(_ n: Int) -> Int32 {
        slotCount += n
        return Int32(slotCount - n)
    }

    var here: Int32 { Int32(insts.count) }

    static func singleScalar(_ n: ScalarRegexNode) -> ScalarRegexNode? {
        switch n {
        case .char, .cls, .dot: return n
        case .group(let x, nil): return singleScalar(x)
        default: return nil
        }
    }

    mutating func emit(_ n: ScalarRegexNode) {
        switch n {
        case .empty:
            break
        case .char(let v):
            insts.append(.char(v))
        case .cls(let k):
            insts.append(.cls(classOffsets[k]))
        case .dot:
            insts.append(.any)
        case .caret:
            insts.append(.caret)
        case .dollar:
            insts.append(.dollar)
        case .concat(let xs):
            for x in xs { emit(x) }
        case .alt(let xs):
            // ICU: STATE_SAVE next; branch; JMP end; … ; last branch.
            var jumps = [Int]()
            for (k, x) in xs.enumerated() {
                if k == xs.count - 1 {
                    emit(x)
                } else {
                    let split = insts.count
                    insts.append(.split(0))
                    emit(x)
                    jumps.append(insts.count)
                    insts.append(.jmp(0))
                    insts[split] = .split(here)
                }
            }
            for j in jumps { insts[j] = .jmp(here) }
        case .group(let x, let capture):
            if let g = capture {
                let base = Int32(3 * (g - 1))
                insts.append(.startCap(base))
                emit(x)
                insts.append(.endCap(base))
            } else {
                emit(x)
            }
        case .rep(let x, let q, let greedy):
            emitRepeat(x, q, greedy)
        }
    }

    mutating func emitRepeat(_ x: ScalarRegexNode, _ q: ScalarRegexQuantifier, _ greedy: Bool) {
        // {0} and {0}? match nothing (ICU discards the block); its groups stay unset.
        if q.max == 0 { return }
        if let one = Self.singleScalar(x) {
            let rep: ScalarRegexRep
            switch one {
            case .char(let v): rep = ScalarRegexRep(kind: 0, value: v, min: q.min, max: q.max, greedy: greedy)
            case .cls(let k):
                rep = ScalarRegexRep(kind: 1, value: UInt32(classOffsets[k]), min: q.min, max: q.max, greedy: greedy)
            default: rep = ScalarRegexRep(kind: 2, value: 0, min: q.min, max: q.max, greedy: greedy)
            }
            reps.append(rep)
            insts.append(.rep(Int32(reps.count - 1)))
            return
        }
        let nullable = x.nullable
        // The body of a greedy * or +: body, then back to the top (a body that can match empty first
        // stores the input position, and leaves the loop when an iteration did not move it).
        func emitGreedyLoop() {
            if nullable {
                let slot = newSlots(1)
                insts.append(.stoInp(slot))
                let top = here
                emit(x)
                insts.append(.jmpSavX(top, slot))
            } else {
                let top = here
                emit(x)
                insts.append(.jmpSav(top))
            }
        }
        switch (q, greedy) {
        case (.opt, true), (.interval(0, 1), true):
            // ICU doOpt (and an inline {0,1}): STATE_SAVE end; body.
            let split = insts.count
            insts.append(.split(0))
            emit(x)
            insts[split] = .split(here)
        case (.interval(1, 1), true):
            emit(x)
        case (.opt, false):
            // ICU doNGOpt: the continuation first, then the body.
            let j = insts.count
            insts.append(.jmpSav(0))
            emit(x)
            insts[j] = .jmpSav(here)
        case (.star, true):
            let split = insts.count
            insts.append(.split(0))
            emitGreedyLoop()
            insts[split] = .split(here)
        case (.plus, true):
            emitGreedyLoop()
        case (.star, false):
            // ICU doNGStar: JMP test; body; test: STATE_SAVE body. Unguarded against empty iterations.
            guard !nullable else { failed = true; return }
            let j = insts.count
            insts.append(.jmp(0))
            let top = here
            emit(x)
            insts[j] = .jmp(here)
            insts.append(.split(top))
        case (.plus, false):
            guard !nullable else { failed = true; return }
            let top = here
            emit(x)
            insts.append(.split(top))
        case (.interval(let lo, let hi), _):
            let slot = newSlots(2)
            let k = ctrs.count
            ctrs.append(ScalarRegexCounter(slot: slot, min: lo, max: hi, body: 0, exit: 0, greedy: greedy))
            insts.append(.ctrInit(Int32(k)))
            ctrs[k].body = here
            emit(x)
            insts.append(.ctrLoop(Int32(k)))
            ctrs[k].exit = here
        }
    }
}

// MARK: - Matcher

struct ScalarRegexMatcher {
    struct Frame {
        /// 0 resume, 1 undo a slot write, 2 give back one scalar of a greedy rep, 3 take one more for a lazy rep.
        var kind: Int
        var pc: Int
        var pos: Int
        var aux: Int
    }

    let p: ScalarRegexProgram
    let insts: UnsafeMutablePointer<ScalarRegexInst>
    let words: UnsafeMutablePointer<UInt32>
    let reps: UnsafeMutablePointer<ScalarRegexRep>
    let ctrs: UnsafeMutablePointer<ScalarRegexCounter>
    let s: UnsafePointer<UInt32>
    let start: Int
    let end: Int
    let groupCount: Int
    let bmp: UnsafePointer<UInt8>
    let slots: UnsafeMutablePointer<Int>
    var stack: UnsafeMutablePointer<Frame>
    var capacity = 64
    var sp = 0
    var steps = 0
    /// Past this many steps the call goes to ICU (exceeded).
    let stepBudget: Int
    /// Per branch of the leading alternation: no attempt before this position can match through it
    /// (`ScalarRegexProgram.branchLeads`).
    let deadUntil: UnsafeMutablePointer<Int>
    /// Per branch with a `need` (`ScalarRegexProgram.branchStarts`): the first position at or after the last
    /// one asked about holding a needed scalar (or `end`); -1 before the first question.
    var nextNeed: [Int]
    /// Per branch with a first set: the first position at or after the last one asked about whose scalar is
    /// in it (or `end`); -1 before the first question.
    var nextFirst: [Int]
    /// Per branch, two entries for the members of its `needScalars` and `firstScalars`
    /// (`ScalarRegexBranchStart`): the first position at or after the last one asked about holding that
    /// scalar (or `end`); -1 before the first question. Each member's own position, so a search for `-` or
    /// `—` does not scan again for the one that is far off every time the near one is passed.
    let needAt: UnsafeMutablePointer<Int>
    /// See `needAt`.
    let firstAt: UnsafeMutablePointer<Int>
    /// The caller's time for the search, read every `clockEvery` steps; nil: untimed.
    let clock: ScalarRegexClock?
    /// The step count at which the budget and the clock are looked at next.
    var checkAt: Int
    static let clockEvery = 4096
    var exceeded = false
    /// A class needed the class of a scalar unassigned in the tables' Unicode version (ICU's answer may differ).
    var uncertain = false

    /// About 8 MB of frames, ICU's default backtracking stack limit; past it the call goes to ICU.
    static let maxFrames = 1 << 18

    init(
        _ p: ScalarRegexProgram, _ s: UnsafePointer<UInt32>, _ start: Int, _ end: Int, _ groupCount: Int,
        clock: ScalarRegexClock? = nil
    ) {
        self.p = p
        self.insts = p.insts.baseAddress!
        self.words = p.classWords.baseAddress!
        self.reps = p.reps.baseAddress!
        self.ctrs = p.ctrs.baseAddress!
        self.s = s
        self.start = start
        self.end = end
        self.groupCount = groupCount
        // The table is built on first use; patterns without \d \s \w never read it.
        self.bmp = p.usesProperties ? ScalarClassFlags.bmp : ScalarClassFlags.none
        self.slots = .allocate(capacity: Swift.max(1, p.slotCount))
        self.deadUntil = .allocate(capacity: Swift.max(1, p.branchLeads.count))
        self.deadUntil.initialize(repeating: 0, count: Swift.max(1, p.branchLeads.count))
        self.stack = .allocate(capacity: 64)
        self.nextNeed = [Int](repeating: -1, count: p.branchStarts.count)
        self.nextFirst = [Int](repeating: -1, count: p.branchStarts.count)
        self.needAt = .allocate(capacity: Swift.max(1, 2 * p.branchStarts.count))
        self.needAt.initialize(repeating: -1, count: Swift.max(1, 2 * p.branchStarts.count))
        self.firstAt = .allocate(capacity: Swift.max(1, 2 * p.branchStarts.count))
        self.firstAt.initialize(repeating: -1, count: Swift.max(1, 2 * p.branchStarts.count))
        self.stepBudget = 100_000 + 400 * (end - start)
        self.clock = clock
        self.checkAt = clock == nil ? stepBudget : Swift.min(stepBudget, Self.clockEvery)
    }

    func release() {
        slots.deallocate()
        deadUntil.deallocate()
        needAt.deallocate()
        firstAt.deallocate()
        stack.deallocate()
    }

    @inline(__always)
    static func isLineTerminator(_ c: UInt32) -> Bool {
        (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029
    }

    @inline(__always)
    mutating func member(_ v: UInt32, _ off: Int) -> Bool {
        let w = words + off
        if v < 128 { return (w[Int(v >> 5)] >> (v & 31)) & 1 != 0 }
        let flags = w[4]
        if flags & 0x40 != 0 { return true }
        let n = Int(w[5])
        var hit = false
        if n > 0 {
            var lo = 0
            var hi = n - 1
            while lo <= hi {
                let mid = (lo + hi) >> 1
                if v < w[6 + 2 * mid] {
                    hi = mid - 1
                } else if v > w[7 + 2 * mid] {
                    lo = mid + 1
                } else {
                    hit = true; break
                }
            }
        }
        if !hit && flags & 0x3F != 0 {
            let f = UInt32(ScalarClassFlags.flags(v, bmp))
            if f & UInt32(ScalarClassFlags.unknown) != 0 { uncertain = true }
            hit = (f & flags & 7) != 0 || (~f & (flags >> 3) & 7) != 0
        }
        return hit != (flags & 0x80 != 0)
    }

    @inline(__always)
    mutating func atom(_ r: ScalarRegexRep, _ v: UInt32) -> Bool {
        switch r.kind {
        case 0: return v == r.value
        case 1: return member(v, Int(r.value))
        default: return !Self.isLineTerminator(v)
        }
    }

    /// ICU's `$` without MULTILINE: at the end, before a final line terminator (not between CR and LF), or before a final CRLF.
    @inline(__always)
    func dollar(_ pos: Int) -> Bool {
        if pos >= end { return true }
        let c = s[pos]
        if pos + 1 >= end {
            guard Self.isLineTerminator(c) else { return false }
            return !(c == 0x0A && pos > start && s[pos - 1] == 0x0D)
        }
        return c == 0x0D && s[pos + 1] == 0x0A && pos + 2 >= end
    }

    @inline(__always)
    mutating func push(_ kind: Int, _ pc: Int, _ pos: Int, _ aux: Int) {
        if sp == capacity {
            let bigger = UnsafeMutablePointer<Frame>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: stack, count: sp)
            stack.deallocate()
            stack = bigger
            capacity *= 2
        }
        stack[sp] = Frame(kind: kind, pc: pc, pos: pos, aux: aux)
        sp += 1
    }

    @inline(__always)
    mutating func set(_ slot: Int, _ value: Int) {
        if sp > 0 { push(1, slot, slots[slot], 0) }
        slots[slot] = value
    }

    /// Runs the program at one start position; the match end, or nil.
    mutating func attempt(_ at: Int) -> Int? {
        sp = 0
        for k in 0..<p.slotCount { slots[k] = -1 }
        var pc = 0
        var pos = at
        while true {
            steps &+= 1
            if steps > checkAt || sp > Self.maxFrames {
                // One comparison per step on the hot path; the budget, the frames and the clock are looked at here.
                if steps > stepBudget || sp > Self.maxFrames {
                    exceeded = true
                    return nil
                }
                if let clock, clock.isOut() {
                    exceeded = true
                    return nil
                }
                checkAt = Swift.min(stepBudget, steps + Self.clockEvery)
            }
            var ok = true
            switch insts[pc] {
            case .char(let c):
                if pos < end && s[pos] == c { pos += 1; pc += 1 } else { ok = false }
            case .cls(let off):
                if pos < end && member(s[pos], Int(off)) { pos += 1; pc += 1 } else { ok = false }
            case .any:
                if pos < end && !Self.isLineTerminator(s[pos]) { pos += 1; pc += 1 } else { ok = false }
            case .caret:
                if pos == start { pc += 1 } else { ok = false }
            case .dollar:
                if dollar(pos) { pc += 1 } else { ok = false }
            case .split(let t):
                push(0, Int(t), pos, 0)
                pc += 1
            case .jmp(let t):
                pc = Int(t)
            case .jmpSav(let t):
                push(0, pc + 1, pos, 0)
                pc = Int(t)
            case .stoInp(let k):
                set(Int(k), pos)
                pc += 1
            case .branchGuard(let k):
                if deadUntil[Int(k)] > pos { ok = false } else { pc += 1 }
            case .jmpSavX(let t, let k):
                if slots[Int(k)] < pos {
                    push(0, pc + 1, pos, 0)
                    set(Int(k), pos)
                    pc = Int(t)
                } else {
                    pc += 1
                }
            case .rep(let ri):
                let r = reps[Int(ri)]
                let room = end - pos
                let most = r.max < 0 ? room : Swift.min(r.max, room)
                var n = 0
                if r.greedy {
                    while n < most && atom(r, s[pos + n]) { n += 1 }
                    if n < r.min { ok = false; break }
                    if n > r.min { push(2, pc, pos + n, pos + r.min) }
                    pos += n
                } else {
                    while n < r.min && n < most && atom(r, s[pos + n]) { n += 1 }
                    if n < r.min { ok = false; break }
                    pos += n
                    if n < most { push(3, pc, pos, pos + (most - n)) }
                }
                pc += 1
            case .ctrInit(let ci):
                let c = ctrs[Int(ci)]
                let k = Int(c.slot)
                set(k, 0)
                if c.greedy {
                    if c.min == 0 { push(0, Int(c.exit), pos, 0) }
                    if c.max == -1 { set(k + 1, pos) }
                    pc = Int(c.body)
                } else {
                    if c.max == -1 { set(k + 1, pos) }
                    if c.min == 0 {
                        push(0, Int(c.body), pos, 0)
                        pc = Int(c.exit)
                    } else {
                        pc = Int(c.body)
                    }
                }
            case .ctrLoop(let ci):
                let c = ctrs[Int(ci)]
                let k = Int(c.slot)
                let count = slots[k] + 1
                set(k, count)
                if c.max != -1 && count >= c.max {
                    pc = Int(c.exit)
                } else if c.greedy {
                    if count >= c.min {
                        if c.max == -1 {
                            if pos == slots[k + 1] { pc = Int(c.exit); break }
                            set(k + 1, pos)
                        }
                        push(0, Int(c.exit), pos, 0)
                    }
                    pc = Int(c.body)
                } else {
                    if count < c.min {
                        pc = Int(c.body)
                    } else {
                        if c.max == -1 {
                            if pos == slots[k + 1] { pc = Int(c.exit); break }
                            set(k + 1, pos)
                        }
                        push(0, Int(c.body), pos, 0)
                        pc = Int(c.exit)
                    }
                }
            case .startCap(let b):
                set(Int(b) + 2, pos)
                pc += 1
            case .endCap(let b):
                set(Int(b), slots[Int(b) + 2])
                set(Int(b) + 1, pos)
                pc += 1
            case .match:
                return pos
            }
            if ok { continue }
            // Backtrack to the most recent saved state, undoing slot writes on the way.
            var resumed = false
            while sp > 0 && !resumed {
                sp -= 1
                let f = stack[sp]
                switch f.kind {
                case 1:
                    slots[f.pc] = f.pos
                case 0:
                    pc = f.pc
                    pos = f.pos
                    resumed = true
                case 2:
                    pos = f.pos - 1
                    if pos > f.aux { stack[sp] = Frame(kind: 2, pc: f.pc, pos: pos, aux: f.aux); sp += 1 }
                    pc = f.pc + 1
                    resumed = true
                default:
                    guard case .rep(let ri) = insts[f.pc] else { break }
                    if f.pos < f.aux && atom(reps[Int(ri)], s[f.pos]) {
                        pos = f.pos + 1
                        if pos < f.aux { stack[sp] = Frame(kind: 3, pc: f.pc, pos: pos, aux: f.aux); sp += 1 }
                        pc = f.pc + 1
                        resumed = true
                    }
                }
            }
            if !resumed { return nil }
        }
    }

    /// Whether `v` is in the class of the pattern's leading repetition (`ScalarRegexProgram.leadKind`).
    @inline(__always)
    mutating func inLeadingRun(_ v: UInt32) -> Bool {
        inRun(p.leadKind, p.leadValue, v)
    }

    /// Whether `v` is in a leading repetition's class given as (kind, value) (`ScalarRegexProgram.leadKind`).
    @inline(__always)
    mutating func inRun(_ kind: Int, _ value: UInt32, _ v: UInt32) -> Bool {
        switch kind {
        case 1: return v == value
        case 2: return member(v, Int(value))
        default: return !Self.isLineTerminator(v)
        }
    }

    /// After a failed attempt at `at`: each guarded branch that was tried there and whose run class holds
    /// the scalar at `at` fails up to the end of that run (`ScalarRegexCompiler.leadingRun`, per branch).
    mutating func markDeadBranches(_ at: Int) {
        guard at < end else { return }
        let v = s[at]
        for (k, lead) in p.branchLeads.enumerated() where lead.kind != 0 && deadUntil[k] <= at {
            guard inRun(lead.kind, lead.value, v) else { continue }
            var e = at + 1
            while e < end, inRun(lead.kind, lead.value, s[e]) { e += 1 }
            deadUntil[k] = e
        }
    }

    /// `at` when some branch may match there (`ScalarRegexProgram.branchStarts`), else the first position
    /// after it where one may (`end + 1` for none): a branch can start a match only where its first set
    /// holds the scalar, where no failed attempt has shown it dead (`deadUntil`), and where a needed scalar
    /// lies within its window, so the least over the branches of the last of those three bounds is the next
    /// place to try. Positions only grow during a search, so each branch's next first and next needed
    /// scalar are found by forward scans over the whole search (a few bit tests per scalar and branch).
    mutating func nextStart(_ at: Int) -> Int {
        let bits = p.startBits
        @inline(__always) func has(_ base: Int, _ v: UInt32) -> Bool {
            v >= 0x10000 || (bits[base + Int(v >> 6)] >> UInt64(v & 63)) & 1 != 0
        }
        var next = end + 1
        for k in 0..<p.branchStarts.count {
            let b = p.branchStarts[k]
            // A needed scalar that is nowhere after an earlier position: no match through this branch any
            // more (the e-mail branch of the contact patterns, on a text without `@`).
            if b.need != nil, nextNeed[k] >= end { continue }
            var lb = at
            if k < p.branchLeads.count, p.branchLeads[k].kind != 0 { lb = Swift.max(lb, deadUntil[k]) }
            if b.first != nil {
                if nextFirst[k] < lb {
                    if let list = b.firstScalars {
                        nextFirst[k] = find(list, firstAt + 2 * k, from: lb)
                    } else {
                        var q = lb
                        while q < end, !has(2 * k * 1024, s[q]) { q += 1 }
                        steps += (q - lb) >> 4
                        nextFirst[k] = q
                    }
                }
                if nextFirst[k] >= end { continue }
                lb = Swift.max(lb, nextFirst[k])
            }
            if b.need != nil {
                if nextNeed[k] < lb {
                    if let list = b.needScalars {
                        nextNeed[k] = find(list, needAt + 2 * k, from: lb)
                    } else {
                        var q = lb
                        while q < end, !has((2 * k + 1) * 1024, s[q]) { q += 1 }
                        steps += (q - lb) >> 4
                        nextNeed[k] = q
                    }
                }
                if nextNeed[k] >= end { continue }
                lb = Swift.max(lb, nextNeed[k] - b.window)
            }
            if lb == at { return at }
            next = Swift.min(next, lb)
        }
        return next
    }

    /// The first position at or after `lb` holding one of `list` (one or two scalars), or `end`; `at` holds
    /// each member's last answer (see `needAt`), so each member's scans over one search add up to one pass.
    @inline(__always)
    mutating func find(_ list: [UInt32], _ at: UnsafeMutablePointer<Int>, from lb: Int) -> Int {
        var best = end
        for j in list.indices {
            if at[j] < lb {
                var q = end
                if lb < end {
                    if let hit = assay_find_unit(s + lb, list[j], end - lb) { q = hit - s }
                }
                steps += (q - lb) >> 6
                at[j] = q
            }
            best = Swift.min(best, at[j])
        }
        return best
    }

    /// ICU's find loop: each search starts where the last match ended, one scalar further after an empty one.
    mutating func run(limit: Int) -> [ScalarRegexMatch]? {
        var out = [ScalarRegexMatch]()
        var from = start
        let first = p.first
        let firstBits = p.firstBits
        search: while from <= end && out.count < limit {
            var at = from
            while true {
                if let firstBits {
                    while at < end {
                        let v = s[at]
                        if v < 0x10000 {
                            if (firstBits[Int(v >> 6)] >> UInt64(v & 63)) & 1 != 0 { break }
                        } else if member(v, first) {
                            break
                        }
                        at += 1
                    }
                    if at >= end { break search }
                }
                if p.anchored && at != start { break search }
                if !p.branchStarts.isEmpty {
                    let next = nextStart(at)
                    if next != at {
                        // No branch can match before `next`: no attempt there (ICU's would fail, changing nothing).
                        at = next
                        if at > end { break search }
                        continue
                    }
                }
                if let e = attempt(at) {
                    var groups = [Range<Int>?]()
                    if groupCount > 0 {
                        groups.reserveCapacity(groupCount)
                        for g in 0..<groupCount {
                            let a = slots[3 * g]
                            let b = slots[3 * g + 1]
                            groups.append(a >= 0 && b >= a ? a..<b : nil)
                        }
                    }
                    out.append(ScalarRegexMatch(range: at..<e, groups: groups))
                    if e == at {
                        if e >= end { break search }
                        from = e + 1
                    } else {
                        from = e
                    }
                    continue search
                }
                if exceeded || uncertain { return nil }
                if !p.branchLeads.isEmpty {
                    markDeadBranches(at)
                    if uncertain { return nil }
                }
                if p.leadKind != 0, at < end, inLeadingRun(s[at]) {
                    // No attempt inside this run can succeed (`ScalarRegexCompiler.leadingRun`).
                    at += 1
                    while at < end, inLeadingRun(s[at]) { at += 1 }
                    if uncertain { return nil }
                } else {
                    at += 1
                }
                if at > end { break search }
            }
        }
        return uncertain ? nil : out
    }
}

typealias ScalarRegexMatch = ScalarRegex.Match

// MARK: - Unicode data

/// ICU's `\d` (General_Category Nd), `\s` (White_Space), `\w` ([\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\u200C\u200D]) and the
/// assigned code points (not Cn), Unicode 16.0, as hexadecimal code points and ranges `lo-hi`. Generated from
/// NSRegularExpression by ScalarRegexTests.unicodeTablesAreICUs, which prints them again if ICU's data changes.
enum ScalarClassData {
    static let digit = """
        30-39 660-669 6f0-6f9 7c0-7c9 966-96f 9e6-9ef a66-a6f ae6-aef b66-b6f be6-bef c66-c6f ce6-cef d66-d6f de6-def
        e50-e59 ed0-ed9 f20-f29 1040-1049 1090-1099 17e0-17e9 1810-1819 1946-194f 19d0-19d9 1a80-1a89 1a90-1a99 1b50-1b59
        1bb0-1bb9 1c40-1c49 1c50-1c59 a620-a629 a8d0-a8d9 a900-a909 a9d0-a9d9 a9f0-a9f9 aa50-aa59 abf0-abf9 ff10-ff19
        104a0-104a9 10d30-10d39 10d40-10d49 11066-1106f 110f0-110f9 11136-1113f 111d0-111d9 112f0-112f9 11450-11459
        114d0-114d9 11650-11659 116c0-116c9 116d0-116e3 11730-11739 118e0-118e9 11950-11959 11bf0-11bf9 11c50-11c59
        11d50-11d59 11da0-11da9 11f50-11f59 16130-16139 16a60-16a69 16ac0-16ac9 16b50-16b59 16d70-16d79 1ccf0-1ccf9
        1d7ce-1d7ff 1e140-1e149 1e2f0-1e2f9 1e4f0-1e4f9 1e5f1-1e5fa 1e950-1e959 1fbf0-1fbf9
        """
    static let space = """
        9-d 20 85 a0 1680 2000-200a 2028-2029 202f 205f 3000
        """
    static let word = """
        30-39 41-5a 5f 61-7a aa b5 ba c0-d6 d8-f6 f8-2c1 2c6-2d1 2e0-2e4 2ec 2ee 300-374 376-377 37a-37d 37f 386 388-38a 38c
        38e-3a1 3a3-3f5 3f7-481 483-52f 531-556 559 560-588 591-5bd 5bf 5c1-5c2 5c4-5c5 5c7 5d0-5ea 5ef-5f2 610-61a 620-669
        66e-6d3 6d5-6dc 6df-6e8 6ea-6fc 6ff 710-74a 74d-7b1 7c0-7f5 7fa 7fd 800-82d 840-85b 860-86a 870-887 889-88e 897-8e1
        8e3-963 966-96f 971-983 985-98c 98f-990 993-9a8 9aa-9b0 9b2 9b6-9b9 9bc-9c4 9c7-9c8 9cb-9ce 9d7 9dc-9dd 9df-9e3
        9e6-9f1 9fc 9fe a01-a03 a05-a0a a0f-a10 a13-a28 a2a-a30 a32-a33 a35-a36 a38-a39 a3c a3e-a42 a47-a48 a4b-a4d a51
        a59-a5c a5e a66-a75 a81-a83 a85-a8d a8f-a91 a93-aa8 aaa-ab0 ab2-ab3 ab5-ab9 abc-ac5 ac7-ac9 acb-acd ad0 ae0-ae3
        ae6-aef af9-aff b01-b03 b05-b0c b0f-b10 b13-b28 b2a-b30 b32-b33 b35-b39 b3c-b44 b47-b48 b4b-b4d b55-b57 b5c-b5d
        b5f-b63 b66-b6f b71 b82-b83 b85-b8a b8e-b90 b92-b95 b99-b9a b9c b9e-b9f ba3-ba4 ba8-baa bae-bb9 bbe-bc2 bc6-bc8
        bca-bcd bd0 bd7 be6-bef c00-c0c c0e-c10 c12-c28 c2a-c39 c3c-c44 c46-c48 c4a-c4d c55-c56 c58-c5a c5d c60-c63 c66-c6f
        c80-c83 c85-c8c c8e-c90 c92-ca8 caa-cb3 cb5-cb9 cbc-cc4 cc6-cc8 cca-ccd cd5-cd6 cdd-cde ce0-ce3 ce6-cef cf1-cf3
        d00-d0c d0e-d10 d12-d44 d46-d48 d4a-d4e d54-d57 d5f-d63 d66-d6f d7a-d7f d81-d83 d85-d96 d9a-db1 db3-dbb dbd dc0-dc6
        dca dcf-dd4 dd6 dd8-ddf de6-def df2-df3 e01-e3a e40-e4e e50-e59 e81-e82 e84 e86-e8a e8c-ea3 ea5 ea7-ebd ec0-ec4 ec6
        ec8-ece ed0-ed9 edc-edf f00 f18-f19 f20-f29 f35 f37 f39 f3e-f47 f49-f6c f71-f84 f86-f97 f99-fbc fc6 1000-1049
        1050-109d 10a0-10c5 10c7 10cd 10d0-10fa 10fc-1248 124a-124d 1250-1256 1258 125a-125d 1260-1288 128a-128d 1290-12b0
        12b2-12b5 12b8-12be 12c0 12c2-12c5 12c8-12d6 12d8-1310 1312-1315 1318-135a 135d-135f 1380-138f 13a0-13f5 13f8-13fd
        1401-166c 166f-167f 1681-169a 16a0-16ea 16ee-16f8 1700-1715 171f-1734 1740-1753 1760-176c 176e-1770 1772-1773
        1780-17d3 17d7 17dc-17dd 17e0-17e9 180b-180d 180f-1819 1820-1878 1880-18aa 18b0-18f5 1900-191e 1920-192b 1930-193b
        1946-196d 1970-1974 1980-19ab 19b0-19c9 19d0-19d9 1a00-1a1b 1a20-1a5e 1a60-1a7c 1a7f-1a89 1a90-1a99 1aa7 1ab0-1ace
        1b00-1b4c 1b50-1b59 1b6b-1b73 1b80-1bf3 1c00-1c37 1c40-1c49 1c4d-1c7d 1c80-1c8a 1c90-1cba 1cbd-1cbf 1cd0-1cd2
        1cd4-1cfa 1d00-1f15 1f18-1f1d 1f20-1f45 1f48-1f4d 1f50-1f57 1f59 1f5b 1f5d 1f5f-1f7d 1f80-1fb4 1fb6-1fbc 1fbe
        1fc2-1fc4 1fc6-1fcc 1fd0-1fd3 1fd6-1fdb 1fe0-1fec 1ff2-1ff4 1ff6-1ffc 200c-200d 203f-2040 2054 2071 207f 2090-209c
        20d0-20f0 2102 2107 210a-2113 2115 2119-211d 2124 2126 2128 212a-212d 212f-2139 213c-213f 2145-2149 214e 2160-2188
        24b6-24e9 2c00-2ce4 2ceb-2cf3 2d00-2d25 2d27 2d2d 2d30-2d67 2d6f 2d7f-2d96 2da0-2da6 2da8-2dae 2db0-2db6 2db8-2dbe
        2dc0-2dc6 2dc8-2dce 2dd0-2dd6 2dd8-2dde 2de0-2dff 2e2f 3005-3007 3021-302f 3031-3035 3038-303c 3041-3096 3099-309a
        309d-309f 30a1-30fa 30fc-30ff 3105-312f 3131-318e 31a0-31bf 31f0-31ff 3400-4dbf 4e00-a48c a4d0-a4fd a500-a60c
        a610-a62b a640-a672 a674-a67d a67f-a6f1 a717-a71f a722-a788 a78b-a7cd a7d0-a7d1 a7d3 a7d5-a7dc a7f2-a827 a82c
        a840-a873 a880-a8c5 a8d0-a8d9 a8e0-a8f7 a8fb a8fd-a92d a930-a953 a960-a97c a980-a9c0 a9cf-a9d9 a9e0-a9fe aa00-aa36
        aa40-aa4d aa50-aa59 aa60-aa76 aa7a-aac2 aadb-aadd aae0-aaef aaf2-aaf6 ab01-ab06 ab09-ab0e ab11-ab16 ab20-ab26
        ab28-ab2e ab30-ab5a ab5c-ab69 ab70-abea abec-abed abf0-abf9 ac00-d7a3 d7b0-d7c6 d7cb-d7fb f900-fa6d fa70-fad9
        fb00-fb06 fb13-fb17 fb1d-fb28 fb2a-fb36 fb38-fb3c fb3e fb40-fb41 fb43-fb44 fb46-fbb1 fbd3-fd3d fd50-fd8f fd92-fdc7
        fdf0-fdfb fe00-fe0f fe20-fe2f fe33-fe34 fe4d-fe4f fe70-fe74 fe76-fefc ff10-ff19 ff21-ff3a ff3f ff41-ff5a ff66-ffbe
        ffc2-ffc7 ffca-ffcf ffd2-ffd7 ffda-ffdc 10000-1000b 1000d-10026 10028-1003a 1003c-1003d 1003f-1004d 10050-1005d
        10080-100fa 10140-10174 101fd 10280-1029c 102a0-102d0 102e0 10300-1031f 1032d-1034a 10350-1037a 10380-1039d
        103a0-103c3 103c8-103cf 103d1-103d5 10400-1049d 104a0-104a9 104b0-104d3 104d8-104fb 10500-10527 10530-10563
        10570-1057a 1057c-1058a 1058c-10592 10594-10595 10597-105a1 105a3-105b1 105b3-105b9 105bb-105bc 105c0-105f3
        10600-10736 10740-10755 10760-10767 10780-10785 10787-107b0 107b2-107ba 10800-10805 10808 1080a-10835 10837-10838
        1083c 1083f-10855 10860-10876 10880-1089e 108e0-108f2 108f4-108f5 10900-10915 10920-10939 10980-109b7 109be-109bf
        10a00-10a03 10a05-10a06 10a0c-10a13 10a15-10a17 10a19-10a35 10a38-10a3a 10a3f 10a60-10a7c 10a80-10a9c 10ac0-10ac7
        10ac9-10ae6 10b00-10b35 10b40-10b55 10b60-10b72 10b80-10b91 10c00-10c48 10c80-10cb2 10cc0-10cf2 10d00-10d27
        10d30-10d39 10d40-10d65 10d69-10d6d 10d6f-10d85 10e80-10ea9 10eab-10eac 10eb0-10eb1 10ec2-10ec4 10efc-10f1c 10f27
        10f30-10f50 10f70-10f85 10fb0-10fc4 10fe0-10ff6 11000-11046 11066-11075 1107f-110ba 110c2 110d0-110e8 110f0-110f9
        11100-11134 11136-1113f 11144-11147 11150-11173 11176 11180-111c4 111c9-111cc 111ce-111da 111dc 11200-11211
        11213-11237 1123e-11241 11280-11286 11288 1128a-1128d 1128f-1129d 1129f-112a8 112b0-112ea 112f0-112f9 11300-11303
        11305-1130c 1130f-11310 11313-11328 1132a-11330 11332-11333 11335-11339 1133b-11344 11347-11348 1134b-1134d 11350
        11357 1135d-11363 11366-1136c 11370-11374 11380-11389 1138b 1138e 11390-113b5 113b7-113c0 113c2 113c5 113c7-113ca
        113cc-113d3 113e1-113e2 11400-1144a 11450-11459 1145e-11461 11480-114c5 114c7 114d0-114d9 11580-115b5 115b8-115c0
        115d8-115dd 11600-11640 11644 11650-11659 11680-116b8 116c0-116c9 116d0-116e3 11700-1171a 1171d-1172b 11730-11739
        11740-11746 11800-1183a 118a0-118e9 118ff-11906 11909 1190c-11913 11915-11916 11918-11935 11937-11938 1193b-11943
        11950-11959 119a0-119a7 119aa-119d7 119da-119e1 119e3-119e4 11a00-11a3e 11a47 11a50-11a99 11a9d 11ab0-11af8
        11bc0-11be0 11bf0-11bf9 11c00-11c08 11c0a-11c36 11c38-11c40 11c50-11c59 11c72-11c8f 11c92-11ca7 11ca9-11cb6
        11d00-11d06 11d08-11d09 11d0b-11d36 11d3a 11d3c-11d3d 11d3f-11d47 11d50-11d59 11d60-11d65 11d67-11d68 11d6a-11d8e
        11d90-11d91 11d93-11d98 11da0-11da9 11ee0-11ef6 11f00-11f10 11f12-11f3a 11f3e-11f42 11f50-11f5a 11fb0 12000-12399
        12400-1246e 12480-12543 12f90-12ff0 13000-1342f 13440-13455 13460-143fa 14400-14646 16100-16139 16800-16a38
        16a40-16a5e 16a60-16a69 16a70-16abe 16ac0-16ac9 16ad0-16aed 16af0-16af4 16b00-16b36 16b40-16b43 16b50-16b59
        16b63-16b77 16b7d-16b8f 16d40-16d6c 16d70-16d79 16e40-16e7f 16f00-16f4a 16f4f-16f87 16f8f-16f9f 16fe0-16fe1
        16fe3-16fe4 16ff0-16ff1 17000-187f7 18800-18cd5 18cff-18d08 1aff0-1aff3 1aff5-1affb 1affd-1affe 1b000-1b122 1b132
        1b150-1b152 1b155 1b164-1b167 1b170-1b2fb 1bc00-1bc6a 1bc70-1bc7c 1bc80-1bc88 1bc90-1bc99 1bc9d-1bc9e 1ccf0-1ccf9
        1cf00-1cf2d 1cf30-1cf46 1d165-1d169 1d16d-1d172 1d17b-1d182 1d185-1d18b 1d1aa-1d1ad 1d242-1d244 1d400-1d454
        1d456-1d49c 1d49e-1d49f 1d4a2 1d4a5-1d4a6 1d4a9-1d4ac 1d4ae-1d4b9 1d4bb 1d4bd-1d4c3 1d4c5-1d505 1d507-1d50a
        1d50d-1d514 1d516-1d51c 1d51e-1d539 1d53b-1d53e 1d540-1d544 1d546 1d54a-1d550 1d552-1d6a5 1d6a8-1d6c0 1d6c2-1d6da
        1d6dc-1d6fa 1d6fc-1d714 1d716-1d734 1d736-1d74e 1d750-1d76e 1d770-1d788 1d78a-1d7a8 1d7aa-1d7c2 1d7c4-1d7cb
        1d7ce-1d7ff 1da00-1da36 1da3b-1da6c 1da75 1da84 1da9b-1da9f 1daa1-1daaf 1df00-1df1e 1df25-1df2a 1e000-1e006
        1e008-1e018 1e01b-1e021 1e023-1e024 1e026-1e02a 1e030-1e06d 1e08f 1e100-1e12c 1e130-1e13d 1e140-1e149 1e14e
        1e290-1e2ae 1e2c0-1e2f9 1e4d0-1e4f9 1e5d0-1e5fa 1e7e0-1e7e6 1e7e8-1e7eb 1e7ed-1e7ee 1e7f0-1e7fe 1e800-1e8c4
        1e8d0-1e8d6 1e900-1e94b 1e950-1e959 1ee00-1ee03 1ee05-1ee1f 1ee21-1ee22 1ee24 1ee27 1ee29-1ee32 1ee34-1ee37 1ee39
        1ee3b 1ee42 1ee47 1ee49 1ee4b 1ee4d-1ee4f 1ee51-1ee52 1ee54 1ee57 1ee59 1ee5b 1ee5d 1ee5f 1ee61-1ee62 1ee64
        1ee67-1ee6a 1ee6c-1ee72 1ee74-1ee77 1ee79-1ee7c 1ee7e 1ee80-1ee89 1ee8b-1ee9b 1eea1-1eea3 1eea5-1eea9 1eeab-1eebb
        1f130-1f149 1f150-1f169 1f170-1f189 1fbf0-1fbf9 20000-2a6df 2a700-2b739 2b740-2b81d 2b820-2cea1 2ceb0-2ebe0
        2ebf0-2ee5d 2f800-2fa1d 30000-3134a 31350-323af e0100-e01ef
        """
    static let assigned = """
        0-377 37a-37f 384-38a 38c 38e-3a1 3a3-52f 531-556 559-58a 58d-58f 591-5c7 5d0-5ea 5ef-5f4 600-70d 70f-74a 74d-7b1
        7c0-7fa 7fd-82d 830-83e 840-85b 85e 860-86a 870-88e 890-891 897-983 985-98c 98f-990 993-9a8 9aa-9b0 9b2 9b6-9b9
        9bc-9c4 9c7-9c8 9cb-9ce 9d7 9dc-9dd 9df-9e3 9e6-9fe a01-a03 a05-a0a a0f-a10 a13-a28 a2a-a30 a32-a33 a35-a36 a38-a39
        a3c a3e-a42 a47-a48 a4b-a4d a51 a59-a5c a5e a66-a76 a81-a83 a85-a8d a8f-a91 a93-aa8 aaa-ab0 ab2-ab3 ab5-ab9 abc-ac5
        ac7-ac9 acb-acd ad0 ae0-ae3 ae6-af1 af9-aff b01-b03 b05-b0c b0f-b10 b13-b28 b2a-b30 b32-b33 b35-b39 b3c-b44 b47-b48
        b4b-b4d b55-b57 b5c-b5d b5f-b63 b66-b77 b82-b83 b85-b8a b8e-b90 b92-b95 b99-b9a b9c b9e-b9f ba3-ba4 ba8-baa bae-bb9
        bbe-bc2 bc6-bc8 bca-bcd bd0 bd7 be6-bfa c00-c0c c0e-c10 c12-c28 c2a-c39 c3c-c44 c46-c48 c4a-c4d c55-c56 c58-c5a c5d
        c60-c63 c66-c6f c77-c8c c8e-c90 c92-ca8 caa-cb3 cb5-cb9 cbc-cc4 cc6-cc8 cca-ccd cd5-cd6 cdd-cde ce0-ce3 ce6-cef
        cf1-cf3 d00-d0c d0e-d10 d12-d44 d46-d48 d4a-d4f d54-d63 d66-d7f d81-d83 d85-d96 d9a-db1 db3-dbb dbd dc0-dc6 dca
        dcf-dd4 dd6 dd8-ddf de6-def df2-df4 e01-e3a e3f-e5b e81-e82 e84 e86-e8a e8c-ea3 ea5 ea7-ebd ec0-ec4 ec6 ec8-ece
        ed0-ed9 edc-edf f00-f47 f49-f6c f71-f97 f99-fbc fbe-fcc fce-fda 1000-10c5 10c7 10cd 10d0-1248 124a-124d 1250-1256
        1258 125a-125d 1260-1288 128a-128d 1290-12b0 12b2-12b5 12b8-12be 12c0 12c2-12c5 12c8-12d6 12d8-1310 1312-1315
        1318-135a 135d-137c 1380-1399 13a0-13f5 13f8-13fd 1400-169c 16a0-16f8 1700-1715 171f-1736 1740-1753 1760-176c
        176e-1770 1772-1773 1780-17dd 17e0-17e9 17f0-17f9 1800-1819 1820-1878 1880-18aa 18b0-18f5 1900-191e 1920-192b
        1930-193b 1940 1944-196d 1970-1974 1980-19ab 19b0-19c9 19d0-19da 19de-1a1b 1a1e-1a5e 1a60-1a7c 1a7f-1a89 1a90-1a99
        1aa0-1aad 1ab0-1ace 1b00-1b4c 1b4e-1bf3 1bfc-1c37 1c3b-1c49 1c4d-1c8a 1c90-1cba 1cbd-1cc7 1cd0-1cfa 1d00-1f15
        1f18-1f1d 1f20-1f45 1f48-1f4d 1f50-1f57 1f59 1f5b 1f5d 1f5f-1f7d 1f80-1fb4 1fb6-1fc4 1fc6-1fd3 1fd6-1fdb 1fdd-1fef
        1ff2-1ff4 1ff6-1ffe 2000-2064 2066-2071 2074-208e 2090-209c 20a0-20c0 20d0-20f0 2100-218b 2190-2429 2440-244a
        2460-2b73 2b76-2b95 2b97-2cf3 2cf9-2d25 2d27 2d2d 2d30-2d67 2d6f-2d70 2d7f-2d96 2da0-2da6 2da8-2dae 2db0-2db6
        2db8-2dbe 2dc0-2dc6 2dc8-2dce 2dd0-2dd6 2dd8-2dde 2de0-2e5d 2e80-2e99 2e9b-2ef3 2f00-2fd5 2ff0-303f 3041-3096
        3099-30ff 3105-312f 3131-318e 3190-31e5 31ef-321e 3220-a48c a490-a4c6 a4d0-a62b a640-a6f7 a700-a7cd a7d0-a7d1 a7d3
        a7d5-a7dc a7f2-a82c a830-a839 a840-a877 a880-a8c5 a8ce-a8d9 a8e0-a953 a95f-a97c a980-a9cd a9cf-a9d9 a9de-a9fe
        aa00-aa36 aa40-aa4d aa50-aa59 aa5c-aac2 aadb-aaf6 ab01-ab06 ab09-ab0e ab11-ab16 ab20-ab26 ab28-ab2e ab30-ab6b
        ab70-abed abf0-abf9 ac00-d7a3 d7b0-d7c6 d7cb-d7fb e000-fa6d fa70-fad9 fb00-fb06 fb13-fb17 fb1d-fb36 fb38-fb3c fb3e
        fb40-fb41 fb43-fb44 fb46-fbc2 fbd3-fd8f fd92-fdc7 fdcf fdf0-fe19 fe20-fe52 fe54-fe66 fe68-fe6b fe70-fe74 fe76-fefc
        feff ff01-ffbe ffc2-ffc7 ffca-ffcf ffd2-ffd7 ffda-ffdc ffe0-ffe6 ffe8-ffee fff9-fffd 10000-1000b 1000d-10026
        10028-1003a 1003c-1003d 1003f-1004d 10050-1005d 10080-100fa 10100-10102 10107-10133 10137-1018e 10190-1019c 101a0
        101d0-101fd 10280-1029c 102a0-102d0 102e0-102fb 10300-10323 1032d-1034a 10350-1037a 10380-1039d 1039f-103c3
        103c8-103d5 10400-1049d 104a0-104a9 104b0-104d3 104d8-104fb 10500-10527 10530-10563 1056f-1057a 1057c-1058a
        1058c-10592 10594-10595 10597-105a1 105a3-105b1 105b3-105b9 105bb-105bc 105c0-105f3 10600-10736 10740-10755
        10760-10767 10780-10785 10787-107b0 107b2-107ba 10800-10805 10808 1080a-10835 10837-10838 1083c 1083f-10855
        10857-1089e 108a7-108af 108e0-108f2 108f4-108f5 108fb-1091b 1091f-10939 1093f 10980-109b7 109bc-109cf 109d2-10a03
        10a05-10a06 10a0c-10a13 10a15-10a17 10a19-10a35 10a38-10a3a 10a3f-10a48 10a50-10a58 10a60-10a9f 10ac0-10ae6
        10aeb-10af6 10b00-10b35 10b39-10b55 10b58-10b72 10b78-10b91 10b99-10b9c 10ba9-10baf 10c00-10c48 10c80-10cb2
        10cc0-10cf2 10cfa-10d27 10d30-10d39 10d40-10d65 10d69-10d85 10d8e-10d8f 10e60-10e7e 10e80-10ea9 10eab-10ead
        10eb0-10eb1 10ec2-10ec4 10efc-10f27 10f30-10f59 10f70-10f89 10fb0-10fcb 10fe0-10ff6 11000-1104d 11052-11075
        1107f-110c2 110cd 110d0-110e8 110f0-110f9 11100-11134 11136-11147 11150-11176 11180-111df 111e1-111f4 11200-11211
        11213-11241 11280-11286 11288 1128a-1128d 1128f-1129d 1129f-112a9 112b0-112ea 112f0-112f9 11300-11303 11305-1130c
        1130f-11310 11313-11328 1132a-11330 11332-11333 11335-11339 1133b-11344 11347-11348 1134b-1134d 11350 11357
        1135d-11363 11366-1136c 11370-11374 11380-11389 1138b 1138e 11390-113b5 113b7-113c0 113c2 113c5 113c7-113ca
        113cc-113d5 113d7-113d8 113e1-113e2 11400-1145b 1145d-11461 11480-114c7 114d0-114d9 11580-115b5 115b8-115dd
        11600-11644 11650-11659 11660-1166c 11680-116b9 116c0-116c9 116d0-116e3 11700-1171a 1171d-1172b 11730-11746
        11800-1183b 118a0-118f2 118ff-11906 11909 1190c-11913 11915-11916 11918-11935 11937-11938 1193b-11946 11950-11959
        119a0-119a7 119aa-119d7 119da-119e4 11a00-11a47 11a50-11aa2 11ab0-11af8 11b00-11b09 11bc0-11be1 11bf0-11bf9
        11c00-11c08 11c0a-11c36 11c38-11c45 11c50-11c6c 11c70-11c8f 11c92-11ca7 11ca9-11cb6 11d00-11d06 11d08-11d09
        11d0b-11d36 11d3a 11d3c-11d3d 11d3f-11d47 11d50-11d59 11d60-11d65 11d67-11d68 11d6a-11d8e 11d90-11d91 11d93-11d98
        11da0-11da9 11ee0-11ef8 11f00-11f10 11f12-11f3a 11f3e-11f5a 11fb0 11fc0-11ff1 11fff-12399 12400-1246e 12470-12474
        12480-12543 12f90-12ff2 13000-13455 13460-143fa 14400-14646 16100-16139 16800-16a38 16a40-16a5e 16a60-16a69
        16a6e-16abe 16ac0-16ac9 16ad0-16aed 16af0-16af5 16b00-16b45 16b50-16b59 16b5b-16b61 16b63-16b77 16b7d-16b8f
        16d40-16d79 16e40-16e9a 16f00-16f4a 16f4f-16f87 16f8f-16f9f 16fe0-16fe4 16ff0-16ff1 17000-187f7 18800-18cd5
        18cff-18d08 1aff0-1aff3 1aff5-1affb 1affd-1affe 1b000-1b122 1b132 1b150-1b152 1b155 1b164-1b167 1b170-1b2fb
        1bc00-1bc6a 1bc70-1bc7c 1bc80-1bc88 1bc90-1bc99 1bc9c-1bca3 1cc00-1ccf9 1cd00-1ceb3 1cf00-1cf2d 1cf30-1cf46
        1cf50-1cfc3 1d000-1d0f5 1d100-1d126 1d129-1d1ea 1d200-1d245 1d2c0-1d2d3 1d2e0-1d2f3 1d300-1d356 1d360-1d378
        1d400-1d454 1d456-1d49c 1d49e-1d49f 1d4a2 1d4a5-1d4a6 1d4a9-1d4ac 1d4ae-1d4b9 1d4bb 1d4bd-1d4c3 1d4c5-1d505
        1d507-1d50a 1d50d-1d514 1d516-1d51c 1d51e-1d539 1d53b-1d53e 1d540-1d544 1d546 1d54a-1d550 1d552-1d6a5 1d6a8-1d7cb
        1d7ce-1da8b 1da9b-1da9f 1daa1-1daaf 1df00-1df1e 1df25-1df2a 1e000-1e006 1e008-1e018 1e01b-1e021 1e023-1e024
        1e026-1e02a 1e030-1e06d 1e08f 1e100-1e12c 1e130-1e13d 1e140-1e149 1e14e-1e14f 1e290-1e2ae 1e2c0-1e2f9 1e2ff
        1e4d0-1e4f9 1e5d0-1e5fa 1e5ff 1e7e0-1e7e6 1e7e8-1e7eb 1e7ed-1e7ee 1e7f0-1e7fe 1e800-1e8c4 1e8c7-1e8d6 1e900-1e94b
        1e950-1e959 1e95e-1e95f 1ec71-1ecb4 1ed01-1ed3d 1ee00-1ee03 1ee05-1ee1f 1ee21-1ee22 1ee24 1ee27 1ee29-1ee32
        1ee34-1ee37 1ee39 1ee3b 1ee42 1ee47 1ee49 1ee4b 1ee4d-1ee4f 1ee51-1ee52 1ee54 1ee57 1ee59 1ee5b 1ee5d 1ee5f
        1ee61-1ee62 1ee64 1ee67-1ee6a 1ee6c-1ee72 1ee74-1ee77 1ee79-1ee7c 1ee7e 1ee80-1ee89 1ee8b-1ee9b 1eea1-1eea3
        1eea5-1eea9 1eeab-1eebb 1eef0-1eef1 1f000-1f02b 1f030-1f093 1f0a0-1f0ae 1f0b1-1f0bf 1f0c1-1f0cf 1f0d1-1f0f5
        1f100-1f1ad 1f1e6-1f202 1f210-1f23b 1f240-1f248 1f250-1f251 1f260-1f265 1f300-1f6d7 1f6dc-1f6ec 1f6f0-1f6fc
        1f700-1f776 1f77b-1f7d9 1f7e0-1f7eb 1f7f0 1f800-1f80b 1f810-1f847 1f850-1f859 1f860-1f887 1f890-1f8ad 1f8b0-1f8bb
        1f8c0-1f8c1 1f900-1fa53 1fa60-1fa6d 1fa70-1fa7c 1fa80-1fa89 1fa8f-1fac6 1face-1fadc 1fadf-1fae9 1faf0-1faf8
        1fb00-1fb92 1fb94-1fbf9 20000-2a6df 2a700-2b739 2b740-2b81d 2b820-2cea1 2ceb0-2ebe0 2ebf0-2ee5d 2f800-2fa1d
        30000-3134a 31350-323af e0001 e0020-e007f e0100-e01ef f0000-ffffd 100000-10fffd
        """
}
