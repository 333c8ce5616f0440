import AssayTestSupport
import Foundation
import Testing

/// Messages a new user meets (issue 17): each says where and why, once, with the command's own usage.
@Suite struct MessageTests {
    @Test func aBadDaemonFlagIsTheSubcommandsUsageError() throws {
        let after = try runAssay(["watch", "--after", "archive"])
        #expect(after.status == 2)
        #expect(
            after.stderr.hasPrefix(
                "Error: The value 'archive' is invalid for '--after <after>'. Please provide one of 'keep', 'move' or 'delete'.\n"
            ))
        #expect(after.stderr.contains("Usage: assay watch <options>"))
        #expect(!after.stderr.contains("Usage: assay <subcommand>"))
        let workers = try runAssay(["recheck", "--workers", "99"])
        #expect(workers.stderr.hasPrefix("Error: --workers must be between 1 and 64 (got 99)\nUsage: assay recheck"))
    }

    @Test func recheckListsOnlyItsOwnFlagsAndHelpListsEveryCommand() throws {
        let help = try runAssay(["recheck", "--help"]).stdout
        for flag in ["--after <after>", "--watch <watch>", "--settle-ms", "--poll-interval-ms", "--serve"] {
            #expect(!help.contains(flag), "\(flag)")
        }
        #expect(help.contains("--archive <archive>"))
        let watch = try runAssay(["watch", "--help"]).stdout
        for flag in ["--after <after>", "--watch <watch>", "--settle-ms", "--poll-interval-ms", "--serve <serve>"] {
            #expect(watch.contains(flag), "\(flag)")
        }
        let top = try runAssay(["--help"]).stdout
        #expect(top.contains("  watch-bench             Benchmark the daemon"))
        #expect(top.contains("  user                    "))
    }

    @Test func aConfigurationFileThatIsMissingOrAFolderSaysSo() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("assay.yml").path
        let r = try runAssay(["watch", "--config", missing])
        #expect(r.status == 2)
        #expect(
            r.stderr
                == "\(missing):1:1: error: no such configuration file\nassay: error: invalid configuration: 1 error(s); the daemon did not start\n"
        )
        let folder = try runAssay(["watch", "--config", dir.path])
        #expect(folder.stderr.hasPrefix("\(dir.path):1:1: error: is a folder, not a configuration file\n"))
        let formats = dir.appendingPathComponent("f.yml")
        try Data("formats: [json, pdf]\n".utf8).write(to: formats)
        let f = try runAssay(["recheck", "--config", formats.path])
        #expect(
            f.stderr.hasPrefix(
                "\(formats.path):1:10: error: unknown report format 'pdf'; the formats are text, json, markdown, html, sarif\n"
            ))
    }

    @Test func brokenRulesAreLoggedWithTheirPlaceAndOneErrorWord() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("broken.yml")
        try Data("assay: 1\nrules: [\n".utf8).write(to: rules)
        let r = try runAssay([
            "watch", "--rules", rules.path, "--inbox", dir.appendingPathComponent("in").path, "--outbox",
            dir.appendingPathComponent("out").path, "--state", dir.appendingPathComponent("st").path,
        ])
        #expect(r.status == 2)
        let line = try #require(r.stderr.split(separator: "\n").first { $0.contains("broken.yml") })
        #expect(
            line.hasSuffix(
                " error: \(rules.path):3:1: invalid YAML: did not find expected node content (while parsing a flow node)"
            ))
        #expect(line.components(separatedBy: "error:").count == 2)
    }
}
