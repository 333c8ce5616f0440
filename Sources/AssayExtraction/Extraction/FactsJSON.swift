import AssayValues
import Foundation

/// The `assay facts --format json` contract (documented at the top of the `score-facts` tool):
/// source, sha256, encoding, dates, sections and facts, keys in a fixed order. Money facts add `amount`
/// (the number as written) and `currency` (ISO 4217: CNY, USD, EUR, GBP, HKD, JPY).
public enum FactsJSON {
    /// The whole facts JSON of a document: source, sha256, encoding, dates, sections, facts and tallies,
    /// in that key order; `format` (and `pages` for a paged one) after `encoding` for a file other than text.
    public static func render(document: Document, extraction: Extraction) -> JSONValue {
        let source = document.decoded.source
        var format = [(String, JSONValue)]()
        if source.format != .text { format.append(("format", .string(source.format.rawValue))) }
        if !source.pageStarts.isEmpty { format.append(("pages", .int(source.pageStarts.count))) }
        return .object(
            [
                ("source", .string(document.name)),
                ("sha256", .string(document.decoded.sha256)),
                ("encoding", .string(document.decoded.encoding.rawValue)),
            ] + format + [
                (
                    "dates",
                    .object([
                        ("published", .optional(extraction.dates.published)),
                        ("published_source", .optional(extraction.dates.publishedSource?.rawValue)),
                        ("as_of", .optional(extraction.dates.asOf)),
                    ])
                ),
                (
                    "sections",
                    .array(
                        document.sections.map { section in
                            .object([
                                ("path", .array(section.path.map { .string($0) })), ("title", .string(section.title)),
                                ("level", .int(section.level)), ("span", span(section.span)),
                            ])
                        })
                ),
                ("facts", .array(extraction.facts.map(fact))),
                ("tallies", .array(extraction.tallies.map(tally))),
            ])
    }

    /// One fact as JSON: kind, text, value, unit, then (money only) amount and currency, then approx, label,
    /// section, span, role and tally; absent optional values are null. `ocr: true` follows only for a figure
    /// read by OCR.
    public static func fact(_ f: Fact) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("kind", .string(f.kind.rawValue)), ("text", .string(f.text)), ("value", value(f.value)),
            ("unit", .optional(f.unit)),
        ]
        if f.kind == .money {
            pairs += [("amount", .optional(f.amount)), ("currency", .optional(f.currency?.rawValue))]
        }
        pairs += [
            ("approx", .optional(f.approx)), ("label", .optional(f.label)),
            ("section", .array(f.section.map { .string($0) })), ("span", span(f.span)),
            ("role", .optional(f.role?.rawValue)), ("tally", .optional(f.tally)),
        ]
        if f.ocr { pairs.append(("ocr", .bool(true))) }
        return .object(pairs)
    }

    /// A tally: id, subject, parent (for a 其中 breakdown), doubts, and members as indexes into `facts`
    /// with their role (null for a category of a breakdown) and, for a rate, the member it is a share of.
    public static func tally(_ t: Tally) -> JSONValue {
        .object([
            ("id", .string(t.id)), ("subject", .string(t.subject.rawValue)), ("parent", .optional(t.parent)),
            ("doubts", .array(t.doubts.map { .string($0) })),
            (
                "members",
                .array(
                    t.members.map { m in
                        .object([
                            ("fact", .int(m.fact)), ("role", .optional(m.role?.rawValue)),
                            ("of", m.of.map { .int($0) } ?? .null),
                        ])
                    })
            ),
        ])
    }

    /// Numbers as JSON numbers, dates as strings, ranges {start, end}, durations "P3Y",
    /// periods {duration, start, end}, unresolved as null.
    public static func value(_ v: FactValue) -> JSONValue {
        switch v {
        case .number(let d): return .number(d)
        case .date(let s): return .string(s)
        case .range(let a, let b): return .object([("start", .string(a)), ("end", .string(b))])
        case .duration(let d): return .string(d)
        case .period(let d, let a, let b):
            return .object([("duration", .string(d)), ("start", .string(a)), ("end", .string(b))])
        case .unresolved: return .null
        }
    }

    /// A span as JSON: line, column, offset, length.
    public static func span(_ s: Span) -> JSONValue {
        .object([
            ("line", .int(s.line)), ("column", .int(s.column)), ("offset", .int(s.offset)), ("length", .int(s.length)),
        ])
    }
}

/// A human-readable, column-aligned table of the facts: where, what kind, text, value, unit, approx,
/// label and section. Widths count CJK characters as two columns so the table lines up in a terminal.
public enum FactsTable {
    /// The facts of a document as a table: a summary line (name, fact count, published and as-of dates),
    /// a header line, then one line per fact in the order of `Extraction.facts`.
    public static func render(document: Document, extraction: Extraction) -> String {
        let header = ["where", "kind", "text", "value", "unit", "approx", "label", "section", "role"]
        var rows = [header]
        for f in extraction.facts {
            rows.append([
                "\(f.span.line):\(f.span.column)", f.kind.rawValue, f.text, valueText(f.value), f.unit ?? "",
                f.approx ?? "", f.label ?? "", f.section.joined(separator: " › "),
                f.tally.map { "\(f.role?.rawValue ?? "part") \($0)" } ?? "",
            ])
        }
        // Long texts, values, labels and sections are cut to a column's share with "…", so that a table
        // fits a terminal of about 120 columns (the JSON has them whole).
        for r in rows.indices.dropFirst() {
            for (i, limit) in maxWidths where width(rows[r][i]) > limit { rows[r][i] = clip(rows[r][i], limit) }
        }
        var widths = [Int](repeating: 0, count: header.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], width(c)) } }
        let source =
            extraction.dates.publishedSource.map { " (from \($0.rawValue.replacingOccurrences(of: "-", with: " ")))" }
            ?? ""
        var out =
            "\(document.name): \(extraction.facts.count) facts; published \(extraction.dates.published ?? "-")\(source), "
            + "as of \(extraction.dates.asOf ?? "-")\n"
        for r in rows {
            var line = ""
            for (i, c) in r.enumerated() {
                line += c
                if i < r.count - 1 { line += String(repeating: " ", count: widths[i] - width(c) + 2) }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// The widest each long column may be, by column index: text, value, label, section.
    static let maxWidths = [(2, 16), (3, 16), (6, 24), (7, 18)]

    /// `s` cut to at most `limit` display columns, the last of them "…".
    static func clip(_ s: String, _ limit: Int) -> String {
        var out = ""
        var w = 0
        for c in s {
            let cw = width(String(c))
            guard w + cw <= limit - 1 else { break }
            out.append(c)
            w += cw
        }
        return out + "…"
    }

    static func valueText(_ v: FactValue) -> String {
        switch v {
        case .number(let d): return JSONValue.format(d)
        case .date(let s), .duration(let s): return s
        case .range(let a, let b): return "\(a)/\(b)"
        case .period(let d, let a, let b): return "\(d) \(a)/\(b)"
        case .unresolved: return "?"
        }
    }

    /// Display width: East Asian wide characters take two columns.
    package static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}
