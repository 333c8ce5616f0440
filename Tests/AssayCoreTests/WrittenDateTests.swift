import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Dates people write in rule and waiver files are real calendar dates or refused with their place.
@Suite struct WrittenDateTests {
    static let real: [(String, CalendarDate)] = [
        ("2020", CalendarDate(2020)), ("2020-09", CalendarDate(2020, 9)), ("2020-09-10", CalendarDate(2020, 9, 10)),
        ("2024-02-29", CalendarDate(2024, 2, 29)), ("2000-02-29", CalendarDate(2000, 2, 29)),
        ("2021-12-31", CalendarDate(2021, 12, 31)), ("2021-04-30", CalendarDate(2021, 4, 30)),
        ("2021-01-01", CalendarDate(2021, 1, 1)),
    ]

    static let refused: [(String, String)] = [
        ("2020-13-45", "'2020-13-45' is not a real date (month 13)"),
        ("2020-13", "'2020-13' is not a real date (month 13)"),
        ("2020-00-10", "'2020-00-10' is not a real date (month 0)"),
        ("2030-13-01", "'2030-13-01' is not a real date (month 13)"),
        ("2026-02-30", "'2026-02-30' is not a real date (February 2026 has 28 days)"),
        ("2024-02-30", "'2024-02-30' is not a real date (February 2024 has 29 days)"),
        ("1900-02-29", "'1900-02-29' is not a real date (February 1900 has 28 days)"),
        ("2021-04-31", "'2021-04-31' is not a real date (April 2021 has 30 days)"),
        ("2021-01-32", "'2021-01-32' is not a real date (January 2021 has 31 days)"),
        ("2021-01-00", "'2021-01-00' is not a real date (day 0)"),
        ("soon", "'soon' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("", "'' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2020-9-10", "'2020-9-10' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2020-09-1", "'2020-09-1' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("20-09-10", "'20-09-10' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2020-09-10-01", "'2020-09-10-01' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2020-+9-10", "'2020-+9-10' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2020/09/10", "'2020/09/10' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("２０２０-09-10", "'２０２０-09-10' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2020-09-", "'2020-09-' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ]

    @Test func realDatesAtEveryPrecision() throws {
        for (text, date) in Self.real {
            #expect(try CalendarDate(written: text) == date, "\(text)")
            #expect(try CalendarDate(written: text).iso == text)
        }
        #expect(try CalendarDate(written: "2024-02-29", dayRequired: true) == CalendarDate(2024, 2, 29))
    }

    @Test func impossibleDatesAreRefusedWithTheReason() {
        for (text, message) in Self.refused {
            #expect(throws: CalendarDate.WrittenDateError.self, "\(text)") { try CalendarDate(written: text) }
            do { _ = try CalendarDate(written: text) } catch { #expect(error.description == message) }
        }
        for text in ["2030", "2030-01"] {
            do { _ = try CalendarDate(written: text, dayRequired: true); Issue.record("\(text) accepted") } catch {
                #expect(error.description == "'\(text)' is not a date YYYY-MM-DD")
            }
        }
    }

    @Test func targetDatesMustBeReal() throws {
        let (yaml, at) = marked(
            """
            assay: 1
            ruleset: dates
            targets:
              feedback_day: {date: ‸2020-13-45, source: 巡视反馈会}
              leap_day: {date: ‸2026-02-29}
              report_day:
                date: ‸"2021-04-31"
              inspection_year: {date: 2020}
              inspection_month: {date: 2020-09}
              good_day: {date: 2024-02-29}
            rules:
              - id: r
                title: t
                kind: deadline
                check: order
                dates: [$inspection_year, $inspection_month, $good_day]
            """)
        do {
            _ = try RuleLoader().load(yaml: yaml, file: "dates.yml")
            Issue.record("the file must not load")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "dates.yml:\(at[0].line):\(at[0].column): error: target 'feedback_day' date '2020-13-45' is not a real date (month 13)",
                    "dates.yml:\(at[1].line):\(at[1].column): error: target 'leap_day' date '2026-02-29' is not a real date (February 2026 has 28 days)",
                    "dates.yml:\(at[2].line):\(at[2].column): error: target 'report_day' date '2021-04-31' is not a real date (April 2021 has 30 days)",
                ])
        }
        // Without the three, the file loads, with its dates at the precision written.
        let good = yaml.split(separator: "\n").filter { line in
            !["feedback_day", "leap_day", "report_day", "2021-04-31"].contains { line.contains($0) }
        }
        let set = try RuleLoader().load(yaml: good.joined(separator: "\n"), file: "dates.yml")
        #expect(set.targets["inspection_year"]?.date == "2020")
        #expect(set.targets["inspection_month"]?.date == "2020-09")
        #expect(set.targets["good_day"]?.date == "2024-02-29")
    }

    @Test func waiverExpiryMustBeARealDay() {
        let (yaml, at) = marked(
            """
            waivers:
              - {rule: rate, reason: r, approver: a, expires: ‸2030-13-01}
              - {rule: rate, reason: r, approver: a, expires: ‸2026-02-30}
              - {rule: rate, reason: r, approver: a, expires: ‸soon}
              - {rule: rate, reason: r, approver: a, expires: ‸2030-01}
              - rule: rate
                reason: r
                approver: a
                expires: ‸2030-02-29
              - {rule: rate, reason: r, approver: a, expires: 2028-02-29}
            """)
        let set = WaiverSet.parse(yaml: yaml, file: "waivers.yml")
        #expect(
            set.problems.map(\.description) == [
                "waivers.yml:\(at[0].line):\(at[0].column): error: waiver 1: expires '2030-13-01' is not a real date (month 13)",
                "waivers.yml:\(at[1].line):\(at[1].column): error: waiver 2: expires '2026-02-30' is not a real date (February 2026 has 28 days)",
                "waivers.yml:\(at[2].line):\(at[2].column): error: waiver 3: expires 'soon' is not a date YYYY-MM-DD",
                "waivers.yml:\(at[3].line):\(at[3].column): error: waiver 4: expires '2030-01' is not a date YYYY-MM-DD",
                "waivers.yml:\(at[4].line):\(at[4].column): error: waiver 5: expires '2030-02-29' is not a real date (February 2030 has 28 days)",
            ])
        #expect(set.waivers.map(\.expires) == ["2028-02-29"])
    }

    /// A waiver with an impossible expiry does not apply: the failure stays a failure, and the report says why.
    @Test func anImpossibleExpiryWaivesNothing() throws {
        let doc = document("市审计局:整改\n一是整改率达79%。\n", name: "bulletin-2021.txt")
        let set = try rules(
            "assay: 1\nruleset: t\nrules:\n  - id: rate\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: \">=\"\n    target: 80%\n"
        )
        let outcomes = evaluate(set, doc, [fact(doc, "79%", .percent, .number(79), unit: "%")])
        let m = MarkedText("waivers:\n  - {rule: rate, reason: r, approver: a, expires: ‸2030-13-01}\n")
        let waivers = WaiverSet.parse(yaml: m.text, file: "waivers.yml")
        let applied = waivers.apply(to: outcomes, document: doc.name, today: "2026-11-27")
        #expect(applied.map(\.status) == [.fail, .error])
        try #require(applied.count == 2)
        #expect(
            applied[1].message
                == "\(m.at("waivers.yml")): error: waiver 1: expires '2030-13-01' is not a real date (month 13); that waiver does not apply"
        )
    }
}

/// Every reading and every calculation of a date goes through `CalendarDate`; `DateText` is its ISO edge.
@Suite struct CalendarDateArithmeticTests {
    @Test func isoTextIsReadOnlyAsARealDay() {
        #expect(CalendarDate(iso: "2024-02-29")?.iso == "2024-02-29")
        #expect(CalendarDate(iso: "2026-02-30") == nil)
        #expect(CalendarDate(iso: "2020-13") == nil)
        #expect(CalendarDate(iso: "2020-9-10") == nil)
        #expect(DateText.bounds("2026-02-30") == nil)
        #expect(DateText.dayNumber("2026-02-30") == nil)
        #expect(DateText.add(Period(count: 1, unit: .days), to: "2026-02-30") == nil)
    }

    @Test func readingDatesAsWritten() {
        #expect(CalendarDate(reading: "2021年1月3日")?.iso == "2021-01-03")
        #expect(CalendarDate(reading: "2021/1/3")?.iso == "2021-01-03")
        #expect(CalendarDate(reading: "2021年1月")?.iso == "2021-01")
        #expect(CalendarDate(reading: "2021年2月29日") == nil)
        #expect(CalendarDate(reading: "1850年") == nil)
        #expect(DateText.parseISO("2020年12月31日") == "2020-12-31")
    }

    @Test func dayNumbersPeriodsAndBounds() throws {
        #expect(CalendarDate(iso: "1970-01-01")?.dayNumber == 0)
        #expect(CalendarDate(iso: "2000-03-01")?.dayNumber == 11_017)
        #expect(CalendarDate(iso: "2020-11")?.dayNumber == nil)
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
        #expect(DateText.add(Period(count: 2, unit: .months), to: "2020-12-31") == "2021-02-28")
        #expect(DateText.add(Period(count: 1, unit: .years), to: "2024-02-29") == "2025-02-28")
        #expect(DateText.add(Period(count: 60, unit: .days), to: "2020-12-31") == "2021-03-01")
        let b = try #require(DateText.bounds("2024-02"))
        #expect(b.first == "2024-02-01" && b.last == "2024-02-29")
        #expect(DateText.bounds("2021")! == ("2021-01-01", "2021-12-31"))
    }

    /// One list of magnitudes for figures in bulletins and targets in rules.
    @Test func targetsUseTheFiguresMagnitudes() {
        #expect(Measure.parse("2千万")?.baseValue == 20_000_000)
        #expect(Measure.parse("1.5亿")?.baseValue == 150_000_000)
        #expect(Measure.parse("54.9万个") == Measure(549_000, unit: "个"))
        #expect(
            FactScanner.magnitudes.map { String(String.UnicodeScalarView($0.0)) }
                == Measure.figureMagnitudes.map(\.word))
    }
}
