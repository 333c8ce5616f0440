import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayValues

/// Reports of a bulletin compared with earlier ones (issue 15): the issuer, the bulletin compared with and
/// each tally's trend, in every format; the JSON validates against the report schema.
@Suite struct SeriesReportTests {
    /// Earlier bulletins given as they are, as a store would give them.
    struct Earlier: BulletinHistory {
        var snapshots: [BulletinSnapshot]
        func earlier(than snapshot: BulletinSnapshot) throws -> [BulletinSnapshot] { snapshots }
    }

    static func report() throws -> Report {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        var pipeline = Pipeline(ruleSets: sets)
        pipeline.language = .en
        let dir = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/series/tonggang-zhujian")
        func bytes(_ file: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: dir.appendingPathComponent(file))) }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var earlier = [BulletinSnapshot]()
        for file in ["2024-01-19.txt", "2024-04-12.txt"] {
            earlier.append(try pipeline.check(bytes: try bytes(file), name: file, now: now).snapshot)
        }
        pipeline.history = Earlier(snapshots: earlier)
        return try pipeline.check(bytes: try bytes("2024-07-05.txt"), name: "2024-07-05.txt", now: now).report
    }

    @Test func theReportShowsTheIssuerThePreviousBulletinAndTheTrend() throws {
        let report = try Self.report()
        #expect(report.document.previous?.name == "2024-04-12.txt")
        #expect(report.trends.map(\.tally) == ["problems"])
        #expect(report.trends.first?.points.map(\.bulletin) == ["2024-01-19.txt", "2024-04-12.txt", "2024-07-05.txt"])
        #expect(report.trends.first?.points.map(\.done) == [17, 29, 26])
        #expect(
            report.trends.first?.points.map(\.rate) == [
                Decimal(string: "47.22"), Decimal(string: "80.56"), Decimal(string: "72.22"),
            ])
        let text = TextRenderer().render(report, document: nil, ruleSets: [])
        #expect(
            text.split(separator: "\n")[1]
                == "issuer 桐岗市住房和城乡建设局 (from title, as 中共桐岗市住房和城乡建设局党组), series 第3轮巡察, fed back 2023-11-10; compared with 2024-04-12.txt (published 2024-04-12)"
        )
        let html = HTMLRenderer().render(report, document: nil, ruleSets: [])
        #expect(html.contains("<svg class=\"trend\" role=\"img\" viewBox=\"0 0 240 64\""))
        #expect(
            html.contains("<tr><td>2024-04-12.txt</td><td>2024-04-12</td><td>36</td><td>29</td><td>80.56%</td></tr>"))
        #expect(html.contains("<dt>Compared with</dt><dd>2024-04-12.txt (published 2024-04-12)</dd>"))
        let markdown = MarkdownRenderer().render(report, document: nil, ruleSets: [])
        #expect(markdown.contains("| Compared with | 2024-04-12.txt (published 2024-04-12) |"))
    }

    @Test func theJSONReportWithIssuerPreviousAndTrendsValidates() throws {
        let json = JSONRenderer().render(try Self.report(), document: nil, ruleSets: [])
        #expect(try ReportFixtures.schemaViolation(instance: json, schema: ReportFixtures.reportSchema) == nil)
        let value = try JSONValue.parse(json)
        #expect(value["document"]?["previous"]?["name"] == .string("2024-04-12.txt"))
        #expect(value["trends"]?.rendered(pretty: false).contains("\"done\":26") == true)
        // A trend with one point is refused by the schema (a trend needs an earlier bulletin).
        let broken = json.replacingOccurrences(of: "\"tally\": \"problems\",", with: "\"tally\": 7,")
        #expect(broken != json)
        #expect(try ReportFixtures.schemaViolation(instance: broken, schema: ReportFixtures.reportSchema) != nil)
    }
}
