import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Money has a currency: facts carry it, targets state it, and money in two currencies is never added
/// or compared (an `error` naming both), in threshold rules, expressions and tallies alike.
@Suite struct CurrencyTests {
    static let header = "assay: 1\nruleset: t\nrules:\n"

    /// Outcomes of `rules` on `text`, read by the real extractor, as "status: message".
    func outcomes(_ text: String, _ rules: String, rule: String? = nil) throws -> [String] {
        let set = try RuleLoader().load(yaml: Self.header + rules, file: "t.yml")
        let doc = document(text)
        return Evaluator(today: "2026-01-01", language: .en).evaluate(
            [set], document: doc, extraction: FactExtractor().extract(doc)
        )
        .filter { rule == nil || $0.ruleID == rule }.map { "\($0.status.rawValue): \($0.message)" }
    }

    func threshold(_ target: String, op: String = ">=") -> String {
        "  - id: m\n    title: t\n    kind: threshold\n    select: {kind: money}\n    op: \"\(op)\"\n    target: \(target)\n"
    }

    /// The money facts of a text as JSON objects of the facts contract.
    func moneyJSON(_ text: String) -> [JSONValue] {
        let doc = document(text)
        guard
            case .array(let facts)? = FactsJSON.render(document: doc, extraction: FactExtractor().extract(doc))["facts"]
        else { return [] }
        return facts.filter { $0["kind"] == .string("money") }
    }

    // MARK: threshold

    @Test func dollarsAgainstATargetInYuanIsAnErrorNamingBoth() throws {
        let o = try outcomes("The audits questioned $5 million in grant expenditures.", threshold("600万元"))
        #expect(o.count == 1)
        #expect(o.first?.hasPrefix("error: ") == true)
        #expect(o.first?.contains("USD") == true && o.first?.contains("CNY") == true)
    }

    @Test func dollarsAgainstATargetInDollars() throws {
        #expect(
            try outcomes("The audits questioned $5 million in grant expenditures.", threshold("$4 million"))
                == ["pass: audits questioned $5 million meets the target >= $4 million"])
        #expect(
            try outcomes("The audits questioned $5 million in grant expenditures.", threshold("USD 6000000"))
                == ["fail: audits questioned $5 million misses the target >= USD 6000000 (difference -$1000000)"])
    }

    // MARK: tallies and expressions

    @Test func aMoneyTallyInYuanAndDollarsIsAnError() throws {
        let rule =
            "  - id: money\n    title: t\n    kind: consistency\n    check: sum\n    total: {role: total, tally: money}\n"
        let o = try outcomes("审计查出问题资金1200万元,已整改到位$1 million,尚未整改500万元。", rule)
        #expect(o.count == 1)
        #expect(o.first?.hasPrefix("error: ") == true)
        #expect(o.first?.contains("USD") == true && o.first?.contains("CNY") == true)
    }

    @Test func anExpressionAcrossCurrenciesIsAnError() throws {
        let rule = """
              - id: money
                title: t
                kind: consistency
                check: expression
                facts:
                  found: {kind: money, label: questioned}
                  recovered: {kind: money, label: 追回}
                expect: "found >= recovered"

            """
        let o = try outcomes("The audits questioned $5 million. 已追回资金600万元。", rule)
        #expect(o.count == 1)
        #expect(o.first?.hasPrefix("error: ") == true)
        #expect(o.first?.contains("USD") == true && o.first?.contains("CNY") == true)
    }

    // MARK: facts JSON

    @Test func factsJSONNamesTheCurrency() {
        let money = moneyJSON("追回资金300元,上缴12.5万元,问题金额2.1亿元;questioned $310,000 and $2.42 million.")
        #expect(
            money.map { $0["text"] } == ["300元", "12.5万元", "2.1亿元", "$310,000", "$2.42 million"].map { .string($0) })
        #expect(money.map { $0["currency"] } == ["CNY", "CNY", "CNY", "USD", "USD"].map { .string($0) })
    }

    @Test func usDollarsInBillions() {
        let money = moneyJSON("Costs of US$1.2 billion were questioned.")
        #expect(money.count == 1)
        #expect(money.first?["text"] == .string("US$1.2 billion"))
        #expect(money.first?["value"] == .number(1_200_000_000))
        #expect(money.first?["amount"] == .number(Decimal(string: "1.2")!))
        #expect(money.first?["currency"] == .string("USD"))
    }

    // MARK: more of each

    @Test func moneyFactsInEveryCurrencyTheScannerReads() {
        let money = moneyJSON(
            "Another USD 5,000,000, 1.2 million US dollars, €2 million, £310,000, HK$3 million, A$4 million and "
                + "5000000 dollars. 追回50万美元、20万欧元和人民币600万元。")
        #expect(
            money.map { $0["text"] }
                == [
                    "USD 5,000,000", "1.2 million US dollars", "€2 million", "£310,000", "HK$3 million",
                    "5000000 dollars", "50万美元", "20万欧元", "600万元",
                ].map { .string($0) })
        #expect(
            money.map { $0["unit"] }
                == ["USD", "USD million", "EUR million", "GBP", "HKD million", "USD", "万美元", "万欧元", "万元"]
                .map { .string($0) })
        #expect(
            money.map { $0["currency"] }
                == ["USD", "USD", "EUR", "GBP", "HKD", "USD", "USD", "EUR", "CNY"].map { .string($0) })
        #expect(
            money.map { $0["value"] }
                == [5_000_000, 1_200_000, 2_000_000, 310_000, 3_000_000, 5_000_000, 500_000, 200_000, 6_000_000]
                .map { JSONValue.number(Decimal($0)) })
    }

    @Test func targetsParseTheirCurrency() {
        let cases: [(String, Decimal, String?, Currency?)] = [
            ("600万元", 600, "万元", .cny), ("人民币600万元", 600, "万元", .cny), ("人民币600万", 600, "万元", .cny),
            ("$5 million", 5, "USD million", .usd), ("US$1.2 billion", Decimal(string: "1.2")!, "USD billion", .usd),
            ("USD 5000000", 5_000_000, "USD", .usd), ("5 million dollars", 5, "USD million", .usd),
            ("5,000,000 USD", 5_000_000, "USD", .usd), ("€2 million", 2, "EUR million", .eur),
            ("£310,000", 310_000, "GBP", .gbp),
            ("50万美元", 50, "万美元", .usd), ("5000000", 5_000_000, nil, nil), ("5 million", 5_000_000, nil, nil),
        ]
        for (text, value, unit, currency) in cases {
            let m = Measure.parse(text)
            #expect(
                m?.value == value && m?.unit == unit && m?.currency == currency, "\(text) → \(String(describing: m))")
        }
        #expect(Measure.parse("$5 million")?.baseValue == 5_000_000)
        #expect(Measure.parse("50万美元")?.baseValue == 500_000)
        #expect(Measure.parse("$5 million")?.description == "$5 million")
        #expect(Measure.parse("USD 5000000")?.description == "$5000000")
        #expect(Measure.parse("人民币5美元") == nil)
        #expect(Measure.parse("$5 million euros") == nil)
        #expect(Measure.money("万元")! == (10_000, .cny))
        #expect(Measure.money("USD billion")! == (1_000_000_000, .usd))
        #expect(Measure.money("个") == nil && Measure.money("USD bn") == nil)
    }

    @Test func aBareTargetIsInTheFiguresCurrency() throws {
        #expect(
            try outcomes("The audits questioned $5 million.", threshold("5000000", op: "=="))
                == ["pass: audits questioned $5 million meets the target == 5000000"])
        #expect(
            try outcomes("The audits questioned $5 million.", threshold("6000000"))
                == ["fail: audits questioned $5 million misses the target >= 6000000 (difference -1000000 USD)"])
        #expect(
            try outcomes("问题资金500万元。", threshold("6000000"))
                == ["fail: 问题资金 500万元 misses the target >= 6000000 (difference -1000000 元)"])
    }

    @Test func namedTargetsInDollarsAndEitherEndOfBetween() throws {
        let rules = """
            targets:
              cap: {value: $6 million, source: plan}
            rules:
              - id: named
                title: t
                kind: threshold
                select: {kind: money}
                op: "<="
                target: $cap
              - id: range
                title: t
                kind: threshold
                select: {kind: money}
                op: between
                target: [$4 million, 600万元]
            """
        let set = try RuleLoader().load(yaml: "assay: 1\nruleset: t\n" + rules, file: "t.yml")
        #expect(set.targets["cap"]?.measure == Measure(6, unit: "USD million"))
        let doc = document("The audits questioned $5 million.")
        let o = Evaluator(today: "2026-01-01", language: .en).evaluate(
            [set], document: doc, extraction: FactExtractor().extract(doc))
        #expect(o.map { "\($0.ruleID) \($0.status.rawValue)" } == ["named pass", "range error"])
        #expect(
            o.last?.message
                == "cannot compare $5 million (USD) with $4 million–600万元 (CNY): money in different currencies is never compared"
        )
    }

    @Test func targetNamesStartWithALetter() {
        #expect(throws: RuleLoadFailure.self) {
            try RuleLoader().load(yaml: "assay: 1\nruleset: t\ntargets:\n  5m: {value: 5}\nrules: []\n", file: "t.yml")
        }
    }

    @Test func unitSelectorsNameForeignMoney() throws {
        let rule =
            "  - id: m\n    title: t\n    kind: threshold\n    select: {kind: money, unit: [万美元, USD million]}\n    op: \">=\"\n    target: $1 million\n"
        #expect(
            try outcomes("追回50万美元。Costs of $2 million were questioned.", rule).map { $0.prefix(5) } == [
                "fail:", "pass:",
            ])
    }

    @Test func aRateOfMoneyInTwoCurrenciesIsAnError() throws {
        let rule = "  - id: rate\n    title: t\n    kind: consistency\n    check: ratio\n    rate: {role: rate}\n"
        #expect(
            try outcomes("查出问题金额6亿元,已整改$5 million,资金整改率90%。", rule)
                == [
                    "error: $5 million is in USD and 6亿元 in CNY: money in different currencies is never added or compared"
                ])
    }

    @Test func expressionsInOneCurrencyAndABareTolerance() throws {
        let rule = """
              - id: money
                title: t
                kind: consistency
                check: expression
                facts:
                  found: {kind: money, role: total}
                  recovered: {kind: money, role: done}
                expect: "abs(found - recovered - $0.45 million) <= 1"

            """
        #expect(
            try outcomes("The audits questioned $2.42 million. Of that, $1.97 million has been recovered.", rule).map {
                $0.prefix(5)
            }
                == ["pass:"])
    }

    @Test func expressionCurrencyErrorsNameBoth() {
        for source in ["a + b", "a / b", "a == b", "max(a, b)"] {
            do {
                _ = try AssayRules.Expression.parse(source).evaluate([
                    "a": Measure(1, unit: "USD million"), "b": Measure(1, unit: "万元"),
                ])
                Issue.record("\(source): no error")
            } catch let e as AssayRules.Expression.EvaluationError {
                #expect(e.currencies.map { [$0.0, $0.1] } == [Currency.usd, .cny], "\(source)")
            } catch {
                Issue.record("\(source): \(error)")
            }
        }
    }

    @Test func aTallyInOneForeignCurrencyAddsUp() throws {
        let rule =
            "  - id: money\n    title: t\n    kind: consistency\n    check: sum\n    total: {role: total, tally: money}\n"
        #expect(
            try outcomes("审计查出问题资金120万美元,已整改到位100万美元,尚未整改20万美元。", rule)
                == ["pass: 100万美元 + 20万美元 = 120万美元 agrees with the total 120万美元"])
    }
}
