import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Every example of every bundled rule, and every fixture in Rules/tests/, run as tests.
@Suite struct RuleExamplesTests {
    static let sets = try! RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])

    struct Example: CustomTestStringConvertible, Sendable {
        var setIndex: Int
        var ruleIndex: Int
        var snippet: String
        /// What the snippet must give: `pass` (no problem), `fail` or `missing`.
        var expected: OutcomeStatus
        var testDescription: String {
            let rule = RuleExamplesTests.sets[setIndex].rules[ruleIndex]
            return "\(rule.id) \(expected.rawValue): \(snippet.prefix(30))"
        }
    }

    static let examples: [Example] = sets.enumerated().flatMap { si, set in
        set.rules.enumerated().flatMap { ri, rule in
            rule.examples.pass.map { Example(setIndex: si, ruleIndex: ri, snippet: $0, expected: .pass) }
                + rule.examples.fail.map { Example(setIndex: si, ruleIndex: ri, snippet: $0, expected: .fail) }
                + rule.examples.missing.map { Example(setIndex: si, ruleIndex: ri, snippet: $0, expected: .missing) }
        }
    }

    @Test(arguments: examples)
    func example(_ e: Example) {
        let set = Self.sets[e.setIndex]
        let rule = set.rules[e.ruleIndex]
        let outcomes = RuleTestRunner(ruleSets: Self.sets).outcomes(of: rule, in: set, snippet: e.snippet)
        let got = "\(outcomes.map { "\($0.status): \($0.message)" })"
        switch e.expected {
        case .pass: #expect(!outcomes.isEmpty && outcomes.allSatisfy { !$0.isProblem }, "\(got)")
        case .fail: #expect(outcomes.contains { $0.status == .fail }, "\(got)")
        default:
            #expect(
                outcomes.contains { $0.status == .missing }
                    && !outcomes.contains { $0.status == .fail || $0.status == .error }, "\(got)")
        }
    }

    @Test func everyBundledRuleHasPassAndFailExamples() {
        for set in Self.sets {
            // A progress rule compares a bulletin with earlier ones, which one snippet cannot hold: SeriesTests
            // check the bundled ones on series of bulletins.
            for rule in set.rules where rule.kind.rawValue != "progress" {
                #expect(!rule.examples.pass.isEmpty && !rule.examples.fail.isEmpty, "\(rule.id)")
            }
        }
    }

    @Test func fixtures() {
        let r = RuleTestRunner(ruleSets: Self.sets).runFixtures(
            folder: repoRoot.appendingPathComponent("Rules/tests").path)
        #expect(r.failed == 0, "\(r.lines.joined(separator: "\n"))")
        #expect(r.passed == 24)
    }

    /// A fixture is read as rule files are: its mistakes are reported at their place, and the bulletin is
    /// not checked against a half-read list.
    @Test func fixtureMistakesAreReportedAtTheirPlace() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = marked(
            "expect:\n  - {rule: a, status: pass, ‸sectoin: x}\n  - {rule: b, status: ‸passed}\n‸absnt: []\n")
        let path = folder.appendingPathComponent("one.expect.yml").path
        try yaml.text.write(toFile: path, atomically: true, encoding: .utf8)
        try "市审计局:整改\n".write(toFile: folder.appendingPathComponent("one.txt").path, atomically: true, encoding: .utf8)
        let r = RuleTestRunner(ruleSets: Self.sets).runFixture(expectPath: path)
        let p = yaml.places
        #expect(r.passed == 0 && r.failed == 1)
        #expect(
            r.lines == [
                "FAIL \(path):\(p[0].line):\(p[0].column): error: unknown key 'sectoin' in each item of expect; did you mean 'section'?",
                "FAIL \(path):\(p[1].line):\(p[1].column): error: status 'passed' is not one of pass, fail, missing, error, waived, not_applicable; did you mean 'pass'?",
                "FAIL \(path):\(p[2].line):\(p[2].column): error: unknown key 'absnt' in a fixture; did you mean 'absent'?",
            ])
    }

    /// An expectation that does not hold, or a false alarm, names the line of its entry.
    @Test func fixtureFailuresNameTheirEntry() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = try rules(
            "assay: 1\nruleset: t\nrules:\n  - id: phone\n    title: t\n    kind: forbid\n    phrases: [联系电话]\n")
        let path = folder.appendingPathComponent("one.expect.yml").path
        try "expect:\n  - {rule: phone, status: pass}\nabsent:\n  - {rule: phone, status: fail, message: 联系电话}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        try "市审计局:整改\n联系电话:123\n".write(
            toFile: folder.appendingPathComponent("one.txt").path, atomically: true, encoding: .utf8)
        let r = RuleTestRunner(ruleSets: [set]).runFixture(expectPath: path)
        #expect(r.passed == 0 && r.failed == 2)
        #expect(r.lines.count == 2)
        #expect(
            r.lines.first?.hasPrefix(
                "FAIL \(path):4: phone fail with “联系电话” must not appear; got fail [] 全文出现了不应出现的“联系电话”")
                == true)
        #expect(
            r.lines.last
                == "FAIL \(path):2: expected phone pass; got fail [] 全文出现了不应出现的“联系电话” {expected: 联系电话, found: 1}"
        )
    }
}
