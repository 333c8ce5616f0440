import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRules
@testable import AssayValues

/// Layering (Overlay.swift): a rule file that `extends` rule sets and overrides their rules by id, and
/// targets with alternatives chosen by `when`.
@Suite struct OverlayTests {
    let base = """
        assay: 1
        ruleset: base
        targets:
          rate: 80%
        rules:
          - id: rate-target
            title: 整改率不低于目标
            kind: threshold
            select: {kind: percent, label: 整改率}
            op: ">="
            target: $rate
          - id: contact
            title: 公布联系方式
            kind: require
            phrases: [联系电话]
            severity: warning

        """

    /// A folder holding `files` (name → text); the loader's errors name files relative to it.
    func load(_ files: [String: String], paths: [String]) throws -> [RuleSet] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-overlay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        let prefix = dir.path + "/"
        let canonicalPrefix = RuleLoader.canonical(dir.path) + "/"
        let loader = RuleLoader(
            displayName: { p in
                p.hasPrefix(prefix)
                    ? String(p.dropFirst(prefix.count))
                    : p.hasPrefix(canonicalPrefix) ? String(p.dropFirst(canonicalPrefix.count)) : p
            }, bundledDirectory: repoRoot.appendingPathComponent("Rules").path)
        return try loader.load(paths: paths.map { prefix + $0 })
    }

    func errors(_ files: [String: String], paths: [String]) -> [String] {
        do {
            _ = try load(files, paths: paths)
            return []
        } catch let e as RuleLoadFailure { return e.errors.map(\.description) } catch { return ["\(error)"] }
    }

    func outcomes(_ sets: [RuleSet], _ text: String) -> [String] {
        let doc = document(text)
        return Evaluator(today: "2026-01-01", language: .en).evaluate(
            sets, document: doc, extraction: FactExtractor().extract(doc)
        )
        .map { "\($0.ruleID) \($0.status.rawValue) \($0.severity.rawValue): \($0.message)" }
    }

    @Test func anOverlayRegradesRetargetsAndDisablesWithoutCopying() throws {
        let overlay = """
            assay: 1
            ruleset: city
            extends: base.yml
            targets: {rate: 90%}
            overrides:
              - {id: contact, enabled: false}
              - {id: rate-target, severity: error, message: "整改率{actual},目标{target}"}

            """
        // The base named directly too: loaded once, adjusted.
        let sets = try load(["base.yml": base, "city.yml": overlay], paths: ["base.yml", "city.yml"])
        #expect(sets.map(\.name) == ["base"])
        #expect(sets[0].adjustedBy == "city.yml")
        #expect(sets[0].rules.map(\.id) == ["rate-target"])
        #expect(outcomes(sets, "全市整改率达85%。") == ["rate-target fail error: 整改率85%,目标>= 90%"])
        // The hash covers the overlay: another overlay gives another set hash.
        let plain = try load(["base.yml": base], paths: ["base.yml"])
        #expect(plain[0].sha256 != sets[0].sha256)
        #expect(
            outcomes(plain, "全市整改率达85%。联系电话:12345678。").map { String($0.prefix(22)) } == [
                "rate-target pass warni", "contact pass warning: ",
            ])
    }

    @Test func anOverlayOfABundledSetByName() throws {
        let overlay = """
            assay: 1
            ruleset: my-office
            extends: [audit-rectification]
            overrides:
              - {id: audit-next-steps, severity: error}
              - {id: audit-explicit-as-of, enabled: false}

            """
        let sets = try load(["mine.yml": overlay], paths: ["mine.yml"])
        #expect(sets.map(\.name) == ["audit-rectification"])
        let ids = sets[0].rules.map(\.id)
        #expect(!ids.contains("audit-explicit-as-of"))
        #expect(sets[0].rules.first { $0.id == "audit-next-steps" }?.severity == .error)
        #expect(sets[0].rules.first { $0.id == "audit-counts-sum" }?.severity == .error)
        #expect(sets[0].rules.first { $0.id == "audit-deadlines-met" }?.severity == .warning)
    }

    @Test func overlayMistakesAreReportedInTheOverlay() {
        let overlay = { (body: String) in "assay: 1\nruleset: city\nextends: base.yml\n" + body }
        #expect(
            errors(
                ["base.yml": base, "c.yml": overlay("overrides:\n  - {id: rate-targt, severity: error}\n")],
                paths: ["c.yml"])
                == [
                    "c.yml:5:10: error: override of rule 'rate-targt', which no extended set defines; did you mean 'rate-target'?"
                ])
        #expect(
            errors(
                ["base.yml": base, "c.yml": overlay("overrides:\n  - {id: contact, severity: fatal}\n")],
                paths: ["c.yml"])
                == ["c.yml:5:29: error: severity 'fatal' is not one of info, warning, error"])
        #expect(
            errors(
                ["base.yml": base, "c.yml": overlay("overrides:\n  - {id: contact, colour: red}\n")], paths: ["c.yml"])
                == [
                    "c.yml:5:19: error: unknown key 'colour' in override; allowed: id, enabled, severity, on_missing, message, title, basis, target, when, tags"
                ])
        #expect(
            errors(["base.yml": base, "c.yml": overlay("overrides:\n  - {id: contact}\n")], paths: ["c.yml"])
                == [
                    "c.yml:5:5: error: override of 'contact' changes nothing; give severity, on_missing, message, target, … or enabled: false"
                ])
        // A bad target written in the overlay is reported at its place there.
        #expect(
            errors(
                ["base.yml": base, "c.yml": overlay("overrides:\n  - {id: rate-target, target: lots}\n")],
                paths: ["c.yml"])
                == [
                    "c.yml:5:31: error: target 'lots' is not a number with an optional unit (80%, 330天, 2万, 1.5亿元, $5 million) or a $target"
                ])
        #expect(
            errors(["c.yml": "assay: 1\nruleset: city\nextends: nowhere.yml\n"], paths: ["c.yml"])
                == ["c.yml:3:10: error: extends 'nowhere.yml': no bundled rule set of that name and no such rule file"])
        #expect(
            errors(
                [
                    "base.yml": base, "a.yml": overlay("targets: {rate: 85%}\n"),
                    "b.yml": overlay("targets: {rate: 95%}\n"),
                ],
                paths: ["a.yml", "b.yml"])
                == ["b.yml:3:10: error: rule set 'base.yml' is already extended by a.yml; one base, one overlay"])
        #expect(
            errors(["c.yml": "assay: 1\nruleset: c\noverrides: []\nrules: []\n"], paths: ["c.yml"]).first
                == "c.yml:3:1: error: 'overrides' adjusts the rule sets named by 'extends', and there is none")
    }

    // MARK: targets per issuer

    let perIssuer = """
        targets:
          rate:
            - {when: {issuer: /省直/}, value: 90%, source: 省直部门目标}
            - {when: {issuer: /市|县/}, value: 85%}
        rules:
          - id: rate-target
            title: 整改率不低于本级目标
            kind: threshold
            select: {kind: percent, label: 整改率}
            op: ">="
            target: $rate

        """

    @Test func aTargetWithAlternativesIsChosenByTheIssuer() throws {
        let set = try rules("assay: 1\nruleset: t\n" + perIssuer)
        func check(_ text: String) -> [String] {
            let doc = document(text)
            return Evaluator(today: "2026-01-01", language: .en).evaluate(
                [set], document: doc, extraction: FactExtractor().extract(doc)
            )
            .map { "\($0.status.rawValue): \($0.message)" }
        }
        #expect(check("某省直部门审计整改情况\n整改率达88%。").map { String($0.prefix(5)) } == ["fail:"])
        #expect(check("某市审计整改情况\n整改率达88%。").map { String($0.prefix(5)) } == ["pass:"])
        #expect(
            check("某公司审计整改情况\n整改率达88%。")
                == [
                    "missing: no value of target $rate applies here (none of: issuer /省直/; issuer /市|县/), so the rule is not checked"
                ])
    }

    @Test func targetAlternativeMistakes() {
        func errs(_ targets: String) -> [String] {
            do {
                _ = try rules(
                    "assay: 1\nruleset: t\ntargets:\n  rate:\n\(targets)rules:\n  - id: r\n    title: t\n    kind: threshold\n    select: {kind: percent}\n    op: \">=\"\n    target: $rate\n",
                    file: "t.yml")
                return []
            } catch { return error.errors.map(\.description) }
        }
        #expect(
            errs("    - {value: 80%}\n    - {when: {issuer: 市}, value: 85%}\n")
                == ["t.yml:5:7: error: target 'rate' alternative 1 has no 'when'; only the last may be the default"])
        #expect(
            errs("    - {when: {issuer: 市}, value: lots}\n").first
                == "t.yml:5:34: error: target 'rate': 'lots' is not a number with an optional unit (80%, 330天, 1.5亿元, $5 million)"
        )
        // The rule's reference to the target that could not be read is reported too.
        #expect(
            errs("    - 80%\n") == [
                "t.yml:5:7: error: target 'rate' alternative 1 is a mapping {when, value}",
                "t.yml:12:13: error: reference to undefined target '$rate'",
            ])
    }

    // MARK: overrides from the daemon configuration

    @Test func overridesFromAConfigurationFileAdjustEveryLoadedSet() throws {
        let config =
            "inbox: in\noverrides:\n  - {id: contact, severity: error}\n  - {id: rate-target, enabled: false}\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(base.utf8).write(to: dir.appendingPathComponent("base.yml"))
        var loader = RuleLoader(displayName: { ($0 as NSString).lastPathComponent })
        loader.overrides = ("assay.yml", config)
        let sets = try loader.load(paths: [dir.appendingPathComponent("base.yml").path])
        #expect(sets[0].rules.map(\.id) == ["contact"])
        #expect(sets[0].rules[0].severity == .error)
        #expect(sets[0].adjustedBy == "assay.yml")
        loader.overrides = ("assay.yml", "overrides:\n  - {id: contcat, severity: error}\n")
        #expect {
            _ = try loader.load(paths: [dir.appendingPathComponent("base.yml").path])
        } throws: { error in
            (error as? RuleLoadFailure)?.errors.map(\.description) == [
                "assay.yml:2:10: error: override of rule 'contcat', which no loaded rule set defines; did you mean 'contact'?"
            ]
        }
    }

    /// The adjusted sets' hash follows what the overrides say, not where they stand in the configuration
    /// (nor a process's hashing of positions): a restart with the same overrides re-checks nothing.
    @Test func theConfigurationOverridesHashFollowsTheirText() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(base.utf8).write(to: dir.appendingPathComponent("base.yml"))
        func hash(_ config: String) throws -> String {
            var loader = RuleLoader()
            loader.overrides = ("assay.yml", config)
            return try loader.load(paths: [dir.appendingPathComponent("base.yml").path])[0].sha256
        }
        let overrides = "overrides:\n  - {id: contact, severity: error}\n"
        let first = try hash("inbox: in\n" + overrides)
        #expect(try hash("inbox: in\noutbox: out\nworkers: 2\n" + overrides) == first)
        #expect(try hash("inbox: in\noverrides:\n  - {id: contact, severity: info}\n") != first)
    }
}
