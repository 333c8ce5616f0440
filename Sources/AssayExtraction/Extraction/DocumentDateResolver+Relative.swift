import AssayValues
import Foundation

/// Relative dates (今日, 明年, 三年内, 于…) resolved against the publication date or a speech's date.
extension DocumentDateResolver {
    static func resolveRelative(_ drafts: inout [DraftFact], scalars s: [Unicode.Scalar], published: String?) {
        let pub = published.flatMap { CalendarDate(iso: $0) }
        var speeches = SpeechDates(drafts, s)
        for k in drafts.indices {
            // Only drafts that change are copied out and back (a copy of each draft was a fifth of a 16 MB check).
            if drafts[k].relative == .none && drafts[k].dueMarker == nil { continue }
            var d = drafts[k]
            switch d.relative {
            case .none:
                break
            case .today:
                d.value = pub.map { .date($0.iso) } ?? .unresolved
            case .thisYear:
                let anchor = speeches.anchor(before: d.range.lowerBound, drafts) ?? pub
                if let a = anchor { d.value = .date(yearValue(a.year, d.template, range: d.range, s)) }
            case .lastYear:
                if let p = pub { d.value = .date(String(p.year - 1)) }
            case .nextYear:
                let anchor = speeches.anchor(before: d.range.lowerBound, drafts) ?? pub
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

    /// `speechDate(before:drafts:_:)` for offsets asked in increasing order, in time linear in the text: the
    /// last quotation mark and line break before the offset come from one forward sweep, and the dates
    /// looked at from a binary search of the drafts' starts. Offsets out of order, or drafts not sorted by
    /// their starts, take the plain search.
    struct SpeechDates {
        let s: [Unicode.Scalar]
        /// The drafts' starts as given to `init`, when they are in order; else nil.
        let starts: [Int]?
        /// The sweep: every scalar before `swept` has been looked at.
        var swept = 0
        var lastOpen = -1
        var lastClose = -1
        var lastBreak = -1

        init(_ drafts: [DraftFact], _ s: [Unicode.Scalar]) {
            self.s = s
            let starts = drafts.map(\.range.lowerBound)
            self.starts = starts.indices.dropFirst().allSatisfy { starts[$0 - 1] <= starts[$0] } ? starts : nil
        }

        /// The index of the first start at least `offset`.
        func firstStart(atOrAfter offset: Int, _ starts: [Int]) -> Int { starts.partitionPoint { $0 < offset } }

        /// As `DocumentDateResolver.speechDate(before:drafts:_:)` on the drafts as they are now. A draft that
        /// `resolveRelative` changed is a deadline (and so never a speech's date); the others keep the starts
        /// the index was made from.
        mutating func anchor(before offset: Int, _ drafts: [DraftFact]) -> CalendarDate? {
            guard let starts, offset >= swept else {
                return DocumentDateResolver.speechDate(before: offset, drafts: drafts, s)
            }
            while swept < offset {
                switch s[swept] {
                case "“": lastOpen = swept
                case "”": lastClose = swept
                case "\n": lastBreak = swept
                default: break
                }
                swept += 1
            }
            // The walk back from the offset stops at the first of these it meets: only an opening mark counts.
            guard lastOpen > lastClose, lastOpen > lastBreak else { return nil }
            let o = lastOpen
            let lineStart = lastBreak + 1
            let window = firstStart(atOrAfter: lineStart, starts)..<firstStart(atOrAfter: o + 1, starts)
            for j in window.reversed() {
                let d = drafts[j]
                if d.range.upperBound <= o && d.range.lowerBound >= lineStart && d.date?.day != nil && d.kind == .date {
                    return d.date
                }
            }
            return nil
        }
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
