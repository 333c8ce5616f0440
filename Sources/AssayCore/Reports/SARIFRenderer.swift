import Foundation

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
        let log = Self.log(report, document: document, ruleSets: ruleSets, informationURI: informationURI)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(log)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
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
                                  values: o.values.isEmpty ? nil : Dictionary(o.values.map { ($0.name, $0.text) }, uniquingKeysWith: { a, _ in a })))
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

/// The part of the SARIF 2.1.0 object model that Assay writes, as Codable structs.
public struct SARIFLog: Codable, Sendable {
    public enum Level: String, Codable, Sendable { case none, note, warning, error }

    public struct Message: Codable, Sendable { public var text: String }
    public struct MultiformatMessage: Codable, Sendable { public var text: String }

    public struct ReportingDescriptor: Codable, Sendable {
        public var id: String
        public var name: String
        public var shortDescription: MultiformatMessage
        public var fullDescription: MultiformatMessage?
        public var help: MultiformatMessage?
        public var defaultConfiguration: Configuration
        public var properties: RuleProperties?
    }
    public struct Configuration: Codable, Sendable { public var level: Level }
    public struct RuleProperties: Codable, Sendable {
        public var kind: String
        public var ruleset: String?
        public var tags: [String]?
    }

    public struct Driver: Codable, Sendable {
        public var name: String
        public var version: String
        public var semanticVersion: String
        public var informationUri: String
        public var rules: [ReportingDescriptor]
    }
    public struct Tool: Codable, Sendable { public var driver: Driver }

    public struct ArtifactLocation: Codable, Sendable {
        public var uri: String
        public var index: Int?
    }
    public struct Region: Codable, Sendable {
        public var startLine: Int
        public var startColumn: Int
        public var endLine: Int
        public var endColumn: Int
        public var charOffset: Int
        public var charLength: Int
    }
    public struct PhysicalLocation: Codable, Sendable {
        public var artifactLocation: ArtifactLocation
        public var region: Region
    }
    public struct Location: Codable, Sendable {
        public var physicalLocation: PhysicalLocation
        public var message: Message?
    }
    public struct Suppression: Codable, Sendable {
        public var kind: String
        public var justification: String?
    }
    public struct ResultProperties: Codable, Sendable {
        public var status: String
        public var section: [String]
        public var values: [String: String]?
    }
    public struct Result: Codable, Sendable {
        public var ruleId: String
        public var ruleIndex: Int
        public var kind: String
        public var level: Level
        public var message: Message
        public var locations: [Location]?
        public var suppressions: [Suppression]?
        public var properties: ResultProperties?
    }
    public struct Artifact: Codable, Sendable {
        public var location: ArtifactLocation
        public var length: Int
        public var encoding: String
        public var hashes: [String: String]
    }
    public struct Invocation: Codable, Sendable {
        public var executionSuccessful: Bool
        public var endTimeUtc: String
    }
    public struct RuleSetProperty: Codable, Sendable {
        public var name: String
        public var version: String?
        public var sha256: String
    }
    public struct RunProperties: Codable, Sendable {
        public var schema: String
        public var published: String?
        public var asOf: String?
        public var rulesets: [RuleSetProperty]
        enum CodingKeys: String, CodingKey { case schema = "assayReportSchema", published, asOf, rulesets }
    }
    public struct Run: Codable, Sendable {
        public var tool: Tool
        public var invocations: [Invocation]
        public var artifacts: [Artifact]
        public var results: [Result]
        public var columnKind: String
        public var properties: RunProperties
    }

    public var schema: String
    public var version: String
    public var runs: [Run]

    enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
}
