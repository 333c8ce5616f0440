import Foundation
import Testing

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let sample = repoRoot.appendingPathComponent("Samples/chongqing-2021-01-05-xunshi-progress.txt").path

/// Runs the built `assay` binary (built by `swift build` before `swift test`).
func assay(_ args: [String], cwd: URL? = nil, env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = repoRoot.appendingPathComponent(".build/debug/assay")
    p.arguments = args
    if let cwd { p.currentDirectoryURL = cwd }
    var e = ProcessInfo.processInfo.environment
    for (k, v) in env { e[k] = v }
    p.environment = e
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let r = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: r, as: UTF8.self))
}

func tempDir() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("assay-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
}

@Suite struct CLITests {
    @Test func sampleFailsTheRateRuleAndExitsOne() throws {
        let r = try assay(["check", sample])
        #expect(r.status == 1)
        #expect(r.out.contains("FAIL error audit-rectification-rate [市审计局 › 三] chongqing-2021-01-05-xunshi-progress.txt:18:"))
        #expect(r.out.contains("市审计局 › 三: 整改率 79%, target >= 80% (difference -1 个百分点)"))
    }

    @Test func jsonFormatIsTheCanonicalReport() throws {
        let r = try assay(["check", sample, "--format", "json"])
        #expect(r.status == 1)
        #expect(r.out.hasPrefix("{\n  \"schema\": \"assay.report/1\",\n"))
    }

    @Test func failOnErrorStillExitsOneForTheRateRule() throws {
        #expect(try assay(["check", sample, "--fail-on", "error"]).status == 1)
    }

    @Test func missingFile() throws {
        let r = try assay(["check", "no-such-bulletin.txt"])
        #expect(r.status == 2)
        #expect(r.err == "assay: error: no-such-bulletin.txt: no such file\n")
    }

    @Test func binaryEmptyAndFolderInputs() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bin = dir.appendingPathComponent("image.txt")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: bin)
        let empty = dir.appendingPathComponent("empty.txt")
        try Data().write(to: empty)
        let r1 = try assay(["check", bin.path])
        #expect(r1.status == 2)
        #expect(r1.err == "assay: error: \(bin.path): binary content (NUL byte at byte 4); expected a text bulletin\n")
        let r2 = try assay(["check", empty.path])
        #expect(r2.status == 2)
        #expect(r2.err == "assay: error: \(empty.path): the file is empty\n")
    }

    @Test func malformedRuleFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("bad.yml")
        try "assay: 1\nruleset: bad\nrules:\n  - id: x\n    title: t\n    kind: threshhold\n".write(to: rules, atomically: true, encoding: .utf8)
        let r = try assay(["check", sample, "--rules", rules.path])
        #expect(r.status == 2)
        #expect(r.err == """
        \(rules.path):6:11: error: unknown rule kind 'threshhold'; did you mean 'threshold'?; kinds: require, forbid, sections, threshold, consistency, deadline

        """)
        let lint = try assay(["rules", "lint", rules.path])
        #expect(lint.status == 2)
        #expect(try assay(["rules", "lint"]).status == 0)
    }

    /// An impossible date fails lint with its place, and a waiver that expires on one waives nothing.
    @Test func impossibleDatesAreRefused() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("dates.yml")
        try """
        assay: 1
        ruleset: dates
        targets:
          feedback_day: {date: 2020-13-45, source: 巡视反馈会}
        rules:
          - id: dept
            title: t
            kind: sections
            require: [市审计局]

        """.write(to: rules, atomically: true, encoding: .utf8)
        let lint = try assay(["rules", "lint", rules.path])
        #expect(lint.status == 2)
        #expect(lint.err == "\(rules.path):4:24: error: target 'feedback_day' date '2020-13-45' is not a real date (month 13)\n")
        let waivers = dir.appendingPathComponent("waivers.yml")
        let entry = "  - {rule: audit-rectification-rate, reason: 口径调整, approver: 审计处, expires: "
        try "waivers:\n\(entry)2030-12-31}\n\(entry)2026-02-30}\n".write(to: waivers, atomically: true, encoding: .utf8)
        let check = try assay(["check", sample, "--waivers", waivers.path])
        #expect(check.out.contains("WAIVED error audit-rectification-rate"))
        #expect(check.out.contains("""
            \(waivers.path):3:\(entry.unicodeScalars.count + 1): error: waiver 2: expires '2026-02-30' is not a real date \
            (February 2026 has 28 days); that waiver does not apply
            """))
        try "waivers:\n  - {rule: audit-rectification-rate, reason: r, approver: a, expires: 2030-13-01}\n"
            .write(to: waivers, atomically: true, encoding: .utf8)
        let impossible = try assay(["check", sample, "--waivers", waivers.path])
        #expect(impossible.status == 1)
        #expect(impossible.out.contains("FAIL error audit-rectification-rate"))
        #expect(!impossible.out.contains("WAIVED"))
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try assay(["check"]).status == 2)
        #expect(try assay(["check", sample, "--fail-on", "fatal"]).status == 2)
    }

    @Test func passingRulesExitZero() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("ok.yml")
        try "assay: 1\nruleset: ok\nrules:\n  - id: dept\n    title: t\n    kind: sections\n    require: [市审计局]\n".write(to: rules, atomically: true, encoding: .utf8)
        let r = try assay(["check", sample, "--rules", rules.path])
        #expect(r.status == 0)
        #expect(r.out.contains("PASS 1: dept"))
    }

    /// A runaway pattern is an error of its rule, within the limit `--pattern-limit-ms` sets.
    @Test func patternTimeLimitIsAnErrorOutcomeAndCanBeSet() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("slow.yml")
        try "assay: 1\nruleset: slow\nrules:\n  - id: slow\n    title: t\n    kind: require\n    patterns: ['(?:a|a)+c']\n"
            .write(to: rules, atomically: true, encoding: .utf8)
        let bulletin = dir.appendingPathComponent("a.txt")
        try String(repeating: "a", count: 50_000).write(to: bulletin, atomically: true, encoding: .utf8)
        let r = try assay(["check", bulletin.path, "--rules", rules.path, "--pattern-limit-ms", "50"])
        #expect(r.status == 1)
        #expect(r.out.contains("ERROR error slow a.txt:-\n    pattern '(?:a|a)+c' of rule slow gave up after 50 ms on 50000 characters: the bulletin cannot be checked against it\n"))
        #expect(try assay(["check", bulletin.path, "--rules", rules.path, "--pattern-limit-ms", "0"]).status == 2)
    }

    @Test func explainShowsTheRule() throws {
        let r = try assay(["explain", "audit-rectification-rate"])
        #expect(r.status == 0)
        #expect(r.out.contains("audit-rectification-rate: 市审计局 审计查出问题整改率不低于目标\n"))
        #expect(r.out.contains("  kind:       threshold — "))
        #expect(try assay(["explain", "nope"]).status == 2)
    }

    @Test func bundledRulesTestsPass() throws {
        let r = try assay(["rules", "test"])
        #expect(r.status == 0, "\(r.out)")
        #expect(r.out.hasSuffix(" passed, 0 failed\n"))
    }
}
