import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayStore
@testable import AssayValues

/// The daemon takes files other than text by their content: each gets a report naming its format, and a
/// file that cannot be converted gets a rejection with the converter's reason while the daemon keeps serving.
@Suite(.serialized) struct FormatIntakeTests {
    static func fixture(_ name: String) -> [UInt8] {
        let path = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/formats/\(name)").path
        return Array(FileManager.default.contents(atPath: path)!)
    }

    @Test func filesAreTakenByContentAndBadOnesRejectedWithTheirReason() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("page.html", Self.fixture("sample.html"))
        h.drop("page-without-extension", Self.fixture("sample.html") + Array("<!-- another copy -->".utf8))
        h.drop("lying.pdf", Array("整改进展情况\n".utf8))
        h.drop("empty-page.html", Array("<html><body><script>x()</script></body></html>".utf8))
        let store = try h.store()
        #expect(h.wait(20) { h.reports().count == 2 && ((try? store.rejections()) ?? []).count == 2 })
        let rejections = try store.rejections()
        let expected = [
            "lying.pdf": "the file is named .pdf but its content is text; rename it to match what it holds",
            "empty-page.html": "HTML page: the page has no body text (only scripts, styles or navigation)",
        ]
        for (name, reason) in expected {
            #expect(rejections.first { $0.name == name }?.reason == reason, "\(name)")
        }
        let report = try String(contentsOfFile: h.outbox + "/page.findings.json", encoding: .utf8)
        #expect(report.contains(#""format": "html""#))
        // Still serving: a text bulletin dropped after them is reported.
        h.drop("after.txt", DaemonHarness.bulletin(1))
        #expect(h.wait(10) { h.reports().contains("after.findings.json") })
        #expect(h.stop() == 0)
    }

    @Test func wordPDFAndOFDFilesAreReportedAndBrokenOnesRejected() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let drops = [
            ("word.docx", "sample.docx"), ("paged.pdf", "sample.pdf"), ("national.ofd", "sample.ofd"),
            ("zip-bomb.docx", "zip-bomb.docx"), ("encrypted.pdf", "encrypted.pdf"),
            ("truncated.docx", "truncated.docx"),
        ]
        for (name, fixture) in drops { h.drop(name, Self.fixture(fixture)) }
        let store = try h.store()
        #expect(h.wait(60) { h.reports().count == 3 && ((try? store.rejections()) ?? []).count == 3 })
        let rejections = try store.rejections()
        let expected = [
            "zip-bomb.docx":
                "DOCX: decompressing word/document.xml goes over the limit of 16777216 bytes (max_bytes counts "
                + "what is decompressed from a file; a zip bomb looks like this)",
            "encrypted.pdf": "PDF: the file is encrypted (password protected); Assay cannot read it",
            "truncated.docx": "DOCX: the zip archive cannot be read (corrupt or truncated)",
        ]
        for (name, reason) in expected {
            #expect(rejections.first { $0.name == name }?.reason == reason, "\(name)")
        }
        for (stem, format) in [("word", "docx"), ("paged", "pdf"), ("national", "ofd")] {
            let report = try String(contentsOfFile: h.outbox + "/\(stem).findings.json", encoding: .utf8)
            #expect(report.contains("\"format\": \"\(format)\""), "\(stem)")
        }
        let paged = try String(contentsOfFile: h.outbox + "/paged.findings.json", encoding: .utf8)
        #expect(paged.contains(#""pages": 6"#))
        // Still serving after the rejections.
        h.drop("after.txt", DaemonHarness.bulletin(1))
        #expect(h.wait(10) { h.reports().contains("after.findings.json") })
        #expect(h.stop() == 0)
    }
}
