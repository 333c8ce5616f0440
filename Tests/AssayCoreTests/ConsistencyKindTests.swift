import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// `kind: consistency` (Kinds/ConsistencyKind.swift): reading, outcomes and messages. Its checks on
/// tallies are in TallyTests.
@Suite struct ConsistencyKindTests {
    @Test func unknownCheckAndMissingKeysAreErrors() {
        #expect(
            loadErrors("  - id: c\n    title: t\n    kind: consistency\n    check: summ\n")
                == [
                    "t.yml:7:12: error: consistency check 'summ' is not one of sum, ratio, achievable, expression; did you mean 'sum'?"
                ])
        #expect(
            loadErrors("  - id: c\n    title: t\n    kind: consistency\n")
                == ["t.yml:4:5: error: a consistency rule needs 'check' (sum, ratio, achievable, expression)"])
        #expect(
            loadErrors(
                "  - id: c\n    title: t\n    kind: consistency\n    check: expression\n    facts: {a: {kind: money}}\n    expect: \"a == b\"\n"
            )
                == ["t.yml:9:13: error: expect refers to 'b', which is not defined under 'facts'"])
    }

    @Test func anExpressionPassesFailsAndIsMissingWithoutItsFacts() throws {
        let doc = document("问题12个,已整改7个,未整改5个。")
        let set = try one(
            """
              - id: e
                title: t
                kind: consistency
                check: expression
                facts:
                  found: {label: 问题}
                  done: {label: 已整改}
                  open: {label: 未整改}
                expect: "found == done + open"
            """)
        func count(_ text: String, _ n: Decimal, _ label: String) -> Fact {
            fact(doc, text, .quantity, .number(n), unit: "个", label: label)
        }
        let found = count("12个", 12, "问题")
        let done = count("7个", 7, "已整改")
        let open = count("5个", 5, "未整改")
        let pass = evaluate(set, doc, [found, done, open])
        #expect(pass.map(\.status) == [.pass])
        #expect(pass[0].message == "found == done + open holds (found = 12个, done = 7个, open = 5个)")
        #expect(pass[0].evidence.map(\.role) == ["found", "done", "open"])
        let short = document("问题12个,已整改7个,未整改4个。")
        let fail = evaluate(
            set, short,
            [
                fact(short, "12个", .quantity, .number(12), unit: "个", label: "问题"),
                fact(short, "7个", .quantity, .number(7), unit: "个", label: "已整改"),
                fact(short, "4个", .quantity, .number(4), unit: "个", label: "未整改"),
            ])
        #expect(fail.map(\.status) == [.fail])
        #expect(fail[0].message == "found == done + open does not hold (found = 12个, done = 7个, open = 4个)")
        let missing = evaluate(set, doc, [found, done])
        #expect(missing.map(\.status) == [.missing])
        #expect(missing[0].message == "no figure found for open")
    }

    @Test func sumWithinSentence() throws {
        let doc = document("12个项目已完成1个、7个正在建设中、4个正在编制方案。共5个问题已完成2个、2个正在整改。")
        let set = try one(
            "  - id: sum\n    title: t\n    kind: consistency\n    check: sum\n    within: sentence\n    total: {kind: quantity}\n    parts: {kind: quantity, sentence: [已完成, 正在]}\n"
        )
        let facts = [
            ("12个", "12个项目"), ("1个", "已完成"), ("7个", "、"), ("4个", "中、"), ("5个", "共"), ("2个", "共5个问题已完成"),
            ("2个", "共5个问题已完成2个、"),
        ].map { text, after -> Fact in
            fact(
                doc, text, .quantity, .number(Decimal(string: String(text.dropLast()))!), unit: "个",
                after: after == "12个项目" ? nil : after)
        }
        let o = evaluate(set, doc, Array(Set(facts)).sorted { $0.span.offset < $1.span.offset })
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].message == "1 + 7 + 4 = 12 agrees with the total 12个")
        #expect(o[1].message == "2 + 2 = 4, but the total is 5个")
    }

    /// A ratio with named counts: the rate against exactly the selected numerator and denominator.
    @Test func ratioWithNamedCounts() throws {
        let doc = document("查出1368个问题,已督促完成整改1081个,整改率达79%。")
        let set = try one(
            "  - id: ratio\n    title: t\n    kind: consistency\n    check: ratio\n    rate: {kind: percent, label: 整改率}\n    numerator: {label: 完成整改}\n    denominator: {label: 问题}\n"
        )
        let facts = [
            fact(doc, "1368个", .quantity, .number(1368), unit: "个", label: "问题"),
            fact(doc, "1081个", .quantity, .number(1081), unit: "个", label: "已督促完成整改"),
            fact(doc, "79%", .percent, .number(79), unit: "%", label: "整改率"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "1081 / 1368 = 79.02% agrees with the stated 79%")
        #expect(o[0].evidence.map(\.role) == ["rate", "numerator", "denominator"])
    }

    @Test func roundingIsHalfUp() {
        #expect(Expression.roundHalfUp(Decimal(string: "79.5")!, 0) == 80)
        #expect(Expression.roundHalfUp(Decimal(string: "97.65")!, 1) == Decimal(string: "97.7")!)
        #expect(Expression.roundHalfUp(Decimal(string: "97.64")!, 1) == Decimal(string: "97.6")!)
    }

    @Test func achievablePercent() throws {
        let doc = document("42个国考断面水质优良比例为97.6%。8个点位达标比例为90%。")
        let set = try one(
            "  - id: ach\n    title: t\n    kind: consistency\n    check: achievable\n    rate: {kind: percent, label: 比例}\n"
        )
        let facts = [
            fact(doc, "42个", .quantity, .number(42), unit: "个"),
            fact(doc, "97.6%", .percent, .number(Decimal(string: "97.6")!), unit: "%", label: "国考断面水质优良比例"),
            fact(doc, "8个", .quantity, .number(8), unit: "个"),
            fact(doc, "90%", .percent, .number(90), unit: "%", label: "达标比例"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].message == "97.6% of 42个 is achievable: 41 / 42 = 97.62%")
        #expect(o[1].message == "no whole number of 8个 gives 90%")
    }

    /// A share over 100% (a figure mistyped, or varied by a generator) is no whole part of its count: it
    /// fails, and the search for the part does not run past the count (it once trapped on an empty range).
    @Test func aShareOverAHundredPercentFailsWithoutTrapping() throws {
        let doc = document("42个国考断面水质优良比例为856.6%。8个点位达标比例为900%。")
        let set = try one(
            "  - id: ach\n    title: t\n    kind: consistency\n    check: achievable\n    rate: {kind: percent, label: 比例}\n"
        )
        let facts = [
            fact(doc, "42个", .quantity, .number(42), unit: "个"),
            fact(doc, "856.6%", .percent, .number(Decimal(string: "856.6")!), unit: "%", label: "国考断面水质优良比例"),
            fact(doc, "8个", .quantity, .number(8), unit: "个"),
            fact(doc, "900%", .percent, .number(900), unit: "%", label: "达标比例"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.fail, .fail])
        #expect(o.map(\.message) == ["no whole number of 42个 gives 856.6%", "no whole number of 8个 gives 900%"])
    }

    @Test func expressionInDecimal() throws {
        let doc = document("查出问题金额251023.54万元,已整改金额251000.5万元,未整改金额23.04万元。")
        let set = try one(
            """
              - id: money
                title: t
                kind: consistency
                check: expression
                facts:
                  found: {kind: money, label: 查出}
                  rectified: {kind: money, label: 已整改}
                  outstanding: {kind: money, label: 未整改}
                expect: "found == rectified + outstanding"
            """)
        func money(_ text: String, _ amount: String, _ label: String) -> Fact {
            var f = fact(doc, text, .money, .number(Decimal(string: amount)! * 10_000), unit: "万元", label: label)
            f.amount = Decimal(string: amount)
            return f
        }
        let o = evaluate(
            set, doc,
            [
                money("251023.54万元", "251023.54", "查出问题金额"), money("251000.5万元", "251000.5", "已整改金额"),
                money("23.04万元", "23.04", "未整改金额"),
            ])
        #expect(o.map(\.status) == [.pass])
        let bad = evaluate(
            set, doc, [money("251023.54万元", "251023.54", "查出问题金额"), money("251000.5万元", "251000.5", "已整改金额")])
        #expect(bad.map(\.status) == [.missing])
        #expect(bad[0].message == "no figure found for outstanding")
    }

    @Test func expressionLanguage() throws {
        let e = try Expression.parse("abs(a - b) <= 0.5% + max(c, 1%)")
        #expect(Set(e.names) == ["a", "b", "c"])
        let v = try e.evaluate([
            "a": Measure(80, unit: "%"), "b": Measure(Decimal(string: "79.6")!, unit: "%"), "c": Measure(0, unit: "%"),
        ])
        #expect(v == .truth(true))
        // A percent plus percentage points is a percent; money and a percent never meet.
        #expect(
            try Expression.parse("a + b == 83%").evaluate(["a": Measure(80, unit: "%"), "b": Measure(3, unit: "个百分点")])
                == .truth(true))
        #expect(throws: Expression.EvaluationError.self) {
            try Expression.parse("a + b").evaluate(["a": Measure(1, unit: "%"), "b": Measure(1, unit: "万元")])
        }
        #expect(throws: Expression.ParseError.self) { try Expression.parse("a +") }
        #expect(throws: Expression.ParseError.self) { try Expression.parse("exp(a)") }
    }

    /// A sum whose total is not a number (a selector that picks a date) is an error outcome, not a crash.
    @Test func sumWithANonNumericTotalIsAnError() throws {
        let doc = document("2020年共整改12个问题,已完成7个、正在整改5个。")
        let set = try one(
            "  - id: sum\n    title: t\n    kind: consistency\n    check: sum\n    total: {kind: date}\n    parts: {kind: quantity}\n"
        )
        let facts = [
            fact(doc, "2020年", .date, .date("2020")),
            fact(doc, "7个", .quantity, .number(7), unit: "个"),
        ]
        let o = evaluate(set, doc, facts)
        #expect(o.map(\.status) == [.error])
        #expect(o[0].message == "2020年 is not a number; parts and total cannot be added")
    }
}
