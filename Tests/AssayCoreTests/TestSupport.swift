import AssayTestSupport
import Foundation

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

func sampleBytes() -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: samplePath)!)
}

func sampleDocument() -> Document {
    Document(name: "chongqing-2021-01-05-xunshi-progress.txt", decoded: try! TextDecoder().decode(sampleBytes()))
}

func document(_ text: String, name: String = "test.txt") -> Document {
    Document(name: name, decoded: try! TextDecoder().decode(Array(text.utf8)))
}

/// A fact at the first occurrence of `text` in the document (for rule tests independent of extraction).
func fact(
    _ doc: Document, _ text: String, _ kind: FactKind, _ value: FactValue, unit: String? = nil,
    approx: String? = nil, label: String? = nil, after: String? = nil
) -> Fact {
    let scalars = doc.scalars
    let needle = Array(text.unicodeScalars)
    var start = 0
    if let after {
        let a = Array(after.unicodeScalars)
        start = (0...(scalars.count - a.count)).first { Array(scalars[$0..<($0 + a.count)]) == a }! + a.count
    }
    let at = (start...(scalars.count - needle.count)).first { Array(scalars[$0..<($0 + needle.count)]) == needle }!
    let range = at..<(at + needle.count)
    return Fact(
        kind: kind, text: text, value: value, unit: unit, approx: approx, label: label,
        section: doc.sectionPath(at: at), span: doc.span(range))
}

func rules(_ yaml: String, file: String = "test.yml") throws(RuleLoadFailure) -> RuleSet {
    try RuleLoader().load(yaml: yaml, file: file)
}

func evaluate(_ set: RuleSet, _ doc: Document, _ facts: [Fact], dates: DocumentDates = DocumentDates()) -> [Outcome] {
    Evaluator(today: "2026-11-27", language: .en).evaluate(
        [set], document: doc, extraction: Extraction(facts: facts, dates: dates))
}

/// The span of a `⟦…⟧` stretch of a marked text (line, column, offset and length in scalars, as Assay counts).
func span(_ s: MarkedText.Stretch) -> Span {
    Span(line: s.line, column: s.column, offset: s.offset, length: s.length)
}

/// The head of a rule file with one set; tests append rules, each a list item under `rules:` (so the
/// first rule starts on line 4).
let ruleFileHeader = "assay: 1\nruleset: t\nrules:\n"

/// The rule set of the given rules (YAML list items under `rules:`).
func one(_ rule: String) throws -> RuleSet { try rules(ruleFileHeader + rule) }

/// The errors loading the given rules gives, as printed (`t.yml:line:column: error: …`); [] when they load.
func loadErrors(_ rule: String) -> [String] {
    do {
        _ = try rules(ruleFileHeader + rule, file: "t.yml")
        return []
    } catch { return error.errors.map(\.description) }
}
