import AssayValues
import Foundation

/// What a later bulletin is compared with: one bulletin's issuer, series, dates, headline figures by
/// tally and role, and the deadlines it promised. Kept in the store per checked document (as JSON,
/// `Codable`), so comparisons never need the earlier bulletin's text.
public struct BulletinSnapshot: Sendable, Hashable, Codable {
    /// The document's file name and content hash.
    public var name, sha256: String
    /// The issuer's canonical name (after the deployment's aliases); nil when it cannot be told.
    public var issuer: String?
    /// The series (`Issuer.series`); nil when not stated.
    public var series: String?
    /// Publication, as-of and feedback dates, ISO 8601; nil when unknown.
    public var published, asOf, feedback: String?
    /// The tallies' headline figures, in document order; 其中 breakdowns are left out.
    public var tallies: [Figures]
    /// The deadlines the bulletin names (for the rest of the work or for one item).
    public var promises: [Promise]
    /// Where the bulletin says the number of problems changed (新增问题3个, 巡察组移交…, newly added): the
    /// stated reason a total may change or the outstanding count rise; nil when it says none.
    public var changeReason: Quote?

    /// One tally's figures by role.
    public struct Figures: Sendable, Hashable, Codable {
        /// `problems`, `money` or `recommendations`.
        public var subject: String
        /// The section path the tally sits in ([] at document level).
        public var section: [String]
        /// The first figure of each role (total, done, partial, outstanding, deferred, rate).
        public var figures: [Figure]
        /// Why the whole tally is uncertain (from `Tally.doubts`, but for the doubts about one figure,
        /// which that figure carries); comparisons on it say `missing`.
        public var doubts: [String]

        /// The figure with this role, if the tally states one.
        public func figure(_ role: String) -> Figure? { figures.first { $0.role == role } }

        /// `problems` or `problems @ 市审计局` — what a tally is matched by between bulletins.
        public var key: String { section.isEmpty ? subject : "\(subject) @ \(section.joined(separator: " / "))" }
    }

    /// One figure: its role, value (a decimal, money in its currency's base unit) and where it is written.
    public struct Figure: Sendable, Hashable, Codable {
        public var role: String
        /// The value as a decimal string (`28`, `75`, `356800` for 35.68万元).
        public var value: String
        /// The text as written (28个, 75%, 35.68万元).
        public var text: String
        /// 1-based line and column of the figure.
        public var line, column: Int
        /// Why this figure's place in the tally is uncertain (it stands in another paragraph than the
        /// total); nil when it is not. Comparisons of an uncertain figure say `missing`.
        public var doubt: String?

        /// `value` as a decimal.
        public var decimal: Decimal? { Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) }
    }

    /// A promised date: the deadline, its text and sentence, and whether it covers the rest of the work
    /// (剩余问题将于…前全部整改到位, the remaining recommendations by …) or one item.
    public struct Promise: Sendable, Hashable, Codable {
        /// The due date, ISO 8601 at the precision written (`2024-06-30`, `2024-05`).
        public var date: String
        /// The deadline as written (于2024年6月30日前) and the whole sentence.
        public var text, sentence: String
        /// 1-based line and column.
        public var line, column: Int
        /// The section path it sits in.
        public var section: [String]
        /// Whether the sentence says the deadline is for all the remaining work.
        public var coversRest: Bool
    }

    /// A quoted phrase: its text and 1-based line.
    public struct Quote: Sendable, Hashable, Codable {
        public var text: String
        public var line: Int
    }

    /// The snapshot of a checked document. `issuer` is the canonical name (aliases applied).
    public init(document: Document, extraction: Extraction, issuer: Issuer?) {
        name = document.name
        sha256 = document.decoded.sha256
        self.issuer = issuer?.name
        series = issuer?.series
        published = extraction.dates.published
        asOf = extraction.dates.asOf
        feedback = issuer?.feedback
        let facts = extraction.facts
        tallies = extraction.tallies.filter { $0.parent == nil }.compactMap { t in
            var figures = [Figure]()
            var own = Set<String>()
            for m in t.members {
                guard let role = m.role, !figures.contains(where: { $0.role == role.rawValue }) else { continue }
                let f = facts[m.fact]
                guard let v = f.value.decimal else { continue }
                let doubt = t.doubts.first { $0.hasPrefix("\(f.text) is in another paragraph") }
                if let doubt { own.insert(doubt) }
                figures.append(
                    Figure(
                        role: role.rawValue, value: "\(v)", text: f.text, line: f.span.line, column: f.span.column,
                        doubt: doubt))
            }
            guard !figures.isEmpty else { return nil }
            let section = t.total.map { facts[$0].section } ?? facts[t.members[0].fact].section
            return Figures(
                subject: t.subject.rawValue, section: section, figures: figures,
                doubts: t.doubts.filter { !own.contains($0) })
        }
        promises = facts.filter { $0.kind == .deadline }.compactMap { f in
            guard let date = f.value.dateString else { return nil }
            let sentence = document.sentence(at: f.span.offset).map { document.text($0.range) } ?? f.text
            let rest = Self.restWords.contains {
                Self.clause(document, around: f.span.offset).lowercased().contains($0)
            }
            return Promise(
                date: date, text: f.text, sentence: sentence.trimming(), line: f.span.line, column: f.span.column,
                section: f.section, coversRest: rest)
        }
        changeReason = nil
        let scalars = document.scalars
        for word in Self.changeWords {
            // 新增, 新发现 … count only with 问题 within the next ten characters (新增3个问题, 新发现问题线索).
            let windowed = Self.windowedChangeWords.contains(word)
            guard
                let r = document.occurrences(of: word).first(where: { r in
                    !windowed
                        || String(
                            String.UnicodeScalarView(scalars[r.upperBound..<min(scalars.count, r.upperBound + 10)])
                        )
                        .contains("问题")
                })
            else { continue }
            let span = document.span(r)
            let sentence = document.sentence(at: r.lowerBound).map { document.text($0.range) } ?? word
            changeReason = Quote(text: sentence.trimming(), line: span.line)
            break
        }
    }

    /// The clause around an offset: from the last ，；。,; before it to the next one (正在整改的16个问题中，
    /// 【7个力争2024年3月底前完成】，其余问题将于…).
    static func clause(_ document: Document, around offset: Int) -> String {
        let s = document.scalars
        let marks: Set<Unicode.Scalar> = ["，", "；", "。", ",", ";", "\n", "！", "？"]
        var a = offset
        while a > 0, !marks.contains(s[a - 1]) { a -= 1 }
        var b = offset
        while b < s.count, !marks.contains(s[b]) { b += 1 }
        return document.text(a..<b)
    }

    /// Words saying a deadline is for all the work left.
    static let restWords = ["剩余", "其余", "其他", "全部", "所有", "尚未", "未完成", "remaining", "all ", "outstanding"]

    /// Words saying the number of problems changed for a reason: new problems found or handed over.
    /// Only phrases about problems: a bare 新增 (新增就业, 新增制度12项) says nothing about the count.
    static let changeWords = [
        "新增", "新发现", "新移交", "移交问题", "移交的问题", "补充反馈", "问题合并", "new recommendations",
        "newly added", "were added", "recommendations added", "additional recommendations",
    ]
    /// Change words that count only when 问题 follows within ten characters.
    static let windowedChangeWords: Set<String> = ["新增", "新发现", "新移交"]
}
