import AssayExtraction
import AssayStore
import AssayValues
import Foundation
import Hummingbird
import Synchronization

/// Every list the pages show can be taken away as CSV and as JSON: the inbox (`/export/inbox.csv|json`,
/// with its filters), the rules with their counts (`/export/rules.csv|json`), an issuer's series
/// (`/issuer/NAME/series.csv|json`), a bulletin's findings with their decisions
/// (`/bulletin/SHA/findings.csv|json`) and the whole trail of decisions (`/export/decisions.csv|json`).
/// The lists here carry the same columns in both formats: CSV a header row and a row per item, JSON an
/// array of objects with the columns as keys (numbers as numbers, unknown as null). The inbox's exports
/// are older and differ: its JSON splits the counts out of the CSV's `summary`.
extension ReviewServer {
    /// A list to export: its columns, and a row of values per item in the columns' order.
    struct ExportTable {
        /// The column names (CSV header, JSON keys).
        var columns: [String]
        /// One value per column per row.
        var rows: [[JSONValue]] = []

        /// The table as CSV (RFC 4180 quoting by `CSV.row`): nulls empty, numbers as written.
        var csv: String {
            var out = CSV.row(columns)
            for r in rows { out += CSV.row(r.map(Self.cell)) }
            return out
        }

        /// The table as a JSON array of objects.
        var json: String {
            JSONValue.array(rows.map { .object(Array(zip(columns, $0))) }).rendered() + "\n"
        }

        static func cell(_ v: JSONValue) -> String {
            switch v {
            case .null: ""
            case .string(let s): s
            case .integer(let i): String(i)
            case .number(let d): "\(d)"
            case .bool(let b): b ? "true" : "false"
            case .array, .object: v.rendered(pretty: false)
            }
        }
    }

    /// The export formats, by file extension.
    enum ExportFormat: String {
        case csv, json
    }

    /// A table as a download in `format`.
    static func export(_ table: ExportTable, _ format: ExportFormat) -> Response {
        switch format {
        case .csv: text(table.csv, status: .ok, contentType: "text/csv; charset=utf-8")
        case .json: text(table.json, status: .ok, contentType: "application/json; charset=utf-8")
        }
    }

    /// "CSV · JSON" links to a list's exports at `base` + ".csv" / ".json".
    static func exportLinks(_ base: String) -> String {
        " · <a href=\"\(base).csv\">CSV</a> · <a href=\"\(base).json\">JSON</a>"
    }

    /// The statuses the rules page counts, in its columns' order.
    static let ruleStatuses = ["pass", "fail", "missing", "error", "waived", "not_applicable"]

    /// Each rule of the store or of the rules in force, the noisiest first (most fail, missing and error
    /// outcomes), with its description (nil when it is not among the rules loaded) and its counts.
    func ruleRows() throws -> [(id: String, description: RuleDescription?, counts: [String: Int])] {
        let counts = try ruleCounts.counts(store)
        let described = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func noise(_ c: [String: Int]?) -> Int { (c?["fail"] ?? 0) + (c?["missing"] ?? 0) + (c?["error"] ?? 0) }
        let ids = Set(counts.keys).union(described.keys).sorted { a, b in
            let (nx, ny) = (noise(counts[a]), noise(counts[b]))
            return nx != ny ? nx > ny : a < b
        }
        return ids.map { ($0, described[$0], counts[$0] ?? [:]) }
    }

    /// The rules list: id, title, kind, severity, set, basis and a count per status.
    func rulesTable() throws -> ExportTable {
        var t = ExportTable(columns: ["rule", "title", "kind", "severity", "set", "basis"] + Self.ruleStatuses)
        for r in try ruleRows() {
            let d = r.description
            t.rows.append(
                [
                    .string(r.id), .optional(d?.title), .optional(d?.kind), .optional(d?.severity), .optional(d?.set),
                    .optional(d?.basis),
                ] + Self.ruleStatuses.map { .integer(r.counts[$0] ?? 0) })
        }
        return t
    }

    /// An issuer's series, oldest first: each bulletin's dates and its first tally's figures as written.
    func seriesTable(issuer: String) throws -> ExportTable? {
        let series = try store.series(issuer: issuer)
        guard !series.isEmpty else { return nil }
        var t = ExportTable(columns: [
            "published", "as_of", "bulletin", "sha256", "series", "total", "done", "outstanding", "rate",
        ])
        for b in series {
            let f = b.tallies.first
            t.rows.append([
                .optional(b.published), .optional(b.asOf), .string(b.name), .string(b.sha256), .optional(b.series),
                .optional(f?.figure("total")?.text), .optional(f?.figure("done")?.text),
                .optional(f?.figure("outstanding")?.text), .optional(f?.figure("rate")?.text),
            ])
        }
        return t
    }

    /// A bulletin's findings (fail, missing, error, waived) with the latest decision on each.
    func findingsTable(sha256: String) throws -> ExportTable? {
        guard Self.isSHA(sha256), try store.reviewed(sha256: sha256) != nil else { return nil }
        var latest = [String: StateStore.Triage]()
        for t in try store.triageTrail(sha256: sha256) { latest[t.finding] = t }
        var t = ExportTable(columns: [
            "rule", "status", "severity", "section", "message", "decision", "decided_by", "decided_at", "expires",
            "note",
        ])
        for o in try store.latestOutcomes(sha256: sha256) where Self.problemStatuses.contains(o.status) {
            let d = latest[StateStore.findingKey(rule: o.rule, section: o.section, message: o.message)]
            t.rows.append([
                .string(o.rule), .string(o.status), .string(o.severity), .string(o.section), .string(o.message),
                .optional(d?.decision.rawValue), .optional(d?.who), .optional(d?.at), .optional(d?.expires),
                .optional(d?.note),
            ])
        }
        return t
    }

    /// The whole audit trail of decisions, oldest first: when, who, the bulletin, the finding, the decision.
    func decisionsTable() throws -> ExportTable {
        var t = ExportTable(columns: [
            "at", "who", "bulletin", "sha256", "rule", "section", "finding", "decision", "expires", "note",
        ])
        for (d, name) in try store.triageTrail() {
            t.rows.append([
                .string(d.at), .string(d.who), .optional(name), .string(d.sha256), .string(d.rule), .string(d.section),
                .string(d.finding), .string(d.decision.rawValue), .optional(d.expires), .string(d.note),
            ])
        }
        return t
    }

    /// The statuses a bulletin page lists as findings.
    static let problemStatuses: Set<String> = ["fail", "missing", "error", "waived"]

    /// Whether `s` is a content hash as the store names documents (64 ASCII hex digits): every route that
    /// takes one checks it before it asks the store.
    static func isSHA(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { Character(Unicode.Scalar($0)).isHexDigit }
    }

    /// The export routes of the rules list, an issuer's series and a bulletin's findings (viewer).
    func exportRoutes(_ router: Router<ReviewContext>) {
        for format in [ExportFormat.csv, .json] {
            router.get("/export/rules.\(format.rawValue)") { request, _ in
                try await self.gate(request, .viewer) { Self.export(try self.rulesTable(), format) }
            }
            router.get("/export/decisions.\(format.rawValue)") { request, _ in
                try await self.gate(request, .viewer) { Self.export(try self.decisionsTable(), format) }
            }
            router.get("/issuer/:name/series.\(format.rawValue)") { request, context in
                let raw = context.parameters.get("name") ?? ""
                return try await self.gate(request, .viewer) {
                    guard let t = try self.seriesTable(issuer: raw.removingPercentEncoding ?? raw) else {
                        return Self.text("no bulletin of this issuer", status: .notFound)
                    }
                    return Self.export(t, format)
                }
            }
            router.get("/bulletin/:sha/findings.\(format.rawValue)") { request, context in
                try await self.gate(request, .viewer) {
                    guard let t = try self.findingsTable(sha256: context.parameters.get("sha") ?? "") else {
                        return Self.text("no such bulletin", status: .notFound)
                    }
                    return Self.export(t, format)
                }
            }
        }
    }
}

/// Each rule's outcome counts over the store, kept until a check or a forgotten document changes them:
/// counting reads every outcome of every latest run (about 0.8 s for 10,000 bulletins), while telling
/// whether anything changed is three counts on indexed columns.
final class RuleCountsCache: Sendable {
    private let state = Mutex<(fingerprint: [Int], counts: [String: [String: Int]])?>(nil)

    /// The counts, counted again only when the store's runs changed since they were last counted.
    func counts(_ store: StateStore) throws -> [String: [String: Int]] {
        let fingerprint = try store.runsFingerprint()
        if let kept = state.withLock({ $0 }), kept.fingerprint == fingerprint { return kept.counts }
        let counts = try store.ruleCounts()
        state.withLock { $0 = (fingerprint, counts) }
        return counts
    }
}
