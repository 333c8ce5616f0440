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
        var problems = [(index: Int, outcome: Outcome)]()
        var passes = [(index: Int, outcome: Outcome)]()
        for (i, o) in report.outcomes.enumerated() {
            if o.status == .pass { passes.append((i, o)) } else { problems.append((i, o)) }
        }
        groups = Self.grouped(
            problems, section: \.outcome.section, isWholeDocument: \.isEmpty, severity: \.outcome.severity,
            place: { $0.outcome.place?.offset }
        ).map { SectionGroup(section: $0.section, outcomes: $0.items) }
        self.passes = passes
    }

    /// The reading order of findings, for any form they are kept in (the review pages group stored
    /// outcomes the same way): grouped by section, the whole document first, then sections by the earliest
    /// place of their findings in the text (sections without one last), ties in order of first appearance;
    /// within a section the most severe first, ties in the order given.
    public static func grouped<Item, Section: Hashable, Rank: Comparable>(
        _ items: [Item], section: (Item) -> Section, isWholeDocument: (Section) -> Bool,
        severity: (Item) -> Rank, place: (Item) -> Int?
    ) -> [(section: Section, items: [Item])] {
        var bySection = [Section: [Item]]()
        var firstSeen = [Section]()
        for item in items {
            let key = section(item)
            if bySection[key] == nil { firstSeen.append(key) }
            bySection[key, default: []].append(item)
        }
        func position(_ key: Section) -> Int {
            if isWholeDocument(key) { return -1 }
            return bySection[key]!.compactMap(place).min() ?? Int.max
        }
        let order = firstSeen.enumerated().sorted { a, b in
            let pa = position(a.element)
            let pb = position(b.element)
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        return order.map { key in
            let sorted = bySection[key]!.enumerated().sorted { a, b in
                let (sa, sb) = (severity(a.element), severity(b.element))
                return sa != sb ? sa > sb : a.offset < b.offset
            }.map(\.element)
            return (key, sorted)
        }
    }

    /// Count of outcomes with a severity and a status.
    public static func count(_ report: Report, _ severity: Severity, _ status: OutcomeStatus) -> Int {
        report.outcomes.reduce(0) { $0 + ($1.severity == severity && $1.status == status ? 1 : 0) }
    }

    /// Status columns of the summary tables, problems first.
    public static let statusColumns: [OutcomeStatus] = [.fail, .missing, .error, .waived, .pass, .notApplicable]
}
