import AssayRenderers
import AssayValues
import CAssayNative
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes reports into a folder atomically: a temporary dot-file, fsync, then rename into
/// `<stem>.findings.<ext>`. A reader never sees half a report; a crash leaves only a dot-file behind.
public struct OutboxWriter: Sendable {
    /// The outbox folder reports are written into; it must exist.
    public var folder: String

    /// A writer into `folder`.
    public init(folder: String) {
        self.folder = folder
    }

    /// A report that could not be written: the path concerned and the system's reason.
    public struct WriteError: Error, CustomStringConvertible {
        /// The temporary or final path the failing call was about.
        public var path: String
        /// The system's error message (`strerror`), or what could not be done.
        public var reason: String
        /// "path: reason".
        public var description: String { "\(path): \(reason)" }
    }

    /// Writes and returns the final path.
    @discardableResult
    public func write(_ text: String, stem: String, format: ReportFormat) throws -> String {
        try write(text, name: ReportNaming.reportName(stem: stem, format: format))
    }

    /// Writes text as UTF-8 under `name` in the outbox, atomically, and returns the final path; throws `WriteError`.
    @discardableResult
    public func write(_ text: String, name: String) throws -> String {
        try write(Array(text.utf8), name: name)
    }

    /// Writes the bytes under a temporary name, syncs them, then renames them into place.
    @discardableResult
    public func write(_ bytes: [UInt8], name: String) throws -> String {
        let file = try Self.writeTemporary(bytes, folder: folder, name: name)
        let synced = fsync(file.fd) == 0 ? 0 : errno
        close(file.fd)
        guard synced == 0 else {
            unlink(file.temp)
            throw WriteError(path: file.temp, reason: "cannot sync: \(String(cString: strerror(synced)))")
        }
        guard rename(file.temp, file.final) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(file.temp)
            throw WriteError(path: file.final, reason: reason)
        }
        return file.final
    }

    /// Writes several files and makes them durable together, as the daemon's committer does: each into its
    /// temporary file, then one syncfs() of the outbox's file system (one journal commit for the batch)
    /// instead of an fsync() per file, then each renamed into place. When syncfs fails, each file is
    /// fsynced. Returns each write's error (nil when written), in order; a failed file leaves nothing behind.
    public func writeAll(_ items: [(bytes: [UInt8], name: String)]) -> [WriteError?] {
        var errors = [WriteError?](repeating: nil, count: items.count)
        var open = [(index: Int, fd: Int32, temp: String, final: String)]()
        for (i, item) in items.enumerated() {
            do {
                let f = try Self.writeTemporary(item.bytes, folder: folder, name: item.name)
                open.append((i, f.fd, f.temp, f.final))
            } catch let e as WriteError { errors[i] = e } catch {
                errors[i] = WriteError(path: item.name, reason: "\(error)")
            }
        }
        let synced = open.count > 1 && assay_syncfs(open[0].fd) == 0
        for f in open {
            if !synced, fsync(f.fd) != 0 {
                errors[f.index] = WriteError(path: f.temp, reason: "cannot sync: \(String(cString: strerror(errno)))")
                close(f.fd)
                unlink(f.temp)
                continue
            }
            close(f.fd)
            if rename(f.temp, f.final) != 0 {
                errors[f.index] = WriteError(path: f.final, reason: String(cString: strerror(errno)))
                unlink(f.temp)
            }
        }
        return errors
    }

    /// Writes the bytes into a temporary dot-file beside their final name and returns it open, written
    /// but not yet synced (the daemon's committer syncs a batch of them at once). The temporary name
    /// (`.<name>.<pid>.<random>.tmp`) is what a start after a crash clears away.
    public static func writeTemporary(_ bytes: [UInt8], folder: String, name: String) throws -> (
        fd: Int32, temp: String, final: String
    ) {
        let final = (folder as NSString).appendingPathComponent(name)
        // Within the 255 bytes of a file name whatever the final name's length; still named so that
        // `removeStaleTemporaries` knows it (`.….findings.….tmp` or `.….rejected.json.….tmp`).
        let shown =
            name.utf8.count <= 200
            ? name : name.hasSuffix(".rejected.json") ? "assay.rejected.json" : "assay.findings.report"
        let temp = (folder as NSString).appendingPathComponent(
            ".\(shown).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        var fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0, errno == ENOENT {
            // The outbox was removed (by hand, by a clean-up job): made again, as the archive is.
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw WriteError(path: temp, reason: String(cString: strerror(errno))) }
        let failure: Int32 = bytes.withUnsafeBufferPointer { buffer in
            var written = 0
            while written < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return 0
        }
        if failure != 0 {
            close(fd); unlink(temp)
            throw WriteError(path: temp, reason: String(cString: strerror(failure)))
        }
        return (fd, temp, final)
    }
}
