import Testing

@testable import AssayExtraction

/// `PhraseList` (the tally finder's Chinese word lists, searched in one pass) answers as the search it
/// replaced (`TallyFinder.has` over a plain list, `memmem` per word): the first word in list order that the
/// text contains.
struct PhraseListTests {
    static func plain(_ text: String, _ words: [String]) -> String? { TallyFinder.has(text, words) }

    @Test func listOrderNotTextOrder() {
        let list: PhraseList = ["整改完成", "完成", "已完成整改"]
        #expect(list.first(in: "已完成整改12个") == "完成")
        #expect(list.first(in: "整改完成12个,已完成整改") == "整改完成")
        #expect(list.first(in: "正在整改") == nil)
        #expect(list.first(in: "") == nil)
        #expect(TallyFinder.has("反馈问题46个", TallyFinder.totalPhrases) == "反馈")
        #expect(TallyFinder.has("其中党建方面", TallyFinder.totalPhrases) == nil)
    }

    @Test func shortWordsAndWordsAtTheEnds() {
        let list = PhraseList(["a", "", "共", "计"])
        #expect(list.first(in: "xyz") == "")
        #expect(PhraseList(["a", "共"]).first(in: "共") == "共")
        #expect(PhraseList(["a", "共"]).first(in: "ba") == "a")
        #expect(PhraseList(["合计"]).first(in: "合") == nil)
        #expect(PhraseList(["合计"]).first(in: "合计") == "合计")
    }

    /// Random texts and lists over a small alphabet (so words often occur, overlap and share first bytes):
    /// the same answer as the plain search, every time.
    @Test func agreesWithThePlainSearch() {
        let alphabet = Array("整改完成共计合问题aé1,。")
        var rng = SplitMix(seed: 7)
        for _ in 0..<3000 {
            func word(_ n: Int) -> String {
                String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            }
            let words = (0..<Int(1 + rng.next() % 8)).map { _ in word(Int(1 + rng.next() % 4)) }
            let text = word(Int(rng.next() % 24))
            #expect(PhraseList(words).first(in: text) == Self.plain(text, words), "\(words) in \(text)")
        }
    }
}

/// A seeded generator, so a failure can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
