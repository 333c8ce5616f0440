import AssayValues
import AssayExtraction

/// All the errors of one or more rule files; none of those files was loaded.
public struct RuleLoadFailure: Error, Sendable, CustomStringConvertible {
    public var errors: [FileDiagnostic]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
