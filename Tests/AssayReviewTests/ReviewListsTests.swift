import AssayRules
import AssayStore
import AssayTestSupport
import AssayValues
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayReview

/// The inbox's genre and status filters, a bulletin's text beside its findings with the evidence marked,
/// and the CSV and JSON exports of the rules list, an issuer's series and a bulletin's findings.
@Suite struct ReviewListsTests {
    /// A store of four bulletins of three genres checked with the bundled rules:
    /// au-05 (audit, a wrong rate: one fail), au-01 (audit, clean), xs-01 (inspection, three missing),
    /// en-01 (English tracker, one missing).
    final class Fixture: Sendable {
        let folder: URL
        let store: StateStore
        let sha: [String: String]  // file name → sha256

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-lists-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            store = try StateStore(folder: folder.path)
            let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
            let pipeline = Pipeline(ruleSets: sets)
            let corpus = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/corpus")
            var shas = [String: String]()
            for name in [
                "au-05-city-rate-error.txt", "au-01-county-budget.txt", "xs-01-county-health.txt",
                "en-01-city-followup.txt",
            ] {
                let bytes = [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name)))
                let result = try pipeline.check(bytes: bytes, name: name)
                try store.record(result: result, rulesHash: "r", reportStem: name, reportPaths: [])
                shas[name] = result.report.document.sha256
            }
            sha = shas
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func app() -> some ApplicationProtocol {
            var server = ReviewServer(store: store, now: { Date(timeIntervalSince1970: 1_800_000_000) })
            server.rules = [
                ReviewServer.RuleDescription(
                    id: "audit-rate-matches", title: "整改率等于已整改数除以总数", kind: "consistency", severity: "error",
                    set: "audit-rectification", basis: "整改率 = 已整改 ÷ 查出问题")
            ]
            return Application(router: server.router())
        }
    }

    static func text(_ r: TestResponse) -> String { String(buffer: r.body) }

    /// The bulletin names an inbox page lists, in its order.
    static func listed(_ html: String) -> [String] {
        html.components(separatedBy: "<td><a href=\"/bulletin/").dropFirst().compactMap { piece in
            guard let open = piece.firstIndex(of: ">"), let close = piece.range(of: "</a>") else { return nil }
            return String(piece[piece.index(after: open)..<close.lowerBound])
        }
    }

    @Test func theInboxFiltersByGenreAndByTheStatusOfAFinding() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            func names(_ query: String) async throws -> Set<String> {
                let r = try await client.execute(uri: "/" + query, method: .get)
                #expect(r.status == .ok)
                return Set(Self.listed(Self.text(r)))
            }
            #expect(try await names("?genre=recommendation-tracker") == ["en-01-city-followup.txt"])
            #expect(
                try await names("?genre=audit-rectification") == [
                    "au-05-city-rate-error.txt", "au-01-county-budget.txt",
                ])
            #expect(try await names("?genre=xunshi-progress") == ["xs-01-county-health.txt"])
            #expect(try await names("?status=fail") == ["au-05-city-rate-error.txt"])
            #expect(try await names("?status=missing") == ["xs-01-county-health.txt", "en-01-city-followup.txt"])
            #expect(try await names("?status=clean") == ["au-01-county-budget.txt"])
            #expect(try await names("?status=error").isEmpty)
            #expect(try await names("?status=missing&genre=xunshi-progress") == ["xs-01-county-health.txt"])
            // A value that is not a choice is no filter.
            #expect(try await names("?status=pass&genre=poetry").count == 4)

            // Words of the text are found only when asked to look in the texts.
            #expect(try await names("?q=%E6%95%B4%E6%94%B9%E7%8E%87%E4%B8%BA87.5%25").isEmpty)
            #expect(
                try await names("?q=%E6%95%B4%E6%94%B9%E7%8E%87%E4%B8%BA87.5%25&in=text") == [
                    "au-05-city-rate-error.txt"
                ])
            #expect(try await names("?q=follow&in=text").contains("en-01-city-followup.txt"))
            // A % is a percent sign, not a wildcard.
            #expect(try await names("?q=%25%25%25&in=text").isEmpty)
            let searched = Self.text(try await client.execute(uri: "/?q=x&in=text", method: .get))
            #expect(searched.contains("<input type=\"checkbox\" name=\"in\" value=\"text\" checked> in the text too"))
            #expect(searched.contains("/export/inbox.csv?q=x&amp;in=text"))

            let page = Self.text(try await client.execute(uri: "/?status=missing&genre=xunshi-progress", method: .get))
            #expect(page.contains("<option value=\"missing\" selected>missing</option>"))
            #expect(page.contains("<option value=\"xunshi-progress\" selected>xunshi-progress</option>"))
            #expect(page.contains("<td>xunshi-progress</td>"))
            // The exports keep the filters and carry the genre.
            #expect(page.contains("<a href=\"/export/inbox.csv?genre=xunshi-progress&amp;status=missing\">CSV</a>"))
            let csv = Self.text(
                try await client.execute(uri: "/export/inbox.csv?genre=xunshi-progress&status=missing", method: .get))
            let rows = csv.split(separator: "\r\n")
            #expect(rows.count == 2)
            #expect(rows[1].contains(",xunshi-progress,info,"))
            let json = Self.text(try await client.execute(uri: "/export/inbox.json?status=fail", method: .get))
            #expect(json.contains("\"genre\": \"audit-rectification\""))
        }
    }

    @Test func aBulletinShowsItsTextBesideItsFindingsWithTheEvidenceMarked() async throws {
        let f = try Fixture()
        let sha = f.sha["au-05-city-rate-error.txt"]!
        let message = "55个 / 64个 = 85.94%; stated 87.5%"
        let key = StateStore.findingKey(rule: "audit-rate-matches", section: "一、整改总体情况", message: message)
        let outcome = try #require(try f.store.latestOutcomes(sha256: sha).first { $0.rule == "audit-rate-matches" })
        #expect(outcome.message == message)
        #expect(
            outcome.evidence == [
                .init(role: "rate", range: 301..<306), .init(role: "numerator", range: 286..<289),
                .init(role: "denominator", range: 252..<255),
            ])
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/bulletin/\(sha)", method: .get)
            #expect(r.status == .ok)
            let html = Self.text(r)
            #expect(html.contains("<div class=\"split\"><div class=\"findings\"><h2>Findings</h2>"))
            // Each piece of evidence is listed under its finding with its line, linking to its mark…
            #expect(html.contains("<li><a href=\"#ev-0-0\">rate, line 15</a> <q>87.5%</q></li>"))
            #expect(html.contains("<li><a href=\"#ev-0-1\">numerator, line 15</a> <q>55个</q></li>"))
            #expect(html.contains("<li><a href=\"#ev-0-2\">denominator, line 15</a> <q>64个</q></li>"))
            // …and marked in the text, linking back to the finding.
            let title = "audit-rate-matches: 55个 / 64个 = 85.94%; stated 87.5%"
            for (id, text) in [("ev-0-0", "87.5%"), ("ev-0-1", "55个"), ("ev-0-2", "64个")] {
                #expect(
                    html.contains(
                        "<mark id=\"\(id)\" class=\"sev-error\" data-outcomes=\"f-\(key)\"><a href=\"#f-\(key)\" title=\"\(title)\">\(text)</a></mark>"
                    ))
            }
            #expect(
                html.contains(
                    "<h3 class=\"group\">一、整改总体情况</h3>\n<article class=\"finding sev-error\" id=\"f-\(key)\">"))
            #expect(html.contains("<div class=\"line\" id=\"L15\"><span class=\"ln\">15</span>"))
            #expect(html.components(separatedBy: "<mark ").count - 1 == 3)
            // A clean bulletin shows its text with nothing marked.
            let clean = Self.text(
                try await client.execute(uri: "/bulletin/\(f.sha["au-01-county-budget.txt"]!)", method: .get))
            #expect(clean.contains("<p>No problem found.</p>"))
            #expect(clean.contains("<div class=\"bulletin\"><div class=\"line\" id=\"L1\">"))
            #expect(!clean.contains("<mark "))
        }
    }

    @Test func aBulletinWithoutAStoredTextSaysWhy() async throws {
        let f = try Fixture()
        let sha = f.sha["au-05-city-rate-error.txt"]!
        try f.store.forgetText(sha256: sha)
        try await f.app().test(.router) { client in
            let html = Self.text(try await client.execute(uri: "/bulletin/\(sha)", method: .get))
            #expect(
                html.contains(
                    "<p class=\"meta\">The store has no text for this bulletin: it was checked before the store kept texts (check it again), or it is longer than 1048576 characters.</p>"
                ))
            #expect(!html.contains("<mark "))
            #expect(!html.contains("<ul class=\"evidence\">"))
            #expect(html.contains("<code>audit-rate-matches</code>"))
        }
    }

    @Test func theRulesSeriesAndFindingsListsExportAsCSVAndJSON() async throws {
        let f = try Fixture()
        let sha = f.sha["au-05-city-rate-error.txt"]!
        try await f.app().test(.router) { client in
            let page = Self.text(try await client.execute(uri: "/rules", method: .get))
            #expect(page.contains("<a href=\"/export/rules.csv\">CSV</a> · <a href=\"/export/rules.json\">JSON</a>"))

            let csv = try await client.execute(uri: "/export/rules.csv", method: .get)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = Self.text(csv).split(separator: "\r\n")
            #expect(lines[0] == "rule,title,kind,severity,set,basis,pass,fail,missing,error,waived,not_applicable")
            // The noisiest rules first (by fail, missing and error outcomes, then by id); a rule not among
            // the rules described has empty descriptions.
            #expect(
                Array(lines[1...3]) == [
                    "audit-money-reconciles,,,,,,3,0,1,0,0,0",
                    "audit-rate-matches,整改率等于已整改数除以总数,consistency,error,audit-rectification,整改率 = 已整改 ÷ 查出问题,4,1,0,0,0,0",
                    "money-reconciles,,,,,,0,0,1,0,0,0",
                ])
            #expect(lines.last == "status-counts-sum,,,,,,1,0,0,0,0,0")

            let json = try await client.execute(uri: "/export/rules.json", method: .get)
            #expect(json.headers[.contentType] == "application/json; charset=utf-8")
            guard case .array(let rules) = try JSONValue.parse(Self.text(json)) else {
                Issue.record("not an array")
                return
            }
            #expect(rules.count == lines.count - 1)
            let rate = try #require(rules.first { $0["rule"] == .string("audit-rate-matches") })
            #expect(rate["title"] == .string("整改率等于已整改数除以总数"))
            #expect(rate["pass"] == .integer(4))
            #expect(rate["fail"] == .integer(1))
            #expect(rules.first { $0["rule"] == .string("percent-achievable") }?["title"] == .null)

            let series = try await client.execute(uri: "/issuer/nobody/series.csv", method: .get)
            #expect(series.status == .notFound)

            let findings = Self.text(try await client.execute(uri: "/bulletin/\(sha)/findings.csv", method: .get))
            #expect(
                findings
                    == "rule,status,severity,section,message,decision,decided_by,decided_at,expires,note\r\naudit-rate-matches,fail,error,一、整改总体情况,55个 / 64个 = 85.94%; stated 87.5%,,,,,\r\n"
            )
            let missing = try await client.execute(
                uri: "/bulletin/\(String(repeating: "0", count: 64))/findings.json", method: .get)
            #expect(missing.status == .notFound)
            let bad = try await client.execute(uri: "/bulletin/..%2F..%2Fetc/findings.json", method: .get)
            #expect(bad.status == .notFound)
        }
    }

    @Test func anIssuersSeriesExportsAsCSVAndJSON() async throws {
        let f = try ReviewServerTests.Fixture()
        let issuer =
            "/issuer/%E6%A1%90%E5%B2%97%E5%B8%82%E4%BD%8F%E6%88%BF%E5%92%8C%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE%E5%B1%80"
        try await f.app().test(.router) { client in
            let csv = Self.text(try await client.execute(uri: issuer + "/series.csv", method: .get))
            let lines = csv.split(separator: "\r\n")
            #expect(lines.count == 4)
            #expect(lines[0] == "published,as_of,bulletin,sha256,series,total,done,outstanding,rate")
            #expect(
                lines[2]
                    == "2024-04-12,\(lines[2].split(separator: ",")[1]),tonggang-zhujian-2024-04-12.txt,\(f.tonggang["2024-04-12.txt"]!),第3轮巡察,36项,29项,\(lines[2].split(separator: ",")[7]),80.56%"
            )
            guard
                case .array(let rows) = try JSONValue.parse(
                    Self.text(try await client.execute(uri: issuer + "/series.json", method: .get)))
            else {
                Issue.record("not an array")
                return
            }
            #expect(
                rows.map { $0["published"] } == [.string("2024-01-19"), .string("2024-04-12"), .string("2024-07-05")])
            #expect(rows[2]["done"] == .string("26项"))
        }
    }

    @Test func findingsAreGroupedBySectionAsInTheReport() {
        func o(_ rule: String, _ severity: String, _ section: String, _ at: Int?) -> StateStore.StoredOutcome {
            .init(
                rule: rule, status: "fail", severity: severity, section: section, message: "",
                evidence: at.map { [.init(role: "actual", range: $0..<($0 + 2))] } ?? [])
        }
        let grouped = ReviewServer.grouped([
            o("a", "info", "二、下步打算", 900), o("b", "warning", "一、总体情况", 40), o("c", "error", "", nil),
            o("d", "error", "一、总体情况", 10), o("e", "info", "", 5), o("f", "error", "二、下步打算", 950),
        ])
        // The whole document first; then sections by their first evidence; error first within a section.
        #expect(grouped.map(\.rule) == ["c", "e", "d", "b", "f", "a"])
    }

    @Test func theRuleCountsFollowTheStoreAfterTheyAreCounted() async throws {
        let f = try Fixture()
        let app = f.app()
        @Sendable func rateRow(_ client: some TestClientProtocol) async throws -> String? {
            let csv = Self.text(try await client.execute(uri: "/export/rules.csv", method: .get))
            return csv.split(separator: "\r\n").first { $0.hasPrefix("audit-rate-matches,") }.map(String.init)
        }
        try await app.test(.router) { client in
            #expect(try await rateRow(client)?.hasSuffix(",4,1,0,0,0,0") == true)
            // Another failing bulletin is checked: the counts shown next include it.
            let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
            let text = try String(
                contentsOf: repoRoot.appendingPathComponent(
                    "Tests/AssayCoreTests/Fixtures/corpus/au-05-city-rate-error.txt"),
                encoding: .utf8)
            let result = try Pipeline(ruleSets: sets).check(bytes: Array((text + "\n附:另一份。\n").utf8), name: "copy.txt")
            try f.store.record(result: result, rulesHash: "r", reportStem: "copy.txt", reportPaths: [])
            let after = try await rateRow(client)
            #expect(after?.hasSuffix(",5,2,0,0,0,0") == true, "\(after ?? "")")
            // A forgotten bulletin leaves them.
            try f.store.forget(sha256: result.report.document.sha256)
            #expect(try await rateRow(client)?.hasSuffix(",4,1,0,0,0,0") == true)
        }
    }

    @Test func theWholeTrailOfDecisionsExports() async throws {
        let f = try Fixture()
        let sha = f.sha["au-05-city-rate-error.txt"]!
        let message = "55个 / 64个 = 85.94%; stated 87.5%"
        let key = StateStore.findingKey(rule: "audit-rate-matches", section: "一、整改总体情况", message: message)
        for (decision, note, expires, at) in [
            (StateStore.Decision.confirmed, "核实, 属实", String?.none, "2027-01-01T08:00:00Z"),
            (.waived, "口径不同", "2027-06-30", "2027-01-02T09:30:00Z"),
        ] {
            try f.store.recordTriage(
                .init(
                    sha256: sha, finding: key, rule: "audit-rate-matches", section: "一、整改总体情况", decision: decision,
                    note: note, expires: expires, who: "li.hua", at: at))
        }
        try await f.app().test(.router) { client in
            let csv = Self.text(try await client.execute(uri: "/export/decisions.csv", method: .get))
            #expect(
                csv == "at,who,bulletin,sha256,rule,section,finding,decision,expires,note\r\n"
                    + "2027-01-01T08:00:00Z,li.hua,au-05-city-rate-error.txt,\(sha),audit-rate-matches,一、整改总体情况,\(key),confirmed,,\"核实, 属实\"\r\n"
                    + "2027-01-02T09:30:00Z,li.hua,au-05-city-rate-error.txt,\(sha),audit-rate-matches,一、整改总体情况,\(key),waived,2027-06-30,口径不同\r\n"
            )
            guard
                case .array(let rows) = try JSONValue.parse(
                    Self.text(try await client.execute(uri: "/export/decisions.json", method: .get)))
            else {
                Issue.record("not an array")
                return
            }
            #expect(rows.map { $0["decision"] } == [.string("confirmed"), .string("waived")])
            #expect(rows[0]["expires"] == .null)
            let page = Self.text(try await client.execute(uri: "/bulletin/\(sha)", method: .get))
            #expect(page.contains("The trail of every bulletin: <a href=\"/export/decisions.csv\">CSV</a>"))
        }
    }
}
