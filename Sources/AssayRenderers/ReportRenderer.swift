import AssayExtraction
import AssayRules
import AssayValues

/// The report formats Assay writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, markdown, html, sarif

    /// The file extension used for `<stem>.findings.<ext>`.
    public var fileExtension: String {
        switch self {
        case .text: return "txt"
        case .json: return "json"
        case .markdown: return "md"
        case .html: return "html"
        case .sarif: return "sarif"
        }
    }

    /// A new renderer for the format, with its defaults (text without colour, SARIF with the default information URI).
    public var renderer: any ReportRenderer {
        switch self {
        case .text: return TextRenderer()
        case .json: return JSONRenderer()
        case .markdown: return MarkdownRenderer()
        case .html: return HTMLRenderer()
        case .sarif: return SARIFRenderer()
        }
    }
}

/// Turns a report into one format. Renderers are pure; the document is passed for formats that show
/// the bulletin's text beside the findings (HTML).
public protocol ReportRenderer: Sendable {
    /// The format this renderer writes.
    var format: ReportFormat { get }
    /// The report in this format. `document` is nil when the bulletin's text is not at hand; `ruleSets` are
    /// the rule sets the report was made with, for formats that describe the rules (SARIF).
    func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String
    /// The rendered report as UTF-8, for writing to a file.
    func renderBytes(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> [UInt8]
}

extension ReportRenderer {
    /// The rendered text as UTF-8 bytes.
    public func renderBytes(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> [UInt8] {
        Array(render(report, document: document, ruleSets: ruleSets).utf8)
    }
}
