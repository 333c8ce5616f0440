import AssayTestSupport
import Foundation
import Testing

@testable import AssayFormats
@testable import AssayRules
@testable import AssayValues

/// Bulletins saved from web pages (AssayFormats/HTMLText.swift): libxml2's HTML parser, the page's
/// furniture left out, blocks as lines, the page's charset.
@Suite struct HTMLTextTests {
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

    /// A page laid out the way county and city portals lay them out, every part in a plain `div`: the
    /// site's banner, a menu, a breadcrumb, the article (title, a metadata line, the body), share and print
    /// links, a column of related links whose titles hold figures, and a footer with registration numbers.
    static let portalPage = """
        <html><head><meta charset="utf-8"><title>某县关于巡察整改进展情况的通报_某县人民政府</title>
        <meta name="ArticleTitle" content="某县关于巡察整改进展情况的通报">
        <meta name="PubDate" content="2024-06-03 09:30">
        <meta name="ContentSource" content="县委巡察办"></head>
        <body>
        <div class="top"><div class="logo">某县人民政府</div><div class="weather">晴 26℃</div></div>
        <div class="menu-box"><a href="/">首页</a><a href="/a">政务公开</a><a href="/b">政务服务</a><a href="/c">互动交流</a>
        <a href="/d">走进某县</a><a href="/e">专题专栏</a></div>
        <div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/a">政务公开</a> &gt; <a href="/a/x">巡察工作</a></div>
        <div class="main">
          <div class="article-title"><h1>某县关于巡察整改进展情况的通报</h1></div>
          <div class="info">发布时间：2024-06-03 09:30 来源：县委巡察办 浏览次数：1532</div>
          <div class="TRS_Editor" id="zoom">
            <p>根据县委统一部署，县委第二巡察组于2023年10月至12月对县农业农村局开展了常规巡察，现将整改进展情况通报如下。</p>
            <p>一、整改工作总体情况</p>
            <p>巡察反馈问题共28个，截至2024年5月31日，已完成整改25个，整改完成率89.3%，其余3个正在推进。</p>
            <p>二、下一步工作</p>
            <p>对尚未完成的问题，明确责任人和时限，确保2024年9月30日前全部整改到位。</p>
          </div>
          <div class="share">分享到：<a>微信</a><a>微博</a></div>
          <div class="print"><a>【打印本页】</a><a>【关闭窗口】</a></div>
        </div>
        <div class="related"><h3>相关信息</h3><ul>
          <li><a href="/1">县委第一巡察组反馈13个问题整改情况</a></li>
          <li><a href="/2">2023年第4号公告</a></li></ul></div>
        <div class="bottom"><p>主办单位：某县人民政府办公室 联系电话：0123-4567890</p>
        <p>网站标识码：1234567890 某ICP备12345678号</p></div>
        </body></html>
        """

    @Test func aPortalPageGivesItsTitleMetadataLineAndBodyOnly() throws {
        let converted = try HTMLText.convert(Array(Self.portalPage.utf8))
        #expect(
            converted.text.split(separator: "\n") == [
                "某县关于巡察整改进展情况的通报",
                "发布时间：2024-06-03 09:30 来源：县委巡察办 浏览次数：1532",
                "根据县委统一部署，县委第二巡察组于2023年10月至12月对县农业农村局开展了常规巡察，现将整改进展情况通报如下。",
                "一、整改工作总体情况",
                "巡察反馈问题共28个，截至2024年5月31日，已完成整改25个，整改完成率89.3%，其余3个正在推进。",
                "二、下一步工作",
                "对尚未完成的问题，明确责任人和时限，确保2024年9月30日前全部整改到位。",
            ])
        #expect(
            converted.source.metadata.map { "\($0.key)=\($0.value)" } == [
                "title=某县关于巡察整改进展情况的通报_某县人民政府", "ArticleTitle=某县关于巡察整改进展情况的通报",
                "PubDate=2024-06-03 09:30", "ContentSource=县委巡察办",
            ])
        #expect(converted.source.format == .html)
        // Through the pipeline: the publication date is the metadata line's, and no figure of the menu,
        // the related links or the footer is a fact.
        let result = try Pipeline(ruleSets: []).check(bytes: Array(Self.portalPage.utf8), name: "page.html")
        #expect(result.report.document.published == "2024-06-03")
        #expect(result.report.document.publishedSource == "metadata")
        let figures = result.extraction.facts.filter { [.quantity, .percent].contains($0.kind) }.map(\.text)
        #expect(figures == ["28个", "25个", "89.3%", "3个"])
    }

    /// A space between two inline elements is a space of the text (Open 12 recommendations, not
    /// Open12recommendations); white space between blocks is no line.
    @Test func spacesBetweenInlineElementsAreKept() throws {
        let page =
            "<html><body>\n  <p><b>Open</b> <i>12</i> <span>recommendations</span></p>\n  <p>大 <a>中</a></p>\n</body></html>"
        let text = try HTMLText.text(of: Array(page.utf8))
        #expect(text == "Open 12 recommendations\n大 中\n")
    }

    /// A short page whose body is too short to tell from the rest is read whole.
    @Test func aPageWithoutAClearBodyIsReadWhole() throws {
        let page = "<html><body><div class=\"a\"><p>共发现问题20个，已整改18个。</p></div><div>其余2个正在整改。</div></body></html>"
        #expect(try HTMLText.text(of: Array(page.utf8)) == "共发现问题20个，已整改18个。\n其余2个正在整改。\n")
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

    /// Portals declare gb2312 and serve characters outside it (镕 is GBK, 𠀀 four bytes of GB18030): the
    /// page is read whole as GB18030, not cut at the first such character.
    @Test func aGB2312PageWithCharactersBeyondGB2312IsReadWhole() throws {
        let head = Array(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body><p>".utf8)
        // 朱镕𠀀整改率达85%。 in GB18030.
        let text: [UInt8] = [
            214, 236, 233, 70, 149, 50, 130, 54, 213, 251, 184, 196, 194, 202, 180, 239, 56, 53, 37, 161, 163,
        ]
        let page = head + text + Array("</p><p>18 closed.</p></body></html>".utf8)
        #expect(try HTMLText.text(of: page) == "朱镕𠀀整改率达85%。\n18 closed.\n")
    }

    @Test func aPageThatIsNotInItsCharsetIsRefusedWithTheCharset() {
        func failure(_ bytes: [UInt8]) -> String? {
            do {
                _ = try HTMLText.text(of: bytes)
                return nil
            } catch { return error.description }
        }
        let bad: [UInt8] = [0xFF, 0xFE, 0x80]
        #expect(
            failure(Array("<html><head><meta charset=\"GBK\"></head><body><p>".utf8) + bad)
                == "the page says its charset is gbk but it is not valid GB18030/GBK")
        #expect(
            failure(Array("<html><head><meta charset=utf-8></head><body><p>".utf8) + bad)
                == "the page says its charset is utf-8 but it is not valid UTF-8")
        #expect(
            failure(Array("<html><body><p>".utf8) + bad + Array("</p></body></html>".utf8))
                == "the page names no charset and is neither UTF-8 nor GB18030/GBK")
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
