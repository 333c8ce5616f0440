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

    /// Written straight into bytes (`JSONWriter`, no tree): the daemon writes these to the outbox without
    /// making a String.
    public func renderBytes(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> [UInt8] {
        var w = JSONWriter(pretty: true)
        Self.write(report, into: &w)
        var out = w.bytes
        out.append(0x0A)
        return out
    }

    /// The report as one line of JSON (`--format jsonl`), without the newline.
    public static func compactBytes(_ report: Report) -> [UInt8] {
        var w = JSONWriter(pretty: false)
        write(report, into: &w)
        return w.bytes
    }

    /// A span: line, column, offset, length.
    static func write(_ s: Span, into w: inout JSONWriter) {
        w.beginObject()
        w.key("line"); w.int(s.line)
        w.key("column"); w.int(s.column)
        w.key("offset"); w.int(s.offset)
        w.key("length"); w.int(s.length)
        w.endObject()
    }

    /// The whole report: schema, assay_version, checked_at, document, rulesets, summary and outcomes, in
    /// that key order, then trends when the bulletin was compared with earlier ones; summary counts list
    /// every status and severity, zeros included.
    public static func write(_ r: Report, into w: inout JSONWriter) {
        let summary = r.summary
        w.beginObject()
        w.key("schema"); w.string(Report.schema)
        w.key("assay_version"); w.string(r.assayVersion)
        w.key("checked_at"); w.string(r.checkedAt)
        w.key("document"); write(r.document, into: &w)
        w.key("rulesets")
        w.beginArray()
        for s in r.ruleSets {
            w.beginObject()
            w.key("name"); w.string(s.name)
            w.key("version"); w.string(s.version)
            w.key("file"); w.string(s.file)
            w.key("sha256"); w.string(s.sha256)
            w.key("rules"); w.int(s.rules)
            w.key("applies"); w.bool(s.notApplicable == nil)
            w.key("not_applicable"); w.string(s.notApplicable)
            w.endObject()
        }
        w.endArray()
        w.key("summary")
        w.beginObject()
        w.key("outcomes"); w.int(summary.total)
        w.key("by_status")
        w.beginObject()
        for status in OutcomeStatus.allCases {
            w.key(string: status.rawValue); w.int(summary.byStatus[status] ?? 0)
        }
        w.endObject()
        w.key("problems_by_severity")
        w.beginObject()
        for severity in Severity.allCases.reversed() {
            w.key(string: severity.rawValue); w.int(summary.problemsBySeverity[severity] ?? 0)
        }
        w.endObject()
        w.endObject()
        w.key("outcomes")
        w.beginArray()
        for o in r.outcomes { write(o, into: &w) }
        w.endArray()
        if !r.trends.isEmpty {
            w.key("trends")
            w.beginArray()
            for t in r.trends { write(t, into: &w) }
            w.endArray()
        }
        w.endObject()
    }

    /// A tally's trend: the tally and its points (bulletin, published, total, done, rate; null when not stated).
    static func write(_ t: Report.Trend, into w: inout JSONWriter) {
        w.beginObject()
        w.key("tally"); w.string(t.tally)
        w.key("points")
        w.beginArray()
        for p in t.points {
            w.beginObject()
            w.key("bulletin"); w.string(p.bulletin)
            w.key("published"); w.string(p.published)
            w.key("total"); w.number(p.total)
            w.key("done"); w.number(p.done)
            w.key("rate"); w.number(p.rate)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    /// The document's identity: name, sha256, size, format, encoding (of the text; `utf-8` for the text a
    /// converter extracted), published, published_source, as_of, lines, genre, issuer (null when unknown);
    /// then, only when there are any, previous (the bulletin compared with), pages, ocr_pages, metadata
    /// (key/value pairs in the file's order) and notes.
    static func write(_ d: Report.DocumentIdentity, into w: inout JSONWriter) {
        w.beginObject()
        w.key("name"); w.string(d.name)
        w.key("sha256"); w.string(d.sha256)
        w.key("size"); w.int(d.size)
        w.key("format"); w.string(d.format)
        w.key("encoding"); w.string(d.encoding)
        w.key("published"); w.string(d.published)
        w.key("published_source"); w.string(d.publishedSource)
        w.key("as_of"); w.string(d.asOf)
        w.key("lines"); w.int(d.lines)
        w.key("genre"); w.string(d.genre)
        w.key("issuer")
        if let i = d.issuer {
            w.beginObject()
            w.key("name"); w.string(i.name)
            w.key("written"); w.string(i.written)
            w.key("source"); w.string(i.source)
            w.key("series"); w.string(i.series)
            w.key("feedback"); w.string(i.feedback)
            w.endObject()
        } else {
            w.null()
        }
        if let p = d.previous {
            w.key("previous")
            w.beginObject()
            w.key("name"); w.string(p.name)
            w.key("sha256"); w.string(p.sha256)
            w.key("published"); w.string(p.published)
            w.endObject()
        }
        if let pages = d.pages { w.key("pages"); w.int(pages) }
        if !d.ocrPages.isEmpty {
            w.key("ocr_pages")
            w.beginArray()
            for page in d.ocrPages { w.int(page) }
            w.endArray()
        }
        if !d.metadata.isEmpty {
            w.key("metadata")
            w.beginArray()
            for m in d.metadata {
                w.beginObject()
                w.key("key"); w.string(m.key)
                w.key("value"); w.string(m.value)
                w.endObject()
            }
            w.endArray()
        }
        if !d.notes.isEmpty {
            w.key("notes")
            w.beginArray()
            for note in d.notes { w.string(note) }
            w.endArray()
        }
        w.endObject()
    }

    /// One outcome: rule, title, kind, severity, status, message, section, values, evidence, then `basis`
    /// and `references` when the rule gives them, and `waiver` only for a waived outcome. Evidence gives
    /// `page` (and `ocr: true` when OCR read it) for paged formats.
    static func write(_ o: Outcome, into w: inout JSONWriter) {
        w.beginObject()
        w.key("rule"); w.string(o.ruleID)
        w.key("title"); w.string(o.title)
        w.key("kind"); w.string(o.kind)
        w.key("severity"); w.string(o.severity.rawValue)
        w.key("status"); w.string(o.status.rawValue)
        w.key("message"); w.string(o.message)
        w.key("section"); writeStrings(o.section, into: &w)
        w.key("values")
        w.beginObject()
        for v in o.values { w.key(string: v.name); w.string(v.text) }
        w.endObject()
        w.key("evidence")
        w.beginArray()
        for e in o.evidence {
            w.beginObject()
            w.key("role"); w.string(e.role)
            w.key("text"); w.string(e.text)
            w.key("sentence"); w.string(e.sentence)
            w.key("section"); writeStrings(e.section, into: &w)
            w.key("span"); write(e.span, into: &w)
            if let page = e.page { w.key("page"); w.int(page) }
            if e.ocr { w.key("ocr"); w.bool(true) }
            w.endObject()
        }
        w.endArray()
        if let b = o.basis { w.key("basis"); w.string(b) }
        if !o.references.isEmpty {
            w.key("references")
            w.beginArray()
            for r in o.references {
                w.beginObject()
                w.key("title"); w.string(r.title)
                if let url = r.url { w.key("url"); w.string(url) }
                w.endObject()
            }
            w.endArray()
        }
        if let waiver = o.waiver { w.key("waiver"); w.string(waiver) }
        w.endObject()
    }

    static func writeStrings(_ items: [String], into w: inout JSONWriter) {
        w.beginArray()
        for item in items { w.string(item) }
        w.endArray()
    }
}
