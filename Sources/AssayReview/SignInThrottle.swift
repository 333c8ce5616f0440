import Foundation

/// Limits guessing at passwords: after `limit` failed sign-ins within `window` for one name, or from one
/// client address, further attempts for that name or from that address are refused (HTTP 429) until the
/// oldest of those failures is `window` old. A successful sign-in clears the name's failures.
///
/// Both keys count: the name protects an account from guesses spread over many addresses, the address
/// protects every account from one guesser. Behind a reverse proxy every request comes from the proxy's
/// address, so the address key then counts everyone's failures together: the proxy should limit by the
/// real client too (docs/review.md, "Behind a reverse proxy"). Kept in memory: a restart forgets it.
public final class SignInThrottle: @unchecked Sendable {
    /// Failed attempts allowed in a window, per name and per address.
    public let limit: Int
    /// The window, in seconds.
    public let window: TimeInterval
    private let lock = NSLock()
    private var failures = [String: [Date]]()

    /// A throttle allowing `limit` failures per `window` seconds (5 per 15 minutes by default).
    public init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    private static func keys(name: String, address: String) -> [String] {
        ["name:" + name.lowercased(), "address:" + address]
    }

    /// Seconds until a sign-in for `name` from `address` may be tried again; nil when it may now.
    public func wait(name: String, address: String, now: Date) -> TimeInterval? {
        lock.lock()
        defer { lock.unlock() }
        var longest: TimeInterval?
        for key in Self.keys(name: name, address: address) {
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent.isEmpty ? nil : recent
            if recent.count >= limit, let oldest = recent.first {
                let w = window - now.timeIntervalSince(oldest)
                longest = max(longest ?? 0, w)
            }
        }
        return longest
    }

    /// Counts a failed sign-in.
    public func failed(name: String, address: String, now: Date) {
        lock.lock()
        defer { lock.unlock() }
        // Bounded memory: past 100,000 keys, failures out of the window go; if that is not enough, the
        // names' counts go (a flood of made-up names), while the addresses' counts stay.
        if failures.count > 100_000 {
            failures = failures.filter { $0.value.contains { now.timeIntervalSince($0) < window } }
            if failures.count > 100_000 { failures = failures.filter { $0.key.hasPrefix("address:") } }
        }
        for key in Self.keys(name: name, address: address) { failures[key, default: []].append(now) }
    }

    /// Clears the name's failures after a successful sign-in.
    public func succeeded(name: String) {
        lock.lock()
        defer { lock.unlock() }
        failures["name:" + name.lowercased()] = nil
    }
}
