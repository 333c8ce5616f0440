import AssayValues
import Testing

/// The one binary search of sorted lists (`partitionPoint`): the first element a predicate no longer holds for.
@Suite struct PartitionPointTests {
    @Test func theFirstIndexPastThePrefix() {
        let xs = [2, 4, 4, 7, 9]
        #expect(xs.partitionPoint { $0 < 4 } == 1)
        #expect(xs.partitionPoint { $0 <= 4 } == 3)
        #expect(xs.partitionPoint { $0 < 0 } == 0)
        #expect(xs.partitionPoint { $0 < 100 } == 5)
        #expect([Int]().partitionPoint { $0 < 1 } == 0)
        // On a slice, an index of the slice.
        #expect(xs[2...].partitionPoint { $0 < 9 } == 4)
        for n in 0..<40 {
            let sorted = (0..<n).map { $0 * 3 }
            for x in -1...(3 * n + 1) {
                #expect(sorted.partitionPoint { $0 < x } == (sorted.firstIndex { $0 >= x } ?? n))
            }
        }
    }
}
