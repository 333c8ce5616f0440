import Foundation

/// Finds the figures of a bulletin (counts, percents, money, dates, deadlines, durations), the metric
/// each belongs to, and the document's publication and as-of dates.
///
/// Rule-based and deterministic: one scan over the scalars, then relative dates are resolved against
/// the publication date and labels are read from the clause around each figure.
///
/// Rules of thumb for what is a figure (each has its own test):
/// - an Arabic number is a figure; a Chinese numeral only when a classifier or unit follows (十项, 两轮次);
/// - a numeral + classifier inside a short quotation (≤ 10 characters) is a slogan (“两个维护”);
/// - a lone 一 is an article (统一, 一系列), a lone 二 before a classifier a term (二次供水: counts use 两);
/// - N大 + noun counts (六大机制) below ten; 十九大 names a congress;
/// - 第N is an ordinal; N是 / N、 / (N) / 1. at a line start are list markers;
/// - ≥ 5 bare digits, phone-like tokens, 号/室 numbers, e-mail and web addresses, clock times (24时) and
///   numbers glued to Latin letters or + (5G, PM2.5, 1+N) are identifiers or names;
/// - a bare 4-digit year without 年 (2024川渝论坛) is part of a title;
/// - 三季度 names a quarter, 三年级 a grade; 余/多/超/以上/近/约/左右 are kept as bounds.
public struct FactExtractor: Sendable {
    public let configuration: ExtractionConfiguration

    public init(configuration: ExtractionConfiguration = .default) {
        self.configuration = configuration
    }

    public func extract(_ document: Document) -> Extraction {
        // The scanners read the folded scalars (full-width punctuation as ASCII); fact texts and labels
        // are cut from the original ones.
        let s = document.folded
        var scanner = FactScanner(s, configuration: configuration)
        var drafts = scanner.scan()
        let dates = DocumentDateResolver(document: document, drafts: drafts).resolve()
        DocumentDateResolver.resolveRelative(&drafts, scalars: s, published: dates.published)
        let labels = LabelFinder(scalars: s, original: document.scalars, drafts: drafts)
        var facts = [Fact]()
        facts.reserveCapacity(drafts.count)
        for (k, d) in drafts.enumerated() {
            facts.append(Fact(kind: d.kind, text: document.text(d.range), value: d.value, unit: d.unit, amount: d.amount,
                              approx: d.approx, label: labels.label(k), section: document.sectionPath(at: d.range.lowerBound),
                              span: document.span(d.range)))
        }
        return Extraction(facts: facts, dates: dates)
    }
}

/// Works out `published` and `as_of` for a document, then resolves 今日 / 明年 / 三年内 / 于… against them.
struct DocumentDateResolver {
    let document: Document
    let drafts: [DraftFact]

    func resolve() -> DocumentDates {
        let asOf = drafts.filter { $0.kind == .asOf }.compactMap(\.date).max { $0.lastDay < $1.lastDay }
        return DocumentDates(published: published(asOf: asOf)?.iso, asOf: asOf?.iso)
    }

    /// A metadata line (发布时间:2021-03-02, 发布日期:…, Published: …); else 今(N)日 against the latest
    /// explicit full date; else a signature date; else the file name.
    func published(asOf: CalendarDate?) -> CalendarDate? {
        if let meta = metadataDate() { return meta }
        let explicit = drafts.filter { ($0.kind == .date || $0.kind == .asOf || $0.kind == .dateRange) && $0.dueMarker == nil }
            .compactMap(\.date).filter { $0.day != nil && $0.year > 0 }
        let latest = explicit.max { $0.lastDay < $1.lastDay }
        if let today = drafts.first(where: { if case .today(let d) = $0.relative { return d != nil } else { return false } }),
           case .today(let day?) = today.relative, let base = latest ?? asOf {
            var y = base.year, m = base.month ?? 1
            if CalendarDate.isValid(y, m, day) == false || (asOf.map { (y, m, day) < $0.lastDay } ?? false) {
                m += 1
                if m > 12 { m = 1; y += 1 }
            }
            if CalendarDate.isValid(y, m, day) { return CalendarDate(y, m, day) }
        }
        if let signature = signatureDate() { return signature }
        if let named = Self.dateInName(document.name) { return named }
        if drafts.contains(where: { $0.relative == .today(day: nil) }), let latest { return latest }
        return nil
    }

    static let metadataKeys = ["发布时间", "发布日期", "发稿时间", "发文日期", "成文日期", "印发日期", "Published", "Publication date", "Date"]

    /// A full date right after a metadata key and a colon in the first five lines.
    func metadataDate() -> CalendarDate? {
        for line in 1...min(5, document.lineStarts.count) {
            let text = document.line(line).trimming()
            guard let key = Self.metadataKeys.first(where: { text.hasPrefix($0) }) else { continue }
            guard let afterKey = text.dropFirst(key.count).unicodeScalars.first, ScalarText.foldWidth(afterKey) == ":" else { continue }
            let start = document.lineStarts[line - 1]
            let end = start + document.line(line).unicodeScalars.count
            if let d = drafts.first(where: { $0.kind == .date && $0.range.lowerBound >= start && $0.range.upperBound <= end }),
               let date = d.date, date.day != nil {
                return date
            }
        }
        return nil
    }

    /// A full date alone on one of the last lines (the signature line of an official notice).
    func signatureDate() -> CalendarDate? {
        let lines = document.lineStarts.count
        var seen = 0
        for line in stride(from: lines, through: 1, by: -1) {
            let text = document.line(line).trimming()
            if text.isEmpty { continue }
            seen += 1
            if seen > 3 { break }
            let start = document.lineStarts[line - 1]
            let end = start + document.line(line).unicodeScalars.count
            if let d = drafts.last(where: { $0.kind == .date && $0.range.lowerBound >= start && $0.range.upperBound >= end - 1
                && $0.range.upperBound <= end }), let date = d.date, date.day != nil, text.unicodeScalars.count <= 30 {
                return date
            }
        }
        return nil
    }

    /// "chongqing-2021-01-05-xunshi-progress.txt" → 2021-01-05.
    static func dateInName(_ name: String) -> CalendarDate? {
        let u = Array(name.unicodeScalars)
        guard u.count >= 10 else { return nil }
        func num(_ a: Int, _ b: Int) -> Int? {
            var v = 0
            for k in a..<b { guard let d = FactScanner.digit(u[k]) else { return nil }; v = v * 10 + d }
            return v
        }
        for i in 0...(u.count - 10) {
            if i > 0, FactScanner.digit(u[i - 1]) != nil { continue }
            guard let y = num(i, i + 4), u[i + 4] == "-" || u[i + 4] == "_", let m = num(i + 5, i + 7),
                  u[i + 7] == u[i + 4], let d = num(i + 8, i + 10), (1900...2100).contains(y), CalendarDate.isValid(y, m, d),
                  i + 10 == u.count || FactScanner.digit(u[i + 10]) == nil else { continue }
            return CalendarDate(y, m, d)
        }
        return nil
    }

    static func resolveRelative(_ drafts: inout [DraftFact], scalars s: [Unicode.Scalar], published: String?) {
        let pub = published.flatMap { CalendarDate(iso: $0) }
        for k in drafts.indices {
            var d = drafts[k]
            switch d.relative {
            case .none:
                break
            case .today:
                d.value = pub.map { .date($0.iso) } ?? .unresolved
            case .thisYear:
                let anchor = speechDate(before: d.range.lowerBound, drafts: drafts, s) ?? pub
                if let a = anchor { d.value = .date(yearValue(a.year, d.template, range: d.range, s)) }
            case .lastYear:
                if let p = pub { d.value = .date(String(p.year - 1)) }
            case .nextYear:
                let anchor = speechDate(before: d.range.lowerBound, drafts: drafts, s) ?? pub
                if let a = anchor { d.value = .date(yearValue(a.year + 1, d.template, range: d.range, s)) }
            case .within(let years, let months):
                let duration = years > 0 ? "P\(years)Y" : "P\(months)M"
                if let p = pub, p.day != nil {
                    d.value = .period(duration: duration, start: p.iso, end: p.periodEnd(years: years, months: months).iso)
                } else {
                    d.value = .duration(duration)
                }
            }
            // 于2021年: a deadline when the date is not yet past at publication.
            if let marker = d.dueMarker, let date = d.date, d.kind == .date {
                if let p = pub, date.lastDay >= p.firstDay {
                    d.kind = .deadline
                    d.range = marker..<d.range.upperBound
                }
            }
            drafts[k] = d
        }
    }

    /// "2021" or "2021-12" for 明年底 / 今年底.
    static func yearValue(_ year: Int, _ template: CalendarDate?, range: Range<Int>, _ s: [Unicode.Scalar]) -> String {
        if let t = template { return CalendarDate(year, t.month, t.day).iso }
        for k in range where s[k] == "底" || s[k] == "末" { return CalendarDate(year, 12).iso }
        return String(year)
    }

    /// The date of a quoted speech: a full date earlier on the same line, before the quotation that holds `offset`.
    static func speechDate(before offset: Int, drafts: [DraftFact], _ s: [Unicode.Scalar]) -> CalendarDate? {
        var k = offset - 1
        var open: Int? = nil
        while k >= 0, s[k] != "\n" {
            if s[k] == "”" { return nil }
            if s[k] == "“" { open = k; break }
            k -= 1
        }
        guard let o = open else { return nil }
        var lineStart = o
        while lineStart > 0, s[lineStart - 1] != "\n" { lineStart -= 1 }
        return drafts.last { $0.range.upperBound <= o && $0.range.lowerBound >= lineStart && $0.date?.day != nil
            && ($0.kind == .date) }?.date
    }
}
