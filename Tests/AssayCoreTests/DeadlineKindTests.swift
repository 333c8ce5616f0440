import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// `kind: deadline` (Kinds/DeadlineKind.swift): reading, outcomes and messages; for `due`, completion
/// told apart from partial progress, the reference falling back from the as-of date to the
/// publication date and the check date, and `reference` lists. How deadlines are read from a bulletin is
/// in DeadlineTests; periods in working days in WorkdayCalendarTests.
@Suite struct DeadlineKindTests {
    @Test func unknownCheckAndMissingKeysAreErrors() {
        #expect(
            loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: asof\n")
                == [
                    "t.yml:7:12: error: deadline check 'asof' is not one of due, as_of, order, within; did you mean 'as_of'?"
                ])
        #expect(
            loadErrors(
                "  - id: d\n    title: t\n    kind: deadline\n    check: within\n    from: as_of\n    to: published\n")
                == ["t.yml:4:5: error: check 'within' needs 'max', a period such as '2 months' or '60 days'"])
        #expect(
            loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: order\n    dates: [as_of]\n")
                == ["t.yml:8:12: error: check 'order' needs 'dates', a list of at least two dates"])
        #expect(
            loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: order\n    dates: [as_of, today]\n")
                == ["t.yml:8:20: error: dates 'today' is not as_of, published, clock, a $target or a fact selector"])
    }

    @Test func asOfPassesOnADateAndIsMissingWithoutOne() throws {
        let set = try one("  - id: a\n    title: t\n    kind: deadline\n    check: as_of\n")
        let doc = document("截至2021年1月3日,已完成整改问题12个。")
        let pass = evaluate(set, doc, [fact(doc, "截至2021年1月3日", .asOf, .date("2021-01-03"))])
        #expect(pass.map(\.status) == [.pass])
        #expect(pass[0].message == "explicit as-of date: 截至2021年1月3日")
        #expect(pass[0].values == [NamedValue("as_of", "2021-01-03")])
        let missing = evaluate(set, document("已完成整改问题12个。"), [])
        #expect(missing.map(\.status) == [.missing])
        #expect(missing[0].message == "no as-of date (截至…) found: the figures have no stated date")
    }

    @Test func withinPassesInsideTheLimit() throws {
        let doc = document("2020年9月10日反馈意见。2020年10月20日报送整改情况报告。")
        let set = try one(
            "  - id: w\n    title: t\n    kind: deadline\n    check: within\n    from: {kind: date, label: 反馈}\n    to: {kind: date, label: 报送}\n    max: 2 months\n"
        )
        let o = evaluate(
            set, doc,
            [
                fact(doc, "2020年9月10日", .date, .date("2020-09-10"), label: "反馈意见"),
                fact(doc, "2020年10月20日", .date, .date("2020-10-20"), label: "报送整改情况报告"),
            ])
        #expect(o.map(\.status) == [.pass])
    }

    /// One bulletin and one rule of each deadline check (as_of, due, order, within), with its facts: the
    /// English messages here, the Chinese ones in MessagesTests.
    static func fourChecks() throws -> (Document, RuleSet, [Fact], DocumentDates) {
        let doc = document("2020年9月10日反馈意见。截至2021年1月3日,已完成。相关工作于2020年6月底前完成部署。2021年1月20日报送整改情况报告。")
        let set = try one(
            """
              - id: asof
                title: t
                kind: deadline
                check: as_of
              - id: due
                title: t
                kind: deadline
                check: due
                reference: as_of
              - id: order
                title: t
                kind: deadline
                check: order
                dates: [{kind: date, label: 反馈}, as_of, published]
              - id: within
                title: t
                kind: deadline
                check: within
                from: {kind: date, label: 反馈}
                to: {kind: date, label: 报送}
                max: 2 months
            """)
        let facts = [
            fact(doc, "2020年9月10日", .date, .date("2020-09-10"), label: "反馈意见"),
            fact(doc, "截至2021年1月3日", .asOf, .date("2021-01-03")),
            fact(doc, "于2020年6月底前", .deadline, .date("2020-06")),
            fact(doc, "2021年1月20日", .date, .date("2021-01-20"), label: "报送整改情况报告"),
        ]
        return (doc, set, facts, DocumentDates(published: "2021-01-05", asOf: "2021-01-03"))
    }

    @Test func deadlineChecks() throws {
        let (doc, set, facts, dates) = try Self.fourChecks()
        let o = evaluate(set, doc, facts, dates: dates)
        #expect(o.map(\.status) == [.pass, .fail, .pass, .fail])
        #expect(
            o[1].message
                == "deadline 于2020年6月底前 (2020-06-30) is past at the as-of date 2021-01-03 by 187 days and the work is not reported done"
        )
        #expect(o[2].message == "dates in order: 反馈 2020-09-10 ≤ as-of date 2021-01-03 ≤ publication date 2021-01-05")
        #expect(o[3].message == "报送 2021-01-20 is more than 2 months after 反馈 2020-09-10 (limit 2020-11-10)")
    }

    /// A past deadline whose own sentence reports the work done (已完成) passes; its neighbour, in a
    /// sentence without such a word, fails.
    @Test func pastDeadlineReportedAsCompletedPasses() throws {
        let doc = document("截至2021年1月3日。相关工作于2020年6月底前完成部署,已完成。其余工作于2020年8月底前完成。")
        let set = try one("  - id: due\n    title: t\n    kind: deadline\n    check: due\n    reference: as_of\n")
        let facts = [
            fact(doc, "截至2021年1月3日", .asOf, .date("2021-01-03")),
            fact(doc, "于2020年6月底前", .deadline, .date("2020-06")),
            fact(doc, "于2020年8月底前", .deadline, .date("2020-08")),
        ]
        let o = evaluate(set, doc, facts, dates: DocumentDates(published: "2021-01-05", asOf: "2021-01-03"))
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(
            o[0].message
                == "deadline 于2020年6月底前 (2020-06-30) is past at the as-of date 2021-01-03 and the work is reported done (已完成)"
        )
        #expect(
            o[1].message
                == "deadline 于2020年8月底前 (2020-08-31) is past at the as-of date 2021-01-03 by 125 days and the work is not reported done"
        )
    }

    @Test func vagueAsOfIsReported() throws {
        let m = MarkedText("⟦截至目前⟧,已完成整改问题12个。")
        let doc = document(m.text)
        let set = try one("  - id: asof\n    title: t\n    kind: deadline\n    check: as_of\n")
        let o = evaluate(set, doc, [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "'截至目前' gives no date: the figures have no explicit as-of date")
        #expect(o[0].place == span(m.stretches[0]))
    }

    // MARK: - Due outcomes

    static let dueRule = ruleFileHeader + "  - id: due\n    title: t\n    kind: deadline\n    check: due\n"

    /// Extracts the text and checks it with a `due` rule on the given day.
    func due(_ text: String, name: String = "bulletin.txt", rules yaml: String = dueRule, today: String = "2024-07-01")
        throws -> [Outcome]
    {
        let doc = ExtractionProbe.document(text, name: name)
        let set = try rules(yaml)
        return Evaluator(today: today, language: .en).evaluate(
            [set], document: doc, extraction: FactExtractor().extract(doc))
    }

    @Test func overdueTimeLimitFails() throws {
        let o = try due("截至2024年3月31日,该问题整改时限:2023年12月31日。")
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "deadline 2023年12月31日 (2023-12-31) is past at the as-of date 2024-03-31 by 91 days and the work is not reported done"
        )
        #expect(o[0].values.map(\.name) == ["deadline", "reference", "reference_kind", "completion"])
        #expect(o[0].values.map(\.text) == ["2023-12-31", "2024-03-31", "as_of", "not reported"])
    }

    @Test func futureTimeLimitPasses() throws {
        let o = try due("截至2024年3月31日,该问题整改时限:2024年9月30日。")
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "deadline 2024年9月30日 (2024-09-30) is not past the as-of date 2024-03-31")
    }

    @Test func partShareBesideAnOverdueDeadlineFails() throws {
        let o = try due("截至2024年3月31日,整改期限为2024年1月31日,目前已完成80%。")
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "deadline 2024年1月31日 (2024-01-31) is past at the as-of date 2024-03-31 by 60 days and the work is reported only partly done (已完成80%)"
        )
        #expect(o[0].values.last?.text == "partial: 已完成80%")
    }

    @Test func doneBesideAnOverdueDeadlinePasses() throws {
        let o = try due("截至2024年3月31日,整改时限:2023年12月31日,该问题已完成整改。")
        #expect(o.map(\.status) == [.pass])
        #expect(
            o[0].message
                == "deadline 2023年12月31日 (2023-12-31) is past at the as-of date 2024-03-31 and the work is reported done (已完成)"
        )
    }

    /// 已于2024年10月底前完成 is no pending deadline: it is read as a date, so beside a future deadline
    /// only that one is checked, and alone the rule finds no deadline (missing, not failing).
    @Test func completedByADateIsNotOverdue() throws {
        let both = try due("截至2024年12月31日,一期改造已于2024年10月底前完成,二期改造计划于2025年6月底前完工。")
        #expect(both.map(\.status) == [.pass])
        #expect(both[0].message == "deadline 于2025年6月底前 (2025-06-30) is not past the as-of date 2024-12-31")
        let alone = try due("截至2024年12月31日,清退工作已于2024年10月底前完成。")
        #expect(alone.map(\.status) == [.missing])
        #expect(alone[0].message == "no deadline found")
    }

    /// A deadline fact that is itself the completion date (placed by hand, or selected as a date) passes.
    @Test func deadlineFactThatIsTheCompletionDatePasses() throws {
        let doc = document("截至2024年12月31日,清退工作已于2024年10月底前完成。")
        let f = fact(doc, "于2024年10月底前", .deadline, .date("2024-10"))
        let o = evaluate(try rules(Self.dueRule), doc, [f], dates: DocumentDates(asOf: "2024-12-31"))
        #expect(o.map(\.status) == [.pass])
        #expect(
            o[0].message
                == "deadline 于2024年10月底前 (2024-10-31) is the day the work was done (已于), not a pending deadline")
    }

    @Test func englishTargetDatePastDueInProcessFails() throws {
        let o = try due("As of June 30, 2024. Recommendation 1: target date March 31, 2024. Status: In process.")
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "deadline March 31, 2024 (2024-03-31) is past at the as-of date 2024-06-30 by 91 days and the work is reported only partly done (In process)"
        )
    }

    struct Report: Sendable, CustomTestStringConvertible {
        var words: String
        var done: Bool
        var testDescription: String { words }
    }

    /// What the sentence of an overdue deadline says decides its outcome: done passes, partial fails.
    @Test(arguments: [
        Report(words: "该问题已完成整改", done: true), Report(words: "该问题已整改到位", done: true),
        Report(words: "相关任务已全部完成", done: true), Report(words: "该事项已办结", done: true),
        Report(words: "目前已完成80%", done: false), Report(words: "目前部分完成", done: false),
        Report(words: "相关工作正在推进", done: false), Report(words: "目前基本完成", done: false),
        Report(words: "一期已完成,二期尚未启动", done: false), Report(words: "完成进度为60%", done: false),
    ])
    func chineseCompletionWords(_ r: Report) throws {
        let o = try due("截至2024年3月31日,整改时限:2023年12月31日,\(r.words)。")
        #expect(o.map(\.status) == [r.done ? .pass : .fail])
    }

    @Test(arguments: [
        Report(words: "Status: Implemented", done: true), Report(words: "Status: Completed", done: true),
        Report(words: "Status: Closed", done: true), Report(words: "Status: In process - past due", done: false),
        Report(words: "Status: Not started", done: false),
        Report(words: "The work is to be completed later", done: false),
        Report(words: "Status: Not implemented", done: false),
        Report(words: "Status: Partially implemented", done: false),
    ])
    func englishCompletionWords(_ r: Report) throws {
        let o = try due("As of June 30, 2024. Target date: March 31, 2024. \(r.words).")
        #expect(o.map(\.status) == [r.done ? .pass : .fail])
    }

    /// A status line after the deadline's own line (整改情况:…, Status: …) reports its completion; a
    /// status line after the next deadline does not.
    @Test func statusLineAfterTheDeadlineCounts() throws {
        let text = "截至2024年3月31日。\n问题一:整改时限:2023年12月31日;\n整改情况:已完成。\n问题二:整改时限:2023年11月30日。\n"
        let o = try due(text)
        #expect(o.map(\.status) == [.pass, .fail])
        let english = try due("As of June 30, 2024.\nTarget date: March 31, 2024\nStatus: Implemented\n")
        #expect(english.map(\.status) == [.pass])
    }

    // MARK: - Reference

    @Test func withoutAnAsOfDateTheReferenceIsThePublicationDate() throws {
        let o = try due("该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt")
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "deadline 2024年3月31日 (2024-03-31) is past at the publication date 2024-05-20 by 50 days and the work is not reported done"
        )
        #expect(o[0].values.first { $0.name == "reference_kind" }?.text == "published")
        #expect(o[0].values.first { $0.name == "reference" }?.text == "2024-05-20")
    }

    @Test func withoutAnyDateOfItsOwnTheReferenceIsTheCheckDate() throws {
        let o = try due("该问题整改时限:2024年3月31日。", today: "2024-07-01")
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "deadline 2024年3月31日 (2024-03-31) is past at the check date 2024-07-01 by 92 days and the work is not reported done"
        )
        #expect(o[0].values.first { $0.name == "reference_kind" }?.text == "clock")
        let future = try due("该问题整改时限:2024年9月30日。", today: "2024-07-01")
        #expect(future.map(\.message) == ["deadline 2024年9月30日 (2024-09-30) is not past the check date 2024-07-01"])
    }

    /// A reference the rule names is used as named: no as-of date, no check.
    @Test func aNamedReferenceDoesNotFallBack() throws {
        let o = try due(
            "该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt",
            rules: Self.dueRule + "    reference: as_of\n")
        #expect(o.map(\.status) == [.missing])
        #expect(o[0].message == "no as_of date to compare deadlines with")
        let published = try due(
            "该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt",
            rules: Self.dueRule + "    reference: published\n")
        #expect(published.map(\.status) == [.fail])
        #expect(published[0].values.first { $0.name == "reference_kind" }?.text == "published")
    }

    static let fallbackRule = dueRule + "    reference: [as_of, published]\n"

    /// `reference: [as_of, published]`: the first the bulletin has, named in the message and `reference_kind`.
    @Test func aReferenceListTakesTheFirstDateTheBulletinHas() throws {
        let asOf = try due(
            "截至2024年2月29日,该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt", rules: Self.fallbackRule)
        #expect(asOf.map(\.message) == ["deadline 2024年3月31日 (2024-03-31) is not past the as-of date 2024-02-29"])
        #expect(asOf[0].values.first { $0.name == "reference_kind" }?.text == "as_of")
        let published = try due(
            "该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt", rules: Self.fallbackRule)
        #expect(published.map(\.status) == [.fail])
        #expect(
            published[0].message
                == "deadline 2024年3月31日 (2024-03-31) is past at the publication date 2024-05-20 by 50 days and the work is not reported done"
        )
        #expect(published[0].values.first { $0.name == "reference_kind" }?.text == "published")
        #expect(published[0].values.first { $0.name == "reference" }?.text == "2024-05-20")
        let none = try due("该问题整改时限:2024年3月31日。", rules: Self.fallbackRule)
        #expect(none.map(\.status) == [.missing])
        #expect(none[0].message == "no as_of or published date to compare deadlines with")
        #expect(none[0].values == [])
    }

    static let targetHeader =
        "assay: 1\nruleset: t\ntargets:\n  feedback_day: {date: 2024-04-15, source: 反馈会}\nrules:\n"
    static let dueWithTarget = targetHeader + "  - id: due\n    title: t\n    kind: deadline\n    check: due\n"

    /// A selector that finds nothing falls back to a `$target`; `[as_of, clock]` without an as-of date to the check date.
    @Test func aReferenceListFallsBackToATargetOrTheClock() throws {
        let target = try due(
            "该问题整改时限:2024年3月31日。",
            rules: Self.dueWithTarget + "    reference: [{kind: date, label: 检查}, $feedback_day, clock]\n")
        #expect(target.map(\.status) == [.fail])
        #expect(
            target[0].message
                == "deadline 2024年3月31日 (2024-03-31) is past at the $feedback_day 2024-04-15 by 15 days and the work is not reported done"
        )
        #expect(target[0].values.first { $0.name == "reference_kind" }?.text == "$feedback_day")
        let clock = try due("该问题整改时限:2024年3月31日。", rules: Self.dueRule + "    reference: [as_of, clock]\n")
        #expect(
            clock.map(\.message)
                == [
                    "deadline 2024年3月31日 (2024-03-31) is past at the check date 2024-07-01 by 92 days and the work is not reported done"
                ])
        #expect(clock[0].values.first { $0.name == "reference_kind" }?.text == "clock")
        let set = try rules(Self.dueWithTarget + "    reference: [as_of, {kind: date, label: 检查}, $feedback_day]\n")
        guard case .due(_, let ref)? = set.rules.first?.check(as: DeadlineKind.self) else {
            Issue.record("not a due check")
            return
        }
        #expect(ref.description == "as_of, 检查 or $feedback_day")
    }

    /// A selector in the list is taken when it finds a date; the check date after it is then not used.
    @Test func aReferenceListTakesASelectorsDate() throws {
        let doc = document("2024年4月10日检查。该问题整改时限:2024年3月31日。")
        let set = try rules(Self.dueRule + "    reference: [{kind: date, label: 检查}, clock]\n")
        let facts = [
            fact(doc, "2024年4月10日", .date, .date("2024-04-10"), label: "检查"),
            fact(doc, "2024年3月31日", .deadline, .date("2024-03-31")),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "deadline 2024年3月31日 (2024-03-31) is past at the 检查 2024-04-10 by 10 days and the work is not reported done"
        )
        #expect(o[0].values.first { $0.name == "reference_kind" }?.text == "检查")
        #expect(o[0].evidence.map(\.role) == ["deadline", "检查"])
    }

    @Test func referenceListElementsAreChecked() {
        let rule = "  - id: d\n    title: t\n    kind: deadline\n    check: due\n    reference: "
        #expect(
            loadErrors(rule + "[as_of, publshed]\n")
                == [
                    "t.yml:8:24: error: reference 'publshed' is not as_of, published, clock, a $target or a fact selector; did you mean 'published'?"
                ])
        #expect(
            loadErrors(rule + "asof\n")
                == [
                    "t.yml:8:16: error: reference 'asof' is not as_of, published, clock, a $target or a fact selector; did you mean 'as_of'?"
                ])
        #expect(loadErrors(rule + "[as_of, as_of]\n") == ["t.yml:8:24: error: reference lists as_of twice"])
        #expect(
            loadErrors(rule + "[clock, as_of]\n")
                == [
                    "t.yml:8:24: error: reference lists as_of after clock, which is always there: as_of would never be used"
                ])
        #expect(
            loadErrors(rule + "[]\n")
                == ["t.yml:8:16: error: reference is an empty list; give a date, or a list of dates to try in order"])
        do {
            _ = try rules(Self.dueWithTarget + "    reference: [as_of, $feedbak_day]\n", file: "t.yml")
            Issue.record("loaded")
        } catch {
            #expect(
                error.errors.map(\.description)
                    == [
                        "t.yml:10:24: error: reference to undefined date target '$feedbak_day'; did you mean '$feedback_day'?"
                    ])
        }
    }

    @Test func asOfIsPreferredWhenPresent() throws {
        let o = try due("截至2024年2月29日,该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt")
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "deadline 2024年3月31日 (2024-03-31) is not past the as-of date 2024-02-29")
    }
}
