import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The development corpus: bulletins written by the team in its own words (巡视/巡察 progress bulletins,
/// audit-rectification reports, English recommendation trackers), each with the outcomes the bundled
/// rules must give (`expect:`) and the false alarms they must not raise (`absent:`).
@Suite struct CorpusTests {
    static let folder = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/corpus")
    static let sets = try! RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
    static let expectFiles: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".expect.yml") }.sorted()

    @Test(arguments: expectFiles)
    func bulletin(_ expectFile: String) {
        let r = RuleTestRunner(ruleSets: Self.sets).runFixture(
            expectPath: Self.folder.appendingPathComponent(expectFile).path)
        #expect(r.failed == 0, "\(r.lines.joined(separator: "\n"))")
        #expect(r.passed > 0)
    }

    /// The corpus spans what the issue asks: at least 40 bulletins, 10 audit reports, 5 English trackers,
    /// and 10 with genuine errors that must be flagged (an expected `fail`).
    @Test func corpusSpansTheShapes() throws {
        let names = Self.expectFiles
        #expect(names.count >= 40)
        #expect(names.filter { $0.hasPrefix("au-") }.count >= 10)
        #expect(names.filter { $0.hasPrefix("en-") || $0.hasPrefix("ex-") }.count >= 5)
        var withErrors = 0
        for n in names {
            let text = try String(contentsOf: Self.folder.appendingPathComponent(n), encoding: .utf8)
            let expectPart = text.components(separatedBy: "\nabsent:").first ?? text
            if expectPart.contains("status: fail") { withErrors += 1 }
            #expect(text.contains("absent:"), "\(n) lists no false alarms to rule out")
        }
        #expect(withErrors >= 10)
    }
}
