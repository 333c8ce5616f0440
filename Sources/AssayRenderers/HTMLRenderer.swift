import AssayExtraction
import AssayRules
import AssayValues
import Foundation

/// A report to open in a browser or print: one self-contained file (inline CSS and script, no external
/// assets) with a summary header, filters by severity and status, outcomes grouped by section, and the
/// bulletin's own text beside them with every evidence span highlighted and linked both ways.
///
/// Everything that comes from outside Assay's code — bulletin text, file names, rule titles and
/// messages — goes through `escape`, and a Content-Security-Policy admits only the report's own style
/// and script (by hash), so a hostile bulletin renders as text and runs nothing.
public struct HTMLRenderer: ReportRenderer {
    /// The HTML renderer; it has no settings.
    public init() {}
    /// Always `.html`.
    public var format: ReportFormat { .html }

    /// The HTML page as text (see `renderBytes`); without the document there is no bulletin pane.
    public func render(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> String {
        String(decoding: renderBytes(report, document: document, ruleSets: ruleSets), as: UTF8.self)
    }

    /// The report as UTF-8: the findings are put together as text, the bulletin pane (most of the
    /// file) is written straight into the bytes.
    public func renderBytes(_ report: Report, document: Document?, ruleSets: [RuleSet]) -> [UInt8] {
        let d = report.document
        let layout = ReportLayout(report)
        let e: (String) -> String = Self.escape
        var out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        out +=
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src '\(Self.styleHash)'; script-src '\(Self.scriptHash)'\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"generator\" content=\"assay \(e(report.assayVersion))\">\n"
        out += "<title>Assay findings: \(e(d.name))</title>\n<style>\(Self.style)</style>\n</head>\n<body>\n"

        // Summary header.
        out +=
            "<header class=\"summary\">\n<h1>Assay findings: <span class=\"docname\">\(e(d.name))</span></h1>\n<dl class=\"identity\">\n"
        out += "<dt>Published</dt><dd>\(e(d.publishedText))</dd>\n"
        out += "<dt>As of</dt><dd>\(e(d.asOf ?? "unknown"))</dd>\n"
        out += "<dt>Genre</dt><dd>\(e(d.genre))</dd>\n"
        out += "<dt>Issuer</dt><dd>\(e(d.issuer?.text ?? "unknown"))</dd>\n"
        if let p = d.previous {
            out += "<dt>Compared with</dt><dd>\(e(p.name)) (published \(e(p.published ?? "unknown")))</dd>\n"
        }
        out +=
            "<dt>File</dt><dd>\(e(d.format == SourceFormat.text.rawValue ? d.encoding : d.formatText)), \(d.size) bytes, \(d.lines) lines, sha256 <code>\(e(d.sha256))</code></dd>\n"
        if !d.notes.isEmpty { out += "<dt>Conversion</dt><dd>\(e(d.notes.joined(separator: "; ")))</dd>\n" }
        for s in report.ruleSets {
            out +=
                "<dt>Rule set</dt><dd>\(e(s.name))\(s.version.map { " " + e($0) } ?? "") — \(s.notApplicable.map { "not applicable: " + e($0) } ?? "\(s.rules) rules"), \(e(s.file)), sha256 <code>\(e(String(s.sha256.prefix(12))))</code></dd>\n"
        }
        out += "<dt>Checked</dt><dd>\(e(report.checkedAt)) by Assay \(e(report.assayVersion))</dd>\n</dl>\n"
        out += "<table class=\"counts\">\n<thead><tr><th>Severity</th>"
        out += ReportLayout.statusColumns.map { "<th>\($0.rawValue)</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for sev in Severity.allCases.reversed() {
            out += "<tr class=\"sev-\(sev.rawValue)\"><th>\(sev.rawValue)</th>"
            out +=
                ReportLayout.statusColumns.map { "<td>\(ReportLayout.count(report, sev, $0))</td>" }.joined()
                + "</tr>\n"
        }
        let summary = report.summary
        out +=
            "<tr class=\"total\"><th>total</th>"
            + ReportLayout.statusColumns.map { "<td>\(summary.byStatus[$0] ?? 0)</td>" }.joined()
        out += "</tr>\n</tbody>\n</table>\n"
        if !report.trends.isEmpty {
            out += "<section class=\"trends\"><h2>Over the series</h2>\n"
            for t in report.trends { out += Self.trendFigure(t) }
            out += "</section>\n"
        }
        out += "<form class=\"filters\">\n<fieldset><legend>Severity</legend>"
        for sev in Severity.allCases.reversed() {
            out +=
                "<label><input type=\"checkbox\" name=\"severity\" value=\"\(sev.rawValue)\" checked> \(sev.rawValue)</label>"
        }
        out += "</fieldset>\n<fieldset><legend>Status</legend>"
        for st in ReportLayout.statusColumns {
            out +=
                "<label><input type=\"checkbox\" name=\"status\" value=\"\(st.rawValue)\" checked> \(st.rawValue)</label>"
        }
        out += "</fieldset>\n</form>\n</header>\n"

        // Findings.
        out += "<main>\n<section class=\"findings\">\n<h2>Findings</h2>\n"
        if layout.groups.isEmpty { out += "<p class=\"none\">No problems found.</p>\n" }
        let linked = document != nil
        for group in layout.groups {
            out += "<section class=\"group\">\n<h3>\(e(group.title))</h3>\n"
            for (i, o) in group.outcomes { out += outcome(o, index: i, documentName: d.name, linked: linked) }
            out += "</section>\n"
        }
        out += "<section class=\"group passes\">\n<h3>Passed (\(layout.passes.count))</h3>\n<ul>\n"
        for (i, o) in layout.passes {
            out +=
                "<li class=\"outcome st-pass\" id=\"o-\(i)\" data-severity=\"\(o.severity.rawValue)\" data-status=\"pass\">"
            out += "<code>\(e(o.ruleID))</code> \(e(o.title))"
            if !o.section.isEmpty { out += " <span class=\"where\">\(e(o.section.joined(separator: " › ")))</span>" }
            if linked {
                out += o.evidence.indices.map { k in
                    " <a href=\"#ev-\(i)-\(k)\">\(o.evidence[k].span.line):\(o.evidence[k].span.column)</a>"
                }.joined()
            }
            out += "</li>\n"
        }
        out += "</ul>\n</section>\n</section>\n"

        var bytes = [UInt8]()
        bytes.reserveCapacity(out.utf8.count + 8 * (document?.count ?? 0) + Self.script.utf8.count + 64)
        bytes.append(contentsOf: out.utf8)
        if let document {
            bytes.append(
                contentsOf: "<section class=\"bulletin\">\n<h2>Bulletin text</h2>\n<div class=\"text\">\n".utf8)
            Self.bulletin(document, report: report, into: &bytes)
            bytes.append(contentsOf: "</div>\n</section>\n".utf8)
        }
        bytes.append(contentsOf: "</main>\n<script>\(Self.script)</script>\n</body>\n</html>\n".utf8)
        return bytes
    }

    /// One outcome as an `<article id="o-i">` with its status, severity, rule, title, message, values, basis,
    /// references and evidence; `linked` makes evidence link to its highlight in the bulletin pane.
    package func outcome(_ o: Outcome, index i: Int, documentName: String, linked: Bool) -> String {
        let e: (String) -> String = Self.escape
        var out = "<article class=\"outcome sev-\(o.severity.rawValue) st-\(o.status.rawValue)\" id=\"o-\(i)\" "
        out += "data-severity=\"\(o.severity.rawValue)\" data-status=\"\(o.status.rawValue)\">\n"
        out +=
            "<header><span class=\"badge\">\(o.status.rawValue.uppercased())</span> <span class=\"sev\">\(o.severity.rawValue)</span> "
        out += "<code>\(e(o.ruleID))</code> <span class=\"title\">\(e(o.title))</span></header>\n"
        out += "<p class=\"message\">\(e(o.message))</p>\n"
        if !o.values.isEmpty {
            out +=
                "<p class=\"values\">"
                + o.values.map { "<span>\(e($0.name)) = \(e($0.text))</span>" }.joined(separator: " ") + "</p>\n"
        }
        if let w = o.waiver { out += "<p class=\"waiver\">Waived: \(e(w))</p>\n" }
        if let b = o.basis { out += "<p class=\"basis\">Basis: \(e(b))</p>\n" }
        if !o.references.isEmpty {
            out +=
                "<p class=\"references\">References: "
                + o.references.map { r in
                    r.url.map { "<a href=\"\(e($0))\" rel=\"noreferrer\">\(e(r.title))</a>" } ?? e(r.title)
                }.joined(separator: ", ") + "</p>\n"
        }
        if !o.evidence.isEmpty {
            out += "<ul class=\"evidence\">\n"
            for (k, ev) in o.evidence.enumerated() {
                let place = "\(e(documentName)):\(ev.span.line):\(ev.span.column)"
                out += "<li>" + (linked ? "<a href=\"#ev-\(i)-\(k)\">\(place)</a>" : place)
                out += " <span class=\"role\">\(e(ev.role))</span> “\(e(ev.text))”"
                if !ev.section.isEmpty {
                    out += " <span class=\"where\">\(e(ev.section.joined(separator: " › ")))</span>"
                }
                out += "<blockquote>\(e(ev.sentence))</blockquote></li>\n"
            }
            out += "</ul>\n"
        }
        return out + "</article>\n"
    }

    /// The bulletin line by line, every evidence span inside `<mark id="ev-O-E">` linking to its outcome `o-O`.
    /// Overlapping spans are cut at every boundary; each piece links to the first outcome covering it.
    package static func bulletin(_ document: Document, report: Report, into out: inout [UInt8]) {
        var marks = [TextMark]()
        for (i, o) in report.outcomes.enumerated() {
            let title = o.ruleID + ": " + o.message
            for (k, ev) in o.evidence.enumerated() {
                marks.append(
                    TextMark(
                        id: "ev-\(i)-\(k)", target: "o-\(i)", title: title,
                        range: ev.span.offset..<max(ev.span.offset, ev.span.end),
                        problem: o.status == .pass ? nil : o.severity))
            }
        }
        markedLines(document.scalars, lineStarts: document.lineStarts, marks: marks, into: &out)
    }

    /// A piece of text to mark: its element id, the anchor it links to (`#target`), the link's title, the
    /// scalar offsets it covers, and the severity of the problem it is evidence of (nil for a pass).
    package struct TextMark: Sendable {
        /// The `id` of the `<mark>` (or of a `<span>` inside a mark another evidence opened).
        package var id: String
        /// The anchor the mark links to, without `#`.
        package var target: String
        /// The link's title (the rule and message), escaped when written.
        package var title: String
        /// The scalar offsets covered (empty: a pointer at the offset).
        package var range: Range<Int>
        /// The problem's severity, which colours the mark; nil for a pass.
        package var problem: Severity?

        /// A mark.
        package init(id: String, target: String, title: String, range: Range<Int>, problem: Severity?) {
            self.id = id
            self.target = target
            self.title = title
            self.range = range
            self.problem = problem
        }
    }

    /// Text line by line (`<div class="line" id="Ln">` with its number), every mark's range inside a
    /// `<mark>` linking to its target. Overlapping ranges are cut at every boundary; each piece links to the
    /// first mark covering it. Offsets beyond the text are clipped to it. Shared by the HTML report and the
    /// review's bulletin page.
    package static func markedLines(
        _ scalars: [Unicode.Scalar], lineStarts: [Int], marks unclipped: [TextMark], into out: inout [UInt8]
    ) {
        let count = scalars.count
        let marks = unclipped.map { m -> TextMark in
            var m = m
            let lo = min(max(0, m.range.lowerBound), count)
            m.range = lo..<min(max(lo, m.range.upperBound), count)
            return m
        }
        var cuts = Set(lineStarts)
        cuts.insert(count)
        for m in marks { cuts.insert(m.range.lowerBound); cuts.insert(m.range.upperBound) }
        let sortedCuts = cuts.sorted()
        var placed = Set<String>()
        var firstCut = 0  // lines come in order, so the first cut at or after a line's start only moves on
        for (n, start) in lineStarts.enumerated() {
            let next = n + 1 < lineStarts.count ? lineStarts[n + 1] : count
            var end = next
            if end > start, scalars[end - 1] == "\n" { end -= 1 }
            if end > start, scalars[end - 1] == "\r" { end -= 1 }
            out.append(contentsOf: "<div class=\"line\" id=\"L".utf8)
            JSONValue.writeInteger(n + 1, into: &out)
            out.append(contentsOf: "\"><span class=\"ln\">".utf8)
            JSONValue.writeInteger(n + 1, into: &out)
            out.append(contentsOf: "</span><span class=\"lt\">".utf8)
            // Zero-length marks and pieces of this line between cuts.
            var pieces = [Range<Int>]()
            while firstCut < sortedCuts.count, sortedCuts[firstCut] < start { firstCut += 1 }
            var lo = firstCut
            var from = start
            while lo < sortedCuts.count, sortedCuts[lo] <= end {
                if sortedCuts[lo] > from { pieces.append(from..<sortedCuts[lo]); from = sortedCuts[lo] }
                lo += 1
            }
            if from < end { pieces.append(from..<end) }
            if pieces.isEmpty { pieces.append(start..<start) }
            for piece in pieces {
                // Marks with no length sit at their offset as a small pointer.
                for m in marks where m.range.isEmpty && m.range.lowerBound == piece.lowerBound && !placed.contains(m.id)
                {
                    placed.insert(m.id)
                    out.append(
                        contentsOf: ("<mark id=\"\(m.id)\" class=\"point \(markClass([m]))\"><a href=\"#\(m.target)\">▸</a></mark>")
                            .utf8)
                }
                guard !piece.isEmpty else { continue }
                let covering = marks.filter {
                    !$0.range.isEmpty && $0.range.lowerBound <= piece.lowerBound
                        && piece.upperBound <= $0.range.upperBound
                }
                if covering.isEmpty { escape(ScalarText.string(scalars[piece]), into: &out); continue }
                let starting = covering.filter { !placed.contains($0.id) }
                for m in starting { placed.insert(m.id) }
                let idAttr = starting.first.map { " id=\"\($0.id)\"" } ?? ""
                let targets = covering.map(\.target).uniqued()
                out.append(
                    contentsOf: ("<mark\(idAttr) class=\"\(markClass(covering))\" data-outcomes=\"\(targets.joined(separator: " "))\">")
                        .utf8)
                out.append(contentsOf: starting.dropFirst().map { "<span id=\"\($0.id)\"></span>" }.joined().utf8)
                let first = covering[0]
                out.append(contentsOf: "<a href=\"#\(first.target)\" title=\"\(escape(first.title))\">".utf8)
                escape(ScalarText.string(scalars[piece]), into: &out)
                out.append(contentsOf: "</a>".utf8)
                // Evidence that starts here under another outcome's mark still links back to its outcome.
                var linked: Set<String> = [first.target]
                for other in starting where linked.insert(other.target).inserted {
                    out.append(
                        contentsOf: ("<a class=\"also\" href=\"#\(other.target)\" title=\"\(escape(other.title))\">◦</a>")
                            .utf8)
                }
                out.append(contentsOf: ("</mark>").utf8)
            }
            out.append(contentsOf: ("</span></div>\n").utf8)
        }

        func markClass(_ ms: [TextMark]) -> String {
            if let worst = ms.compactMap(\.problem).max() { return "sev-\(worst.rawValue)" }
            return "st-pass"
        }
    }

    /// Text safe in HTML content and in quoted attribute values: `& < > " '` become character references,
    /// and control and bidi characters become visible `[U+XXXX]` markers (`VisibleText`).
    public static func escape(_ s: String) -> String {
        var out = [UInt8]()
        escape(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes HTML text may need to escape: `& < > " '`, and the lead bytes of control and bidi characters
    /// (C0, DEL, C1 after C2, U+061C after D8, U+2000–U+206F after E2).
    @inline(__always) private static func mayNeedEscape(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): return true
        case 0x00...0x1F, 0x7F, 0xC2, 0xD8, 0xE2: return true
        default: return false
        }
    }

    /// `escape` written into UTF-8 bytes (the bulletin pane writes the text straight into the report).
    package static func escape(_ s: String, into out: inout [UInt8]) {
        escapeUTF8(s, into: &out, mayEscape: mayNeedEscape) { b, i, out in
            let c = b[i]
            let replacement: String
            switch c {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            default:
                // Decode this one scalar and ask VisibleText whether it is shown as a marker.
                let width = c < 0x80 ? 1 : c < 0xE0 ? 2 : 3
                guard i + width <= b.count,
                    let u = String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + width)]), as: UTF8.self)
                        .unicodeScalars.first,
                    VisibleText.isShownAsEscape(u)
                else { return 0 }
                out.append(contentsOf: VisibleText.marker(u).utf8)
                return width
            }
            out.append(contentsOf: replacement.utf8)
            return 1
        }
    }

    /// The CSP sources of the inline style and script, computed once.
    /// A tally's trend as a figure: an inline SVG (no script, no external asset; drawn with presentation
    /// attributes, which the page's style policy does not govern) with the total dashed and the done count
    /// solid on one scale, a point per bulletin, and a table of the figures beside it for print and screen
    /// readers.
    package static func trendFigure(_ t: Report.Trend) -> String {
        let e: (String) -> String = Self.escape
        let w = 240.0
        let h = 64.0
        let pad = 8.0
        let values = t.points.flatMap { [$0.total, $0.done] }.compactMap { $0 }.map {
            NSDecimalNumber(decimal: $0).doubleValue
        }
        let top = max(values.max() ?? 1, 1)
        let n = t.points.count
        func x(_ i: Int) -> Double { n == 1 ? w / 2 : pad + (w - 2 * pad) * Double(i) / Double(n - 1) }
        func y(_ v: Decimal) -> Double { h - pad - (h - 2 * pad) * NSDecimalNumber(decimal: v).doubleValue / top }
        func line(_ pick: (Report.Trend.Point) -> Decimal?) -> String {
            t.points.enumerated().compactMap { i, p in pick(p).map { String(format: "%.1f,%.1f", x(i), y($0)) } }
                .joined(separator: " ")
        }
        func fmt(_ d: Decimal?) -> String { d.map { "\($0)" } ?? "–" }
        var svg =
            "<svg class=\"trend\" role=\"img\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\">"
        svg += "<title>\(e(t.tally)): done and total over \(n) bulletins</title>"
        svg +=
            "<polyline points=\"\(line { $0.total })\" fill=\"none\" stroke=\"#888\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>"
        svg += "<polyline points=\"\(line { $0.done })\" fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"2\"/>"
        for (i, p) in t.points.enumerated() {
            if let d = p.done {
                svg +=
                    "<circle cx=\"\(String(format: "%.1f", x(i)))\" cy=\"\(String(format: "%.1f", y(d)))\" r=\"2.5\" fill=\"#2e7d32\"><title>\(e(p.bulletin)): done \(d)</title></circle>"
            }
        }
        svg += "</svg>"
        var table =
            "<table class=\"trend\"><thead><tr><th>bulletin</th><th>published</th><th>total</th><th>done</th><th>rate</th></tr></thead><tbody>"
        for p in t.points {
            table +=
                "<tr><td>\(e(p.bulletin))</td><td>\(e(p.published ?? "unknown"))</td><td>\(fmt(p.total))</td><td>\(fmt(p.done))</td><td>\(p.rate.map { "\($0)%" } ?? "–")</td></tr>"
        }
        table += "</tbody></table>"
        return "<figure class=\"trend\">\(svg)<figcaption>\(e(t.tally))</figcaption>\(table)</figure>\n"
    }

    static let styleHash = hash(style)
    static let scriptHash = hash(script)

    /// A CSP source for inline text: 'sha256-<base64>'.
    package static func hash(_ inline: String) -> String {
        "sha256-" + Data(SHA256.digest(Array(inline.utf8))).base64EncodedString()
    }

    static let style = """

        :root { --error: #b3261e; --warning: #a15c00; --info: #1d5fa8; --pass: #2e7d32; --muted: #666; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.55 system-ui, "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1a1a1a; background: #fafafa; }
        header.summary { padding: 12px 20px; background: #fff; border-bottom: 1px solid #ddd; }
        h1 { font-size: 20px; margin: 0 0 8px; }
        h2 { font-size: 17px; margin: 0 0 8px; }
        h3 { font-size: 15px; margin: 14px 0 6px; padding-bottom: 2px; border-bottom: 1px solid #ddd; }
        dl.identity { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 10px; font-size: 13px; }
        dl.identity dt { color: var(--muted); }
        dl.identity dd { margin: 0; overflow-wrap: anywhere; }
        table.counts { border-collapse: collapse; font-size: 13px; margin-bottom: 8px; }
        table.counts th, table.counts td { border: 1px solid #ccc; padding: 2px 10px; text-align: right; }
        table.counts th:first-child { text-align: left; }
        table.counts tr.total { font-weight: bold; }
        section.trends { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: flex-start; margin-bottom: 8px; }
        section.trends h2 { flex-basis: 100%; font-size: 15px; margin: 4px 0 0; }
        figure.trend { margin: 0; font-size: 12px; }
        figure.trend figcaption { color: var(--muted); }
        table.trend { border-collapse: collapse; margin-top: 4px; }
        table.trend th, table.trend td { border: 1px solid #ddd; padding: 1px 6px; text-align: right; }
        form.filters { display: flex; gap: 16px; flex-wrap: wrap; font-size: 13px; }
        form.filters fieldset { border: 1px solid #ccc; padding: 2px 10px; margin: 0; }
        form.filters label { margin-right: 10px; }
        main { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 20px; padding: 12px 20px; }
        .outcome { background: #fff; border: 1px solid #ddd; border-left: 4px solid var(--info); border-radius: 4px; padding: 6px 10px; margin: 6px 0; }
        .outcome.sev-error { border-left-color: var(--error); }
        .outcome.sev-warning { border-left-color: var(--warning); }
        .outcome.st-waived { border-left-style: dashed; opacity: .85; }
        .outcome:target { outline: 3px solid #ffb300; }
        .badge { font-weight: bold; font-size: 12px; }
        .sev-error .badge, .sev-error .sev { color: var(--error); }
        .sev-warning .badge, .sev-warning .sev { color: var(--warning); }
        .sev-info .badge, .sev-info .sev { color: var(--info); }
        .sev { font-size: 12px; }
        .message { margin: 4px 0; }
        .values, .waiver, .where, .role { color: var(--muted); font-size: 13px; }
        .values span { margin-right: 10px; }
        ul.evidence { margin: 4px 0; padding-left: 18px; font-size: 13px; }
        blockquote { margin: 2px 0 6px; padding-left: 8px; border-left: 3px solid #ccc; color: #333; }
        .passes ul { padding-left: 18px; font-size: 13px; }
        .passes li.outcome { border: 0; background: none; padding: 0; margin: 2px 0; list-style: "✓ "; }
        .bulletin .text { position: sticky; top: 0; max-height: 100vh; overflow: auto; background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: 8px 0; }
        .line { display: flex; white-space: pre-wrap; overflow-wrap: anywhere; }
        .line:target { background: #fff3c4; }
        .ln { flex: 0 0 3em; text-align: right; padding-right: 8px; color: #999; user-select: none; font-size: 12px; }
        .lt { flex: 1; padding-right: 8px; }
        mark { background: #dbe8f8; border-radius: 2px; }
        mark.sev-error { background: #f9d6d3; }
        mark.sev-warning { background: #ffe7b3; }
        mark.st-pass { background: #dcefdc; }
        mark.dim { background: none; text-decoration: underline dotted #999; }
        mark:target { outline: 2px solid #ffb300; }
        mark a { color: inherit; text-decoration: none; }
        [hidden] { display: none !important; }
        @media (max-width: 900px) { main { grid-template-columns: 1fr; } .bulletin .text { position: static; max-height: none; } }
        @media print {
          body { background: #fff; font-size: 11pt; }
          form.filters { display: none; }
          main { display: block; padding: 0; }
          .bulletin { break-before: page; }
          .bulletin .text { position: static; max-height: none; overflow: visible; border: 0; }
          .outcome { break-inside: avoid; }
          mark, .outcome { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          a { color: inherit; text-decoration: none; }
        }

        """

    static let script = """

        (function () {
          var boxes = Array.prototype.slice.call(document.querySelectorAll('form.filters input'));
          function apply() {
            var on = {};
            boxes.forEach(function (b) { on[b.name + ':' + b.value] = b.checked; });
            document.querySelectorAll('.outcome').forEach(function (o) {
              o.hidden = !(on['severity:' + o.dataset.severity] && on['status:' + o.dataset.status]);
            });
            document.querySelectorAll('section.group').forEach(function (g) {
              g.hidden = !g.querySelector('.outcome:not([hidden])');
            });
            document.querySelectorAll('mark[data-outcomes]').forEach(function (m) {
              var shown = m.dataset.outcomes.split(' ').some(function (id) {
                var o = document.getElementById(id); return o && !o.hidden;
              });
              m.classList.toggle('dim', !shown);
            });
          }
          boxes.forEach(function (b) { b.addEventListener('change', apply); });
          apply();
        })();

        """
}
