import ArgumentParser
import AssayEdge
import AssayReview
import AssayRules
import AssayStore
import Foundation

/// `assay serve`: the review pages over the store (`AssayReview.ReviewServer`): on loopback, or with logins.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the review pages over the store: bulletins, findings and their triage, issuers' series.",
        discussion: """
            Reads the store of the daemon or of `assay check --state DIR`. Without --users it serves \
            127.0.0.1 (or ::1) only, to whoever can reach it. With --users every page needs a login and a \
            role (viewer, reviewer, admin), and another address may be served: put a TLS proxy in front, as \
            browsers keep the session cookie over HTTPS only (and on loopback). Stop with Ctrl-C or SIGTERM.
            """)

    @Option(help: "Folder of the state database. Default: ./.assay")
    var state: String = ".assay"

    @Option(help: "The daemon's outbox, whose HTML reports the bulletin pages link to. Default: ./reports")
    var outbox: String = "reports"

    @Option(help: "Address and port to serve on (127.0.0.1:PORT or [::1]:PORT; another address needs --users).")
    var bind: String = "127.0.0.1:8080"

    @Option(help: "Users who may sign in (written by `assay user add`); with it every page needs a login.")
    var users: String?

    @Option(help: "The daemon's inbox, where bulletins submitted on the pages go. Default: ./inbox")
    var inbox: String = "inbox"

    @Option(help: "The largest bulletin that may be submitted, in bytes (the daemon's max_bytes).")
    var maxBytes: Int = 16 * 1024 * 1024

    @Option(help: "The name decisions are recorded under. Default: the user running the server.")
    var reviewer: String?

    @OptionGroup var ruleOptions: RuleOptions

    /// `host:port` or `[v6]:port`.
    static func address(_ s: String) -> (host: String, port: Int)? {
        var host: Substring
        var portText: Substring
        if s.hasPrefix("["), let close = s.firstIndex(of: "]") {
            host = s[s.index(after: s.startIndex)..<close]
            let rest = s[s.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = s.lastIndex(of: ":") else { return nil }
            host = s[..<colon]
            portText = s[s.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }

    func validate() throws {
        guard Self.address(bind) != nil else {
            throw ValidationError("--bind must be HOST:PORT (127.0.0.1:8080, [::1]:8080), got '\(bind)'")
        }
    }

    func run() throws {
        let (host, port) = Self.address(bind)!
        var accounts: ReviewAccounts?
        if let users {
            do { accounts = try ReviewAccounts.load(path: users) } catch {
                fail("\(error)")
                throw ExitCode(2)
            }
        }
        if let problem = ReviewServer.bindProblem(host, logins: accounts != nil) {
            fail(problem)
            throw ExitCode(2)
        }
        let who = reviewer ?? ProcessInfo.processInfo.environment["USER"] ?? "local"
        var server = ReviewServer(store: try openExistingStore(state), outbox: outbox, reviewer: who)
        server.accounts = accounts
        if let users, let accounts {
            server.accountsFile = ReloadingAccounts(path: users, initial: accounts) { problem, message in
                FileHandle.standardError.write(Data("assay: \(problem ? "" : "users file ")\(message)\n".utf8))
            }
        }
        if accounts != nil, !ReviewServer.loopback.contains(host) {
            FileHandle.standardError.write(
                Data(
                    "assay: serving \(host) with logins: browsers keep the session cookie over HTTPS only, so reviewers reach it through a TLS proxy\n"
                        .utf8))
        }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: inbox, isDirectory: &isDir), isDir.boolValue {
            server.inbox = inbox
        } else {
            FileHandle.standardError.write(
                Data("assay: no inbox folder at \(FileName.escaped(FileName.keyPath(inbox))): submitting is off\n".utf8)
            )
        }
        server.maxUpload = maxBytes
        // The rules page describes the rules in force (the bundled ones unless --rules names others).
        server.rules = try ruleOptions.load().flatMap { set in
            set.rules.map {
                ReviewServer.RuleDescription(
                    id: $0.id, title: $0.title, kind: $0.kind.rawValue, severity: $0.severity.rawValue, set: set.name,
                    basis: $0.basis)
            }
        }
        let done = DispatchSemaphore(value: 0)
        let failure = Failure()
        Task {
            do { try await server.run(host: host, port: port) } catch { failure.set("\(error)") }
            done.signal()
        }
        FileHandle.standardError.write(Data("assay: serving the review pages on http://\(bind)/\n".utf8))
        done.wait()
        if let message = failure.get() {
            fail(message)
            throw ExitCode(2)
        }
    }

    /// The server's error, handed from its task to the command.
    final class Failure: @unchecked Sendable {
        private let lock = NSLock()
        private var message: String?
        func set(_ m: String) { lock.lock(); message = m; lock.unlock() }
        func get() -> String? { lock.lock(); defer { lock.unlock() }; return message }
    }
}
