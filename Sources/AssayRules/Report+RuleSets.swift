import AssayValues

extension Report {
    /// A combined hash naming the rule sets used, so a store can tell whether a document was checked with them.
    public static func ruleSetsHash(_ sets: [RuleSet]) -> String {
        SHA256.hex(Array(sets.map { "\($0.name):\($0.sha256)" }.sorted().joined(separator: "\n").utf8))
    }
}
