import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

@Suite struct RuleLoaderTests {
    /// Five different planted mistakes (and a sixth): all reported in one run, each at its line and column.
    @Test func reportsEveryPlantedMistakeWithItsPlace() {
        let m = MarkedText(
            """
            assay: 1
            ruleset: planted
            targets:
              rate: {value: 80%, source: plan}
            rules:
              - ‸id: a
                title: misspelt key
                kind: require
                phrases: [监督]
                ‸sevrity: error
              - id: b
                title: unknown kind
                kind: ‸treshold
              - id: c
                title: bad pattern
                kind: forbid
                patterns: ‸["(unclosed"]
              - id: d
                title: unknown fact kind
                kind: threshold
                select: {kind: ‸percnt}
                op: ">="
                target: 80%
              - ‸id: a
                title: duplicate id
                kind: require
                phrases: [监督]
              - id: f
                title: undefined target
                kind: threshold
                select: {kind: percent}
                op: ">="
                target: ‸$rat
            """)
        do {
            _ = try RuleLoader().load(yaml: m.text, file: "planted.yml")
            Issue.record("the file must not load")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "\(m.at("planted.yml", 1)): error: unknown key 'sevrity' in rule 'a'; did you mean 'severity'?",
                    "\(m.at("planted.yml", 2)): error: unknown rule kind 'treshold'; did you mean 'threshold'?; kinds: require, forbid, sections, threshold, consistency, deadline, count, progress",
                    "\(m.at("planted.yml", 3)): error: pattern /(unclosed/ is not a valid regular expression: a parenthesis is not closed or not opened (ICU U_REGEX_MISMATCHED_PAREN, at character 10)",
                    "\(m.at("planted.yml", 4)): error: unknown fact kind 'percnt'; did you mean 'percent'?; kinds: number, quantity, percent, money, date, date_range, as_of, deadline, duration",
                    "\(m.at("planted.yml", 5)): error: duplicate rule id 'a' (first at line \(m.points[0].line))",
                    "\(m.at("planted.yml", 6)): error: reference to undefined target '$rat'; did you mean '$rate'?",
                ])
        }
    }

    @Test func refusesUnknownMajorVersion() {
        #expect(throws: RuleLoadFailure.self) { try rules("assay: 2\nruleset: x\nrules: []\n") }
        let v2 = MarkedText("assay: ‸2\nruleset: x\nrules: []\n")
        do { _ = try rules(v2.text, file: "v2.yml") } catch {
            #expect(
                error.description
                    == "\(v2.at("v2.yml")): error: unsupported rule language version '2'; this assay reads version 1")
        }
    }

    @Test func brokenYAMLGivesItsPlace() {
        do { _ = try rules("assay: 1\nruleset: x\nrules:\n  - id: a\n   title: b\n", file: "broken.yml") } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors[0].file == "broken.yml")
            #expect(error.errors[0].line == 5)
            #expect(error.errors[0].description.contains("invalid YAML"))
        }
    }

    @Test func missingHeaderAndRules() {
        do { _ = try rules("ruleset: x\n", file: "h.yml") } catch {
            #expect(error.description == "h.yml:1:1: error: missing 'assay: 1' header (the rule language version)")
        }
    }

    @Test func loadsTheBundledRuleFiles() throws {
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        #expect(sets.map(\.name) == ["audit-rectification", "chongqing-sample", "series-progress", "xunshi-progress"])
        #expect(sets[1].targets["audit_rate"]?.measure == Measure(80, unit: "%"))
        #expect(sets[0].appliesTo.genres == [.auditRectification, .recommendationTracker])
        #expect(sets[1].appliesTo.issuer.map(\.description) == ["风正巴渝"])
        #expect(sets[2].appliesTo.genres == [.xunshiProgress, .auditRectification, .recommendationTracker])
        #expect(sets[2].rules.allSatisfy { $0.kind.rawValue == "progress" })
        #expect(sets[3].appliesTo.genres == [.xunshiProgress])
        // Progress rules compare bulletins, which one snippet cannot show (SeriesTests check them on series).
        #expect(
            sets.allSatisfy {
                $0.rules.allSatisfy {
                    $0.kind.rawValue == "progress"
                        || $0.basis != nil && !($0.examples.pass.isEmpty && $0.examples.fail.isEmpty)
                }
            })
    }

    @Test func duplicateIdsAcrossFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-dup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = "assay: 1\nruleset: NAME\nrules:\n  - id: same\n    title: t\n    kind: require\n    phrases: [x]\n"
        try body.replacingOccurrences(of: "NAME", with: "one").write(
            to: dir.appendingPathComponent("a.yml"), atomically: true, encoding: .utf8)
        try body.replacingOccurrences(of: "NAME", with: "two").write(
            to: dir.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
        do { _ = try RuleLoader().load(paths: [dir.path]); Issue.record("must fail") } catch {
            #expect(
                error.errors.map(\.message) == [
                    "duplicate rule id 'same' (also in \(dir.appendingPathComponent("a.yml").path))"
                ])
        }
    }

    @Test func measuresParse() {
        #expect(Measure.parse("80%") == Measure(80, unit: "%"))
        #expect(Measure.parse("2万") == Measure(20000))
        #expect(Measure.parse("54.9万个") == Measure(549000, unit: "个"))
        #expect(Measure.parse("1.5亿元")?.baseValue == 150_000_000)
        #expect(Measure.parse("6个百分点")?.family == .percentagePoint)
        #expect(Measure.parse("三十天") == Measure(30, unit: "天"))
        #expect(Measure.parse("abc") == nil)
    }

    @Test func didYouMean() {
        #expect(DidYouMean.suggest("sevrity", among: RuleSchema.common) == "severity")
        #expect(DidYouMean.suggest("zzzzzz", among: RuleSchema.common) == nil)
    }
}
