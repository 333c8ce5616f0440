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

    /// The page's text, one block per line; throws `Failure` when the page cannot be parsed or holds no text.
    public static func text(of bytes: [UInt8]) throws(Failure) -> String {
        guard !bytes.isEmpty else { throw Failure(description: "the page is empty") }
        let encoding: String? =
            namesCharset(bytes) ? nil : (DecodedText.scalars(ofUTF8: bytes[...]) != nil ? "UTF-8" : "GB18030")
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        let doc = bytes.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: CChar.self, capacity: b.count) { p in
                htmlReadMemory(p, Int32(b.count), nil, encoding, options)
            }
        }
        guard let doc else { throw Failure(description: "the page could not be parsed as HTML") }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { throw Failure(description: "the page has no elements") }
        var lines = [String]()
        var line = ""
        func flush() {
            let t = line.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty { lines.append(t) }
            line = ""
        }
        func walk(_ node: UnsafeMutablePointer<xmlNode>) {
            var child = node.pointee.children
            while let c = child {
                switch c.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = c.pointee.content { line += collapse(String(cString: content)) }
                case XML_ELEMENT_NODE:
                    let name = String(cString: c.pointee.name).lowercased()
                    if skipped.contains(name) || hidden(c) { break }
                    if name == "td" || name == "th" {
                        if !line.isEmpty { line += "\t" }
                        walk(c)
                    } else if blocks.contains(name) {
                        flush()
                        walk(c)
                        flush()
                    } else {
                        walk(c)
                    }
                default: break
                }
                child = c.pointee.next
            }
        }
        walk(root)
        flush()
        let text = lines.joined(separator: "\n")
        if text.isEmpty { throw Failure(description: "the page has no body text (only scripts, styles or navigation)") }
        return text + "\n"
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

    /// Whether the first 4 KB name a charset (`charset=` in a meta element), or a byte-order mark says it.
    static func namesCharset(_ bytes: [UInt8]) -> Bool {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || bytes.starts(with: [0xFF, 0xFE])
            || bytes.starts(with: [0xFE, 0xFF])
        {
            return true
        }
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        return head.contains("charset")
    }
}
