import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// `kind: require` and `kind: forbid` (Kinds/PhrasesKind.swift): reading, outcomes and messages.
@Suite struct RequireForbidKindTests {
    @Test func aRuleWithoutPhrasesOrPatternsIsAnError() {
        #expect(
            loadErrors("  - id: r\n    title: t\n    kind: forbid\n") == [
                "t.yml:4:5: error: a forbid rule needs 'phrases' or 'patterns'"
            ])
        #expect(
            loadErrors("  - id: r\n    title: t\n    kind: require\n    patterns: [\"a(\"]\n")
                == [
                    "t.yml:7:15: error: pattern /a(/ is not a valid regular expression: a parenthesis is not closed or not opened (ICU U_REGEX_MISMATCHED_PAREN, at character 3)"
                ])
    }

    @Test func requirePassesOnAPhraseAndFailsWithoutOne() throws {
        let set = try one("  - id: r\n    title: t\n    kind: require\n    phrases: [联系电话, 邮箱]\n")
        let pass = evaluate(set, document("欢迎监督。联系电话:023-63899999。"), [])
        #expect(pass.map(\.status) == [.pass])
        #expect(pass[0].message == "the document has 联系电话")
        #expect(pass[0].values == [NamedValue("expected", "联系电话 | 邮箱"), NamedValue("found", "1")])
        #expect(pass[0].evidence.map(\.span) == [Span(line: 1, column: 6, offset: 5, length: 4)])
        let fail = evaluate(set, document("欢迎监督。"), [])
        #expect(fail.map(\.status) == [.fail])
        #expect(fail[0].message == "the document has none of: 联系电话 | 邮箱")
        #expect(fail[0].values == [NamedValue("expected", "联系电话 | 邮箱"), NamedValue("found", "none")])
        #expect(fail[0].evidence.isEmpty)
    }

    @Test func forbidPassesWithoutThePhraseAndNamesEveryHit() throws {
        let set = try one("  - id: f\n    title: t\n    kind: forbid\n    phrases: [XXX]\n    patterns: [待补充]\n")
        let pass = evaluate(set, document("已完成。"), [])
        #expect(pass.map(\.status) == [.pass])
        #expect(pass[0].message == "the document has none of: XXX | 1 pattern of rule f")
        let fail = evaluate(set, document("完成XXX项,待补充。"), [])
        #expect(fail.map(\.status) == [.fail])
        #expect(fail[0].message == "the document contains XXX, 待补充, which must not appear")
        #expect(fail[0].values == [NamedValue("expected", "XXX | 1 pattern of rule f"), NamedValue("found", "2")])
    }

    @Test func aScopeThatIsNotThereIsMissing() throws {
        let set = try one(
            "  - id: r\n    title: t\n    kind: require\n    on_missing: info\n    scope: {section: 市审计局}\n    phrases: [整改]\n"
        )
        let o = evaluate(set, document("市财政局:整改\n一是整改。\n"), [])
        #expect(o.map(\.status) == [.missing])
        #expect(o[0].severity == .info)
        #expect(o[0].message == "section 市审计局 not found")
    }

    @Test func requireAndForbid() throws {
        let m = MarkedText("欢迎监督。联系电话:⟦023-63899999⟧。")
        let doc = document(m.text)
        let set = try one(
            """
              - id: contact
                title: t
                kind: require
                patterns: ["\\\\d{3,4}-\\\\d{7,8}"]
              - id: words
                title: t
                kind: forbid
                phrases: [联系电话]
            """)
        let o = evaluate(set, doc, [])
        #expect(o.map(\.status) == [.pass, .fail])
        #expect(o[0].evidence.map(\.text) == ["023-63899999"])
        #expect(o[0].evidence[0].span == span(m.stretches[0]))
        #expect(o[1].message == "the document contains 联系电话, which must not appear")
    }
}
