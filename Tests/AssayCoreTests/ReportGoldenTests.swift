import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Every format of the sample's report against its golden file (ASSAY_UPDATE_GOLDEN=1 rewrites them).
@Suite("Report golden files")
struct ReportGoldenTests {
    @Test("sample report matches its golden file", arguments: ReportFormat.allCases)
    func golden(format: ReportFormat) throws {
        let text = try ReportFixtures.render(format)
        try ReportFixtures.expectGolden(text, "sample.findings.\(format.fileExtension)")
    }

    @Test("every format renders every rule of the sample")
    func everyRuleAppears() throws {
        let (result, sets) = try ReportFixtures.sample()
        let problems = result.report.outcomes.filter { $0.status != .pass }.map(\.ruleID)
        for format in [ReportFormat.markdown, .html, .sarif] {
            let text = format.renderer.render(result.report, document: result.document, ruleSets: sets)
            for id in problems { #expect(text.contains(id), "\(format) misses \(id)") }
        }
    }
}
