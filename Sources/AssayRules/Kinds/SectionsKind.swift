import AssayExtraction
import AssayValues
import Foundation
import Yams

extension RuleSchema {
    /// The keys of a sections rule's `items:`.
    public static let items = ["min", "ordered", "contiguous"]
}

/// `sections`: required section names, and numbered items per section.
struct SectionsKind: RuleKindDefinition {
    struct Check: Sendable {
        var required: [NameMatcher]
        var minItems: Int?
        var ordered: Bool
        var contiguous: Bool
    }

    let names = ["sections"]
    let keys = ["require", "items"]

    func summary(_ name: String) -> String {
        "required sections exist; numbered items are present, in order, without gaps, at least N"
    }

    func example(_ name: String) -> String {
        """
        - id: departments-present
          title: 四个部门都已通报
          kind: sections
          require: [市生态环境局, 市城市管理局, 市审计局, /外办$/]
          items: {min: 3, ordered: true, contiguous: true}
        """
    }

    let schemaProperties = """
        {
          "require": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
          "items": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
              "min": {"type": "integer", "minimum": 0},
              "ordered": {"type": "boolean"},
              "contiguous": {"type": "boolean"}
            }
          }
        }
        """

    func parse(
        _ kind: RuleKind, _ m: YAMLReader.Entries, _ node: Node, targets: [String: RuleSet.Target],
        _ r: inout YAMLReader
    ) -> Check? {
        var required = [NameMatcher]()
        if let rn = m["require"]?.value {
            if case .sequence(let seq) = rn {
                for n in seq { if let x = r.matcher(n, "require") { required.append(x) } }
            } else if let x = r.matcher(rn, "require") {
                required.append(x)
            }
        }
        // Item checks run only when `items` is given; then order and contiguity default to on.
        var minItems: Int?
        var ordered = false
        var contiguous = false
        if let i = m["items"], let im = r.mapping(i.value, "items", allowed: RuleSchema.items) {
            minItems = r.int(im["min"]?.value, "items.min")
            ordered = r.bool(im["ordered"]?.value, "items.ordered") ?? true
            contiguous = r.bool(im["contiguous"]?.value, "items.contiguous") ?? true
        }
        if required.isEmpty && m["items"] == nil { r.error(node, "a sections rule needs 'require' or 'items'") }
        return Check(required: required, minItems: minItems, ordered: ordered, contiguous: contiguous)
    }

    func evaluate(_ c: Check, _ rule: Rule, _ e: Evaluator, _ ctx: Evaluator.Context, _ inst: Evaluator.Instance)
        -> [Outcome]
    {
        let doc = ctx.document
        let (required, minItems, ordered, contiguous) = (c.required, c.minItems, c.ordered, c.contiguous)
        let checksItems = minItems != nil || ordered || contiguous
        var out = [Outcome]()
        // One outcome per required section (present, and its items when they are checked), or per
        // section in scope when no names are required.
        var targets = [Section]()
        if let only = inst.section {
            targets = [only]
        } else if required.isEmpty {
            targets = doc.sections.filter { $0.level == 1 }
            if targets.isEmpty {
                return [
                    e.outcome(
                        rule, ctx, .missing, path: [], values: [], evidence: [],
                        defaultMessage: ctx.say(
                            "the document has no sections, so its numbered items cannot be checked",
                            zh: "文件中没有章节,无法检查编号事项"))
                ]
            }
        } else {
            for req in required {
                if let s = doc.sections.first(where: { ctx.matches(req, $0.name) }) {
                    targets.append(s)
                } else {
                    out.append(
                        e.outcome(
                            rule, ctx, .fail, path: [], values: [NamedValue("section", req.description)], evidence: [],
                            defaultMessage: ctx.say(
                                "required section \(req.description) is missing", zh: "缺少应有的章节 \(req.description)")))
                }
            }
        }
        for s in targets {
            let numbers = s.items.map(\.ordinal)
            var problems = [String]()
            if checksItems {
                let markers = s.items.map(\.marker).joined(separator: ctx.zh ? "、" : ", ")
                if let min = minItems, s.items.count < min {
                    problems.append(
                        ctx.say(
                            "has \(s.items.count) numbered items, fewer than \(min)",
                            zh: "只有 \(s.items.count) 个编号事项,少于 \(min) 个"))
                }
                if ordered, numbers != numbers.sorted() {
                    problems.append(ctx.say("numbered items out of order (\(markers))", zh: "编号事项顺序有误(\(markers))"))
                }
                if contiguous, let first = numbers.first, numbers.sorted() == numbers,
                    first != 1 || numbers != Array(first..<(first + numbers.count))
                {
                    problems.append(ctx.say("numbered items have a gap (\(markers))", zh: "编号事项不连续(\(markers))"))
                }
            }
            let vals = [
                NamedValue("section", s.name), NamedValue("items", "\(s.items.count)"),
                NamedValue("min", minItems.map(String.init) ?? "-"),
                NamedValue("markers", s.items.map(\.marker).joined(separator: ", ")),
            ]
            let ev =
                [e.evidence(range: s.span.range, role: "heading", ctx)]
                + s.items.map { e.evidence(range: $0.span.range, role: "item", ctx) }
            let ok =
                checksItems
                ? ctx.say(
                    "\(s.name) is present with \(s.items.count) numbered items in order",
                    zh: "\(s.name) 已列出,编号事项 \(s.items.count) 个,顺序正确")
                : ctx.say("section \(s.name) is present", zh: "已有章节 \(s.name)")
            let problem =
                ctx.zh
                ? "\(s.name) " + problems.joined(separator: ";") : "\(s.name) " + problems.joined(separator: "; ")
            out.append(
                e.outcome(
                    rule, ctx, problems.isEmpty ? .pass : .fail, path: s.path, values: vals, evidence: ev,
                    defaultMessage: problems.isEmpty ? ok : problem))
        }
        // Keep required-section failures in the order the rule names them.
        return out.sorted {
            ($0.status == .fail && $0.section.isEmpty ? 1 : 0, $0.evidence.first?.span.offset ?? 0) < (
                $1.status == .fail && $1.section.isEmpty ? 1 : 0, $1.evidence.first?.span.offset ?? 0
            )
        }
    }
}
