import AssayValues

/// An OFD document (GB/T 33190, China's format for electronic documents) as the text the pipeline reads,
/// page by page: `OFD.xml` names the document (`DocBody/DocRoot`), the document lists its pages
/// (`Pages/Page@BaseLoc`), and each page's layers hold text objects (`TextObject`, also inside
/// `PageBlock`) placed by their `Boundary` and their `TextCode`s' `X`/`Y` (the baseline). The text is put
/// in reading order by position, not by the order the XML happens to list it: top to bottom, then left to
/// right; text on one baseline (within a tolerance) is one line, joined without spaces between Chinese
/// characters and with a space where Latin words have a gap between them (a tab for a gap of more than two
/// characters, as between table cells). Each page starts a page of the source map.
///
/// Template pages (`TemplatePage`: running headers, footers, letterheads) are left out, with a note;
/// `DocInfo` gives the metadata. Paths are relative to the file naming them (`/` starts at the package
/// root); a path that only resolves from the root is accepted as producers write both.
public enum OFDText {
    static let label = "OFD"

    /// The document as converted text.
    public static func convert(_ bytes: [UInt8], limits: ConversionLimits) throws(ConversionFailure) -> ConvertedText {
        var zip = try ZipPackage(bytes, maxBytes: limits.maxBytes, label: label)
        let names = zip.entryNames
        func find(_ path: String) -> String? {
            if names.contains(path) { return path }
            return names.first { $0.caseInsensitiveCompare(path) == .orderedSame }
        }
        func read(_ path: String, from base: String) throws(ConversionFailure) -> (String, XMLPart)? {
            for candidate in [resolve(path, relativeTo: base), resolve(path, relativeTo: "")] {
                if let found = find(candidate), let b = try zip.read(found) {
                    return (found, try XMLPart.parse(b, path: found, label: label))
                }
            }
            return nil
        }
        guard let (_, ofd) = try read("OFD.xml", from: "") else {
            throw ConversionFailure("OFD: the package has no OFD.xml, so it is not an OFD document")
        }
        let body = ofd.root.first("DocBody")
        guard let docRoot = body?.first("DocRoot")?.text.trimmingWhiteSpace(), !docRoot.isEmpty else {
            throw ConversionFailure("OFD: OFD.xml names no document (DocBody/DocRoot)")
        }
        guard let (docPath, document) = try read(docRoot, from: "OFD.xml") else {
            throw ConversionFailure("OFD: the document \(docRoot) that OFD.xml names is missing")
        }
        let pages = document.root.first("Pages")?.all("Page") ?? []
        guard !pages.isEmpty else { throw ConversionFailure("OFD: the document \(docPath) has no pages") }

        var builder = ConvertedText.Builder(format: .ofd)
        var empty = [Int]()
        var images = 0
        var templatesUsed = Set<String>()
        for (i, page) in pages.enumerated() {
            guard let loc = page.attribute("BaseLoc")?.trimmingWhiteSpace(), !loc.isEmpty,
                let (_, content) = try read(loc, from: docPath)
            else {
                throw ConversionFailure(
                    "OFD: page \(i + 1) (\(page.attribute("BaseLoc") ?? "no BaseLoc")) is missing from the package")
            }
            for t in content.root.all("Template") { if let id = t.attribute("TemplateID") { templatesUsed.insert(id) } }
            var items = [Item]()
            if let c = content.root.first("Content") { collect(c, into: &items, images: &images) }
            builder.startPage()
            let before = builder.lineCount
            for line in lines(items) { builder.append(line: line) }
            if builder.lineCount == before { empty.append(i + 1) }
        }
        if builder.lineCount == 0 {
            let which = pageList(empty)
            if images > 0 {
                throw ConversionFailure(
                    "OFD: no text on \(which) (the pages are images); a scanned document needs to be a PDF for OCR")
            }
            throw ConversionFailure("OFD: no text on \(which)")
        }
        builder.source.metadata = metadata(body?.first("DocInfo"))
        // Templates: running headers and footers, not the bulletin's text.
        var templateTexts = 0
        for t in document.root.first("CommonData")?.all("TemplatePage") ?? [] {
            guard let id = t.attribute("ID"), templatesUsed.contains(id), let loc = t.attribute("BaseLoc"),
                let (_, content) = try read(loc, from: docPath)
            else { continue }
            var items = [Item]()
            var ignored = 0
            if let c = content.root.first("Content") { collect(c, into: &items, images: &ignored) }
            if items.contains(where: { !$0.text.trimmingWhiteSpace().isEmpty }) { templateTexts += 1 }
        }
        if templateTexts > 0 {
            builder.source.notes.append(
                "the text of \(counted(templateTexts, "template page", "template pages")) left out "
                    + "(running headers and footers)")
        }
        if !empty.isEmpty { builder.source.notes.append("no text on \(pageList(empty))") }
        return builder.build()
    }

    /// "page 2", "pages 1–3", "pages 1–3, 5".
    static func pageList(_ pages: [Int]) -> String {
        var ranges = [(Int, Int)]()
        for p in pages {
            if let last = ranges.last, last.1 + 1 == p { ranges[ranges.count - 1].1 = p } else { ranges.append((p, p)) }
        }
        let shown = ranges.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)–\($0.1)" }.joined(separator: ", ")
        return (pages.count == 1 ? "page " : "pages ") + shown
    }

    /// `path` resolved against the directory of `base` (a package path); a leading `/` starts at the root;
    /// `.` and `..` are resolved, backslashes read as slashes.
    static func resolve(_ path: String, relativeTo base: String) -> String {
        let p = path.replacing("\\", with: "/")
        var parts = [Substring]()
        if !p.hasPrefix("/") {
            parts = base.split(separator: "/")
            if !parts.isEmpty { parts.removeLast() }
        }
        for c in p.split(separator: "/") {
            if c == "." || c.isEmpty { continue }
            if c == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(c)
        }
        return parts.joined(separator: "/")
    }

    /// Title, author, creation and modification dates from `DocInfo`.
    static func metadata(_ info: XMLElement?) -> [SourceMap.Field] {
        guard let info else { return [] }
        var fields = [SourceMap.Field]()
        for (element, key) in [
            ("Title", "title"), ("Author", "author"), ("CreationDate", "created"), ("ModDate", "modified"),
        ] {
            if let value = info.first(element)?.text.trimmingWhiteSpace(), !value.isEmpty {
                fields.append(SourceMap.Field(key: key, value: value))
            }
        }
        return fields
    }

    // MARK: Text in reading order

    /// A run of text at a place on the page (millimetres, y downwards): a `TextCode` of a `TextObject`.
    struct Item {
        var text: String
        var x: Double
        var end: Double
        var baseline: Double
        var size: Double
    }

    /// The text codes of the layers and page blocks under `e`, in the order written; image objects counted.
    static func collect(_ e: XMLElement, into items: inout [Item], images: inout Int) {
        for c in e.elements {
            if c.is("TextObject") {
                items += textItems(c)
            } else if c.is("ImageObject") {
                images += 1
            } else if c.is("Layer") || c.is("PageBlock") {
                collect(c, into: &items, images: &images)
            }
        }
    }

    static func numbers(_ s: String?) -> [Double] {
        (s ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }).compactMap {
            Double($0)
        }
    }

    static func textItems(_ object: XMLElement) -> [Item] {
        let box = numbers(object.attribute("Boundary"))
        guard box.count == 4 else { return [] }
        let (bx, by, bw, bh) = (box[0], box[1], box[2], box[3])
        let size = object.attribute("Size").flatMap { Double($0) } ?? bh
        var items = [Item]()
        let codes = object.all("TextCode")
        for (i, code) in codes.enumerated() {
            let text = code.text
            guard !text.isEmpty else { continue }
            let x = bx + (code.attribute("X").flatMap { Double($0) } ?? 0)
            let baseline = by + (code.attribute("Y").flatMap { Double($0) } ?? bh)
            var width = 0.0
            for u in text.unicodeScalars { width += wide(u) ? size : size / 2 }
            // The boundary is where the object's text ends; inside it, the width is estimated.
            var end = x + width
            if bw > 0 { end = i == codes.count - 1 ? bx + bw : min(end, bx + bw) }
            items.append(Item(text: text, x: x, end: end, baseline: baseline, size: size > 0 ? size : 1))
        }
        return items
    }

    /// Chinese characters and full-width forms, which take a whole em and need no spaces between them.
    static func wide(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return ScalarText.isCJK(u) || (0x3000...0x303F).contains(v) || (0xFF00...0xFFEF).contains(v)
            || (0x2018...0x201D).contains(v)
    }

    /// The items as lines in reading order: by baseline (items within 0.4 of the font size of a line's
    /// baseline are on it), each line left to right.
    static func lines(_ items: [Item]) -> [String] {
        let sorted = items.sorted { ($0.baseline, $0.x) < ($1.baseline, $1.x) }
        var groups = [[Item]]()
        var baseline = 0.0
        for item in sorted {
            if let last = groups.last?.last,
                abs(item.baseline - baseline) <= 0.4 * max(min(item.size, last.size), 0.1)
            {
                groups[groups.count - 1].append(item)
            } else {
                groups.append([item])
                baseline = item.baseline
            }
        }
        return groups.map { group in
            var line = ""
            var previous: Item?
            for item in group.sorted(by: { $0.x < $1.x }) {
                if let p = previous, let a = line.unicodeScalars.last, let b = item.text.unicodeScalars.first {
                    let gap = item.x - p.end
                    let size = max(p.size, item.size)
                    if gap > 2 * size {
                        line += "\t"
                    } else if !wide(a) && !wide(b) && !a.properties.isWhitespace && !b.properties.isWhitespace
                        && gap > 0.2 * size
                    {
                        line += " "
                    }
                }
                line += item.text
                previous = item
            }
            return line
        }
    }
}
