import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The sample's canonical JSON report, checked with the rule files of `Rules/` (not the bundled copies),
/// compared byte for byte with the one golden copy, `Fixtures/reports/sample.findings.json` (shared with
/// `ReportGoldenTests`), at the golden's check time and version. `ASSAY_UPDATE_GOLDEN=1 swift test`
/// rewrites the golden file.
@Suite struct GoldenReportTests {
    static func normalised(_ json: String) -> String {
        json.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("  \"checked_at\": ") ? "  \"checked_at\": \"<normalised>\"," : String(line)
        }.joined(separator: "\n")
    }

    @Test func sampleReportMatchesTheGoldenFile() throws {
        let sets = try RuleLoader(displayName: { ($0 as NSString).lastPathComponent }).load(paths: [
            repoRoot.appendingPathComponent("Rules").path
        ])
        var result = try Pipeline(ruleSets: sets).check(
            bytes: sampleBytes(), name: "chongqing-2021-01-05-xunshi-progress.txt",
            now: ReportFixtures.checkTime)
        result.report.assayVersion = ReportFixtures.version
        let json = JSONRenderer().render(result.report, document: result.document, ruleSets: sets)
        try ReportFixtures.expectGolden(json, "sample.findings.json")
    }

    @Test func twoChecksDifferOnlyInCheckTime() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let p = Pipeline(ruleSets: sets)
        let a = JSONRenderer().render(
            try p.check(bytes: sampleBytes(), name: "s.txt", now: Date(timeIntervalSince1970: 0)).report, document: nil,
            ruleSets: sets)
        let b = JSONRenderer().render(
            try p.check(bytes: sampleBytes(), name: "s.txt", now: Date(timeIntervalSince1970: 99)).report,
            document: nil, ruleSets: sets)
        #expect(a != b)
        #expect(Self.normalised(a) == Self.normalised(b))
    }
}
