import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Structure of the Markdown, HTML and SARIF renderings beyond the golden files: links resolve both
/// ways, regions are exact, passes come last.
@Suite("Report renderers")
struct ReportRendererTests {
    static func ids(_ html: String, _ pattern: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = html as NSString
        return Set(
            regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map {
                ns.substring(with: $0.range(at: 1))
            })
    }

    @Test("HTML: every evidence span is a mark, and links resolve both ways")
    func htmlLinks() throws {
        let (result, sets) = try ReportFixtures.sample()
        let (document, hostileReport) = ReportEscapingTests.hostile()
        for (report, doc) in [(result.report, result.document), (hostileReport, document)] {
            let html = HTMLRenderer().render(report, document: doc, ruleSets: sets)
            let anchors = Self.ids(html, #"id="([^"]+)""#)
            let targets = Self.ids(html, ##"href="#([^"]+)""##)
            #expect(targets.isSubset(of: anchors), "dangling: \(targets.subtracting(anchors).sorted())")
            let evidenceCount = report.outcomes.reduce(0) { $0 + $1.evidence.count }
            let markIDs = anchors.filter { $0.hasPrefix("ev-") }
            #expect(markIDs.count == evidenceCount)
            // Outcome → span and span → outcome for every evidence.
            for (i, o) in report.outcomes.enumerated() {
                #expect(anchors.contains("o-\(i)"))
                for k in o.evidence.indices {
                    #expect(targets.contains("ev-\(i)-\(k)"))
                    #expect(anchors.contains("ev-\(i)-\(k)"))
                }
                if !o.evidence.isEmpty { #expect(targets.contains("o-\(i)")) }
            }
        }
    }

    @Test("HTML without the document (a stored report): no bulletin column and no dangling links")
    func htmlWithoutDocument() throws {
        let (result, sets) = try ReportFixtures.sample()
        let html = HTMLRenderer().render(result.report, document: nil, ruleSets: sets)
        #expect(!html.contains("class=\"bulletin\""))
        #expect(!html.contains("href=\"#ev-"))
        let anchors = Self.ids(html, #"id="([^"]+)""#)
        #expect(Self.ids(html, ##"href="#([^"]+)""##).isSubset(of: anchors))
    }

    @Test("HTML: self-contained — no external resources")
    func htmlSelfContained() throws {
        let html = try ReportFixtures.render(.html)
        for forbidden in ["src=", "<link", "@import", "url(", "http://", "https://"] {
            #expect(!html.contains(forbidden), "\(forbidden)")
        }
        #expect(html.contains("@media print"))
        #expect(html.contains("<form class=\"filters\">"))
    }

    @Test(
        "HTML: overlapping spans are cut into pieces, each linked (other outcomes by a small link), the mark id on the first piece"
    )
    func htmlOverlap() {
        let text = "整改率达79%。\n"
        let decoded = DecodedText(
            string: text, encoding: .utf8, sha256: SHA256.hex(Array(text.utf8)), byteCount: text.utf8.count)
        let document = Document(name: "o.txt", decoded: decoded)
        let a = Outcome(
            ruleID: "a", title: "A", kind: "threshold", severity: .warning, status: .fail, message: "ma",
            evidence: [
                Evidence(role: "actual", text: "整改率达79%", sentence: text, section: [], span: document.span(0..<7))
            ])
        let b = Outcome(
            ruleID: "b", title: "B", kind: "threshold", severity: .error, status: .fail, message: "mb",
            evidence: [Evidence(role: "actual", text: "79%", sentence: text, section: [], span: document.span(4..<7))])
        let report = Report(
            checkedAt: "2021-01-06T00:00:00Z",
            document: .init(
                name: "o.txt", sha256: decoded.sha256, size: decoded.byteCount, encoding: "utf-8",
                published: nil, asOf: nil, lines: 1),
            ruleSets: [], outcomes: [a, b])
        let html = HTMLRenderer().render(report, document: document, ruleSets: [])
        #expect(
            html.contains(
                "<div class=\"line\" id=\"L1\"><span class=\"ln\">1</span><span class=\"lt\">"
                    + "<mark id=\"ev-0-0\" class=\"sev-warning\" data-outcomes=\"o-0\"><a href=\"#o-0\" title=\"a: ma\">整改率达</a></mark>"
                    + "<mark id=\"ev-1-0\" class=\"sev-error\" data-outcomes=\"o-0 o-1\"><a href=\"#o-0\" title=\"a: ma\">79%</a>"
                    + "<a class=\"also\" href=\"#o-1\" title=\"b: mb\">◦</a></mark>"
                    + "。</span></div>"))
    }

    @Test("Markdown: summary first, problems grouped by section then severity, passes last")
    func markdownOrder() throws {
        let md = try ReportFixtures.render(.markdown)
        let summary = try #require(md.range(of: "## Summary"))
        let findings = try #require(md.range(of: "## Findings"))
        let passed = try #require(md.range(of: "## Passed ("))
        #expect(summary.lowerBound < findings.lowerBound && findings.lowerBound < passed.lowerBound)
        #expect(!md[passed.upperBound...].contains("## "))
        #expect(md.contains("| Severity | fail | missing | error | waived | pass |"))
        // Within a section, no lower severity heading comes before a higher one.
        for group in md.components(separatedBy: "\n### ").dropFirst() {
            let order = ["#### error", "#### warning", "#### info"].compactMap { group.range(of: $0)?.lowerBound }
            #expect(order == order.sorted())
        }
    }

    @Test("Markdown: an outcome shows its quoted evidence and place")
    func markdownEvidence() {
        let (document, report) = ReportEscapingTests.hostile()
        let md = MarkdownRenderer().render(report, document: document, ruleSets: [])
        #expect(
            md.contains(
                "- **FAIL** `no-markup` \\<b\\>title\\</b\\> — \"\\>\\<img src=x onerror=alert(1)\\>.txt:1:6  \n"))
        #expect(md.contains("  - found “\\<script\\>alert(1)\\</script\\>” at line 1, column 6 [市审计局]\n"))
    }

    @Test("SARIF: driver rules from the rule sets, results for non-passes, exact regions")
    func sarifStructure() throws {
        let (result, sets) = try ReportFixtures.sample()
        let log = SARIFRenderer.log(result.report, document: result.document, ruleSets: sets)
        #expect(log.version == "2.1.0")
        let run = try #require(log.runs.first)
        #expect(run.columnKind == "unicodeCodePoints")
        #expect(run.tool.driver.name == "assay")
        #expect(run.tool.driver.rules.count == sets.reduce(0) { $0 + $1.rules.count })
        let rule = try #require(sets.flatMap(\.rules).first)
        let descriptor = try #require(run.tool.driver.rules.first { $0.id == rule.id })
        #expect(descriptor.shortDescription.text == rule.title)
        #expect(descriptor.defaultConfiguration.level == SARIFRenderer.level(rule.severity))
        #expect(run.results.count == result.report.outcomes.filter { $0.status != .pass }.count)
        for r in run.results { #expect(run.tool.driver.rules[r.ruleIndex].id == r.ruleId) }

        let (document, hostile) = ReportEscapingTests.hostile()
        let hostileLog = SARIFRenderer.log(hostile, document: document, ruleSets: [])
        let region = try #require(hostileLog.runs[0].results[0].locations?[0].physicalLocation.region)
        #expect((region.startLine, region.startColumn, region.endLine, region.endColumn) == (1, 6, 1, 31))
        #expect((region.charOffset, region.charLength) == (5, 25))
        // A span across a line break ends on the next line.
        let across = SARIFRenderer.region(document.span(5..<35), document: document)
        #expect((across.endLine, across.endColumn) == (2, 5))
    }

    static func keys(_ v: JSONValue?) -> [String] {
        if case .object(let pairs)? = v { return pairs.map(\.0) }
        return []
    }

    static func first(_ v: JSONValue?, _ key: String) -> JSONValue? {
        if case .array(let items)? = v?[key] { return items.first }
        return nil
    }

    @Test("SARIF: keys in the documented order (docs/reports.md), absent optionals left out")
    func sarifKeyOrder() throws {
        let (result, sets) = try ReportFixtures.sample()
        let log = try JSONValue.parse(SARIFRenderer().render(result.report, document: result.document, ruleSets: sets))
        #expect(Self.keys(log) == ["$schema", "version", "runs"])
        let run = Self.first(log, "runs")
        #expect(Self.keys(run) == ["tool", "invocations", "artifacts", "results", "columnKind", "properties"])
        #expect(
            Self.keys(run?["tool"]?["driver"]) == ["name", "version", "semanticVersion", "informationUri", "rules"])
        #expect(
            Self.keys(Self.first(run?["tool"]?["driver"], "rules"))
                == ["id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration", "properties"])
        #expect(Self.keys(Self.first(run, "invocations")) == ["executionSuccessful", "endTimeUtc"])
        let artifact = Self.first(run, "artifacts")
        #expect(Self.keys(artifact) == ["location", "length", "encoding", "hashes"])
        #expect(Self.keys(artifact?["location"]) == ["uri"])
        #expect(Self.keys(run?["properties"]) == ["assayReportSchema", "published", "asOf", "rulesets"])
        #expect(Self.keys(Self.first(run?["properties"], "rulesets")) == ["name", "version", "sha256"])
        guard case .array(let results)? = run?["results"] else { Issue.record("no results"); return }
        let located = try #require(results.first { $0["locations"] != nil })
        #expect(Self.keys(located) == ["ruleId", "ruleIndex", "kind", "level", "message", "locations", "properties"])
        let location = Self.first(located, "locations")
        #expect(Self.keys(location) == ["physicalLocation", "message"])
        #expect(Self.keys(location?["physicalLocation"]) == ["artifactLocation", "region"])
        #expect(Self.keys(location?["physicalLocation"]?["artifactLocation"]) == ["uri", "index"])
        #expect(
            Self.keys(location?["physicalLocation"]?["region"])
                == ["startLine", "startColumn", "endLine", "endColumn", "charOffset", "charLength"])
        #expect(Self.keys(located["properties"]).starts(with: ["status", "section"]))
        // No key is written as null: an absent optional is left out.
        #expect(!SARIFRenderer().render(result.report, document: result.document, ruleSets: sets).contains(": null"))
    }

    @Test("SARIF: a waived outcome's suppression comes after its locations, before its properties")
    func sarifWaivedKeyOrder() throws {
        let log = SARIFLog(schema: "s", version: "2.1.0", runs: [])
        let result = SARIFLog.Result(
            ruleId: "r", ruleIndex: 0, kind: "fail", level: .warning, message: .init(text: "m"),
            locations: nil, suppressions: [.init(kind: "external", justification: "w")],
            properties: .init(status: "waived", section: [], values: [("b", "2"), ("a", "1")]))
        #expect(
            Self.keys(result.json) == ["ruleId", "ruleIndex", "kind", "level", "message", "suppressions", "properties"])
        // Values keep the outcome's order rather than being sorted.
        #expect(Self.keys(result.json["properties"]?["values"]) == ["b", "a"])
        #expect(log.json.rendered(pretty: false) == #"{"$schema":"s","version":"2.1.0","runs":[]}"#)
    }

    @Test("one JSON writer: no source file writes JSON through Foundation")
    func oneJSONWriter() throws {
        let sources = repoRoot.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var offenders = [String]()
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            if text.contains("JSONEncoder") || text.contains("JSONSerialization") {
                offenders.append(url.lastPathComponent)
            }
        }
        #expect(offenders.isEmpty, "JSON written outside JSONValue in \(offenders)")
    }
}
