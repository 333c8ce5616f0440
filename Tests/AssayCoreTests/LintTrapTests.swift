import AssayTestSupport
import Foundation
import Testing

@testable import AssayRules
@testable import AssayValues

/// Mistakes that used to pass lint and then only showed as "no figure found" (or as a silent pass) when
/// bulletins were checked: one planted file reports every one of them, each at its place, in one run.
@Suite struct LintTrapTests {
    @Test func everyPlantedTrapIsReportedInOneRun() {
        let planted = """
            assay: 1
            ruleset: planted
            targets:
              rate: 80%
            rules:
              - id: bar-label
                title: 整改率或整改完成率
                kind: threshold
                select: {kind: percent, label: 整改率|整改完成率}
                op: ">="
                target: $rate
              - id: points-target
                title: 百分比对百分点
                kind: threshold
                select: {kind: percent, label: 整改率}
                op: ">="
                target: 3个百分点
              - id: bad-pattern
                title: 正则错误
                kind: require
                patterns: ["电话[:："]
              - id: bad-pattern
                title: 重复的 id
                kind: threshold
                select: {kind: percent}
                op: ">="
                target: $goal
              - id: money-vs-percent
                title: 金额对百分比
                kind: consistency
                check: expression
                facts: {outstanding: {kind: money, label: 未整改}}
                expect: "outstanding <= 10%"
              - id: when-target
                title: 条件单位不符
                kind: require
                phrases: [原因]
                when: {select: {kind: money}, op: ">", target: 0个}
              - id: placeholder-typo
                title: 占位符拼写错误
                kind: threshold
                select: {kind: percent, label: 整改率}
                op: ">="
                target: 80%
                message: "整改率{actul}"

            """
        var errors = [String]()
        do { _ = try rules(planted, file: "planted.yml") } catch { errors = error.errors.map(\.description) }
        #expect(
            errors == [
                "planted.yml:9:36: error: select.label '整改率|整改完成率' holds '|' but is not a /pattern/, so it matches the text '整改率|整改完成率' literally; write /整改率|整改完成率/ for any of them, or {exact: [整改率, 整改完成率]}",
                "planted.yml:17:13: error: target 3个百分点 is percentage points, but the selector picks a percent: they never compare",
                "planted.yml:21:15: error: pattern /电话[:：/ is not a valid regular expression: a [ is not closed (ICU U_REGEX_MISSING_CLOSE_BRACKET, at character 6)",
                "planted.yml:27:13: error: reference to undefined target '$goal'",
                "planted.yml:22:5: error: duplicate rule id 'bad-pattern' (first at line 18)",
                "planted.yml:33:13: error: expect 'outstanding <= 10%': '<=' between money (outstanding) and a percent (10%)",
                "planted.yml:38:52: error: when.target 0个 is a count in 个, but the selector picks money: they never compare",
                "planted.yml:45:14: error: message: unknown placeholder '{actul}'; did you mean '{actual}'? (a threshold rule's messages can name {actual}, {as_of}, {currencies}, {difference}, {published}, {section}, {status}, {target}, {when})",
            ])
    }

    @Test func aValueHoldingColonSpaceGetsAQuotingHint() {
        var errors = [String]()
        do {
            _ = try rules(
                "assay: 1\nruleset: t\nrules:\n  - id: a\n    title: 整改率: 低\n    kind: require\n    phrases: [x]\n",
                file: "t.yml")
        } catch { errors = error.errors.map(\.description) }
        #expect(
            errors == [
                "t.yml:5:15: error: invalid YAML: mapping values are not allowed in this context; a value that holds ': ' must be quoted, e.g. title: \"整改率: 不低于80%\""
            ])
    }

    @Test func waiversNamingNoRuleDoNotApply() {
        let w = WaiverSet.parse(
            yaml:
                "waivers:\n  - {rule: rate-targt, reason: r, approver: a, expires: 2027-01-01}\n  - {rule: rate-target, reason: r, approver: a, expires: 2027-01-01}\n",
            file: "w.yml"
        ).checking(ruleIDs: ["rate-target", "contact"])
        #expect(w.waivers.map(\.rule) == ["rate-target"])
        #expect(
            w.problems.map(\.description) == [
                "w.yml:2:1: error: waiver 1 names rule 'rate-targt', which no loaded rule set defines; did you mean 'rate-target'?"
            ])
    }
}
