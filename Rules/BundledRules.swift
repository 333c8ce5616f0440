import Foundation

/// The rule sets shipped with Assay (`Rules/*.yml`), with their fixtures and JSON Schema,
/// packaged as resources so `swift run assay …` finds them from any working directory.
public enum BundledRules {
    /// The folder holding the bundled rule files.
    public static var directory: URL {
        Bundle.module.resourceURL ?? Bundle.module.bundleURL
    }

    /// The bundled rule files, sorted by name.
    public static var ruleFiles: [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "yml" || $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The folder of the bundled rules' fixtures (`tests/`).
    public static var testsDirectory: URL { directory.appendingPathComponent("tests") }
    /// The JSON Schema of rule files (`schema/assay-rules.schema.json`).
    public static var schemaFile: URL { directory.appendingPathComponent("schema/assay-rules.schema.json") }
}
