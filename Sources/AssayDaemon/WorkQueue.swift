import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation

/// The bounded queue between the watcher and the workers. Names are unique while queued or in hand; when
/// the queue is full an offer is refused and the queue remembers to ask for a rescan once it has drained —
/// a level-triggered design, so nothing is lost however many files arrive at once.
///
/// It also knows when each name in hand last saw its worker make progress (taken, then every stage and
/// rule of its check: `progressed`), so the watchdog can tell a busy worker from a stuck one (`stalled`).
public final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items = [String]()
    private var head = 0
    private var queued = Set<String>()
    /// Name in hand → when its worker last made progress (monotonic seconds).
    private var inHand = [String: Double]()
    private let clock: @Sendable () -> Double
    private var overflowed = false
    private var closed = false
    /// The most names queued at once (names in hand not counted).
    public let capacity: Int
    /// Called (outside the lock) when the queue has drained after refusing offers.
    public var onDrainedAfterOverflow: (@Sendable () -> Void)?

    /// An empty queue of `capacity`; `clock` gives monotonic seconds (for progress and stall times).
    public init(capacity: Int, clock: @escaping @Sendable () -> Double = Daemon.now) {
        self.capacity = capacity
        self.clock = clock
    }

    /// Queues a name unless it is already queued or in hand. Returns false when refused because full.
    @discardableResult
    public func offer(_ name: String) -> Bool {
        condition.lock(); defer { condition.unlock() }
        if closed || queued.contains(name) || inHand[name] != nil { return true }
        if items.count - head >= capacity { overflowed = true; return false }
        items.append(name)
        queued.insert(name)
        condition.signal()
        return true
    }

    /// Waits for the next name; nil once the queue is closed (remaining names stay for the next start).
    public func take() -> String? {
        condition.lock()
        while head == items.count && !closed { condition.wait() }
        if closed { condition.unlock(); return nil }
        let name = items[head]
        head += 1
        if head > 4096 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        queued.remove(name)
        inHand[name] = clock()
        var drainedHook: (@Sendable () -> Void)?
        if overflowed && items.count - head <= capacity / 2 { overflowed = false; drainedHook = onDrainedAfterOverflow }
        condition.unlock()
        drainedHook?()
        return name
    }

    /// The worker is done with `name`: it is no longer in hand, and may be offered again.
    public func finished(_ name: String) {
        condition.lock(); inHand[name] = nil; condition.broadcast(); condition.unlock()
    }

    /// The worker holding `name` made progress.
    public func progressed(_ name: String) {
        let now = clock()
        condition.lock(); if inHand[name] != nil { inHand[name] = now }; condition.unlock()
    }

    /// Names in hand whose worker has made no progress for `interval` seconds or more, with how long, longest first.
    public func stalled(for interval: Double) -> [(name: String, seconds: Double)] {
        let now = clock()
        condition.lock(); defer { condition.unlock() }
        return inHand.compactMap { name, last in now - last >= interval ? (name, now - last) : nil }
            .sorted { ($0.seconds, $1.name) > ($1.seconds, $0.name) }
    }

    /// True when `name` is queued or in hand.
    public func isPending(_ name: String) -> Bool {
        condition.lock(); defer { condition.unlock() }
        return queued.contains(name) || inHand[name] != nil
    }

    /// Queued plus in hand.
    public var depth: Int {
        condition.lock(); defer { condition.unlock() }
        return items.count - head + inHand.count
    }

    /// Stops handing out work: `take()` returns nil from now on.
    public func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }
}
