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

/// What `check` prints or writes: a report format, or `jsonl` (one JSON report a line, on standard output).
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, jsonl, markdown, html, sarif

    /// The report format rendered for it (`jsonl`: JSON on one line).
    var report: ReportFormat { self == .jsonl ? .json : ReportFormat(rawValue: rawValue)! }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check bulletins against rules and print or write findings reports.",
        discussion: "Exit codes: 0 no outcome at or above --fail-on, 1 otherwise, 2 usage or input error."
    )

    @Argument(
        help:
            "Bulletin files or folders (folders recursively: every file but temporary names and reports, as the daemon takes them); - reads one bulletin from standard input."
    )
    var paths: [String]

    @OptionGroup var ruleOptions: RuleOptions

    @Option(
        name: .customLong("format"),
        help: """
            text, json, jsonl, markdown, html or sarif (repeatable with --output). On standard output several \
            bulletins give one document: a JSON array, one report a line (jsonl), one SARIF log. \
            Default: text, or json with --output (as the daemon writes).
            """)
    var formats: [CheckFormat] = []

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
        if output != nil, formats.contains(.jsonl) {
            throw ValidationError("--format jsonl is for standard output (one report a line); with --output use json")
        }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("- (standard input) can be given once") }
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
        let chosen = self.formats.isEmpty ? [output == nil ? CheckFormat.text : .json] : self.formats
        let formats = chosen.map(\.report)
        // On standard output several bulletins make one document of the format, or none at all.
        let several = files.count > 1
        if output == nil, several, [.html, .markdown].contains(chosen[0]) {
            fail(
                "\(chosen[0] == .html ? "HTML" : "Markdown") reports of several bulletins are one file each: give --output DIR (or one bulletin)"
            )
            throw ExitCode(2)
        }
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
        // What several bulletins on standard output are gathered into, printed once at the end.
        var gatheredSARIF = [SARIFLog]()
        let gathering = output == nil && several && [.json, .sarif].contains(chosen[0])
        // The JSON array is written as the reports come (`JSONWriter`), not kept as trees.
        var gatheredJSON = JSONWriter(pretty: true)
        if gathering, chosen[0] == .json { gatheredJSON.beginArray() }
        let renderers: [any ReportRenderer] =
            writer != nil
            ? formats.map(\.renderer)
            : gathering || chosen[0] == .jsonl
                ? [] : [formats[0] == .text ? TextRenderer(color: stdoutColor) : formats[0].renderer]
        // Bulletins are checked and rendered on every core (`CheckedBulletin.stream`: the workers run on
        // while this thread takes results in input order, at most two chunks ahead of it); results are
        // written and counted in input order, so output names, messages and the summary do not depend on
        // timing. A chunk's reports are made durable together (`OutboxWriter.writeAll`: one syncfs, as the
        // daemon does) on one writer thread while the next chunk is checked. With a store, a chunk is
        // checked only once the chunk before it is recorded (`CheckedBulletin.checkAll`), as before.
        let writerQueue = DispatchQueue(label: "assay.check.writer")
        var pendingWrites: (writes: [(file: String, format: ReportFormat)], group: DispatchGroup, box: WriteResults)?
        func finishWrites() {
            guard let p = pendingWrites else { return }
            pendingWrites = nil
            p.group.wait()
            for (w, error) in zip(p.writes, p.box.errors) {
                if let error {
                    progress.clear()
                    fail(
                        "\(FileName.escaped(w.file)): cannot write the \(w.format.rawValue) report: \(FileName.escapingControls(error.description))"
                    )
                    batch.writeErrors += 1
                } else {
                    batch.written += 1
                }
            }
        }
        let chunkSize = 64 * max(1, ProcessInfo.processInfo.activeProcessorCount)
        let keepDocument = gathering && chosen[0] == .sarif
        let stream =
            store == nil
            ? CheckedBulletin.stream(
                files, pipeline: pipeline, renderers: renderers, ruleSets: sets, keepDocument: keepDocument,
                window: 2 * chunkSize) : nil
        for chunkStart in stride(from: 0, to: files.count, by: chunkSize) {
            let chunk = Array(files[chunkStart..<min(files.count, chunkStart + chunkSize)])
            let checked =
                stream.map { s in chunk.indices.map { s.take(chunkStart + $0) } }
                ?? CheckedBulletin.checkAll(
                    chunk, pipeline: pipeline, renderers: renderers, ruleSets: sets,
                    rulesHash: store == nil ? nil : rulesHash, keepDocument: keepDocument)
            do { try store?.record(checked.compactMap { try? $0.get().check }) } catch {
                fail("\(error)")
                throw ExitCode(2)
            }
            var writes = [(file: String, format: ReportFormat, bytes: [UInt8], name: String)]()
            for (k, (file, item)) in zip(chunk, checked).enumerated() {
                progress.show(chunkStart + k, file)
                let result: CheckedBulletin
                switch item {
                case .failure(let error):
                    progress.clear()
                    fail("\(Self.shownFile(file)): \(FileName.escapingControls(error.description))")
                    batch.inputError(Self.shownFile(file), error.description)
                    continue
                case .success(let r): result = r
                }
                batch.add(result.report, file: Self.shownFile(file))
                if writer != nil {
                    let stem = stems.claim(Self.stem(file), sha256: result.report.document.sha256)
                    for (f, text) in zip(formats, result.renderings) {
                        writes.append((file, f, text, ReportNaming.reportName(stem: stem, format: f)))
                    }
                } else if chosen[0] == .jsonl {
                    FileHandle.standardOutput.write(Data(JSONRenderer.compactBytes(result.report) + [0x0A]))
                } else if gathering {
                    if chosen[0] == .json {
                        JSONRenderer.write(result.report, into: &gatheredJSON)
                    } else {
                        gatheredSARIF.append(
                            SARIFRenderer.log(result.report, document: result.document, ruleSets: sets))
                    }
                } else {
                    progress.clear()
                    FileHandle.standardOutput.write(Data(result.renderings[0]))
                }
            }
            // The chunk's reports are written and made durable on one writer thread while the next chunk
            // is checked; its outcome is counted (and its errors told) before the next chunk's.
            finishWrites()
            if let writer, !writes.isEmpty {
                let box = WriteResults()
                let group = DispatchGroup()
                let items = writes.map { (bytes: $0.bytes, name: $0.name) }
                group.enter()
                writerQueue.async {
                    box.errors = writer.writeAll(items)
                    group.leave()
                }
                pendingWrites = (writes.map { ($0.file, $0.format) }, group, box)
            }
        }
        finishWrites()
        progress.clear()
        if gathering, chosen[0] == .json {
            gatheredJSON.endArray()
            FileHandle.standardOutput.write(Data(gatheredJSON.bytes + [0x0A]))
        } else if gathering, let log = SARIFRenderer.combined(gatheredSARIF) {
            print(log.json.rendered(pretty: true))
        }
        batch.seconds = Date().timeIntervalSince(started)
        if output != nil || (stderrIsTerminal && files.count > 1) {
            FileHandle.standardError.write(Data(batch.table(color: color, output: output.map(Self.shown)).utf8))
        }
        if batch.inputErrors > 0 || batch.writeErrors > 0 { throw ExitCode(2) }
        if batch.failing > 0 { throw ExitCode(1) }
    }

    /// An input as messages name it: escaped as in the daemon's logs; standard input as `-`.
    static func shownFile(_ file: String) -> String { file == "-" ? "-" : FileName.escaped(file) }

    /// A path given as text (an argument) as names are shown everywhere: escaped as in the daemon's logs.
    static func shown(_ textPath: String) -> String { FileName.escaped(FileName.keyPath(textPath)) }

    static func stem(_ path: String) -> String {
        // Standard input is named `stdin`, in its report and in its report files' names.
        if path == "-" { return "stdin" }
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
    /// The report in each requested format, as UTF-8 (written or printed as they are).
    var renderings: [[UInt8]]
    /// The decoded document, kept when asked (SARIF regions rendered later).
    var document: Document?
    /// The check in the form the store keeps, when the results are recorded (`--state`).
    var check: StateStore.Check?

    /// Checks and renders the files on all cores; the results come back in the order of `files`. With a
    /// `rulesHash`, each result carries its check for the store.
    static func checkAll(
        _ files: [String], pipeline: Pipeline, renderers: [any ReportRenderer],
        ruleSets: [RuleSet], rulesHash: String? = nil, keepDocument: Bool = false
    ) -> [Result<CheckedBulletin, InputFailure>] {
        let slots = Slots<Result<CheckedBulletin, InputFailure>>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            slots[i] = check(
                files[i], pipeline: pipeline, renderers: renderers, ruleSets: ruleSets, rulesHash: rulesHash,
                keepDocument: keepDocument)
        }
        return slots.values.map { $0! }
    }

    /// Starts checking and rendering the files on all cores (one worker per core, each taking the next
    /// file) and returns at once; `CheckStream.take` hands the results out in the order of `files`. The
    /// workers stay at most `window` files ahead of what has been taken, so memory stays bounded. Unlike
    /// `checkAll` by chunks, no core waits at the end of a chunk for the other, nor while the caller
    /// writes a chunk's results.
    static func stream(
        _ files: [String], pipeline: Pipeline, renderers: [any ReportRenderer], ruleSets: [RuleSet],
        keepDocument: Bool, window: Int
    ) -> CheckStream {
        let stream = CheckStream(count: files.count, window: window)
        let workers = max(1, min(files.count, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.global().async {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = stream.claim() {
                    stream.put(
                        i,
                        check(
                            files[i], pipeline: pipeline, renderers: renderers, ruleSets: ruleSets, rulesHash: nil,
                            keepDocument: keepDocument))
                }
            }
        }
        return stream
    }

    /// Checks and renders one file.
    static func check(
        _ file: String, pipeline: Pipeline, renderers: [any ReportRenderer], ruleSets: [RuleSet],
        rulesHash: String?, keepDocument: Bool
    ) -> Result<CheckedBulletin, InputFailure> {
        // A bulletin that cannot be read or decoded, or whose check runs past the time limit
        // (`Pipeline.OverBudget`), is an input error for that file; the others go on.
        do {
            let bytes = file == "-" ? try readStandardInput() : try readBulletin(keyPath: file)
            let key = file == "-" ? "stdin" : (file as NSString).lastPathComponent
            // Named as the daemon names its inputs (`FileName.text`: a name that is not UTF-8 escaped).
            let result = try pipeline.check(bytes: bytes, name: FileName.text(key))
            // The text report is read on a terminal: the name in it is shown escaped, as in the messages.
            var shown = result.report
            shown.document.name = FileName.escaped(key)
            let texts = renderers.map {
                $0.renderBytes(
                    $0.format == .text ? shown : result.report, document: result.document, ruleSets: ruleSets)
            }
            let check = rulesHash.map {
                StateStore.Check(result: result, rulesHash: $0, reportStem: Check.stem(file), reportPaths: [])
            }
            return .success(
                CheckedBulletin(
                    report: result.report, renderings: texts, document: keepDocument ? result.document : nil,
                    check: check))
        } catch {
            return .failure(InputFailure(description: "\(error)"))
        }
    }
}

/// Results of `CheckedBulletin.stream`, handed from its workers to the caller in input order.
final class CheckStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Result<CheckedBulletin, InputFailure>?]
    /// How many results have been taken (results are taken in order).
    private var taken = 0
    /// The next file for a worker.
    private var next = 0
    private let window: Int

    init(count: Int, window: Int) {
        ready = Array(repeating: nil, count: count)
        self.window = max(1, window)
    }

    /// The next file for a worker, once it is less than `window` ahead of the results taken; nil when
    /// every file has been handed out.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while next < ready.count, next - taken >= window { condition.wait() }
        guard next < ready.count else { return nil }
        next += 1
        return next - 1
    }

    /// A worker's result for file `i`.
    func put(_ i: Int, _ result: Result<CheckedBulletin, InputFailure>) {
        condition.lock()
        ready[i] = result
        condition.broadcast()
        condition.unlock()
    }

    /// The result for file `i` (the next one not taken), waiting for it.
    func take(_ i: Int) -> Result<CheckedBulletin, InputFailure> {
        condition.lock()
        defer { condition.unlock() }
        while ready[i] == nil { condition.wait() }
        let result = ready[i]!
        ready[i] = nil
        taken = i + 1
        condition.broadcast()
        return result
    }
}

/// Reads the bulletin on standard input (`-`), at most `maxInputBytes`.
func readStandardInput() throws(DecodingError) -> [UInt8] {
    var bytes = [UInt8]()
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = read(STDIN_FILENO, &chunk, chunk.count)
        if n < 0, errno == EINTR { continue }
        guard n >= 0 else {
            throw .undecodable(reason: "cannot read standard input: \(String(cString: strerror(errno)))")
        }
        if n == 0 { break }
        bytes += chunk[..<n]
        if bytes.count > maxInputBytes {
            throw .undecodable(
                reason: "standard input holds more than \(maxInputBytes) bytes, the most a bulletin may have")
        }
    }
    return bytes
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

/// The errors of one batch of report writes, handed from the writer thread (read after its group is done).
final class WriteResults: @unchecked Sendable {
    var errors = [OutboxWriter.WriteError?]()
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
    /// The files at or above `failOn`, with their worst severity and counts, in input order.
    var failingFiles = [(name: String, worst: Severity, counts: String)]()
    /// The inputs that could not be checked, with the reason, in input order.
    var inputErrorFiles = [(name: String, reason: String)]()

    init(failOn: Severity) { self.failOn = failOn }

    mutating func add(_ report: Report, file: String) {
        files += 1
        if let w = report.worstProblem { worst[w, default: 0] += 1 } else { clean += 1 }
        if report.hasProblem(atLeast: failOn), let w = report.worstProblem {
            failing += 1
            let by = report.summary.byStatus
            let counts = [OutcomeStatus.fail, .missing, .error].compactMap { st in
                by[st].map { "\($0) \(st.rawValue)" }
            }.joined(separator: ", ")
            failingFiles.append((file, w, counts))
        }
    }

    mutating func inputError(_ file: String, _ reason: String) {
        inputErrors += 1
        inputErrorFiles.append((file, reason))
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
        if !failingFiles.isEmpty {
            out += "failing (at or above \(failOn.rawValue))\n"
            let width = failingFiles.map(\.name.count).max() ?? 0
            for f in failingFiles {
                let sev = f.worst.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
                out +=
                    "  \(f.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(paint(sev, f.worst == .error ? "31;1" : f.worst == .warning ? "33;1" : "34", true))  \(f.counts)\n"
            }
        }
        if !inputErrorFiles.isEmpty {
            out += "input errors\n"
            for f in inputErrorFiles { out += "  \(f.name): \(FileName.escapingControls(f.reason))\n" }
        }
        return out
    }
}
