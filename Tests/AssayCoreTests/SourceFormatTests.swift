import AssayTestSupport
import Foundation
import Testing
import ZIPFoundation

@testable import AssayExtraction
@testable import AssayFormats
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayValues

/// One model for every format: the format found from content and name (a lying name rejected), the
/// source map's pages and OCR pages carried to facts, evidence and reports, and `ocr:` in selectors.
@Suite struct SourceFormatTests {
    /// A zip holding empty entries with these names, made in memory.
    static func zip(_ names: [String]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for name in names {
            let body = Data("<x/>".utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(body.count)) { position, size in
                body.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data!)
    }

    @Test func formatsAreFoundFromTheContent() throws {
        let pdf = Array("%PDF-1.7\n%âãÏÓ\n".utf8)
        let docx = try Self.zip(["[Content_Types].xml", "word/document.xml"])
        let ofd = try Self.zip(["OFD.xml", "Doc_0/Document.xml"])
        let page = Array("<!DOCTYPE html><html><body><p>共发现问题20个</p></body></html>".utf8)
        let text = Array("共发现问题20个,已整改18个。\n".utf8)
        let cases: [([UInt8], String, InputFormat.Detected)] = [
            (pdf, "通报.pdf", .format(.pdf)),
            (pdf, "noextension", .format(.pdf)),
            (docx, "进展.docx", .format(.docx)),
            (docx, "进展", .format(.docx)),
            (ofd, "进展.ofd", .format(.ofd)),
            (page, "page.html", .format(.html)),
            (page, "page.txt", .format(.html)),
            (page, "page", .format(.html)),
            (text, "a.txt", .format(.text)),
            (text, "a.md", .format(.text)),
            (text, "a.htm", .format(.html)),
        ]
        for (bytes, name, expected) in cases {
            #expect(Converters.detect(bytes, name: name) == expected, "\(name)")
        }
    }

    @Test func aNameThatLiesAboutTheContentIsRejectedWithItsReason() throws {
        let docx = try Self.zip(["[Content_Types].xml", "word/document.xml"])
        let cases: [([UInt8], String, String)] = [
            (Array("%PDF-1.4\n".utf8), "report.docx", "the file is named .docx but its content is a PDF"),
            (docx, "report.pdf", "the file is named .pdf but its content is a Word document (DOCX)"),
            (docx, "report.ofd", "the file is named .ofd but its content is a Word document (DOCX)"),
            (Array("整改进展\n".utf8), "report.pdf", "the file is named .pdf but its content is text"),
            (
                [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], "scan.pdf",
                "the file is named .pdf but its content is a PNG image"
            ),
            (
                [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0], "old.docx",
                "the file is named .docx but its content is a legacy Office file (.doc/.xls), which Assay does not read"
            ),
            (Array("%PDF-1.4\n".utf8), "report.txt", "the file is named .txt but its content is a PDF"),
            (
                Array("<html><body>x</body></html>".utf8), "page.pdf",
                "the file is named .pdf but its content is an HTML page"
            ),
        ]
        for (bytes, name, reason) in cases {
            #expect(
                Converters.detect(bytes, name: name).reason == reason + "; rename it to match what it holds", "\(name)")
        }
        #expect(
            Converters.detect(try Self.zip(["mimetype", "content.xml"]), name: "x.odt").reason
                == "the file is a zip archive that is neither a Word document (no word/document.xml) nor an OFD (no OFD.xml)"
        )
        // A damaged zip named as a zip format goes to that converter, which names the damage.
        let truncated = Array(docx.prefix(docx.count / 2))
        #expect(Converters.detect(truncated, name: "cut.docx") == .format(.docx))
        #expect(
            Converters.detect(truncated, name: "cut").reason
                == "the file is a zip archive that cannot be read (corrupt or truncated)")
    }

    @Test func theCheckRejectsALyingNameWithTheReason() throws {
        let pipeline = Pipeline(ruleSets: [])
        #expect(
            throws: DecodingError.undecodable(
                reason: "the file is named .pdf but its content is text; rename it to match what it holds")
        ) {
            _ = try pipeline.decode(Array("整改进展\n".utf8), name: "x.pdf", sha256: nil)
        }
    }

    @Test func pagesAreFoundByOffsetAndListedForPeople() {
        let map = SourceMap(format: .pdf, pageStarts: [0, 10, 25], ocrPages: [2])
        #expect([0, 9, 10, 24, 25, 1000].map { map.page(at: $0) } == [1, 1, 2, 2, 3, 3])
        #expect([9, 10, 24, 25].map { map.readByOCR(at: $0) } == [false, true, true, false])
        #expect(SourceMap.plainText.page(at: 5) == nil)
        #expect(Report.DocumentIdentity.pageList([2]) == "page 2")
        #expect(Report.DocumentIdentity.pageList([1, 2, 3, 5, 7, 8]) == "pages 1–3, 5, 7–8")
    }

    /// The sample as if it came from a three-page file whose second page was read by OCR.
    static func pagedSample() throws -> (Pipeline.Result, DecodedText) {
        let plain = try TextDecoder().decode(sampleBytes())
        let lines = plain.string.split(separator: "\n", omittingEmptySubsequences: false)
        // Pages start at lines 10 and 20.
        var starts = [0]
        var offset = 0
        for (i, line) in lines.enumerated() {
            if i == 9 || i == 19 { starts.append(offset) }
            offset += line.unicodeScalars.count + 1
        }
        let source = SourceMap(format: .pdf, pageStarts: starts, ocrPages: [2], notes: ["page 2 read by OCR"])
        let decoded = DecodedText(
            string: plain.string, encoding: .utf8, sha256: plain.sha256, byteCount: plain.byteCount, source: source)
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let pipeline = Pipeline(ruleSets: sets)
        let document = Document(name: "sample.pdf", decoded: decoded)
        let extraction = pipeline.extractor.extract(document)
        let result = pipeline.check(
            document: document, extraction: extraction, now: Date(timeIntervalSince1970: 1_800_000_000))
        return (result, decoded)
    }

    @Test func factsAndEvidenceCarryTheirPageAndOCR() throws {
        let (result, decoded) = try Self.pagedSample()
        let facts = result.extraction.facts
        #expect(!facts.isEmpty)
        for f in facts {
            #expect(f.ocr == (decoded.source.page(at: f.span.offset) == 2), "\(f.text) line \(f.span.line)")
        }
        #expect(facts.contains { $0.ocr } && facts.contains { !$0.ocr })
        let evidence = result.report.outcomes.flatMap(\.evidence)
        #expect(!evidence.isEmpty)
        for e in evidence {
            let page = e.span.line >= 20 ? 3 : e.span.line >= 10 ? 2 : 1
            #expect(e.page == page, "\(e.text) line \(e.span.line)")
            #expect(e.ocr == (page == 2))
        }
        let d = result.report.document
        #expect(d.format == "pdf" && d.pages == 3 && d.ocrPages == [2] && d.notes == ["page 2 read by OCR"])
        #expect(d.formatText == "pdf, 3 pages, page 2 read by OCR")
        let json = JSONRenderer().render(result.report, document: result.document, ruleSets: [])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let document = try #require(object["document"] as? [String: Any])
        #expect(document["format"] as? String == "pdf" && document["pages"] as? Int == 3)
        #expect(document["ocr_pages"] as? [Int] == [2] && document["notes"] as? [String] == ["page 2 read by OCR"])
        #expect(json.contains(#""page": 2"#) && json.contains(#""ocr": true"#))
        let text = TextRenderer().render(result.report, document: result.document, ruleSets: [])
        #expect(text.hasPrefix("sample.pdf  (pdf, 3 pages, page 2 read by OCR, "))
        #expect(text.contains("conversion: page 2 read by OCR\n"))
    }

    @Test func aSelectorCanLeaveOutFiguresReadByOCR() throws {
        let (result, _) = try Self.pagedSample()
        let ocrFact = try #require(result.extraction.facts.first { $0.ocr && $0.kind == .quantity && $0.label != nil })
        let select = "{kind: quantity, label: {exact: [\"\(ocrFact.label!)\"]}"
        let yaml = """
            assay: 1
            ruleset: ocr-test
            rules:
              - id: any-figure
                kind: threshold
                title: t
                select: \(select)}
                op: ">="
                target: 0\(ocrFact.unit ?? "")
              - id: text-layer-only
                kind: threshold
                title: t
                select: \(select), ocr: false}
                op: ">="
                target: 0\(ocrFact.unit ?? "")
            """
        let set = try RuleLoader().load(yaml: yaml, file: "ocr-test.yml")
        let pipeline = Pipeline(ruleSets: [set])
        let outcomes = pipeline.check(
            document: result.document, extraction: result.extraction, now: Date(timeIntervalSince1970: 1_800_000_000)
        ).report.outcomes
        let byRule = Dictionary(grouping: outcomes, by: \.ruleID)
        #expect(byRule["any-figure"]?.first?.evidence.first?.ocr == true)
        #expect(byRule["text-layer-only"]?.allSatisfy { $0.evidence.allSatisfy { !$0.ocr } } == true)
    }

    @Test func headingsTheFileMarksAreSectionsEvenWithoutNumbering() {
        let text = "关于巡察整改进展情况的通报\n整改总体情况\n共发现问题20个,已整改18个。\n下一步打算\n继续推进整改。\n一、其他事项\n无。\n"
        let source = SourceMap(format: .docx, headings: [1: 1, 2: 1, 4: 1, 5: 2])
        let decoded = DecodedText(string: text, encoding: .utf8, sha256: "", byteCount: 0, source: source)
        let document = Document(name: "x.docx", decoded: decoded)
        // The title (line 1) is no section; line 5 is marked but is a sentence, not a heading.
        #expect(document.sections.map(\.title) == ["整改总体情况", "下一步打算", "一、其他事项"])
        #expect(document.sections.map(\.level) == [1, 1, 1])
    }
}
