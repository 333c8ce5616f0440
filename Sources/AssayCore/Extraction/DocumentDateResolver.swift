import Foundation

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
}
