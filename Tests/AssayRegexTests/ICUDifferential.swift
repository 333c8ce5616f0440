import AssayTestSupport
import Foundation

@testable import AssayRegex

/// The comparison behind the seeded differential tests: ScalarRegex against ICU, the reference.
enum ICUDifferential {
    /// ICU's matches of `text`, converted to scalar offsets shifted by `shift`.
    static func icu(_ re: NSRegularExpression, _ text: String, shift: Int) -> [ScalarRegex.Match] {
        let offsets = UTF16ScalarOffsets(text)
        return re.matches(in: text, range: offsets.whole).map { m in
            ScalarRegex.Match(
                range: offsets.scalars(m.range, shift: shift)!,
                groups: (1..<m.numberOfRanges).map { offsets.scalars(m.range(at: $0), shift: shift) })
        }
    }

    /// Eight texts from `text`, each searched whole and in an inner range by both engines; what differs
    /// first (naming the seed, the pattern and the text), or nil. Searches the engine leaves undecided
    /// (its step budget) are not compared.
    static func compare(
        seed: UInt64, pattern p: String, engine: ScalarRegex, icu re: NSRegularExpression,
        _ g: inout SeededGenerator, text: (inout SeededGenerator) -> String
    ) -> String? {
        for _ in 0..<8 {
            let t = text(&g)
            let scalars = Array(t.unicodeScalars)
            if let mine = engine.matches(in: scalars, range: 0..<scalars.count) {
                let theirs = icu(re, t, shift: 0)
                if mine != theirs {
                    return
                        "seed \(seed): pattern \(p.debugDescription) on \(t.debugDescription): ScalarRegex \(mine), ICU \(theirs)"
                }
            }
            if scalars.count >= 2 {
                let lo = g.int(scalars.count / 2)
                let hi = scalars.count - g.int(scalars.count / 2)
                if let mine = engine.matches(in: scalars, range: lo..<hi) {
                    let theirs = icu(re, String(String.UnicodeScalarView(scalars[lo..<hi])), shift: lo)
                    if mine != theirs {
                        return
                            "seed \(seed): pattern \(p.debugDescription) inside \(lo)..<\(hi) of \(t.debugDescription): "
                            + "ScalarRegex \(mine), ICU \(theirs)"
                    }
                }
            }
        }
        return nil
    }
}
