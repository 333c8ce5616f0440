import AssayTestSupport
import Foundation
import Testing

@testable import AssayFormats
@testable import AssayRules
@testable import AssayValues

/// Bulletins saved from web pages (AssayFormats/HTMLText.swift): libxml2's HTML parser, the page's
/// furniture left out, blocks as lines, the page's charset.
@Suite struct HTMLTextTests {
    /// The sample bulletin as a portal page: each line a paragraph, with navigation, a script that holds
    /// a figure, a style and a footer around it.
    static func samplePage() throws -> [UInt8] {
        let text = String(decoding: sampleBytes(), as: UTF8.self)
        let paragraphs = text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            "<p>" + line.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                + "</p>"
        }
        let page =
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>t</title><style>p{margin:0}</style>"
            + "<script>var rate = \"整改率达10%\";</script></head>\n<body><nav><a href=\"/\">首页</a> <a href=\"/n\">工作动态</a></nav>\n"
            + "<div class=\"article\">" + paragraphs.joined(separator: "\n")
            + "</div>\n<footer>版权所有</footer></body></html>\n"
        return Array(page.utf8)
    }

    @Test func theSampleAsAPageGivesTheSameOutcomes() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let pipeline = Pipeline(ruleSets: sets)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let text = try pipeline.check(bytes: sampleBytes(), name: "sample.txt", now: now)
        let page = try pipeline.check(bytes: try Self.samplePage(), name: "sample.html", now: now)
        func shown(_ r: Pipeline.Result) -> [String] {
            r.report.outcomes.map { "\($0.ruleID) \($0.status.rawValue) \($0.section) \($0.message) \($0.values)" }
        }
        #expect(shown(page) == shown(text))
        #expect(page.report.outcomes.count == 19)
        // The script's 整改率达10% is not a figure of the bulletin.
        #expect(!page.extraction.facts.contains { $0.text == "10%" })
    }

    @Test func furnitureIsLeftOutAndBlocksAreLines() throws {
        let page = """
            <html><head><title>标题栏</title></head><body>
            <header>某某市人民政府门户网站</header><nav>首页 | 政务公开</nav>
            <div class="meta">发布日期:2024-05-20 来源:市审计局</div>
            <h1>关于审计整改情况的报告</h1>
            <h2>一、总体情况</h2>
            <p>共发现问题
            20个,已整改<b>18个</b>。</p>
            <div style="display: none">隐藏的统计100个</div>
            <ul><li>（一）健全制度</li><li>（二）追责问责</li></ul>
            <table><tr><th>单位</th><th>问题数</th></tr><tr><td>市财政局</td><td>12个</td></tr></table>
            <div class="share"><button>分享</button></div>
            <script>document.write("整改率99%")</script>
            <footer>主办单位</footer>
            </body></html>
            """
        #expect(
            try HTMLText.text(of: Array(page.utf8))
                == """
                发布日期:2024-05-20 来源:市审计局
                关于审计整改情况的报告
                一、总体情况
                共发现问题20个,已整改18个。
                （一）健全制度
                （二）追责问责
                单位\t问题数
                市财政局\t12个

                """)
    }

    @Test func chineseCharsets() throws {
        let body = "整改率达85%。"
        // 整改率达85%。 in GBK.
        let gbk: [UInt8] = [213, 251, 184, 196, 194, 202, 180, 239, 56, 53, 37, 161, 163]
        // Named in a meta element.
        let named =
            Array(
                "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\"></head><body><p>".utf8
            )
            + gbk + Array("</p></body></html>".utf8)
        #expect(try HTMLText.text(of: named) == body + "\n")
        // Named nowhere: not UTF-8, so GB18030 (not libxml2's Latin-1 default).
        let unnamed = Array("<html><body><p>".utf8) + gbk + Array("</p></body></html>".utf8)
        #expect(try HTMLText.text(of: unnamed) == body + "\n")
        let utf8 = Array("<html><body><p>\(body)</p></body></html>".utf8)
        #expect(try HTMLText.text(of: utf8) == body + "\n")
    }

    @Test func aPageWithoutBodyTextIsRefusedWithItsReason() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let page = Array("<!doctype html><html><head><script>x()</script></head><body><nav>首页</nav></body></html>".utf8)
        #expect(
            throws: DecodingError.undecodable(
                reason: "HTML page: the page has no body text (only scripts, styles or navigation)")
        ) {
            _ = try Pipeline(ruleSets: sets).check(bytes: page, name: "empty.html")
        }
    }

    @Test func pagesAreKnownByNameOrFirstBytes() {
        #expect(HTMLText.isHTML([], name: "a.HTML"))
        #expect(HTMLText.isHTML([], name: "a.htm"))
        #expect(HTMLText.isHTML(Array("\u{FEFF}\n  <!DOCTYPE html><html>".utf8), name: "page"))
        #expect(HTMLText.isHTML(Array("<HTML lang=zh>".utf8), name: "page.txt"))
        #expect(!HTMLText.isHTML(Array("一、总体情况 <p>".utf8), name: "a.txt"))
    }
}
