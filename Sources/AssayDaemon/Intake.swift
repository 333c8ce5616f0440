import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayStore
import AssayValues
import CAssayNative
import Foundation
import Glibc

/// Takes one input from the inbox to the outbox: opens it safely, refuses what cannot be checked,
/// checks it once per content, writes the reports atomically, records the result, then keeps, moves or
/// deletes the input. Safe to call from several workers at once.
public final class Intake: @unchecked Sendable {
    /// What became of one input.
    public enum Disposition: Sendable, Equatable {
        /// Checked; its reports go out under `stem` (with group commit, the committer syncs, renames and
        /// records them after this is returned, and a failure there is reported through its own hook).
        /// `verdict` says what the log says of it: the worst severity, the counts, the report paths.
        case checked(stem: String, verdict: String)
        /// The same content was checked before; nothing was written. `sameAs` names the earlier input when
        /// it had another name.
        case skipped(sameAs: String?)
        /// Refused (not a regular file, too large, undecodable …): a rejection report was written and recorded.
        case rejected(reason: String)
        /// Refused again for the same reason with the same content: its rejection report and record are
        /// already there, so nothing was written (nor is it logged again).
        case alreadyRejected(reason: String)
        /// A failure that may pass (I/O); the input stays and is retried on a later scan.
        case failed(reason: String)
        /// The name was gone or is not ours to take (a rename raced us).
        case vanished
    }

    /// The inbox inputs are taken from.
    public let inbox: Inbox
    /// Where reports and rejection reports are written.
    public let outbox: OutboxWriter
    /// Where checks, rejections and failures are recorded.
    public let store: StateStore
    /// The rule sets in force; each input is checked with the edition current when it is taken.
    public let rules: RuleBook
    /// The daemon configuration (formats, limits, what to do after a check).
    public let config: DaemonConfig
    private let lock = NSLock()
    private var stemsInHand = [String: String]()  // stem → sha256
    private var seen = [String: Inbox.Signature]()
    // Inbox names settled on checked content (checked or skipped as a copy) → that content's sha256: when a
    // name's earlier version is retired, the other names still holding its content are taken again.
    private var holders = [String: String]()
    // One owner per content at a time: sha256 → the input (key) checking or committing it. A copy arriving
    // meanwhile waits for the owner to finish, then finds the content checked and is skipped.
    private let owners = NSCondition()
    private var inFlight = [String: String]()
    private var abandoned = false

    // Group commit (the daemon turns it on): workers hand each checked document to one committer thread,
    // which syncs the reports, renames them into place and records a whole batch in one store transaction.
    // Workers never wait on the disk or on each other for the store; the order stays report first, then
    // store, so after kill -9 anything unrecorded is checked again and its report rewritten in place.
    private let commits = NSCondition()
    private var commitQueue = [Pending]()
    // Input names with a check handed to the committer and not yet committed → how many.
    private var committing = [String: Int]()
    private var commitStop = false
    private var groupCommit = false
    private let commitsDone = DispatchGroup()
    private var onCommitFailure: (@Sendable (String, String) -> Void)?
    /// Hears of a checked input that could not be moved or deleted as `after:` asks (it stays in the inbox).
    public var onAfterFailure: (@Sendable (String, String) -> Void)?
    /// Hears of an inbox name to take again: it holds the content of a retired version of another name
    /// (whose report is gone), or it changed while it was checked (`after: move` or `delete` left it).
    public var onRequeue: (@Sendable (String) -> Void)?
    /// Checked documents waiting for their commit at most (a worker waits when there are more).
    static let maxPending = 16
    /// How long the committer lets a small batch grow before committing it (seconds).
    static let linger = 0.002
    /// From this many documents in one batch, one syncfs() instead of an fsync() per report file (a lone
    /// document keeps fsync, whatever number of formats it is written in).
    static let syncfsBatch = 2

    private struct Pending {
        var name: String, display: String, path: String, sha: String, stem: String, size: Int
        var signature: Inbox.Signature?
        /// The name's earlier version when the new report did not take over its stem: retired once committed.
        var retired: (sha256: String, stem: String)?
        var check: StateStore.Check
        var files: [(fd: Int32, temp: String, final: String)]
    }

    /// An intake over the given inbox, outbox, store and rules; group commit is off until the daemon turns it on.
    public init(inbox: Inbox, outbox: OutboxWriter, store: StateStore, rules: RuleBook, config: DaemonConfig) {
        self.inbox = inbox
        self.outbox = outbox
        self.store = store
        self.rules = rules
        self.config = config
    }

    /// Whether this name was already dealt with in exactly this state (so a rescan need not read it again).
    public func isSettled(_ name: String, _ signature: Inbox.Signature) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return seen[name] == signature
    }

    private func settle(_ name: String, _ signature: Inbox.Signature?) {
        lock.lock(); defer { lock.unlock() }
        if let signature { seen[name] = signature } else { seen[name] = nil; holders[name] = nil }
    }

    /// Records that the inbox name `name` now holds the checked content `sha` (nil: nothing checked). Called
    /// before the content is released, so that `retire` finds it either here or as the content's owner.
    private func hold(_ name: String, _ sha: String?) {
        lock.lock(); holders[name] = sha; lock.unlock()
    }

    /// Forgets an earlier version of an input name: its document and its report files (unless the new
    /// version's report took over its stem), then takes again every other inbox name holding that content,
    /// so that each gets a report of its own. The store first, then the reports: a kill in between leaves
    /// reports the store does not know, which the next start removes (`Daemon.removeUnrecorded`).
    private func retire(_ old: (sha256: String, stem: String), of name: String, removingReports: Bool) {
        if removingReports {
            do { try store.forget(sha256: old.sha256) } catch { return }
            for format in ReportFormat.allCases {
                unlink(
                    (outbox.folder as NSString).appendingPathComponent(
                        ReportNaming.reportName(stem: old.stem, format: format)))
            }
        }
        owners.lock()
        let owner = inFlight[old.sha256]
        owners.unlock()
        lock.lock()
        var again = holders.filter { $0.value == old.sha256 && $0.key != name }.map(\.key)
        if let owner, owner != name { again.append(owner) }
        for n in again { holders[n] = nil; seen[n] = nil }
        lock.unlock()
        for n in Set(again).sorted() { onRequeue?(n) }
    }

    /// The checked document last recorded under `display` with another content than `sha`, retired: the
    /// name now holds content that is rejected or was checked under another name.
    private func retirePrevious(_ name: String, _ display: String, sha: String?) {
        guard let previous = try? store.previousDocument(named: display, excluding: sha ?? "") else { return }
        retire(previous, of: name, removingReports: true)
    }

    /// Starts the committer thread; `onFailure(name, reason)` hears of commits that failed (the input is
    /// then retried on the next scan).
    public func startGroupCommit(onFailure: @escaping @Sendable (String, String) -> Void) {
        commits.lock()
        groupCommit = true
        commitStop = false
        onCommitFailure = onFailure
        commits.unlock()
        commitsDone.enter()
        let t = Thread { [self] in
            commitLoop(); commitsDone.leave()
        }
        t.name = "assay-commit"
        t.start()
    }

    /// Commits everything handed over so far and stops the committer thread.
    public func stopGroupCommit() {
        commits.lock()
        guard groupCommit else { commits.unlock(); return }
        commitStop = true
        commits.broadcast()
        commits.unlock()
        commitsDone.wait()
        commits.lock(); groupCommit = false; commits.unlock()
    }

    /// Stops handing checks over (SIGTERM after the grace time): a check finishing from now on writes and
    /// records nothing, and copies waiting for a content's owner give up; those inputs stay in the inbox and
    /// are taken again on the next start.
    public func abandon() {
        owners.lock(); abandoned = true; owners.broadcast(); owners.unlock()
        commits.lock(); commits.broadcast(); commits.unlock()
    }

    private var isAbandoned: Bool {
        owners.lock(); defer { owners.unlock() }
        return abandoned
    }

    /// Makes this input the owner of its content, after any other input holding it is done; false when
    /// abandoned meanwhile.
    private func acquire(_ sha: String, for name: String, progress: () -> Void) -> Bool {
        owners.lock(); defer { owners.unlock() }
        while let holder = inFlight[sha], holder != name, !abandoned {
            _ = owners.wait(until: Date(timeIntervalSinceNow: 1))
            progress()  // waiting for a copy's check is progress as far as the watchdog is concerned
        }
        if abandoned { return false }
        inFlight[sha] = name
        return true
    }

    private func release(_ sha: String) {
        owners.lock(); inFlight[sha] = nil; owners.broadcast(); owners.unlock()
    }

    /// Checks the input `name` (a `FileName` key) in `folder` (the inbox unless re-checking the archive). With `recheck`,
    /// content already checked with other rules is checked again with the current ones. `progress` is
    /// called between the check's stages and after each rule (`Pipeline.check`).
    public func process(
        _ name: String, in folder: String? = nil, recheck: Bool = false,
        progress: () -> Void = {}
    ) -> Disposition {
        let path = ((folder ?? inbox.folder) as NSString).appendingPathComponent(name)
        let before = inbox.signatureOf(path: path)
        let disposition = take(name, path: path, recheck: recheck, signature: before, progress: progress)
        switch disposition {
        case .failed, .vanished: settle(name, nil)
        case .rejected, .alreadyRejected: settle(name, before)  // stays in the inbox; taken again only when it changes
        case .checked, .skipped: settle(name, config.after == .keep || folder != nil ? before : nil)
        }
        return disposition
    }

    private func take(
        _ name: String, path: String, recheck: Bool, signature: Inbox.Signature?, progress: () -> Void
    ) -> Disposition {
        let display = FileName.text(name)
        // An input of the inbox, as opposed to one re-checked by `assay recheck` (inbox or archive).
        let current = path == inbox.path(name) && !recheck
        func reject(_ name: String, sha: String?, size: Int, reason: String) -> Disposition {
            self.reject(name, sha: sha, size: size, reason: reason, current: current)
        }
        if current { awaitCommits(of: name) }
        let bytes: [UInt8]
        switch InputFile.read(path, maxBytes: config.maxBytes) {
        case .success(let b): bytes = b
        case .failure(.vanished): return .vanished
        case .failure(.failed(let reason)): return .failed(reason: reason)
        case .failure(.tooLarge(let size, _, let grew)):
            return reject(
                name, sha: nil, size: size,
                reason: "\(InputFile.ReadError.tooLarge(size: size, limit: config.maxBytes, grew: grew)) (max_bytes)")
        case .failure(let refused): return reject(name, sha: nil, size: 0, reason: refused.description)
        }
        let count = bytes.count
        let sha = SHA256.hex(bytes)
        let edition = rules.current

        // One owner per content: a copy dropped together with it waits here until the first is committed.
        guard acquire(sha, for: name, progress: progress) else { return .vanished }
        var handedOver = false
        defer { if !handedOver { release(sha) } }
        do {
            if recheck ? try store.hasRun(sha256: sha, rulesHash: edition.hash) : try store.hasAnyRun(sha256: sha) {
                if path == inbox.path(name) { clearRejections(name, display) { _ in true } }
                if current {
                    retirePrevious(name, display, sha: sha)
                    hold(name, sha)
                }
                finish(name, path: path, sha: sha, signature: signature)
                let earlier = try? store.reviewed(sha256: sha)
                return .skipped(sameAs: earlier.flatMap { $0.name == display ? nil : "\($0.name) (report \($0.stem))" })
            }
        } catch {
            return .failed(reason: "\(error)")
        }

        // A new version of an input name (changed in place after it was taken, or dropped again under the
        // same name, whatever `after:` is): the new content takes over the name's report stem, and the old
        // document is forgotten.
        var replaces: (sha256: String, stem: String)?
        if current {
            do { replaces = try store.previousDocument(named: display, excluding: sha) } catch {
                return .failed(reason: "\(error)")
            }
        }

        let result: Pipeline.Result
        do {
            // Progress rules compare with the earlier bulletins of the series the store holds.
            var pipeline = edition.pipeline
            pipeline.history = store
            pipeline.issuers = config.issuers
            result = try pipeline.check(bytes: bytes, name: display, sha256: sha, progress: progress)
        } catch let over as Pipeline.OverBudget {
            // Named after the setting, without the time taken, so the same input refused again on a restart
            // is recognised as already rejected.
            return reject(
                name, sha: sha, size: count,
                reason:
                    "checking took longer than the time limit of \(config.timeLimitMs) ms (time_limit_ms); stopped in \(over.stage.rawValue)"
            )
        } catch {
            return reject(name, sha: sha, size: count, reason: "\(error)")
        }
        if isAbandoned { return .vanished }  // shutting down: left for the next start

        let stem: String
        let renamed: Bool
        do { (stem, renamed) = try claimStem(for: name, sha: sha, replacing: replaces?.stem) } catch {
            return .failed(reason: "\(error)")
        }
        func render(_ format: ReportFormat) -> [UInt8] {
            let bytes = format.renderer.renderBytes(
                result.report, document: result.document, ruleSets: edition.ruleSets)
            return renamed && format == .json ? Self.recordingOriginalName(bytes, key: name) : bytes
        }
        var check = StateStore.Check(result: result, rulesHash: edition.hash, reportStem: stem, reportPaths: [])
        // Only when the new report does take over the stem (no other content holds it right now).
        check.replaces = replaces.flatMap { $0.stem == stem ? $0.sha256 : nil }
        let retired = replaces.flatMap { $0.stem == stem ? nil : $0 }
        commits.lock()
        let grouped = groupCommit
        commits.unlock()
        if grouped {
            var files = [(fd: Int32, temp: String, final: String)]()
            do {
                for format in config.formats {
                    files.append(
                        try OutboxWriter.writeTemporary(
                            render(format), folder: outbox.folder,
                            name: ReportNaming.reportName(stem: stem, format: format)))
                }
            } catch {
                for f in files { close(f.fd); unlink(f.temp) }
                releaseStem(stem)
                try? store.recordFailure(name: display, sha256: sha, size: count, reason: "\(error)")
                return .failed(reason: "\(error)")
            }
            check.reportPaths = files.map(\.final).joined(separator: "\n")
            commits.lock()
            while commitQueue.count >= Self.maxPending && !isAbandoned { commits.wait() }
            if isAbandoned {
                commits.unlock()
                for f in files { close(f.fd); unlink(f.temp) }
                releaseStem(stem)
                return .vanished
            }
            commitQueue.append(
                Pending(
                    name: name, display: display, path: path, sha: sha, stem: stem, size: count,
                    signature: signature, retired: retired, check: check, files: files))
            handedOver = true  // the committer releases the content
            committing[name, default: 0] += 1
            commits.broadcast()
            commits.unlock()
            return .checked(stem: stem, verdict: Self.verdict(result.report, files.map(\.final)))
        }
        defer { releaseStem(stem) }
        var paths = [String]()
        do {
            for format in config.formats {
                paths.append(
                    try outbox.write(render(format), name: ReportNaming.reportName(stem: stem, format: format)))
            }
            check.reportPaths = paths.joined(separator: "\n")
            try store.record([check])
        } catch {
            try? store.recordFailure(name: display, sha256: sha, size: count, reason: "\(error)")
            return .failed(reason: "\(error)")
        }
        if path == inbox.path(name) { clearRejections(name, display) { _ in true } }
        if current {
            if let old = check.replaces, let replaces { retire((old, replaces.stem), of: name, removingReports: false) }
            if let retired { retire(retired, of: name, removingReports: true) }
            hold(name, sha)
        }
        finish(name, path: path, sha: sha, signature: signature)
        return .checked(stem: stem, verdict: Self.verdict(result.report, paths))
    }

    /// What the log says of a checked input: `error: 4 fail, 2 missing, 13 pass; reports/a.findings.json`
    /// (the worst severity among its problems, or `no problems`; the counts of each status; the reports).
    static func verdict(_ report: Report, _ paths: [String]) -> String {
        let by = report.summary.byStatus
        let counts = [OutcomeStatus.fail, .missing, .error, .waived, .pass, .notApplicable].compactMap { st in
            by[st].map { "\($0) \(st.rawValue)" }
        }
        let worst = report.worstProblem.map(\.rawValue) ?? "no problems"
        return "\(worst): \(counts.joined(separator: ", ")); \(paths.map(FileName.escaped).joined(separator: ", "))"
    }

    /// A JSON report with `document.original_name`: the input's name escaped (`FileName.escaped`), for a
    /// name that is not valid UTF-8 or too long to be the report's stem.
    static func recordingOriginalName(_ bytes: [UInt8], key: String) -> [UInt8] {
        guard case .object(var top)? = try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)) else {
            return bytes
        }
        let original = JSONValue.string(FileName.escaped(key))
        if let i = top.firstIndex(where: { $0.0 == "document" }), case .object(var document) = top[i].1 {
            document.append(("original_name", original))
            top[i].1 = .object(document)
        } else {
            top.append(("original_name", original))
        }
        return JSONValue.object(top).renderedBytes(pretty: true) + [UInt8(ascii: "\n")]
    }

    /// Removes the rejection reports and records of this input name that `stale` selects (the input was
    /// checked since, or changed and was refused for another content).
    private func clearRejections(_ name: String, _ display: String, stale: (StateStore.Rejection) -> Bool) {
        removeLegacyRejections(name, display, sha: nil)
        guard let rows = try? store.rejections(named: display) else { return }
        // The record first, then the report: a kill in between leaves a report the store does not know,
        // which the next start removes, never a record without its report.
        for r in rows where stale(r) {
            let file = (outbox.folder as NSString).appendingPathComponent(
                ReportNaming.rejectionName(forKey: name, sha256: r.sha256))
            if (try? store.deleteRejection(name: display, sha256: r.sha256)) != nil {
                unlink(file)
                removeLegacyRejections(name, display, sha: r.sha256)
            }
        }
    }

    /// The committer: takes whatever is waiting, makes it durable and visible, records it, repeats.
    private func commitLoop() {
        while true {
            commits.lock()
            while commitQueue.isEmpty && !commitStop { commits.wait() }
            if commitQueue.isEmpty { commits.unlock(); return }
            // A transaction and its write to the WAL cost about as much for one document as for several:
            // let the batch grow a moment while workers are busy (a lone drop waits at most `linger`).
            let until = Date(timeIntervalSinceNow: Self.linger)
            while commitQueue.count < Self.maxPending / 2 && !commitStop && commits.wait(until: until) {}
            let batch = commitQueue
            commitQueue.removeAll(keepingCapacity: true)
            commits.broadcast()  // room for waiting workers
            commits.unlock()
            commit(batch)
        }
    }

    /// Report first (synced, then renamed into place), then the store: one transaction for the batch.
    private func commit(_ batch: [Pending]) {
        var ready = [Pending]()
        var failures = [(Pending, String)]()
        // A backlog batch is made durable with one syncfs() of the outbox's file system (one journal
        // commit) instead of an fsync() per report; a small batch (a lone drop) keeps per-file fsync,
        // which does not wait for unrelated dirty data on the same file system.
        var batchSynced = false
        if batch.count >= Self.syncfsBatch, let first = batch.first(where: { !$0.files.isEmpty })?.files[0] {
            batchSynced = assay_syncfs(first.fd) == 0
        }
        for item in batch {
            var problem: String?
            for f in item.files {
                if !batchSynced, fsync(f.fd) != 0, problem == nil {
                    problem = "\(f.temp): cannot sync: \(String(cString: strerror(errno)))"
                }
                close(f.fd)
            }
            if problem == nil {
                for f in item.files where rename(f.temp, f.final) != 0 {
                    problem = "\(f.final): \(String(cString: strerror(errno)))"
                    break
                }
            }
            if let problem {
                for f in item.files { unlink(f.temp) }
                failures.append((item, problem))
            } else {
                ready.append(item)
            }
        }
        do {
            try store.record(ready.map(\.check))
        } catch {
            failures += ready.map { ($0, "\(error)") }
            ready = []
        }
        for item in ready {
            if item.path == inbox.path(item.name) {
                clearRejections(item.name, item.display) { _ in true }
                if let old = item.check.replaces {
                    retire((old, item.stem), of: item.name, removingReports: false)
                }
                if let retired = item.retired { retire(retired, of: item.name, removingReports: true) }
                hold(item.name, item.sha)
            }
            finish(item.name, path: item.path, sha: item.sha, signature: item.signature)
        }
        for (item, reason) in failures {
            try? store.recordFailure(name: item.display, sha256: item.sha, size: item.size, reason: reason)
            settle(item.name, nil)
            onCommitFailure?(item.name, reason)
        }
        lock.lock()
        for item in batch { stemsInHand[item.stem] = nil }
        lock.unlock()
        for item in batch { release(item.sha) }
        commits.lock()
        for item in batch {
            committing[item.name, default: 1] -= 1
            if committing[item.name] == 0 { committing[item.name] = nil }
        }
        commits.broadcast()
        commits.unlock()
    }

    /// Waits until no earlier version of `name` is waiting for the committer: what a version finds on
    /// record about its name (the version it replaces or retires) must include every earlier one.
    private func awaitCommits(of name: String) {
        commits.lock()
        while committing[name] != nil && !isAbandoned { commits.wait() }
        commits.unlock()
    }

    /// The report stem for this input: the stem of the document it replaces, if any and the name gives its
    /// own stem; else its stem (`ReportNaming.inputStem`) unless a different content holds it (store or a
    /// worker right now), then `<stem>-<sha8>`. `renamed` when the name could not give its own stem.
    private func claimStem(for name: String, sha: String, replacing: String?) throws -> (
        stem: String, renamed: Bool
    ) {
        let (own, renamed) = ReportNaming.inputStem(ofKey: name, sha256: sha)
        lock.lock(); defer { lock.unlock() }
        // A renamed stem (`<safe stem>-<sha8>`) names its content: a new version takes its own, never the
        // earlier version's, and, like any stem, only if no other content holds it.
        var stem = try (renamed ? nil : replacing) ?? store.reportStem(sha256: sha, stem: own)
        if let holder = stemsInHand[stem], holder != sha { stem = ReportNaming.disambiguated(own, sha256: sha) }
        stemsInHand[stem] = sha
        return (stem, renamed)
    }

    private func releaseStem(_ stem: String) {
        lock.lock(); stemsInHand[stem] = nil; lock.unlock()
    }

    /// Applies `after:` to a checked input. With `move` or `delete`, only to the version that was read
    /// (`signature`, taken before reading): an input that changed meanwhile stays and is taken again, so
    /// that its report and its archived copy are those of its last settled content and no version is
    /// deleted unchecked.
    private func finish(_ name: String, path: String, sha: String, signature: Inbox.Signature?) {
        guard path == inbox.path(name) else { return }  // re-checks in the archive stay where they are
        if config.after != .keep, signature == nil || inbox.signatureOf(path: path) != signature {
            settle(name, nil)
            if access(FileName.cPath(path), F_OK) == 0 { onRequeue?(name) }
            return
        }
        switch config.after {
        case .keep: break
        case .delete:
            if unlink(FileName.cPath(path)) != 0, case let failure = errno, failure != ENOENT {
                onAfterFailure?(name, "cannot be deleted: \(String(cString: strerror(failure)))")
            }
        case .move:
            let archive = config.archiveFolder
            var target = (archive as NSString).appendingPathComponent(name)
            if access(FileName.cPath(target), F_OK) == 0 {
                var other = ReportNaming.disambiguatedFileName(name, sha256: sha)
                if FileName.byteCount(other) > 255 {
                    let ext = (FileName.text(name) as NSString).pathExtension
                    other =
                        ReportNaming.disambiguated(ReportNaming.safeStem(ofKey: name), sha256: sha)
                        + (ext.isEmpty || ext.utf8.count > 16 ? "" : ".\(ext)")
                }
                target = (archive as NSString).appendingPathComponent(other)
            }
            // The archive folder is made when a move finds it missing (first use, or removed meanwhile),
            // not looked for before every move.
            let from = FileName.cPath(path)
            let to = FileName.cPath(target)
            var failure = rename(from, to) == 0 ? 0 : errno
            if failure == ENOENT, access(from, F_OK) == 0 {
                try? FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
                failure = rename(from, to) == 0 ? 0 : errno
            }
            // Reported while the input is still there (not when it went away meanwhile).
            if failure != 0, access(from, F_OK) == 0 {
                onAfterFailure?(
                    name,
                    "cannot be moved to \(FileName.escaped(target)): \(String(cString: strerror(failure)))")
            }
        }
    }

    /// Records a refusal and writes `<stem>-<sha8>.rejected.json` into the outbox (`ReportNaming.rejectionName`),
    /// unless exactly this refusal is on record with its report in place; removes this name's rejections
    /// of other contents.
    private func reject(_ name: String, sha: String?, size: Int, reason: String, current: Bool) -> Disposition {
        let display = FileName.text(name)
        let file = ReportNaming.rejectionName(forKey: name, sha256: sha)
        let target = (outbox.folder as NSString).appendingPathComponent(file)
        if current {
            // The name now holds content that cannot be checked: an earlier version's report goes.
            hold(name, nil)
            retirePrevious(name, display, sha: sha)
        }
        if (try? store.hasRejection(name: display, sha256: sha, size: size, reason: reason)) == true,
            access(target, F_OK) == 0
        {
            removeLegacyRejections(name, display, sha: sha)
            // Those of earlier versions too: a kill may have come between recording this one and that.
            clearRejections(name, display) { $0.sha256 != sha }
            return .alreadyRejected(reason: reason)
        }
        let now = Date()
        do {
            // Report first, then the store, as for checked documents: a kill in between leaves a report
            // the store does not know, which the next start removes (`Daemon.removeUnrecorded`).
            try outbox.write(
                Self.rejectionReport(name: display, sha256: sha, size: size, reason: reason, at: now), name: file)
            try store.recordRejection(name: display, sha256: sha, size: size, reason: reason, now: now)
        } catch {
            return .failed(reason: "\(error)")
        }
        removeLegacyRejections(name, display, sha: sha)
        clearRejections(name, display) { $0.sha256 != sha }
        return .rejected(reason: reason)
    }

    /// Removes the rejection reports earlier versions of Assay wrote for this input under other names
    /// (`ReportNaming.legacyRejectionNames`: for this content, or for any when `sha` is nil), once the
    /// current name is written or the input is checked. Only a file that names this input (`document.name`):
    /// `scan.txt` and `scan.md` shared one.
    private func removeLegacyRejections(_ name: String, _ display: String, sha: String?) {
        for legacy in ReportNaming.legacyRejectionNames(forKey: name, sha256: sha) {
            let path = (outbox.folder as NSString).appendingPathComponent(legacy)
            guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 20,
                case .object(let top)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
                case .object(let document)? = top.first(where: { $0.0 == "document" })?.1,
                case .string(let recorded)? = document.first(where: { $0.0 == "name" })?.1, recorded == display
            else { continue }
            unlink(path)
        }
    }

    /// The rejection report: `{"schema": "assay.rejection/1", "document": {…}, "rejected": {"reason": …}}`.
    public static func rejectionReport(name: String, sha256: String?, size: Int, reason: String, at: Date) -> String {
        var document: [(String, JSONValue)] = [("name", .string(name)), ("size", .int(size))]
        if let sha256 { document.append(("sha256", .string(sha256))) }
        let value = JSONValue.object([
            ("schema", .string("assay.rejection/1")),
            ("assay_version", .string(AssayVersion.current)),
            ("rejected_at", .string(Report.timestamp(at))),
            ("document", .object(document)),
            ("rejected", .object([("reason", .string(reason))])),
        ])
        return value.rendered(pretty: true) + "\n"
    }
}
