import AssayValues

/// Reads the metric a figure belongs to from the clause around it.
///
/// Rules of thumb, in order:
/// - a noun right after the unit names the counted object (1368个问题 → 问题, 十项措施 → 措施);
///   a status right after it (7个正在建设中) borrows the object of the total counted before it;
/// - otherwise the clause text before the figure, minus a linking verb, is the metric
///   (整改率达79% → 整改率, 清理乱张贴、乱刻画7700余处 → 清理乱张贴、乱刻画);
/// - a date labels what follows it (2020年召开10次会议); a date in brackets labels what precedes it;
///   an as-of date labels the next clause up to its figure;
/// - English: the words before "of/was/is/reached" (implementation rate of 79%), else the noun after.
struct LabelFinder {
    let s: [Unicode.Scalar]
    let n: Int
    let drafts: [DraftFact]

    /// The scalars labels are cut from (the document's original ones; `s` may be folded).
    let original: [Unicode.Scalar]
    /// `headObject`'s table, shared by the copies of this finder.
    let heads = HeadObjects()

    init(scalars: [Unicode.Scalar], original: [Unicode.Scalar], drafts: [DraftFact]) {
        s = scalars
        n = scalars.count
        self.original = original
        self.drafts = drafts
    }

    static let hardBreaks: ScalarSet = ScalarSet(",,;;。!!??::\n\r".unicodeScalars)
    static let sentenceBreaks: ScalarSet = ScalarSet(";;。!!??\n".unicodeScalars)
    static let postStops: ScalarSet = hardBreaks.union("、()()《》\"[]【】 \t".unicodeScalars)
    static let connectors: ScalarSet = ScalarSet("和及与".unicodeScalars)
    static let closers: ScalarSet = ScalarSet(")》]】".unicodeScalars)
    static let openers: ScalarSet = ScalarSet("(《[【".unicodeScalars)
    static let statusWords = FactScanner.scalars(["正在", "已经", "已", "未", "尚未", "尚", "均", "仍", "待"])
    static let cutWords = FactScanner.scalars(["已经", "已", "正在", "均已"])
    static let linkingVerbs = FactScanner.scalars([
        "已达到", "达到了", "达到", "已达", "约为", "分别为", "分别是", "共计", "合计",
        "总计", "累计达", "共有", "为", "达", "是", "共", "计", "的",
    ])
    static let leadingNoise = FactScanner.scalars(["其中", "、", "和", "及", "与", "并", "且", "另", "共", " ", "\u{3000}"])

    enum Source { case post, pre, none }

    func label(_ k: Int) -> String? {
        label(k, depth: 0).text
    }

    func label(_ k: Int, depth: Int) -> (text: String?, source: Source) {
        let d = drafts[k]
        // 整改时限:2024年6月底, Target date: March 31, 2024: the word naming the deadline is its metric
        if let word = d.keyword { return (text(word), .pre) }
        if isEnglish(d.range) { return (englishLabel(k), .pre) }
        switch d.kind {
        case .date, .dateRange, .asOf, .deadline:
            if case .today = d.relative { return ("发布日期", .none) }
            if d.kind == .deadline, case .within = d.relative { break }
            return (dateLabel(k), .none)
        default:
            break
        }
        return numericLabel(k, depth: depth)
    }

    // MARK: - Chinese

    func cjkCount(_ r: Range<Int>) -> Int {
        var c = 0
        for i in r where ScalarText.isCJK(s[i]) || FactScanner.isLatin(s[i]) { c += 1 }
        return c
    }

    func text(_ r: Range<Int>) -> String { ScalarText.string(original[r]) }

    func matches(_ i: Int, _ w: [Unicode.Scalar]) -> Bool {
        guard i >= 0, i + w.count <= n else { return false }
        for k in 0..<w.count where s[i + k] != w[k] { return false }
        return true
    }

    /// The noun phrase right after a figure, up to punctuation, a connector, a digit or the next fact.
    func postRange(_ k: Int) -> Range<Int> {
        let start = drafts[k].range.upperBound
        let limit = k + 1 < drafts.count ? drafts[k + 1].range.lowerBound : n
        var j = start
        while j < n, j < limit, j - start < 16, !Self.postStops.contains(s[j]), FactScanner.digit(s[j]) == nil {
            // 部门和国有企业 → 部门; but 区与区交界处 keeps going until the object has two characters
            if Self.connectors.contains(s[j]), cjkCount(start..<j) >= 2 { break }
            j += 1
        }
        var a = start
        if a < j, s[a] == "的" { a += 1 }
        // 十余年来坚持 → 坚持
        if a < j, s[a] == "来" { a += 1 } else if a + 1 < j, s[a] == "以", s[a + 1] == "来" { a += 2 }
        var b = max(a, j)
        // 国考断面水质优良比例为 → 国考断面水质优良比例
        for w in Self.linkingVerbs where b - w.count >= a + 2 && matches(b - w.count, w) {
            b -= w.count
            break
        }
        return a..<b
    }

    /// The clause before a figure, back to punctuation or the previous fact.
    func preRange(_ k: Int) -> Range<Int> {
        let end = drafts[k].range.lowerBound
        var limit = k > 0 ? drafts[k - 1].range.upperBound : 0
        // 上年度整改率为85%: a relative year right before the metric qualifies it and stays in the label.
        if k > 0, drafts[k - 1].kind == .date,
            drafts[k - 1].relative == .lastYear || drafts[k - 1].relative == .thisYear
                || drafts[k - 1].value == .unresolved,
            !(drafts[k - 1].range.upperBound..<end).contains(where: { Self.hardBreaks.contains(s[$0]) })
        {
            limit = k > 1 ? drafts[k - 2].range.upperBound : 0
        }
        var a = end
        while a > limit, a > 0, !Self.hardBreaks.contains(s[a - 1]) { a -= 1 }
        var b = end
        // trailing linking verbs: 比例为, 安装率达, 已达
        var changed = true
        while changed {
            changed = false
            for w in Self.linkingVerbs where b - w.count >= a + 2 && matches(b - w.count, w) {
                b -= w.count
                changed = true
                break
            }
        }
        // nothing but a linking word (共计, 合计): no metric of its own
        if Self.linkingVerbs.contains(where: { $0.count == b - a && matches(a, $0) }) { b = a }
        while b > a, Self.openers.contains(s[b - 1]) || s[b - 1] == "“" || FactScanner.isSpace(s[b - 1]) { b -= 1 }
        // leading noise: 、和及与, 其中
        changed = true
        while changed && a < b {
            changed = false
            for w in Self.leadingNoise where matches(a, w) && a + w.count <= b {
                a += w.count
                changed = true
                break
            }
        }
        // a run-in list marker is not part of the metric: 一是开展警示教育 → 开展警示教育
        var m = a
        while m < b, m - a < 4, ChineseNumeral.isNumeralScalar(s[m]) { m += 1 }
        if m > a, m < b, s[m] == "是" || s[m] == "、" { a = m + 1 }
        // likewise a numbered paragraph's marker: 1.开展 / 1、开展 / (1)开展 / (一)开展
        var d = a
        let opened = d < b && s[d] == "("
        if opened { d += 1 }
        let digitsStart = d
        while d < b, d - digitsStart < 3, FactScanner.digit(s[d]) != nil || ChineseNumeral.isNumeralScalar(s[d]) {
            d += 1
        }
        if d > digitsStart, d < b {
            if opened, s[d] == ")" {
                a = d + 1
            } else if !opened, s[d] == "." || s[d] == "、" || s[d] == "." {
                a = d + 1
            }
        }
        if b - a > 24 { a = b - 24 }
        return a..<b
    }

    func numericLabel(_ k: Int, depth: Int) -> (text: String?, source: Source) {
        var post = postRange(k)
        // 2处共计86.5平方米: a linking word after the figure opens another figure, not an object
        if Self.linkingVerbs.contains(where: { matches(post.lowerBound, $0) && $0.count > 1 }) {
            post = post.lowerBound..<post.lowerBound
        }
        if cjkCount(post) >= 2 {
            let isStatus = Self.statusWords.contains { matches(post.lowerBound, $0) }
            if isStatus {
                if depth == 0, let head = headObject(before: k) { return (head + text(post), .none) }
                if depth > 0 { return (nil, .none) }
                let pre = preRange(k)
                if cjkCount(pre) >= 1 { return (text(pre), .pre) }
                return (text(post), .post)
            }
            // 项目已完成 → 项目
            for i in (post.lowerBound + 2)..<max(post.lowerBound + 2, post.upperBound)
            where Self.cutWords.contains(where: { matches(i, $0) }) {
                post = post.lowerBound..<i
                break
            }
            return (text(post), .post)
        }
        let pre = preRange(k)
        if cjkCount(pre) >= 1 { return (text(pre), .pre) }
        if cjkCount(post) >= 1 { return (text(post), .post) }
        // 立案12件12人: a figure right after another shares its metric
        if depth < 2, k > 0, pre.isEmpty,
            !(drafts[k - 1].range.upperBound..<drafts[k].range.lowerBound).contains(where: {
                Self.hardBreaks.contains(s[$0]) || s[$0] == "、"
            })
        {
            return (numericLabel(k - 1, depth: depth + 1).text, .none)
        }
        return (nil, .none)
    }

    /// The object of an earlier count with the same unit in the same sentence (12个项目 … 7个正在建设): the
    /// nearest earlier figure j of that unit whose own label is the noun after it (`numericLabel(j, depth:
    /// 1)` from `.post`), unless a sentence break lies between j, or any figure between, and this one.
    ///
    /// The walk back looks at up to `headWalk` figures; past them the answer is read from `HeadObjects`, one
    /// sweep over all figures. Why: the walk alone scanned the text between each earlier figure and this one,
    /// and on a sentence that never ends (a line without a full stop, 反馈问题20个，已完成15个、3个正在整改…
    /// repeated) it went back to the line's start for every status figure: 9.5 s at 25 KB and 78 s at 50 KB
    /// (cubic: the gap scan inside the walk); with the sweep the line of 1 MB takes 0.3 s of extract
    /// (docs/benchmarks.md, "Linear in the line").
    func headObject(before k: Int) -> String? {
        let unit = drafts[k].unit
        var j = k - 1
        // The text from `checked` to this figure holds no sentence break.
        var checked = drafts[k].range.lowerBound
        while j >= 0 {
            if k - j > Self.headWalk, let table = heads.table(self) {
                return table[k] < 0 ? nil : numericLabel(Int(table[k]), depth: 1).text
            }
            let from = drafts[j].range.upperBound
            if from < checked {
                if (from..<checked).contains(where: { Self.sentenceBreaks.contains(s[$0]) }) { return nil }
                checked = from
            }
            if drafts[j].unit == unit, let t = heads.postLabel(j, self) { return t }
            j -= 1
        }
        return nil
    }

    /// How many earlier figures `headObject` walks back over before it asks `HeadObjects`.
    static let headWalk = 32

    /// `headObject`'s answers for every figure, from one sweep in document order; built on first need, so a
    /// bulletin whose sentences end never builds it.
    final class HeadObjects {
        /// Per figure, the index of the figure whose label it borrows, or -1; nil until built.
        private var built: [Int32]?
        /// Set when the figures are not in order (their starts and ends both non-decreasing): the sweep
        /// would not give the walk's answers, so there is no table and the walk goes on.
        private var unordered = false

        /// The table, built on the first call; nil when the figures are not in order.
        func table(_ finder: LabelFinder) -> [Int32]? {
            if let built { return built }
            if unordered { return nil }
            let drafts = finder.drafts
            for k in drafts.indices.dropFirst()
            where drafts[k].range.lowerBound < drafts[k - 1].range.lowerBound
                || drafts[k].range.upperBound < drafts[k - 1].range.upperBound
            {
                unordered = true
                return nil
            }
            // In order, the figures the walk from k passes without meeting a break are those ending after
            // the last sentence break before k (a suffix of the earlier ones); it stops at the nearest of
            // them with k's unit and a label from the noun after it, which is `last[unit]` when that one
            // ends after the break.
            var out = [Int32](repeating: -1, count: drafts.count)
            var last = [String?: Int]()
            var lastBreak = -1
            var p = 0
            for k in drafts.indices {
                let start = drafts[k].range.lowerBound
                while p < start {
                    if LabelFinder.sentenceBreaks.contains(finder.s[p]) { lastBreak = p }
                    p += 1
                }
                if let j = last[drafts[k].unit], drafts[j].range.upperBound > lastBreak { out[k] = Int32(j) }
                if postLabel(k, finder) != nil { last[drafts[k].unit] = k }
            }
            built = out
            return out
        }

        /// Per figure, whether it has a label from the noun after it (`numericLabel(j, depth: 1)` from `.post`)
        /// and that label: computed once per figure. Why: the walk back of every status figure asked it
        /// of up to `headWalk` earlier figures, and on a line of 反馈问题20个，已完成15个、3个正在整改… that
        /// was each figure's label cut 32 times over, a third of the check (0.8 s per MB).
        private var postLabels = [String?]()
        /// Whether `postLabels[j]` is known.
        private var known = [Bool]()

        /// The label figure `j` has from the noun after it, or nil.
        func postLabel(_ j: Int, _ finder: LabelFinder) -> String? {
            if known.isEmpty {
                known = [Bool](repeating: false, count: finder.drafts.count)
                postLabels = [String?](repeating: nil, count: finder.drafts.count)
            }
            if known[j] { return postLabels[j] }
            let l = finder.numericLabel(j, depth: 1)
            let t = l.source == .post ? l.text : nil
            postLabels[j] = t
            known[j] = true
            return t
        }
    }

    func dateLabel(_ k: Int) -> String? {
        let d = drafts[k]
        let end = d.range.upperBound
        if end < n, Self.closers.contains(s[end]) {
            let pre = preRange(k)
            return cjkCount(pre) >= 1 ? text(pre) : nil
        }
        var j = end
        if j < n, s[j] == "," { j += 1 }
        let start = j
        let limit = d.kind == .asOf ? (k + 1 < drafts.count ? drafts[k + 1].range.lowerBound : n) : n
        while j < n, j < limit, j - start < 40, !Self.hardBreaks.contains(s[j]) {
            if d.kind == .asOf, FactScanner.digit(s[j]) != nil { break }
            j += 1
        }
        var a = start
        while a < j, s[a] == "的" || FactScanner.isSpace(s[a]) { a += 1 }
        if a + 1 < j, s[a] == "以", s[a + 1] == "来" { a += 2 }  // 今年以来,累计… → 累计…
        if a < j, s[a] == "," { a += 1 }
        if a == j || cjkCount(a..<j) < 2, j < n, s[j] == "," {
            // the date stands alone in its clause: label it with the next clause
            var k = j + 1
            let b = k
            while k < n, k < limit, k - b < 40, !Self.hardBreaks.contains(s[k]) {
                if d.kind == .asOf, FactScanner.digit(s[k]) != nil { break }
                k += 1
            }
            if cjkCount(b..<k) >= 2 { return text(b..<k) }
        }
        if cjkCount(a..<j) >= 2 { return text(a..<j) }
        let pre = preRange(k)
        return cjkCount(pre) >= 1 ? text(pre) : nil
    }

    // MARK: - English

    func isEnglish(_ r: Range<Int>) -> Bool {
        var a = r.lowerBound - 1
        while a >= 0, FactScanner.isSpace(s[a]) || s[a] == "$" { a -= 1 }
        if a >= 0, FactScanner.isLatin(s[a]) { return true }
        var b = r.upperBound
        while b < n, FactScanner.isSpace(s[b]) { b += 1 }
        if r.upperBound < n, FactScanner.isSpace(s[r.upperBound]), b < n, FactScanner.isLatin(s[b]) { return true }
        return r.contains(where: { FactScanner.isLatin(s[$0]) }) && !r.contains(where: { ScalarText.isCJK(s[$0]) })
    }

    static let englishLinks: Set<String> = [
        "of", "was", "is", "were", "are", "at", "reached", "to", "totaled", "totalled",
        "stood", "by", "with", "about", "approximately", "over", "nearly", "around",
        "has", "have", "had", "be", "been", "rose", "fell", "increased", "decreased",
        "amounted", "amounts", "equals", "equaled", "than", "more", "less", "some", "on",
    ]
    static let englishDeterminers: Set<String> = [
        "the", "a", "an", "its", "their", "our", "this", "that", "these", "those", "and",
        "or", "which", "whom", "who",
    ]

    func words(_ r: Range<Int>) -> [String] {
        var out = [String]()
        var cur = String.UnicodeScalarView()
        for i in r {
            if FactScanner.isLatin(s[i]) || s[i] == "-" || FactScanner.digit(s[i]) != nil {
                cur.append(s[i])
            } else if !cur.isEmpty {
                out.append(String(cur)); cur = String.UnicodeScalarView()
            }
        }
        if !cur.isEmpty { out.append(String(cur)) }
        return out
    }

    /// Where an English label's words end: punctuation and the line break.
    static let englishLabelStops: ScalarSet = ",.;:()\n!?"
    /// The linking verbs after a bare count whose status then labels it ("31 were implemented").
    static let englishStatusVerbs: Set<String> = ["was", "were", "is", "are", "remain", "remained", "remains"]

    func englishLabel(_ k: Int, depth: Int = 0) -> String? {
        let d = drafts[k]
        // Built once, not per figure (building the two sets was a fifth of this function on English rates, perf).
        let stops = Self.englishLabelStops
        if d.kind == .asOf || d.kind == .date || d.kind == .deadline {
            var j = d.range.upperBound
            if j < n, s[j] == "," { j += 1 }
            let a = j
            while j < n, j - a < 60, !stops.contains(s[j]), FactScanner.digit(s[j]) == nil { j += 1 }
            var w = words(a..<j)
            while let f = w.first, Self.englishDeterminers.contains(f.lowercased()) { w.removeFirst() }
            if let cut = w.firstIndex(where: { Self.englishLinks.contains($0.lowercased()) }) { w = Array(w[..<cut]) }
            if !w.isEmpty { return w.prefix(4).joined(separator: " ") }
        }
        // the noun after the figure: "45 of 60 actions" → actions, "12 findings" → findings
        var j = d.range.upperBound
        while j < n, j - d.range.upperBound < 40, !stops.contains(s[j]) { j += 1 }
        var p = words(d.range.upperBound..<j).filter { $0.unicodeScalars.contains(where: FactScanner.isLatin) }
        let ofFollows = p.first?.lowercased() == "of"
        while let f = p.first,
            f.lowercased() == "of" || f.lowercased() == "out" || Self.englishDeterminers.contains(f.lowercased())
        {
            p.removeFirst()
        }
        // "31 were implemented", "12 are in process": a bare count followed by a linking verb is labelled
        // by the status after it.
        if d.kind == .number || d.kind == .quantity, let f = p.first, Self.englishStatusVerbs.contains(f.lowercased()) {
            let status = p.dropFirst().prefix {
                !Self.englishDeterminers.contains($0.lowercased()) && $0.lowercased() != "by"
            }
            if !status.isEmpty { return status.prefix(3).joined(separator: " ") }
        }
        if let cut = p.firstIndex(where: { Self.englishLinks.contains($0.lowercased()) }) { p = Array(p[..<cut]) }
        let post = p.isEmpty ? nil : p.prefix(3).joined(separator: " ")
        if ofFollows, let post { return post }
        // "48 open recommendations": a bare count names what it counts right after it.
        if d.kind == .number || d.kind == .quantity, let post { return post }
        // the words before it, minus linking words: "implementation rate of 79%" → implementation rate
        var a = d.range.lowerBound
        let limit = k > 0 ? drafts[k - 1].range.upperBound : 0
        while a > limit, !stops.contains(s[a - 1]) { a -= 1 }
        var w = words(a..<d.range.lowerBound)
        while let l = w.last,
            Self.englishLinks.contains(l.lowercased()) || Self.englishDeterminers.contains(l.lowercased())
        {
            w.removeLast()
        }
        if w.count > 4 { w = Array(w.suffix(4)) }
        while let f = w.first,
            Self.englishDeterminers.contains(f.lowercased()) || Self.englishLinks.contains(f.lowercased())
        { w.removeFirst() }
        if !w.isEmpty { return w.joined(separator: " ") }
        if let post { return post }
        // "(84 percent)": a bracketed figure restates the figure before it
        if depth < 1, k > 0,
            !(drafts[k - 1].range.upperBound..<d.range.lowerBound).contains(where: { s[$0] == "." || s[$0] == ";" })
        {
            return englishLabel(k - 1, depth: depth + 1)
        }
        return nil
    }
}
