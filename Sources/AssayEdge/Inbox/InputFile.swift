import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reading one input, for the daemon and the command line alike: only a regular file, never a device, a
/// FIFO or a folder (opening them can block or have effects), by default never through a symbolic link,
/// within a size limit that also holds while a growing file is read.
public enum InputFile {
    /// Why an input was not read. The daemon rejects (or retries) with these reasons; the command line
    /// prints them.
    public enum ReadError: Error, Equatable, Sendable, CustomStringConvertible {
        /// The path does not exist (any more).
        case vanished
        /// Not a regular file: `kind` says what it is ("a folder", "a FIFO (named pipe)", …).
        case notRegular(kind: String)
        /// The path is a symbolic link and links are not followed.
        case symbolicLink
        /// The file exists but may not be read.
        case permissionDenied
        /// Over `limit` bytes: `size` when it was opened, or the bytes read so far when it `grew` while read.
        case tooLarge(size: Int, limit: Int, grew: Bool)
        /// Opening, inspecting or reading failed for another reason (the system's words).
        case failed(String)

        /// The reason in words, as the daemon's rejections and the command line's errors give it.
        public var description: String {
            switch self {
            case .vanished: return "no such file"
            case .notRegular(let kind): return "is \(kind) (only regular files are checked)"
            case .symbolicLink: return "is a symbolic link (only regular files are checked)"
            case .permissionDenied: return "cannot be read: permission denied"
            case .tooLarge(let size, let limit, false): return "is \(size) bytes, over the size limit of \(limit) bytes"
            case .tooLarge(_, let limit, true): return "grew over the size limit of \(limit) bytes while being read"
            case .failed(let reason): return reason
            }
        }
    }

    /// The whole content of the file at `path`, read to its end (a file still growing is read as far as it
    /// goes, within `maxBytes`). With `followSymbolicLinks` false a link is refused, checked when opening
    /// (`O_NOFOLLOW`), so a swap between a look and the open cannot smuggle one in.
    ///
    /// The last component of `path` may be a `FileName` key: the system calls get the name's exact bytes.
    public static func read(_ path: String, maxBytes: Int, followSymbolicLinks: Bool = false) -> Result<
        [UInt8], ReadError
    > {
        read(cPath: FileName.cPath(path), maxBytes: maxBytes, followSymbolicLinks: followSymbolicLinks)
    }

    /// `read(_:maxBytes:followSymbolicLinks:)` for a key path (`FileName.keyPath`), whose every component
    /// may stand for a name that is not UTF-8 (a file in a folder with a GBK name).
    public static func read(keyPath: String, maxBytes: Int, followSymbolicLinks: Bool = false) -> Result<
        [UInt8], ReadError
    > {
        read(cPath: FileName.cPath(keyPath: keyPath), maxBytes: maxBytes, followSymbolicLinks: followSymbolicLinks)
    }

    /// The reading itself, given the path's exact bytes.
    static func read(cPath: [CChar], maxBytes: Int, followSymbolicLinks: Bool) -> Result<[UInt8], ReadError> {
        // Refuse what is not a regular file before opening it; fstat below closes the race with a swap.
        var pre = stat()
        if (followSymbolicLinks ? stat(cPath, &pre) : lstat(cPath, &pre)) == 0, pre.st_mode & S_IFMT != S_IFREG {
            return .failure(.notRegular(kind: kind(pre.st_mode)))
        }
        let fd = open(cPath, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followSymbolicLinks ? 0 : O_NOFOLLOW))
        if fd < 0 {
            let e = errno
            switch e {
            case ENOENT, ENOTDIR: return .failure(.vanished)
            case ELOOP: return .failure(.symbolicLink)
            case EACCES, EPERM: return .failure(.permissionDenied)
            default: return .failure(.failed("cannot open: \(String(cString: strerror(e)))"))
            }
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.failed("cannot stat: \(String(cString: strerror(errno)))")) }
        guard st.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular(kind: kind(st.st_mode))) }
        let size = Int(st.st_size)
        if size > maxBytes { return .failure(.tooLarge(size: size, limit: maxBytes, grew: false)) }
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 64 * 1024)) }
            let n = bytes[count...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.failed("cannot read: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            count += n
            if count > maxBytes { return .failure(.tooLarge(size: count, limit: maxBytes, grew: true)) }
        }
        bytes.removeSubrange(count...)
        return .success(bytes)
    }

    /// What a file mode says a path is, for messages: "a symbolic link", "a folder", "a FIFO (named pipe)",
    /// "a socket", "a device"; "not a regular file" otherwise.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFREG: return "a regular file"
        default: return "not a regular file"
        }
    }
}
