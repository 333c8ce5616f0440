/// A length of time written "2 months", "60 days", "1 year" (or 2个月, 60天, 1年).
public struct Period: Sendable, Hashable, CustomStringConvertible {
    public enum Unit: String, Sendable { case days, months, years }
    public var count: Int
    public var unit: Unit
    public var description: String { "\(count) \(unit.rawValue)" }

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
