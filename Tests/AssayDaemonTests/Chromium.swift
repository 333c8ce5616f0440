import Foundation
import Glibc

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: the browser
/// reads commands from its fd 3 and writes answers and events to its fd 4, each a JSON text ended by a NUL).
/// No WebSocket and no driver library: the protocol's own transport, from Swift.
///
/// Used by the browser test of the review pages: it navigates, reads the page with `Runtime.evaluate`,
/// fills and sends forms as a person would (the browser keeps the cookies and sends the Origin), and takes
/// screenshots.
final class Chromium {
    /// The browser's executable: `chromium` from Debian, else `chromium-browser` or `google-chrome`.
    static var executable: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            access($0, X_OK) == 0
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    private let commands: Int32
    private let answers: Int32
    private var pending = [UInt8]()
    private var nextID = 0
    private var session: String?
    private let profile: String

    /// Starts a headless browser with a fresh profile and opens one page.
    init(executable: String) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("assay-chromium-\(UUID())").path
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        // The pipes' ends are moved above fd 10 so that dup2 to 3 and 4 in the child never meets one of them.
        func pipePair() throws -> (Int32, Int32) {
            var fds: [Int32] = [0, 0]
            guard pipe(&fds) == 0 else { throw Failure(description: "pipe: \(errno)") }
            let r = fcntl(fds[0], F_DUPFD_CLOEXEC, 10)
            let w = fcntl(fds[1], F_DUPFD_CLOEXEC, 10)
            close(fds[0])
            close(fds[1])
            return (r, w)
        }
        let (toBrowserR, toBrowserW) = try pipePair()
        let (fromBrowserR, fromBrowserW) = try pipePair()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toBrowserR, 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowserW, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var args = [
            executable, "--headless=new", "--remote-debugging-pipe", "--user-data-dir=\(profile)", "--no-first-run",
            "--no-default-browser-check", "--disable-gpu", "--disable-dev-shm-usage", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--lang=zh-CN", "--window-size=1280,900",
            "about:blank",
        ]
        // Chromium's own sandbox needs user namespaces, which a root CI container usually lacks.
        if getuid() == 0 { args.insert("--no-sandbox", at: 1) }
        var cargs = args.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, &cargs, environ)
        close(toBrowserR)
        close(fromBrowserW)
        guard rc == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(rc)))")
        }
        pid = child
        commands = toBrowserW
        answers = fromBrowserR
        let target = try call("Target.createTarget", ["url": "about:blank"])
        let attached = try call(
            "Target.attachToTarget", ["targetId": target["targetId"] as? String ?? "", "flatten": true])
        session = attached["sessionId"] as? String
        _ = try call("Page.enable")
    }

    deinit { quit() }

    private var quitted = false

    /// Closes the browser and removes its profile.
    func quit() {
        guard !quitted else { return }
        quitted = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<50 {
            if waitpid(pid, &status, WNOHANG) == pid { break }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, WNOHANG)
        close(commands)
        close(answers)
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Sends a command (to the page's session once there is one) and returns its result; a protocol error,
    /// or no answer within `timeout` seconds, throws.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], timeout: Double = 20) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "the browser closed its pipe") }
            sent += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = pending.firstIndex(of: 0) {
                let text = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let answer = try JSONSerialization.jsonObject(with: text) as? [String: Any],
                    answer["id"] as? Int == nextID
                else { continue }  // an event, or the answer to an earlier command
                if let error = answer["error"] as? [String: Any] {
                    throw Failure(description: "\(method): \(error["message"] ?? error)")
                }
                return answer["result"] as? [String: Any] ?? [:]
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "\(method): no answer in \(timeout) s") }
            var p = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, Int32(left * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = read(answers, &chunk, chunk.count)
            guard n > 0 else { throw Failure(description: "\(method): the browser closed its pipe") }
            pending += chunk[..<n]
        }
    }

    /// The value of a JavaScript expression in the page (JSON-serialisable values only).
    func evaluate(_ expression: String) throws -> Any? {
        let r = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let e = r["exceptionDetails"] as? [String: Any] {
            throw Failure(description: "\(expression): \((e["exception"] as? [String: Any])?["description"] ?? e)")
        }
        return (r["result"] as? [String: Any])?["value"]
    }

    /// Waits until the page at a URL for which `url` holds has loaded; returns that URL.
    @discardableResult
    func waitForPage(timeout: Double = 20, _ url: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            if let state = try? evaluate("document.readyState + ' ' + location.href") as? String {
                let parts = state.split(separator: " ", maxSplits: 1)
                last = parts.count == 2 ? String(parts[1]) : ""
                if parts.first == "complete", url(last) { return last }
            }
            usleep(50_000)
        }
        throw Failure(description: "no page loaded in \(timeout) s; the browser is at \(last)")
    }

    /// Opens `url` and waits for it to load.
    func open(_ url: String) throws {
        try call("Page.navigate", ["url": url])
    }

    /// A PNG of the page as shown, written to `path`.
    func screenshot(_ path: String) throws {
        let r = try call("Page.captureScreenshot", ["format": "png"])
        guard let b64 = r["data"] as? String, let data = Data(base64Encoded: b64) else {
            throw Failure(description: "no screenshot data")
        }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
