import AssayRules
import AssayStore
import AssayTestSupport
import AssayValues
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayReview

/// The review pages (`assay serve`) through Hummingbird's router test client: the inbox and its filters,
/// a bulletin's findings, triage and its protections, an issuer's series, the exports.
@Suite struct ReviewServerTests {
    /// A store holding two series checked with the bundled rules, and a hostile bulletin.
    final class Fixture: Sendable {
        let folder: URL
        let store: StateStore
        let tonggang: [String: String]  // file name → sha256

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-review-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            store = try StateStore(folder: folder.path)
            let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
            var pipeline = Pipeline(ruleSets: sets)
            pipeline.history = store
            pipeline.language = .en
            let series = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/series")
            var shas = [String: String]()
            for (issuer, files) in [
                ("tonggang-zhujian", ["2024-01-19.txt", "2024-04-12.txt", "2024-07-05.txt"]),
                ("linshui-agri", ["2024-01-12.txt", "2024-03-15.txt"]),
            ] {
                for file in files {
                    let bytes = [UInt8](
                        try Data(contentsOf: series.appendingPathComponent(issuer).appendingPathComponent(file)))
                    let result = try pipeline.check(bytes: bytes, name: "\(issuer)-\(file)")
                    try store.record(result: result, rulesHash: "r", reportStem: "\(issuer)-\(file)", reportPaths: [])
                    if issuer == "tonggang-zhujian" { shas[file] = result.report.document.sha256 }
                }
            }
            // A bulletin whose name and text try to inject markup.
            let hostile = "<script>alert(1)</script>关于巡察整改进展情况的通报\n反馈问题20个,已完成15个、3个正在整改、4个尚未整改。\n"
            let result = try pipeline.check(bytes: Array(hostile.utf8), name: "<img src=x onerror=alert(1)>.txt")
            try store.record(result: result, rulesHash: "r", reportStem: "hostile", reportPaths: [])
            tonggang = shas
        }

        deinit { try? FileManager.default.removeItem(at: folder) }

        func app() -> some ApplicationProtocol {
            var server = ReviewServer(
                store: store, reviewer: "审阅人", now: { Date(timeIntervalSince1970: 1_800_000_000) })
            server.rules = [
                ReviewServer.RuleDescription(
                    id: "done-not-falling", title: "已完成整改数不少于上期", kind: "progress", severity: "error",
                    set: "series-progress", basis: "对账销号")
            ]
            return Application(router: server.router())
        }
    }

    static func text(_ r: TestResponse) -> String { String(buffer: r.body) }

    /// The CSRF cookie a page set, as the browser sends it back.
    static func cookie(_ r: TestResponse) -> String? {
        guard let set = r.headers[.setCookie], let pair = set.split(separator: ";").first else { return nil }
        return String(pair)
    }

    static func form(_ fields: [(String, String)]) -> ByteBuffer {
        var c = URLComponents()
        c.queryItems = fields.map { URLQueryItem(name: $0.0, value: $0.1) }
        let body = (c.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return ByteBuffer(string: body)
    }

    @Test func theInboxListsEveryBulletinWithItsIssuerAndWorstSeverity() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { r in
                #expect(r.status == .ok)
                let html = Self.text(r)
                #expect(html.components(separatedBy: "<tr class=\"sev-").count - 1 == 6)
                #expect(html.contains("<p class=\"count\">6 bulletins"))
                #expect(
                    html.contains(
                        "<a href=\"/issuer/%E6%A1%90%E5%B2%97%E5%B8%82%E4%BD%8F%E6%88%BF%E5%92%8C%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE%E5%B1%80\">桐岗市住房和城乡建设局</a>"
                    ))
                // Escaped everywhere: the hostile name is text, never markup.
                #expect(!html.contains("<img src=x"))
                #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;.txt"))
                let policy = r.headers[.init("Content-Security-Policy")!] ?? ""
                #expect(policy.hasPrefix("default-src 'none'; style-src 'sha256-"))
                #expect(r.headers[.setCookie]?.contains("SameSite=Strict") == true)
                #expect(r.headers[.setCookie]?.contains("HttpOnly") == true)
            }
            // Filters: the worst severity, a search, an issuer, a date range.
            try await client.execute(uri: "/?severity=error", method: .get) { r in
                let html = Self.text(r)
                #expect(html.contains("tonggang-zhujian-2024-07-05.txt"))
                #expect(!html.contains("linshui-agri-2024-03-15.txt"))
            }
            try await client.execute(uri: "/?q=linshui", method: .get) { r in
                #expect(Self.text(r).contains("<p class=\"count\">2 bulletins"))
            }
            try await client.execute(
                uri:
                    "/?issuer=%E4%B8%B4%E6%B0%B4%E5%8E%BF%E5%86%9C%E4%B8%9A%E5%86%9C%E6%9D%91%E5%B1%80&from=2024-02-01",
                method: .get
            ) { r in
                #expect(Self.text(r).contains("<p class=\"count\">1 bulletin ·"))
            }
            try await client.execute(uri: "/export/inbox.csv?q=tonggang", method: .get) { r in
                let lines = Self.text(r).split(separator: "\r\n")
                #expect(lines.first == "published,bulletin,sha256,issuer,genre,worst,summary,decided")
                #expect(lines.count == 4)
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
            }
        }
    }

    @Test func aBulletinShowsItsFindingsAndATriageIsRecordedWithItsToken() async throws {
        let f = try Fixture()
        let sha = f.tonggang["2024-07-05.txt"]!
        let finding = StateStore.findingKey(
            rule: "done-not-falling", section: "",
            message: try f.store.latestOutcomes(sha256: sha).first { $0.rule == "done-not-falling" }!.message)
        try await f.app().test(.router) { client in
            let page = try await client.execute(uri: "/bulletin/\(sha)", method: .get)
            #expect(page.status == .ok)
            let html = Self.text(page)
            #expect(html.contains("<code>done-not-falling</code>"))
            #expect(
                html.contains("problems: done count fell to 26项 (line 7) from 29项 in tonggang-zhujian-2024-04-12.txt"))
            // Beside the bulletin before it in the series, with a link to it.
            #expect(html.contains("<h2>Compared with the previous bulletin</h2>"))
            #expect(
                html.contains(
                    "<a href=\"/bulletin/\(f.tonggang["2024-04-12.txt"]!)\">tonggang-zhujian-2024-04-12.txt</a> (2024-04-12)"
                ))
            #expect(html.contains("<tr><th>done</th><td>26项</td><td>29项</td></tr>"))
            let cookie = try #require(Self.cookie(page))
            let token = String(cookie.dropFirst("assay_csrf=".count))
            let fields = [
                ("csrf", token), ("rule", "done-not-falling"), ("section", ""), ("finding", finding),
                ("decision", "confirmed"), ("note", "已核实台账"),
            ]
            // Without the cookie, with another token, from another site: refused, nothing recorded.
            let noCookie = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: Self.form(fields))
            #expect(noCookie.status == .forbidden)
            let otherToken = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded",
                    .cookie: "assay_csrf=" + String(repeating: "0", count: 32),
                ],
                body: Self.form(fields))
            #expect(otherToken.status == .forbidden)
            let crossSite = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: cookie,
                    .init("Origin")!: "http://evil.example",
                ],
                body: Self.form(fields))
            #expect(crossSite.status == .forbidden)
            #expect(try f.store.triageTrail(sha256: sha).isEmpty)
            // With the page's token: recorded, and the page shows it.
            let ok = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie], body: Self.form(fields))
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/bulletin/\(sha)#f-\(finding)")
            let trail = try f.store.triageTrail(sha256: sha)
            #expect(
                trail.map { "\($0.rule) \($0.decision.rawValue) \($0.note) \($0.who) \($0.at)" } == [
                    "done-not-falling confirmed 已核实台账 审阅人 2027-01-15T08:00:00Z"
                ])
            let after = Self.text(
                try await client.execute(uri: "/bulletin/\(sha)", method: .get, headers: [.cookie: cookie]))
            #expect(after.contains("<p class=\"decision\">confirmed by 审阅人 at 2027-01-15T08:00:00Z: 已核实台账</p>"))
            // A waiver needs a reason and an expiry.
            var waive = fields
            waive[4] = ("decision", "waived")
            waive[5] = ("note", "")
            let noReason = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie], body: Self.form(waive))
            #expect(noReason.status == .badRequest)
            #expect(Self.text(noReason) == "a waiver needs a reason in the note")
            waive[5] = ("note", "口径调整")
            let waived = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: Self.form(waive + [("expires", "2027-06-30")]))
            #expect(waived.status == .seeOther)
            let export = Self.text(try await client.execute(uri: "/export/waivers.yml", method: .get))
            #expect(
                export.hasSuffix(
                    "waivers:\n  - rule: \"done-not-falling\"\n    document: \"tonggang-zhujian-2024-07-05.txt\"\n    reason: \"口径调整\"\n    approver: \"审阅人\"\n    expires: 2027-06-30\n"
                ))
            // The export is a waivers file the rules accept.
            let set = WaiverSet.parse(yaml: export, file: "waivers.yml")
            #expect(set.problems.isEmpty)
            #expect(set.waivers.count == 1)
            // A finding that is not in the report is refused.
            var stale = fields
            stale[3] = ("finding", "0123456789abcdef")
            let gone = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie], body: Self.form(stale))
            #expect(gone.status == .conflict)
        }
    }

    @Test func aDecisionSurvivesARecheckThatGivesTheSameFinding() async throws {
        let f = try Fixture()
        let sha = f.tonggang["2024-07-05.txt"]!
        let o = try f.store.latestOutcomes(sha256: sha).first { $0.rule == "done-not-falling" }!
        let key = StateStore.findingKey(rule: o.rule, section: o.section, message: o.message)
        try f.store.recordTriage(
            StateStore.Triage(
                sha256: sha, finding: key, rule: o.rule, section: o.section, decision: .falsePositive, note: "n",
                expires: nil, who: "a", at: "2027-01-01T00:00:00Z"))
        // The same bulletin checked again (another rules hash): the same finding, so the same decision.
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        var pipeline = Pipeline(ruleSets: sets)
        pipeline.history = f.store
        pipeline.language = .en
        let bytes = [UInt8](
            try Data(
                contentsOf: repoRoot.appendingPathComponent(
                    "Tests/AssayCoreTests/Fixtures/series/tonggang-zhujian/2024-07-05.txt")))
        let result = try pipeline.check(bytes: bytes, name: "tonggang-zhujian-2024-07-05.txt")
        try f.store.record(result: result, rulesHash: "r2", reportStem: "x", reportPaths: [])
        try await f.app().test(.router) { client in
            let html = Self.text(try await client.execute(uri: "/bulletin/\(sha)", method: .get))
            #expect(html.contains("<p class=\"decision\">false-positive by a at 2027-01-01T00:00:00Z: n</p>"))
        }
    }

    @Test func anIssuerPageShowsTheSeriesAndItsTrend() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            let r = try await client.execute(
                uri:
                    "/issuer/%E6%A1%90%E5%B2%97%E5%B8%82%E4%BD%8F%E6%88%BF%E5%92%8C%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE%E5%B1%80",
                method: .get)
            #expect(r.status == .ok)
            let html = Self.text(r)
            #expect(
                html.contains(
                    "<p>3 bulletins · <a href=\"/issuer/%E6%A1%90%E5%B2%97%E5%B8%82%E4%BD%8F%E6%88%BF%E5%92%8C%E5%9F%8E%E4%B9%A1%E5%BB%BA%E8%AE%BE%E5%B1%80/series.csv\">CSV</a>"
                ))
            #expect(html.contains("<svg class=\"trend\""))
            #expect(
                html.contains(
                    "<td>2024-04-12</td><td><a href=\"/bulletin/\(f.tonggang["2024-04-12.txt"]!)\">tonggang-zhujian-2024-04-12.txt</a></td><td>第3轮巡察</td><td>36项</td><td>29项</td><td>80.56%</td>"
                ))
            let missing = try await client.execute(uri: "/issuer/nobody", method: .get)
            #expect(missing.status == .notFound)
            let badSha = try await client.execute(uri: "/bulletin/../../etc/passwd", method: .get)
            #expect(badSha.status == .notFound)
        }
    }

    @Test func anOversizedFormIsRefused() async throws {
        let f = try Fixture()
        let sha = f.tonggang["2024-07-05.txt"]!
        try await f.app().test(.router) { client in
            let page = try await client.execute(uri: "/bulletin/\(sha)", method: .get)
            let cookie = try #require(Self.cookie(page))
            let r = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: ByteBuffer(string: "note=" + String(repeating: "a", count: 20_000)))
            #expect(r.status == .contentTooLarge)
        }
    }

    @Test func onlyLoopbackIsServed() async {
        let store = try! StateStore(
            folder: FileManager.default.temporaryDirectory.appendingPathComponent("assay-rv-\(UUID().uuidString)").path)
        do {
            try await ReviewServer(store: store).run(host: "0.0.0.0", port: 18099)
            Issue.record("expected a refusal")
        } catch {
            #expect("\(error)".hasPrefix("serving on 0.0.0.0 would show the store to the network without a login"))
        }
    }

    @Test func theRulesPageCountsEachRulesOutcomesNoisiestFirst() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            let r = try await client.execute(uri: "/rules", method: .get)
            #expect(r.status == .ok)
            let html = Self.text(r)
            // done-not-falling: five bulletins of two series; it fails once (tonggang 2024-07-05), passes on
            // the later ones, is not applicable on the first of each series, and missing on the hostile one
            // (no issuer).
            #expect(
                html.contains(
                    "<tr><td><code>done-not-falling</code></td><td>已完成整改数不少于上期 <span class=\"meta\">(progress, error, series-progress)</span><br><span class=\"meta\">对账销号</span></td><td>2</td><td>1</td><td>1</td><td>0</td><td>0</td><td>2</td></tr>"
                ))
            #expect(
                html.contains(
                    "<tr><td><code>status-counts-sum</code></td><td><span class=\"meta\">not among the rules loaded</span></td>"
                ))
        }
    }

    /// A multipart form with the token and a file.
    static func multipart(token: String?, filename: String, content: [UInt8]) -> (ByteBuffer, String) {
        let boundary = "----assay-test-boundary"
        var body = [UInt8]()
        if let token {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(token)\r\n".utf8)
        }
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/plain\r\n\r\n"
                .utf8)
        body += content + Array("\r\n--\(boundary)--\r\n".utf8)
        return (ByteBuffer(bytes: body), "multipart/form-data; boundary=\(boundary)")
    }

    @Test func aSubmittedBulletinGoesIntoTheInboxAndIsFollowedToItsReport() async throws {
        let f = try Fixture()
        let inbox = f.folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        var server = ReviewServer(store: f.store, reviewer: "r")
        server.inbox = inbox.path
        server.maxUpload = 1000
        let app = Application(router: server.router())
        let bulletin = Array("某局巡察整改进展情况\n反馈问题20个,已完成18个。\n".utf8)
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/submit", method: .get)
            #expect(Self.text(page).contains("enctype=\"multipart/form-data\""))
            let cookie = try #require(Self.cookie(page))
            let token = String(cookie.dropFirst("assay_csrf=".count))
            // No token: refused, nothing written.
            let (noToken, type1) = Self.multipart(token: nil, filename: "a.txt", content: bulletin)
            let refused = try await client.execute(
                uri: "/submit", method: .post, headers: [.contentType: type1, .cookie: cookie], body: noToken)
            #expect(refused.status == .badRequest)
            let (wrong, type2) = Self.multipart(
                token: String(repeating: "1", count: 32), filename: "a.txt", content: bulletin)
            let forbidden = try await client.execute(
                uri: "/submit", method: .post, headers: [.contentType: type2, .cookie: cookie], body: wrong)
            #expect(forbidden.status == .forbidden)
            // Too large for the inbox's limit.
            let (big, type3) = Self.multipart(
                token: token, filename: "big.txt", content: [UInt8](repeating: 0x41, count: 5000))
            let tooLarge = try await client.execute(
                uri: "/submit", method: .post, headers: [.contentType: type3, .cookie: cookie], body: big)
            #expect(tooLarge.status == .contentTooLarge)
            #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).isEmpty)
            // A picture, a zip that is no Word or OFD file, and text named as a PDF: refused by type.
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
            let zip: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18)
            for (filename, content, reason) in [
                ("scan.png", png, "binary content (NUL byte at byte 8); expected a text bulletin"),
                ("notes.zip", zip, "the file is a zip archive that cannot be read (corrupt or truncated)"),
                (
                    "report.pdf", bulletin,
                    "the file is named .pdf but its content is text; rename it to match what it holds"
                ),
            ] {
                let (body, type) = Self.multipart(token: token, filename: filename, content: content)
                let r = try await client.execute(
                    uri: "/submit", method: .post, headers: [.contentType: type, .cookie: cookie], body: body)
                #expect(r.status == .unsupportedMediaType, "\(filename)")
                #expect(
                    Self.text(r)
                        == "not a bulletin Assay reads (text, a web page, Word (.docx), PDF or OFD): \(reason)",
                    "\(filename)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path).isEmpty)
            // A name that climbs out of the inbox stays in it, its last component only.
            let (good, type4) = Self.multipart(token: token, filename: "../../etc/进展.txt", content: bulletin)
            let ok = try await client.execute(
                uri: "/submit", method: .post, headers: [.contentType: type4, .cookie: cookie], body: good)
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/submitted/%E8%BF%9B%E5%B1%95.txt")
            #expect(try FileManager.default.contentsOfDirectory(atPath: inbox.path) == ["进展.txt"])
            #expect(FileManager.default.contents(atPath: inbox.appendingPathComponent("进展.txt").path) == Data(bulletin))
            // The same name again gets a number.
            let again = try await client.execute(
                uri: "/submit", method: .post, headers: [.contentType: type4, .cookie: cookie], body: good)
            #expect(again.headers[.location] == "/submitted/%E8%BF%9B%E5%B1%95-2.txt")
            // Not yet checked: the page waits and reloads itself.
            let waiting = Self.text(try await client.execute(uri: "/submitted/%E8%BF%9B%E5%B1%95.txt", method: .get))
            #expect(waiting.contains("<meta http-equiv=\"refresh\" content=\"2\">"))
            // Once the store has it, the page links to its findings.
            let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
            let result = try Pipeline(ruleSets: sets).check(bytes: bulletin, name: "进展.txt")
            try f.store.record(result: result, rulesHash: "r", reportStem: "进展", reportPaths: [])
            let checked = Self.text(try await client.execute(uri: "/submitted/%E8%BF%9B%E5%B1%95.txt", method: .get))
            #expect(
                checked.contains(
                    "<p>Checked. <a href=\"/bulletin/\(result.report.document.sha256)\">Its findings</a>.</p>"))
        }
    }
}
