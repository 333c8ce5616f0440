import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// `kind: sections` (Kinds/SectionsKind.swift): reading, outcomes and messages.
@Suite struct SectionsKindTests {
    @Test func aRuleWithoutRequireOrItemsIsAnError() {
        #expect(
            loadErrors("  - id: s\n    title: t\n    kind: sections\n") == [
                "t.yml:4:5: error: a sections rule needs 'require' or 'items'"
            ])
        #expect(
            loadErrors("  - id: s\n    title: t\n    kind: sections\n    items: {mni: 2}\n")
                == ["t.yml:7:13: error: unknown key 'mni' in items; did you mean 'min'?"])
    }

    @Test func aRequiredSectionPassesWhenPresentAndFailsWhenNot() throws {
        let set = try one("  - id: s\n    title: t\n    kind: sections\n    require: [市甲局, 市丙局]\n")
        let o = evaluate(set, document("市甲局:标题\n一是甲。\n市乙局:标题\n"), [])
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].message == "section 市甲局 is present")
        #expect(o[0].section == ["市甲局"])
        #expect(
            o[0].values == [
                NamedValue("section", "市甲局"), NamedValue("items", "1"), NamedValue("min", "-"),
                NamedValue("markers", "一是"),
            ])
        #expect(o[1].message == "required section 市丙局 is missing")
        #expect(o[1].section == [])
        #expect(o[1].values == [NamedValue("section", "市丙局")])
    }

    @Test func itemsWithoutSectionsAreMissing() throws {
        let set = try one("  - id: s\n    title: t\n    kind: sections\n    items: {min: 2}\n")
        let o = evaluate(set, document("没有分节的通报。"), [])
        #expect(o.map(\.status) == [.missing])
        #expect(o[0].message == "the document has no sections, so its numbered items cannot be checked")
    }

    @Test func tooFewItemsFail() throws {
        let set = try one("  - id: s\n    title: t\n    kind: sections\n    items: {min: 3}\n")
        let o = evaluate(set, document("市甲局:标题\n一是甲。\n二是乙。\n"), [])
        #expect(o.map(\.status) == [.fail])
        #expect(o[0].message == "市甲局 has 2 numbered items, fewer than 3")
    }

    @Test func sectionsRequiredAndItemOrder() throws {
        let doc = document("市甲局:标题\n一是甲。\n三是丙。\n市乙局:标题\n一是甲。\n二是乙。\n")
        let set = try one(
            "  - id: s\n    title: t\n    kind: sections\n    require: [市甲局, 市丙局, /乙局$/]\n    items: {min: 2}\n")
        let o = evaluate(set, doc, [])
        #expect(o.map(\.status) == [.fail, .pass, .fail])
        #expect(o[0].message == "市甲局 numbered items have a gap (一是, 三是)")
        #expect(o[0].section == ["市甲局"])
        #expect(o[1].message == "市乙局 is present with 2 numbered items in order")
        #expect(o[2].message == "required section 市丙局 is missing")
    }
}
