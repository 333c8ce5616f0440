import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// The facts JSON contract, the table, the configuration loader and decoding of the sample.
@Suite struct ExtractionOutputTests {
    @Test func jsonFollowsTheContract() throws {
        let doc = ExtractionProbe.document("截至2022年6月30日,追回资金12.5万元,整改率达90%。\n力争三年内完成。", name: "x-2022-07-01.txt")
        let json = FactsJSON.render(document: doc, extraction: FactExtractor().extract(doc))
        guard case .object(let top) = json else { Issue.record("not an object"); return }
        #expect(top.map(\.0) == ["source", "sha256", "encoding", "dates", "sections", "facts", "tallies"])
        #expect(
            json["dates"]
                == .object([
                    ("published", .string("2022-07-01")), ("published_source", .string("file-name")),
                    ("as_of", .string("2022-06-30")),
                ]))
        guard case .array(let facts)? = json["facts"] else { Issue.record("no facts"); return }
        #expect(facts.count == 4)
        guard case .object(let money) = facts[1] else { return }
        #expect(
            money.map(\.0) == [
                "kind", "text", "value", "unit", "amount", "currency", "approx", "label", "section", "span", "role",
                "tally",
            ])
        #expect(facts[1]["value"] == .number(125000) && facts[1]["amount"] == .number(Decimal("12.5")))
        guard case .object(let percent) = facts[2] else { return }
        #expect(!percent.map(\.0).contains("amount"))
        #expect(
            facts[3]["value"]
                == .object([
                    ("duration", .string("P3Y")), ("start", .string("2022-07-01")),
                    ("end", .string("2025-06-30")),
                ]))
        #expect(
            facts[2]["span"]
                == .object([("line", .int(1)), ("column", .int(29)), ("offset", .int(28)), ("length", .int(3))]))
        // round trip through the serialiser
        #expect(try JSONValue.parse(json.rendered()) == json)
    }

    @Test func valuesOfEveryShape() {
        #expect(
            FactsJSON.value(.range(start: "2020-01", end: "2020-11")).rendered(pretty: false)
                == #"{"start":"2020-01","end":"2020-11"}"#)
        #expect(FactsJSON.value(.duration("P3Y")) == .string("P3Y"))
        #expect(FactsJSON.value(.unresolved) == .null)
        #expect(FactsJSON.value(.number(Decimal("97.6"))).rendered() == "97.6")
    }

    @Test func tableHasAHeaderAndOneRowPerFact() {
        let doc = ExtractionProbe.document("整改率达到79%,追回资金5万元。")
        let table = FactsTable.render(document: doc, extraction: FactExtractor().extract(doc))
        let lines = table.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("where"))
        #expect(lines[2].contains("1:6") && lines[2].contains("percent") && lines[2].contains("整改率"))
    }

    /// Long labels and sections are cut with "…" to their column's share (CJK counting two columns), so
    /// the table of a real bulletin fits a terminal; the JSON keeps them whole.
    @Test func longColumnsAreCutToFitATerminal() {
        #expect(FactsTable.clip("开展整治污水偷排直排乱排行为专项", 24) == "开展整治污水偷排直排乱…")
        #expect(FactsTable.width(FactsTable.clip("开展整治污水偷排直排乱排行为专项", 24)) == 23)
        #expect(FactsTable.clip("abcdefghijklmnopqrstuvwxyz", 16) == "abcdefghijklmno…")
        let doc = ExtractionProbe.document("开展整治污水偷排直排乱排行为专项行动持续2年。")
        let lines = FactsTable.render(document: doc, extraction: FactExtractor().extract(doc)).split(separator: "\n")
        #expect(lines.dropFirst().allSatisfy { FactsTable.width(String($0)) <= 130 })
        #expect(lines.contains { $0.contains("…") })
    }

    @Test func configurationFromAPlainYAMLList() throws {
        let c = try ExtractionConfiguration(yaml: "- 三张清单\n- 五个一工作法\n")
        #expect(c.fixedPhrases.contains("三张清单") && c.fixedPhrases.contains("两个维护"))
    }

    /// Problems are reported as in rule and waiver files: each at its `file:line:column`, all of them.
    @Test func configurationErrorsAreClear() {
        func problems(_ yaml: String) -> [String] {
            do {
                _ = try ExtractionConfiguration(yaml: yaml, file: "local.yml")
                return []
            } catch { return error.errors.map(\.description) }
        }
        #expect(
            problems("phrases: [a]") == [
                "local.yml:1:1: error: unknown key 'phrases' in the extraction configuration; allowed: fixed_phrases"
            ])
        #expect(
            problems("fixed_phrasess: [a]") == [
                "local.yml:1:1: error: unknown key 'fixed_phrasess' in the extraction configuration; did you mean 'fixed_phrases'?"
            ])
        #expect(
            problems("- 三张清单\n- [x]\n- ''\n") == [
                "local.yml:2:3: error: each item of fixed_phrases must be a non-empty text value",
                "local.yml:3:3: error: each item of fixed_phrases must be a non-empty text value",
            ])
        #expect(
            problems("fixed_phrases: 三张清单\nx: 1\n") == [
                "local.yml:2:1: error: unknown key 'x' in the extraction configuration; allowed: fixed_phrases"
            ])
        #expect(problems("- a\n  - b: [").first?.hasPrefix("local.yml:2:") == true)
        #expect(problems("just text") == ["local.yml:1:1: error: expected a list of phrases or `fixed_phrases: [...]`"])
        #expect(problems("") == [])
    }

    // MARK: - Encodings

    static func facts(_ file: String) throws -> (TextEncoding, [Fact]) {
        let doc = try ExtractionFixtures.document(
            ExtractionFixtures.folder.appendingPathComponent(file),
            name: ExtractionFixtures.sampleName)
        return (doc.decoded.encoding, FactExtractor().extract(doc).facts)
    }

    @Test func utf16AndGB18030GiveTheSameFactsAtTheSameOffsets() throws {
        let reference = FactExtractor().extract(try ExtractionFixtures.document(ExtractionFixtures.sample)).facts
        #expect(reference.count > 80)
        let (e16, f16) = try Self.facts("chongqing-sample.utf16le-bom.txt")
        let (egb, fgb) = try Self.facts("chongqing-sample.gb18030.txt")
        #expect(e16 == .utf16LE && egb == .gb18030)
        #expect(f16 == reference)
        #expect(fgb == reference)
    }

    @Test func latin1IsRefusedWithAClearReason() throws {
        let bytes = [UInt8](try Data(contentsOf: ExtractionFixtures.folder.appendingPathComponent("latin1.txt")))
        #expect(
            throws: DecodingError.undecodable(
                reason: "not UTF-8 (invalid byte sequence at byte 9), "
                    + "not UTF-16 with a byte-order mark, and not GB18030/GBK")
        ) {
            try TextDecoder().decode(bytes)
        }
    }

    @Test func aTruncatedMultibyteSequenceIsRefused() throws {
        let bytes = [UInt8](try Data(contentsOf: ExtractionFixtures.sample))
        #expect(Array(bytes.suffix(3)) == [0xE3, 0x80, 0x82])  // the sample ends with 。
        #expect(
            throws: DecodingError.undecodable(
                reason: "truncated UTF-8 sequence at byte \(bytes.count - 3) "
                    + "(the file ends inside a character)")
        ) {
            try TextDecoder().decode(Array(bytes.dropLast()))
        }
    }
}

/// The extractor never traps, whatever the input ends with.
@Suite struct ExtractionRobustnessTests {
    @Test func edgeInputs() {
        for text in [
            "", "截至", "截至2020年", "今(", "今(5)", "百分之", "$", "$1.", "2020年", "2020-", "2020-2", "1,", "1,23",
            "“两个", "明年", "于", "As of", "by June", "30 June", "一是", "十", "2万", "2万多", "3.", "力争三年内",
            "2020年1—", "2020年1—11", "12月", "上一年", "近", "约5",
        ] {
            let e = ExtractionProbe.extract(text)
            for f in e.facts { #expect(f.span.end <= text.unicodeScalars.count) }
        }
    }

    @Test func everyPrefixOfTheSample() throws {
        let text = try String(contentsOf: ExtractionFixtures.sample, encoding: .utf8)
        let scalars = Array(text.unicodeScalars)
        for cut in stride(from: 0, to: scalars.count, by: 37) {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars[..<cut])
            let doc = ExtractionProbe.document(String(v))
            for f in FactExtractor().extract(doc).facts { #expect(doc.text(f.span.range) == f.text) }
        }
    }
}
