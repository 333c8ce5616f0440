import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation
import Glibc
import Logging

/// A swift-log handler writing one line per message to standard error. Under systemd (`$JOURNAL_STREAM`
/// set) each line starts with the syslog priority `<N>` that journald turns into the entry's priority.
public struct JournalLogHandler: LogHandler {
    /// The lowest level written; `info` by default.
    public var logLevel: Logger.Level = .info
    /// Logger metadata; kept as swift-log asks, but not written into the lines.
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let journal: Bool

    /// A handler; `journal` (true when `$JOURNAL_STREAM` is set) prefixes each line with its syslog priority
    /// instead of a UTC timestamp and level.
    public init(label: String, journal: Bool = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil) {
        self.label = label
        self.journal = journal
    }

    /// One metadata value by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    /// Writes one line to standard error: `<N>message` under journald, else `timestamp level: message`.
    public func log(event: LogEvent) {
        // Control characters are escaped whatever the message; a newline kept in a message starts a line
        // that carries the same priority, so no text can forge an entry of another priority.
        let message = FileName.escapingControls("\(event.message)", keepingNewlines: true)
        let line: String
        if journal {
            let prefix = "<\(Self.priority(event.level))>"
            line = prefix + message.replacingOccurrences(of: "\n", with: "\n" + prefix) + "\n"
        } else {
            line = "\(LogClock.now()) \(event.level.rawValue): \(message)\n"
        }
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}

enum LogClock {
    static func now() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        var t = tv.tv_sec
        var tmv = tm()
        gmtime_r(&t, &tmv)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday,
            tmv.tm_hour, tmv.tm_min, tmv.tm_sec, Int(tv.tv_usec / 1000))
    }
}
