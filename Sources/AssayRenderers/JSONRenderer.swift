import AssayExtraction
import AssayRules
import AssayValues

/// The canonical report: `assay.report/1`, keys in a fixed order, so two checks of the same input
/// differ only in `checked_at`.
public struct JSONRenderer: ReportRenderer {
    /// The JSON renderer; it has no settings.
    public init() {}
    /// Always `.json`.
    public var format: ReportFormat { .json }

    /// The report as pretty-printed JSON text, ending with a newline; the document and rule sets are not used.
    public func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String {
        String(decoding: renderBytes(report, document: document, ruleSets: ruleSets), as: UTF8.self)
    }

    /// Written straight into bytes: the daemon writes these to the outbox without making a String.
    public func renderBytes(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> [UInt8] {
        var out = Self.value(report).renderedBytes(pretty: true)
        out.append(0x0A)
        return out
    }

    /// A span as JSON: line, column, offset, length.
    public static func span(_ s: Span) -> JSONValue {
        .object([
            ("line", .int(s.line)), ("column", .int(s.column)), ("offset", .int(s.offset)), ("length", .int(s.length)),
        ])
    }

    /// The whole report as a JSON value: schema, assay_version, checked_at, document, rulesets, summary and
    /// outcomes, in that key order, then trends when the bulletin was compared with earlier ones; summary
    /// counts list every status and severity, zeros included.
    public static func value(_ r: Report) -> JSONValue {
        let d = r.document
        let summary = r.summary
        return .object(
            [
                ("schema", .string(Report.schema)),
                ("assay_version", .string(r.assayVersion)),
                ("checked_at", .string(r.checkedAt)),
                ("document", document(d)),
                (
                    "rulesets",
                    .array(
                        r.ruleSets.map { s in
                            .object([
                                ("name", .string(s.name)), ("version", .optional(s.version)), ("file", .string(s.file)),
                                ("sha256", .string(s.sha256)), ("rules", .int(s.rules)),
                                ("applies", .bool(s.notApplicable == nil)),
                                ("not_applicable", .optional(s.notApplicable)),
                            ])
                        })
                ),
                (
                    "summary",
                    .object([
                        ("outcomes", .int(summary.total)),
                        (
                            "by_status",
                            .object(OutcomeStatus.allCases.map { ($0.rawValue, .int(summary.byStatus[$0] ?? 0)) })
                        ),
                        (
                            "problems_by_severity",
                            .object(
                                Severity.allCases.reversed().map {
                                    ($0.rawValue, .int(summary.problemsBySeverity[$0] ?? 0))
                                })
                        ),
                    ])
                ),
                ("outcomes", .array(r.outcomes.map(outcome))),
            ] + (r.trends.isEmpty ? [] : [("trends", .array(r.trends.map(trend)))]))
    }

    /// A tally's trend: the tally and its points (bulletin, published, total, done, rate; null when not stated).
    public static func trend(_ t: Report.Trend) -> JSONValue {
        .object([
            ("tally", .string(t.tally)),
            (
                "points",
                .array(
                    t.points.map { p in
                        .object([
                            ("bulletin", .string(p.bulletin)), ("published", .optional(p.published)),
                            ("total", .optional(p.total)), ("done", .optional(p.done)), ("rate", .optional(p.rate)),
                        ])
                    })
            ),
        ])
    }

    /// The document's identity as JSON: name, sha256, size, format, encoding (of the text; `utf-8` for the
    /// text a converter extracted), published, published_source, as_of, lines, genre, issuer (null when
    /// unknown); then, only when there are any, previous (the bulletin compared with), pages, ocr_pages,
    /// metadata (key/value pairs in the file's order) and notes.
    public static func document(_ d: Report.DocumentIdentity) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("name", .string(d.name)), ("sha256", .string(d.sha256)), ("size", .int(d.size)),
            ("format", .string(d.format)), ("encoding", .string(d.encoding)), ("published", .optional(d.published)),
            ("published_source", .optional(d.publishedSource)), ("as_of", .optional(d.asOf)),
            ("lines", .int(d.lines)), ("genre", .string(d.genre)),
            (
                "issuer",
                d.issuer.map { i in
                    .object([
                        ("name", .string(i.name)), ("written", .string(i.written)), ("source", .string(i.source)),
                        ("series", .optional(i.series)), ("feedback", .optional(i.feedback)),
                    ])
                } ?? .null
            ),
        ]
        if let p = d.previous {
            pairs.append(
                (
                    "previous",
                    .object([
                        ("name", .string(p.name)), ("sha256", .string(p.sha256)), ("published", .optional(p.published)),
                    ])
                ))
        }
        if let pages = d.pages { pairs.append(("pages", .int(pages))) }
        if !d.ocrPages.isEmpty { pairs.append(("ocr_pages", .array(d.ocrPages.map { .int($0) }))) }
        if !d.metadata.isEmpty {
            pairs.append(
                (
                    "metadata",
                    .array(d.metadata.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) })
                ))
        }
        if !d.notes.isEmpty { pairs.append(("notes", .array(d.notes.map { .string($0) }))) }
        return .object(pairs)
    }

    /// One outcome as JSON: rule, title, kind, severity, status, message, section, values, evidence, then
    /// `basis` and `references` when the rule gives them, and `waiver` only for a waived outcome.
    /// Evidence gives `page` (and `ocr: true` when OCR read it) for paged formats.
    public static func outcome(_ o: Outcome) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("rule", .string(o.ruleID)), ("title", .string(o.title)), ("kind", .string(o.kind)),
            ("severity", .string(o.severity.rawValue)), ("status", .string(o.status.rawValue)),
            ("message", .string(o.message)), ("section", .array(o.section.map { .string($0) })),
            ("values", .object(o.values.map { ($0.name, .string($0.text)) })),
            (
                "evidence",
                .array(
                    o.evidence.map { e in
                        var pairs: [(String, JSONValue)] = [
                            ("role", .string(e.role)), ("text", .string(e.text)), ("sentence", .string(e.sentence)),
                            ("section", .array(e.section.map { .string($0) })), ("span", span(e.span)),
                        ]
                        if let page = e.page { pairs.append(("page", .int(page))) }
                        if e.ocr { pairs.append(("ocr", .bool(true))) }
                        return .object(pairs)
                    })
            ),
        ]
        if let b = o.basis { pairs.append(("basis", .string(b))) }
        if !o.references.isEmpty {
            pairs.append(
                (
                    "references",
                    .array(
                        o.references.map { r in
                            .object([("title", .string(r.title))] + (r.url.map { [("url", .string($0))] } ?? []))
                        })
                ))
        }
        if let w = o.waiver { pairs.append(("waiver", .string(w))) }
        return .object(pairs)
    }
}
