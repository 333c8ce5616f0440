import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayValues

/// A rule's `basis:` and `references:` reach every report format.
@Suite struct ReferencesTests {
    static let yaml = """
        assay: 1
        ruleset: refs
        rules:
          - id: contact
            title: 公布监督联系方式
            kind: require
            phrases: [联系电话]
            basis: 巡视工作条例 第三十六条
            references:
              - {title: 中国共产党巡视工作条例, url: "https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm"}
              - {title: 整改工作方案}
        """

    func report() throws -> (Pipeline.Result, [RuleSet]) {
        let sets = [try RuleLoader().load(yaml: Self.yaml, file: "refs.yml")]
        let result = try Pipeline(ruleSets: sets).check(
            bytes: Array("整改进展情况通报\n欢迎监督。\n".utf8), name: "b.txt",
            now: Date(timeIntervalSince1970: 1_609_891_200))
        return (result, sets)
    }

    func render(_ format: ReportFormat) throws -> String {
        let (r, sets) = try report()
        return format.renderer.render(r.report, document: r.document, ruleSets: sets)
    }

    @Test func theOutcomeCarriesTheRulesBasisAndReferences() throws {
        let o = try #require(try report().0.report.outcomes.first)
        #expect(o.basis == "巡视工作条例 第三十六条")
        #expect(
            o.references == [
                Reference(title: "中国共产党巡视工作条例", url: "https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm"),
                Reference(title: "整改工作方案"),
            ])
    }

    @Test func textShowsBasisAndReferences() throws {
        let text = try render(.text)
        #expect(
            text.contains(
                "    basis: 巡视工作条例 第三十六条\n"
                    + "    see: 中国共产党巡视工作条例 <https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm>; 整改工作方案\n"))
    }

    @Test func jsonShowsBasisAndReferences() throws {
        let json = try render(.json)
        #expect(
            json.contains(
                """
                      "basis": "巡视工作条例 第三十六条",
                      "references": [
                        {
                          "title": "中国共产党巡视工作条例",
                          "url": "https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm"
                        },
                        {
                          "title": "整改工作方案"
                        }
                      ]
                """))
    }

    @Test func markdownShowsBasisAndReferences() throws {
        let md = try render(.markdown)
        #expect(
            md.contains(
                "  - basis: 巡视工作条例 第三十六条\n"
                    + "  - references: [中国共产党巡视工作条例](<https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm>), 整改工作方案\n"
            ))
    }

    @Test func htmlShowsBasisAndReferences() throws {
        let html = try render(.html)
        #expect(
            html.contains(
                "<p class=\"basis\">Basis: 巡视工作条例 第三十六条</p>\n"
                    + "<p class=\"references\">References: <a href=\"https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm\" "
                    + "rel=\"noreferrer\">中国共产党巡视工作条例</a>, 整改工作方案</p>\n"))
    }

    @Test func sarifTakesHelpUriFromTheFirstReferenceAndTheBasisIntoItsDescriptions() throws {
        let sarif = try render(.sarif)
        #expect(
            sarif.contains(
                """
                              "fullDescription": {
                                "text": "巡视工作条例 第三十六条 (require rule from refs)"
                              },
                              "help": {
                                "text": "巡视工作条例 第三十六条 (require rule from refs) References: 中国共产党巡视工作条例 <https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm>; 整改工作方案"
                              },
                              "helpUri": "https://www.gov.cn/zhengce/2017-07/14/content_5210593.htm",
                """))
    }

    @Test func aBadReferenceIsALoadError() {
        #expect(
            loadErrors(
                "  - id: r\n    title: t\n    kind: require\n    phrases: [a]\n"
                    + "    references: [{title: 条例, url: \"www.gov.cn\"}, {url: \"https://a.cn\"}, {title: x, link: y}]\n"
            )
                == [
                    "t.yml:8:35: error: references.url 'www.gov.cn' is not an http:// or https:// address (without spaces, quotes or angle brackets)",
                    "t.yml:8:50: error: each item of references needs a 'title'",
                    "t.yml:8:84: error: unknown key 'link' in each item of references; allowed: title, url",
                ])
    }
}
