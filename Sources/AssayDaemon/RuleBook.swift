import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayValues
import Foundation

/// The rule sets in force and the pipeline built from them, swapped whole on a successful reload so a
/// worker always checks a document against one consistent set.
public final class RuleBook: @unchecked Sendable {
    /// One loaded generation of rules.
    public struct Edition: Sendable {
        /// The rule sets of this edition, in load order.
        public var ruleSets: [RuleSet]
        /// The pipeline built from them, with the configured size limit, pattern time limit and time limit.
        public var pipeline: Pipeline
        /// The combined hash of the rule sets' names and file hashes (`Report.ruleSetsHash`): what the store
        /// keys runs by.
        public var hash: String
    }

    /// The rule files or folders loaded, as configured.
    public let paths: [String]
    private let loader: RuleLoader
    private let maxBytes: Int
    private let patternTimeLimit: Duration
    private let timeLimit: Duration
    private let lock = NSLock()
    private var edition: Edition

    /// Loads the rules; throws every error of an invalid set. `timeLimit` bounds one check of a document
    /// (the pipeline's `timeLimit`).
    public init(
        paths: [String], maxBytes: Int, patternTimeLimit: Duration = PatternBudget.standardLimit,
        timeLimit: Duration = Pipeline.standardTimeLimit, loader: RuleLoader = RuleLoader()
    ) throws(RuleLoadFailure) {
        self.paths = paths
        self.loader = loader
        self.maxBytes = maxBytes
        self.patternTimeLimit = patternTimeLimit
        self.timeLimit = timeLimit
        edition = try Self.load(
            paths: paths, maxBytes: maxBytes, patternTimeLimit: patternTimeLimit, timeLimit: timeLimit, loader: loader)
    }

    /// Loads the rule sets from `paths` and builds their pipeline; throws every error of an invalid set.
    package static func load(
        paths: [String], maxBytes: Int, patternTimeLimit: Duration, timeLimit: Duration, loader: RuleLoader
    ) throws(RuleLoadFailure) -> Edition {
        let sets = try loader.load(paths: paths)
        let pipeline = Pipeline(
            ruleSets: sets, decoder: TextDecoder(sizeLimit: maxBytes), patternTimeLimit: patternTimeLimit,
            timeLimit: timeLimit)
        return Edition(ruleSets: sets, pipeline: pipeline, hash: Report.ruleSetsHash(sets))
    }

    /// The edition in force now (read under the lock).
    public var current: Edition {
        lock.lock(); defer { lock.unlock() }
        return edition
    }

    /// Loads the rules again: a valid set replaces the current one (returned); an invalid one is thrown
    /// and the current set stays in force.
    @discardableResult
    public func reload() throws(RuleLoadFailure) -> Edition {
        let fresh = try Self.load(
            paths: paths, maxBytes: maxBytes, patternTimeLimit: patternTimeLimit, timeLimit: timeLimit, loader: loader)
        lock.lock(); edition = fresh; lock.unlock()
        return fresh
    }
}
