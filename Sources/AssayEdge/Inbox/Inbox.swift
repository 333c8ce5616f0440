import AssayRenderers
import AssayValues
import Foundation
import Glibc

/// The folder people drop bulletins into: which names are candidates, and listing them.
public struct Inbox: Sendable {
    /// The inbox folder's path.
    public var folder: String
    /// Names never taken: temporary files of editors, browsers and copy tools, plus configured patterns.
    public var ignorePatterns: [String]
    /// Folder names inside the inbox that belong to the daemon (archive, outbox, state) and are skipped.
    public var ownNames: Set<String>
    /// Whether `folder` is a key path (`FileName.keyPath`), every component of it standing for exact bytes,
    /// as the command line lists a subfolder whose name is not UTF-8. False (the default, as the daemon's
    /// folders are configured): `folder` is taken as text, and only the last component of a path is a key.
    public var folderIsKeyPath = false

    /// Name patterns (`fnmatch`) never taken as bulletins: hidden files, partial downloads and editor files,
    /// and Assay's own outputs (`*.findings.*`, `*.rejected.json`).
    public static let temporaryPatterns = [
        ".*", "*.tmp", "*.part", "*.crdownload", "~$*", "*.swp", "*~",
        "*.findings.*", "*.rejected.json",
    ]

    /// An inbox at `folder`, ignoring `temporaryPatterns` plus `ignore`; of `ownPaths`, those directly inside
    /// the inbox are skipped by name.
    public init(folder: String, ignore: [String] = [], ownPaths: [String] = []) {
        self.folder = folder
        ignorePatterns = Self.temporaryPatterns + ignore
        let standardized = (folder as NSString).standardizingPath
        ownNames = Set(
            ownPaths.compactMap { p in
                let s = (p as NSString).standardizingPath
                return (s as NSString).deletingLastPathComponent == standardized
                    ? (s as NSString).lastPathComponent : nil
            })
    }

    /// Whether a name in the inbox is a candidate for checking.
    public func accepts(_ name: String) -> Bool {
        if name.isEmpty || ownNames.contains(name) { return false }
        for p in ignorePatterns where fnmatch(p, name, 0) == 0 { return false }
        return true
    }

    /// The path of a name in the inbox.
    public func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// Identity and state of a directory entry without following symlinks.
    public struct Signature: Sendable, Hashable {
        /// The file's inode number.
        public var inode: UInt64
        /// The file's size in bytes.
        public var size: Int64
        /// The last modification time, in nanoseconds since 1970-01-01 UTC.
        public var mtimeNs: Int64
        /// The `st_mode` bits: file type and permissions.
        public var modeBits: UInt32

        /// Seconds since the last modification, by the real-time clock (negative for a time in the future).
        public var age: Double {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            return Double(Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec) - mtimeNs) / 1e9
        }
    }

    /// The signature of a name in the inbox, without following symlinks; nil when it does not exist.
    public func signature(_ name: String) -> Signature? { signatureOf(path: path(name)) }

    /// The signature of any path (used for inputs in the archive as well); nil when it does not exist. With
    /// `folderIsKeyPath`, `path` is a key path too.
    public func signatureOf(path: String) -> Signature? {
        var st = stat()
        guard lstat(folderIsKeyPath ? FileName.cPath(keyPath: path) : FileName.cPath(path), &st) == 0 else {
            return nil
        }
        return Signature(
            inode: UInt64(st.st_ino), size: Int64(st.st_size),
            mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec), modeBits: st.st_mode)
    }

    /// The candidate names present now as keys (`FileName`: any bytes, not only UTF-8), sorted
    /// (oldest-name-first is as good as any, and stable). Nil when the inbox cannot be listed (removed, or
    /// not a folder).
    public func list() -> [String]? {
        guard let dir = folderIsKeyPath ? opendir(FileName.cPath(keyPath: folder)) : opendir(folder) else {
            return nil
        }
        defer { closedir(dir) }
        var names = [String]()
        while let e = readdir(dir) {
            // d_name's bytes as they are (a GBK name from a Windows zip is no UTF-8): a `FileName` key.
            let name = withUnsafeBytes(of: &e.pointee.d_name) { FileName.key(bytes: Array($0.prefix { $0 != 0 })) }
            if name == "." || name == ".." || !accepts(name) { continue }
            names.append(name)
        }
        return names.sorted()
    }
}
