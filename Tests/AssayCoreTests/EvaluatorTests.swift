import Foundation
import Testing
@testable import AssayValues
@testable import AssayExtraction
@testable import AssayRules
@testable import AssayRenderers
@testable import AssayEdge
@testable import AssayTooling
import AssayTestSupport

/// Rule kinds evaluated over hand-placed facts, so each test pins the evaluator alone.
@Suite struct EvaluatorTests {
    let header = "assay: 1\nruleset: t\nrules:\n"

    func one(_ rule: String) throws -> RuleSet { try rules(header + rule) }

    @Test func thresholdFailsWithActualTargetAndPlace() throws {
        let m = MarkedText("市审计局:整改\n一是查出问题1368个,已督促完成整改1081个,整改率达⟦79%⟧。\n")
        let doc = document(m.text)
        let f = fact(doc, "79%", .percent, .number(79), unit: "%", label: "整改率")
        let set = try one("""
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
        let set = try one("""
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
        let set = try one("  - id: r\n    title: t\n    kind: threshold\n    select: {kind: quantity}\n    op: \">=\"\n    target: 5%\n")
        let o = evaluate(set, doc, [fact(doc, "6个百分点", .quantity, .number(6), unit: "个百分点")])
        #expect(o.map(\.status) == [.error])
        #expect(o[0].message == "cannot compare 6个百分点 (percentage points) with 5% (a percent)")
    }

    @Test func thresholdComparesMoneyAcrossUnits() throws {
        let doc = document("上缴财政资金125.7亿元。")
        let set = try one("  - id: m\n    title: t\n    kind: threshold\n    select: {kind: money}\n    op: \">\"\n    target: 1000000万元\n")
        var f = fact(doc, "125.7亿元", .money, .number(12_570_000_000), unit: "亿元")
        f.amount = 125.7
        #expect(evaluate(set, doc, [f]).map(\.status) == [.pass])
    }

    @Test func missingFactsAreReportedWithOnMissingSeverity() throws {
        let set = try one("  - id: r\n    title: t\n    kind: threshold\n    on_missing: error\n    select: {label: 整改率}\n    op: \">=\"\n    target: 80%\n")
        let o = evaluate(set, document("没有数字。"), [])
        #expect(o.map(\.status) == [.missing])
        #expect(o[0].severity == .error)
        #expect(o[0].message == "no figure matching the rule's selector was found in the document; target >= 80%")
    }

    @Test func sectionsRequiredAndItemOrder() throws {
        let doc = document("市甲局:标题\n一是甲。\n三是丙。\n市乙局:标题\n一是甲。\n二是乙。\n")
        let set = try one("  - id: s\n    title: t\n    kind: sections\n    require: [市甲局, 市丙局, /乙局$/]\n    items: {min: 2}\n")
        let o = evaluate(set, doc, [])
        #expect(o.map(\.status) == [.fail, .pass, .fail])
        #expect(o[0].message == "市甲局 numbered items have a gap (一是, 三是)")
        #expect(o[0].section == ["市甲局"])
        #expect(o[1].message == "市乙局 is present with 2 numbered items in order")
        #expect(o[2].message == "required section 市丙局 is missing")
    }

    @Test func requireAndForbid() throws {
        let m = MarkedText("欢迎监督。联系电话:⟦023-63899999⟧。")
        let doc = document(m.text)
        let set = try one("""
          - id: contact
            title: t
            kind: require
            patterns: ["\\\\d{3,4}-\\\\d{7,8}"]
          - id: words
            title: t
            kind: forbid
            phrases: [联系电话]
        """)
        let o = evaluate(set, doc, [])
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].evidence.map(\.text) == ["023-63899999"])
        #expect(o[0].evidence[0].span == span(m.stretches[0]))
        #expect(o[1].message == "the document contains 联系电话, which must not appear")
    }

    @Test func sumWithinSentence() throws {
        let doc = document("12个项目已完成1个、7个正在建设中、4个正在编制方案。共5个问题已完成2个、2个正在整改。")
        let set = try one("  - id: sum\n    title: t\n    kind: consistency\n    check: sum\n    within: sentence\n    total: {kind: quantity}\n    parts: {kind: quantity, sentence: [已完成, 正在]}\n")
        let facts = [("12个", "12个项目"), ("1个", "已完成"), ("7个", "、"), ("4个", "中、"), ("5个", "共"), ("2个", "共5个问题已完成"), ("2个", "共5个问题已完成2个、")].map { text, after -> Fact in
            fact(doc, text, .quantity, .number(Decimal(string: String(text.dropLast()))!), unit: "个", after: after == "12个项目" ? nil : after)
        }
        let o = evaluate(set, doc, Array(Set(facts)).sorted { $0.span.offset < $1.span.offset })
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].message == "1 + 7 + 4 = 12 agrees with the total 12个")
        #expect(o[1].message == "2 + 2 = 4, but the total is 5个")
    }

    /// A ratio with named counts: the rate against exactly the selected numerator and denominator.
    @Test func ratioWithNamedCounts() throws {
        let doc = document("查出1368个问题,已督促完成整改1081个,整改率达79%。")
        let set = try one("  - id: ratio\n    title: t\n    kind: consistency\n    check: ratio\n    rate: {kind: percent, label: 整改率}\n    numerator: {label: 完成整改}\n    denominator: {label: 问题}\n")
        let facts = [
            fact(doc, "1368个", .quantity, .number(1368), unit: "个", label: "问题"),
            fact(doc, "1081个", .quantity, .number(1081), unit: "个", label: "已督促完成整改"),
            fact(doc, "79%", .percent, .number(79), unit: "%", label: "整改率"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "1081 / 1368 = 79.02% agrees with the stated 79%")
        #expect(o[0].evidence.map(\.role) == ["rate", "numerator", "denominator"])
    }

    @Test func roundingIsHalfUp() {
        #expect(Expression.roundHalfUp(Decimal(string: "79.5")!, 0) == 80)
        #expect(Expression.roundHalfUp(Decimal(string: "97.65")!, 1) == Decimal(string: "97.7")!)
        #expect(Expression.roundHalfUp(Decimal(string: "97.64")!, 1) == Decimal(string: "97.6")!)
    }

    @Test func achievablePercent() throws {
        let doc = document("42个国考断面水质优良比例为97.6%。8个点位达标比例为90%。")
        let set = try one("  - id: ach\n    title: t\n    kind: consistency\n    check: achievable\n    rate: {kind: percent, label: 比例}\n")
        let facts = [
            fact(doc, "42个", .quantity, .number(42), unit: "个"),
            fact(doc, "97.6%", .percent, .number(Decimal(string: "97.6")!), unit: "%", label: "国考断面水质优良比例"),
            fact(doc, "8个", .quantity, .number(8), unit: "个"),
            fact(doc, "90%", .percent, .number(90), unit: "%", label: "达标比例"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].message == "97.6% of 42个 is achievable: 41 / 42 = 97.62%")
        #expect(o[1].message == "no whole number of 8个 gives 90%")
    }

    @Test func expressionInDecimal() throws {
        let doc = document("查出问题金额251023.54万元,已整改金额251000.5万元,未整改金额23.04万元。")
        let set = try one("""
          - id: money
            title: t
            kind: consistency
            check: expression
            facts:
              found: {kind: money, label: 查出}
              rectified: {kind: money, label: 已整改}
              outstanding: {kind: money, label: 未整改}
            expect: "found == rectified + outstanding"
        """)
        func money(_ text: String, _ amount: String, _ label: String) -> Fact {
            var f = fact(doc, text, .money, .number(Decimal(string: amount)! * 10_000), unit: "万元", label: label)
            f.amount = Decimal(string: amount)
            return f
        }
        let o = evaluate(set, doc, [money("251023.54万元", "251023.54", "查出问题金额"), money("251000.5万元", "251000.5", "已整改金额"),
                                    money("23.04万元", "23.04", "未整改金额")])
        #expect(o.map(\.status) == [.pass])
        let bad = evaluate(set, doc, [money("251023.54万元", "251023.54", "查出问题金额"), money("251000.5万元", "251000.5", "已整改金额")])
        #expect(bad.map(\.status) == [.missing])
        #expect(bad[0].message == "no figure found for outstanding")
    }

    @Test func expressionLanguage() throws {
        let e = try Expression.parse("abs(a - b) <= 0.5% + max(c, 1%)")
        #expect(Set(e.names) == ["a", "b", "c"])
        let v = try e.evaluate(["a": Measure(80, unit: "%"), "b": Measure(Decimal(string: "79.6")!, unit: "%"), "c": Measure(0, unit: "%")])
        #expect(v == .truth(true))
        #expect(throws: Expression.EvaluationError.self) { try Expression.parse("a + b").evaluate(["a": Measure(1, unit: "%"), "b": Measure(1, unit: "个百分点")]) }
        #expect(throws: Expression.ParseError.self) { try Expression.parse("a +") }
        #expect(throws: Expression.ParseError.self) { try Expression.parse("exp(a)") }
    }

    @Test func deadlineChecks() throws {
        let doc = document("2020年9月10日反馈意见。截至2021年1月3日,已完成。相关工作于2020年6月底前完成部署。2021年1月20日报送整改情况报告。")
        let set = try one("""
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
        let o = evaluate(set, doc, facts, dates: DocumentDates(published: "2021-01-05", asOf: "2021-01-03"))
        #expect(o.map(\.status) == [.pass, .fail, .pass, .fail])
        #expect(o[1].message == "deadline 于2020年6月底前 (2020-06-30) is past at the as-of date 2021-01-03 by 187 days and the work is not reported done")
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
        #expect(o[0].message == "deadline 于2020年6月底前 (2020-06-30) is past at the as-of date 2021-01-03 and the work is reported done (已完成)")
        #expect(o[1].message == "deadline 于2020年8月底前 (2020-08-31) is past at the as-of date 2021-01-03 by 125 days and the work is not reported done")
    }

    /// A sum whose total is not a number (a selector that picks a date) is an error outcome, not a crash.
    @Test func sumWithANonNumericTotalIsAnError() throws {
        let doc = document("2020年共整改12个问题,已完成7个、正在整改5个。")
        let set = try one("  - id: sum\n    title: t\n    kind: consistency\n    check: sum\n    total: {kind: date}\n    parts: {kind: quantity}\n")
        let facts = [
            fact(doc, "2020年", .date, .date("2020")),
            fact(doc, "7个", .quantity, .number(7), unit: "个"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.error])
        #expect(o[0].message == "2020年 is not a number; parts and total cannot be added")
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
        let set = try one("  - id: rate\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: \">=\"\n    target: 80%\n")
        let f = fact(doc, "79%", .percent, .number(79), unit: "%")
        let outcomes = evaluate(set, doc, [f])
        let active = WaiverSet.parse(yaml: """
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
        #expect(b[1].message == "\(bad.at("waivers.yml")): error: waiver 1: expires 'soon' is not a date YYYY-MM-DD; that waiver does not apply")
    }

    @Test func matchSelectorReadsATypedCapture() throws {
        let m = MarkedText("全年办结信访件512件,办结率为⟦96.5%⟧。")
        let doc = document(m.text)
        let set = try one("""
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
        let set = try one("""
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
        #expect(o.filter { $0.ruleID == "per-section" }.map { "\($0.section)\($0.status)" } == ["[\"市甲局\"]pass", "[\"市乙局\"]fail"])
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
        let set = try one("  - id: s\n    title: t\n    kind: sections\n    require: [市丙局]\n    message: \"{section}: {items} items\"\n")
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
