import AssayValues

/// Cuts decoded text into lines, sections, numbered items and sentences. Pure functions over scalars.
///
/// Headings recognised, outermost first:
/// - a unit heading: a short line whose first clause ends in a colon (市审计局:双向发力), with any
///   short title lines after it;
/// - a numbered heading line: 一、… ;
/// - a parenthesised heading line: (一)… or (一)… .
/// Numbered items are run-in markers at the start of a paragraph (一是, 二是…), long paragraphs opened
/// by 一、, and lines opened by 1. / 1、 / (1). A footer line (原标题:, 【免责声明】, 责任编辑:) closes
/// every open section, so its figures have an empty section path. Metadata lines (a portal's head
/// block, a dateline subtitle, closing contact lines: `DocumentMetadata`) are never headings; a line
/// whose name is a contact key (监督电话：…) is no unit heading anywhere.
package enum Segmenter {
    /// The offset of the first scalar of each line (a line ends after "\n"; the first starts at 0).
    package static func lineStarts(_ s: [Unicode.Scalar]) -> [Int] {
        var starts = [0]
        for i in 0..<s.count where s[i] == "\n" && i + 1 < s.count {
            starts.append(i + 1)
        }
        return starts
    }

    static let footerPrefixes = ["原标题", "【免责声明】", "免责声明", "责任编辑", "编辑:", "编辑:", "来源:", "来源:", "(来源", "(来源"]
    static let notHeadingNames: Set<String> = [
        "原标题", "来源", "责任编辑", "编辑", "作者", "记者", "通讯员", "电话",
        "联系电话", "举报电话", "地址", "通信地址", "邮编", "邮政编码", "电子邮箱", "邮箱",
        "传真", "网址", "附件", "注", "备注", "说明", "主题词", "抄送", "Email", "E-mail",
    ]

    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\u{3000}" || c == "\u{A0}" || c == "\r"
    }

    static func isColon(_ c: Unicode.Scalar) -> Bool { c == ":" }

    static func isClausePunct(_ c: Unicode.Scalar) -> Bool {
        "。,,;;!!??".unicodeScalars.contains(c)
    }

    struct Line {
        var start: Int  // first non-space scalar
        var end: Int  // before the line break
        var lineStart: Int  // first scalar of the line
    }

    enum Heading {
        case unit(name: String)
        case numbered(name: String, rank: Int)
    }

    static func lines(_ s: [Unicode.Scalar], _ starts: [Int]) -> [Line] {
        starts.enumerated().map { i, start in
            var end = i + 1 < starts.count ? starts[i + 1] : s.count
            while end > start, s[end - 1] == "\n" || s[end - 1] == "\r" { end -= 1 }
            var first = start
            while first < end, isSpace(s[first]) { first += 1 }
            return Line(start: first, end: end, lineStart: start)
        }
    }

    static func string(_ s: [Unicode.Scalar], _ r: Range<Int>) -> String { ScalarText.string(s[r]) }

    static func hasPrefix(_ s: [Unicode.Scalar], _ at: Int, _ end: Int, _ prefix: String) -> Bool {
        var i = at
        for p in prefix.unicodeScalars {
            guard i < end, s[i] == p else { return false }
            i += 1
        }
        return true
    }

    static func isFooter(_ s: [Unicode.Scalar], _ line: Line) -> Bool {
        footerPrefixes.contains { hasPrefix(s, line.start, line.end, $0) } || isDateLine(s, line)
    }

    /// A line holding only a date (2021年1月5日, 2021-01-05): the signature date that closes a notice.
    static func isDateLine(_ s: [Unicode.Scalar], _ line: Line) -> Bool {
        var digits = 0
        var marks = 0
        for i in line.start..<line.end {
            let c = s[i]
            if ScalarText.digit(c) != nil || c == "〇" || ChineseNumeral.digit(c) != nil || c == "十" {
                digits += 1
            } else if c == "年" || c == "月" || c == "日" || c == "-" || c == "." || c == "/" {
                marks += 1
            } else if !isSpace(c) {
                return false
            }
        }
        return digits >= 5 && marks >= 2
    }

    /// A Chinese numeral run starting at `i`: its end and value.
    static func numeral(_ s: [Unicode.Scalar], _ i: Int, _ end: Int) -> (end: Int, value: Int)? {
        var j = i
        while j < end, j - i < 4, ChineseNumeral.isNumeralScalar(s[j]) { j += 1 }
        guard j > i, let v = ChineseNumeral.value(s[i..<j]) else { return nil }
        return (j, v)
    }

    static func heading(_ s: [Unicode.Scalar], _ line: Line) -> Heading? {
        let length = line.end - line.start
        guard length >= 3 else { return nil }
        // 一、标题  (short, no full stop inside)
        if let n = numeral(s, line.start, line.end), n.end < line.end, s[n.end] == "、", length <= 40,
            !s[n.end..<line.end].contains(where: { $0 == "。" || $0 == ";" || $0 == ";" })
        {
            return .numbered(name: string(s, line.start..<trimmedEnd(s, line)), rank: 1)
        }
        // (一)标题
        if s[line.start] == "(",
            let n = numeral(s, line.start + 1, line.end), n.end < line.end, s[n.end] == ")",
            length <= 40, !s[n.end..<line.end].contains(where: { $0 == "。" })
        {
            return .numbered(name: string(s, line.start..<trimmedEnd(s, line)), rank: 2)
        }
        // 市审计局:双向发力
        guard length <= 40 else { return nil }
        var colon: Int? = nil
        for i in line.start..<line.end {
            if isColon(s[i]) { colon = i; break }
            if isClausePunct(s[i]) { return nil }
        }
        guard let c = colon, c - line.start >= 2, c - line.start <= 16, c + 1 < line.end else { return nil }
        if s[(c + 1)..<line.end].contains(where: { $0 == "。" }) { return nil }
        let name = string(s, line.start..<c).trimming()
        if notHeadingNames.contains(name) || DocumentMetadata.isContactName(name) { return nil }
        if name.unicodeScalars.allSatisfy({ ($0.value < 0x80) }) { return nil }  // "Note:", "Tel:" …
        return .unit(name: name)
    }

    /// A line the file marks as a heading (a Word heading style or outline level, `SourceMap.headings`) that
    /// carries no numbering of its own: a heading of rank `level` (at most 3), when it reads like one — not
    /// the first line (the document's title), at most 40 characters, no full stop inside.
    static func markedHeading(_ s: [Unicode.Scalar], _ line: Line, number: Int, marked: [Int: Int]) -> Heading? {
        guard number > 1, let level = marked[number], line.end - line.start <= 40,
            !s[line.start..<line.end].contains(where: { $0 == "。" })
        else { return nil }
        return .numbered(name: string(s, line.start..<trimmedEnd(s, line)), rank: min(max(level, 1), 3))
    }

    static func trimmedEnd(_ s: [Unicode.Scalar], _ line: Line) -> Int {
        var e = line.end
        while e > line.start, isSpace(s[e - 1]) || s[e - 1] == ":" { e -= 1 }
        return e
    }

    /// A short title line following a unit heading: no clause punctuation, not numbered.
    static func isTitleContinuation(_ s: [Unicode.Scalar], _ line: Line) -> Bool {
        let length = line.end - line.start
        guard length >= 2, length <= 30 else { return false }
        if s[line.start..<line.end].contains(where: isClausePunct) { return false }
        return item(s, line) == nil
    }

    /// A numbered item marker opening a line: (numeral as written, value, marker end).
    static func item(_ s: [Unicode.Scalar], _ line: Line) -> (numeral: String, value: Int, end: Int)? {
        let i = line.start
        if let n = numeral(s, i, line.end), n.end < line.end {
            if s[n.end] == "是" { return (string(s, i..<n.end), n.value, n.end + 1) }
            if s[n.end] == "、" { return (string(s, i..<n.end), n.value, n.end + 1) }
        }
        if hasPrefix(s, i, line.end, "第"), let n = numeral(s, i + 1, line.end), n.end < line.end,
            s[n.end] == "," || s[n.end] == "、" || s[n.end] == "是"
        {
            return (string(s, (i + 1)..<n.end), n.value, n.end + 1)
        }
        // 1. 1、 (1) (1)
        var j = i
        var open = false
        if j < line.end, s[j] == "(" { open = true; j += 1 }
        var v = 0
        let digitsStart = j
        while j < line.end, j - digitsStart < 3, let d = ScalarText.digit(s[j]) { v = v * 10 + d; j += 1 }
        guard j > digitsStart, j < line.end else { return nil }
        if open {
            guard s[j] == ")" else { return nil }
        } else {
            guard s[j] == "、" || (s[j] == "." && j + 1 < line.end && ScalarText.digit(s[j + 1]) == nil) || s[j] == "."
            else { return nil }
        }
        return (string(s, digitsStart..<j), v, j + 1)
    }

    /// `s` is what headings and items are recognised in (the folded scalars, so `（一）` and `市审计局：`
    /// are headings); titles and markers are cut from `original`, as the bulletin wrote them.
    ///
    /// Metadata lines (`DocumentMetadata`) are no headings and no items: the head block and the dateline
    /// are passed over, a closing contact line closes every open section like a footer.
    static func sections(
        _ s: [Unicode.Scalar], original shown: [Unicode.Scalar], lineStarts: [Int],
        metadata: DocumentMetadata = DocumentMetadata(), marked: [Int: Int] = [:], stop: () -> Bool = { false }
    ) -> [Section] {
        let all = lines(s, lineStarts)
        var places = [Int: DocumentMetadata.Place]()
        for m in metadata.lines { places[m.line - 1] = m.place }
        struct Open { var index: Int; var rank: Int }
        var result = [Section]()
        var stack = [Open]()
        var lastWasUnitHeading = false

        func close(from rank: Int, at offset: Int) {
            while let top = stack.last, top.rank >= rank {
                result[top.index].body = result[top.index].body.lowerBound..<offset
                if let last = result[top.index].items.indices.last {
                    let item = result[top.index].items[last]
                    result[top.index].items[last].body = item.body.lowerBound..<min(item.body.upperBound, offset)
                }
                stack.removeLast()
            }
        }

        for (k, line) in all.enumerated() where line.end > line.start {
            if k % stopEvery == stopEvery - 1, stop() { break }
            if let place = places[k] {
                if place == .contact { close(from: 0, at: line.lineStart) }
                lastWasUnitHeading = false
                continue
            }
            if isFooter(s, line) {
                close(from: 0, at: line.lineStart)
                lastWasUnitHeading = false
                continue
            }
            if lastWasUnitHeading, let top = stack.last, result[top.index].items.isEmpty,
                result[top.index].span.end == line.lineStart - 1 || result[top.index].span.end == line.lineStart - 2,
                isTitleContinuation(s, line)
            {
                result[top.index].title += " " + string(shown, line.start..<line.end)
                let span = result[top.index].span
                result[top.index].span = Document.span(span.offset..<line.end, lineStarts: lineStarts)
                continue
            }
            lastWasUnitHeading = false
            if let h = heading(s, line) ?? markedHeading(s, line, number: k + 1, marked: marked) {
                let (name, rank): (String, Int)
                switch h {
                case .unit(let n): (name, rank) = (n, 0); lastWasUnitHeading = true
                case .numbered(let n, let r): (name, rank) = (n, r)
                }
                close(from: rank, at: line.lineStart)
                let parentPath = stack.last.map { result[$0.index].path } ?? []
                result.append(
                    Section(
                        path: parentPath + [name], title: string(shown, line.start..<line.end),
                        level: stack.count + 1,
                        span: Document.span(line.start..<line.end, lineStarts: lineStarts),
                        body: line.lineStart..<s.count, items: []))
                stack.append(Open(index: result.count - 1, rank: rank))
                continue
            }
            if let top = stack.last, let m = item(s, line) {
                // In place: a copy of the items array per item would make a long section quadratic.
                if let last = result[top.index].items.indices.last {
                    let body = result[top.index].items[last].body
                    result[top.index].items[last].body = body.lowerBound..<line.lineStart
                }
                result[top.index].items.append(
                    NumberedItem(
                        marker: string(shown, line.start..<m.end).trimming("、.\u{FF0E}"),
                        numeral: m.numeral, ordinal: m.value,
                        span: Document.span(line.start..<m.end, lineStarts: lineStarts),
                        body: line.start..<result[top.index].body.upperBound))
            }
        }
        return result
    }

    @inline(__always) static func isSentenceEnd(_ c: Unicode.Scalar) -> Bool {
        switch c {
        // Folded scalars: the full-width ！？； arrive as ASCII.
        case "。", "!", "?", ";", "\n": return true
        default: return false
        }
    }

    @inline(__always) static func isCloser(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "”", "’", "」", "』", ")", "\"", "'", "》": return true
        default: return false
        }
    }

    /// How many lines (sections) or sentences are cut between two questions to `stop`.
    static let stopEvery = 4096

    /// The sentences of `s`; when `stop` (asked every `stopEvery` sentences) says so, the ones cut so far.
    static func sentences(_ s: [Unicode.Scalar], stop: () -> Bool = { false }) -> [Sentence] {
        var out = [Sentence]()
        var start = 0
        var i = 0
        func emit(_ end: Int) {
            var a = start
            var b = end
            while a < b, isSpace(s[a]) || s[a] == "\n" { a += 1 }
            while b > a, isSpace(s[b - 1]) || s[b - 1] == "\n" { b -= 1 }
            if b > a { out.append(Sentence(range: a..<b)) }
        }
        while i < s.count {
            if isSentenceEnd(s[i]) {
                if out.count % stopEvery == stopEvery - 1, stop() { return out }
                var end = i + 1
                if s[i] != "\n" { while end < s.count, isCloser(s[end]) { end += 1 } }
                emit(end)
                start = end
                i = end
            } else {
                i += 1
            }
        }
        if start < s.count { emit(s.count) }
        return out
    }
}
