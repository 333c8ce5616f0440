/// The format a bulletin arrived in. Every format is converted to the same decoded text, so extraction,
/// rules and reports do not know it; the report names it and evidence gives pages where it has them.
public enum SourceFormat: String, Sendable, Codable, CaseIterable {
    /// Plain text (UTF-8, UTF-16 or GB18030).
    case text
    /// A page saved from a web portal.
    case html
    /// A Word document (Office Open XML).
    case docx
    /// A PDF, its text layer read by poppler, pages without one by OCR where installed.
    case pdf
    /// An OFD document (GB/T 33190), China's format for electronic documents.
    case ofd
}

/// Where the decoded text came from, beyond its encoding: the format, the page each span is on, which pages
/// were read by OCR, the metadata the converter found and what it left out. Plain text has no pages.
public struct SourceMap: Sendable, Equatable {
    /// A metadata field the converter read from the file (a Word document's title, a portal page's 发布日期).
    public struct Field: Sendable, Hashable {
        /// The field's name as the file gives it (`title`, `发布日期`, `索引号`).
        public var key: String
        /// Its value, white space trimmed.
        public var value: String

        /// A field.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The format the bytes were in.
    public var format: SourceFormat
    /// The scalar offset in the decoded text where each page begins, page 1 first (always 0), ascending;
    /// empty for formats without pages.
    public var pageStarts: [Int]
    /// The pages (1-based, ascending) whose text was read by OCR from an image, not from a text layer.
    public var ocrPages: [Int]
    /// Metadata read from the file, in the order found.
    public var metadata: [Field]
    /// What the conversion left out or how it read the file, for the report ("2 comments left out").
    public var notes: [String]
    /// Lines the file marks as headings (a Word heading style or outline level): 1-based
    /// line number of the text → outline level (1 is the top).
    public var headings: [Int: Int] = [:]

    /// A source map; plain text unless told otherwise.
    public init(
        format: SourceFormat = .text, pageStarts: [Int] = [], ocrPages: [Int] = [], metadata: [Field] = [],
        notes: [String] = [], headings: [Int: Int] = [:]
    ) {
        self.headings = headings
        self.format = format
        self.pageStarts = pageStarts
        self.ocrPages = ocrPages
        self.metadata = metadata
        self.notes = notes
    }

    /// The source map of a plain text file.
    public static let plainText = SourceMap()

    /// The 1-based page holding the scalar at `offset`; nil when the format has no pages.
    public func page(at offset: Int) -> Int? {
        guard !pageStarts.isEmpty else { return nil }
        var lo = 0
        var hi = pageStarts.count
        // The last page start at or before the offset.
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if pageStarts[mid] <= offset { lo = mid } else { hi = mid }
        }
        return lo + 1
    }

    /// Whether the scalar at `offset` was read by OCR.
    public func readByOCR(at offset: Int) -> Bool {
        guard !ocrPages.isEmpty, let page = page(at: offset) else { return false }
        return ocrPages.contains(page)
    }

    /// The value of the first metadata field named `key`.
    public func field(_ key: String) -> String? { metadata.first { $0.key == key }?.value }
}
