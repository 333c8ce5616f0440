import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The evaluator's shared machinery (scopes, message templates, waivers, evidence, match selectors) over
/// hand-placed facts, so each test pins the evaluator alone. Each kind's own tests are in its <Kind>KindTests.swift.
@Suite struct EvaluatorTests {
    @Test func calendarArithmetic() {
        #expect(DateText.add(Period(count: 2, unit: .months), to: "2020-12-31") == "2021-02-28")
        #expect(DateText.add(Period(count: 60, unit: .days), to: "2020-01-01") == "2020-03-01")
        #expect(DateText.bounds("2020-02")?.last == "2020-02-29")
        #expect(DateText.parseISO("2021年1月3日") == "2021-01-03")
        // A captured date must be a real day: 2月30日 is none, 2024年2月29日 (a leap year) is.
        #expect(DateText.parseISO("2026年2月30日") == nil)
        #expect(DateText.parseISO("2024年2月29日") == "2024-02-29")
        #expect(DateText.parseISO("2023年2月29日") == nil)
    }

    @Test func waiversTurnFailuresIntoWaivedAndReportExpiredOnes() throws {
        let doc = document("市审计局:整改\n一是整改率达79%。\n", name: "bulletin-2021.txt")
        let set = try one(
            "  - id: rate\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: \">=\"\n    target: 80%\n"
        )
        let f = fact(doc, "79%", .percent, .number(79), unit: "%")
        let outcomes = evaluate(set, doc, [f])
        let active = WaiverSet.parse(
            yaml: """
                waivers:
                  - {rule: rate, document: "bulletin-*", section: 市审计局, reason: 口径调整, approver: 张三, expires: 2027-01-31}
                """, file: "waivers.yml")
        let w = active.apply(to: outcomes, document: doc.name, today: "2026-11-27")
        #expect(w.map(\.status) == [.waived])
        #expect(w[0].waiver == "口径调整 (approved by 张三, until 2027-01-31)")
        let expired = active.apply(to: outcomes, document: doc.name, today: "2027-02-01")
        #expect(expired.map(\.status) == [.fail, .error])
        #expect(expired[1].message == "the waiver for rate (waivers.yml:2) expired on 2027-01-31 and no longer applies")
        let bad = MarkedText("waivers:\n  - {rule: rate, reason: r, approver: a, expires: ‸soon}\n")
        let broken = WaiverSet.parse(yaml: bad.text, file: "waivers.yml")
        let b = broken.apply(to: outcomes, document: doc.name, today: "2026-11-27")
        #expect(b.map(\.status) == [.fail, .error])
        #expect(
            b[1].message
                == "\(bad.at("waivers.yml")): error: waiver 1: expires 'soon' is not a date YYYY-MM-DD; that waiver does not apply"
        )
    }

    @Test func matchSelectorReadsATypedCapture() throws {
        let m = MarkedText("全年办结信访件512件,办结率为⟦96.5%⟧。")
        let doc = document(m.text)
        let set = try one(
            """
              - id: m
                title: t
                kind: threshold
                select: {match: '办结率为(?<rate>\\d+(?:\\.\\d+)?%)', type: percent}
                op: ">="
                target: 97%
            """)
        let o = evaluate(set, doc, [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].values.map(\.text) == ["96.5%", ">= 97%", "-0.5 个百分点"])
        #expect(o[0].place == span(m.stretches[0]))
    }

    @Test func scopesEachSectionEachItemAndNamedSection() throws {
        let doc = document("市甲局:标题\n一是联系电话12345678。\n二是无。\n市乙局:标题\n一是无。\n")
        let set = try one(
            """
              - id: per-section
                title: t
                kind: require
                phrases: [联系电话]
                scope: each-section
              - id: per-item
                title: t
                kind: require
                phrases: [联系电话]
                scope: each-item
              - id: named
                title: t
                kind: forbid
                phrases: [联系电话]
                scope: {section: /乙局$/}
              - id: absent
                title: t
                kind: require
                phrases: [x]
                scope: {section: 市丙局}
            """)
        let o = evaluate(set, doc, [])
        #expect(
            o.filter { $0.ruleID == "per-section" }.map { "\($0.section)\($0.status)" } == [
                "[\"市甲局\"]pass", "[\"市乙局\"]fail",
            ])
        #expect(o.filter { $0.ruleID == "per-item" }.map(\.status) == [.pass, .fail, .fail])
        #expect(o.filter { $0.ruleID == "per-item" }.map(\.section) == [["市甲局", "一"], ["市甲局", "二"], ["市乙局", "一"]])
        #expect(o.filter { $0.ruleID == "named" }.map(\.status) == [.pass])
        #expect(o.filter { $0.ruleID == "absent" }.map(\.status) == [.missing])
        #expect(o.filter { $0.ruleID == "absent" }.first?.message == "section 市丙局 not found")
    }

    /// Evidence positions move by exactly the length of text put before them (multi-byte safe).
    @Test func evidenceMovesWithPrependedChineseText() throws {
        let marked = MarkedText("市审计局:整改\n一是查出问题1368个,已督促完成整改1081个,整改率达⟦79%⟧。\n")
        let body = marked.text
        let prefix = "前言:各位同志𠀀好。\n"
        var sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules/chongqing-sample.yml").path])
        sets[0].appliesTo = Applicability()  // the snippet is not the sample's issuer; placement is what is tested
        func place(_ text: String) throws -> Span? {
            try Pipeline(ruleSets: sets).check(bytes: Array(text.utf8), name: "x.txt").report.outcomes
                .first { $0.ruleID == "audit-rectification-rate" }?.place
        }
        let a = try #require(try place(body))
        let b = try #require(try place(prefix + body))
        #expect(b.offset == a.offset + prefix.unicodeScalars.count)
        #expect(b.line == a.line + 1)
        #expect(b.column == a.column)
        #expect(a == span(marked.stretches[0]))
    }

    @Test func templateWithUnknownValuesFallsBackToTheBuiltInMessage() throws {
        let set = try one(
            "  - id: s\n    title: t\n    kind: sections\n    require: [市丙局]\n    message: \"{section}: {items} items\"\n"
        )
        let o = evaluate(set, document("市甲局:标题\n一是甲。\n"), [])
        #expect(o.map(\.message) == ["required section 市丙局 is missing"])
    }

    /// Placeholders are filled in place; a brace around something that is not a name stays as written,
    /// and built-in names ({section}, {status}) come before rule values of the same name.
    @Test func templateFillsNamesAndKeepsOtherBraces() {
        let values: [String: String] = ["found": "2", "section": "ignored"]
        func value(_ name: String) -> String? {
            name == "section" ? "市甲局" : name == "status" ? "pass" : values[name]
        }
        #expect(Evaluator.fill("{{section}} has {found} {a b} {} [{status}]", value) == "{市甲局} has 2 {a b} {} [pass]")
        #expect(Evaluator.fill("no braces", value) == "no braces")
        #expect(Evaluator.fill("{found} of {missing}", value) == nil)
    }
}
