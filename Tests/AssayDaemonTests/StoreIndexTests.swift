import AssayStore
import Foundation
import Testing

/// The state store's lookups that run once per input use an index: a full table scan per input made a
/// 10,000-file backlog twice as slow (docs/benchmarks.md).
@Suite struct StoreIndexTests {
    @Test func earlierVersionsOfANameAreFoundThroughAnIndex() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try StateStore(folder: folder.path)
        let plan = try store.queryPlan(
            "SELECT sha256, reportStem FROM document WHERE name = 'a.txt' AND sha256 != 'x' "
                + "AND status = 'done' AND reportStem IS NOT NULL ORDER BY firstSeen DESC LIMIT 1")
        #expect(plan.contains { $0.contains("USING INDEX document_name") }, "\(plan)")
    }
}
