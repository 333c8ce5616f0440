import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation
import Yams

/// Runs rule examples and fixtures, like `semgrep --test`: every `pass:` snippet must give no failing
/// outcome for its rule, every `fail:` snippet at least one; every fixture's expected outcomes must appear.
public struct RuleTestRunner: Sendable {
    /// The rule sets whose examples are run and whose rules fixtures are checked with.
    public var ruleSets: [RuleSet]
    /// The extractor the snippets and fixtures go through.
    public var extractor: FactExtractor

    /// A runner for the rule sets, with the default extractor unless given.
    public init(ruleSets: [RuleSet], extractor: FactExtractor = FactExtractor()) {
        self.ruleSets = ruleSets
        self.extractor = extractor
    }

    /// The tally of a test run.
    public struct Result: Sendable {
        /// The number of examples and expectations that held.
        public var passed = 0
        /// The number of examples and expectations that did not hold.
        public var failed = 0
        /// One line per failure, saying what differs.
        public var lines: [String] = []
    }

    /// The tests/ folders beside the given rule files or inside the given folders.
    public static func fixtureFolders(paths: [String]) -> [String] {
        var out = [String]()
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { continue }
            let base = isDir.boolValue ? p : (p as NSString).deletingLastPathComponent
            let tests = (base as NSString).appendingPathComponent("tests")
            if FileManager.default.fileExists(atPath: tests), !out.contains(tests) { out.append(tests) }
        }
        return out
    }

    /// Outcomes of one rule on a snippet (the snippet is a whole document).
    public func outcomes(of rule: Rule, in set: RuleSet, snippet: String, name: String = "example.txt") -> [Outcome] {
        let decoded = DecodedText(
            string: snippet, encoding: .utf8, sha256: SHA256.hex(Array(snippet.utf8)), byteCount: snippet.utf8.count)
        let document = Document(name: name, decoded: decoded)
        // Examples test the rule's logic: where its set applies is not part of them.
        var one = set
        var bare = rule
        bare.appliesTo = Applicability()
        one.appliesTo = Applicability()
        one.rules = [bare]
        // A fixed clock, so examples of rules whose reference is `clock` give the same verdict on any day.
        return Evaluator(today: "2026-01-01").evaluate(
            [one], document: document, extraction: extractor.extract(document))
    }

    /// Runs every rule's examples: a `pass:` snippet passes when the rule gives no problem (fail, missing or
    /// error) on it; a `fail:` snippet passes when the rule gives at least one `fail`.
    public func runExamples() -> Result {
        var r = Result()
        for set in ruleSets {
            for rule in set.rules {
                for (i, snippet) in rule.examples.pass.enumerated() {
                    let bad = outcomes(of: rule, in: set, snippet: snippet).filter(\.isProblem)
                    if bad.isEmpty {
                        r.passed += 1
                    } else {
                        r.failed += 1
                        r.lines.append(
                            "FAIL \(rule.file):\(rule.line): \(rule.id) pass example #\(i + 1): got \(bad.map { "\($0.status.rawValue): \($0.message)" }.joined(separator: "; "))"
                        )
                    }
                }
                for (i, snippet) in rule.examples.fail.enumerated() {
                    let all = outcomes(of: rule, in: set, snippet: snippet)
                    if all.contains(where: { $0.status == .fail }) {
                        r.passed += 1
                    } else {
                        r.failed += 1
                        r.lines.append(
                            "FAIL \(rule.file):\(rule.line): \(rule.id) fail example #\(i + 1): expected a failure, got \(all.map { "\($0.status.rawValue): \($0.message)" }.joined(separator: "; "))"
                        )
                    }
                }
            }
        }
        return r
    }

    /// A fixture: `NAME.txt` (a bulletin) with `NAME.expect.yml` listing outcomes that must appear (`section`
    /// is found in one element of the outcome's section path, `message` in its message):
    /// `expect: [{rule: ID, status: pass|fail|missing|error, section: NAME, message: SUBSTRING}]`, and outcomes
    /// that must not appear (false alarms) under `absent:` in the same form.
    public func runFixtures(folder: String) -> Result {
        var r = Result()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".expect.yml")
        }.sorted()
        for expectName in names {
            let one = runFixture(expectPath: (folder as NSString).appendingPathComponent(expectName))
            r.passed += one.passed
            r.failed += one.failed
            r.lines += one.lines
        }
        return r
    }

    /// One entry of a fixture's `expect:` or `absent:` list, with the line it is written on.
    struct Expectation {
        var rule: String
        var status: OutcomeStatus
        /// Found in one element of the outcome's section path.
        var section: String?
        /// Found in the outcome's message.
        var message: String?
        var line: Int

        var text: String {
            "\(rule) \(status.rawValue)\(section.map { " in \($0)" } ?? "")\(message.map { " with “\($0)”" } ?? "")"
        }

        /// The outcomes this entry describes.
        func matching(_ outcomes: [Outcome]) -> [Outcome] {
            outcomes.filter { o in
                o.ruleID == rule && o.status == status
                    && (section.map { want in o.section.contains { $0.contains(want) } } ?? true)
                    && (message.map { o.message.contains($0) } ?? true)
            }
        }
    }

    /// A fixture's expectations, read as rule files are (`YAMLReader`): unknown keys, unknown statuses and a
    /// missing `expect:` are reported at their `file:line:column`.
    static func expectations(_ yaml: String, file: String) -> (
        expect: [Expectation], absent: [Expectation], errors: [FileDiagnostic]
    ) {
        var reader = YAMLReader(file: file)
        let root: Node?
        do { root = try YAMLReader.composeBounded(yaml, file: file, what: "the fixture file") } catch {
            return ([], [], [error])
        }
        guard let root, let m = reader.mapping(root, "a fixture", allowed: ["expect", "absent"]) else {
            if root == nil { reader.error(nil, "needs 'expect:', a list of {rule, status}") }
            return ([], [], reader.errors)
        }
        func list(_ key: String) -> [Expectation] {
            guard let node = m[key]?.value else { return [] }
            guard case .sequence(let seq) = node else {
                reader.error(node, "'\(key)' must be a list of {rule, status}")
                return []
            }
            return seq.compactMap { item in
                guard
                    let e = reader.mapping(
                        item, "each item of \(key)", allowed: ["rule", "status", "section", "message"])
                else { return nil }
                let rule = reader.string(e["rule"]?.value, "rule", nonEmpty: true)
                let status = reader.choice(e["status"]?.value, "status", OutcomeStatus.self)
                if e["rule"] == nil || e["status"] == nil {
                    reader.error(item, "each item of \(key) needs 'rule' and 'status'")
                }
                guard let rule, let status else { return nil }
                return Expectation(
                    rule: rule, status: status, section: reader.string(e["section"]?.value, "section"),
                    message: reader.string(e["message"]?.value, "message"), line: item.mark?.line ?? 1)
            }
        }
        if m["expect"] == nil { reader.error(root, "needs 'expect:', a list of {rule, status}") }
        let expect = list("expect")
        let absent = list("absent")
        return (expect, absent, reader.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }

    /// One fixture: the bulletin beside `NAME.expect.yml` checked against its expectations.
    public func runFixture(expectPath: String) -> Result {
        var r = Result()
        let fm = FileManager.default
        let folder = (expectPath as NSString).deletingLastPathComponent
        let expectName = (expectPath as NSString).lastPathComponent
        let stem = String(expectName.dropLast(".expect.yml".count))
        let bulletin = (folder as NSString).appendingPathComponent(stem + ".txt")
        guard let data = fm.contents(atPath: bulletin) else {
            r.failed += 1
            r.lines.append("FAIL \(expectPath): no bulletin \(stem).txt beside it")
            return r
        }
        guard let text = fm.contents(atPath: expectPath).flatMap({ String(data: $0, encoding: .utf8) }) else {
            r.failed += 1
            r.lines.append("FAIL \(expectPath): cannot be read as UTF-8 text")
            return r
        }
        let (expected, absent, errors) = Self.expectations(text, file: expectPath)
        guard errors.isEmpty else {
            r.failed += 1
            r.lines += errors.map { "FAIL \($0)" }
            return r
        }
        let outcomes: [Outcome]
        do {
            outcomes = try Pipeline(ruleSets: ruleSets, extractor: extractor).check(
                bytes: [UInt8](data), name: stem + ".txt"
            ).report.outcomes
        } catch {
            r.failed += 1
            r.lines.append("FAIL \(bulletin): \(error)")
            return r
        }
        // Outcomes that must not appear: a false alarm is a failure of the fixture.
        for e in absent {
            let hits = e.matching(outcomes)
            if hits.isEmpty {
                r.passed += 1
            } else {
                r.failed += 1
                r.lines.append(
                    "FAIL \(expectPath):\(e.line): \(e.text) must not appear; got \(hits.map { "[\($0.section.joined(separator: "/"))] \($0.message)" }.joined(separator: " | "))"
                )
            }
        }
        for e in expected {
            if !e.matching(outcomes).isEmpty {
                r.passed += 1
            } else {
                r.failed += 1
                let got = outcomes.filter { $0.ruleID == e.rule }.map {
                    "\($0.status.rawValue) [\($0.section.joined(separator: "/"))] \($0.message)"
                }
                r.lines.append(
                    "FAIL \(expectPath):\(e.line): expected \(e.text); got \(got.isEmpty ? "no outcome" : got.joined(separator: " | "))"
                )
            }
        }
        return r
    }

    /// Runs every rule's examples, then the fixtures of each folder, and adds up the results.
    public func run(fixtureFolders: [String]) -> Result {
        var total = runExamples()
        for f in fixtureFolders {
            let r = runFixtures(folder: f)
            total.passed += r.passed
            total.failed += r.failed
            total.lines += r.lines
        }
        return total
    }
}

/// `assay explain`: a rule described for people.
public enum RuleExplanation {
    /// The rule described for people: id and title, rule set and line, kind, severity, basis, message, tags
    /// and examples.
    public static func text(_ rule: Rule, in set: RuleSet) -> String {
        var out = "\(rule.id): \(rule.title)\n"
        out += "  rule set:   \(set.name) (\((set.file as NSString).lastPathComponent):\(rule.line))\n"
        out += "  kind:       \(rule.kind.rawValue) — \(RuleKindDescription.of(rule.kind).summary)\n"
        out += "  severity:   \(rule.severity.rawValue) (missing facts: \(rule.onMissing.rawValue))\n"
        if let b = rule.basis { out += "  basis:      \(b)\n" }
        if let m = rule.message { out += "  message:    \(m)\n" }
        if !rule.tags.isEmpty { out += "  tags:       \(rule.tags.joined(separator: ", "))\n" }
        for p in rule.examples.pass { out += "  passes on:  \(p)\n" }
        for f in rule.examples.fail { out += "  fails on:   \(f)\n" }
        return out
    }
}
