import AssayEdge
import AssayExtraction
import AssayRules
import AssayValues
import Foundation
import GRDB

/// The daemon's memory: every document it has seen, by content hash, with the runs made on it, their
/// outcomes and the document's facts (kept for later comparisons between bulletins). One SQLite file
/// in WAL mode, so `assay recheck` and readers can work beside a running daemon.
public final class StateStore: Sendable {
    /// Where a document stands.
    public enum Status: String, Sendable {
        /// Checked, and its report is in the outbox.
        case done
        /// Refused (not a regular file, too large, undecodable …), with a rejection report.
        case rejected
        /// Checking failed for a reason that may pass (an I/O error); retried on the next scan.
        case failed
    }

    /// A failure to open or write the store, naming the database file.
    public struct StoreError: Error, CustomStringConvertible {
        /// The database file's path.
        public var path: String
        /// What failed (GRDB's or SQLite's error, as text).
        public var reason: String
        /// "path: state store: reason".
        public var description: String { "\(path): state store: \(reason)" }
    }

    /// The file name of the database inside the state folder.
    public static let fileName = "assay.sqlite"

    /// The path of the SQLite database file.
    public let path: String
    let pool: DatabasePool
    /// Snapshots already parsed, by content hash, with the JSON they were parsed from: a series is read
    /// again for every new bulletin, and parsing its JSON cost more than the query (docs/benchmarks.md).
    private let parsed = SnapshotCache()

    /// Opens (creating and migrating as needed) the store in `folder`.
    public init(folder: String) throws {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = (folder as NSString).appendingPathComponent(Self.fileName)
        do {
            var config = Configuration()
            config.busyMode = .timeout(10)
            // WAL with synchronous=NORMAL: a power cut may lose the last commits but never corrupts the
            // file; a lost commit only means the input is checked again and its report rewritten in place.
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            pool = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError(path: path, reason: "\(error)")
        }
    }

    /// Writes an empty store at `folder` with the schema up to the migration named `last` (as an earlier
    /// version of Assay wrote it), and one checked document with a run: what migration tests open.
    package static func writeEarlierVersion(folder: String, upTo last: String, sha256: String, name: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: (folder as NSString).appendingPathComponent(fileName))
        try migrator.migrate(queue, upTo: last)
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO document (sha256, name, size, firstSeen, status, reportStem, encoding, published, facts)
                    VALUES (?, ?, 10, '2024-01-01T00:00:00Z', 'done', ?, 'utf-8', '2024-01-01', '[]')
                    """, arguments: [sha256, name, name])
            try db.execute(
                sql: """
                    INSERT INTO run (sha256, rulesHash, checkedAt, summary, reportPaths, outcomes)
                    VALUES (?, 'r', '2024-01-01T00:00:00Z', 'pass=1', '', '[]')
                    """, arguments: [sha256])
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "document") { t in
                t.primaryKey("sha256", .text)
                t.column("name", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("firstSeen", .text).notNull()
                t.column("status", .text).notNull()
                t.column("reason", .text)
                t.column("reportStem", .text)
                t.column("encoding", .text)
                t.column("published", .text)
                t.column("asOf", .text)
                // The facts found (a JSON array of {kind, text, label?, unit?, amount?, section, line, column}),
                // one value per document rather than a row per fact: rows cost a B-tree insert and an index
                // entry each (~90 per bulletin); SQLite's json_each() still queries them as rows.
                t.column("facts", .text)
            }
            try db.create(index: "document_stem", on: "document", columns: ["reportStem"])
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sha256", .text).notNull().references("document", onDelete: .cascade)
                t.column("rulesHash", .text).notNull()
                t.column("checkedAt", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("reportPaths", .text).notNull()
                // The outcomes (a JSON array of {rule, status, severity, section, message}), as for facts.
                t.column("outcomes", .text).notNull()
                t.uniqueKey(["sha256", "rulesHash"], onConflict: .replace)
            }
            try db.create(table: "rejection") { t in
                t.column("name", .text).notNull()
                t.column("sha256", .text).notNull()  // "" when the content could not be read
                t.column("size", .integer).notNull()
                t.column("reason", .text).notNull()
                t.column("at", .text).notNull()
                t.primaryKey(["name", "sha256"], onConflict: .replace)
            }
        }
        // Every input looks up the earlier versions of its name (`previousDocument(named:excluding:)`):
        // without this index each lookup read the whole table, and a 10,000-file backlog took twice as long.
        m.registerMigration("v2: document name index") { db in
            try db.create(index: "document_name", on: "document", columns: ["name"])
        }
        // Issue 15: each checked bulletin's place in its issuer's series and what later bulletins are compared
        // with (a `BulletinSnapshot` as JSON). A row per checked document, removed with it; documents checked
        // before this version have none until they are checked again (`assay recheck`).
        m.registerMigration("v3: bulletin series") { db in
            try db.create(table: "bulletin") { t in
                t.primaryKey("sha256", .text).references("document", onDelete: .cascade)
                t.column("issuer", .text)
                t.column("series", .text)
                t.column("published", .text)
                t.column("feedback", .text)
                t.column("snapshot", .text).notNull()
            }
            try db.create(index: "bulletin_series", on: "bulletin", columns: ["issuer", "published"])
        }
        // Issue 16: reviewers' decisions on findings, append-only (the latest per finding counts). A finding
        // is named by its document, rule, section and message, so a decision survives a recheck that gives
        // the same finding, and a changed finding is undecided again.
        m.registerMigration("v4: triage") { db in
            try db.create(table: "triage") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sha256", .text).notNull()
                t.column("finding", .text).notNull()
                t.column("rule", .text).notNull()
                t.column("section", .text).notNull()
                t.column("decision", .text).notNull()
                t.column("note", .text).notNull()
                t.column("expires", .text)
                t.column("who", .text).notNull()
                t.column("at", .text).notNull()
            }
            try db.create(index: "triage_finding", on: "triage", columns: ["sha256", "finding"])
            // The review's inbox lists documents by their latest check's counts and worst problem: kept on
            // the document, as reading them out of every run's outcomes took 150–600 ms for 10,000 documents.
            try db.alter(table: "document") { t in
                t.add(column: "summary", .text)
                t.add(column: "worst", .text)
            }
            try db.execute(
                sql: """
                    UPDATE document SET
                      summary = (SELECT summary FROM run WHERE run.sha256 = document.sha256 ORDER BY id DESC LIMIT 1),
                      worst = (SELECT CASE MAX(CASE json_extract(o.value, '$.severity') WHEN 'error' THEN 3
                                                 WHEN 'warning' THEN 2 ELSE 1 END)
                                 WHEN 3 THEN 'error' WHEN 2 THEN 'warning' WHEN 1 THEN 'info' END
                               FROM json_each((SELECT outcomes FROM run WHERE run.sha256 = document.sha256
                                               ORDER BY id DESC LIMIT 1)) o
                               WHERE json_extract(o.value, '$.status') IN ('fail', 'missing', 'error'))
                    WHERE status = 'done'
                    """)
        }
        // Issue 16: sign-in sessions of the review pages, so a restart of the server keeps reviewers signed
        // in. Only the SHA-256 of a session's token is kept: a copy of the store opens no session.
        m.registerMigration("v5: review sessions") { db in
            try db.create(table: "session") { t in
                t.column("tokenHash", .text).primaryKey()
                t.column("user", .text).notNull()
                t.column("created", .text).notNull()
                t.column("expires", .text).notNull()
            }
            try db.create(index: "session_user", on: "session", columns: ["user"])
        }
        // Issue 16: the review's inbox filters by genre, and the bulletin page shows the decoded text beside
        // its findings with their evidence marked (outcomes now keep their evidence's offsets). Documents
        // checked before this version have no genre and no text until they are checked again.
        m.registerMigration("v6: genre and text") { db in
            try db.alter(table: "document") { t in t.add(column: "genre", .text) }
            try db.create(table: "text") { t in
                t.primaryKey("sha256", .text).references("document", onDelete: .cascade)
                t.column("body", .text).notNull()
            }
        }
        return m
    }

    // MARK: Queries

    /// SQLite's plan for `sql` (the `detail` column of `EXPLAIN QUERY PLAN`), for tests that hold the
    /// per-input lookups to their indexes.
    package func queryPlan(_ sql: String) throws -> [String] {
        try pool.read { db in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)").map { $0["detail"] } }
    }

    /// The first row of `sql` with each value as text (nil for NULL), for tests that look at what the store
    /// holds and in which storage class.
    package func firstRow(_ sql: String, arguments: [String]) throws -> [String?] {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) else { return [] }
            return (0..<row.count).map { i -> String? in
                switch (row[i] as DatabaseValue).storage {
                case .null: return nil
                case .int64(let n): return "\(n)"
                case .double(let d): return "\(d)"
                case .string(let s): return s
                case .blob(let b): return "blob of \(b.count) bytes"
                }
            }
        }
    }

    /// Whether this content was already checked with the rule sets of this hash.
    public func hasRun(sha256: String, rulesHash: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM run WHERE sha256 = ? AND rulesHash = ?)"),
                arguments: [sha256, rulesHash]) ?? false
        }
    }

    /// Whether this content was checked with any rule set (a new rule set alone does not re-check it).
    public func hasAnyRun(sha256: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS(SELECT 1 FROM run WHERE sha256 = ?)"), arguments: [sha256])
                ?? false
        }
    }

    /// The status of a document, if the store knows it.
    public func status(sha256: String) throws -> Status? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT status FROM document WHERE sha256 = ?", arguments: [sha256])
                .flatMap(Status.init(rawValue:))
        }
    }

    /// The report stem for a document: the one already recorded for this content; else the input's stem
    /// if no other content holds it; else the stem with a short hash suffix (`<stem>-<sha8>`).
    public func reportStem(sha256: String, stem: String) throws -> String {
        try pool.read { db in
            if let known = try String.fetchOne(
                db.cachedStatement(sql: "SELECT reportStem FROM document WHERE sha256 = ? AND reportStem IS NOT NULL"),
                arguments: [sha256])
            {
                return known
            }
            let taken =
                try Bool.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT EXISTS(SELECT 1 FROM document WHERE reportStem = ? AND sha256 != ?)"),
                    arguments: [stem, sha256]) ?? false
            return taken ? ReportNaming.disambiguated(stem, sha256: sha256) : stem
        }
    }

    /// The facts stored for a document: a JSON array of {kind, text, label?, unit?, amount?, section,
    /// line, column}, as recorded with its last check.
    public func facts(sha256: String) throws -> JSONValue? {
        let text = try pool.read { db in
            try String.fetchOne(db, sql: "SELECT facts FROM document WHERE sha256 = ?", arguments: [sha256])
        }
        return try text.map(JSONValue.parse)
    }

    /// How many stored facts of a document have this kind, counted by SQLite itself (`json_each`): the
    /// kind of query later comparisons between bulletins make.
    public func factCount(sha256: String, kind: String) throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM document, json_each(document.facts)
                    WHERE document.sha256 = ? AND json_extract(json_each.value, '$.kind') = ?
                    """, arguments: [sha256, kind]) ?? 0
        }
    }

    /// The outcomes stored with a document's run under a rule-set hash: a JSON array of {rule, status,
    /// severity, section, message}.
    public func outcomes(sha256: String, rulesHash: String) throws -> JSONValue? {
        let text = try pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT outcomes FROM run WHERE sha256 = ? AND rulesHash = ?", arguments: [sha256, rulesHash])
        }
        return try text.map(JSONValue.parse)
    }

    /// Counts of documents by status, and rejections (some have no content hash).
    public struct Counts: Sendable, Equatable {
        /// Documents known, documents by status, runs recorded and rejections recorded.
        public var documents = 0, done = 0, rejected = 0, failed = 0, runs = 0, rejections = 0
    }

    /// The counts of documents by status, runs and rejections, read in one snapshot.
    public func counts() throws -> Counts {
        try pool.read { db in
            var c = Counts()
            c.documents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document") ?? 0
            c.done = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE status = 'done'") ?? 0
            c.rejected = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE status = 'rejected'") ?? 0
            c.failed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document WHERE status = 'failed'") ?? 0
            c.runs = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run") ?? 0
            c.rejections = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM rejection") ?? 0
            return c
        }
    }

    /// One recorded rejection.
    public struct Rejection: Sendable, Hashable {
        /// The input's file name.
        public var name: String
        /// The content hash (SHA-256, lower-case hex); nil when the content could not be read.
        public var sha256: String?
        /// The input's size in bytes.
        public var size: Int
        /// Why it was refused.
        public var reason: String
    }

    /// Every recorded rejection, sorted by name (one per name and content hash, the latest).
    public func rejections() throws -> [Rejection] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sha256, size, reason FROM rejection ORDER BY name").map { row in
                let sha: String = row["sha256"]
                return Rejection(
                    name: row["name"], sha256: sha.isEmpty ? nil : sha, size: row["size"], reason: row["reason"])
            }
        }
    }

    /// The checked document last recorded under this input name with another content, if any: what a
    /// changed input replaces (its report stem is the name's canonical one).
    public func previousDocument(named name: String, excluding sha256: String) throws -> (
        sha256: String, stem: String
    )? {
        try pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT sha256, reportStem FROM document
                        WHERE name = ? AND sha256 != ? AND status = 'done' AND reportStem IS NOT NULL
                        ORDER BY firstSeen DESC LIMIT 1
                        """), arguments: [name, sha256]
            ).map { (sha256: $0["sha256"], stem: $0["reportStem"]) }
        }
    }

    /// The rejections recorded under an input name, with the content hash each was for.
    public func rejections(named name: String) throws -> [Rejection] {
        try pool.read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT name, sha256, size, reason FROM rejection WHERE name = ?"),
                arguments: [name]
            ).map { row in
                let sha: String = row["sha256"]
                return Rejection(
                    name: row["name"], sha256: sha.isEmpty ? nil : sha, size: row["size"], reason: row["reason"])
            }
        }
    }

    /// Whether exactly this rejection (name, content hash or none, size, reason) is already recorded.
    public func hasRejection(name: String, sha256: String?, size: Int, reason: String) throws -> Bool {
        try pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql:
                        "SELECT EXISTS(SELECT 1 FROM rejection WHERE name = ? AND sha256 = ? AND size = ? AND reason = ?)"
                ),
                arguments: [name, sha256 ?? "", size, reason]) ?? false
        }
    }

    /// Forgets a rejection (its input was checked since, or changed and was refused for another content).
    public func deleteRejection(name: String, sha256: String?) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM rejection WHERE name = ? AND sha256 = ?", arguments: [name, sha256 ?? ""])
            if let sha256 {
                try db.execute(
                    sql: "DELETE FROM document WHERE sha256 = ? AND status = 'rejected'", arguments: [sha256])
            }
        }
    }

    /// Names and report stems of checked documents (for `assay recheck`).
    public func checkedDocuments() throws -> [(sha256: String, name: String, stem: String)] {
        try pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT sha256, name, reportStem FROM document WHERE status = 'done' ORDER BY name"
            ).map {
                (sha256: $0["sha256"], name: $0["name"], stem: $0["reportStem"] ?? "")
            }
        }
    }

    // MARK: Updates

    /// Records a check in one transaction: the document (done), the run, its outcomes and the facts.
    public func record(
        result: Pipeline.Result, rulesHash: String, reportStem: String, reportPaths: [String],
        now: Date = Date()
    ) throws {
        try record(
            [Check(result: result, rulesHash: rulesHash, reportStem: reportStem, reportPaths: reportPaths)], now: now)
    }

    /// One check to record, in the form the store keeps (made by the caller's thread, so a committer
    /// thread only writes, and a waiting check holds no more than this).
    public struct Check: Sendable {
        /// The document's content hash (SHA-256, lower-case hex) and name.
        public var sha256, name: String
        /// The document's size in bytes.
        public var size: Int
        /// The encoding it was decoded from.
        public var encoding: String
        /// The publication and as-of dates, ISO 8601; nil when unknown.
        public var published, asOf: String?
        /// The rule-set hash, the report stem, the status counts ("pass=3 fail=1 missing=0 error=0 waived=0")
        /// and the report paths (one a line).
        public var rulesHash, reportStem, summary, reportPaths: String
        /// The outcomes and the facts as JSON arrays, in UTF-8. Bytes rather than Strings, as are `snapshot`
        /// and `text`: they only go on to SQLite, which takes them as a blob cast to text, and making a
        /// String of them validated every byte again (a fifth of this record's cost for a 14 KB bulletin).
        public var outcomes, facts: [UInt8]
        /// The content hash of the document this check replaces (the same input, changed after it was
        /// taken); that document and its runs are forgotten in the same transaction.
        public var replaces: String?
        /// The bulletin's issuer, series and feedback date, and its snapshot as JSON (`BulletinSnapshot`).
        public var issuer, series, feedback: String?
        /// The snapshot as JSON, in UTF-8.
        public var snapshot: [UInt8]
        /// The worst severity among the problems (fail, missing, error); nil when there is none.
        public var worst: String?
        /// The document's genre (`xunshi-progress`, `audit-rectification`, `recommendation-tracker`, `unknown`).
        public var genre: String
        /// The decoded text the evidence offsets count in, in UTF-8; nil when it is longer than `Check.maxText` scalars
        /// (the bulletin page then says so; the outbox's report, when there is one, still has it).
        public var text: [UInt8]?

        /// The longest text the store keeps for the bulletin page, in scalars (1 Mi: a page of that size is
        /// still usable in a browser; beyond it the report file is the place to read the text).
        public static let maxText = 1024 * 1024

        /// The check of a pipeline result, in the form the store keeps: outcomes as {rule, status, severity,
        /// section, message} and facts as {kind, text, label?, unit?, amount?, section, line, column}, section
        /// paths joined by " / ".
        public init(result: Pipeline.Result, rulesHash: String, reportStem: String, reportPaths: [String]) {
            let d = result.report.document
            sha256 = d.sha256
            name = d.name
            size = d.size
            encoding = d.encoding
            published = d.published
            asOf = d.asOf
            self.rulesHash = rulesHash
            self.reportStem = reportStem
            let byStatus = result.report.summary.byStatus
            summary = OutcomeStatus.allCases.map { "\($0.rawValue)=\(byStatus[$0] ?? 0)" }.joined(separator: " ")
            self.reportPaths = reportPaths.joined(separator: "\n")
            // JSON written into one byte buffer each (String appends cost more than the rest of a record).
            var o = [UInt8]()
            o.reserveCapacity(256 * result.report.outcomes.count + 2)
            o.append(UInt8(ascii: "["))
            for (i, x) in result.report.outcomes.enumerated() {
                if i > 0 { o.append(UInt8(ascii: ",")) }
                Self.raw("{\"rule\":", &o); JSONValue.escape(x.ruleID, into: &o)
                Self.raw(",\"status\":", &o); JSONValue.escape(x.status.rawValue, into: &o)
                Self.raw(",\"severity\":", &o); JSONValue.escape(x.severity.rawValue, into: &o)
                Self.raw(",\"section\":", &o); Self.path(x.section, &o)
                Self.raw(",\"message\":", &o); JSONValue.escape(x.message, into: &o)
                if !x.evidence.isEmpty {
                    Self.raw(",\"evidence\":[", &o)
                    for (k, ev) in x.evidence.enumerated() {
                        if k > 0 { o.append(UInt8(ascii: ",")) }
                        Self.raw("{\"role\":", &o); JSONValue.escape(ev.role, into: &o)
                        Self.raw(",\"offset\":", &o); JSONValue.writeInteger(ev.span.offset, into: &o)
                        Self.raw(",\"length\":", &o); JSONValue.writeInteger(ev.span.length, into: &o)
                        o.append(UInt8(ascii: "}"))
                    }
                    o.append(UInt8(ascii: "]"))
                }
                o.append(UInt8(ascii: "}"))
            }
            o.append(UInt8(ascii: "]"))
            outcomes = o
            var f = [UInt8]()
            f.reserveCapacity(160 * result.extraction.facts.count + 2)
            f.append(UInt8(ascii: "["))
            var lastSection: [String]?
            var lastPath = [UInt8]()
            for (i, x) in result.extraction.facts.enumerated() {
                if i > 0 { f.append(UInt8(ascii: ",")) }
                Self.raw("{\"kind\":", &f); JSONValue.escape(x.kind.rawValue, into: &f)
                Self.raw(",\"text\":", &f); JSONValue.escape(x.text, into: &f)
                if let label = x.label { Self.raw(",\"label\":", &f); JSONValue.escape(label, into: &f) }
                if let unit = x.unit { Self.raw(",\"unit\":", &f); JSONValue.escape(unit, into: &f) }
                if let amount = x.amount {
                    Self.raw(",\"amount\":", &f); JSONValue.escape(amount.description, into: &f)
                }
                // Facts come section by section: a path is escaped once and copied while it repeats.
                Self.raw(",\"section\":", &f)
                if x.section != lastSection {
                    lastSection = x.section
                    lastPath.removeAll(keepingCapacity: true)
                    Self.path(x.section, &lastPath)
                }
                f.append(contentsOf: lastPath)
                Self.raw(",\"line\":", &f); JSONValue.writeInteger(x.span.line, into: &f)
                Self.raw(",\"column\":", &f); JSONValue.writeInteger(x.span.column, into: &f)
                f.append(UInt8(ascii: "}"))
            }
            f.append(UInt8(ascii: "]"))
            facts = f
            // Read once: without a history the result builds the snapshot on each read.
            let snap = result.snapshot
            issuer = snap.issuer
            series = snap.series
            feedback = snap.feedback
            snapshot = snap.json.renderedBytes(pretty: false)
            worst = result.report.worstProblem?.rawValue
            genre = result.extraction.genre.rawValue
            text = result.document.count <= Self.maxText ? result.document.decoded.utf8 : nil
        }

        /// Appends text that needs no escaping.
        static func raw(_ s: StaticString, _ out: inout [UInt8]) {
            s.withUTF8Buffer { out.append(contentsOf: $0) }
        }

        /// A section path as one JSON string, its names joined by " / " (written in place, not joined first).
        static func path(_ names: [String], _ out: inout [UInt8]) {
            out.append(UInt8(ascii: "\""))
            for (i, name) in names.enumerated() {
                if i > 0 { raw(" / ", &out) }
                JSONValue.escapeContents(name, into: &out)
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Records several checks in one transaction (a group commit): all of them or none.
    public func record(_ checks: [Check], now: Date = Date()) throws {
        guard !checks.isEmpty else { return }
        let at = Report.timestamp(now)
        try pool.write { db in
            for check in checks { try Self.insert(check, at: at, db) }
        }
    }

    private static func insert(_ c: Check, at: String, _ db: Database) throws {
        if let old = c.replaces, old != c.sha256 {
            try db.execute(sql: "DELETE FROM bulletin WHERE sha256 = ?", arguments: [old])
            try db.execute(sql: "DELETE FROM text WHERE sha256 = ?", arguments: [old])
            try db.execute(sql: "DELETE FROM run WHERE sha256 = ?", arguments: [old])
            try db.execute(sql: "DELETE FROM document WHERE sha256 = ?", arguments: [old])
        }
        // Cached (prepared once per connection) statements: compiling each statement (and GRDB's
        // authorizer pass over it) cost more than running it. The JSON and the text are bound as blobs of
        // UTF-8 and stored as text (`CAST(? AS TEXT)`), so no Swift String is made of them.
        try db.cachedStatement(
            sql: """
                INSERT INTO document (sha256, name, size, firstSeen, status, reason, reportStem, encoding, published, asOf, facts,
                  summary, worst, genre)
                VALUES (?, ?, ?, ?, 'done', NULL, ?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?)
                ON CONFLICT(sha256) DO UPDATE SET status = 'done', reason = NULL, reportStem = excluded.reportStem,
                  encoding = excluded.encoding, published = excluded.published, asOf = excluded.asOf, facts = excluded.facts,
                  summary = excluded.summary, worst = excluded.worst, genre = excluded.genre
                """
        ).execute(arguments: [
            c.sha256, c.name, c.size, at, c.reportStem, c.encoding, c.published, c.asOf, Data(c.facts), c.summary,
            c.worst,
            c.genre,
        ])
        if let text = c.text {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO text (sha256, body) VALUES (?, CAST(? AS TEXT))")
                .execute(arguments: [c.sha256, Data(text)])
        } else {
            try db.cachedStatement(sql: "DELETE FROM text WHERE sha256 = ?").execute(arguments: [c.sha256])
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO run (sha256, rulesHash, checkedAt, summary, reportPaths, outcomes)
                VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT))
                """
        ).execute(arguments: [c.sha256, c.rulesHash, at, c.summary, c.reportPaths, Data(c.outcomes)])
        try db.cachedStatement(
            sql: """
                INSERT INTO bulletin (sha256, issuer, series, published, feedback, snapshot)
                VALUES (?, ?, ?, ?, ?, CAST(? AS TEXT))
                ON CONFLICT(sha256) DO UPDATE SET issuer = excluded.issuer, series = excluded.series,
                  published = excluded.published, feedback = excluded.feedback, snapshot = excluded.snapshot
                """
        ).execute(arguments: [c.sha256, c.issuer, c.series, c.published, c.feedback, Data(c.snapshot)])
    }

    /// Forgets a checked document and its runs: an earlier version of an input name, superseded by a version
    /// that was rejected or was checked under another name (the daemon removes its report files first).
    public func forget(sha256: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM bulletin WHERE sha256 = ?", arguments: [sha256])
            try db.execute(sql: "DELETE FROM text WHERE sha256 = ?", arguments: [sha256])
            try db.execute(sql: "DELETE FROM run WHERE sha256 = ?", arguments: [sha256])
            try db.execute(sql: "DELETE FROM document WHERE sha256 = ? AND status = 'done'", arguments: [sha256])
        }
    }

    /// Records a refused input. With a content hash the document is marked rejected too.
    public func recordRejection(name: String, sha256: String?, size: Int, reason: String, now: Date = Date()) throws {
        let at = Report.timestamp(now)
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO rejection (name, sha256, size, reason, at) VALUES (?, ?, ?, ?, ?)",
                arguments: [name, sha256 ?? "", size, reason, at])
            if let sha256 {
                try db.execute(
                    sql: """
                        INSERT INTO document (sha256, name, size, firstSeen, status, reason) VALUES (?, ?, ?, ?, 'rejected', ?)
                        ON CONFLICT(sha256) DO UPDATE SET status = 'rejected', reason = excluded.reason
                          WHERE document.status != 'done'
                        """, arguments: [sha256, name, size, at, reason])
            }
        }
    }

    /// Records a failure that may pass (the document is retried on the next scan).
    public func recordFailure(name: String, sha256: String, size: Int, reason: String, now: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO document (sha256, name, size, firstSeen, status, reason) VALUES (?, ?, ?, ?, 'failed', ?)
                    ON CONFLICT(sha256) DO UPDATE SET status = 'failed', reason = excluded.reason WHERE document.status != 'done'
                    """, arguments: [sha256, name, size, Report.timestamp(now), reason])
        }
    }
}

// MARK: - Series

extension StateStore: BulletinHistory {
    /// How many earlier bulletins a comparison reads at most (the latest of them): promises older than
    /// that many bulletins are not followed.
    public static let seriesDepth = 24

    /// The bulletins of the snapshot's issuer published before it, oldest first: the same series, or
    /// either series unknown (a bulletin that does not name its round still follows the others), or the
    /// same feedback date (one bulletin names the round, another the inspection group). Ordered by
    /// publication date, so a late older bulletin takes its place rather than becoming the latest.
    public func earlier(than snapshot: BulletinSnapshot) throws -> [BulletinSnapshot] {
        guard let issuer = snapshot.issuer, let published = snapshot.published else { return [] }
        let rows = try pool.read { db in
            try String.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT bulletin.snapshot FROM bulletin JOIN document ON document.sha256 = bulletin.sha256
                        WHERE bulletin.issuer = ? AND bulletin.published < ? AND bulletin.sha256 != ?
                          AND document.status = 'done'
                          AND (bulletin.series IS NULL OR ? IS NULL OR bulletin.series = ? OR bulletin.feedback = ?)
                        ORDER BY bulletin.published DESC, document.firstSeen DESC LIMIT ?
                        """),
                arguments: [
                    issuer, published, snapshot.sha256, snapshot.series, snapshot.series, snapshot.feedback,
                    Self.seriesDepth,
                ])
        }
        return try rows.reversed().map { try parsed.snapshot($0) }
    }

    /// Every stored bulletin of an issuer (canonical name), by publication date (unknown dates last).
    public func series(issuer: String) throws -> [BulletinSnapshot] {
        let rows = try pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT bulletin.snapshot FROM bulletin JOIN document ON document.sha256 = bulletin.sha256
                    WHERE bulletin.issuer = ? AND document.status = 'done'
                    ORDER BY bulletin.published IS NULL, bulletin.published, document.firstSeen
                    """, arguments: [issuer])
        }
        return try rows.map { try parsed.snapshot($0) }
    }

    /// Every issuer with a stored bulletin, by name.
    public func issuers() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT issuer FROM bulletin WHERE issuer IS NOT NULL ORDER BY issuer")
        }
    }
}

/// Parsed snapshots by their JSON text (at most `capacity`; emptied when full): equal text, equal snapshot.
final class SnapshotCache: @unchecked Sendable {
    private let lock = NSLock()
    private var byText = [String: BulletinSnapshot]()
    static let capacity = 4096

    /// The snapshot of `json`, parsed once.
    func snapshot(_ json: String) throws -> BulletinSnapshot {
        lock.lock()
        if let s = byText[json] {
            lock.unlock()
            return s
        }
        lock.unlock()
        let s = try BulletinSnapshot(json: JSONValue.parse(json))
        lock.lock()
        if byText.count >= Self.capacity { byText.removeAll(keepingCapacity: true) }
        byText[json] = s
        lock.unlock()
        return s
    }
}
