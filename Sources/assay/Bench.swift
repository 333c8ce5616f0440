import ArgumentParser
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayStore
import AssayTooling
import AssayValues
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Time the in-process pipeline per stage (decode, segment, extract, evaluate, and rendering with --render) over files. Use a release build."
    )

    enum Format: String, ExpressibleByArgument { case text, json }

    @Argument(help: "Bulletin files or folders.")
    var paths: [String]

    @Option(help: "Passes over the files.")
    var iterations: Int = 200

    @Option(help: "text or json.")
    var format: Format = .text

    @Option(
        name: .customLong("render"),
        help:
            "Also time rendering the report in this format (repeatable: json, html, markdown, sarif, text); not part of total."
    )
    var renders: [ReportFormat] = []

    enum RegexEngine: String, ExpressibleByArgument { case scalar, icu }

    @Option(
        help: "Rule patterns on ScalarRegex where it can (scalar, the default) or ICU only (icu; as ASSAY_REGEX=icu).")
    var regex: RegexEngine?

    @OptionGroup var ruleOptions: RuleOptions

    @Option(
        help:
            "Compare with the earlier bulletins in this folder's store (as assay check --state keeps it); the evaluate stage includes the lookup."
    )
    var state: String?

    func run() throws {
        if let regex { SendableRegex.usesScalarEngine = regex == .scalar }
        let sets = try ruleOptions.load()
        let files = BulletinFiles.expand(paths)
        var inputs = [(String, [UInt8])]()
        for f in files {
            do { inputs.append(((f as NSString).lastPathComponent, try readBulletin(f))) } catch {
                fail("\(f): \(error)"); throw ExitCode(2)
            }
        }
        var bench = PipelineBench(ruleSets: sets)
        if let state {
            do { bench.history = try StateStore(folder: state) } catch {
                fail("\(error)")
                throw ExitCode(2)
            }
        }
        let result = try bench.run(inputs: inputs, iterations: iterations, renders: renders)
        switch format {
        case .json: print(result.json.rendered(pretty: true))
        case .text: print(result.text, terminator: "")
        }
    }
}
