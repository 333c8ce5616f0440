import Foundation
import Testing
@testable import AssayCore

/// Money has a currency: facts carry it, targets state it, and money in two currencies is never added
/// or compared (an `error` naming both), in threshold rules, expressions and tallies alike.
@Suite struct CurrencyTests {
    static let header = "assay: 1\nruleset: t\nrules:\n"

    /// Outcomes of `rules` on `text`, read by the real extractor, as "status: message".
    func outcomes(_ text: String, _ rules: String, rule: String? = nil) throws -> [String] {
        let set = try RuleLoader().load(yaml: Self.header + rules, file: "t.yml")
        let doc = document(text)
        return Evaluator(today: "2026-01-01").evaluate([set], document: doc, extraction: FactExtractor().extract(doc))
            .filter { rule == nil || $0.ruleID == rule }.map { "\($0.status.rawValue): \($0.message)" }
    }

    func threshold(_ target: String, op: String = ">=") -> String {
        "  - id: m\n    title: t\n    kind: threshold\n    select: {kind: money}\n    op: \"\(op)\"\n    target: \(target)\n"
    }

    /// The money facts of a text as JSON objects of the facts contract.
    func moneyJSON(_ text: String) -> [JSONValue] {
        let doc = document(text)
        guard case .array(let facts)? = FactsJSON.render(document: doc, extraction: FactExtractor().extract(doc))["facts"] else { return [] }
        return facts.filter { $0["kind"] == .string("money") }
    }

    // MARK: facts JSON

    @Test func factsJSONNamesTheCurrency() {
        let money = moneyJSON("追回资金300元,上缴12.5万元,问题金额2.1亿元;questioned $310,000 and $2.42 million.")
        #expect(money.map { $0["text"] } == ["300元", "12.5万元", "2.1亿元", "$310,000", "$2.42 million"].map { .string($0) })
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

    @Test func moneyFactsInEveryCurrencyTheScannerReads() {
        let money = moneyJSON("Another USD 5,000,000, 1.2 million US dollars, €2 million, £310,000, HK$3 million, A$4 million and "
            + "5000000 dollars. 追回50万美元、20万欧元和人民币600万元。")
        #expect(money.map { $0["text"] } == ["USD 5,000,000", "1.2 million US dollars", "€2 million", "£310,000", "HK$3 million",
                                              "5000000 dollars", "50万美元", "20万欧元", "600万元"].map { .string($0) })
        #expect(money.map { $0["unit"] } == ["USD", "USD million", "EUR million", "GBP", "HKD million", "USD", "万美元", "万欧元", "万元"]
            .map { .string($0) })
        #expect(money.map { $0["currency"] } == ["USD", "USD", "EUR", "GBP", "HKD", "USD", "USD", "EUR", "CNY"].map { .string($0) })
        #expect(money.map { $0["value"] } == [5_000_000, 1_200_000, 2_000_000, 310_000, 3_000_000, 5_000_000, 500_000, 200_000, 6_000_000]
            .map { JSONValue.number(Decimal($0)) })
    }

    @Test func targetsParseTheirCurrency() {
        let cases: [(String, Decimal, String?, Currency?)] = [
            ("600万元", 600, "万元", .cny), ("人民币600万元", 600, "万元", .cny), ("人民币600万", 600, "万元", .cny),
            ("$5 million", 5, "USD million", .usd), ("US$1.2 billion", Decimal(string: "1.2")!, "USD billion", .usd),
            ("USD 5000000", 5_000_000, "USD", .usd), ("5 million dollars", 5, "USD million", .usd),
            ("5,000,000 USD", 5_000_000, "USD", .usd), ("€2 million", 2, "EUR million", .eur), ("£310,000", 310_000, "GBP", .gbp),
            ("50万美元", 50, "万美元", .usd), ("5000000", 5_000_000, nil, nil), ("5 million", 5_000_000, nil, nil),
        ]
        for (text, value, unit, currency) in cases {
            let m = Measure.parse(text)
            #expect(m?.value == value && m?.unit == unit && m?.currency == currency, "\(text) → \(String(describing: m))")
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
}
