import AssayExtraction
import AssayValues
import Foundation
import Yams

/// `require` and `forbid`: any of the phrases or patterns present (absent) in the scope.
struct PhrasesKind: RuleKindDefinition {
    struct Check: Sendable {
        /// require (true) or forbid (false).
        var present: Bool
        var phrases: [String]
        var patterns: [SendableRegex]
        /// The patterns joined into one alternation, compiled once, so the text is scanned once.
        var anyPattern: SendableRegex?
    }

    let names = ["require", "forbid"]
    let keys = ["phrases", "patterns"]

    func summary(_ name: String) -> String {
        name == "require"
            ? "a phrase or pattern must be present in the scope" : "a phrase or pattern must be absent from the scope"
    }

    func example(_ name: String) -> String {
        name == "require"
            ? #"""
            - id: contact-block
              title: 公布监督联系方式
              kind: require
              patterns: ["(?:电话|热线)[\\uFF1A:]?\\s*\\d{3,4}-\\d{7,8}", "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}"]
              examples: {pass: ["联系电话:023-63899999。"], fail: ["欢迎监督。"]}
            """#
            : """
            - id: no-placeholder
              title: 不得留有占位符
              kind: forbid
              phrases: [XXX, 待补充]
              examples: {pass: ["已完成。"], fail: ["完成XXX项。"]}
            """
    }

    let schemaProperties = """
        {
          "phrases": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
          "patterns": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
        }
        """

    func parse(
        _ kind: RuleKind, _ m: YAMLReader.Entries, _ node: Node, targets: [String: RuleSet.Target],
        _ r: inout YAMLReader
    ) -> Check? {
        let phrases = r.strings(m["phrases"]?.value, "phrases")
        var patterns = [SendableRegex]()
        if let pn = m["patterns"]?.value {
            for p in r.strings(pn, "patterns") { if let x = r.regex(pn, p, "pattern") { patterns.append(x) } }
        }
        if phrases.isEmpty && m["patterns"] == nil {
            r.error(node, "a \(kind.rawValue) rule needs 'phrases' or 'patterns'")
        }
        let any = patterns.isEmpty ? nil : try? SendableRegex(joining: patterns)
        return Check(present: kind.rawValue == "require", phrases: phrases, patterns: patterns, anyPattern: any)
    }

    func evaluate(_ c: Check, _ rule: Rule, _ e: Evaluator, _ ctx: Evaluator.Context, _ inst: Evaluator.Instance)
        -> [Outcome]
    {
        let doc = ctx.document
        var hits = c.phrases.flatMap { doc.occurrences(of: $0, in: inst.range) }
        // The instance range is searched in place on the document's scalars; match offsets index the document.
        for r in c.anyPattern.map({ [$0] }) ?? c.patterns {
            for m in ctx.matches(r, in: inst.range, names: []) where !m.range.isEmpty {
                hits.append(m.range)
            }
        }
        hits.sort { $0.lowerBound < $1.lowerBound }
        let patterns = c.patterns
        let wanted =
            (c.phrases
            + (patterns.isEmpty
                ? [] : ["\(patterns.count) pattern\(patterns.count == 1 ? "" : "s") of rule \(rule.id)"]))
            .joined(separator: " | ")
        let ev = hits.prefix(10).map { e.evidence(range: $0, role: "match", ctx) }
        let vals = [NamedValue("expected", wanted), NamedValue("found", hits.isEmpty ? "none" : "\(hits.count)")]
        let place = ctx.place(inst)
        // require fails when nothing is found, forbid when something is.
        let status: OutcomeStatus = hits.isEmpty == c.present ? .fail : .pass
        let message: String
        if ctx.zh {
            let wantedZh =
                (c.phrases.map { "“\($0)”" }
                + (patterns.isEmpty ? [] : ["规则 \(rule.id) 的 \(patterns.count) 个模式"])).joined(separator: "、")
            message =
                hits.isEmpty
                ? "\(place)未出现以下任一内容:\(wantedZh)"
                : c.present
                    ? "\(place)已有“\(ev[0].text)”"
                    : "\(place)出现了不应出现的\(ev.map { "“\($0.text)”" }.joined(separator: "、"))"
        } else {
            message =
                hits.isEmpty
                ? "\(place) has none of: \(wanted)"
                : c.present
                    ? "\(place) has \(ev[0].text)"
                    : "\(place) contains \(ev.map(\.text).joined(separator: ", ")), which must not appear"
        }
        return [
            e.outcome(
                rule, ctx, status, path: inst.path, values: vals, evidence: hits.isEmpty ? [] : Array(ev),
                defaultMessage: message)
        ]
    }
}
