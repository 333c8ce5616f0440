import AssayTestSupport
import Foundation
import Testing

/// What `check` prints for one bulletin, several, and standard input: one valid document per format on
/// standard output, and a closing summary that names the files (issue 17).
@Suite struct CheckOutputTests {
    static let series = repoPath("Tests/AssayCoreTests/Fixtures/series/tonggang-zhujian")

    static func json(_ s: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(s.utf8)) }

    @Test func standardInputIsOneBulletin() throws {
        let r = try runAssay(
            ["check", "-", "--format", "json"], stdin: try Data(contentsOf: URL(fileURLWithPath: sample)))
        #expect(r.status == 1)
        let report = try #require(try Self.json(r.stdout) as? [String: Any])
        #expect((report["document"] as? [String: Any])?["name"] as? String == "stdin")
        let direct = try #require(
            try Self.json(try runAssay(["check", sample, "--format", "json"]).stdout) as? [String: Any])
        #expect((report["summary"] as? NSDictionary) == (direct["summary"] as? NSDictionary))
        // With --output, its reports are named after it too.
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        _ = try runAssay(["check", "-", "--output", out], stdin: try Data(contentsOf: URL(fileURLWithPath: sample)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["stdin.findings.json"])
        let twice = try runAssay(["check", "-", "-"], stdin: Data())
        #expect(twice.status == 2)
        #expect(twice.stderr.hasPrefix("Error: - (standard input) can be given once\n"))
    }

    @Test func severalBulletinsMakeOneJSONDocumentOrOneReportALine() throws {
        let files = [sample, Self.series + "/2024-04-12.txt"]
        let array = try runAssay(["check"] + files + ["--format", "json"])
        #expect(array.status == 1)
        let reports = try #require(try Self.json(array.stdout) as? [[String: Any]])
        #expect(
            reports.map { ($0["document"] as? [String: Any])?["name"] as? String } == [
                "chongqing-2021-01-05-xunshi-progress.txt", "2024-04-12.txt",
            ])
        let lines = try runAssay(["check"] + files + ["--format", "jsonl"]).stdout.split(separator: "\n")
        #expect(lines.count == 2)
        for (line, report) in zip(lines, reports) {
            let one = try #require(try Self.json(String(line)) as? [String: Any])
            #expect((one["document"] as? NSDictionary) == (report["document"] as? NSDictionary))
        }
        // One bulletin stays one report, not an array of one.
        #expect(try Self.json(try runAssay(["check", sample, "--format", "json"]).stdout) is [String: Any])
    }

    @Test func severalBulletinsMakeOneSARIFRunOverEveryArtifact() throws {
        let r = try runAssay(["check", sample, Self.series + "/2024-04-12.txt", "--format", "sarif"])
        let log = try #require(try Self.json(r.stdout) as? [String: Any])
        let runs = try #require(log["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        let artifacts = try #require(runs[0]["artifacts"] as? [[String: Any]])
        #expect(
            artifacts.map { ($0["location"] as? [String: Any])?["uri"] as? String } == [
                "chongqing-2021-01-05-xunshi-progress.txt", "2024-04-12.txt",
            ])
        let rules = try #require(
            (((runs[0]["tool"] as? [String: Any])?["driver"]) as? [String: Any])?["rules"] as? [[String: Any]])
        let ids = rules.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == ids.count)
        let results = try #require(runs[0]["results"] as? [[String: Any]])
        var targets = [Int: Int]()
        for result in results {
            let target = try #require(result["analysisTarget"] as? [String: Any])
            let index = try #require(target["index"] as? Int)
            targets[index, default: 0] += 1
            // Each result's rule index names its own rule in the merged list.
            #expect(ids[result["ruleIndex"] as? Int ?? -1] == result["ruleId"] as? String)
            for location in result["locations"] as? [[String: Any]] ?? [] {
                let at = (location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any]
                #expect(at?["index"] as? Int == index)
            }
        }
        let single = try #require(
            (try Self.json(try runAssay(["check", sample, "--format", "sarif"]).stdout) as? [String: Any])?["runs"]
                as? [[String: Any]])
        let second = try #require(
            (try Self.json(try runAssay(["check", Self.series + "/2024-04-12.txt", "--format", "sarif"]).stdout)
                as? [String: Any])?["runs"] as? [[String: Any]])
        #expect(targets[0] == (single[0]["results"] as? [Any])?.count)
        #expect(targets[1] == (second[0]["results"] as? [Any])?.count)
    }

    @Test func pagesOfSeveralBulletinsNeedAFolderAndJSONLinesNeedStandardOutput() throws {
        let html = try runAssay(["check", sample, sample, "--format", "html"])
        #expect(html.status == 2)
        #expect(
            html.stderr
                == "assay: error: HTML reports of several bulletins are one file each: give --output DIR (or one bulletin)\n"
        )
        #expect(html.stdout == "")
        let md = try runAssay(["check", sample, sample, "--format", "markdown"])
        #expect(md.stderr.hasPrefix("assay: error: Markdown reports of several bulletins are one file each"))
        let jsonl = try runAssay(["check", sample, "--format", "jsonl", "--output", "out"])
        #expect(jsonl.status == 2)
        #expect(
            jsonl.stderr.hasPrefix(
                "Error: --format jsonl is for standard output (one report a line); with --output use json\n"))
    }

    @Test func theOutputFolderGetsJSONAndTheSummaryNamesEveryFailingFileAndInputError() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out").path
        let missing = dir.appendingPathComponent("absent.txt").path
        let r = try runAssay(
            [
                "check", "--output", out, Self.series + "/2024-01-19.txt", missing, Self.series + "/2024-04-12.txt",
                sample,
            ])
        #expect(r.status == 2)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [
                "2024-01-19.findings.json", "2024-04-12.findings.json",
                "chongqing-2021-01-05-xunshi-progress.findings.json",
            ])
        // Names padded to the longest, then the worst severity (padded to 7) and the problem counts.
        let names = [Self.series + "/2024-04-12.txt", sample]
        let width = names.map(\.count).max()!
        func line(_ n: String, _ rest: String) -> String {
            "  " + n.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + rest + "\n"
        }
        #expect(
            r.stderr.hasSuffix(
                "failing (at or above warning)\n" + line(names[0], "warning  1 fail, 3 missing")
                    + line(names[1], "error    4 fail, 2 missing") + "input errors\n  \(missing): no such file\n"))
        #expect(r.stderr.hasPrefix("assay: error: \(missing): no such file\nsummary\n  files                   4\n"))
    }

    /// A report that cannot be put in place (its name is taken by a folder) is an error of that file; the
    /// others are written, and the run exits 2.
    @Test func aReportThatCannotBeWrittenIsNamedAndTheOthersAreWritten() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(
            at: out.appendingPathComponent("2024-01-19.findings.json/taken"), withIntermediateDirectories: true)
        let r = try runAssay(["check", "--output", out.path, Self.series + "/2024-01-19.txt", sample])
        #expect(r.status == 2)
        #expect(
            r.stderr.contains(
                "assay: error: \(Self.series)/2024-01-19.txt: cannot write the json report: \(out.path)/2024-01-19.findings.json: Is a directory\n"
            ))
        #expect(r.stderr.contains("  reports written         1  in \(out.path)\n"))
        #expect(r.stderr.contains("  write errors            1\n"))
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("chongqing-2021-01-05-xunshi-progress.findings.json").path))
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") } == [])
    }
}
