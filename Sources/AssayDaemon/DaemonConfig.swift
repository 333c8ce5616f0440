import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation
import Yams

/// What the daemon serves and how: folders, rules, report formats, what happens to a checked input,
/// timings and limits. Read from a YAML file (`systemd/assay.yml` is the installed default); command-line
/// flags override it. Relative paths in a file are resolved against the file's folder.
public struct DaemonConfig: Sendable, Equatable {
    /// What to do with an input once its report is written.
    public enum After: String, Sendable, CaseIterable { case keep, move, delete }
    /// How to learn about new files.
    public enum WatchMode: String, Sendable, CaseIterable { case auto, inotify, poll }

    /// The inbox folder bulletins are dropped into (YAML `inbox`).
    public var inbox = "inbox"
    /// The outbox folder reports are written into (YAML `outbox`).
    public var outbox = "reports"
    /// The folder of the state store (YAML `state`).
    public var state = ".assay"
    /// Rule files or folders; empty means the bundled rule sets (filled in by the command).
    public var rules: [String] = []
    /// The report formats written for each checked input (YAML `formats`); JSON only by default.
    public var formats: [ReportFormat] = [.json]
    /// What happens to an input once its report is written (YAML `after`); kept by default.
    public var after: After = .keep
    /// Where `after: move` puts checked inputs (default: `<inbox>/.checked`, which the watcher ignores).
    public var archive: String?
    /// Quiet time after the last write before a file written in place is taken (milliseconds).
    public var settleMs = 500
    /// The largest input accepted, in bytes (YAML `max_bytes`); 16 MiB by default.
    public var maxBytes = 16 * 1024 * 1024
    /// One per core by default: checking is CPU-bound (measured with `assay watch-bench`); within `workerRange`.
    public var workers = min(max(1, ProcessInfo.processInfo.activeProcessorCount), 64)
    /// The numbers of workers allowed (YAML `workers`, flag `--workers`): a thread each, so a huge number
    /// is refused rather than tried.
    public static let workerRange = 1...64
    /// Extra glob patterns of names to ignore (beside the built-in temporary names).
    public var ignore: [String] = []
    /// How new files are noticed (YAML `watch`): inotify where it serves, else polling, by default.
    public var watch: WatchMode = .auto
    /// The polling interval in milliseconds when polling (YAML `poll_interval_ms`, at least 10).
    public var pollIntervalMs = 1000
    /// Full rescan of the inbox at this interval even when inotify serves (level-triggered safety net).
    public var rescanIntervalMs = 60_000
    /// Capacity of the queue between the watcher and the workers.
    public var queueCapacity = 1024
    /// The time each rule's pattern searches may take on one bulletin (milliseconds; `PatternBudget`).
    public var patternLimitMs = 200
    /// The time one check of a document may take, all stages together (milliseconds; the pipeline's
    /// `timeLimit`, `Pipeline.standardTimeLimit` by default). Past it the input is rejected. Always set:
    /// within `timeLimitRange`, never "no limit", so one document cannot hold a worker indefinitely.
    public var timeLimitMs = Int(Pipeline.standardTimeLimit.components.seconds) * 1000
    /// The time limits allowed (YAML `time_limit_ms`, flag `--time-limit-ms`): 1 ms to 10 minutes.
    public static let timeLimitRange = 1...600_000

    /// The configuration file holding `overrides:` (rules adjusted by id: severity, on_missing, message,
    /// target, when, enabled: false — see "Layering" in docs/rules.md), as its name and text, so the rule
    /// loader reads them with their places; nil when the file has none.
    public var overrides: OverridesSource?
    /// The other names of issuers (`issuers:`, a file like `issuers.yml`), read when the configuration is:
    /// a bulletin's issuer is named canonically, so its series joins the unit's two names.
    public var issuers = IssuerDirectory()

    /// Where the configuration's `overrides:` are: the file's name and its whole text.
    public struct OverridesSource: Sendable, Equatable {
        /// The configuration file, as named in errors.
        public var file: String
        /// Its text.
        public var text: String
    }

    /// The defaults: `inbox`, `reports` and `.assay` in the working folder, bundled rules, JSON reports, inputs kept.
    public init() {}

    /// The keys a configuration file may use; any other is an error with a did-you-mean hint.
    public static let keys = [
        "inbox", "outbox", "state", "rules", "formats", "after", "archive", "settle_ms", "max_bytes",
        "workers", "ignore", "watch", "poll_interval_ms", "rescan_interval_ms", "queue", "pattern_limit_ms",
        "overrides", "issuers",
        "time_limit_ms",
    ]

    /// Why `milliseconds` cannot be the time limit (`time_limit_ms`, `--time-limit-ms`), or nil when it can.
    public static func timeLimitProblem(_ milliseconds: Int, name: String = "time_limit_ms") -> String? {
        if timeLimitRange.contains(milliseconds) { return nil }
        return
            "\(name) must be between \(timeLimitRange.lowerBound) and \(timeLimitRange.upperBound) milliseconds (got \(milliseconds))"
            + (milliseconds == 0 ? "; the daemon always limits the time a document may take" : "")
    }

    /// The archive folder in effect.
    public var archiveFolder: String { archive ?? (inbox as NSString).appendingPathComponent(".checked") }

    /// A configuration file that cannot be used; every problem with its place.
    public struct ConfigError: Error, CustomStringConvertible {
        /// Every problem found, each at its `file:line:column`, in the order found.
        public var errors: [FileDiagnostic]
        /// One `file:line:column: error: message` line per problem.
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }

    /// Reads a configuration file; unknown keys and bad values are reported as `file:line:column: error: …`.
    public static func load(file: String) throws(ConfigError) -> DaemonConfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            var isFolder: ObjCBool = false
            let why: String
            if !FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) {
                why = "no such configuration file"
            } else if isFolder.boolValue {
                why = "is a folder, not a configuration file"
            } else {
                let fd = open(file, O_RDONLY)
                why = "cannot read the configuration file: \(String(cString: strerror(fd < 0 ? errno : EIO)))"
                if fd >= 0 { close(fd) }
            }
            throw ConfigError(errors: [FileDiagnostic(file: file, line: 1, column: 1, message: why)])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(errors: [
                FileDiagnostic(file: file, line: 1, column: 1, message: "the configuration file is not UTF-8 text")
            ])
        }
        return try parse(yaml: text, file: file)
    }

    /// Reads configuration YAML named `file` in messages; relative paths are resolved against the file's folder.
    /// An empty document gives the defaults. Throws every problem at once.
    public static func parse(yaml: String, file: String) throws(ConfigError) -> DaemonConfig {
        var r = YAMLReader(file: file)
        let root: Node?
        do { root = try YAMLReader.compose(yaml, file: file) } catch { throw ConfigError(errors: [error]) }
        var config = DaemonConfig()
        guard let root else { return config }
        guard let m = r.mapping(root, "the configuration", allowed: keys) else { throw ConfigError(errors: r.errors) }
        let base = (file as NSString).deletingLastPathComponent
        func path(_ s: String) -> String {
            s.hasPrefix("/") || base.isEmpty ? s : (base as NSString).appendingPathComponent(s)
        }
        func string(_ key: String) -> String? { r.string(m[key]?.value, key, nonEmpty: true) }
        func list(_ key: String) -> [String]? { m[key].map { r.strings($0.value, key, nonEmpty: true) } }
        func int(_ key: String, min: Int) -> Int? { r.int(m[key]?.value, key, min: min) }

        if let s = string("inbox") { config.inbox = path(s) }
        if let s = string("outbox") { config.outbox = path(s) }
        if let s = string("state") { config.state = path(s) }
        if let s = string("archive") { config.archive = path(s) }
        if let l = list("rules") { config.rules = l.map(path) }
        if m["overrides"] != nil { config.overrides = OverridesSource(file: file, text: yaml) }
        if let s = string("issuers") {
            let p = path(s)
            if let data = FileManager.default.contents(atPath: p) {
                do { config.issuers = try IssuerDirectory(yaml: String(decoding: data, as: UTF8.self), file: p) } catch
                {
                    r.errors += error.errors
                }
            } else {
                r.error(m["issuers"]?.value, "cannot read the issuers file \(p)")
            }
        }
        if let l = list("ignore") { config.ignore = l }
        if let l = list("formats") {
            var formats = [ReportFormat]()
            for f in l {
                if let format = ReportFormat(rawValue: f) {
                    formats.append(format)
                } else {
                    r.error(
                        m["formats"]?.value,
                        "unknown report format '\(f)'"
                            + (DidYouMean.suggest(f, among: ReportFormat.allCases.map(\.rawValue)).map {
                                "; did you mean '\($0)'?"
                            } ?? "; the formats are \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
                    )
                }
            }
            if !formats.isEmpty { config.formats = formats }
        }
        if let c = r.choice(m["after"]?.value, "after", After.self) { config.after = c }
        if let c = r.choice(m["watch"]?.value, "watch", WatchMode.self) { config.watch = c }
        if let n = int("settle_ms", min: 0) { config.settleMs = n }
        if let n = int("max_bytes", min: 1) { config.maxBytes = n }
        if let n = int("workers", min: 1) {
            if workerRange.contains(n) {
                config.workers = n
            } else {
                r.error(m["workers"]?.value, "workers must be between 1 and \(workerRange.upperBound) (got \(n))")
            }
        }
        if let n = int("poll_interval_ms", min: 10) { config.pollIntervalMs = n }
        if let n = int("rescan_interval_ms", min: 100) { config.rescanIntervalMs = n }
        if let n = int("queue", min: 1) { config.queueCapacity = n }
        if let n = int("pattern_limit_ms", min: 1) { config.patternLimitMs = n }
        if let n = r.int(m["time_limit_ms"]?.value, "time_limit_ms") {
            if let problem = timeLimitProblem(n) {
                r.error(m["time_limit_ms"]?.value, problem)
            } else {
                config.timeLimitMs = n
            }
        }
        if !r.errors.isEmpty { throw ConfigError(errors: r.errors) }
        return config
    }
}
