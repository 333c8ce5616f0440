import Foundation
import Testing
@testable import AssayValues
@testable import AssayExtraction
@testable import AssayRules
@testable import AssayRenderers
@testable import AssayEdge
@testable import AssayTooling

/// `kind: deadline` (Kinds/DeadlineKind.swift): reading, outcomes and messages. How completion is read
/// beside a due date is in DeadlineTests.
@Suite struct DeadlineKindTests {
    let header = "assay: 1\nruleset: t\nrules:\n"

    func one(_ rule: String) throws -> RuleSet { try rules(header + rule) }

    /// The errors loading the rule gives, as printed (`t.yml:line:column: error: …`; the rule starts on line 4).
    func loadErrors(_ rule: String) -> [String] {
        do { _ = try rules(header + rule, file: "t.yml"); return [] } catch { return error.errors.map(\.description) }
    }

    @Test func unknownCheckAndMissingKeysAreErrors() {
        #expect(loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: asof\n")
            == ["t.yml:7:12: error: deadline check 'asof' is not one of due, as_of, order, within; did you mean 'as_of'?"])
        #expect(loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: within\n    from: as_of\n    to: published\n")
            == ["t.yml:4:5: error: check 'within' needs 'max', a period such as '2 months' or '60 days'"])
        #expect(loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: order\n    dates: [as_of]\n")
            == ["t.yml:8:12: error: check 'order' needs 'dates', a list of at least two dates"])
        #expect(loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: order\n    dates: [as_of, today]\n")
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
        let set = try one("  - id: w\n    title: t\n    kind: deadline\n    check: within\n    from: {kind: date, label: 反馈}\n    to: {kind: date, label: 报送}\n    max: 2 months\n")
        let o = evaluate(set, doc, [fact(doc, "2020年9月10日", .date, .date("2020-09-10"), label: "反馈意见"),
                                    fact(doc, "2020年10月20日", .date, .date("2020-10-20"), label: "报送整改情况报告")])
        #expect(o.map(\.status) == [.pass])
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

    @Test func vagueAsOfIsReported() throws {
        let doc = document("截至目前,已完成整改问题12个。")
        let set = try one("  - id: asof\n    title: t\n    kind: deadline\n    check: as_of\n")
        let o = evaluate(set, doc, [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "'截至目前' gives no date: the figures have no explicit as-of date")
        #expect(o[0].place == Span(line: 1, column: 1, offset: 0, length: 4))
    }
}
