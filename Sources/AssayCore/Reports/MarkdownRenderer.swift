/// Markdown rendering of a report. (Minimal for now; the reports issue completes it.)
public struct MarkdownRenderer: ReportRenderer {
    public init() {}
    public var format: ReportFormat { .markdown }

    public func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String {
        TextRenderer().render(report, document: document, ruleSets: ruleSets)
    }
}
