import AssayValues
import Foundation

/// Dates: 2020年11月27日, 2020年1—11月, 2020-2022年, 2020年度, 2020-11-27, 1月3日, 二〇二〇年十一月,
/// and English "June 30, 2024" / "June 2024".
extension FactScanner {
    static let monthNames: [([Unicode.Scalar], Int)] = {
        let names = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december",
        ]
        var list = [([Unicode.Scalar], Int)]()
        for (k, name) in names.enumerated() {
            list.append((Array(name.unicodeScalars), k + 1))
            if name.count > 3 { list.append((Array(name.prefix(name == "september" ? 4 : 3).unicodeScalars), k + 1)) }
            if name == "september" { list.append((Array("sep".unicodeScalars), 9)) }
        }
        return list.sorted { $0.0.count > $1.0.count }
    }()

    /// A year written with 4 Arabic digits or 4 Chinese digits (二〇二〇), 1900–2100.
    func year(at i: Int) -> (value: Int, end: Int)? {
        guard i < n else { return nil }
        if Self.digit(s[i]) != nil {
            var j = i
            var v = 0
            while j < n, j - i < 5, let d = Self.digit(s[j]) { v = v * 10 + d; j += 1 }
            guard j - i == 4, (1900...2100).contains(v) else { return nil }
            if let c = at(j), c == ".", let d = at(j + 1), Self.digit(d) != nil,
                at(j + 2).map({ Self.digit($0) != nil && at(j + 3) == "年" }) == true
            {
                return nil
            }
            return (v, j)
        }
        guard i + 4 <= n, (0..<4).allSatisfy({ ChineseNumeral.digit(s[i + $0]) != nil }),
            let v = ChineseNumeral.value(s[i..<(i + 4)]), (1900...2100).contains(v)
        else { return nil }
        return (v, i + 4)
    }

    /// A month or day number: 1–2 Arabic digits, or a Chinese numeral up to 三十一.
    package func dayNumber(at i: Int) -> (value: Int, end: Int)? {
        if let d = at(i), Self.digit(d) != nil { return smallInt(at: i) }
        var j = i
        while j < n, j - i < 3, ChineseNumeral.isNumeralScalar(s[j]) { j += 1 }
        guard j > i, let v = ChineseNumeral.value(s[i..<j]) else { return nil }
        return (v, j)
    }

    /// A date or a date range starting at `i`.
    mutating func date(at i: Int) -> DraftFact? {
        // 2020-11-27, 2020/11/27, 2020.11.27
        if let y = year(at: i), y.end < n, let sep = at(y.end), sep == "-" || sep == "/" || sep == ".",
            let m = smallInt(at: y.end + 1), at(m.end) == sep, let d = smallInt(at: m.end + 1),
            CalendarDate.isValid(y.value, m.value, d.value), !(at(d.end).map { Self.digit($0) != nil } ?? false)
        {
            let date = CalendarDate(y.value, m.value, d.value)
            contextYear = y.value
            return DraftFact(kind: .date, range: i..<d.end, value: .date(date.iso), date: date)
        }
        // 2021915日: a date with its separators missing (year, then month and day run together)
        if i + 4 <= n, (0..<4).allSatisfy({ Self.digit(s[i + $0]) != nil }),
            case let yv = (0..<4).reduce(0, { $0 * 10 + Self.digit(s[i + $1])! }), (1900...2100).contains(yv)
        {
            let y = (value: yv, end: i + 4)
            var j = y.end
            while j < n, j - y.end < 5, Self.digit(s[j]) != nil { j += 1 }
            if j - y.end == 3 || j - y.end == 4, at(j) == "日" || at(j) == "号" {
                var v = [Int]()
                for k in y.end..<j { v.append(Self.digit(s[k])!) }
                let candidates =
                    v.count == 4
                    ? [(v[0] * 10 + v[1], v[2] * 10 + v[3])]
                    : [(v[0], v[1] * 10 + v[2]), (v[0] * 10 + v[1], v[2])]
                if let (m, d) = candidates.first(where: { CalendarDate.isValid(y.value, $0.0, $0.1) }) {
                    let date = CalendarDate(y.value, m, d)
                    contextYear = y.value
                    return DraftFact(kind: .date, range: i..<(j + 1), value: .date(date.iso), date: date)
                }
            }
        }
        // 2020-2022年, 2020—2022年
        if let y = year(at: i), let dash = at(y.end), Self.isRangeDash(dash), let y2 = year(at: y.end + 1),
            at(y2.end) == "年", Self.digit(s[i]) != nil, y2.value >= y.value
        {
            var e = y2.end + 1
            if at(e) == "度" { e += 1 }
            contextYear = y2.value
            return DraftFact(
                kind: .dateRange, range: i..<e, value: .range(start: String(y.value), end: String(y2.value)),
                date: CalendarDate(y2.value))
        }
        if let y = year(at: i), at(y.end) == "年" {
            guard let first = yearMonthDay(y.value, from: y.end + 1) else { return nil }
            contextYear = y.value
            return rangeContinuation(start: i, first: first.date, end: first.end, monthRangeEnd: first.monthRangeEnd)
        }
        // 1—10月 (year from context)
        if let cy = contextYear, let d = at(i), Self.digit(d) != nil, let m = smallInt(at: i), let dash = at(m.end),
            Self.isRangeDash(dash), let m2 = smallInt(at: m.end + 1), at(m2.end) == "月",
            (1...12).contains(m.value), (1...12).contains(m2.value), m2.value > m.value, at(i - 1) != "第"
        {
            let end = CalendarDate(cy, m2.value)
            return DraftFact(
                kind: .dateRange, range: i..<(m2.end + 1),
                value: .range(start: CalendarDate(cy, m.value).iso, end: end.iso), date: end)
        }
        // 1月3日, 11月 (year from context)
        if let d = at(i), Self.digit(d) != nil, let m = smallInt(at: i), at(m.end) == "月", (1...12).contains(m.value),
            at(i - 1) != "个"
        {
            var e = m.end + 1
            var date = CalendarDate(contextYear ?? 0, m.value)
            if let d = smallInt(at: e), at(d.end) == "日" || at(d.end) == "号" {
                guard CalendarDate.isValid(contextYear ?? 2000, m.value, d.value) else { return nil }
                date.day = d.value
                e = d.end + 1
            } else if at(e) == "份" {
                e += 1
            }
            if at(e) == "底" || at(e) == "末" { e += 1 }
            guard contextYear != nil else {
                return DraftFact(kind: .date, range: i..<e, value: .unresolved)
            }
            return rangeContinuation(start: i, first: date, end: e, monthRangeEnd: nil)
        }
        // English: June 30, 2024 / June 2024
        if let e = englishDate(at: i) {
            contextYear = e.date.year
            return DraftFact(kind: .date, range: i..<e.end, value: .date(e.date.iso), date: e.date)
        }
        return nil
    }

    /// After "YYYY年": [度|底|末], or M月 [D日], or M—M月.
    func yearMonthDay(_ y: Int, from j0: Int) -> (date: CalendarDate, end: Int, monthRangeEnd: Int?)? {
        var j = j0
        var date = CalendarDate(y)
        if let c = at(j), c == "度" { return (date, j + 1, nil) }
        if let c = at(j), c == "底" || c == "末" { date.month = 12; return (date, j + 1, nil) }
        guard let m = dayNumber(at: j), (1...12).contains(m.value) else { return (date, j, nil) }
        // 2020年1—11月
        if let dash = at(m.end), Self.isRangeDash(dash), let m2 = dayNumber(at: m.end + 1), at(m2.end) == "月",
            (1...12).contains(m2.value), m2.value > m.value
        {
            date.month = m.value
            return (date, m2.end + 1, m2.value)
        }
        guard at(m.end) == "月" else { return (date, j, nil) }
        date.month = m.value
        j = m.end + 1
        if let d = dayNumber(at: j), at(d.end) == "日" || at(d.end) == "号", CalendarDate.isValid(y, m.value, d.value) {
            date.day = d.value
            return (date, d.end + 1, nil)
        }
        if at(j) == "份" { j += 1 }
        if let c = at(j), c == "底" || c == "末" { j += 1 }
        return (date, j, nil)
    }

    /// A second date after 至 / — / 到 turns a date into a range (2020年11月10日至12月5日).
    func rangeContinuation(start i: Int, first: CalendarDate, end e: Int, monthRangeEnd: Int?) -> DraftFact {
        if let m2 = monthRangeEnd {
            let end = CalendarDate(first.year, m2)
            return DraftFact(kind: .dateRange, range: i..<e, value: .range(start: first.iso, end: end.iso), date: end)
        }
        if let dash = at(e), Self.isRangeDash(dash), first.year > 0 {
            let j = e + 1
            var second: (CalendarDate, Int)? = nil
            if let y = year(at: j), at(y.end) == "年", let r = yearMonthDay(y.value, from: y.end + 1) {
                second = (r.date, r.end)
            } else if first.month != nil, let m = dayNumber(at: j), at(m.end) == "月", (1...12).contains(m.value) {
                var d2 = CalendarDate(first.year, m.value)
                var k = m.end + 1
                if first.day != nil, let d = dayNumber(at: k), at(d.end) == "日" || at(d.end) == "号",
                    CalendarDate.isValid(first.year, m.value, d.value)
                {
                    d2.day = d.value
                    k = d.end + 1
                }
                second = (d2, k)
            } else if let fm = first.month, first.day != nil, let d = dayNumber(at: j), at(d.end) == "日",
                CalendarDate.isValid(first.year, fm, d.value)
            {
                second = (CalendarDate(first.year, fm, d.value), d.end + 1)
            }
            if let (d2, k) = second, (d2.month == nil) == (first.month == nil), d2.lastDay >= first.firstDay {
                return DraftFact(kind: .dateRange, range: i..<k, value: .range(start: first.iso, end: d2.iso), date: d2)
            }
        }
        return DraftFact(kind: .date, range: i..<e, value: .date(first.iso), date: first)
    }

    // MARK: - English

    func lowerMatches(_ i: Int, _ word: [Unicode.Scalar]) -> Bool {
        guard i + word.count <= n else { return false }
        for k in 0..<word.count {
            let c = s[i + k].value
            let lower = (c >= 0x41 && c <= 0x5A) ? c + 0x20 : c
            if lower != word[k].value { return false }
        }
        return !(at(i + word.count).map(Self.isLatin) ?? false)
    }

    /// "June 30, 2024", "Jun. 30 2024", "June 2024".
    func englishDate(at i: Int) -> (date: CalendarDate, end: Int)? {
        // day first: 30 June 2024
        if let d = at(i), Self.digit(d) != nil, let day = smallInt(at: i), at(day.end) == " ",
            let m = Self.monthNames.first(where: { lowerMatches(day.end + 1, $0.0) })
        {
            let k = day.end + 1 + m.0.count
            if at(k) == " ", let y = year(at: k + 1), Self.digit(s[k + 1]) != nil,
                CalendarDate.isValid(y.value, m.1, day.value)
            {
                return (CalendarDate(y.value, m.1, day.value), y.end)
            }
            return nil
        }
        guard let c = at(i), Self.isLatin(c) else { return nil }
        for (name, month) in Self.monthNames where lowerMatches(i, name) {
            var j = i + name.count
            if at(j) == "." { j += 1 }
            guard at(j) == " " else { return nil }
            j += 1
            if let y = year(at: j), Self.digit(s[j]) != nil, !(at(y.end).map { Self.digit($0) != nil } ?? false) {
                return (CalendarDate(y.value, month), y.end)
            }
            guard let d = smallInt(at: j) else { return nil }
            var k = d.end
            if at(k) == "," { k += 1 }
            guard at(k) == " " else { return nil }
            k += 1
            guard let y = year(at: k), Self.digit(s[k]) != nil, CalendarDate.isValid(y.value, month, d.value) else {
                return nil
            }
            return (CalendarDate(y.value, month, d.value), y.end)
        }
        return nil
    }

    /// English words that open a fact: "As of June 30, 2024" (as-of), "by March 2025" (deadline), month names.
    mutating func english(at i: Int) -> Int? {
        if lowerMatches(i, Array("as".unicodeScalars)), at(i + 2) == " ",
            lowerMatches(i + 3, Array("of".unicodeScalars)),
            at(i + 5) == " ", let d = englishDate(at: i + 6)
        {
            contextYear = d.date.year
            facts.append(DraftFact(kind: .asOf, range: i..<d.end, value: .date(d.date.iso), date: d.date))
            return d.end
        }
        if lowerMatches(i, Array("by".unicodeScalars)), at(i + 2) == " ", let d = englishDate(at: i + 3) {
            contextYear = d.date.year
            // "completed by March 31, 2024" says when the work was done: a date, not a deadline
            if reportedReached(before: i) {
                facts.append(DraftFact(kind: .date, range: (i + 3)..<d.end, value: .date(d.date.iso), date: d.date))
            } else {
                facts.append(DraftFact(kind: .deadline, range: i..<d.end, value: .date(d.date.iso), date: d.date))
            }
            return d.end
        }
        if let d = englishDate(at: i) {
            contextYear = d.date.year
            var f = DraftFact(kind: .date, range: i..<d.end, value: .date(d.date.iso), date: d.date)
            // "Target date: March 31, 2024", "target completion date of March 31, 2024"
            if let word = englishDeadlineWord(before: i) {
                f.kind = .deadline
                f.keyword = word
            }
            facts.append(f)
            return d.end
        }
        if let e = currencyCode(at: i) { return e }
        // skip the rest of the word
        var j = i
        while j < n, Self.isLatin(s[j]) { j += 1 }
        return j
    }

    /// " percent" / "per cent" after a number: the end of the word.
    func englishPercent(at j: Int) -> Int? {
        var k = j
        if at(k) == " " { k += 1 }
        if lowerMatches(k, Array("percent".unicodeScalars)) { return k + 7 }
        if lowerMatches(k, Array("per".unicodeScalars)), at(k + 3) == " ",
            lowerMatches(k + 4, Array("cent".unicodeScalars))
        {
            return k + 8
        }
        return nil
    }

    /// English magnitudes after an amount: `Measure.englishMagnitudes` and the short forms bn, m, k
    /// (written right after the number: $2.4m).
    package static let englishMagnitudes: [([Unicode.Scalar], Decimal, String)] =
        Measure.englishMagnitudes.map { (Array($0.word.unicodeScalars), $0.factor, $0.word) }
        + [
            (Array("bn".unicodeScalars), 1_000_000_000, "billion"), (Array("m".unicodeScalars), 1_000_000, "million"),
            (Array("k".unicodeScalars), 1_000, "thousand"),
        ]

    /// Currency codes that open an amount: USD 5,000,000, EUR 2 million, RMB 3 million.
    static let currencyCodes: [([Unicode.Scalar], Currency)] =
        Currency.prefixes.filter {
            $0.0.count == 3 && $0.0.unicodeScalars.allSatisfy { $0.value >= 0x41 && $0.value <= 0x5A }
        }
        .map { (Array($0.0.unicodeScalars), $0.1) }

    /// A sign before an amount: "$1.2 million" → money 1200000, amount 1.2, unit "USD million" (the value in
    /// dollars); US$ and HK$ name their dollars, € is EUR and £ GBP. A dollar of another country (A$, C$,
    /// NT$) is in no currency Assay knows: its amount is skipped, never read as US dollars.
    mutating func currencySign(at i: Int) -> Int? {
        guard let d = at(i + 1), Self.digit(d) != nil else { return nil }
        var start = i
        var currency: Currency = s[i] == "€" ? .eur : s[i] == "£" ? .gbp : .usd
        if s[i] == "$", i >= 1, Self.isLatin(s[i - 1]) {
            var k = i
            while k > 0, Self.isLatin(s[k - 1]) { k -= 1 }
            switch string(k..<i) {
            case "US": currency = .usd
            case "HK": currency = .hkd
            default: return amount(at: i + 1)?.end ?? i + 1
            }
            start = k
        }
        return money(from: start, numberAt: i + 1, currency)
    }

    /// A currency code before an amount: "USD 5,000,000" → money 5000000, unit "USD".
    mutating func currencyCode(at i: Int) -> Int? {
        guard let (w, currency) = Self.currencyCodes.first(where: { matches(i, $0.0) }),
            !(at(i + w.count).map(Self.isLatin) ?? false)
        else { return nil }
        var k = i + w.count
        if let c = at(k), Self.isSpace(c) { k += 1 }
        guard let d = at(k), Self.digit(d) != nil else { return nil }
        return money(from: i, numberAt: k, currency)
    }

    /// An amount and its English magnitude: 1.2 million, 2.4m, 310,000.
    package func amount(at i: Int) -> (value: Decimal, multiplier: Decimal, magnitude: String?, end: Int)? {
        guard let num = arabicNumber(at: i) else { return nil }
        let j = num.end
        let k = at(j) == " " ? j + 1 : j
        for (w, m, name) in Self.englishMagnitudes where lowerMatches(k, w) {
            if w.count <= 2 && k != j { continue }
            return (num.value, m, name, k + w.count)
        }
        return (num.value, 1, nil, j)
    }

    /// A money fact from `start` over the amount at `numberAt`, in `currency`.
    package mutating func money(from start: Int, numberAt: Int, _ currency: Currency) -> Int? {
        guard let a = amount(at: numberAt) else { return nil }
        facts.append(
            DraftFact(
                kind: .money, range: start..<a.end, value: .number(a.value * a.multiplier),
                unit: currency.rawValue + (a.magnitude.map { " " + $0 } ?? ""), amount: a.value))
        return a.end
    }

    /// A currency named in words after an amount: " million dollars", " US dollars", " euros". Returns the
    /// end, the magnitude and the currency.
    func currencyWords(after j: Int) -> (end: Int, multiplier: Decimal, magnitude: String?, currency: Currency)? {
        guard at(j) == " " else { return nil }
        var k = j + 1
        var multiplier: Decimal = 1
        var magnitude: String? = nil
        for (w, m, name) in Self.englishMagnitudes where w.count > 2 && lowerMatches(k, w) && at(k + w.count) == " " {
            multiplier = m
            magnitude = name
            k += w.count + 1
            break
        }
        for (w, c) in Self.currencyWordsAfter where lowerMatches(k, w) {
            return (k + w.count, multiplier, magnitude, c)
        }
        return nil
    }

    static let currencyWordsAfter: [([Unicode.Scalar], Currency)] =
        ([
            ("us dollars", .usd), ("u.s. dollars", .usd), ("dollars", .usd), ("dollar", .usd), ("euros", .eur),
        ] as [(String, Currency)]).map { (Array($0.0.unicodeScalars), $0.1) }
}
