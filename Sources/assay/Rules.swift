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
        commandName: "rules", abstract: "Validate and test rule files.", subcommands: [Lint.self, Test.self])

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate rule files; print every error as file:line:column. Exit 0 when valid, 2 otherwise.")

        @Argument(help: "Rule files or folders. Default: the bundled rule sets.")
        var paths: [String] = []

        func run() throws {
            let options = try RuleOptions.parse(paths.flatMap { ["--rules", $0] })
            let sets = try options.load()
            print("\(sets.count) rule set(s), \(sets.reduce(0) { $0 + $1.rules.count }) rules: valid")
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run every rule's examples and every fixture in a tests/ folder beside the rules; print what differs.")

        @Argument(help: "Rule files or folders. Default: the bundled rule sets.")
        var paths: [String] = []

        func run() throws {
            let options = try RuleOptions.parse(paths.flatMap { ["--rules", $0] })
            let sets = try options.load()
            let folders = RuleTestRunner.fixtureFolders(paths: options.paths)
            let result = RuleTestRunner(ruleSets: sets).run(fixtureFolders: folders)
            let bundled = BundledRules.directory.path
            for line in result.lines { print(line.replacingOccurrences(of: bundled, with: "Rules")) }
            print("\(result.passed) passed, \(result.failed) failed")
            if result.failed > 0 { throw ExitCode(1) }
        }
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a rule's title, kind, basis, message and examples.")

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
        print(RuleExplanation.text(rule, in: set))
    }
}
