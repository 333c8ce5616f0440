import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRules
@testable import AssayValues

/// The expression language of `check: expression` (Expression.swift): logic, percents as fractions,
/// sum and count over selectors, within_rounding, and the type checks made when a rule file loads.
@Suite struct ExpressionTests {
    /// A rate from whole counts in integers gives what Foundation's division and rounding give: on every
    /// pair of counts up to 60, at 0 to 4 places, on large and halfway cases, and (through the fallback) on
    /// figures that are not whole.
    @Test func ratesFromWholeCountsMatchDecimalDivision() throws {
        func slow(_ n: Decimal, _ d: Decimal, _ p: Int) -> Decimal { Expression.roundHalfUp(n / d * 100, p) }
        for n in 0...60 {
            for d in 1...60 {
                for p in 0...4 {
                    let (a, b) = (Decimal(n), Decimal(d))
                    #expect(Expression.percentRounded(a, of: b, places: p) == slow(a, b, p), "\(n)/\(d) at \(p)")
                }
            }
        }
        let pairs: [(String, String)] = [
            ("1081", "1368"), ("1", "8"), ("1", "16"), ("1", "800"), ("999999999999", "999999999998"),
            ("12.5", "50"), ("251023.54", "1000000"), ("7", "0.5"), ("2000000000000", "3"),
        ]
        for (x, y) in pairs {
            let (a, b) = (Decimal(string: x)!, Decimal(string: y)!)
            for p in 0...6 {
                #expect(Expression.percentRounded(a, of: b, places: p) == slow(a, b, p), "\(x)/\(y) at \(p)")
                #expect(
                    JSONValue.format(Expression.percentRounded(a, of: b, places: p)) == JSONValue.format(slow(a, b, p)))
            }
        }
    }

    /// Division by a power of ten moves the decimal point: the same value and the same text as Foundation's
    /// division, for every divisor the rules use and for seeded random values; other divisors divide.
    @Test func divisionByAPowerOfTenMovesThePoint() throws {
        var state: UInt64 = 11
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        let divisors = ["100", "1", "10", "10000", "100000000", "0.01", "1e4", "1e8", "3", "1368", "0.5", "250"]
        var values = ["0", "79.5", "1081", "-12.25", "0.001", "125.7", "97.60"].map { Decimal(string: $0)! }
        for _ in 0..<400 {
            let d = Decimal(
                sign: next() % 3 == 0 ? .minus : .plus, exponent: Int(next() % 9) - 6,
                significand: Decimal(next() % 1_000_000_000))
            values.append(d)
        }
        for v in values {
            for text in divisors {
                let d = try #require(Decimal(string: text))
                let fast = v.divided(by: d)
                #expect(fast == v / d, "\(v) / \(text)")
                #expect(JSONValue.format(fast) == JSONValue.format(v / d), "\(v) / \(text)")
            }
        }
    }

    /// Extracts the facts of `text` and evaluates one expression rule on them: "status: message".
    func outcomes(_ text: String, facts: String, expect: String) throws -> [String] {
        let set = try one(
            """
              - id: e
                title: t
                kind: consistency
                check: expression
                facts:
            \(facts)
                expect: "\(expect)"
            """)
        let doc = document(text)
        return Evaluator(today: "2026-01-01", language: .en).evaluate(
            [set], document: doc, extraction: FactExtractor().extract(doc)
        )
        .map { "\($0.status.rawValue): \($0.message)" }
    }

    func value(_ source: String, _ env: [String: Measure]) throws -> AssayRules.Expression.Value {
        try AssayRules.Expression.parse(source).evaluate(env)
    }

    // MARK: percents are fractions

    /// Yesterday `outstanding / found <= 10%` compared 0.12 with 10 and passed; a percent is a fraction now.
    @Test func aRatioOfMoneyComparesWithAPercentAsAFraction() throws {
        let text = "审计查出问题金额2.15亿元,已整改1.89亿元,尚未整改0.26亿元。"
        let facts = "      found: {kind: money, label: 查出}\n      outstanding: {kind: money, label: 未整改}"
        #expect(
            try outcomes(text, facts: facts, expect: "outstanding / found <= 10%")
                == ["fail: outstanding / found <= 10% does not hold (found = 2.15亿元, outstanding = 0.26亿元)"])
        #expect(
            try outcomes(text, facts: facts, expect: "outstanding / found <= 15%")
                == ["pass: outstanding / found <= 15% holds (found = 2.15亿元, outstanding = 0.26亿元)"])
    }

    @Test func percentArithmetic() throws {
        let p = { (v: Decimal) in Measure(v, unit: "%") }
        // 80% is 0.8: a rate times a count is a count, a count times a rate is a count.
        #expect(
            try value(
                "done == total * rate", ["done": Measure(8, unit: "个"), "total": Measure(10, unit: "个"), "rate": p(80)])
                == .truth(true))
        // A percent minus a percent is in percentage points.
        #expect(
            try value("now - before", ["now": p(85), "before": p(80)])
                == .measure(Measure(Decimal(string: "0.05")!, unit: "个百分点")))
        #expect(try value("now - before >= 5个百分点", ["now": p(85), "before": p(80)]) == .truth(true))
        #expect(try value("now - before > 5个百分点", ["now": p(85), "before": p(80)]) == .truth(false))
        // 50% of 2万元 is 1万元.
        #expect(try value("half * 2万元 == 10000元", ["half": p(50)]) == .truth(true))
        // round works in percent: 79.02% to one decimal is 79.0%.
        #expect(try value("round(r, 1) == 79%", ["r": p(Decimal(string: "79.02")!)]) == .truth(true))
        #expect(try value("round(r, 2) == 79.02%", ["r": p(Decimal(string: "79.024")!)]) == .truth(true))
    }

    // MARK: logic

    @Test func andOrNot() throws {
        let env = ["a": Measure(3, unit: "个"), "b": Measure(0, unit: "个")]
        #expect(try value("a > 0 and b > 0", env) == .truth(false))
        #expect(try value("a > 0 or b > 0", env) == .truth(true))
        #expect(try value("not b > 0", env) == .truth(true))
        #expect(try value("not (a > 0 and b > 0) and a == 3个", env) == .truth(true))
        #expect(try value("a > 0 && b == 0 || a < 0", env) == .truth(true))
        // `or` binds looser than `and`: false and false or true is true.
        #expect(try value("b > 0 and b > 1 or a > 0", env) == .truth(true))
        #expect(throws: AssayRules.Expression.EvaluationError.self) { try value("a and b > 0", env) }
    }

    @Test func logicReadingErrors() {
        func parseError(_ s: String) -> String {
            do {
                _ = try AssayRules.Expression.parse(s)
                return "no error"
            } catch { return error.description }
        }
        #expect(parseError("a > 0 | b > 0") == "at character 7: unexpected '|'")
        #expect(parseError("a > 0 and") == "at character 10: expression ends too early")
        #expect(parseError("and > 0") == "at character 1: 'and' needs a condition on each side")
        #expect(
            parseError("summ(a) > 0")
                == "at character 1: unknown function 'summ'; did you mean 'sum'?; functions: abs, min, max, round, sum, count, within_rounding"
        )
        #expect(parseError("sum(a + b) > 0") == "at character 5: sum takes a name bound under 'facts', not a value")
        #expect(
            parseError("round(a, b) > 0")
                == "at character 1: round's second argument is a whole number of decimals, 0 to 10")
        #expect(
            parseError("within_rounding(80%, a)")
                == "at character 17: within_rounding's first argument is the name of a stated figure (its printed digits set the rounding)"
        )
        // a name that begins with a keyword is a name
        #expect(throws: Never.self) { _ = try AssayRules.Expression.parse("notes > 0 and order > 1 or android < 2") }
    }

    // MARK: sum and count over selectors

    @Test func sumAndCountTakeEveryFigureASelectorFinds() throws {
        let text = "共发现问题20个。其中:已整改12个,正在整改5个,未整改3个。"
        let facts = "      total: {label: 发现问题}\n      part: {role: [done, partial, outstanding]}"
        #expect(
            try outcomes(text, facts: facts, expect: "sum(part) == total and count(part) == 3")
                == [
                    "pass: sum(part) == total and count(part) == 3 holds (total = 20个, part = [12个, 5个, 3个])"
                ])
        let short = "共发现问题20个。其中:已整改12个,正在整改5个,未整改2个。"
        #expect(
            try outcomes(short, facts: facts, expect: "sum(part) == total")
                == ["fail: sum(part) == total does not hold (total = 20个, part = [12个, 5个, 2个])"])
        // count of nothing is 0: the rule is checked, not missing.
        #expect(
            try outcomes(
                "共发现问题20个。", facts: "      total: {label: 发现问题}\n      reason: {label: 未完成原因}",
                expect: "count(reason) == 0 or total > 0")
                == ["pass: count(reason) == 0 or total > 0 holds (total = 20个, reason = [])"])
        // sum of nothing is a missing figure.
        #expect(
            try outcomes(
                "共发现问题20个。", facts: "      total: {label: 发现问题}\n      part: {role: done}", expect: "sum(part) == total"
            )
                == ["missing: no figure found for part"])
    }

    // MARK: within_rounding

    @Test func withinRoundingUsesTheStatedFiguresDigits() throws {
        // 1081 / 1368 = 79.02…%: printed 79% it holds, 79.1% it does not.
        let facts = "      rate: {kind: percent}\n      done: {label: 已整改}\n      total: {label: 问题}"
        #expect(
            try outcomes("反馈问题1368个,已整改1081个,整改率79%。", facts: facts, expect: "within_rounding(rate, done / total)")
                == ["pass: within_rounding(rate, done / total) holds (rate = 79%, done = 1081个, total = 1368个)"])
        #expect(
            try outcomes("反馈问题1368个,已整改1081个,整改率79.1%。", facts: facts, expect: "within_rounding(rate, done / total)")
                == [
                    "fail: within_rounding(rate, done / total) does not hold (rate = 79.1%, done = 1081个, total = 1368个)"
                ])
        // Money in 亿元 with two decimals: 18900万 + 2610.4万 = 2.151亿 prints as 2.15亿; 18900万 + 2510万 = 2.141亿 does not.
        let money =
            "      found: {kind: money, label: 查出}\n      done: {kind: money, label: 已整改}\n      open: {kind: money, label: 未整改}"
        #expect(
            try outcomes(
                "查出问题金额2.15亿元,已整改18900万元,未整改2610.4万元。", facts: money, expect: "within_rounding(found, done + open)")
                == ["pass: within_rounding(found, done + open) holds (found = 2.15亿元, done = 18900万元, open = 2610.4万元)"]
        )
        #expect(
            try outcomes(
                "查出问题金额2.15亿元,已整改18900万元,未整改2510万元。", facts: money, expect: "within_rounding(found, done + open)")
                == [
                    "fail: within_rounding(found, done + open) does not hold (found = 2.15亿元, done = 18900万元, open = 2510万元)"
                ])
    }

    @Test func printedPlaces() {
        #expect(Evaluator.printedPlaces("79.02%") == 2)
        #expect(Evaluator.printedPlaces("2.15亿元") == 2)
        #expect(Evaluator.printedPlaces("1,368个") == 0)
        #expect(Evaluator.printedPlaces("三个") == 0)
        #expect(Evaluator.printedPlaces("$2.4 million") == 1)
    }

    // MARK: types, when the file loads

    @Test func typeMistakesAreLoadErrorsWithTheirPlace() {
        let rule = { (facts: String, expect: String) in
            "  - id: e\n    title: t\n    kind: consistency\n    check: expression\n    facts: \(facts)\n    expect: \"\(expect)\"\n"
        }
        #expect(
            loadErrors(rule("{found: {kind: money}, rate: {kind: percent}}", "found >= rate"))
                == ["t.yml:9:13: error: expect 'found >= rate': '>=' between money (found) and a percent (rate)"])
        #expect(
            loadErrors(rule("{found: {kind: money}}", "found <= 10%"))
                == ["t.yml:9:13: error: expect 'found <= 10%': '<=' between money (found) and a percent (10%)"])
        #expect(
            loadErrors(rule("{found: {kind: money}, n: {unit: 个}}", "found + n > 0"))
                == ["t.yml:9:13: error: expect 'found + n > 0': '+' between money (found) and a count in 个 (n)"])
        #expect(
            loadErrors(rule("{a: {kind: money}, b: {kind: money}}", "a - b"))
                == [
                    "t.yml:9:13: error: expect 'a - b' is a number, not a condition: compare it (==, <=, …) or use within_rounding"
                ])
        #expect(
            loadErrors(rule("{a: {kind: money}, b: {kind: money}}", "a and b > 0"))
                == [
                    "t.yml:9:13: error: expect 'a and b > 0': a is a number where a condition is needed (a comparison, and, or, not)"
                ])
        #expect(
            loadErrors(rule("{or: {kind: money}}", "1 > 0"))
                == ["t.yml:8:13: error: 'or' is a word of the expression language; name the fact otherwise"])
        // money ÷ money is a ratio, which compares with a percent
        #expect(loadErrors(rule("{a: {kind: money}, b: {kind: money}}", "a / b <= 10%")) == [])
    }
}
