import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Labels (the metric of each figure), sections and spans.
@Suite struct ExtractionLabelTests {
    @Test func metricBeforeALinkingVerb() {
        #expect(ExtractionProbe.fact("群众满意率达到96%。", "96%")?.label == "群众满意率")
        #expect(ExtractionProbe.fact("全区办结率为88.5%。", "88.5%")?.label == "全区办结率")
        #expect(ExtractionProbe.fact("系统上线率已达70%。", "70%")?.label == "系统上线率")
    }

    @Test func verbAndObjectBeforeTheValue() {
        #expect(ExtractionProbe.fact("拆除违法建筑、违规广告牌3200余处。", "3200余处")?.label == "拆除违法建筑、违规广告牌")
    }

    @Test func objectNounAfterTheUnit() {
        #expect(ExtractionProbe.fact("梳理出46个问题,逐项整改。", "46个")?.label == "问题")
        #expect(ExtractionProbe.fact("出台八项措施。", "八项")?.label == "措施")
    }

    @Test func statusCountsBorrowTheObjectOfTheTotal() {
        let text = "9个重点项目已完工5个、3个正在施工、1个正在招标。"
        #expect(ExtractionProbe.fact(text, "9个")?.label == "重点项目")
        #expect(ExtractionProbe.fact(text, "5个")?.label == "重点项目已完工")
        #expect(ExtractionProbe.fact(text, "3个")?.label == "重点项目正在施工")
        #expect(ExtractionProbe.fact(text, "1个")?.label == "重点项目正在招标")
    }

    @Test func aFigureRightAfterAnotherSharesItsMetric() {
        let f = ExtractionProbe.facts("立案审查调查9件9人。")
        #expect(f.map(\.label) == ["立案审查调查", "立案审查调查"])
    }

    @Test func aFigureAfterALinkingWordSharesTheMetricOfTheFigureBefore() {
        let f = ExtractionProbe.facts("拆除违章搭建5处合计120平方米。")
        #expect(f.map(\.label) == ["拆除违章搭建", "拆除违章搭建"])
    }

    @Test func listMarkersAreNotPartOfTheMetric() {
        #expect(ExtractionProbe.fact("二是开展谈心谈话65人次。", "65人次")?.label == "开展谈心谈话")
    }

    @Test func connectorsEndTheObjectOnlyAfterTwoCharacters() {
        #expect(ExtractionProbe.fact("检查8个学校和医院。", "8个")?.label == "学校")
        #expect(ExtractionProbe.fact("整治6个村与村结合部。", "6个")?.label == "村与村结合部")
    }

    @Test func aDateLabelsWhatFollowsItAndABracketedDateWhatPrecedesIt() {
        #expect(ExtractionProbe.fact("2022年共收到信访举报58件。", "2022年")?.label == "共收到信访举报58件")
        #expect(ExtractionProbe.fact("《光明日报》(2022年5月3日)专题报道。", "2022年5月3日")?.label == "《光明日报》")
    }

    @Test func anAsOfDateLabelsTheNextClauseUpToItsFigure() {
        #expect(ExtractionProbe.fact("截至2022年12月31日,累计退赃退赔42万元。", "截至2022年12月31日")?.label == "累计退赃退赔")
    }

    @Test func sectionsComeFromTheDocumentSegmenter() {
        let text = "今(5)日发布。\n区教委:加强整改\n一是新建学校3所。二是新增学位1200个。\n区卫健委:守护健康\n一是新建诊所5个。\n"
        let f = ExtractionProbe.facts(text)
        #expect(f.first { $0.text == "3所" }?.section == ["区教委", "一"])
        #expect(
            f.first { $0.text == "1200个" }?.section == ["区教委", "一"]
                || f.first { $0.text == "1200个" }?.section == ["区教委", "二"])
        #expect(f.first { $0.text == "5个" }?.section == ["区卫健委", "一"])
        #expect(f.first?.section == [])
    }

    @Test func spansCountUnicodeScalarsWithLineAndColumn() {
        let m = MarkedText("第一行文字\n整改率达到⟦79%⟧。")
        let f = ExtractionProbe.facts(m.text)
        #expect(f.count == 1)
        #expect(f[0].span == span(m.stretches[0]))
        #expect(f[0].text == "79%")
    }

    // MARK: - English

    @Test func englishNumbersPercentsMoneyAndDates() {
        let text =
            "As of June 30, 2024, the office had closed 1,081 of 1,368 recommendations, an implementation rate of 79%. "
            + "Questioned costs of $1.2 million remain. The remaining actions are due by March 2025."
        let f = ExtractionProbe.facts(text)
        #expect(f.map(\.kind) == [.asOf, .number, .number, .percent, .money, .deadline])
        #expect(f[0].text == "As of June 30, 2024" && f[0].value == .date("2024-06-30"))
        #expect(f[1].value == .number(1081) && f[2].value == .number(1368))
        #expect(f[3].label == "implementation rate" && f[3].value == .number(79) && f[3].unit == "%")
        #expect(
            f[4].text == "$1.2 million" && f[4].value == .number(1_200_000) && f[4].amount == Decimal("1.2")
                && f[4].unit == "USD million")
        #expect(f[5].text == "by March 2025" && f[5].value == .date("2025-03"))
        #expect(ExtractionProbe.extract(text).dates.asOf == "2024-06-30")
    }

    @Test func englishPercentWordAndPlainDates() {
        let f = ExtractionProbe.facts("The audit was issued on January 15, 2024. Completion reached 85 percent.")
        #expect(f.map(\.kind) == [.date, .percent])
        #expect(f[0].value == .date("2024-01-15") && f[1].value == .number(85) && f[1].label == "Completion")
    }
}
