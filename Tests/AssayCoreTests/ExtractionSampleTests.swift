import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Paths inside the repository, from the shared repository root (no machine paths).
enum ExtractionFixtures {
    static let folder = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/extraction")
    static let sampleName = "chongqing-2021-01-05-xunshi-progress.txt"
    static let sample = repoRoot.appendingPathComponent("Samples/" + sampleName)
    static let gold = folder.appendingPathComponent("chongqing-2021-01-05-xunshi-progress.facts.yaml")
    static let scorer = folder.appendingPathComponent("score-facts")

    static func document(_ url: URL, name: String? = nil) throws -> Document {
        let bytes = [UInt8](try Data(contentsOf: url))
        return Document(name: name ?? url.lastPathComponent, decoded: try TextDecoder().decode(bytes))
    }

    static func run(_ tool: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

@Suite struct ExtractionSampleTests {
    /// The scorer's bars with the built-in phrase list, and also without it: the general rules of thumb
    /// (classifier required, short quotations are slogans …) carry the sample on their own.
    @Test(arguments: [true, false]) func sampleMeetsTheScorerBars(builtInPhrases: Bool) throws {
        let doc = try ExtractionFixtures.document(ExtractionFixtures.sample)
        let extraction = FactExtractor(configuration: ExtractionConfiguration(includeBuiltIn: builtInPhrases)).extract(
            doc)
        let json = FactsJSON.render(document: doc, extraction: extraction).rendered()
        let out = FileManager.default.temporaryDirectory
            .appendingPathComponent("assay-sample-facts-\(getpid())-\(builtInPhrases).json")
        try json.write(to: out, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try ExtractionFixtures.run(
            "python3",
            [
                ExtractionFixtures.scorer.path, "--gold", ExtractionFixtures.gold.path, "--text",
                ExtractionFixtures.sample.path,
                "--facts", out.path, "--min-f1", "0.95", "--min-value", "0.95", "--min-label", "0.85", "--min-section",
                "0.95",
                "--verbose",
            ])
        print(r.output)
        if builtInPhrases, let dump = ProcessInfo.processInfo.environment["ASSAY_FACTS_DUMP"] {
            try json.write(toFile: dump, atomically: true, encoding: .utf8)
            try FactsTable.render(document: doc, extraction: extraction)
                .write(toFile: dump + ".txt", atomically: true, encoding: .utf8)
        }
        #expect(r.status == 0, "\(r.output)")
    }
}
