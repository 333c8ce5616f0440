import AssayValues

/// What every converter yields, whatever the format: the text, one block (heading, paragraph, list item,
/// table row with cells separated by tabs) per line, and the source map saying which page each part is on,
/// which pages were read by OCR, the file's metadata and what was left out. The pipeline decodes this text
/// like any other, so extraction, rules and reports do not know the format.
public struct ConvertedText: Sendable {
    /// The text, lines separated by `\n`, ending with one.
    public var text: String
    /// Where the text came from; `pageStarts` count scalars of `text`.
    public var source: SourceMap

    /// A converted text.
    public init(text: String, source: SourceMap) {
        self.text = text
        self.source = source
    }

    /// Builds a converted text line by line and page by page, counting scalars for the page starts.
    public struct Builder {
        private var lines = [String]()
        private var scalars = 0
        /// The source map so far; set its metadata and notes directly.
        public var source: SourceMap

        /// A builder for a file of `format`.
        public init(format: SourceFormat) {
            source = SourceMap(format: format)
        }

        /// Starts a new page: the lines appended from now on are on it. `ocr` marks it as read by OCR.
        public mutating func startPage(ocr: Bool = false) {
            source.pageStarts.append(scalars)
            if ocr { source.ocrPages.append(source.pageStarts.count) }
        }

        /// Appends a line; surrounding white space is trimmed, line breaks inside become spaces and an empty
        /// line is skipped. `heading` is the outline level (1 is the top) when the file marks it a heading.
        public mutating func append(line: String, heading: Int? = nil) {
            var t = line.unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : Character($0) }.reduce(into: "") {
                $0.append($1)
            }
            t = t.trimmingWhiteSpace()
            guard !t.isEmpty else { return }
            lines.append(t)
            if let heading { source.headings[lines.count] = heading }
            scalars += t.unicodeScalars.count + 1
        }

        /// The number of lines appended so far.
        public var lineCount: Int { lines.count }

        /// The converted text; empty text when no line was appended (the caller says why that is a failure).
        public func build() -> ConvertedText {
            ConvertedText(text: lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n", source: source)
        }
    }
}

extension String {
    /// The string without leading and trailing white space (spaces, tabs, no-break and ideographic spaces).
    func trimmingWhiteSpace() -> String {
        let s = unicodeScalars
        guard let first = s.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = s.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(s[first...last])
    }
}

/// What a converter may use: bytes decompressed from a container are counted against `maxBytes` (a zip
/// bomb stops there), and an external converter is stopped at `timeLimit`.
public struct ConversionLimits: Sendable {
    /// The most bytes a converter may decompress or read out of the file in all (the daemon's `max_bytes`).
    public var maxBytes: Int
    /// The longest an external converter (poppler, tesseract) may run, in all.
    public var timeLimit: Duration
    /// Whether pages without a text layer may be read by OCR when tesseract is installed.
    public var ocr: Bool

    /// Limits: 16 MiB, 60 s, OCR allowed, unless given.
    public init(maxBytes: Int = 16 * 1024 * 1024, timeLimit: Duration = .seconds(60), ocr: Bool = true) {
        self.maxBytes = maxBytes
        self.timeLimit = timeLimit
        self.ocr = ocr
    }
}

/// Why a file could not be converted: the reason for the rejection, naming the format and where it failed.
public struct ConversionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reason, for people ("DOCX: the zip archive is truncated (…)").
    public var description: String

    /// A failure with its reason.
    public init(_ description: String) {
        self.description = description
    }
}
