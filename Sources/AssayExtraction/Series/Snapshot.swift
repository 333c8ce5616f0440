import AssayValues
import Foundation

/// What a later bulletin is compared with: one bulletin's issuer, series, dates, headline figures by
/// tally and role, and the deadlines it promised. Kept in the store per checked document (as JSON through
/// the project's one JSON writer, `json` and `init(json:)`), so comparisons never need the earlier
/// bulletin's text.
public struct BulletinSnapshot: Sendable, Hashable {
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
    public struct Figures: Sendable, Hashable {
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
    public struct Figure: Sendable, Hashable {
        /// The tally role (`TallyRole`'s raw value: total, done, partial, outstanding, deferred, rate).
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
    public struct Promise: Sendable, Hashable {
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
    public struct Quote: Sendable, Hashable {
        /// The sentence quoted.
        public var text: String
        /// Its 1-based line.
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
            let sentence = document.quotedSentence(around: f.span.range) ?? f.text
            // The clause is cut and lowercased once for all the words (it was once per word: a tenth of
            // the daemon's time on a backlog, perf 2026-12-03).
            // Lowercased only when it has an ASCII capital (for the English words); lowercasing every
            // Chinese clause was most of the promises' time.
            var clause = Self.clause(document, around: f.span.offset)
            if clause.utf8.contains(where: { $0 &- 0x41 < 26 }) { clause = clause.lowercased() }
            let rest = Self.restWords.contains { clause.contains($0) }
            return Promise(
                date: date, text: f.text, sentence: sentence.trimming(), line: f.span.line, column: f.span.column,
                section: f.section, coversRest: rest)
        }
        changeReason = nil
        let scalars = document.scalars
        // Each change word's first counting occurrence, found in one pass over the text (at a scalar that
        // starts some word, the words starting with it are tried); then the first word in `changeWords`
        // order that has one wins, as when each word was searched in turn (12 whole-text searches were
        // most of the snapshot's time on a backlog, perf 2026-12-03).
        let folded = document.decoded.folded
        let (needles, byFirst) = Self.changeIndex
        var firstFound = [Int: Range<Int>]()
        var i = 0
        while i < folded.count, firstFound.count < needles.count {
            // One bit test for most scalars (`ScalarWords.mayStart`), the dictionary only where a word may start.
            if !Self.changeStarts.mayStart(folded[i]) {
                i += 1
                continue
            }
            if let ks = byFirst[folded[i]] {
                for k in ks where firstFound[k] == nil {
                    let n = needles[k]
                    guard i + n.count <= folded.count, folded[i..<(i + n.count)].elementsEqual(n) else { continue }
                    let r = i..<(i + n.count)
                    if !Self.windowedChangeWords.contains(Self.changeWords[k])
                        || String(
                            String.UnicodeScalarView(scalars[r.upperBound..<min(scalars.count, r.upperBound + 10)])
                        )
                        .contains("问题")
                    {
                        firstFound[k] = r
                    }
                }
            }
            i += 1
        }
        for (k, word) in Self.changeWords.enumerated() {
            guard let r = firstFound[k] else { continue }
            let span = document.span(r)
            let sentence = document.quotedSentence(around: r) ?? word
            changeReason = Quote(text: sentence.trimming(), line: span.line)
            break
        }
    }

    /// The clause around an offset: from the last ，；。,; before it to the next one (正在整改的16个问题中，
    /// 【7个力争2024年3月底前完成】，其余问题将于…).
    static func clause(_ document: Document, around offset: Int) -> String {
        let s = document.scalars
        var a = offset
        while a > 0, !clauseMarks.contains(s[a - 1]) { a -= 1 }
        var b = offset
        while b < s.count, !clauseMarks.contains(s[b]) { b += 1 }
        return document.text(a..<b)
    }

    /// The marks that end a clause (`clause(_:around:)`), tested without hashing.
    static let clauseMarks: ScalarSet = "，；。,;\n！？"

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
    /// The change words width-folded, and the indexes of those starting with each scalar: built once. The
    /// dictionary is asked only at a scalar that starts some word (hashing every scalar of the text was most
    /// of the snapshot's time, perf, the daemon's backlog).
    static let changeIndex: ([[Unicode.Scalar]], [Unicode.Scalar: [Int]]) = {
        let needles = changeWords.map { Array(ScalarText.foldWidth($0)) }
        var byFirst = [Unicode.Scalar: [Int]]()
        for (k, n) in needles.enumerated() { if let f = n.first { byFirst[f, default: []].append(k) } }
        return (needles, byFirst)
    }()
    /// The folded change words' first scalars as bits, for the scan's one test per scalar.
    static let changeStarts = ScalarWords(
        changeIndex.0.map { String(String.UnicodeScalarView($0)) })

    /// The bulletin's reference date: its as-of date, else its publication date.
    public var reference: String? { asOf ?? published }

    /// The last day of an ISO date at any precision, as a day number (`2024-05` → 2024-05-31).
    public static func lastDay(_ iso: String) -> Int? {
        guard let d = CalendarDate(iso: iso) else { return nil }
        let (y, m, day) = d.lastDay
        return CalendarDate(y, m, day).dayNumber
    }

    /// The promises of `earlier` bulletins (oldest first) that have come due by this bulletin's reference
    /// date: each set after its own bulletin's date, the latest bulletin's promise of each date, newest
    /// bulletin first.
    public func duePromises(from earlier: [BulletinSnapshot]) -> [(promise: Promise, from: BulletinSnapshot)] {
        guard let reference, let refEnd = Self.lastDay(reference) else { return [] }
        var out = [(promise: Promise, from: BulletinSnapshot)]()
        var seen = Set<String>()
        for b in earlier.reversed() {
            guard let own = b.reference, let ownEnd = Self.lastDay(own) else { continue }
            for p in b.promises {
                guard let due = Self.lastDay(p.date), due > ownEnd, due < refEnd, !seen.contains(p.date) else {
                    continue
                }
                seen.insert(p.date)
                out.append((p, b))
            }
        }
        return out
    }

    /// The work outstanding in a tally of this bulletin: stated, else total − done − deferred; nil when
    /// neither can be told.
    public static func open(_ t: Figures) -> Decimal? {
        if let o = t.figure("outstanding"), o.doubt == nil, let v = o.decimal,
            t.figure("partial") == nil
        {
            return v
        }
        guard let total = t.figure("total")?.decimal, let done = t.figure("done")?.decimal else { return nil }
        return total - done - (t.figure("deferred")?.decimal ?? 0)
    }
}

extension BulletinSnapshot {
    /// Why stored JSON is not a snapshot.
    public struct JSONShapeError: Error, CustomStringConvertible {
        /// What is missing or of the wrong type.
        public var description: String
    }

    /// The snapshot as JSON (keys in a fixed order).
    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("sha256", .string(sha256)), ("issuer", .optional(issuer)),
            ("series", .optional(series)), ("published", .optional(published)), ("as_of", .optional(asOf)),
            ("feedback", .optional(feedback)),
            (
                "tallies",
                .array(
                    tallies.map { t in
                        .object([
                            ("subject", .string(t.subject)), ("section", .array(t.section.map { .string($0) })),
                            (
                                "figures",
                                .array(
                                    t.figures.map { f in
                                        .object([
                                            ("role", .string(f.role)), ("value", .string(f.value)),
                                            ("text", .string(f.text)), ("line", .int(f.line)),
                                            ("column", .int(f.column)), ("doubt", .optional(f.doubt)),
                                        ])
                                    })
                            ),
                            ("doubts", .array(t.doubts.map { .string($0) })),
                        ])
                    })
            ),
            (
                "promises",
                .array(
                    promises.map { p in
                        .object([
                            ("date", .string(p.date)), ("text", .string(p.text)), ("sentence", .string(p.sentence)),
                            ("line", .int(p.line)), ("column", .int(p.column)),
                            ("section", .array(p.section.map { .string($0) })), ("covers_rest", .bool(p.coversRest)),
                        ])
                    })
            ),
            (
                "change_reason",
                changeReason.map { .object([("text", .string($0.text)), ("line", .int($0.line))]) } ?? .null
            ),
        ])
    }

    /// A snapshot read back from `json`; throws `JSONShapeError` naming the first field that is wrong.
    public init(json: JSONValue) throws(JSONShapeError) {
        func str(_ v: JSONValue?, _ key: String) throws(JSONShapeError) -> String {
            guard case .string(let s)? = v?[key] else { throw JSONShapeError(description: "\(key) is not a string") }
            return s
        }
        func opt(_ v: JSONValue?, _ key: String) -> String? {
            if case .string(let s)? = v?[key] { return s }
            return nil
        }
        func int(_ v: JSONValue?, _ key: String) throws(JSONShapeError) -> Int {
            switch v?[key] {
            case .integer(let i)?: return i
            case .number(let d)?: return NSDecimalNumber(decimal: d).intValue
            default: throw JSONShapeError(description: "\(key) is not a number")
            }
        }
        func list(_ v: JSONValue?, _ key: String) throws(JSONShapeError) -> [JSONValue] {
            guard case .array(let a)? = v?[key] else { throw JSONShapeError(description: "\(key) is not a list") }
            return a
        }
        func strings(_ v: JSONValue?, _ key: String) throws(JSONShapeError) -> [String] {
            try list(v, key).map { x throws(JSONShapeError) in
                guard case .string(let s) = x else { throw JSONShapeError(description: "\(key) holds a non-string") }
                return s
            }
        }
        name = try str(json, "name")
        sha256 = try str(json, "sha256")
        issuer = opt(json, "issuer")
        series = opt(json, "series")
        published = opt(json, "published")
        asOf = opt(json, "as_of")
        feedback = opt(json, "feedback")
        tallies = try list(json, "tallies").map { t throws(JSONShapeError) in
            Figures(
                subject: try str(t, "subject"), section: try strings(t, "section"),
                figures: try list(t, "figures").map { f throws(JSONShapeError) in
                    Figure(
                        role: try str(f, "role"), value: try str(f, "value"), text: try str(f, "text"),
                        line: try int(f, "line"), column: try int(f, "column"), doubt: opt(f, "doubt"))
                }, doubts: try strings(t, "doubts"))
        }
        promises = try list(json, "promises").map { p throws(JSONShapeError) in
            guard case .bool(let rest)? = p["covers_rest"] else {
                throw JSONShapeError(description: "covers_rest is not a boolean")
            }
            return Promise(
                date: try str(p, "date"), text: try str(p, "text"), sentence: try str(p, "sentence"),
                line: try int(p, "line"), column: try int(p, "column"), section: try strings(p, "section"),
                coversRest: rest)
        }
        if let r = json["change_reason"], case .object = r {
            changeReason = Quote(text: try str(r, "text"), line: try int(r, "line"))
        } else {
            changeReason = nil
        }
    }
}

extension BulletinSnapshot {
    /// Each tally of this bulletin over its series (`earlier` oldest first, then this one): the bulletins
    /// with a tally of the same key, else of the same subject at document level; a tally found in no
    /// earlier bulletin has no trend.
    public func trends(after earlier: [BulletinSnapshot]) -> [Report.Trend] {
        tallies.compactMap { t in
            let points = (earlier + [self]).compactMap { b -> Report.Trend.Point? in
                guard
                    let m = b.tallies.first(where: { $0.key == t.key })
                        ?? b.tallies.first(where: { $0.subject == t.subject && $0.section.isEmpty })
                else { return nil }
                func value(_ role: String) -> Decimal? { m.figure(role)?.decimal }
                return Report.Trend.Point(
                    bulletin: b.name, published: b.published, total: value("total"), done: value("done"),
                    rate: value("rate"))
            }
            return points.count >= 2 ? Report.Trend(tally: t.key, points: points) : nil
        }
    }
}
