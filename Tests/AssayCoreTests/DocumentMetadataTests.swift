import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Document metadata is metadata, not headings: a portal's head block, a dateline subtitle and closing
/// contact lines are no sections; the publication date says where it came from.
@Suite struct DocumentMetadataTests {
    func extract(_ text: String, name: String = "bulletin.txt") -> (Document, Extraction) {
        let doc = document(text, name: name)
        return (doc, FactExtractor().extract(doc))
    }

    func values(_ doc: Document, _ line: DocumentMetadata.Line) -> [String] {
        line.fields.map { "\($0.key)=\(doc.text($0.value))" }
    }

    // MARK: - The head

    @Test func portalHeadBlockIsMetadata() {
        let m = MarkedText(
            """
            索引号：11500000MB0000000X/2024-00012
            发布机构：某某县纪委监委
            发布日期：⟦2024-03-15⟧
            来源：某某县人民政府网
            中共某某县委关于第二轮巡察整改进展情况的通报
            县委第二巡察组于2023年9月4日至11月3日对县农业农村局开展了常规巡察。截至2024年2月29日，反馈的28个问题已完成整改25个。

            """)
        let (doc, e) = extract(m.text)
        #expect(doc.sections.isEmpty)
        #expect(e.dates.published == "2024-03-15")
        #expect(e.dates.publishedSource == .metadata)
        #expect(e.dates.asOf == "2024-02-29")
        #expect(doc.metadata.lines.map(\.place) == [.head, .head, .head, .head])
        #expect(doc.metadata.lines.map(\.line) == [1, 2, 3, 4])
        #expect(
            doc.metadata.lines.flatMap { values(doc, $0) }
                == ["索引号=11500000MB0000000X/2024-00012", "发布机构=某某县纪委监委", "发布日期=2024-03-15", "来源=某某县人民政府网"])
        // Offsets stay exact: the value of 发布日期 is where the text has it.
        let published = doc.metadata.field("发布日期")!
        #expect(doc.span(published.value) == span(m.stretches[0]))
        let done = e.facts.first { $0.text == "25个" }
        #expect(done?.span.line == 6 && done?.section == [])
    }

    @Test func theWholePortalBlockWithViewsFontSizeAndShare() {
        let text = """
            索引号：000000/2024-0101
            发布机构：某某区审计局
            成文日期：2024-04-01
            发布日期：2024年04月08日
            浏览量：2318
            字号：大 中 小
            分享到：
            关于2023年度区级预算执行审计查出问题整改情况的报告
            截至2024年3月31日，审计查出的问题已整改到位41个。

            """
        let (doc, e) = extract(text)
        #expect(doc.sections.isEmpty)
        // 发布日期 is preferred to 成文日期, though it comes later.
        #expect(e.dates.published == "2024-04-08" && e.dates.publishedSource == .metadata)
        #expect(doc.metadata.lines.count == 7)
        #expect(doc.metadata.lines.last.map { values(doc, $0) } == ["分享到="])
    }

    @Test func aDateAndAnotherKeyOnOneLine() {
        let (doc, e) = extract("日期:2024-03-15 来源:某某网\n关于巡察反馈意见整改情况的通报\n截至2024年3月1日,已完成整改17个。\n")
        #expect(doc.sections.isEmpty)
        #expect(e.dates.published == "2024-03-15" && e.dates.publishedSource == .metadata)
        #expect(doc.metadata.lines.map { values(doc, $0) } == [["日期=2024-03-15", "来源=某某网"]])
        // The date is labelled by its own key, not by the key after it.
        #expect(e.facts.filter { $0.kind == .date }.map { "\($0.text) \($0.label ?? "-")" }.first == "2024-03-15 日期")
        let separated = document("发布时间：2024-03-15 10:30；来源：县纪委监委 | 浏览次数：86\n某县巡察整改情况\n")
        #expect(
            separated.metadata.lines.map { values(separated, $0) }
                == [["发布时间=2024-03-15 10:30", "来源=县纪委监委", "浏览次数=86"]])
    }

    @Test(arguments: [
        ("发布时间：2024/03/15 09:30", "2024-03-15"), ("发文日期：2024年03月15日", "2024-03-15"),
        ("Published: 2024-03-15", "2024-03-15"), ("发布日期 ： 2024-3-5", "2024-03-05"),
    ])
    func metadataDateForms(_ line: String, _ expected: String) {
        let (doc, e) = extract(line + "\n某局巡察整改情况\n已完成整改9个。\n")
        #expect(doc.sections.isEmpty)
        #expect(e.dates.published == expected)
        #expect(e.dates.publishedSource == .metadata)
    }

    @Test func unitHeadingsAfterTheHeadStillWork() {
        let text = """
            发布日期：2024-05-20
            来源：某市纪委监委网站
            市某局：把整改作为政治任务
            一是建立问题清单，完成整改12项。
            市某办：立行立改
            一是完善制度3项。

            """
        let (doc, e) = extract(text)
        #expect(doc.sections.map(\.path) == [["市某局"], ["市某办"]])
        #expect(doc.sections.map(\.span.line) == [3, 5])
        #expect(e.dates.publishedSource == .metadata)
        #expect(e.facts.first { $0.text == "12项" }?.section == ["市某局", "一"])
    }

    @Test func aSentenceOpeningWithAKeyIsNotMetadata() {
        let (doc, e) = extract("时间：2023年9月1日至10月31日，县委巡察组进驻某镇开展巡察。\n已完成整改9个。\n")
        #expect(doc.metadata.lines.isEmpty)
        #expect(e.dates.publishedSource == nil)
    }

    // MARK: - The end

    @Test func closingContactLinesAreNotSections() {
        let text = """
            关于某镇党委巡察整改进展情况的通报
            截至2024年6月30日，反馈问题20个，已完成整改18个。
            欢迎广大干部群众对整改落实情况进行监督。
            监督电话：0831-7654321
            电子邮箱：jianduxc@example.cn

            """
        let (doc, _) = extract(text)
        #expect(doc.sections.isEmpty)
        #expect(doc.metadata.lines.map(\.place) == [.contact, .contact])
        #expect(doc.metadata.lines.map(\.line) == [4, 5])
        #expect(doc.metadata.lines.flatMap { values(doc, $0) } == ["监督电话=0831-7654321", "电子邮箱=jianduxc@example.cn"])
    }

    @Test func aContactLineClosesTheLastSection() {
        let text = "市某局：整改落实\n一是完成整改6个。\n监督电话：023-61234567；邮政信箱：某市1001号信箱\n中共某局党组\n2024年7月2日\n"
        let (doc, e) = extract(text)
        #expect(doc.sections.map(\.name) == ["市某局"])
        #expect(doc.sections[0].body == 0..<doc.lineStarts[2])
        #expect(doc.metadata.lines.map { values(doc, $0) } == [["监督电话=023-61234567", "邮政信箱=某市1001号信箱"]])
        // The signature date still counts: the contact block stands before it.
        #expect(e.dates.published == "2024-07-02" && e.dates.publishedSource == .signature)
    }

    @Test func postalBoxWithoutAColon() {
        let (doc, _) = extract("某区巡察整改情况\n已完成整改9个。\n邮政信箱重庆市某区第3号信箱\n举报电话023-68888888\n")
        #expect(doc.sections.isEmpty)
        #expect(doc.metadata.lines.map(\.place) == [.contact, .contact])
    }

    @Test func aContactNameIsNoUnitHeadingAnywhere() {
        let doc = document("市某局:整改\n一是完成。\n监督电话:023-12345678\n二是推进。\n")
        #expect(doc.sections.map(\.name) == ["市某局"])
    }

    // MARK: - The dateline and the other sources

    @Test(arguments: [
        "——2024年12月20日在某县第十八届人民代表大会常务委员会第二十次会议上",
        "—2024年12月20日在某县第十八届人民代表大会常务委员会第二十次会议上",
        "--2024年12月20日在某县第十八届人民代表大会常务委员会第二十次会议上",
        "（2024年12月20日在某县第十八届人民代表大会常务委员会第二十次会议上）",
        "(2024年12月20日在县人大常委会会议上)",
    ])
    func datelineSubtitle(_ dateline: String) {
        let text = """
            关于2023年度县级预算执行和其他财政收支审计查出问题整改情况的报告
            \(dateline)
            县审计局局长 李某某
            主任、各位副主任、各位委员：
            截至2024年10月31日，应整改的问题64个已整改到位58个，整改率90.6%。

            """
        let (doc, e) = extract(text, name: "report-2025-01-02.txt")
        #expect(doc.sections.isEmpty)
        #expect(e.dates.published == "2024-12-20")
        #expect(e.dates.publishedSource == .dateline)
        #expect(doc.metadata.lines.map(\.place) == [.dateline])
        #expect(doc.metadata.lines.map(\.line) == [2])
    }

    @Test func signatureDate() {
        let text = "关于巡察整改进展情况的通报\n截至2024年2月29日,反馈的15个问题已完成整改13个。\n中共某某乡委员会\n2024年3月8日\n"
        let (doc, e) = extract(text, name: "notice-2024-03-20.txt")
        #expect(doc.sections.isEmpty)
        #expect(e.dates.published == "2024-03-08" && e.dates.publishedSource == .signature)
    }

    @Test func jinRiInTheText() {
        let (_, e) = extract("今(9)日,某区公布巡察整改进展。截至2024年4月5日,已完成整改11个。\n", name: "x-2024-05-01.txt")
        #expect(e.dates.published == "2024-04-09" && e.dates.publishedSource == .text)
    }

    @Test func fileNameDateIsTheLastResort() {
        let (doc, e) = extract("某局巡察整改情况\n截至2024年2月29日,已完成整改20个。\n", name: "county-2024-03-11-xuncha.txt")
        #expect(doc.sections.isEmpty)
        #expect(e.dates.published == "2024-03-11" && e.dates.publishedSource == .fileName)
        #expect(FactsJSON.render(document: doc, extraction: e)["dates"]?["published_source"] == .string("file-name"))
    }

    @Test func noDateAnywhere() {
        let (_, e) = extract("已完成整改20个。\n")
        #expect(e.dates.published == nil && e.dates.publishedSource == nil)
    }

    @Test func metadataBeatsTheDatelineAndTheSignature() {
        let text = "发布日期：2025-01-06\n关于审计整改情况的报告\n——2024年12月20日在县人大常委会第二十次会议上\n已整改到位58个。\n2024年12月18日\n"
        let (doc, e) = extract(text)
        #expect(doc.sections.isEmpty)
        #expect(e.dates.published == "2025-01-06" && e.dates.publishedSource == .metadata)
        #expect(doc.metadata.lines.map(\.place) == [.head, .dateline])
    }

    // MARK: - The sample

    @Test func theSampleKeepsItsSectionsAndDate() {
        let doc = sampleDocument()
        #expect(doc.metadata.lines.isEmpty)
        #expect(doc.sections.map(\.path) == [["市生态环境局"], ["市城市管理局"], ["市审计局"], ["市政府外办"]])
        #expect(
            doc.sections.map(\.span) == [
                Span(line: 2, column: 1, offset: 47, length: 30),
                Span(line: 8, column: 1, offset: 1330, length: 20),
                Span(line: 13, column: 1, offset: 2584, length: 34),
                Span(line: 20, column: 1, offset: 3784, length: 25),
            ])
        let e = FactExtractor().extract(doc)
        #expect(e.dates == DocumentDates(published: "2021-01-05", asOf: "2021-01-03", publishedSource: .text))
        #expect(e.genre == .xunshiProgress)
    }

    // MARK: - Reports

    @Test func reportsSayWhereThePublicationDateCameFrom() throws {
        let text = "发布日期：2024-03-15\n关于巡察整改进展情况的通报\n截至2024年3月1日,巡察反馈问题已完成整改17个。\n"
        let result = try Pipeline(ruleSets: []).check(bytes: Array(text.utf8), name: "n.txt")
        let d = result.report.document
        #expect(d.publishedSource == "metadata" && d.genre == "xunshi-progress")
        let json = try JSONValue.parse(JSONRenderer().render(result.report, document: result.document, ruleSets: []))
        #expect(json["document"]?["published_source"] == .string("metadata"))
        #expect(json["document"]?["genre"] == .string("xunshi-progress"))
        let first = TextRenderer().render(result.report, document: result.document, ruleSets: []).split(separator: "\n")
            .first
        #expect(
            first?.contains("published 2024-03-15 (from metadata), as of 2024-03-01, genre xunshi-progress") == true)
        #expect(
            MarkdownRenderer().render(result.report, document: nil, ruleSets: []).contains(
                "| Published | 2024-03-15 (from metadata) |"))
        #expect(
            HTMLRenderer().render(result.report, document: result.document, ruleSets: []).contains(
                "<dt>Genre</dt><dd>xunshi-progress</dd>"))
    }

    @Test func theReportSchemaListsEverySourceAndGenre() throws {
        let schema = try JSONValue.parse(String(contentsOfFile: ReportFixtures.reportSchema, encoding: .utf8))
        let document = schema["properties"]?["document"]?["properties"]
        #expect(
            document?["published_source"]?["enum"]
                == .array(PublishedSource.allCases.map { .string($0.rawValue) } + [.null]))
        #expect(document?["genre"]?["enum"] == .array(Genre.allCases.map { .string($0.rawValue) }))
    }
}
