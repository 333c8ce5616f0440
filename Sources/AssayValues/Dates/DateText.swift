/// Dates as ISO text, the form facts, reports and rule files carry them in: the edge between that text and
/// `CalendarDate`, which holds every reading and every calculation. Each function reads its ISO input
/// through `CalendarDate(iso:)` (a real day of the calendar, or nil) and writes ISO back.
public enum DateText {
    /// "2021年1月3日", "2021-01-03", "2021/1/3", "2021年1月", "2021年" → ISO at that precision.
    public static func parseISO(_ text: String) -> String? { CalendarDate(reading: text)?.iso }

    /// The first and last day a date at any precision covers: "2020-11" → 2020-11-01…2020-11-30.
    public static func bounds(_ iso: String) -> (first: String, last: String)? {
        guard let b = CalendarDate(iso: iso)?.bounds else { return nil }
        return (b.first.iso, b.last.iso)
    }

    /// Days since 1970-01-01 of a full date.
    public static func dayNumber(_ iso: String) -> Int? { CalendarDate(iso: iso)?.dayNumber }

    /// Adds a period to a full date, clamping the day to the month's length (2020-12-31 + 2 months → 2021-02-28);
    /// working days by the period's calendar, nil without one or past the years it covers.
    public static func add(_ period: Period, to iso: String) -> String? {
        CalendarDate(iso: iso)?.adding(period)?.iso
    }

    /// The full date, as ISO text, of a day number (days since 1970-01-01).
    public static func fromDayNumber(_ n: Int) -> String { CalendarDate(dayNumber: n).iso }
}
