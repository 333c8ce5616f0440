import AssayExtraction
import AssayValues
import Foundation
import Yams

/// `threshold`: each selected figure against a target.
struct ThresholdKind: RuleKindDefinition {
    struct Check: Sendable {
        var select: Selector
        var op: ComparisonOperator
        var target: TargetRef
        /// The high end with `between`.
        var upper: TargetRef?
    }

    let names = ["threshold"]
    let keys = ["select", "op", "target"]
    let schemaRequired = ["select", "op", "target"]

    func summary(_ name: String) -> String {
        "a figure against a target (>=, >, <=, <, ==, between), unit- and approximation-aware"
    }

    func example(_ name: String) -> String {
        """
        - id: good-air-days
          title: 空气质量优良天数达到目标
          kind: threshold
          select: {kind: quantity, label: 空气质量优良天数, unit: 天}
          op: ">="
          target: 330天
        """
    }

    let schemaProperties = """
        {
          "select": {"$ref": "#/definitions/selector"},
          "op": {"enum": [">=", ">", "<=", "<", "==", "between"]},
          "target": {
            "oneOf": [
              {"oneOf": [
                {"type": "string", "description": "a value with unit (80%, 330天, 2万, 1.5亿元, $5 million, USD 5000000) or $target; $ before a digit is dollars"},
                {"type": "number"}
              ]},
              {
                "type": "array",
                "items": {"oneOf": [
                  {"type": "string", "description": "a value with unit (80%, 330天, 2万, 1.5亿元, $5 million, USD 5000000) or $target; $ before a digit is dollars"},
                  {"type": "number"}
                ]},
                "minItems": 2,
                "maxItems": 2
              }
            ]
          }
        }
        """

    func parse(
        _ kind: RuleKind, _ m: YAMLReader.Entries, _ node: Node, targets: [String: RuleSet.Target],
        _ r: inout YAMLReader
    ) -> Check? {
        guard let sel = r.selector(m["select"]?.value, "select") else {
            r.error(node, "a threshold rule needs 'select'"); return nil
        }
        guard let opText = r.string(m["op"]?.value, "op") else {
            r.error(node, "a threshold rule needs 'op' (>=, >, <=, <, ==, between)"); return nil
        }
        guard let op = ComparisonOperator(rawValue: opText) else {
            r.error(m["op"]?.value, "op '\(opText)' is not one of >=, >, <=, <, ==, between"); return nil
        }
        guard let tn = m["target"]?.value else { r.error(node, "a threshold rule needs 'target'"); return nil }
        if op == .between {
            guard case .sequence(let seq) = tn, seq.count == 2 else {
                r.error(tn, "with 'between', target is a list of two values [low, high]"); return nil
            }
            guard let lo = r.targetRef(seq[0], targets: targets, "target"),
                let hi = r.targetRef(seq[1], targets: targets, "target")
            else { return nil }
            return Check(select: sel, op: op, target: lo, upper: hi)
        }
        guard let t = r.targetRef(tn, targets: targets, "target") else { return nil }
        return Check(select: sel, op: op, target: t, upper: nil)
    }

    func evaluate(_ c: Check, _ rule: Rule, _ e: Evaluator, _ ctx: Evaluator.Context, _ inst: Evaluator.Instance)
        -> [Outcome]
    {
        e.thresholdCheck(rule, ctx, inst, c.select, c.op, c.target, c.upper)
    }
}

/// A target as written in a rule: a literal measure or a reference to a rule set target.
public enum TargetRef: Sendable, Hashable, CustomStringConvertible {
    /// A measure written in the rule, with its text as written (shown in messages).
    case literal(Measure, text: String)
    /// A rule set target, by name without the `$`.
    case named(String)

    /// The target as written: the literal's text, or `$name`.
    public var description: String {
        switch self {
        case .literal(_, let text): return text
        case .named(let n): return "$" + n
        }
    }
}

extension YAMLReader {
    mutating func targetRef(_ node: Node?, targets: [String: RuleSet.Target], _ what: String) -> TargetRef? {
        guard let text = string(node, what) else { return nil }
        // $name refers to a target; $ before a digit is dollars ($5 million), as target names start with a letter.
        if text.hasPrefix("$"),
            !(text.unicodeScalars.dropFirst().first(where: { $0 != " " }).map { ScalarText.digit($0) != nil } ?? false)
        {
            let name = String(text.dropFirst())
            guard let t = targets[name] else {
                let hint = DidYouMean.suggest(name, among: Array(targets.keys)).map { "; did you mean '$\($0)'?" } ?? ""
                error(node, "reference to undefined target '$\(name)'\(hint)")
                return nil
            }
            if t.measure == nil { error(node, "target '$\(name)' has no value to compare with") }
            return .named(name)
        }
        guard let m = Measure.parse(text) else {
            error(
                node,
                "\(what) '\(text)' is not a number with an optional unit (80%, 330天, 2万, 1.5亿元, $5 million) or a $target"
            )
            return nil
        }
        if let u = m.unit, !FactScanner.knownUnits.contains(u) {
            let hint = Self.hint(u, among: FactScanner.knownUnits.sorted())
            error(node, "\(what) '\(text)' has an unknown unit '\(u)'\(hint)")
            return nil
        }
        return .literal(m, text: text)
    }
}

extension Evaluator {
    func resolve(_ t: TargetRef, _ ctx: Context) -> (Measure, String)? {
        switch t {
        case .literal(let m, let text): return (m, text)
        case .named(let n):
            guard let m = ctx.set.targets[n]?.measure else { return nil }
            return (m, m.description)
        }
    }

    func thresholdCheck(
        _ rule: Rule, _ ctx: Context, _ inst: Instance, _ sel: Selector, _ op: ComparisonOperator,
        _ target: TargetRef, _ upper: TargetRef?
    ) -> [Outcome] {
        let facts = select(sel, ctx, inst)
        guard let (t, tText) = resolve(target, ctx) else {
            return [
                outcome(
                    rule, ctx, .error, path: inst.path, values: [], evidence: [],
                    defaultMessage: ctx.say("target \(target) has no value", zh: "目标 \(target) 没有数值"))
            ]
        }
        let up = upper.flatMap { resolve($0, ctx) }
        let targetText = up.map { "\(tText)–\($0.1)" } ?? tText
        if facts.isEmpty {
            return [
                outcome(
                    rule, ctx, .missing, path: inst.path, values: [NamedValue("target", targetText)], evidence: [],
                    defaultMessage: ctx.say(
                        "no figure matching the rule's selector was found in \(ctx.place(inst)); target \(op.rawValue) \(targetText)",
                        zh: "\(ctx.place(inst))未找到本规则选取的数值(目标:\(Self.zh(op)) \(targetText))")
                )
            ]
        }
        return facts.map { f in
            let path = f.section.isEmpty ? inst.path : f.section
            guard let a = Measure(fact: f) else {
                return outcome(
                    rule, ctx, .error, path: path, values: [], evidence: [evidence(f, role: "actual", ctx)],
                    defaultMessage: ctx.say("\(f.text) is not a number", zh: "\(f.text) 不是数值"))
            }
            let tb = t.baseValue
            guard a.family == t.family || t.family == .bare else {
                return outcome(
                    rule, ctx, .error, path: path,
                    values: [NamedValue("actual", f.text), NamedValue("target", targetText)],
                    evidence: [evidence(f, role: "actual", ctx)],
                    defaultMessage: ctx.say(
                        "cannot compare \(f.text) (\(a.family)) with \(targetText) (\(t.family))",
                        zh: "\(f.text)(\(Self.zh(a.family)))与 \(targetText)(\(Self.zh(t.family)))无法比较"))
            }
            // Money in two currencies: no exchange rate is assumed. A bare target is in the figure's currency.
            if let (x, y) = ([t] + (up.map { [$0.0] } ?? [])).lazy.compactMap({ Measure.currencyClash(a, $0) }).first {
                return outcome(
                    rule, ctx, .error, path: path,
                    values: [
                        NamedValue("actual", f.text), NamedValue("target", targetText),
                        NamedValue("currencies", "\(x), \(y)"),
                    ],
                    evidence: [evidence(f, role: "actual", ctx)],
                    defaultMessage: ctx.say(
                        "cannot compare \(f.text) (\(x)) with \(targetText) (\(y)): money in different currencies is never compared",
                        zh: "\(f.text)(\(x))与 \(targetText)(\(y))无法比较:不同币种的金额不作比较")
                )
            }
            let holds = op.holds(a, tb, upper: up?.0.baseValue)
            let diff = a.baseValue - tb
            let diffText: String
            if let m = Measure.money(t.unit), let u = t.unit, u.unicodeScalars.first!.isASCII {
                // -$1 million
                diffText = (diff > 0 ? "+" : "") + Measure(diff.divided(by: m.factor), unit: u).description
            } else {
                // a bare target against money is in the figure's currency, and the difference says which
                let unit = t.unit ?? (t.family == .bare ? a.currency?.baseUnit : nil)
                diffText =
                    (diff > 0 ? "+" : "") + JSONValue.format(diff.divided(by: Measure.money(t.unit)?.factor ?? 1))
                    + (t.unit == "%" ? " 个百分点" : (unit.map { " " + $0 } ?? ""))
            }
            let vals = [
                NamedValue("actual", f.text), NamedValue("target", "\(op.rawValue) \(targetText)"),
                NamedValue("difference", diffText),
            ]
            let approximate = !holds && a.bound != .exact
            let message: String
            if ctx.zh {
                let label = f.label ?? "数值"
                // 相差 is a distance: the sign is in the wording (低于, 高于).
                let gap = diffText.first == "+" || diffText.first == "-" ? String(diffText.dropFirst()) : diffText
                message =
                    holds
                    ? "\(label) \(f.text) 达到目标(\(Self.zh(op)) \(targetText))"
                    : "\(label) \(f.text) \(Self.zhMiss(op, below: diff < 0)) \(targetText)(相差 \(gap))"
                        + (approximate ? ",且为约数,不能认定达到目标" : "")
            } else {
                let label = f.label ?? "figure"
                let approxNote = approximate ? " (approximate figure: cannot be shown to meet the target)" : ""
                message =
                    holds
                    ? "\(label) \(f.text) meets the target \(op.rawValue) \(targetText)"
                    : "\(label) \(f.text) misses the target \(op.rawValue) \(targetText) (difference \(diffText))\(approxNote)"
            }
            return outcome(
                rule, ctx, holds ? .pass : .fail, path: path, values: vals,
                evidence: [evidence(f, role: "actual", ctx)], defaultMessage: message)
        }
    }
}

extension Evaluator {
    /// A unit family as a Chinese message names it: 数值, 百分比, 百分点, 金额, 以个计的数量.
    static func zh(_ f: Measure.Family) -> String {
        switch f {
        case .bare: return "数值"
        case .percent: return "百分比"
        case .percentagePoint: return "百分点"
        case .money: return "金额"
        case .counted(let u): return "以\(u)计的数量"
        }
    }

    /// A comparison as a Chinese target states it: 不低于, 高于, 不高于, 低于, 等于, 介于.
    static func zh(_ op: ComparisonOperator) -> String {
        switch op {
        case .atLeast: return "不低于"
        case .greater: return "高于"
        case .atMost: return "不高于"
        case .less: return "低于"
        case .equal: return "等于"
        case .between: return "介于"
        }
    }

    /// How a figure misses a target, in Chinese: 低于目标, 高于目标, 未高于目标, 不等于目标, 不在目标范围;
    /// `below` when the figure is under the (lower) target.
    static func zhMiss(_ op: ComparisonOperator, below: Bool) -> String {
        switch op {
        case .atLeast: return "低于目标"
        case .greater: return below ? "低于目标" : "未高于目标"
        case .atMost: return "高于目标"
        case .less: return below ? "低于目标" : "未低于目标"
        case .equal: return below ? "低于目标" : "高于目标"
        case .between: return "不在目标范围"
        }
    }
}
