import AssayExtraction
import AssayRules
import AssayValues

/// A terminal summary: problems first with their place and message, then a count of passes. Text that
/// comes from the bulletin or its name is passed through `VisibleText`, so an escape sequence or a bidi
/// override in a bulletin shows as `[U+001B]` and cannot rewrite the reviewer's terminal.
public struct TextRenderer: ReportRenderer {
    /// True to colour the status tags with ANSI escape sequences (for a terminal).
    public var color: Bool

    /// A text renderer, without colour unless asked.
    public init(color: Bool = false) { self.color = color }
    /// Always `.text`.
    public var format: ReportFormat { .text }

    /// The text wrapped in the ANSI SGR sequence `code` (e.g. "31;1") when `color` is on; the text unchanged otherwise.
    package func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }

    /// The summary: a header line, then errors, failures, missing and waived outcomes (in that order) with
    /// their place, message and first evidence sentence, then the passes by rule and the counts. Uses only the report.
    public func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String {
        var out = ""
        let d = report.document
        let v = VisibleText.visible
        // A converted file names its format (and pages, and OCR) where plain text names its encoding.
        let source = d.format == SourceFormat.text.rawValue ? d.encoding : d.formatText
        out +=
            "\(v(d.name))  (\(source), \(d.size) bytes, published \(d.publishedText), as of \(d.asOf ?? "unknown"), genre \(d.genre))\n"
        out += v(Report.issuerLine(d)) + "\n"
        out +=
            "rules: "
            + report.ruleSets.map {
                "\($0.name) (\($0.notApplicable.map { "not applicable: " + v($0) } ?? String($0.rules)))"
            }
            .joined(separator: ", ") + "\n"
        if !d.notes.isEmpty { out += "conversion: " + d.notes.map(v).joined(separator: "; ") + "\n" }
        out += "\n"
        let order: [OutcomeStatus] = [.error, .fail, .missing, .waived, .notApplicable]
        for status in order {
            for o in report.outcomes where o.status == status {
                let tag: String
                switch (o.status, o.severity) {
                case (.waived, _): tag = paint("WAIVED", "36")
                case (.notApplicable, _): tag = paint("NOT APPLICABLE", "2")
                case (_, .error): tag = paint(o.status.rawValue.uppercased(), "31;1")
                case (_, .warning): tag = paint(o.status.rawValue.uppercased(), "33;1")
                default: tag = paint(o.status.rawValue.uppercased(), "34")
                }
                let place = o.place.map { "\($0.line):\($0.column)" } ?? "-"
                let section = o.section.isEmpty ? "" : " [\(o.section.joined(separator: " › "))]"
                let page = o.evidence.first?.page.map { " (page \($0))" } ?? ""
                out += "\(tag) \(o.severity.rawValue) \(o.ruleID)\(v(section)) \(v(d.name)):\(place)\(page)\n"
                out += "    \(v(o.message))\n"
                if let e = o.evidence.first {
                    out += "    “\(v(Self.clip(e.sentence, 80)))”\(e.ocr ? " (read by OCR)" : "")\n"
                }
                if let w = o.waiver { out += "    waived: \(v(w))\n" }
                if let b = o.basis { out += "    basis: \(v(b))\n" }
                if !o.references.isEmpty {
                    out +=
                        "    see: "
                        + o.references.map { r in v(r.title) + (r.url.map { " <\(v($0))>" } ?? "") }.joined(
                            separator: "; ") + "\n"
                }
            }
        }
        let passes = report.outcomes.filter { $0.status == .pass }
        if !passes.isEmpty {
            out +=
                paint("PASS", "32") + " \(passes.count): "
                + passes.map(\.ruleID).uniqued().map { id in
                    // A rule that passed in several sections is named once, with how many times.
                    let n = passes.count { $0.ruleID == id }
                    return n > 1 ? "\(id) ×\(n)" : id
                }.joined(separator: ", ") + "\n"
        }
        let s = report.summary
        out +=
            "\n\(s.total) outcomes: "
            + OutcomeStatus.allCases.compactMap { st in
                s.byStatus[st].map { "\($0) \(st.rawValue)" }
            }.joined(separator: ", ")
        let problems = Severity.allCases.reversed().compactMap { sev in
            s.problemsBySeverity[sev].map { "\($0) \(sev.rawValue)" }
        }
        out += problems.isEmpty ? "; no problems\n" : "; problems: " + problems.joined(separator: ", ") + "\n"
        return out
    }

    static func clip(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n)) + "…"
    }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
