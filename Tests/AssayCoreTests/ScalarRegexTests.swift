import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRegex
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The Swift regex engine against ICU (`NSRegularExpression`), which it must agree with exactly:
/// the same matches in the same order, the same ranges, the same captures.
@Suite struct ScalarRegexTests {
    // MARK: oracle

    /// ICU's matches of the whole text, converted from UTF-16 to scalar offsets.
    static func icu(_ pattern: String, _ text: String) -> [ScalarRegex.Match] {
        let re = try! NSRegularExpression(pattern: pattern)
        let offsets = UTF16ScalarOffsets(text)
        return re.matches(in: text, range: offsets.whole).map { m in
            ScalarRegex.Match(
                range: offsets.scalars(m.range)!,
                groups: (1..<m.numberOfRanges).map { offsets.scalars(m.range(at: $0)) })
        }
    }

    /// Asserts the engine supports `pattern` and agrees with ICU on `text`, and on an inner range of it
    /// (compared with ICU on that substring, offsets shifted).
    static func agree(_ pattern: String, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let engine = ScalarRegex(pattern) else {
            Issue.record("pattern \(pattern) is not supported", sourceLocation: sourceLocation)
            return
        }
        let scalars = Array(text.unicodeScalars)
        let mine = engine.matches(in: scalars, range: 0..<scalars.count)
        #expect(
            mine == icu(pattern, text), "pattern \(pattern) on \(text.debugDescription.prefix(80))",
            sourceLocation: sourceLocation)
        if scalars.count >= 3 {
            let inner = 1..<(scalars.count - 1)
            let shifted = icu(pattern, ScalarText.string(scalars[inner])).map { m in
                ScalarRegex.Match(
                    range: (m.range.lowerBound + 1)..<(m.range.upperBound + 1),
                    groups: m.groups.map { $0.map { ($0.lowerBound + 1)..<($0.upperBound + 1) } })
            }
            #expect(
                engine.matches(in: scalars, range: inner) == shifted,
                "pattern \(pattern) inside \(text.debugDescription.prefix(80))",
                sourceLocation: sourceLocation)
        }
    }

    // MARK: inputs

    static let ruleSets = try! RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])

    /// Every pattern in the bundled rule files: require/forbid patterns (and their joined alternation),
    /// /…/ labels, sections and scopes, and match selectors.
    static let bundledPatterns: [String] = {
        var out = [String]()
        func m(_ x: NameMatcher?) { if let p = x?.pattern { out.append(p) } }
        func sel(_ s: Selector?) {
            guard let s else { return }
            m(s.label)
            m(s.section)
            if let r = s.match { out.append(r.pattern) }
        }
        func date(_ d: DateRef) { if case .fact(_, let s) = d { sel(s) } }
        for set in ruleSets {
            (set.appliesTo.issuer + set.appliesTo.title + set.appliesTo.text).forEach(m)
            for rule in set.rules {
                if case .section(let x) = rule.scope { m(x) }
                (rule.appliesTo.issuer + rule.appliesTo.title + rule.appliesTo.text).forEach(m)
                if let c = rule.check(as: PhrasesKind.self) {
                    out += c.patterns.map(\.pattern)
                    if let any = c.anyPattern { out.append(any.pattern) }
                } else if let c = rule.check(as: SectionsKind.self) {
                    c.required.forEach(m)
                } else if let c = rule.check(as: ThresholdKind.self) {
                    sel(c.select)
                } else if let c = rule.check(as: ConsistencyKind.self) {
                    switch c {
                    case .sum(let t, let ps, _): sel(t); ps.forEach(sel)
                    case .ratio(let r, let n, let d): sel(r); sel(n); sel(d)
                    case .achievable(let r): sel(r)
                    case .tallySum(let t, _): sel(t)
                    case .tallyRatio(let r): sel(r)
                    case .expression(let facts, _, _): for f in facts { sel(f.1) }
                    }
                } else if let d = rule.check(as: DeadlineKind.self) {
                    switch d {
                    case .due(let s, let r): sel(s); date(r)
                    case .asOf: break
                    case .order(let ds): ds.forEach(date)
                    case .within(let f, let t, _): date(f); date(t)
                    }
                } else if rule.check(as: ProgressKind.self) != nil {
                    // Compares bulletins: no patterns.
                } else {
                    preconditionFailure("rule \(rule.id): kind \(rule.kind) is not listed here; list its patterns")
                }
            }
        }
        return Array(Set(out)).sorted()
    }()

    /// Patterns exercising every supported construct.
    static let craftedPatterns: [String] = [
        // literals, alternation order, escapes
        "a", "abc", "a|b|c", "ab|a", "a|ab", "a.c", "\\.\\-\\(\\)\\[\\]\\{\\}\\*\\+\\?\\|\\^\\$\\\\\\/",
        "\\u4e00|\\x41|\\x{20000}",
        "\\t|\\n|\\r|\\f", "全角|半角", "#1 a", "a b",
        // quantifiers, greedy and lazy, nested
        "a*", "a+", "a?", "a*?", "a+?", "a??", "a{2}", "a{2,}", "a{2,3}", "a{2,3}?", "a{0}b", "a{0,1}", "a{1,1}",
        "a{2,}?b",
        "x*y*z*", "(?:ab)*", "(?:ab)+?c", "(?:ab){2,4}", "(?:ab){2,}?", "(?:a|b)*?b", "(?:a+)+b",
        "(?:a|ab)(?:c|bcd)(?:d*)",
        "(a|ab)(c|bcd)(d*)", "((a)|b)+", "(a)|b", "(a)?b", "(a*)*", "(a*)+", "(a?)*", "(a?)+", "(a|b?)*c", "(?:a|)*",
        "(|a)+",
        "(a?){2,}", "(a?){0,3}", "(a?){2,5}?", "(a?){3}", "(a|b){0}c", "(a?)??b", "(a*){2,3}b", "(?:(a)|b){2,}?",
        "(?:(a)|b?)+", "(a??)+", "(a??){2,}", "(a|b??)*c", "((a)|(b))*", "(a)*", "(a)+?", "(?:a(b)?)+", "(a{0,2}){2}",
        "(?<x>\\d+)-(?<y>\\d+)", "(?<year>\\d{4})年(?<month>\\d{1,2})月", "()", "(?:)", "a||b", "(a)(?:b(c))?",
        // anchors, dot, line ends
        "^a", "a$", "^$", "$", "^", "^.*$", ".*", ".+", ".", ".*?x", "\\s*$", "a$\\n", "x|$", "^\\s*|\\s*$",
        "(?:^a|b)+",
        "\\r\\n", "(?:\\r\\n|\\n)+", "[^\\n]+", "^[^\\n]*", "$\\n?",
        // classes
        "\\d+", "\\D+", "\\s+", "\\S+", "\\w+", "\\W+", "[\\d]+", "[^\\d\\s]+", "[\\D]", "[\\w\\s]+", "[^\\W]+",
        "[0-9０-９]+",
        "[一-龥]+", "[^一-龥]+", "[（(]\\d+[）)]", "第[一二三四五六七八九十]+条", "[-a]+", "[a-]+", "[a-c-]+", "[\\d-]+", "[ a]+",
        "[a^]+", "[^^]+", "[.*+?(){}|$]+", "[\\-\\]\\[\\\\]+", "[\\x{1F600}-\\x{1F602}]", "[^a-z]", "[\\t\\n]",
        "[\\u3000\\s]+",
        "[::]+", "[:a]+", "[^::]+", "[a:]+", "[:：]",
        "[^-a]+", "[-]", "[^-]+", "()*a", "(?:)+b", "(a|()){2,4}b", "(?:a|\\s)*?$",
        // astral scalars
        "😀+", "𠀀.", ".\\x{1F600}", "\\x{20000}+",
        // realistic
        "\\d{4}年\\d{1,2}月\\d{1,2}日", "(\\d+(?:\\.\\d+)?)(%|万元|亿元)", "(?:电话|热线)[：:]?\\s*\\d+",
        "办结率为(?<rate>\\d+(?:\\.\\d+)?%)",
        "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}",
    ]

    /// Syntax the engine leaves to ICU.
    static let unsupportedPatterns: [String] = [
        "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", "(a)\\1", "(?<x>a)\\k<x>", "(?i)a", "(?i:a)", "(?m)^a", "(?s).",
        "(?x) a",
        "\\b", "\\B", "\\p{L}", "\\P{L}", "[\\p{L}]", "[[:alpha:]]", "[a[b]]", "[a&&b]", "[a--b]", "\\Qa.b\\E", "a*+",
        "a++",
        "a?+", "a{2}+", "(?>a)", "(?#c)a", "\\A", "\\z", "\\Z", "\\G", "\\N{LATIN SMALL LETTER A}", "\\X", "\\R", "\\h",
        "\\v",
        "(a?)*?", "(a*)+?", "\\0101", "\\cA", "\\e", "\\U0001F600", "[]a]", "[\\w-z]", "[a-\\d]", "[:alpha:]",
        "[:^alpha:]",
        "[:a]b:]",
    ]

    static func file(_ path: String) -> String {
        let bytes = [UInt8](FileManager.default.contents(atPath: repoRoot.appendingPathComponent(path).path)!)
        return try! TextDecoder().decode(bytes).string
    }

    static let craftedTexts: [String] = [
        "", "a", "aaa", "ab", "abc", "abcd", "baab", "aabbaabb", "xyz", "ababab c", "abcbcd", "aaab", "aaaa b", "ba",
        "a\nb\r\nc\r\n", "line1\r\n", "x\n", "x\r", "a\r\n\r\n", "\u{85}a\u{2028}b\u{2029}", "a\u{0B}\u{0C}b", "\n",
        "\r\n", "a\n\n",
        "２０２１年１月５日", "2021年1月5日", "１２３ 456 ٣٤٥ ৩", "😀😁😂 𠀀𠀁 a😀b", "x\u{20000}\u{20000}y",
        "联系电话：023-63899999；邮编：400015；电子邮箱：jd@example.gov.cn。", "举报热线：（023）12345678",
        "tab\there", "\u{3000}全角空格\u{A0}nbsp\u{2003}", "word_123 naïve é ß ‿ a\u{301}", "（12）(34)", "第一条第二十三条",
        "-a^[]\\.*+?(){}|$/", "a:b：c]d[e^f-g ,", "::a:", "年 12年3月 2020年13月45日", "办结率为96.5%，办结率为97%", "a-b c-d 12-34",
        "全角 半角 #1 a b",
    ]

    static let texts: [String] = {
        var out = craftedTexts
        out.append(file("Samples/chongqing-2021-01-05-xunshi-progress.txt"))
        out.append(file("Rules/tests/county-xuncha-progress.txt"))
        out.append(file("Tests/AssayCoreTests/Fixtures/extraction/chongqing-sample.gb18030.txt"))
        for set in ruleSets { for rule in set.rules { out += rule.examples.pass + rule.examples.fail } }
        return out
    }()

    // MARK: tests

    @Test func bundledPatternsAreSupportedAndAgreeWithICU() {
        #expect(Self.bundledPatterns.count >= 9)
        for p in Self.bundledPatterns {
            #expect(ScalarRegex(p) != nil, "bundled pattern \(p) falls back to ICU")
            for t in Self.texts { Self.agree(p, t) }
        }
    }

    @Test(arguments: craftedPatterns)
    func craftedPatternAgreesWithICU(_ pattern: String) {
        for t in Self.texts { Self.agree(pattern, t) }
    }

    @Test(arguments: unsupportedPatterns)
    func unsupportedSyntaxIsLeftToICU(_ pattern: String) {
        #expect(ScalarRegex(pattern) == nil)
    }

    @Test func unsupportedPatternsStillMatchThroughICU() throws {
        let r = try SendableRegex("(?i)联系电话：\\d+(?=。)")
        #expect(r.engine == nil)
        let scalars = Array("前言。联系电话：12345678。".unicodeScalars)
        #expect(try r.matches(in: scalars, range: 3..<scalars.count, names: []).map(\.range) == [3..<16])
    }

    /// The contact-block rule's alternation finds exactly these.
    @Test func contactBlockMatches() throws {
        let set = try #require(Self.ruleSets.first { $0.name == "xunshi-progress" })
        let rule = try #require(set.rules.first { $0.id == "contact-block" })
        guard let c = rule.check(as: PhrasesKind.self), let any = c.anyPattern else {
            Issue.record("not a patterns rule"); return
        }
        let patterns = c.patterns
        #expect(patterns.count == 4)
        #expect(any.engine != nil && patterns.allSatisfy { $0.engine != nil })
        func found(_ text: String) throws -> [String] {
            let scalars = Array(text.unicodeScalars)
            return try any.matches(in: scalars, range: 0..<scalars.count, names: []).map {
                ScalarText.string(scalars[$0.range])
            }
        }
        // The bundled patterns list the ASCII ':' '(' ')' (as the fixtures write them), not full-width ones.
        #expect(
            try found("欢迎监督。联系电话:023-63899999;电子邮箱:jd@example.gov.cn。") == ["电话:023-63899999", "jd@example.gov.cn"])
        #expect(try found("举报热线:(023)12345678") == ["热线:(023)12345678"])
        #expect(try found("邮政编码:400015,来信请寄渝中区1001信箱。") == ["邮政编码:400015"])
        #expect(try found("邮编400015") == ["邮编400015"])
        #expect(try found("电话:０２３—６３８９９９９９") == ["电话:０２３—６３８９９９９９"])
        #expect(try found("023-63899999") == [])
        #expect(try found("举报电话 0231-6389999 或 02312—12345678") == ["电话 0231-6389999", "02312—12345678"])
        #expect(try found("欢迎监督。") == [])
        for t in ["欢迎监督。联系电话:023-63899999;电子邮箱:jd@example.gov.cn。", "电话:０２３—６３８９９９９９"] {
            Self.agree(any.pattern, t)
        }
    }

    @Test func capturesAreNamedAndRelativeToTheWholeBuffer() throws {
        let r = try SendableRegex("办结率为(?<rate>\\d+(?:\\.\\d+)?%)")
        let scalars = Array("前文。全年办结率为96.5%。".unicodeScalars)
        let m = try r.matches(in: scalars, range: 3..<scalars.count, names: ["rate", "nope"])
        #expect(m.map(\.range) == [5..<14])
        #expect(m.first?.captures == ["rate": 9..<14])
        #expect(try r.matches(in: "办结率为7%", names: ["rate"]).first?.captures == ["rate": 4..<6])
        #expect(try r.firstMatch(in: "无") == nil)
    }

    @Test func anchorsAreAtTheRangeEnds() throws {
        let r = try #require(ScalarRegex("^\\d+$"))
        let scalars = Array("ab123cd".unicodeScalars)
        #expect(r.matches(in: scalars, range: 2..<5) == [ScalarRegex.Match(range: 2..<5, groups: [])])
        #expect(r.matches(in: scalars, range: 0..<5) == [])
    }

    /// Every scalar, in order, as a String and as UTF-16.
    static let everyScalar: (text: String, utf16: [UInt16]) = {
        var utf16 = [UInt16]()
        for v in UInt32(0)...0x10FFFF { if let s = Unicode.Scalar(v) { utf16.append(contentsOf: UTF16.encode(s)!) } }
        return (String(decoding: utf16, as: UTF16.self), utf16)
    }()

    /// The code points ICU puts in a class, as ranges (from the runs `pattern` matches over every scalar).
    static func icuRanges(_ pattern: String) -> [ClosedRange<UInt32>] {
        let (text, utf16) = everyScalar
        func scalar(at i: Int) -> UInt32 {
            UTF16.isLeadSurrogate(utf16[i])
                ? 0x10000 + ((UInt32(utf16[i]) - 0xD800) << 10) + (UInt32(utf16[i + 1]) - 0xDC00) : UInt32(utf16[i])
        }
        return try! NSRegularExpression(pattern: pattern).matches(
            in: text, range: NSRange(location: 0, length: utf16.count)
        ).map { m in
            let last = m.range.location + m.range.length - 1
            return scalar(at: m.range.location)...scalar(at: UTF16.isTrailSurrogate(utf16[last]) ? last - 1 : last)
        }
    }

    /// Ranges in the format of `ScalarClassData`.
    static func tableText(_ rs: [ClosedRange<UInt32>]) -> String {
        var lines = [String]()
        var line = ""
        for r in rs {
            let lo = String(r.lowerBound, radix: 16)
            let item = r.lowerBound == r.upperBound ? lo : lo + "-" + String(r.upperBound, radix: 16)
            if line.count + item.count + 1 > 116 { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + item
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { "        " + $0 }.joined(separator: "\n")
    }

    /// The engine's class tables are ICU's. If ICU's Unicode data changes, this prints the tables to paste
    /// into `ScalarClassData`.
    @Test func unicodeTablesAreICUs() {
        let names = ["digit", "space", "word", "assigned"]
        let expected = ["\\d+", "\\s+", "\\w+", "\\P{Cn}+"].map(Self.icuRanges)
        for k in 0..<4 where ScalarClassFlags.ranges[k] != expected[k] {
            Issue.record("ScalarClassData.\(names[k]) differs from ICU's")
            print("    static let \(names[k]) = \"\"\"\n\(Self.tableText(expected[k]))\n        \"\"\"")
        }
    }

    /// `\d`, `\s`, `\w` and `.` decide every scalar of the tables' Unicode version as ICU does.
    @Test func unicodeClassesMatchICUOnEveryAssignedScalar() {
        var text = String.UnicodeScalarView()
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v), ScalarClassFlags.compute(v) & ScalarClassFlags.unknown == 0 else {
                continue
            }
            #expect(ScalarClassFlags.compute(v) == ScalarClassFlags.flags(v, ScalarClassFlags.bmp))
            text.append(s)
        }
        let all = String(text)
        #expect(all.unicodeScalars.count > 280_000)
        let scalars = Array(all.unicodeScalars)
        for p in ["\\d+", "\\D+", "\\s+", "\\S+", "\\w+", "\\W+", ".+", "[\\d\\s]+", "[^\\w]+", "[^\\d\\s\\w]+"] {
            let mine = ScalarRegex(p)?.matches(in: scalars, range: 0..<scalars.count)
            #expect(mine == Self.icu(p, all), "class \(p)")
        }
    }

    /// Text with a scalar unassigned in the tables' Unicode version goes to ICU when a class needs its class.
    @Test func unassignedScalarsFallBackToICU() throws {
        let text = "ab12\u{378}34"
        let scalars = Array(text.unicodeScalars)
        #expect(ScalarClassFlags.flags(0x378, ScalarClassFlags.bmp) == ScalarClassFlags.unknown)
        #expect(ScalarRegex("\\w+")?.matches(in: scalars, range: 0..<scalars.count) == nil)
        #expect(
            ScalarRegex("\\d+")?.matches(in: scalars, range: 0..<4) == [ScalarRegex.Match(range: 2..<4, groups: [])])
        #expect(
            ScalarRegex("b1")?.matches(in: scalars, range: 0..<scalars.count) == [
                ScalarRegex.Match(range: 1..<3, groups: [])
            ])
        let r = try SendableRegex("\\w+")
        #expect(
            try r.matches(in: scalars, range: 0..<scalars.count, names: []).map(\.range)
                == Self.icu("\\w+", text).map(\.range))
    }

    /// Exponential backtracking stops at the step budget and the call goes to ICU (given time enough: the
    /// time limit is `PatternTimeLimitTests`' subject).
    @Test func stepBudgetFallsBackToICU() throws {
        let text = String(repeating: "a", count: 18)
        let scalars = Array(text.unicodeScalars)
        let pattern = "(?:a|a)+\\d"
        #expect(ScalarRegex(pattern)?.matches(in: scalars, range: 0..<scalars.count) == nil)
        let budget = PatternBudget(limit: .seconds(30))
        #expect(
            try SendableRegex(pattern).matches(in: scalars, range: 0..<scalars.count, names: [], budget: budget).isEmpty
        )
        #expect(budget.timeout == nil)
    }

    @Test func emptyInputAndEmptyRange() {
        let r = ScalarRegex("a*")!
        #expect(r.matches(in: [], range: 0..<0) == [ScalarRegex.Match(range: 0..<0, groups: [])])
        let scalars = Array("xay".unicodeScalars)
        #expect(r.matches(in: scalars, range: 1..<1) == [ScalarRegex.Match(range: 1..<1, groups: [])])
        #expect(ScalarRegex("a")!.matches(in: scalars, range: 2..<2) == [])
    }

    /// The ICU-only path the measurement uses (`ASSAY_REGEX=icu`): ICU over the document's one UTF-16 text,
    /// a range taken as the whole input, gives what the engine gives, offsets and captures (astral scalars,
    /// CRLF and full-width forms around and inside the range).
    @Test func icuOverTheDocumentTextAgreesWithTheEngine() throws {
        let texts =
            Self.texts.filter { $0.unicodeScalars.count >= 3 } + ["😀a\r\n２０２１年１月５日，办结率为96.5%。𠀀\r\n联系电话：023-63899999。😀"]
        for p in Self.bundledPatterns + ["(?<year>\\d{4})年(?<month>\\d{1,2})月", "^.|.$", "\\s*$"] {
            let regex = try SendableRegex(p)
            let names = SendableRegex.groupNames(p)
            for t in texts {
                let scalars = Array(t.unicodeScalars)
                let icu = ICUText(scalars)
                for r in [0..<scalars.count, 1..<(scalars.count - 1)] {
                    let viaDocument = try regex.matches(
                        in: scalars, range: r, names: names, icu: icu, budget: PatternBudget())
                    let viaEngine = try regex.matches(in: scalars, range: r, names: names)
                    #expect(
                        viaDocument.map(\.range) == viaEngine.map(\.range),
                        "\(p) in \(r) of \(t.debugDescription.prefix(60))")
                    #expect(
                        viaDocument.map(\.captures) == viaEngine.map(\.captures),
                        "\(p) in \(r) of \(t.debugDescription.prefix(60))")
                }
            }
        }
    }
}
