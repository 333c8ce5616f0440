import AssayValues

/// A top-level or nested part of a bulletin, introduced by a heading (市审计局:…, 一、…, (一)…).
public struct Section: Sendable, Hashable, Codable {
    /// Names from the outermost section down to this one, e.g. ["市审计局"].
    public var path: [String]
    /// The heading as written, continuation lines joined by a space.
    public var title: String
    /// 1 for the outermost headings.
    public var level: Int
    /// The heading line(s).
    public var span: Span
    /// Scalar offsets from the heading to the start of the next section at the same or a higher level.
    public var body: Range<Int>
    /// Run-in numbered items (一是…) or numbered paragraphs directly inside this section.
    public var items: [NumberedItem]

    /// The section's own name: the last element of its path ("" for an empty path).
    public var name: String { path.last ?? "" }
}

/// A numbered paragraph inside a section: 一是…, 二是…, or a line opened by 1. / (1).
public struct NumberedItem: Sendable, Hashable, Codable {
    /// The marker as written, e.g. "三是".
    public var marker: String
    /// The numeral as written in the marker, used in section paths: "三".
    public var numeral: String
    /// The marker's value: 3 for 三是.
    public var ordinal: Int
    /// The marker itself.
    public var span: Span
    /// Scalar offsets covered by the item, up to the next item or the end of its section.
    public var body: Range<Int>
}

/// A sentence: text up to 。!?; or the end of a line, with closing quotes kept.
public struct Sentence: Sendable, Hashable {
    /// The scalar offsets the sentence covers.
    public var range: Range<Int>
}

/// A decoded bulletin cut into lines, sections, numbered items and sentences.
///
/// Immutable and `Sendable`; every later stage reads it and none changes it.
public struct Document: Sendable {
    /// The document's name, as given (the command line gives the file's last path component).
    public let name: String
    /// The decoded text with its encoding and the hash of its bytes.
    public let decoded: DecodedText
    /// Offset of the first scalar of each line.
    public let lineStarts: [Int]
    /// The portal metadata at the head, a dateline subtitle and closing contact lines: none is a section.
    public let metadata: DocumentMetadata
    /// The sections in document order, each before the sections nested in it.
    public let sections: [Section]
    /// The sentences in document order, not overlapping.
    public let sentences: [Sentence]
    /// Per section, the index of the section it is nested in (-1 at the top); empty when the sections are
    /// not in order of their starts or do not nest, and `innermostSection` then looks at every section.
    let sectionParents: [Int]

    /// The decoded scalars; every offset and span counts in these.
    public var scalars: [Unicode.Scalar] { decoded.scalars }
    /// The scalars with full-width ASCII forms folded (see `DecodedText.folded`).
    public var folded: [Unicode.Scalar] { decoded.folded }
    /// The whole text as a String (built on each call).
    public var text: String { decoded.string }
    /// The number of scalars in the document.
    public var count: Int { decoded.scalars.count }

    /// Segments a decoded bulletin: lines, metadata, sections with their numbered items, and sentences.
    public init(name: String, decoded: DecodedText) {
        self.init(name: name, decoded: decoded, stop: { false })
    }

    /// As `init(name:decoded:)`, asking `stop` between its steps and every `Segmenter.stopEvery` lines and
    /// sentences; once it says so, segmenting ends early and the document is incomplete (the pipeline then
    /// throws `OverBudget` and drops it).
    package init(name: String, decoded: DecodedText, stop: () -> Bool) {
        self.name = name
        self.decoded = decoded
        let lineStarts = Segmenter.lineStarts(decoded.scalars)
        self.lineStarts = lineStarts
        let metadata = DocumentMetadata.read(decoded.folded, lines: Segmenter.lines(decoded.folded, lineStarts))
        self.metadata = metadata
        let sections =
            stop()
            ? []
            : Segmenter.sections(
                decoded.folded, original: decoded.scalars, lineStarts: lineStarts, metadata: metadata,
                marked: decoded.source.headings, stop: stop)
        self.sections = sections
        self.sentences = stop() ? [] : Segmenter.sentences(decoded.folded, stop: stop)
        self.sectionParents = stop() ? [] : Self.parents(of: sections)
    }

    /// Each section's enclosing section (-1 for none), or [] unless the sections start in order and every
    /// body lies wholly inside the enclosing one or after it.
    static func parents(of sections: [Section]) -> [Int] {
        var parents = [Int]()
        parents.reserveCapacity(sections.count)
        var stack = [Int]()
        for (i, s) in sections.enumerated() {
            if i > 0, sections[i - 1].body.lowerBound > s.body.lowerBound { return [] }
            while let top = stack.last, sections[top].body.upperBound <= s.body.lowerBound { stack.removeLast() }
            if let top = stack.last, sections[top].body.upperBound < s.body.upperBound { return [] }
            parents.append(stack.last ?? -1)
            stack.append(i)
        }
        return parents
    }

    /// The text of a scalar range.
    public func text(_ range: Range<Int>) -> String {
        ScalarText.string(decoded.scalars[max(0, range.lowerBound)..<min(count, range.upperBound)])
    }

    /// A span for a scalar range, with its 1-based line and column.
    public func span(_ range: Range<Int>) -> Span {
        Self.span(range, lineStarts: lineStarts)
    }

    /// The span of a scalar range: its 1-based line and column found by binary search of `lineStarts`
    /// (which must be non-empty and ascending).
    package static func span(_ range: Range<Int>, lineStarts: [Int]) -> Span {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= range.lowerBound { lo = mid } else { hi = mid - 1 }
        }
        return Span(
            line: lo + 1, column: range.lowerBound - lineStarts[lo] + 1,
            offset: range.lowerBound, length: range.count)
    }

    /// The innermost section path at an offset, ending with the numbered item's numeral when inside one.
    public func sectionPath(at offset: Int) -> [String] {
        guard let section = innermostSection(at: offset) else { return [] }
        // Items follow one another without overlap: the one that starts last at or before the offset.
        let items = section.items
        var lo = 0
        var hi = items.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid].body.lowerBound <= offset { lo = mid + 1 } else { hi = mid }
        }
        if lo > 0, items[lo - 1].body.contains(offset) { return section.path + [items[lo - 1].numeral] }
        return section.path
    }

    /// The innermost section whose body contains the offset; nil before the first heading. Found by binary
    /// search over the section starts and then outwards through the enclosing sections.
    public func innermostSection(at offset: Int) -> Section? {
        guard sectionParents.count == sections.count else { return sections.last { $0.body.contains(offset) } }
        var lo = 0
        var hi = sections.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sections[mid].body.lowerBound <= offset { lo = mid + 1 } else { hi = mid }
        }
        var k = lo - 1
        while k >= 0, !sections[k].body.contains(offset) { k = sectionParents[k] }
        return k >= 0 ? sections[k] : nil
    }

    /// The sentence containing an offset.
    public func sentence(at offset: Int) -> Sentence? {
        var lo = 0
        var hi = sentences.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = sentences[mid].range
            if r.contains(offset) { return sentences[mid] }
            if offset < r.lowerBound { hi = mid - 1 } else { lo = mid + 1 }
        }
        return nil
    }

    /// The sentence around `range` as a report quotes it: the whole sentence when it has at most
    /// `quoteLimit` scalars, else the `quoteRadius` scalars either side of `range` (within the sentence) with
    /// … where they are cut; nil when `range` starts in no sentence.
    ///
    /// Why a bound: every finding quotes its evidence's sentence, and a bulletin converted without line breaks
    /// can be one sentence of megabytes with thousands of findings in it (deadlines, figures): whole, the
    /// quotes grew as the square of the text (12 s and gigabytes at 100 KB of 于2021年6月底前完成，). The
    /// longest sentence of the test corpus has under 500 scalars, so no report of it changes.
    public func quotedSentence(around range: Range<Int>) -> String? {
        guard let sentence = sentence(at: range.lowerBound)?.range else { return nil }
        guard sentence.count > Self.quoteLimit else { return text(sentence) }
        let a = max(sentence.lowerBound, range.lowerBound - Self.quoteRadius)
        let b = min(sentence.upperBound, max(range.upperBound, range.lowerBound) + Self.quoteRadius)
        return (a > sentence.lowerBound ? "…" : "") + text(a..<max(a, b)) + (b < sentence.upperBound ? "…" : "")
    }

    /// Sentences longer than this are quoted in part (`quotedSentence(around:)`).
    public static let quoteLimit = 2000
    /// Scalars quoted either side of the evidence in a long sentence.
    public static let quoteRadius = 500

    /// Whether a phrase occurs inside a scalar range (no allocation: selectors ask this per fact).
    /// Full-width and ASCII forms match each other (`联系电话：` finds `联系电话:`).
    public func contains(_ phrase: String, in range: Range<Int>) -> Bool {
        let needle = phrase.unicodeScalars.lazy.map(ScalarText.foldWidth)
        guard let first = needle.first else { return true }
        let s = decoded.folded
        let length = needle.count
        guard length <= range.count else { return false }
        var i = range.lowerBound
        let last = range.upperBound - length
        outer: while i <= last {
            if s[i] != first { i += 1; continue }
            var k = i
            for c in needle {
                if s[k] != c { i += 1; continue outer }
                k += 1
            }
            return true
        }
        return false
    }

    /// Every non-overlapping occurrence of a phrase inside a scalar range, as scalar ranges.
    /// Full-width and ASCII forms match each other.
    public func occurrences(of phrase: String, in range: Range<Int>? = nil) -> [Range<Int>] {
        let needle = ScalarText.foldWidth(phrase)
        let r = range ?? 0..<count
        var out = [Range<Int>]()
        var from = r.lowerBound
        while let i = ScalarText.firstIndex(of: needle, in: decoded.folded, range: from..<r.upperBound) {
            out.append(i..<(i + needle.count))
            from = i + needle.count
        }
        return out
    }

    /// The line (1-based) as text, without its line break.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lineStarts.count else { return "" }
        return text(lineRange(number))
    }

    /// The scalar range of a line (1-based, which must exist), without its line break.
    func lineRange(_ number: Int) -> Range<Int> {
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] : count
        while end > start, decoded.scalars[end - 1] == "\n" || decoded.scalars[end - 1] == "\r" { end -= 1 }
        return start..<end
    }
}
