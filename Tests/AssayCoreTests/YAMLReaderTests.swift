import AssayTestSupport
import Foundation
import Testing
import Yams

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The one YAML reader of rule files, waiver files and the daemon configuration: every helper, its exact
/// message and its place (marked with `‸` in the YAML rather than counted by hand).
@Suite struct YAMLReaderTests {
    /// A reader over the marked YAML, its root node and the marked places.
    func reading(_ text: String) throws -> (reader: YAMLReader, root: Node, at: [(line: Int, column: Int)]) {
        let (yaml, at) = marked(text)
        let root = try #require(try YAMLReader.compose(yaml, file: "f.yml"))
        return (YAMLReader(file: "f.yml"), root, at)
    }

    func error(_ place: (line: Int, column: Int), _ message: String) -> String {
        "f.yml:\(place.line):\(place.column): error: \(message)"
    }

    @Test func composeGivesTheRootOrNilAndThrowsYAMLErrorsWithTheirPlace() throws {
        #expect(try YAMLReader.compose("", file: "f.yml") == nil)
        #expect(try YAMLReader.compose("a: 1\n", file: "f.yml")?["a"]?.int == 1)
        let (bad, at) = marked("a: [1, 2\n‸")
        #expect(
            throws: FileDiagnostic(
                file: "f.yml", line: at[0].line, column: at[0].column,
                message: "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)")
        ) {
            try YAMLReader.compose(bad, file: "f.yml")
        }
        // A duplicate key is reported at the mapping that holds it.
        let (dup, d) = marked("‸a: 1\na: 2\n")
        #expect(
            throws: FileDiagnostic(file: "f.yml", line: d[0].line, column: d[0].column, message: "duplicate key(s) a")
        ) {
            try YAMLReader.compose(dup, file: "f.yml")
        }
    }

    @Test func mappingRefusesUnknownKeysWithADidYouMeanOrTheAllowedKeys() throws {
        var (r, root, at) = try reading(
            """
            severity: error
            ‸sevrity: warning
            ‸colour: red
            ? ‸[a, b]
            : 1
            """)
        let mRead = r.mapping(root, "the file", allowed: ["severity", "kind"])
        let m = try #require(mRead)
        #expect(m.keys.sorted() == ["severity"])
        #expect(m["severity"]?.value.string == "error")
        #expect(
            r.errors.map(\.description) == [
                error(at[0], "unknown key 'sevrity' in the file; did you mean 'severity'?"),
                error(at[1], "unknown key 'colour' in the file; allowed: severity, kind"),
                error(at[2], "the file: keys must be plain words"),
            ])
    }

    @Test func mappingRefusesAnythingElse() throws {
        var (r, root, at) = try reading("‸- a\n- b\n")
        let v1 = r.mapping(root, "the configuration", allowed: [])
        #expect(v1 == nil)
        #expect(r.errors.map(\.description) == [error(at[0], "the configuration must be a mapping")])
    }

    @Test func stringReadsTextAndRefusesTheRest() throws {
        var (r, root, at) = try reading(
            """
            a: 市审计局
            b: ‸[x]
            c: ""
            d: ‸""
            """)
        let v2 = r.string(root["a"], "a")
        #expect(v2 == "市审计局")
        let v3 = r.string(root["missing"], "missing")
        #expect(v3 == nil)
        let v4 = r.string(root["b"], "b")
        #expect(v4 == nil)
        let v5 = r.string(root["c"], "c")
        #expect(v5 == "")
        let v6 = r.string(root["d"], "d", nonEmpty: true)
        #expect(v6 == nil)
        #expect(
            r.errors.map(\.description) == [
                error(at[0], "b must be text"), error(at[1], "d must be a non-empty text value"),
            ])
    }

    @Test func stringsReadsOneValueOrAList() throws {
        var (r, root, at) = try reading(
            """
            one: x
            list: [x, y]
            bad: [x, ‸{y: 1}]
            map: ‸{y: 1}
            empty: [x, ‸""]
            """)
        let v7 = r.strings(root["one"], "one")
        #expect(v7 == ["x"])
        let v8 = r.strings(root["list"], "list")
        #expect(v8 == ["x", "y"])
        let v9 = r.strings(root["missing"], "missing")
        #expect(v9 == [])
        let v10 = r.strings(root["bad"], "bad")
        #expect(v10 == ["x"])
        let v11 = r.strings(root["map"], "map")
        #expect(v11 == [])
        let v12 = r.strings(root["empty"], "empty", nonEmpty: true)
        #expect(v12 == ["x"])
        #expect(
            r.errors.map(\.description) == [
                error(at[0], "each item of bad must be text"),
                error(at[1], "map must be text or a list of text"),
                error(at[2], "each item of empty must be a non-empty text value"),
            ])
    }

    @Test func intReadsWholeNumbersAtLeastTheMinimum() throws {
        var (r, root, at) = try reading(
            """
            a: 3
            b: 16_777_216
            c: ‸2.5
            d: ‸0
            e: ‸[1]
            """)
        let v13 = r.int(root["a"], "a")
        #expect(v13 == 3)
        let v14 = r.int(root["b"], "b", min: 1)
        #expect(v14 == 16_777_216)
        let v15 = r.int(root["c"], "items.min")
        #expect(v15 == nil)
        let v16 = r.int(root["d"], "workers", min: 1)
        #expect(v16 == nil)
        let v17 = r.int(root["e"], "e")
        #expect(v17 == nil)
        let v18 = r.int(root["missing"], "missing")
        #expect(v18 == nil)
        #expect(
            r.errors.map(\.description) == [
                error(at[0], "items.min must be a whole number"),
                error(at[1], "workers must be a whole number ≥ 1"),
                error(at[2], "e must be a whole number"),
            ])
    }

    @Test func boolReadsTheYAMLWordsForTrueAndFalse() throws {
        var (r, root, at) = try reading("a: true\nb: No\nc: on\nd: ‸maybe\n")
        let v19 = r.bool(root["a"], "a")
        #expect(v19 == true)
        let v20 = r.bool(root["b"], "b")
        #expect(v20 == false)
        let v21 = r.bool(root["c"], "c")
        #expect(v21 == true)
        let v22 = r.bool(root["d"], "items.ordered")
        #expect(v22 == nil)
        #expect(r.errors.map(\.description) == [error(at[0], "items.ordered must be true or false")])
    }

    @Test func choiceReadsOneOfAClosedSetWithADidYouMean() throws {
        var (r, root, at) = try reading("a: error\nb: ‸warnnig\nc: ‸loud\nd: ‸[info]\n")
        let v23 = r.choice(root["a"], "severity", Severity.self)
        #expect(v23 == .error)
        let v24 = r.choice(root["b"], "severity", Severity.self)
        #expect(v24 == nil)
        let v25 = r.choice(root["c"], "severity", Severity.self)
        #expect(v25 == nil)
        let v26 = r.choice(root["d"], "severity", Severity.self)
        #expect(v26 == nil)
        #expect(
            r.errors.map(\.description) == [
                error(at[0], "severity 'warnnig' is not one of info, warning, error; did you mean 'warning'?"),
                error(at[1], "severity 'loud' is not one of info, warning, error"),
                error(at[2], "severity must be text"),
            ])
    }

    @Test func dateReadsRealCalendarDates() throws {
        var (r, root, at) = try reading(
            """
            a: 2024-02-29
            b: 2020-09
            c: ‸2030-13-01
            d: ‸2030-01
            """)
        let v27 = r.date(root["a"], "a")
        #expect(v27 == "2024-02-29")
        let v28 = r.date(root["b"], "b")
        #expect(v28 == "2020-09")
        let v29 = r.date(root["c"], "target 'due' date")
        #expect(v29 == nil)
        let v30 = r.date(root["d"], "waiver 1: expires", dayRequired: true)
        #expect(v30 == nil)
        #expect(
            r.errors.map(\.description) == [
                error(at[0], "target 'due' date '2030-13-01' is not a real date (month 13)"),
                error(at[1], "waiver 1: expires '2030-01' is not a date YYYY-MM-DD"),
            ])
    }

    @Test func matcherReadsANameOrAPattern() throws {
        var (r, root, at) = try reading("a: 市审计局\nb: /审计局$/\nc: ‸/(/\n")
        let v31 = r.matcher(root["a"], "section")
        #expect(v31 == NameMatcher(literal: "市审计局"))
        let patternRead = r.matcher(root["b"], "section")
        let pattern = try #require(patternRead)
        #expect(pattern.matches("市审计局") && !pattern.matches("审计局办公室"))
        let v32 = r.matcher(root["c"], "section")
        #expect(v32 == nil)
        #expect(
            r.errors.map(\.description) == [
                error(
                    at[0],
                    "section /(/ is not a valid regular expression: a parenthesis is not closed or not opened (ICU U_REGEX_MISMATCHED_PAREN, at character 2)"
                )
            ])
    }

    @Test func errorsWithoutANodeAreAtTheStart() {
        var r = YAMLReader(file: "f.yml")
        r.error(nil, "not a rule file")
        #expect(r.errors.map(\.description) == ["f.yml:1:1: error: not a rule file"])
    }

    @Test func hintSuggestsOnlyACloseWord() {
        #expect(YAMLReader.hint("inotfy", among: ["auto", "inotify", "poll"]) == "; did you mean 'inotify'?")
        #expect(YAMLReader.hint("elsewhere", among: ["auto", "inotify", "poll"]) == "")
    }
}
