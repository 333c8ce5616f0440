import Foundation

/// SplitMix64: small, seeded, the same on every platform, so a random test can be rerun exactly.
/// `fromEnvironment` takes the seed from `ASSAY_TEST_SEED` when set (else a fresh one) and prints it; put
/// `rerun` in the message of each expectation so a failure names its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    /// The seed it started from (print it to rerun).
    public let seed: UInt64
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// `ASSAY_TEST_SEED` when set to a number.
    public static var environmentSeed: UInt64? {
        ProcessInfo.processInfo.environment["ASSAY_TEST_SEED"].flatMap { UInt64($0) }
    }

    /// A generator seeded from `ASSAY_TEST_SEED`, or from the system's random source; the seed is printed
    /// (so even a trap leaves it in the log).
    public static func fromEnvironment(_ test: String) -> SeededGenerator {
        let seed = environmentSeed ?? UInt64.random(in: 0...UInt64.max)
        print("\(test): seed \(seed) (rerun with ASSAY_TEST_SEED=\(seed))")
        return SeededGenerator(seed: seed)
    }

    /// "seed N (rerun with ASSAY_TEST_SEED=N)", for failure messages.
    public var rerun: String { "seed \(seed) (rerun with ASSAY_TEST_SEED=\(seed))" }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n, by the remainder (what the generated regex corpus was built with; keep it so seeds still
    /// give the same patterns).
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// True `percent` times in a hundred.
    public mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
    /// One element of `xs`, which must not be empty.
    public mutating func pick<T>(_ xs: [T]) -> T { xs[int(xs.count)] }
}
