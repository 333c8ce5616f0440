import AssayExtraction
import AssayRegex
import AssayValues

/// The time one rule's pattern searches may take on one bulletin, all of them together: `label:` and
/// `section:` patterns over every fact, `match:` over every sentence, `patterns:` over the scope, section
/// patterns, `applies_to`. A rule gets a fresh budget for each bulletin (`Evaluator`); a search that runs
/// out gives up, the budget keeps the first `PatternTimeout`, every later search of the rule gives up at
/// once, and the evaluator reports the rule as an `error` naming the pattern.
///
/// Why a budget per rule and not a limit per search: a `match:` selector runs once per sentence, a `label:`
/// pattern once per fact. With a limit per search a pattern that takes 150 ms on each of 500 sentences would
/// hold a worker for 75 s; the budget bounds the whole rule.
///
/// How searches are timed, so that timing costs nothing on the hot path (thousands of label tests of a
/// few microseconds each):
/// - `ScalarRegex` reads the clock every 4096 steps (about 10–40 µs) and starts timing a search at its
///   first such reading, so a search that ends sooner is not timed at all;
/// - ICU (`NSRegularExpression`) is timed from the call. `enumerateMatches` with `.reportProgress` calls its
///   block from inside a match (swift-corelibs-foundation installs ICU's `uregex_setMatchCallback` and
///   `uregex_setFindProgressCallback` for it; measured: about every 0.5 ms on `(?:a|a)+\d`), and setting
///   `stop` there ends the match itself, not only the enumeration. So ICU stops on time in-thread: no
///   abandoned thread keeps burning a core and no result has to be thrown away. ICU's own
///   `uregex_setTimeLimit` is not reachable through Foundation and counts engine steps, not time.
///
/// The clock is the monotonic `ContinuousClock`. Not thread-safe: one rule evaluation uses it on one thread.
public final class PatternBudget: ScalarRegexClock {
    /// The standard limit: a rule's patterns get 200 ms per bulletin. The slowest bundled rule, patterns and
    /// all, takes 3 ms per bulletin in a debug build (over the 68 corpus bulletins and the sample; the
    /// contact block's patterns over a whole bulletin about 2.5 ms); on a 16 MB bulletin (the daemon's
    /// `max_bytes`, the sample repeated) the contact block's patterns take 20–50 ms in a release build, and
    /// the whole evaluate stage 20–25 ms on a 200 KB line of digits (where the contact block gave up after
    /// its 200 ms until the leading-run skip covered each branch of its joined patterns: docs/benchmarks.md,
    /// "Bounded work"). So only a pattern that backtracks without end reaches it: `(?:a|a)+\d` on 100 KB of
    /// `a` ends in an error outcome after 200 ms, the whole `assay check` in 0.25 s (release; ICU alone would
    /// run for ages).
    public static let standardLimit: Duration = .milliseconds(200)

    /// The time all of the rule's searches on one bulletin may take together.
    public let limit: Duration
    /// Time spent by finished searches.
    private var spent: Duration = .zero
    /// When the search under way started to be timed; nil between searches and before a search is timed.
    private var searchStart: ContinuousClock.Instant?
    /// Set by `isOut()` once the time is gone; the search under way stops.
    private(set) var ranOut = false
    /// The first search that gave up.
    public private(set) var timeout: PatternTimeout?

    /// A fresh budget of `limit`, none of it spent.
    public init(limit: Duration = PatternBudget.standardLimit) {
        self.limit = limit
    }

    /// Whether the time is gone; starts timing the search under way if it was not yet timed.
    public func isOut() -> Bool {
        if ranOut { return true }
        let now = ContinuousClock.now
        if searchStart == nil { searchStart = now }
        if spent + (now - searchStart!) >= limit { ranOut = true }
        return ranOut
    }

    /// Starts timing the search under way now (ICU, whose calls are never small enough not to be timed).
    func startTiming() {
        if searchStart == nil { searchStart = ContinuousClock.now }
    }

    /// Ends the search under way: its time is spent.
    func endSearch() {
        if let s = searchStart {
            spent += ContinuousClock.now - s
            searchStart = nil
        }
    }

    /// The search of `patterns` over `characters` scalars gave up: recorded (the first one) and returned.
    func gaveUp(_ patterns: [String], characters: Int) -> PatternTimeout {
        endSearch()
        ranOut = true
        if let timeout { return timeout }
        let t = PatternTimeout(patterns: patterns, limit: limit, characters: characters)
        timeout = t
        return t
    }
}

/// A pattern search that gave up: its rule's `PatternBudget` ran out while it searched.
public struct PatternTimeout: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written in the rule file (for `patterns:` searched together, each of them).
    public var patterns: [String]
    /// The budget's limit that ran out.
    public var limit: Duration
    /// The length of the text it was searching, in Unicode scalars.
    public var characters: Int

    /// A timeout of `patterns` after `limit`, searching `characters` scalars.
    public init(patterns: [String], limit: Duration, characters: Int) {
        self.patterns = patterns
        self.limit = limit
        self.characters = characters
    }

    /// The limit in whole milliseconds.
    public var milliseconds: Int64 {
        let (s, atto) = limit.components
        return s * 1000 + atto / 1_000_000_000_000_000
    }

    /// `pattern '…'` or `one of the patterns '…', '…'`.
    public var patternText: String {
        patterns.count == 1
            ? "pattern '\(patterns[0])'"
            : "one of the patterns " + patterns.map { "'\($0)'" }.joined(separator: ", ")
    }

    /// `pattern '…' gave up after N ms on M characters`.
    public var description: String {
        "\(patternText) gave up after \(milliseconds) ms on \(characters) characters"
    }
}
