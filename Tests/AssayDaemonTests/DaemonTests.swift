import AssayDaemon
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayStore
import AssayTestSupport
import AssayValues
import Foundation
import Glibc
import Testing

/// End-to-end tests of the built daemon (`assay watch`, the configuration under test) run as a subprocess, with the
/// harness playing systemd's notify socket. Serialized: each one starts its own daemon, and these
/// machines have two cores.
@Suite(.serialized)
struct DaemonTests {
    @Test func notifyProtocolReadyWatchdogReloadStopping() throws {
        let h = try DaemonHarness()
        try h.start(environment: ["WATCHDOG_USEC": "200000"])
        let ready = h.waitForMessage { $0.contains("READY=1") }
        #expect(ready != nil)
        #expect(ready?.contains("STATUS=inotify: watching") == true)
        #expect(ready?.contains("queue 0") == true)
        #expect(h.waitForMessage(2) { $0 == "WATCHDOG=1" } != nil)

        h.clearMessages()
        h.signal(SIGHUP)
        let reloading = h.waitForMessage { $0.contains("RELOADING=1") }
        #expect(reloading?.contains("MONOTONIC_USEC=") == true)
        #expect(
            h.wait {
                h.messages.drop(while: { !$0.contains("RELOADING=1") }).dropFirst().contains { $0.contains("READY=1") }
            })

        h.drop("a.txt", DaemonHarness.bulletin(1))
        #expect(h.wait { h.messages.contains { $0.contains("STATUS=") && $0.contains("checked 1") } })
        #expect(h.stop() == 0)
        #expect(h.messages.contains("STOPPING=1"))
    }

    /// A worker held inside one match (a runaway pattern given 3 s, so the hold is bounded and needs no
    /// hook) makes no progress: WATCHDOG=1 is withheld while it is held, and comes back once the rule has
    /// given up and the report is written.
    @Test func watchdogIsWithheldWhileAWorkerMakesNoProgress() throws {
        let h = try DaemonHarness()
        let rules = h.root + "/slow.yml"
        h.write(
            "slow.yml",
            Array(
                "assay: 1\nruleset: slow\nrules:\n  - id: hold\n    title: t\n    kind: require\n    patterns: ['(?:a|a)+\\d']\n"
                    .utf8),
            in: h.root)
        try h.start(
            ["--rules", rules, "--pattern-limit-ms", "3000", "--workers", "1"], environment: ["WATCHDOG_USEC": "400000"]
        )
        #expect(h.waitForMessage { $0.contains("READY=1") } != nil)
        #expect(h.waitForMessage(2) { $0 == "WATCHDOG=1" } != nil)

        h.drop("held.txt", Array(String(repeating: "a", count: 100_000).utf8))
        // Two watchdog periods in a row find the worker without progress: no ping between them. The notify
        // socket orders the messages, so this needs no sleep.
        let withheld: (String) -> Bool = { $0.hasPrefix("STATUS=") && $0.contains("watchdog ping withheld") }
        // Extraction of the long line may itself take a period on a loaded machine, and then progress (a
        // ping) comes before the pattern stalls: what must hold is two withheld periods with no ping between.
        func twoInARow(_ m: [String]) -> Bool {
            var open = false
            for x in m {
                if x == "WATCHDOG=1" {
                    open = false
                } else if withheld(x) {
                    if open { return true }
                    open = true
                }
            }
            return false
        }
        #expect(h.wait(10) { twoInARow(h.messages) })
        #expect(
            h.messages.first(where: withheld)?.contains("the worker checking held.txt has made no progress for") == true
        )

        // The rule gives up after its 3 s; the report says so and the pings resume.
        #expect(h.wait(15) { h.reports() == ["held.findings.json"] })
        let seen = h.messages.count
        #expect(h.wait(5) { h.messages.dropFirst(seen).contains("WATCHDOG=1") })
        let report = (try? String(contentsOfFile: h.outbox + "/held.findings.json", encoding: .utf8)) ?? ""
        // The report is JSON: the pattern's backslash is escaped there.
        #expect(report.contains("pattern '(?:a|a)+\\\\d' of rule hold gave up after 3000 ms on 100000 characters"))
        #expect(h.stderr.contains("error: the worker checking held.txt has made no progress for"))
        #expect(h.stderr.contains("every worker is making progress again; watchdog pings resume"))
        #expect(h.stop() == 0)
    }

    @Test func fileDroppedByRenameIsReported() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("bulletin.txt", DaemonHarness.bulletin(1, full: true))
        #expect(h.wait(5) { h.reports() == ["bulletin.findings.json"] })
        let store = try h.store()
        #expect(h.wait(5) { (try? store.counts().done) == 1 })
        #expect(h.stop() == 0)
    }

    /// An input that cannot be moved (its archive folder was replaced by a file while the daemon ran) is
    /// reported and stays in the inbox; the report is written all the same.
    @Test func aFailedMoveIsLoggedAndTheInputStays() throws {
        let h = try DaemonHarness()
        let archive = h.root + "/archive"
        try h.start(["--after", "move", "--archive", archive])
        _ = h.waitForMessage { $0.contains("READY=1") }
        try FileManager.default.removeItem(atPath: archive)
        h.write("archive", Array("a file, not a folder".utf8), in: h.root)
        h.drop("stuck.txt", DaemonHarness.bulletin(21))
        #expect(
            h.wait(5) {
                h.stderr.contains(
                    "stuck.txt: checked, but cannot be moved to \(archive)/stuck.txt: Not a directory; it stays in the inbox"
                )
            })
        #expect(h.reports() == ["stuck.findings.json"])
        #expect(FileManager.default.fileExists(atPath: h.inbox + "/stuck.txt"))
        #expect(h.stop() == 0)
    }

    /// `after: move` with `--archive`: the folder is made on first use, and a later input under the same
    /// name with other content is archived beside the first with a hash suffix, not over it.
    @Test func sameNameInputsAreArchivedSideBySide() throws {
        let h = try DaemonHarness()
        let archive = h.root + "/archive"
        try h.start(["--after", "move", "--archive", archive])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let first = DaemonHarness.bulletin(1)
        let second = DaemonHarness.bulletin(2)
        h.drop("bulletin.txt", first)
        #expect(h.wait(5) { FileManager.default.fileExists(atPath: archive + "/bulletin.txt") })
        #expect(!FileManager.default.fileExists(atPath: h.inbox + "/bulletin.txt"))
        h.drop("bulletin.txt", second)
        let suffixed = archive + "/bulletin-\(SHA256.hex(second).prefix(8)).txt"
        #expect(h.wait(5) { FileManager.default.fileExists(atPath: suffixed) })
        #expect(FileManager.default.contents(atPath: archive + "/bulletin.txt").map { [UInt8]($0) } == first)
        #expect(FileManager.default.contents(atPath: suffixed).map { [UInt8]($0) } == second)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.inbox).filter { !$0.hasPrefix(".") }.isEmpty)
        #expect(h.stop() == 0)
    }

    @Test func fileWrittenSlowlyInPlaceIsCheckedOnceAfterTheLastChunk() throws {
        let h = try DaemonHarness()
        // A settle time well above the 300 ms between chunks, even on a loaded machine.
        try h.start(["--settle-ms", "900", "--workers", "1"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let bytes = DaemonHarness.bulletin(2, full: true)
        let third = bytes.count / 3
        let chunks = [bytes[0..<third], bytes[third..<2 * third], bytes[(2 * third)...]]
        let path = h.inbox + "/slow.txt"
        for (i, chunk) in chunks.enumerated() {
            // Each chunk opens, appends and closes: three IN_CLOSE_WRITE events, the hard case.
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            _ = Array(chunk).withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            // The pause between chunks is the thing under test (a file written slowly in place), not a wait
            // for the daemon: it stays a sleep.
            if i < 2 { usleep(300_000) }
            #expect(h.reports().isEmpty, "no report before the last chunk")
        }
        #expect(h.wait(5) { h.reports() == ["slow.findings.json"] })
        // Checked once: a later input written in place after the report waits out the same settle time, so
        // it is queued behind anything the slow file's chunks could still have set off, and one worker takes
        // the queue in order; once the later input's row is in the store, the slow file's count is final.
        let later = open(h.inbox + "/later.txt", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        _ = DaemonHarness.bulletin(3).withUnsafeBytes { Glibc.write(later, $0.baseAddress, $0.count) }
        close(later)
        let store = try h.store()
        #expect(h.wait(10) { (try? store.counts().done) == 2 })
        let counts = try store.counts()
        #expect(counts.runs == 2, "slow.txt checked once, later.txt once")
        #expect(counts.documents == 2)
        let report = try String(contentsOfFile: h.outbox + "/slow.findings.json", encoding: .utf8)
        #expect(report.contains("\"size\": \(bytes.count)"))
        #expect(h.stop() == 0)
    }

    @Test func backlogOf2000FilesIsReportedAndReadyComesFirst() throws {
        let h = try DaemonHarness()
        for i in 0..<2000 { h.write(String(format: "b%04d.txt", i), DaemonHarness.bulletin(i)) }
        try h.start()
        #expect(h.waitForMessage { $0.contains("READY=1") } != nil)
        let atReady = h.reports().count
        #expect(atReady < 2000, "READY must come before the backlog is done")
        #expect(h.wait(60) { h.reports().count == 2000 })
        // The report is written before the store row: wait for the last commit too.
        let store = try h.store()
        #expect(h.wait(5) { (try? store.counts().done) == 2000 })
        #expect(h.stop() == 0)
    }

    /// A real inotify queue overflow without touching /proc/sys: stop the daemon (SIGSTOP), queue more
    /// events than `max_queued_events` by alternating writes to two ignored dot-files, drop bulletins
    /// whose events are then lost, continue: the daemon must see IN_Q_OVERFLOW and rescan.
    @Test func inotifyOverflowTriggersRescan() throws {
        let limit =
            Int(
                (try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "16384") ?? 16384
        try #require(limit <= 200_000, "max_queued_events too large to overflow in a test")
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.signal(SIGSTOP)
        let a = open(h.inbox + "/.filler-a", O_WRONLY | O_CREAT, 0o644)
        let b = open(h.inbox + "/.filler-b", O_WRONLY | O_CREAT, 0o644)
        var byte: UInt8 = 0x41
        for _ in 0...(limit / 2 + 16) {
            Glibc.write(a, &byte, 1)
            Glibc.write(b, &byte, 1)
        }
        close(a); close(b)
        for i in 0..<5 { h.drop("lost\(i).txt", DaemonHarness.bulletin(100 + i)) }
        h.signal(SIGCONT)
        #expect(h.wait(10) { h.reports().count == 5 })
        #expect(h.stderr.contains("overflowed"))
        #expect(h.stop() == 0)
    }

    /// The bounded queue's own overflow: a queue of 4 and 60 files at once; refused offers are found
    /// again by the rescan that follows the drain.
    @Test func fullQueueIsDrainedThenRescanned() throws {
        let h = try DaemonHarness()
        let config = h.root + "/assay.yml"
        h.write("assay.yml", Array("queue: 4\nworkers: 1\n".utf8), in: h.root)
        try h.start(["--config", config])
        _ = h.waitForMessage { $0.contains("READY=1") }
        // All 60 arrive while the daemon is stopped, so the watcher offers them at once to a queue of 4
        // whatever the machine's speed (dropped one by one, a fast worker could keep the queue from filling).
        h.signal(SIGSTOP)
        for i in 0..<60 { h.drop("q\(i).txt", DaemonHarness.bulletin(200 + i)) }
        h.signal(SIGCONT)
        #expect(h.wait(20) { h.reports().count == 60 })
        #expect(h.stderr.contains("queue drained after it was full"))
        #expect(h.stop() == 0)
    }

    @Test func killDashNineMidBacklogThenRestartReportsEachInputExactlyOnce() throws {
        let h = try DaemonHarness()
        let n = 400
        for i in 0..<n { h.write(String(format: "k%04d.txt", i), DaemonHarness.bulletin(1000 + i)) }
        try h.start(["--workers", "2"])
        #expect(h.wait(30) { h.reports().count >= 40 })
        h.killHard()
        let before = h.reports().count
        #expect(before < n, "the kill must land in the middle of the backlog")
        try h.start()
        #expect(h.wait(60) { h.reports().count == n })
        // The report is written before the store row: wait for the last commit.
        #expect(h.wait(10) { (try? h.store().counts().runs) == n })
        #expect(h.stop() == 0)
        let reports = h.reports()
        #expect(reports.count == n)
        #expect(Set(reports) == Set((0..<n).map { String(format: "k%04d.findings.json", $0) }))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: h.outbox).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
        let counts = try h.store().counts()
        #expect(counts.documents == n)
        #expect(counts.runs == n)
    }

    @Test func badFilesAreRecordedWithTheirReasonAndTheDaemonKeepsServing() throws {
        let h = try DaemonHarness()
        let outside = h.root + "/outside.txt"
        h.write("outside.txt", DaemonHarness.bulletin(1), in: h.root)
        try h.start(["--max-bytes", "4000"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("binary.txt", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x01])
        h.write("empty.txt", [])
        h.drop(
            "latin1.txt", Array("caf".utf8) + [0xE9, 0x20, 0xFF, 0xFE, 0xFD] + Array(" na".utf8) + [0xEF, 0x76, 0x65])
        h.drop("huge.txt", Array(repeating: 0x41, count: 5000))
        symlink(outside, h.inbox + "/link.txt")
        mkfifo(h.inbox + "/fifo.txt", 0o644)
        mkdir(h.inbox + "/folder.txt", 0o755)
        h.write("locked.txt", DaemonHarness.bulletin(2))
        chmod(h.inbox + "/locked.txt", 0)
        let root = getuid() == 0  // root reads mode-000 files: then "locked" is simply checked
        let expected: [String: String] = [
            "binary.txt": "zip archive that cannot be read", "empty.txt": "empty", "latin1.txt": "not UTF-8",
            "huge.txt": "size limit",
            "link.txt": "symbolic link", "fifo.txt": "FIFO", "folder.txt": "folder",
        ].merging(root ? [:] : ["locked.txt": "permission denied"]) { a, _ in a }
        let store = try h.store()
        #expect(h.wait(10) { ((try? store.rejections()) ?? []).count == expected.count })
        let rejections = try store.rejections()
        for (name, reason) in expected {
            let r = rejections.first { $0.name == name }
            #expect(r?.reason.contains(reason) == true, "\(name): \(r?.reason ?? "not recorded")")
            let file = ReportNaming.rejectionName(forKey: name, sha256: r?.sha256)
            #expect(FileManager.default.fileExists(atPath: h.outbox + "/\(file)"), "\(name)")
        }
        let binary = ReportNaming.rejectionName(
            forKey: "binary.txt", sha256: SHA256.hex([0x50, 0x4B, 0x03, 0x04, 0x00, 0x00, 0x01]))
        let report = try String(contentsOfFile: h.outbox + "/" + binary, encoding: .utf8)
        #expect(report.contains("\"schema\": \"assay.rejection/1\""))
        h.drop("good.txt", DaemonHarness.bulletin(3))
        #expect(h.wait(5) { h.reports().contains("good.findings.json") })
        if root { #expect(h.reports().contains("locked.findings.json")) }
        #expect(h.process?.isRunning == true)
        #expect(h.stop() == 0)
    }

    @Test func brokenRulesOnSIGHUPKeepTheOldRulesServing() throws {
        let h = try DaemonHarness()
        let rules = h.root + "/rules"
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        let source = repoPath("Rules/xunshi-progress.yml")
        try FileManager.default.copyItem(atPath: source, toPath: rules + "/xunshi.yml")
        try h.start(["--rules", rules])
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("before.txt", DaemonHarness.bulletin(1))
        #expect(h.wait(5) { h.reports().count == 1 })

        // Break the rules in place (the folder watch reloads too), then SIGHUP.
        h.write(
            "xunshi.yml", Array("assay: 1\nruleset: broken\nrules:\n  - id: x\n    kind: nonsense\n".utf8), in: rules)
        // The folder watch's own reload refuses them first; wait for it rather than sleep.
        let refused = "previous rules stay in force"
        #expect(h.wait(5) { h.stderrCount(refused) >= 1 })
        let refusedBefore = h.stderrCount(refused)
        h.clearMessages()
        h.signal(SIGHUP)
        #expect(h.waitForMessage { $0.contains("RELOADING=1") } != nil)
        #expect(h.wait { h.messages.contains { $0.contains("READY=1") } })
        let log = h.stderr
        #expect(log.contains("xunshi.yml:5:"), "errors are logged with file:line:column")
        #expect(h.stderrCount(refused) > refusedBefore, "the SIGHUP reload refuses them too")

        h.drop("after.txt", DaemonHarness.bulletin(2))
        #expect(h.wait(5) { h.reports().count == 2 })
        let before = try String(contentsOfFile: h.outbox + "/before.findings.json", encoding: .utf8)
        let after = try String(contentsOfFile: h.outbox + "/after.findings.json", encoding: .utf8)
        func ruleSet(_ s: String) -> Substring? { s.range(of: "\"rulesets\"").map { s[$0.lowerBound...].prefix(300) } }
        #expect(ruleSet(before) != nil && ruleSet(before) == ruleSet(after), "the old rules kept serving")

        // A valid change in the folder is picked up without a signal.
        try FileManager.default.removeItem(atPath: rules + "/xunshi.yml")
        try FileManager.default.copyItem(atPath: source, toPath: rules + "/xunshi.yml")
        #expect(h.wait(5) { h.stderr.contains("rules reloaded") })
        #expect(h.stop() == 0)
    }

    @Test func inboxRemovedAndRecreatedIsServedAgain() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        try FileManager.default.removeItem(atPath: h.inbox)
        #expect(h.wait(3) { h.messages.contains { $0.contains("inbox missing") } })
        try FileManager.default.createDirectory(atPath: h.inbox, withIntermediateDirectories: true)
        #expect(h.wait(5) { h.stderr.contains("the inbox is back: watching \(h.inbox) again") })
        h.drop("back.txt", DaemonHarness.bulletin(7))
        #expect(h.wait(5) { h.reports() == ["back.findings.json"] })
        #expect(h.stop() == 0)
    }

    @Test func pollingModeSaysSoAndServes() throws {
        let h = try DaemonHarness()
        try h.start(["--watch", "poll"])
        let ready = h.waitForMessage { $0.contains("READY=1") }
        #expect(ready?.contains("polling") == true)
        h.drop("polled.txt", DaemonHarness.bulletin(8))
        #expect(h.wait(5) { h.reports() == ["polled.findings.json"] })
        #expect(h.stop() == 0)
    }

    @Test func sameStemDifferentInputsGetAHashSuffixAndSameContentIsCheckedOnce() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("report.txt", DaemonHarness.bulletin(1))
        #expect(h.wait(5) { h.reports().count == 1 })
        h.drop("report.md", DaemonHarness.bulletin(2))
        #expect(h.wait(5) { h.reports().count == 2 })
        let sha = SHA256.hex(DaemonHarness.bulletin(2))
        #expect(h.reports().contains("report-\(sha.prefix(8)).findings.json"))
        h.drop("copy.txt", DaemonHarness.bulletin(1))  // same bytes as report.txt
        // The daemon says it skipped it (STATUS counts); then no third report can come from it.
        #expect(h.wait(5) { h.messages.contains { $0.contains("STATUS=") && $0.contains("skipped 1,") } })
        #expect(h.reports().count == 2)
        #expect(h.wait(3) { (try? h.store().counts().runs) == 2 })
        // The log says what each check found and where its report is, and names the earlier input of
        // the same content at info level.
        #expect(
            h.wait(5) {
                h.stderr.contains(
                    "copy.txt: the same content as report.txt (report report), checked before; not checked again")
            })
        let report = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: h.outbox + "/report.findings.json"))) as? [String: Any])
        let summary = try #require(report["summary"] as? [String: Any])
        let by = try #require(summary["by_status"] as? [String: Int])
        let severities = try #require(summary["problems_by_severity"] as? [String: Int])
        let worst = ["error", "warning", "info"].first { (severities[$0] ?? 0) > 0 } ?? "no problems"
        let counts = ["fail", "missing", "error", "waived", "pass", "not_applicable"].compactMap { st in
            (by[st] ?? 0) > 0 ? "\(by[st]!) \(st)" : nil
        }
        #expect(
            h.stderr.contains(
                "report.txt: checked → \(worst): \(counts.joined(separator: ", ")); \(h.outbox)/report.findings.json\n")
        )
        #expect(h.stop() == 0)
    }

    @Test func afterMoveArchivesCheckedInputs() throws {
        let h = try DaemonHarness()
        try h.start(["--after", "move"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("m.txt", DaemonHarness.bulletin(9))
        #expect(h.wait(5) { FileManager.default.fileExists(atPath: h.inbox + "/.checked/m.txt") })
        #expect(!FileManager.default.fileExists(atPath: h.inbox + "/m.txt"))
        #expect(h.reports() == ["m.findings.json"])
        #expect(h.stop() == 0)
    }

    @Test func afterDeleteRemovesCheckedInputsButKeepsRejectedOnes() throws {
        let h = try DaemonHarness()
        try h.start(["--after", "delete"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("d.txt", DaemonHarness.bulletin(10))
        h.drop("z.txt", [0, 0, 0])
        #expect(h.wait(5) { !FileManager.default.fileExists(atPath: h.inbox + "/d.txt") })
        #expect(h.reports() == ["d.findings.json"])
        let rejection = ReportNaming.rejectionName(forKey: "z.txt", sha256: SHA256.hex([0, 0, 0]))
        #expect(h.wait(5) { h.reports(".rejected.json") == [rejection] })
        #expect(
            FileManager.default.fileExists(atPath: h.inbox + "/z.txt"), "rejected inputs stay for a person to look at")
        #expect(h.stop() == 0)
    }

    @Test func logLinesCarryJournalPrioritiesUnderSystemd() throws {
        let h = try DaemonHarness()
        try h.start(environment: ["JOURNAL_STREAM": "8:12345"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("bin.txt", [0, 1, 2, 3])
        #expect(h.wait(5) { h.stderr.contains("<4>bin.txt: rejected") })
        #expect(h.stop() == 0)
        let lines = h.stderr.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("<") })
        #expect(lines.contains { $0.hasPrefix("<6>serving ") })
    }

    @Test func recheckUsesTheCurrentRulesOnlyWhenAsked() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("r.txt", DaemonHarness.bulletin(11))
        #expect(h.wait(5) { h.reports().count == 1 })
        #expect(h.stop() == 0)

        let oneRuleSet = repoPath("Rules/xunshi-progress.yml")
        let run = try runAssay([
            "recheck", "--inbox", h.inbox, "--outbox", h.outbox, "--state", h.state, "--rules", oneRuleSet,
        ])
        let text = run.stdout
        #expect(run.status == 0)
        #expect(text.contains("rechecked 1, already current 0"))
        #expect(try h.store().counts().runs == 2)
        #expect(h.reports() == ["r.findings.json"])
    }

    @Test func unknownConfigKeyIsRejectedWithItsPlace() throws {
        let h = try DaemonHarness()
        let bad = MarkedText("inbox: in\n‸workrs: 2\n")
        h.write("bad.yml", Array(bad.text.utf8), in: h.root)
        try h.start(["--config", h.root + "/bad.yml"])
        h.process?.waitUntilExit()
        #expect(h.process?.terminationStatus == 2)
        #expect(
            h.stderr.contains(
                "\(bad.at("bad.yml")): error: unknown key 'workrs' in the configuration; did you mean 'workers'?"))
    }
}

/// The work queue's account of progress, on a clock the test turns.
@Suite struct WorkQueueTests {
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var t = 100.0
        func now() -> Double { lock.lock(); defer { lock.unlock() }; return t }
        func advance(_ d: Double) { lock.lock(); t += d; lock.unlock() }
    }

    @Test func aNameInHandIsStalledUntilItsWorkerProgresses() {
        let clock = Clock()
        let q = WorkQueue(capacity: 4, clock: { clock.now() })
        q.offer("a.txt")
        q.offer("b.txt")
        #expect(q.stalled(for: 1).isEmpty)  // queued, not in hand: no worker to be stuck
        #expect(q.take() == "a.txt")
        #expect(q.take() == "b.txt")
        clock.advance(0.5)
        q.progressed("b.txt")
        clock.advance(0.6)
        #expect(q.stalled(for: 1).map(\.name) == ["a.txt"])
        #expect(abs((q.stalled(for: 1).first?.seconds ?? 0) - 1.1) < 1e-9)
        clock.advance(0.5)
        #expect(q.stalled(for: 1).map(\.name) == ["a.txt", "b.txt"])
        q.progressed("a.txt")
        q.finished("b.txt")
        #expect(q.stalled(for: 1).isEmpty)
        q.progressed("b.txt")  // finished: no longer in hand, progress is ignored
        #expect(!q.isPending("b.txt"))
    }
}

/// The configuration parser alone.
@Suite struct DaemonConfigTests {
    @Test func parsesEveryKey() throws {
        let c = try DaemonConfig.parse(
            yaml: """
                inbox: /srv/in
                outbox: /srv/out
                state: /srv/state
                rules: [/etc/assay/rules]
                formats: [json, html]
                after: move
                archive: /srv/archive
                settle_ms: 250
                max_bytes: 1000
                workers: 3
                ignore: ["*.bak"]
                watch: poll
                poll_interval_ms: 200
                pattern_limit_ms: 50
                time_limit_ms: 2500
                """, file: "assay.yml")
        #expect(c.inbox == "/srv/in" && c.outbox == "/srv/out" && c.state == "/srv/state")
        #expect(c.formats == [.json, .html] && c.after == .move && c.archiveFolder == "/srv/archive")
        #expect(
            c.settleMs == 250 && c.maxBytes == 1000 && c.workers == 3 && c.watch == .poll && c.pollIntervalMs == 200)
        #expect(c.ignore == ["*.bak"] && c.rules == ["/etc/assay/rules"])
        #expect(c.patternLimitMs == 50 && c.timeLimitMs == 2500)
    }

    @Test func reportsBadValuesWithTheirPlace() {
        #expect(throws: DaemonConfig.ConfigError.self) {
            try DaemonConfig.parse(yaml: "after: archive\n", file: "c.yml")
        }
        let m = MarkedText("watch: ‸inotfy\nworkers: ‸0\n")
        do {
            _ = try DaemonConfig.parse(yaml: m.text, file: "c.yml")
        } catch {
            #expect(
                error.description.contains(
                    "\(m.at("c.yml", 0)): error: watch 'inotfy' is not one of auto, inotify, poll; did you mean 'inotify'?"
                ))
            #expect(error.description.contains("\(m.at("c.yml", 1)): error: workers must be a whole number ≥ 1"))
        }
    }

    /// Every bad value in one pass, each at its place, worded as in rule files (they share one YAML reader).
    @Test func reportsEveryBadValueExactly() {
        func errors(_ yaml: String) -> [String] {
            do { _ = try DaemonConfig.parse(yaml: yaml, file: "c.yml"); return [] } catch {
                return error.errors.map(\.description)
            }
        }
        let m = MarkedText(
            "inbox: ‸\"\"\nrules: ‸{a: 1}\nformats: ‸[json, htm]\nqueue: 1_000\nmax_bytes: ‸0\n‸quue: 2\n")
        #expect(
            errors(m.text) == [
                "\(m.at("c.yml", 4)): error: unknown key 'quue' in the configuration; did you mean 'queue'?",
                "\(m.at("c.yml", 0)): error: inbox must be a non-empty text value",
                "\(m.at("c.yml", 1)): error: rules must be text or a list of text",
                "\(m.at("c.yml", 2)): error: unknown report format 'htm'; did you mean 'html'?",
                "\(m.at("c.yml", 3)): error: max_bytes must be a whole number ≥ 1",
            ])
        #expect(errors("- inbox\n") == ["c.yml:1:1: error: the configuration must be a mapping"])
        #expect(
            errors("inbox: [a\n") == [
                "c.yml:2:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"
            ])
        #expect(errors("queue: 1_000\n") == [])
    }

    @Test func installedDefaultConfigParses() throws {
        let file = repoPath("systemd/assay.yml")
        let c = try DaemonConfig.load(file: file)
        #expect(c.inbox == "/var/lib/assay/inbox")
        #expect(c.patternLimitMs == 200)
        #expect(c.timeLimitMs == 5000)
    }

    @Test func temporaryNamesAreIgnored() {
        let inbox = Inbox(folder: "/in", ownPaths: ["/in/.checked", "/out"])
        for name in [
            ".hidden", "a.tmp", "a.part", "a.crdownload", "~$doc.txt", ".a.txt.swp", "x.findings.json",
            "x.rejected.json",
        ] {
            #expect(!inbox.accepts(name), "\(name)")
        }
        #expect(inbox.accepts("bulletin.txt"))
    }
}

/// The state store's API, as the daemon uses it.
@Suite struct StateStoreTests {
    @Test func recordsRunsRejectionsAndStems() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "assay-store-\(UUID().uuidString.prefix(8))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try StateStore(folder: folder)
        let rules = repoPath("Rules/xunshi-progress.yml")
        let sets = try RuleLoader().load(paths: [rules])
        let hash = Report.ruleSetsHash(sets)
        let bytes = DaemonHarness.bulletin(1, full: true)
        let result = try Pipeline(ruleSets: sets).check(bytes: bytes, name: "a.txt")
        let sha = result.report.document.sha256
        #expect(try !store.hasRun(sha256: sha, rulesHash: hash))
        #expect(try store.reportStem(sha256: sha, stem: "a") == "a")
        try store.record(result: result, rulesHash: hash, reportStem: "a", reportPaths: ["/out/a.findings.json"])
        #expect(try store.hasRun(sha256: sha, rulesHash: hash))
        #expect(try !store.hasRun(sha256: sha, rulesHash: "other"))
        #expect(try store.hasAnyRun(sha256: sha))
        #expect(try store.status(sha256: sha) == .done)
        #expect(try store.reportStem(sha256: sha, stem: "a") == "a")
        #expect(try store.reportStem(sha256: "ffffffff00", stem: "a") == "a-ffffffff")

        try store.recordRejection(name: "fifo.txt", sha256: nil, size: 0, reason: "is a FIFO (named pipe)")
        try store.recordRejection(name: "fifo.txt", sha256: nil, size: 0, reason: "is a FIFO (named pipe)")
        try store.recordRejection(name: "bin.txt", sha256: "00ab", size: 3, reason: "binary content")
        let c = try store.counts()
        #expect(c.documents == 2 && c.done == 1 && c.rejected == 1 && c.runs == 1 && c.rejections == 2)
        #expect(try store.rejections().map(\.name) == ["bin.txt", "fifo.txt"])
    }

    /// The facts and outcomes kept with a check, read back as JSON and counted with SQLite's json_each.
    @Test func keepsFactsAndOutcomesAsQueryableJSON() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "assay-store-\(UUID().uuidString.prefix(8))"
        ).path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try StateStore(folder: folder)
        let sets = try RuleLoader().load(paths: [repoPath("Rules/xunshi-progress.yml")])
        let hash = Report.ruleSetsHash(sets)
        let bytes = [UInt8](FileManager.default.contents(atPath: DaemonHarness.sample)!)
        let result = try Pipeline(ruleSets: sets).check(bytes: bytes, name: "sample.txt")
        let sha = result.report.document.sha256
        try store.record(
            result: result, rulesHash: hash, reportStem: "sample", reportPaths: ["/out/sample.findings.json"])

        guard case .array(let facts)? = try store.facts(sha256: sha) else { Issue.record("no facts stored"); return }
        #expect(facts.count == result.extraction.facts.count)
        #expect(facts.count == 87)
        let completed = try #require(facts.first { $0["text"] == .string("1081个") })
        #expect(
            completed
                == .object([
                    ("kind", .string("quantity")), ("text", .string("1081个")), ("label", .string("已督促完成整改")),
                    ("unit", .string("个")), ("section", .string("市审计局 / 三")),
                    ("line", .int(18)), ("column", .int(196)),
                ]))
        #expect(
            try store.factCount(sha256: sha, kind: "percent")
                == result.extraction.facts.filter { $0.kind == .percent }.count)
        #expect(try store.factCount(sha256: sha, kind: "percent") > 0)

        guard case .array(let outcomes)? = try store.outcomes(sha256: sha, rulesHash: hash) else {
            Issue.record("no outcomes"); return
        }
        #expect(outcomes.count == result.report.outcomes.count)
        #expect(
            outcomes.first
                == .object([
                    ("rule", .string(result.report.outcomes[0].ruleID)),
                    ("status", .string(result.report.outcomes[0].status.rawValue)),
                    ("severity", .string(result.report.outcomes[0].severity.rawValue)),
                    ("section", .string(result.report.outcomes[0].section.joined(separator: " / "))),
                    ("message", .string(result.report.outcomes[0].message)),
                    (
                        "evidence",
                        .array(
                            result.report.outcomes[0].evidence.map {
                                .object([
                                    ("role", .string($0.role)), ("offset", .int($0.span.offset)),
                                    ("length", .int($0.span.length)),
                                ])
                            })
                    ),
                ]))
        #expect(result.report.outcomes[0].evidence.count == 4)
        #expect(try store.facts(sha256: "0000") == nil)
    }
}
