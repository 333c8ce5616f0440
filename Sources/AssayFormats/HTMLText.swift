import AssayValues
import CLibXML2
import Foundation

/// A bulletin saved from a web page, as the text the pipeline reads: parsed by libxml2's HTML parser
/// (never by matching tags by hand), the page's furniture left out — scripts, styles, navigation,
/// headers and footers, forms, frames — and its structure kept as lines: each heading, paragraph, list
/// item and table row on a line of its own, table cells separated by a tab.
///
/// The charset is the page's own (`<meta charset>` or the HTTP-equivalent `content-type`), read by
/// libxml2; a page that names none is read as UTF-8 when it is valid UTF-8, else as GB18030 (pages saved
/// from Chinese portals without a charset are GBK far more often than Latin-1, libxml2's default).
public enum HTMLText {
    /// Why a page gave no text.
    public struct Failure: Error, CustomStringConvertible {
        /// The reason, for the rejection.
        public var description: String
    }

    /// Whether the input is an HTML page: by its name (`.html`, `.htm`, `.xhtml`) or by its first bytes
    /// (`<!doctype html` or `<html`, after an optional byte-order mark and white space).
    public static func isHTML(_ bytes: [UInt8], name: String) -> Bool {
        let lower = name.lowercased()
        if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".xhtml") { return true }
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        let head = String(decoding: bytes[i..<min(bytes.count, i + 16)], as: UTF8.self).lowercased()
        return head.hasPrefix("<!doctype html") || head.hasPrefix("<html")
    }

    /// Elements whose content is never bulletin text.
    static let skipped: Set<String> = [
        "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "template", "svg",
        "button", "select", "option", "head", "object", "embed", "canvas", "menu",
    ]

    /// Elements that stand on lines of their own.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
        "dd", "tr", "table", "thead", "tbody", "tfoot", "blockquote", "pre", "br", "hr", "center", "address",
        "figure", "figcaption", "caption", "body",
    ]

    /// The page as converted text. The page's `<title>` and the metadata of Chinese government portals'
    /// `<meta>` elements (ArticleTitle, PubDate, ContentSource, SiteName, ColumnName …) become metadata;
    /// the metadata block in the body (发布日期：…, 来源：…, 索引号：…) stays in the text, where extraction
    /// reads it as the document's metadata and keeps its figures out of the facts.
    public static func convert(_ bytes: [UInt8]) throws(ConversionFailure) -> ConvertedText {
        let text: String
        let fields: [SourceMap.Field]
        do { (text, fields) = try Self.read(bytes) } catch { throw ConversionFailure("HTML page: \(error)") }
        var builder = ConvertedText.Builder(format: .html)
        for line in text.split(separator: "\n") { builder.append(line: String(line)) }
        builder.source.metadata = fields
        return builder.build()
    }

    /// The `<meta name=…>` elements read as metadata, by their lower-cased names.
    static let metaNames: Set<String> = [
        "articletitle", "pubdate", "contentsource", "sitename", "columnname", "author", "description", "keywords",
        "dc.title", "dc.date", "dc.publisher", "dc.creator",
    ]

    /// The page's text, one block per line; throws `Failure` when the page cannot be parsed or holds no text.
    public static func text(of bytes: [UInt8]) throws(Failure) -> String { try read(bytes).text }

    /// The page's text and its `<title>` and `<meta>` metadata.
    static func read(_ bytes: [UInt8]) throws(Failure) -> (text: String, metadata: [SourceMap.Field]) {
        guard !bytes.isEmpty else { throw Failure(description: "the page is empty") }
        let (bytes, encoding) = try prepared(bytes)
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue)
        let doc = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { p in
                htmlReadMemory(p, Int32(b.count), nil, encoding, options)
            }
        }
        guard let doc else { throw Failure(description: "the page could not be parsed as HTML") }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { throw Failure(description: "the page has no elements") }
        let main = MainContent(root: root)
        /// A line of the page: its text, whether it lies in the main content, and whether its block is a
        /// heading (h1–h3, or an element whose class or id says title).
        struct Line {
            var text: String
            var inMain: Bool
            var heading: Bool
        }
        var lines = [Line]()
        var line = ""
        var depthInMain = 0
        var headingDepth = 0
        var lineHeading = false
        // A line's text nodes are joined raw and collapsed together when the line ends: white space between
        // two inline elements (<b>Open</b> <i>12</i>) is a space of the text, and a line break next to a
        // Chinese character is none, across elements as within one. Cells are marked by a unit separator
        // while the line is built and become tabs.
        let cell: Character = "\u{1F}"
        func flush() {
            let t = collapse(line).split(separator: cell, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\t")
                .trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { lines.append(Line(text: t, inMain: depthInMain > 0, heading: lineHeading)) }
            line = ""
            lineHeading = headingDepth > 0
        }
        func walk(_ node: UnsafeMutablePointer<xmlNode>) {
            var child = node.pointee.children
            while let c = child {
                switch c.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = c.pointee.content { line += String(cString: content) }
                case XML_ELEMENT_NODE:
                    let name = String(cString: c.pointee.name).lowercased()
                    if skipped.contains(name) || hidden(c) || furniture(c) { break }
                    let isMain = main.nodes.contains(c)
                    let isHeading = ["h1", "h2", "h3"].contains(name) || MainContent.saysTitle(c)
                    if isMain || isHeading { flush() }
                    if isMain { depthInMain += 1 }
                    if isHeading {
                        headingDepth += 1
                        lineHeading = true
                    }
                    if name == "td" || name == "th" {
                        if line.contains(where: { !$0.isWhitespace }) { line.append(cell) }
                        walk(c)
                    } else if blocks.contains(name) {
                        flush()
                        walk(c)
                        flush()
                    } else {
                        walk(c)
                    }
                    if isMain || isHeading { flush() }
                    if isMain { depthInMain -= 1 }
                    if isHeading {
                        headingDepth -= 1
                        lineHeading = headingDepth > 0
                    }
                default: break
                }
                child = c.pointee.next
            }
        }
        walk(root)
        flush()
        let kept: [String]
        if main.nodes.isEmpty {
            kept = lines.map(\.text)
        } else {
            // The main content, and before it the page's title and its metadata block (发布日期：…,
            // 来源：…), which portals put outside the article's body; nothing after it (share buttons,
            // related links, the site's footer).
            let first = lines.firstIndex { $0.inMain } ?? lines.count
            let before = lines[..<first]
            // A title box often holds the metadata line too, so the title is the last heading line that is
            // not a metadata line, and metadata lines are kept whether or not they sit in the title box.
            var head = [String]()
            let title = before.lastIndex { $0.heading && !MainContent.isMetadataLine($0.text) }
            if let title { head.append(before[title].text) }
            for (i, l) in zip(before.indices, before).suffix(12) where i != title && MainContent.isMetadataLine(l.text)
            {
                head.append(l.text)
            }
            kept = head + lines.filter(\.inMain).map(\.text)
        }
        let text = kept.joined(separator: "\n")
        if text.isEmpty { throw Failure(description: "the page has no body text (only scripts, styles or navigation)") }
        return (text + "\n", metadata(root))
    }

    /// Class and id words of a portal's furniture kept in `div`s rather than in `nav` or `footer`
    /// elements: navigation, menus, breadcrumbs, share buttons, side bars, the copyright footer.
    static let furnitureWords: Set<String> = [
        "nav", "navbar", "menu", "breadcrumb", "breadcrumbs", "crumb", "crumbs", "share", "bdsharebuttonbox", "sidebar",
        "copyright", "footer", "topbar", "toolbar",
    ]

    /// Whether an element's class or id names it as furniture (`class="share"`, `id="footer"`).
    static func furniture(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        for attribute in ["class", "id"] {
            guard let v = xmlGetProp(node, attribute) else { continue }
            defer { free(v) }
            let words = String(cString: v).lowercased().split { $0 == " " || $0 == "-" || $0 == "_" }
            if words.contains(where: { furnitureWords.contains(String($0)) }) { return true }
        }
        return false
    }

    /// The `<title>` and the known `<meta name content>` pairs of the page's head, in document order.
    static func metadata(_ root: UnsafeMutablePointer<xmlNode>) -> [SourceMap.Field] {
        var fields = [SourceMap.Field]()
        func value(_ node: UnsafeMutablePointer<xmlNode>, _ name: String) -> String? {
            guard let v = xmlGetProp(node, name) else { return nil }
            defer { free(v) }
            return String(cString: v)
        }
        func walk(_ node: UnsafeMutablePointer<xmlNode>) {
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE {
                    let name = String(cString: c.pointee.name).lowercased()
                    if name == "title", let t = xmlNodeGetContent(c) {
                        let title = collapse(String(cString: t)).trimmingWhiteSpace()
                        free(t)
                        if !title.isEmpty { fields.append(SourceMap.Field(key: "title", value: title)) }
                    } else if name == "meta", let key = value(c, "name"), metaNames.contains(key.lowercased()),
                        let content = value(c, "content").map({ collapse($0).trimmingWhiteSpace() }), !content.isEmpty
                    {
                        fields.append(SourceMap.Field(key: key, value: content))
                    } else if name == "head" || name == "html" {
                        walk(c)
                    }
                }
                child = c.pointee.next
            }
        }
        if String(cString: root.pointee.name).lowercased() == "html" { walk(root) }
        return fields
    }

    /// Runs of white space as one space; a line break inside a text node is not a line of the bulletin,
    /// and next to a Chinese character it is no space at all (a source line wrapped inside 共发现问题
    /// 20个 reads 共发现问题20个, as a browser shows Chinese text).
    static func collapse(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var space = false
        var broke = false
        for u in s.unicodeScalars {
            if u == " " || u == "\t" || u == "\n" || u == "\r" || u == "\u{A0}" {
                space = true
                if u == "\n" || u == "\r" { broke = true }
                continue
            }
            if space, let last = out.last, !(broke && (ScalarText.isCJK(last) || ScalarText.isCJK(u))) {
                out.append(" ")
            }
            space = false
            broke = false
            out.append(u)
        }
        if space, let last = out.last, !(broke && ScalarText.isCJK(last)) { out.append(" ") }
        return String(out)
    }

    /// An element marked hidden (`hidden`, `aria-hidden="true"`, `style="display:none"`).
    static func hidden(_ node: UnsafeMutablePointer<xmlNode>) -> Bool {
        func attribute(_ name: String) -> String? {
            guard let v = xmlGetProp(node, name) else { return nil }
            defer { free(v) }
            return String(cString: v).lowercased()
        }
        if attribute("hidden") != nil { return true }
        if attribute("aria-hidden") == "true" { return true }
        if let style = attribute("style")?.replacingOccurrences(of: " ", with: ""), style.contains("display:none") {
            return true
        }
        return false
    }

    /// The bytes libxml2 reads and the encoding it is told. Pages of the GB family (`gb2312`, `gbk`,
    /// `gb18030`, `cp936`, or no charset and not UTF-8) are decoded here as GB18030, a superset of the
    /// others: portals that declare gb2312 serve characters outside it, and libxml2's iconv conversion for
    /// gb2312 stops at the first of them, silently dropping the rest of the page. A page that is not valid
    /// in its charset is refused with where, rather than read in part. Other declared charsets, and a
    /// byte-order mark, are left to libxml2.
    static func prepared(_ bytes: [UInt8]) throws(Failure) -> (bytes: [UInt8], encoding: String?) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE])
            || bytes.starts(with: [0xFE, 0xFF])
        {
            return (bytes, nil)
        }
        let declared = declaredCharset(bytes)
        let gbFamily: Set<String> = ["gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn", "x-euc-cn", "windows-936"]
        if let declared, !gbFamily.contains(declared) {
            if declared == "utf-8" || declared == "utf8", DecodedText.scalars(ofUTF8: bytes[...]) == nil {
                throw Failure(description: "the page says its charset is \(declared) but it is not valid UTF-8")
            }
            return (bytes, nil)
        }
        if declared == nil, DecodedText.scalars(ofUTF8: bytes[...]) != nil { return (bytes, "UTF-8") }
        guard let text = TextDecoder.gb18030(bytes) else {
            throw Failure(
                description: declared.map { "the page says its charset is \($0) but it is not valid GB18030/GBK" }
                    ?? "the page names no charset and is neither UTF-8 nor GB18030/GBK")
        }
        return (withoutCharset(Array(text.utf8)), "UTF-8")
    }

    /// The charset a page declares in its first 4 KB (`<meta charset=…>` or `content="…; charset=…"`),
    /// lower-cased, or nil.
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = Array(String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased().unicodeScalars)
        let key = Array("charset".unicodeScalars)
        var i = 0
        while i + key.count <= head.count {
            defer { i += 1 }
            guard Array(head[i..<(i + key.count)]) == key else { continue }
            var j = i + key.count
            while j < head.count, head[j] == " " { j += 1 }
            guard j < head.count, head[j] == "=" else { continue }
            j += 1
            while j < head.count, head[j] == " " || head[j] == "\"" || head[j] == "'" { j += 1 }
            var name = ""
            while j < head.count,
                head[j].properties.isAlphabetic || head[j].properties.numericType != nil
                    || head[j] == "-" || head[j] == "_"
            {
                name.unicodeScalars.append(head[j])
                j += 1
            }
            if !name.isEmpty { return name }
        }
        return nil
    }

    /// UTF-8 bytes of a page with `charset=` in its first 4 KB renamed (`charset` → `xharset`), so that
    /// libxml2, told the bytes are UTF-8, does not switch to the charset the page declared.
    static func withoutCharset(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        let key = Array("charset".utf8)
        var i = 0
        let end = min(out.count, 4096)
        while i + key.count <= end {
            if out[i..<(i + key.count)].elementsEqual(key) || out[i..<(i + key.count)].map({ $0 | 0x20 }) == key {
                out[i] = UInt8(ascii: "x")
                i += key.count
            } else {
                i += 1
            }
        }
        return out
    }
}
