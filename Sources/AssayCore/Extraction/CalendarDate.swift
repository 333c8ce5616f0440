/// A calendar date at the precision the text states: a year, a month, or a day.
///
/// Kept as integers, not `Date`, because bulletins never state a time zone and "2020" must stay "2020".
struct CalendarDate: Sendable, Hashable {
    var year: Int
    var month: Int?
    var day: Int?

    init(_ year: Int, _ month: Int? = nil, _ day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// ISO 8601 at the stated precision: "2020", "2020-11", "2020-11-27".
    var iso: String {
        var s = String(year)
        if let m = month {
            s += "-" + (m < 10 ? "0" : "") + String(m)
            if let d = day { s += "-" + (d < 10 ? "0" : "") + String(d) }
        }
        return s
    }

    /// Parses "2020", "2020-11" or "2020-11-27".
    init?(iso: String) {
        let parts = iso.split(separator: "-").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        self.init(parts[0]!, parts.count > 1 ? parts[1] : nil, parts.count > 2 ? parts[2] : nil)
    }

    /// The last day this date covers (2020 → 2020-12-31), for "is it after" questions.
    var lastDay: (Int, Int, Int) {
        let m = month ?? 12
        return (year, m, day ?? Self.daysIn(year, m))
    }

    /// The first day this date covers.
    var firstDay: (Int, Int, Int) { (year, month ?? 1, day ?? 1) }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isValid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        (1...12).contains(m) && d >= 1 && d <= daysIn(y, m)
    }

    /// A full date plus years and months, minus one day: the last day of a period that starts here.
    func periodEnd(years: Int, months: Int) -> CalendarDate {
        let (y0, m0, d0) = firstDay
        var total = y0 * 12 + (m0 - 1) + years * 12 + months
        var y = total / 12, m = total % 12 + 1
        var d = min(d0, Self.daysIn(y, m)) - 1
        if d == 0 {
            total -= 1
            y = total / 12; m = total % 12 + 1
            d = Self.daysIn(y, m)
        }
        return CalendarDate(y, m, d)
    }
}
