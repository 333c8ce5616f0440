import AssayExtraction
import AssayValues
import Foundation
import Yams

/// The language of Assay's built-in outcome messages (`language:` in a rule file).
public enum MessageLanguage: String, Sendable, CaseIterable {
    /// Chinese (简体中文).
    case zh
    /// English.
    case en
    /// The bulletin's own language: Chinese when most of its letters are CJK, else English.
    case auto

    /// The language for `document`: `self`, or for `auto` Chinese when the CJK scalars of the text
    /// outnumber its Latin letters.
    func resolved(for document: Document) -> MessageLanguage {
        guard self == .auto else { return self }
        // Counted once when the text was decoded; full-width letters are not counted as Latin here.
        let scripts = document.decoded.scripts
        return scripts.cjk > scripts.latin ? .zh : .en
    }
}

/// The statuses a rule's `message:` mapping may name, in the order the schema lists them.
enum MessageStatuses {
    /// `pass`, `fail`, `missing`, `not_applicable`.
    static let all: [OutcomeStatus] = [.pass, .fail, .missing, .notApplicable]
}

/// The names a message template may use, by kind: the values a kind's outcomes can carry, and the names
/// every outcome can fill.
enum MessageNames {
    /// What every outcome fills: `{section}`, `{as_of}`, `{published}`, `{status}`, and `{when}` for a
    /// `not_applicable` outcome.
    static let common = ["section", "as_of", "published", "status", "when"]

    /// The names a template of a rule with `check` may use: the common ones, the kind's value names, and
    /// names the rule itself defines (an `expression`'s facts, an `order`'s dates).
    static func valid(for check: any RuleCheck) -> [String] {
        var own = [String]()
        switch check {
        case is KindCheck<PhrasesKind>: own = PhrasesKind.messageNames
        case is KindCheck<SectionsKind>: own = SectionsKind.messageNames
        case is KindCheck<ThresholdKind>: own = ThresholdKind.messageNames
        case let c as KindCheck<ConsistencyKind>: own = ConsistencyKind.messageNames(c.check)
        case let c as KindCheck<DeadlineKind>: own = DeadlineKind.messageNames(c.check)
        case is KindCheck<CountKind>: own = CountKind.messageNames
        case is KindCheck<ProgressKind>: own = ProgressKind.messageNames
        default: break
        }
        var seen = Set<String>()
        return (common + own).filter { seen.insert($0).inserted }
    }
}

extension Evaluator.Context {
    /// The built-in message in the outcome's language: `en`, or `zh` when messages are in Chinese.
    func say(_ en: @autoclosure () -> String, zh: @autoclosure () -> String) -> String {
        self.zh ? zh() : en()
    }

    /// A scope instance as messages name it: its section path, or the whole document (`the document`, 全文).
    func place(_ inst: Evaluator.Instance) -> String {
        inst.path.isEmpty ? (zh ? "全文" : "the document") : inst.path.joined(separator: " › ")
    }
}

extension Evaluator {
    /// The names of the `{placeholders}` of a template, in order, as `fill` reads them (braces around
    /// anything that is not a name are text).
    static func placeholders(_ template: String) -> [String] {
        var names = [String]()
        _ = fill(template) { name in
            names.append(name)
            return ""
        }
        return names
    }
}

extension YAMLReader {
    /// `message:` of a rule: one template for every status, or a mapping from `pass`, `fail`, `missing`,
    /// `not_applicable` to a template. Every placeholder must name a value the rule's outcomes can carry
    /// (`MessageNames.valid(for:)`); an unknown one is an error at its template with a did-you-mean.
    mutating func messageTemplates(_ node: Node?, check: any RuleCheck, kind: RuleKind)
        -> (single: String?, byStatus: [OutcomeStatus: String])
    {
        guard let node else { return (nil, [:]) }
        let valid = MessageNames.valid(for: check)
        func checked(_ n: Node, _ what: String) -> String? {
            guard let t = string(n, what) else { return nil }
            for name in Evaluator.placeholders(t) where !valid.contains(name) {
                let hint = DidYouMean.suggest(name, among: valid).map { "; did you mean '{\($0)}'?" } ?? ""
                error(
                    n,
                    "\(what): unknown placeholder '{\(name)}'\(hint) (a \(kind.rawValue) rule's messages can name "
                        + valid.sorted().map { "{\($0)}" }.joined(separator: ", ") + ")")
            }
            return t
        }
        if case .mapping = node {
            let keys = MessageStatuses.all.map(\.rawValue)
            guard let m = mapping(node, "message", allowed: keys) else { return (nil, [:]) }
            var out = [OutcomeStatus: String]()
            for status in MessageStatuses.all {
                if let n = m[status.rawValue]?.value, let t = checked(n, "message.\(status.rawValue)") {
                    out[status] = t
                }
            }
            return (nil, out)
        }
        return (checked(node, "message"), [:])
    }
}

extension YAMLReader {
    /// `references:` of a rule: a list of `{title, url}` (`url` optional, `http://` or `https://`).
    mutating func references(_ node: Node?) -> [Reference] {
        guard let node else { return [] }
        guard case .sequence(let seq) = node else {
            error(node, "references must be a list of {title, url}")
            return []
        }
        var out = [Reference]()
        for item in seq {
            guard let m = mapping(item, "each item of references", allowed: RuleSchema.reference) else { continue }
            guard let title = string(m["title"]?.value, "references.title", nonEmpty: true) else {
                if m["title"] == nil { error(item, "each item of references needs a 'title'") }
                continue
            }
            let url = string(m["url"]?.value, "references.url")
            // No space, quote or angle bracket: the URL is written as is into Markdown <…> links and HTML.
            if let u = url,
                !(u.hasPrefix("https://") || u.hasPrefix("http://"))
                    || u.unicodeScalars.contains(where: { $0.value <= 0x20 || "\"<>\\`".unicodeScalars.contains($0) })
            {
                error(
                    m["url"]?.value,
                    "references.url '\(u)' is not an http:// or https:// address (without spaces, quotes or angle brackets)"
                )
                continue
            }
            out.append(Reference(title: title, url: url))
        }
        return out
    }
}

extension PhrasesKind {
    /// The values `require` and `forbid` outcomes carry.
    static let messageNames = ["expected", "found"]
}

extension SectionsKind {
    /// The values `sections` outcomes carry.
    static let messageNames = ["items", "min", "markers"]
}

extension CountKind {
    /// The values `count` outcomes carry.
    static let messageNames = ["counted", "found", "min", "max"]
}

extension ThresholdKind {
    /// The values `threshold` outcomes carry.
    static let messageNames = ["actual", "target", "difference", "currencies"]
}

extension ConsistencyKind {
    /// The values a `consistency` rule's outcomes carry: by check, and for `expression` its facts' names.
    static func messageNames(_ c: Consistency) -> [String] {
        switch c {
        case .sum: return ["parts", "sum", "total", "difference"]
        case .tallySum: return ["parts", "sum", "total", "difference", "tally"]
        case .ratio: return ["numerator", "denominator", "computed", "actual", "rounded"]
        case .tallyRatio: return ["numerator", "denominator", "computed", "actual", "rounded", "tally"]
        case .achievable: return ["count", "actual", "computed"]
        case .expression(let facts, _, _): return facts.map(\.0) + ["expect", "currencies"]
        }
    }
}

extension DeadlineKind {
    /// The values a `deadline` rule's outcomes carry: by check, and for `order` its dates' names.
    static func messageNames(_ c: DeadlineCheck) -> [String] {
        switch c {
        case .due: return ["deadline", "reference", "reference_kind", "completion"]
        case .asOf: return ["as_of"]
        case .order(let refs): return refs.map(\.description)
        case .within: return ["from", "to", "max", "limit", "working_days", "calendar"]
        }
    }
}

/// The extraction's reasons and doubts about tallies (TallyFinder writes them in English, for the facts
/// JSON and English messages) in Chinese, for Chinese messages: each known shape rewritten, anything else
/// kept as written.
enum TallyReasons {
    /// The English shapes with parts and their Chinese templates, compiled once.
    static let shapes: [(NSRegularExpression, String)] = [
        (#"^unit (.+) is not a count of recommendations$"#, "单位 $1 不是建议的计数"),
        (#"^unit (.+) is not a count of problems$"#, "单位 $1 不是问题的计数"),
        (#"^it counts (.+), not problems$"#, "计的是$1,不是问题"),
        (#"^the total (.+) is in another paragraph \(line (\d+)\)$"#, "合计 $1 在另一段(第 $2 行)"),
        (#"^(.+) is in another paragraph \(line (\d+)\) than the total$"#, "$1 与合计不在同一段(第 $2 行)"),
        (#"^two completed figures for the rate (.+)$"#, "比率 $1 有两个已完成数"),
        (#"^two (\w+) figures: (.+) and (.+)$"#, "有两个 $1 数:$2 和 $3"),
    ].map { (try! NSRegularExpression(pattern: $0.0), $0.1) }

    /// Reasons that are whole sentences, with their Chinese.
    static let fixed = [
        "no total or status word around it": "前后没有合计或状态词",
        "no status or total word around it": "前后没有状态或合计词",
        "not a count": "不是计数",
    ]

    /// `the total 54个 is in another paragraph (line 6)` → `合计 54个 在另一段(第 6 行)`, and so on.
    static func chinese(_ s: String) -> String {
        if let f = fixed[s] { return f }
        for (re, template) in shapes {
            let range = NSRange(s.startIndex..., in: s)
            if re.firstMatch(in: s, range: range) != nil {
                return re.stringByReplacingMatches(in: s, range: range, withTemplate: template)
            }
        }
        return s
    }
}
