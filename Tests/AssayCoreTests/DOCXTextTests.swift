import AssayTestSupport
import Foundation
import Testing
import ZIPFoundation

@testable import AssayFormats
@testable import AssayRules
@testable import AssayValues

/// The bytes of a fixture in Fixtures/formats (written by scripts/fixtures/make-zip-formats.py).
func formatFixture(_ name: String) throws -> [UInt8] {
    let url = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/formats/\(name)")
    return [UInt8](try Data(contentsOf: url))
}

/// A zip in memory holding `entries` (path → text).
func zipBytes(_ entries: [(String, String)]) throws -> [UInt8] {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, text) in entries {
        let data = Data(text.utf8)
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
        ) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    return [UInt8](archive.data!)
}

/// Word documents (AssayFormats/DOCXText.swift): body paragraphs and tables as lines, Word's numbering
/// rendered, tracked deletions and comments left out, headings and metadata in the source map.
@Suite struct DOCXTextTests {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    /// A DOCX with `body` as the document body and the given styles and numbering parts.
    static func docx(_ body: String, styles: String? = nil, numbering: String? = nil, extra: [(String, String)] = [])
        throws -> [UInt8]
    {
        var entries = [
            (
                "word/document.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"\(w)\" "
                    + "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" "
                    + "xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" "
                    + "xmlns:v=\"urn:schemas-microsoft-com:vml\"><w:body>\(body)</w:body></w:document>"
            )
        ]
        if let styles { entries.append(("word/styles.xml", "<w:styles xmlns:w=\"\(w)\">\(styles)</w:styles>")) }
        if let numbering {
            entries.append(("word/numbering.xml", "<w:numbering xmlns:w=\"\(w)\">\(numbering)</w:numbering>"))
        }
        return try zipBytes(entries + extra)
    }

    static func p(_ text: String, _ pPr: String = "") -> String {
        "<w:p><w:pPr>\(pPr)</w:pPr><w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r></w:p>"
    }

    static func convert(_ bytes: [UInt8]) throws -> ConvertedText {
        try DOCXText.convert(bytes, limits: ConversionLimits())
    }

    @Test func theSampleConvertsToTheSampleText() throws {
        let converted = try Self.convert(try formatFixture("sample.docx"))
        let sample = String(decoding: sampleBytes(), as: UTF8.self)
        let expected = sample.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(converted.text.split(separator: "\n").map(String.init) == expected)
        #expect(!converted.text.contains("此句已在修订中删除"))
        #expect(!converted.text.contains("批注内容"))
        #expect(converted.source.format == .docx)
        #expect(converted.source.notes == ["1 comment left out", "1 tracked deletion left out"])
        #expect(converted.source.headings == [2: 1, 3: 2, 8: 1, 13: 1, 14: 2, 20: 1, 21: 2])
        #expect(
            converted.source.metadata == [
                .init(key: "title", value: "重庆市部门巡视整改进展（测试样本）"), .init(key: "creator", value: "Assay fixtures"),
                .init(key: "created", value: "2021-01-05T08:00:00Z"),
                .init(key: "modified", value: "2021-01-05T09:30:00Z"),
            ])
    }

    @Test func numberingLabelsAreRendered() throws {
        let numbering = """
            <w:abstractNum w:abstractNumId="0">
            <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
            <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
            <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
            <w:lvl w:ilvl="3"><w:start w:val="3"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3.%4)"/></w:lvl>
            </w:abstractNum>
            <w:abstractNum w:abstractNumId="1">
            <w:lvl w:ilvl="0"><w:start w:val="9"/><w:numFmt w:val="chineseCountingThousand"/><w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>
            </w:abstractNum>
            <w:abstractNum w:abstractNumId="2">
            <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
            <w:lvl w:ilvl="1"><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%2"/></w:lvl>
            <w:lvl w:ilvl="2"><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%3"/><w:suff w:val="nothing"/></w:lvl>
            <w:lvl w:ilvl="3"><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%4、"/></w:lvl>
            </w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="2"/></w:num>
            <w:num w:numId="4"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
            """
        let styles = """
            <w:style w:type="paragraph" w:styleId="ListTop"><w:name w:val="List Top"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
            """
        func num(_ id: Int, _ level: Int) -> String {
            "<w:numPr><w:ilvl w:val=\"\(level)\"/><w:numId w:val=\"\(id)\"/></w:numPr>"
        }
        let body = [
            Self.p("总体情况", num(1, 0)), Self.p("健全制度", num(1, 1)), Self.p("第一项", num(1, 2)),
            Self.p("第二项", num(1, 2)), Self.p("细目", num(1, 3)), Self.p("追责问责", num(1, 1)),
            Self.p("重新从1", num(1, 2)), Self.p("整改措施", "<w:pStyle w:val=\"ListTop\"/>"),
            Self.p("继续", num(1, 1)), Self.p("条款", num(2, 0)), Self.p("条款", num(2, 0)),
            Self.p("要点", num(3, 0)), Self.p("罗马", num(3, 1)), Self.p("罗马", num(3, 1)), Self.p("圈", num(3, 2)),
            Self.p("天干", num(3, 3)), Self.p("天干", num(3, 3)), Self.p("不编号", num(0, 0)),
            Self.p("另起", num(4, 0)), Self.p("接续", num(1, 0)),
        ].joined()
        let converted = try Self.convert(try Self.docx(body, styles: styles, numbering: numbering))
        #expect(
            converted.text == """
                一、总体情况
                （一）健全制度
                1. 第一项
                2. 第二项
                2.c) 细目
                （二）追责问责
                1. 重新从1
                二、整改措施
                （一）继续
                第九条条款
                第十条条款
                要点
                I 罗马
                II 罗马
                ①圈
                甲、天干
                乙、天干
                不编号
                一、另起
                二、接续

                """)
    }

    @Test func numberFormats() {
        #expect(NumberFormat.render(11, format: "chineseCounting") == "十一")
        #expect(NumberFormat.render(20, format: "chineseCounting") == "二十")
        #expect(NumberFormat.render(105, format: "chineseCountingThousand") == "一百零五")
        #expect(NumberFormat.render(110, format: "chineseCountingThousand") == "一百一十")
        #expect(NumberFormat.render(1200, format: "chineseCountingThousand") == "一千二百")
        #expect(NumberFormat.render(11, format: "japaneseCounting") == "十一")
        #expect(NumberFormat.render(28, format: "lowerLetter") == "bb")
        #expect(NumberFormat.render(14, format: "lowerRoman") == "xiv")
        #expect(NumberFormat.render(21, format: "decimalEnclosedCircle") == "㉑")
        #expect(NumberFormat.render(3, format: "chineseLegalSimplified") == "叁")
    }

    @Test func deletionsCommentsAndHiddenTextAreLeftOut() throws {
        let body = """
            <w:p><w:r><w:t>已整改</w:t></w:r><w:del w:id="1"><w:r><w:delText>12</w:delText></w:r></w:del>\
            <w:ins w:id="2"><w:r><w:t>18</w:t></w:r></w:ins><w:r><w:t>个</w:t></w:r>\
            <w:commentRangeStart w:id="5"/><w:r><w:t>。</w:t></w:r><w:commentRangeEnd w:id="5"/>\
            <w:r><w:commentReference w:id="5"/></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r></w:p>
            <w:del w:id="3"><w:p><w:r><w:delText>删掉的段落</w:delText></w:r></w:p></w:del>
            <w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
            <w:r><w:t xml:space="preserve"> 页</w:t></w:r><w:r><w:commentReference w:id="6"/></w:r></w:p>
            """
        let converted = try Self.convert(try Self.docx(body))
        #expect(converted.text == "已整改18个。\n7 页\n")
        #expect(converted.source.notes == ["2 comments left out", "2 tracked deletions left out"])
    }

    @Test func runsBreaksTabsAndTextBoxes() throws {
        let box = "<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>"
        let body = """
            <w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>A</w:t><w:noBreakHyphen/><w:t>B</w:t>\
            <w:sym w:font="Wingdings" w:char="F0FC"/></w:r>\
            <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>\(box)</wps:txbx></w:drawing></mc:Choice>\
            <mc:Fallback><w:pict><v:shape><v:textbox>\(box)</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            <w:p><w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:r><w:drawing/></w:r></w:p>
            """
        #expect(try Self.convert(try Self.docx(body)).text == "第一行\n第二行\tA-B\n框内文字\n链接\n")
    }

    @Test func headingsFromStylesAndOutlineLevels() throws {
        let styles = """
            <w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="T2"><w:name w:val="标题 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My Heading"/><w:basedOn w:val="Out"/></w:style>
            <w:style w:type="paragraph" w:styleId="Out"><w:name w:val="Out"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
            """
        let body = [
            Self.p("一", "<w:pStyle w:val=\"H1\"/>"), Self.p("二", "<w:pStyle w:val=\"T2\"/>"),
            Self.p("三", "<w:pStyle w:val=\"Mine\"/>"), Self.p("正文"), Self.p("四", "<w:outlineLvl w:val=\"3\"/>"),
            Self.p("正文", "<w:pStyle w:val=\"H1\"/><w:outlineLvl w:val=\"9\"/>"),
        ].joined()
        let converted = try Self.convert(try Self.docx(body, styles: styles))
        #expect(converted.text == "一\n二\n三\n正文\n四\n正文\n")
        #expect(converted.source.headings == [1: 1, 2: 2, 3: 3, 5: 4])
    }

    @Test func tablesAreTabSeparatedRows() throws {
        func cell(_ paragraphs: String...) -> String { "<w:tc>" + paragraphs.map { Self.p($0) }.joined() + "</w:tc>" }
        let nested = "<w:tc><w:tbl><w:tr>\(cell("甲"))\(cell("乙"))</w:tr></w:tbl></w:tc>"
        let body = """
            \(Self.p("表1"))<w:tbl><w:tblPr/><w:tr>\(cell("单位"))\(cell("问题数"))\(cell("已整改"))</w:tr>\
            <w:tr>\(cell("市财政局"))\(cell("12个"))\(cell("10个", "另有2个在办"))</w:tr>\
            <w:tr>\(cell("合计"))\(nested)\(cell(""))</w:tr></w:tbl>\(Self.p("表后"))
            """
        #expect(
            try Self.convert(try Self.docx(body)).text
                == "表1\n单位\t问题数\t已整改\n市财政局\t12个\t10个 另有2个在办\n合计\t甲 乙\n表后\n")
    }

    @Test func failuresSayWhy() throws {
        func failure(_ bytes: [UInt8]) -> String? {
            do {
                _ = try DOCXText.convert(bytes, limits: ConversionLimits())
                return nil
            } catch { return error.description }
        }
        #expect(
            failure(try formatFixture("truncated.docx"))
                == "DOCX: the zip archive cannot be read (corrupt or truncated)")
        #expect(
            failure(try formatFixture("no-document.docx"))
                == "DOCX: the package has no word/document.xml, so it is not a Word document")
        #expect(
            failure(try formatFixture("zip-bomb.docx"))
                == "DOCX: decompressing word/document.xml goes over the limit of 16777216 bytes (max_bytes counts "
                + "what is decompressed from a file; a zip bomb looks like this)")
        #expect(
            failure(try formatFixture("images-only.docx"))
                == "DOCX: the document has no text, only 1 image; a scanned document needs to be a PDF for OCR")
        #expect(failure(try Self.docx(Self.p(" "))) == "DOCX: the document has no text")
        #expect(
            failure(try zipBytes([("word/document.xml", "<w:document>\n<w:body>\n</w:document>")]))
                == "DOCX: word/document.xml is not well-formed XML (line 3)")
        #expect(
            failure(try Self.docx(Self.p("x"), styles: "<w:style>"))
                == "DOCX: word/styles.xml is not well-formed XML (line 1)")
    }

    /// A zip bomb whose headers lie about the size (say 1000 bytes): the budget counts what is actually
    /// inflated, so it still stops there.
    @Test func aZipBombWithLyingSizesStopsAtTheBudget() throws {
        var bytes = try formatFixture("zip-bomb.docx")
        let name = Array("word/document.xml".utf8)
        func put(_ value: UInt32, at i: Int) {
            for k in 0..<4 { bytes[i + k] = UInt8((value >> (8 * UInt32(k))) & 0xFF) }
        }
        var patched = 0
        for i in 0..<(bytes.count - name.count) where Array(bytes[i..<(i + name.count)]) == name {
            if i >= 30, bytes[(i - 30)..<(i - 26)].elementsEqual([0x50, 0x4B, 0x03, 0x04]) {
                put(1000, at: i - 30 + 22)
                patched += 1
            } else if i >= 46, bytes[(i - 46)..<(i - 42)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) {
                put(1000, at: i - 46 + 24)
                patched += 1
            }
        }
        #expect(patched == 2)
        let reason: String?
        do {
            _ = try DOCXText.convert(bytes, limits: ConversionLimits(maxBytes: 4 * 1024 * 1024))
            reason = nil
        } catch { reason = error.description }
        #expect(
            reason
                == "DOCX: decompressing word/document.xml goes over the limit of 4194304 bytes (max_bytes counts "
                + "what is decompressed from a file; a zip bomb looks like this)")
    }

    /// Entities are never expanded: a "billion laughs" document is refused at once, and an external
    /// entity is never read (its reference gives no text).
    @Test func entitiesAreNotExpanded() throws {
        func document(_ dtd: String, _ text: String) -> String {
            "<?xml version=\"1.0\"?>\(dtd)<w:document xmlns:w=\"\(Self.w)\"><w:body><w:p><w:r><w:t>\(text)</w:t>"
                + "</w:r></w:p></w:body></w:document>"
        }
        var laughs = "<!DOCTYPE w:document [<!ENTITY a0 \"ha\">"
        for i in 1...12 { laughs += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i - 1);", count: 10) + "\">" }
        laughs += "]>"
        let start = ContinuousClock.now
        var reason: String?
        let bomb = try zipBytes([("word/document.xml", document(laughs, "正文&a12;"))])
        do {
            _ = try DOCXText.convert(bomb, limits: ConversionLimits())
        } catch { reason = error.description }
        #expect(reason == "DOCX: word/document.xml is not well-formed XML (line 1)")
        #expect(ContinuousClock.now - start < .seconds(5))
        let external = "<!DOCTYPE w:document [<!ENTITY ext SYSTEM \"file:///etc/hostname\">]>"
        let converted = try Self.convert(try zipBytes([("word/document.xml", document(external, "正文&ext;"))]))
        #expect(converted.text == "正文\n")
    }

    @Test func thePipelineRefusesBadDocumentsWithTheReason() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let pipeline = Pipeline(ruleSets: sets)
        #expect(
            throws: DecodingError.undecodable(
                reason: "DOCX: the document has no text, only 1 image; a scanned document needs to be a PDF for OCR")
        ) {
            _ = try pipeline.check(bytes: try formatFixture("images-only.docx"), name: "scan.docx")
        }
        #expect(
            throws: DecodingError.undecodable(reason: "DOCX: the zip archive cannot be read (corrupt or truncated)")
        ) {
            _ = try pipeline.check(bytes: try formatFixture("truncated.docx"), name: "cut.docx")
        }
    }
}
