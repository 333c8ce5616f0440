import Foundation
import Testing
@testable import AssayValues
@testable import AssayExtraction
@testable import AssayRules
@testable import AssayRenderers
@testable import AssayEdge
@testable import AssayTooling

/// The sample's canonical JSON report, compared byte for byte with `Samples/…findings.json`
/// after normalising the check time. `ASSAY_UPDATE_GOLDEN=1 swift test` rewrites the golden file.
@Suite struct GoldenReportTests {
    static func normalised(_ json: String) -> String {
        json.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("  \"checked_at\": ") ? "  \"checked_at\": \"<normalised>\"," : String(line)
        }.joined(separator: "\n")
    }

    @Test func sampleReportMatchesTheGoldenFile() throws {
        let sets = try RuleLoader(displayName: { ($0 as NSString).lastPathComponent }).load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let result = try Pipeline(ruleSets: sets).check(bytes: sampleBytes(), name: "chongqing-2021-01-05-xunshi-progress.txt",
                                                       now: Date(timeIntervalSince1970: 1_800_000_000))
        let json = Self.normalised(JSONRenderer().render(result.report, document: result.document, ruleSets: sets))
        let golden = repoRoot.appendingPathComponent("Samples/chongqing-2021-01-05-xunshi-progress.findings.json")
        if ProcessInfo.processInfo.environment["ASSAY_UPDATE_GOLDEN"] == "1" {
            try json.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(json == expected)
    }

    @Test func twoChecksDifferOnlyInCheckTime() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let p = Pipeline(ruleSets: sets)
        let a = JSONRenderer().render(try p.check(bytes: sampleBytes(), name: "s.txt", now: Date(timeIntervalSince1970: 0)).report, document: nil, ruleSets: sets)
        let b = JSONRenderer().render(try p.check(bytes: sampleBytes(), name: "s.txt", now: Date(timeIntervalSince1970: 99)).report, document: nil, ruleSets: sets)
        #expect(a != b)
        #expect(Self.normalised(a) == Self.normalised(b))
    }
}
