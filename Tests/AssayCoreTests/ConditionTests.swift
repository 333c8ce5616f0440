import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRules
@testable import AssayValues

/// `when:` conditions (Condition.swift), selector negation and exact labels, and section names matched
/// without their numbering.
@Suite struct ConditionTests {
    /// Extracts the facts of `text` and evaluates the rules: "status: message" per outcome.
    func outcomes(_ text: String, _ rules: String) throws -> [String] {
        let set = try one(rules)
        let doc = document(text)
        return Evaluator(today: "2026-01-01", language: .en).evaluate(
            [set], document: doc, extraction: FactExtractor().extract(doc)
        )
        .map { "\($0.status.rawValue): \($0.message)" }
    }

    /// "未整改 > 0 ⇒ a reason and a deadline must be stated".
    let reasonsWhenOutstanding = """
          - id: reasons
            title: 有未整改问题时说明原因
            kind: require
            phrases: [未完成原因, 原因是]
            when: {select: {role: outstanding}, op: ">", target: 0}
        """

    @Test func aConditionThatHoldsChecksTheRule() throws {
        #expect(
            try outcomes("共发现问题10个,已整改7个,未整改3个。", reasonsWhenOutstanding)
                == ["fail: the document has none of: 未完成原因 | 原因是"])
        #expect(
            try outcomes("共发现问题10个,已整改7个,未整改3个。未完成原因是资金未到位。", reasonsWhenOutstanding)
                == ["pass: the document has 未完成原因"])
    }

    @Test func aConditionThatDoesNotHoldIsNotApplicableWithTheReason() throws {
        let set = try one(reasonsWhenOutstanding)
        let doc = document("共发现问题10个,已整改10个,未整改0个。")
        let o = Evaluator(today: "2026-01-01", language: .en).evaluate(
            [set], document: doc, extraction: FactExtractor().extract(doc))
        #expect(o.map(\.status) == [.notApplicable])
        #expect(o[0].severity == .info)
        #expect(
            o[0].message
                == "not checked: in the document the condition does not hold: a figure {role: outstanding} > 0")
        #expect(o[0].values == [NamedValue("when", "a figure {role: outstanding} > 0")])
        #expect(!o[0].isProblem)
    }

    @Test func allAnyNotPhrasesAndGenre() throws {
        let rule = """
              - id: deadline-stated
                title: 未完成事项须明确整改时限
                kind: require
                patterns: ["\\\\d{4}年\\\\d{1,2}月(?:底|\\\\d{1,2}日)?前"]
                when:
                  all:
                    - any: [{phrases: [正在整改]}, {phrases: [未完成]}]
                    - not: {phrases: [全部整改完成]}
            """
        #expect(try outcomes("有2项正在整改。", rule) == ["fail: the document has none of: 1 pattern of rule deadline-stated"])
        #expect(try outcomes("有2项正在整改,2025年6月底前完成。", rule) == ["pass: the document has 2025年6月底前"])
        #expect(
            try outcomes("有2项正在整改,目前已全部整改完成。", rule)
                == [
                    "not_applicable: not checked: in the document the condition does not hold: (phrase 正在整改 or phrase 未完成) and not (phrase 全部整改完成)"
                ])
        let genre = """
              - id: g
                title: t
                kind: require
                phrases: [整改]
                when: {genre: audit-rectification}
            """
        #expect(
            try outcomes("巡视整改进展情况。整改。", genre)
                == [
                    "not_applicable: not checked: in the document the condition does not hold: genre audit-rectification"
                ])
    }

    @Test func conditionsAreCheckedPerScopeInstance() throws {
        let rule = """
              - id: each
                title: t
                kind: require
                phrases: [原因]
                scope: each-section
                when: {phrases: [未整改]}
            """
        let text = "一、甲单位\n已整改5个,未整改1个,原因是资金不足。\n二、乙单位\n已整改3个。\n三、丙单位\n未整改2个。\n"
        #expect(
            try outcomes(text, rule) == [
                "pass: 一、甲单位 has 原因",
                "not_applicable: not checked: in 二、乙单位 the condition does not hold: phrase 未整改",
                "fail: 三、丙单位 has none of: 原因",
            ])
    }

    @Test func conditionReadingErrors() {
        let rule = { (when: String) in
            "  - id: c\n    title: t\n    kind: require\n    phrases: [x]\n    when: \(when)\n"
        }
        #expect(
            loadErrors(rule("{phrase: [x]}"))
                == ["t.yml:8:12: error: unknown key 'phrase' in when; did you mean 'phrases'?"])
        #expect(
            loadErrors(rule("{select: {kind: money}, op: \">\", target: 5%}"))
                == ["t.yml:8:52: error: when.target 5% is a percent, but the selector picks money: they never compare"])
        #expect(
            loadErrors(rule("{select: {kind: money}, op: \">\"}")) == [
                "t.yml:8:35: error: when has 'op' but no 'target'"
            ])
        #expect(loadErrors(rule("{all: x}")) == ["t.yml:8:17: error: when.all is a list of conditions"])
        #expect(
            loadErrors(rule("{genre: audit}"))
                == [
                    "t.yml:8:19: error: unknown genre 'audit'; genres: xunshi-progress, audit-rectification, recommendation-tracker"
                ])
        #expect(
            loadErrors(rule("{}")) == [
                "t.yml:8:11: error: when is empty; a condition names one of: all, any, not, phrases, patterns, select, op, target, genre, issuer, title, text"
            ])
        let deep = String(repeating: "{not: ", count: 40) + "{phrases: [x]}" + String(repeating: "}", count: 40)
        #expect(loadErrors(rule(deep)).first?.hasSuffix("is nested more than 32 deep") == true)
    }

    // MARK: selectors

    @Test func notAndExactLabelsNarrowASelector() throws {
        let text = "整改率达85%,资金整改率达60%,上年度整改率为70%。"
        func rates(_ select: String) throws -> [String] {
            try outcomes(
                text,
                "  - id: r\n    title: t\n    kind: threshold\n    select: \(select)\n    op: \">=\"\n    target: 80%\n"
            )
        }
        // A substring label takes all three; not: leaves out 资金整改率; exact takes only 整改率.
        #expect(try rates("{kind: percent, label: 整改率}").map { $0.prefix(4) } == ["pass", "fail", "fail"])
        #expect(try rates("{kind: percent, label: 整改率, not: {label: 资金}}").count == 2)
        #expect(try rates("{kind: percent, label: {exact: 整改率}}").count == 1)
        #expect(try rates("{kind: percent, label: {exact: [整改率, 上年度整改率]}}").map { $0.prefix(4) } == ["pass", "fail"])
    }

    @Test func aBarLabelWithoutSlashesIsAnError() {
        #expect(
            loadErrors(
                "  - id: r\n    title: t\n    kind: threshold\n    select: {label: 整改率|整改完成率}\n    op: \">=\"\n    target: 80%\n"
            )
                == [
                    "t.yml:7:21: error: select.label '整改率|整改完成率' holds '|' but is not a /pattern/, so it matches the text '整改率|整改完成率' literally; write /整改率|整改完成率/ for any of them, or {exact: [整改率, 整改完成率]}"
                ])
        #expect(
            loadErrors(
                "  - id: r\n    title: t\n    kind: threshold\n    select: {label: {exact: []}}\n    op: \">=\"\n    target: 80%\n"
            ) == ["t.yml:7:21: error: select.label {exact: …} names no label"])
    }

    // MARK: section names

    @Test func sectionNamesMatchWithoutTheirNumbering() throws {
        let rule = """
              - id: parts
                title: t
                kind: sections
                require: [审计查出问题基本情况, 整改落实情况, （一）加强管理]
            """
        #expect(
            try outcomes("报告\n一、审计查出问题基本情况\n查出问题20个。\n二、整改落实情况\n(一)加强管理\n已整改12个。\n", rule)
                .map { String($0.prefix(5)) } == ["pass:", "pass:", "pass:"])
        #expect(NameMatcher.bareName("一、总体情况") == Array("总体情况".unicodeScalars))
        #expect(NameMatcher.bareName("（十二）总体情况") == Array("总体情况".unicodeScalars))
        #expect(NameMatcher.bareName("3.总体情况") == Array("总体情况".unicodeScalars))
        #expect(NameMatcher.bareName("一是总体") == Array("一是总体".unicodeScalars))
    }
}
