import AssayExtraction
import AssayRules
import AssayTestSupport
import AssayValues
import Foundation
import Glibc
import Testing

@testable import AssayStore

/// What a recorded check leaves in the store: the text, facts, outcomes and snapshot are handed to
/// SQLite as UTF-8 bytes (no String is made of them) and must still be stored as text, exactly the
/// decoded text, whatever encoding the bulletin came in.
@Suite struct StoreRecordTests {
    static let bulletin = "关于巡视整改进展情况的通报\n一、总体情况\n反馈问题12个，已完成整改10个，整改完成率83.3%。\n其余2个问题将于2025年6月底前完成。\n"

    func recorded(_ bytes: [UInt8]) throws -> (store: StateStore, result: Pipeline.Result, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-record-\(UUID().uuidString)")
        let store = try StateStore(folder: folder.path)
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        var pipeline = Pipeline(ruleSets: sets)
        pipeline.history = store
        let result = try pipeline.check(bytes: bytes, name: "tongbao.txt")
        try store.record(result: result, rulesHash: "r1", reportStem: "tongbao", reportPaths: ["tongbao.findings.json"])
        return (store, result, folder)
    }

    @Test(arguments: ["utf-8", "utf-8-bom", "gb18030"])
    func textAndJSONAreStoredAsTextOfTheDecodedBulletin(_ encoding: String) throws {
        let bytes: [UInt8]
        switch encoding {
        case "utf-8": bytes = Array(Self.bulletin.utf8)
        case "utf-8-bom": bytes = [0xEF, 0xBB, 0xBF] + Array(Self.bulletin.utf8)
        default: bytes = try #require(Self.gb18030(Self.bulletin))
        }
        let (store, result, folder) = try recorded(bytes)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sha = result.document.decoded.sha256
        #expect(result.document.decoded.encoding.rawValue == encoding)
        #expect(try store.text(sha256: sha) == Self.bulletin)
        let types = try store.firstRow(
            """
            SELECT typeof(t.body), typeof(d.facts), typeof(r.outcomes), typeof(b.snapshot)
            FROM text t JOIN document d ON d.sha256 = t.sha256 JOIN run r ON r.sha256 = t.sha256
            JOIN bulletin b ON b.sha256 = t.sha256 WHERE t.sha256 = ?
            """, arguments: [sha])
        #expect(types == ["text", "text", "text", "text"])
        guard case .array(let facts)? = try store.facts(sha256: sha) else {
            Issue.record("no facts stored")
            return
        }
        #expect(facts.count == result.extraction.facts.count)
        let first = try #require(facts.first { $0["text"] == .string("12个") })
        #expect(first["section"] == .string("一、总体情况"))
        // The outcomes as JSON that SQLite reads (the review's counts use json_each over them).
        let counted = try store.firstRow(
            "SELECT COUNT(*) FROM run r, json_each(r.outcomes) WHERE r.sha256 = ?", arguments: [sha])
        #expect(counted == ["\(result.report.outcomes.count)"])
    }

    /// The text in GB18030, through iconv.
    static func gb18030(_ text: String) -> [UInt8]? {
        let cd = iconv_open("GB18030", "UTF-8")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2)
        var inLeft = input.count
        var outLeft = output.count
        let ok = input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                var ip: UnsafeMutablePointer<CChar>? = i.baseAddress
                var op: UnsafeMutablePointer<CChar>? = o.baseAddress
                return iconv(cd, &ip, &inLeft, &op, &outLeft) != -1
            }
        }
        return ok ? output[0..<(output.count - outLeft)].map { UInt8(bitPattern: $0) } : nil
    }
}
