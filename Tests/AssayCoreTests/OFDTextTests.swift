import AssayTestSupport
import Foundation
import Testing

@testable import AssayFormats
@testable import AssayRules
@testable import AssayValues

/// OFD documents (AssayFormats/OFDText.swift): OFD.xml → document → pages, text objects in reading order
/// by their positions, a page of the source map per page, templates left out.
@Suite struct OFDTextTests {
    static let ns = "http://www.ofdspec.org/2016"

    /// An OFD whose pages hold the given layer contents (text and image objects).
    static func ofd(_ pages: [String], docInfo: String = "") throws -> [UInt8] {
        var entries = [
            (
                "OFD.xml",
                "<ofd:OFD xmlns:ofd=\"\(ns)\" Version=\"1.0\" DocType=\"OFD\"><ofd:DocBody><ofd:DocInfo>\(docInfo)"
                    + "</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
            ),
            (
                "Doc_0/Document.xml",
                "<ofd:Document xmlns:ofd=\"\(ns)\"><ofd:Pages>"
                    + pages.indices.map { "<ofd:Page ID=\"\($0 + 1)\" BaseLoc=\"Pages/Page_\($0)/Content.xml\"/>" }
                    .joined() + "</ofd:Pages></ofd:Document>"
            ),
        ]
        for (i, layer) in pages.enumerated() {
            entries.append(
                (
                    "Doc_0/Pages/Page_\(i)/Content.xml",
                    "<ofd:Page xmlns:ofd=\"\(ns)\"><ofd:Content><ofd:Layer ID=\"9\">\(layer)</ofd:Layer></ofd:Content>"
                        + "</ofd:Page>"
                ))
        }
        return try zipBytes(entries)
    }

    /// A text object at `x y w h` (font size 4) whose one text code sits on the baseline 4 below its top.
    static func text(_ box: String, _ s: String, y: String = "4") -> String {
        "<ofd:TextObject ID=\"1\" Boundary=\"\(box)\" Font=\"1\" Size=\"4\"><ofd:TextCode X=\"0\" Y=\"\(y)\">\(s)"
            + "</ofd:TextCode></ofd:TextObject>"
    }

    static let image = "<ofd:ImageObject ID=\"2\" Boundary=\"0 0 210 297\" ResourceID=\"5\"/>"

    static func failure(_ bytes: [UInt8], maxBytes: Int = 16 * 1024 * 1024) -> String? {
        do {
            _ = try OFDText.convert(bytes, limits: ConversionLimits(maxBytes: maxBytes))
            return nil
        } catch { return error.description }
    }

    @Test func theSampleConvertsToTheSampleTextPageByPage() throws {
        let converted = try OFDText.convert(try formatFixture("sample.ofd"), limits: ConversionLimits())
        let sample = String(decoding: sampleBytes(), as: UTF8.self)
        let expected = sample.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(converted.text.split(separator: "\n").map(String.init) == expected)
        // Eight lines a page: pages start at lines 1, 9, 17 and 25.
        var starts = [Int]()
        var offset = 0
        for (i, line) in expected.enumerated() {
            if i % 8 == 0 { starts.append(offset) }
            offset += line.unicodeScalars.count + 1
        }
        #expect(converted.source.format == .ofd)
        #expect(converted.source.pageStarts == starts)
        #expect(converted.source.page(at: starts[1] - 1) == 1)
        #expect(converted.source.page(at: starts[1]) == 2)
        #expect(converted.source.page(at: starts[3] + 5) == 4)
        #expect(!converted.text.contains("页眉"))
        #expect(converted.source.notes == ["the text of 1 template page left out (running headers and footers)"])
        #expect(
            converted.source.metadata == [
                .init(key: "title", value: "重庆市部门巡视整改进展（测试样本）"), .init(key: "author", value: "Assay fixtures"),
                .init(key: "created", value: "2021-01-05"),
            ])
    }

    @Test func textIsInReadingOrderByPosition() throws {
        let page1 = [
            Self.text("100 20 8 5", "Open"),
            Self.text("20 28 20 5", "共发现问题"),
            Self.text("36 20 8 5", "情况"),
            "<ofd:PageBlock ID=\"3\">" + Self.text("20 36 40 5", "已整改18个。") + "</ofd:PageBlock>",
            Self.text("110 20.5 12 5", "Format"),
            Self.text("40 28 8 5", "20个"),
            Self.text("20 20 16 5", "整改进展"),
        ].joined()
        let page3 = Self.text("20 20 20 5", "第三页")
        let converted = try OFDText.convert(
            try Self.ofd([page1, Self.image, page3], docInfo: "<ofd:Title>测试</ofd:Title>"), limits: ConversionLimits())
        #expect(converted.text == "整改进展情况\tOpen Format\n共发现问题20个\n已整改18个。\n第三页\n")
        let third = converted.text.unicodeScalars.count - 4
        #expect(converted.source.pageStarts == [0, third, third])
        #expect(converted.source.page(at: third) == 3)
        #expect(converted.source.page(at: 0) == 1)
        #expect(converted.source.notes == ["no text on page 2"])
        #expect(converted.source.metadata == [.init(key: "title", value: "测试")])
    }

    @Test func pathsAreRelativeToTheFileNamingThem() {
        #expect(
            OFDText.resolve("Pages/Page_0/Content.xml", relativeTo: "Doc_0/Document.xml")
                == "Doc_0/Pages/Page_0/Content.xml")
        #expect(
            OFDText.resolve("../Res/a.xml", relativeTo: "Doc_0/Pages/Page_0/Content.xml") == "Doc_0/Pages/Res/a.xml")
        #expect(OFDText.resolve("/Doc_0/./Document.xml", relativeTo: "OFD.xml") == "Doc_0/Document.xml")
        #expect(OFDText.resolve("Doc_0\\Document.xml", relativeTo: "OFD.xml") == "Doc_0/Document.xml")
        #expect(OFDText.pageList([1, 2, 3, 5]) == "pages 1–3, 5")
    }

    @Test func failuresSayWhy() throws {
        let page = Self.text("20 20 20 5", "正文")
        #expect(
            Self.failure(try zipBytes([("Doc_0/Document.xml", "<a/>")]))
                == "OFD: the package has no OFD.xml, so it is not an OFD document")
        #expect(
            Self.failure(try zipBytes([("OFD.xml", "<ofd:OFD xmlns:ofd=\"\(Self.ns)\"><ofd:DocBody/></ofd:OFD>")]))
                == "OFD: OFD.xml names no document (DocBody/DocRoot)")
        #expect(
            Self.failure(
                try zipBytes([
                    (
                        "OFD.xml",
                        "<ofd:OFD xmlns:ofd=\"\(Self.ns)\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                            + "</ofd:DocBody></ofd:OFD>"
                    )
                ])) == "OFD: the document Doc_0/Document.xml that OFD.xml names is missing")
        #expect(Self.failure(try Self.ofd([])) == "OFD: the document Doc_0/Document.xml has no pages")
        #expect(
            Self.failure(try Self.ofd([Self.image, Self.image]))
                == "OFD: no text on pages 1–2 (the pages are images); a scanned document needs to be a PDF for OCR")
        #expect(Self.failure(try Self.ofd([""])) == "OFD: no text on page 1")
        #expect(
            Self.failure(try Self.ofd([String(repeating: page, count: 40)]), maxBytes: 1000)
                == "OFD: decompressing Doc_0/Pages/Page_0/Content.xml goes over the limit of 1000 bytes (max_bytes "
                + "counts what is decompressed from a file; a zip bomb looks like this)")
        let bad = Self.failure(try formatFixture("bad-xml.ofd"))
        #expect(bad == "OFD: Doc_0/Document.xml is not well-formed XML (line 7)")
        #expect(
            Self.failure(Array(try formatFixture("sample.ofd").prefix(4000)))
                == "OFD: the zip archive cannot be read (corrupt or truncated)")
    }

    @Test func thePipelineReadsOFDByContent() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        #expect(
            throws: DecodingError.undecodable(
                reason: "OFD: no text on page 1 (the pages are images); a scanned document needs to be a PDF for OCR")
        ) {
            _ = try Pipeline(ruleSets: sets).check(bytes: try Self.ofd([Self.image]), name: "scan.ofd")
        }
    }
}
