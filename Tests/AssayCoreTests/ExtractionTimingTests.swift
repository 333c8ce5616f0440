import Foundation
import Testing
@testable import AssayValues
@testable import AssayExtraction
@testable import AssayRules
@testable import AssayRenderers
@testable import AssayEdge
@testable import AssayTooling

/// Prints the median extraction time of the sample (no assertion: timing depends on the machine).
/// Run in release: `swift test -c release -Xswiftc -enable-testing --filter ExtractionTiming`.
@Test func extractionTimingOfTheSample() throws {
    let doc = try ExtractionFixtures.document(ExtractionFixtures.sample)
    let extractor = FactExtractor()
    var times = [Double]()
    var count = 0
    for _ in 0..<300 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        count &+= extractor.extract(doc).facts.count
        times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    }
    times.sort()
    print("extraction of the sample: p50 \(times[times.count / 2]) ms, p90 \(times[times.count * 9 / 10]) ms (\(count / 300) facts)")
    #expect(count > 0)
}
