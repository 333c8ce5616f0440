/// Words looked for in scalars in place, indexed by first scalar (each first scalar's words longest first):
/// whether any occurs in a range (the tally finder's Chinese word lists), or the longest that starts at a
/// position (the fixed phrases, `ExtractionConfiguration`); or, through `mayStart`, where one may start at
/// all (the snapshot's change words).
struct ScalarWords: Sendable {
    /// The words as given.
    let words: [String]
    /// Each word's scalars, by its first scalar, longest first.
    let byFirst: [Unicode.Scalar: [[Unicode.Scalar]]]
    /// The first scalars as bits keyed by their low 16 bits (a scalar past U+FFFF shares a bit and is then
    /// looked up in full), so most scalars are passed without hashing.
    let firstBits: [UInt64]
    /// The same words for a search in a String (`TallyFinder.has`).
    let phrases: PhraseList

    init(_ words: [String]) {
        self.words = words
        phrases = PhraseList(words)
        var map = [Unicode.Scalar: [[Unicode.Scalar]]]()
        var bits = [UInt64](repeating: 0, count: 1024)
        for w in words where !w.isEmpty {
            let scalars = Array(w.unicodeScalars)
            map[scalars[0], default: []].append(scalars)
            let v = Int(scalars[0].value & 0xFFFF)
            bits[v >> 6] |= 1 << UInt64(v & 63)
        }
        for k in map.keys { map[k]!.sort { $0.count > $1.count } }
        byFirst = map
        firstBits = bits
    }

    /// Whether a word may start with `c`: false means none does.
    @inline(__always) func mayStart(_ c: Unicode.Scalar) -> Bool {
        let v = Int(c.value & 0xFFFF)
        return firstBits[v >> 6] & (1 << UInt64(v & 63)) != 0
    }

    /// Whether a word lies wholly in `range` of `s`.
    func occurs(in s: [Unicode.Scalar], _ range: Range<Int>) -> Bool {
        let r = range.clamped(to: 0..<s.count)
        for i in r where mayStart(s[i]) {
            guard let entries = byFirst[s[i]] else { continue }
            for w in entries where i + w.count <= r.upperBound {
                var k = 1
                while k < w.count, s[i + k] == w[k] { k += 1 }
                if k == w.count { return true }
            }
        }
        return false
    }

    /// The end of the longest word that starts at `i` in `s`, if one does.
    @inline(__always)
    func end(in s: [Unicode.Scalar], at i: Int) -> Int? {
        guard mayStart(s[i]), let candidates = byFirst[s[i]] else { return nil }
        outer: for p in candidates where i + p.count <= s.count {
            for k in 1..<p.count where s[i + k] != p[k] { continue outer }
            return i + p.count
        }
        return nil
    }
}
