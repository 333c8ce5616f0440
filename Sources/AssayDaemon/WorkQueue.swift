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
/// Two lanes: inputs larger than `largeInput` bytes wait in their own line, and at most `largeSlots` of
/// them are in hand at once (one fewer than the workers, when there are two or more), so a bulletin of
/// ordinary size always finds a worker within one check of an ordinary bulletin, however many large files
/// arrived before it. Ordinary inputs are handed out first; large ones in the order they came.
///
/// A name offered while in hand (it changed while being checked) is queued again once its worker is done.
///
/// It also knows when each name in hand last saw its worker make progress (taken, then every stage and
/// rule of its check: `progressed`), so the watchdog can tell a busy worker from a stuck one (`stalled`).
public final class WorkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items = [String]()
    private var head = 0
    private var large = [String]()
    private var largeHead = 0
    private var queued = Set<String>()
    /// Name in hand → when its worker last made progress (monotonic seconds).
    private var inHand = [String: Double]()
    private var largeInHand = Set<String>()
    /// Names offered again while in hand → their size then.
    private var again = [String: Int64]()
    private let clock: @Sendable () -> Double
    private var overflowed = false
    private var closed = false
    /// The most names queued at once (names in hand not counted).
    public let capacity: Int
    /// The most large inputs in hand at once.
    public let largeSlots: Int
    /// Inputs larger than this many bytes go to the large lane: 64 KiB, four times the sample bulletin
    /// (14 KB; the corpus's are 2 KB), far below `max_bytes`.
    public static let largeInput: Int64 = 64 * 1024
    /// Called (outside the lock) when the queue has drained after refusing offers.
    public var onDrainedAfterOverflow: (@Sendable () -> Void)?

    /// An empty queue of `capacity` for `workers` workers; `clock` gives monotonic seconds (for progress and
    /// stall times).
    public init(capacity: Int, workers: Int = 1, clock: @escaping @Sendable () -> Double = Daemon.now) {
        self.capacity = capacity
        largeSlots = max(1, workers - 1)
        self.clock = clock
    }

    private var count: Int { items.count - head + large.count - largeHead }

    /// Queues a name of `size` bytes unless it is already queued; one in hand is queued again when its
    /// worker is done. Returns false when refused because full.
    @discardableResult
    public func offer(_ name: String, size: Int64 = 0) -> Bool {
        condition.lock(); defer { condition.unlock() }
        if closed || queued.contains(name) { return true }
        if inHand[name] != nil { again[name] = size; return true }
        return enqueue(name, size: size)
    }

    private func enqueue(_ name: String, size: Int64) -> Bool {
        if count >= capacity { overflowed = true; return false }
        if size > Self.largeInput { large.append(name) } else { items.append(name) }
        queued.insert(name)
        condition.broadcast()
        return true
    }

    /// Waits for the next name; nil once the queue is closed (remaining names stay for the next start).
    /// Ordinary inputs first; a large one only while fewer than `largeSlots` large ones are in hand.
    public func take() -> String? {
        condition.lock()
        while !closed && head == items.count && (largeHead == large.count || largeInHand.count >= largeSlots) {
            condition.wait()
        }
        if closed { condition.unlock(); return nil }
        let name: String
        if head < items.count {
            name = items[head]
            head += 1
            if head > 4096 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        } else {
            name = large[largeHead]
            largeHead += 1
            if largeHead > 256 && largeHead * 2 > large.count { large.removeFirst(largeHead); largeHead = 0 }
            largeInHand.insert(name)
        }
        queued.remove(name)
        inHand[name] = clock()
        var drainedHook: (@Sendable () -> Void)?
        if overflowed && count <= capacity / 2 { overflowed = false; drainedHook = onDrainedAfterOverflow }
        condition.unlock()
        drainedHook?()
        return name
    }

    /// The worker is done with `name`: it is no longer in hand, and may be offered again (if it was offered
    /// while in hand, it is queued again now).
    public func finished(_ name: String) {
        condition.lock()
        inHand[name] = nil
        largeInHand.remove(name)
        if let size = again.removeValue(forKey: name), !closed { _ = enqueue(name, size: size) }
        condition.broadcast()
        condition.unlock()
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
        return count + inHand.count
    }

    /// Stops handing out work: `take()` returns nil from now on.
    public func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }
}
