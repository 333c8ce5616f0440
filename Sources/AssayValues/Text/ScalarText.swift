import CAssayNative

/// Small scalar-level helpers shared by every stage that scans `[Unicode.Scalar]`.
public enum ScalarText {
    /// True for a CJK ideograph: the unified block (U+4E00–U+9FFF), extension A (U+3400–U+4DBF) and the
    /// compatibility block (U+F900–U+FAFF). The one definition for the decoder's and the extractor's tests.
    @inline(__always) public static func isCJK(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || (v >= 0xF900 && v <= 0xFAFF)
    }

    /// The value of an ASCII or full-width digit (0–9, ０–９).
    @inline(__always)
    public static func digit(_ c: Unicode.Scalar) -> Int? {
        let v = c.value
        if v >= 0x30 && v <= 0x39 { return Int(v - 0x30) }
        if v >= 0xFF10 && v <= 0xFF19 { return Int(v - 0xFF10) }
        return nil
    }

    /// A slice of scalars as a String, built through UTF-8 in one pass.
    /// Encoded straight into the new string's storage (no intermediate array; short texts such as
    /// fact texts and units end up in the string's inline form).
    public static func string<C: Collection>(_ scalars: C) -> String where C.Element == Unicode.Scalar {
        String(unsafeUninitializedCapacity: utf8Count(scalars)) { encode(scalars, into: $0) }
    }

    /// A slice of scalars as UTF-8 bytes. Cheaper than `string(_:)` for a long text that only goes on as
    /// bytes (to a file or the store): a String validates the bytes it is given, about as much work again
    /// as encoding them.
    public static func utf8<C: Collection>(_ scalars: C) -> [UInt8] where C.Element == Unicode.Scalar {
        let count = utf8Count(scalars)
        return [UInt8](unsafeUninitializedCapacity: count) { out, n in n = encode(scalars, into: out) }
    }

    @inline(__always)
    static func utf8Count<C: Collection>(_ scalars: C) -> Int where C.Element == Unicode.Scalar {
        var count = 0
        for s in scalars {
            let v = s.value
            count += v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4
        }
        return count
    }

    /// Writes the scalars' UTF-8 into `out` (at least `utf8Count` bytes long); returns how many bytes.
    @inline(__always)
    static func encode<C: Collection>(_ scalars: C, into out: UnsafeMutableBufferPointer<UInt8>) -> Int
    where C.Element == Unicode.Scalar {
        var i = 0
        for s in scalars {
            let v = s.value
            if v < 0x80 {
                out[i] = UInt8(v); i += 1
            } else if v < 0x800 {
                out[i] = UInt8(0xC0 | v >> 6); out[i + 1] = UInt8(0x80 | v & 0x3F); i += 2
            } else if v < 0x10000 {
                out[i] = UInt8(0xE0 | v >> 12); out[i + 1] = UInt8(0x80 | (v >> 6) & 0x3F)
                out[i + 2] = UInt8(0x80 | v & 0x3F); i += 3
            } else {
                out[i] = UInt8(0xF0 | v >> 18); out[i + 1] = UInt8(0x80 | (v >> 12) & 0x3F)
                out[i + 2] = UInt8(0x80 | (v >> 6) & 0x3F); out[i + 3] = UInt8(0x80 | v & 0x3F); i += 4
            }
        }
        return i
    }

    /// Whether the bytes of `needle` occur in `haystack` (an empty needle always does).
    public static func contains(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= haystack.count, let h = haystack.baseAddress, let n = needle.baseAddress else {
            return false
        }
        // The C library's search rather than a byte loop: in Chinese text nearly every third byte is a lead
        // byte like the needle's first, so the loop compared again at most of them (the tally finder's word
        // lists made this 2.7% of a check in perf).
        return assay_memmem(h, haystack.count, n, needle.count) != nil
    }

    /// Full-width ASCII forms (U+FF01–U+FF5E: ，：；（）！？％ and full-width letters and digits) folded
    /// to ASCII, one scalar for one, so offsets are unchanged. Chinese bulletins write their punctuation
    /// full width; the scanners match the folded scalars and so treat `，` like `,` and `（一）` like
    /// `(一)`, while every text shown to a reader is cut from the original scalars. Returns the input
    /// itself (shared storage, no copy) when it has nothing to fold.
    public static func foldWidth(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let first = s.firstIndex(where: { $0.value >= 0xFF01 && $0.value <= 0xFF5E }) else { return s }
        var out = s
        for i in first..<out.count { out[i] = foldWidth(out[i]) }
        return out
    }

    /// One scalar folded: a full-width ASCII form to ASCII, anything else as is.
    @inline(__always)
    public static func foldWidth(_ c: Unicode.Scalar) -> Unicode.Scalar {
        c.value >= 0xFF01 && c.value <= 0xFF5E ? Unicode.Scalar(c.value - 0xFEE0)! : c
    }

    /// A string with its full-width ASCII forms folded (for rule phrases searched in folded text).
    public static func foldWidth(_ text: String) -> [Unicode.Scalar] {
        foldWidth(Array(text.unicodeScalars))
    }

    /// Whether `needle` (without uppercase ASCII letters) occurs in `haystack` within `range` (all of it
    /// by default) with ASCII letters of any case: what `String(haystack[range]).lowercased().contains(needle)`
    /// says of text without combining marks, in one pass without a copy. (The scalars outside ASCII that
    /// lowercase into ASCII are K KELVIN SIGN, which makes no letter of the needles Assay asks for, none
    /// having a k, and İ, whose lowercase i carries a combining dot.)
    public static func containsIgnoringASCIICase(
        _ needle: String, in haystack: [Unicode.Scalar], range: Range<Int>? = nil
    ) -> Bool {
        let w = Array(needle.unicodeScalars).map(\.value)
        let r = (range ?? 0..<haystack.count).clamped(to: 0..<haystack.count)
        guard let first = w.first else { return true }
        guard w.count <= r.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            @inline(__always) func lower(_ v: UInt32) -> UInt32 { v >= 0x41 && v <= 0x5A ? v + 0x20 : v }
            var i = r.lowerBound
            let last = r.upperBound - w.count
            outer: while i <= last {
                if lower(h[i].value) != first { i += 1; continue }
                for k in 1..<w.count where lower(h[i + k].value) != w[k] { i += 1; continue outer }
                return true
            }
            return false
        }
    }

    /// Where `needle` first occurs in `haystack` within `range`, at or after `from`.
    public static func firstIndex(of needle: [Unicode.Scalar], in haystack: [Unicode.Scalar], range: Range<Int>) -> Int?
    {
        let range = range.clamped(to: 0..<haystack.count)
        guard let first = needle.first, needle.count <= range.count else { return nil }
        // Over the arrays' buffers, without a bounds check per scalar: phrase rules scan the whole
        // document once per phrase (2% of a check's instructions with the checks, callgrind).
        // The first scalar is found by glibc's `wmemchr` (`assay_find_unit`), which compares many scalars
        // at a time: most of this function's instructions were the scalar-by-scalar search.
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                var i = range.lowerBound
                let last = range.upperBound - n.count
                let base = UnsafeRawPointer(h.baseAddress!).assumingMemoryBound(to: UInt32.self)
                outer: while i <= last {
                    guard let hit = assay_find_unit(base + i, first.value, last - i + 1) else { return nil }
                    i = base.distance(to: hit)
                    var k = 1
                    while k < n.count {
                        if h[i + k] != n[k] { i += 1; continue outer }
                        k += 1
                    }
                    return i
                }
                return nil
            }
        }
    }
}

/// A small fixed set of scalars with a membership test that needs no hashing: a bit map for ASCII and
/// a short list for the rest. Scanners ask "is this a break/stop/opener?" at nearly every position,
/// where `Set<Unicode.Scalar>` spent its time seeding and finishing a hasher.
///
/// The list is guarded by a 256-bit filter keyed by a scalar's low byte, so most scalars outside ASCII
/// (a Chinese text's ideographs) are answered by one bit test instead of a walk of the list (the walk was
/// 0.5% of a bulletin's instructions, callgrind on the daemon's backlog, 2026-12-03).
public struct ScalarSet: Sendable, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    // Visible to inlined code: the test is inlined into the other modules' scanning loops (a call per
    // scalar cost more than the test).
    @usableFromInline var low: UInt64 = 0, high: UInt64 = 0
    @usableFromInline var filter: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    @usableFromInline var others: [UInt32] = []

    /// A set of the given scalars.
    public init<S: Sequence>(_ scalars: S) where S.Element == Unicode.Scalar {
        for c in scalars { insert(c) }
    }

    /// A set of the scalars of a string literal: `" \t、，"`.
    public init(stringLiteral value: String) {
        self.init(value.unicodeScalars)
    }

    /// A set of the listed scalars.
    public init(arrayLiteral elements: Unicode.Scalar...) {
        self.init(elements)
    }

    /// Adds a scalar to the set (no effect when it is already there).
    public mutating func insert(_ c: Unicode.Scalar) {
        let v = c.value
        if v < 64 {
            low |= 1 << UInt64(v)
        } else if v < 128 {
            high |= 1 << UInt64(v - 64)
        } else if !others.contains(v) {
            others.append(v)
            let bit: UInt64 = 1 << UInt64(v & 63)
            switch (v >> 6) & 3 {
            case 0: filter.0 |= bit
            case 1: filter.1 |= bit
            case 2: filter.2 |= bit
            default: filter.3 |= bit
            }
        }
    }

    /// A copy of the set with more scalars added.
    public func union<S: Sequence>(_ more: S) -> ScalarSet where S.Element == Unicode.Scalar {
        var copy = self
        for c in more { copy.insert(c) }
        return copy
    }

    /// True when the scalar is in the set.
    @inlinable @inline(__always)
    public func contains(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        if v < 64 { return low & (1 << UInt64(v)) != 0 }
        if v < 128 { return high & (1 << UInt64(v - 64)) != 0 }
        let word: UInt64
        switch (v >> 6) & 3 {
        case 0: word = filter.0
        case 1: word = filter.1
        case 2: word = filter.2
        default: word = filter.3
        }
        if word & (1 << UInt64(v & 63)) == 0 { return false }
        for o in others where o == v { return true }
        return false
    }
}

extension String {
    /// The string without leading and trailing spaces (ASCII, ideographic), tabs and the given characters.
    package func trimming(_ set: String = "") -> String {
        let chars = Set(set.unicodeScalars).union([" ", "\u{3000}", "\t"])
        var v = Substring(self).unicodeScalars
        while let f = v.first, chars.contains(f) { v.removeFirst() }
        while let l = v.last, chars.contains(l) { v.removeLast() }
        return String(v)
    }
}

extension StringProtocol {
    /// Whether `other` occurs in this text, searched in the UTF-8 bytes (the same test as over scalars:
    /// see `containsScalars`). It shadows Foundation's `contains(_:)` in Assay's modules, which goes
    /// through `NSString.range(of:)` and folds character clusters: in `assay check` of 1,000 bulletins
    /// that was 5.4% of all the time (perf, 2026-12-03). As Foundation's, an empty `other` is not
    /// contained. Text is compared as written, without Unicode canonical equivalence.
    package func contains(_ other: String) -> Bool {
        guard !other.isEmpty else { return false }
        let found = utf8.withContiguousStorageIfAvailable { hb in
            other.utf8.withContiguousStorageIfAvailable { nb in ScalarText.contains(nb, in: hb) }
        }
        if let f = found.flatMap({ $0 }) { return f }
        var h = String(self)
        var n = other
        h.makeContiguousUTF8()
        n.makeContiguousUTF8()
        return h.utf8.withContiguousStorageIfAvailable { hb in
            n.utf8.withContiguousStorageIfAvailable { nb in ScalarText.contains(nb, in: hb) }
        }.flatMap { $0 } ?? false
    }
}

extension String.UnicodeScalarView {
    /// Substring test over scalars: Foundation's `contains` folds character clusters and is far slower.
    /// Searched in the UTF-8 bytes, which is the same test: a match of whole encoded scalars in valid
    /// UTF-8 can only start at a scalar boundary, because a lead byte never equals a continuation byte.
    package func containsScalars(of needle: String) -> Bool {
        needle.isEmpty || String(self).contains(needle)
    }
}

/// The one loop behind every escaping writer (JSON strings, HTML text): `s` is written into `out` as UTF-8,
/// runs of bytes that need nothing copied in one append each. At a byte where `mayEscape` is true,
/// `escape(bytes, i, &out)` writes the replacement and returns how many bytes it stands for, or returns 0
/// to keep the byte. Per-scalar String appends used to be most of a report's cost. `skipWord`, when given,
/// is asked of eight bytes at once and returns true when none of them may need an escape (a cheaper test
/// than eight calls of `mayEscape`: the JSON writer's byte test was 2.5% of a batch check, callgrind).
@inline(__always)
package func escapeUTF8(
    _ s: String, into out: inout [UInt8], mayEscape: (UInt8) -> Bool,
    skipWord: ((UInt64) -> Bool)? = nil,
    escape: (UnsafeBufferPointer<UInt8>, Int, inout [UInt8]) -> Int
) {
    var copy = s
    copy.makeContiguousUTF8()
    copy.utf8.withContiguousStorageIfAvailable { b in
        let n = b.count
        var run = 0
        var i = 0
        while i < n {
            // Eight bytes at a time while none of them may need an escape (nearly all of a report's text).
            if let words = skipWord, i + 8 <= n,
                words(UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self))
            {
                i += 8
                continue
            }
            if !mayEscape(b[i]) { i += 1; continue }
            if i > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<i])) }
            run = i
            let width = escape(b, i, &out)
            if width == 0 { i += 1 } else { i += width; run = i }
        }
        if n > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<n])) }
    }
}
