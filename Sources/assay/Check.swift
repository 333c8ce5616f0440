import ArgumentParser
import AssayDaemon
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayStore
import AssayTooling
import AssayValues
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check bulletins against rules and print or write findings reports.",
        discussion: "Exit codes: 0 no outcome at or above --fail-on, 1 otherwise, 2 usage or input error."
    )

    @Argument(
        help:
            "Bulletin files or folders (folders recursively: every file but temporary names and reports, as the daemon takes them)."
    )
    var paths: [String]

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .customLong("format"), help: "text, json, markdown, html or sarif (repeatable with --output).")
    var formats: [ReportFormat] = []

    @Option(help: "Write <stem>.findings.<ext> for each bulletin and format into this folder.")
    var output: String?

    @Option(
        name: .customLong("fail-on"),
        help: "Exit 1 when an outcome at or above this severity fails (info, warning, error).")
    var failOn: Severity = .warning

    @Option(
        name: .customLong("pattern-limit-ms"),
        help: "Time each rule's patterns may take on one bulletin; past it the rule is an error.")
    var patternLimitMs: Int = 200

    @Option(
        name: .customLong("time-limit-ms"),
        help:
            "Time the whole check of one bulletin may take; past it the bulletin is an input error (0: no limit).")
    var timeLimitMs: Int = 5000

    @Option(
        help:
            "Language of the built-in messages: zh, en, or auto (the bulletin's own). Default: each rule set's language:, else en."
    )
    var language: MessageLanguage?

    @Option(
        help:
            "Keep every bulletin's place in its issuer's series in this folder's store (as the daemon does) and compare each with the earlier ones (progress rules)."
    )
    var state: String?

    @Option(help: "Other names of issuers (issuers.yml: each issuer's name with a list of its other names).")
    var issuers: String?

    func validate() throws {
        if patternLimitMs < 1 { throw ValidationError("--pattern-limit-ms must be at least 1") }
        if timeLimitMs < 0 { throw ValidationError("--time-limit-ms must be 0 (no limit) or more") }
        if output == nil && formats.count > 1 {
            throw ValidationError("several --format values need --output DIR")
        }
        if paths.isEmpty { throw ValidationError("give at least one bulletin file or folder") }
    }

    func run() throws {
        let sets = try ruleOptions.load()
        var pipeline = Pipeline(
            ruleSets: sets, waivers: try ruleOptions.loadWaivers(for: sets),
            patternTimeLimit: .milliseconds(patternLimitMs),
            timeLimit: timeLimitMs == 0 ? nil : .milliseconds(timeLimitMs))
        pipeline.language = language
        pipeline.issuers = try loadIssuers(issuers)
        let files = BulletinFiles.expand(paths)
        let rulesHash = Report.ruleSetsHash(sets)
        var store: StateStore?
        if let state {
            do { store = try StateStore(folder: state) } catch {
                fail("\(error)")
                throw ExitCode(2)
            }
            // Every bulletin takes its place in its series first, so each is compared with its true
            // predecessor (by publication date) whatever order the files are given in.
            let placed = CheckedBulletin.checkAll(
                files, pipeline: pipeline, renderers: [], ruleSets: sets, rulesHash: rulesHash)
            try store?.record(placed.compactMap { try? $0.get().check })
            pipeline.history = store
        }
        let formats = self.formats.isEmpty ? [ReportFormat.text] : self.formats
        let writer = output.map { OutboxWriter(folder: $0) }
        if let output {
            do { try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) } catch {
                // FileManager's error hides errno; asking mkdir once more names the cause (not a folder, permission).
                let reason = mkdir(output, 0o755) == 0 ? "\(error)" : String(cString: strerror(errno))
                fail(
                    "cannot create the output folder \(Self.shown(output)): \(FileName.escapingControls(reason)); nothing was checked"
                )
                throw ExitCode(2)
            }
        }
        let stderrIsTerminal = isatty(FileHandle.standardError.fileDescriptor) == 1
        let color = Terminal.colorEnabled(FileHandle.standardError)
        var progress = ProgressLine(
            total: files.count, enabled: stderrIsTerminal && files.count > ProgressLine.minimumFiles)
        var batch = BatchSummary(failOn: failOn)
        batch.total = files.count
        var stems = ReportStems()
        let started = Date()
        let stdoutColor = Terminal.colorEnabled(FileHandle.standardOutput)
        // Bulletins are checked and rendered in parallel, a chunk at a time; results are written and
        // counted in input order, so output names, messages and the summary do not depend on timing.
        var pending: ReportWrite.Batch?
        func finish(_ writes: ReportWrite.Batch?) {
            guard let writes else { return }
            for (w, error) in zip(writes.writes, writes.wait()) {
                if let error {
                    progress.clear()
                    fail(
                        "\(FileName.escaped(w.file)): cannot write the \(w.format.rawValue) report: \(FileName.escapingControls(error))"
                    )
                    batch.writeErrors += 1
                } else {
                    batch.written += 1
                }
            }
        }
        let chunkSize = 16 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        for chunkStart in stride(from: 0, to: files.count, by: chunkSize) {
            let chunk = Array(files[chunkStart..<min(files.count, chunkStart + chunkSize)])
            let renderers: [any ReportRenderer] =
                writer != nil
                ? formats.map(\.renderer)
                : [formats[0] == .text ? TextRenderer(color: stdoutColor) : formats[0].renderer]
            let checked = CheckedBulletin.checkAll(
                chunk, pipeline: pipeline, renderers: renderers, ruleSets: sets,
                rulesHash: store == nil ? nil : rulesHash)
            do { try store?.record(checked.compactMap { try? $0.get().check }) } catch {
                fail("\(error)")
                throw ExitCode(2)
            }
            var writes = [ReportWrite]()
            for (k, (file, item)) in zip(chunk, checked).enumerated() {
                progress.show(chunkStart + k, file)
                let result: CheckedBulletin
                switch item {
                case .failure(let error):
                    progress.clear()
                    fail("\(FileName.escaped(file)): \(FileName.escapingControls(error.description))")
                    batch.inputErrors += 1
                    continue
                case .success(let r): result = r
                }
                batch.add(result.report)
                if writer != nil {
                    let stem = stems.claim(Self.stem(file), sha256: result.report.document.sha256)
                    for (f, text) in zip(formats, result.renderings) {
                        writes.append(ReportWrite(file: file, stem: stem, format: f, text: text))
                    }
                } else {
                    progress.clear()
                    print(result.renderings[0], terminator: "")
                }
            }
            // Each write ends in fsync: the chunk's writes run side by side (the file system batches the
            // flushes) and in the background while the next chunk is checked.
            finish(pending)
            pending = writer.map { ReportWrite.start(writes, with: $0) }
        }
        finish(pending)
        progress.clear()
        batch.seconds = Date().timeIntervalSince(started)
        if output != nil || (stderrIsTerminal && files.count > 1) {
            FileHandle.standardError.write(Data(batch.table(color: color, output: output.map(Self.shown)).utf8))
        }
        if batch.inputErrors > 0 || batch.writeErrors > 0 { throw ExitCode(2) }
        if batch.failing > 0 { throw ExitCode(1) }
    }

    /// A path given as text (an argument) as names are shown everywhere: escaped as in the daemon's logs.
    static func shown(_ textPath: String) -> String { FileName.escaped(FileName.keyPath(textPath)) }

    static func stem(_ path: String) -> String {
        let key = (path as NSString).lastPathComponent
        return ReportNaming.ownStem(ofKey: key) ?? ReportNaming.safeStem(ofKey: key)
    }
}

/// Expands folders into the bulletin files they hold, recursively, sorted. Paths are key paths
/// (`FileName.keyPath`): a name that is not UTF-8, of a file or a subfolder, is carried as its key.
enum BulletinFiles {
    /// Files under folders are taken as the daemon's inbox takes them: every regular file except
    /// temporary names (dot-files, *.tmp, *.part, …) and Assay's own reports; hidden folders are skipped.
    /// The inputs in a folder (a key path) and its subfolders, listed as the daemon lists its inbox
    /// (`Inbox.list`: names as bytes, so a file or subfolder whose name is not UTF-8 is taken too), sorted
    /// within each folder.
    static func files(in folder: String) -> [String] {
        var inbox = Inbox(folder: folder)
        inbox.folderIsKeyPath = true
        var out = [String]()
        for name in inbox.list() ?? [] {
            guard let sig = inbox.signature(name) else { continue }
            switch sig.modeBits & S_IFMT {
            case S_IFDIR: out += files(in: inbox.path(name))
            case S_IFREG: out.append(inbox.path(name))
            default: continue
            }
        }
        return out
    }

    static func expand(_ paths: [String]) -> [String] {
        var out = [String]()
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue else {
                out.append(FileName.keyPath(p))
                continue
            }
            out += files(in: FileName.keyPath(p))
        }
        return out
    }
}

/// Terminal capabilities: colours only on a terminal and never when NO_COLOR is set.
enum Terminal {
    static func colorEnabled(_ handle: FileHandle) -> Bool {
        if let v = ProcessInfo.processInfo.environment["NO_COLOR"], !v.isEmpty { return false }
        return isatty(handle.fileDescriptor) == 1
    }
}

/// Why a bulletin was not checked (unreadable, not text, over the time limit), as the message says it.
struct InputFailure: Error, Sendable, CustomStringConvertible {
    var description: String
}

/// One bulletin checked and rendered in every requested format, ready to be written.
struct CheckedBulletin: Sendable {
    var report: Report
    var renderings: [String]
    /// The check in the form the store keeps, when the results are recorded (`--state`).
    var check: StateStore.Check?

    /// Checks and renders the files on all cores; the results come back in the order of `files`. With a
    /// `rulesHash`, each result carries its check for the store.
    static func checkAll(
        _ files: [String], pipeline: Pipeline, renderers: [any ReportRenderer],
        ruleSets: [RuleSet], rulesHash: String? = nil
    ) -> [Result<CheckedBulletin, InputFailure>] {
        let slots = Slots<Result<CheckedBulletin, InputFailure>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let file = files[i]
            // A bulletin that cannot be read or decoded, or whose check runs past the time limit
            // (`Pipeline.OverBudget`), is an input error for that file; the others go on.
            do {
                let bytes = try readBulletin(keyPath: file)
                let key = (file as NSString).lastPathComponent
                // Named as the daemon names its inputs (`FileName.text`: a name that is not UTF-8 escaped).
                let result = try pipeline.check(bytes: bytes, name: FileName.text(key))
                // The text report is read on a terminal: the name in it is shown escaped, as in the messages.
                var shown = result.report
                shown.document.name = FileName.escaped(key)
                let texts = renderers.map {
                    $0.render($0.format == .text ? shown : result.report, document: result.document, ruleSets: ruleSets)
                }
                let check = rulesHash.map {
                    StateStore.Check(result: result, rulesHash: $0, reportStem: Check.stem(file), reportPaths: [])
                }
                slots[i] = .success(CheckedBulletin(report: result.report, renderings: texts, check: check))
            } catch {
                slots[i] = .failure(InputFailure(description: "\(error)"))
            }
        }
        return slots.values.map { $0! }
    }
}

/// Reads a bulletin at a key path (`FileName.keyPath`; every component may stand for a name that is not
/// UTF-8) as `readBulletin` reads one named on the command line.
func readBulletin(keyPath: String) throws(DecodingError) -> [UInt8] {
    switch InputFile.read(keyPath: keyPath, maxBytes: maxInputBytes, followSymbolicLinks: true) {
    case .success(let bytes): return bytes
    case .failure(.notRegular(let kind)): throw .undecodable(reason: "is \(kind)")
    case .failure(let e): throw .undecodable(reason: e.description)
    }
}

/// One report file to write: `<stem>.findings.<ext>` for one bulletin and format.
struct ReportWrite: Sendable {
    var file: String
    var stem: String
    var format: ReportFormat
    var text: String

    /// Writes under way; `wait()` returns each write's error (nil when written), in order.
    struct Batch {
        var writes: [ReportWrite]
        fileprivate var group: DispatchGroup
        fileprivate var errors: Slots<String>

        func wait() -> [String?] {
            group.wait()
            return errors.values
        }
    }

    /// Starts writing all, several at a time (writing is mostly waiting for fsync), and returns at once.
    static func start(_ writes: [ReportWrite], with writer: OutboxWriter, width: Int = 32) -> Batch {
        let errors = Slots<String>(count: writes.count)
        let group = DispatchGroup()
        let gate = DispatchSemaphore(value: width)
        for _ in writes { group.enter() }
        Thread.detachNewThread {
            for (i, w) in writes.enumerated() {
                gate.wait()
                Thread.detachNewThread {
                    do { try writer.write(w.text, stem: w.stem, format: w.format) } catch { errors[i] = "\(error)" }
                    gate.signal()
                    group.leave()
                }
            }
        }
        return Batch(writes: writes, group: group, errors: errors)
    }
}

/// Result slots filled from concurrent workers, one slot per index, behind a lock.
final class Slots<Value: Sendable>: @unchecked Sendable {
    private var storage: [Value?]
    private let lock = NSLock()

    init(count: Int) { storage = Array(repeating: nil, count: count) }

    subscript(i: Int) -> Value? {
        get { lock.lock(); defer { lock.unlock() }; return storage[i] }
        set { lock.lock(); storage[i] = newValue; lock.unlock() }
    }

    var values: [Value?] { lock.lock(); defer { lock.unlock() }; return storage }
}

/// Report file stems for one batch: the first bulletin keeps its stem; a later one with the same stem
/// gets `<stem>-<first 8 of its sha256>` (and a counter if even that is taken), so no report is overwritten.
struct ReportStems {
    private var used = Set<String>()

    mutating func claim(_ stem: String, sha256: String) -> String {
        var candidate = stem
        if used.contains(candidate) { candidate = ReportNaming.disambiguated(stem, sha256: sha256) }
        var n = 2
        let base = candidate
        while used.contains(candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        used.insert(candidate)
        return candidate
    }
}

/// A one-line progress indicator on standard error, rewritten in place with `\r`; only on a terminal.
struct ProgressLine {
    static let minimumFiles = 5
    let total: Int
    let enabled: Bool
    private var lastDrawn = Date.distantPast
    private var visible = false

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    mutating func show(_ done: Int, _ file: String) {
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.05 || done == 0 else { return }
        lastDrawn = now
        let width = String(total).count
        let count = String(repeating: " ", count: width - String(done + 1).count) + String(done + 1)
        let name = FileName.escaped((file as NSString).lastPathComponent)
        let shown = name.count > 50 ? String(name.prefix(49)) + "…" : name
        FileHandle.standardError.write(
            Data("\r\u{1B}[K[\(count)/\(total)] \(done * 100 / max(total, 1))% \(shown)".utf8))
        visible = true
    }

    mutating func clear() {
        guard visible else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        visible = false
    }
}

/// What a batch check found, file by file, for the closing summary table.
struct BatchSummary {
    let failOn: Severity
    var total = 0
    var files = 0
    var worst = [Severity: Int]()
    var clean = 0
    var failing = 0
    var inputErrors = 0
    var writeErrors = 0
    var written = 0
    var seconds: Double = 0

    init(failOn: Severity) { self.failOn = failOn }

    mutating func add(_ report: Report) {
        files += 1
        if let w = report.worstProblem { worst[w, default: 0] += 1 } else { clean += 1 }
        if report.hasProblem(atLeast: failOn) { failing += 1 }
    }

    /// Two columns, label and count; colours (when on) only on non-zero problem counts.
    func table(color: Bool, output: String?) -> String {
        func paint(_ s: String, _ code: String, _ on: Bool) -> String {
            color && on ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
        }
        func row(_ label: String, _ value: String, _ code: String? = nil, _ on: Bool = false, _ note: String = "")
            -> String
        {
            let padded = label.padding(toLength: 18, withPad: " ", startingAt: 0)
            let v = String(repeating: " ", count: max(0, 7 - value.count)) + value
            return "  \(padded)\(code.map { paint(v, $0, on) } ?? v)\(note.isEmpty ? "" : "  " + note)\n"
        }
        var out = "summary\n"
        out += row("files", String(total))
        out += row("worst: error", String(worst[.error] ?? 0), "31;1", (worst[.error] ?? 0) > 0)
        out += row("worst: warning", String(worst[.warning] ?? 0), "33;1", (worst[.warning] ?? 0) > 0)
        out += row("worst: info", String(worst[.info] ?? 0), "34", (worst[.info] ?? 0) > 0)
        out += row("no problems", String(clean), "32", clean > 0)
        out += row("failing", String(failing), "31;1", failing > 0, "at or above \(failOn.rawValue)")
        out += row("input errors", String(inputErrors), "31;1", inputErrors > 0)
        if let output {
            out += row("reports written", String(written), nil, false, "in \(output)")
            if writeErrors > 0 { out += row("write errors", String(writeErrors), "31;1", true) }
        }
        out += row("time", String(format: "%.2f s", seconds))
        return out
    }
}
