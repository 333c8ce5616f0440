import AssayCore
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

    public var inbox = "inbox"
    public var outbox = "reports"
    public var state = ".assay"
    /// Rule files or folders; empty means the bundled rule sets (filled in by the command).
    public var rules: [String] = []
    public var formats: [ReportFormat] = [.json]
    public var after: After = .keep
    /// Where `after: move` puts checked inputs (default: `<inbox>/.checked`, which the watcher ignores).
    public var archive: String?
    /// Quiet time after the last write before a file written in place is taken (milliseconds).
    public var settleMs = 500
    public var maxBytes = 16 * 1024 * 1024
    /// One per core by default: checking is CPU-bound (measured with `assay watch-bench`).
    public var workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Extra glob patterns of names to ignore (beside the built-in temporary names).
    public var ignore: [String] = []
    public var watch: WatchMode = .auto
    public var pollIntervalMs = 1000
    /// Full rescan of the inbox at this interval even when inotify serves (level-triggered safety net).
    public var rescanIntervalMs = 60_000
    /// Capacity of the queue between the watcher and the workers.
    public var queueCapacity = 1024
    /// The time each rule's pattern searches may take on one bulletin (milliseconds; `PatternBudget`).
    public var patternLimitMs = 200

    public init() {}

    public static let keys = ["inbox", "outbox", "state", "rules", "formats", "after", "archive", "settle_ms", "max_bytes",
                              "workers", "ignore", "watch", "poll_interval_ms", "rescan_interval_ms", "queue", "pattern_limit_ms"]

    /// The archive folder in effect.
    public var archiveFolder: String { archive ?? (inbox as NSString).appendingPathComponent(".checked") }

    /// A configuration file that cannot be used; every problem with its place.
    public struct ConfigError: Error, CustomStringConvertible {
        public var errors: [RuleFileError]
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }

    /// Reads a configuration file; unknown keys and bad values are reported as `file:line:column: error: …`.
    public static func load(file: String) throws(ConfigError) -> DaemonConfig {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(errors: [RuleFileError(file: file, line: 1, column: 1, message: "cannot read the configuration file")])
        }
        return try parse(yaml: text, file: file)
    }

    public static func parse(yaml: String, file: String) throws(ConfigError) -> DaemonConfig {
        var errors = [RuleFileError]()
        func err(_ node: Node?, _ message: String) {
            errors.append(RuleFileError(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message))
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            var line = 1, column = 1
            if let y = error as? YamlError {
                switch y {
                case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
                    line = mark.line; column = mark.column
                default: break
                }
            }
            throw ConfigError(errors: [RuleFileError(file: file, line: line, column: column, message: "invalid YAML: \(error)")])
        }
        var config = DaemonConfig()
        guard let root else { return config }
        guard case .mapping(let mapping) = root else {
            throw ConfigError(errors: [RuleFileError(file: file, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1,
                                                     message: "the configuration must be a mapping of keys to values")])
        }
        let base = (file as NSString).deletingLastPathComponent
        func path(_ s: String) -> String {
            s.hasPrefix("/") || base.isEmpty ? s : (base as NSString).appendingPathComponent(s)
        }
        func string(_ v: Node, _ key: String) -> String? {
            guard let s = v.scalar?.string, !s.isEmpty else { err(v, "'\(key)' must be a non-empty text value"); return nil }
            return s
        }
        func list(_ v: Node, _ key: String) -> [String]? {
            if let s = v.scalar?.string { return [s] }
            guard case .sequence(let seq) = v else { err(v, "'\(key)' must be a list"); return nil }
            return seq.compactMap { string($0, key) }
        }
        func int(_ v: Node, _ key: String, min: Int) -> Int? {
            guard let s = v.scalar?.string, let n = Int(s.replacingOccurrences(of: "_", with: "")), n >= min else {
                err(v, "'\(key)' must be a whole number ≥ \(min)"); return nil
            }
            return n
        }
        func choice<T: RawRepresentable & CaseIterable>(_ v: Node, _ key: String, _: T.Type) -> T? where T.RawValue == String {
            guard let s = v.scalar?.string, let c = T(rawValue: s) else {
                let all = T.allCases.map(\.rawValue)
                let hint = DidYouMean.suggest(v.scalar?.string ?? "", among: all).map { "; did you mean '\($0)'?" } ?? ""
                err(v, "'\(key)' must be one of \(all.joined(separator: ", "))\(hint)"); return nil
            }
            return c
        }
        for (k, v) in mapping {
            guard let key = k.scalar?.string else { err(k, "keys must be plain words"); continue }
            switch key {
            case "inbox": if let s = string(v, key) { config.inbox = path(s) }
            case "outbox": if let s = string(v, key) { config.outbox = path(s) }
            case "state": if let s = string(v, key) { config.state = path(s) }
            case "archive": if let s = string(v, key) { config.archive = path(s) }
            case "rules": if let l = list(v, key) { config.rules = l.map(path) }
            case "ignore": if let l = list(v, key) { config.ignore = l }
            case "formats":
                if let l = list(v, key) {
                    var formats = [ReportFormat]()
                    for f in l {
                        if let format = ReportFormat(rawValue: f) { formats.append(format) } else {
                            let hint = DidYouMean.suggest(f, among: ReportFormat.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
                            err(v, "unknown report format '\(f)'\(hint)")
                        }
                    }
                    if !formats.isEmpty { config.formats = formats }
                }
            case "after": if let c = choice(v, key, After.self) { config.after = c }
            case "watch": if let c = choice(v, key, WatchMode.self) { config.watch = c }
            case "settle_ms": if let n = int(v, key, min: 0) { config.settleMs = n }
            case "max_bytes": if let n = int(v, key, min: 1) { config.maxBytes = n }
            case "workers": if let n = int(v, key, min: 1) { config.workers = n }
            case "poll_interval_ms": if let n = int(v, key, min: 10) { config.pollIntervalMs = n }
            case "rescan_interval_ms": if let n = int(v, key, min: 100) { config.rescanIntervalMs = n }
            case "queue": if let n = int(v, key, min: 1) { config.queueCapacity = n }
            case "pattern_limit_ms": if let n = int(v, key, min: 1) { config.patternLimitMs = n }
            default:
                let hint = DidYouMean.suggest(key, among: keys).map { "; did you mean '\($0)'?" }
                    ?? "; allowed: \(keys.joined(separator: ", "))"
                err(k, "unknown key '\(key)'\(hint)")
            }
        }
        if !errors.isEmpty { throw ConfigError(errors: errors) }
        return config
    }
}
