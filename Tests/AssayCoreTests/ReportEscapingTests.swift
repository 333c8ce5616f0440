import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// A hostile bulletin — markup, an attribute break-out, control characters and bidi overrides in its
/// text, its file name and the messages — must render as inert text in HTML and Markdown.
@Suite("Report escaping")
struct ReportEscapingTests {
    static let hostileName = "\"><img src=x onerror=alert(1)>.txt"
    static let hostileText =
        "市审计局:<script>alert(1)</script>\n一是\"><img src=x onerror=alert('x')>整改率达79%。\u{7}\u{202E}txt.exe\u{2066}\n"

    /// A document and a report whose outcome quotes the `<script>` element and the image tag.
    static func hostile() -> (Document, Report) {
        let decoded = DecodedText(
            string: hostileText, encoding: .utf8, sha256: SHA256.hex(Array(hostileText.utf8)),
            byteCount: hostileText.utf8.count)
        let document = Document(name: hostileName, decoded: decoded)
        let scalars = Array(hostileText.unicodeScalars)
        func range(of s: String) -> Range<Int> {
            let needle = Array(s.unicodeScalars)
            let start = (0...(scalars.count - needle.count)).first {
                Array(scalars[$0..<($0 + needle.count)]) == needle
            }!
            return start..<(start + needle.count)
        }
        let script = range(of: "<script>alert(1)</script>")
        let image = range(of: "\"><img src=x onerror=alert('x')>")
        let outcome = Outcome(
            ruleID: "no-markup", title: "<b>title</b>", kind: "forbid", severity: .error, status: .fail,
            message: "found <script> & \"quotes\" \u{202E}here", section: ["<i>sec</i>"],
            values: [NamedValue("found", "<script>")],
            evidence: [
                Evidence(
                    role: "found", text: document.text(script), sentence: document.line(1), section: ["市审计局"],
                    span: document.span(script)),
                Evidence(
                    role: "found", text: document.text(image), sentence: document.line(2), section: ["市审计局"],
                    span: document.span(image)),
            ])
        let identity = Report.DocumentIdentity(
            name: hostileName, sha256: decoded.sha256, size: decoded.byteCount,
            encoding: "utf-8", published: nil, asOf: nil, lines: document.lineStarts.count)
        let report = Report(
            checkedAt: "2021-01-06T00:00:00Z", document: identity,
            ruleSets: [
                .init(name: "<rs>", version: "1", file: "<rs>.yml", sha256: String(repeating: "0", count: 64), rules: 1)
            ],
            outcomes: [outcome])
        return (document, report)
    }

    @Test(
        "HTML escape: markup characters become character references",
        arguments: [
            ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("\"><img src=x onerror=alert('x')>", "&quot;&gt;&lt;img src=x onerror=alert(&#39;x&#39;)&gt;"),
            ("&amp; R&D", "&amp;amp; R&amp;D"),
            ("整改率达79%", "整改率达79%"),
        ])
    func htmlMarkup(input: String, expected: String) {
        #expect(HTMLRenderer.escape(input) == expected)
    }

    @Test("HTML escape: control and bidi characters become visible markers; line feed and tab stay")
    func htmlControls() {
        #expect(
            HTMLRenderer.escape("a\u{7}b\u{202E}c\u{2066}d\r\n\te\u{0}\u{7F}\u{85}\u{9F}\u{1B}[31m")
                == "a[U+0007]b[U+202E]c[U+2066]d[U+000D]\n\te[U+0000][U+007F][U+0085][U+009F][U+001B][31m")
        #expect(
            HTMLRenderer.escape("\u{202A}\u{202B}\u{202C}\u{202D}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}")
                == "[U+202A][U+202B][U+202C][U+202D][U+2067][U+2068][U+2069][U+200E][U+200F]")
    }

    @Test(
        "Markdown escape: inline markup is backslash-escaped, controls are visible",
        arguments: [
            ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
            ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
            ("a & b | *c* _d_ `e`", "a &amp; b \\| \\*c\\* \\_d\\_ \\`e\\`"),
            // Markers' brackets are escaped too, so a marker can never open a link: renders as "a[U+202E]b c[U+0007]".
            ("a\u{202E}b\nc\u{7}", "a\\[U+202E\\]b c\\[U+0007\\]"),
        ])
    func markdown(input: String, expected: String) {
        #expect(MarkdownRenderer.escape(input) == expected)
    }

    @Test("a hostile bulletin renders as inert HTML")
    func hostileHTML() {
        let (document, report) = Self.hostile()
        let html = HTMLRenderer().render(report, document: document, ruleSets: [])
        // Only the report's own script element, no image, no raw control or bidi character.
        #expect(html.components(separatedBy: "<script").count == 2)
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>") && !html.contains("<i>"))
        #expect(!html.unicodeScalars.contains { VisibleText.isShownAsEscape($0) && $0 != "\n" })
        #expect(html.contains("<title>Assay findings: &quot;&gt;&lt;img src=x onerror=alert(1)&gt;.txt</title>"))
        #expect(html.contains("<p class=\"message\">found &lt;script&gt; &amp; &quot;quotes&quot; [U+202E]here</p>"))
        #expect(html.contains("<code>no-markup</code> <span class=\"title\">&lt;b&gt;title&lt;/b&gt;</span>"))
        #expect(html.contains("<h3>&lt;i&gt;sec&lt;/i&gt;</h3>"))
        #expect(
            html.contains(
                "<mark id=\"ev-0-0\" class=\"sev-error\" data-outcomes=\"o-0\"><a href=\"#o-0\" title=\"no-markup: found &lt;script&gt; &amp; &quot;quotes&quot; [U+202E]here\">&lt;script&gt;alert(1)&lt;/script&gt;</a></mark>"
            ))
        #expect(
            html.contains(
                "&quot;&gt;&lt;img src=x onerror=alert(&#39;x&#39;)&gt;</a></mark>整改率达79%。[U+0007][U+202E]txt.exe[U+2066]</span></div>"
            ))
        #expect(html.contains("<blockquote>市审计局:&lt;script&gt;alert(1)&lt;/script&gt;</blockquote>"))
        #expect(html.contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"))
    }

    @Test("a hostile bulletin cannot send control sequences to the terminal")
    func hostileText() {
        let (document, report) = Self.hostile()
        var hostile = report
        hostile.outcomes[0].message = "found \u{1B}[2J\u{1B}]0;owned\u{7} \u{202E}here"
        hostile.outcomes[0].waiver = "ok\u{1B}[31m"
        let text = TextRenderer().render(hostile, document: document, ruleSets: [])
        #expect(!text.unicodeScalars.contains { VisibleText.isShownAsEscape($0) && $0 != "\n" })
        #expect(text.contains("    found [U+001B][2J[U+001B]]0;owned[U+0007] [U+202E]here\n"))
        #expect(text.contains("    “市审计局:<script>alert(1)</script>”\n"))
        #expect(text.contains("    waived: ok[U+001B][31m\n"))
        // Colour, when asked for, is Assay's own and still works.
        #expect(
            TextRenderer(color: true).render(hostile, document: document, ruleSets: []).contains(
                "\u{1B}[31;1mFAIL\u{1B}[0m"))
    }

    @Test("a hostile bulletin renders as inert Markdown")
    func hostileMarkdown() {
        let (document, report) = Self.hostile()
        let md = MarkdownRenderer().render(report, document: document, ruleSets: [])
        #expect(md.hasPrefix("# Assay findings: \"\\>\\<img src=x onerror=alert(1)\\>.txt\n"))
        #expect(md.contains("  found \\<script\\> &amp; \"quotes\" \\[U+202E\\]here\n"))
        #expect(md.contains("    > 市审计局:\\<script\\>alert(1)\\</script\\>\n"))
        #expect(!md.unicodeScalars.contains { VisibleText.isShownAsEscape($0) && $0 != "\n" })
        // Every < and > except the blockquote markers Assay writes is backslash-escaped: no HTML element can open.
        let withoutQuotes = md.split(separator: "\n").map { line in
            line.trimmingPrefix(while: { $0 == " " }).hasPrefix("> ")
                ? String(line.trimmingPrefix(while: { $0 == " " }).dropFirst(2)) : String(line)
        }.joined(separator: "\n")
        let scalars = Array(withoutQuotes.unicodeScalars)
        #expect(
            !scalars.indices.contains {
                ("<>" as String).unicodeScalars.contains(scalars[$0]) && ($0 == 0 || scalars[$0 - 1] != "\\")
            })
    }

    @Test("SARIF keeps hostile text as JSON data and still parses")
    func hostileSARIF() throws {
        let (document, report) = Self.hostile()
        let sarif = SARIFRenderer().render(report, document: document, ruleSets: [])
        let log = try JSONValue.parse(sarif)
        guard case .array(let runs)? = log["runs"], case .array(let results)? = runs.first?["results"],
            case .array(let artifacts)? = runs.first?["artifacts"]
        else {
            Issue.record("SARIF log without runs, results or artifacts"); return
        }
        #expect(results.first?["message"]?["text"] == .string("found <script> & \"quotes\" \u{202E}here"))
        #expect(
            artifacts.first?["location"]?["uri"] == .string("%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt"))
    }

    /// Every character the escaper treats specially, next to look-alikes that share a lead byte.
    @Test func htmlEscapeCharacterByCharacter() {
        #expect(HTMLRenderer.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(HTMLRenderer.escape("\u{7}\u{7F}\u{85}\u{A0}é") == "[U+0007][U+007F][U+0085]\u{A0}é")
        #expect(
            HTMLRenderer.escape("\u{61C}\u{600}\u{200F}\u{2014}\u{2028}\u{202E}\u{2066}\u{2070}")
                == "[U+061C]\u{600}[U+200F]\u{2014}[U+2028][U+202E][U+2066]\u{2070}")
        #expect(HTMLRenderer.escape("整改\n\t率") == "整改\n\t率")
        #expect(HTMLRenderer.escape("") == "")
        // Escaping into bytes (the bulletin pane) appends exactly what the string form returns.
        let hostile = "<script>\"x\"&'y'</script>\u{7}\u{85}\u{202E}\u{2066}整改率 é 𠀀\n\t"
        var bytes = Array("kept ".utf8)
        HTMLRenderer.escape(hostile, into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "kept " + HTMLRenderer.escape(hostile))
    }
}
