import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Tallies and roles, read from real extraction: which figure is the total, which are the parts by status,
/// which percents are rates of which part, and the sum and ratio verdicts built on them.
@Suite struct TallyTests {
    /// Facts with a role or a tally, as "text role tally" (role "-" for a category of a breakdown).
    func roles(_ text: String) -> [String] {
        FactExtractor().extract(document(text)).facts.filter { $0.tally != nil }
            .map { "\($0.text) \($0.role?.rawValue ?? "-") \($0.tally!)" }
    }

    static let tallyRules = try! RuleLoader().load(
        yaml: """
            assay: 1
            ruleset: t
            rules:
              - id: sum
                title: t
                kind: consistency
                check: sum
                severity: error
                total: {role: total, tally: [problems, recommendations]}
                # one template would serve missing outcomes too, hiding their reasons: pass and fail only
                message: {pass: "{parts} = {sum}; stated total {total}", fail: "{parts} = {sum}; stated total {total}"}
              - id: money
                title: t
                kind: consistency
                check: sum
                severity: error
                total: {role: total, tally: money}
              - id: rate
                title: t
                kind: consistency
                check: ratio
                severity: error
                rate: {role: rate}
            """, file: "t.yml")

    func outcomes(_ text: String, rule: String) -> [String] {
        let doc = document(text)
        return Evaluator(today: "2026-01-01", language: .en).evaluate(
            [Self.tallyRules], document: doc, extraction: FactExtractor().extract(doc)
        )
        .filter { $0.ruleID == rule }.map { "\($0.status.rawValue): \($0.message)" }
    }

    @Test func statusesAroundTheTotalAndAStatedRate() {
        let t = "巡察反馈的120个问题,完成整改110个,基本完成并持续整改问题6个,未完成4个,总体完成率91.67%。"
        #expect(roles(t) == ["120个 total t1", "110个 done t1", "6个 partial t1", "4个 outstanding t1", "91.67% rate t1"])
        #expect(outcomes(t, rule: "sum") == ["pass: 110 + 6 + 4 = 120个; stated total 120个"])
        #expect(outcomes(t, rule: "rate") == ["pass: 110个 / 120个 = 91.667% agrees with the stated 91.67%"])
    }

    @Test func chineseNumeralTotal() {
        let t = "发现问题十五个,已整改到位11个,部分整改3个,尚未整改1个,整改率为73.3%。"
        #expect(roles(t) == ["十五个 total t1", "11个 done t1", "3个 partial t1", "1个 outstanding t1", "73.3% rate t1"])
        #expect(outcomes(t, rule: "rate") == ["pass: 11个 / 十五个 = 73.33% agrees with the stated 73.3%"])
        #expect(outcomes(t, rule: "sum") == ["pass: 11 + 3 + 1 = 15个; stated total 十五个"])
    }

    @Test func interposedCountsAreNoParts() {
        let t = "涉及5个方面、31个单位共计60项问题,已整改48项,正在整改12项。"
        #expect(roles(t) == ["60项 total t1", "48项 done t1", "12项 partial t1"])
        #expect(outcomes(t, rule: "sum") == ["pass: 48 + 12 = 60项; stated total 60项"])
    }

    @Test func totalAfterItsParts() {
        #expect(roles("已整改40项、正在整改10项,共计50项。") == ["40项 done t1", "10项 partial t1", "50项 total t1"])
        #expect(outcomes("已整改40项、正在整改10项,共计50项。", rule: "sum") == ["pass: 40 + 10 = 50项; stated total 50项"])
        // 共计 says these parts make the total: a mismatch is certain.
        #expect(outcomes("已整改40项、正在整改11项,共计50项。", rule: "sum") == ["fail: 40 + 11 = 51项; stated total 50项"])
    }

    @Test func totalInAnEarlierSentenceOfTheParagraph() {
        let t = "巡察反馈问题46个。截至2月底,已完成整改41个,正在整改5个。"
        #expect(roles(t) == ["46个 total t1", "41个 done t1", "5个 partial t1"])
        #expect(outcomes(t, rule: "sum") == ["pass: 41 + 5 = 46个; stated total 46个"])
    }

    @Test func bracketedRateAndShareOfTheTotal() {
        let t = "反馈问题697个,已完成整改688个(98.71%),正在整改4个,未完成5个。已整改的688个问题中,群众反映强烈的问题占问题总数的12%。"
        #expect(
            Array(roles(t).prefix(5)) == [
                "697个 total t1", "688个 done t1", "98.71% rate t1", "4个 partial t1", "5个 outstanding t1",
            ])
        #expect(outcomes(t, rule: "rate").first == "pass: 688个 / 697个 = 98.709% agrees with the stated 98.71%")
        let share = "反馈问题41个,已整改39个,占问题总数的95.1%,正在整改2个。"
        #expect(roles(share) == ["41个 total t1", "39个 done t1", "95.1% rate t1", "2个 partial t1"])
        #expect(outcomes(share, rule: "rate") == ["pass: 39个 / 41个 = 95.12% agrees with the stated 95.1%"])
    }

    @Test func englishTrackerOfWhich() {
        let t =
            "Of the 117 recommendations, 34 (29.1%) were implemented, 60 are in process and 23 have not been started."
        #expect(roles(t) == ["117 total t1", "34 done t1", "29.1% rate t1", "60 partial t1", "23 outstanding t1"])
        #expect(outcomes(t, rule: "sum") == ["pass: 34 + 60 + 23 = 117; stated total 117"])
        #expect(outcomes(t, rule: "rate") == ["pass: 34 / 117 = 29.06% agrees with the stated 29.1%"])
    }

    @Test func englishStatusTableContinuesTheTally() {
        let t = "Total recommendations 46\nImplemented 27 (58.7%)\nIn process 13 (28.3%)\nNot started 6 (13.0%)\n"
        #expect(
            roles(t) == [
                "46 total t1", "27 done t1", "58.7% rate t1", "13 partial t1", "28.3% rate t1", "6 outstanding t1",
                "13.0% rate t1",
            ])
        #expect(outcomes(t, rule: "sum") == ["pass: 27 + 13 + 6 = 46; stated total 46"])
        #expect(outcomes(t, rule: "rate").count == 3)
        #expect(outcomes(t, rule: "rate").allSatisfy { $0.hasPrefix("pass: ") })
    }

    @Test func ofWhichAfterAPartIsANestedBreakdown() {
        let t = "反馈问题46个,已完成整改41个,其中立行立改30个,正在整改5个。"
        #expect(roles(t) == ["46个 total t1", "41个 done t1", "30个 - t1.1", "5个 partial t1"])
        // The breakdown has one category only, so it is no sum of its own; the outer tally adds up.
        #expect(outcomes(t, rule: "sum") == ["pass: 41 + 5 = 46个; stated total 46个"])
        // A breakdown's categories need not list every case: a shortfall is missing, never a failure.
        let two = "反馈问题46个,已完成整改41个,其中立行立改30个、限期整改10个,正在整改5个。"
        #expect(
            outcomes(two, rule: "sum") == [
                "pass: 41 + 5 = 46个; stated total 46个",
                "missing: 30 + 10 = 40个, but the total is 41个; not checked: it is a 其中 breakdown, which need not list every case; no completed count is stated, so the other 1个 may be in a status the text does not name",
            ])
    }

    @Test func bracketedOfWhichEndsAtTheBracket() {
        let t = "反馈问题54个,已整改到位45个,正在整改7个(其中历史遗留问题4个),尚未整改2个。"
        #expect(outcomes(t, rule: "sum").first == "pass: 45 + 7 + 2 = 54个; stated total 54个")
    }

    @Test func moneyReconcilesAcrossUnits() {
        #expect(
            outcomes("问题资金35.68万元,已整改到位31.2万元,尚未整改44800元。", rule: "money")
                == ["pass: 31.2万元 + 44800元 = 35.68万元 agrees with the total 35.68万元"])
        #expect(
            outcomes("查出问题金额2.5亿元,已整改2.1亿元,尚未整改3000万元。", rule: "money")
                == ["fail: 2.1亿元 + 3000万元 = 2.4亿元, but the total is 2.5亿元"])
        // A 其中 breakdown of the rectified money is not a part of the outer tally.
        let nested = "审计查出问题金额6亿元,已整改5亿元,其中:上缴财政2亿元、归还原资金渠道3亿元;尚未整改1亿元。"
        #expect(outcomes(nested, rule: "money").first == "pass: 5亿元 + 1亿元 = 6亿元 agrees with the total 6亿元")
    }

    /// An audit report's money: the rectified amount named 整改问题金额, its 其中 breakdown, and the
    /// outstanding amount given as what the unfinished problems 涉及.
    @Test func auditMoneyWithItsBreakdownAndTheUnfinishedAmount() {
        let t =
            "审计工作报告共反映问题57个,涉及金额3.28亿元。截至2024年10月31日,已完成整改51个;整改问题金额2.96亿元,其中:上缴财政0.35亿元,归还原渠道0.82亿元,调账处理1.79亿元。尚未完成整改的6个问题,涉及金额0.32亿元。"
        #expect(
            outcomes(t, rule: "money") == [
                "pass: 2.96亿元 + 0.32亿元 = 3.28亿元 agrees with the total 3.28亿元",
                "pass: 0.35亿元 + 0.82亿元 + 1.79亿元 = 2.96亿元 agrees with the total 2.96亿元",
            ])
    }

    @Test func countsOfOtherThingsHaveNoRole() {
        let t = "建立完善制度11项,处分3人,召开会议8次,谈话提醒15人次。"
        #expect(roles(t).isEmpty)
        let o = outcomes(t, rule: "sum")
        #expect(o.count == 1)
        #expect(
            o[0].hasPrefix(
                "missing: no tally with a total and two or more parts in the document; considered: 11项 (line 1): it counts 制度, not problems"
            ))
    }

    @Test func ratesOfOtherQuantitiesAreNoMembers() {
        let t = "反馈问题50个,已完成整改45个,整改率90%,上年度整改率为85%,资金整改率80%。"
        #expect(roles(t) == ["50个 total t1", "45个 done t1", "90% rate t1"])
        let labels = FactExtractor().extract(document(t)).facts.filter { $0.kind == .percent }.map { $0.label ?? "" }
        #expect(labels == ["整改率", "上年度整改率", "资金整改率"])
        #expect(outcomes(t, rule: "rate") == ["pass: 45个 / 50个 = 90% agrees with the stated 90%"])
    }

    // MARK: certainty

    @Test func anUnstatedStatusIsMissingNotAFailure() {
        let o = outcomes("反馈问题46个,已完成整改41个,正在整改4个。", rule: "sum")
        #expect(
            o == [
                "missing: 41 + 4 = 45个, but the total is 46个; not checked: no not-completed count is stated, so the other 1个 may be in a status the text does not name"
            ])
    }

    @Test func everyStatusStatedAndAMismatchFails() {
        #expect(
            outcomes("反馈问题46个,已完成整改41个,正在整改3个,尚未整改1个。", rule: "sum")
                == ["fail: 41 + 3 + 1 = 45个; stated total 46个"])
        #expect(
            outcomes("共查出问题200个,已完成整改150个,正在整改50个,整改率达80%。", rule: "rate")
                == ["fail: 150个 / 200个 = 75%, printed as 75%, but the text states 80%"])
        // A bracketed rate names its count: a mismatch is certain even when the other parts are not stated.
        #expect(
            outcomes("反馈问题252个,已完成整改236个(94.8%)。", rule: "rate")
                == ["fail: 236个 / 252个 = 93.65%, printed as 93.7%, but the text states 94.8%"])
    }

    @Test func aNamedRateOnATallyThatDoesNotAddUpIsMissing() {
        // 立行立改问题12个 is a category done in full, not the completed count behind 整改完成率.
        let t = "巡察反馈问题46个,立行立改问题12个已全部整改到位,整改完成率89.1%。"
        #expect(
            outcomes(t, rule: "rate") == [
                "missing: 12个 / 46个 = 26.09%, printed as 26.1%, but the text states 89.1%; not checked: the tally's parts do not add up to its total 46个, so 12个 may not be all the completed"
            ])
        let s = "巡察反馈问题46个,其中立行立改问题12个已全部整改到位,尚未完成5个。"
        #expect(
            outcomes(s, rule: "sum").first?.hasPrefix(
                "missing: 12 + 5 = 17个, but the total is 46个; not checked: 12个 is said to be all done") == true)
    }

    @Test func partsSpreadOverTheParagraphAreADoubt() {
        let t = "反馈问题46个。已完成整改41个。各单位召开会议12次。建立制度8项。尚未整改3个。"
        #expect(
            outcomes(t, rule: "sum") == [
                "missing: 41 + 3 = 44个, but the total is 46个; not checked: the parts are spread over 4 sentences, so they may not be one list"
            ])
    }

    @Test func notCompletedMayIncludeInProgress() {
        // 已完成110个,未完成10个(其中正在整改6个): completed + not completed closes the tally.
        let o = outcomes("反馈问题120个,已完成110个,正在整改6个,未完成10个。", rule: "sum")
        #expect(o == ["pass: 110 + 10 = 120个; stated total 120个"])
    }

    @Test func aTotalFromAnotherParagraphIsADoubt() {
        let o = outcomes("巡察共反馈问题46个。\n一、整改情况\n已完成整改41个,正在整改3个,尚未整改1个。\n", rule: "sum")
        #expect(
            o == [
                "missing: 41 + 3 + 1 = 45个, but the total is 46个; not checked: the total 46个 is in another paragraph (line 1)"
            ])
    }

    @Test func twoTalliesInOneParagraph() {
        let t = "市级巡察反馈问题50个,已完成整改48个,正在整改2个;县级巡察反馈问题30个,已完成整改27个,正在整改3个。"
        #expect(
            outcomes(t, rule: "sum") == [
                "pass: 48 + 2 = 50个; stated total 50个", "pass: 27 + 3 = 30个; stated total 30个",
            ])
    }

    @Test func theSampleTallies() throws {
        let doc = sampleDocument()
        let e = FactExtractor().extract(doc)
        let tallied = e.facts.filter { $0.role != nil }.map { "\($0.text) \($0.role!.rawValue)" }
        #expect(tallied.contains("1368个 total"))
        #expect(tallied.contains("1081个 done"))
        #expect(tallied.contains("79% rate"))
        #expect(tallied.contains("12个 total"))
        #expect(e.facts.first { $0.text == "292项" }?.role == nil)
    }

    // MARK: selectors and loading

    @Test func selectorsByRoleAndTally() throws {
        let set = try rules(
            """
            assay: 1
            ruleset: t
            rules:
              - id: done-count
                title: t
                kind: threshold
                select: {role: done, tally: problems}
                op: ">="
                target: 40个
            """)
        let doc = document("反馈问题46个,已完成整改41个,正在整改5个。问题资金10万元,已追回8万元,尚未追回2万元。")
        let o = Evaluator(today: "2026-01-01", language: .en).evaluate(
            [set], document: doc, extraction: FactExtractor().extract(doc))
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].evidence.map(\.text) == ["41个"])
    }

    @Test func unknownRoleAndTallyAreErrorsWithHints() {
        #expect(throws: RuleLoadFailure.self) {
            _ = try RuleLoader().load(
                yaml:
                    "assay: 1\nruleset: t\nrules:\n  - id: a\n    title: t\n    kind: threshold\n    select: {role: totl}\n    op: \">=\"\n    target: 1\n",
                file: "t.yml")
        }
        let yaml = MarkedText(
            "assay: 1\nruleset: t\nrules:\n  - id: a\n    title: t\n    kind: threshold\n    select: {role: ‸totl, tally: mony}\n    op: \">=\"\n    target: 1\n"
        )
        do {
            _ = try RuleLoader().load(yaml: yaml.text, file: "t.yml")
            Issue.record("an unknown role and tally subject must not load")
        } catch {
            let text = error.errors.map(\.description).joined(separator: "\n")
            #expect(text.contains("\(yaml.at("t.yml")): error: unknown role 'totl'; did you mean 'total'?"))
            #expect(text.contains("unknown tally subject 'mony'; did you mean 'money'?"))
        }
    }
}
