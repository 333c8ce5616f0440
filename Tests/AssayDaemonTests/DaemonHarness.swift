import AssayStore
import AssayTestSupport
import Foundation
import Glibc

/// Runs the built `assay watch` as a subprocess in a temporary folder, playing systemd's notify socket:
/// a Unix datagram socket whose path is passed in `NOTIFY_SOCKET`. Collects every message it receives.
final class DaemonHarness: @unchecked Sendable {
    static let sample = samplePath

    let root: String
    var inbox: String { root + "/inbox" }
    var outbox: String { root + "/reports" }
    var state: String { root + "/state" }
    var stderrPath: String { root + "/stderr.log" }
    let socketPath: String
    private let fd: Int32
    private let lock = NSLock()
    private var received = [String]()
    private var reader: Thread?
    private(set) var process: Process?

    init() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "assay-daemon-\(UUID().uuidString.prefix(8))"
        ).path
        try FileManager.default.createDirectory(atPath: dir + "/inbox", withIntermediateDirectories: true)
        root = dir
        socketPath = dir + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in socketPath.utf8.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        precondition(rc == 0, "bind notify socket")
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let t = Thread { [self] in
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buf, buf.count, 0)
                if n > 0 {
                    let m = String(decoding: buf[0..<n], as: UTF8.self)
                    lock.lock(); received.append(m); lock.unlock()
                } else if n < 0 && errno != EAGAIN && errno != EINTR {
                    return
                }
            }
        }
        t.start()
        reader = t
    }

    deinit {
        if let p = process, p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        try? FileManager.default.removeItem(atPath: root)
    }

    var messages: [String] {
        lock.lock(); defer { lock.unlock() }
        return received
    }

    func clearMessages() { lock.lock(); received.removeAll(); lock.unlock() }

    /// Starts `assay watch` with short timings; extra arguments after.
    func start(_ extra: [String] = [], environment: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = AssayBinary.url
        p.arguments =
            [
                "watch", "--inbox", inbox, "--outbox", outbox, "--state", state, "--settle-ms", "400",
                "--poll-interval-ms", "100",
            ] + extra
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = socketPath
        env["WATCHDOG_USEC"] = nil
        env["JOURNAL_STREAM"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let created = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        precondition(created, "the harness cannot create \(stderrPath)")
        let err = FileHandle(forWritingAtPath: stderrPath)!
        err.seekToEndOfFile()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        process = p
    }

    func signal(_ sig: Int32) { if let p = process { kill(p.processIdentifier, sig) } }

    /// SIGTERM and wait; returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        guard let p = process else { return -1 }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        return p.terminationStatus
    }

    func killHard() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits (AssayTestSupport's `waitUntil`, polling every 20 ms) until `condition` holds or `timeout`
    /// seconds pass; whether it held.
    @discardableResult
    func wait(_ timeout: Double = 10, _ condition: () -> Bool) -> Bool {
        waitUntil(timeout: .milliseconds(Int64(timeout * 1000)), condition)
    }

    /// How many times the daemon's standard error holds `text` so far.
    func stderrCount(_ text: String) -> Int { stderr.components(separatedBy: text).count - 1 }

    func waitForMessage(_ timeout: Double = 10, _ match: (String) -> Bool) -> String? {
        var found: String?
        wait(timeout) {
            found = messages.first(where: match)
            return found != nil
        }
        return found
    }

    func reports(_ suffix: String = ".findings.json") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).filter {
            $0.hasSuffix(suffix) && !$0.hasPrefix(".")
        }
    }

    /// A distinct, small bulletin (the sample's opening, numbered so every one has its own hash).
    static func bulletin(_ n: Int, full: Bool = false) -> [UInt8] {
        let data = FileManager.default.contents(atPath: sample)!
        var text = String(decoding: data, as: UTF8.self)
        if !full { text = String(text.prefix(300)) }
        return Array((text + "\n（编号\(n)）\n").utf8)
    }

    /// Writes a file under a temporary name, then renames it into the inbox.
    func drop(_ name: String, _ bytes: [UInt8]) {
        let tmp = inbox + "/.\(name).part"
        let created = FileManager.default.createFile(atPath: tmp, contents: Data(bytes))
        precondition(created, "the harness cannot create \(tmp)")
        rename(tmp, inbox + "/" + name)
    }

    func write(_ name: String, _ bytes: [UInt8], in folder: String? = nil) {
        let created = FileManager.default.createFile(atPath: (folder ?? inbox) + "/" + name, contents: Data(bytes))
        precondition(created, "the harness cannot create \((folder ?? inbox) + "/" + name)")
    }

    func store() throws -> StateStore { try StateStore(folder: state) }
}
