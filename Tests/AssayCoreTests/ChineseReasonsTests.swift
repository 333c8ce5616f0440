import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRules
@testable import AssayValues

/// Chinese messages carry no English fragments from the extraction's tally reasons or from conditions.
@Suite struct ChineseReasonsTests {
    @Test func tallyReasonsAndDoubtsInChinese() {
        let cases: [(String, String)] = [
            ("no total or status word around it", "前后没有合计或状态词"),
            ("not a count", "不是计数"),
            ("unit 制度 is not a count of problems", "单位 制度 不是问题的计数"),
            ("unit 项 is not a count of recommendations", "单位 项 不是建议的计数"),
            ("it counts 人次, not problems", "计的是人次,不是问题"),
            ("the total 54个 is in another paragraph (line 6)", "合计 54个 在另一段(第 6 行)"),
            ("12个 is in another paragraph (line 9) than the total", "12个 与合计不在同一段(第 9 行)"),
            ("two done figures: 7个 and 8个", "有两个 done 数:7个 和 8个"),
            ("two completed figures for the rate 80%", "比率 80% 有两个已完成数"),
            ("something new", "something new"),
        ]
        for (en, zh) in cases { #expect(TallyReasons.chinese(en) == zh, "\(en)") }
    }

    @Test func aConditionInAChineseMessage() throws {
        let set = try rules(
            "assay: 1\nruleset: t\nlanguage: zh\nrules:\n  - id: r\n    title: t\n    kind: require\n    phrases: [原因]\n"
                + "    when: {all: [{phrases: [未整改]}, {not: {select: {role: outstanding}, op: \"==\", target: 0}}]}\n")
        let doc = document("已全部整改。")
        let o = Evaluator(today: "2026-01-01").evaluate([set], document: doc, extraction: FactExtractor().extract(doc))
        #expect(
            o.map(\.message) == ["未检查:全文不满足适用条件:含短语 未整改 且 并非(存在数值 {role: outstanding} == 0)"])
    }
}
