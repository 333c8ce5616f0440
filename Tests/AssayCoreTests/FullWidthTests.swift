import AssayBundledRules
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Chinese bulletins write their punctuation full width (，：；（）！？％). The bundled sample uses ASCII
/// punctuation; these tests check that the same bulletin written the usual way gives the same facts,
/// sections, dates and findings — only the texts shown keep the bulletin's own characters.
@Suite struct FullWidthTests {
    /// The sample with ASCII , : ; ( ) ! ? next to Chinese text turned full width (not inside numbers,
    /// times, e-mail addresses or URLs: 1,368 and 14:30 stay as they are).
    static func fullWidthSample() throws -> String {
        let text = String(decoding: sampleBytes(), as: UTF8.self)
        let s = Array(text.unicodeScalars)
        func wide(_ c: Unicode.Scalar) -> Bool {
            (0x3000...0x9FFF).contains(c.value) || (0xFF00...0xFFEF).contains(c.value)
        }
        var out = String.UnicodeScalarView()
        for (i, c) in s.enumerated() {
            let prev = i > 0 ? s[i - 1] : " "
            let next = i + 1 < s.count ? s[i + 1] : " "
            let betweenDigits = prev.properties.numericType != nil && next.properties.numericType != nil
            if ",:;()!?".unicodeScalars.contains(c), !betweenDigits, wide(prev) || wide(next) || c == "(" || c == ")" {
                out.append(Unicode.Scalar(c.value + 0xFEE0)!)
            } else {
                out.append(c)
            }
        }
        let wideText = String(out)
        // The conversion did happen (so the test cannot pass on an unchanged copy).
        #expect(wideText.unicodeScalars.filter { $0 == "\u{FF0C}" }.count > 100)
        #expect(wideText.contains("今\u{FF08}5\u{FF09}日"))
        #expect(wideText.contains("市审计局\u{FF1A}"))
        return wideText
    }

    static func fold(_ s: String) -> String { String(String.UnicodeScalarView(ScalarText.foldWidth(s))) }

    @Test func foldingIsOneForOneAndSharesUnchangedText() {
        #expect(Self.fold("整改率达79\u{FF05}\u{FF0C}（一）\u{FF21}\u{FF11}") == "整改率达79%,(一)A1")
        #expect(Self.fold("\u{FF01}\u{FF5E}\u{FF00}\u{FF5F}\u{3000}") == "!~\u{FF00}\u{FF5F}\u{3000}")
        let plain: [Unicode.Scalar] = Array("市审计局:一是".unicodeScalars)
        #expect(ScalarText.foldWidth(plain) == plain)
    }

    @Test func headingsItemsAndDatesWithFullWidthPunctuation() throws {
        let text =
            "今\u{FF08}5\u{FF09}日\u{FF0C}市审计局发布整改情况。\n市审计局\u{FF1A}双向发力\n市审计局深入学习\u{FF0C}坚持整改。\n\u{FF08}一\u{FF09}关于整改\n一是完成整改12个\u{FF0C}整改率达79\u{FF05}\u{FF1B}\n"
        let doc = Document(name: "t.txt", decoded: try TextDecoder().decode(Array(text.utf8)))
        // Names are matched by rules, so they are folded; titles and markers are shown as written.
        try #require(doc.sections.map(\.path) == [["市审计局"], ["市审计局", "(一)关于整改"]])
        #expect(doc.sections.map(\.title) == ["市审计局\u{FF1A}双向发力", "\u{FF08}一\u{FF09}关于整改"])
        #expect(doc.sections[1].items.map(\.marker) == ["一是"])
        let facts = FactExtractor().extract(doc).facts
        #expect(facts.map(\.text) == ["今\u{FF08}5\u{FF09}日", "12个", "79\u{FF05}"])
        #expect(facts.map(\.kind) == [.date, .quantity, .percent])
        #expect(facts.map(\.label) == ["发布日期", "完成整改", "整改率"])
        #expect(facts[2].unit == "%")
        #expect(doc.contains("整改率达79%", in: 0..<doc.count))
        #expect(doc.occurrences(of: "市审计局：").count == 1)
    }

    /// Labels and fact texts are cut from the bulletin as written (full-width letters and digits kept),
    /// while values and units are read through the folding.
    @Test func labelsAndTextsKeepTheBulletinsCharacters() throws {
        let text = "市审计局\u{FF1A}整改\n一是\u{FF22}类问题整改率达\u{FF19}\u{FF15}\u{FF05}\u{FF0C}其余问题\u{FF11}\u{FF12}个。\n"
        let doc = Document(name: "t.txt", decoded: try TextDecoder().decode(Array(text.utf8)))
        let facts = FactExtractor().extract(doc).facts
        #expect(facts.map(\.text) == ["\u{FF19}\u{FF15}\u{FF05}", "\u{FF11}\u{FF12}个"])
        #expect(facts.map(\.label) == ["\u{FF22}类问题整改率", "其余问题"])
        #expect(facts.map(\.unit) == ["%", "个"])
        #expect(facts.map(\.value) == [.number(95), .number(12)])
        #expect(Measure.parse("\u{FF18}\u{FF10}\u{FF05}") == Measure.parse("80%"))
        // A rule may write the unit full width too.
        let set = try RuleLoader().load(
            yaml:
                "assay: 1\nruleset: t\nrules:\n  - id: r\n    title: t\n    kind: threshold\n    select: {unit: \"\u{FF05}\"}\n    op: \">=\"\n    target: 90%\n",
            file: "t.yml")
        guard let selector = set.rules[0].check(as: ThresholdKind.self)?.select else {
            Issue.record("not a threshold"); return
        }
        #expect(selector.units == ["%"])
    }

    @Test func sampleWrittenFullWidthGivesTheSameFactsAndFindings() throws {
        let ascii = try ExtractionFixtures.document(ExtractionFixtures.sample)
        let wideText = try Self.fullWidthSample()
        let wide = Document(
            name: ExtractionFixtures.sampleName, decoded: try TextDecoder().decode(Array(wideText.utf8)))
        #expect(wide.count == ascii.count)
        #expect(wide.sections.map(\.path) == ascii.sections.map(\.path))
        #expect(wide.sections.map { Self.fold($0.title) } == ascii.sections.map(\.title))
        #expect(wide.sentences.map(\.range) == ascii.sentences.map(\.range))

        let a = FactExtractor().extract(ascii)
        let w = FactExtractor().extract(wide)
        #expect(w.dates == a.dates)
        #expect(w.facts.count == a.facts.count)
        for (x, y) in zip(a.facts, w.facts) {
            #expect(Self.fold(y.text) == x.text)
            #expect(y.label.map(Self.fold) == x.label, "label of \(x.text)")
            #expect(
                y.kind == x.kind && y.value == x.value && y.unit == x.unit && y.section == x.section
                    && y.span == x.span,
                "fact \(x.text)")
        }

        let sets = try RuleLoader().load(paths: BundledRules.ruleFiles.map(\.path))
        let now = ReportFixtures.checkTime
        let ra = try Pipeline(ruleSets: sets).check(bytes: sampleBytes(), name: ExtractionFixtures.sampleName, now: now)
            .report
        let rw = try Pipeline(ruleSets: sets).check(
            bytes: Array(wideText.utf8), name: ExtractionFixtures.sampleName, now: now
        ).report
        #expect(
            rw.outcomes.map { "\($0.ruleID) \($0.status) \($0.section)" }
                == ra.outcomes.map { "\($0.ruleID) \($0.status) \($0.section)" })
        #expect(rw.outcomes.map { Self.fold($0.message) } == ra.outcomes.map(\.message))
    }

    /// The bundled contact-block rule accepts the full-width colon and parentheses real bulletins use.
    @Test func contactBlockAcceptsFullWidthPunctuation() throws {
        let sets = try RuleLoader().load(paths: BundledRules.ruleFiles.map(\.path))
        for text in [
            "欢迎监督。联系电话\u{FF1A}\u{FF08}023\u{FF09}63899999。", "欢迎监督。邮政信箱\u{FF1A}400015。",
            "欢迎监督。联系电话:023-63899999。",
        ] {
            let bulletin = "某县统计局党组关于巡察整改进展情况的通报\n" + text
            let report = try Pipeline(ruleSets: sets).check(bytes: Array(bulletin.utf8), name: "t.txt").report
            let contact = try #require(report.outcomes.first { $0.ruleID == "contact-block" })
            #expect(contact.status == .pass, "\(text)")
        }
    }
}
