import Foundation
import Yams

/// Which days are working days (工作日), for periods counted in them: per year, the days off
/// (`holidays`) and the weekend days that are worked instead (`workdays`, China's 调休上班).
///
/// A day of a covered year is a working day when it is Monday to Friday and not a holiday, or when it is
/// listed in `workdays`. A day of a year the calendar does not cover is never guessed: counting that reaches
/// it fails with `OutsideYears`. Read from a calendar file (`read(yaml:file:)`; the bundled one is
/// `Rules/calendars/cn-workdays.yml`, its format in docs/rules.md).
public struct WorkdayCalendar: Sendable, Hashable, CustomStringConvertible {
    /// The calendar's name as messages give it (`cn-workdays`).
    public let name: String
    /// The years the calendar covers, ascending.
    public let years: [Int]
    /// Day numbers (days since 1970-01-01) of the days off.
    let holidays: Set<Int>
    /// Day numbers of the Saturdays and Sundays that are working days.
    let workdays: Set<Int>

    /// The calendar's name.
    public var description: String { name }

    /// A calendar named `name` covering `years`, with the days off and the weekend days worked given as dates;
    /// the dates are not checked against the years (the file reader does that).
    package init(name: String, years: [Int], holidays: [CalendarDate], workdays: [CalendarDate]) {
        self.name = name
        self.years = Array(Set(years)).sorted()
        self.holidays = Set(holidays.compactMap(\.dayNumber))
        self.workdays = Set(workdays.compactMap(\.dayNumber))
    }

    /// The day of the week of a day number: 0 Monday … 5 Saturday, 6 Sunday (1970-01-01 was a Thursday).
    package static func weekday(_ dayNumber: Int) -> Int { ((dayNumber % 7) + 7 + 3) % 7 }

    /// English weekday names, Monday first (index as `weekday`).
    package static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Whether the day (a day number) is a working day; nil when its year is not covered.
    package func isWorkday(_ dayNumber: Int) -> Bool? {
        guard years.contains(CalendarDate(dayNumber: dayNumber).year) else { return nil }
        if workdays.contains(dayNumber) { return true }
        if holidays.contains(dayNumber) { return false }
        return Self.weekday(dayNumber) < 5
    }

    /// The years covered, as people read them: runs of consecutive years joined ("2023–2026", "2023, 2025–2026").
    public var coverage: String {
        var runs = [String]()
        var i = 0
        while i < years.count {
            var j = i
            while j + 1 < years.count, years[j + 1] == years[j] + 1 { j += 1 }
            runs.append(i == j ? String(years[i]) : "\(years[i])–\(years[j])")
            i = j + 1
        }
        return runs.joined(separator: ", ")
    }

    /// Counting working days reached a day of a year the calendar does not cover.
    public struct OutsideYears: Error, Equatable, Sendable, CustomStringConvertible {
        /// The year reached.
        public var year: Int
        /// The calendar's name.
        public var calendar: String
        /// The years the calendar covers, as `coverage` writes them.
        public var coverage: String

        /// "2027 is not in the working-day calendar cn-workdays (it covers 2023–2026)".
        public var description: String {
            "\(year) is not in the working-day calendar \(calendar) (it covers \(coverage.isEmpty ? "no year" : coverage))"
        }
    }

    /// The `count`-th working day after a full date (the date itself not counted): 0 gives the date itself.
    /// Fails when a day counted, up to that working day, is in a year the calendar does not cover.
    package func adding(workdays count: Int, to date: CalendarDate) -> Result<CalendarDate, OutsideYears> {
        guard var day = date.dayNumber else { return .success(date) }
        var left = count
        while left > 0 {
            day += 1
            guard let working = isWorkday(day) else {
                return .failure(
                    OutsideYears(year: CalendarDate(dayNumber: day).year, calendar: name, coverage: coverage))
            }
            if working { left -= 1 }
        }
        return .success(CalendarDate(dayNumber: day))
    }

    /// How many working days there are after `from` up to and including `through` (0 when `through` is not
    /// after `from`); nil when a day between is in a year the calendar does not cover.
    package func workdays(after from: CalendarDate, through last: CalendarDate) -> Int? {
        guard let a = from.dayNumber, let b = last.dayNumber else { return nil }
        var n = 0
        var day = a + 1
        while day <= b {
            guard let working = isWorkday(day) else { return nil }
            if working { n += 1 }
            day += 1
        }
        return n
    }
}

extension WorkdayCalendar {
    /// The keys of a calendar file.
    package static let fileKeys = ["calendar", "description", "years"]
    /// The keys of one year of a calendar file.
    package static let yearKeys = ["source", "holidays", "workdays"]

    /// Reads a calendar file named `file` in its errors:
    ///
    /// ```yaml
    /// calendar: cn-workdays          # its name in messages (else the file's name without .yml)
    /// years:
    ///   2024:
    ///     source: 国办发明电〔2023〕7号  # where the dates come from (optional)
    ///     holidays: [2024-01-01, 2024-02-10..2024-02-17]   # days off: dates, or ranges FIRST..LAST
    ///     workdays: [2024-02-04, 2024-02-18]               # Saturdays and Sundays worked (调休)
    /// ```
    ///
    /// Every date is a real YYYY-MM-DD of the year it is listed under; a `workdays` date is a Saturday or a
    /// Sunday and not also a holiday. Returns the calendar, or nil with every problem found.
    package static func read(yaml: String, file: String) -> Result<WorkdayCalendar, CalendarFileFailure> {
        var r = YAMLReader(file: file)
        let root: Node?
        do { root = try YAMLReader.composeBounded(yaml, file: file, what: "the calendar file") } catch {
            return .failure(CalendarFileFailure(errors: [error]))
        }
        guard let root else {
            return .failure(
                CalendarFileFailure(errors: [
                    FileDiagnostic(file: file, line: 1, column: 1, message: "the calendar file is empty")
                ]))
        }
        let calendar = r.workdayCalendar(root, file: file)
        guard let calendar, r.errors.isEmpty else { return .failure(CalendarFileFailure(errors: r.errors)) }
        return .success(calendar)
    }
}

/// Why a calendar file was refused: every problem, at its `file:line:column`.
public struct CalendarFileFailure: Error, Sendable {
    /// The problems, in the order found.
    public var errors: [FileDiagnostic]

    /// A failure with these problems (none: the file was not found where it was looked for).
    package init(errors: [FileDiagnostic]) { self.errors = errors }
}

extension YAMLReader {
    /// A calendar file's root mapping as a `WorkdayCalendar` (problems in `errors`; see `WorkdayCalendar.read`).
    mutating func workdayCalendar(_ root: Node, file: String) -> WorkdayCalendar? {
        guard let top = mapping(root, "the calendar file", allowed: WorkdayCalendar.fileKeys) else { return nil }
        let fallbackName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = top["calendar"].flatMap { string($0.value, "calendar", nonEmpty: true) } ?? fallbackName
        _ = top["description"].map { string($0.value, "description") }
        guard let yearsNode = top["years"]?.value else {
            error(root, "missing 'years' (each year's holidays and weekend workdays)")
            return nil
        }
        guard case .mapping(let ym) = yearsNode, !ym.isEmpty else {
            error(yearsNode, "years must be a mapping of years (YYYY) to their holidays and workdays")
            return nil
        }
        var years = [Int]()
        var holidays = [CalendarDate]()
        var workdays = [CalendarDate]()
        for (k, v) in ym {
            guard let text = k.scalar?.string, text.utf8.count == 4, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                let year = Int(text)
            else {
                error(k, "years: '\(k.scalar?.string ?? "?")' is not a year (YYYY)")
                continue
            }
            guard let m = mapping(v, "year \(year)", allowed: WorkdayCalendar.yearKeys) else { continue }
            _ = m["source"].map { string($0.value, "source of \(year)") }
            guard let hn = m["holidays"]?.value else {
                error(k, "year \(year) needs 'holidays', its days off (an empty list if none)")
                continue
            }
            let off = calendarDays(hn, "holidays of \(year)", year: year)
            var worked = [(CalendarDate, Node)]()
            if let wn = m["workdays"]?.value { worked = calendarDayNodes(wn, "workdays of \(year)", year: year) }
            let offDays = Set(off.compactMap(\.dayNumber))
            for (d, node) in worked {
                guard let n = d.dayNumber else { continue }
                let wd = WorkdayCalendar.weekday(n)
                if wd < 5 {
                    error(
                        node,
                        "workdays of \(year): \(d.iso) is a \(WorkdayCalendar.weekdayNames[wd]), a working day anyway; "
                            + "list only the Saturdays and Sundays worked (调休)")
                } else if offDays.contains(n) {
                    error(node, "workdays of \(year): \(d.iso) is also in the holidays of \(year)")
                }
            }
            years.append(year)
            holidays += off
            workdays += worked.map(\.0)
        }
        return WorkdayCalendar(name: name, years: years, holidays: holidays, workdays: workdays)
    }

    /// The days a list of dates and `FIRST..LAST` ranges stands for, each in `year`.
    mutating func calendarDays(_ node: Node, _ what: String, year: Int) -> [CalendarDate] {
        calendarDayNodes(node, what, year: year).map(\.0)
    }

    /// `calendarDays`, each day with the list item it comes from.
    mutating func calendarDayNodes(_ node: Node, _ what: String, year: Int) -> [(CalendarDate, Node)] {
        guard case .sequence(let seq) = node else {
            error(node, "\(what) must be a list of dates (YYYY-MM-DD) and ranges (YYYY-MM-DD..YYYY-MM-DD)")
            return []
        }
        var out = [(CalendarDate, Node)]()
        for item in seq {
            guard let text = string(item, "each item of \(what)") else { continue }
            let ends = text.components(separatedBy: "..")
            guard ends.count <= 2 else {
                error(item, "\(what): '\(text)' is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)")
                continue
            }
            var days = [CalendarDate]()
            for e in ends {
                do {
                    let d = try CalendarDate(written: e.trimmingCharacters(in: .whitespaces), dayRequired: true)
                    guard d.year == year else {
                        error(item, "\(what): \(d.iso) is not in \(year)")
                        break
                    }
                    days.append(d)
                } catch {
                    self.error(item, "\(what): \(error)")
                    break
                }
            }
            guard days.count == ends.count, let first = days.first?.dayNumber, let last = days.last?.dayNumber else {
                continue
            }
            guard first <= last else {
                error(item, "\(what): the range '\(text)' ends before it starts")
                continue
            }
            for n in first...last { out.append((CalendarDate(dayNumber: n), item)) }
        }
        return out
    }
}
