import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// `kind: count` (Kinds/CountKind.swift): reading errors, and for each thing counted (subsections, numbered
/// items, facts, phrases, patterns) a pass, a fail and an edge case with their exact outcomes.
@Suite struct CountKindTests {
    /// A count rule `c` with the given lines after `kind: count` (the rule starts on line 4, so these on line 7).
    static func rule(_ lines: String) -> String { "  - id: c\n    title: t\n    kind: count\n" + lines }

    /// A bulletin written for these tests: 三、整改落实情况 in two parts, （一） and （二）, in full width.
    static let twoParts = """
        某区关于巡察整改进展情况的通报
        一、基本情况
        区委巡察组于2024年3月反馈了意见。
        二、整改工作开展情况
        成立了整改工作领导小组。
        三、整改落实情况
        （一）压实整改责任
        逐项明确责任人和完成时限。
        （二）健全长效机制
        制定完善制度12项。
        四、下一步工作
        持续巩固整改成果。
        """

    static let twoPartsRule = rule("    scope: {section: 整改落实情况}\n    count: subsections\n    min: 2\n")

    // MARK: reading

    @Test func countAndABoundAreRequired() {
        #expect(
            loadErrors(Self.rule("    min: 2\n")) == [
                "t.yml:4:5: error: a count rule needs 'count': items, subsections, {facts: SELECTOR}, "
                    + "{phrases: [...]} or {patterns: [...]}"
            ])
        #expect(
            loadErrors(Self.rule("    count: items\n")) == [
                "t.yml:4:5: error: a count rule needs 'min' or 'max' (at least / at most how many)"
            ])
    }

    @Test func boundsAreWholeNumbersInOrderThatCanFail() {
        #expect(
            loadErrors(Self.rule("    count: items\n    min: 3\n    max: 2\n")) == [
                "t.yml:8:10: error: min 3 is greater than max 2, so no count can pass"
            ])
        #expect(
            loadErrors(Self.rule("    count: items\n    min: -1\n")) == [
                "t.yml:8:10: error: min must be a whole number ≥ 0"
            ])
        #expect(
            loadErrors(Self.rule("    count: items\n    max: two\n")) == [
                "t.yml:8:10: error: max must be a whole number ≥ 0"
            ])
        #expect(
            loadErrors(Self.rule("    count: items\n    min: 0\n")) == [
                "t.yml:8:10: error: min 0 without max always holds; give min ≥ 1 or a max"
            ])
        // min 0 with a max, and max 0 alone, are fine.
        #expect(loadErrors(Self.rule("    count: items\n    min: 0\n    max: 0\n")) == [])
    }

    @Test func anUnknownCountFormGetsADidYouMean() {
        #expect(
            loadErrors(Self.rule("    count: subsection\n    min: 2\n")) == [
                "t.yml:7:12: error: count 'subsection' is not one of items, subsections, {facts: SELECTOR}, "
                    + "{phrases: [...]} or {patterns: [...]}; did you mean 'subsections'?"
            ])
        #expect(
            loadErrors(Self.rule("    count: facts\n    min: 2\n")) == [
                "t.yml:7:12: error: count 'facts' does not say which facts to count; write count: {facts: …}"
            ])
        #expect(
            loadErrors(Self.rule("    count: {fact: {kind: percent}}\n    min: 2\n")) == [
                "t.yml:7:13: error: unknown key 'fact' in count; did you mean 'facts'?"
            ])
        #expect(
            loadErrors(Self.rule("    count: [items]\n    min: 2\n")) == [
                "t.yml:7:12: error: count must be items, subsections, {facts: SELECTOR}, {phrases: [...]} or "
                    + "{patterns: [...]}"
            ])
        #expect(
            loadErrors(Self.rule("    count: {}\n    min: 2\n")) == [
                "t.yml:7:12: error: count names nothing to count; write items, subsections, {facts: SELECTOR}, "
                    + "{phrases: [...]} or {patterns: [...]}"
            ])
    }

    @Test func theMappingFormsAreCheckedToo() {
        #expect(
            loadErrors(Self.rule("    count: {facts: {kind: percent}, phrases: [整改]}\n    min: 2\n")) == [
                "t.yml:7:12: error: count counts facts or phrases and patterns, not both; write a rule for each"
            ])
        #expect(
            loadErrors(Self.rule("    count: {facts: {kind: precent}}\n    min: 2\n")) == [
                "t.yml:7:27: error: unknown fact kind 'precent'; did you mean 'percent'?; kinds: "
                    + FactKind.allCases.map(\.rawValue).joined(separator: ", ")
            ])
        #expect(
            loadErrors(Self.rule("    count: {patterns: [\"(\"]}\n    min: 1\n")) == [
                "t.yml:7:23: error: count pattern /(/ is not a valid regular expression: a parenthesis is not closed or not opened (ICU U_REGEX_MISMATCHED_PAREN, at character 2)"
            ])
        #expect(
            loadErrors(Self.rule("    count: {phrases: []}\n    min: 1\n")) == [
                "t.yml:7:12: error: count names no phrase or pattern to count"
            ])
    }

    @Test func itemsAndSubsectionsAreNotCountedInsideAnItem() {
        #expect(
            loadErrors(Self.rule("    scope: each-item\n    count: items\n    min: 1\n")) == [
                "t.yml:8:12: error: count: items cannot be checked with scope: each-item (a numbered item holds no "
                    + "numbered items); use a section scope"
            ])
        #expect(
            loadErrors(Self.rule("    scope: each-item\n    count: subsections\n    max: 1\n")) == [
                "t.yml:8:12: error: count: subsections cannot be checked with scope: each-item (a numbered item "
                    + "holds no subsections); use a section scope"
            ])
        // Phrases can be counted in each item.
        #expect(loadErrors(Self.rule("    scope: each-item\n    count: {phrases: [已完成]}\n    max: 1\n")) == [])
    }

    // MARK: subsections

    @Test func twoPartsUnderRectificationPass() throws {
        let o = evaluate(try one(Self.twoPartsRule), document(Self.twoParts), [])
        #expect(o.map(\.status) == [.pass])
        #expect(
            o[0].message == "三、整改落实情况 has 2 subsections, at least 2 required (found: (一)压实整改责任, (二)健全长效机制)")
        #expect(o[0].section == ["三、整改落实情况"])
        #expect(
            o[0].values == [
                NamedValue("counted", "subsections"), NamedValue("found", "2"), NamedValue("min", "2"),
                NamedValue("max", "-"),
            ])
        // The evidence quotes the headings as written, in full width.
        #expect(o[0].evidence.map(\.text) == ["（一）压实整改责任", "（二）健全长效机制"])
        #expect(o[0].evidence.map(\.role) == ["subsection", "subsection"])
        #expect(o[0].evidence.map(\.span.line) == [7, 9])
    }

    @Test func onePartUnderRectificationFails() throws {
        let text = Self.twoParts.replacingOccurrences(of: "（二）健全长效机制\n", with: "")
        let o = evaluate(try one(Self.twoPartsRule), document(text), [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "三、整改落实情况 has 1 subsection, at least 2 required (found: (一)压实整改责任)")
        #expect(o[0].severity == .warning)
    }

    @Test func partsWrittenAsParagraphsAreNoSubsections() throws {
        // （一） opening a paragraph with a full stop is no heading, so the section has no parts to count.
        let text = Self.twoParts.replacingOccurrences(of: "（一）压实整改责任\n", with: "（一）压实整改责任。")
            .replacingOccurrences(of: "（二）健全长效机制\n", with: "（二）健全长效机制。")
        let o = evaluate(try one(Self.twoPartsRule), document(text), [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "三、整改落实情况 has no subsections, at least 2 required")
        #expect(o[0].evidence.isEmpty)
    }

    @Test func onlyDirectSubsectionsCountAndTheDocumentCountsItsTopSections() throws {
        let doc = document("市审计局:整改情况\n一、问题整改\n(一)立行立改\n(二)长期坚持\n二、制度建设\n市财政局:整改情况\n一、问题整改\n")
        let under = try one(Self.rule("    scope: {section: 市审计局}\n    count: subsections\n    min: 1\n    max: 2\n"))
        let o = evaluate(under, doc, [])
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "市审计局 has 2 subsections, between 1 and 2 required (found: 一、问题整改, 二、制度建设)")
        let top = try one(Self.rule("    count: subsections\n    max: 1\n"))
        let t = evaluate(top, doc, [])
        #expect(t.map(\.status) == [.fail])
        #expect(t[0].message == "the document has 2 sections, at most 1 allowed (found: 市审计局, 市财政局)")
        #expect(t[0].section == [])
    }

    @Test func aScopeSectionNotFoundAndADocumentWithoutSectionsAreMissing() throws {
        let o = evaluate(try one(Self.twoPartsRule), document("一、基本情况\n已完成。\n"), [])
        #expect(o.map(\.status) == [.missing])
        #expect(o[0].message == "section 整改落实情况 not found")
        let top = try one(Self.rule("    count: subsections\n    min: 2\n"))
        let t = evaluate(top, document("没有分节的通报。已完成整改。"), [])
        #expect(t.map(\.status) == [.missing])
        #expect(t[0].message == "the document has no sections, so its sections cannot be counted")
        #expect(t[0].values == [NamedValue("counted", "sections")])
    }

    // MARK: numbered items

    static let measures = "市审计局:整改情况\n一是建立问题台账。\n二是逐项对账销号。\n三是开展回头看。\n"

    @Test func itemsPassAtLeast() throws {
        let set = try one(Self.rule("    scope: {section: 市审计局}\n    count: items\n    min: 3\n"))
        let o = evaluate(set, document(Self.measures), [])
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "市审计局 has 3 numbered items, at least 3 required (found: 一是, 二是, 三是)")
        #expect(o[0].evidence.map(\.role) == ["item", "item", "item"])
        #expect(o[0].evidence.map(\.span.line) == [2, 3, 4])
    }

    @Test func itemsFailAtMost() throws {
        let set = try one(Self.rule("    scope: {section: 市审计局}\n    count: items\n    max: 2\n    severity: error\n"))
        let o = evaluate(set, document(Self.measures), [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].severity == .error)
        #expect(o[0].message == "市审计局 has 3 numbered items, at most 2 allowed (found: 一是, 二是, 三是)")
        #expect(o[0].values.first { $0.name == "max" }?.text == "2")
    }

    @Test func itemsOfASubsectionAreNotTheSectionsOwn() throws {
        let doc = document("三、整改落实情况\n(一)压实责任\n一是明确分工。\n二是定期调度。\n")
        let section = try one(Self.rule("    scope: {section: 整改落实情况}\n    count: items\n    min: 1\n"))
        let o = evaluate(section, doc, [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "三、整改落实情况 has no numbered items, at least 1 required")
        // The document counts every numbered item in it.
        let whole = try one(Self.rule("    count: items\n    min: 2\n    max: 2\n"))
        let w = evaluate(whole, doc, [])
        #expect(w.map(\.status) == [.pass])
        #expect(w[0].message == "the document has 2 numbered items, exactly 2 required (found: 一是, 二是)")
        let none = evaluate(whole, document("没有分节的通报。"), [])
        #expect(none.map(\.status) == [.missing])
        #expect(none[0].message == "the document has no sections, so its numbered items cannot be counted")
    }

    // MARK: facts

    static let rates = "市审计局:整改情况\n整改率达85%。\n资金整改率达90%。\n市财政局:整改情况\n整改率达70%。\n"

    static func rateFacts(_ doc: Document) -> [Fact] {
        [
            fact(doc, "85%", .percent, .number(85), unit: "%", label: "整改率"),
            fact(doc, "90%", .percent, .number(90), unit: "%", label: "资金整改率"),
            fact(doc, "70%", .percent, .number(70), unit: "%", label: "整改率"),
        ]
    }

    @Test func factsPass() throws {
        let doc = document(Self.rates)
        let set = try one(Self.rule("    count: {facts: {kind: percent, label: 整改率}}\n    min: 3\n"))
        let o = evaluate(set, doc, Self.rateFacts(doc))
        #expect(o.map(\.status) == [.pass])
        #expect(
            o[0].message
                == "the document has 3 facts matching {kind: percent, label: 整改率}, at least 3 required (found: 85%, 90%, 70%)"
        )
        #expect(o[0].values.first?.text == "facts matching {kind: percent, label: 整改率}")
        #expect(o[0].evidence.map(\.role) == ["fact", "fact", "fact"])
        #expect(o[0].evidence.map(\.sentence) == ["整改率达85%。", "资金整改率达90%。", "整改率达70%。"])
        // An empty selector counts every fact.
        let all = try one(Self.rule("    count: {facts: {}}\n    max: 2\n"))
        let a = evaluate(all, doc, Self.rateFacts(doc))
        #expect(a.map(\.status) == [.fail])
        #expect(a[0].message == "the document has 3 facts matching {}, at most 2 allowed (found: 85%, 90%, 70%)")
    }

    @Test func factsFailPerSection() throws {
        let doc = document(Self.rates)
        let set = try one(
            Self.rule("    scope: each-section\n    count: {facts: {kind: percent, not: {label: 资金}}}\n    min: 2\n"))
        let o = evaluate(set, doc, Self.rateFacts(doc))
        #expect(o.map(\.status) == [.fail, .fail])
        #expect(
            o.map(\.message) == [
                "市审计局 has 1 fact matching {kind: percent, not: {label: 资金}}, at least 2 required (found: 85%)",
                "市财政局 has 1 fact matching {kind: percent, not: {label: 资金}}, at least 2 required (found: 70%)",
            ])
    }

    @Test func noFactIsACountOfZero() throws {
        let doc = document(Self.rates)
        let set = try one(Self.rule("    count: {facts: {kind: money}}\n    max: 0\n"))
        let o = evaluate(set, doc, Self.rateFacts(doc))
        #expect(o.map(\.status) == [.pass])
        #expect(o[0].message == "the document has no facts matching {kind: money}, none allowed")
        let atLeast = try one(Self.rule("    count: {facts: {kind: money}}\n    min: 1\n"))
        let a = evaluate(atLeast, doc, Self.rateFacts(doc))
        #expect(a.map(\.status) == [.fail])
        #expect(a[0].message == "the document has no facts matching {kind: money}, at least 1 required")
    }

    // MARK: phrases

    @Test func phrasesPass() throws {
        let set = try one(Self.rule("    count: {phrases: [已整改到位]}\n    min: 2\n"))
        let o = evaluate(set, document("一是问题已整改到位。二是资金已整改到位。"), [])
        #expect(o.map(\.status) == [.pass])
        #expect(
            o[0].message == "the document has 2 occurrences of 已整改到位, at least 2 required (found: 已整改到位, 已整改到位)")
        #expect(o[0].evidence.map(\.span.column) == [5, 15])
        #expect(o[0].evidence.map(\.role) == ["match", "match"])
    }

    @Test func phrasesFailAtMost() throws {
        let set = try one(Self.rule("    count: {phrases: [待补充, XXX]}\n    max: 1\n"))
        let o = evaluate(set, document("完成待补充项,涉及XXX个单位,金额待补充。"), [])
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "the document has 3 occurrences of 待补充 | XXX, at most 1 allowed (found: 待补充, XXX, 待补充)")
    }

    @Test func overlappingPhrasesCountOnceAndLongListsAreCut() throws {
        let set = try one(Self.rule("    count: {phrases: [整改, 整改完成]}\n    min: 3\n"))
        let o = evaluate(set, document("整改完成率达90%,整改工作持续推进。"), [])
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "the document has 2 occurrences of 整改 | 整改完成, at least 3 required (found: 整改完成, 整改)")
        let many = try one(Self.rule("    count: {phrases: [销号]}\n    max: 11\n"))
        let m = evaluate(many, document(String(repeating: "已销号。", count: 12)), [])
        #expect(m.map(\.status) == [.fail])
        #expect(
            m[0].message
                == "the document has 12 occurrences of 销号, at most 11 allowed (found: "
                + Array(repeating: "销号", count: 10).joined(separator: ", ") + " and 2 more)")
        #expect(m[0].evidence.count == 10)
        #expect(m[0].values.first { $0.name == "found" }?.text == "12")
    }

    // MARK: patterns

    @Test func patternsPassPerSection() throws {
        let set = try one(
            Self.rule("    scope: {section: 市审计局}\n    count: {patterns: [\"\\\\d+个问题\"]}\n    min: 1\n    max: 2\n"))
        let o = evaluate(set, document("市审计局:整改情况\n发现12个问题,已整改10个问题。\n市财政局:整改情况\n发现3个问题。\n"), [])
        #expect(o.map(\.status) == [.pass])
        #expect(
            o[0].message
                == "市审计局 has 2 occurrences of 1 pattern of rule c, between 1 and 2 required (found: 12个问题, 10个问题)")
    }

    @Test func patternsFail() throws {
        let set = try one(Self.rule("    count: {patterns: [\"\\\\d+个问题\", \"\\\\d+项\"]}\n    min: 4\n"))
        let o = evaluate(set, document("发现12个问题,建立制度5项。"), [])
        #expect(o.map(\.status) == [.fail])
        #expect(
            o[0].message
                == "the document has 2 occurrences of 2 patterns of rule c, at least 4 required (found: 12个问题, 5项)")
    }

    @Test func phrasesAndPatternsCountTogether() throws {
        let set = try one(Self.rule("    count: {phrases: [已销号], patterns: [\"\\\\d+个问题\"]}\n    min: 3\n"))
        let o = evaluate(set, document("发现12个问题,已销号。其余3个问题已销号。"), [])
        #expect(o.map(\.status) == [.pass])
        #expect(
            o[0].message
                == "the document has 4 occurrences of 已销号 | 1 pattern of rule c, at least 3 required "
                + "(found: 12个问题, 已销号, 3个问题, 已销号)")
    }

    @Test func emptyPatternMatchesDoNotCount() throws {
        let set = try one(Self.rule("    count: {patterns: [\"(?:整改)*\"]}\n    min: 1\n"))
        let o = evaluate(set, document("已完成。"), [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "the document has no occurrences of 1 pattern of rule c, at least 1 required")
    }

    // MARK: messages and examples

    @Test func aMessageTemplateNamesTheCountsValues() throws {
        let set = try one(
            Self.twoPartsRule + "    message: \"{section}: {found} {counted} (min {min}, max {max})\"\n")
        let o = evaluate(set, document(Self.twoParts), [])
        #expect(o.map(\.message) == ["三、整改落实情况: 2 subsections (min 2, max -)"])
    }

    /// The kind's example (docs/rules.md, `assay explain`) loads, and its examples give what they say.
    @Test func theKindsExampleRunsItsExamples() throws {
        let example = RuleKindDescription.of(RuleKind(rawValue: "count")!).example
        let set = try rules(ruleFileHeader + example)
        let rule = try #require(set.rules.first)
        #expect(rule.examples.pass.count == 1 && rule.examples.fail.count == 1)
        let runner = RuleTestRunner(ruleSets: [set])
        let pass = runner.outcomes(of: rule, in: set, snippet: rule.examples.pass[0])
        #expect(pass.map(\.status) == [.pass])
        // The examples are Chinese bulletins: the built-in message follows them (language auto).
        #expect(pass.map(\.message) == ["三、整改落实情况有 2 个下级标题,应至少 2 个((一)压实整改责任、(二)健全长效机制)"])
        let fail = runner.outcomes(of: rule, in: set, snippet: rule.examples.fail[0])
        #expect(fail.map(\.status) == [.fail])
        #expect(fail.map(\.message) == ["三、整改落实情况有 1 个下级标题,应至少 2 个((一)压实整改责任)"])
    }
}
