import AssayExtraction
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

    /// A pipeline checking against `ruleSets`, with the default decoder and extractor and no waivers unless given.
    public init(
        ruleSets: [RuleSet], decoder: TextDecoder = TextDecoder(), extractor: FactExtractor = FactExtractor(),
        waivers: WaiverSet = WaiverSet(), patternTimeLimit: Duration = PatternBudget.standardLimit
    ) {
        self.ruleSets = ruleSets
        self.decoder = decoder
        self.extractor = extractor
        self.waivers = waivers
        self.patternTimeLimit = patternTimeLimit
    }

    /// What one check produced: the document and its facts (for the store and for renderers) and the report.
    public struct Result: Sendable {
        /// The decoded, segmented document.
        public var document: Document
        /// The facts and tallies read from it, with its dates and genre.
        public var extraction: Extraction
        /// The report: the document's identity, the rule sets used, every outcome.
        public var report: Report
    }

    /// `progress` is called between the stages and after each rule (the daemon's watchdog hears of a
    /// worker's progress through it).
    public func check(
        bytes: [UInt8], name: String, now: Date = Date(), sha256: String? = nil,
        progress: () -> Void = {}
    ) throws(DecodingError) -> Result {
        let decoded = try decoder.decode(bytes, sha256: sha256)
        let document = Document(name: name, decoded: decoded)
        progress()
        let extraction = extractor.extract(document)
        progress()
        return check(document: document, extraction: extraction, now: now, progress: progress)
    }

    /// Checks an already decoded and extracted document: evaluates the rule sets, applies the waivers and builds
    /// the report, dated `now` (which also gives the check date). When no set applies, adds a `missing` outcome
    /// with id `noApplicableRules`.
    public func check(document: Document, extraction: Extraction, now: Date = Date(), progress: () -> Void = {})
        -> Result
    {
        let today = String(Report.timestamp(now).prefix(10))
        let evaluation = Evaluator(today: today, patternTimeLimit: patternTimeLimit)
            .evaluation(of: ruleSets, document: document, extraction: extraction, progress: progress)
        var outcomes = waivers.apply(to: evaluation.outcomes, document: document.name, today: today)
        let d = document.decoded
        let identity = Report.DocumentIdentity(
            name: document.name, sha256: d.sha256, size: d.byteCount,
            encoding: d.encoding.rawValue, published: extraction.dates.published,
            asOf: extraction.dates.asOf, lines: document.lineStarts.count,
            publishedSource: extraction.dates.publishedSource?.rawValue,
            genre: extraction.genre.rawValue)
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
        let report = Report(checkedAt: Report.timestamp(now), document: identity, ruleSets: sets, outcomes: outcomes)
        return Result(document: document, extraction: extraction, report: report)
    }
}
