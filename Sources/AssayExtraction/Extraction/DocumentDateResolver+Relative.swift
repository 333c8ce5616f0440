import AssayValues
import Foundation

/// Relative dates (今日, 明年, 三年内, 于…) resolved against the publication date or a speech's date.
extension DocumentDateResolver {
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
                    d.value = .period(
                        duration: duration, start: p.iso, end: p.periodEnd(years: years, months: months).iso)
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
        return drafts.last {
            $0.range.upperBound <= o && $0.range.lowerBound >= lineStart && $0.date?.day != nil
                && ($0.kind == .date)
        }?.date
    }
}
