import AssayBundledRules
import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The sample bulletin checked with the bundled rules at a fixed time and version, the golden files
/// beside this source file, and a JSON Schema validator (Python's jsonschema).
enum ReportFixtures {
    static let folder = reportGoldenFolder
    static let reportSchema = repoPath("Rules/schema/assay-report.schema.json")
    static let sarifSchema = folder.appendingPathComponent("sarif-schema-2.1.0.json").path

    /// A fixed check time (the day after the sample's publication) so goldens and date rules are stable.
    static let checkTime = Date(timeIntervalSince1970: 1_609_891_200)  // 2021-01-06T00:00:00Z
    static let version = "0.0.0-golden"

    static func ruleSets() throws -> [RuleSet] {
        try RuleLoader().load(paths: BundledRules.ruleFiles.map(\.path))
    }

    /// The sample's check, with Assay's version replaced so goldens survive version bumps.
    static func sample(now: Date = checkTime) throws -> (result: Pipeline.Result, ruleSets: [RuleSet]) {
        let sets = try ruleSets()
        let bytes = try #require(FileManager.default.contents(atPath: samplePath))
        var result = try Pipeline(ruleSets: sets).check(
            bytes: [UInt8](bytes), name: "chongqing-2021-01-05-xunshi-progress.txt", now: now)
        result.report.assayVersion = version
        return (result, sets)
    }

    static func render(_ format: ReportFormat) throws -> String {
        let (result, sets) = try sample()
        return format.renderer.render(result.report, document: result.document, ruleSets: sets)
    }

    /// Compares with `Fixtures/reports/<name>`; with ASSAY_UPDATE_GOLDEN=1 rewrites it instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["ASSAY_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record(
                "missing golden file \(name): run `ASSAY_UPDATE_GOLDEN=1 swift test` to create it",
                sourceLocation: sourceLocation)
            return
        }
        if golden != text {
            let a = golden.components(separatedBy: "\n")
            let b = text.components(separatedBy: "\n")
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            let expected = line < a.count ? a[line] : "<end>"
            let actual = line < b.count ? b[line] : "<end>"
            Issue.record(
                """
                \(name) differs from the golden file at line \(line + 1) \
                (ASSAY_UPDATE_GOLDEN=1 swift test rewrites it after checking the change):
                expected: \(expected)
                actual:   \(actual)
                """, sourceLocation: sourceLocation)
        }
    }

    /// Validates a JSON instance against a JSON Schema with Python's jsonschema (the draft the schema names).
    /// Returns the validator's message, or nil when the instance is valid.
    static func schemaViolation(instance: String, schema: String) throws -> String? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("instance.json")
        try instance.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", "-c",
            """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            cls = jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            errors = sorted(cls(schema).iter_errors(json.load(open(sys.argv[2]))), key=lambda e: list(e.path))
            for e in errors[:5]: print(list(e.path), e.message[:300])
            sys.exit(1 if errors else 0)
            """, schema, file.path,
        ]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return p.terminationStatus == 0 ? nil : "exit \(p.terminationStatus): \(out)"
    }
}
