import Foundation

/// Assay's version, written into every report.
public enum AssayVersion {
    /// The version string, "major.minor.patch".
    public static let current = "0.1.0"
}

/// The findings of one check of one bulletin: what was checked, with which rules, when, and every outcome.
/// JSON (`assay.report/1`) is its canonical form; Markdown, HTML and SARIF are renderings of it.
public struct Report: Sendable {
    /// The schema identifier of the JSON report format, written into every JSON report.
    public static let schema = "assay.report/1"

    /// The bulletin that was checked, as the report identifies it.
    public struct DocumentIdentity: Sendable, Hashable {
        /// The document's name, as given to the check (the command line gives the file's last path component).
        public var name: String
        /// The SHA-256 of the document's bytes as read (before decoding), lower-case hex.
        public var sha256: String
        /// The document's size in bytes as read.
        public var size: Int
        /// The encoding the bytes were decoded from (`TextEncoding`'s raw value).
        public var encoding: String
        /// The publication date, ISO 8601 at the precision found ("2021-01-05", "2021-01"); nil when none was found.
        public var published: String?
        /// The date the bulletin's figures stand at (截至…), in the same form; nil when none was found.
        public var asOf: String?
        /// The number of lines of the decoded text.
        public var lines: Int
        /// Where `published` was read (`PublishedSource`'s raw value: metadata, dateline, signature, text,
        /// latest-date, file-name); nil when there is no publication date.
        public var publishedSource: String? = nil
        /// The detected genre (`Genre`'s raw value: xunshi-progress, audit-rectification, …).
        public var genre: String = "unknown"
        /// The format the file was in (`SourceFormat`'s raw value: text, html, docx, pdf, ofd).
        public var format: String = SourceFormat.text.rawValue
        /// The number of pages, for formats with pages (PDF, OFD); nil otherwise.
        public var pages: Int? = nil
        /// The pages read by OCR (1-based, ascending); empty when none was.
        public var ocrPages: [Int] = []
        /// The metadata the converter read from the file (title, author, a portal's PubDate …), in order.
        public var metadata: [SourceMap.Field] = []
        /// What the conversion left out or how it read the file ("2 comments left out").
        public var notes: [String] = []
        /// Who issued the bulletin and its series; nil when the issuer cannot be told.
        public var issuer: IssuerIdentity? = nil
        /// The earlier bulletin of the series that `progress` rules compared with; nil when none was (no
        /// history kept, the first bulletin, or no issuer).
        public var previous: PreviousBulletin? = nil

        /// A document identity; `publishedSource` and `genre` default to none and "unknown".
        public init(
            name: String, sha256: String, size: Int, encoding: String, published: String? = nil,
            asOf: String? = nil, lines: Int, publishedSource: String? = nil, genre: String = "unknown"
        ) {
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

        /// Takes the format, pages, OCR pages, metadata and notes from a decoded text's source map.
        public mutating func describe(_ source: SourceMap) {
            format = source.format.rawValue
            pages = source.pageStarts.isEmpty ? nil : source.pageStarts.count
            ocrPages = source.ocrPages
            metadata = source.metadata
            notes = source.notes
        }

        /// "pdf, 5 pages, pages 2–3 read by OCR": the format for people; "text" for plain text.
        public var formatText: String {
            var parts = [format]
            if let pages { parts.append(pages == 1 ? "1 page" : "\(pages) pages") }
            if !ocrPages.isEmpty { parts.append("\(Self.pageList(ocrPages)) read by OCR") }
            return parts.joined(separator: ", ")
        }

        /// "page 2", "pages 1–3, 5": pages for people, runs compressed.
        public static func pageList(_ pages: [Int]) -> String {
            var runs = [String]()
            var i = 0
            while i < pages.count {
                var j = i
                while j + 1 < pages.count, pages[j + 1] == pages[j] + 1 { j += 1 }
                runs.append(i == j ? "\(pages[i])" : "\(pages[i])–\(pages[j])")
                i = j + 1
            }
            return (pages.count == 1 ? "page " : "pages ") + runs.joined(separator: ", ")
        }

        /// "2021-01-05 (from text)", "2024-03-15 (from metadata)", "unknown": the publication date for
        /// people, with where it came from (a file-name date is a last resort and says so).
        public var publishedText: String {
            guard let published else { return "unknown" }
            guard let source = publishedSource else { return published }
            return "\(published) (from \(source.replacingOccurrences(of: "-", with: " ")))"
        }
    }

    /// A rule set applied in the check, as the report identifies it.
    public struct RuleSetIdentity: Sendable, Hashable {
        /// The rule set's name.
        public var name: String
        /// The rule set's declared version; nil when it declares none.
        public var version: String?
        /// The rule set's file name (last path component only).
        public var file: String
        /// The SHA-256 of the rule set file's bytes, lower-case hex.
        public var sha256: String
        /// The number of rules in the set.
        public var rules: Int
        /// Why the set was not applied to this document (`applies_to`), or nil when it was.
        public var notApplicable: String? = nil

        /// A rule set identity; `notApplicable` nil means the set was applied.
        public init(
            name: String, version: String? = nil, file: String, sha256: String, rules: Int,
            notApplicable: String? = nil
        ) {
            self.name = name
            self.version = version
            self.file = file
            self.sha256 = sha256
            self.rules = rules
            self.notApplicable = notApplicable
        }
    }

    /// The version of Assay that made the report (`AssayVersion.current` unless given).
    public var assayVersion: String
    /// ISO 8601 UTC; the one field that differs between two checks of the same input.
    public var checkedAt: String
    /// The bulletin that was checked.
    public var document: DocumentIdentity
    /// The rule sets used, in the order they were given (including those that did not apply).
    public var ruleSets: [RuleSetIdentity]
    /// Every outcome of the check, waived ones included, in evaluation order.
    public var outcomes: [Outcome]
    /// Each tally's figures over the issuer's series, oldest first, this bulletin last; empty when no
    /// history was kept or the bulletin is the first of its series.
    public var trends: [Trend] = []

    /// One tally's figures over a series.
    public struct Trend: Sendable, Hashable {
        /// The tally, as `progress` rules match it (`problems`, `problems @ 市审计局`).
        public var tally: String
        /// The bulletins, oldest first.
        public var points: [Point]

        /// One bulletin's figures of the tally.
        public struct Point: Sendable, Hashable {
            /// The bulletin's file name.
            public var bulletin: String
            /// Its publication date; nil when unknown.
            public var published: String?
            /// The total, done count and rate (in %) when stated.
            public var total, done, rate: Decimal?

            /// A point of a trend.
            public init(bulletin: String, published: String?, total: Decimal?, done: Decimal?, rate: Decimal?) {
                self.bulletin = bulletin
                self.published = published
                self.total = total
                self.done = done
                self.rate = rate
            }
        }

        /// A trend of a tally.
        public init(tally: String, points: [Point]) {
            self.tally = tally
            self.points = points
        }
    }

    /// A report of one check; `assayVersion` defaults to this build's version.
    public init(
        assayVersion: String = AssayVersion.current, checkedAt: String, document: DocumentIdentity,
        ruleSets: [RuleSetIdentity], outcomes: [Outcome]
    ) {
        self.assayVersion = assayVersion
        self.checkedAt = checkedAt
        self.document = document
        self.ruleSets = ruleSets
        self.outcomes = outcomes
    }

    /// Counts of outcomes by status, and of problems (fail, missing, error) by severity.
    public struct Summary: Sendable, Hashable {
        /// How many outcomes have each status (statuses with none are absent).
        public var byStatus: [OutcomeStatus: Int]
        /// How many problems (fail, missing, error) there are at each severity (severities with none are absent).
        public var problemsBySeverity: [Severity: Int]
        /// The number of outcomes, of every status.
        public var total: Int
    }

    /// The counts of this report's outcomes (see `Summary`).
    public var summary: Summary {
        // Each outcome's status and severity read in place (by index, not by copying the outcome, whose
        // copy retains its strings and arrays), and counted in arrays before the dictionaries are made.
        let statuses = OutcomeStatus.allCases
        let severities = Severity.allCases
        var statusCounts = [Int](repeating: 0, count: statuses.count)
        var severityCounts = [Int](repeating: 0, count: severities.count)
        for i in outcomes.indices {
            statusCounts[statuses.firstIndex(of: outcomes[i].status)!] += 1
            if outcomes[i].isProblem {
                severityCounts[severities.firstIndex(of: outcomes[i].severity)!] += 1
            }
        }
        var byStatus = [OutcomeStatus: Int]()
        for (k, status) in statuses.enumerated() where statusCounts[k] > 0 { byStatus[status] = statusCounts[k] }
        var bySeverity = [Severity: Int]()
        for (k, severity) in severities.enumerated() where severityCounts[k] > 0 {
            bySeverity[severity] = severityCounts[k]
        }
        return Summary(byStatus: byStatus, problemsBySeverity: bySeverity, total: outcomes.count)
    }

    /// The worst severity among problems, nil when there are none (read in place, as `summary`).
    public var worstProblem: Severity? {
        var worst: Severity?
        for i in outcomes.indices where outcomes[i].isProblem {
            let severity = outcomes[i].severity
            if worst.map({ severity > $0 }) ?? true { worst = severity }
        }
        return worst
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

extension Report {
    /// A bulletin's issuer as reports show it.
    public struct IssuerIdentity: Sendable, Hashable {
        /// The canonical name (normalised, aliases applied) and the name as written.
        public var name, written: String
        /// Where the name was read: title, signature or metadata.
        public var source: String
        /// The series (第2轮巡察, 第4巡视组, 2023年度审计) and the feedback date; nil when not stated.
        public var series, feedback: String?

        /// An issuer identity.
        public init(name: String, written: String, source: String, series: String? = nil, feedback: String? = nil) {
            self.name = name
            self.written = written
            self.source = source
            self.series = series
            self.feedback = feedback
        }

        /// "临水县农业农村局 (from title, as 中共临水县农业农村局党组), series 第2轮巡察, fed back 2023-11-20".
        public var text: String {
            var s = name + " (from \(source)" + (written == name ? ")" : ", as \(written))")
            if let series { s += ", series \(series)" }
            if let feedback { s += ", fed back \(feedback)" }
            return s
        }
    }

    /// "issuer 临水县农业农村局 (from title …), series 第2轮巡察; compared with 2024-03-15.txt (published
    /// 2024-03-15)", or that the issuer is unknown: the issuer line of text reports.
    public static func issuerLine(_ d: DocumentIdentity) -> String {
        var s =
            d.issuer.map { "issuer " + $0.text }
            ?? "issuer unknown (no single unit named in the title, signature or metadata)"
        if let p = d.previous {
            s += "; compared with \(p.name) (published \(p.published ?? "unknown"))"
        }
        return s
    }

    /// The earlier bulletin a report's comparisons were made with.
    public struct PreviousBulletin: Sendable, Hashable {
        /// Its file name, content hash and publication date.
        public var name, sha256: String
        /// Its publication date; nil when unknown.
        public var published: String?

        /// A previous-bulletin reference.
        public init(name: String, sha256: String, published: String?) {
            self.name = name
            self.sha256 = sha256
            self.published = published
        }
    }
}
