import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Every rule pattern runs under a time limit, in the Swift engine and in ICU alike: a pattern that
/// backtracks without end gives its rule an `error` outcome naming the rule and the pattern, never a stall.
@Suite struct PatternTimeLimitTests {
    /// `(?:a|a)+\d` backtracks exponentially on a run of `a` with no digit: ICU needs 1.4 s for 24 of them,
    /// three times more for every two more. The first is in the Swift engine's subset; the second, with a
    /// lookbehind, is ICU's alone.
    static let scalarPattern = #"(?:联系电话|举报热线)?[:：]?\s*(?:a|a)+\d"#
    static let icuPattern = #"(?<![0-9])(?:联系电话)?\s*(?:a|a)+\d"#

    /// A 100 KB line of `a`.
    static let line = String(repeating: "a", count: 100_000)

    /// Runs `body` on a thread of its own and waits at most `seconds`: nil when it has not returned by then
    /// (the thread is abandoned), so a stall fails the test instead of hanging the run.
    static func finishing<T: Sendable>(within seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        let t = Thread {
            box.value = body()
            done.signal()
        }
        t.stackSize = 8 << 20
        t.start()
        return done.wait(timeout: .now() + seconds) == .timedOut ? nil : box.value
    }

    final class ResultBox<T>: @unchecked Sendable { var value: T? }

    static func ruleSet(_ rulesYAML: String, head: String = "") throws -> RuleSet {
        try rules("assay: 1\nruleset: t\n\(head)rules:\n" + rulesYAML)
    }

    /// The end-to-end case: a rule set loaded from YAML, the whole pipeline, a 100 KB line.
    @Test(arguments: [scalarPattern, icuPattern])
    func pathologicalPatternEndsInAnErrorOutcomeWithinOneSecond(_ pattern: String) throws {
        #expect(pattern.count >= 25)
        let set = try Self.ruleSet(
            """
              - id: contact-block
                title: contact block
                kind: require
                severity: warning
                patterns: ['\(pattern)']
              - id: plain
                title: a phrase
                kind: require
                phrases: [aaa]
            """)
        let pipeline = Pipeline(ruleSets: [set])
        let bytes = Array(Self.line.utf8)
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = Self.finishing(within: 10) { try? pipeline.check(bytes: bytes, name: "a.txt").report.outcomes }
        let elapsed = clock.now - start
        let o = try #require(outcomes ?? nil, "Pipeline.check did not return within 10 s")
        // Never a stall: the limit is 200 ms of matching. The figure itself (0.25 s on a release build,
        // `assay check` of this line) is measured by the benchmark, not here: a debug build on a loaded
        // 2-core machine takes several times longer.
        #expect(elapsed < .seconds(5), "took \(elapsed)")
        let contact = o.filter { $0.ruleID == "contact-block" }
        #expect(contact.map(\.status) == [.error])
        #expect(contact.first?.severity == .error)
        #expect(
            contact.first?.message
                == "pattern '\(pattern)' of rule contact-block gave up after 200 ms on 100000 characters: the bulletin cannot be checked against it"
        )
        // The other rule is checked as usual.
        #expect(o.filter { $0.ruleID == "plain" }.map(\.status) == [.pass])
    }

    /// A run of 40 `a`: far past what ICU can finish, short enough for labels, section names and sentences.
    static let run = String(repeating: "a", count: 40)
    static let slow = "(?:a|a)+\\d"
    /// Section names are short (a unit heading's name has at most 16 scalars, not all ASCII): a wider alternation.
    static let shortRun = "市" + String(repeating: "a", count: 14)
    static let slower = "(?:a|a|a|a)+\\d"

    func expectTimeout(_ outcomes: [Outcome]?, rule: String = "r", pattern: String = slow, characters: Int = 40) {
        guard let outcomes else { Issue.record("the evaluation did not return within 10 s"); return }
        let mine = outcomes.filter { $0.ruleID == rule }
        #expect(mine.map(\.status) == [.error])
        #expect(
            mine.first?.message
                == "pattern '\(pattern)' of rule \(rule) gave up after 200 ms on \(characters) characters: the bulletin cannot be checked against it"
        )
    }

    @Test func labelPatternOfASelector() throws {
        let set = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: threshold
                select: {kind: percent, label: /\(Self.slow)/}
                op: ">="
                target: 80%
            """)
        let doc = document("整改率为79%。\n")
        let f = fact(doc, "79%", .percent, .number(79), unit: "%", label: Self.run)
        expectTimeout(Self.finishing(within: 10) { evaluate(set, doc, [f]) })
    }

    @Test func sectionPatternOfASelector() throws {
        let set = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: threshold
                select: {kind: percent, section: /\(Self.slower)/}
                op: ">="
                target: 80%
            """)
        let doc = document("\(Self.shortRun):整改\n整改率为79%。\n")
        #expect(doc.sections.map(\.name) == [Self.shortRun])
        let f = fact(doc, "79%", .percent, .number(79), unit: "%", label: "整改率")
        expectTimeout(Self.finishing(within: 10) { evaluate(set, doc, [f]) }, pattern: Self.slower, characters: 15)
    }

    @Test func matchSelector() throws {
        let set = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: threshold
                select: {match: '(?<n>[0-9]+)\(Self.slow)', capture: n, type: quantity}
                op: ">="
                target: 80
            """)
        let doc = document("整改12\(Self.run)。\n")
        expectTimeout(
            Self.finishing(within: 10) { evaluate(set, doc, []) }, pattern: "(?<n>[0-9]+)" + Self.slow, characters: 45)
    }

    @Test func sectionScopeAndRequiredSections() throws {
        let set = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: require
                phrases: [整改]
                scope: {section: /\(Self.slower)/}
              - id: s
                title: t
                kind: sections
                require: [/\(Self.slower)/]
            """)
        let doc = document("\(Self.shortRun):整改\n整改率为79%。\n")
        let o = Self.finishing(within: 10) { evaluate(set, doc, []) }
        expectTimeout(o, pattern: Self.slower, characters: 15)
        expectTimeout(o, rule: "s", pattern: Self.slower, characters: 15)
    }

    @Test func appliesToOfARuleAndOfASet() throws {
        let ruleLevel = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: require
                phrases: [aaa]
                applies_to: {text: /\(Self.slow)/}
              - id: other
                title: t
                kind: require
                phrases: [aaa]
            """)
        let doc = document(Self.run)
        let o = Self.finishing(within: 10) { evaluate(ruleLevel, doc, []) }
        expectTimeout(o)
        #expect(o?.filter { $0.ruleID == "other" }.map(\.status) == [.pass])

        let setLevel = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: require
                phrases: [aaa]
              - id: other
                title: t
                kind: require
                phrases: [aaa]
            """, head: "applies_to: {title: /\(Self.slow)/}\n")
        let report = Self.finishing(within: 10) {
            try? Pipeline(ruleSets: [setLevel]).check(bytes: Array(Self.run.utf8), name: "a.txt").report
        }
        let r = try #require(report ?? nil)
        // Every rule of the set is named, with the set's pattern; the set is not reported as not applicable.
        #expect(r.outcomes.map(\.status) == [.error, .error])
        #expect(
            r.outcomes.map(\.message)
                == ["r", "other"].map {
                    "pattern '\(Self.slow)' of rule \($0) (its set's applies_to) gave up after 200 ms on 40 characters: the bulletin cannot be checked against it"
                })
        #expect(r.ruleSets.map(\.notApplicable) == [nil])
    }

    // MARK: the budget

    /// Both engines stop on time, inside one match; the budget keeps the first timeout and every later
    /// search of the rule gives up at once.
    @Test(arguments: [scalarPattern, icuPattern])
    func aSearchGivesUpOnTimeAndLaterSearchesAtOnce(_ pattern: String) throws {
        let regex = try SendableRegex(pattern)
        #expect((regex.engine != nil) == (pattern == Self.scalarPattern))
        let budget = PatternBudget(limit: .milliseconds(50))
        let text = Array(String(repeating: "a", count: 1000).unicodeScalars)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(throws: PatternTimeout(patterns: [pattern], limit: .milliseconds(50), characters: 1000)) {
            try regex.matches(in: text, range: 0..<text.count, names: [], budget: budget)
        }
        #expect(clock.now - start < .milliseconds(500))
        #expect(budget.timeout?.characters == 1000)
        // Even a search that would be quick: the rule's time is gone; the first timeout stays.
        #expect(throws: PatternTimeout.self) { try regex.firstMatch(in: "c", budget: budget) }
        #expect(budget.timeout?.characters == 1000)
    }

    /// Small searches (under 4096 steps of the Swift engine) are not timed: even a spent budget lets them by.
    @Test func smallSearchesAreNotTimed() throws {
        let regex = try SendableRegex("整改率[为达]?(?<rate>[0-9]+%)")
        let budget = PatternBudget(limit: .zero)
        #expect(
            try regex.matches(in: "全年整改率达79%。", names: ["rate"], budget: budget).map(\.captures) == [["rate": 6..<9]])
        #expect(budget.timeout == nil)
    }

    /// The budget is the rule's, not the search's: a `match:` selector whose search takes a moment in every
    /// sentence is stopped once the sentences together have used the limit.
    @Test func theBudgetBoundsTheRuleNotEachSearch() throws {
        let set = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: threshold
                select: {match: '(?<n>[0-9]+)\(Self.slow)', capture: n}
                op: ">="
                target: 80
            """)
        // Each sentence alone takes milliseconds (2^18 paths in ICU); 300 of them take seconds.
        let sentence = "12" + String(repeating: "a", count: 18) + "。"
        let doc = document(String(repeating: sentence, count: 300))
        let evaluator = Evaluator(today: "2026-01-01", patternTimeLimit: .milliseconds(50), language: .en)
        let clock = ContinuousClock()
        let start = clock.now
        let o = Self.finishing(within: 30) {
            evaluator.evaluate([set], document: doc, extraction: Extraction(facts: [], dates: DocumentDates()))
        }
        #expect(clock.now - start < .seconds(1))
        #expect(o?.map(\.status) == [.error])
        #expect(
            o?.first?.message.hasSuffix(
                "gave up after 50 ms on 21 characters: the bulletin cannot be checked against it") == true)
    }

    /// `patterns:` are searched as one alternation; when it gives up, each of them is named.
    @Test func patternsSearchedTogetherAreNamedTogether() throws {
        let set = try Self.ruleSet(
            """
              - id: r
                title: t
                kind: forbid
                patterns: ['b+', '\(Self.slow)']
            """)
        let o = Self.finishing(within: 10) { evaluate(set, document(Self.run), []) }
        #expect(
            o?.map(\.message) == [
                "one of the patterns 'b+', '\(Self.slow)' of rule r gave up after 200 ms on 40 characters: the bulletin cannot be checked against it"
            ])
        #expect(o?.first?.values.map(\.name) == ["pattern", "limit", "characters"])
    }
}
