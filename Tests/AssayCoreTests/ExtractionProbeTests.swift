import Foundation
import Testing
@testable import AssayCore

@Test func probeDump() throws {
    guard let dir = ProcessInfo.processInfo.environment["ASSAY_PROBE_DIR"] else { return }
    for name in try FileManager.default.contentsOfDirectory(atPath: dir) where name.hasSuffix(".txt") {
        let doc = try ExtractionFixtures.document(URL(fileURLWithPath: dir + "/" + name))
        print(FactsTable.render(document: doc, extraction: FactExtractor().extract(doc)))
    }
}
