import AssayDaemon
import AssayEdge
import AssayRenderers
import AssayStore
import AssayTestSupport
import AssayValues
import Foundation
import Glibc
import Testing

/// Random operations against a running daemon (`after: keep`), then the invariant of docs/daemon.md
/// ("What the outbox holds"): nothing lost, nothing misfiled, nothing left half done. Seeded: a failure
/// prints its seed, and `ASSAY_TEST_SEED=N swift test --filter PropertyTests` replays the same operations
/// (the daemon's own timing still varies, which is the point of running it many times).
@Suite(.serialized)
struct PropertyTests {
    /// 1,000 operations — drops, copies, renames, rewrites in place (in chunks, some slower than
    /// settle_ms, some cut inside a UTF-8 character), deletes — and 20 `kill -9` with a restart, over names
    /// of any bytes; then every input in the inbox has exactly one current report or rejection, the store
    /// agrees, and nothing is left over.
    @Test func randomOperationsKeepEveryInputReportedExactlyOnce() throws {
        var rng = SeededGenerator.fromEnvironment("randomOperationsKeepEveryInputReportedExactlyOnce")
        let run = try PropertyRun()
        defer { run.h.killHard() }
        try run.start()
        let kills = Set((1...20).map { $0 * 1000 / 21 + rng.int(20) - 10 })
        for step in 0..<1000 {
            if kills.contains(step) {
                run.h.killHard()
                try run.start()
            } else {
                run.randomOperation(&rng)
            }
        }
        let violations = run.quiesce()
        #expect(
            violations.isEmpty, "\(rng.rerun):\n\(violations.joined(separator: "\n"))\n\(run.h.stderr.suffix(4000))")
        #expect(run.h.stop() == 0, "\(rng.rerun)")
        // And once more after the stop (the last commits are in): nothing changed.
        let after = run.violations()
        #expect(after.isEmpty, "\(rng.rerun):\n\(after.joined(separator: "\n"))")

        // The invariant has teeth: a missing report, a report of nothing and a leftover temporary are each
        // found.
        if let doc = try run.h.store().checkedDocuments().first {
            unlink(run.h.outbox + "/" + ReportNaming.reportName(stem: doc.stem, format: .json))
            #expect(
                run.violations().contains("checked document without its report: \(doc.stem).findings.json"),
                "\(rng.rerun)")
        }
        run.h.write("stray.findings.json", Array("{}".utf8), in: run.h.outbox)
        run.h.write(".x.findings.json.1.2.tmp", [], in: run.h.outbox)
        let found = run.violations()
        #expect(found.contains("report without a document: stray.findings.json"))
        #expect(found.contains("temporary file left in the outbox: .x.findings.json.1.2.tmp"))
        print("randomOperationsKeepEveryInputReportedExactlyOnce: \(run.stats) (\(rng.rerun))")
    }
}

/// One property run: the daemon, the names and contents it is fed, and the invariant.
final class PropertyRun {
    let h: DaemonHarness
    let staging: String
    var names = [[UInt8]]()
    var contents = [[UInt8]]()
    /// The SHA-256 of each content that is a bulletin (the others must be rejected).
    var checkable = Set<String>()
    var stats = [String: Int]()
    private var serial = 0

    init() throws {
        h = try DaemonHarness()
        staging = h.root + "/staging"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        // A pool of names, so that operations meet the same names again (rewrites, drops under a name
        // taken before, stems shared by .txt and .md).
        let long = String(repeating: "整改落实情况通报", count: 10) + "专项"  // 82 CJK characters, 246 bytes
        for i in 0..<12 {
            names.append(Array("b\(i).txt".utf8))
            names.append(Array("关于巡视整改进展情况的通报\(i).txt".utf8))
        }
        for i in 0..<3 {
            names.append(Array("rep\(i).md".utf8))
            names.append(Array("rep\(i).txt".utf8))
            names.append(Array(String(long.prefix(75 - i)).utf8) + Array(".txt".utf8))  // stems over 180 bytes
            names.append([0xB1, 0xA8, 0xB8, 0xE6] + Array("\(i).txt".utf8))  // GBK
            names.append([0xC4, 0xDA, 0xFF, 0x80 + UInt8(i)] + Array(".txt".utf8))  // not UTF-8 at all
            names.append(Array("evil\n<2>forged\(i).txt".utf8))
            names.append(Array("\u{1B}[31mred\(i).txt".utf8))
        }
        // Contents: small bulletins (some repeated under several names), corpus bulletins, and a few that
        // cannot be checked (binary, not UTF-8, empty).
        for n in 0..<40 { contents.append(DaemonHarness.bulletin(5000 + n)) }
        let corpus = repoPath("Tests/AssayCoreTests/Fixtures/corpus")
        let texts = ((try? FileManager.default.contentsOfDirectory(atPath: corpus)) ?? []).filter {
            $0.hasSuffix(".txt")
        }.sorted()
        for name in texts {
            guard contents.count < 52, let d = FileManager.default.contents(atPath: corpus + "/" + name),
                String(validating: [UInt8](d), as: UTF8.self) != nil, !d.isEmpty, d.count < 32_000
            else { continue }
            contents.append([UInt8](d))
        }
        checkable = Set(contents.map(SHA256.hex))
        for k in 0..<4 { contents.append([0x50, 0x4B, 0x03, 0x04, 0x00, UInt8(k)]) }
        for k in 0..<3 {
            contents.append(
                Array("caf".utf8) + [0xE9, 0x20, 0xFF, 0xFE, 0xFD] + Array(" na".utf8) + [
                    0xEF, 0x76, 0x65, 0x30 + UInt8(k),
                ])
        }
        contents.append([])
    }

    /// The daemon's configuration: short timings, so that slow writers and restarts happen often.
    func start() throws {
        let config = h.root + "/assay.yml"
        if !FileManager.default.fileExists(atPath: config) {
            h.write(
                "assay.yml", Array("settle_ms: 150\npoll_interval_ms: 100\nworkers: 2\nqueue: 64\n".utf8), in: h.root)
        }
        try h.start(["--config", config, "--settle-ms", "150"])
        stats["starts", default: 0] += 1
    }

    /// The path of `name` in the inbox, as the system calls take it.
    func path(_ name: [UInt8]) -> [CChar] { (Array((h.inbox + "/").utf8) + name + [0]).map { CChar(bitPattern: $0) } }

    func exists(_ name: [UInt8]) -> Bool {
        var st = stat()
        return lstat(path(name), &st) == 0
    }

    func live() -> [[UInt8]] { names.filter(exists) }

    /// The bytes the inbox holds under `name` (any bytes: not a path `FileManager` could take).
    func contents(of name: [UInt8]) -> [UInt8]? {
        let fd = open(path(name), O_RDONLY | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n < 0 { return nil }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// Writes `bytes` outside the inbox and renames it in (an atomic drop).
    func drop(_ name: [UInt8], _ bytes: [UInt8]) {
        serial += 1
        let tmp = staging + "/s\(serial)"
        _ = FileManager.default.createFile(atPath: tmp, contents: Data(bytes))
        rename(tmp, path(name))
    }

    /// Rewrites `name` in place: open, write a chunk, close, pause, in 1 to 4 chunks cut anywhere (inside a
    /// UTF-8 character too); some pauses are longer than settle_ms, so the daemon takes a partial version.
    func writeInPlace(_ name: [UInt8], _ bytes: [UInt8], _ rng: inout SeededGenerator) {
        let pieces = bytes.isEmpty ? 1 : min(bytes.count, 1 + rng.int(4))
        var cuts = (1..<pieces).map { _ in 1 + rng.int(max(1, bytes.count - 1)) }.sorted()
        cuts = [0] + cuts + [bytes.count]
        for i in 0..<(cuts.count - 1) {
            let fd = open(path(name), O_WRONLY | O_CREAT | (i == 0 ? O_TRUNC : O_APPEND), 0o644)
            guard fd >= 0 else { return }
            let part = Array(bytes[cuts[i]..<cuts[i + 1]])
            _ = part.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            if i < cuts.count - 2 {
                usleep(rng.chance(30) ? UInt32(200_000 + rng.int(150_000)) : UInt32(rng.int(40_000)))
            }
        }
    }

    func randomOperation(_ rng: inout SeededGenerator) {
        let present = live()
        let roll = rng.int(100)
        switch roll {
        case 0..<30:
            drop(rng.pick(names), rng.pick(contents)); stats["drop", default: 0] += 1
        case 30..<40:
            // A copy of content already in the inbox under another name.
            if let from = present.isEmpty ? nil : rng.pick(present), let bytes = contents(of: from) {
                drop(rng.pick(names), bytes); stats["copy", default: 0] += 1
            }
        case 40..<52:
            if !present.isEmpty {
                rename(path(rng.pick(present)), path(rng.pick(names))); stats["rename", default: 0] += 1
            }
        case 52..<70:
            writeInPlace(rng.pick(names), rng.pick(contents), &rng); stats["in place", default: 0] += 1
        case 70..<82:
            if !present.isEmpty { unlink(path(rng.pick(present))); stats["delete", default: 0] += 1 }
        default:
            usleep(UInt32(rng.int(60_000))); stats["pause", default: 0] += 1
        }
        if rng.chance(40) { usleep(UInt32(rng.int(15_000))) }
    }

    /// Waits until the invariant holds with the queue empty, and still holds a moment later; the
    /// violations left when it does not within 25 s. That is well under the full rescan's minute, so
    /// what the daemon would only find again by rescanning the inbox counts as a violation.
    func quiesce() -> [String] {
        var last = [String]()
        let settled = waitUntil(timeout: .seconds(25), poll: .milliseconds(300)) {
            let status = h.messages.last { $0.hasPrefix("STATUS=") } ?? ""
            guard status.contains("; queue 0;") else { last = ["the queue is not empty: \(status)"]; return false }
            last = violations()
            guard last.isEmpty else { return false }
            Thread.sleep(forTimeInterval: 1)
            last = violations()
            return last.isEmpty
        }
        return settled ? [] : last
    }

    static func json(_ path: String) -> JSONValue? {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONValue.parse(String(decoding: d, as: UTF8.self))
    }

    static func field(_ v: JSONValue?, _ keys: String...) -> String? {
        var v = v
        for k in keys {
            guard case .object(let fields)? = v else { return nil }
            v = fields.first { $0.0 == k }?.1
        }
        if case .string(let s)? = v { return s }
        return nil
    }

    /// Every way the outbox, the store and the inbox disagree with the invariant (docs/daemon.md, "What
    /// the outbox holds"), one line each.
    func violations() -> [String] {
        var problems = [String]()
        let fm = FileManager.default
        guard let store = try? h.store(), let docs = try? store.checkedDocuments(),
            let rejections = try? store.rejections(), let counts = try? store.counts()
        else { return ["the store cannot be read"] }
        let outbox = (try? fm.contentsOfDirectory(atPath: h.outbox)) ?? []
        // Nothing half done: no temporaries, no failed documents.
        for f in outbox where f.hasPrefix(".") { problems.append("temporary file left in the outbox: \(f)") }
        if counts.failed != 0 { problems.append("\(counts.failed) document(s) recorded as failed") }

        // The outbox and the store agree: each report is a checked document's, each rejection report a
        // recorded rejection's, for the content it names, and nothing else is there.
        let docByStem = Dictionary(docs.map { ($0.stem, $0) }, uniquingKeysWith: { a, _ in a })
        let docBySha = Dictionary(docs.map { ($0.sha256, $0) }, uniquingKeysWith: { a, _ in a })
        var reportFiles = 0
        var rejectionFiles = [String: [(file: String, sha: String?)]]()  // recorded name → files
        for f in outbox where !f.hasPrefix(".") {
            if f.hasSuffix(".findings.json") {
                reportFiles += 1
                let stem = String(f.dropLast(".findings.json".count))
                let sha = Self.field(Self.json(h.outbox + "/" + f), "document", "sha256")
                guard let doc = docByStem[stem] else { problems.append("report without a document: \(f)"); continue }
                if doc.sha256 != sha { problems.append("\(f) is for \(sha ?? "?"), the store says \(doc.sha256)") }
            } else if f.hasSuffix(".rejected.json") {
                let j = Self.json(h.outbox + "/" + f)
                let name = Self.field(j, "document", "name") ?? "?"
                rejectionFiles[name, default: []].append((f, Self.field(j, "document", "sha256")))
                if !rejections.contains(where: { $0.name == name && $0.sha256 == Self.field(j, "document", "sha256") })
                {
                    problems.append("rejection report without a record: \(f)")
                }
            } else {
                problems.append("unexpected file in the outbox: \(f)")
            }
        }
        for doc in docs where !outbox.contains(ReportNaming.reportName(stem: doc.stem, format: .json)) {
            problems.append("checked document without its report: \(doc.stem).findings.json")
        }
        if reportFiles != docs.count {
            problems.append("\(reportFiles) report(s) in the outbox, \(docs.count) checked document(s) in the store")
        }
        for r in rejections where !(rejectionFiles[r.name] ?? []).contains(where: { $0.sha == r.sha256 }) {
            problems.append(
                "recorded rejection without its report: \(FileName.escapingControls(r.name)) \(r.sha256 ?? "-")")
        }
        if rejectionFiles.values.map(\.count).reduce(0, +) != rejections.count {
            problems.append(
                "\(rejectionFiles.values.map(\.count).reduce(0, +)) rejection report(s), \(rejections.count) recorded")
        }

        // Every input in the inbox: exactly one current report (its own, or the first name's for a copy)
        // or exactly one rejection, for the content it holds now.
        var liveDisplay = [String: String]()  // recorded name → sha256 of what it holds now
        for name in names where exists(name) {
            let key = FileName.key(bytes: name)
            let display = FileName.text(key)
            let shown = FileName.escaped(key)
            guard let bytes = contents(of: name) else { continue }
            let sha = SHA256.hex(bytes)
            liveDisplay[display] = sha
            let shouldCheck = checkable.contains(sha)
            let mine = rejections.filter { $0.name == display }
            if let doc = docBySha[sha] {
                if !shouldCheck { problems.append("\(shown): \(sha.prefix(8)) was checked but cannot be") }
                if !mine.isEmpty || rejectionFiles[display] != nil {
                    problems.append("\(shown): checked, yet rejections remain: \(mine.map(\.reason))")
                }
                let report = h.outbox + "/" + ReportNaming.reportName(stem: doc.stem, format: .json)
                if !fm.fileExists(atPath: report) { problems.append("\(shown): no report \(doc.stem).findings.json") }
                if doc.name == display {
                    if let own = ReportNaming.ownStem(ofKey: key) {
                        if doc.stem != own && !Self.isSuffixed(doc.stem, own) {
                            problems.append("\(shown): report stem \(doc.stem) is not its own")
                        }
                    } else {
                        if !Self.isSuffixed(doc.stem, ReportNaming.safeStem(ofKey: key)) {
                            problems.append("\(shown): report stem \(doc.stem) is not its safe stem")
                        }
                        if Self.field(Self.json(report), "document", "original_name") != shown {
                            problems.append("\(shown): the report does not record the original name")
                        }
                    }
                }
            } else {
                if shouldCheck { problems.append("\(shown): \(sha.prefix(8)) holds a bulletin but has no report") }
                if mine.count != 1 || mine.first?.sha256 != sha {
                    problems.append(
                        "\(shown): \(mine.count) rejection(s) recorded, for \(mine.map { $0.sha256 ?? "-" })")
                }
                let file = ReportNaming.rejectionName(forKey: key, sha256: sha)
                let files = rejectionFiles[display] ?? []
                if files.map(\.file) != [file] || files.first?.sha != sha {
                    problems.append("\(shown): rejection reports \(files.map(\.file)), expected [\(file)]")
                }
            }
        }
        // A name's earlier versions are gone: no document or rejection recorded under a name in the inbox
        // for content it no longer holds. (Reports of inputs deleted from the inbox stay, as documented.)
        for doc in docs {
            if let now = liveDisplay[doc.name], now != doc.sha256 {
                problems.append("\(FileName.escapingControls(doc.name)): report \(doc.stem) of an earlier version")
            }
        }
        for r in rejections {
            if let now = liveDisplay[r.name], now != r.sha256 {
                problems.append("\(FileName.escapingControls(r.name)): rejection of an earlier version")
            }
        }
        return problems
    }

    /// `<stem>-<8 hex digits>`.
    static func isSuffixed(_ s: String, _ stem: String) -> Bool {
        guard s.hasPrefix(stem + "-"), s.utf8.count == stem.utf8.count + 9 else { return false }
        return s.suffix(8).allSatisfy(\.isHexDigit)
    }
}
