import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes reports into a folder atomically: a temporary dot-file, fsync, then rename into
/// `<stem>.findings.<ext>`. A reader never sees half a report; a crash leaves only a dot-file behind.
public struct OutboxWriter: Sendable {
    public var folder: String

    public init(folder: String) {
        self.folder = folder
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public static func fileName(stem: String, format: ReportFormat) -> String {
        "\(stem).findings.\(format.fileExtension)"
    }

    /// Writes and returns the final path.
    @discardableResult
    public func write(_ text: String, stem: String, format: ReportFormat) throws -> String {
        try write(text, name: Self.fileName(stem: stem, format: format))
    }

    @discardableResult
    public func write(_ text: String, name: String) throws -> String {
        let final = (folder as NSString).appendingPathComponent(name)
        let temp = (folder as NSString).appendingPathComponent(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: temp, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd); unlink(temp)
                throw WriteError(path: temp, reason: reason)
            }
            written += n
        }
        fsync(fd)
        close(fd)
        guard rename(temp, final) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw WriteError(path: final, reason: reason)
        }
        return final
    }
}
