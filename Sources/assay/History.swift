import ArgumentParser
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayStore
import AssayValues
import Foundation

/// `assay history [ISSUER]`: an issuer's bulletins and key figures over time, or every issuer with its
/// latest figures and its open overdue promises, from the store the daemon (or `assay check --state`) keeps.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show an issuer's bulletins and key figures over time, or every issuer with its latest figures.",
        discussion: """
            Reads the store of the daemon or of `assay check --state DIR`. With an issuer (its name as \
            written or canonical; --issuers maps other names), one row per bulletin by publication date; \
            without, one row per issuer: its latest bulletin's figures and the promised deadlines that have \
            passed with work still outstanding.
            """)

    enum Format: String, ExpressibleByArgument { case table, json, csv }

    @Argument(help: "The issuer (as written in a bulletin, or its canonical name). Default: every issuer.")
    var issuer: String?

    @Option(help: "Folder of the state database. Default: ./.assay")
    var state: String = ".assay"

    @Option(help: "Other names of issuers (issuers.yml), to find an issuer by another name.")
    var issuers: String?

    @Option(help: "table (for people), json or csv.")
    var format: Format = .table

    func run() throws {
        let store = try openExistingStore(state)
        let directory = try loadIssuers(issuers)
        if let issuer {
            let name = directory.resolve(IssuerFinder.normalised(issuer))
            let series = try store.series(issuer: name)
            guard !series.isEmpty else {
                let known = try store.issuers()
                fail(
                    "no bulletin of \(name) in the store"
                        + (known.isEmpty ? "" : "; issuers: " + known.joined(separator: ", ")))
                throw ExitCode(2)
            }
            print(Self.render(rows: series.map(Self.row), format: format, columns: Self.seriesColumns), terminator: "")
        } else {
            var rows = [[String: String]]()
            for name in try store.issuers() {
                let series = try store.series(issuer: name)
                guard let latest = series.last(where: { $0.published != nil }) ?? series.last else { continue }
                var row = Self.row(latest)
                row["issuer"] = name
                row["bulletins"] = "\(series.count)"
                let earlier = series.filter { ($0.published ?? "") < (latest.published ?? "") }
                let main = latest.tallies.first
                let open = main.flatMap(BulletinSnapshot.open) ?? 0
                row["overdue"] =
                    open > 0
                    ? latest.duePromises(from: earlier).filter(\.promise.coversRest).map {
                        "\($0.promise.date) (\($0.from.name))"
                    }.joined(separator: "; ") : ""
                rows.append(row)
            }
            print(Self.render(rows: rows, format: format, columns: Self.issuerColumns), terminator: "")
        }
    }

    static let seriesColumns = [
        "published", "as_of", "bulletin", "series", "tally", "total", "done", "partial", "outstanding", "rate",
        "promises",
    ]
    static let issuerColumns = [
        "issuer", "bulletins", "published", "bulletin", "tally", "total", "done", "outstanding", "rate", "overdue",
    ]

    /// One bulletin's key figures: its first tally (the headline), its promised dates.
    static func row(_ b: BulletinSnapshot) -> [String: String] {
        var r: [String: String] = [
            "published": b.published ?? "", "as_of": b.asOf ?? "", "bulletin": b.name, "series": b.series ?? "",
            "promises": b.promises.map(\.date).joined(separator: " "),
        ]
        if let t = b.tallies.first {
            r["tally"] = t.key
            for role in ["total", "done", "partial", "outstanding", "rate"] { r[role] = t.figure(role)?.text ?? "" }
        }
        return r
    }

    /// Rows as an aligned table, a JSON array of objects (columns in order) or CSV (RFC 4180 quoting).
    static func render(rows: [[String: String]], format: Format, columns: [String]) -> String {
        switch format {
        case .json:
            let array = JSONValue.array(rows.map { row in .object(columns.map { ($0, .string(row[$0] ?? "")) }) })
            return array.rendered(pretty: true) + "\n"
        case .csv:
            return ([columns] + rows.map { row in columns.map { row[$0] ?? "" } }).map(CSV.row).joined()
        case .table:
            let cells = [columns] + rows.map { row in columns.map { VisibleText.visible(row[$0] ?? "") } }
            let widths = columns.indices.map { i in cells.map { FactsTable.width($0[i]) }.max() ?? 0 }
            return cells.map { line in
                line.enumerated().map { i, c in c + String(repeating: " ", count: widths[i] - FactsTable.width(c)) }
                    .joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }.joined()
        }
    }
}
