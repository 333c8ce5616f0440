import AssayExtraction
import AssayValues
import Foundation
import Yams

/// Approved exceptions: an active waiver turns a matching `fail` or `missing` outcome into `waived` (still
/// listed). An expired or malformed waiver stops applying; when it matches an outcome, that outcome stays
/// and an `error` outcome (severity warning) says why the waiver did not apply.
public struct WaiverSet: Sendable {
    /// One approved exception: a rule's `fail` and `missing` outcomes, in some documents or sections, until a date.
    public struct Waiver: Sendable, Hashable {
        /// The id of the rule it waives.
        public var rule: String
        /// The documents it covers: a name (* and ? as wildcards) or a `/pattern/`; nil: every document.
        public var document: NameMatcher?
        /// The section it covers (an outcome's section path contains a match); nil: every section.
        public var section: NameMatcher?
        /// Why the exception was granted.
        public var reason: String
        /// Who approved it.
        public var approver: String
        /// The last day it applies, ISO `YYYY-MM-DD`; after it, the waiver no longer applies and is reported as
        /// expired where it would have matched.
        public var expires: String
        /// Where it starts in the waivers file (1-based).
        public var line: Int
    }

    /// The waivers file, as named in messages; nil when the set was not read from a file.
    public var file: String?
    /// The waivers read without error, in file order.
    public var waivers: [Waiver]
    /// Entries that could not be read; each is reported in every report while it stays broken.
    public var problems: [FileDiagnostic]

    /// A waiver set; by default empty, which leaves outcomes unchanged.
    public init(file: String? = nil, waivers: [Waiver] = [], problems: [FileDiagnostic] = []) {
        self.file = file
        self.waivers = waivers
        self.problems = problems
    }

    /// The keys a waiver may have.
    public static let keys = ["rule", "document", "section", "reason", "approver", "expires"]

    /// Reads a waivers file. Broken entries become `problems`; good ones still apply.
    public static func load(file: String) -> WaiverSet {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8)
        else {
            return WaiverSet(
                file: file,
                problems: [FileDiagnostic(file: file, line: 1, column: 1, message: "cannot read the waivers file")])
        }
        return parse(yaml: text, file: file)
    }

    /// Reads a waivers file's text, named `file` in messages: `waivers:`, a list. Broken entries become
    /// `problems`; good ones still apply.
    public static func parse(yaml: String, file: String) -> WaiverSet {
        var r = YAMLReader(file: file)
        var out = WaiverSet(file: file)
        let root: Node?
        do { root = try YAMLReader.composeBounded(yaml, file: file, what: "the waiver file") } catch {
            out.problems = [error]
            return out
        }
        guard let root, let top = r.mapping(root, "the waivers file", allowed: ["assay", "waivers"]),
            let list = top["waivers"]?.value, case .sequence(let seq) = list
        else {
            if r.errors.isEmpty { r.error(root, "a waivers file holds 'waivers:', a list") }
            out.problems = r.errors
            return out
        }
        for (index, node) in seq.enumerated() {
            let before = r.errors.count
            guard let m = r.mapping(node, "waiver", allowed: keys) else { continue }
            let rule = r.string(m["rule"]?.value, "rule")
            let reason = r.string(m["reason"]?.value, "reason")
            let approver = r.string(m["approver"]?.value, "approver")
            for (k, v) in [("rule", rule), ("reason", reason), ("approver", approver)] where v == nil {
                r.error(node, "waiver needs '\(k)'")
            }
            if m["expires"] == nil { r.error(node, "waiver needs 'expires'") }
            let expires = r.date(m["expires"]?.value, "waiver \(index + 1): expires", dayRequired: true)
            let doc = r.matcher(m["document"]?.value, "document")
            let sec = r.matcher(m["section"]?.value, "section")
            guard r.errors.count == before, let rule, let reason, let approver, let expires else { continue }
            out.waivers.append(
                Waiver(
                    rule: rule, document: doc, section: sec, reason: reason, approver: approver,
                    expires: expires, line: node.mark?.line ?? 1))
        }
        out.problems = r.errors
        return out
    }

    /// The set with every waiver naming a rule not in `ruleIDs` turned into a problem (it does not apply):
    /// `waivers.yml:2:12: error: waiver 1 names rule 'rate-targt', which no loaded rule set defines; did you
    /// mean 'rate-target'?`.
    public func checking(ruleIDs: Set<String>) -> WaiverSet {
        var out = self
        out.waivers = []
        for (k, w) in waivers.enumerated() {
            if ruleIDs.contains(w.rule) {
                out.waivers.append(w)
                continue
            }
            out.problems.append(
                FileDiagnostic(
                    file: file ?? "waivers", line: w.line, column: 1,
                    message:
                        "waiver \(k + 1) names rule '\(w.rule)', which no loaded rule set defines\(YAMLReader.hint(w.rule, among: ruleIDs.sorted()))"
                ))
        }
        return out
    }

    /// Marks waived failures and adds an outcome for every expired or broken waiver.
    public func apply(to outcomes: [Outcome], document: String, today: String) -> [Outcome] {
        guard !waivers.isEmpty || !problems.isEmpty else { return outcomes }
        var out = outcomes
        for w in waivers {
            if let d = w.document, !d.matches(document) && !Self.glob(d.literal ?? "", document) { continue }
            let expired = w.expires < today
            var matched = false
            for i in out.indices where out[i].ruleID == w.rule && (out[i].status == .fail || out[i].status == .missing)
            {
                if let s = w.section, !out[i].section.contains(where: { s.matches($0) }) { continue }
                matched = true
                if !expired {
                    out[i].status = .waived
                    out[i].waiver = "\(w.reason) (approved by \(w.approver), until \(w.expires))"
                }
            }
            if expired && matched {
                out.append(
                    Outcome(
                        ruleID: "waiver", title: "Waiver expired", kind: "waiver", severity: .warning, status: .error,
                        message:
                            "the waiver for \(w.rule) (\(file ?? "waivers"):\(w.line)) expired on \(w.expires) and no longer applies"
                    ))
            }
        }
        for p in problems {
            out.append(
                Outcome(
                    ruleID: "waiver", title: "Malformed waiver", kind: "waiver", severity: .warning, status: .error,
                    message: "\(p.description); that waiver does not apply"))
        }
        return out
    }

    /// Shell-style match with * and ? for document names.
    package static func glob(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern)
        let n = Array(name)
        func m(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == n.count }
            if p[i] == "*" { return m(i + 1, j) || (j < n.count && m(i, j + 1)) }
            return j < n.count && (p[i] == "?" || p[i] == n[j]) && m(i + 1, j + 1)
        }
        return m(0, 0)
    }
}
