/// A calendar date at the precision the text states: a year, a month, or a day.
///
/// Kept as integers, not `Date`, because bulletins never state a time zone and "2020" must stay "2020".
package struct CalendarDate: Sendable, Hashable {
    /// The year of the Gregorian calendar.
    package var year: Int
    /// The month, 1–12; nil for a date stated to the year only.
    package var month: Int?
    /// The day of the month, 1-based; nil for a date stated to the year or the month only.
    package var day: Int?

    /// A date at the precision given: a year, a year and month, or a full date. Not checked against the calendar.
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

    /// Parses "2020", "2020-11" or "2020-11-27", a real day of the calendar; nil otherwise. The one
    /// reading of ISO text (`init(written:)`, without its reasons).
    package init?(iso: String) {
        guard let date = try? CalendarDate(written: iso) else { return nil }
        self = date
    }

    /// The last day this date covers (2020 → 2020-12-31), for "is it after" questions.
    package var lastDay: (Int, Int, Int) {
        let m = month ?? 12
        return (year, m, day ?? Self.daysIn(year, m))
    }

    /// The first day this date covers.
    package var firstDay: (Int, Int, Int) { (year, month ?? 1, day ?? 1) }

    /// True for a leap year of the Gregorian calendar.
    package static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// The number of days in month `m` (1–12) of year `y`, February by the leap-year rule.
    package static func daysIn(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// True when month `m` is 1–12 and day `d` is a day of that month in year `y`.
    package static func isValid(_ y: Int, _ m: Int, _ d: Int) -> Bool {
        (1...12).contains(m) && d >= 1 && d <= daysIn(y, m)
    }

    /// A full date plus years and months, minus one day: the last day of a period that starts here.
    package func periodEnd(years: Int, months: Int) -> CalendarDate {
        let (y0, m0, d0) = firstDay
        var total = y0 * 12 + (m0 - 1) + years * 12 + months
        var y = total / 12
        var m = total % 12 + 1
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

        /// The message for people, naming the text and what is wrong with it.
        package var description: String {
            switch self {
            case .notISO(let text, let dayRequired):
                return "'\(text)' is not a date " + (dayRequired ? "YYYY-MM-DD" : "(YYYY, YYYY-MM or YYYY-MM-DD)")
            case .notReal(let text, let reason):
                return "'\(text)' is not a real date (\(reason))"
            }
        }
    }

    /// English month names, January first: index 0 is month 1.
    package static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ]

    /// The one reading of a date written in a rule, waiver or configuration file: ISO 8601 at the
    /// precision written ("2020", "2020-09", "2020-09-10"; ASCII digits, four for the year, two for the
    /// month and the day), a real calendar date (month 1–12, the day within its month, leap years by the
    /// Gregorian rule). With `dayRequired`, only a full date is taken.
    package init(written text: String, dayRequired: Bool = false) throws(WrittenDateError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (dayRequired ? 3...3 : 1...3).contains(parts.count),
            zip(parts, widths).allSatisfy({ part, width in
                part.utf8.count == width && part.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            })
        else { throw .notISO(text, dayRequired: dayRequired) }
        let numbers = parts.compactMap { Int($0) }
        let year = numbers[0]
        if numbers.count > 1 {
            let month = numbers[1]
            guard (1...12).contains(month) else { throw .notReal(text, reason: "month \(month)") }
            if numbers.count > 2 {
                let day = numbers[2]
                let days = Self.daysIn(year, month)
                guard day >= 1 else { throw .notReal(text, reason: "day \(day)") }
                guard day <= days else {
                    throw .notReal(text, reason: "\(Self.monthNames[month - 1]) \(year) has \(days) days")
                }
            }
        }
        self.init(year, numbers.count > 1 ? numbers[1] : nil, numbers.count > 2 ? numbers[2] : nil)
    }
}

/// Calendar arithmetic: day numbers, periods, the days a date covers.
extension CalendarDate {
    /// Days since 1970-01-01 of a full date; nil for a year or a month.
    package var dayNumber: Int? {
        guard let m0 = month, let d0 = day else { return nil }
        let y = m0 <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m0 + 9) % 12
        let doy = (153 * mp + 2) / 5 + d0 - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The full date a day number (days since 1970-01-01) stands for.
    package init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// A full date plus a period, the day clamped to the month's length (2020-12-31 + 2 months →
    /// 2021-02-28); working days by the period's calendar (the `count`-th working day after the date). Nil for
    /// a year or a month, and for working days without a calendar or past the years it covers.
    package func adding(_ period: Period) -> CalendarDate? {
        guard let m = month, let d = day, let n = dayNumber else { return nil }
        switch period.unit {
        case .days:
            return CalendarDate(dayNumber: n + period.count)
        case .workdays:
            return try? period.calendar?.adding(workdays: period.count, to: self).get()
        case .months, .years:
            let months = period.unit == .months ? period.count : period.count * 12
            let total = year * 12 + (m - 1) + months
            let ny = total / 12
            let nm = total % 12 + 1
            return CalendarDate(ny, nm, min(d, Self.daysIn(ny, nm)))
        }
    }

    /// The first and the last day a date at any precision covers: 2020-11 → 2020-11-01…2020-11-30.
    package var bounds: (first: CalendarDate, last: CalendarDate) {
        let (fy, fm, fd) = firstDay
        let (ly, lm, ld) = lastDay
        return (CalendarDate(fy, fm, fd), CalendarDate(ly, lm, ld))
    }

    /// A date as people write it in a bulletin or a report's metadata: "2021年1月3日", "2021-01-03",
    /// "2021/1/3", "2021年1月", "2021年" — the numbers in order, a year of 1900–2200 and a real day.
    package init?(reading text: String) {
        var nums = [Int]()
        var cur: Int? = nil
        for s in text.unicodeScalars {
            if let d = ScalarText.digit(s) {
                cur = (cur ?? 0) * 10 + d
            } else {
                if let c = cur { nums.append(c); cur = nil }
            }
        }
        if let c = cur { nums.append(c) }
        guard let y = nums.first, (1900...2200).contains(y), nums.count <= 3 else { return nil }
        if nums.count >= 2, !(1...12).contains(nums[1]) { return nil }
        if nums.count == 3, !Self.isValid(nums[0], nums[1], nums[2]) { return nil }
        self.init(y, nums.count > 1 ? nums[1] : nil, nums.count > 2 ? nums[2] : nil)
    }
}
