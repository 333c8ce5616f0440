import AssayValues

/// Which format an input is in, from its content (magic bytes, and for a zip its entries) and its name,
/// and whether the name lies about the content.
public enum InputFormat {
    /// The format the content shows: `%PDF-` is a PDF; a zip (`PK\3\4`) is a DOCX when it holds
    /// `word/document.xml`, an OFD when it holds `OFD.xml`; HTML by its first bytes or its name (`.html`,
    /// `.htm`, `.xhtml`); anything else is text. `zipEntries` lists a zip's entry names (nil when the zip
    /// cannot be read, which the converter then reports).
    public static func detect(_ bytes: [UInt8], name: String, zipEntries: ([UInt8]) -> [String]?) -> Detected {
        let ext = Self.extension(of: name)
        let claimed = claimedFormat(ext)
        let content: SourceFormat?
        if bytes.starts(with: Array("%PDF-".utf8)) {
            content = .pdf
        } else if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            if let entries = zipEntries(bytes) {
                if entries.contains("word/document.xml") {
                    content = .docx
                } else if entries.contains(where: { $0.caseInsensitiveCompare("OFD.xml") == .orderedSame }) {
                    content = .ofd
                } else {
                    return .unsupported(
                        "a zip archive that is neither a Word document (no word/document.xml) nor an OFD (no OFD.xml)")
                }
            } else {
                // Unreadable zip: the format the name claims reports the damage; else call it a zip.
                if let claimed, claimed == .docx || claimed == .ofd { return .format(claimed) }
                return .unsupported("a zip archive that cannot be read (corrupt or truncated)")
            }
        } else if HTMLText.isHTML(bytes, name: "") {
            content = .html
        } else {
            content = nil
        }
        switch (claimed, content) {
        case (nil, nil): return .format(.text)
        case (nil, let c?): return .format(c)
        case (let n?, nil):
            // A name claiming HTML over text content is read as HTML (a page without a doctype); a name
            // claiming a binary format over anything else is a lie.
            if n == .html || n == .text { return .format(n) }
            return .mismatch(claimed: n, extension: ext, actual: describe(bytes))
        case (let n?, let c?):
            if n == c || (n == .text && c == .html) { return .format(c) }
            return .mismatch(claimed: n, extension: ext, actual: Self.name(of: c))
        }
    }

    /// What `detect` found.
    public enum Detected: Equatable, Sendable {
        /// The input is in this format.
        case format(SourceFormat)
        /// The name's extension claims one format and the content is another: rejected, never guessed.
        case mismatch(claimed: SourceFormat, extension: String, actual: String)
        /// A container Assay does not read.
        case unsupported(String)

        /// The reason for a rejection; nil for `.format`.
        public var reason: String? {
            switch self {
            case .format: return nil
            case .mismatch(_, let ext, let actual):
                return "the file is named .\(ext) but its content is \(actual); rename it to match what it holds"
            case .unsupported(let what): return "the file is \(what)"
            }
        }
    }

    /// The lower-cased extension of `name`, without the dot; empty when there is none.
    static func `extension`(of name: String) -> String {
        let last = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return "" }
        return last[last.index(after: dot)...].lowercased()
    }

    /// The format an extension claims; nil for extensions that claim none (`.txt` claims text).
    static func claimedFormat(_ ext: String) -> SourceFormat? {
        switch ext {
        case "pdf": return .pdf
        case "docx": return .docx
        case "ofd": return .ofd
        case "html", "htm", "xhtml": return .html
        case "txt", "text": return .text
        default: return nil
        }
    }

    /// A format for a mismatch message: "a PDF", "a Word document (DOCX)".
    static func name(of format: SourceFormat) -> String {
        switch format {
        case .text: return "text"
        case .html: return "an HTML page"
        case .docx: return "a Word document (DOCX)"
        case .pdf: return "a PDF"
        case .ofd: return "an OFD document"
        }
    }

    /// What the content looks like, for a mismatch message: "text", "a PNG image", "a legacy Word (.doc) file".
    static func describe(_ bytes: [UInt8]) -> String {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "a PNG image" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "a JPEG image" }
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            return "a legacy Office file (.doc/.xls), which Assay does not read"
        }
        if bytes.starts(with: Array("{\\rtf".utf8)) { return "an RTF file" }
        if bytes.prefix(8192).contains(0) { return "binary data" }
        return "text"
    }
}
