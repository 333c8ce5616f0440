import AssayRules
import AssayValues
import Foundation
import Yams

/// A rule's own keys as its file writes them, read back from the file: what the kind checks (`select`, `op`,
/// `target`, `facts`, `expect`, `patterns` …), each rendered on one line in YAML flow style.
public enum RuleSource {
    /// The keys of the rule's kind (every key but `RuleSchema.common`), in the order written, each with its
    /// value in flow style (`{kind: percent, label: 整改率}`); empty when `yaml` (the text of the rule's file)
    /// has no rule mapping at the rule's line.
    public static func kindKeys(of rule: Rule, yaml: String?) -> [(key: String, value: String)] {
        guard let yaml, let root = try? YAMLReader.compose(yaml, file: rule.file), case .mapping(let top) = root,
            case .sequence(let rules)? = top["rules"],
            let node = rules.first(where: { $0.mark?.line == rule.line }), case .mapping(let m) = node
        else { return [] }
        return m.compactMap { k, v in
            guard let key = k.scalar?.string, !RuleSchema.common.contains(key) else { return nil }
            return (key, flow(v))
        }
    }

    /// A YAML node on one line, in flow style: plain scalars as written, others double-quoted.
    public static func flow(_ node: Node) -> String {
        if case .scalar(let s) = node {
            guard s.style != .plain || s.string.contains("\n") else { return s.string }
            var out = "\""
            for c in s.string.unicodeScalars {
                switch c {
                case "\\": out += "\\\\"
                case "\"": out += "\\\""
                case "\n": out += "\\n"
                case "\t": out += "\\t"
                default: out.unicodeScalars.append(c)
                }
            }
            return out + "\""
        }
        if case .sequence(let seq) = node { return "[" + seq.map(flow).joined(separator: ", ") + "]" }
        if case .mapping(let m) = node {
            return "{" + m.map { "\(flow($0.key)): \(flow($0.value))" }.joined(separator: ", ") + "}"
        }
        return "*alias"
    }

    /// A key's value with the target it names spelt out: `$audit_rate` → `$audit_rate = 80% (source)`; any
    /// other value unchanged.
    public static func resolving(_ value: String, in set: RuleSet) -> String {
        guard value.hasPrefix("$"), let t = set.targets[String(value.dropFirst())],
            let v = t.measure?.description ?? t.date
        else { return value }
        return "\(value) = \(v)" + (t.source.map { " (\($0))" } ?? "")
    }

    /// A scope as a rule writes it: `document`, `each-section`, `each-item`, `{section: NAME}`.
    public static func text(_ scope: Scope) -> String {
        switch scope {
        case .document: return "document"
        case .eachSection: return "each-section"
        case .eachItem: return "each-item"
        case .section(let name): return "{section: \(name)}"
        }
    }

    /// Where a rule or set applies, as `applies_to` writes it (`{genre: xunshi-progress, issuer: 风正巴渝}`);
    /// nil when it applies everywhere.
    public static func text(_ a: Applicability) -> String? {
        guard !a.isEmpty else { return nil }
        func list(_ xs: [String]) -> String { xs.count == 1 ? xs[0] : "[" + xs.joined(separator: ", ") + "]" }
        var parts = [String]()
        if !a.genres.isEmpty { parts.append("genre: " + list(a.genres.map(\.rawValue))) }
        if !a.issuer.isEmpty { parts.append("issuer: " + list(a.issuer.map(\.description))) }
        if !a.title.isEmpty { parts.append("title: " + list(a.title.map(\.description))) }
        if !a.text.isEmpty { parts.append("text: " + list(a.text.map(\.description))) }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

/// `assay explain`: a rule described for people.
public enum RuleExplanation {
    /// The rule described for people: id and title, rule set and line, kind, severity, scope, where it
    /// applies, its condition (`when`), its kind's keys as written (selectors, op, target, expression … read
    /// from `source`, the text of its rule file), basis, message, tags, and its examples, indented.
    public static func text(_ rule: Rule, in set: RuleSet, source: String? = nil) -> String {
        func line(_ label: String, _ value: String) -> String {
            "  " + (label + ":").padding(toLength: max(11, label.count + 1), withPad: " ", startingAt: 0) + " "
                + value + "\n"
        }
        var out = "\(rule.id): \(rule.title)\n"
        out += line("rule set", "\(set.name) (\((set.file as NSString).lastPathComponent):\(rule.line))")
        out += line("kind", "\(rule.kind.rawValue) — \(RuleKindDescription.of(rule.kind).summary)")
        out += line("severity", "\(rule.severity.rawValue) (missing facts: \(rule.onMissing.rawValue))")
        out += line("scope", RuleSource.text(rule.scope))
        if let a = RuleSource.text(rule.appliesTo) { out += line("applies to", a) }
        if let w = rule.when { out += line("when", w.description) }
        for (k, v) in RuleSource.kindKeys(of: rule, yaml: source) { out += line(k, RuleSource.resolving(v, in: set)) }
        if let b = rule.basis { out += line("basis", b) }
        if let m = rule.message { out += line("message", m) }
        if !rule.tags.isEmpty { out += line("tags", rule.tags.joined(separator: ", ")) }
        let examples = examples(of: rule)
        if !examples.isEmpty {
            out += "  examples:\n"
            for (name, snippet) in examples {
                out += "    \(name):\n"
                // Each line of the snippet indented under its name; its final line break is not a line of its own.
                let body = snippet.hasSuffix("\n") ? String(snippet.dropLast()) : snippet
                for l in body.split(separator: "\n", omittingEmptySubsequences: false) { out += "      \(l)\n" }
            }
        }
        return out
    }

    /// A rule's examples in order, each named `pass #1`, `fail #1`, `missing #1` ….
    public static func examples(of rule: Rule) -> [(name: String, snippet: String)] {
        func named(_ kind: String, _ xs: [String]) -> [(name: String, snippet: String)] {
            xs.enumerated().map { ("\(kind) #\($0.offset + 1)", $0.element) }
        }
        return named("pass", rule.examples.pass) + named("fail", rule.examples.fail)
            + named("missing", rule.examples.missing)
    }
}

/// `assay rules list` and `assay rules doc`: the rules of rule sets as a table, as JSON, and as a Markdown
/// reference. Every output depends only on the rule sets (and their files' text), never on the clock.
public enum RuleCatalog {
    /// One rule as `rules list --format json` gives it.
    public struct Entry: Sendable, Equatable {
        /// The rule's id.
        public var id: String
        /// Its kind (`threshold`, `require` …).
        public var kind: String
        /// Its severity for a failure.
        public var severity: String
        /// Its severity when its facts are missing.
        public var onMissing: String
        /// The name of its rule set.
        public var set: String
        /// Its rule file, as errors name it.
        public var file: String
        /// The line it starts on.
        public var line: Int
        /// Its title.
        public var title: String

        /// The entry as a JSON object, keys in this order: id, kind, severity, on_missing, set, file, line, title.
        public var json: JSONValue {
            .object([
                ("id", .string(id)), ("kind", .string(kind)), ("severity", .string(severity)),
                ("on_missing", .string(onMissing)), ("set", .string(set)), ("file", .string(file)),
                ("line", .integer(line)), ("title", .string(title)),
            ])
        }
    }

    /// Every rule of the sets, in load order.
    public static func entries(_ sets: [RuleSet]) -> [Entry] {
        sets.flatMap { set in
            set.rules.map {
                Entry(
                    id: $0.id, kind: $0.kind.rawValue, severity: $0.severity.rawValue,
                    onMissing: $0.onMissing.rawValue, set: set.name, file: $0.file, line: $0.line, title: $0.title)
            }
        }
    }

    /// The rules as a table for people: a header, one row per rule (id, kind, severity, set, title), the
    /// columns padded to their widest cell, and a count.
    public static func table(_ sets: [RuleSet]) -> String {
        let rows =
            [["ID", "KIND", "SEVERITY", "SET", "TITLE"]]
            + entries(sets).map { [$0.id, $0.kind, $0.severity, $0.set, $0.title] }
        let widths = (0..<4).map { c in rows.map { $0[c].count }.max() ?? 0 }
        var out = ""
        for row in rows {
            out +=
                (0..<4).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(
                    separator: "  ") + "  " + row[4] + "\n"
        }
        let count = rows.count - 1
        out += "\(count) rule\(count == 1 ? "" : "s") in \(sets.count) set\(sets.count == 1 ? "" : "s")\n"
        return out
    }

    /// The rules as a JSON array of `Entry.json`, as the reports print JSON, with a final newline.
    public static func json(_ sets: [RuleSet]) -> String {
        JSONValue.array(entries(sets).map(\.json)).rendered() + "\n"
    }

    /// A Markdown reference of the sets: per set its name, version, description, where it applies and a
    /// table of its rules; per rule its id, title, kind, severity and severity when missing, scope, what it
    /// checks (the kind's summary, condition and keys as written, read from `source`: the text of a rule
    /// file by the name errors give it), basis, message, tags and examples.
    public static func markdown(_ sets: [RuleSet], source: (String) -> String?) -> String {
        var out = "# Rule reference\n\n"
        let count = sets.reduce(0) { $0 + $1.rules.count }
        out += "\(sets.count) rule set\(sets.count == 1 ? "" : "s"), \(count) rule\(count == 1 ? "" : "s").\n"
        for set in sets {
            out += "\n## \(set.name)\n\n"
            out += "- file: \(code(set.file))\n"
            if let v = set.version { out += "- version: \(v)\n" }
            out += "- applies to: \(RuleSource.text(set.appliesTo).map(code) ?? "every bulletin")\n"
            if let d = set.description { out += "\n\(d)\n" }
            out += "\n| id | kind | severity | title |\n|---|---|---|---|\n"
            for r in set.rules {
                out +=
                    "| [\(code(r.id))](#\(anchor(r.id))) | \(r.kind.rawValue) | \(r.severity.rawValue) | \(cell(r.title)) |\n"
            }
            let text = source(set.file)
            for r in set.rules {
                out += "\n### \(r.id)\n\n"
                out += "\(r.title)\n\n"
                out += "- kind: \(code(r.kind.rawValue)) — \(RuleKindDescription.of(r.kind).summary)\n"
                out += "- severity: \(r.severity.rawValue); when its facts are missing: \(r.onMissing.rawValue)\n"
                out += "- scope: \(code(RuleSource.text(r.scope)))\n"
                if let a = RuleSource.text(r.appliesTo) { out += "- applies to: \(code(a))\n" }
                if let w = r.when { out += "- checked when: \(w.description)\n" }
                let keys = RuleSource.kindKeys(of: r, yaml: text)
                if !keys.isEmpty {
                    out += "- checks:\n"
                    for (k, v) in keys {
                        let resolved = RuleSource.resolving(v, in: set)
                        out += "  - \(k): \(code(v))\(resolved == v ? "" : " =" + resolved.dropFirst(v.count + 2))\n"
                    }
                }
                if let b = r.basis { out += "- basis: \(b)\n" }
                if let m = r.message { out += "- message: \(code(m))\n" }
                if !r.tags.isEmpty { out += "- tags: \(r.tags.joined(separator: ", "))\n" }
                let examples = RuleExplanation.examples(of: r)
                if !examples.isEmpty {
                    out += "\nExamples:\n"
                    for (name, snippet) in examples {
                        out += "\n- \(name):\n\n  ```text\n"
                        for l in snippet.split(separator: "\n", omittingEmptySubsequences: false) {
                            out += l.isEmpty ? "\n" : "  \(l)\n"
                        }
                        out += "  ```\n"
                    }
                }
            }
        }
        return out
    }

    /// Text as a Markdown code span, with enough backticks around it.
    static func code(_ s: String) -> String {
        let fence = s.contains("`") ? "``" : "`"
        let pad = s.hasPrefix("`") || s.hasSuffix("`") ? " " : ""
        return fence + pad + s + pad + fence
    }

    /// Text for a Markdown table cell: `|` escaped, on one line.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// The anchor GitHub gives the heading `### id`: lower case, `.` dropped.
    static func anchor(_ id: String) -> String {
        id.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}
