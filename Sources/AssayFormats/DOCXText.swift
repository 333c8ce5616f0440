import AssayValues

/// A Word document (Office Open XML, `.docx`) as the text the pipeline reads: the body's paragraphs and
/// tables in order, one paragraph (or table row, cells separated by tabs) per line, read from
/// `word/document.xml` by libxml2 inside the zip (ZipPackage's decompression budget guards against zip
/// bombs).
///
/// What Word prints is what the text holds: list numbering that Word generates (一、 （一） 1.) is rendered
/// from `word/numbering.xml` and put before the paragraph, as the segmenter finds sections by it; tracked
/// insertions are kept and tracked deletions left out; comments, hidden text and field codes are left out;
/// a text box is read once (a drawing's `mc:AlternateContent` gives one branch, not both). Heading styles
/// and outline levels mark headings in the source map; `docProps/core.xml` gives the metadata.
public enum DOCXText {
    static let label = "DOCX"
    /// WordprocessingML's namespaces: transitional and strict.
    static let wordNamespaces: Set<String> = [
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    ]
    static let compatibilityNamespace = "http://schemas.openxmlformats.org/markup-compatibility/2006"

    /// The document as converted text.
    public static func convert(_ bytes: [UInt8], limits: ConversionLimits) throws(ConversionFailure) -> ConvertedText {
        var zip = try ZipPackage(bytes, maxBytes: limits.maxBytes, label: label)
        guard let documentBytes = try zip.read("word/document.xml") else {
            throw ConversionFailure("DOCX: the package has no word/document.xml, so it is not a Word document")
        }
        let document = try XMLPart.parse(documentBytes, path: "word/document.xml", label: label)
        let parts = try relatedParts(&zip)
        var styles = Styles()
        if let path = parts.styles, let b = try zip.read(path) {
            styles = Styles(try XMLPart.parse(b, path: path, label: label).root)
        }
        var numbering = Numbering()
        if let path = parts.numbering, let b = try zip.read(path) {
            numbering = Numbering(try XMLPart.parse(b, path: path, label: label).root, styles: styles)
        }
        var reader = Reader(styles: styles, numbering: numbering)
        var builder = ConvertedText.Builder(format: .docx)
        if let body = document.root.first("body") {
            for line in reader.blocks(body) { builder.append(line: line.text, heading: line.heading) }
        }
        if builder.lineCount == 0 {
            if reader.images > 0 {
                throw ConversionFailure(
                    "DOCX: the document has no text, only \(counted(reader.images, "image", "images")); "
                        + "a scanned document needs to be a PDF for OCR")
            }
            throw ConversionFailure("DOCX: the document has no text")
        }
        if let b = try zip.read("docProps/core.xml") {
            builder.source.metadata = metadata(try XMLPart.parse(b, path: "docProps/core.xml", label: label).root)
        }
        if !reader.comments.isEmpty {
            builder.source.notes.append(counted(reader.comments.count, "comment", "comments") + " left out")
        }
        if reader.deletions > 0 {
            builder.source.notes.append(
                counted(reader.deletions, "tracked deletion", "tracked deletions") + " left out")
        }
        return builder.build()
    }

    /// The styles and numbering parts, by the document's relationships (`word/_rels/document.xml.rels`),
    /// else by their usual names.
    static func relatedParts(_ zip: inout ZipPackage) throws(ConversionFailure) -> (styles: String?, numbering: String?)
    {
        var styles: String? = "word/styles.xml"
        var numbering: String? = "word/numbering.xml"
        let relsPath = "word/_rels/document.xml.rels"
        if let b = try zip.read(relsPath) {
            let rels = try XMLPart.parse(b, path: relsPath, label: label)
            for r in rels.root.all("Relationship") {
                guard let type = r.attribute("Type"), let target = r.attribute("Target"),
                    r.attribute("TargetMode") != "External"
                else { continue }
                let path = target.hasPrefix("/") ? String(target.dropFirst()) : "word/" + target
                if type.hasSuffix("/styles") { styles = path } else if type.hasSuffix("/numbering") { numbering = path }
            }
        }
        return (styles, numbering)
    }

    /// title, creator, created and modified from `docProps/core.xml`, those that are not empty.
    static func metadata(_ core: XMLElement) -> [SourceMap.Field] {
        var fields = [SourceMap.Field]()
        for (element, key) in [
            ("title", "title"), ("creator", "creator"), ("created", "created"), ("modified", "modified"),
        ] {
            if let value = core.first(element)?.text.trimmingWhiteSpace(), !value.isEmpty {
                fields.append(SourceMap.Field(key: key, value: value))
            }
        }
        return fields
    }

    // MARK: Styles

    /// The paragraph styles of `word/styles.xml`: what a paragraph inherits through `w:basedOn`.
    struct Styles {
        struct Style {
            var name: String?
            var basedOn: String?
            var outlineLevel: Int?
            var numID: String?
            var numLevel: Int?
        }
        var byID = [String: Style]()
        var defaultID: String?

        init() {}

        init(_ root: XMLElement) {
            for s in root.all("style") where s.attribute("type") ?? "paragraph" == "paragraph" {
                guard let id = s.attribute("styleId") else { continue }
                var style = Style()
                style.name = s.first("name")?.attribute("val")
                style.basedOn = s.first("basedOn")?.attribute("val")
                if let pPr = s.first("pPr") {
                    style.outlineLevel = pPr.first("outlineLvl")?.attribute("val").flatMap { Int($0) }
                    if let numPr = pPr.first("numPr") {
                        style.numID = numPr.first("numId")?.attribute("val")
                        style.numLevel = numPr.first("ilvl")?.attribute("val").flatMap { Int($0) }
                    }
                }
                byID[id] = style
                if let d = s.attribute("default"), d == "1" || d == "true" { defaultID = id }
            }
        }

        /// The style `id` and those it is based on, nearest first (a cycle stops).
        func chain(_ id: String?) -> [Style] {
            var out = [Style]()
            var seen = Set<String>()
            var next = id ?? defaultID
            while let i = next, !seen.contains(i), let s = byID[i] {
                seen.insert(i)
                out.append(s)
                next = s.basedOn
            }
            return out
        }

        /// The outline level (1 is the top) of a paragraph of style `id`: the style's `w:outlineLvl`, else a
        /// name "heading N" or "标题 N".
        func headingLevel(_ id: String?) -> Int? {
            for s in chain(id) {
                if let l = s.outlineLevel { return l < 9 ? l + 1 : nil }
                if let name = s.name?.lowercased() {
                    for prefix in ["heading ", "标题 ", "标题"] where name.hasPrefix(prefix) {
                        if let n = Int(name.dropFirst(prefix.count)), (1...9).contains(n) { return n }
                    }
                }
            }
            return nil
        }

        /// The numbering a style gives its paragraphs.
        func numbering(_ id: String?) -> (numID: String?, level: Int?) {
            var numID: String?
            var level: Int?
            for s in chain(id) {
                if numID == nil { numID = s.numID }
                if level == nil { level = s.numLevel }
            }
            return (numID, level)
        }
    }

    // MARK: Numbering

    /// The lists of `word/numbering.xml` and their counters as the document is read: counters belong to the
    /// abstract list (two `w:num` of one `w:abstractNum` continue one list, as in Word) and a `w:num`'s
    /// `w:startOverride` restarts the level the first time that `w:num` is used.
    struct Numbering {
        struct Level {
            var start = 1
            var format = "decimal"
            var text: String?
            var suffix = "tab"
            var restart: Int?
            var legal = false
            var style: String?
        }
        struct Instance {
            var abstractID: String
            var starts = [Int: Int]()
            var levels = [Int: Level]()
        }
        var abstracts = [String: [Int: Level]]()
        var instances = [String: Instance]()
        var counters = [String: [Int: Int]]()
        var used = Set<String>()

        init() {}

        init(_ root: XMLElement, styles: Styles) {
            var links = [String: String]()
            for a in root.all("abstractNum") {
                guard let id = a.attribute("abstractNumId") else { continue }
                var levels = [Int: Level]()
                for l in a.all("lvl") {
                    guard let i = l.attribute("ilvl").flatMap({ Int($0) }) else { continue }
                    levels[i] = Self.level(l)
                }
                abstracts[id] = levels
                if let link = a.first("numStyleLink")?.attribute("val") { links[id] = link }
            }
            for n in root.all("num") {
                guard let id = n.attribute("numId"), let abstractID = n.first("abstractNumId")?.attribute("val") else {
                    continue
                }
                var instance = Instance(abstractID: abstractID)
                for o in n.all("lvlOverride") {
                    guard let i = o.attribute("ilvl").flatMap({ Int($0) }) else { continue }
                    if let s = o.first("startOverride")?.attribute("val").flatMap({ Int($0) }) {
                        instance.starts[i] = s
                    }
                    if let l = o.first("lvl") { instance.levels[i] = Self.level(l) }
                }
                instances[id] = instance
            }
            // A list that links to a numbering style takes the levels of the list that style numbers with.
            for (id, style) in links {
                if let numID = styles.numbering(style).numID, let target = instances[numID]?.abstractID,
                    target != id, let levels = abstracts[target]
                {
                    abstracts[id] = levels
                }
            }
        }

        static func level(_ l: XMLElement) -> Level {
            var level = Level()
            func child(_ name: String) -> XMLElement? {
                if let c = l.first(name) { return c }
                // A format Word 2010 added comes in mc:AlternateContent with a fallback older readers know.
                for alt in l.all("AlternateContent") {
                    if let c = alt.first("Fallback")?.first(name) { return c }
                }
                return nil
            }
            if let s = child("start")?.attribute("val").flatMap({ Int($0) }) { level.start = s }
            if let f = child("numFmt")?.attribute("val") { level.format = f }
            level.text = child("lvlText")?.attribute("val")
            if let s = child("suff")?.attribute("val") { level.suffix = s }
            level.restart = child("lvlRestart")?.attribute("val").flatMap { Int($0) }
            if let g = child("isLgl") { level.legal = g.attribute("val").map { $0 != "0" && $0 != "false" } ?? true }
            level.style = child("pStyle")?.attribute("val")
            return level
        }

        /// The level of list `numID` that style `style` is linked to, if any.
        func level(linkedTo style: String?, numID: String) -> Int? {
            guard let style, let instance = instances[numID], let levels = abstracts[instance.abstractID] else {
                return nil
            }
            return levels.first { $0.value.style == style }?.key
        }

        func definition(_ instance: Instance, _ i: Int) -> Level? {
            instance.levels[i] ?? abstracts[instance.abstractID]?[i]
        }

        /// Counts a paragraph of list `numID` at level `ilvl` and gives its label and the separator after it
        /// ("" for none); nil when the paragraph shows no label.
        mutating func label(numID: String, ilvl: Int) -> (label: String, suffix: String)? {
            guard let instance = instances[numID], let level = definition(instance, ilvl) else { return nil }
            let key = instance.abstractID
            var counts = counters[key] ?? [:]
            if !used.contains(numID) {
                used.insert(numID)
                for i in instance.starts.keys { counts[i] = nil }
            }
            func start(_ i: Int) -> Int { instance.starts[i] ?? definition(instance, i)?.start ?? 1 }
            counts[ilvl] = counts[ilvl].map { $0 + 1 } ?? start(ilvl)
            for k in (ilvl + 1)..<10 {
                let restart = definition(instance, k)?.restart
                if let r = restart, r == 0 || ilvl >= r { continue }
                counts[k] = nil
            }
            counters[key] = counts
            guard level.format != "bullet", let text = level.text else { return nil }
            var out = ""
            var scalars = Array(text.unicodeScalars)[...]
            while let c = scalars.first {
                scalars = scalars.dropFirst()
                if c == "%", let d = scalars.first, let n = Int(String(d)), (1...9).contains(n) {
                    scalars = scalars.dropFirst()
                    let i = n - 1
                    let format = level.legal ? "decimal" : (definition(instance, i)?.format ?? "decimal")
                    out += NumberFormat.render(counts[i] ?? start(i), format: format)
                } else {
                    out.unicodeScalars.append(c)
                }
            }
            guard !out.isEmpty else { return nil }
            return (out, level.suffix == "nothing" ? "" : " ")
        }
    }

    // MARK: Reading the body

    /// A line of the converted text: a paragraph or a table row, with its outline level when a heading.
    struct Line {
        var text: String
        var heading: Int?
    }

    /// Walks the body in order, counting what it leaves out.
    struct Reader {
        var styles: Styles
        var numbering: Numbering
        var comments = Set<String>()
        var deletions = 0
        var images = 0

        /// The WordprocessingML local name of `e`, nil for other namespaces.
        func wordName(_ e: XMLElement) -> String? {
            guard let ns = e.namespace, DOCXText.wordNamespaces.contains(ns) else { return nil }
            return e.name
        }

        func isAlternateContent(_ e: XMLElement) -> Bool {
            e.is("AlternateContent") && e.namespace == DOCXText.compatibilityNamespace
        }

        /// The one branch of an `mc:AlternateContent` read: the fallback when it has content, else the
        /// first choice.
        func branch(_ e: XMLElement) -> XMLElement? {
            if let f = e.first("Fallback"), !f.elements.isEmpty { return f }
            return e.first("Choice")
        }

        /// The lines of a block container (the body, a cell, a text box, a content control).
        mutating func blocks(_ container: XMLElement) -> [Line] {
            var lines = [Line]()
            for e in container.elements {
                if isAlternateContent(e) {
                    if let b = branch(e) { lines += blocks(b) }
                    continue
                }
                switch wordName(e) {
                case "p": lines += paragraph(e)
                case "tbl": lines += table(e)
                case "sdt": if let c = e.first("sdtContent") { lines += blocks(c) }
                case "customXml", "ins", "moveTo", "sdtContent", "smartTag": lines += blocks(e)
                case "del":
                    deletions += 1
                case "moveFrom": break
                default: break
                }
            }
            return lines
        }

        /// A paragraph: its numbering label and text, a new line at each line break, then the text boxes
        /// anchored in it.
        mutating func paragraph(_ p: XMLElement) -> [Line] {
            let pPr = p.first("pPr")
            let style = pPr?.first("pStyle")?.attribute("val")
            var heading = styles.headingLevel(style)
            if let l = pPr?.first("outlineLvl")?.attribute("val").flatMap({ Int($0) }) { heading = l < 9 ? l + 1 : nil }
            var parts = [""]
            var boxes = [XMLElement]()
            inline(p, &parts, &boxes)
            if let (label, suffix) = numberLabel(pPr, style: style) {
                let first = parts[0].trimmingWhiteSpace()
                let sep = suffix.isEmpty || Self.closesTight(label) || first.isEmpty ? "" : suffix
                parts[0] = label + sep + first
            }
            var lines = [Line]()
            for (i, part) in parts.enumerated() where !part.trimmingWhiteSpace().isEmpty {
                lines.append(Line(text: part, heading: i == 0 ? heading : nil))
            }
            for box in boxes { lines += blocks(box) }
            return lines
        }

        /// Whether a label ends in a Chinese character or full-width punctuation (一、 （一） 第一条), after
        /// which Word's tab or space is not text: the bulletin reads 一、总体情况.
        static func closesTight(_ label: String) -> Bool {
            guard let last = label.unicodeScalars.last else { return true }
            let v = last.value
            return ScalarText.isCJK(last) || (0x3000...0x303F).contains(v) || (0xFF00...0xFFEF).contains(v)
        }

        /// The label Word generates for a paragraph's list numbering (direct or from its style).
        mutating func numberLabel(_ pPr: XMLElement?, style: String?) -> (String, String)? {
            let direct = pPr?.first("numPr")
            let inherited = styles.numbering(style)
            guard let numID = direct?.first("numId")?.attribute("val") ?? inherited.numID, numID != "0" else {
                return nil
            }
            let ilvl =
                direct?.first("ilvl")?.attribute("val").flatMap { Int($0) } ?? inherited.level
                ?? numbering.level(linkedTo: style, numID: numID) ?? 0
            guard (0..<10).contains(ilvl) else { return nil }
            return numbering.label(numID: numID, ilvl: ilvl)
        }

        /// The text inside a paragraph: runs and what wraps them, `parts` getting a new element at each
        /// line break; text boxes found in drawings go to `boxes`.
        mutating func inline(_ e: XMLElement, _ parts: inout [String], _ boxes: inout [XMLElement]) {
            for c in e.elements {
                if isAlternateContent(c) {
                    if let b = branch(c) { inline(b, &parts, &boxes) }
                    continue
                }
                guard let name = wordName(c) else { continue }
                switch name {
                case "t": parts[parts.count - 1] += c.text
                case "tab", "ptab": parts[parts.count - 1] += "\t"
                case "br", "cr": parts.append("")
                case "noBreakHyphen": parts[parts.count - 1] += "-"
                case "r":
                    if let vanish = c.first("rPr")?.first("vanish"),
                        vanish.attribute("val").map({ $0 != "0" && $0 != "false" }) ?? true
                    {
                        continue
                    }
                    inline(c, &parts, &boxes)
                case "del":
                    deletions += 1
                case "commentReference":
                    comments.insert(c.attribute("id") ?? "\(comments.count)")
                case "drawing", "pict":
                    let found = textBoxes(c)
                    if found.isEmpty { images += 1 } else { boxes += found }
                case "pPr", "rPr", "delText", "instrText", "sym", "softHyphen", "moveFrom", "footnoteReference",
                    "endnoteReference", "fldChar", "object", "delInstrText", "annotationRef":
                    break
                default:
                    // hyperlink, ins, moveTo, smartTag, sdt, sdtContent, fldSimple, customXml, dir, bdo…
                    inline(c, &parts, &boxes)
                }
            }
        }

        /// The outermost `w:txbxContent` elements inside a drawing, in order.
        func textBoxes(_ e: XMLElement) -> [XMLElement] {
            var out = [XMLElement]()
            for c in e.elements {
                if isAlternateContent(c) {
                    if let b = branch(c) { out += textBoxes(b) }
                } else if wordName(c) == "txbxContent" {
                    out.append(c)
                } else {
                    out += textBoxes(c)
                }
            }
            return out
        }

        /// A table: each row a line, its cells' text separated by tabs; a cell's paragraphs (and nested
        /// tables) joined by spaces.
        mutating func table(_ t: XMLElement) -> [Line] {
            var lines = [Line]()
            for row in rows(t) {
                var cells = [String]()
                for cell in self.cells(row) {
                    let text = blocks(cell).map { $0.text.replacing("\t", with: " ").trimmingWhiteSpace() }
                        .filter { !$0.isEmpty }.joined(separator: " ")
                    cells.append(text)
                }
                lines.append(Line(text: cells.joined(separator: "\t")))
            }
            return lines
        }

        func rows(_ t: XMLElement) -> [XMLElement] {
            var out = [XMLElement]()
            for e in t.elements {
                switch wordName(e) {
                case "tr": out.append(e)
                case "customXml", "sdtContent", "ins": out += rows(e)
                case "sdt": if let c = e.first("sdtContent") { out += rows(c) }
                default: break
                }
            }
            return out
        }

        func cells(_ row: XMLElement) -> [XMLElement] {
            var out = [XMLElement]()
            for e in row.elements {
                switch wordName(e) {
                case "tc": out.append(e)
                case "customXml", "sdtContent", "ins": out += cells(e)
                case "sdt": if let c = e.first("sdtContent") { out += cells(c) }
                default: break
                }
            }
            return out
        }
    }
}

/// Word's number formats (`w:numFmt`) for list labels.
enum NumberFormat {
    static let digits = Array("〇一二三四五六七八九").map(String.init)
    static let heavenlyStems = Array("甲乙丙丁戊己庚辛壬癸").map(String.init)

    /// `n` in the format Word names `format`; unknown formats as decimal.
    static func render(_ n: Int, format: String) -> String {
        switch format {
        case "decimal": return String(n)
        case "decimalZero": return n < 10 && n >= 0 ? "0\(n)" : String(n)
        case "decimalFullWidth", "decimalFullWidth2":
            return String(String.UnicodeScalarView(String(n).unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        case "chineseCounting": return n > 0 && n < 100 ? chinese(n, tenOne: false) : digitwise(n)
        case "chineseCountingThousand", "taiwaneseCountingThousand", "chineseLegalSimplified":
            let s = n > 0 && n < 10000 ? chinese(n, tenOne: false) : digitwise(n)
            return format == "chineseLegalSimplified" ? legal(s) : s
        case "japaneseCounting":
            return n > 0 && n < 10000 ? chinese(n, tenOne: false, oneBeforeUnits: false) : digitwise(n)
        case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand": return digitwise(n)
        case "ideographTraditional": return n >= 1 && n <= 10 ? heavenlyStems[n - 1] : String(n)
        case "lowerLetter": return letters(n, upper: false)
        case "upperLetter": return letters(n, upper: true)
        case "lowerRoman": return roman(n).lowercased()
        case "upperRoman": return roman(n)
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
            if n >= 1 && n <= 20 { return String(Unicode.Scalar(0x2460 + UInt32(n - 1))!) }
            if n >= 21 && n <= 35 { return String(Unicode.Scalar(0x3251 + UInt32(n - 21))!) }
            if n >= 36 && n <= 50 { return String(Unicode.Scalar(0x32B1 + UInt32(n - 36))!) }
            return String(n)
        case "decimalEnclosedParen": return "(\(n))"
        case "decimalEnclosedFullstop": return "\(n)."
        case "none": return ""
        default: return String(n)
        }
    }

    /// 1–9999 in Chinese counting: 十一, 二十, 一百零五, 一千二百; `tenOne` writes 一十 in 一百一十.
    static func chinese(_ n: Int, tenOne: Bool, oneBeforeUnits: Bool = true) -> String {
        let units = ["", "十", "百", "千"]
        let ds = String(n).compactMap { $0.wholeNumberValue }
        var out = ""
        var zero = false
        for (i, d) in ds.enumerated() {
            let unit = ds.count - 1 - i
            if d == 0 {
                zero = true
                continue
            }
            if zero, oneBeforeUnits { out += "零" }
            zero = false
            let leadingTen = unit == 1 && d == 1 && out.isEmpty && !tenOne
            if !(leadingTen || (!oneBeforeUnits && d == 1 && unit > 0)) { out += digits[d] }
            out += units[unit]
        }
        return out
    }

    /// Digit by digit: 一〇五.
    static func digitwise(_ n: Int) -> String {
        String(n).compactMap { $0.wholeNumberValue.map { digits[$0] } }.joined()
    }

    /// Financial (大写) numerals.
    static func legal(_ s: String) -> String {
        let map: [Character: Character] = [
            "一": "壹", "二": "贰", "三": "叁", "四": "肆", "五": "伍", "六": "陆", "七": "柒", "八": "捌", "九": "玖", "十": "拾",
            "百": "佰", "千": "仟", "〇": "零",
        ]
        return String(s.map { map[$0] ?? $0 })
    }

    /// a, b, … z, aa, bb, … (Word repeats the letter).
    static func letters(_ n: Int, upper: Bool) -> String {
        guard n > 0 else { return String(n) }
        let letter = Unicode.Scalar(UInt8((upper ? 65 : 97) + (n - 1) % 26))
        return String(repeating: String(Character(letter)), count: (n - 1) / 26 + 1)
    }

    static func roman(_ n: Int) -> String {
        guard n > 0 && n < 4000 else { return String(n) }
        let table: [(Int, String)] = [
            (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"),
            (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
        ]
        var n = n
        var out = ""
        for (v, s) in table {
            while n >= v {
                out += s
                n -= v
            }
        }
        return out
    }
}
