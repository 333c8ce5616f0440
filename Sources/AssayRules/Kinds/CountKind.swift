import AssayExtraction
import AssayValues
import Foundation
import Yams

extension RuleSchema {
    /// The keys of a count rule's mapping form of `count:` (`{facts: …}`, `{phrases: …}`, `{patterns: …}`).
    public static let countForms = ["facts", "phrases", "patterns"]
    /// The words a count rule's `count:` may be (the other forms are the mappings of `countForms`).
    public static let countWords = ["items", "subsections"]
}

/// `count`: at least / at most N of something in the scope: numbered items, subsections, facts a selector
/// picks, or occurrences of phrases and patterns.
struct CountKind: RuleKindDefinition {
    /// What a count rule counts.
    enum Counted: Sendable {
        /// The numbered items (一是…, 1., (1)) directly in the scope's section, or in the whole document.
        case items
        /// The sections nested one level below the scope's section, or the top-level sections of the document.
        case subsections
        /// The facts the selector picks in the scope.
        case facts(Selector)
        /// The non-overlapping occurrences of any of the phrases or patterns in the scope.
        case occurrences(phrases: [String], patterns: [SendableRegex], any: SendableRegex?)
    }

    struct Check: Sendable {
        var counted: Counted
        var min: Int?
        var max: Int?
    }

    let names = ["count"]
    let keys = ["count", "min", "max"]
    let schemaRequired = ["count"]

    /// How many counted things a message lists and an outcome quotes as evidence.
    static let shown = 10

    func summary(_ name: String) -> String {
        "at least / at most N numbered items, subsections, selected facts or phrase and pattern matches in the scope"
    }

    func example(_ name: String) -> String {
        #"""
        - id: two-parts-under-rectification
          title: 整改落实情况下至少分两部分叙述
          kind: count
          scope: {section: 整改落实情况}
          count: subsections
          min: 2
          examples:
            pass: ["三、整改落实情况\n(一)压实整改责任\n已完成。\n(二)健全长效机制\n已建立。"]
            fail: ["三、整改落实情况\n(一)压实整改责任\n已完成。"]
        """#
    }

    let schemaProperties = """
        {
          "count": {
            "description": "what is counted: items, subsections, {facts: SELECTOR}, {phrases: [...]} or {patterns: [...]}",
            "oneOf": [
              {"enum": ["items", "subsections"]},
              {
                "type": "object",
                "additionalProperties": false,
                "minProperties": 1,
                "properties": {
                  "facts": {"$ref": "#/definitions/selector"},
                  "phrases": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
                  "patterns": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}
                }
              }
            ]
          },
          "min": {"type": "integer", "minimum": 0, "description": "at least this many"},
          "max": {"type": "integer", "minimum": 0, "description": "at most this many"}
        }
        """

    func parse(
        _ kind: RuleKind, _ m: YAMLReader.Entries, _ node: Node, targets: [String: RuleSet.Target],
        _ r: inout YAMLReader
    ) -> Check? {
        let forms = "items, subsections, {facts: SELECTOR}, {phrases: [...]} or {patterns: [...]}"
        var counted: Counted?
        if let cn = m["count"]?.value {
            switch cn {
            case .scalar(let s):
                switch s.string {
                case "items": counted = .items
                case "subsections": counted = .subsections
                case let word where RuleSchema.countForms.contains(word):
                    r.error(cn, "count '\(word)' does not say which \(word) to count; write count: {\(word): …}")
                default:
                    r.error(
                        cn,
                        "count '\(s.string)' is not one of \(forms)\(YAMLReader.hint(s.string, among: RuleSchema.countWords))"
                    )
                }
            case .mapping(let raw):
                guard let cm = r.mapping(cn, "count", allowed: RuleSchema.countForms) else { break }
                if let fn = cm["facts"] {
                    if cm["phrases"] != nil || cm["patterns"] != nil {
                        r.error(cn, "count counts facts or phrases and patterns, not both; write a rule for each")
                    } else if let sel = r.selector(fn.value, "count.facts") {
                        counted = .facts(sel)
                    }
                } else if !cm.isEmpty {
                    let before = r.errors.count
                    let phrases = r.strings(cm["phrases"]?.value, "count.phrases", nonEmpty: true)
                    var patterns = [SendableRegex]()
                    if let pn = cm["patterns"]?.value {
                        for p in r.strings(pn, "count.patterns", nonEmpty: true) {
                            if let x = r.regex(pn, p, "count pattern") { patterns.append(x) }
                        }
                    }
                    if phrases.isEmpty && patterns.isEmpty {
                        // A bad phrase or pattern was reported already.
                        if r.errors.count == before { r.error(cn, "count names no phrase or pattern to count") }
                    } else {
                        let any = patterns.isEmpty ? nil : try? SendableRegex(joining: patterns)
                        counted = .occurrences(phrases: phrases, patterns: patterns, any: any)
                    }
                } else if raw.isEmpty {
                    // (Unknown keys were reported by `mapping`.)
                    r.error(cn, "count names nothing to count; write \(forms)")
                }
            default:
                r.error(cn, "count must be \(forms)")
            }
        } else {
            r.error(node, "a count rule needs 'count': \(forms)")
        }
        // A numbered item holds neither numbered items nor sections.
        if m["scope"]?.value.scalar?.string == "each-item" {
            let words: (key: String, held: String)? =
                switch counted {
                case .items?: ("items", "numbered items")
                case .subsections?: ("subsections", "subsections")
                default: nil
                }
            if let words {
                r.error(
                    m["count"]?.value,
                    "count: \(words.key) cannot be checked with scope: each-item (a numbered item holds no "
                        + "\(words.held)); use a section scope")
            }
        }
        let min = r.int(m["min"]?.value, "min", min: 0)
        let max = r.int(m["max"]?.value, "max", min: 0)
        if m["min"] == nil && m["max"] == nil {
            r.error(node, "a count rule needs 'min' or 'max' (at least / at most how many)")
        }
        if let lo = min, let hi = max, lo > hi {
            r.error(m["min"]?.value, "min \(lo) is greater than max \(hi), so no count can pass")
        }
        if min == 0, m["max"] == nil {
            r.error(m["min"]?.value, "min 0 without max always holds; give min ≥ 1 or a max")
        }
        guard let counted else { return nil }
        return Check(counted: counted, min: min, max: max)
    }

    func evaluate(_ c: Check, _ rule: Rule, _ e: Evaluator, _ ctx: Evaluator.Context, _ inst: Evaluator.Instance)
        -> [Outcome]
    {
        let doc = ctx.document
        let place = inst.path.isEmpty ? "the document" : inst.path.joined(separator: " › ")
        // The scope's section; nil in document scope (each-item is refused with items and subsections).
        let section = inst.section
        // What was counted, in document order: the text each is named by in the message, and its evidence.
        var found = [(text: String, evidence: () -> Evidence)]()
        let singular: String
        let plural: String
        // The Chinese name of what is counted, for Chinese messages.
        let zhWhat: String
        switch c.counted {
        case .items, .subsections:
            let isItems: Bool
            if case .items = c.counted { isItems = true } else { isItems = false }
            if section == nil && doc.sections.isEmpty {
                // No structure was recognised: counting 0 would blame the bulletin for what was not read.
                let what = isItems ? "numbered items" : "sections"
                return [
                    e.outcome(
                        rule, ctx, .missing, path: inst.path, values: [NamedValue("counted", what)], evidence: [],
                        defaultMessage: ctx.say(
                            "the document has no sections, so its \(what) cannot be counted",
                            zh: "全文未识别出层次结构,无法计数\(isItems ? "编号条目" : "标题"))"))
                ]
            }
            if isItems {
                (singular, plural) = ("numbered item", "numbered items")
                zhWhat = "编号条目"
                let items = (section.map(\.items) ?? doc.sections.flatMap(\.items)).sorted {
                    $0.span.offset < $1.span.offset
                }
                found = items.map { i in (i.marker, { e.evidence(range: i.span.range, role: "item", ctx) }) }
            } else {
                (singular, plural) = section == nil ? ("section", "sections") : ("subsection", "subsections")
                zhWhat = section == nil ? "一级标题" : "下级标题"
                let subs = doc.sections.filter { s in
                    section.map { $0.level + 1 == s.level && $0.body.contains(s.span.offset) } ?? (s.level == 1)
                }
                found = subs.map { s in (s.name, { e.evidence(range: s.span.range, role: "subsection", ctx) }) }
            }
        case .facts(let sel):
            (singular, plural) = ("fact matching \(sel.description)", "facts matching \(sel.description)")
            zhWhat = "符合 \(sel.description) 的数值"
            found = e.select(sel, ctx, inst).map { f in (f.text, { e.evidence(f, role: "fact", ctx) }) }
        case .occurrences(let phrases, let patterns, let any):
            var hits = phrases.flatMap { doc.occurrences(of: $0, in: inst.range) }
            for regex in any.map({ [$0] }) ?? patterns {
                for m in ctx.matches(regex, in: inst.range, names: []) where !m.range.isEmpty { hits.append(m.range) }
            }
            // Overlapping matches (整改 inside 整改完成) count once: the earliest, then the longest.
            hits.sort { ($0.lowerBound, -$0.count) < ($1.lowerBound, -$1.count) }
            var kept = [Range<Int>]()
            for h in hits where h.lowerBound >= (kept.last?.upperBound ?? 0) { kept.append(h) }
            let wanted =
                (phrases
                + (patterns.isEmpty
                    ? [] : ["\(patterns.count) pattern\(patterns.count == 1 ? "" : "s") of rule \(rule.id)"]))
                .joined(separator: " | ")
            (singular, plural) = ("occurrence of \(wanted)", "occurrences of \(wanted)")
            zhWhat = "处“\(wanted)”"
            found = kept.map { h in (doc.text(h), { e.evidence(range: h, role: "match", ctx) }) }
        }
        let n = found.count
        let ok = (c.min.map { n >= $0 } ?? true) && (c.max.map { n <= $0 } ?? true)
        let required: String
        switch (c.min, c.max) {
        case (let lo?, nil): required = "at least \(lo) required"
        case (nil, 0?), (0?, 0?): required = "none allowed"
        case (nil, let hi?): required = "at most \(hi) allowed"
        case (let lo?, let hi?) where lo == hi: required = "exactly \(lo) required"
        case (let lo?, let hi?): required = "between \(lo) and \(hi) required"
        case (nil, nil): required = "no bound"
        }
        let shown = found.prefix(Self.shown)
        let list =
            n == 0
            ? ""
            : " (found: " + shown.map(\.text).joined(separator: ", ")
                + (n > Self.shown ? " and \(n - Self.shown) more" : "") + ")"
        let has = n == 0 ? "no \(plural)" : "\(n) \(n == 1 ? singular : plural)"
        let values = [
            NamedValue("counted", plural), NamedValue("found", "\(n)"),
            NamedValue("min", c.min.map(String.init) ?? "-"), NamedValue("max", c.max.map(String.init) ?? "-"),
        ]
        let requiredZh: String
        switch (c.min, c.max) {
        case (let lo?, nil): requiredZh = "应至少 \(lo) 个"
        case (nil, 0?), (0?, 0?): requiredZh = "不应出现"
        case (nil, let hi?): requiredZh = "应至多 \(hi) 个"
        case (let lo?, let hi?) where lo == hi: requiredZh = "应为 \(lo) 个"
        case (let lo?, let hi?): requiredZh = "应为 \(lo) 至 \(hi) 个"
        case (nil, nil): requiredZh = "无限制"
        }
        let listZh =
            n == 0
            ? ""
            : "(" + shown.map(\.text).joined(separator: "、") + (n > Self.shown ? " 等 \(n) 个" : "") + ")"
        return [
            e.outcome(
                rule, ctx, ok ? .pass : .fail, path: inst.path, values: values, evidence: shown.map { $0.evidence() },
                defaultMessage: ctx.say(
                    "\(place) has \(has), \(required)\(list)",
                    zh: "\(ctx.place(inst))有 \(n) 个\(zhWhat),\(requiredZh)\(listZh)"))
        ]
    }
}
