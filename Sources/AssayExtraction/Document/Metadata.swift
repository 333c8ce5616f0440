import AssayValues

/// The lines around a bulletin that describe the document rather than belong to its text: a portal's
/// metadata block at the head (索引号：…, 发布机构：…, 发布日期：2024-03-15, `日期:2024-03-15 来源:某某网`,
/// 浏览量：…, 字号：大 中 小, 分享到：), a dateline subtitle under the title of a report to a 人大常委会
/// (——2024年12月20日在…会议上, or in brackets), and the contact lines that close a bulletin
/// (监督电话：…, 邮政信箱…, 电子邮箱：…). None of them is a section: the segmenter skips the head lines and
/// the dateline, and a closing contact line closes every open section like a footer.
///
/// Where each is looked for:
/// - head lines and the dateline only in the document's head: its first lines up to the first line
///   that is neither metadata nor title-like (short, with no sentence-ending punctuation), at most
///   `headLimit` non-empty lines. So a metadata line right under the title counts too.
/// - contact lines only in the closing block: the last lines, read backwards while each is a contact
///   line, a footer (原标题:, 来源:…), a date alone (the signature date) or a short signature line.
public struct DocumentMetadata: Sendable, Hashable {
    /// Where in the document a metadata line sits.
    public enum Place: String, Sendable, Hashable {
        /// A key-colon-value line of a portal's metadata block at the head.
        case head
        /// A dateline subtitle: ——2024年12月20日在…会议上.
        case dateline
        /// A contact line at the end: 监督电话：…, 邮政信箱…, 电子邮箱：….
        case contact
    }

    /// One key and its value on a metadata line.
    public struct Field: Sendable, Hashable {
        /// The key as written (发布日期, Published).
        public var key: String
        /// Scalar offsets of the value, trimmed of spaces (empty for 分享到：).
        public var value: Range<Int>
    }

    /// One metadata line.
    public struct Line: Sendable, Hashable {
        /// Whether the line is a head metadata line, a dateline or a closing contact line.
        public var place: Place
        /// 1-based line number.
        public var line: Int
        /// Scalar offsets of the line's text, from its first non-space scalar to its end.
        public var range: Range<Int>
        /// Its keys and values, in order (none for a dateline).
        public var fields: [Field]
    }

    /// The metadata lines found, in document order.
    public var lines: [Line]

    /// Metadata made of the given lines (none by default).
    public init(lines: [Line] = []) { self.lines = lines }

    /// The metadata line with this 1-based number, if the line is one.
    public func line(_ number: Int) -> Line? {
        lines.first { $0.line == number }
    }

    /// The first field with this key (compared after folding full-width forms, ASCII case-insensitively)
    /// on a line of the given place.
    public func field(_ key: String, in place: Place = .head) -> Field? {
        let wanted = Self.normalisedKey(key)
        for line in lines where line.place == place {
            if let f = line.fields.first(where: { Self.normalisedKey($0.key) == wanted }) { return f }
        }
        return nil
    }

    /// Keys of a portal's metadata block. Matched at a line start (or after a space on the same line)
    /// and followed by a colon.
    static let headKeys: [String] = [
        "索引号", "发布机构", "发文机关", "发文机构", "发布单位", "发文单位", "发布部门", "所属机构", "主办单位",
        "主题分类", "主题词", "体裁分类", "组配分类", "服务对象分类", "信息分类", "信息类别", "公开方式",
        "公开范围", "公开时限", "公开形式", "公开属性", "有效性", "文号", "发文字号", "字号", "字体", "标题",
        "名称", "成文日期", "发布日期", "发布时间", "发文日期", "发稿时间", "印发日期", "生效日期", "更新时间",
        "更新日期", "日期", "时间", "来源", "信息来源", "文章来源", "稿件来源", "作者", "编辑", "责任编辑",
        "审核", "浏览量", "浏览次数", "访问量", "访问次数", "阅读量", "阅读次数", "阅读数", "点击量", "点击数",
        "点击次数", "分享到", "分享", "打印",
        "Published", "Publication date", "Date", "Source", "Author", "Views",
    ].sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }

    /// Keys of a closing contact line.
    static let contactKeys: [String] = [
        "监督电话", "联系电话", "举报电话", "咨询电话", "受理电话", "值班电话", "监督举报电话", "电话", "手机",
        "传真", "邮政信箱", "举报信箱", "来信地址", "通信地址", "通讯地址", "邮寄地址", "地址", "邮编",
        "邮政编码", "电子邮箱", "电子信箱", "电子邮件", "举报邮箱", "监督邮箱", "邮箱", "网上举报", "举报网址",
        "网址", "联系人", "联系方式",
        "Tel", "Telephone", "Phone", "Fax", "Email", "E-mail", "Address",
    ].sorted { $0.unicodeScalars.count > $1.unicodeScalars.count }

    /// Contact keys that may be followed directly by their value, without a colon (邮政信箱重庆市…).
    static let contactKeysWithoutColon: Set<String> = ["邮政信箱", "举报信箱", "来信地址", "通信地址", "通讯地址"]

    /// A contact key may go without its colon before a digit or a Latin letter (监督电话0831-…,
    /// 电子邮箱abc@…), and the postal ones before anything (邮政信箱重庆市…).
    static func contactColonOptional(_ key: String, _ next: Unicode.Scalar) -> Bool {
        if contactKeysWithoutColon.contains(key) { return true }
        if key.unicodeScalars.allSatisfy(\.isASCII) { return ScalarText.digit(next) != nil }
        return ScalarText.digit(next) != nil || (next.isASCII && next.properties.isAlphabetic)
    }

    /// How many non-empty lines the head may hold.
    static let headLimit = 15
    /// How many non-empty lines the closing block may hold.
    static let tailLimit = 12

    /// An ASCII capital as its small letter; any other scalar unchanged.
    @inline(__always) package static func lower(_ c: Unicode.Scalar) -> Unicode.Scalar {
        c.value >= 0x41 && c.value <= 0x5A ? Unicode.Scalar(UInt8(c.value + 0x20)) : c
    }

    /// A key with full-width forms folded and ASCII letters small, for comparing keys.
    static func normalisedKey(_ key: String) -> String {
        String(String.UnicodeScalarView(key.unicodeScalars.map { lower(ScalarText.foldWidth($0)) }))
    }

    static let normalisedContactKeys = Set(contactKeys.map(normalisedKey))

    /// Whether a section name is a contact key or ends like one (监督电话, 举报邮箱): such a line is
    /// never a unit heading, wherever it stands.
    static func isContactName(_ name: String) -> Bool {
        if normalisedContactKeys.contains(normalisedKey(name)) { return true }
        return ["电话", "信箱", "邮箱", "传真", "邮编", "网址"].contains { name.hasSuffix($0) }
    }

    /// Finds the metadata lines of a document. `s` are the folded scalars (`：` is `:`).
    static func read(_ s: [Unicode.Scalar], lines all: [Segmenter.Line]) -> DocumentMetadata {
        var found = [Line]()
        // The head.
        var nonEmpty = 0
        for (k, line) in all.enumerated() where line.end > line.start {
            nonEmpty += 1
            if nonEmpty > headLimit { break }
            if isMetadataLike(s, line, place: .head),
                let fields = fields(s, line, keys: headKeys, colonOptional: { _, _ in false }),
                hasNoClause(s, fields)
            {
                found.append(Line(place: .head, line: k + 1, range: line.start..<line.end, fields: fields))
                continue
            }
            if isDateline(s, line) {
                found.append(Line(place: .dateline, line: k + 1, range: line.start..<line.end, fields: []))
                continue
            }
            if isTitleLike(s, line) { continue }
            break
        }
        // The closing block, read backwards.
        let headLines = Set(found.map(\.line))
        var tail = [Line]()
        var seen = 0
        for k in stride(from: all.count - 1, through: 0, by: -1) where all[k].end > all[k].start {
            let line = all[k]
            seen += 1
            if seen > tailLimit || headLines.contains(k + 1) { break }
            if isMetadataLike(s, line, place: .contact),
                let fields = fields(s, line, keys: contactKeys, colonOptional: contactColonOptional)
            {
                tail.append(Line(place: .contact, line: k + 1, range: line.start..<line.end, fields: fields))
                continue
            }
            if Segmenter.isFooter(s, line) || isSignature(s, line) { continue }
            break
        }
        return DocumentMetadata(lines: found + tail.reversed())
    }

    /// The key from `keys` (sorted longest first) that the line has at `i`, ASCII letters compared
    /// case-insensitively.
    package static func key(_ s: [Unicode.Scalar], at i: Int, end: Int, keys: [String]) -> String? {
        outer: for key in keys {
            var j = i
            for c in key.unicodeScalars {
                guard j < end, lower(s[j]) == lower(c) else { continue outer }
                j += 1
            }
            // An ASCII key must end a word: "Dated:" is not "Date".
            if key.unicodeScalars.last!.isASCII, j < end, s[j].isASCII, s[j].properties.isAlphabetic { continue }
            return key
        }
        return nil
    }

    /// The fields of a line that opens with one of `keys` and a colon; nil when the line does not open
    /// so. `colonOptional(key, next)` says whether a key may go without its colon before the scalar `next`
    /// (邮政信箱重庆市…, 监督电话0831-…).
    ///
    /// A value runs to the next key that follows a space or a separator (；，、|) and is itself followed
    /// by a colon (or may go without): `日期:2024-03-15 来源:某某网` is two fields.
    static func fields(
        _ s: [Unicode.Scalar], _ line: Segmenter.Line, keys: [String],
        colonOptional: (String, Unicode.Scalar) -> Bool
    ) -> [Field]? {
        // A key, optional spaces and a colon at `i`: where the key ends and where its value starts.
        func opening(at i: Int) -> (keyEnd: Int, valueStart: Int)? {
            guard let key = key(s, at: i, end: line.end, keys: keys) else { return nil }
            let keyEnd = i + key.unicodeScalars.count
            var j = keyEnd
            while j < line.end, Segmenter.isSpace(s[j]) { j += 1 }
            if j < line.end, s[j] == ":" {
                j += 1
            } else if !(j < line.end && colonOptional(key, s[j])) {
                return nil
            }
            while j < line.end, Segmenter.isSpace(s[j]) { j += 1 }
            return (keyEnd, j)
        }
        guard let first = opening(at: line.start) else { return nil }
        var result = [Field]()
        var keyStart = line.start
        var current = first
        var i = first.valueStart
        while i < line.end {
            let c = s[i]
            guard Segmenter.isSpace(c) || c == ";" || c == "," || c == "、" || c == "|" else { i += 1; continue }
            var j = i + 1
            while j < line.end, Segmenter.isSpace(s[j]) { j += 1 }
            if j < line.end, let next = opening(at: j) {
                result.append(
                    Field(
                        key: ScalarText.string(s[keyStart..<current.keyEnd]),
                        value: trimmedValue(s, current.valueStart, i)))
                keyStart = j
                current = next
                i = next.valueStart
            } else {
                i = j
            }
        }
        result.append(
            Field(
                key: ScalarText.string(s[keyStart..<current.keyEnd]),
                value: trimmedValue(s, current.valueStart, line.end)))
        return result
    }

    static func trimmedValue(_ s: [Unicode.Scalar], _ start: Int, _ end: Int) -> Range<Int> {
        var a = start
        var b = end
        while a < b, Segmenter.isSpace(s[a]) { a += 1 }
        while b > a, Segmenter.isSpace(s[b - 1]) || s[b - 1] == ";" || s[b - 1] == "," || s[b - 1] == "。" { b -= 1 }
        return a..<b
    }

    static func isDash(_ c: Unicode.Scalar) -> Bool {
        c == "—" || c == "―" || c == "–" || c == "‒" || c == "─" || c == "-" || c == "~"
    }

    static func isDateScalar(_ c: Unicode.Scalar) -> Bool {
        ScalarText.digit(c) != nil || c == "〇" || c == "零" || ChineseNumeral.digit(c) != nil || c == "十"
            || c == "年" || c == "月" || c == "日" || c == "号"
    }

    /// A dateline subtitle: an optional dash run (——, —, --) or an opening bracket, a full date, 在, and
    /// an ending in 上 (…会议上, …会上), the bracket closed if opened; no sentence punctuation.
    static func isDateline(_ s: [Unicode.Scalar], _ line: Segmenter.Line) -> Bool {
        var i = line.start
        var end = line.end
        while end > i, Segmenter.isSpace(s[end - 1]) { end -= 1 }
        guard end - i <= 100 else { return false }
        while i < end, isDash(s[i]) || Segmenter.isSpace(s[i]) { i += 1 }
        var bracket = false
        if i < end, s[i] == "(" || s[i] == "〔" || s[i] == "【" { bracket = true; i += 1 }
        while i < end, isDash(s[i]) || Segmenter.isSpace(s[i]) { i += 1 }
        let dateStart = i
        var year = false
        var month = false
        while i < end, isDateScalar(s[i]) {
            if s[i] == "年" { year = true }
            if s[i] == "月" { month = true }
            i += 1
        }
        guard i - dateStart >= 6, year, month, s[i - 1] == "日" || s[i - 1] == "号",
            ScalarText.digit(s[dateStart]) != nil || ChineseNumeral.digit(s[dateStart]) != nil || s[dateStart] == "〇"
        else {
            return false
        }
        while i < end, Segmenter.isSpace(s[i]) { i += 1 }
        guard i < end, s[i] == "在" else { return false }
        if bracket {
            guard s[end - 1] == ")" || s[end - 1] == "〕" || s[end - 1] == "】" else { return false }
            end -= 1
        }
        guard end > i, s[end - 1] == "上" else { return false }
        return !s[i..<end].contains { $0 == "。" || $0 == ";" || $0 == "!" || $0 == "?" }
    }

    /// A metadata line is at most 160 scalars and reads as a list, not a sentence: no full stop (a
    /// contact line may end with one: 联系电话：023-6389999。).
    static func isMetadataLike(_ s: [Unicode.Scalar], _ line: Segmenter.Line, place: Place) -> Bool {
        guard line.end - line.start <= 160 else { return false }
        var end = line.end
        if place == .contact {
            while end > line.start, Segmenter.isSpace(s[end - 1]) || s[end - 1] == "。" { end -= 1 }
        }
        return !s[line.start..<end].contains { $0 == "。" || $0 == "!" || $0 == "?" }
    }

    /// At the head, no value holds a Chinese clause: 时间：2023年9月1日至10月31日，巡察组进驻… is a sentence
    /// that opens with a key. A comma or semicolon before another key separates fields, and an English
    /// comma stays (Published: March 15, 2024).
    static func hasNoClause(_ s: [Unicode.Scalar], _ fields: [Field]) -> Bool {
        fields.allSatisfy { f in
            !f.value.contains { i in (s[i] == "," || s[i] == ";") && i + 1 < f.value.upperBound && !s[i + 1].isASCII }
        }
    }

    /// A title, subtitle, speaker or breadcrumb line: short, with no sentence-ending punctuation.
    static func isTitleLike(_ s: [Unicode.Scalar], _ line: Segmenter.Line) -> Bool {
        guard line.end - line.start <= 80 else { return false }
        return !s[line.start..<line.end].contains { $0 == "。" || $0 == ";" || $0 == "!" || $0 == "?" }
    }

    /// A short signature line (the issuer): no clause punctuation and no colon.
    static func isSignature(_ s: [Unicode.Scalar], _ line: Segmenter.Line) -> Bool {
        guard line.end - line.start <= 30 else { return false }
        return !s[line.start..<line.end].contains { Segmenter.isClausePunct($0) || $0 == ":" }
    }
}
