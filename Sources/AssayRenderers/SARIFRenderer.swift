import AssayExtraction
import AssayRules
import AssayValues
import Foundation

/// SARIF 2.1.0 rendering of a report, for code-scanning dashboards and editors.
///
/// Choices: passes are not results (a SARIF consumer lists results as things to act on); fail, missing
/// and error outcomes are results with `kind: "fail"`; waived outcomes are results carrying an external
/// suppression with the waiver as justification. Levels map error → `error`, warning → `warning`,
/// info → `note`. Columns and character offsets count Unicode scalars (`columnKind: unicodeCodePoints`),
/// exactly like `Span`; a leading byte-order mark is not counted.
public struct SARIFRenderer: ReportRenderer {
    /// The `$schema` URI of SARIF 2.1.0 (errata 01) written into every log.
    public static let schemaURI =
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    /// The project has no public home yet; a deployment sets its own page here.
    public static let defaultInformationURI = "https://example.invalid/assay"

    /// `tool.driver.informationUri`.
    public var informationURI: String

    /// A SARIF renderer naming `informationURI` as the tool's home page.
    public init(informationURI: String = SARIFRenderer.defaultInformationURI) {
        self.informationURI = informationURI
    }
    /// Always `.sarif`.
    public var format: ReportFormat { .sarif }

    /// The SARIF log of the report (see `log`) as pretty-printed JSON, ending with a newline.
    public func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String {
        Self.log(report, document: document, ruleSets: ruleSets, informationURI: informationURI).json.rendered(
            pretty: true) + "\n"
    }

    /// The SARIF level of a severity: error → `error`, warning → `warning`, info → `note`.
    public static func level(_ s: Severity) -> SARIFLog.Level {
        switch s {
        case .error: return .error
        case .warning: return .warning
        case .info: return .note
        }
    }

    /// The SARIF log of one report: one run, one artifact (the bulletin).
    public static func log(
        _ report: Report, document: Document?, ruleSets: [RuleSet],
        informationURI: String = defaultInformationURI
    ) -> SARIFLog {
        var descriptors = [SARIFLog.ReportingDescriptor]()
        var index = [String: Int]()
        for set in ruleSets {
            for rule in set.rules where index[rule.id] == nil {
                index[rule.id] = descriptors.count
                let basis = rule.basis.map { "\($0) " } ?? ""
                let full = "\(basis)(\(rule.kind.rawValue) rule from \(set.name)\(set.version.map { " \($0)" } ?? ""))"
                let references =
                    rule.references.isEmpty
                    ? ""
                    : " References: "
                        + rule.references.map { r in r.title + (r.url.map { " <\($0)>" } ?? "") }.joined(
                            separator: "; ")
                descriptors.append(
                    .init(
                        id: rule.id, name: rule.id,
                        shortDescription: .init(text: rule.title),
                        fullDescription: .init(text: full),
                        help: .init(text: full + references),
                        helpUri: rule.references.lazy.compactMap(\.url).first,
                        defaultConfiguration: .init(level: level(rule.severity)),
                        properties: .init(
                            kind: rule.kind.rawValue, ruleset: set.name, tags: rule.tags.isEmpty ? nil : rule.tags)))
            }
        }
        // Outcomes of rules not in the given rule sets still get a descriptor, so every ruleIndex resolves.
        for o in report.outcomes where index[o.ruleID] == nil {
            index[o.ruleID] = descriptors.count
            descriptors.append(
                .init(
                    id: o.ruleID, name: o.ruleID, shortDescription: .init(text: o.title),
                    fullDescription: nil, help: nil, helpUri: nil,
                    defaultConfiguration: .init(level: level(o.severity)),
                    properties: .init(kind: o.kind, ruleset: nil, tags: nil)))
        }
        let d = report.document
        // A converted file (HTML, DOCX, PDF, OFD) is two artifacts: the file, and the text extracted from it,
        // nested in it and declared as such, where the regions' lines and columns count.
        let converted = d.format != SourceFormat.text.rawValue
        let textURI = converted ? Self.extractedTextURI : uri(d.name)
        let textIndex = converted ? 1 : 0
        let results: [SARIFLog.Result] = report.outcomes.filter { $0.status != .pass }.map { o in
            let locations = o.evidence.map { e in
                var r = region(e.span, document: document)
                r.page = e.page
                r.ocr = e.ocr
                return SARIFLog.Location(
                    physicalLocation: .init(
                        artifactLocation: .init(uri: textURI, index: textIndex),
                        region: r),
                    message: .init(text: "\(e.role): \(e.text)"))
            }
            let suppressions =
                o.status == .waived ? [SARIFLog.Suppression(kind: "external", justification: o.waiver)] : nil
            return SARIFLog.Result(
                ruleId: o.ruleID, ruleIndex: index[o.ruleID]!,
                kind: o.status == .notApplicable ? "notApplicable" : "fail",
                level: o.status == .notApplicable ? .none : level(o.severity),
                message: .init(text: o.message), locations: locations.isEmpty ? nil : locations,
                suppressions: suppressions,
                properties: .init(
                    status: o.status.rawValue, section: o.section,
                    values: o.values.isEmpty ? nil : firstByName(o.values.map { ($0.name, $0.text) })))
        }
        var artifacts = [
            SARIFLog.Artifact(
                location: .init(uri: uri(d.name), index: nil), length: d.size,
                encoding: converted ? nil : d.encoding, hashes: ["sha-256": d.sha256])
        ]
        if converted {
            artifacts.append(
                SARIFLog.Artifact(
                    location: .init(uri: textURI, index: nil), length: nil, encoding: "utf-8", hashes: [:],
                    parentIndex: 0, mimeType: "text/plain",
                    description:
                        "The text Assay extracted from the \(d.format) file (\(d.formatText)); regions count lines and "
                        + "columns in this text, not in the file; a region's properties give the file's page."))
        }
        let run = SARIFLog.Run(
            tool: .init(
                driver: .init(
                    name: "assay", version: report.assayVersion, semanticVersion: report.assayVersion,
                    informationUri: informationURI, rules: descriptors)),
            invocations: [.init(executionSuccessful: true, endTimeUtc: report.checkedAt)],
            artifacts: artifacts, results: results, columnKind: "unicodeCodePoints",
            properties: .init(
                schema: Report.schema, published: d.published, asOf: d.asOf,
                rulesets: report.ruleSets.map { .init(name: $0.name, version: $0.version, sha256: $0.sha256) }))
        return SARIFLog(schema: schemaURI, version: "2.1.0", runs: [run])
    }

    /// One log of one run covering every bulletin of several logs (of `log`, same Assay and rules): what
    /// `assay check` prints for several inputs. The rules are the union by id; the artifacts are each log's
    /// in order, their indexes and parents moved along; each result names its bulletin as its
    /// `analysisTarget` (a `missing` outcome has no location that would); the invocation ends with the
    /// last check. Publication and as-of dates, per bulletin, are left out of the run's properties.
    public static func combined(_ logs: [SARIFLog]) -> SARIFLog? {
        let runs = logs.flatMap(\.runs)
        guard var run = runs.first else { return nil }
        guard runs.count > 1 else { return logs[0] }
        var rules = [SARIFLog.ReportingDescriptor]()
        var ruleIndex = [String: Int]()
        var artifacts = [SARIFLog.Artifact]()
        var results = [SARIFLog.Result]()
        for r in runs {
            let offset = artifacts.count
            for var a in r.artifacts {
                a.parentIndex = a.parentIndex.map { $0 + offset }
                artifacts.append(a)
            }
            for d in r.tool.driver.rules where ruleIndex[d.id] == nil {
                ruleIndex[d.id] = rules.count
                rules.append(d)
            }
            let target = r.artifacts.first.map { SARIFLog.ArtifactLocation(uri: $0.location.uri, index: offset) }
            for var result in r.results {
                result.ruleIndex = ruleIndex[result.ruleId]!
                result.locations = result.locations?.map { l in
                    var l = l
                    l.physicalLocation.artifactLocation.index =
                        (l.physicalLocation.artifactLocation.index ?? 0) + offset
                    return l
                }
                result.analysisTarget = target
                results.append(result)
            }
        }
        run.tool.driver.rules = rules
        run.artifacts = artifacts
        run.results = results
        run.invocations = [
            SARIFLog.Invocation(
                executionSuccessful: true,
                endTimeUtc: runs.flatMap(\.invocations).map(\.endTimeUtc).max() ?? "")
        ]
        run.properties.published = nil
        run.properties.asOf = nil
        return SARIFLog(schema: logs[0].schema, version: logs[0].version, runs: [run])
    }

    /// Name–text pairs in their order, a repeated name keeping its first text.
    static func firstByName(_ pairs: [(String, String)]) -> [(name: String, text: String)] {
        var seen = Set<String>()
        return pairs.filter { seen.insert($0.0).inserted }.map { (name: $0.0, text: $0.1) }
    }

    /// A relative URI reference for a file name: percent-encoded except unreserved characters.
    static func uri(_ name: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~/")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }

    /// The URI of the text extracted from a converted file, nested in the file's artifact.
    static let extractedTextURI = "assay-extracted-text.txt"

    /// A SARIF region for a span. With the document the end line and column are exact; without it the
    /// span is taken to end on its first line.
    static func region(_ span: Span, document: Document?) -> SARIFLog.Region {
        let end: (line: Int, column: Int)
        if let document, span.length > 0 {
            let e = document.span(span.end..<span.end)
            end = (e.line, e.column)
        } else {
            end = (span.line, span.column + span.length)
        }
        return SARIFLog.Region(
            startLine: span.line, startColumn: span.column, endLine: end.line, endColumn: end.column,
            charOffset: span.offset, charLength: span.length)
    }
}

/// The part of the SARIF 2.1.0 object model that Assay writes, as typed structs.
///
/// Written through `JSONValue` like every other JSON Assay writes: each type's `json` lists its keys in
/// the order they are declared here (identity first, `properties` last; see docs/reports.md), and an
/// absent optional is left out rather than written as `null`.
public struct SARIFLog: Sendable {
    /// A SARIF result level (`none` is never written by Assay).
    public enum Level: String, Sendable { case none, note, warning, error }

    /// A plain-text SARIF message.
    public struct Message: Sendable {
        /// The message text.
        public var text: String
    }
    /// A SARIF multiformat message; Assay writes the text form only.
    public struct MultiformatMessage: Sendable {
        /// The message as plain text.
        public var text: String
    }

    /// A SARIF rule descriptor: one per rule of the given rule sets, and one per other rule ID an outcome names.
    public struct ReportingDescriptor: Sendable {
        /// The rule's ID.
        public var id: String
        /// The rule's name: Assay writes the ID again.
        public var name: String
        /// The rule's title.
        public var shortDescription: MultiformatMessage
        /// The rule's basis (when it has one) and kind and rule set; nil for a rule not in the given rule sets.
        public var fullDescription: MultiformatMessage?
        /// The text of `fullDescription`, then the rule's references (`References: title <url>; …`); nil likewise.
        public var help: MultiformatMessage?
        /// The address of the rule's first reference that has one; nil when none.
        public var helpUri: String?
        /// The level of the rule's severity.
        public var defaultConfiguration: Configuration
        /// Assay's property bag of the rule.
        public var properties: RuleProperties?
    }
    /// A SARIF reporting configuration: the rule's default level.
    public struct Configuration: Sendable {
        /// The level a failure of the rule is reported with (from its severity).
        public var level: Level
    }
    /// Assay's properties of a rule descriptor.
    public struct RuleProperties: Sendable {
        /// The rule's kind (`threshold`, `deadline` …).
        public var kind: String
        /// The name of the rule set the rule comes from; nil for a rule not in the given rule sets.
        public var ruleset: String?
        /// The rule's tags; nil when it has none.
        public var tags: [String]?
    }

    /// The SARIF tool driver: Assay, its version and its rules.
    public struct Driver: Sendable {
        /// Always "assay".
        public var name: String
        /// Assay's version.
        public var version: String
        /// Assay's version again, as a semantic version.
        public var semanticVersion: String
        /// The tool's home page (`tool.driver.informationUri`).
        public var informationUri: String
        /// The rule descriptors; a result's `ruleIndex` indexes this array.
        public var rules: [ReportingDescriptor]
    }
    /// The SARIF tool: its driver only.
    public struct Tool: Sendable {
        /// Assay itself, with the rules it ran.
        public var driver: Driver
    }

    /// Where an artifact is: the bulletin's file name as a relative URI.
    public struct ArtifactLocation: Sendable {
        /// The bulletin's name, percent-encoded except ASCII letters, digits and `-._~/`.
        public var uri: String
        /// The index into the run's `artifacts` (0, the bulletin) in result locations; nil in the artifact itself.
        public var index: Int?
    }
    /// A SARIF region. Lines and columns are 1-based and count Unicode scalars; the end column is exclusive.
    public struct Region: Sendable {
        /// The 1-based line of the span's start.
        public var startLine: Int
        /// The 1-based column of the span's start, in scalars.
        public var startColumn: Int
        /// The line of the span's end (exact with the document; the start line without it).
        public var endLine: Int
        /// The column just past the span's end (exact with the document; start column plus length without it).
        public var endColumn: Int
        /// The 0-based scalar offset of the span in the decoded text.
        public var charOffset: Int
        /// The span's length in scalars.
        public var charLength: Int
        /// The file's 1-based page the region is on (PDF, OFD), written as a property; nil otherwise.
        public var page: Int? = nil
        /// Whether OCR read the region's text, written as a property when true.
        public var ocr: Bool = false
    }
    /// A SARIF physical location: the bulletin and a region of it.
    public struct PhysicalLocation: Sendable {
        /// The bulletin.
        public var artifactLocation: ArtifactLocation
        /// The evidence span.
        public var region: Region
    }
    /// A SARIF location: one piece of evidence of an outcome.
    public struct Location: Sendable {
        /// Where the evidence is.
        public var physicalLocation: PhysicalLocation
        /// The evidence's role and text: "actual: 79%".
        public var message: Message?
    }
    /// A SARIF suppression: a waiver.
    public struct Suppression: Sendable {
        /// Always "external": the waiver lives in a waiver file, not in the bulletin.
        public var kind: String
        /// The waiver's reason and approver; nil when the outcome carries none.
        public var justification: String?
    }
    /// Assay's properties of a result.
    public struct ResultProperties: Sendable {
        /// The outcome's status (`fail`, `missing`, `error`, `waived`).
        public var status: String
        /// The section path the outcome is about ([] for the whole document).
        public var section: [String]
        /// The outcome's values in its order (a SARIF property bag keeps them as an object).
        public var values: [(name: String, text: String)]?
    }
    /// A SARIF result: one outcome that is not a pass.
    public struct Result: Sendable {
        /// The outcome's rule ID.
        public var ruleId: String
        /// The index of the rule's descriptor in `tool.driver.rules`.
        public var ruleIndex: Int
        /// Always "fail", for fail, missing, error and waived outcomes alike (the status is in `properties`).
        public var kind: String
        /// The level of the outcome's severity.
        public var level: Level
        /// The outcome's message.
        public var message: Message
        /// One location per piece of evidence; nil when the outcome has none.
        public var locations: [Location]?
        /// The waiver for a waived outcome; nil otherwise.
        public var suppressions: [Suppression]?
        /// The outcome's status, section and values.
        public var properties: ResultProperties?
        /// The bulletin the result is about, given when a run covers several (`combined`).
        public var analysisTarget: ArtifactLocation? = nil
    }
    /// A SARIF artifact: the bulletin that was checked.
    public struct Artifact: Sendable {
        /// The bulletin's name as a relative URI.
        public var location: ArtifactLocation
        /// The bulletin's size in bytes; nil for the extracted text.
        public var length: Int?
        /// The encoding the bulletin was decoded from (`utf-8`, `gb18030` …); nil for a converted file.
        public var encoding: String?
        /// Algorithm name to hex digest; written sorted by algorithm.
        public var hashes: [String: String]
        /// The artifact this one is nested in (the extracted text in its file).
        public var parentIndex: Int? = nil
        /// The MIME type, given for the extracted text.
        public var mimeType: String? = nil
        /// What the artifact is, given for the extracted text.
        public var description: String? = nil
    }
    /// A SARIF invocation: the check that made the report.
    public struct Invocation: Sendable {
        /// Always true.
        public var executionSuccessful: Bool
        /// When the check ran (the report's `checkedAt`, ISO 8601 UTC).
        public var endTimeUtc: String
    }
    /// A rule set used in the check, as run properties list it.
    public struct RuleSetProperty: Sendable {
        /// The rule set's name.
        public var name: String
        /// The rule set's declared version; nil when it declares none.
        public var version: String?
        /// The SHA-256 of the rule set file, lower-case hex.
        public var sha256: String
    }
    /// Written with `schema` under the key `assayReportSchema`.
    public struct RunProperties: Sendable {
        /// The JSON report schema (`assay.report/1`).
        public var schema: String
        /// The bulletin's publication date, ISO 8601; nil when unknown.
        public var published: String?
        /// The date the bulletin's figures stand at, ISO 8601; nil when unknown.
        public var asOf: String?
        /// The rule sets used in the check, in order.
        public var rulesets: [RuleSetProperty]
    }
    /// A SARIF run: one check of one bulletin.
    public struct Run: Sendable {
        /// Assay and its rules.
        public var tool: Tool
        /// The one invocation: the check.
        public var invocations: [Invocation]
        /// The one artifact: the bulletin.
        public var artifacts: [Artifact]
        /// One result per outcome that is not a pass, in report order.
        public var results: [Result]
        /// Always "unicodeCodePoints": columns and offsets count Unicode scalars, like `Span`.
        public var columnKind: String
        /// The document dates and rule sets of the check.
        public var properties: RunProperties
    }

    /// Written under the key `$schema`.
    public var schema: String
    /// Always "2.1.0".
    public var version: String
    /// The runs: one.
    public var runs: [Run]
}

// MARK: - Writing: one `json` per type, keys in declaration order, absent optionals left out.

extension SARIFLog {
    /// An object from key–value pairs in order, dropping pairs whose value is absent.
    package static func object(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    /// The log as JSON: `$schema`, `version`, `runs`.
    public var json: JSONValue {
        Self.object([("$schema", .string(schema)), ("version", .string(version)), ("runs", .array(runs.map(\.json)))])
    }
}

extension SARIFLog.Message {
    /// The message as JSON: `text`.
    public var json: JSONValue { .object([("text", .string(text))]) }
}

extension SARIFLog.MultiformatMessage {
    /// The message as JSON: `text`.
    public var json: JSONValue { .object([("text", .string(text))]) }
}

extension SARIFLog.ReportingDescriptor {
    /// The descriptor as JSON, keys in declaration order, absent optionals left out.
    public var json: JSONValue {
        SARIFLog.object([
            ("id", .string(id)), ("name", .string(name)), ("shortDescription", shortDescription.json),
            ("fullDescription", fullDescription?.json), ("help", help?.json), ("helpUri", helpUri.map { .string($0) }),
            ("defaultConfiguration", defaultConfiguration.json), ("properties", properties?.json),
        ])
    }
}

extension SARIFLog.Configuration {
    /// The configuration as JSON: `level`.
    public var json: JSONValue { .object([("level", .string(level.rawValue))]) }
}

extension SARIFLog.RuleProperties {
    /// The properties as JSON: `kind`, then `ruleset` and `tags` when present.
    public var json: JSONValue {
        SARIFLog.object([
            ("kind", .string(kind)), ("ruleset", ruleset.map { .string($0) }),
            ("tags", tags.map { .array($0.map { .string($0) }) }),
        ])
    }
}

extension SARIFLog.Driver {
    /// The driver as JSON, keys in declaration order.
    public var json: JSONValue {
        .object([
            ("name", .string(name)), ("version", .string(version)), ("semanticVersion", .string(semanticVersion)),
            ("informationUri", .string(informationUri)), ("rules", .array(rules.map(\.json))),
        ])
    }
}

extension SARIFLog.Tool {
    /// The tool as JSON: `driver`.
    public var json: JSONValue { .object([("driver", driver.json)]) }
}

extension SARIFLog.ArtifactLocation {
    /// The artifact location as JSON: `uri`, then `index` when present.
    public var json: JSONValue { SARIFLog.object([("uri", .string(uri)), ("index", index.map { .integer($0) })]) }
}

extension SARIFLog.Region {
    /// The region as JSON, keys in declaration order.
    public var json: JSONValue {
        .object(
            [
                ("startLine", .integer(startLine)), ("startColumn", .integer(startColumn)),
                ("endLine", .integer(endLine)), ("endColumn", .integer(endColumn)),
                ("charOffset", .integer(charOffset)), ("charLength", .integer(charLength)),
            ] + properties)
    }

    /// `properties` with the page (and `ocr: true`), when the region has a page.
    var properties: [(String, JSONValue)] {
        guard let page else { return [] }
        var p: [(String, JSONValue)] = [("page", .integer(page))]
        if ocr { p.append(("ocr", .bool(true))) }
        return [("properties", .object(p))]
    }
}

extension SARIFLog.PhysicalLocation {
    /// The physical location as JSON: `artifactLocation`, `region`.
    public var json: JSONValue { .object([("artifactLocation", artifactLocation.json), ("region", region.json)]) }
}

extension SARIFLog.Location {
    /// The location as JSON: `physicalLocation`, then `message` when present.
    public var json: JSONValue {
        SARIFLog.object([("physicalLocation", physicalLocation.json), ("message", message?.json)])
    }
}

extension SARIFLog.Suppression {
    /// The suppression as JSON: `kind`, then `justification` when present.
    public var json: JSONValue {
        SARIFLog.object([("kind", .string(kind)), ("justification", justification.map { .string($0) })])
    }
}

extension SARIFLog.ResultProperties {
    /// The properties as JSON: `status`, `section`, then `values` (an object) when present.
    public var json: JSONValue {
        SARIFLog.object([
            ("status", .string(status)), ("section", .array(section.map { .string($0) })),
            ("values", values.map { pairs in JSONValue.object(pairs.map { ($0.name, JSONValue.string($0.text)) }) }),
        ])
    }
}

extension SARIFLog.Result {
    /// The result as JSON, keys in declaration order, absent optionals left out.
    public var json: JSONValue {
        SARIFLog.object([
            ("ruleId", .string(ruleId)), ("ruleIndex", .integer(ruleIndex)), ("kind", .string(kind)),
            ("level", .string(level.rawValue)), ("message", message.json),
            ("locations", locations.map { .array($0.map(\.json)) }),
            ("suppressions", suppressions.map { .array($0.map(\.json)) }),
            ("analysisTarget", analysisTarget?.json), ("properties", properties?.json),
        ])
    }
}

extension SARIFLog.Artifact {
    /// The artifact as JSON: `location`, `parentIndex`, `length`, `mimeType`, `encoding`, `hashes` (sorted by
    /// algorithm), `description`; absent ones left out.
    public var json: JSONValue {
        SARIFLog.object([
            ("location", location.json), ("parentIndex", parentIndex.map { .integer($0) }),
            ("length", length.map { .integer($0) }), ("mimeType", mimeType.map { .string($0) }),
            ("encoding", encoding.map { .string($0) }),
            (
                "hashes",
                hashes.isEmpty
                    ? nil
                    : .object(hashes.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })
            ),
            ("description", description.map { .object([("text", .string($0))]) }),
        ])
    }
}

extension SARIFLog.Invocation {
    /// The invocation as JSON: `executionSuccessful`, `endTimeUtc`.
    public var json: JSONValue {
        .object([("executionSuccessful", .bool(executionSuccessful)), ("endTimeUtc", .string(endTimeUtc))])
    }
}

extension SARIFLog.RuleSetProperty {
    /// The rule set as JSON: `name`, then `version` when present, `sha256`.
    public var json: JSONValue {
        SARIFLog.object([
            ("name", .string(name)), ("version", version.map { .string($0) }), ("sha256", .string(sha256)),
        ])
    }
}

extension SARIFLog.RunProperties {
    /// The run properties as JSON: `assayReportSchema`, then `published` and `asOf` when present, `rulesets`.
    public var json: JSONValue {
        SARIFLog.object([
            ("assayReportSchema", .string(schema)), ("published", published.map { .string($0) }),
            ("asOf", asOf.map { .string($0) }), ("rulesets", .array(rulesets.map(\.json))),
        ])
    }
}

extension SARIFLog.Run {
    /// The run as JSON, keys in declaration order.
    public var json: JSONValue {
        .object([
            ("tool", tool.json), ("invocations", .array(invocations.map(\.json))),
            ("artifacts", .array(artifacts.map(\.json))), ("results", .array(results.map(\.json))),
            ("columnKind", .string(columnKind)), ("properties", properties.json),
        ])
    }
}
