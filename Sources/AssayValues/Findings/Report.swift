import Foundation

/// Assay's version, written into every report.
public enum AssayVersion {
    public static let current = "0.1.0"
}

/// The findings of one check of one bulletin: what was checked, with which rules, when, and every outcome.
/// JSON (`assay.report/1`) is its canonical form; Markdown, HTML and SARIF are renderings of it.
public struct Report: Sendable {
    public static let schema = "assay.report/1"

    public struct DocumentIdentity: Sendable, Hashable {
        public var name: String
        public var sha256: String
        public var size: Int
        public var encoding: String
        public var published: String?
        public var asOf: String?
        public var lines: Int
        /// Where `published` was read (`PublishedSource`'s raw value: metadata, dateline, signature, text,
        /// latest-date, file-name); nil when there is no publication date.
        public var publishedSource: String? = nil
        /// The detected genre (`Genre`'s raw value: xunshi-progress, audit-rectification, …).
        public var genre: String = "unknown"

        public init(name: String, sha256: String, size: Int, encoding: String, published: String? = nil,
                    asOf: String? = nil, lines: Int, publishedSource: String? = nil, genre: String = "unknown") {
            self.name = name
            self.sha256 = sha256
            self.size = size
            self.encoding = encoding
            self.published = published
            self.asOf = asOf
            self.lines = lines
            self.publishedSource = publishedSource
            self.genre = genre
        }

        /// "2021-01-05 (from text)", "2024-03-15 (from metadata)", "unknown": the publication date for
        /// people, with where it came from (a file-name date is a last resort and says so).
        public var publishedText: String {
            guard let published else { return "unknown" }
            guard let source = publishedSource else { return published }
            return "\(published) (from \(source.replacingOccurrences(of: "-", with: " ")))"
        }
    }

    public struct RuleSetIdentity: Sendable, Hashable {
        public var name: String
        public var version: String?
        public var file: String
        public var sha256: String
        public var rules: Int
        /// Why the set was not applied to this document (`applies_to`), or nil when it was.
        public var notApplicable: String? = nil

        public init(name: String, version: String? = nil, file: String, sha256: String, rules: Int,
                    notApplicable: String? = nil) {
            self.name = name
            self.version = version
            self.file = file
            self.sha256 = sha256
            self.rules = rules
            self.notApplicable = notApplicable
        }
    }

    public var assayVersion: String
    /// ISO 8601 UTC; the one field that differs between two checks of the same input.
    public var checkedAt: String
    public var document: DocumentIdentity
    public var ruleSets: [RuleSetIdentity]
    public var outcomes: [Outcome]

    public init(assayVersion: String = AssayVersion.current, checkedAt: String, document: DocumentIdentity,
                ruleSets: [RuleSetIdentity], outcomes: [Outcome]) {
        self.assayVersion = assayVersion
        self.checkedAt = checkedAt
        self.document = document
        self.ruleSets = ruleSets
        self.outcomes = outcomes
    }

    /// Counts of outcomes by status, and of problems (fail, missing, error) by severity.
    public struct Summary: Sendable, Hashable {
        public var byStatus: [OutcomeStatus: Int]
        public var problemsBySeverity: [Severity: Int]
        public var total: Int
    }

    public var summary: Summary {
        var byStatus = [OutcomeStatus: Int]()
        var bySeverity = [Severity: Int]()
        for o in outcomes {
            byStatus[o.status, default: 0] += 1
            if o.isProblem { bySeverity[o.severity, default: 0] += 1 }
        }
        return Summary(byStatus: byStatus, problemsBySeverity: bySeverity, total: outcomes.count)
    }

    /// The worst severity among problems, nil when there are none.
    public var worstProblem: Severity? {
        outcomes.filter(\.isProblem).map(\.severity).max()
    }

    /// True when some problem is at or above the severity.
    public func hasProblem(atLeast severity: Severity) -> Bool {
        outcomes.contains { $0.isProblem && $0.severity >= severity }
    }

    /// ISO 8601 in UTC to the second ("2021-01-06T00:00:00Z"), computed directly: a date formatter
    /// costs more than the rest of a check.
    public static func timestamp(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(DateText.fromDayNumber(days))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }
}
