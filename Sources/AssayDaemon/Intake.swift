import AssayCore
import AssayStore
import Foundation
import Glibc

/// Takes one input from the inbox to the outbox: opens it safely, refuses what cannot be checked,
/// checks it once per content, writes the reports atomically, records the result, then keeps, moves or
/// deletes the input. Safe to call from several workers at once.
public final class Intake: @unchecked Sendable {
    /// What became of one input.
    public enum Disposition: Sendable, Equatable {
        case checked(stem: String)
        /// The same content was checked before; nothing was written.
        case skipped
        case rejected(reason: String)
        /// A failure that may pass (I/O); the input stays and is retried on a later scan.
        case failed(reason: String)
        /// The name was gone or is not ours to take (a rename raced us).
        case vanished
    }

    public let inbox: Inbox
    public let outbox: OutboxWriter
    public let store: StateStore
    public let rules: RuleBook
    public let config: DaemonConfig
    private let lock = NSLock()
    private var stemsInHand = [String: String]()  // stem → sha256
    private var seen = [String: Inbox.Signature]()

    public init(inbox: Inbox, outbox: OutboxWriter, store: StateStore, rules: RuleBook, config: DaemonConfig) {
        self.inbox = inbox
        self.outbox = outbox
        self.store = store
        self.rules = rules
        self.config = config
    }

    /// Whether this name was already dealt with in exactly this state (so a rescan need not read it again).
    public func isSettled(_ name: String, _ signature: Inbox.Signature) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return seen[name] == signature
    }

    private func settle(_ name: String, _ signature: Inbox.Signature?) {
        lock.lock(); defer { lock.unlock() }
        if let signature { seen[name] = signature } else { seen[name] = nil }
    }

    /// Checks the input `name` in `folder` (the inbox unless re-checking the archive). With `recheck`,
    /// content already checked with other rules is checked again with the current ones.
    public func process(_ name: String, in folder: String? = nil, recheck: Bool = false) -> Disposition {
        let path = ((folder ?? inbox.folder) as NSString).appendingPathComponent(name)
        let before = inbox.signatureOf(path: path)
        let disposition = take(name, path: path, recheck: recheck)
        switch disposition {
        case .failed, .vanished: settle(name, nil)
        case .rejected: settle(name, before)  // stays in the inbox; taken again only when it changes
        case .checked, .skipped: settle(name, config.after == .keep || folder != nil ? before : nil)
        }
        return disposition
    }

    private func take(_ name: String, path: String, recheck: Bool) -> Disposition {
        // Refuse what is not a regular file before opening it (opening a device can have effects);
        // O_NOFOLLOW and fstat below close the race with a swap after this look.
        var pre = stat()
        if lstat(path, &pre) == 0, pre.st_mode & S_IFMT != S_IFREG {
            return reject(name, sha: nil, size: 0, reason: "is \(Self.kind(pre.st_mode)) (only regular files are checked)")
        }
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let e = errno
            switch e {
            case ENOENT: return .vanished
            case ELOOP: return reject(name, sha: nil, size: 0, reason: "is a symbolic link (only regular files are checked)")
            case EACCES, EPERM: return reject(name, sha: nil, size: 0, reason: "cannot be read: permission denied")
            default: return .failed(reason: "cannot open: \(String(cString: strerror(e)))")
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failed(reason: "cannot stat: \(String(cString: strerror(errno)))") }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            return reject(name, sha: nil, size: 0, reason: "is \(Self.kind(st.st_mode)) (only regular files are checked)")
        }
        let size = Int(st.st_size)
        if size > config.maxBytes {
            return reject(name, sha: nil, size: size,
                          reason: "is \(size) bytes, over the size limit of \(config.maxBytes) bytes (max_bytes)")
        }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 64 * 1024)) }
            let n = bytes[count...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            count += n
            if count > config.maxBytes {
                return reject(name, sha: nil, size: count,
                              reason: "grew over the size limit of \(config.maxBytes) bytes (max_bytes) while being read")
            }
        }
        bytes.removeSubrange(count...)
        let sha = SHA256.hex(bytes)
        let edition = rules.current

        do {
            if recheck ? try store.hasRun(sha256: sha, rulesHash: edition.hash) : try store.hasAnyRun(sha256: sha) {
                finish(name, path: path, sha: sha)
                return .skipped
            }
        } catch {
            return .failed(reason: "\(error)")
        }

        let result: Pipeline.Result
        do {
            result = try edition.pipeline.check(bytes: bytes, name: name)
        } catch {
            return reject(name, sha: sha, size: count, reason: "\(error)")
        }

        let stem: String
        do { stem = try claimStem(for: name, sha: sha) } catch { return .failed(reason: "\(error)") }
        defer { releaseStem(stem) }
        var paths = [String]()
        do {
            for format in config.formats {
                let text = format.renderer.render(result.report, document: result.document, ruleSets: edition.ruleSets)
                paths.append(try outbox.write(text, stem: stem, format: format))
            }
            try store.record(result: result, rulesHash: edition.hash, reportStem: stem, reportPaths: paths)
        } catch {
            try? store.recordFailure(name: name, sha256: sha, size: count, reason: "\(error)")
            return .failed(reason: "\(error)")
        }
        finish(name, path: path, sha: sha)
        return .checked(stem: stem)
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }

    /// The report stem for this input: its own stem unless a different content holds it (store or a
    /// worker right now), then `<stem>-<sha8>`.
    private func claimStem(for name: String, sha: String) throws -> String {
        let own = (name as NSString).deletingPathExtension
        lock.lock(); defer { lock.unlock() }
        var stem = try store.reportStem(sha256: sha, stem: own)
        if let holder = stemsInHand[stem], holder != sha { stem = "\(own)-\(sha.prefix(8))" }
        stemsInHand[stem] = sha
        return stem
    }

    private func releaseStem(_ stem: String) {
        lock.lock(); stemsInHand[stem] = nil; lock.unlock()
    }

    /// Applies `after:` to a checked input.
    private func finish(_ name: String, path: String, sha: String) {
        guard path == inbox.path(name) else { return }  // re-checks in the archive stay where they are
        switch config.after {
        case .keep: break
        case .delete: unlink(path)
        case .move:
            let archive = config.archiveFolder
            try? FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
            var target = (archive as NSString).appendingPathComponent(name)
            if access(target, F_OK) == 0 {
                let ext = (name as NSString).pathExtension
                let stem = (name as NSString).deletingPathExtension
                target = (archive as NSString).appendingPathComponent("\(stem)-\(sha.prefix(8))" + (ext.isEmpty ? "" : ".\(ext)"))
            }
            rename(path, target)
        }
    }

    /// Records a refusal and writes `<stem>.rejected.json` into the outbox.
    private func reject(_ name: String, sha: String?, size: Int, reason: String) -> Disposition {
        let now = Date()
        do {
            // Report first, then the store: the same order as for checked documents.
            try outbox.write(Self.rejectionReport(name: name, sha256: sha, size: size, reason: reason, at: now),
                             name: "\((name as NSString).deletingPathExtension).rejected.json")
            try store.recordRejection(name: name, sha256: sha, size: size, reason: reason, now: now)
        } catch {
            return .failed(reason: "\(error)")
        }
        return .rejected(reason: reason)
    }

    /// The rejection report: `{"schema": "assay.rejection/1", "document": {…}, "rejected": {"reason": …}}`.
    public static func rejectionReport(name: String, sha256: String?, size: Int, reason: String, at: Date) -> String {
        var document: [(String, JSONValue)] = [("name", .string(name)), ("size", .int(size))]
        if let sha256 { document.append(("sha256", .string(sha256))) }
        let value = JSONValue.object([
            ("schema", .string("assay.rejection/1")),
            ("assay_version", .string(AssayVersion.current)),
            ("rejected_at", .string(Report.timestamp(at))),
            ("document", .object(document)),
            ("rejected", .object([("reason", .string(reason))])),
        ])
        return value.rendered(pretty: true) + "\n"
    }
}

extension Inbox {
    /// The signature of any path (used for inputs in the archive as well).
    public func signatureOf(path: String) -> Signature? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return Signature(inode: UInt64(st.st_ino), size: Int64(st.st_size),
                         mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec), modeBits: st.st_mode)
    }
}
