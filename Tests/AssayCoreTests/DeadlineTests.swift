import Foundation
import Testing
@testable import AssayValues
@testable import AssayExtraction
@testable import AssayRules
@testable import AssayRenderers
@testable import AssayEdge
@testable import AssayTooling

/// Deadline phrasings read as deadlines, completion told apart from partial progress, the `due`
/// reference falling back from the as-of date to the publication date and the check date, and item
/// markers that stand before a year.
@Suite struct DeadlineTests {
    // MARK: - Facts

    struct Phrase: Sendable, CustomTestStringConvertible {
        var sentence: String
        var text: String
        var value: String
        var offset: Int
        var label: String? = nil
        var testDescription: String { sentence }
    }

    /// Each sentence holds one deadline: its text, ISO value and scalar offset are exact; a deadline
    /// named by a noun (整改时限, Target date) carries that noun as its label.
    static let phrases: [Phrase] = [
        Phrase(sentence: "二是整改时限：2024年6月底。", text: "2024年6月底", value: "2024-06", offset: 7, label: "整改时限"),
        Phrase(sentence: "专项清理整改时限:2024年6月30日前,逐项销号。", text: "2024年6月30日前", value: "2024-06-30", offset: 9,
               label: "整改时限"),
        Phrase(sentence: "该项目计划于2024年底前完成验收。", text: "于2024年底前", value: "2024-12", offset: 5),
        Phrase(sentence: "违规资金计划2024年12月底完成清退。", text: "2024年12月底", value: "2024-12", offset: 6),
        Phrase(sentence: "责令相关单位限期至2024年9月30日整改。", text: "2024年9月30日", value: "2024-09-30", offset: 9),
        Phrase(sentence: "本问题整改期限为2024年3月31日。", text: "2024年3月31日", value: "2024-03-31", offset: 8, label: "整改期限"),
        Phrase(sentence: "对挪用资金力争2024年底前全部追回。", text: "2024年底前", value: "2024-12", offset: 7),
        Phrase(sentence: "完成时限：2023年12月31日", text: "2023年12月31日", value: "2023-12-31", offset: 5, label: "完成时限"),
        Phrase(sentence: "Finding 3. Target date: March 31, 2024.", text: "March 31, 2024", value: "2024-03-31", offset: 24,
               label: "Target date"),
        Phrase(sentence: "The office set a target completion date of March 31, 2024 for the fix.", text: "March 31, 2024",
               value: "2024-03-31", offset: 43, label: "target completion date"),
        Phrase(sentence: "Corrective action is due by September 30, 2024.", text: "by September 30, 2024", value: "2024-09-30",
               offset: 25),
    ]

    @Test(arguments: phrases) func deadlinePhrasingIsADeadline(_ p: Phrase) throws {
        let facts = ExtractionProbe.facts(p.sentence)
        let dated = facts.filter { $0.value.dateString != nil }
        #expect(dated.count == 1, "\(dated.map { "\($0.kind) \($0.text)" })")
        let f = try #require(dated.first)
        #expect(f.kind == .deadline)
        #expect(f.text == p.text)
        #expect(f.value == .date(p.value))
        #expect(f.span.offset == p.offset)
        #expect(f.span.length == p.text.unicodeScalars.count)
        if let label = p.label { #expect(f.label == label) }
    }

    /// An explicit deadline phrase is a deadline even when its date was past at publication; a bare
    /// 于 before a past date stays a date.
    @Test func explicitPhraseIsADeadlineWhateverTheDate() {
        let e = ExtractionProbe.extract("该项目于2020年3月开工,计划于2020年6月完成验收。", name: "x-2022-05-10.txt")
        #expect(e.facts.map(\.kind) == [.date, .deadline])
        #expect(e.facts.map(\.text) == ["2020年3月", "于2020年6月"])
        #expect(e.facts.map(\.span.offset) == [4, 16])
    }

    /// A date the text reports as reached (已于…前完成, 于…已完成, completed by) is a date, not a deadline.
    @Test func completionDatesAreDates() {
        let f = ExtractionProbe.facts("清退工作已于2024年10月底前完成。欠款于2024年3月已全部收回。Finding 4 was completed by March 31, 2024.")
        let dated = f.filter { $0.value.dateString != nil }
        #expect(dated.map(\.kind) == [.date, .date, .date])
        #expect(dated.map(\.text) == ["2024年10月底前", "2024年3月", "March 31, 2024"])
        #expect(dated.map(\.value) == [.date("2024-10"), .date("2024-03"), .date("2024-03-31")])
        #expect(dated.map(\.span.offset) == [6, 22, 62])
    }

    /// 1.2024年3月 is item 1, then March 2024 — not the number 1.2024 with 年 as its unit.
    @Test func itemMarkerBeforeAYearIsAMarkerAndADate() {
        let text = "1.2024年3月,召开专题会议。\n2.2023年12月,印发整改方案。\n１．２０２４年３月，召开推进会。"
        let f = ExtractionProbe.facts(text)
        #expect(!f.contains { $0.kind == .number || $0.kind == .duration || $0.kind == .quantity })
        #expect(f.map(\.kind) == [.date, .date, .date])
        #expect(f.map(\.text) == ["2024年3月", "2023年12月", "２０２４年３月"])
        #expect(f.map(\.value) == [.date("2024-03"), .date("2023-12"), .date("2024-03")])
        #expect(f.map(\.span.offset) == [2, 20, 39])
        #expect(f[0].label == "召开专题会议")
    }

    // MARK: - Due outcomes

    static let header = "assay: 1\nruleset: t\nrules:\n"
    static let dueRule = header + "  - id: due\n    title: t\n    kind: deadline\n    check: due\n"

    /// Extracts the text and checks it with a `due` rule on the given day.
    func due(_ text: String, name: String = "bulletin.txt", rules yaml: String = dueRule, today: String = "2024-07-01") throws -> [Outcome] {
        let doc = ExtractionProbe.document(text, name: name)
        let set = try rules(yaml)
        return Evaluator(today: today).evaluate([set], document: doc, extraction: FactExtractor().extract(doc))
    }

    @Test func overdueTimeLimitFails() throws {
        let o = try due("截至2024年3月31日,该问题整改时限:2023年12月31日。")
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "deadline 2023年12月31日 (2023-12-31) is past at the as-of date 2024-03-31 by 91 days and the work is not reported done")
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
        #expect(o[0].message == "deadline 2024年1月31日 (2024-01-31) is past at the as-of date 2024-03-31 by 60 days and the work is reported only partly done (已完成80%)")
        #expect(o[0].values.last?.text == "partial: 已完成80%")
    }

    @Test func doneBesideAnOverdueDeadlinePasses() throws {
        let o = try due("截至2024年3月31日,整改时限:2023年12月31日,该问题已完成整改。")
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "deadline 2023年12月31日 (2023-12-31) is past at the as-of date 2024-03-31 and the work is reported done (已完成)")
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
        #expect(o[0].message == "deadline 于2024年10月底前 (2024-10-31) is the day the work was done (已于), not a pending deadline")
    }

    @Test func englishTargetDatePastDueInProcessFails() throws {
        let o = try due("As of June 30, 2024. Recommendation 1: target date March 31, 2024. Status: In process.")
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "deadline March 31, 2024 (2024-03-31) is past at the as-of date 2024-06-30 by 91 days and the work is reported only partly done (In process)")
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
        Report(words: "Status: Not started", done: false), Report(words: "The work is to be completed later", done: false),
        Report(words: "Status: Not implemented", done: false), Report(words: "Status: Partially implemented", done: false),
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
        #expect(o[0].message == "deadline 2024年3月31日 (2024-03-31) is past at the publication date 2024-05-20 by 50 days and the work is not reported done")
        #expect(o[0].values.first { $0.name == "reference_kind" }?.text == "published")
        #expect(o[0].values.first { $0.name == "reference" }?.text == "2024-05-20")
    }

    @Test func withoutAnyDateOfItsOwnTheReferenceIsTheCheckDate() throws {
        let o = try due("该问题整改时限:2024年3月31日。", today: "2024-07-01")
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "deadline 2024年3月31日 (2024-03-31) is past at the check date 2024-07-01 by 92 days and the work is not reported done")
        #expect(o[0].values.first { $0.name == "reference_kind" }?.text == "clock")
        let future = try due("该问题整改时限:2024年9月30日。", today: "2024-07-01")
        #expect(future.map(\.message) == ["deadline 2024年9月30日 (2024-09-30) is not past the check date 2024-07-01"])
    }

    /// A reference the rule names is used as named: no as-of date, no check.
    @Test func aNamedReferenceDoesNotFallBack() throws {
        let o = try due("该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt",
                        rules: Self.dueRule + "    reference: as_of\n")
        #expect(o.map(\.status) == [.missing])
        #expect(o[0].message == "no as_of date to compare deadlines with")
        let published = try due("该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt",
                                rules: Self.dueRule + "    reference: published\n")
        #expect(published.map(\.status) == [.fail])
        #expect(published[0].values.first { $0.name == "reference_kind" }?.text == "published")
    }

    @Test func asOfIsPreferredWhenPresent() throws {
        let o = try due("截至2024年2月29日,该问题整改时限:2024年3月31日。", name: "county-2024-05-20-xuncha.txt")
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "deadline 2024年3月31日 (2024-03-31) is not past the as-of date 2024-02-29")
    }
}
