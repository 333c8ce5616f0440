import AssayTestSupport
import Foundation
import Testing

@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The rule language v2 worked example: an audit office's rule set for 审计查出问题整改情况报告 and an
/// overlay re-grading a bundled rule (Fixtures/audit-office/), on bulletins the team wrote, each with the
/// outcomes it must give and must not give.
@Suite struct AuditOfficeFixtureTests {
    static let folder = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/audit-office")
    static let sets = try! RuleLoader(bundledDirectory: repoRoot.appendingPathComponent("Rules").path).load(paths: [
        folder.appendingPathComponent("audit-office.yml").path, folder.appendingPathComponent("overlay.yml").path,
    ])
    static let expectFiles: [String] =
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("tests").path)) ?? [])
        .filter { $0.hasSuffix(".expect.yml") }.sorted()

    @Test func theSetsLoadWithTheBundledRuleRegraded() throws {
        #expect(Self.sets.map(\.name) == ["audit-office", "audit-rectification"])
        #expect(Self.sets[1].adjustedBy?.hasSuffix("overlay.yml") == true)
        #expect(Self.sets[1].rules.first { $0.id == "audit-next-steps" }?.severity == .error)
        #expect(Self.expectFiles.count == 4)
    }

    @Test(arguments: expectFiles)
    func bulletin(_ expectFile: String) {
        let r = RuleTestRunner(ruleSets: Self.sets).runFixture(
            expectPath: Self.folder.appendingPathComponent("tests").appendingPathComponent(expectFile).path)
        #expect(r.failed == 0, "\(r.lines.joined(separator: "\n"))")
        #expect(r.passed > 0)
    }
}
