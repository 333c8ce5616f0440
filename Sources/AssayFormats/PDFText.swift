import AssayValues
import CLibXML2
import Foundation

/// A PDF bulletin as the text the pipeline reads, one paragraph per line, page by page.
///
/// Poppler reads it (`pdfinfo` for the page count, encryption and metadata; `pdftotext -bbox-layout` for the
/// text layer). `-bbox-layout` rather than `-layout`: it gives each line's box in points, so a paragraph's
/// wrapped lines are told from a new paragraph by measure (the first line's indent, a short previous line,
/// a larger gap, a numbered start) and running headers and footers by their place on the page, where
/// `-layout` gives only runs of spaces that depend on the font's width and mix columns into one line.
///
/// Pages without a text layer (scanned) are rendered by `pdftoppm` at 300 dpi and read by tesseract
/// (`chi_sim+eng`, one uniform block, TSV so that the lines have boxes too) when OCR is allowed and
/// tesseract with Chinese is installed; they are marked as read by OCR in the source map and a note says
/// so. Otherwise the file is refused, naming the pages without text.
public enum PDFText {
    /// A line of a page: its box in points (origin at the top left) and its text.
    struct Line: Sendable {
        var x0: Double
        var y0: Double
        var x1: Double
        var y1: Double
        var text: String
    }

    /// The PDF as converted text, within `limits` (the time limit is for all the external tools together);
    /// `progress` is called after the text layer is read and after each round of pages read by OCR.
    public static func convert(
        _ bytes: [UInt8], limits: ConversionLimits, progress: () -> Void = {}
    ) throws(ConversionFailure) -> ConvertedText {
        let deadline = ContinuousClock.now + limits.timeLimit
        guard let directory = ExternalTool.TemporaryDirectory() else {
            throw ConversionFailure("PDF: no temporary directory could be made for the converter")
        }
        defer { directory.remove() }
        guard let file = directory.write(bytes, to: "input.pdf") else {
            throw ConversionFailure("PDF: the file could not be written to the converter's temporary directory")
        }
        func run(_ tool: String, _ arguments: [String], cap: Int) throws(ConversionFailure) -> ExternalTool.Output {
            do {
                return try ExternalTool.run(tool, arguments, in: directory, deadline: deadline, cap: cap)
            } catch { throw failure(error, limits: limits) }
        }

        // pdfinfo: pages, encryption, metadata.
        let info = try run("pdfinfo", ["-enc", "UTF-8", "-isodates", file], cap: 1 << 20)
        var fields = [String: String]()
        for line in String(decoding: info.stdout, as: UTF8.self).split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = String(line[line.index(after: colon)...]).trimmingWhiteSpace()
            let key = String(line[..<colon])
            if fields[key] == nil { fields[key] = value }
        }
        let pageCount = Int(fields["Pages"] ?? "") ?? 0
        guard pageCount > 0 else { throw ConversionFailure("PDF: the file has no pages") }

        // The text layer, every page.
        let cap = max(limits.maxBytes, 1 << 20) * 8
        let layout = try run("pdftotext", ["-bbox-layout", "-enc", "UTF-8", file, "-"], cap: cap)
        var pages = try Self.pages(ofBoundingBoxes: layout.stdout)
        while pages.count < pageCount { pages.append([]) }
        progress()

        // Pages without text (a page number or a running header stamped on a scan aside) that hold an image
        // are scanned: OCR where allowed and installed. Those without an image are blank and stay empty.
        let stripped = withoutFurniture(pages)
        let textless = stripped.indices.filter { stripped[$0].isEmpty }.map { $0 + 1 }
        var imaged: Set<Int>?
        if !textless.isEmpty,
            let list = try? ExternalTool.run(
                "pdfimages", ["-list", file], in: directory, deadline: deadline, cap: 1 << 22)
        {
            imaged = Set(
                String(decoding: list.stdout, as: UTF8.self).split(separator: "\n").dropFirst(2).compactMap {
                    $0.split(separator: " ").first.flatMap { Int($0) }
                })
        }
        let blank = imaged.map { imaged in textless.filter { imaged.contains($0) } } ?? textless
        var ocrPages = [Int]()
        var ocrNote: String?
        if !blank.isEmpty {
            let named = ranges(blank)
            guard limits.ocr else { throw scannedFailure(pages: blank, ocr: false) }
            let languages =
                (try? ExternalTool.run(
                    "tesseract", ["--list-langs"], in: directory, deadline: deadline, cap: 1 << 20))
            guard let languages, readsChinese(String(decoding: languages.stdout, as: UTF8.self) + languages.stderr)
            else { throw scannedFailure(pages: blank, ocr: true) }
            let version = try run("tesseract", ["--version"], cap: 1 << 20)
            let versionLine =
                (String(decoding: version.stdout, as: UTF8.self) + version.stderr)
                .split(separator: "\n").first.map(String.init) ?? "tesseract"
            // Each page rendered and read on its own, as many at once as there are processors (tesseract runs
            // one thread each, OMP_THREAD_LIMIT=1), in rounds so that progress is reported from this thread
            // after each; the first failure, in page order, is the reason.
            let results = Results(count: blank.count)
            let width = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4, blank.count))
            for round in stride(from: 0, to: blank.count, by: width) {
                DispatchQueue.concurrentPerform(iterations: min(width, blank.count - round)) { offset in
                    let i = round + offset
                    let page = blank[i]
                    let image = directory.path + "/page-\(page)"
                    do throws(ExternalTool.Failure) {
                        _ = try ExternalTool.run(
                            "pdftoppm",
                            [
                                "-r", "300", "-gray", "-png", "-singlefile", "-f", "\(page)", "-l", "\(page)", file,
                                image,
                            ],
                            in: directory, deadline: deadline, cap: 1 << 20)
                        let tsv = try ExternalTool.run(
                            "tesseract", ["\(image).png", "stdout", "-l", "chi_sim+eng", "--psm", "6", "tsv"],
                            in: directory, deadline: deadline, cap: cap)
                        results.set(i, .success(Self.lines(ofTSV: tsv.stdout, dpi: 300)))
                    } catch {
                        results.set(i, .failure(error))
                    }
                    try? FileManager.default.removeItem(atPath: image + ".png")
                }
                progress()
            }
            for (i, page) in blank.enumerated() {
                switch results.get(i) {
                case .success(let lines): pages[page - 1] = lines
                case .failure(let error): throw failure(error, limits: limits)
                case nil: throw ConversionFailure("PDF: page \(page) was not read")
                }
                ocrPages.append(page)
            }
            ocrNote = "pages \(named) read by OCR (\(versionLine), chi_sim+eng)"
        }

        var converted = assemble(pages, ocrPages: Set(ocrPages))
        for (key, name) in [
            ("Title", "title"), ("Author", "author"), ("Creator", "creator"), ("CreationDate", "created"),
        ] {
            if let value = fields[key], !value.isEmpty {
                converted.source.metadata.append(SourceMap.Field(key: name, value: value))
            }
        }
        if let ocrNote { converted.source.notes.append(ocrNote) }
        guard !converted.text.isEmpty else { throw ConversionFailure("PDF: the file has no text on any page") }
        return converted
    }

    /// Why scanned `pages` cannot be read: OCR turned off, or tesseract or its Chinese data not installed.
    static func scannedFailure(pages: [Int], ocr: Bool) -> ConversionFailure {
        ConversionFailure(
            "PDF: no text layer on pages \(ranges(pages)); "
                + (ocr
                    ? "install tesseract-ocr-chi-sim to read scanned bulletins"
                    : "OCR is turned off, so scanned pages cannot be read"))
    }

    /// Whether `tesseract --list-langs` lists Simplified Chinese.
    static func readsChinese(_ listing: String) -> Bool {
        listing.split(separator: "\n").contains { String($0).trimmingWhiteSpace() == "chi_sim" }
    }

    /// A tool's failure as the reason for people.
    static func failure(_ error: ExternalTool.Failure, limits: ConversionLimits) -> ConversionFailure {
        switch error {
        case .notInstalled(let tool):
            let package = tool == "tesseract" ? "tesseract-ocr" : "poppler-utils"
            return ConversionFailure("PDF: \(tool) is not installed; install \(package) to read PDF bulletins")
        case .timedOut(let tool):
            return ConversionFailure("PDF: \(tool) did not finish within \(seconds(limits.timeLimit)) s")
        case .outputTooLarge(let tool, let cap):
            return ConversionFailure("PDF: \(tool) gave more than \(cap / (1 << 20)) MiB of output")
        case .notStarted(let tool, let reason):
            return ConversionFailure("PDF: \(tool) could not be started (\(reason))")
        case .failed(let tool, let status, let stderr):
            if stderr.contains("Incorrect password") {
                return ConversionFailure("PDF: the file is encrypted (password protected); Assay cannot read it")
            }
            let first = stderr.split(separator: "\n").first.map { String($0).trimmingWhiteSpace() } ?? ""
            return ConversionFailure(
                "PDF: \(tool) could not read the file (\(first.isEmpty ? "exit status \(status)" : first))")
        }
    }

    /// The pages read by OCR, set by the workers that read them.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [Result<[Line], ExternalTool.Failure>?]

        init(count: Int) { results = Array(repeating: nil, count: count) }

        func set(_ i: Int, _ result: Result<[Line], ExternalTool.Failure>) {
            lock.withLock { results[i] = result }
        }

        func get(_ i: Int) -> Result<[Line], ExternalTool.Failure>? { lock.withLock { results[i] } }
    }

    /// A duration in seconds, as "60" or "0.5".
    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s == s.rounded() ? String(Int(s)) : String(s)
    }

    /// Page numbers as ranges: "1–3, 5".
    static func ranges(_ pages: [Int]) -> String {
        var parts = [String]()
        var i = 0
        while i < pages.count {
            var j = i
            while j + 1 < pages.count && pages[j + 1] == pages[j] + 1 { j += 1 }
            parts.append(j > i ? "\(pages[i])–\(pages[j])" : "\(pages[i])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }

    // MARK: Reading the tools' output

    /// The lines of each page of `pdftotext -bbox-layout`'s XHTML, read by libxml2, in poppler's reading order;
    /// a line's words joined by a space (poppler splits words only at a visible gap).
    static func pages(ofBoundingBoxes xhtml: [UInt8]) throws(ConversionFailure) -> [[Line]] {
        guard !xhtml.isEmpty else { return [] }
        let options = Int32(
            XML_PARSE_NONET.rawValue | XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue
                | XML_PARSE_NOWARNING.rawValue | XML_PARSE_HUGE.rawValue)
        let doc = xhtml.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { p in
                xmlReadMemory(p, Int32(b.count), nil, "UTF-8", options)
            }
        }
        guard let doc, let root = xmlDocGetRootElement(doc) else {
            throw ConversionFailure("PDF: pdftotext's page layout could not be read")
        }
        defer { xmlFreeDoc(doc) }
        func name(_ n: UnsafeMutablePointer<xmlNode>) -> String { String(cString: n.pointee.name) }
        func number(_ n: UnsafeMutablePointer<xmlNode>, _ key: String) -> Double {
            guard let v = xmlGetProp(n, key) else { return 0 }
            defer { free(v) }
            return Double(String(cString: v)) ?? 0
        }
        var pages = [[Line]]()
        func walk(_ node: UnsafeMutablePointer<xmlNode>) {
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE {
                    switch name(c) {
                    case "page":
                        pages.append([])
                        walk(c)
                    case "line":
                        var words = [String]()
                        var w = c.pointee.children
                        while let word = w {
                            if word.pointee.type == XML_ELEMENT_NODE, name(word) == "word",
                                let t = xmlNodeGetContent(word)
                            {
                                words.append(String(cString: t))
                                free(t)
                            }
                            w = word.pointee.next
                        }
                        let text = words.joined(separator: " ").trimmingWhiteSpace()
                        if !text.isEmpty, !pages.isEmpty {
                            pages[pages.count - 1].append(
                                Line(
                                    x0: number(c, "xMin"), y0: number(c, "yMin"), x1: number(c, "xMax"),
                                    y1: number(c, "yMax"), text: text))
                        }
                    default: walk(c)
                    }
                }
                child = c.pointee.next
            }
        }
        walk(root)
        return pages
    }

    /// The lines of a page read by tesseract (its TSV: level, page, block, paragraph, line, word, left, top,
    /// width, height, confidence, text), in points; the spaces tesseract puts between Chinese characters
    /// taken out.
    static func lines(ofTSV tsv: [UInt8], dpi: Double) -> [Line] {
        var lines = [Line]()
        var key = [Substring]()
        let scale = 72 / dpi
        for row in String(decoding: tsv, as: UTF8.self).split(separator: "\n").dropFirst() {
            let f = row.split(separator: "\t", omittingEmptySubsequences: false)
            guard f.count >= 12, f[0] == "5", let left = Double(f[6]), let top = Double(f[7]), let width = Double(f[8]),
                let height = Double(f[9])
            else { continue }
            let word = String(f[11...].joined(separator: "\t")).trimmingWhiteSpace()
            guard !word.isEmpty else { continue }
            let box = Line(
                x0: left * scale, y0: top * scale, x1: (left + width) * scale, y1: (top + height) * scale, text: word)
            let k = Array(f[2...4])
            if k == key, var last = lines.popLast() {
                last.x0 = min(last.x0, box.x0)
                last.y0 = min(last.y0, box.y0)
                last.x1 = max(last.x1, box.x1)
                last.y1 = max(last.y1, box.y1)
                last.text += " " + word
                lines.append(last)
            } else {
                lines.append(box)
                key = k
            }
        }
        return lines.map {
            var l = $0; l.text = closingCJKSpaces(l.text); return l
        }.filter { !$0.text.isEmpty }
    }

    /// Whether a scalar is Chinese: an ideograph, CJK punctuation or a full-width form.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFFEF, 0x20000...0x3FFFF: true
        default: false
        }
    }

    /// OCR's text with the spaces taken out where Chinese has none: next to a Chinese character or
    /// punctuation mark, before a closing mark or a per cent sign and after an opening bracket (between two
    /// Latin words or numbers they stay).
    static func closingCJKSpaces(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == " " {
                var j = i
                while j < s.count && s[j] == " " { j += 1 }
                let before = out.last
                let after = j < s.count ? s[j] : nil
                if let before, let after,
                    !(isCJK(before) || isCJK(after) || "%‰,.;:!?)]".unicodeScalars.contains(after)
                        || "([".unicodeScalars.contains(before))
                {
                    out.append(" ")
                }
                i = j
                continue
            }
            out.append(s[i])
            i += 1
        }
        return String(out).trimmingWhiteSpace()
    }

    // MARK: Pages to paragraphs

    /// Page number lines, white space taken out and lower-cased.
    static let pageNumbers = regex(
        #"^(?:[-—–－_·•]*\d+[-—–－_·•]*|[-—–－]*第\d+页(?:共\d+页)?[-—–－]*|\d+/\d+|page\d+(?:of\d+)?)$"#)
    /// Numbered starts.
    static let numbered = regex(
        #"^(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、](?!\d)|第[一二三四五六七八九十百\d]+[章节条部分])"#)

    /// A pattern compiled once (the patterns are fixed, so one that does not compile is a bug).
    static func regex(_ pattern: String) -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: pattern) } catch { fatalError("PDFText: \(error)") }
    }

    static func matches(_ re: NSRegularExpression, _ text: String) -> Bool {
        re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// A page number line: `- 3 -`, `3`, `第3页`, `第 3 页 共 5 页`, `3 / 5`, `Page 3 of 5`.
    static func isPageNumber(_ text: String) -> Bool {
        let t = String(text.unicodeScalars.filter { !$0.properties.isWhitespace }).lowercased()
        return t.count <= 24 && matches(pageNumbers, t)
    }

    /// A numbered start at which a new item begins: 一、 （一） (1) 1. 1、 第一章.
    static func startsNumbered(_ text: String) -> Bool { matches(numbered, String(text.prefix(16))) }

    /// The running headers and footers left out: among each page's first and last two lines, those found
    /// at the same height (within 6 pt) with the same text (digits aside) on most pages, and page numbers.
    static func withoutFurniture(_ pages: [[Line]]) -> [[Line]] {
        func key(_ l: Line) -> String {
            String(
                l.text.unicodeScalars.filter { !$0.properties.isWhitespace }.map {
                    $0.properties.numericType != nil ? "#" : Character($0)
                })
        }
        func edges(_ page: [Line]) -> [Int] {
            let byY = page.indices.sorted { page[$0].y0 < page[$1].y0 }
            return Array(Set(byY.prefix(2) + byY.suffix(2)))
        }
        let candidates = pages.map { page in edges(page).map { (index: $0, key: key(page[$0]), y: page[$0].y0) } }
        let needed = max(2, (pages.count + 1) / 2)
        return pages.indices.map { p in
            var drop = Set<Int>()
            for c in candidates[p] {
                if isPageNumber(pages[p][c.index].text) {
                    drop.insert(c.index)
                    continue
                }
                guard pages.count >= 2 else { continue }
                let seen = candidates.filter { $0.contains { $0.key == c.key && abs($0.y - c.y) <= 6 } }.count
                if seen >= needed { drop.insert(c.index) }
            }
            return pages[p].indices.filter { !drop.contains($0) }.map { pages[p][$0] }
        }
    }

    /// The pages as text, one paragraph a line: a line continues the paragraph unless it is indented, starts
    /// numbered, follows a short line or a larger gap; a paragraph goes on across a page break when the new
    /// page's first line is not a new one. Page starts are where each page's first line begins.
    static func assemble(_ raw: [[Line]], ocrPages: Set<Int>) -> ConvertedText {
        let pages = withoutFurniture(raw)
        let all = pages.flatMap { $0 }
        func percentile(_ values: [Double], _ p: Double) -> Double {
            guard !values.isEmpty else { return 0 }
            let s = values.sorted()
            return s[min(s.count - 1, Int(Double(s.count - 1) * p))]
        }
        let em = max(percentile(all.map { $0.y1 - $0.y0 }, 0.5), 1)
        let left = percentile(all.map(\.x0), 0.1)
        let right = percentile(all.map(\.x1), 0.9)
        var gaps = [Double]()
        for page in pages where page.count > 1 {
            for i in 1..<page.count { gaps.append(page[i].y0 - page[i - 1].y1) }
        }
        let gap = percentile(gaps.filter { $0 >= 0 }, 0.5)

        var source = SourceMap(format: .pdf)
        var lines = [String]()
        var scalars = 0
        var open: String?
        var previous: Line?
        for (p, page) in pages.enumerated() {
            // An empty page starts where the next text will.
            source.pageStarts.append(scalars + (open.map { $0.unicodeScalars.count } ?? 0))
            if ocrPages.contains(p + 1) { source.ocrPages.append(p + 1) }
            for (i, line) in page.enumerated() {
                var starts = open == nil || line.x0 > left + 0.8 * em || startsNumbered(line.text)
                if let previous, previous.x1 < right - 1.5 * em { starts = true }
                if i > 0, let previous, line.y0 - previous.y1 > gap + 0.8 * em || line.y1 < previous.y0 {
                    starts = true
                }
                if starts, let done = open {
                    lines.append(done)
                    scalars += done.unicodeScalars.count + 1
                    open = nil
                }
                let joined = open.map { join($0, line.text) } ?? line.text
                // The page begins where its first line's text does, within a paragraph from the page before too.
                if i == 0 {
                    source.pageStarts[p] = scalars + joined.unicodeScalars.count - line.text.unicodeScalars.count
                }
                open = joined
                previous = line
            }
        }
        if let open { lines.append(open) }
        // An empty page starts where the next page does (the text's end after the last page).
        let end = lines.reduce(0) { $0 + $1.unicodeScalars.count + 1 }
        for p in pages.indices.reversed() where pages[p].isEmpty {
            source.pageStarts[p] = p + 1 < pages.count ? source.pageStarts[p + 1] : end
        }
        let text = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
        return ConvertedText(text: text, source: source)
    }

    /// Two wrapped lines of a paragraph joined: no space next to a Chinese character, a hyphenated Latin word
    /// rejoined (`recommen-` + `dation`), a space between Latin words.
    static func join(_ a: String, _ b: String) -> String {
        let tail = Array(a.unicodeScalars.suffix(2))
        guard let first = b.unicodeScalars.first, let last = tail.last else { return a + b }
        if last == "-", tail.count == 2, tail[0].properties.isAlphabetic, tail[0].isASCII, first.isASCII,
            first.properties.isLowercase
        {
            return String(a.unicodeScalars.dropLast()) + b
        }
        // A hyphen at the end of a compound word (`well-` + `Known`) stays, with no space after it.
        if last == "-", tail.count == 2, tail[0].isASCII, tail[0].properties.isAlphabetic { return a + b }
        // The last character that is not ASCII punctuation decides, so that "论述," + "2020年" takes no space.
        let meaningful = a.unicodeScalars.last { !($0.isASCII && $0.properties.generalCategory.isPunctuation) } ?? last
        let latin = { (s: Unicode.Scalar) in s.isASCII && (s.properties.isAlphabetic || s.properties.numericType != nil)
        }
        if latin(meaningful), latin(first) || first == "(" || first == "\"" { return a + " " + b }
        return a + b
    }
}

extension Unicode.GeneralCategory {
    /// Whether the category is one of the punctuation categories.
    fileprivate var isPunctuation: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            true
        default: false
        }
    }
}
