import Foundation

/// The bounded queue between the watcher and the workers. Names are unique while queued or in hand; when
/// the queue is full an offer is refused and the queue remembers to ask for a rescan once it has drained —
/// a level-triggered design, so nothing is lost however many files arrive at once.
public final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items = [String]()
    private var head = 0
    private var queued = Set<String>()
    private var inHand = Set<String>()
    private var overflowed = false
    private var closed = false
    public let capacity: Int
    /// Called (outside the lock) when the queue has drained after refusing offers.
    public var onDrainedAfterOverflow: (@Sendable () -> Void)?

    public init(capacity: Int) { self.capacity = capacity }

    /// Queues a name unless it is already queued or in hand. Returns false when refused because full.
    @discardableResult
    public func offer(_ name: String) -> Bool {
        condition.lock(); defer { condition.unlock() }
        if closed || queued.contains(name) || inHand.contains(name) { return true }
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
        inHand.insert(name)
        var drainedHook: (@Sendable () -> Void)?
        if overflowed && items.count - head <= capacity / 2 { overflowed = false; drainedHook = onDrainedAfterOverflow }
        condition.unlock()
        drainedHook?()
        return name
    }

    public func finished(_ name: String) {
        condition.lock(); inHand.remove(name); condition.broadcast(); condition.unlock()
    }

    public func isPending(_ name: String) -> Bool {
        condition.lock(); defer { condition.unlock() }
        return queued.contains(name) || inHand.contains(name)
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
