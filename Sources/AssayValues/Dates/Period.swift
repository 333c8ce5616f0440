/// A length of time written "2 months", "60 days", "1 year", "60 working days" (or 2个月, 60天, 1年, 60个工作日).
public struct Period: Sendable, Hashable, CustomStringConvertible {
    /// The unit a period counts in.
    public enum Unit: String, Sendable {
        /// Calendar days.
        case days
        /// Calendar months (the day clamped to the month's length).
        case months
        /// Calendar years.
        case years
        /// Working days (工作日) of a `WorkdayCalendar`.
        case workdays = "working days"
    }
    /// How many units; a non-negative whole number as written.
    public var count: Int
    /// The unit the period counts in.
    public var unit: Unit
    /// The calendar working days are counted in: what a period in `.workdays` needs to be added to a date
    /// (set by whoever reads the period, e.g. a deadline rule; nil for other units).
    public var calendar: WorkdayCalendar? = nil
    /// "2 months", "60 days", "60 working days": the count and the unit's raw value.
    public var description: String { "\(count) \(unit.rawValue)" }

    /// What `parse` accepts, for messages: the units after a whole number.
    public static let accepted =
        "a whole number and days (天, 日), working days (工作日, 个工作日), months (个月, 月) or years (年), "
        + "e.g. '60 days', '60 working days', '60个工作日', '2 months', '1 year'"

    /// Parses "2 months", "60 days", "1 year", "60 working days", "2个月", "60天", "1年", "60个工作日" (ASCII
    /// digits, then day/days/天/日, working day(s)/workday(s)/工作日/个工作日, month/months/个月/月 or
    /// year/years/年, spaces around the unit allowed); nil for anything else. A period in working days has no
    /// calendar yet.
    public static func parse(_ text: String) -> Period? {
        let t = text.trimming()
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        guard let n = Int(digits) else { return nil }
        let rest = String(t.dropFirst(digits.count)).trimming()
        switch rest {
        case "day", "days", "天", "日": return Period(count: n, unit: .days)
        case "working day", "working days", "workday", "workdays", "工作日", "个工作日":
            return Period(count: n, unit: .workdays)
        case "month", "months", "个月", "月": return Period(count: n, unit: .months)
        case "year", "years", "年": return Period(count: n, unit: .years)
        default: return nil
        }
    }
}
