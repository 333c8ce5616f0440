import AssayBundledRules
import AssayRegex
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Hostile inputs: stages that must stay linear, the per-document time budget, bounds on rule files, and
/// inputs that used to be read wrong without a word. Timings here are generous bounds far below the old
/// times (debug build); the real ones are `assay bench` runs in docs/benchmarks.md.
@Suite struct BoundsTests {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let t0 = clock.now
        try body()
        let d = clock.now - t0
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// How much longer `work(4n)` takes than `work(n)`, each the fastest of three runs: about 4 for a linear
    /// stage, 16 for a quadratic one. A ratio does not depend on the machine's speed or load the way an
    /// absolute time does.
    static func growth(_ n: Int, _ work: (Int) throws -> Void) rethrows -> Double {
        func best(_ k: Int) throws -> Double { try (0..<3).map { _ in try seconds { try work(k) } }.min()! }
        let small = try best(n)
        return try best(4 * n) / max(small, 1e-6)
    }

    static func bundled() throws -> [RuleSet] {
        try RuleLoader().load(paths: BundledRules.ruleFiles.map(\.path))
    }

    // MARK: 1. linear stages

    /// `整改率达1%。` × 8,000: each rate's share total used to filter every fact (3.6 s in release).
    @Test func manyRatesAreLinear() throws {
        let pipeline = Pipeline(ruleSets: try Self.bundled(), timeLimit: nil)
        var outcomes = [Outcome]()
        let g = try Self.growth(2_000) { n in
            let text = String(repeating: "整改率达1%。", count: n)
            outcomes = try pipeline.check(bytes: Array(text.utf8), name: "rates.txt").report.outcomes
        }
        #expect(!outcomes.isEmpty)
        #expect(g < 8, "4 times the rates took \(g) times as long")
    }

    /// The innermost section found by binary search and the enclosing sections is the one the linear
    /// search finds, at every offset of a bulletin with nested headings and items.
    @Test func sectionLookupAgreesWithTheLinearSearch() {
        var text = "市审计局:\n"
        for i in 0..<60 {
            text += "一、部分\(i)\n(一)小节\(i)\n1.条目\(i)整改完成3项。\n2.条目整改率达50%。\n(二)小节\n正文\(i)。\n"
        }
        let doc = document(text)
        #expect(doc.sectionParents.count == doc.sections.count)
        for offset in 0..<doc.count {
            let linear = doc.sections.last { $0.body.contains(offset) }
            #expect(doc.innermostSection(at: offset) == linear)
            var path = linear?.path ?? []
            if let linear, let item = linear.items.last(where: { $0.body.contains(offset) }) {
                path.append(item.numeral)
            }
            #expect(doc.sectionPath(at: offset) == path)
        }
    }

    /// 20,000 headings and 20,000 items in one section: segmenting and extracting used to copy the items per
    /// item and scan every section per figure (51 s in release for 1.7 MB).
    @Test func nestedHeadingsAndLongSectionsAreLinear() {
        func headings(_ n: Int) -> String { (0..<n).map { "(一)小节\($0)\n整改完成3项。\n" }.joined() }
        func items(_ n: Int) -> String { "一、部分\n" + (0..<n).map { "\($0 % 9 + 1).条目整改完成3项。\n" }.joined() }
        for make in [headings, items] {
            let g = Self.growth(5_000) { n in _ = FactExtractor().extract(document(make(n))) }
            #expect(g < 8, "4 times the lines took \(g) times as long")
        }
        #expect(document(items(20_000)).sections.first?.items.count == 20_000)
    }

    /// The contact-block e-mail pattern on one 200 KB line of letters: each start used to scan to the end
    /// of the line, past the Swift engine's step budget (nil: undecided), then ICU past the rule's time.
    @Test func leadingRunIsSkippedAfterAFailedAttempt() throws {
        let email = ScalarRegex("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}")!
        let line = Array(String(repeating: "a", count: 200_000).unicodeScalars)
        #expect(email.matches(in: line, range: 0..<line.count) == [])
        // Still found after the run, and the same as ICU around it.
        let text = String(repeating: "a", count: 1000) + " 见 jd@example.gov.cn 与 x@y.cn"
        let scalars = Array(text.unicodeScalars)
        let ours = email.matches(in: scalars, range: 0..<scalars.count)!.map(\.range)
        let icu = try SendableRegex("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}").icuMatches(
            in: text, names: []
        ).map(\.range)
        #expect(ours == icu)
        #expect(ours.count == 2)
        // A lazy run, a run in a group, and a run of one scalar.
        for pattern in ["(a+?)b", "(?:x*)y", "a+c"] {
            let r = ScalarRegex(pattern)!
            #expect(r.matches(in: line, range: 0..<line.count) == [], "\(pattern)")
        }
    }

    /// The bundled contact-block rule, its four patterns joined into one alternation, on a 200 KB line of a
    /// xunshi bulletin: digits, `整改率达1%。` repeated, and seeded random CJK with digits and dashes. On the
    /// digits the e-mail branch's leading `[A-Za-z0-9._%+-]+` used to run to the end of the line from every
    /// digit, and the rule gave up after its 200 ms (an error outcome); the per-branch leading-run skip makes
    /// the search linear (a few milliseconds in a release build, docs/benchmarks.md). The pattern limit here
    /// is a generous 5 s, for a debug build on a loaded machine; the old search needed far more.
    @Test(arguments: ["digits", "rates", "random"])
    func bundledContactBlockOnALongLineEndsWithoutPatternTimeout(_ body: String) throws {
        var line: String
        switch body {
        case "digits": line = String(repeating: "1", count: 200_000)
        case "rates": line = String(repeating: "整改率达1%。", count: 10_000)
        default:
            var g = SeededGenerator(seed: 12)
            let alphabet = Array("整改率达完成问题项个件监督已推进工作0123456789-:( ".unicodeScalars)
            line = String(String.UnicodeScalarView((0..<70_000).map { _ in g.pick(alphabet) }))
        }
        line = "关于巡视整改进展情况的通报\n" + line
        let pipeline = Pipeline(ruleSets: try Self.bundled(), patternTimeLimit: .seconds(5), timeLimit: nil)
        let report = try pipeline.check(bytes: Array(line.utf8), name: "line.txt").report
        #expect(report.document.genre == "xunshi-progress")
        let contact = report.outcomes.filter { $0.ruleID == "contact-block" }
        #expect(contact.map(\.status) == [.fail], "\(contact.map(\.message))")
        #expect(contact.first?.message == "contact block (phone, postal box or e-mail) in document: none found")
    }

    @Test func longSingleLineChecksWithoutPatternTimeout() throws {
        // The bundled contact-block e-mail pattern alone, on a line of letters (the whole pattern's leading run).
        let set = try rules(
            #"""
            assay: 1
            ruleset: t
            rules:
              - id: contact-block
                title: contact
                kind: require
                patterns:
                  - "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"
            """#)
        let pipeline = Pipeline(ruleSets: [set], timeLimit: nil)
        let line = String(repeating: "a", count: 200_000)
        let outcomes = try pipeline.check(bytes: Array(line.utf8), name: "line.txt").report.outcomes
        let contact = outcomes.filter { $0.ruleID == "contact-block" }
        #expect(contact.map(\.status) == [.fail], "\(contact.map(\.message))")
    }

    // MARK: 2. the time budget

    @Test func overBudgetIsThrownWithItsStage() throws {
        let pipeline = Pipeline(ruleSets: try Self.bundled(), timeLimit: .zero)
        #expect(throws: Pipeline.OverBudget.self) { try pipeline.check(bytes: sampleBytes(), name: "s.txt") }
        do {
            _ = try pipeline.check(bytes: sampleBytes(), name: "s.txt")
        } catch let e as Pipeline.OverBudget {
            #expect(e.stage == .decode)
            #expect(e.limit == .zero)
        }
        let e = Pipeline.OverBudget(stage: .extract, elapsed: .milliseconds(5_020), limit: .seconds(5))
        #expect(e.description == "checking took longer than the 5 s budget (stopped in extract after 5.02 s)")
        let f = Pipeline.OverBudget(stage: .evaluate, elapsed: .microseconds(1_500), limit: .milliseconds(1))
        #expect(f.description == "checking took longer than the 1 ms budget (stopped in evaluate after 1.5 ms)")
        // The default: 5 s.
        #expect(Pipeline(ruleSets: []).timeLimit == .seconds(5))
    }

    /// A 4 MB bulletin with a 20 ms budget stops soon after the budget, inside a stage, not at the end.
    @Test func overBudgetStopsALongCheckEarly() throws {
        let sample = String(decoding: sampleBytes(), as: UTF8.self)
        let big = String(repeating: sample + "\n", count: 4_000_000 / sample.utf8.count)
        let pipeline = Pipeline(ruleSets: try Self.bundled(), timeLimit: .milliseconds(20))
        var stage: Pipeline.Stage?
        let t = Self.seconds {
            do { _ = try pipeline.check(bytes: Array(big.utf8), name: "big.txt") } catch let e as Pipeline.OverBudget {
                stage = e.stage
            } catch {}
        }
        #expect(stage != nil)
        #expect(t < 10, "took \(t) s")
    }

    // MARK: 3. rule file bounds

    @Test func deeplyNestedExpectIsAnErrorNotACrash() throws {
        let deep = String(repeating: "(", count: 20_000) + "a" + String(repeating: ")", count: 20_000)
        let yaml = """
            assay: 1
            ruleset: t
            rules:
              - id: deep
                title: deep
                kind: consistency
                check: expression
                facts:
                  a: {kind: quantity}
                expect: "\(deep) == 1"
            """
        #expect {
            _ = try rules(yaml)
        } throws: { error in
            let d = (error as! RuleLoadFailure).errors
            return d.count == 1 && d[0].line == 10 && d[0].column == 13
                && d[0].message == "expect '\(String(repeating: "(", count: 80))…': at character 101: "
                    + "the expression is nested more than 100 deep"
        }
        // 100 deep is still fine.
        let ok = String(repeating: "(", count: 99) + "a" + String(repeating: ")", count: 99) + " == 1"
        #expect(throws: Never.self) { _ = try Expression.parse(ok) }
    }

    @Test func aliasExpansionIsBounded() throws {
        let big = String(repeating: "x", count: 10_000)
        let aliases = String(repeating: "*t, ", count: 15_000) + "*t"
        let yaml = """
            assay: 1
            ruleset: t
            rules:
              - id: r
                title: &t "\(big)"
                kind: forbid
                phrases: [\(aliases)]
            """
        #expect(yaml.utf8.count < 100_000)
        #expect {
            _ = try rules(yaml)
        } throws: { error in
            let d = (error as! RuleLoadFailure).errors
            return d.count == 1
                && d[0].message
                    == "the rule file expands to more than 4 MiB of text through its aliases (*name); write it out or reuse less"
        }
        // A few aliases are fine.
        let small =
            "assay: 1\nruleset: t\nrules:\n  - id: r\n    title: &t abc\n    kind: forbid\n    phrases: [*t, *t]\n"
        #expect(try rules(small).rules.count == 1)
    }

    @Test func ruleFileSizeIsBounded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bounds-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("big.yml")
        try Data(("# " + String(repeating: "x", count: 2_000_000) + "\nassay: 1\n").utf8).write(to: file)
        #expect {
            _ = try RuleLoader().load(file: file.path)
        } throws: { error in
            (error as! RuleLoadFailure).errors.map(\.message) == [
                "the rule file is 2000012 bytes; a rule file may have at most 1048576 bytes (1 MiB)"
            ]
        }
    }

    // MARK: 4. wrong without a word

    /// `(整改)\1` as a second pattern: joined as `(?:p1)|(?:p2)` its group became 2 and `\1` pointed at the
    /// first pattern's group, so the forbid passed.
    @Test func backReferenceInASecondPatternStillMatches() throws {
        let set = try rules(
            """
            assay: 1
            ruleset: t
            rules:
              - id: no-stutter
                title: no doubled words
                kind: forbid
                patterns: ["(无关)", "(整改)\\\\1"]
            """)
        let doc = document("我们整改整改到位。")
        let outcomes = evaluate(set, doc, [])
        #expect(outcomes.map(\.status) == [.fail])
        #expect(outcomes.first?.message == "the document contains 整改整改, which must not appear")
        #expect(SendableRegex.hasBackreference("(整改)\\1"))
        #expect(SendableRegex.hasBackreference("(?<w>整改)\\k<w>"))
        #expect(!SendableRegex.hasBackreference("\\\\1[\\1]\\d"))
        #expect(throws: SendableRegex.NotJoinable.self) {
            try SendableRegex(joining: [try SendableRegex("a"), try SendableRegex("(b)\\1")])
        }
    }

    /// More than 18 digits: exact to 38, never split, and longer numbers are not figures.
    @Test func longNumbersAreExactOrNotFigures() {
        let facts = FactExtractor().extract(document("整改率为0.12345678901234567891%。")).facts
        #expect(facts.map(\.text) == ["0.12345678901234567891%"])
        #expect(facts.first?.value.decimal == Decimal(string: "0.12345678901234567891"))
        let integer = FactExtractor().extract(document("共计12345678901234567891项。")).facts
        #expect(integer.map(\.text) == ["12345678901234567891项"])
        #expect(integer.first?.value.decimal == Decimal(string: "12345678901234567891"))
        let long = String(repeating: "1", count: 39)
        #expect(FactExtractor().extract(document("共计\(long)项,整改率\(long)%。")).facts.isEmpty)
        #expect(Measure.parse(long + "%") == nil)
        #expect(
            Measure.parse(String(repeating: "1", count: 38) + "%")?.value
                == Decimal(string: String(repeating: "1", count: 38)))
    }

    /// UTF-16 without a byte-order mark is recognised, in both byte orders, with and without ASCII.
    @Test func utf16WithoutBOM() throws {
        for text in ["市审计局:\n整改率达79%。\n", "市审计局整改完成"] {
            var le = [UInt8]()
            var be = [UInt8]()
            for u in text.utf16 {
                le += [UInt8(u & 0xFF), UInt8(u >> 8)]
                be += [UInt8(u >> 8), UInt8(u & 0xFF)]
            }
            let l = try TextDecoder().decode(le)
            #expect(l.string == text)
            #expect(l.encoding == .utf16LE)
            let b = try TextDecoder().decode(be)
            #expect(b.string == text)
            #expect(b.encoding == .utf16BE)
        }
        // A binary file is still binary; GB18030 is still GB18030.
        #expect(throws: DecodingError.binary(byteOffset: 6)) {
            try TextDecoder().decode([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00])
        }
        #expect(try TextDecoder().decode([0xCA, 0xD0, 0xC9, 0xF3, 0xBC, 0xC6, 0xBE, 0xD6]).encoding == .gb18030)
    }

    /// A file over the limit is refused from its size, before it is read: a sparse 64 GiB file would take
    /// minutes and all the memory to read.
    @Test func oversizedInputIsRefusedWithoutReadingIt() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("assay-sparse-\(UUID()).txt").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("a".utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(truncate(path, 64 << 30) == 0)
        let t = Self.seconds {
            #expect(
                InputFile.read(path, maxBytes: 16 << 20)
                    == .failure(.tooLarge(size: 64 << 30, limit: 16 << 20, grew: false)))
        }
        #expect(t < 1)
    }
}
