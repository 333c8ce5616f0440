import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A converter program (poppler's pdftotext, tesseract …) run as a subprocess, safely: found by absolute
/// path in /usr/bin or /bin only (never through the caller's PATH), its arguments an array (never a
/// shell), stdin from /dev/null, a minimal environment (PATH, LANG=C.UTF-8, OMP_THREAD_LIMIT=1, TMPDIR and
/// HOME the conversion's own temporary directory), its own process group so that it and its children are killed
/// together at the deadline, and its stdout and stderr read through pipes with a size cap.
struct ExternalTool {
    /// Why a run failed; the converter words it for people.
    enum Failure: Error, Equatable {
        /// The program is in neither /usr/bin nor /bin.
        case notInstalled(String)
        /// The deadline passed; the program was killed.
        case timedOut(String)
        /// Its output passed the cap; the program was killed.
        case outputTooLarge(String, cap: Int)
        /// It could not be started (the errno's description).
        case notStarted(String, String)
        /// It exited with a status other than 0 (or was killed by a signal); its stderr.
        case failed(String, status: Int32, stderr: String)
    }

    /// What a run gave.
    struct Output {
        var stdout: [UInt8]
        var stderr: String
    }

    /// The directories searched, in order.
    static let searched = ["/usr/bin", "/bin"]

    /// The absolute path of the program `name`, when installed.
    static func path(of name: String) -> String? {
        guard !name.contains("/") else { return nil }
        return searched.map { "\($0)/\(name)" }.first { access($0, X_OK) == 0 }
    }

    /// Runs `name` with `arguments`, `directory` its temporary directory (TMPDIR and HOME; paths given to it are absolute), until `deadline`,
    /// keeping at most `cap` bytes of stdout (and 64 KiB of stderr).
    static func run(
        _ name: String, _ arguments: [String], in directory: TemporaryDirectory, deadline: ContinuousClock.Instant,
        cap: Int
    ) throws(Failure) -> Output {
        guard let path = path(of: name) else { throw .notInstalled(name) }
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // Close-on-exec, so that tools started at the same time by other threads do not hold these pipes open
        // (the child's own ends are dup2'ed to 1 and 2, which clears the flag there).
        guard pipe(&outPipe) == 0 else { throw .notStarted(name, String(cString: strerror(errno))) }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            throw .notStarted(name, String(cString: strerror(errno)))
        }
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let environment = [
            "PATH=/usr/bin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "OMP_THREAD_LIMIT=1", "TMPDIR=\(directory.path)",
            "HOME=\(directory.path)",
        ]
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        defer {
            close(outPipe[0])
            close(errPipe[0])
        }
        guard spawned == 0 else { throw .notStarted(name, String(cString: strerror(spawned))) }

        var out = [UInt8]()
        var err = [UInt8]()
        var open = [true, true]
        var buffer = [UInt8](repeating: 0, count: 65536)
        var stop: Failure?
        while open[0] || open[1] {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero {
                stop = .timedOut(name)
                break
            }
            let ms = Int32(
                clamping: left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1)
            var fds = [
                pollfd(fd: open[0] ? outPipe[0] : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? errPipe[0] : -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, ms)
            if ready < 0 {
                if errno == EINTR { continue }
                stop = .notStarted(name, String(cString: strerror(errno)))
                break
            }
            for i in 0..<2 where open[i] && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    open[i] = false
                } else if i == 0 {
                    out.append(contentsOf: buffer[0..<n])
                    if out.count > cap { stop = .outputTooLarge(name, cap: cap) }
                } else if err.count < 65536 {
                    err.append(contentsOf: buffer[0..<min(n, 65536 - err.count)])
                }
            }
            if stop != nil { break }
        }
        if stop != nil { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if let stop { throw stop }
        let stderr = String(decoding: err, as: UTF8.self)
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        let exited = status & 0x7f == 0
        guard exited && (status >> 8) & 0xff == 0 else {
            throw .failed(name, status: exited ? (status >> 8) & 0xff : -(status & 0x7f), stderr: stderr)
        }
        return Output(stdout: out, stderr: stderr)
    }

    /// A private temporary directory (mode 0700) for one conversion: the input file (mode 0600), the tools'
    /// output and their temporary files; removed with everything in it by `remove()`.
    final class TemporaryDirectory: Sendable {
        /// Its absolute path.
        let path: String

        /// A new directory under the system's temporary directory; nil when none can be made.
        init?() {
            var template = Array((NSTemporaryDirectory() + "/assay-convert-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { return nil }
            path = String(cString: made)
        }

        /// Writes `bytes` to a new file `name` in the directory, readable by the owner only.
        func write(_ bytes: [UInt8], to name: String) -> String? {
            let file = path + "/" + name
            let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var written = 0
            while written < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return nil }
                written += n
            }
            return file
        }

        /// Removes the directory and everything in it.
        func remove() {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
