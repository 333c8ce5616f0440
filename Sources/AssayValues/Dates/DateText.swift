/// ISO dates at the precision a bulletin states, and the little calendar arithmetic rules need.
public enum DateText {
    /// "2021年1月3日", "2021-01-03", "2021/1/3", "2021年1月", "2021年" → ISO at that precision.
    public static func parseISO(_ text: String) -> String? {
        var nums = [Int]()
        var cur: Int? = nil
        for s in text.unicodeScalars {
            if let d = Measure.asciiDigit(s) { cur = (cur ?? 0) * 10 + d } else {
                if let c = cur { nums.append(c); cur = nil }
            }
        }
        if let c = cur { nums.append(c) }
        guard let y = nums.first, (1900...2200).contains(y), nums.count <= 3 else { return nil }
        if nums.count >= 2, !(1...12).contains(nums[1]) { return nil }
        // A real day of its month (2026-02-30 is no date), by the one calendar check.
        if nums.count == 3, !CalendarDate.isValid(nums[0], nums[1], nums[2]) { return nil }
        return format(nums)
    }

    package static func format(_ parts: [Int]) -> String {
        var s = String(parts[0])
        for p in parts.dropFirst() { s += "-" + (p < 10 ? "0\(p)" : "\(p)") }
        return s
    }


    /// (year, month?, day?) of an ISO date at any precision.
    public static func components(_ iso: String) -> (Int, Int?, Int?)? {
        let p = iso.split(separator: "-").map { Int($0) }
        guard let y = p.first ?? nil else { return nil }
        return (y, p.count > 1 ? p[1] : nil, p.count > 2 ? p[2] : nil)
    }

    /// The first and last day a date at any precision covers: "2020-11" → 2020-11-01…2020-11-30.
    public static func bounds(_ iso: String) -> (first: String, last: String)? {
        guard let (y, m, d) = components(iso) else { return nil }
        if let m, let d { let s = format([y, m, d]); return (s, s) }
        if let m { return (format([y, m, 1]), format([y, m, daysIn(y, m)])) }
        return (format([y, 1, 1]), format([y, 12, 31]))
    }

    public static func daysIn(_ y: Int, _ m: Int) -> Int { CalendarDate.daysIn(y, m) }

    /// Days since 1970-01-01 of a full date.
    public static func dayNumber(_ iso: String) -> Int? {
        guard let (y0, m0, d0) = components(iso), let m0, let d0 else { return nil }
        let y = m0 <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m0 + 9) % 12
        let doy = (153 * mp + 2) / 5 + d0 - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Adds a period to a full date, clamping the day to the month's length (2020-12-31 + 2 months → 2021-02-28).
    public static func add(_ period: Period, to iso: String) -> String? {
        guard let (y, m, d) = components(iso), let m, let d else { return nil }
        switch period.unit {
        case .days:
            guard let n = dayNumber(iso) else { return nil }
            return fromDayNumber(n + period.count)
        case .months, .years:
            let months = period.unit == .months ? period.count : period.count * 12
            let total = y * 12 + (m - 1) + months
            let ny = total / 12, nm = total % 12 + 1
            return format([ny, nm, min(d, daysIn(ny, nm))])
        }
    }

    public static func fromDayNumber(_ z0: Int) -> String {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return format([yoe + era * 400 + (m <= 2 ? 1 : 0), m, d])
    }
}
