import AssayExtraction
import AssayValues
import Foundation
import Yams

/// A rule's `when:`: the condition under which the rule is checked in a scope instance. Where it does
/// not hold, the rule's outcome there is `not_applicable`, with the reason, instead of a verdict.
///
/// A condition is a mapping; every key given must hold:
/// - `phrases: [...]` — any of them occurs in the scope; `patterns: [...]` — any matches;
/// - `select: SELECTOR` — a figure in the scope matches; with `op` and `target`, an exact figure it
///   selects satisfies the comparison (`{select: {role: outstanding}, op: ">", target: 0}`);
/// - `genre`, `issuer`, `title`, `text` — as in `applies_to`;
/// - `all: [conditions]`, `any: [conditions]`, `not: condition`.
public indirect enum Condition: Sendable {
    /// Every one holds.
    case all([Condition])
    /// At least one holds.
    case any([Condition])
    /// It does not hold.
    case not(Condition)
    /// Any of the phrases occurs in the scope (full-width and ASCII punctuation alike).
    case phrases([String])
    /// Any of the patterns matches in the scope.
    case patterns([SendableRegex])
    /// Some figure in the scope matches the selector; with a comparison, some exact one satisfies it.
    case select(Selector, ComparisonOperator?, Measure?)
    /// The document is of this genre, issuer, title or text (`applies_to`'s keys).
    case document(Applicability)

    /// The keys a condition mapping may have.
    public static let keys = [
        "all", "any", "not", "phrases", "patterns", "select", "op", "target", "genre", "issuer", "title", "text",
    ]

    /// The condition in Chinese, for Chinese messages: `含短语 未整改`, `存在数值 {role: outstanding} > 0`,
    /// `并非(…)`.
    public var chinese: String {
        switch self {
        case .all(let cs): return cs.map(\.chinese).joined(separator: " 且 ")
        case .any(let cs): return "(" + cs.map(\.chinese).joined(separator: " 或 ") + ")"
        case .not(let c): return "并非(\(c.chinese))"
        case .phrases(let ps): return "含短语 " + ps.joined(separator: " | ")
        case .patterns(let ps): return "匹配模式 " + ps.map { "/\($0.pattern)/" }.joined(separator: " | ")
        case .select(let sel, let op, let target):
            return "存在数值 \(sel.description)" + (op.map { " \($0.rawValue) \(target.map(\.description) ?? "")" } ?? "")
        case .document(let a):
            var parts = [String]()
            if !a.genres.isEmpty { parts.append("文种为 " + a.genres.map(\.rawValue).joined(separator: " | ")) }
            if !a.issuer.isEmpty { parts.append("发文单位为 " + a.issuer.map(\.description).joined(separator: " | ")) }
            if !a.title.isEmpty { parts.append("标题含 " + a.title.map(\.description).joined(separator: " | ")) }
            if !a.text.isEmpty { parts.append("正文含 " + a.text.map(\.description).joined(separator: " | ")) }
            return parts.joined(separator: " 且 ")
        }
    }

    /// The condition as a reviewer reads it: `phrases 未整改`, `a figure {role: outstanding} > 0`, `not (…)`.
    public var description: String {
        switch self {
        case .all(let cs): return cs.map(\.description).joined(separator: " and ")
        case .any(let cs): return "(" + cs.map(\.description).joined(separator: " or ") + ")"
        case .not(let c): return "not (\(c.description))"
        case .phrases(let ps): return "phrase " + ps.joined(separator: " | ")
        case .patterns(let ps): return "pattern " + ps.map { "/\($0.pattern)/" }.joined(separator: " | ")
        case .select(let sel, let op, let target):
            return "a figure \(sel.description)"
                + (op.map { " \($0.rawValue) \(target.map(\.description) ?? "")" } ?? "")
        case .document(let a):
            var parts = [String]()
            if !a.genres.isEmpty { parts.append("genre " + a.genres.map(\.rawValue).joined(separator: " | ")) }
            if !a.issuer.isEmpty { parts.append("issuer " + a.issuer.map(\.description).joined(separator: " | ")) }
            if !a.title.isEmpty { parts.append("title " + a.title.map(\.description).joined(separator: " | ")) }
            if !a.text.isEmpty { parts.append("text " + a.text.map(\.description).joined(separator: " | ")) }
            return parts.joined(separator: " and ")
        }
    }
}

extension YAMLReader {
    /// A `when:` condition; nil, with errors recorded, when any part of it is wrong.
    mutating func condition(_ node: Node?, _ what: String, depth: Int = 0) -> Condition? {
        guard let node else { return nil }
        if depth > 32 {
            error(node, "\(what) is nested more than 32 deep")
            return nil
        }
        guard let m = mapping(node, what, allowed: Condition.keys) else { return nil }
        if case .mapping(let raw) = node, raw.count == 0 {
            error(node, "\(what) is empty; a condition names one of: \(Condition.keys.joined(separator: ", "))")
            return nil
        }
        let before = errors.count
        var parts = [Condition]()
        for key in ["all", "any"] {
            guard let v = m[key]?.value else { continue }
            guard case .sequence(let seq) = v, !seq.isEmpty else {
                error(v, "\(what).\(key) is a list of conditions")
                continue
            }
            let cs = seq.enumerated().compactMap {
                condition($0.element, "\(what).\(key)[\($0.offset + 1)]", depth: depth + 1)
            }
            parts.append(key == "all" ? .all(cs) : .any(cs))
        }
        if let v = m["not"]?.value, let c = condition(v, "\(what).not", depth: depth + 1) { parts.append(.not(c)) }
        if m["phrases"] != nil {
            let ps = strings(m["phrases"]?.value, "\(what).phrases")
            if ps.isEmpty { error(m["phrases"]?.value, "\(what).phrases is empty") } else { parts.append(.phrases(ps)) }
        }
        if let pn = m["patterns"]?.value {
            let ps = strings(pn, "\(what).patterns").compactMap { regex(pn, $0, "\(what).patterns") }
            parts.append(.patterns(ps))
        }
        if m["select"] != nil {
            let sel = selector(m["select"]?.value, "\(what).select")
            var op: ComparisonOperator?
            var target: Measure?
            if m["op"] != nil || m["target"] != nil {
                op = choice(m["op"]?.value, "\(what).op", ComparisonOperator.self)
                if op == .between { error(m["op"]?.value, "\(what).op is one of >=, >, <=, <, ==") }
                if let t = string(m["target"]?.value, "\(what).target") {
                    target = Measure.parse(t)
                    if target == nil {
                        error(
                            m["target"]?.value,
                            "\(what).target '\(t)' is not a number with an optional unit (0, 80%, 2万元)")
                    }
                } else if m["target"] == nil {
                    error(m["op"]?.key, "\(what) has 'op' but no 'target'")
                }
                if m["op"] == nil { error(m["target"]?.key, "\(what) has 'target' but no 'op'") }
                if let sel, let f = sel.family, let t = target, !Self.comparable(f, t.family) {
                    error(
                        m["target"]?.value,
                        "\(what).target \(t) is \(t.family), but the selector picks \(f): they never compare")
                }
            }
            if let sel { parts.append(.select(sel, op, target)) }
        } else if m["op"] != nil || m["target"] != nil {
            error(m["op"]?.key ?? m["target"]?.key, "'op' and 'target' go with 'select' in \(what)")
        }
        if RuleSchema.appliesTo.contains(where: { m[$0] != nil }) {
            // The same keys as applies_to, read by the same code.
            parts.append(.document(appliesTo(entries: m, what)))
        }
        guard errors.count == before else { return nil }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    /// Whether a figure of family `a` compares with a value of family `b` (a bare number with anything).
    static func comparable(_ a: Measure.Family, _ b: Measure.Family) -> Bool {
        a == b || a == .bare || b == .bare
    }
}

extension Evaluator {
    /// Whether `c` holds in the scope instance; a pattern that gives up counts as no match (and turns the
    /// rule into an error outcome, as every pattern of a rule does).
    func holds(_ c: Condition, _ ctx: Context, _ inst: Instance) -> Bool {
        switch c {
        case .all(let cs): return cs.allSatisfy { holds($0, ctx, inst) }
        case .any(let cs): return cs.contains { holds($0, ctx, inst) }
        case .not(let c): return !holds(c, ctx, inst)
        case .phrases(let ps): return ps.contains { ctx.document.contains($0, in: inst.range) }
        case .patterns(let ps): return ps.contains { !ctx.matches($0, in: inst.range, names: []).isEmpty }
        case .select(let sel, let op, let target):
            let found = select(sel, ctx, inst)
            guard let op, let target else { return !found.isEmpty }
            let t = Expression.normal(target)
            return found.contains { f in
                guard let m = Measure(fact: f), m.approx == nil else { return false }
                let x = Expression.normal(m)
                guard (try? Expression.comparable(x, t, op.rawValue)) != nil else { return false }
                return op.holds(Measure(x.value), t.value)
            }
        case .document(let a):
            // A pattern that gives up is no match here too, not a condition that holds.
            do {
                return try a.reason(document: ctx.document, genre: ctx.extraction.genre, budget: ctx.patterns) == nil
            } catch {
                return false
            }
        }
    }
}
