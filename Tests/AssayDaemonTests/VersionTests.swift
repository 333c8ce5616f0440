import AssayDaemon
import AssayEdge
import AssayStore
import AssayTestSupport
import AssayValues
import Foundation
import Glibc
import Testing

/// Versions of an input name (issue 12): the time limit of one check, an input changed while or after it
/// was taken under every `after:`, the retirement of a name's earlier version, and rejection reports named
/// by earlier versions of Assay.
@Suite(.serialized)
struct VersionTests {
    static func json(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// A rule set whose one pattern backtracks on a run of `a`s, so that a check of such an input takes
    /// the pattern time limit: long enough to change the input while it is being checked.
    static func slowRules(_ h: DaemonHarness) -> String {
        h.write(
            "slow.yml",
            Array(
                "assay: 1\nruleset: slow\nrules:\n  - id: hold\n    title: t\n    kind: require\n    patterns: ['(?:a|a)+\\d']\n"
                    .utf8),
            in: h.root)
        return h.root + "/slow.yml"
    }

    static func append(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_APPEND)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    // MARK: time_limit_ms

    /// A check past `time_limit_ms` is a rejection that names the setting; the reason has no time taken in
    /// it, so a restart finds the same rejection on record.
    @Test func aCheckPastTheTimeLimitIsRejectedNamingTheLimit() throws {
        let h = try DaemonHarness()
        h.write("assay.yml", Array("time_limit_ms: 1\n".utf8), in: h.root)
        try h.start(["--config", h.root + "/assay.yml"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let big = Array(repeating: DaemonHarness.bulletin(41, full: true), count: 40).flatMap { $0 }
        h.drop("big.txt", big)
        let sha = SHA256.hex(big)
        let file = h.outbox + "/" + ReportNaming.rejectionName(forKey: "big.txt", sha256: sha)
        #expect(h.wait(20) { FileManager.default.fileExists(atPath: file) })
        // The report is written before the store records it (`Intake.reject`), so the row may land a
        // moment after the file appears.
        #expect(h.wait(20) { ((try? h.store().rejections()) ?? []).count == 1 })
        let prefix = "checking took longer than the time limit of 1 ms (time_limit_ms); stopped in "
        let rejections = try h.store().rejections()
        #expect(rejections.count == 1)
        let reason = rejections.first?.reason ?? ""
        #expect(reason.hasPrefix(prefix), "\(reason)")
        #expect(["decode", "segment", "extract", "evaluate"].contains(String(reason.dropFirst(prefix.count))))
        #expect(Self.json(file).contains(#""reason": "\#(reason)""#))
        #expect(h.reports().isEmpty)
        #expect(h.stop() == 0)
    }

    /// `time_limit_ms` and `--time-limit-ms` take 1 … 600000; anything else is refused at its place.
    @Test func theTimeLimitMustBeWithinItsRange() throws {
        func errors(_ yaml: String) -> [String] {
            do { _ = try DaemonConfig.parse(yaml: yaml, file: "c.yml"); return [] } catch {
                return error.errors.map(\.description)
            }
        }
        #expect(
            errors("time_limit_ms: 0\n") == [
                "c.yml:1:16: error: time_limit_ms must be between 1 and 600000 milliseconds (got 0); the daemon always limits the time a document may take"
            ])
        #expect(
            errors("inbox: in\ntime_limit_ms: 600001\n") == [
                "c.yml:2:16: error: time_limit_ms must be between 1 and 600000 milliseconds (got 600001)"
            ])
        #expect(errors("time_limit_ms: soon\n") == ["c.yml:1:16: error: time_limit_ms must be a whole number"])
        #expect(try DaemonConfig.parse(yaml: "time_limit_ms: 600000\n", file: "c.yml").timeLimitMs == 600_000)
        #expect(try DaemonConfig.parse(yaml: "time_limit_ms: 1\n", file: "c.yml").timeLimitMs == 1)
        #expect(DaemonConfig().timeLimitMs == 5000)

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("assay-limit-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try runAssay([
            "watch", "--inbox", root + "/in", "--outbox", root + "/out", "--state", root + "/st", "--time-limit-ms",
            "0",
        ])
        #expect(run.status != 0)
        #expect(
            run.stderr.contains(
                "--time-limit-ms must be between 1 and 600000 milliseconds (got 0); the daemon always limits the time a document may take"
            ))
        #expect(!FileManager.default.fileExists(atPath: root + "/in"), "refused before anything is made")
    }

    // MARK: after: move / delete with a changing input

    /// `after: move`: an input appended to while it is being checked is not archived as the version that
    /// was read; it is taken again, and the report and the archived copy are both its last content.
    @Test func moveArchivesTheLastSettledVersionOfAnInputChangedWhileChecked() throws {
        try changedWhileChecked(after: "move")
    }

    /// `after: delete`: an input appended to while it is being checked is not deleted unchecked; it is
    /// taken again and deleted once its last content is reported.
    @Test func deleteNeverDeletesAVersionThatWasNotChecked() throws {
        try changedWhileChecked(after: "delete")
    }

    func changedWhileChecked(after: String) throws {
        let h = try DaemonHarness()
        let archive = h.root + "/archive"
        try h.start([
            "--rules", Self.slowRules(h), "--pattern-limit-ms", "1500", "--workers", "1", "--after", after,
            "--archive", archive,
        ])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let first = Array(String(repeating: "a", count: 60_000).utf8)
        let whole = first + Array("b".utf8)
        h.drop("grow.txt", first)
        // In hand (queue 1) and held by the pattern for 1.5 s: append now.
        #expect(h.waitForMessage { $0.hasPrefix("STATUS=") && $0.contains("queue 1;") } != nil)
        Self.append(h.inbox + "/grow.txt", Array("b".utf8))
        let report = h.outbox + "/grow.findings.json"
        #expect(h.wait(20) { Self.json(report).contains(SHA256.hex(whole)) })
        #expect(h.wait(5) { !FileManager.default.fileExists(atPath: h.inbox + "/grow.txt") })
        if after == "move" {
            #expect(try FileManager.default.contentsOfDirectory(atPath: archive) == ["grow.txt"])
            #expect(FileManager.default.contents(atPath: archive + "/grow.txt").map { [UInt8]($0) } == whole)
        } else {
            #expect(!FileManager.default.fileExists(atPath: archive))
        }
        #expect(h.reports() == ["grow.findings.json"])
        let store = try h.store()
        #expect(h.wait(5) { (try? store.checkedDocuments().map(\.sha256)) == [SHA256.hex(whole)] })
        #expect(h.stop() == 0)
    }

    /// With `after: move`, an input dropped again under a name taken before (a writer that reopened the
    /// name after the first version was archived, or a new edition) is a new version of that name: its
    /// report replaces the earlier one under the name's own stem, and the archive keeps both versions.
    @Test func aNameDroppedAgainAfterAMoveReplacesItsReport() throws {
        let h = try DaemonHarness()
        let archive = h.root + "/archive"
        try h.start(["--after", "move", "--archive", archive])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let first = DaemonHarness.bulletin(51)
        let second = DaemonHarness.bulletin(52)
        h.drop("weekly.txt", first)
        #expect(h.wait(5) { FileManager.default.fileExists(atPath: archive + "/weekly.txt") })
        h.drop("weekly.txt", second)
        let suffixed = "weekly-\(SHA256.hex(second).prefix(8)).txt"
        #expect(h.wait(5) { FileManager.default.fileExists(atPath: archive + "/" + suffixed) })
        #expect(h.wait(5) { Self.json(h.outbox + "/weekly.findings.json").contains(SHA256.hex(second)) })
        #expect(h.reports() == ["weekly.findings.json"])
        #expect(try h.store().checkedDocuments().map(\.sha256) == [SHA256.hex(second)])
        #expect(FileManager.default.contents(atPath: archive + "/weekly.txt").map { [UInt8]($0) } == first)
        #expect(h.stop() == 0)
    }

    /// `after: keep`: an input changed while it is being checked is taken again as soon as its worker is
    /// done, not at the next full rescan (a minute by default).
    @Test func anInputChangedWhileCheckedIsTakenAgainAtOnce() throws {
        let h = try DaemonHarness()
        try h.start(["--rules", Self.slowRules(h), "--pattern-limit-ms", "1500", "--workers", "1"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let first = Array(String(repeating: "a", count: 60_000).utf8)
        h.drop("grow.txt", first)
        #expect(h.waitForMessage { $0.hasPrefix("STATUS=") && $0.contains("queue 1;") } != nil)
        Self.append(h.inbox + "/grow.txt", Array("b".utf8))
        let report = h.outbox + "/grow.findings.json"
        #expect(h.wait(10) { Self.json(report).contains(SHA256.hex(first + Array("b".utf8))) })
        #expect(h.reports() == ["grow.findings.json"])
        #expect(h.stop() == 0)
    }

    // MARK: a name's earlier version retired

    /// Renamed, then the old name used again: the renamed input (a copy of content first checked under the
    /// old name) gets its own report when the old name's new version takes over the old report.
    @Test func aRenamedInputGetsItsOwnReportWhenItsOldNameIsReused() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let x = DaemonHarness.bulletin(61)
        let y = DaemonHarness.bulletin(62)
        h.drop("a.txt", x)
        #expect(h.wait(5) { h.reports() == ["a.findings.json"] })
        rename(h.inbox + "/a.txt", h.inbox + "/b.txt")
        #expect(h.wait(5) { h.messages.contains { $0.contains("STATUS=") && $0.contains("skipped 1,") } })
        h.drop("a.txt", y)
        #expect(h.wait(10) { h.reports().sorted() == ["a.findings.json", "b.findings.json"] })
        #expect(h.wait(5) { Self.json(h.outbox + "/a.findings.json").contains(SHA256.hex(y)) })
        #expect(Self.json(h.outbox + "/b.findings.json").contains(SHA256.hex(x)))
        let store = try h.store()
        #expect(h.wait(5) { (try? store.checkedDocuments().count) == 2 })
        let docs = try store.checkedDocuments().map { "\($0.name) \($0.stem) \($0.sha256)" }.sorted()
        #expect(docs == ["a.txt a \(SHA256.hex(y))", "b.txt b \(SHA256.hex(x))"])
        #expect(h.stop() == 0)
    }

    /// A name rewritten with content that cannot be checked: its earlier report goes, the rejection is
    /// the one current record of the name.
    @Test func aNameRewrittenWithUncheckableContentLosesItsEarlierReport() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("a.txt", DaemonHarness.bulletin(63))
        #expect(h.wait(5) { h.reports() == ["a.findings.json"] })
        let binary: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x00, 0x63]
        h.drop("a.txt", binary)
        let rejection = ReportNaming.rejectionName(forKey: "a.txt", sha256: SHA256.hex(binary))
        #expect(h.wait(5) { h.reports(".rejected.json") == [rejection] })
        #expect(h.wait(5) { h.reports().isEmpty })
        let store = try h.store()
        #expect(h.wait(5) { (try? store.checkedDocuments().isEmpty) == true })
        #expect(h.stop() == 0)
    }

    /// A name rewritten with a copy of content checked under another name: its earlier report goes (the
    /// copy's findings are the other name's report).
    @Test func aNameRewrittenWithACopyLosesItsEarlierReport() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let y = DaemonHarness.bulletin(65)
        h.drop("a.txt", DaemonHarness.bulletin(64))
        h.drop("c.txt", y)
        #expect(h.wait(5) { h.reports().sorted() == ["a.findings.json", "c.findings.json"] })
        h.drop("a.txt", y)
        #expect(h.wait(5) { h.reports() == ["c.findings.json"] })
        // The report goes first, then the record.
        let store = try h.store()
        #expect(h.wait(5) { (try? store.checkedDocuments().map(\.name)) == ["c.txt"] })
        #expect(h.stop() == 0)
    }

    /// A name that cannot give its own stem (not UTF-8) reports under `<safe stem>-<sha8>`, the hash its
    /// content's: a new version of the name takes its own such stem and the earlier version's report goes,
    /// so another name with the same safe stem and the earlier content cannot write over the new report
    /// (found by the property test: two documents shared `____-<sha8>` and one lost its report).
    @Test func aRenamedStemStaysWithItsContentAcrossVersions() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let first: [UInt8] = [0xC4, 0xDA, 0xFF, 0x80] + Array(".txt".utf8)
        let second: [UInt8] = [0xC4, 0xDA, 0xFF, 0x81] + Array(".txt".utf8)
        let x = DaemonHarness.bulletin(91)
        let y = DaemonHarness.bulletin(92)
        let xReport = "____-\(SHA256.hex(x).prefix(8)).findings.json"
        let yReport = "____-\(SHA256.hex(y).prefix(8)).findings.json"
        HostileInputTests.drop(h, name: first, x)
        #expect(h.wait(5) { h.reports() == [xReport] })
        HostileInputTests.drop(h, name: first, y)
        #expect(h.wait(5) { h.reports() == [yReport] })
        HostileInputTests.drop(h, name: second, x)
        #expect(h.wait(5) { Set(h.reports()) == [xReport, yReport] })
        #expect(Self.json(h.outbox + "/" + xReport).contains(SHA256.hex(x)))
        #expect(Self.json(h.outbox + "/" + xReport).contains(#""original_name": "\\xC4\\xDA\\xFF\\x81.txt""#))
        #expect(Self.json(h.outbox + "/" + yReport).contains(SHA256.hex(y)))
        #expect(Self.json(h.outbox + "/" + yReport).contains(#""original_name": "\\xC4\\xDA\\xFF\\x80.txt""#))
        let store = try h.store()
        #expect(h.wait(5) { (try? store.checkedDocuments().count) == 2 })
        #expect(Set(try store.checkedDocuments().map { "\($0.stem).findings.json" }) == [xReport, yReport])
        #expect(h.stop() == 0)
    }

    /// A rejection already on record is not written again, but the rejections of the name's earlier
    /// versions still go: a kill between recording the new one and clearing those left both (found by the
    /// property test). The state is made as the kill leaves it: the earlier version's record and report
    /// beside the current one's.
    @Test func aRejectionOnRecordClearsThoseOfEarlierVersions() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let current: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x00, 0x93]
        h.drop("r.txt", current)
        let kept = ReportNaming.rejectionName(forKey: "r.txt", sha256: SHA256.hex(current))
        #expect(h.wait(5) { h.reports(".rejected.json") == [kept] })
        let store = try h.store()
        #expect(h.wait(5) { (try? store.rejections().count) == 1 })
        #expect(h.stop() == 0)

        let earlier = SHA256.hex([0x50, 0x4B, 0x03, 0x04, 0x00, 0x94])
        try store.recordRejection(name: "r.txt", sha256: earlier, size: 6, reason: "binary content")
        let stale = ReportNaming.rejectionName(forKey: "r.txt", sha256: earlier)
        let text = Intake.rejectionReport(name: "r.txt", sha256: earlier, size: 6, reason: "binary content", at: Date())
        h.write(stale, Array(text.utf8), in: h.outbox)
        try h.start()
        #expect(h.wait(10) { h.reports(".rejected.json") == [kept] })
        #expect(h.wait(5) { (try? store.rejections().map(\.sha256)) == [SHA256.hex(current)] })
        #expect(h.stop() == 0)
    }

    // MARK: rejection reports of earlier versions

    /// Rejection reports named by earlier versions — `<stem>.rejected.json` (no hash) and
    /// `<stem>-<first 8 hex of the content's hash>.rejected.json` — are removed when the daemon writes the
    /// current name for the same input, or checks it; one that names another input is left alone.
    @Test func legacyRejectionNamesAreRemovedWithTheirInputsNewRecord() throws {
        let h = try DaemonHarness()
        try FileManager.default.createDirectory(atPath: h.outbox, withIntermediateDirectories: true)
        func legacy(_ file: String, for name: String) {
            let text = Intake.rejectionReport(name: name, sha256: nil, size: 5, reason: "binary content", at: Date())
            h.write(file, Array(text.utf8), in: h.outbox)
        }
        let binary: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x00, 0x71]
        legacy("scan.rejected.json", for: "scan.txt")
        legacy("scan-\(SHA256.hex(binary).prefix(8)).rejected.json", for: "scan.txt")
        legacy("other.rejected.json", for: "other.md")  // another input with the same stem
        legacy("fixed.rejected.json", for: "fixed.txt")
        h.write("scan.txt", binary)
        h.write("other.txt", binary + [1])
        h.write("fixed.txt", DaemonHarness.bulletin(71))
        try h.start()
        #expect(h.wait(10) { h.reports() == ["fixed.findings.json"] })
        let scan = ReportNaming.rejectionName(forKey: "scan.txt", sha256: SHA256.hex(binary))
        let other = ReportNaming.rejectionName(forKey: "other.txt", sha256: SHA256.hex(binary + [1]))
        #expect(h.wait(10) { Set(h.reports(".rejected.json")) == [scan, other, "other.rejected.json"] })
        #expect(Self.json(h.outbox + "/other.rejected.json").contains(#""name": "other.md""#))
        #expect(h.stop() == 0)
    }

    /// Two names with one stem (or one safe stem) and one content that cannot be checked get a rejection
    /// report each; clearing one leaves the other's.
    @Test func namesSharingAStemAndAContentHaveTheirOwnRejections() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let binary: [UInt8] = [0x50, 0x4B, 0x03, 0x04, 0x00, 0x72]
        let gbk1: [UInt8] = [0xC4, 0xDA, 0xFF, 0x80] + Array(".txt".utf8)
        let gbk2: [UInt8] = [0xC4, 0xDA, 0xFF, 0x81] + Array(".txt".utf8)
        h.drop("scan.txt", binary)
        h.drop("scan.md", binary)
        HostileInputTests.drop(h, name: gbk1, binary)
        HostileInputTests.drop(h, name: gbk2, binary)
        let sha = SHA256.hex(binary)
        let names = ["scan.txt", "scan.md", FileName.key(bytes: gbk1), FileName.key(bytes: gbk2)].map {
            ReportNaming.rejectionName(forKey: $0, sha256: sha)
        }
        #expect(Set(names).count == 4)
        #expect(h.wait(10) { Set(h.reports(".rejected.json")) == Set(names) })
        // scan.md and one GBK name become bulletins: their rejections go, the others' stay.
        h.drop("scan.md", DaemonHarness.bulletin(72))
        HostileInputTests.drop(h, name: gbk2, DaemonHarness.bulletin(73))
        #expect(h.wait(10) { Set(h.reports(".rejected.json")) == [names[0], names[2]] })
        let store = try h.store()
        #expect(h.wait(5) { (try? store.rejections().count) == 2 })
        #expect(h.stop() == 0)
    }
}
