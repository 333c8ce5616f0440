import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Dates, ranges, as-of dates, deadlines, durations and the document's own dates.
@Suite struct ExtractionDateTests {
    @Test func datesAtTheirStatedPrecision() {
        let f = ExtractionProbe.facts("2022年召开大会,2022年9月启动,2022年9月8日通报,2021年度考核优秀,材料日期2023-04-07。")
        #expect(f.map(\.kind) == [.date, .date, .date, .date, .date])
        #expect(
            f.map(\.value) == [
                .date("2022"), .date("2022-09"), .date("2022-09-08"), .date("2021"), .date("2023-04-07"),
            ])
        #expect(f[3].text == "2021年度")
    }

    @Test func dateRanges() {
        let f = ExtractionProbe.facts("2023年2—9月,巡察组于2023年3月1日至4月30日进驻,实施2023-2025年规划,2021年至2022年连续考核。")
        let ranges = f.filter { $0.kind == .dateRange }
        #expect(
            ranges.map(\.value) == [
                .range(start: "2023-02", end: "2023-09"), .range(start: "2023-03-01", end: "2023-04-30"),
                .range(start: "2023", end: "2025"), .range(start: "2021", end: "2022"),
            ])
        #expect(ranges.map(\.text) == ["2023年2—9月", "2023年3月1日至4月30日", "2023-2025年", "2021年至2022年"])
    }

    @Test func datesWithoutAYearTakeTheLatestYearMentioned() {
        let f = ExtractionProbe.facts("2022年11月5日开展检查,12月3日完成复核。")
        #expect(f.map(\.value) == [.date("2022-11-05"), .date("2022-12-03")])
    }

    @Test func asOfIncludesJiezhiAndSetsTheDocumentAsOf() {
        let e = ExtractionProbe.extract("截至2022年6月30日,已整改问题40个。截止2022年5月31日,退赔资金3万元。")
        let asOf = e.facts.filter { $0.kind == .asOf }
        #expect(asOf.map(\.text) == ["截至2022年6月30日", "截止2022年5月31日"])
        #expect(asOf.map(\.value) == [.date("2022-06-30"), .date("2022-05-31")])
        #expect(e.dates.asOf == "2022-06-30")
    }

    @Test func asOfWithoutADateIsUnresolved() {
        let f = ExtractionProbe.facts("截至目前,已完成整改15个。")
        #expect(f.first?.kind == .asOf && f.first?.text == "截至目前" && f.first?.value == .unresolved)
    }

    @Test func dateFollowedByQianIsADeadline() {
        let f = ExtractionProbe.facts("剩余问题于2023年底前全部整改到位,2023年6月30日前完成验收。")
        #expect(f.map(\.kind) == [.deadline, .deadline])
        #expect(f.map(\.text) == ["于2023年底前", "2023年6月30日前"])
        #expect(f.map(\.value) == [.date("2023-12"), .date("2023-06-30")])
    }

    @Test func yuBeforeAFutureDateIsADeadlineAndBeforeAPastDateADate() {
        let e = ExtractionProbe.extract("该项目于2021年3月开工,计划于2023年投入使用。", name: "x-2022-05-10.txt")
        #expect(e.facts.map(\.kind) == [.date, .deadline])
        #expect(e.facts.map(\.text) == ["2021年3月", "于2023年"])
        #expect(e.facts[1].value == .date("2023"))
    }

    @Test func yuInsideAWordIsNotADeadlineMarker() {
        let e = ExtractionProbe.extract("关于2022年度预算执行的审计,推动于2022年底完成。", name: "x-2022-03-01.txt")
        #expect(e.facts.map(\.kind) == [.date, .deadline])
        #expect(e.facts.map(\.text) == ["2022年度", "于2022年底"])
    }

    @Test func withinNYearsIsAPeriodFromPublication() {
        let e = ExtractionProbe.extract("力争两年内建成示范点,6个月内完成清理。", name: "x-2022-03-01.txt")
        #expect(e.facts.map(\.text) == ["两年内", "6个月内"])
        #expect(e.facts[0].kind == .deadline)
        #expect(e.facts[0].value == .period(duration: "P2Y", start: "2022-03-01", end: "2024-02-29"))
        #expect(e.facts[1].value == .period(duration: "P6M", start: "2022-03-01", end: "2022-08-31"))
    }

    @Test func nextYearInsideAQuotedSpeechUsesTheSpeechDate() {
        let text = "2019年5月6日,他在大会上指出:“我们将于明年举办博览会。”同时明确明年3月底前完成评估。"
        let e = ExtractionProbe.extract(text, name: "x-2021-02-01.txt")
        let next = e.facts.filter { $0.relative }
        #expect(next.map(\.text) == ["明年", "明年3月底前"])
        #expect(next.map(\.value) == [.date("2020"), .date("2022-03")])
        #expect(next.allSatisfy { $0.kind == .deadline })
    }

    @Test func aDateWithItsSeparatorsMissing() {
        let f = ExtractionProbe.facts("2022816日召开推进会,20231205日通报。")
        #expect(f.map(\.value) == [.date("2022-08-16"), .date("2023-12-05")])
        #expect(f.map(\.text) == ["2022816日", "20231205日"])
    }

    @Test func thisYearInsideAQuotedSpeechUsesTheSpeechYear() {
        let e = ExtractionProbe.extract("2020年3月2日,他在会上指出:“今年要建成示范区。”", name: "x-2021-06-01.txt")
        #expect(e.facts.first { $0.text == "今年" }?.value == .date("2020"))
    }

    @Test func aDateAloneInItsClauseIsLabelledByTheNextClause() {
        #expect(ExtractionProbe.fact("2022年以来,累计培训干部300人次。", "2022年")?.label == "累计培训干部300人次")
    }

    @Test func lianxuNYearsIsADurationOnTheYears() {
        let f = ExtractionProbe.facts("连续3年获评先进单位,实施五年行动计划。")
        #expect(f.map(\.text) == ["3年", "五年"])
        #expect(f.map(\.kind) == [.duration, .duration])
        #expect(f.map(\.value) == [.duration("P3Y"), .duration("P5Y")])
    }

    @Test func previousAuditYearIsUnresolved() {
        let f = ExtractionProbe.facts("比上年度增长2个百分点。")
        #expect(f.first?.text == "上年度" && f.first?.kind == .date && f.first?.value == .unresolved)
    }

    // MARK: - Document dates

    @Test func publishedFromJinRiAgainstTheLatestAsOf() {
        let e = ExtractionProbe.extract("今(8)日,某区发布整改进展。截至2023年3月5日,已完成整改12个。")
        #expect(e.dates.published == "2023-03-08")
        #expect(e.dates.asOf == "2023-03-05")
        #expect(e.facts.first?.value == .date("2023-03-08") && e.facts.first?.label == "发布日期")
    }

    @Test func publishedRollsOverToTheNextMonthWhenTheDayIsBeforeTheAsOf() {
        let e = ExtractionProbe.extract("今(2)日发布。截至2023年3月28日,已完成整改12个。")
        #expect(e.dates.published == "2023-04-02")
    }

    @Test func publishedFromTheFileNameOrTheSignatureLine() {
        #expect(
            ExtractionProbe.extract("已完成整改12个。", name: "county-2022-08-15-xuncha.txt").dates.published == "2022-08-15")
        let signed = ExtractionProbe.extract("已完成整改12个。\n中共某县委巡察办\n2022年9月1日\n", name: "n.txt")
        #expect(signed.dates.published == "2022-09-01")
        #expect(ExtractionProbe.extract("已完成整改12个。").dates.published == nil)
    }
}

extension Fact {
    /// True for 今年 / 明年 style facts, in these tests.
    var relative: Bool { text.hasPrefix("明年") || text.hasPrefix("今年") }
}
