import ArgumentParser
import AssayBundledRules
import AssayDaemon
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayReview
import AssayRules
import AssayStore
import AssayTooling
import AssayValues
import Foundation
import Logging

/// Options shared by `watch` and `recheck`: a configuration file and the flags that override it.
struct DaemonOptions: ParsableArguments {
    @Option(
        help:
            "YAML configuration file (keys: inbox, outbox, state, rules, formats, after, archive, settle_ms, max_bytes, workers, ignore, watch, poll_interval_ms, rescan_interval_ms, queue, pattern_limit_ms, time_limit_ms, overrides, issuers)."
    )
    var config: String?

    @Option(help: "Folder to watch for bulletins. Default: ./inbox")
    var inbox: String?

    @Option(help: "Folder for reports. Default: ./reports")
    var outbox: String?

    @Option(help: "Folder for the state database. Default: ./.assay")
    var state: String?

    @Option(name: .customLong("rules"), help: "Rule file or folder (repeatable). Default: the bundled rule sets.")
    var rules: [String] = []

    @Option(
        name: .customLong("format"),
        help: "Report format (repeatable): text, json, markdown, html, sarif. Default: json")
    var formats: [ReportFormat] = []

    @Option(help: "Where `--after move` puts checked inputs. Default: <inbox>/.checked")
    var archive: String?

    @Option(name: .customLong("max-bytes"), help: "Size limit of an input in bytes.")
    var maxBytes: Int?

    @Option(help: "Number of workers.")
    var workers: Int?

    @Option(
        name: .customLong("pattern-limit-ms"),
        help: "Time each rule's patterns may take on one bulletin; past it the rule is an error. Default: 200")
    var patternLimitMs: Int?

    @Option(
        name: .customLong("time-limit-ms"),
        help:
            "Time one check of a document may take, all stages together; past it the input is rejected. 1 … 600000. Default: 5000"
    )
    var timeLimitMs: Int?

    /// Flags out of range are refused before anything starts, as usage errors of the command given.
    func validate() throws {
        if let workers, !DaemonConfig.workerRange.contains(workers) {
            throw ValidationError(
                "--workers must be between \(DaemonConfig.workerRange.lowerBound) and \(DaemonConfig.workerRange.upperBound) (got \(workers))"
            )
        }
        if let timeLimitMs, let problem = DaemonConfig.timeLimitProblem(timeLimitMs, name: "--time-limit-ms") {
            throw ValidationError(problem)
        }
    }

    /// The configuration in effect: defaults, then the file, then flags (and the watching ones, for
    /// `watch`); bundled rules when none are named.
    func resolve(watching: WatchingOptions? = nil) throws -> DaemonConfig {
        var c = DaemonConfig()
        if let file = config {
            do { c = try DaemonConfig.load(file: file) } catch {
                for e in error.errors { FileHandle.standardError.write(Data("\(e)\n".utf8)) }
                fail("invalid configuration: \(error.errors.count) error(s); the daemon did not start")
                throw ExitCode(2)
            }
        }
        if let inbox { c.inbox = inbox }
        if let outbox { c.outbox = outbox }
        if let state { c.state = state }
        if !rules.isEmpty { c.rules = rules }
        if !formats.isEmpty { c.formats = formats }
        if let archive { c.archive = archive }
        if let w = watching {
            if let after = w.after { c.after = after }
            if let mode = w.watch { c.watch = mode }
            if let settleMs = w.settleMs { c.settleMs = settleMs }
            if let pollIntervalMs = w.pollIntervalMs { c.pollIntervalMs = max(10, pollIntervalMs) }
        }
        if let maxBytes { c.maxBytes = maxBytes }
        if let workers { c.workers = workers }
        if let patternLimitMs { c.patternLimitMs = max(1, patternLimitMs) }
        if let timeLimitMs { c.timeLimitMs = timeLimitMs }
        if c.rules.isEmpty { c.rules = BundledRules.ruleFiles.map(\.path) }
        return c
    }

    /// Rule file names as users know them: the bundled ones as `Rules/…`. The bundle is only looked up
    /// when the bundled rules are in use (an installed daemon reads /etc/assay/rules and may not ship it).
    func ruleLoader(for config: DaemonConfig) -> RuleLoader {
        var loader = RuleLoader()
        if config.rules.first?.contains("Assay_AssayBundledRules") == true {
            let bundled = BundledRules.directory.path
            loader = RuleLoader(
                displayName: { path in
                    path.hasPrefix(bundled) ? "Rules" + path.dropFirst(bundled.count) : path
                }, bundledDirectory: bundled)
        }
        // The configuration's own `overrides:` adjust the loaded sets, as an overlay file's would.
        loader.overrides = config.overrides.map { ($0.file, $0.text) }
        return loader
    }

    static func bootstrapLogging() {
        let level =
            ProcessInfo.processInfo.environment["ASSAY_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var h = JournalLogHandler(label: label)
            h.logLevel = level
            return h
        }
    }
}

extension DaemonConfig.After: ExpressibleByArgument {}
extension DaemonConfig.WatchMode: ExpressibleByArgument {}

/// The flags of watching an inbox, which `recheck` does not take.
struct WatchingOptions: ParsableArguments {
    @Option(help: "What to do with a checked input: keep, move (to the archive folder) or delete.")
    var after: DaemonConfig.After?

    @Option(help: "watch mode: auto, inotify or poll.")
    var watch: DaemonConfig.WatchMode?

    @Option(name: .customLong("settle-ms"), help: "Quiet time after the last write to a file written in place.")
    var settleMs: Int?

    @Option(name: .customLong("poll-interval-ms"), help: "Polling interval when polling.")
    var pollIntervalMs: Int?
}

/// `assay watch`: the daemon. Serves the inbox until SIGTERM; reloads rules on SIGHUP.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch an inbox folder and write a report for every bulletin dropped into it.",
        discussion: """
            With no configuration and no flags: ./inbox → ./reports, state in ./.assay, the bundled rules. \
            Signals: SIGHUP reloads the rules (an invalid set is logged and the old one keeps serving); \
            SIGUSR1 rescans the inbox; SIGTERM finishes the documents in hand within 2 s (a longer check is \
            abandoned and its input taken again on the next start) and exits 0. \
            Speaks systemd's notify protocol when NOTIFY_SOCKET is set.
            """
    )

    @OptionGroup var options: DaemonOptions

    @OptionGroup var watching: WatchingOptions

    @Option(
        help:
            "Also serve the review pages over the daemon's store on this address (127.0.0.1:PORT or [::1]:PORT; another address needs --serve-users)."
    )
    var serve: String?

    @Option(
        help:
            "Users who may sign in to the review pages (written by `assay user add`); with it every page needs a login."
    )
    var serveUsers: String?

    func validate() throws {
        if let serve {
            guard let (host, _) = Serve.address(serve) else {
                throw ValidationError("--serve must be HOST:PORT (127.0.0.1:8080, [::1]:8080), got '\(serve)'")
            }
            guard ReviewServer.loopback.contains(host) || serveUsers != nil else {
                throw ValidationError(
                    "--serve \(serve) would show the store to the network without a login; name a users file (--serve-users users.yml, written by `assay user add`) or serve 127.0.0.1 or ::1"
                )
            }
        } else if serveUsers != nil {
            throw ValidationError("--serve-users needs --serve ADDRESS")
        }
    }

    func run() throws {
        let config = try options.resolve(watching: watching)
        DaemonOptions.bootstrapLogging()
        let logger = Logger(label: "assay")
        let daemon: Daemon
        do { daemon = try Daemon(config: config, ruleLoader: options.ruleLoader(for: config), logger: logger) } catch {
            fail("\(error)")
            throw ExitCode(2)
        }
        var accounts: ReviewAccounts?
        if let serveUsers {
            do { accounts = try ReviewAccounts.load(path: serveUsers) } catch {
                fail("\(error)")
                throw ExitCode(2)
            }
        }
        if let serve, let (host, port) = Serve.address(serve) {
            // The pages read the daemon's own store and put submitted bulletins into its inbox.
            var server = ReviewServer(
                store: daemon.store, outbox: config.outbox,
                reviewer: ProcessInfo.processInfo.environment["USER"] ?? "local")
            server.inbox = config.inbox
            server.maxUpload = config.maxBytes
            server.accounts = accounts
            if let serveUsers, let accounts {
                server.accountsFile = ReloadingAccounts(path: serveUsers, initial: accounts) { problem, message in
                    if problem { logger.error("\(message)") } else { logger.info("users file \(message)") }
                }
            }
            Task {
                do { try await server.run(host: host, port: port) } catch {
                    logger.error("review pages on \(serve) stopped: \(error)")
                }
            }
            logger.info("review pages on http://\(serve)/")
        }
        daemon.run()
    }
}

/// `assay recheck`: checks the inputs still in the inbox and archive again with the current rules.
struct Recheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recheck",
        abstract: "Check stored documents again with the current rules.",
        discussion: """
            A new rule set does not re-check old documents by itself. This command re-checks every input still \
            present in the inbox or the archive folder whose last run used other rules, overwriting its reports \
            under the same names. Inputs already deleted (after: delete) cannot be re-checked: the store keeps \
            their facts, outcomes and decoded text, not the file a recheck reads (a web page, Word, PDF or OFD \
            file is converted again).
            """
    )

    @OptionGroup var options: DaemonOptions

    func run() throws {
        let config = try options.resolve()
        let rules: RuleBook
        do {
            rules = try RuleBook(
                paths: config.rules, maxBytes: config.maxBytes, patternTimeLimit: .milliseconds(config.patternLimitMs),
                timeLimit: .milliseconds(config.timeLimitMs), loader: options.ruleLoader(for: config))
        } catch {
            for e in error.errors { FileHandle.standardError.write(Data("\(e)\n".utf8)) }
            fail("invalid rules: \(error.errors.count) error(s); nothing was checked")
            throw ExitCode(2)
        }
        let store = try StateStore(folder: config.state)
        try FileManager.default.createDirectory(atPath: config.outbox, withIntermediateDirectories: true)
        let inbox = Inbox(
            folder: config.inbox, ignore: config.ignore, ownPaths: [config.outbox, config.state, config.archiveFolder])
        var keep = config
        keep.after = .keep
        let intake = Intake(
            inbox: inbox, outbox: OutboxWriter(folder: config.outbox), store: store, rules: rules, config: keep)
        var counts = [String: Int]()
        for folder in [config.inbox, config.archiveFolder] {
            let names =
                Inbox(
                    folder: folder, ignore: config.ignore,
                    ownPaths: [config.outbox, config.state, config.archiveFolder]
                ).list() ?? []
            for name in names {
                let shown = FileName.escaped(name)
                switch intake.process(name, in: folder, recheck: true) {
                case .checked(_, let verdict):
                    counts["checked", default: 0] += 1
                    print("\(shown): checked → \(verdict)")
                case .skipped: counts["current", default: 0] += 1
                case .rejected(let r), .alreadyRejected(let r):
                    counts["rejected", default: 0] += 1; print("\(shown): rejected: \(FileName.escapingControls(r))")
                case .failed(let r):
                    counts["failed", default: 0] += 1; print("\(shown): failed: \(FileName.escapingControls(r))")
                case .vanished: break
                }
            }
        }
        print(
            "rechecked \(counts["checked"] ?? 0), already current \(counts["current"] ?? 0), rejected \(counts["rejected"] ?? 0), failed \(counts["failed"] ?? 0)"
        )
        if (counts["failed"] ?? 0) > 0 { throw ExitCode(1) }
    }
}
