import AssayExtraction
import AssayValues
import Foundation
import GRDB

/// What the review pages read from the store (`assay serve`), and the reviewers' decisions on findings.
extension StateStore {
    /// A reviewer's decision on a finding.
    public enum Decision: String, Sendable, CaseIterable {
        /// The finding is right: the bulletin has the problem.
        case confirmed
        /// The finding is wrong: the bulletin does not have the problem.
        case falsePositive = "false-positive"
        /// The problem is accepted for a reason until a date (exported as a waiver).
        case waived
    }

    /// One decision, as recorded.
    public struct Triage: Sendable, Hashable {
        /// The document's content hash and the finding's key (`findingKey`).
        public var sha256, finding: String
        /// The rule and the section path (joined by " / ") of the finding.
        public var rule, section: String
        /// The decision.
        public var decision: Decision
        /// The reviewer's note (a waiver's reason).
        public var note: String
        /// For a waiver: the last day it holds (YYYY-MM-DD).
        public var expires: String?
        /// Who decided and when (ISO 8601 UTC).
        public var who, at: String

        /// A decision on a finding.
        public init(
            sha256: String, finding: String, rule: String, section: String, decision: Decision, note: String,
            expires: String?, who: String, at: String
        ) {
            self.sha256 = sha256
            self.finding = finding
            self.rule = rule
            self.section = section
            self.decision = decision
            self.note = note
            self.expires = expires
            self.who = who
            self.at = at
        }
    }

    /// A finding's key: its rule, section and message, hashed, so a decision stays with the same finding
    /// across rechecks and a changed message is a new finding.
    public static func findingKey(rule: String, section: String, message: String) -> String {
        String(SHA256.hex(Array("\(rule)\u{1F}\(section)\u{1F}\(message)".utf8)).prefix(16))
    }

    /// Appends a decision (the trail is never rewritten).
    public func recordTriage(_ t: Triage) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO triage (sha256, finding, rule, section, decision, note, expires, who, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    t.sha256, t.finding, t.rule, t.section, t.decision.rawValue, t.note, t.expires, t.who, t.at,
                ])
        }
    }

    /// Every decision on every document's findings, oldest first (the whole audit trail), each with its
    /// document's name (nil once the document is forgotten; the decision stays).
    public func triageTrail() throws -> [(triage: Triage, name: String?)] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT t.*, d.name AS docName FROM triage t LEFT JOIN document d ON d.sha256 = t.sha256 ORDER BY t.id"
            ).map { (Self.triage($0), $0["docName"]) }
        }
    }

    /// Every decision on a document's findings, oldest first (the audit trail).
    public func triageTrail(sha256: String) throws -> [Triage] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM triage WHERE sha256 = ? ORDER BY id", arguments: [sha256]
            ).map(Self.triage)
        }
    }

    /// The latest decision on each finding of every document (for the waivers export), by document.
    public func latestDecisions() throws -> [Triage] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.* FROM triage t JOIN (SELECT MAX(id) AS id FROM triage GROUP BY sha256, finding) l
                      ON t.id = l.id ORDER BY t.id
                    """
            ).map(Self.triage)
        }
    }

    static func triage(_ row: Row) -> Triage {
        Triage(
            sha256: row["sha256"], finding: row["finding"], rule: row["rule"], section: row["section"],
            decision: Decision(rawValue: row["decision"]) ?? .confirmed, note: row["note"], expires: row["expires"],
            who: row["who"], at: row["at"])
    }

    /// One checked document as the review's inbox lists it.
    public struct Listed: Sendable, Hashable {
        /// Content hash, file name, report stem.
        public var sha256, name, stem: String
        /// Issuer (canonical) and publication date; nil when unknown.
        public var issuer, published: String?
        /// When the store first saw it (ISO 8601).
        public var firstSeen: String
        /// The latest run's counts ("pass=3 fail=1 missing=0 error=0 waived=0 not_applicable=0").
        public var summary: String
        /// The worst severity among its problems (fail, missing, error): error, warning, info; nil when none.
        public var worst: String?
        /// How many of its findings have a decision.
        public var decided: Int
        /// Its genre; nil when it was checked before the store kept genres.
        public var genre: String? = nil
    }

    /// The statuses the inbox filters on: a document with at least one finding of the status, or `clean`
    /// (no fail, missing or error).
    public static let listedStatuses = ["fail", "missing", "error", "waived", "clean"]

    /// Filters of the review's inbox.
    public struct ListFilter: Sendable {
        /// Only documents whose worst problem is this severity or worse.
        public var severity: String?
        /// Only this issuer (canonical name).
        public var issuer: String?
        /// Words in the name or the issuer.
        public var search: String?
        /// Whether `search` also looks in the documents' stored texts (a scan of every text: about 0.2 s
        /// for 10,000 bulletins, so asked for, not done on every search).
        public var searchText = false
        /// Only documents with (true) or without (false) a decision.
        public var reviewed: Bool?
        /// Published on or after / on or before (YYYY-MM-DD).
        public var from, to: String?
        /// Only this genre (`xunshi-progress`, `audit-rectification`, …).
        public var genre: String?
        /// Only documents with a finding of this status (`listedStatuses`).
        public var status: String?
        /// The page (0-based) and its size.
        public var page = 0, pageSize = 50

        /// No filter: the first page.
        public init() {}
    }

    /// Checked documents, newest publication first, with the filter's conditions; and how many match.
    public func listed(_ f: ListFilter) throws -> (rows: [Listed], total: Int) {
        var conditions = ["d.status = 'done'"]
        var args = StatementArguments()
        let rank = "CASE d.worst WHEN 'error' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END"
        if let s = f.severity {
            let need = ["error": 3, "warning": 2, "info": 1][s] ?? 0
            conditions.append("\(rank) >= \(need)")
        }
        if let i = f.issuer {
            conditions.append("b.issuer = ?")
            _ = args.append(contentsOf: [i])
        }
        if let q = f.search?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            let like =
                "%"
                + q.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            if f.searchText {
                conditions.append(
                    """
                    (d.name LIKE ? ESCAPE '\\' OR IFNULL(b.issuer, '') LIKE ? ESCAPE '\\'
                      OR EXISTS (SELECT 1 FROM text x WHERE x.sha256 = d.sha256 AND x.body LIKE ? ESCAPE '\\'))
                    """)
                _ = args.append(contentsOf: [like, like, like])
            } else {
                conditions.append("(d.name LIKE ? ESCAPE '\\' OR IFNULL(b.issuer, '') LIKE ? ESCAPE '\\')")
                _ = args.append(contentsOf: [like, like])
            }
        }
        if let r = f.reviewed { conditions.append(r ? "t.n > 0" : "IFNULL(t.n, 0) = 0") }
        if let g = f.genre {
            conditions.append("d.genre = ?")
            _ = args.append(contentsOf: [g])
        }
        // The latest run's counts are kept on the document as "pass=3 fail=1 missing=0 …".
        func none(_ status: String) -> String { "instr(' ' || IFNULL(d.summary, '') || ' ', ' \(status)=0 ') > 0" }
        switch f.status {
        case "clean"?: conditions.append("(\(none("fail")) AND \(none("missing")) AND \(none("error")))")
        case let s? where Self.listedStatuses.contains(s): conditions.append("NOT \(none(s))")
        default: break
        }
        if let from = f.from {
            conditions.append("IFNULL(b.published, d.published) >= ?")
            _ = args.append(contentsOf: [from])
        }
        if let to = f.to {
            conditions.append("IFNULL(b.published, d.published) <= ?")
            _ = args.append(contentsOf: [to])
        }
        let base = """
            FROM document d
            LEFT JOIN bulletin b ON b.sha256 = d.sha256
            LEFT JOIN (SELECT sha256, COUNT(DISTINCT finding) AS n FROM triage GROUP BY sha256) t ON t.sha256 = d.sha256
            WHERE \(conditions.joined(separator: " AND "))
            """
        return try pool.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(base)", arguments: args) ?? 0
            var pageArgs = args
            _ = pageArgs.append(contentsOf: [f.pageSize, f.page * f.pageSize])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.sha256, d.name, d.reportStem, d.firstSeen, IFNULL(b.published, d.published) AS pub,
                      b.issuer, d.summary, d.worst, IFNULL(t.n, 0) AS decided, d.genre
                    \(base)
                    ORDER BY pub IS NULL, pub DESC, d.firstSeen DESC, d.name LIMIT ? OFFSET ?
                    """, arguments: pageArgs
            ).map { row in
                Listed(
                    sha256: row["sha256"], name: row["name"], stem: row["reportStem"] ?? "", issuer: row["issuer"],
                    published: row["pub"], firstSeen: row["firstSeen"], summary: row["summary"] ?? "",
                    worst: row["worst"], decided: row["decided"], genre: row["genre"])
            }
            return (rows, total)
        }
    }

    /// One outcome of a stored run.
    public struct StoredOutcome: Sendable, Hashable {
        /// The rule's id, the status, the severity, the section path joined by " / ", the message.
        public var rule, status, severity, section, message: String
        /// Its evidence: the role in the check and the scalar offsets in the document's text (none for runs
        /// stored before the store kept them).
        public var evidence: [StoredEvidence]

        /// An outcome as stored.
        public init(
            rule: String, status: String, severity: String, section: String, message: String,
            evidence: [StoredEvidence]
        ) {
            self.rule = rule
            self.status = status
            self.severity = severity
            self.section = section
            self.message = message
            self.evidence = evidence
        }
    }

    /// Where a piece of an outcome's evidence is in the decoded text.
    public struct StoredEvidence: Sendable, Hashable {
        /// What it is in the check ("actual", "total", "part", …).
        public var role: String
        /// The scalar offsets it covers.
        public var range: Range<Int>

        /// Evidence of `role` at `range`.
        public init(role: String, range: Range<Int>) {
            self.role = role
            self.range = range
        }
    }

    /// A checked document's outcomes (the latest run's) as stored: {rule, status, severity, section, message,
    /// evidence}.
    public func latestOutcomes(sha256: String) throws -> [StoredOutcome] {
        let text = try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT outcomes FROM run WHERE sha256 = ? ORDER BY id DESC LIMIT 1", arguments: [sha256])
        }
        guard let text, case .array(let items) = try JSONValue.parse(text) else { return [] }
        return items.map { o in
            func s(_ k: String) -> String { if case .string(let v)? = o[k] { return v } else { return "" } }
            var evidence = [StoredEvidence]()
            if case .array(let list)? = o["evidence"] {
                // Parsed JSON numbers come back as `number`.
                func int(_ v: JSONValue?) -> Int? {
                    switch v {
                    case .integer(let i)?: i
                    case .number(let d)?: Int(exactly: NSDecimalNumber(decimal: d).doubleValue)
                    default: nil
                    }
                }
                for e in list {
                    guard let offset = int(e["offset"]), let length = int(e["length"]), offset >= 0, length >= 0
                    else { continue }
                    let role: String = if case .string(let r)? = e["role"] { r } else { "" }
                    evidence.append(StoredEvidence(role: role, range: offset..<(offset + length)))
                }
            }
            return StoredOutcome(
                rule: s("rule"), status: s("status"), severity: s("severity"), section: s("section"),
                message: s("message"), evidence: evidence)
        }
    }

    /// Drops a document's stored text, as in a store that predates texts (for tests of that case).
    package func forgetText(sha256: String) throws {
        try pool.write { db in try db.execute(sql: "DELETE FROM text WHERE sha256 = ?", arguments: [sha256]) }
    }

    /// The decoded text of a checked document that its evidence offsets count in; nil when the store has
    /// none (checked before it kept texts, or longer than `Check.maxText`).
    public func text(sha256: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM text WHERE sha256 = ?", arguments: [sha256])
        }
    }

    /// A checked document's name, report stem and snapshot (nil when it has none).
    public func reviewed(sha256: String) throws -> (name: String, stem: String, snapshot: BulletinSnapshot?)? {
        let row = try pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT d.name, d.reportStem, b.snapshot FROM document d LEFT JOIN bulletin b ON b.sha256 = d.sha256
                        WHERE d.sha256 = ? AND d.status = 'done'
                        """), arguments: [sha256])
        }
        guard let row else { return nil }
        let snapshotText: String? = row["snapshot"]
        return (
            row["name"], row["reportStem"] ?? "",
            try snapshotText.map { try BulletinSnapshot(json: JSONValue.parse($0)) }
        )
    }

    /// What changes whenever `ruleCounts()` may: the newest run's id, the number of runs and of checked
    /// documents (a check adds a run; forgetting a document removes its runs). Cheap, for caching the counts.
    public func runsFingerprint() throws -> [Int] {
        try pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT IFNULL((SELECT MAX(id) FROM run), 0) AS a, (SELECT COUNT(*) FROM run) AS b,
                      (SELECT COUNT(*) FROM document WHERE status = 'done') AS c
                    """)
            return [row?["a"] ?? 0, row?["b"] ?? 0, row?["c"] ?? 0]
        }
    }

    /// Each rule's outcomes across the latest checks of every document: rule id → status → count.
    public func ruleCounts() throws -> [String: [String: Int]] {
        try pool.read { db in
            var out = [String: [String: Int]]()
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT json_extract(o.value, '$.rule') AS outcome_rule,
                      json_extract(o.value, '$.status') AS outcome_status, COUNT(*) AS n
                    FROM document d JOIN run r ON r.id = (SELECT MAX(id) FROM run WHERE run.sha256 = d.sha256),
                      json_each(r.outcomes) o
                    WHERE d.status = 'done'
                    GROUP BY outcome_rule, outcome_status
                    """)
            for row in rows {
                let rule: String = row["outcome_rule"] ?? ""
                let status: String = row["outcome_status"] ?? ""
                out[rule, default: [:]][status] = row["n"]
            }
            return out
        }
    }
}
