import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Deadline phrasings read as deadlines, completion dates told apart from deadlines, and item markers
/// that stand before a year. What a `due` rule makes of them is in DeadlineKindTests.
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
        Phrase(
            sentence: "专项清理整改时限:2024年6月30日前,逐项销号。", text: "2024年6月30日前", value: "2024-06-30", offset: 9,
            label: "整改时限"),
        Phrase(sentence: "该项目计划于2024年底前完成验收。", text: "于2024年底前", value: "2024-12", offset: 5),
        Phrase(sentence: "违规资金计划2024年12月底完成清退。", text: "2024年12月底", value: "2024-12", offset: 6),
        Phrase(sentence: "责令相关单位限期至2024年9月30日整改。", text: "2024年9月30日", value: "2024-09-30", offset: 9),
        Phrase(sentence: "本问题整改期限为2024年3月31日。", text: "2024年3月31日", value: "2024-03-31", offset: 8, label: "整改期限"),
        Phrase(sentence: "对挪用资金力争2024年底前全部追回。", text: "2024年底前", value: "2024-12", offset: 7),
        Phrase(sentence: "完成时限：2023年12月31日", text: "2023年12月31日", value: "2023-12-31", offset: 5, label: "完成时限"),
        Phrase(
            sentence: "Finding 3. Target date: March 31, 2024.", text: "March 31, 2024", value: "2024-03-31",
            offset: 24,
            label: "Target date"),
        Phrase(
            sentence: "The office set a target completion date of March 31, 2024 for the fix.", text: "March 31, 2024",
            value: "2024-03-31", offset: 43, label: "target completion date"),
        Phrase(
            sentence: "Corrective action is due by September 30, 2024.", text: "by September 30, 2024",
            value: "2024-09-30",
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
}
