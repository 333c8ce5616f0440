import Foundation
import AssayValues
import AssayExtraction
import AssayRules

/// SARIF 2.1.0 rendering of a report, for code-scanning dashboards and editors.
///
/// Choices: passes are not results (a SARIF consumer lists results as things to act on); fail, missing
/// and error outcomes are results with `kind: "fail"`; waived outcomes are results carrying an external
/// suppression with the waiver as justification. Levels map error → `error`, warning → `warning`,
/// info → `note`. Columns and character offsets count Unicode scalars (`columnKind: unicodeCodePoints`),
/// exactly like `Span`; a leading byte-order mark is not counted.
public struct SARIFRenderer: ReportRenderer {
    public static let schemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    /// The project has no public home yet; a deployment sets its own page here.
    public static let defaultInformationURI = "https://example.invalid/assay"

    /// `tool.driver.informationUri`.
    public var informationURI: String

    public init(informationURI: String = SARIFRenderer.defaultInformationURI) {
        self.informationURI = informationURI
    }
    public var format: ReportFormat { .sarif }

    public func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String {
        Self.log(report, document: document, ruleSets: ruleSets, informationURI: informationURI).json.rendered(pretty: true) + "\n"
    }

    public static func level(_ s: Severity) -> SARIFLog.Level {
        switch s {
        case .error: return .error
        case .warning: return .warning
        case .info: return .note
        }
    }

    /// The SARIF log of one report: one run, one artifact (the bulletin).
    public static func log(_ report: Report, document: Document?, ruleSets: [RuleSet],
                           informationURI: String = defaultInformationURI) -> SARIFLog {
        var descriptors = [SARIFLog.ReportingDescriptor]()
        var index = [String: Int]()
        for set in ruleSets {
            for rule in set.rules where index[rule.id] == nil {
                index[rule.id] = descriptors.count
                let basis = rule.basis.map { "\($0) " } ?? ""
                let full = "\(basis)(\(rule.kind.rawValue) rule from \(set.name)\(set.version.map { " \($0)" } ?? ""))"
                descriptors.append(.init(
                    id: rule.id, name: rule.id,
                    shortDescription: .init(text: rule.title),
                    fullDescription: .init(text: full),
                    help: .init(text: full),
                    defaultConfiguration: .init(level: level(rule.severity)),
                    properties: .init(kind: rule.kind.rawValue, ruleset: set.name, tags: rule.tags.isEmpty ? nil : rule.tags)))
            }
        }
        // Outcomes of rules not in the given rule sets still get a descriptor, so every ruleIndex resolves.
        for o in report.outcomes where index[o.ruleID] == nil {
            index[o.ruleID] = descriptors.count
            descriptors.append(.init(id: o.ruleID, name: o.ruleID, shortDescription: .init(text: o.title),
                                     fullDescription: nil, help: nil, defaultConfiguration: .init(level: level(o.severity)),
                                     properties: .init(kind: o.kind, ruleset: nil, tags: nil)))
        }
        let d = report.document
        let results: [SARIFLog.Result] = report.outcomes.filter { $0.status != .pass }.map { o in
            let locations = o.evidence.map { e in
                SARIFLog.Location(physicalLocation: .init(artifactLocation: .init(uri: uri(d.name), index: 0),
                                                          region: region(e.span, document: document)),
                                  message: .init(text: "\(e.role): \(e.text)"))
            }
            let suppressions = o.status == .waived ? [SARIFLog.Suppression(kind: "external", justification: o.waiver)] : nil
            return SARIFLog.Result(
                ruleId: o.ruleID, ruleIndex: index[o.ruleID]!, kind: "fail", level: level(o.severity),
                message: .init(text: o.message), locations: locations.isEmpty ? nil : locations,
                suppressions: suppressions,
                properties: .init(status: o.status.rawValue, section: o.section,
                                  values: o.values.isEmpty ? nil : firstByName(o.values.map { ($0.name, $0.text) })))
        }
        let artifact = SARIFLog.Artifact(location: .init(uri: uri(d.name), index: nil), length: d.size,
                                         encoding: d.encoding, hashes: ["sha-256": d.sha256])
        let run = SARIFLog.Run(
            tool: .init(driver: .init(name: "assay", version: report.assayVersion, semanticVersion: report.assayVersion,
                                      informationUri: informationURI, rules: descriptors)),
            invocations: [.init(executionSuccessful: true, endTimeUtc: report.checkedAt)],
            artifacts: [artifact], results: results, columnKind: "unicodeCodePoints",
            properties: .init(schema: Report.schema, published: d.published, asOf: d.asOf,
                              rulesets: report.ruleSets.map { .init(name: $0.name, version: $0.version, sha256: $0.sha256) }))
        return SARIFLog(schema: schemaURI, version: "2.1.0", runs: [run])
    }

    /// Name–text pairs in their order, a repeated name keeping its first text.
    static func firstByName(_ pairs: [(String, String)]) -> [(name: String, text: String)] {
        var seen = Set<String>()
        return pairs.filter { seen.insert($0.0).inserted }.map { (name: $0.0, text: $0.1) }
    }

    /// A relative URI reference for a file name: percent-encoded except unreserved characters.
    static func uri(_ name: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~/")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }

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
        return SARIFLog.Region(startLine: span.line, startColumn: span.column, endLine: end.line, endColumn: end.column,
                               charOffset: span.offset, charLength: span.length)
    }
}

/// The part of the SARIF 2.1.0 object model that Assay writes, as typed structs.
///
/// Written through `JSONValue` like every other JSON Assay writes: each type's `json` lists its keys in
/// the order they are declared here (identity first, `properties` last; see docs/reports.md), and an
/// absent optional is left out rather than written as `null`.
public struct SARIFLog: Sendable {
    public enum Level: String, Sendable { case none, note, warning, error }

    public struct Message: Sendable { public var text: String }
    public struct MultiformatMessage: Sendable { public var text: String }

    public struct ReportingDescriptor: Sendable {
        public var id: String
        public var name: String
        public var shortDescription: MultiformatMessage
        public var fullDescription: MultiformatMessage?
        public var help: MultiformatMessage?
        public var defaultConfiguration: Configuration
        public var properties: RuleProperties?
    }
    public struct Configuration: Sendable { public var level: Level }
    public struct RuleProperties: Sendable {
        public var kind: String
        public var ruleset: String?
        public var tags: [String]?
    }

    public struct Driver: Sendable {
        public var name: String
        public var version: String
        public var semanticVersion: String
        public var informationUri: String
        public var rules: [ReportingDescriptor]
    }
    public struct Tool: Sendable { public var driver: Driver }

    public struct ArtifactLocation: Sendable {
        public var uri: String
        public var index: Int?
    }
    public struct Region: Sendable {
        public var startLine: Int
        public var startColumn: Int
        public var endLine: Int
        public var endColumn: Int
        public var charOffset: Int
        public var charLength: Int
    }
    public struct PhysicalLocation: Sendable {
        public var artifactLocation: ArtifactLocation
        public var region: Region
    }
    public struct Location: Sendable {
        public var physicalLocation: PhysicalLocation
        public var message: Message?
    }
    public struct Suppression: Sendable {
        public var kind: String
        public var justification: String?
    }
    public struct ResultProperties: Sendable {
        public var status: String
        public var section: [String]
        /// The outcome's values in its order (a SARIF property bag keeps them as an object).
        public var values: [(name: String, text: String)]?
    }
    public struct Result: Sendable {
        public var ruleId: String
        public var ruleIndex: Int
        public var kind: String
        public var level: Level
        public var message: Message
        public var locations: [Location]?
        public var suppressions: [Suppression]?
        public var properties: ResultProperties?
    }
    public struct Artifact: Sendable {
        public var location: ArtifactLocation
        public var length: Int
        public var encoding: String
        /// Algorithm name to hex digest; written sorted by algorithm.
        public var hashes: [String: String]
    }
    public struct Invocation: Sendable {
        public var executionSuccessful: Bool
        public var endTimeUtc: String
    }
    public struct RuleSetProperty: Sendable {
        public var name: String
        public var version: String?
        public var sha256: String
    }
    /// Written with `schema` under the key `assayReportSchema`.
    public struct RunProperties: Sendable {
        public var schema: String
        public var published: String?
        public var asOf: String?
        public var rulesets: [RuleSetProperty]
    }
    public struct Run: Sendable {
        public var tool: Tool
        public var invocations: [Invocation]
        public var artifacts: [Artifact]
        public var results: [Result]
        public var columnKind: String
        public var properties: RunProperties
    }

    /// Written under the key `$schema`.
    public var schema: String
    public var version: String
    public var runs: [Run]
}

// MARK: - Writing: one `json` per type, keys in declaration order, absent optionals left out.

extension SARIFLog {
    /// An object from key–value pairs in order, dropping pairs whose value is absent.
    package static func object(_ pairs: [(String, JSONValue?)]) -> JSONValue {
        .object(pairs.compactMap { key, value in value.map { (key, $0) } })
    }

    public var json: JSONValue {
        Self.object([("$schema", .string(schema)), ("version", .string(version)), ("runs", .array(runs.map(\.json)))])
    }
}

extension SARIFLog.Message {
    public var json: JSONValue { .object([("text", .string(text))]) }
}

extension SARIFLog.MultiformatMessage {
    public var json: JSONValue { .object([("text", .string(text))]) }
}

extension SARIFLog.ReportingDescriptor {
    public var json: JSONValue {
        SARIFLog.object([
            ("id", .string(id)), ("name", .string(name)), ("shortDescription", shortDescription.json),
            ("fullDescription", fullDescription?.json), ("help", help?.json),
            ("defaultConfiguration", defaultConfiguration.json), ("properties", properties?.json),
        ])
    }
}

extension SARIFLog.Configuration {
    public var json: JSONValue { .object([("level", .string(level.rawValue))]) }
}

extension SARIFLog.RuleProperties {
    public var json: JSONValue {
        SARIFLog.object([("kind", .string(kind)), ("ruleset", ruleset.map { .string($0) }),
                         ("tags", tags.map { .array($0.map { .string($0) }) })])
    }
}

extension SARIFLog.Driver {
    public var json: JSONValue {
        .object([("name", .string(name)), ("version", .string(version)), ("semanticVersion", .string(semanticVersion)),
                 ("informationUri", .string(informationUri)), ("rules", .array(rules.map(\.json)))])
    }
}

extension SARIFLog.Tool {
    public var json: JSONValue { .object([("driver", driver.json)]) }
}

extension SARIFLog.ArtifactLocation {
    public var json: JSONValue { SARIFLog.object([("uri", .string(uri)), ("index", index.map { .integer($0) })]) }
}

extension SARIFLog.Region {
    public var json: JSONValue {
        .object([("startLine", .integer(startLine)), ("startColumn", .integer(startColumn)),
                 ("endLine", .integer(endLine)), ("endColumn", .integer(endColumn)),
                 ("charOffset", .integer(charOffset)), ("charLength", .integer(charLength))])
    }
}

extension SARIFLog.PhysicalLocation {
    public var json: JSONValue { .object([("artifactLocation", artifactLocation.json), ("region", region.json)]) }
}

extension SARIFLog.Location {
    public var json: JSONValue { SARIFLog.object([("physicalLocation", physicalLocation.json), ("message", message?.json)]) }
}

extension SARIFLog.Suppression {
    public var json: JSONValue {
        SARIFLog.object([("kind", .string(kind)), ("justification", justification.map { .string($0) })])
    }
}

extension SARIFLog.ResultProperties {
    public var json: JSONValue {
        SARIFLog.object([("status", .string(status)), ("section", .array(section.map { .string($0) })),
                         ("values", values.map { pairs in JSONValue.object(pairs.map { ($0.name, JSONValue.string($0.text)) }) })])
    }
}

extension SARIFLog.Result {
    public var json: JSONValue {
        SARIFLog.object([
            ("ruleId", .string(ruleId)), ("ruleIndex", .integer(ruleIndex)), ("kind", .string(kind)),
            ("level", .string(level.rawValue)), ("message", message.json),
            ("locations", locations.map { .array($0.map(\.json)) }),
            ("suppressions", suppressions.map { .array($0.map(\.json)) }),
            ("properties", properties?.json),
        ])
    }
}

extension SARIFLog.Artifact {
    public var json: JSONValue {
        .object([("location", location.json), ("length", .integer(length)), ("encoding", .string(encoding)),
                 ("hashes", .object(hashes.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))])
    }
}

extension SARIFLog.Invocation {
    public var json: JSONValue {
        .object([("executionSuccessful", .bool(executionSuccessful)), ("endTimeUtc", .string(endTimeUtc))])
    }
}

extension SARIFLog.RuleSetProperty {
    public var json: JSONValue {
        SARIFLog.object([("name", .string(name)), ("version", version.map { .string($0) }), ("sha256", .string(sha256))])
    }
}

extension SARIFLog.RunProperties {
    public var json: JSONValue {
        SARIFLog.object([("assayReportSchema", .string(schema)), ("published", published.map { .string($0) }),
                         ("asOf", asOf.map { .string($0) }), ("rulesets", .array(rulesets.map(\.json)))])
    }
}

extension SARIFLog.Run {
    public var json: JSONValue {
        .object([("tool", tool.json), ("invocations", .array(invocations.map(\.json))),
                 ("artifacts", .array(artifacts.map(\.json))), ("results", .array(results.map(\.json))),
                 ("columnKind", .string(columnKind)), ("properties", properties.json)])
    }
}
