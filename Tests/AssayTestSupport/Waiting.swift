import Foundation

/// Waits for an observable event instead of sleeping and hoping: checks `condition` every `poll` until it
/// holds or `timeout` has passed, and returns whether it held (checked a last time at the deadline).
/// Use it as `#expect(waitUntil { … })` so a missed event fails with its place.
@discardableResult
public func waitUntil(
    timeout: Duration = .seconds(10), poll: Duration = .milliseconds(20),
    _ condition: () throws -> Bool
) rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: Double(poll.components.seconds) + Double(poll.components.attoseconds) / 1e18)
    }
    return try condition()
}
