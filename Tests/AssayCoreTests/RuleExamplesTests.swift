import Foundation
import Testing
@testable import AssayCore
import AssayTestSupport

/// Every example of every bundled rule, and every fixture in Rules/tests/, run as tests.
@Suite struct RuleExamplesTests {
    static let sets = try! RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])

    struct Example: CustomTestStringConvertible, Sendable {
        var setIndex: Int
        var ruleIndex: Int
        var snippet: String
        var shouldPass: Bool
        var testDescription: String {
            let rule = RuleExamplesTests.sets[setIndex].rules[ruleIndex]
            return "\(rule.id) \(shouldPass ? "pass" : "fail"): \(snippet.prefix(30))"
        }
    }

    static let examples: [Example] = sets.enumerated().flatMap { si, set in
        set.rules.enumerated().flatMap { ri, rule in
            rule.examples.pass.map { Example(setIndex: si, ruleIndex: ri, snippet: $0, shouldPass: true) }
                + rule.examples.fail.map { Example(setIndex: si, ruleIndex: ri, snippet: $0, shouldPass: false) }
        }
    }

    @Test(arguments: examples)
    func example(_ e: Example) {
        let set = Self.sets[e.setIndex]
        let rule = set.rules[e.ruleIndex]
        let outcomes = RuleTestRunner(ruleSets: Self.sets).outcomes(of: rule, in: set, snippet: e.snippet)
        if e.shouldPass {
            #expect(!outcomes.isEmpty && outcomes.allSatisfy { !$0.isProblem }, "\(outcomes.map { "\($0.status): \($0.message)" })")
        } else {
            #expect(outcomes.contains { $0.status == .fail }, "\(outcomes.map { "\($0.status): \($0.message)" })")
        }
    }

    @Test func everyBundledRuleHasPassAndFailExamples() {
        for set in Self.sets {
            for rule in set.rules {
                #expect(!rule.examples.pass.isEmpty && !rule.examples.fail.isEmpty, "\(rule.id)")
            }
        }
    }

    @Test func fixtures() {
        let r = RuleTestRunner(ruleSets: Self.sets).runFixtures(folder: repoRoot.appendingPathComponent("Rules/tests").path)
        #expect(r.failed == 0, "\(r.lines.joined(separator: "\n"))")
        #expect(r.passed == 24)
    }
}
