import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// `kind: threshold` (Kinds/ThresholdKind.swift): reading, outcomes and messages.
@Suite struct ThresholdKindTests {
    @Test func badOpAndBetweenTargetsAreErrors() {
        #expect(
            loadErrors(
                "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: \"=>\"\n    target: 80%\n"
            )
                == ["t.yml:8:9: error: op '=>' is not one of >=, >, <=, <, ==, between"])
        #expect(
            loadErrors(
                "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: between\n    target: 80%\n"
            )
                == ["t.yml:9:13: error: with 'between', target is a list of two values [low, high]"])
        #expect(
            loadErrors("  - id: r\n    title: t\n    kind: threshold\n    op: \">=\"\n    target: 80%\n")
                == ["t.yml:4:5: error: a threshold rule needs 'select'"])
    }

    @Test func aFigureThatMeetsTheTargetPasses() throws {
        let doc = document("整改率达85%。")
        let set = try one(
            "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: \">=\"\n    target: 80%\n"
        )
        let o = evaluate(set, doc, [fact(doc, "85%", .percent, .number(85), unit: "%", label: "整改率")])
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "整改率 85% meets the target >= 80%")
        #expect(
            o[0].values == [
                NamedValue("actual", "85%"), NamedValue("target", ">= 80%"), NamedValue("difference", "+5 个百分点"),
            ])
    }

    @Test func betweenChecksBothEnds() throws {
        let doc = document("比例为85%,另一比例为95%。")
        let set = try one(
            "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: between\n    target: [80%, 90%]\n"
        )
        let o = evaluate(
            set, doc,
            [fact(doc, "85%", .percent, .number(85), unit: "%"), fact(doc, "95%", .percent, .number(95), unit: "%")])
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].message == "figure 85% meets the target between 80%–90%")
        #expect(o[1].message == "figure 95% misses the target between 80%–90% (difference +15 个百分点)")
    }

    @Test func thresholdFailsWithActualTargetAndPlace() throws {
        let m = MarkedText("市审计局:整改\n一是查出问题1368个,已督促完成整改1081个,整改率达⟦79%⟧。\n")
        let doc = document(m.text)
        let f = fact(doc, "79%", .percent, .number(79), unit: "%", label: "整改率")
        let set = try one(
            """
              - id: rate
                title: 整改率
                kind: threshold
                severity: error
                select: {kind: percent, label: 整改率, section: 市审计局}
                op: ">="
                target: 80%
                message: "{section}: 整改率 {actual}, target {target} ({difference})"
            """)
        let o = evaluate(set, doc, [f])
        #expect(o.count == 1)
        #expect(o[0].status == .fail)
        #expect(o[0].severity == .error)
        #expect(o[0].message == "市审计局 › 一: 整改率 79%, target >= 80% (-1 个百分点)")
        #expect(o[0].place == span(m.stretches[0]))
        #expect(o[0].evidence[0].sentence == "一是查出问题1368个,已督促完成整改1081个,整改率达79%。")
    }

    @Test func thresholdIsApproximationAware() throws {
        let doc = document("机扫率超90%。车位增长10%以上。劝导2万多起。断面约95%。")
        let set = try one(
            """
              - id: ge
                title: t
                kind: threshold
                select: {kind: percent}
                op: ">="
                target: 90%
              - id: eq
                title: t
                kind: threshold
                select: {kind: percent}
                op: "=="
                target: 90%
              - id: count
                title: t
                kind: threshold
                select: {kind: quantity}
                op: ">="
                target: 2万
            """)
        let facts = [
            fact(doc, "超90%", .percent, .number(90), unit: "%", approx: "超"),
            fact(doc, "10%以上", .percent, .number(10), unit: "%", approx: "以上"),
            fact(doc, "2万多起", .quantity, .number(20000), unit: "起", approx: "多"),
            fact(doc, "约95%", .percent, .number(95), unit: "%", approx: "约"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.filter { $0.ruleID == "ge" }.map(\.status) == [.pass, .fail, .fail])
        #expect(o.filter { $0.ruleID == "eq" }.map(\.status) == [.fail, .fail, .fail])
        #expect(o.filter { $0.ruleID == "count" }.map(\.status) == [.pass])
    }

    @Test func thresholdRefusesToComparePercentWithPercentagePoints() throws {
        let doc = document("比上年度提高6个百分点。")
        let set = try one(
            "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: quantity}\n    op: \">=\"\n    target: 5%\n"
        )
        let o = evaluate(set, doc, [fact(doc, "6个百分点", .quantity, .number(6), unit: "个百分点")])
        #expect(o.map(\.status) == [.error])
        #expect(o[0].message == "cannot compare 6个百分点 (percentage points) with 5% (a percent)")
    }

    @Test func thresholdComparesMoneyAcrossUnits() throws {
        let doc = document("上缴财政资金125.7亿元。")
        let set = try one(
            "  - id: m\n    title: t\n    kind: threshold\n    select: {kind: money}\n    op: \">\"\n    target: 1000000万元\n"
        )
        var f = fact(doc, "125.7亿元", .money, .number(12_570_000_000), unit: "亿元")
        f.amount = 125.7
        #expect(evaluate(set, doc, [f]).map(\.status) == [.pass])
    }

    @Test func missingFactsAreReportedWithOnMissingSeverity() throws {
        let set = try one(
            "  - id: r\n    title: t\n    kind: threshold\n    on_missing: error\n    select: {label: 整改率}\n    op: \">=\"\n    target: 80%\n"
        )
        let o = evaluate(set, document("没有数字。"), [])
        #expect(o.map(\.status) == [.missing])
        #expect(o[0].severity == .error)
        #expect(o[0].message == "no figure matching the rule's selector was found in the document; target >= 80%")
    }

    @Test func unknownUnitsAreReported() {
        let m = MarkedText(
            """
            assay: 1
            ruleset: units
            rules:
              - id: u
                title: t
                kind: threshold
                select: {kind: quantity, unit: ‸平方公理}
                op: ">="
                target: ‸5平方公理
            """)
        do {
            _ = try rules(m.text, file: "units.yml")
            Issue.record("must not load")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "\(m.at("units.yml", 0)): error: unknown unit '平方公理'; did you mean '平方公里'?; a unit is written as in bulletins (%, 个, 项, 天, 个百分点, 万元)",
                    "\(m.at("units.yml", 1)): error: target '5平方公理' has an unknown unit '平方公理'; did you mean '平方公里'?",
                ])
        }
    }
}
