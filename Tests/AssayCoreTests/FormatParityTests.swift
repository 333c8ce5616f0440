import AssayTestSupport
import Foundation
import Testing

@testable import AssayFormats
@testable import AssayRules
@testable import AssayValues

/// The outcomes of a check as compared between formats: rule, status, section, message and values.
func shownOutcomes(_ r: Pipeline.Result) -> [String] {
    r.report.outcomes.map { "\($0.ruleID) \($0.status.rawValue) \($0.section) \($0.message) \($0.values)" }
}

/// `text` with each line number it cites (第 18 行) moved by `shift`.
func shiftedLines(_ text: String, by shift: Int) -> String {
    guard shift != 0 else { return text }
    return text.replacing(/第 (\d+) 行/) { m in "第 \(Int(m.output.1)! + shift) 行" }
}

/// The tallies of a check as compared between formats: subject, then each member's role and value.
func shownTallies(_ r: Pipeline.Result) -> [String] {
    r.extraction.tallies.map { t in
        "\(t.subject) "
            + t.members.map { "\($0.role.map { "\($0)" } ?? "-") \(r.extraction.facts[$0.fact].value)" }
            .joined(separator: ", ")
    }
}

/// The sample bulletin in every format Assay reads (fixtures written by scripts/fixtures/make-*.py) gives
/// the same findings, tallies and facts as the text: a format changes where the figures are, never what
/// is found.
@Suite struct FormatParityTests {
    @Test(arguments: ["sample.html", "sample.docx", "sample.pdf", "sample.ofd"])
    func theSampleGivesTheSameFindingsInEveryFormat(_ name: String) throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        let pipeline = Pipeline(ruleSets: sets)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let text = try pipeline.check(bytes: sampleBytes(), name: "sample.txt", now: now)
        let other = try pipeline.check(bytes: try formatFixture(name), name: name, now: now)
        #expect(other.report.outcomes.count == 19)
        // The page puts its title and metadata line above the bulletin's lines: two lines more before each.
        let shift = name.hasSuffix(".html") ? 2 : 0
        #expect(shownOutcomes(other) == shownOutcomes(text).map { shiftedLines($0, by: shift) })
        #expect(!shownTallies(text).isEmpty)
        #expect(shownTallies(other) == shownTallies(text))
        #expect(other.report.document.published == "2021-01-05")
        // The same figures, in the same order (the page's metadata line adds its publication date).
        func figures(_ r: Pipeline.Result) -> [String] {
            r.extraction.facts.filter { $0.kind != .date }.map { "\($0.kind) \($0.text) \($0.label ?? "-")" }
        }
        #expect(figures(other) == figures(text))
    }

    /// The page's script, style, related links and footer hold figures; none of them is a fact.
    @Test func thePagesFurnitureGivesNoFacts() throws {
        let result = try Pipeline(ruleSets: []).check(bytes: try formatFixture("sample.html"), name: "sample.html")
        let texts = Set(result.extraction.facts.map(\.text))
        for furniture in ["12%", "100%", "90%", "85%", "5000000001"] { #expect(!texts.contains(furniture)) }
        #expect(result.report.document.publishedSource == "metadata")
        let lines = try HTMLText.text(of: try formatFixture("sample.html")).split(separator: "\n").prefix(3)
        #expect(
            lines == [
                "市生态环境局、市城市管理局、市审计局、市政府外办巡视整改进展情况", "发布日期：2021-01-05　来源：市委巡视办　字号：大 中 小",
                "今(5)日,风正巴渝发布市生态环境局、市城市管理局、市审计局、市政府外办的巡视整改进展情况。",
            ])
    }
}
