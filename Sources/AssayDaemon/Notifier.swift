import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation
import Glibc

/// Speaks systemd's notify protocol by hand: one datagram per message to the AF_UNIX socket named in
/// `$NOTIFY_SOCKET` (a leading `@` means the abstract namespace). Silent when the variable is unset.
public final class Notifier: @unchecked Sendable {
    private let fd: Int32
    private var address = sockaddr_un()
    private var addressLength: socklen_t = 0
    private let lock = NSLock()

    /// Half of `$WATCHDOG_USEC` (when the watchdog is meant for this process), in seconds.
    public let watchdogInterval: Double?

    /// A notifier for the socket in `NOTIFY_SOCKET` of `environment`; inactive when it is unset, empty or too
    /// long for a socket address.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let usec = environment["WATCHDOG_USEC"].flatMap(UInt64.init), usec > 0,
            environment["WATCHDOG_PID"].flatMap(Int32.init).map({ $0 == getpid() }) ?? true
        {
            watchdogInterval = Double(usec) / 2_000_000
        } else {
            watchdogInterval = nil
        }
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty,
            path.utf8.count < MemoryLayout.size(ofValue: address.sun_path)
        else {
            fd = -1
            return
        }
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        addressLength = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether a service manager listens.
    public var isActive: Bool { fd >= 0 }

    /// Sends `lines` (e.g. `["READY=1", "STATUS=…"]`) as one datagram.
    public func send(_ lines: String...) {
        guard fd >= 0 else { return }
        let message = Array(lines.joined(separator: "\n").utf8)
        lock.lock(); defer { lock.unlock() }
        _ = withUnsafePointer(to: &address) { a in
            a.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sa, addressLength) }
            }
        }
    }

    /// Tells systemd the daemon is ready, with a status line.
    public func ready(status: String) { send("READY=1", "STATUS=\(status)") }
    /// Tells systemd the daemon is reloading its rules, with the monotonic time systemd requires.
    public func reloading() { send("RELOADING=1", "MONOTONIC_USEC=\(Self.monotonicMicroseconds())") }
    /// Tells systemd the daemon is stopping.
    public func stopping() { send("STOPPING=1") }
    /// Pets the watchdog.
    public func watchdog() { send("WATCHDOG=1") }
    /// Sets the status line systemd shows.
    public func status(_ text: String) { send("STATUS=\(text)") }

    /// CLOCK_MONOTONIC in microseconds, as systemd wants it with `RELOADING=1`.
    public static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
    }
}
