import AssayExtraction
import AssayValues
import Foundation
import Yams

/// `consistency`: arithmetic between figures. Its checks on tallies (`tallySum`, `tallyRatio`) are in
/// Evaluator+Tally.swift with the rest of the tally machinery.
struct ConsistencyKind: RuleKindDefinition {
    typealias Check = Consistency

    /// The values of `check:`.
    static let checks = ["sum", "ratio", "achievable", "expression"]

    let names = ["consistency"]
    let keys = ["check", "within", "total", "parts", "rate", "numerator", "denominator", "facts", "expect"]
    let schemaRequired = ["check"]

    func summary(_ name: String) -> String {
        "arithmetic between figures: sums, rates, achievable percentages, expressions (decimal)"
    }

    func example(_ name: String) -> String {
        """
        - id: money-reconciles
          title: 查出金额等于已整改金额加未整改金额
          kind: consistency
          check: expression
          facts:
            found: {kind: money, label: 查出}
            rectified: {kind: money, label: 已整改}
            outstanding: {kind: money, label: 未整改}
          expect: "within_rounding(found, rectified + outstanding) and outstanding / found <= 10%"
        """
    }

    let schemaProperties = """
        {
          "check": {"enum": ["sum", "ratio", "achievable", "expression"]},
          "within": {"enum": ["scope", "sentence"]},
          "total": {"$ref": "#/definitions/selector"},
          "parts": {"oneOf": [{"$ref": "#/definitions/selector"}, {"type": "array", "items": {"$ref": "#/definitions/selector"}}]},
          "rate": {"$ref": "#/definitions/selector"},
          "numerator": {"$ref": "#/definitions/selector"},
          "denominator": {"$ref": "#/definitions/selector"},
          "facts": {"type": "object", "additionalProperties": {"$ref": "#/definitions/selector"}},
          "expect": {"type": "string", "description": "e.g. found == rectified + outstanding"}
        }
        """

    func parse(
        _ kind: RuleKind, _ m: YAMLReader.Entries, _ node: Node, targets: [String: RuleSet.Target],
        _ r: inout YAMLReader
    ) -> Check? {
        guard let c = r.string(m["check"]?.value, "check") else {
            r.error(node, "a consistency rule needs 'check' (\(ConsistencyKind.checks.joined(separator: ", ")))");
            return nil
        }
        switch c {
        case "sum":
            guard let total = r.selector(m["total"]?.value, "total") else {
                r.error(node, "check 'sum' needs 'total'"); return nil
            }
            if total.roles == [.total] {
                // Every tally whose total matches: its parts come from the tally, never from positions.
                if m["within"] != nil {
                    r.error(
                        m["within"]?.key,
                        "'within' does not go with a total selected by role: a tally's parts are its members")
                }
                var parts = [TallyRole]()
                if let pn = m["parts"]?.value, let p = r.selector(pn, "parts") {
                    parts = p.roles
                    if p.roles.isEmpty || p.roles.contains(where: { !TallyRole.parts.contains($0) })
                        || p
                            != {
                                var q = Selector(); q.roles = p.roles; return q
                            }()
                    {
                        r.error(
                            pn,
                            "with a total selected by role, 'parts' may only name roles: {role: [done, partial, outstanding, deferred]}"
                        )
                    }
                }
                return .tallySum(total: total, parts: parts)
            }
            var parts = [Selector]()
            if let pn = m["parts"]?.value {
                if case .sequence(let seq) = pn {
                    parts = seq.compactMap { r.selector($0, "parts") }
                } else if let p = r.selector(pn, "parts") {
                    parts = [p]
                }
            } else {
                r.error(node, "check 'sum' needs 'parts'")
            }
            let within = r.string(m["within"]?.value, "within") ?? "scope"
            if within != "scope" && within != "sentence" {
                r.error(m["within"]?.value, "within '\(within)' is not scope or sentence")
            }
            return .sum(total: total, parts: parts, withinSentence: within == "sentence")
        case "ratio":
            let rate =
                m["rate"].flatMap { r.selector($0.value, "rate") }
                ?? {
                    var q = Selector(); q.roles = [.rate]; return q
                }()
            let num = r.selector(m["numerator"]?.value, "numerator")
            let den = r.selector(m["denominator"]?.value, "denominator")
            if (num == nil) != (den == nil) {
                r.error(
                    m["numerator"]?.key ?? m["denominator"]?.key ?? node,
                    "check 'ratio' needs both 'numerator' and 'denominator', or neither (then each rate's tally gives them)"
                )
            }
            if num == nil && den == nil { return .tallyRatio(rate: rate) }
            return .ratio(rate: rate, numerator: num, denominator: den)
        case "achievable":
            guard let rate = r.selector(m["rate"]?.value, "rate") else {
                r.error(node, "check 'achievable' needs 'rate'"); return nil
            }
            return .achievable(rate: rate)
        case "expression":
            guard let en = m["expect"]?.value, let src = r.string(en, "expect") else {
                r.error(node, "check 'expression' needs 'expect'"); return nil
            }
            let expr: Expression
            do { expr = try Expression.parse(src) } catch {
                let shown = src.unicodeScalars.count > 80 ? String(src.unicodeScalars.prefix(80)) + "…" : src
                r.error(en, "expect '\(shown)': \(error)")
                return nil
            }
            var facts = [(String, Selector)]()
            if let fn = m["facts"]?.value, case .mapping(let fm) = fn {
                for (k, v) in fm {
                    guard let name = k.scalar?.string else { continue }
                    if Expression.keywords.contains(name) || Expression.functions.contains(name) {
                        r.error(k, "'\(name)' is a word of the expression language; name the fact otherwise")
                        continue
                    }
                    if let s = r.selector(v, "facts.\(name)") { facts.append((name, s)) }
                }
            } else {
                r.error(node, "check 'expression' needs 'facts' (names bound to selectors)")
            }
            for n in Set(expr.names) where !facts.contains(where: { $0.0 == n }) {
                r.error(en, "expect refers to '\(n)', which is not defined under 'facts'")
            }
            // Types, as far as the selectors tell: money compared with a percent never holds by accident.
            let families = Dictionary(facts.map { ($0.0, $0.1.family) }, uniquingKeysWith: { a, _ in a })
            switch expr.kind(families) {
            case .failure(let problem): r.error(en, "expect '\(src)': \(problem)")
            case .success(.measure):
                r.error(
                    en, "expect '\(src)' is a number, not a condition: compare it (==, <=, …) or use within_rounding")
            case .success(.truth): break
            }
            return .expression(facts: facts, expect: expr, source: src)
        default:
            r.unknownCheck(c, of: "consistency", among: ConsistencyKind.checks, at: m["check"]?.value)
            return nil
        }
    }

    func evaluate(_ c: Check, _ rule: Rule, _ e: Evaluator, _ ctx: Evaluator.Context, _ inst: Evaluator.Instance)
        -> [Outcome]
    {
        e.consistencyCheck(rule, c, ctx, inst)
    }
}

/// Arithmetic between figures.
public enum Consistency: Sendable {
    /// parts add up to the total; `within: sentence` takes the total and the later same-unit parts of one sentence.
    case sum(total: Selector, parts: [Selector], withinSentence: Bool)
    /// every tally whose total the selector picks: its parts (all, or those of the given roles) add up to it.
    case tallySum(total: Selector, parts: [TallyRole])
    /// a stated rate equals numerator ÷ denominator within the rounding of its printed digits (half up),
    /// with both named by selectors.
    case ratio(rate: Selector, numerator: Selector?, denominator: Selector?)
    /// every selected rate that is a tally member equals its part ÷ the tally's total.
    case tallyRatio(rate: Selector)
    /// a percent of N items can be k/N for some whole k ≤ N at its printed precision.
    case achievable(rate: Selector)
    /// an expression over named facts that must be true, e.g. "found == rectified + outstanding".
    case expression(facts: [(String, Selector)], expect: Expression, source: String)
}

extension Evaluator {
    func consistencyCheck(_ rule: Rule, _ c: Consistency, _ ctx: Context, _ inst: Instance) -> [Outcome] {
        switch c {
        case .sum(let total, let parts, let withinSentence):
            return sumCheck(rule, ctx, inst, total, parts, withinSentence)
        case .ratio(let rate, let num, let den):
            return ratioCheck(rule, ctx, inst, rate, num, den)
        case .tallySum(let total, let parts):
            return tallySumCheck(rule, ctx, inst, total, parts)
        case .tallyRatio(let rate):
            return tallyRatioCheck(rule, ctx, inst, rate)
        case .achievable(let rate):
            return achievableCheck(rule, ctx, inst, rate)
        case .expression(let facts, let expect, let source):
            return [expressionCheck(rule, ctx, inst, facts, expect, source)]
        }
    }

    /// Parts joined by " + ": numbers as plain numbers (18 + 2), money as the bulletin writes it (200万元 + 100万元).
    static func sumText(_ parts: [Fact]) -> String {
        partsText(parts)
    }

    func sumCheck(
        _ rule: Rule, _ ctx: Context, _ inst: Instance, _ totalSel: Selector, _ partSels: [Selector],
        _ withinSentence: Bool
    ) -> [Outcome] {
        var groups = [(total: Fact, parts: [Fact])]()
        if withinSentence {
            let totals = select(totalSel, ctx, inst)
            let candidates = partSels.flatMap { select($0, ctx, inst) }
            var usedSentences = Set<Int>()
            for t in totals {
                guard let sentence = ctx.document.sentence(at: t.span.offset),
                    !usedSentences.contains(sentence.range.lowerBound)
                else { continue }
                let parts = candidates.filter {
                    sentence.range.contains($0.span.offset) && $0.span.offset > t.span.offset && $0.unit == t.unit
                        && $0.kind == t.kind
                }.sorted { $0.span.offset < $1.span.offset }
                var unique = [Fact]()
                for p in parts where !unique.contains(p) { unique.append(p) }
                if unique.count >= 2 {
                    usedSentences.insert(sentence.range.lowerBound)
                    groups.append((t, unique))
                }
            }
        } else if let t = selectFirst(totalSel, ctx, inst) {
            let parts = partSels.compactMap { selectFirst($0, ctx, inst) }
            if parts.count == partSels.count { groups.append((t, parts)) }
        }
        if groups.isEmpty {
            return [
                outcome(
                    rule, ctx, .missing, path: inst.path, values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "no total with its parts was found in \(ctx.place(inst))",
                        zh: "\(ctx.place(inst))未找到合计及其分项")
                )
            ]
        }
        return groups.map { g in
            let path = g.total.section.isEmpty ? inst.path : g.total.section
            let ev = [evidence(g.total, role: "total", ctx)] + g.parts.map { evidence($0, role: "part", ctx) }
            if let approx = ([g.total] + g.parts).first(where: { $0.approx != nil }) {
                return outcome(
                    rule, ctx, .missing, path: path, values: [], evidence: ev,
                    defaultMessage: ctx.say(
                        "\(approx.text) is approximate; parts and total cannot be checked exactly",
                        zh: "\(approx.text) 是约数,分项与合计无法精确核对"))
            }
            if let clash = Self.currencyClash([g.total] + g.parts, zh: ctx.zh) {
                return outcome(rule, ctx, .error, path: path, values: [], evidence: ev, defaultMessage: clash)
            }
            let measures = g.parts.compactMap { Measure(fact: $0) }
            guard let total = Measure(fact: g.total), measures.count == g.parts.count else {
                let bad = ([g.total] + g.parts).first { Measure(fact: $0) == nil }!
                return outcome(
                    rule, ctx, .error, path: path, values: [], evidence: ev,
                    defaultMessage: ctx.say(
                        "\(bad.text) is not a number; parts and total cannot be added",
                        zh: "\(bad.text) 不是数值,无法将分项与合计相加核对"))
            }
            let sum = measures.reduce(Decimal(0)) { $0 + $1.baseValue }
            let ok = sum == total.baseValue
            // Money in the total's own unit and magnitude (300万元, not 3000000元); other figures as numbers.
            let sumText = g.total.kind == .money ? Self.inUnitOf(g.total, sum) : JSONValue.format(sum)
            let vals = [
                NamedValue("parts", Self.sumText(g.parts)),
                NamedValue("sum", g.total.kind == .money ? sumText : sumText + (g.total.unit ?? "")),
                NamedValue("total", g.total.text),
                NamedValue(
                    "difference",
                    g.total.kind == .money
                        ? Self.inUnitOf(g.total, sum - total.baseValue) : JSONValue.format(sum - total.baseValue)),
            ]
            return outcome(
                rule, ctx, ok ? .pass : .fail, path: path, values: vals, evidence: ev,
                defaultMessage: ok
                    ? ctx.say(
                        "\(Self.sumText(g.parts)) = \(sumText) agrees with the total \(g.total.text)",
                        zh: "\(Self.sumText(g.parts)) = \(sumText),与合计 \(g.total.text) 一致")
                    : ctx.say(
                        "\(Self.sumText(g.parts)) = \(sumText), but the total is \(g.total.text)",
                        zh: "\(Self.sumText(g.parts)) = \(sumText),与合计 \(g.total.text) 不一致"))
        }
    }

    /// Money in two currencies among `facts`, as a message naming both (the first money figure's and the
    /// first other one): such money is never added or compared, and the outcome is an `error`.
    static func currencyClash(_ facts: [Fact], zh: Bool = false) -> String? {
        let money = facts.filter { $0.kind == .money }
        guard let first = money.first, let c = first.currency,
            let other = money.first(where: { $0.currency != c }), let d = other.currency
        else { return nil }
        if zh { return "\(first.text) 以 \(c) 计,\(other.text) 以 \(d) 计:不同币种的金额不作加总或比较" }
        return
            "\(first.text) is in \(c) and \(other.text) in \(d): money in different currencies is never added or compared"
    }

    /// Decimal places printed in a figure's text ("97.6%" → 1, "79%" → 0).
    static func printedDecimals(_ text: String) -> Int {
        guard let dot = text.firstIndex(where: { $0 == "." || $0 == "." }) else { return 0 }
        return text[text.index(after: dot)...].prefix { $0.isNumber }.count
    }

    /// The total a percent is a share of: the largest exact count before it in its sentence.
    func shareTotal(before rate: Fact, _ ctx: Context) -> Fact? {
        guard let sentence = ctx.document.sentence(at: rate.span.offset) else { return nil }
        // Only the sentence's facts before the rate are looked at (found by binary search when the facts are
        // in order): filtering every fact per rate made a bulletin of many rates quadratic.
        return ctx.extraction.facts.withUnsafeBufferPointer { facts in
            let (lo, hi) = Self.factStretch(facts, from: sentence.range.lowerBound, to: rate.span.offset, ctx)
            var best: Fact?
            var bestValue = Decimal(0)
            for i in lo..<max(lo, hi) {
                guard facts[i].kind == .quantity, facts[i].approx == nil, let v = facts[i].value.decimal,
                    sentence.range.contains(facts[i].span.offset), facts[i].span.offset < rate.span.offset
                else { continue }
                // The first of equal largest values, as `max` kept it.
                if best == nil || bestValue < v {
                    best = facts[i]
                    bestValue = v
                }
            }
            return best
        }
    }

    func ratioCheck(
        _ rule: Rule, _ ctx: Context, _ inst: Instance, _ rateSel: Selector, _ numSel: Selector?, _ denSel: Selector?
    ) -> [Outcome] {
        let rates = select(rateSel, ctx, inst)
        var out = [Outcome]()
        // Named counts are the same for every rate of the instance: selected once.
        var named: (Fact, Fact)?
        if let numSel, let denSel, let n = selectFirst(numSel, ctx, inst), let d = selectFirst(denSel, ctx, inst) {
            named = (n, d)
        }
        for rate in rates {
            guard let (num, den) = named else { continue }
            let path = rate.section.isEmpty ? inst.path : rate.section
            let ev = [
                evidence(rate, role: "rate", ctx), evidence(num, role: "numerator", ctx),
                evidence(den, role: "denominator", ctx),
            ]
            if let approx = [rate, num, den].first(where: { $0.approx != nil }) {
                out.append(
                    outcome(
                        rule, ctx, .missing, path: path, values: [], evidence: ev,
                        defaultMessage: ctx.say(
                            "\(approx.text) is approximate; the rate cannot be checked exactly",
                            zh: "\(approx.text) 是约数,比率无法精确核对")))
                continue
            }
            if let clash = Self.currencyClash([num, den], zh: ctx.zh) {
                out.append(outcome(rule, ctx, .error, path: path, values: [], evidence: ev, defaultMessage: clash))
                continue
            }
            guard let n = num.value.decimal, let d = den.value.decimal, d != 0, let r = rate.value.decimal else {
                continue
            }
            let places = Self.printedDecimals(rate.text)
            let rounded = Expression.percentRounded(n, of: d, places: places)
            let shown = Expression.percentRounded(n, of: d, places: max(2, places + 1))
            let ok = rounded == r
            let vals = [
                NamedValue("numerator", num.text), NamedValue("denominator", den.text),
                NamedValue("computed", JSONValue.format(shown) + "%"), NamedValue("actual", rate.text),
                NamedValue("rounded", JSONValue.format(rounded) + "%"),
            ]
            let calc = "\(JSONValue.format(n)) / \(JSONValue.format(d)) = \(JSONValue.format(shown))%"
            out.append(
                outcome(
                    rule, ctx, ok ? .pass : .fail, path: path, values: vals, evidence: ev,
                    defaultMessage: ok
                        ? ctx.say("\(calc) agrees with the stated \(rate.text)", zh: "\(calc),与文中所述 \(rate.text) 一致")
                        : ctx.say(
                            "\(calc), printed as \(JSONValue.format(rounded))%, but the bulletin states \(rate.text)",
                            zh: "\(calc),应为 \(JSONValue.format(rounded))%,但文中写的是 \(rate.text)")))
        }
        if out.isEmpty {
            out.append(
                outcome(
                    rule, ctx, .missing, path: inst.path, values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "no stated rate with the named numerator and denominator was found",
                        zh: "未找到与所列分子、分母对应的比率")))
        }
        return out
    }

    func achievableCheck(_ rule: Rule, _ ctx: Context, _ inst: Instance, _ rateSel: Selector) -> [Outcome] {
        var out = [Outcome]()
        for rate in select(rateSel, ctx, inst) {
            guard let count = shareTotal(before: rate, ctx), let n = count.value.decimal, n > 0, n <= 100_000,
                let r = rate.value.decimal, rate.approx == nil
            else { continue }
            let places = Self.printedDecimals(rate.text)
            let total = NSDecimalNumber(decimal: n).intValue
            var hit: Int?
            let guess = NSDecimalNumber(decimal: r * n / 100).intValue
            // A rate over 100% (or a guess past the total) has no count within the total: no range to try.
            let low = Swift.max(0, guess - 2)
            let high = Swift.min(total, guess + 2)
            for k in low...Swift.max(low, high)
            where k <= high
                && Expression.percentRounded(Decimal(k), of: n, places: places) == r
            {
                hit = k; break
            }
            let path = rate.section.isEmpty ? inst.path : rate.section
            let ev = [evidence(rate, role: "rate", ctx), evidence(count, role: "count", ctx)]
            if let k = hit {
                let shown = JSONValue.format(Expression.percentRounded(Decimal(k), of: n, places: 2))
                out.append(
                    outcome(
                        rule, ctx, .pass, path: path,
                        values: [
                            NamedValue("count", count.text), NamedValue("actual", rate.text),
                            NamedValue("computed", "\(k) / \(total) = \(shown)%"),
                        ],
                        evidence: ev,
                        defaultMessage: ctx.say(
                            "\(rate.text) of \(count.text) is achievable: \(k) / \(total) = \(shown)%",
                            zh: "\(count.text)中的 \(rate.text) 可以达到:\(k) / \(total) = \(shown)%")))
            } else {
                out.append(
                    outcome(
                        rule, ctx, .fail, path: path,
                        values: [NamedValue("count", count.text), NamedValue("actual", rate.text)], evidence: ev,
                        defaultMessage: ctx.say(
                            "no whole number of \(count.text) gives \(rate.text)",
                            zh: "\(count.text)中任何整数个都得不到 \(rate.text)")))
            }
        }
        if out.isEmpty {
            out.append(
                outcome(
                    rule, ctx, .missing, path: inst.path, values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "no rate with a preceding count was found", zh: "未找到前面写有数量的比率")))
        }
        return out
    }

    func expressionCheck(
        _ rule: Rule, _ ctx: Context, _ inst: Instance, _ bindings: [(String, Selector)], _ expect: Expression,
        _ source: String
    ) -> Outcome {
        var env = [String: Expression.Binding]()
        var ev = [Evidence]()
        var vals = [NamedValue]()
        var missing = [String]()
        let required = Set(expect.requiredNames)
        let summed = Set(expect.summedNames)
        for (name, sel) in bindings {
            let found = select(sel, ctx, inst).compactMap { f in Measure(fact: f).map { (f, $0) } }
            // A name alone stands for its first figure; sum(name) and count(name) for all of them.
            let used = summed.contains(name) ? found : Array(found.prefix(1))
            if used.isEmpty, required.contains(name) { missing.append(name); continue }
            env[name] = Expression.Binding(
                found.map(\.1), places: found.map { Self.printedPlaces($0.0.text) },
                printedFactor: found.map { Self.printedFactor($0.0) })
            for (f, _) in used { ev.append(evidence(f, role: name, ctx)) }
            vals.append(
                NamedValue(
                    name,
                    summed.contains(name) && found.count != 1
                        ? "[" + used.map(\.0.text).joined(separator: ", ") + "]" : used.first?.0.text ?? "none"))
        }
        if !missing.isEmpty {
            return outcome(
                rule, ctx, .missing, path: inst.path, values: vals, evidence: ev,
                defaultMessage: ctx.say(
                    "no figure found for \(missing.joined(separator: ", "))",
                    zh: "未找到 \(missing.joined(separator: "、")) 的数值"))
        }
        do {
            let result = try expect.evaluate(bindings: env)
            guard case .truth(let ok) = result else {
                return outcome(
                    rule, ctx, .error, path: inst.path, values: vals, evidence: ev,
                    defaultMessage: ctx.say(
                        "expect '\(source)' is not a comparison", zh: "expect '\(source)' 不是比较式"))
            }
            vals.append(NamedValue("expect", source))
            return outcome(
                rule, ctx, ok ? .pass : .fail, path: inst.path, values: vals, evidence: ev,
                defaultMessage: ctx.zh
                    ? "\(source) \(ok ? "成立" : "不成立")(\(vals.dropLast().map { "\($0.name) = \($0.text)" }.joined(separator: ",")))"
                    : ok
                        ? "\(source) holds (\(vals.dropLast().map { "\($0.name) = \($0.text)" }.joined(separator: ", ")))"
                        : "\(source) does not hold (\(vals.dropLast().map { "\($0.name) = \($0.text)" }.joined(separator: ", ")))"
            )
        } catch {
            if let (x, y) = error.currencies {
                return outcome(
                    rule, ctx, .error, path: inst.path, values: vals + [NamedValue("currencies", "\(x), \(y)")],
                    evidence: ev, defaultMessage: "\(source): \(error)")
            }
            // An approximate figure is named as the bulletin writes it (近2000万元), not in base units (近20000000元).
            var reason = "\(error)"
            for (_, sel) in bindings {
                for f in select(sel, ctx, inst) where f.approx != nil {
                    if let m = Measure(fact: f) {
                        reason = reason.replacingOccurrences(of: "(\(m))", with: "(\(f.text))")
                    }
                }
            }
            return outcome(
                rule, ctx, .missing, path: inst.path, values: vals, evidence: ev, defaultMessage: "\(source): \(reason)"
            )
        }
    }

    /// The decimals a figure is printed with: the digits after the point of its first number (79.02% has 2,
    /// 2.15亿元 2, 1,368个 0, 三 0).
    static func printedPlaces(_ text: String) -> Int {
        var seenDigit = false
        var places = 0
        var afterPoint = false
        for c in text.unicodeScalars {
            if ScalarText.digit(c) != nil {
                seenDigit = true
                if afterPoint { places += 1 }
            } else if c == "." || c == "\u{FF0E}", seenDigit, !afterPoint {
                afterPoint = true
            } else if c == "," || c == "\u{FF0C}", seenDigit, !afterPoint {
                continue
            } else if seenDigit {
                break
            }
        }
        return places
    }

    /// The factor from the unit a figure is printed in to its measure's unit: 100000000 for 2.15亿元 (read
    /// as 215000000元), 1 for anything not money.
    static func printedFactor(_ f: Fact) -> Decimal {
        guard f.kind == .money, let u = f.unit, let m = Measure.money(u) else { return 1 }
        return m.factor
    }
}
