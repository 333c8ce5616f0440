import AssayDaemon
import AssayEdge
import AssayRenderers
import AssayStore
import AssayTestSupport
import AssayValues
import Foundation
import Glibc
import Testing

/// Inputs a hostile or careless sender makes: names that are not UTF-8 or too long, names that hold
/// control characters, copies dropped together, files written in place in slow chunks, rejections across
/// restarts, a removed outbox, absurd settings, a stop during a long check.
@Suite(.serialized)
struct HostileInputTests {
    /// Drops `bytes` under a name given as raw bytes (renamed in, as `DaemonHarness.drop` does).
    static func drop(_ h: DaemonHarness, name: [UInt8], _ bytes: [UInt8]) {
        let tmp = h.inbox + "/.raw.part"
        #expect(FileManager.default.createFile(atPath: tmp, contents: Data(bytes)))
        let target = (Array((h.inbox + "/").utf8) + name + [0]).map { CChar(bitPattern: $0) }
        #expect(rename(tmp, target) == 0)
    }

    static func json(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    @Test func keysKeepTheBytesOfEveryName() {
        let names: [[UInt8]] = [
            Array("bulletin.txt".utf8), [0xB1, 0xA8, 0xB8, 0xE6] + Array(".txt".utf8), Array("caf\u{E9}.txt".utf8),
            Array("cafe\u{301}.txt".utf8), Array("\u{F7B1}x".utf8), [0xEF, 0x9E, 0xB1, 0xFF],
        ]
        let keys = names.map { FileName.key(bytes: $0) }
        for (name, key) in zip(names, keys) { #expect(FileName.bytes(of: key) == name) }
        #expect(Set(keys).count == names.count, "canonically equivalent names stay two keys")
        #expect(keys[0] == "bulletin.txt" && FileName.isPlain(keys[2]))
        #expect(FileName.escaped(keys[1]) == "\\xB1\\xA8\\xB8\\xE6.txt")
        #expect(FileName.escaped("a\n<2>b\u{1B}[31m\u{85}") == "a\\n<2>b\\e[31m\\u{85}")
    }

    /// Report, rejection and temporary names stay within 255 bytes, whatever the input name's length.
    @Test func reportNamesStayWithin255Bytes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-names-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sha = SHA256.hex(Array("x".utf8))
        for n in [1, 59, 60, 61, 84] {
            for base in ["a", "整"] {
                let key = String(repeating: base, count: n * (base == "a" ? 3 : 1)) + ".txt"
                guard key.utf8.count <= 255 else { continue }
                let (stem, _) = ReportNaming.inputStem(ofKey: key, sha256: sha)
                for format in ReportFormat.allCases {
                    let name = ReportNaming.reportName(
                        stem: ReportNaming.disambiguated(stem, sha256: sha), format: format)
                    #expect(name.utf8.count <= 255, "\(name)")
                    let file = try OutboxWriter.writeTemporary([1], folder: folder, name: name)
                    close(file.fd)
                    #expect(((file.temp as NSString).lastPathComponent).utf8.count <= 255)
                    unlink(file.temp)
                }
                #expect(ReportNaming.rejectionName(forKey: key, sha256: nil).utf8.count <= 255)
            }
        }
    }

    /// Item 1: a GBK name (not UTF-8) and a name too long for `.<stem>.findings.json.<pid>.<n>.tmp` are
    /// taken, reported under a safe stem with the content hash, recorded, and logged escaped.
    @Test func namesThatAreNotUTF8OrTooLongAreReported() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let gbk: [UInt8] = [0xB1, 0xA8, 0xB8, 0xE6] + Array(".txt".utf8)
        let content = DaemonHarness.bulletin(31)
        Self.drop(h, name: gbk, content)
        let long = String(repeating: "整改落实情况", count: 13) + ".txt"  // 78 characters, 238 bytes
        let longContent = DaemonHarness.bulletin(32)
        h.drop(long, longContent)
        Self.drop(h, name: [0xC4, 0xDA] + Array(".txt".utf8), [0x50, 0x4B, 0x03, 0x04, 0x00])

        let gbkReport = "____-\(SHA256.hex(content).prefix(8)).findings.json"
        #expect(h.wait(10) { h.reports().contains(gbkReport) })
        #expect(Self.json(h.outbox + "/" + gbkReport).contains(#""original_name": "\\xB1\\xA8\\xB8\\xE6.txt""#))
        #expect(h.wait(10) { h.reports().count == 2 })
        let longReport = h.reports().first { $0 != gbkReport } ?? ""
        #expect(longReport.hasSuffix("-\(SHA256.hex(longContent).prefix(8)).findings.json"))
        #expect(longReport.utf8.count <= 255)
        #expect(Self.json(h.outbox + "/" + longReport).contains(#""original_name": "\#(long)""#))
        #expect(h.wait(10) { h.reports(".rejected.json").count == 1 })
        let store = try h.store()
        #expect(h.wait(5) { (try? store.counts().done) == 2 })
        #expect(try store.checkedDocuments().map(\.name).contains("\\xB1\\xA8\\xB8\\xE6.txt"))
        #expect(h.wait(5) { (try? store.rejections().map(\.name)) == ["\\xC4\\xDA.txt"] })
        // A worker logs once it has handed its document over, which may be after the commit.
        #expect(h.wait(5) { h.stderr.contains("\\xB1\\xA8\\xB8\\xE6.txt: checked → ") })
        #expect(h.stderr.contains(h.outbox + "/____-"))
        #expect(h.wait(5) { h.stderr.contains("\\xC4\\xDA.txt: rejected: ") })
        #expect(!h.stderr.contains("too long"))
        #expect(h.stop() == 0)
        let left = try FileManager.default.contentsOfDirectory(atPath: h.outbox).filter { $0.hasSuffix(".tmp") }
        #expect(left.isEmpty)
    }

    /// Item 2: a newline and `<2>` in a name cannot forge a journal entry, nor an escape sequence reach
    /// the terminal.
    @Test func controlCharactersInNamesAreEscapedInTheLog() throws {
        let h = try DaemonHarness()
        try h.start(environment: ["JOURNAL_STREAM": "8:12345"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("evil\n<2>forged.txt", DaemonHarness.bulletin(33))
        h.drop("\u{1B}[31mred.txt", DaemonHarness.bulletin(34))
        #expect(h.wait(10) { h.reports().count == 2 })
        #expect(h.wait(5) { h.stderrCount(": checked → ") == 2 })
        let log = h.stderr
        #expect(!log.split(separator: "\n").contains { $0.hasPrefix("<2>") })
        #expect(!log.unicodeScalars.contains("\u{1B}"))
        #expect(log.contains("<6>evil\\n<2>forged.txt: checked → "))
        #expect(log.contains("<6>\\e[31mred.txt: checked → "))
        #expect(h.stop() == 0)
    }

    /// Item 3: copies of one content dropped together are checked once; every report belongs to its
    /// input, and the store's name agrees with the report stem.
    @Test func copiesDroppedTogetherAreCheckedOnce() throws {
        let h = try DaemonHarness()
        let archive = h.root + "/archive"
        try h.start(["--after", "move", "--archive", archive, "--workers", "2"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let staging = h.root + "/staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        var names = [String]()
        for i in 0..<20 {
            for copy in ["a", "b"] {
                let name = "\(copy)\(i).txt"
                h.write(name, DaemonHarness.bulletin(100 + i), in: staging)
                names.append(name)
            }
        }
        for name in names { rename(staging + "/" + name, h.inbox + "/" + name) }
        let store = try h.store()
        #expect(h.wait(20) { (try? FileManager.default.contentsOfDirectory(atPath: archive).count) == 40 })
        #expect(h.wait(5) { (try? store.counts().done) == 20 })
        #expect(h.reports().count == 20)
        for doc in try store.checkedDocuments() {
            #expect(doc.stem == (doc.name as NSString).deletingPathExtension, "\(doc.name) → \(doc.stem)")
            #expect(Self.json(h.outbox + "/\(doc.stem).findings.json").contains(doc.sha256))
        }
        #expect(h.stop() == 0)
    }

    /// Item 4: a file written in place in chunks slower than settle_ms is taken early; each new version
    /// replaces the report under the canonical name, and a rejection of a version cut inside a UTF-8
    /// character is removed once the file is whole.
    @Test func aFileChangedAfterItWasTakenReplacesItsReport() throws {
        let h = try DaemonHarness()
        try h.start(["--settle-ms", "200", "--workers", "1"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let full = DaemonHarness.bulletin(35, full: true)
        let path = h.inbox + "/grow.txt"
        func append(_ part: ArraySlice<UInt8>) {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            _ = part.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        var cut = full.count / 3
        while full[cut] & 0xC0 == 0x80 { cut += 1 }  // a character boundary
        append(full[..<cut])
        let report = h.outbox + "/grow.findings.json"
        #expect(h.wait(10) { Self.json(report).contains(SHA256.hex(Array(full[..<cut]))) })
        // The next chunk ends inside a character: that version is refused.
        var split = 2 * full.count / 3
        while full[split] & 0xC0 == 0x80 { split += 1 }
        split += 1
        append(full[cut..<split])
        #expect(h.wait(10) { h.reports(".rejected.json").count == 1 })
        append(full[split...])
        #expect(h.wait(10) { Self.json(report).contains(SHA256.hex(full)) })
        #expect(h.wait(5) { h.reports(".rejected.json").isEmpty })
        #expect(h.reports() == ["grow.findings.json"])
        let store = try h.store()
        #expect(h.wait(5) { (try? store.rejections())?.isEmpty == true })
        #expect(try store.checkedDocuments().map(\.sha256) == [SHA256.hex(full)])
        #expect(h.stop() == 0)
    }

    /// Item 5: `scan.txt` and `scan.md` get a rejection each; a restart neither rewrites nor re-logs them.
    @Test func rejectionsCarryAHashAndAreNotRepeatedOnRestart() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("scan.txt", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x01])
        h.drop("scan.md", [0x50, 0x4B, 0x03, 0x04, 0x00, 0x02])
        #expect(h.wait(10) { h.reports(".rejected.json").count == 2 })
        #expect(h.wait(5) { h.stderrCount(": rejected: ") == 2 })
        let files = h.reports(".rejected.json").sorted()
        func modified(_ f: String) -> Date? {
            (try? FileManager.default.attributesOfItem(atPath: h.outbox + "/" + f))?[.modificationDate] as? Date
        }
        let times = files.map(modified)
        #expect(h.stop() == 0)

        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("z.txt", DaemonHarness.bulletin(36))
        #expect(h.wait(10) { h.reports().contains("z.findings.json") })
        #expect(h.wait(5) { h.stderrCount("z.txt: checked") == 1 })
        #expect(h.stderrCount(": rejected: ") == 0, "the harness starts a new log: nothing logged again")
        #expect(h.reports(".rejected.json").sorted() == files)
        #expect(files.map(modified) == times)
        #expect(h.stop() == 0)
    }

    /// Item 6: a removed outbox is made again.
    @Test func aRemovedOutboxIsMadeAgain() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        try FileManager.default.removeItem(atPath: h.outbox)
        h.drop("again.txt", DaemonHarness.bulletin(37))
        #expect(h.wait(10) { h.reports() == ["again.findings.json"] })
        #expect(h.stop() == 0)
    }

    /// Item 6: the number of workers is bounded, by flag and by key.
    @Test func workersAreBounded() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("assay-workers-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Run by hand with a deadline: a daemon that accepts the number never exits by itself.
        let p = Process()
        p.executableURL = AssayBinary.url
        p.arguments = [
            "watch", "--inbox", root + "/in", "--outbox", root + "/out", "--state", root + "/st", "--workers", "50000",
        ]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let exited = waitUntil(timeout: .seconds(10)) { !p.isRunning }
        if !exited { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(exited && p.terminationStatus != 0)
        #expect(stderr.contains("--workers must be between 1 and 64"))
        #expect(throws: DaemonConfig.ConfigError.self) { try DaemonConfig.parse(yaml: "workers: 65\n", file: "c.yml") }
        do {
            _ = try DaemonConfig.parse(yaml: "workers: 65\n", file: "c.yml")
        } catch {
            #expect(error.description.contains("c.yml:1:10: error: workers must be between 1 and 64"))
        }
        #expect(try DaemonConfig.parse(yaml: "workers: 64\n", file: "c.yml").workers == 64)
    }

    /// Item 7: SIGTERM does not wait for a long check; its input is taken again on the next start.
    @Test func stopAbandonsALongCheckAndTheNextStartTakesIt() throws {
        let h = try DaemonHarness()
        let rules = h.root + "/slow.yml"
        h.write(
            "slow.yml",
            Array(
                "assay: 1\nruleset: slow\nrules:\n  - id: hold\n    title: t\n    kind: require\n    patterns: ['(?:a|a)+\\d']\n"
                    .utf8),
            in: h.root)
        try h.start(["--rules", rules, "--pattern-limit-ms", "30000", "--workers", "1"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        h.drop("held.txt", Array(String(repeating: "a", count: 100_000).utf8))
        #expect(h.waitForMessage { $0.contains("STATUS=") && $0.contains("queue 1") } != nil)
        let started = Date()
        #expect(h.stop() == 0)
        #expect(Date().timeIntervalSince(started) < 8)
        #expect(h.reports().isEmpty)
        #expect(h.stderr.contains("held.txt still being checked after"))

        try h.start(["--rules", rules, "--pattern-limit-ms", "50", "--workers", "1"])
        #expect(h.wait(15) { h.reports() == ["held.findings.json"] })
        #expect(h.stop() == 0)
    }
}
