extension RandomAccessCollection {
    /// The first index whose element is not `before` (the collection's end when all are), by binary search:
    /// the elements must be ordered so that every one `before` holds for comes first (sorted offsets,
    /// ranges in text order). The one search of Assay's sorted lists; it takes O(log n) predicate calls.
    package func partitionPoint(_ before: (Element) -> Bool) -> Index {
        var lo = startIndex
        var n = count
        while n > 0 {
            let half = n / 2
            let mid = index(lo, offsetBy: half)
            if before(self[mid]) {
                lo = index(after: mid)
                n -= half + 1
            } else {
                n = half
            }
        }
        return lo
    }
}
