import AssayExtraction
import AssayFormats
import AssayValues
import Foundation

/// The whole check of one bulletin, stage by stage: decode → segment → extract → evaluate → report.
/// Each stage is a value-in, value-out function; the pipeline only strings them together.
public struct Pipeline: Sendable {
    /// The id of the outcome a report carries when none of its rule sets applies to the document.
    public static let noApplicableRules = "no-applicable-rules"

    /// The rule sets checked, in the order reports list them.
    public var ruleSets: [RuleSet]
    /// Turns a bulletin's bytes into text.
    public var decoder: TextDecoder
    /// Reads facts, tallies, dates and the genre from the decoded document.
    public var extractor: FactExtractor
    /// The waivers applied to the outcomes (none by default).
    public var waivers: WaiverSet
    /// The time each rule's pattern searches may take on one bulletin (`PatternBudget`).
    public var patternTimeLimit: Duration
    /// The time one check of a bulletin (`check(bytes:name:now:sha256:progress:)`) may take, all stages
    /// together; past it the check stops and throws `OverBudget`. Nil: no limit.
    public var timeLimit: Duration?

    /// The default `timeLimit`: 5 s, a hundred times what the sample bulletin takes in a debug build.
    public static let standardTimeLimit = Duration.seconds(5)

    /// The stages of a check, in order, as `OverBudget` names them.
    public enum Stage: String, Sendable, Equatable {
        /// Bytes to text.
        case decode
        /// Lines, sections, items and sentences.
        case segment
        /// Facts, dates, labels and tallies.
        case extract
        /// The rules.
        case evaluate
    }

    /// A check stopped because it ran past the pipeline's `timeLimit`: an input error for that bulletin
    /// (the command line reports it and goes on with the next; the daemon refuses the input).
    public struct OverBudget: Error, Sendable, Equatable, CustomStringConvertible {
        /// The stage the check was in when the time ran out.
        public var stage: Stage
        /// The time taken until the check stopped.
        public var elapsed: Duration
        /// The budget it ran past.
        public var limit: Duration

        /// `checking took longer than the 5 s budget (stopped in extract after 5.02 s)`.
        public var description: String {
            "checking took longer than the \(Self.seconds(limit)) budget (stopped in \(stage.rawValue) after "
                + "\(Self.seconds(elapsed)))"
        }

        /// `5 s`, `0.25 s`, `1.5 ms`: the shortest of up to three significant decimals.
        static func seconds(_ d: Duration) -> String {
            let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            if s >= 1 { return String(format: "%g s", (s * 100).rounded() / 100) }
            if s >= 0.001 { return String(format: "%g ms", (s * 1e5).rounded() / 100) }
            return String(format: "%g µs", (s * 1e8).rounded() / 100)
        }
    }

    /// The language of built-in messages for every set (`assay check --language`); nil: each set's own
    /// `language:`, else `Evaluator.defaultLanguage`.
    public var language: MessageLanguage?
    /// The deployment's other names of issuers (`issuers.yml`): a bulletin's issuer is named canonically.
    public var issuers = IssuerDirectory()
    /// Where the earlier bulletins of each series are read (the store); nil: no history, and `progress`
    /// rules say so.
    public var history: (any BulletinHistory)?

    /// A pipeline checking against `ruleSets`, with the default decoder and extractor and no waivers unless given.
    public init(
        ruleSets: [RuleSet], decoder: TextDecoder = TextDecoder(), extractor: FactExtractor = FactExtractor(),
        waivers: WaiverSet = WaiverSet(), patternTimeLimit: Duration = PatternBudget.standardLimit,
        timeLimit: Duration? = Pipeline.standardTimeLimit
    ) {
        self.ruleSets = ruleSets
        self.decoder = decoder
        self.extractor = extractor
        self.waivers = waivers
        self.patternTimeLimit = patternTimeLimit
        self.timeLimit = timeLimit
    }

    /// What one check produced: the document and its facts (for the store and for renderers) and the report.
    public struct Result: Sendable {
        /// The decoded, segmented document.
        public var document: Document { didSet { keptSnapshot = nil } }
        /// The facts and tallies read from it, with its dates and genre.
        public var extraction: Extraction { didSet { keptSnapshot = nil } }
        /// The report: the document's identity, the rule sets used, every outcome.
        public var report: Report
        /// The snapshot the check built to look up the earlier bulletins (with a history only), kept while
        /// the document and extraction are the ones it was built from.
        var keptSnapshot: BulletinSnapshot? = nil
        /// What later bulletins of the series are compared with (the store keeps it): the one the check built
        /// for its history lookup, else built when asked for, as a check without history does not need it.
        /// (The daemon's store reads it several times per bulletin: building it each time was a fifth of the
        /// daemon's CPU on a backlog, perf.)
        public var snapshot: BulletinSnapshot {
            keptSnapshot ?? BulletinSnapshot(document: document, extraction: extraction, issuer: extraction.issuer)
        }
    }

    /// `progress` is called between the stages and after each rule (the daemon's watchdog hears of a
    /// worker's progress through it). Throws `DecodingError` when the bytes are not a text bulletin, and
    /// `OverBudget` when the check runs past `timeLimit` (read between the stages, every 4096 lines and
    /// sentences while segmenting, every 4096 scalars of the first scan and every 4096 facts of the later
    /// passes while extracting, and after each rule).
    public func check(
        bytes: [UInt8], name: String, now: Date = Date(), sha256: String? = nil,
        progress: () -> Void = {}
    ) throws -> Result {
        let clock = ContinuousClock()
        var start = clock.now
        var deadline = timeLimit.map { start + $0 }
        var over: Stage?
        /// Whether the time is out; records `stage` as where it ran out.
        func out(_ stage: Stage) -> Bool {
            guard let deadline, over == nil else { return over != nil }
            if clock.now >= deadline { over = stage }
            return over != nil
        }
        func stop() -> OverBudget {
            OverBudget(stage: over ?? .decode, elapsed: clock.now - start, limit: timeLimit ?? .zero)
        }
        let decoded = try decode(bytes, name: name, sha256: sha256, progress: progress)
        if decoded.source.format != .text {
            // A converter has its own bound (`ConversionLimits.timeLimit`: poppler and OCR take seconds per
            // page); the time limit is the check's, from the converted text on.
            start = clock.now
            deadline = timeLimit.map { start + $0 }
        }
        if out(.decode) { throw stop() }
        let document = Document(name: name, decoded: decoded) { out(.segment) }
        progress()
        if out(.segment) { throw stop() }
        let extraction = extractor.extract(document) { out(.extract) }
        progress()
        if out(.extract) { throw stop() }
        let result = check(
            document: document, extraction: extraction, now: now,
            progress: progress, stop: { out(.evaluate) })
        if over != nil { throw stop() }
        return result
    }

    /// The text of the input, whatever its format: the format is found from the content and the name
    /// (`Converters.detect`; a name that lies about the content is rejected), plain text goes through the
    /// decoder and every other format through its converter, whose source map (pages, OCR, metadata, what was
    /// left out) the decoded text carries. Spans count in the text either way; the hash and size stay the
    /// input's, and `sizeLimit` bounds both the file and what is decompressed from it.
    /// `progress` is called as a converter makes headway (a page read), so the daemon's watchdog sees a long
    /// PDF or OCR run moving.
    package func decode(
        _ bytes: [UInt8], name: String, sha256: String?, progress: () -> Void = {}
    ) throws(DecodingError) -> DecodedText {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= decoder.sizeLimit else { throw .tooLarge(bytes: bytes.count, limit: decoder.sizeLimit) }
        let format: SourceFormat
        switch Converters.detect(bytes, name: name) {
        case .format(let f): format = f
        case let other: throw .undecodable(reason: other.reason ?? "unknown format")
        }
        if format == .text { return try decoder.decode(bytes, sha256: sha256) }
        let converted: ConvertedText
        do {
            converted = try Converters.convert(
                format, bytes, limits: ConversionLimits(maxBytes: decoder.sizeLimit), progress: progress)
        } catch {
            throw .undecodable(reason: error.description)
        }
        return DecodedText(
            string: converted.text, encoding: .utf8, sha256: sha256 ?? SHA256.hex(bytes), byteCount: bytes.count,
            source: converted.source)
    }

    /// Checks an already decoded and extracted document: evaluates the rule sets, applies the waivers and builds
    /// the report, dated `now` (which also gives the check date). When no set applies, adds a `missing` outcome
    /// with id `noApplicableRules`.
    public func check(document: Document, extraction: Extraction, now: Date = Date(), progress: () -> Void = {})
        -> Result
    {
        check(document: document, extraction: extraction, now: now, progress: progress, stop: { false })
    }

    /// As `check(document:extraction:now:progress:)`; the evaluation ends early once `stop` says so (after
    /// a rule), and the result is then incomplete.
    func check(
        document: Document, extraction: Extraction, now: Date, progress: () -> Void, stop: () -> Bool
    ) -> Result {
        let today = String(Report.timestamp(now).prefix(10))
        var extraction = extraction
        if var issuer = extraction.issuer {
            issuer.name = issuers.resolve(issuer.name)
            extraction.issuer = issuer
        }
        var evaluator = Evaluator(today: today, patternTimeLimit: patternTimeLimit, language: language)
        var kept: BulletinSnapshot?
        if let history {
            let snapshot = BulletinSnapshot(document: document, extraction: extraction, issuer: extraction.issuer)
            kept = snapshot
            do {
                evaluator.series = .known(current: snapshot, earlier: try history.earlier(than: snapshot))
            } catch {
                evaluator.series = .unavailable("\(error)")
            }
        }
        let evaluation = evaluator.evaluation(
            of: ruleSets, document: document, extraction: extraction, progress: progress, stop: stop)
        var outcomes = waivers.apply(to: evaluation.outcomes, document: document.name, today: today)
        let d = document.decoded
        if !d.source.pageStarts.isEmpty {
            // Evidence of a paged file gives the page, and says when OCR read it.
            for i in outcomes.indices {
                for j in outcomes[i].evidence.indices {
                    let at = outcomes[i].evidence[j].span.offset
                    outcomes[i].evidence[j].page = d.source.page(at: at)
                    outcomes[i].evidence[j].ocr = d.source.readByOCR(at: at)
                }
            }
        }
        var identity = Report.DocumentIdentity(
            name: document.name, sha256: d.sha256, size: d.byteCount,
            encoding: d.encoding.rawValue, published: extraction.dates.published,
            asOf: extraction.dates.asOf, lines: document.lineStarts.count,
            publishedSource: extraction.dates.publishedSource?.rawValue,
            genre: extraction.genre.rawValue)
        identity.describe(d.source)
        if let i = extraction.issuer {
            identity.issuer = Report.IssuerIdentity(
                name: i.name, written: i.written, source: i.source.rawValue, series: i.series, feedback: i.feedback)
        }
        if let p = evaluator.series.previous {
            identity.previous = Report.PreviousBulletin(name: p.name, sha256: p.sha256, published: p.published)
        }
        let sets = zip(ruleSets, evaluation.notApplicable).map { set, notApplicable in
            Report.RuleSetIdentity(
                name: set.name, version: set.version, file: (set.file as NSString).lastPathComponent,
                sha256: set.sha256, rules: set.rules.count, notApplicable: notApplicable)
        }
        if !sets.isEmpty, sets.allSatisfy({ $0.notApplicable != nil }) {
            // Never silent: a bulletin no rule set applies to is not a bulletin that passed.
            let why = sets.map { "\($0.name): \($0.notApplicable!)" }.joined(separator: "; ")
            outcomes.append(
                Outcome(
                    ruleID: Self.noApplicableRules, title: "No rule set applies to this document",
                    kind: "applicability",
                    severity: .warning, status: .missing,
                    message: "no rule set applies to this document (genre \(extraction.genre.rawValue)): \(why)",
                    section: [], values: [], evidence: []))
        }
        var report = Report(checkedAt: Report.timestamp(now), document: identity, ruleSets: sets, outcomes: outcomes)
        if case .known(let current, let earlier) = evaluator.series, !earlier.isEmpty {
            report.trends = current.trends(after: earlier)
        }
        return Result(document: document, extraction: extraction, report: report, keptSnapshot: kept)
    }
}
