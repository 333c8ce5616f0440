import AssayExtraction
import AssayRules
import AssayValues

/// A report for reading in a merge request or a wiki: a summary table, then problems grouped by section
/// and severity with their quoted evidence and place, then the passes in one compact list.
///
/// Bulletin text is inert: Markdown and HTML punctuation is backslash-escaped and control and bidi
/// characters are shown as `[U+XXXX]` (`VisibleText`).
public struct MarkdownRenderer: ReportRenderer {
    /// The Markdown renderer; it has no settings.
    public init() {}
    /// Always `.markdown`.
    public var format: ReportFormat { .markdown }

    /// The Markdown report (see the type's description); uses only the report, not the document or rule sets.
    public func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String {
        let d = report.document
        let layout = ReportLayout(report)
        var out = "# Assay findings: \(Self.escape(d.name))\n\n"
        out += "| | |\n|---|---|\n"
        let source = d.format == SourceFormat.text.rawValue ? d.encoding : d.formatText
        out += "| Document | \(Self.escape(d.name)) — \(Self.escape(source)), \(d.size) bytes, \(d.lines) lines |\n"
        if !d.notes.isEmpty { out += "| Conversion | \(Self.escape(d.notes.joined(separator: "; "))) |\n" }
        out += "| SHA-256 | `\(Self.codeSafe(d.sha256))` |\n"
        out += "| Published | \(Self.escape(d.publishedText)) |\n"
        out += "| As of | \(Self.escape(d.asOf ?? "unknown")) |\n"
        out += "| Genre | \(Self.escape(d.genre)) |\n"
        out += "| Issuer | \(Self.escape(d.issuer?.text ?? "unknown")) |\n"
        if let p = d.previous {
            out += "| Compared with | \(Self.escape(p.name)) (published \(Self.escape(p.published ?? "unknown"))) |\n"
        }
        for s in report.ruleSets {
            let version = s.version.map { " \(Self.escape($0))" } ?? ""
            let applied = s.notApplicable.map { "not applicable: " + Self.escape($0) } ?? "\(s.rules) rules"
            out +=
                "| Rule set | \(Self.escape(s.name))\(version) (\(applied), \(Self.escape(s.file)), sha256 `\(Self.codeSafe(String(s.sha256.prefix(12))))`) |\n"
        }
        out += "| Checked | \(Self.escape(report.checkedAt)) by Assay \(Self.escape(report.assayVersion)) |\n\n"

        out += "## Summary\n\n"
        out += "| Severity | " + ReportLayout.statusColumns.map(\.rawValue).joined(separator: " | ") + " |\n"
        out += "|---|" + ReportLayout.statusColumns.map { _ in "---:|" }.joined() + "\n"
        for sev in Severity.allCases.reversed() {
            out +=
                "| \(sev.rawValue) | "
                + ReportLayout.statusColumns.map { String(ReportLayout.count(report, sev, $0)) }
                .joined(separator: " | ") + " |\n"
        }
        let s = report.summary
        out +=
            "| **total** | " + ReportLayout.statusColumns.map { "**\(s.byStatus[$0] ?? 0)**" }.joined(separator: " | ")
            + " |\n\n"

        out += "## Findings\n\n"
        if layout.groups.isEmpty { out += "No problems found.\n\n" }
        for group in layout.groups {
            out += "### \(Self.escape(group.title))\n\n"
            var lastSeverity: Severity?
            for (_, o) in group.outcomes {
                if o.severity != lastSeverity {
                    out += "#### \(o.severity.rawValue)\n\n"
                    lastSeverity = o.severity
                }
                out += outcome(o, documentName: d.name)
            }
        }

        out += "## Passed (\(layout.passes.count))\n\n"
        if layout.passes.isEmpty {
            out += "None.\n"
        } else {
            var order = [String]()
            var sections = [String: [String]]()
            var titles = [String: String]()
            for (_, o) in layout.passes {
                if sections[o.ruleID] == nil { order.append(o.ruleID); titles[o.ruleID] = o.title }
                sections[o.ruleID, default: []].append(
                    o.section.isEmpty ? "whole document" : o.section.joined(separator: " › "))
            }
            for id in order {
                let places = sections[id]!.uniqued().map(Self.escape).joined(separator: "; ")
                out += "- \(Self.ruleID(id)) \(Self.escape(titles[id] ?? "")) — \(places)\n"
            }
        }
        return out
    }

    /// One outcome as a Markdown list item: status, rule, title, place, message, values, waiver, basis,
    /// references and each piece of evidence with its sentence quoted.
    package func outcome(_ o: Outcome, documentName: String) -> String {
        var out = "- **\(o.status.rawValue.uppercased())** \(Self.ruleID(o.ruleID)) \(Self.escape(o.title))"
        if let p = o.place { out += " — \(Self.escape(documentName)):\(p.line):\(p.column)" }
        out += "  \n  \(Self.escape(o.message))\n"
        if !o.values.isEmpty {
            out +=
                "  - values: "
                + o.values.map { "\(Self.escape($0.name)) = \(Self.escape($0.text))" }.joined(separator: ", ") + "\n"
        }
        if let w = o.waiver { out += "  - waived: \(Self.escape(w))\n" }
        if let b = o.basis { out += "  - basis: \(Self.escape(b))\n" }
        if !o.references.isEmpty {
            // A reference's URL has no space, quote or angle bracket (the loader checks), so <…> holds it.
            out +=
                "  - references: "
                + o.references.map { r in r.url.map { "[\(Self.escape(r.title))](<\($0)>)" } ?? Self.escape(r.title) }
                .joined(separator: ", ") + "\n"
        }
        for e in o.evidence {
            let section = e.section.isEmpty ? "" : " [\(Self.escape(e.section.joined(separator: " › ")))]"
            out +=
                "  - \(Self.escape(e.role)) “\(Self.escape(e.text))” at line \(e.span.line), column \(e.span.column)\(section)\n"
            out += "\n    > \(Self.escape(e.sentence))\n\n"
        }
        return out + "\n"
    }

    /// Inline Markdown text that renders as exactly the characters given: the ASCII punctuation that opens inline
    /// Markdown or HTML (\ ` * _ [ ] < > | ~) is backslash-escaped, `&` becomes `&amp;`, line breaks become spaces,
    /// and control and bidi characters become `[U+XXXX]`.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in VisibleText.visible(s).unicodeScalars {
            switch ch {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~":
                out += "\\"; out.unicodeScalars.append(ch)
            case "&": out += "&amp;"
            case "\n", "\t": out += " "
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A rule id in a code span when it is a plain identifier, escaped text otherwise.
    package static func ruleID(_ id: String) -> String {
        id.unicodeScalars.allSatisfy({
            $0.isASCII
                && ($0.properties.isAlphabetic || $0.properties.numericType != nil
                    || "-_.:/".unicodeScalars.contains($0))
        })
            ? "`\(id)`" : escape(id)
    }

    static func codeSafe(_ s: String) -> String {
        String(
            s.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil) }
                .map(Character.init))
    }
}
