import ArgumentParser
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayTooling
import AssayValues
import Foundation
import Glibc

/// `assay watch-bench`: measures the daemon from outside, the way systemd and users see it.
/// Starts this same binary as `assay watch` in a temporary folder with N sample-sized bulletins already
/// waiting, and reports: time to READY=1, time to finish the backlog, drop-to-report latency of files
/// renamed into the inbox (p50/p95), the daemon's peak RSS (VmHWM) and how long SIGTERM takes. With
/// `--heavy`, two 200 KB one-line files and one file of `max_bytes` are dropped before the latency drops,
/// which then measure a bulletin's wait behind large inputs.
struct WatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-bench", abstract: "Benchmark the daemon (READY time, backlog, latency, RSS).")

    @Option(help: "The bulletin each generated input is made from (a numbered line is appended).")
    var sample: String

    @Option(help: "Files waiting in the inbox at start.")
    var backlog = 10_000

    @Option(help: "Files dropped by rename one at a time after the backlog, for latency.")
    var drops = 200

    @Option(help: "Workers.")
    var workers = 2

    @Option(
        name: .customLong("format"),
        help:
            "Report format (repeatable), passed to the daemon. Default: the daemon's (json); the installed systemd/assay.yml writes json and html."
    )
    var formats: [String] = []

    @Option(help: "keep, move or delete, passed to the daemon. Default: the daemon's (keep); systemd/assay.yml moves.")
    var after: String?

    @Flag(
        help:
            "Drop two 200 KB one-line files and one 16 MiB file (max_bytes) before the latency drops, and stop the daemon while they are being checked."
    )
    var heavy = false

    @Option(name: .customLong("heavy-16m"), help: "With --heavy: how many 16 MiB files (each of other content).")
    var heavyBig = 1

    func run() throws {
        guard let base = FileManager.default.contents(atPath: sample) else {
            throw ValidationError("cannot read \(sample)")
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bench-\(getpid())").path
        let inbox = root + "/inbox"
        let outbox = root + "/reports"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        func bulletin(_ i: Int) -> Data { base + Data("\n（编号\(i)）\n".utf8) }
        // A bench that could not lay its inputs would measure nothing: stop with the path instead.
        func write(_ path: String, _ data: Data) throws {
            guard FileManager.default.createFile(atPath: path, contents: data) else {
                throw ValidationError("cannot write \(path)")
            }
        }
        for i in 0..<backlog { try write(inbox + String(format: "/b%05d.txt", i), bulletin(i)) }

        // Notify socket and an inotify watch on the outbox (reports arrive by rename).
        let sock = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let sockPath = root + "/notify.sock"
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in sockPath.utf8.enumerated() { raw[i] = b } }
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        let ino = inotify_init1(Int32(IN_NONBLOCK))
        inotify_add_watch(ino, outbox, UInt32(IN_MOVED_TO))

        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments =
            ["watch", "--inbox", inbox, "--outbox", outbox, "--state", root + "/state", "--workers", "\(workers)"]
            + formats.flatMap { ["--format", $0] } + (after.map { ["--after", $0] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env["NOTIFY_SOCKET"] = sockPath
        env["ASSAY_LOG_LEVEL"] = "warning"
        p.environment = env
        p.standardError = FileHandle.nullDevice
        let t0 = now()
        try p.run()

        // A bulletin counts as reported when its report in the first format named (JSON by default) lands.
        let reportSuffix =
            ".findings." + (formats.first.flatMap { ReportFormat(rawValue: $0)?.fileExtension } ?? "json")
        var readyAt: Double?
        var reported = 0
        var arrivals = [String: Double]()
        var buf = [UInt8](repeating: 0, count: 65536)
        func pump(timeout: Int32) {
            var fds = [
                pollfd(fd: sock, events: Int16(POLLIN), revents: 0), pollfd(fd: ino, events: Int16(POLLIN), revents: 0),
            ]
            _ = poll(&fds, 2, timeout)
            while true {
                let n = recv(sock, &buf, buf.count, 0)
                if n <= 0 { break }
                if readyAt == nil, String(decoding: buf[0..<n], as: UTF8.self).contains("READY=1") { readyAt = now() }
            }
            while true {
                let len = read(ino, &buf, buf.count)
                if len <= 0 { break }
                let t = now()
                var off = 0
                while off < len {
                    let (name, size) = buf.withUnsafeBytes { raw -> (String, Int) in
                        let e = raw.load(fromByteOffset: off, as: inotify_event.self)
                        let h = MemoryLayout<inotify_event>.size
                        let s =
                            e.len > 0
                            ? String(
                                cString: raw.baseAddress!.advanced(by: off + h).assumingMemoryBound(to: CChar.self))
                            : ""
                        return (s, h + Int(e.len))
                    }
                    off += size
                    if name.hasSuffix(reportSuffix) || name.hasSuffix(".rejected.json") {
                        if name.hasSuffix(reportSuffix) { reported += 1 }
                        arrivals[name] = t
                    }
                }
            }
        }
        while reported < backlog && now() - t0 < 600 { pump(timeout: 50) }
        let backlogDone = now()
        // Drops go to a daemon that watches (with no backlog, the loop above does not wait for READY).
        while readyAt == nil && now() - t0 < 60 { pump(timeout: 50) }

        let heavyInputs = heavy ? HeavyInputs.files(from: [UInt8](base), big: heavyBig) : []
        let heavyDropped = now()
        for input in heavyInputs {
            let tmp = inbox + "/.\(input.name).part"
            try write(tmp, Data(input.bytes))
            rename(tmp, inbox + "/" + input.name)
        }
        if heavy {
            // Let the workers take them before the first bulletin drops.
            let written = now()
            while now() - written < 0.3 { pump(timeout: 50) }
        }

        var latencies = [Double]()
        for i in 0..<drops {
            let name = String(format: "d%05d", i)
            let tmp = inbox + "/.\(name).part"
            try write(tmp, bulletin(backlog + i))
            let t = now()
            rename(tmp, inbox + "/\(name).txt")
            let deadline = t + 5
            while arrivals[name + reportSuffix] == nil && now() < deadline { pump(timeout: 5) }
            if let a = arrivals[name + reportSuffix] { latencies.append(a - t) }
            usleep(10_000)
        }
        let status = (try? String(contentsOfFile: "/proc/\(p.processIdentifier)/status", encoding: .utf8)) ?? ""
        // The daemon's own CPU time (user + system, clock ticks): steadier than wall time on a busy machine.
        let stat = (try? String(contentsOfFile: "/proc/\(p.processIdentifier)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last.map { $0.split(separator: " ") } ?? []
        let ticks = fields.count > 12 ? (Double(fields[11]) ?? .nan, Double(fields[12]) ?? .nan) : (.nan, .nan)
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        let hwm =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map {
                $0.dropFirst(6).trimmingCharacters(in: .whitespaces)
            } ?? "?"
        let heavyDone = heavyInputs.map { input in
            let stem = (input.name as NSString).deletingPathExtension
            return arrivals.first { $0.key.hasPrefix(stem + ".") || $0.key.hasPrefix(stem + "-") }.map {
                "\(input.name) \(String(format: "%.1f s", $0.value - heavyDropped))"
            } ?? "\(input.name) not yet"
        }
        let stopAt = now()
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        let stopTook = now() - stopAt

        latencies.sort()
        func pct(_ q: Double) -> String {
            latencies.isEmpty
                ? "n/a"
                : String(
                    format: "%.1f ms", latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] * 1000)
        }
        print(
            "sample: \(sample) (\(base.count) bytes), workers: \(workers), formats: \(formats.isEmpty ? "default" : formats.joined(separator: ",")), after: \(after ?? "default")"
        )
        print(String(format: "time to READY with %d files waiting: %.0f ms", backlog, ((readyAt ?? .nan) - t0) * 1000))
        print(
            String(
                format: "backlog of %d files: %.2f s (%d reported)", backlog, backlogDone - t0, min(reported, backlog)))
        print(
            "drop-to-report latency (\(latencies.count)/\(drops) renamed in): p50 \(pct(0.5)), p95 \(pct(0.95)), max \(pct(1.0))"
        )
        print("peak RSS (VmHWM): \(hwm)")
        print(String(format: "daemon CPU: user %.2f s, system %.2f s", ticks.0 / hz, ticks.1 / hz))
        if heavy {
            print("heavy inputs done (report or rejection) when SIGTERM was sent: \(heavyDone.joined(separator: ", "))")
        }
        print(String(format: "daemon exit status after SIGTERM: %d, in %.2f s", p.terminationStatus, stopTook))
    }

    private func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
