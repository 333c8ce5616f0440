import ArgumentParser
import AssayBundledRules
import AssayDaemon
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayStore
import AssayTooling
import AssayValues
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The `assay` command: thin commands over the Assay libraries (values → extraction → rules → renderers → edge).
///
/// Every command names itself (`commandName`): a name left to ArgumentParser is derived from the type's
/// name with `String(describing:)`, whose protocol-conformance scan cost about 30 M instructions (8 ms) at
/// every start (callgrind, 2026-12-03).
@main
struct Assay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assay",
        abstract: "Rule-based compliance checker for progress bulletins (巡视/巡察整改进展情况).",
        discussion: """
            Exit codes: 0 no outcome at or above --fail-on; 1 some outcome at or above it; \
            2 usage or input error (missing, binary, empty or undecodable file; invalid rules).
            """,
        version: AssayVersion.current,
        subcommands: [
            Check.self, Facts.self, History.self, Forget.self, Serve.self, UserCommand.self, RulesCommand.self,
            Explain.self, Bench.self,
            Watch.self,
            Recheck.self,
            WatchBench.self,
        ]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let e as ExitCode {
            Foundation.exit(e.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Prints one line to standard error: `assay: error: …`.
func fail(_ message: String) {
    FileHandle.standardError.write(Data("assay: error: \(message)\n".utf8))
}

/// The store in `state`, which must exist (commands that read what was checked: history, forget, serve);
/// a missing or unreadable store is said on standard error and exits 2.
func openExistingStore(_ state: String) throws -> StateStore {
    let path = (state as NSString).appendingPathComponent(StateStore.fileName)
    guard FileManager.default.fileExists(atPath: path) else {
        fail(
            "no store at \(FileName.escaped(FileName.keyPath(path))): check bulletins with --state \(state) or run the daemon first"
        )
        throw ExitCode(2)
    }
    do { return try StateStore(folder: state) } catch {
        fail("\(error)")
        throw ExitCode(2)
    }
}

/// The issuers file named by `--issuers` (none: no aliases); a bad file is said on standard error and exits 2.
func loadIssuers(_ file: String?) throws -> IssuerDirectory {
    guard let file else { return IssuerDirectory() }
    do {
        return try IssuerDirectory(
            yaml: String(decoding: try readBulletin(keyPath: FileName.keyPath(file)), as: UTF8.self), file: file)
    } catch {
        fail("\(error)")
        throw ExitCode(2)
    }
}

/// Options shared by the commands that load rules.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "Rule file or folder (repeatable). Default: the bundled rule sets.")
    var rules: [String] = []

    @Option(help: "Waivers file (rule id, document or section pattern, reason, approver, expiry).")
    var waivers: String?

    var paths: [String] { rules.isEmpty ? BundledRules.ruleFiles.map(\.path) : rules }

    /// Loads and validates the rule sets; on errors prints every one as file:line:column and exits 2.
    func load() throws -> [RuleSet] {
        do {
            let bundled = BundledRules.directory.path
            return try RuleLoader(
                displayName: { path in
                    path.hasPrefix(bundled) ? "Rules" + path.dropFirst(bundled.count) : path
                }, bundledDirectory: bundled
            ).load(paths: paths)
        } catch {
            // One line per error, each naming file, line, column and reason; a count when there are several.
            // Paths and quoted values come from the command line and the files: control characters escaped.
            for e in error.errors {
                FileHandle.standardError.write(Data("\(FileName.escapingControls("\(e)"))\n".utf8))
            }
            if error.errors.count > 1 { fail("invalid rules: \(error.errors.count) errors; nothing was checked") }
            throw ExitCode(2)
        }
    }

    /// The waivers file, checked against the loaded rules' ids; a file that is not there is a usage error
    /// (exit 2): a check without the waivers asked for would report approved failures as failures.
    func loadWaivers(for sets: [RuleSet]) throws -> WaiverSet {
        guard let w = waivers else { return WaiverSet() }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: w, isDirectory: &isDir), !isDir.boolValue else {
            fail("\(FileName.escapingControls(w)): no such waivers file")
            throw ExitCode(2)
        }
        return WaiverSet.load(file: w).checking(ruleIDs: Set(sets.flatMap { $0.rules.map(\.id) }))
    }
}

extension Severity: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension MessageLanguage: ExpressibleByArgument {}

/// Reads a bulletin named on the command line, as the daemon reads its inputs (`InputFile`): a regular
/// file (a link given on the command line is followed), at most `maxInputBytes`.
func readBulletin(_ path: String) throws(DecodingError) -> [UInt8] {
    switch InputFile.read(path, maxBytes: maxInputBytes, followSymbolicLinks: true) {
    case .success(let bytes): return bytes
    case .failure(.notRegular(let kind)): throw .undecodable(reason: "is \(kind)")
    case .failure(let e): throw .undecodable(reason: e.description)
    }
}

/// The largest bulletin the command line reads: the daemon's default `max_bytes`.
let maxInputBytes = DaemonConfig().maxBytes
