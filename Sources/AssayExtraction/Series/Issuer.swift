import AssayValues
import Foundation
import Yams

/// Who issued a bulletin and which rectification series it belongs to: what puts bulletins side by side
/// over time (issue 15). Read from the text by `IssuerFinder`, then named canonically through the
/// deployment's `IssuerDirectory` (the same unit under two names).
public struct Issuer: Sendable, Hashable {
    /// Where the issuer's name was read.
    public enum Source: String, Sendable, Hashable, CaseIterable {
        /// The title: 中共临水县农业农村局党组关于巡察整改进展情况的通报, or an English title line naming an office.
        case title
        /// The signature at the end (the issuer's name on a line of its own, above or beside the date).
        case signature
        /// The portal's metadata block: 发布机构：…, 发文机关：….
        case metadata
    }

    /// The issuer's canonical name: the name as written, normalised (`IssuerFinder.normalised`: 中共 and a
    /// trailing 党组/党委 left out, spaces removed), then mapped through the deployment's aliases.
    public var name: String
    /// The name as the bulletin writes it.
    public var written: String
    /// Where it was read.
    public var source: Source
    /// The round or series the bulletin reports on, normalised (第2轮巡察, 第4巡视组, 2023年度审计); nil when
    /// the bulletin does not say.
    public var series: String?
    /// The date the findings were fed back (反馈), ISO 8601 at the precision written; nil when not stated.
    public var feedback: String?

    /// An issuer; no series and no feedback date unless given.
    public init(name: String, written: String, source: Source, series: String? = nil, feedback: String? = nil) {
        self.name = name
        self.written = written
        self.source = source
        self.series = series
        self.feedback = feedback
    }
}

/// Reads a bulletin's issuer, series and feedback date.
///
/// The issuer is taken from, in order: the title (the text before 关于 on one of the first lines, or an
/// organisation line of an English tracker), the signature (a short line ending in a unit's name among
/// the last lines), the metadata block's 发布机构. Only a name that ends like a unit (局, 委, 办, 党组,
/// 公司, Office, Department …) counts: a title that names several units (市生态环境局、市审计局…的巡视整改
/// 进展情况) or none gives no issuer, and rules that compare bulletins say `missing` with that reason.
public struct IssuerFinder: Sendable {
    let document: Document
    let facts: [Fact]

    /// A finder over a segmented document and its facts (for the feedback date).
    public init(document: Document, facts: [Fact]) {
        self.document = document
        self.facts = facts
    }

    /// The issuer, or nil when the bulletin names none that can be told.
    public func find() -> Issuer? {
        let written: (String, Issuer.Source)?
        if let t = fromTitle() {
            written = (t, .title)
        } else if let s = fromSignature() {
            written = (s, .signature)
        } else if let m = fromMetadata() {
            written = (m, .metadata)
        } else {
            written = nil
        }
        guard let (name, source) = written else { return nil }
        return Issuer(
            name: Self.normalised(name), written: name, source: source, series: series(), feedback: feedbackDate())
    }

    // MARK: - The name

    /// Endings of a unit's name (the longest are tried first by `endsLikeAUnit`).
    static let unitEndings: [String] = [
        "党组", "党委", "党工委", "党总支", "委员会", "办公室", "办公厅", "政府", "公司", "集团", "中心", "大学",
        "学院", "学校", "医院", "银行", "街道", "管委会", "纪委监委", "监委", "局", "委", "办", "厅", "院", "部", "署",
        "处", "室", "会", "所", "站", "馆", "社", "镇", "乡", "县", "区", "市", "省", "州", "队", "台", "团",
    ]

    /// English words an organisation line holds.
    static let englishUnitWords: [String] = [
        "office", "department", "agency", "ministry", "authority", "commission", "board", "bureau", "council",
        "inspector general", "auditor", "administration", "service", "corporation", "institute", "university",
    ]

    /// Whether `name` reads as one unit's name: 2 to 40 scalars, no sentence punctuation or list comma,
    /// ending like a unit.
    static func endsLikeAUnit(_ name: String) -> Bool {
        // Counted with an early stop before anything is copied: the signature search passes whole lines here
        // (the sample's last lines have 300–800 scalars).
        var count = 0
        for _ in name.unicodeScalars {
            count += 1
            if count > 40 { return false }
        }
        guard count >= 2 else { return false }
        let u = Array(name.unicodeScalars)
        if name.unicodeScalars.contains(where: { "，。、；：,;:!?！？“”\"《》()（）".unicodeScalars.contains($0) }) {
            return false
        }
        if u.contains(where: { $0.properties.numericType != nil && $0.isASCII }) { return false }
        return unitEndings.contains { name.hasSuffix($0) }
    }

    /// A name as compared between bulletins: spaces removed, a leading 中共 and a trailing party group
    /// (党组, 党委, 党工委, 党总支) left out when a unit's name remains (中共临水县农业农村局党组 → 临水县农业
    /// 农村局; 中共临水县委 stays 临水县委, and 中共临水县委员会 is 临水县委), English names in lower case with
    /// single spaces.
    public static func normalised(_ name: String) -> String {
        var s = String(name.unicodeScalars.filter { $0 != " " && $0 != "\u{3000}" && $0 != "\t" })
        if name.unicodeScalars.contains(where: { $0.properties.isAlphabetic && $0.isASCII }) {
            let words = name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\u{3000}" })
            return words.joined(separator: " ").trimming(",.;:")
        }
        if s.hasPrefix("中国共产党") { s = String(s.dropFirst(5)) } else if s.hasPrefix("中共") { s = String(s.dropFirst(2)) }
        // 中共临水县委员会 is 临水县委: a place's party committee by its short name.
        if s.hasSuffix("委员会"), let place = s.dropLast(3).last, "省市县区州旗镇乡".contains(place) {
            s = String(s.dropLast(3)) + "委"
        }
        for group in ["党组", "党委", "党工委", "党总支"] where s.hasSuffix(group) {
            let rest = String(s.dropLast(group.count))
            if endsLikeAUnit(rest) && !["县", "区", "市", "省", "州"].contains(where: { rest.hasSuffix($0) }) {
                s = rest
            }
            break
        }
        return s
    }

    /// The non-empty lines of the head that are not metadata lines, at most `limit`, as (line number, text).
    func headLines(limit: Int) -> [(Int, String)] {
        var out = [(Int, String)]()
        for n in stride(from: 1, through: document.lineStarts.count, by: 1) {
            let text = document.line(n).trimming()
            if text.isEmpty || document.metadata.line(n) != nil { continue }
            out.append((n, text))
            if out.count == limit { break }
        }
        return out
    }

    /// The issuer named by the title: the text before 关于 (中共临水县农业农村局党组关于…的通报), or before
    /// 巡视/巡察/审计 when no 关于 (临水县农业农村局巡察整改进展情况); in an English tracker, an organisation
    /// line among the first three (`Office of the Inspector General, Department of Harbours`).
    func fromTitle() -> String? {
        for (_, text) in headLines(limit: 3) {
            if let r = Self.find("关于", in: text) {
                let before = String(text[..<r.lowerBound]).trimming()
                if Self.endsLikeAUnit(before) { return before }
                continue
            }
            for word in ["巡视", "巡察", "审计"] {
                guard let r = Self.find(word, in: text), Self.find("整改", in: text) != nil else { continue }
                let before = String(text[..<r.lowerBound]).trimming()
                if Self.endsLikeAUnit(before) { return before }
            }
            if let english = englishOrganisation(text) { return english }
        }
        return nil
    }

    /// An English organisation line: `Issued by: …` / `Prepared by: …`, or a line of at most 12 words
    /// without digits that names an office, department or agency.
    ///
    /// The tests run cheapest first and on the bytes once the line is known to be ASCII: lowercasing the
    /// whole line and searching it through Foundation for each word took 0.45 s on a title line of 1 MB of
    /// letters (a bulletin without line breaks is all title), now a few milliseconds.
    func englishOrganisation(_ text: String) -> String? {
        // The keys are ASCII: the line's first 16 characters decide.
        let head = String(text.prefix(16)).lowercased()
        for key in ["issued by:", "prepared by:", "submitted by:", "from:"] where head.hasPrefix(key) {
            let rest = String(text.dropFirst(key.count)).trimming()
            return rest.isEmpty ? nil : rest
        }
        guard text.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
        // ASCII: a number is a digit, the words are split at single spaces, the lowercase is per byte.
        var words = 0
        var inWord = false
        for b in text.utf8 {
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") { return nil }
            if b == UInt8(ascii: " ") {
                inWord = false
            } else if !inWord {
                inWord = true
                words += 1
                if words > 12 { return nil }
            }
        }
        let lower = Array(text.lowercased().utf8)
        func has(_ w: String) -> Bool {
            let needle = Array(w.utf8)
            return needle.withUnsafeBufferPointer { n in
                lower.withUnsafeBufferPointer { ScalarText.contains(n, in: $0) }
            }
        }
        guard !lower.starts(with: "status".utf8), !has(" of audit") else { return nil }
        return Self.englishUnitWords.contains(where: has) ? text.trimming(".") : nil
    }

    /// Where `needle` first occurs in `text`, scalar by scalar (a title line can be the whole bulletin:
    /// Foundation's `range(of:)` took 0.1 s per MB of letters for each word looked for).
    static func find(_ needle: String, in text: String) -> Range<String.Index>? {
        let u = text.unicodeScalars
        let w = Array(needle.unicodeScalars)
        guard let first = w.first else { return nil }
        var i = u.startIndex
        while let at = u[i...].firstIndex(of: first) {
            var j = at
            var k = 0
            while k < w.count, j < u.endIndex, u[j] == w[k] {
                j = u.index(after: j)
                k += 1
            }
            if k == w.count { return at..<j }
            i = u.index(after: at)
        }
        return nil
    }

    /// The issuer named in the signature: among the last five non-empty lines other than contact lines, a
    /// line that is a unit's name, or a unit's name followed by the date (临水县农业农村局　2024年3月15日).
    func fromSignature() -> String? {
        let count = document.lineStarts.count
        var seen = 0
        var n = count
        while n >= 1, seen < 5 {
            defer { n -= 1 }
            // The line is cut once, by its range (it was cut three times, the name before a date copied
            // scalar by scalar), and these lines are the bulletin's longest.
            let range = document.lineRange(n)
            let text = document.text(range).trimming()
            if text.isEmpty || document.metadata.line(n)?.place == .contact { continue }
            seen += 1
            var name = text
            let start = range.lowerBound
            let end = range.upperBound
            // The last date on the line (facts are in document order: read back from the end, stopping
            // before the line; the signature is among the last lines, so few are read).
            var dateAt: Int?
            var k = facts.count - 1
            while k >= 0, facts[k].span.offset >= start {
                if facts[k].kind == .date, facts[k].span.offset + facts[k].span.length <= end {
                    dateAt = facts[k].span.offset
                    break
                }
                k -= 1
            }
            if let dateAt {
                // The name before a date on the same line.
                name = document.text(start..<dateAt).trimming()
                if name.isEmpty { continue }
            }
            if Self.endsLikeAUnit(name), !name.contains("联系"), !name.contains("电话") {
                // A long name set on two lines (中共乐至县委巡察工作 / 领导小组办公室): the line above joins
                // when it is short, has no punctuation and is no name of its own.
                if n >= 2 {
                    let above = document.line(n - 1).trimming()
                    if !above.isEmpty, above.unicodeScalars.count <= 20, !Self.endsLikeAUnit(above),
                        Self.endsLikeAUnit(above + name), document.metadata.line(n - 1) == nil
                    {
                        return above + name
                    }
                }
                return name
            }
        }
        return nil
    }

    /// The issuing body of the portal's metadata block (发布机构, 发文机关, 发布单位 …).
    func fromMetadata() -> String? {
        for key in ["发布机构", "发文机关", "发文机构", "发布单位", "发文单位", "发布部门"] {
            guard let field = document.metadata.field(key) else { continue }
            let value = document.text(field.value).trimming()
            if Self.endsLikeAUnit(value) { return value }
        }
        return nil
    }

    // MARK: - Series and feedback

    /// The round or series: 第二轮巡察 / 十四届县委第三轮常规巡察 → 第2轮巡察 (the round, whoever ran it);
    /// 省委第四巡视组 → 第4巡视组 when no round is named; 2023年度…审计 → 2023年度审计. Read from the first
    /// six lines other than metadata.
    func series() -> String? {
        let head = headLines(limit: 6).map(\.1).joined(separator: "\n")
        let u = Array(head.unicodeScalars)
        var group: String?
        var i = 0
        while i < u.count {
            defer { i += 1 }
            guard u[i] == "第" else { continue }
            var j = i + 1
            var digits = ""
            while j < u.count, j - i <= 4, u[j].properties.numericType != nil || ChineseNumeral.isNumeralScalar(u[j]) {
                digits.unicodeScalars.append(u[j])
                j += 1
            }
            guard !digits.isEmpty, let n = Int(digits) ?? ChineseNumeral.value(digits)
            else { continue }
            let rest = String(String.UnicodeScalarView(u[j..<min(u.count, j + 8)]))
            for kind in ["巡视", "巡察"] {
                // 第六轮巡视, 第六轮常规巡视, 第三轮专项巡察: the round, whatever kind of inspection.
                if rest.hasPrefix("轮"), let r = rest.range(of: kind),
                    rest.distance(from: rest.startIndex, to: r.lowerBound) <= 5
                {
                    return "第\(n)轮\(kind)"
                }
                if rest.hasPrefix(kind + "组"), group == nil { group = "第\(n)\(kind)组" }
            }
        }
        if let group { return group }
        // 2023年度…审计: the audit year.
        if let r = Self.find("年度", in: head) {
            let before = head[..<r.lowerBound].unicodeScalars.suffix(4)
            if before.count == 4, before.allSatisfy({ $0.properties.numericType != nil }),
                head[r.upperBound...].prefix(30).contains("审计")
            {
                return "\(String(String.UnicodeScalarView(before)))年度审计"
            }
        }
        return nil
    }

    /// The date the findings were fed back: the first date in a sentence that says 反馈 (or English
    /// `feedback`, `findings were issued`), among the facts.
    func feedbackDate() -> String? {
        // Each sentence is read once: dates in a sentence already read have the same answer (a line without
        // a full stop with thousands of dates was read whole for each of them).
        var read = Set<Int>()
        for f in facts where f.kind == .date {
            guard let sentence = document.sentence(at: f.span.offset),
                read.insert(sentence.range.lowerBound).inserted
            else { continue }
            let text = document.text(sentence.range)
            if text.contains("反馈") || text.lowercased().contains("feedback") { return f.value.dateString }
        }
        return nil
    }
}

/// The deployment's names for issuers: each canonical name with the other names the same unit goes by
/// (`issuers.yml`), so that 临水县环境局 and 临水县生态环境局 are one series.
///
/// ```yaml
/// 临水县生态环境局: [临水县环境局, 县生态环境局]
/// Department of Harbours: [Harbours Department]
/// ```
public struct IssuerDirectory: Sendable, Equatable {
    /// Normalised alias → canonical name (normalised too).
    public private(set) var canonical: [String: String]

    /// A directory with the given aliases (canonical name → other names); none by default.
    public init(aliases: [String: [String]] = [:]) {
        var map = [String: String]()
        for (name, others) in aliases {
            let c = IssuerFinder.normalised(name)
            for o in others { map[IssuerFinder.normalised(o)] = c }
        }
        canonical = map
    }

    /// Reads `issuers.yml`: a mapping from each canonical name to a list of its other names. An alias
    /// given to two names, or a canonical name that is another's alias, is an error at its place.
    public init(yaml: String, file: String = "issuers.yml") throws(ExtractionConfigurationError) {
        var reader = YAMLReader(file: file)
        let root: Node?
        do { root = try YAMLReader.compose(yaml, file: file) } catch {
            throw ExtractionConfigurationError(errors: [error])
        }
        var aliases = [String: [String]]()
        var owner = [String: String]()
        if let root {
            if case .mapping(let m) = root {
                for (k, v) in m {
                    guard let name = k.scalar?.string, !name.trimming().isEmpty else {
                        reader.error(k, "an issuer's name must be a non-empty string")
                        continue
                    }
                    let others = reader.strings(v, "the other names of \(name)", nonEmpty: true)
                    for o in others {
                        let key = IssuerFinder.normalised(o)
                        if let first = owner[key], first != name {
                            reader.error(v, "'\(o)' is already a name of '\(first)'; an alias names one issuer")
                        }
                        owner[key] = name
                    }
                    aliases[name] = others
                }
                for name in aliases.keys {
                    if let other = owner[IssuerFinder.normalised(name)], other != name {
                        reader.error(root, "'\(name)' is both an issuer and a name of '\(other)'; list it once")
                    }
                }
            } else {
                reader.error(root, "expected a mapping from each issuer's name to a list of its other names")
            }
        }
        if !reader.errors.isEmpty { throw ExtractionConfigurationError(errors: reader.errors) }
        self.init(aliases: aliases)
    }

    /// The canonical name of an issuer's (normalised) name: its alias entry, else itself.
    public func resolve(_ name: String) -> String { canonical[name] ?? name }
}
