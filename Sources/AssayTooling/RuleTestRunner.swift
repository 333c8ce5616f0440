import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation
import Yams

/// Runs rule examples and fixtures, like `semgrep --test`: every `pass:` snippet must give no failing
/// outcome for its rule, every `fail:` snippet at least one, every `missing:` snippet a `missing`; every
/// fixture's expected outcomes must appear and its `absent:` ones must not.
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
        /// The number of fixtures not run because they need rule files that were not given.
        public var skipped = 0
        /// One line per failure (`FAIL …`) or skipped fixture (`SKIP …`), saying what differs.
        public var lines: [String] = []

        /// Adds another result's counts and lines to this one.
        public mutating func add(_ other: Result) {
            passed += other.passed
            failed += other.failed
            skipped += other.skipped
            lines += other.lines
        }
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
    /// error) on it; a `fail:` snippet passes when the rule gives at least one `fail`; a `missing:` snippet
    /// when it gives at least one `missing` and no `fail` or `error`.
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
                for (i, snippet) in rule.examples.missing.enumerated() {
                    let all = outcomes(of: rule, in: set, snippet: snippet)
                    if all.contains(where: { $0.status == .missing })
                        && !all.contains(where: { $0.status == .fail || $0.status == .error })
                    {
                        r.passed += 1
                    } else {
                        r.failed += 1
                        r.lines.append(
                            "FAIL \(rule.file):\(rule.line): \(rule.id) missing example #\(i + 1): expected missing (and no fail or error), got \(all.map { "\($0.status.rawValue): \($0.message)" }.joined(separator: "; "))"
                        )
                    }
                }
            }
        }
        return r
    }

    /// A fixture: `NAME.txt` (a bulletin) with `NAME.expect.yml` listing outcomes that must appear and
    /// outcomes that must not (false alarms, `absent:`), each `{rule: ID, status: STATUS}` with optional
    /// `section` (found in one element of the outcome's section path), `path` (the whole section path,
    /// exactly), `message` (found in its message) and `values` (each named value's text, exactly).
    /// Every fixture of the folder is run, whatever rules it names.
    public func runFixtures(folder: String) -> Result {
        var r = Result()
        for expectPath in Self.fixtureFiles(folder: folder) { r.add(runFixture(expectPath: expectPath)) }
        return r
    }

    /// The `NAME.expect.yml` files of a fixture folder, sorted by name.
    static func fixtureFiles(folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".expect.yml") }
            .sorted().map { (folder as NSString).appendingPathComponent($0) }
    }

    /// One entry of a fixture's `expect:` or `absent:` list, with the line it is written on.
    struct Expectation {
        var rule: String
        var status: OutcomeStatus
        /// Found in one element of the outcome's section path.
        var section: String?
        /// The outcome's whole section path, element by element.
        var path: [String]?
        /// Found in the outcome's message.
        var message: String?
        /// Named values whose text must be exactly this, in the order written.
        var values: [(name: String, text: String)] = []
        var line: Int

        var text: String {
            var out = "\(rule) \(status.rawValue)"
            if let section { out += " in \(section)" }
            if let path { out += " at [\(path.joined(separator: " › "))]" }
            if !values.isEmpty { out += " with " + values.map { "\($0.name) \($0.text)" }.joined(separator: ", ") }
            if let message { out += " with “\(message)”" }
            return out
        }

        /// The outcomes this entry describes.
        func matching(_ outcomes: [Outcome]) -> [Outcome] {
            outcomes.filter { o in
                o.ruleID == rule && o.status == status
                    && (section.map { want in o.section.contains { $0.contains(want) } } ?? true)
                    && (path.map { $0 == o.section } ?? true)
                    && (message.map { o.message.contains($0) } ?? true)
                    && values.allSatisfy { v in o.values.contains { $0.name == v.name && $0.text == v.text } }
            }
        }
    }

    /// A fixture file as read: its expectations and the rule files it declares (`rules:`, with the node each
    /// name is written at), or its errors.
    struct Fixture {
        var expect: [Expectation] = []
        var absent: [Expectation] = []
        /// The rule files named by `rules:` (file names in the folder above the fixture's), empty when none.
        var ruleFiles: [String] = []
        var errors: [FileDiagnostic] = []

        /// Every rule id the fixture names, in the order written, once each.
        var ruleIDs: [String] {
            var seen = Set<String>()
            return (expect + absent).map(\.rule).filter { seen.insert($0).inserted }
        }
    }

    /// The keys of a fixture file.
    static let fixtureKeys = ["rules", "expect", "absent"]
    /// The keys of an item of `expect:` and `absent:`.
    static let expectationKeys = ["rule", "status", "section", "path", "message", "values"]

    /// A fixture's expectations, read as rule files are (`YAMLReader`): unknown keys (with a did-you-mean),
    /// unknown statuses, a missing `expect:` and a `rules:` file that is not beside the fixture folder
    /// (`ruleFolder`, when given) are reported at their `file:line:column`.
    static func expectations(_ yaml: String, file: String, ruleFolder: String? = nil) -> Fixture {
        var reader = YAMLReader(file: file)
        let root: Node?
        do { root = try YAMLReader.composeBounded(yaml, file: file, what: "the fixture file") } catch {
            return Fixture(errors: [error])
        }
        guard let root, let m = reader.mapping(root, "a fixture", allowed: fixtureKeys) else {
            if root == nil { reader.error(nil, "needs 'expect:', a list of {rule, status}") }
            return Fixture(errors: reader.errors)
        }
        func list(_ key: String) -> [Expectation] {
            guard let node = m[key]?.value else { return [] }
            guard case .sequence(let seq) = node else {
                reader.error(node, "'\(key)' must be a list of {rule, status}")
                return []
            }
            return seq.compactMap { item in
                guard let e = reader.mapping(item, "each item of \(key)", allowed: expectationKeys) else { return nil }
                let rule = reader.string(e["rule"]?.value, "rule", nonEmpty: true)
                let status = reader.choice(e["status"]?.value, "status", OutcomeStatus.self)
                if e["rule"] == nil || e["status"] == nil {
                    reader.error(item, "each item of \(key) needs 'rule' and 'status'")
                }
                var path: [String]?
                if let p = e["path"]?.value {
                    if case .sequence(let elements) = p, !elements.isEmpty {
                        path = elements.compactMap { reader.string($0, "each element of path") }
                    } else {
                        reader.error(p, "path must be a list of section names, outermost first: [二、…, (一)…]")
                    }
                }
                var values: [(name: String, text: String)] = []
                if let v = e["values"]?.value {
                    if case .mapping(let vm) = v {
                        for (k, t) in vm {
                            guard let name = reader.string(k, "a value name", nonEmpty: true),
                                let text = reader.string(t, "value '\(name)'")
                            else { continue }
                            values.append((name, text))
                        }
                    } else {
                        reader.error(v, "values must be a mapping from value name to text: {actual: 79%, target: 80%}")
                    }
                }
                guard let rule, let status else { return nil }
                return Expectation(
                    rule: rule, status: status, section: reader.string(e["section"]?.value, "section"), path: path,
                    message: reader.string(e["message"]?.value, "message"), values: values,
                    line: item.mark?.line ?? 1)
            }
        }
        var fixture = Fixture()
        if let node = m["rules"]?.value {
            let names: [Node]
            if case .sequence(let seq) = node { names = Array(seq) } else { names = [node] }
            let known = ruleFolder.map(ruleFileNames(folder:)) ?? []
            for n in names {
                guard let name = reader.string(n, "rules", nonEmpty: true) else { continue }
                if ruleFolder != nil, !known.contains(name) {
                    let hint =
                        DidYouMean.suggest(name, among: known).map { "; did you mean '\($0)'?" }
                        ?? "; the rule files there: \(known.isEmpty ? "none" : known.joined(separator: ", "))"
                    reader.error(n, "rules: '\(name)' is not a rule file in the folder that holds tests/\(hint)")
                    continue
                }
                fixture.ruleFiles.append(name)
            }
        }
        if m["expect"] == nil { reader.error(root, "needs 'expect:', a list of {rule, status}") }
        fixture.expect = list("expect")
        fixture.absent = list("absent")
        fixture.errors = reader.errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return fixture
    }

    /// The rule files directly in a folder (`*.yml`, as the loader reads a folder; "" is the current
    /// folder), by name, sorted.
    static func ruleFileNames(folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []).filter {
            $0.hasSuffix(".yml") && !$0.hasPrefix(".")
        }.sorted()
    }

    /// The rule ids a rule file defines (`rules: [{id: …}]`), read without validating the file; empty when it
    /// cannot be read.
    static func ruleIDs(file: String) -> [String] {
        guard let text = FileManager.default.contents(atPath: file).flatMap({ String(data: $0, encoding: .utf8) }),
            let root = try? YAMLReader.compose(text, file: file), case .mapping(let m) = root,
            case .sequence(let rules)? = m["rules"]
        else { return [] }
        return rules.compactMap { rule in
            guard case .mapping(let r) = rule else { return nil }
            return r["id"]?.scalar?.string
        }
    }

    /// One fixture: the bulletin beside `NAME.expect.yml` checked against its expectations.
    public func runFixture(expectPath: String) -> Result {
        var r = Result()
        guard let (fixture, data) = readFixture(expectPath: expectPath, into: &r) else { return r }
        check(fixture, bulletin: data, expectPath: expectPath, into: &r)
        return r
    }

    /// Reads a fixture and its bulletin; nil (with the failure in `r`) when either cannot be read.
    func readFixture(expectPath: String, into r: inout Result) -> (Fixture, [UInt8])? {
        let fm = FileManager.default
        let folder = (expectPath as NSString).deletingLastPathComponent
        let stem = String((expectPath as NSString).lastPathComponent.dropLast(".expect.yml".count))
        guard let data = fm.contents(atPath: (folder as NSString).appendingPathComponent(stem + ".txt")) else {
            r.failed += 1
            r.lines.append("FAIL \(expectPath): no bulletin \(stem).txt beside it")
            return nil
        }
        guard let text = fm.contents(atPath: expectPath).flatMap({ String(data: $0, encoding: .utf8) }) else {
            r.failed += 1
            r.lines.append("FAIL \(expectPath): cannot be read as UTF-8 text")
            return nil
        }
        let parent = (folder as NSString).deletingLastPathComponent
        let fixture = Self.expectations(text, file: expectPath, ruleFolder: parent.isEmpty ? "." : parent)
        guard fixture.errors.isEmpty else {
            r.failed += 1
            r.lines += fixture.errors.map { "FAIL \($0)" }
            return nil
        }
        return (fixture, [UInt8](data))
    }

    /// Checks the bulletin against the fixture's expectations.
    func check(_ fixture: Fixture, bulletin: [UInt8], expectPath: String, into r: inout Result) {
        let stem = String((expectPath as NSString).lastPathComponent.dropLast(".expect.yml".count))
        let outcomes: [Outcome]
        do {
            outcomes = try Pipeline(ruleSets: ruleSets, extractor: extractor).check(
                bytes: bulletin, name: stem + ".txt"
            )
            .report.outcomes
        } catch {
            r.failed += 1
            r.lines.append("FAIL \(expectPath): \(stem).txt: \(error)")
            return
        }
        let loaded = ruleSets.flatMap { $0.rules.map(\.id) }
        func unknown(_ e: Expectation) -> String? {
            guard !loaded.contains(e.rule) else { return nil }
            return "no rule '\(e.rule)' is loaded"
                + (DidYouMean.suggest(e.rule, among: loaded).map { "; did you mean '\($0)'?" } ?? "")
        }
        // Outcomes that must not appear: a false alarm is a failure of the fixture.
        for e in fixture.absent {
            let hits = e.matching(outcomes)
            if let why = unknown(e) {
                r.failed += 1
                r.lines.append("FAIL \(expectPath):\(e.line): \(e.text) must not appear; \(why)")
            } else if hits.isEmpty {
                r.passed += 1
            } else {
                r.failed += 1
                r.lines.append(
                    "FAIL \(expectPath):\(e.line): \(e.text) must not appear; got \(hits.map(Self.describe).joined(separator: " | "))"
                )
            }
        }
        for e in fixture.expect {
            if let why = unknown(e) {
                r.failed += 1
                r.lines.append("FAIL \(expectPath):\(e.line): expected \(e.text); \(why)")
            } else if !e.matching(outcomes).isEmpty {
                r.passed += 1
            } else {
                r.failed += 1
                let got = outcomes.filter { $0.ruleID == e.rule }.map(Self.describe)
                r.lines.append(
                    "FAIL \(expectPath):\(e.line): expected \(e.text); got \(got.isEmpty ? "no outcome" : got.joined(separator: " | "))"
                )
            }
        }
    }

    /// An outcome as a failing expectation shows it: status, section path, message and values.
    static func describe(_ o: Outcome) -> String {
        let values =
            o.values.isEmpty ? "" : " {" + o.values.map { "\($0.name): \($0.text)" }.joined(separator: ", ") + "}"
        return "\(o.status.rawValue) [\(o.section.joined(separator: " › "))] \(o.message)\(values)"
    }

    /// The fixtures of the rule files given (files or folders, as on `assay rules test`): each fixture in a
    /// `tests/` folder beside them that belongs to them. A fixture belongs to the rule files its `rules:`
    /// names, else to the files that define the rules it names. It is run when every file it belongs to is
    /// given (a folder gives all its files); it is not run when it belongs only to files not given; when it
    /// belongs to some given and some not, or names rules none of the given files define while other files
    /// of the folder are not given, it is skipped and said so.
    public func runFixtures(paths: [String]) -> Result {
        var r = Result()
        // The given files by folder: name → given.
        var given = [String: Set<String>]()
        var folders = [String]()
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else { continue }
            // A file named without a folder is in the current one: its fixtures are named `tests/…`.
            let base = isDir.boolValue ? p : (p as NSString).deletingLastPathComponent
            if !folders.contains(base) { folders.append(base) }
            given[base, default: []].formUnion(
                isDir.boolValue ? Self.ruleFileNames(folder: p) : [(p as NSString).lastPathComponent])
        }
        var loadedFile = [String: String]()
        for set in ruleSets {
            for rule in set.rules { loadedFile[rule.id] = (rule.file as NSString).lastPathComponent }
        }
        for base in folders {
            let tests = (base as NSString).appendingPathComponent("tests")
            let mine = given[base] ?? []
            let all = Set(Self.ruleFileNames(folder: base))
            // The rules of the folder's files that were not given, read for their ids only.
            var fileOfRule = loadedFile
            for name in all.subtracting(mine) {
                for id in Self.ruleIDs(file: (base as NSString).appendingPathComponent(name))
                where fileOfRule[id] == nil {
                    fileOfRule[id] = name
                }
            }
            for expectPath in Self.fixtureFiles(folder: tests) {
                var one = Result()
                guard let (fixture, data) = readFixture(expectPath: expectPath, into: &one) else {
                    r.add(one)
                    continue
                }
                let owners = Set(
                    fixture.ruleFiles.isEmpty ? fixture.ruleIDs.compactMap { fileOfRule[$0] } : fixture.ruleFiles)
                let strangers = fixture.ruleIDs.filter { fileOfRule[$0] == nil }
                if !owners.isEmpty && owners.isDisjoint(with: mine) { continue }
                if !owners.isSubset(of: mine) {
                    r.skipped += 1
                    r.lines.append(
                        "SKIP \(expectPath): it belongs to \(owners.sorted().joined(separator: ", ")); not given: \(owners.subtracting(mine).sorted().joined(separator: ", "))"
                    )
                    continue
                }
                if owners.isEmpty && mine != all {
                    r.skipped += 1
                    r.lines.append(
                        "SKIP \(expectPath): no rule file of the folder defines \(strangers.joined(separator: ", ")); it runs when the whole folder is tested"
                    )
                    continue
                }
                check(fixture, bulletin: data, expectPath: expectPath, into: &one)
                r.add(one)
            }
        }
        return r
    }

    /// Runs every rule's examples, then the fixtures that belong to the given rule files (`runFixtures(paths:)`).
    public func run(paths: [String]) -> Result {
        var total = runExamples()
        total.add(runFixtures(paths: paths))
        return total
    }
}
