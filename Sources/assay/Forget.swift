import ArgumentParser
import AssayEdge
import AssayStore
import Foundation

/// `assay forget`: removes checked documents from the store, and so from their issuers' series (later
/// bulletins are then compared with the one before it). Report files are left alone.
struct Forget: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Remove checked documents from the store (and from their series), by file name or content hash.",
        discussion: """
            A document is named by its file name as checked, or by its SHA-256 (at least 8 leading hex \
            digits). Its runs and its place in its issuer's series are removed with it; its report files \
            are not. Exit 2 when a name matches nothing or a hash prefix matches several documents.
            """)

    @Argument(help: "File names or SHA-256 prefixes (8 hex digits or more).")
    var documents: [String]

    @Option(help: "Folder of the state database. Default: ./.assay")
    var state: String = ".assay"

    func validate() throws {
        if documents.isEmpty { throw ValidationError("name at least one document (file name or SHA-256 prefix)") }
    }

    func run() throws {
        let store = try openExistingStore(state)
        let checked = try store.checkedDocuments()
        var chosen = [(sha256: String, name: String)]()
        var failed = false
        for wanted in documents {
            let lower = wanted.lowercased()
            let isHash = lower.count >= 8 && lower.allSatisfy { $0.isHexDigit }
            let matches = checked.filter { $0.name == wanted || (isHash && $0.sha256.hasPrefix(lower)) }
            switch matches.count {
            case 0:
                fail("no checked document is named \(wanted)" + (isHash ? " or has a hash starting \(lower)" : ""))
                failed = true
            case 1:
                chosen.append((matches[0].sha256, matches[0].name))
            default:
                fail(
                    "\(wanted) matches \(matches.count) documents (\(matches.map { "\($0.name) \($0.sha256.prefix(12))" }.joined(separator: ", "))); give more of the hash"
                )
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
        for c in chosen {
            try store.forget(sha256: c.sha256)
            print("forgot \(FileName.escaped(c.name)) (\(c.sha256.prefix(12)))")
        }
    }
}
