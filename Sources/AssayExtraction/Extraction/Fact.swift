import AssayValues
import Foundation

/// What kind of figure a fact is. The raw values are the names used in JSON and in rule files.
public enum FactKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// number: a figure with no classifier, unit or currency (a magnitude alone, 2万, stands as its unit);
    /// quantity: a count with a classifier or unit (46个, 330天) or percentage points; percent: 79%,
    /// 79 percent; money: an amount with a currency; date: a calendar date at the precision stated.
    case number, quantity, percent, money, date
    /// A span of dates (from … to …); its value is the range.
    case dateRange = "date_range"
    /// The date the figures stand at (截至2020年11月底); unresolved when the text says 截至目前, 截至当前 ….
    case asOf = "as_of"
    /// deadline: a date or period named as a due date (整改时限:…, 限期至…, 三年内); duration: a length of
    /// time in years or months (三年), its value an ISO 8601 duration (P3Y).
    case deadline, duration
}

/// A fact's normalised value.
///
/// Numbers are `Decimal`, never binary floating point: 1081 / 1368 and 251023.54 must come out exact.
/// Dates are ISO 8601 strings at the precision stated in the text ("2020", "2020-11", "2020-11-27").
public enum FactValue: Sendable, Hashable {
    /// A number, exact.
    case number(Decimal)
    /// A date, ISO 8601 at the precision stated.
    case date(String)
    /// A span of dates, each ISO 8601 at the precision stated.
    case range(start: String, end: String)
    /// A length of time as an ISO 8601 duration: "P3Y", "P6M".
    case duration(String)
    /// A period starting at a reference date: 力争三年内 → P3Y from the publication date.
    case period(duration: String, start: String, end: String)
    /// Present in the text but not resolvable from it alone (上年度).
    case unresolved

    /// The number of a `number` value; nil for any other case.
    public var decimal: Decimal? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// The date this value stands for when compared with another date: a date, or a range's / period's end.
    public var dateString: String? {
        switch self {
        case .date(let d): return d
        case .range(_, let end): return end
        case .period(_, _, let end): return end
        default: return nil
        }
    }
}

/// One figure found in a bulletin: what it is, its value, the metric it belongs to and where it stands.
///
/// A value type whose fields live in one shared, copy-on-write box. Rules select, copy and pass facts
/// around far more often than they change them, and a fact has eight strings and arrays: as a plain struct
/// each copy retained every one of them and each drop released them again (copying and destroying facts
/// was about 5% of a batch check in `perf` on 1,000 bulletins; the box took 4.5% off its instructions,
/// callgrind). Now a copy is one retain; a setter copies the box first when it is shared, so value
/// semantics are unchanged.
public struct Fact: Sendable, Hashable {
    /// The fields, with the synthesised equality and hashing a plain struct of them had.
    private struct Fields: Hashable {
        var kind: FactKind
        var text: String
        var value: FactValue
        var unit: String?
        var amount: Decimal?
        var approx: String?
        var label: String?
        var section: [String]
        var span: Span
        var role: TallyRole? = nil
        var tally: String? = nil
        var ocr = false
    }

    /// The box. Mutated only through `Fact`'s setters, and only when this fact holds the only reference
    /// (`isKnownUniquelyReferenced`), which is what makes the `@unchecked Sendable` sound and the run-time
    /// exclusivity checks redundant (they cost more than the copies saved: callgrind).
    private final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var fields: Fields

        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    /// The box, copied first when another fact shares it.
    private var unique: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
            return storage
        }
    }

    /// What kind of figure this is (count, percent, money, date, deadline …).
    public var kind: FactKind {
        get { storage.fields.kind }
        set { unique.fields.kind = newValue }
    }
    /// The surface text, exactly `document.text(span.range)`.
    public var text: String {
        get { storage.fields.text }
        set { unique.fields.text = newValue }
    }
    /// The normalised value: a `Decimal` for numbers (money in its currency's base unit), ISO 8601 text for dates.
    public var value: FactValue {
        get { storage.fields.value }
        set { unique.fields.value = newValue }
    }
    /// Unit or classifier as written: 个, 项, 天, 公里, %, 个百分点, 亿元; English money as its currency code
    /// and magnitude (`USD million` for $2.42 million).
    public var unit: String? {
        get { storage.fields.unit }
        set { unique.fields.unit = newValue }
    }
    /// Money only: the number as written, in `unit` (125.7 for 125.7亿元, 2.42 for $2.42 million). The value
    /// is in the currency's base unit (元, dollars).
    public var amount: Decimal? {
        get { storage.fields.amount }
        set { unique.fields.amount = newValue }
    }
    /// Approximation marker as written: 余, 多, 超, 以上, 近, 约, 左右. The value is a bound, not exact.
    public var approx: String? {
        get { storage.fields.approx }
        set { unique.fields.approx = newValue }
    }
    /// The metric phrase the value belongs to (整改率, 已督促完成整改).
    public var label: String? {
        get { storage.fields.label }
        set { unique.fields.label = newValue }
    }
    /// Section path: department, then numbered item (["市审计局", "三"]); [] before the first heading.
    public var section: [String] {
        get { storage.fields.section }
        set { unique.fields.section = newValue }
    }
    /// Where the fact's text is in the decoded bulletin.
    public var span: Span {
        get { storage.fields.span }
        set { unique.fields.span = newValue }
    }
    /// The part the figure plays in a rectification tally (total, done, partial, …), or nil.
    public var role: TallyRole? {
        get { storage.fields.role }
        set { unique.fields.role = newValue }
    }
    /// The id of the tally the figure belongs to ("t1"), or nil.
    public var tally: String? {
        get { storage.fields.tally }
        set { unique.fields.tally = newValue }
    }
    /// Whether the figure was read by OCR from a page without a text layer (a scanned PDF): a misread digit
    /// is possible, so a rule can leave such figures out (`ocr: false`) and the report says so.
    public var ocr: Bool {
        get { storage.fields.ocr }
        set { unique.fields.ocr = newValue }
    }

    /// A fact as the extractor finds it; `role` and `tally` start nil and are set by the tally finder.
    public init(
        kind: FactKind, text: String, value: FactValue, unit: String? = nil, amount: Decimal? = nil,
        approx: String? = nil, label: String? = nil, section: [String] = [], span: Span
    ) {
        storage = Storage(
            Fields(
                kind: kind, text: text, value: value, unit: unit, amount: amount, approx: approx, label: label,
                section: section, span: span))
    }

    /// Facts are equal when every field is (the same box is equal without looking).
    public static func == (a: Fact, b: Fact) -> Bool {
        a.storage === b.storage || a.storage.fields == b.storage.fields
    }

    /// Hashes every field, as the synthesised conformance did.
    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }

    /// True when the figure carries an approximation marker, so its value is a bound rather than exact.
    public var isApproximate: Bool { storage.fields.approx != nil }

    /// Money only: the currency, read from the unit (元/万元/亿元 → CNY, `USD million` → USD, 万美元 → USD,
    /// 欧元 → EUR …). Money without a currency unit (a capture typed `money` from a bare number) is in 元.
    public var currency: Currency? {
        guard kind == .money else { return nil }
        return Measure.money(unit)?.currency ?? .cny
    }
}

/// Where a document's publication date was read from, strongest first. A file-name date is a last
/// resort and is reported as such.
public enum PublishedSource: String, Sendable, Hashable, CaseIterable {
    /// A portal metadata line (发布日期：…, 成文日期：…, Published: …).
    case metadata
    /// A dateline subtitle (——2024年12月20日在…会议上).
    case dateline
    /// The signature date at the end (issuer, then the date alone on a line).
    case signature
    /// 今(5)日 in the text, resolved against the latest explicit date.
    case text
    /// The latest explicit date in the text, when the text says 今日 without a day.
    case latestDate = "latest-date"
    /// A date in the file name (…-2021-01-05-…).
    case fileName = "file-name"
}

/// The document-level dates: when it was published and the date its figures stand at.
public struct DocumentDates: Sendable, Hashable {
    /// The publication date, ISO 8601 at the precision found ("2021-01-05"); nil when none was found.
    public var published: String?
    /// The date the figures stand at (截至…), ISO 8601 at the precision stated; nil when none was found.
    public var asOf: String?
    /// Where `published` came from; nil when there is no publication date.
    public var publishedSource: PublishedSource?

    /// Document dates; all nil when nothing was found.
    public init(published: String? = nil, asOf: String? = nil, publishedSource: PublishedSource? = nil) {
        self.published = published
        self.asOf = asOf
        self.publishedSource = publishedSource
    }
}

/// Everything extraction found in one document.
public struct Extraction: Sendable {
    /// Every fact found, in the order the left-to-right scan found them; figures on the portal metadata
    /// lines at the head are left out (their dates are kept).
    public var facts: [Fact]
    /// When the bulletin was published and the date its figures stand at.
    public var dates: DocumentDates
    /// The rectification tallies: each a total with its parts by status and its stated rates, as
    /// indexes into `facts` (see `TallyFinder`).
    public var tallies: [Tally]
    /// The document's genre, which decides where rule sets apply.
    public var genre: Genre
    /// Who issued the bulletin and the series it belongs to (`IssuerFinder`); nil when it cannot be told.
    /// The name is normalised but not yet mapped through a deployment's aliases (the pipeline does that).
    public var issuer: Issuer?

    /// An extraction result; no tallies, an unknown genre and no issuer unless given.
    public init(
        facts: [Fact], dates: DocumentDates, tallies: [Tally] = [], genre: Genre = .unknown, issuer: Issuer? = nil
    ) {
        self.facts = facts
        self.dates = dates
        self.tallies = tallies
        self.genre = genre
        self.issuer = issuer
    }
}

extension Measure {
    /// The measure a fact stands for, when its value is a number. Money is in its currency's base unit
    /// (元, `USD`); money without a currency unit (a capture typed `money` from a bare number) is in 元.
    public init?(fact: Fact) {
        guard let v = fact.value.decimal else { return nil }
        switch fact.kind {
        case .money:
            self.init(v, unit: (fact.currency ?? .cny).baseUnit, approx: fact.approx)
        case .percent:
            self.init(v, unit: "%", approx: fact.approx)
        default:
            self.init(v, unit: fact.unit, approx: fact.approx)
        }
    }
}

extension RandomAccessCollection where Element == Fact, Index == Int {
    /// The index of the first fact whose offset is at least `offset`, by binary search (the facts in
    /// document order, as the extractor gives them).
    package func firstFact(atOrAfter offset: Int) -> Int {
        var lo = startIndex
        var hi = endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].span.offset < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
