import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayStore
import AssayValues
import Foundation
import Glibc
import Logging

/// The inbox daemon: watches the inbox (inotify, or polling where inotify cannot serve), feeds a bounded
/// queue drained by a worker pool through the `Intake`, reloads rules, and talks to systemd.
///
/// One watch thread owns the inotify descriptor and every timer (settle, rescan, poll, watchdog, status,
/// rule debounce); signals only set flags and wake it, so no work happens in a signal handler.
///
/// The watchdog speaks for the workers too: `WATCHDOG=1` goes out only while every busy worker has made
/// progress (taken its document, finished a stage or a rule: `WorkQueue.progressed`) within the last
/// watchdog interval. A worker stuck in one step makes systemd restart the service instead of the watch
/// thread vouching for it. Rule patterns are time-limited (`PatternBudget`), so a check advances at
/// least every `pattern_limit_ms` plus a rule's other work; the standard 200 ms is far below the unit's
/// 15 s interval (`WatchdogSec=30s`).
public final class Daemon: @unchecked Sendable {
    /// A daemon that cannot start: the folder or file and why.
    public struct StartError: Error, CustomStringConvertible {
        /// What could not be started and why, for the log and the exit message.
        public var description: String
    }

    /// The configuration the daemon runs with.
    public let config: DaemonConfig
    /// The rule sets in force, reloaded on request.
    public let rules: RuleBook
    /// The state store in the configured state folder.
    public let store: StateStore
    /// Takes each input from the inbox to the outbox.
    public let intake: Intake
    /// The systemd notify channel (silent outside systemd).
    public let notifier: Notifier
    /// Where the daemon logs.
    package let logger: Logger
    /// The bounded queue between the watch thread and the workers.
    package let queue: WorkQueue
    /// The inbox the daemon watches, ignoring the daemon's own folders inside it.
    package let inbox: Inbox

    // Watch state (watch thread only, except the flags below).
    private var inotifyFd: Int32 = -1
    private var inboxWd: Int32 = -1
    private var inboxInode: UInt64 = 0
    private var rulesWds = [Int32: (folder: String, file: String?)]()
    private var mode: DaemonConfig.WatchMode = .poll
    private var modeNote = ""
    private var pending = [String: Double]()  // name → time it is settled
    private var wake = [Int32](repeating: -1, count: 2)
    private var inboxUnlisted = false

    // Flags set from other threads.
    private let flags = NSLock()
    private var stopRequested = false
    private var reloadRequested = false
    private var rescanRequested: String?

    // Counters.
    private let countLock = NSLock()
    private var checked = 0, skipped = 0, rejected = 0, failed = 0

    private var signalSources = [DispatchSourceSignal]()

    /// Loads the rules, creates the inbox, outbox, state (and archive) folders, opens the store and clears
    /// report temporaries a killed daemon left in the outbox. Throws `StartError` when the rules are invalid
    /// (each error logged) or a folder cannot be made, `StateStore.StoreError` when the store cannot be
    /// opened. Starts no thread yet.
    public init(config: DaemonConfig, ruleLoader: RuleLoader = RuleLoader(), logger: Logger) throws {
        self.config = config
        self.logger = logger
        do {
            rules = try RuleBook(
                paths: config.rules, maxBytes: config.maxBytes, patternTimeLimit: .milliseconds(config.patternLimitMs),
                timeLimit: .milliseconds(config.timeLimitMs), loader: ruleLoader)
        } catch {
            for e in error.errors { logger.error("\(e.located)") }
            throw StartError(description: "invalid rules: \(error.errors.count) error(s); the daemon did not start")
        }
        let fm = FileManager.default
        for folder in [config.inbox, config.outbox, config.state]
            + (config.after == .move ? [config.archiveFolder] : [])
        {
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw StartError(description: "\(folder): cannot create the folder: \(error.localizedDescription)")
            }
        }
        store = try StateStore(folder: config.state)
        Self.removeStaleTemporaries(in: config.outbox)
        Self.removeUnrecorded(in: config.outbox, store: store, logger: logger)
        inbox = Inbox(
            folder: config.inbox, ignore: config.ignore,
            ownPaths: [config.outbox, config.state, config.archiveFolder])
        intake = Intake(
            inbox: inbox, outbox: OutboxWriter(folder: config.outbox), store: store, rules: rules, config: config)
        notifier = Notifier()
        queue = WorkQueue(capacity: config.queueCapacity, workers: config.workers)
    }

    /// Removes report temporaries (`.<name>.<pid>.<n>.tmp`) a killed daemon left in the outbox.
    static func removeStaleTemporaries(in outbox: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []
        for name in names
        where name.hasPrefix(".") && name.hasSuffix(".tmp")
            && (name.contains(".findings.") || name.contains(".rejected.json."))
        {
            unlink((outbox as NSString).appendingPathComponent(name))
        }
    }

    /// Removes the reports and rejection reports in the outbox that the store has no record of: what a
    /// kill left between writing a report and recording it (or between forgetting a record and removing
    /// its report). Files always go out before their record and stay after it, so a report the store does
    /// not know is such a leftover; its input, if still in the inbox, is checked again and reported anew.
    /// A report is known by its stem (a checked document's `reportStem`); a rejection report by its name
    /// or, failing that, by the name and content hash it records. Nothing is removed when the store holds
    /// no record at all (a store removed by hand: the reports are then all that is left).
    static func removeUnrecorded(in outbox: String, store: StateStore, logger: Logger) {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: outbox),
            let docs = try? store.checkedDocuments(), let rejections = try? store.rejections(),
            !docs.isEmpty || !rejections.isEmpty
        else { return }
        let stems = Set(docs.map(\.stem))
        let rejectionFiles = Set(
            rejections.map {
                ReportNaming.rejectionName(forKey: FileName.key(bytes: Array($0.name.utf8)), sha256: $0.sha256)
            })
        let recorded = Set(rejections.map { "\($0.sha256 ?? "")/\($0.name)" })
        var removed = 0
        for file in files where !file.hasPrefix(".") {
            if let range = file.range(of: ".findings.", options: .backwards) {
                guard !stems.contains(String(file[..<range.lowerBound])) else { continue }
            } else if file.hasSuffix(".rejected.json") {
                guard !rejectionFiles.contains(file) else { continue }
                let path = (outbox as NSString).appendingPathComponent(file)
                guard let data = FileManager.default.contents(atPath: path),
                    case .object(let top)? = try? JSONValue.parse(String(decoding: data, as: UTF8.self)),
                    top.contains(where: { $0.0 == "schema" && $0.1 == .string("assay.rejection/1") }),
                    case .object(let document)? = top.first(where: { $0.0 == "document" })?.1,
                    case .string(let name)? = document.first(where: { $0.0 == "name" })?.1
                else { continue }
                var sha = ""
                if case .string(let s)? = document.first(where: { $0.0 == "sha256" })?.1 { sha = s }
                // A recorded rejection's report under the name an earlier version of Assay gave it stays; the
                // daemon replaces it when it takes the input again (`Intake.removeLegacyRejections`).
                guard !recorded.contains("\(sha)/\(name)") else { continue }
            } else {
                continue
            }
            if unlink((outbox as NSString).appendingPathComponent(file)) == 0 { removed += 1 }
        }
        if removed > 0 {
            logger.notice("removed \(removed) report(s) left unrecorded by an earlier stop (kill or power cut)")
        }
    }

    /// CLOCK_MONOTONIC in seconds.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    // MARK: Running

    /// How long SIGTERM waits for the documents in hand before abandoning them (seconds): they stay in
    /// the inbox and are taken again on the next start.
    static let stopGrace = 2.0

    /// Serves until SIGTERM or SIGINT; returns once the documents in hand are finished or, past
    /// `stopGrace`, abandoned to the next start.
    public func run() {
        pipe(&wake)
        for fd in wake {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        installSignals()
        queue.onDrainedAfterOverflow = { [weak self] in self?.requestRescan("queue drained after it was full") }
        setUpWatch()
        setUpRulesWatch()

        intake.onRequeue = { [weak self] name in
            guard let self else { return }
            queue.offer(name, size: inbox.signature(name)?.size ?? 0)
        }
        intake.onAfterFailure = { [weak self] name, reason in
            self?.logger.warning("\(FileName.escaped(name)): checked, but \(reason); it stays in the inbox")
        }
        intake.startGroupCommit { [weak self] name, reason in
            guard let self else { return }
            countLock.lock(); checked -= 1; failed += 1; countLock.unlock()
            logger.error(
                "\(FileName.escaped(name)): failed: \(FileName.escapingControls(reason)); retried on the next scan")
        }
        let workers = DispatchGroup()
        for i in 0..<config.workers {
            workers.enter()
            let t = Thread { [self] in
                work(); workers.leave()
            }
            t.name = "assay-worker-\(i)"
            t.stackSize = 4 << 20
            t.start()
        }
        logger.info(
            "serving \(config.inbox) → \(config.outbox) (\(modeNote)); rules \(rules.current.ruleSets.map(\.name).joined(separator: ", ")); \(config.workers) worker(s)"
        )
        notifier.ready(status: statusLine())
        watchLoop()

        notifier.stopping()
        logger.info("stopping: finishing the documents in hand")
        queue.close()
        if workers.wait(timeout: .now() + Self.stopGrace) == .timedOut {
            // A long check does not hold the stop: its input stays in the inbox for the next start.
            let left = queue.stalled(for: 0).map { FileName.escaped($0.name) }
            intake.abandon()
            logger.notice(
                "stopping: \(left.joined(separator: ", ")) still being checked after \(Self.stopGrace) s; left for the next start"
            )
        }
        intake.stopGroupCommit()
        notifier.status("stopped; " + countsText())
        logger.info("stopped; \(countsText())")
    }

    private func work() {
        while let name = queue.take() {
            // Offered again while it was in hand, but dealt with in this very state meanwhile.
            if let sig = inbox.signature(name), intake.isSettled(name, sig) {
                queue.finished(name)
                continue
            }
            let d = intake.process(name, progress: { queue.progressed(name) })
            queue.finished(name)
            // Names are shown escaped: a newline or an escape sequence in a name cannot forge a log entry
            // or reach a terminal raw.
            let shown = FileName.escaped(name)
            countLock.lock()
            switch d {
            case .checked(_, let verdict):
                checked += 1; countLock.unlock(); logger.info("\(shown): checked → \(verdict)")
            case .skipped(let earlier):
                skipped += 1; countLock.unlock()
                if let earlier {
                    logger.info(
                        "\(shown): the same content as \(FileName.escapingControls(earlier)), checked before; not checked again"
                    )
                } else {
                    logger.debug("\(shown): already checked; skipped")
                }
            case .rejected(let reason):
                rejected += 1; countLock.unlock();
                logger.warning("\(shown): rejected: \(FileName.escapingControls(reason))")
            case .alreadyRejected:
                countLock.unlock(); logger.debug("\(shown): rejected before for the same content and reason")
            case .failed(let reason):
                failed += 1; countLock.unlock()
                logger.error("\(shown): failed: \(FileName.escapingControls(reason)); retried on the next scan")
            case .vanished: countLock.unlock()
            }
            // No wake-up of the watch loop per document: it refreshes STATUS on its own timer (0.5 s), and
            // a drained queue asks for its rescan through `onDrainedAfterOverflow`.
        }
    }

    private func countsText() -> String {
        countLock.lock(); defer { countLock.unlock() }
        return "checked \(checked), skipped \(skipped), rejected \(rejected), failed \(failed)"
    }

    func statusLine() -> String {
        let missing = mode == .poll ? inboxUnlisted : inboxWd < 0
        let watching = missing ? "inbox missing, waiting for \(config.inbox)" : modeNote
        return "\(watching); queue \(queue.depth); \(countsText())" + (stallNote.map { "; " + $0 } ?? "")
    }

    /// Why the last watchdog ping was withheld, while it is, and the documents then stuck (watch thread only).
    private var stallNote: String?
    private var stalledNames = Set<String>()

    /// At each watchdog period: the ping when every busy worker has made progress within the period;
    /// else no ping, the stuck documents in STATUS (returned, as sent), and a log line when they change.
    private func watchdogTick(interval: Double) -> String? {
        let stalled = queue.stalled(for: interval)
        guard !stalled.isEmpty else {
            if stallNote != nil { logger.notice("every worker is making progress again; watchdog pings resume") }
            stallNote = nil
            stalledNames = []
            notifier.watchdog()
            return nil
        }
        let what = stalled.map {
            "the worker checking \(FileName.escaped($0.name)) has made no progress for \(String(format: "%.1f", $0.seconds)) s"
        }
        .joined(separator: ", ")
        let names = Set(stalled.map(\.name))
        if names != stalledNames { logger.error("\(what); watchdog pings withheld until it does") }
        stalledNames = names
        stallNote = "watchdog ping withheld: " + what
        let line = statusLine()
        notifier.status(line)
        return line
    }

    // MARK: Signals and wake-ups

    private func installSignals() {
        let q = DispatchQueue(label: "assay.signals")
        for (sig, action) in [(SIGTERM, "stop"), (SIGINT, "stop"), (SIGHUP, "reload"), (SIGUSR1, "rescan")] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: q)
            s.setEventHandler { [weak self] in
                guard let self else { return }
                self.flags.lock()
                switch action {
                case "stop": self.stopRequested = true
                case "reload": self.reloadRequested = true
                default: self.rescanRequested = "SIGUSR1"
                }
                self.flags.unlock()
                self.poke()
            }
            s.resume()
            signalSources.append(s)
        }
        signal(SIGPIPE, SIG_IGN)
    }

    private func poke() {
        var b: UInt8 = 1
        _ = write(wake[1], &b, 1)
    }

    func requestRescan(_ reason: String) {
        flags.lock(); rescanRequested = reason; flags.unlock()
        poke()
    }

    // MARK: Watching

    static let inboxMask = UInt32(
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MODIFY | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
    static let rulesMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ONLYDIR)

    /// The file system type of the mount holding `path` (from /proc/self/mounts), e.g. "ext4", "nfs4".
    static func fileSystemType(of path: String) -> String? {
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return nil }
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let f = line.split(separator: " ")
            guard f.count >= 3 else { continue }
            let point = String(f[1]).replacingOccurrences(of: "\\040", with: " ")
            let inside = point == "/" || real == point || real.hasPrefix(point + "/")
            if inside, point.count >= (best?.point.count ?? 0) { best = (point, String(f[2])) }
        }
        return best?.type
    }

    /// Network and FUSE file systems, where inotify does not see other machines' writes.
    static func isRemote(_ type: String) -> Bool {
        ["nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "sshfs"].contains(type)
            || type.hasPrefix("fuse")
    }

    private func setUpWatch() {
        if config.watch != .poll {
            if config.watch == .auto, let type = Self.fileSystemType(of: config.inbox), Self.isRemote(type) {
                usePolling(
                    "polling every \(config.pollIntervalMs) ms: the inbox is on a network or FUSE file system (\(type))"
                )
                return
            }
            inotifyFd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            if inotifyFd < 0 {
                let reason = String(cString: strerror(errno))
                if config.watch == .inotify { logger.error("inotify unavailable (\(reason)); polling instead") }
                usePolling("polling every \(config.pollIntervalMs) ms: inotify unavailable (\(reason))")
                return
            }
            mode = .inotify
            modeNote = "inotify: watching \(config.inbox)"
            if !addInboxWatch() {
                let reason = String(cString: strerror(errno))
                if errno == ENOSPC || errno == ENOMEM {
                    close(inotifyFd); inotifyFd = -1
                    usePolling("polling every \(config.pollIntervalMs) ms: inotify watch limit reached (\(reason))")
                }
            }
        } else {
            usePolling("polling every \(config.pollIntervalMs) ms (watch: poll)")
        }
    }

    private func usePolling(_ note: String) {
        mode = .poll
        modeNote = note
        logger.notice("\(note)")
    }

    @discardableResult
    private func addInboxWatch() -> Bool {
        let wd = inotify_add_watch(inotifyFd, config.inbox, Self.inboxMask)
        guard wd >= 0 else { return false }
        inboxWd = wd
        inboxInode = inbox.signatureOf(path: config.inbox)?.inode ?? 0
        return true
    }

    private func setUpRulesWatch() {
        guard inotifyFd >= 0 else { return }
        for path in rules.paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { continue }
            let folder = isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
            let wd = inotify_add_watch(inotifyFd, folder.isEmpty ? "." : folder, Self.rulesMask)
            if wd >= 0 { rulesWds[wd] = (folder, isDir.boolValue ? nil : (path as NSString).lastPathComponent) }
        }
    }

    private func watchLoop() {
        let settle = Double(config.settleMs) / 1000
        let rescanEvery = Double(config.rescanIntervalMs) / 1000
        let pollEvery = Double(config.pollIntervalMs) / 1000
        var nextRescan = Self.now()  // the initial scan, right after READY
        var nextWatchdog = notifier.watchdogInterval.map { Self.now() + $0 } ?? .infinity
        var nextStatus = Self.now() + 0.5
        var lastStatus = ""
        var rulesDue = Double.infinity
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var firstScan = true
        var nextInboxCheck = Self.now() + 1  // a folder swapped in under the same path (IN_MOVE_SELF covers most)

        while true {
            flags.lock()
            let stop = stopRequested
            let reload = reloadRequested
            let rescan = rescanRequested
            reloadRequested = false
            rescanRequested = nil
            flags.unlock()
            if stop { return }
            if reload { reloadRules(reason: "SIGHUP") }
            if let rescan { logger.info("rescanning the inbox: \(rescan)"); nextRescan = Self.now() }

            var now = Self.now()
            if now >= rulesDue { rulesDue = .infinity; reloadRules(reason: "the rules folder changed") }
            if mode == .inotify && inboxWd < 0 {
                if access(config.inbox, F_OK) == 0, addInboxWatch() {
                    logger.notice("the inbox is back: watching \(config.inbox) again")
                    nextRescan = now
                }
            } else if mode == .inotify, inboxWd >= 0, now >= nextInboxCheck,
                let inode = inbox.signatureOf(path: config.inbox)?.inode, inode != inboxInode
            {
                logger.notice("the inbox was replaced; watching the new folder")
                inotify_rm_watch(inotifyFd, inboxWd)
                inboxWd = -1
                addInboxWatch()
                nextRescan = now
            }
            if now >= nextInboxCheck { nextInboxCheck = now + 1 }
            if now >= nextRescan {
                scan(settle: settle, first: firstScan)
                firstScan = false
                nextRescan = now + (mode == .poll ? pollEvery : rescanEvery)
            }
            for (name, due) in pending where due <= now {
                pending[name] = nil
                // Still being written (poll mode, or writes inotify did not report)? Wait until it is quiet.
                if let sig = inbox.signature(name), sig.modeBits & S_IFMT == S_IFREG, sig.age >= 0, sig.age < settle {
                    pending[name] = now + settle - sig.age
                } else {
                    offer(name)
                }
            }
            if now >= nextWatchdog {
                let interval = notifier.watchdogInterval!
                if let sent = watchdogTick(interval: interval) { lastStatus = sent }
                nextWatchdog = now + interval
            }
            if now >= nextStatus {
                let line = statusLine()
                if line != lastStatus { notifier.status(line); lastStatus = line }
                nextStatus = now + 0.5
            }

            var deadline = min(nextRescan, nextWatchdog, nextStatus, rulesDue, now + 1)
            if let soonest = pending.values.min() { deadline = min(deadline, soonest) }
            if mode == .inotify && inboxWd < 0 { deadline = min(deadline, now + 0.1) }
            let timeout = Int32(max(0, (deadline - now) * 1000).rounded(.up))
            var fds = [
                pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0),
                pollfd(fd: inotifyFd, events: Int16(POLLIN), revents: 0),
            ]
            let n = poll(&fds, inotifyFd >= 0 ? 2 : 1, timeout)
            if n <= 0 { continue }
            if fds[0].revents != 0 {
                var sink = [UInt8](repeating: 0, count: 256)
                while read(wake[0], &sink, sink.count) > 0 {}
            }
            guard inotifyFd >= 0, fds[1].revents != 0 else { continue }
            now = Self.now()
            while true {
                let len = buffer.withUnsafeMutableBytes { read(inotifyFd, $0.baseAddress, $0.count) }
                if len <= 0 { break }
                var offset = 0
                while offset < len {
                    let (wd, mask, name, size) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, String, Int) in
                        let e = raw.load(fromByteOffset: offset, as: inotify_event.self)
                        let headerSize = MemoryLayout<inotify_event>.size
                        var name = ""
                        if e.len > 0 {
                            // The name's bytes (NUL-padded), as a `FileName` key: any bytes, not only UTF-8.
                            let field = raw[(offset + headerSize)..<(offset + headerSize + Int(e.len))]
                            name = FileName.key(bytes: Array(field.prefix { $0 != 0 }))
                        }
                        return (e.wd, e.mask, name, headerSize + Int(e.len))
                    }
                    offset += size
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                        logger.warning("inotify event queue overflowed; rescanning the inbox")
                        nextRescan = now
                        continue
                    }
                    if wd == inboxWd {
                        if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 {
                            if mask & UInt32(IN_IGNORED) == 0 { inotify_rm_watch(inotifyFd, wd) }
                            inboxWd = -1
                            pending.removeAll()
                            logger.warning(
                                "the inbox \(config.inbox) was removed or moved; watching for it to come back")
                            continue
                        }
                        guard !name.isEmpty, inbox.accepts(name) else { continue }
                        if mask & UInt32(IN_MOVED_TO) != 0 {
                            pending[name] = nil
                            offer(name)
                        } else if mask & UInt32(IN_CLOSE_WRITE) != 0 {
                            pending[name] = now + settle
                        } else if mask & UInt32(IN_MODIFY) != 0, pending[name] != nil {
                            pending[name] = now + settle
                        } else if mask & UInt32(IN_CREATE) != 0,
                            let sig = inbox.signature(name), sig.modeBits & S_IFMT != S_IFREG
                        {
                            // Symlinks, FIFOs, sockets and folders never see IN_CLOSE_WRITE: refuse them now.
                            offer(name)
                        }
                    } else if let watched = rulesWds[wd] {
                        if mask & UInt32(IN_IGNORED) != 0 { rulesWds[wd] = nil; continue }
                        if let file = watched.file, name != file { continue }
                        if watched.file == nil, !(name.hasSuffix(".yml") || name.hasSuffix(".yaml")) { continue }
                        rulesDue = now + 0.3
                    }
                }
            }
        }
    }

    /// Lists the inbox and queues what is new; young files wait until they are settled.
    private func scan(settle: Double, first: Bool) {
        guard let names = inbox.list() else {
            if mode == .poll && !inboxUnlisted {
                logger.warning("cannot list the inbox \(config.inbox); will try again")
            }
            inboxUnlisted = true
            return
        }
        if inboxUnlisted { logger.notice("the inbox \(config.inbox) can be listed again") }
        inboxUnlisted = false
        var offered = 0
        for name in names {
            guard let sig = inbox.signature(name), !intake.isSettled(name, sig), !queue.isPending(name) else {
                continue
            }
            let age = sig.age
            if age < settle && (sig.modeBits & S_IFMT) == S_IFREG {
                if pending[name] == nil || mode == .poll { pending[name] = Self.now() + settle - max(0, age) }
                continue
            }
            if !queue.offer(name, size: sig.size) { break }
            offered += 1
        }
        if first && offered > 0 { logger.info("backlog: \(offered) file(s) queued from the inbox") }
    }

    private func offer(_ name: String) {
        let sig = inbox.signature(name)
        if let sig, intake.isSettled(name, sig) { return }
        queue.offer(name, size: sig?.size ?? 0)
    }

    // MARK: Rules

    private func reloadRules(reason: String) {
        notifier.reloading()
        logger.info("reloading rules (\(reason))")
        do {
            let e = try rules.reload()
            logger.notice(
                "rules reloaded: \(e.ruleSets.map { "\($0.name) (\($0.rules.count) rules)" }.joined(separator: ", ")); rule set hash \(e.hash.prefix(12))"
            )
        } catch {
            for e in error.errors { logger.error("\(e.located)") }
            logger.error("the new rules are invalid (\(error.errors.count) error(s)); the previous rules stay in force")
        }
        notifier.ready(status: statusLine())
    }
}
