import AssayTestSupport
import Foundation
import Testing

/// `assay rules list`, `assay rules doc`, `assay explain` and the fixtures `assay rules test` runs: their
/// exact output on small rule files written here, and on a bundled rule.
@Suite("rules list, rules doc, explain and rule fixtures")
struct RulesToolingTests {
    /// A rate rule with a condition and pass, fail and missing examples.
    static let ruleA = """
        assay: 1
        ruleset: set-a
        version: "2.0"
        description: Rates for the tooling tests.
        applies_to: {genre: xunshi-progress}
        defaults: {severity: error, on_missing: warning}
        rules:
          - id: rate-a
            title: 整改率不低于80%
            kind: threshold
            select: {kind: percent, label: 整改率}
            op: ">="
            target: 80%
            when: {all: [{phrases: [整改]}, {not: {phrases: [已全部整改完成]}}]}
            basis: 测试依据
            message: "{section}: 整改率 {actual}, target {target}"
            examples:
              pass: ["一、甲单位\\n整改率达85%。"]
              fail: ["一、甲单位\\n整改率达70%。"]
              missing: ["一、甲单位\\n已整改。"]

        """

    /// A phrase rule in a second file.
    static let ruleB = """
        assay: 1
        ruleset: set-b
        rules:
          - id: contact-b
            title: 公布联系电话
            kind: require
            phrases: [联系电话]
            examples: {pass: ["联系电话:123。"], fail: ["欢迎监督。"]}

        """

    /// A bulletin whose rate, 79%, sits in item 一 of (一)加强管理 of 二、整改落实情况.
    static let bulletin = "关于巡视整改进展情况的通报\n二、整改落实情况\n(一)加强管理\n一是查出问题100个,已完成整改79个,整改率达79%。\n"

    /// A folder with a.yml, b.yml and tests/ holding `fixtures` (name → expect.yml text), each beside the bulletin.
    static func folder(_ fixtures: [String: String], a: String = ruleA) throws -> URL {
        let d = try tempDir()
        try a.write(to: d.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
        try ruleB.write(to: d.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
        let tests = d.appendingPathComponent("tests")
        try FileManager.default.createDirectory(at: tests, withIntermediateDirectories: true)
        for (name, yaml) in fixtures {
            try yaml.write(to: tests.appendingPathComponent(name + ".expect.yml"), atomically: true, encoding: .utf8)
            try bulletin.write(to: tests.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
        }
        return d
    }

    /// The three fixtures of the association tests: one for a.yml, one for b.yml, one declaring both.
    static let threeFixtures = [
        "rate": """
        expect:
          - {rule: rate-a, status: fail, path: [二、整改落实情况, (一)加强管理, 一], values: {actual: 79%, target: ">= 80%"}}
        absent:
          - {rule: rate-a, status: pass}

        """,
        "contact": "expect:\n  - {rule: contact-b, status: fail}\n",
        "both":
            "rules: [a.yml, b.yml]\nexpect:\n  - {rule: rate-a, status: fail}\n  - {rule: contact-b, status: fail}\n",
    ]

    @Test func listIsATableOfEveryRule() throws {
        let d = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["rules", "list", "a.yml", "b.yml"], cwd: d)
        #expect(r.status == 0)
        #expect(
            r.stdout == """
                ID         KIND       SEVERITY  SET    TITLE
                rate-a     threshold  error     set-a  整改率不低于80%
                contact-b  require    warning   set-b  公布联系电话
                2 rules in 2 sets

                """)
    }

    @Test func listAsJSON() throws {
        let d = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["rules", "list", "b.yml", "--format", "json"], cwd: d)
        #expect(r.status == 0)
        #expect(
            r.stdout == """
                [
                  {
                    "id": "contact-b",
                    "kind": "require",
                    "severity": "warning",
                    "on_missing": "warning",
                    "set": "set-b",
                    "file": "b.yml",
                    "line": 4,
                    "title": "公布联系电话"
                  }
                ]

                """)
    }

    @Test func explainABundledRule() throws {
        let r = try runAssay(["explain", "audit-rectification-rate"])
        #expect(r.status == 0)
        #expect(
            r.stdout == """
                audit-rectification-rate: 市审计局 审计查出问题整改率不低于目标
                  rule set:   chongqing-sample (chongqing-sample.yml:42)
                  kind:       threshold — a figure against a target (>=, >, <=, <, ==, between), unit- and approximation-aware
                  severity:   error (missing facts: warning)
                  scope:      document
                  select:     {kind: percent, label: 整改率, section: 市审计局}
                  op:         ">="
                  target:     $audit_rate = 80% (市审计局 审计整改工作目标(示例目标))
                  basis:      市审计局 审计整改工作目标
                  message:    {section}: 整改率 {actual}, target {target} (difference {difference})
                  examples:
                    pass #1:
                      市审计局:整改
                      一是查出问题100个,已督促完成整改85个,整改率达85%。
                    fail #1:
                      市审计局:整改
                      一是查出问题100个,已督促完成整改70个,整改率达70%。

                """)
    }

    @Test func explainARuleWithACondition() throws {
        let d = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["explain", "rate-a", "--rules", "a.yml"], cwd: d)
        #expect(r.status == 0)
        #expect(
            r.stdout == """
                rate-a: 整改率不低于80%
                  rule set:   set-a (a.yml:8)
                  kind:       threshold — a figure against a target (>=, >, <=, <, ==, between), unit- and approximation-aware
                  severity:   error (missing facts: warning)
                  scope:      document
                  when:       phrase 整改 and not (phrase 已全部整改完成)
                  select:     {kind: percent, label: 整改率}
                  op:         ">="
                  target:     80%
                  basis:      测试依据
                  message:    {section}: 整改率 {actual}, target {target}
                  examples:
                    pass #1:
                      一、甲单位
                      整改率达85%。
                    fail #1:
                      一、甲单位
                      整改率达70%。
                    missing #1:
                      一、甲单位
                      已整改。

                """)
    }

    /// The reference of one small set, whole; `--output` writes the same text.
    @Test func docIsAMarkdownReference() throws {
        let d = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["rules", "doc", "a.yml"], cwd: d)
        #expect(r.status == 0)
        #expect(
            r.stdout == """
                # Rule reference

                1 rule set, 1 rule.

                ## set-a

                - file: `a.yml`
                - version: 2.0
                - applies to: `{genre: xunshi-progress}`

                Rates for the tooling tests.

                | id | kind | severity | title |
                |---|---|---|---|
                | [`rate-a`](#rate-a) | threshold | error | 整改率不低于80% |

                ### rate-a

                整改率不低于80%

                - kind: `threshold` — a figure against a target (>=, >, <=, <, ==, between), unit- and approximation-aware
                - severity: error; when its facts are missing: warning
                - scope: `document`
                - checked when: phrase 整改 and not (phrase 已全部整改完成)
                - checks:
                  - select: `{kind: percent, label: 整改率}`
                  - op: `">="`
                  - target: `80%`
                - basis: 测试依据
                - message: `{section}: 整改率 {actual}, target {target}`

                Examples:

                - pass #1:

                  ```text
                  一、甲单位
                  整改率达85%。
                  ```

                - fail #1:

                  ```text
                  一、甲单位
                  整改率达70%。
                  ```

                - missing #1:

                  ```text
                  一、甲单位
                  已整改。
                  ```

                """)
        let out = d.appendingPathComponent("rules.md")
        let w = try runAssay(["rules", "doc", "a.yml", "--output", out.path], cwd: d)
        #expect(w.status == 0 && w.stdout.isEmpty)
        #expect(try String(contentsOf: out, encoding: .utf8) == r.stdout)
    }

    /// `rules test a.yml` runs a.yml's examples and the fixtures of a.yml only: b.yml's is not run, and one
    /// declaring both files is skipped and said so.
    @Test func testOneFileRunsItsFixturesOnly() throws {
        let d = try Self.folder(Self.threeFixtures)
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["rules", "test", "a.yml"], cwd: d)
        #expect(r.status == 0, "\(r.stdout)")
        #expect(
            r.stdout == """
                SKIP tests/both.expect.yml: it belongs to a.yml, b.yml; not given: b.yml
                5 passed, 0 failed, 1 fixture(s) skipped

                """)
        let b = try runAssay(["rules", "test", "b.yml"], cwd: d)
        #expect(
            b.stdout == """
                SKIP tests/both.expect.yml: it belongs to a.yml, b.yml; not given: a.yml
                3 passed, 0 failed, 1 fixture(s) skipped

                """)
        let all = try runAssay(["rules", "test", "a.yml", "b.yml"], cwd: d)
        #expect(all.status == 0 && all.stdout == "10 passed, 0 failed\n", "\(all.stdout)")
        let folder = try runAssay(["rules", "test", "."], cwd: d)
        #expect(folder.status == 0 && folder.stdout == "10 passed, 0 failed\n", "\(folder.stdout)")
    }

    /// A path that is not the whole section path, a value of another text, a false alarm and an unknown rule
    /// each fail at their line and say what was found.
    @Test func fixtureFailuresSayWhatDiffers() throws {
        let d = try Self.folder([
            "rate": """
            expect:
              - {rule: rate-a, status: fail, path: [二、整改落实情况, (一)加强管理]}
              - {rule: rate-a, status: fail, values: {actual: 79%, target: 80%}}
              - {rule: rate-a, status: fail, path: [二、整改落实情况, (一)加强管理, 一], values: {actual: 79%}}
              - {rule: rate-b, status: fail}
            absent:
              - {rule: rate-a, status: fail, section: 加强管理}

            """
        ])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["rules", "test", "a.yml"], cwd: d)
        #expect(r.status == 1)
        let got =
            "got fail [二、整改落实情况 › (一)加强管理 › 一] 二、整改落实情况 › (一)加强管理 › 一: 整改率 79%, target >= 80% {actual: 79%, target: >= 80%, difference: -1 个百分点}"
        #expect(
            r.stdout == """
                FAIL tests/rate.expect.yml:7: rate-a fail in 加强管理 must not appear; \(got)
                FAIL tests/rate.expect.yml:2: expected rate-a fail at [二、整改落实情况 › (一)加强管理]; \(got)
                FAIL tests/rate.expect.yml:3: expected rate-a fail with actual 79%, target 80%; \(got)
                FAIL tests/rate.expect.yml:5: expected rate-b fail; no rule 'rate-b' is loaded; did you mean 'rate-a'?
                4 passed, 4 failed

                """)
    }

    /// A fixture's mistakes are errors at their file:line:column, with a did-you-mean, and it is not run.
    @Test func malformedFixturesAreErrorsAtTheirPlace() throws {
        let d = try Self.folder([
            "rate": """
            rules: a.ym
            expect:
              - {rule: rate-a, status: fail, pth: [x]}
              - {rule: rate-a, status: fail, path: 二、整改落实情况, values: [79%]}

            """
        ])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["rules", "test", "."], cwd: d)
        #expect(r.status == 1)
        #expect(
            r.stdout == """
                FAIL ./tests/rate.expect.yml:1:8: error: rules: 'a.ym' is not a rule file in the folder that holds tests/; did you mean 'a.yml'?
                FAIL ./tests/rate.expect.yml:3:34: error: unknown key 'pth' in each item of expect; did you mean 'path'?
                FAIL ./tests/rate.expect.yml:4:40: error: path must be a list of section names, outermost first: [二、…, (一)…]
                FAIL ./tests/rate.expect.yml:4:58: error: values must be a mapping from value name to text: {actual: 79%, target: 80%}
                5 passed, 1 failed

                """)
    }

    /// A `missing:` example on which the rule fails (or passes) is a failure naming the rule and the example.
    @Test func missingExamplesMustBeMissing() throws {
        let a = Self.ruleA.replacingOccurrences(
            of: #"missing: ["一、甲单位\n已整改。"]"#, with: #"missing: ["一、甲单位\n整改率达70%。", "一、甲单位\n已整改。"]"#)
        let d = try Self.folder([:], a: a)
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try runAssay(["rules", "test", "a.yml"], cwd: d)
        #expect(r.status == 1)
        #expect(
            r.stdout == """
                FAIL a.yml:8: rate-a missing example #1: expected missing (and no fail or error), got fail: 一、甲单位: 整改率 70%, target >= 80%
                3 passed, 1 failed

                """)
    }
}
