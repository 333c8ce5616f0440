/// A length of time written "2 months", "60 days", "1 year" (or 2个月, 60天, 1年).
public struct Period: Sendable, Hashable, CustomStringConvertible {
    /// The unit a period counts in.
    public enum Unit: String, Sendable { case days, months, years }
    /// How many units; a non-negative whole number as written.
    public var count: Int
    /// The unit the period counts in.
    public var unit: Unit
    /// "2 months", "60 days": the count and the unit's raw value.
    public var description: String { "\(count) \(unit.rawValue)" }

    /// Parses "2 months", "60 days", "1 year", "2个月", "60天", "1年" (ASCII digits, then day/days/天/日,
    /// month/months/个月/月 or year/years/年, spaces around the unit allowed); nil for anything else.
    public static func parse(_ text: String) -> Period? {
        let t = text.trimming()
        let digits = t.prefix { $0.isNumber }
        guard let n = Int(digits) else { return nil }
        let rest = String(t.dropFirst(digits.count)).trimming()
        switch rest {
        case "day", "days", "天", "日": return Period(count: n, unit: .days)
        case "month", "months", "个月", "月": return Period(count: n, unit: .months)
        case "year", "years", "年": return Period(count: n, unit: .years)
        default: return nil
        }
    }
}
