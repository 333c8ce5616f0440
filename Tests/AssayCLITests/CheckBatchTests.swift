import AssayEdge
import AssayRules
import AssayTestSupport
import AssayValues
import Foundation
import Testing

/// `assay check` on folders, run as the built binary: one report per bulletin and format, same-stem
/// inputs kept apart by a hash suffix, the closing summary on standard error, exit codes kept.
@Suite("check: batches of bulletins")
struct CheckBatchTests {
    static let sample = URL(fileURLWithPath: samplePath)

    /// The built `assay`, colour off.
    static func run(_ arguments: [String]) throws -> AssayRun {
        try runAssay(arguments, environment: ["NO_COLOR": "1"])
    }

    /// The summary table's rows: label → (count, note).
    static func summary(_ stderr: String) -> [String: (Int, String)] {
        var rows = [String: (Int, String)]()
        guard let start = stderr.range(of: "summary\n") else { return rows }
        for line in stderr[start.upperBound...].split(separator: "\n") {
            let cells = line.trimmingCharacters(in: .whitespaces)
                .components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard cells.count >= 2 else { continue }
            let number = Int(cells[1]) ?? Int(cells[1].split(separator: " ").first.map(String.init) ?? "") ?? -1
            rows[cells[0]] = (number, cells.count > 2 ? cells[2] : "")
        }
        return rows
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("30 bulletins and a same-stem one in a subfolder: a json and an html report each, and the summary")
    func batch() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let input = root.appendingPathComponent("in")
        let output = root.appendingPathComponent("out")
        try FileManager.default.createDirectory(
            at: input.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let bytes = try Data(contentsOf: Self.sample)
        let stems = (1...30).map { String(format: "bulletin-%02d", $0) }
        for stem in stems { try bytes.write(to: input.appendingPathComponent("\(stem).txt")) }
        let other = bytes + Data("\n(又讯)\n".utf8)
        try other.write(to: input.appendingPathComponent("sub/bulletin-01.txt"))
        let suffix = String(SHA256.hex([UInt8](other)).prefix(8))

        let run = try Self.run(["check", input.path, "--output", output.path, "--format", "json", "--format", "html"])
        #expect(run.status == 1, "the sample has warnings: \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(!run.stderr.contains("\u{1B}"), "no colours or progress when not a terminal")

        let written = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        let expected = (stems + ["bulletin-01-\(suffix)"]).flatMap { ["\($0).findings.html", "\($0).findings.json"] }
            .sorted()
        #expect(written == expected)
        #expect(!written.contains { $0.hasPrefix(".") }, "no temporary files left")

        let collided = try JSONValue.parse(
            String(contentsOf: output.appendingPathComponent("bulletin-01-\(suffix).findings.json"), encoding: .utf8))
        #expect(collided["document"]?["sha256"] == .string(SHA256.hex([UInt8](other))))
        let first = try JSONValue.parse(
            String(contentsOf: output.appendingPathComponent("bulletin-01.findings.json"), encoding: .utf8))
        #expect(first["document"]?["sha256"] == .string(SHA256.hex([UInt8](bytes))))
        let html = try String(contentsOf: output.appendingPathComponent("bulletin-30.findings.html"), encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))

        let rows = Self.summary(run.stderr)
        #expect(rows["files"]?.0 == 31)
        #expect(rows["input errors"]?.0 == 0)
        #expect(rows["reports written"]?.0 == 62)
        #expect(rows["reports written"]?.1 == "in \(output.path)")
        #expect(rows["failing"]?.0 == 31)
        let worst = ["worst: error", "worst: warning", "worst: info", "no problems"].map { rows[$0]?.0 ?? -1 }
        #expect(worst.reduce(0, +) == 31, "\(run.stderr)")
        #expect(rows["time"] != nil)
    }

    @Test("an unreadable input is reported, the others are still checked, exit 2")
    func inputError() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("out")
        let run = try Self.run([
            "check", Self.sample.path, root.appendingPathComponent("absent.txt").path,
            "--output", output.path, "--format", "markdown",
        ])
        #expect(run.status == 2)
        #expect(run.stderr.contains("absent.txt: "))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: output.path) == [
                "chongqing-2021-01-05-xunshi-progress.findings.md"
            ])
        let rows = Self.summary(run.stderr)
        #expect(rows["files"]?.0 == 2)
        #expect(rows["input errors"]?.0 == 1)
        #expect(rows["reports written"]?.0 == 1)
    }

    @Test("without --output one report goes to stdout and no summary is printed off a terminal")
    func stdoutReport() throws {
        let run = try Self.run(["check", Self.sample.path, "--format", "sarif", "--fail-on", "error"])
        #expect(run.status == 1)  // 市审计局's 整改率 misses its target: an error
        #expect(run.stdout.contains("\"version\": \"2.1.0\""))
        #expect(!run.stderr.contains("summary"))
    }

    @Test("an output folder that cannot be created stops before checking (exit 2)")
    func badOutputFolder() throws {
        let root = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let run = try Self.run([
            "check", Self.sample.path, "--output", file.appendingPathComponent("out").path, "--format", "json",
        ])
        #expect(run.status == 2)
        #expect(
            run.stderr.contains(
                "cannot create the output folder \(file.path)/out: Not a directory; nothing was checked"))
    }

    @Test("several formats without --output is a usage error (exit 2)")
    func formatsNeedOutput() throws {
        let run = try Self.run(["check", Self.sample.path, "--format", "json", "--format", "html"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--output"))
    }
}
