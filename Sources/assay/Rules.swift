import ArgumentParser
import AssayBundledRules
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayTooling
import AssayValues
import Foundation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Validate, test, list and document rule files.",
        subcommands: [Lint.self, Test.self, List.self, Doc.self])

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Validate rule files; print every error as file:line:column. Exit 0 when valid, 2 otherwise.")

        @Argument(help: "Rule files or folders. Default: the bundled rule sets.")
        var paths: [String] = []

        @Option(help: "A waivers file to validate against the rules too (dates, keys, rule ids).")
        var waivers: String?

        func run() throws {
            let options = try RuleOptions.parse(
                paths.flatMap { ["--rules", $0] } + (waivers.map { ["--waivers", $0] } ?? []))
            let sets = try options.load()
            // A waiver that would not apply (a bad date, an unknown key or rule id) is an error here.
            let problems = try options.loadWaivers(for: sets).problems
            for p in problems { FileHandle.standardError.write(Data("\(FileName.escapingControls("\(p)"))\n".utf8)) }
            if !problems.isEmpty {
                fail("invalid waivers: \(problems.count) error\(problems.count == 1 ? "" : "s")")
                throw ExitCode(2)
            }
            print("\(sets.count) rule set(s), \(sets.reduce(0) { $0 + $1.rules.count }) rules: valid")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract:
                "Run every rule's examples and the fixtures in a tests/ folder beside the rules that belong to them; print what differs."
        )

        @Argument(help: "Rule files or folders. Default: the bundled rule sets.")
        var paths: [String] = []

        func run() throws {
            let options = try RuleOptions.parse(paths.flatMap { ["--rules", $0] })
            let sets = try options.load()
            let result = RuleTestRunner(ruleSets: sets).run(paths: options.paths)
            let bundled = BundledRules.directory.path
            for line in result.lines { print(line.replacingOccurrences(of: bundled, with: "Rules")) }
            print(
                "\(result.passed) passed, \(result.failed) failed"
                    + (result.skipped > 0 ? ", \(result.skipped) fixture(s) skipped" : ""))
            if result.failed > 0 { throw ExitCode(1) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List every rule: id, kind, severity, rule set and title.")

        @Argument(help: "Rule files or folders. Default: the bundled rule sets.")
        var paths: [String] = []

        @Option(help: "text (a table) or json.")
        var format: ListFormat = .text

        func run() throws {
            let options = try RuleOptions.parse(paths.flatMap { ["--rules", $0] })
            let sets = try options.load()
            switch format {
            case .text: print(RuleCatalog.table(sets), terminator: "")
            case .json: print(RuleCatalog.json(sets), terminator: "")
            }
        }
    }

    /// The formats of `assay rules list`.
    enum ListFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    struct Doc: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "doc",
            abstract: "Write a Markdown reference of rule sets: each set, each rule, what it checks and its examples.")

        @Argument(help: "Rule files or folders. Default: the bundled rule sets.")
        var paths: [String] = []

        @Option(help: "Write the reference to this file instead of standard output.")
        var output: String?

        func run() throws {
            let options = try RuleOptions.parse(paths.flatMap { ["--rules", $0] })
            let text = RuleCatalog.markdown(try options.load(), source: ruleFileText)
            guard let output else { return print(text, terminator: "") }
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                fail("cannot write \(FileName.escapingControls(output)): \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
    }
}

/// The text of a rule file by the name errors give it (`Rules/…` for a bundled one); nil when unreadable.
func ruleFileText(_ name: String) -> String? {
    var path = name
    if !FileManager.default.fileExists(atPath: path), name.hasPrefix("Rules/") {
        path = BundledRules.directory.appendingPathComponent(String(name.dropFirst("Rules/".count))).path
    }
    return FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract:
            "Show a rule: kind, severity, scope, condition, what it checks (selectors, op, target, expression), basis, message and examples."
    )

    @Argument(help: "The rule id.")
    var ruleID: String

    @OptionGroup var ruleOptions: RuleOptions

    func run() throws {
        let sets = try ruleOptions.load()
        guard let (set, rule) = sets.lazy.flatMap({ s in s.rules.map { (s, $0) } }).first(where: { $0.1.id == ruleID })
        else {
            let all = sets.flatMap { $0.rules.map(\.id) }
            fail("no rule '\(ruleID)'; rules: \(all.joined(separator: ", "))")
            throw ExitCode(2)
        }
        print(RuleExplanation.text(rule, in: set, source: ruleFileText(rule.file)), terminator: "")
    }
}
