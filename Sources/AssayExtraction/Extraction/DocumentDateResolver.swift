import AssayValues
import Foundation

/// Works out `published` and `as_of` for a document, then resolves 今日 / 明年 / 三年内 / 于… against them.
struct DocumentDateResolver {
    let document: Document
    let drafts: [DraftFact]

    func resolve() -> DocumentDates {
        let asOf = drafts.filter { $0.kind == .asOf }.compactMap(\.date).max { $0.lastDay < $1.lastDay }
        let published = published(asOf: asOf)
        return DocumentDates(published: published?.date.iso, asOf: asOf?.iso, publishedSource: published?.source)
    }

    /// The publication date and where it was read, strongest source first (`PublishedSource`):
    /// a metadata line at the head (发布日期：2024-03-15, `日期:2024-03-15 来源:…`, Published: …); else a
    /// dateline subtitle (——2024年12月20日在…会议上); else the signature date (a date alone on one of the
    /// last lines); else 今(N)日 resolved against the latest explicit full date (or the as-of date); else
    /// the latest explicit full date when the text says 今日 without a day; else, as a last resort, a
    /// date in the file name.
    func published(asOf: CalendarDate?) -> (date: CalendarDate, source: PublishedSource)? {
        if let meta = metadataDate() { return (meta, .metadata) }
        if let dateline = datelineDate() { return (dateline, .dateline) }
        if let signature = signatureDate() { return (signature, .signature) }
        let explicit = drafts.filter {
            ($0.kind == .date || $0.kind == .asOf || $0.kind == .dateRange) && $0.dueMarker == nil
        }
        .compactMap(\.date).filter { $0.day != nil && $0.year > 0 }
        let latest = explicit.max { $0.lastDay < $1.lastDay }
        if let today = drafts.first(where: {
            if case .today(let d) = $0.relative { return d != nil } else { return false }
        }),
            case .today(let day?) = today.relative, let base = latest ?? asOf
        {
            var y = base.year
            var m = base.month ?? 1
            if CalendarDate.isValid(y, m, day) == false || (asOf.map { (y, m, day) < $0.lastDay } ?? false) {
                m += 1
                if m > 12 { m = 1; y += 1 }
            }
            if CalendarDate.isValid(y, m, day) { return (CalendarDate(y, m, day), .text) }
        }
        if drafts.contains(where: { $0.relative == .today(day: nil) }), let latest { return (latest, .latestDate) }
        if let named = Self.dateInName(document.name) { return (named, .fileName) }
        return nil
    }

    /// Keys of the head's metadata lines that give the publication date, in order of preference: a
    /// publication date before a generic date, the date of writing (成文日期) last.
    static let metadataKeys = [
        "发布日期", "发布时间", "发文日期", "发稿时间", "日期", "时间", "更新日期", "更新时间",
        "Published", "Publication date", "Date", "成文日期", "印发日期",
    ]

    /// A full date opening the value of a date key on a metadata line at the head
    /// (`DocumentMetadata`): 2024-03-15, 2024/03/15, 2024年03月15日, with or without a time after it.
    func metadataDate() -> CalendarDate? {
        for key in Self.metadataKeys {
            guard let field = document.metadata.field(key) else { continue }
            if let date = fullDate(startingAt: field.value.lowerBound, within: field.value.upperBound) { return date }
        }
        return nil
    }

    /// The date of a dateline subtitle under the title (——2024年12月20日在…会议上, (2024年12月20日在…)).
    func datelineDate() -> CalendarDate? {
        for line in document.metadata.lines where line.place == .dateline {
            if let d = drafts.first(where: { $0.kind == .date && line.range.contains($0.range.lowerBound) }),
                let date = d.date, date.day != nil, date.year > 0
            {
                return date
            }
        }
        return nil
    }

    /// A date fact with a day that starts at `start` and ends by `end`.
    func fullDate(startingAt start: Int, within end: Int) -> CalendarDate? {
        guard let d = drafts.first(where: { ($0.kind == .date || $0.kind == .asOf) && $0.range.lowerBound == start }),
            d.range.upperBound <= end, let date = d.date, date.day != nil, date.year > 0
        else { return nil }
        return date
    }

    /// A full date alone on one of the last three lines other than contact lines (the signature line of
    /// an official notice, which a contact block may follow).
    func signatureDate() -> CalendarDate? {
        let lines = document.lineStarts.count
        var seen = 0
        for line in stride(from: lines, through: 1, by: -1) {
            let text = document.line(line).trimming()
            if text.isEmpty || document.metadata.line(line)?.place == .contact { continue }
            seen += 1
            if seen > 3 { break }
            let start = document.lineStarts[line - 1]
            let end = start + document.line(line).unicodeScalars.count
            if let d = drafts.last(where: {
                $0.kind == .date && $0.range.lowerBound >= start && $0.range.upperBound >= end - 1
                    && $0.range.upperBound <= end
            }), let date = d.date, date.day != nil, text.unicodeScalars.count <= 30 {
                return date
            }
        }
        return nil
    }

    /// "chongqing-2021-01-05-xunshi-progress.txt" → 2021-01-05. The last resort: a file name says when a
    /// file was saved or named, not when the bulletin was published.
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
                u[i + 7] == u[i + 4], let d = num(i + 8, i + 10), (1900...2100).contains(y),
                CalendarDate.isValid(y, m, d),
                i + 10 == u.count || FactScanner.digit(u[i + 10]) == nil
            else { continue }
            return CalendarDate(y, m, d)
        }
        return nil
    }
}
