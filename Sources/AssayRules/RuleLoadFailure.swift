import AssayExtraction
import AssayValues

/// All the errors of one or more rule files; none of those files was loaded.
public struct RuleLoadFailure: Error, Sendable, CustomStringConvertible {
    /// Every error found, with its file, line and column.
    public var errors: [FileDiagnostic]
    /// The errors, one per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
