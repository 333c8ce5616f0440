import AssayTestSupport
import Foundation
import Testing
import Yams

@testable import AssayExtraction
@testable import AssayRules
@testable import AssayValues

/// Periods in working days (工作日): the bundled calendar of China's 节假日 and 调休
/// (Rules/calendars/cn-workdays.yml), counting the N-th working day after a date, calendar files and their
/// errors, and `check: within` with `max: 60个工作日`.
@Suite struct WorkdayCalendarTests {
    static func bundled() throws -> WorkdayCalendar { try WorkdayCalendars.bundled.get() }

    static func day(_ iso: String) -> CalendarDate { CalendarDate(iso: iso)! }

    /// The N-th working day after `iso` by the bundled calendar, as ISO text, or the reason it cannot be counted.
    static func after(_ iso: String, _ n: Int) throws -> String {
        switch try bundled().adding(workdays: n, to: day(iso)) {
        case .success(let d): return d.iso
        case .failure(let e): return e.description
        }
    }

    @Test func periodsInWorkingDaysAreRead() {
        for text in ["60个工作日", "60 工作日", "60工作日", "60 working days", "60 workdays", " 60 working days "] {
            #expect(Period.parse(text) == Period(count: 60, unit: .workdays), "\(text)")
        }
        #expect(Period.parse("1 working day") == Period(count: 1, unit: .workdays))
        #expect(Period.parse("60个工作日")?.description == "60 working days")
        #expect(Period.parse("60 business days") == nil)
        #expect(Period.parse("六十个工作日") == nil)
        #expect(Period.parse("60 days") == Period(count: 60, unit: .days))
    }

    @Test func theBundledCalendarCoversTheNoticesYears() throws {
        let c = try Self.bundled()
        #expect(c.name == "cn-workdays")
        #expect(c.years == [2023, 2024, 2025, 2026])
        #expect(c.coverage == "2023–2026")
        func working(_ iso: String) -> Bool? { c.isWorkday(Self.day(iso).dayNumber!) }
        // 2024 春节: 2月10日至17日 off; Sunday 2月4日 and Sunday 2月18日 worked; 除夕 2月9日 a working day.
        #expect(working("2024-02-03") == false)
        #expect(working("2024-02-04") == true)
        #expect(working("2024-02-09") == true)
        #expect((10...17).map { working(String(format: "2024-02-%02d", $0)) } == Array(repeating: false, count: 8))
        #expect(working("2024-02-18") == true)
        // 2024 国庆节: 10月1日至7日 off; Sunday 9月29日 and Saturday 10月12日 worked.
        #expect(working("2024-09-28") == false)
        #expect(working("2024-09-29") == true)
        #expect(working("2024-10-07") == false)
        #expect(working("2024-10-12") == true)
        #expect(working("2024-10-13") == false)
        // 2023: 元旦 on Monday 1月2日; 2025: 元旦 Wednesday, no 调休; 2026: Sunday 1月4日 worked.
        #expect(working("2023-01-02") == false)
        #expect(working("2025-01-01") == false)
        #expect(working("2025-01-02") == true)
        #expect(working("2026-01-04") == true)
        #expect(working("2022-12-30") == nil)
        #expect(working("2027-01-04") == nil)
    }

    /// The from day is not counted; the N-th working day after it is the limit. Around 2024's Spring Festival
    /// the working Sunday 2月4日 is the 2nd, 除夕 2月9日 the 7th, and the working Sunday 2月18日 the 8th.
    @Test func countingAcrossTheSpringFestival() throws {
        #expect(try Self.after("2024-02-01", 0) == "2024-02-01")
        #expect(try Self.after("2024-02-01", 1) == "2024-02-02")
        #expect(try Self.after("2024-02-01", 2) == "2024-02-04")
        #expect(try Self.after("2024-02-01", 7) == "2024-02-09")
        #expect(try Self.after("2024-02-01", 8) == "2024-02-18")
        #expect(try Self.after("2024-02-01", 10) == "2024-02-20")
        // 17 in February, 21 in March, 22 in April (清明 4月4日–5日 off, Sundays 4月7日 and 4月28日 worked).
        #expect(try Self.after("2024-02-01", 60) == "2024-04-30")
        // 2025: 春节 1月28日–2月4日 off, Sunday 1月26日 and Saturday 2月8日 worked.
        #expect(try Self.after("2025-01-24", 5) == "2025-02-07")
    }

    @Test func countingAcrossNationalDay() throws {
        #expect(try Self.after("2024-09-27", 1) == "2024-09-29")
        #expect(try Self.after("2024-09-27", 3) == "2024-10-08")
        #expect(try Self.after("2024-09-27", 7) == "2024-10-12")
        #expect(try Self.after("2024-09-27", 8) == "2024-10-14")
        // 2023: 中秋节、国庆节 9月29日–10月6日 off, the weekend 10月7日–8日 worked.
        #expect(try Self.after("2023-09-28", 5) == "2023-10-11")
        let p = Period(count: 3, unit: .workdays, calendar: try Self.bundled())
        #expect(DateText.add(p, to: "2024-09-27") == "2024-10-08")
        #expect(DateText.add(Period(count: 3, unit: .workdays), to: "2024-09-27") == nil)
    }

    @Test func aDayOutsideTheCalendarsYearsIsNotGuessed() throws {
        #expect(
            try Self.after("2026-11-20", 60)
                == "2027 is not in the working-day calendar cn-workdays (it covers 2023–2026)")
        #expect(
            try Self.after("2022-12-30", 1)
                == "2022 is not in the working-day calendar cn-workdays (it covers 2023–2026)")
        let p = Period(count: 60, unit: .workdays, calendar: try Self.bundled())
        #expect(DateText.add(p, to: "2026-11-20") == nil)
    }

    // MARK: - Calendar files

    static func read(_ yaml: String) -> [String] {
        switch WorkdayCalendar.read(yaml: yaml, file: "cal.yml") {
        case .success: return []
        case .failure(let f): return f.errors.map(\.description)
        }
    }

    @Test func aCalendarFileIsRead() throws {
        let yaml = """
            years:
              2030:
                holidays: [2030-01-01, 2030-02-04..2030-02-06]
                workdays: [2030-02-09]
              2031:
                holidays: []
            """
        let c = try WorkdayCalendar.read(yaml: yaml, file: "dir/my-days.yml").get()
        #expect(c.name == "my-days")
        #expect(c.years == [2030, 2031])
        #expect(c.adding(workdays: 2, to: Self.day("2030-02-01")).map(\.iso) == .success("2030-02-08"))
        #expect(c.adding(workdays: 1, to: Self.day("2030-02-08")).map(\.iso) == .success("2030-02-09"))
        #expect(c.adding(workdays: 1, to: Self.day("2030-12-31")).map(\.iso) == .success("2031-01-01"))
    }

    @Test func badCalendarFilesAreRefusedWithTheirPlaces() {
        #expect(
            Self.read("calendar: c\nyears:\n  2024:\n    holidays: [2024-01-01, 2024-02-30]\n")
                == [
                    "cal.yml:4:28: error: holidays of 2024: '2024-02-30' is not a real date (February 2024 has 29 days)"
                ])
        #expect(
            Self.read("years:\n  2024:\n    holidays:\n      - 2024-2-10..2024-02-17\n")
                == ["cal.yml:4:9: error: holidays of 2024: '2024-2-10' is not a date YYYY-MM-DD"])
        #expect(
            Self.read("years:\n  2024:\n    holidays: [2023-10-01, 2024-02-17..2024-02-10]\n")
                == [
                    "cal.yml:3:16: error: holidays of 2024: 2023-10-01 is not in 2024",
                    "cal.yml:3:28: error: holidays of 2024: the range '2024-02-17..2024-02-10' ends before it starts",
                ])
        #expect(
            Self.read(
                "years:\n  2024:\n    holidays: [2024-02-10..2024-02-17]\n    workdays: [2024-02-05, 2024-02-11]\n")
                == [
                    "cal.yml:4:16: error: workdays of 2024: 2024-02-05 is a Monday, a working day anyway; list only the Saturdays and Sundays worked (调休)",
                    "cal.yml:4:28: error: workdays of 2024: 2024-02-11 is also in the holidays of 2024",
                ])
        #expect(
            Self.read("years:\n  24:\n    holidays: []\n  2025:\n    workdays: []\n    holiday: []\n")
                == [
                    "cal.yml:2:3: error: years: '24' is not a year (YYYY)",
                    "cal.yml:6:5: error: unknown key 'holiday' in year 2025; did you mean 'holidays'?",
                    "cal.yml:4:3: error: year 2025 needs 'holidays', its days off (an empty list if none)",
                ])
        #expect(
            Self.read("calendar: c\n") == [
                "cal.yml:1:1: error: missing 'years' (each year's holidays and weekend workdays)"
            ])
        #expect(Self.read("") == ["cal.yml:1:1: error: the calendar file is empty"])
    }

    // MARK: - check: within

    static func withinRule(_ max: String, calendar: String? = nil) -> String {
        "  - id: w\n    title: t\n    kind: deadline\n    check: within\n    from: {kind: date, label: 反馈}\n"
            + "    to: {kind: date, label: 报送}\n    max: \(max)\n" + (calendar.map { "    calendar: \($0)\n" } ?? "")
    }

    /// The outcome of a `within` rule with `max` between a 反馈 date and a 报送 date.
    static func within(_ max: String, from: String, to: String, rules: RuleSet? = nil) throws -> Outcome {
        let text = "\(from)反馈意见。\(to)报送整改情况报告。"
        let doc = document(text)
        let set = try rules ?? one(withinRule(max))
        let o = evaluate(
            set, doc,
            [
                fact(doc, from, .date, .date(from), label: "反馈意见"),
                fact(doc, to, .date, .date(to), label: "报送整改情况报告"),
            ])
        #expect(o.count == 1)
        return o[0]
    }

    @Test func withinWorkingDaysAcrossTheSpringFestival() throws {
        let pass = try Self.within("8个工作日", from: "2024-02-01", to: "2024-02-18")
        #expect(pass.status == .pass)
        #expect(pass.message == "报送 2024-02-18 is within 8 working days of 反馈 2024-02-01")
        #expect(
            pass.values
                == [
                    NamedValue("from", "2024-02-01"), NamedValue("to", "2024-02-18"),
                    NamedValue("max", "8 working days"), NamedValue("limit", "2024-02-18"),
                    NamedValue("calendar", "cn-workdays"),
                ])
        let fail = try Self.within("7 working days", from: "2024-02-01", to: "2024-02-18")
        #expect(fail.status == .fail)
        #expect(fail.message == "报送 2024-02-18 is more than 7 working days after 反馈 2024-02-01 (limit 2024-02-09)")
        // 60 calendar days would end on 2024-04-01; 60 working days end on 2024-04-30.
        #expect(try Self.within("60 工作日", from: "2024-02-01", to: "2024-04-30").status == .pass)
        let late = try Self.within("60 工作日", from: "2024-02-01", to: "2024-05-06")
        #expect(late.status == .fail)
        #expect(late.message == "报送 2024-05-06 is more than 60 working days after 反馈 2024-02-01 (limit 2024-04-30)")
    }

    @Test func withinWorkingDaysAcrossNationalDay() throws {
        #expect(try Self.within("3个工作日", from: "2024-09-27", to: "2024-10-08").status == .pass)
        let fail = try Self.within("3个工作日", from: "2024-09-27", to: "2024-10-09")
        #expect(fail.message == "报送 2024-10-09 is more than 3 working days after 反馈 2024-09-27 (limit 2024-10-08)")
        // The working Saturday 10月12日 is the 7th working day.
        #expect(try Self.within("7个工作日", from: "2024-09-27", to: "2024-10-12").status == .pass)
        #expect(try Self.within("7个工作日", from: "2024-09-27", to: "2024-10-14").status == .fail)
    }

    @Test func withinWorkingDaysPastTheCalendarIsMissing() throws {
        let o = try Self.within("60个工作日", from: "2026-11-20", to: "2027-01-10")
        #expect(o.status == .missing)
        #expect(
            o.message
                == "60 working days after 反馈 2026-11-20 cannot be counted: 2027 is not in the working-day calendar cn-workdays (it covers 2023–2026)"
        )
        #expect(o.values.map(\.name) == ["from", "to", "max"])
        // The limit is in 2027, but 报送 on 2026-12-10 is the 7th working day after 2026-12-01 (a Tuesday):
        // within, whatever 2027 holds.
        let early = try Self.within("60个工作日", from: "2026-12-01", to: "2026-12-10")
        #expect(early.status == .pass)
        #expect(early.message == "报送 2026-12-10 is within 60 working days of 反馈 2026-12-01 (7 working days after it)")
        #expect(
            early.values
                == [
                    NamedValue("from", "2026-12-01"), NamedValue("to", "2026-12-10"),
                    NamedValue("max", "60 working days"), NamedValue("working_days", "7"),
                    NamedValue("calendar", "cn-workdays"),
                ])
    }

    @Test func workingDaysBetweenTwoDates() throws {
        let c = try Self.bundled()
        #expect(c.workdays(after: Self.day("2024-02-01"), through: Self.day("2024-02-18")) == 8)
        #expect(c.workdays(after: Self.day("2024-02-01"), through: Self.day("2024-04-30")) == 60)
        #expect(c.workdays(after: Self.day("2024-02-01"), through: Self.day("2024-02-01")) == 0)
        #expect(c.workdays(after: Self.day("2024-02-01"), through: Self.day("2024-01-01")) == 0)
        #expect(c.workdays(after: Self.day("2026-12-01"), through: Self.day("2027-01-04")) == nil)
    }

    // MARK: - calendar: in a rule

    /// A folder with `rules.yml` (not written: the rules are loaded from text named as if there) and the
    /// given calendar file `cal.yml`; removed after `body`.
    static func withCalendar<T>(_ calendar: String, _ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-workdays-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(calendar.utf8).write(to: dir.appendingPathComponent("cal.yml"))
        return try body(dir.path)
    }

    @Test func aRuleNamesItsCalendarFileRelativeToTheRuleFile() throws {
        let cal = "calendar: local\nyears:\n  2024:\n    holidays: [2024-02-05..2024-02-09]\n"
        let o = try Self.withCalendar(cal) { dir in
            let set = try rules(
                ruleFileHeader + Self.withinRule("3 working days", calendar: "cal.yml"), file: dir + "/rules.yml")
            return try Self.within("3 working days", from: "2024-02-01", to: "2024-02-13", rules: set)
        }
        #expect(o.status == .pass)
        #expect(o.values.last == NamedValue("calendar", "local"))
        #expect(o.values.first { $0.name == "limit" }?.text == "2024-02-13")
        let named = try one(Self.withinRule("3 working days", calendar: "cn-workdays"))
        #expect(try Self.within("3 working days", from: "2024-02-01", to: "2024-02-05", rules: named).status == .pass)
    }

    @Test func aBadCalendarFileFailsTheRuleFileAtItsPlace() throws {
        let errors = try Self.withCalendar("years:\n  2024:\n    holidays: [2024-13-01]\n") { dir in
            do {
                _ = try rules(
                    ruleFileHeader + Self.withinRule("3 working days", calendar: "cal.yml"), file: dir + "/rules.yml")
                return [String]()
            } catch let failure as RuleLoadFailure {
                return failure.errors.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
            }
        }
        #expect(errors == ["cal.yml:3:16: error: holidays of 2024: '2024-13-01' is not a real date (month 13)"])
        #expect(
            loadErrors(Self.withinRule("3 working days", calendar: "no-such.yml"))
                == ["t.yml:11:15: error: calendar file 'no-such.yml' cannot be read"])
    }

    /// The entry a loader may pass a rule set's `calendar:` under: read for a max in working days, unless the
    /// rule names its own calendar; never an error on a rule that does not count working days.
    @Test func aRuleSetsCalendarIsReadUnlessTheRuleNamesOne() throws {
        func errors(_ rule: String) throws -> [String] {
            let node = try #require(try Yams.compose(yaml: rule))
            let setNode = try #require(try Yams.compose(yaml: "no-such.yml"))
            var r = YAMLReader(file: "t.yml")
            let entries = r.mapping(node, "rule", allowed: DeadlineKind().keys)
            var m = try #require(entries)
            m[DeadlineKind.setCalendarEntry] = (setNode, setNode)
            _ = DeadlineKind().parse(RuleKind(rawValue: "deadline")!, m, node, targets: [:], &r)
            return r.errors.map(\.description)
        }
        let within = "check: within\nfrom: as_of\nto: published\nmax: "
        #expect(
            try errors(within + "3 working days\n") == ["t.yml:1:1: error: calendar file 'no-such.yml' cannot be read"])
        #expect(try errors(within + "3 working days\ncalendar: cn-workdays\n") == [])
        #expect(try errors(within + "3 days\n") == [])
        #expect(try errors("check: as_of\n") == [])
    }

    /// `calendar:` at the top of a rule file reaches its deadline rules that name none, and is checked once
    /// even when no rule counts working days.
    @Test func aRuleSetsCalendarKeyThroughTheLoader() throws {
        let cal = "calendar: local\nyears:\n  2024:\n    holidays: [2024-02-05..2024-02-09]\n"
        let o = try Self.withCalendar(cal) { dir in
            let set = try rules(
                "assay: 1\nruleset: t\ncalendar: cal.yml\nrules:\n" + Self.withinRule("3 working days"),
                file: dir + "/rules.yml")
            return try Self.within("3 working days", from: "2024-02-01", to: "2024-02-13", rules: set)
        }
        #expect(o.status == .pass)
        #expect(o.values.last == NamedValue("calendar", "local"))
        var errors = [String]()
        do {
            _ = try rules(
                "assay: 1\nruleset: t\ncalendar: none.yml\nrules:\n  - id: a\n    title: t\n    kind: require\n    phrases: [x]\n",
                file: "t.yml")
        } catch { errors = error.errors.map(\.description) }
        #expect(errors == ["t.yml:3:11: error: calendar file 'none.yml' cannot be read"])
    }

    @Test func maxThatIsNotAPeriodAndAStrayCalendarAreErrors() {
        #expect(
            loadErrors(Self.withinRule("3 weeks"))
                == [
                    "t.yml:10:10: error: max '3 weeks' is not a period: a whole number and days (天, 日), working days (工作日, 个工作日), months (个月, 月) or years (年), e.g. '60 days', '60 working days', '60个工作日', '2 months', '1 year'"
                ])
        #expect(
            loadErrors(Self.withinRule("2 months", calendar: "cal.yml"))
                == ["t.yml:11:5: error: 'calendar' is read only with a 'max' in working days (工作日); max is '2 months'"])
        #expect(
            loadErrors("  - id: d\n    title: t\n    kind: deadline\n    check: as_of\n    calendar: cn-workdays\n")
                == [
                    "t.yml:8:5: error: 'calendar' is read only by check 'within' with a 'max' in working days (工作日), not by 'as_of'"
                ])
    }
}
