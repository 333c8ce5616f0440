import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The canonical JSON report and the SARIF log validated against their JSON Schemas, and JSON stability.
@Suite("Report schemas and stability")
struct ReportSchemaTests {
    @Test("JSON report of the sample validates against Rules/schema/assay-report.schema.json")
    func jsonReportValidates() throws {
        let json = try ReportFixtures.render(.json)
        #expect(try ReportFixtures.schemaViolation(instance: json, schema: ReportFixtures.reportSchema) == nil)
    }

    @Test("the report schema rejects a report with an unknown status")
    func reportSchemaRejects() throws {
        let json = try ReportFixtures.render(.json)
        let broken = json.replacingOccurrences(of: "\"status\": \"missing\"", with: "\"status\": \"maybe\"")
        #expect(broken != json)
        #expect(try ReportFixtures.schemaViolation(instance: broken, schema: ReportFixtures.reportSchema) != nil)
    }

    @Test("SARIF of the sample validates against the official SARIF 2.1.0 schema")
    func sarifValidates() throws {
        let sarif = try ReportFixtures.render(.sarif)
        #expect(try ReportFixtures.schemaViolation(instance: sarif, schema: ReportFixtures.sarifSchema) == nil)
    }

    @Test("SARIF of a waived outcome with a multi-line span validates")
    func sarifWaivedValidates() throws {
        let (document, report) = ReportEscapingTests.hostile()
        var r = report
        r.outcomes.append(
            Outcome(
                ruleID: "r2", title: "t", kind: "threshold", severity: .info, status: .waived,
                message: "m",
                evidence: [
                    Evidence(
                        role: "actual", text: "x", sentence: "x", section: [],
                        span: document.span(0..<60))
                ],
                waiver: "approved by 张三"))
        let sarif = SARIFRenderer().render(r, document: document, ruleSets: [])
        #expect(try ReportFixtures.schemaViolation(instance: sarif, schema: ReportFixtures.sarifSchema) == nil)
    }

    @Test("two checks of the same input give byte-identical JSON except checked_at")
    func jsonStable() throws {
        let a = try ReportFixtures.sample(now: ReportFixtures.checkTime)
        let b = try ReportFixtures.sample(now: ReportFixtures.checkTime.addingTimeInterval(3_723))
        let ja = JSONRenderer().render(a.result.report, document: a.result.document, ruleSets: a.ruleSets)
        let jb = JSONRenderer().render(b.result.report, document: b.result.document, ruleSets: b.ruleSets)
        #expect(ja != jb)
        let strip = { (s: String) in
            s.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("  \"checked_at\": ") }
        }
        #expect(strip(ja) == strip(jb))
        #expect(ja.contains("\"checked_at\": \"2021-01-06T00:00:00Z\""))
        #expect(jb.contains("\"checked_at\": \"2021-01-06T01:02:03Z\""))
    }

    @Test("every format is deterministic for one check")
    func renderersDeterministic() throws {
        let (result, sets) = try ReportFixtures.sample()
        for format in ReportFormat.allCases {
            let one = format.renderer.render(result.report, document: result.document, ruleSets: sets)
            let two = format.renderer.render(result.report, document: result.document, ruleSets: sets)
            #expect(one == two, "\(format)")
        }
    }

    @Test("JSON report keys come in the documented order")
    func jsonKeyOrder() throws {
        let value = try JSONValue.parse(try ReportFixtures.render(.json))
        guard case .object(let pairs) = value else { Issue.record("not an object"); return }
        #expect(
            pairs.map(\.0) == ["schema", "assay_version", "checked_at", "document", "rulesets", "summary", "outcomes"])
        #expect(value["schema"] == .string("assay.report/1"))
    }
}
