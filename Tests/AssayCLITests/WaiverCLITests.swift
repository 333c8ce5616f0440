import AssayTestSupport
import Foundation
import Testing

/// `--waivers` on the command line: a file that is not there stops the check (exit 2) rather than
/// reporting approved failures as failures; a waiver naming no loaded rule is reported and not applied.
@Suite struct WaiverCLITests {
    @Test func aMissingWaiversFileIsAUsageError() throws {
        let r = try runAssay(["check", "--waivers", "no-such-waivers.yml", sample])
        #expect(r.status == 2)
        #expect(r.stderr == "assay: error: no-such-waivers.yml: no such waivers file\n")
        #expect(r.stdout == "")
    }

    @Test func aWaiverNamingNoRuleIsReported() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = dir.appendingPathComponent("waivers.yml")
        try Data(
            "waivers:\n  - {rule: audit-rectification-rat, reason: r, approver: a, expires: 2099-01-01}\n".utf8
        ).write(to: w)
        let r = try runAssay(["check", "--waivers", w.path, sample])
        #expect(r.status == 1)
        #expect(
            r.stdout.contains(
                "waiver 1 names rule 'audit-rectification-rat', which no loaded rule set defines; did you mean 'audit-rectification-rate'?; that waiver does not apply"
            ))
        // The failure it meant to waive stays a failure.
        #expect(r.stdout.contains("FAIL error audit-rectification-rate"))
    }
}

/// `rules lint --waivers`: a waiver that would not apply is an error of the lint.
@Suite struct WaiverLintTests {
    @Test func lintRefusesAWaiverForAnUnknownRule() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = dir.appendingPathComponent("waivers.yml")
        try Data(
            "waivers:\n  - {rule: contact-blok, reason: r, approver: a, expires: 2099-01-01}\n".utf8
        ).write(to: w)
        let r = try runAssay(["rules", "lint", "--waivers", w.path])
        #expect(r.status == 2)
        #expect(
            r.stderr
                == "\(w.path):2:1: error: waiver 1 names rule 'contact-blok', which no loaded rule set defines; did you mean 'contact-block'?\nassay: error: invalid waivers: 1 error\n"
        )
        let ok = dir.appendingPathComponent("ok.yml")
        try Data("waivers:\n  - {rule: contact-block, reason: r, approver: a, expires: 2099-01-01}\n".utf8).write(
            to: ok)
        #expect(try runAssay(["rules", "lint", "--waivers", ok.path]).status == 0)
    }
}

/// `check --language`: the built-in messages of every set in the language asked for.
@Suite struct LanguageOptionTests {
    @Test func builtInMessagesFollowTheLanguageOption() throws {
        let zh = try runAssay(["check", "--language", "zh", sample])
        #expect(zh.stdout.contains("全文未找到有合计且有两个以上分项的统计;已考虑:54.15亿元(第 18 行):前后没有合计或状态词"))
        let en = try runAssay(["check", "--language", "en", sample])
        #expect(
            en.stdout.contains(
                "no tally with a total and two or more parts in the document; considered: 54.15亿元 (line 18): no total or status word around it"
            ))
        let bad = try runAssay(["check", "--language", "fr", sample])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("The value 'fr' is invalid for '--language <language>'"))
    }
}
