import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayFormats
@testable import AssayRules
@testable import AssayValues

/// PDF bulletins (AssayFormats/PDFText.swift): poppler's text layer with line boxes, running headers and
/// page numbers left out, wrapped lines joined into paragraphs, pages kept; scanned pages read by tesseract.
/// The fixtures are made by scripts/fixtures/make-pdf.py.
@Suite struct PDFTextTests {
    static func fixture(_ name: String) -> [UInt8] {
        let path = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/formats/\(name)").path
        return [UInt8](FileManager.default.contents(atPath: path)!)
    }

    /// The sample bulletin's paragraphs, one a line.
    static func sampleLines() -> [String] {
        String(decoding: sampleBytes(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The scalar offset of the first `needle` in `text`.
    static func offset(of needle: String, in text: String) -> Int? {
        let s = Array(text.unicodeScalars)
        let n = Array(needle.unicodeScalars)
        return (0...(s.count - n.count)).first { Array(s[$0..<($0 + n.count)]) == n }
    }

    @Test func theFirstPageIsTheSamplesParagraphsWithoutHeaderOrPageNumber() throws {
        let converted = try PDFText.convert(Self.fixture("sample.pdf"), limits: ConversionLimits())
        #expect(converted.source.format == .pdf)
        #expect(converted.source.pageStarts.count == 6)
        #expect(converted.source.ocrPages.isEmpty)
        let scalars = Array(converted.text.unicodeScalars)
        let firstPage = String(String.UnicodeScalarView(scalars[0..<converted.source.pageStarts[1]]))
        let lines = firstPage.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let sample = Self.sampleLines()
        // Five whole paragraphs, then the first page's part of the sixth, which goes on to page 2.
        #expect(lines.count == 6)
        #expect(Array(lines[0..<5]) == Array(sample[0..<5]))
        #expect(sample[5].hasPrefix(lines[5]) && lines[5].count > 100)
        #expect(!converted.text.contains("测试样张"))
        #expect(!converted.text.contains("- 1 -") && !converted.text.contains("-1-"))
        #expect(
            converted.source.metadata == [
                SourceMap.Field(key: "title", value: "巡视整改进展情况（测试样张）"),
                SourceMap.Field(key: "author", value: "Assay fixtures"),
                SourceMap.Field(key: "creator", value: "Assay scripts/fixtures/make-pdf.py"),
                SourceMap.Field(key: "created", value: "2000-01-01T00:00:00Z"),
            ])
    }

    @Test func everyParagraphIsOneLine() throws {
        let converted = try PDFText.convert(Self.fixture("sample.pdf"), limits: ConversionLimits())
        let lines = converted.text.split(separator: "\n").map(String.init)
        // The fixture's font has no glyph for one bullet sign (•); everything else comes back as written.
        #expect(lines == Self.sampleLines().map { $0.replacingOccurrences(of: "•", with: "") })
    }

    @Test func figuresKeepTheirPages() throws {
        let converted = try PDFText.convert(Self.fixture("sample.pdf"), limits: ConversionLimits())
        let source = converted.source
        // 333天 is on page 1; 15个 on page 2, in a paragraph that began on page 1.
        let days = try #require(Self.offset(of: "333天", in: converted.text))
        #expect(source.page(at: days) == 1)
        let units = try #require(Self.offset(of: "15个", in: converted.text))
        #expect(source.page(at: units) == 2)
        // Page 2 starts inside that paragraph, where page 2's first line begins.
        let lineStart = converted.text.unicodeScalars.prefix(source.pageStarts[1]).lastIndex(of: "\n")
        #expect(lineStart != nil)
        #expect(source.pageStarts[1] > 0 && units > source.pageStarts[1])
        #expect(!source.readByOCR(at: days))
    }

    @Test func wrappedLinesAreJoinedAsTheirScriptWants() throws {
        let converted = try PDFText.convert(Self.fixture("wrapping.pdf"), limits: ConversionLimits())
        #expect(
            converted.text
                == """
                这一段中文在页面上折成好几行，行与行之间不应出现空格，数字如2020年12月31日与百分比97.6%也应原样保留，直到段落结束为止都是同一行文字。
                The committee published its recommendation together with an implementation schedule, and the departments concerned acknowledged responsibility for the outstanding rectification measures within the agreed timeframe.
                1.第一项整改任务已经完成。
                2.第二项整改任务正在推进，预计明年完成。

                """)
    }

    /// Restrictions set by an owner password alone do not stop reading, as poppler reads such files.
    @Test func aFileWithOnlyAnOwnerPasswordIsRead() throws {
        let restricted = try PDFText.convert(Self.fixture("owner-only.pdf"), limits: ConversionLimits())
        let plain = try PDFText.convert(Self.fixture("wrapping.pdf"), limits: ConversionLimits())
        #expect(restricted.text == plain.text)
    }

    @Test func joiningRules() {
        #expect(PDFText.join("推动全市生态", "环境质量") == "推动全市生态环境质量")
        #expect(PDFText.join("论述,", "2020年") == "论述,2020年")
        #expect(PDFText.join("its recommen-", "dation was") == "its recommendation was")
        #expect(PDFText.join("the agreed", "timeframe.") == "the agreed timeframe.")
        #expect(PDFText.join("well-", "Known") == "well-Known")
        #expect(PDFText.closingCJKSpaces("整 改 率 达 85 % 。 The plan 已 完成") == "整改率达85%。The plan已完成")
        #expect(PDFText.isPageNumber("- 3 -"))
        #expect(PDFText.isPageNumber("第3页"))
        #expect(PDFText.isPageNumber("3"))
        #expect(PDFText.isPageNumber("第 3 页 共 5 页"))
        #expect(PDFText.isPageNumber("Page 3 of 5"))
        #expect(!PDFText.isPageNumber("3个"))
        #expect(PDFText.ranges([1, 2, 3, 5]) == "1–3, 5")
        #expect(PDFText.ranges([4]) == "4")
    }

    @Test func encryptedBrokenAndScannedWithoutOCRAreRefusedWithTheirReasons() {
        #expect(throws: ConversionFailure("PDF: the file is encrypted (password protected); Assay cannot read it")) {
            _ = try PDFText.convert(Self.fixture("encrypted.pdf"), limits: ConversionLimits())
        }
        #expect(
            throws: ConversionFailure(
                "PDF: pdfinfo could not read the file (Syntax Error: Couldn't find trailer dictionary)")
        ) {
            _ = try PDFText.convert(Self.fixture("broken.pdf"), limits: ConversionLimits())
        }
        #expect(
            throws: ConversionFailure(
                "PDF: no text layer on pages 1–6; OCR is turned off, so scanned pages cannot be read")
        ) {
            _ = try PDFText.convert(Self.fixture("sample-scanned.pdf"), limits: ConversionLimits(ocr: false))
        }
    }

    /// A text page, a blank page (no text, no image: nothing to read) and a scanned page.
    @Test(.timeLimit(.minutes(1))) func onlyScannedPagesAreReadByOCR() throws {
        #expect(
            throws: ConversionFailure(
                "PDF: no text layer on pages 3; OCR is turned off, so scanned pages cannot be read")
        ) {
            _ = try PDFText.convert(Self.fixture("mixed.pdf"), limits: ConversionLimits(ocr: false))
        }
        let converted = try PDFText.convert(Self.fixture("mixed.pdf"), limits: ConversionLimits())
        #expect(converted.source.ocrPages == [3])
        #expect(converted.source.notes.first?.hasPrefix("pages 3 read by OCR (tesseract ") == true)
        let starts = converted.source.pageStarts
        #expect(starts.count == 3)
        let lines = converted.text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("这一段中文在页面上折成好几行") == true)
        // Page 2 is empty: it starts where page 3 does, at the first line read by OCR.
        #expect(starts[1] == starts[2])
        let scanned = String(String.UnicodeScalarView(converted.text.unicodeScalars.dropFirst(starts[2])))
        // One page in three: its running header is not repeated enough to be told from the text.
        #expect(scanned.contains("今(5"))
        #expect(converted.source.readByOCR(at: starts[2]))
        #expect(!converted.source.readByOCR(at: 0))
    }

    @Test func aToolPastTheTimeLimitIsStopped() {
        #expect(throws: ConversionFailure("PDF: pdfinfo did not finish within 0 s")) {
            _ = try PDFText.convert(Self.fixture("sample.pdf"), limits: ConversionLimits(timeLimit: .zero))
        }
    }

    @Test(.timeLimit(.minutes(2))) func theScannedSampleGivesTheSameTallies() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        // OCR takes seconds a page, past the pipeline's standard budget for a check.
        let pipeline = Pipeline(ruleSets: sets, timeLimit: .seconds(110))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let text = try pipeline.check(bytes: sampleBytes(), name: "sample.txt", now: now)
        let scanned = try pipeline.check(bytes: Self.fixture("sample-scanned.pdf"), name: "scanned.pdf", now: now)
        let source = scanned.document.decoded.source
        #expect(source.ocrPages == Array(1...6))
        #expect(source.pageStarts.count == 6)
        #expect(source.notes.count == 1)
        #expect(source.notes.first?.hasPrefix("pages 1–6 read by OCR (tesseract ") == true)
        #expect(source.notes.first?.hasSuffix(", chi_sim+eng)") == true)
        #expect(!shownTallies(text).isEmpty)
        #expect(shownTallies(scanned) == shownTallies(text))
    }

    @Test func aToolThatIsNotInstalledIsNamedWithItsPackage() {
        #expect(ExternalTool.path(of: "pdftotext-missing") == nil)
        #expect(ExternalTool.path(of: "../bin/sh") == nil)
        #expect(ExternalTool.path(of: "sh") != nil)
        #expect(
            PDFText.failure(.notInstalled("pdftotext"), limits: ConversionLimits())
                == ConversionFailure("PDF: pdftotext is not installed; install poppler-utils to read PDF bulletins"))
        #expect(
            PDFText.failure(.timedOut("pdftotext"), limits: ConversionLimits())
                == ConversionFailure("PDF: pdftotext did not finish within 60 s"))
    }

    /// Without tesseract or its Chinese data (what `tesseract --list-langs` lists decides), scanned pages are
    /// refused naming the package to install.
    @Test func scannedPagesWithoutChineseOCRNameThePackage() {
        #expect(
            PDFText.scannedFailure(pages: [1, 2, 3, 5], ocr: true)
                == ConversionFailure(
                    "PDF: no text layer on pages 1–3, 5; install tesseract-ocr-chi-sim to read scanned bulletins"))
        #expect(
            PDFText.scannedFailure(pages: [2], ocr: false)
                == ConversionFailure(
                    "PDF: no text layer on pages 2; OCR is turned off, so scanned pages cannot be read"))
        let listing = "List of available languages in \"tessdata\" (2):\neng\nosd\n"
        #expect(!PDFText.readsChinese(listing))
        #expect(PDFText.readsChinese(listing + "chi_sim\n"))
        #expect(!PDFText.readsChinese(listing + "chi_sim_vert\n"))
    }

    @Test func externalToolsAreStoppedAtTheDeadlineAndTheCap() throws {
        let directory = try #require(ExternalTool.TemporaryDirectory())
        defer { directory.remove() }
        let start = ContinuousClock.now
        #expect(throws: ExternalTool.Failure.timedOut("sleep")) {
            _ = try ExternalTool.run("sleep", ["5"], in: directory, deadline: .now + .milliseconds(200), cap: 100)
        }
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(throws: ExternalTool.Failure.outputTooLarge("yes", cap: 1000)) {
            _ = try ExternalTool.run("yes", [], in: directory, deadline: .now + .seconds(5), cap: 1000)
        }
        // Only the minimal environment reaches the tool, and stdin is empty.
        let env = try ExternalTool.run("env", [], in: directory, deadline: .now + .seconds(5), cap: 10000)
        let names = String(decoding: env.stdout, as: UTF8.self).split(separator: "\n").map { $0.prefix { $0 != "=" } }
        #expect(Set(names) == ["PATH", "LANG", "LC_ALL", "OMP_THREAD_LIMIT", "TMPDIR", "HOME"])
        let cat = try ExternalTool.run("cat", [], in: directory, deadline: .now + .seconds(5), cap: 100)
        #expect(cat.stdout.isEmpty)
        let file = try #require(directory.write([1, 2, 3], to: "input.pdf"))
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: ExternalTool.Failure.self) {
            _ = try ExternalTool.run("false", [], in: directory, deadline: .now + .seconds(5), cap: 100)
        }
    }
}
