import AssayValues

/// The reading order shared by the Markdown and HTML reports: problems and waived outcomes grouped by
/// section (document-wide first, then sections in the order their evidence appears in the bulletin),
/// by severity within a section (error first), then passes.
public struct ReportLayout: Sendable {
    /// Outcomes about one section, ordered by severity (error first), keeping report order within one severity.
    public struct SectionGroup: Sendable {
        /// The section path the outcomes are about ([] for the whole document).
        public var section: [String]
        /// The outcomes with their index in `report.outcomes`, error first, report order within one severity.
        public var outcomes: [(index: Int, outcome: Outcome)]
        /// The section as a reader names it: "市审计局 › 三", or "Whole document".
        public var title: String { section.isEmpty ? "Whole document" : section.joined(separator: " › ") }
    }

    /// Problems (fail, missing, error) and waived outcomes, grouped by section.
    public var groups: [SectionGroup]
    /// Passed outcomes, with their index in `report.outcomes`.
    public var passes: [(index: Int, outcome: Outcome)]

    /// Lays out a report's outcomes: problems and waived outcomes by section and severity, passes apart.
    public init(_ report: Report) {
        var bySection = [[String]: [(index: Int, outcome: Outcome)]]()
        var firstSeen = [[String]]()
        var passes = [(index: Int, outcome: Outcome)]()
        for (i, o) in report.outcomes.enumerated() {
            if o.status == .pass { passes.append((i, o)); continue }
            if bySection[o.section] == nil { firstSeen.append(o.section) }
            bySection[o.section, default: []].append((i, o))
        }
        func position(_ section: [String]) -> Int {
            if section.isEmpty { return -1 }
            return bySection[section]!.compactMap { $0.outcome.place?.offset }.min() ?? Int.max
        }
        let order = firstSeen.enumerated().sorted { a, b in
            let pa = position(a.element)
            let pb = position(b.element)
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        groups = order.map { section in
            let items = bySection[section]!.enumerated().sorted { a, b in
                a.element.outcome.severity != b.element.outcome.severity
                    ? a.element.outcome.severity > b.element.outcome.severity : a.offset < b.offset
            }.map(\.element)
            return SectionGroup(section: section, outcomes: items)
        }
        self.passes = passes
    }

    /// Count of outcomes with a severity and a status.
    public static func count(_ report: Report, _ severity: Severity, _ status: OutcomeStatus) -> Int {
        report.outcomes.reduce(0) { $0 + ($1.severity == severity && $1.status == status ? 1 : 0) }
    }

    /// Status columns of the summary tables, problems first.
    public static let statusColumns: [OutcomeStatus] = [.fail, .missing, .error, .waived, .pass, .notApplicable]
}
