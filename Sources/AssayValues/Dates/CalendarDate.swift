/// A calendar date at the precision the text states: a year, a month, or a day.
///
/// Kept as integers, not `Date`, because bulletins never state a time zone and "2020" must stay "2020".
package struct CalendarDate: Sendable, Hashable {
    package var year: Int
    package var month: Int?
    package var day: Int?

    package init(_ year: Int, _ month: Int? = nil, _ day: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// ISO 8601 at the stated precision: "2020", "2020-11", "2020-11-27".
    package var iso: String {
        var s = String(year)
        if let m = month {
            s += "-" + (m < 10 ? "0" : "") + String(m)
            if let d = day { s += "-" + (d < 10 ? "0" : "") + String(d) }
        }
        return s
    }

    /// Parses "2020", "2020-11" or "2020-11-27".
    package init?(iso: String) {
        let parts = iso.split(separator: "-").map { Int($0) }
        guard (1...3).contains(parts.count), parts.allSatisfy({ $0 != nil }) else { return nil }
        self.init(parts[0]!, parts.count > 1 ? parts[1] : nil, parts.count > 2 ? parts[2] : nil)
    }

    /// The last day this date covers (2020 → 2020-12-31), for "is it after" questions.
    package var lastDay: (Int, Int, Int) {
        let m = month ?? 12
        return (year, m, day ?? Self.daysIn(year, m))
    }

    /// The first day this date covers.
    package var firstDay: (Int, Int, Int) { (year, month ?? 1, day ?? 1) }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    package static func isValid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        (1...12).contains(m) && d >= 1 && d <= daysIn(y, m)
    }

    /// A full date plus years and months, minus one day: the last day of a period that starts here.
    package func periodEnd(years: Int, months: Int) -> CalendarDate {
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

extension CalendarDate {
    /// Why a date written in a rule, waiver or configuration file was refused. The description follows
    /// the key it was found at: `target 'feedback_day' date '2020-13-45' is not a real date (month 13)`.
    package enum WrittenDateError: Error, Equatable, CustomStringConvertible {
        /// Not in the ISO form asked for: "soon", "2020-9-10", or "2030-01" where a day is needed.
        case notISO(String, dayRequired: Bool)
        /// In form, but no day of the calendar; the reason says which part is wrong.
        case notReal(String, reason: String)

        package var description: String {
            switch self {
            case .notISO(let text, let dayRequired):
                return "'\(text)' is not a date " + (dayRequired ? "YYYY-MM-DD" : "(YYYY, YYYY-MM or YYYY-MM-DD)")
            case .notReal(let text, let reason):
                return "'\(text)' is not a real date (\(reason))"
            }
        }
    }

    package static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    /// The one reading of a date written in a rule, waiver or configuration file: ISO 8601 at the
    /// precision written ("2020", "2020-09", "2020-09-10"; ASCII digits, four for the year, two for the
    /// month and the day), a real calendar date (month 1–12, the day within its month, leap years by the
    /// Gregorian rule). With `dayRequired`, only a full date is taken.
    package init(written text: String, dayRequired: Bool = false) throws(WrittenDateError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (dayRequired ? 3...3 : 1...3).contains(parts.count),
              zip(parts, widths).allSatisfy({ part, width in part.utf8.count == width && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } })
        else { throw .notISO(text, dayRequired: dayRequired) }
        let numbers = parts.compactMap { Int($0) }
        let year = numbers[0]
        if numbers.count > 1 {
            let month = numbers[1]
            guard (1...12).contains(month) else { throw .notReal(text, reason: "month \(month)") }
            if numbers.count > 2 {
                let day = numbers[2], days = Self.daysIn(year, month)
                guard day >= 1 else { throw .notReal(text, reason: "day \(day)") }
                guard day <= days else {
                    throw .notReal(text, reason: "\(Self.monthNames[month - 1]) \(year) has \(days) days")
                }
            }
        }
        self.init(year, numbers.count > 1 ? numbers[1] : nil, numbers.count > 2 ? numbers[2] : nil)
    }
}
