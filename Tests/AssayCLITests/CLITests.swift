import AssayTestSupport
import Foundation
import Glibc
import Testing

let sample = samplePath

func tempDir() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("assay-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

@Suite struct CLITests {
    @Test func sampleFailsTheRateRuleAndExitsOne() throws {
        let r = try runAssay(["check", sample])
        #expect(r.status == 1)
        #expect(
            r.stdout.contains(
                "FAIL error audit-rectification-rate [市审计局 › 三] chongqing-2021-01-05-xunshi-progress.txt:18:"))
        #expect(r.stdout.contains("市审计局 › 三: 整改率 79%, target >= 80% (difference -1 个百分点)"))
    }

    @Test func jsonFormatIsTheCanonicalReport() throws {
        let r = try runAssay(["check", sample, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("{\n  \"schema\": \"assay.report/1\",\n"))
    }

    @Test func failOnErrorStillExitsOneForTheRateRule() throws {
        #expect(try runAssay(["check", sample, "--fail-on", "error"]).status == 1)
    }

    @Test func missingFile() throws {
        let r = try runAssay(["check", "no-such-bulletin.txt"])
        #expect(r.status == 2)
        #expect(r.stderr == "assay: error: no-such-bulletin.txt: no such file\n")
    }

    /// A file whose name is not UTF-8 (a GBK name from a Windows zip) in a folder given to `check` is
    /// listed and checked like the daemon's inputs, its report under a readable stem.
    @Test func aFolderWithANameThatIsNotUTF8IsChecked() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        let output = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        // 报告.txt in GBK: B1 A8 B8 E6, then ".txt".
        let name: [UInt8] = Array(input.path.utf8) + [0x2F, 0xB1, 0xA8, 0xB8, 0xE6] + Array(".txt".utf8) + [0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: sample))
        let fd = name.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        try #require(fd >= 0)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #expect(written == bytes.count)
        let r = try runAssay(["check", input.path, "--output", output.path, "--format", "json"])
        #expect(r.status == 1)  // the sample has failures; an unread input would exit 2 or report no file
        let reports = try FileManager.default.contentsOfDirectory(atPath: output.path)
        #expect(reports == ["____.findings.json"])
    }

    /// A FIFO named on the command line is refused at once (reading it would wait for a writer forever).
    @Test func aFIFOIsRefusedNotWaitedOn() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pipe = dir.appendingPathComponent("bulletin.txt").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let r = try runAssay(["check", pipe])
        #expect(r.status == 2)
        #expect(r.stderr == "assay: error: \(pipe): is a FIFO (named pipe)\n")
    }

    @Test func binaryEmptyAndFolderInputs() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bin = dir.appendingPathComponent("image.txt")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: bin)
        let empty = dir.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        let r1 = try runAssay(["check", bin.path])
        #expect(r1.status == 2)
        #expect(
            r1.stderr == "assay: error: \(bin.path): binary content (NUL byte at byte 4); expected a text bulletin\n")
        let r2 = try runAssay(["check", empty.path])
        #expect(r2.status == 2)
        #expect(r2.stderr == "assay: error: \(empty.path): the file is empty\n")
    }

    @Test func malformedRuleFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("bad.yml")
        let yaml = MarkedText("assay: 1\nruleset: bad\nrules:\n  - id: x\n    title: t\n    kind: ‸threshhold\n")
        try yaml.text.write(to: rules, atomically: true, encoding: .utf8)
        let r = try runAssay(["check", sample, "--rules", rules.path])
        #expect(r.status == 2)
        #expect(
            r.stderr == """
                \(yaml.at(rules.path)): error: unknown rule kind 'threshhold'; did you mean 'threshold'?; kinds: require, forbid, sections, threshold, consistency, deadline, count, progress

                """)
        let lint = try runAssay(["rules", "lint", rules.path])
        #expect(lint.status == 2)
        #expect(try runAssay(["rules", "lint"]).status == 0)
    }

    /// An impossible date fails lint with its place, and a waiver that expires on one waives nothing.
    @Test func impossibleDatesAreRefused() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("dates.yml")
        let yaml = MarkedText(
            """
            assay: 1
            ruleset: dates
            targets:
              feedback_day: {date: ‸2020-13-45, source: 巡视反馈会}
            rules:
              - id: dept
                title: t
                kind: sections
                require: [市审计局]

            """)
        try yaml.text.write(to: rules, atomically: true, encoding: .utf8)
        let lint = try runAssay(["rules", "lint", rules.path])
        #expect(lint.status == 2)
        #expect(
            lint.stderr
                == "\(yaml.at(rules.path)): error: target 'feedback_day' date '2020-13-45' is not a real date (month 13)\n"
        )
        let waivers = dir.appendingPathComponent("waivers.yml")
        let entry = "  - {rule: audit-rectification-rate, reason: 口径调整, approver: 审计处, expires: "
        try "waivers:\n\(entry)2030-12-31}\n\(entry)2026-02-30}\n".write(to: waivers, atomically: true, encoding: .utf8)
        let check = try runAssay(["check", sample, "--waivers", waivers.path])
        #expect(check.stdout.contains("WAIVED error audit-rectification-rate"))
        #expect(
            check.stdout.contains(
                """
                \(waivers.path):3:\(entry.unicodeScalars.count + 1): error: waiver 2: expires '2026-02-30' is not a real date \
                (February 2026 has 28 days); that waiver does not apply
                """))
        try "waivers:\n  - {rule: audit-rectification-rate, reason: r, approver: a, expires: 2030-13-01}\n"
            .write(to: waivers, atomically: true, encoding: .utf8)
        let impossible = try runAssay(["check", sample, "--waivers", waivers.path])
        #expect(impossible.status == 1)
        #expect(impossible.stdout.contains("FAIL error audit-rectification-rate"))
        #expect(!impossible.stdout.contains("WAIVED"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try runAssay(["check"]).status == 2)
        #expect(try runAssay(["check", sample, "--fail-on", "fatal"]).status == 2)
    }

    @Test func passingRulesExitZero() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("ok.yml")
        try "assay: 1\nruleset: ok\nrules:\n  - id: dept\n    title: t\n    kind: sections\n    require: [市审计局]\n"
            .write(to: rules, atomically: true, encoding: .utf8)
        let r = try runAssay(["check", sample, "--rules", rules.path])
        #expect(r.status == 0)
        #expect(r.stdout.contains("PASS 1: dept"))
    }

    /// A runaway pattern is an error of its rule, within the limit `--pattern-limit-ms` sets.
    @Test func patternTimeLimitIsAnErrorOutcomeAndCanBeSet() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("slow.yml")
        try
            "assay: 1\nruleset: slow\nrules:\n  - id: slow\n    title: t\n    kind: require\n    patterns: ['(?:a|a)+\\d']\n"
            .write(to: rules, atomically: true, encoding: .utf8)
        let bulletin = dir.appendingPathComponent("a.txt")
        try String(repeating: "a", count: 50_000).write(to: bulletin, atomically: true, encoding: .utf8)
        let r = try runAssay(["check", bulletin.path, "--rules", rules.path, "--pattern-limit-ms", "50"])
        #expect(r.status == 1)
        #expect(
            r.stdout.contains(
                "ERROR error slow a.txt:-\n    pattern '(?:a|a)+\\d' of rule slow gave up after 50 ms on 50000 characters: the bulletin cannot be checked against it\n"
            ))
        #expect(try runAssay(["check", bulletin.path, "--rules", rules.path, "--pattern-limit-ms", "0"]).status == 2)
    }

    @Test func explainShowsTheRule() throws {
        let r = try runAssay(["explain", "audit-rectification-rate"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("audit-rectification-rate: 市审计局 审计查出问题整改率不低于目标\n"))
        #expect(r.stdout.contains("  kind:       threshold — "))
        #expect(try runAssay(["explain", "nope"]).status == 2)
    }

    @Test func bundledRulesTestsPass() throws {
        let r = try runAssay(["rules", "test"])
        #expect(r.status == 0, "\(r.stdout)")
        #expect(r.stdout.hasSuffix(" passed, 0 failed\n"))
    }
}
