import AssayValues

/// Deadline phrasings around a date the scanner has just read.
///
/// - A date named by a deadline word is a deadline whatever the date: 整改时限:2024年6月底, 整改期限为…,
///   完成时限:…, 限期至…, 计划(于)…完成, 力争…, 争取…, 确保…, 延期至…; English "Target date: March 31, 2024",
///   "target completion date of …", "Due: …". A noun (整改时限, Target date) becomes the fact's label; the
///   span stays the date (with a 于 / 前 / by that belongs to it, as for every deadline).
/// - A date the text reports as already reached is a plain date, never a deadline: 已于2024年10月底前完成
///   (text 2024年10月底前), 已在…前完成, 于2024年3月已完成, "completed by March 31, 2024".
/// - Otherwise 前 after a date (2023年6月30日前) makes it a deadline, and 于 before it a deadline when it
///   is not yet past at publication (decided in `DocumentDateResolver.resolveRelative`).
extension FactScanner {
    /// Words naming the time limit itself: the date after them is their value, so they label it.
    /// (A bare 截止日期 is not one of them: 数据截止日期 is an as-of date.)
    static let deadlineNouns = scalars([
        "整改完成时限", "整改完成期限", "整改时限", "完成时限", "办结时限", "销号时限",
        "整改期限", "完成期限", "办结期限", "时限", "期限", "整改截止时间", "整改截止日期",
        "完成截止时间", "完成截止日期",
    ])
    /// Words that commit to a date: the date after them is a deadline, labelled by what follows it.
    /// (Not 预计: 预计2024年全年增长5% is a forecast.)
    static let deadlineVerbs = scalars(["限期", "计划", "力争", "争取", "确保", "延期", "延长", "顺延", "延"])
    /// What may stand between a deadline word and its date: 整改时限:…, 整改期限为…, 限期至…, 计划于…, 计划在….
    static let deadlineLinks: ScalarSet = [" ", "\t", "\u{3000}", ":", "为", "是", "在", "至", "到", "于"]
    /// English names of a deadline (lowercase), longest first; "by" is read on its own (`english(at:)`).
    static let englishDeadlineNouns = scalars([
        "target completion date", "target implementation date", "revised target date",
        "estimated completion date", "expected completion date", "planned completion date",
        "scheduled completion date", "target date", "due date", "deadline", "due",
    ])
    static let englishDeadlineLinks = scalars(["of", "is", "was", "on"])
    /// English verbs reporting work done: "completed by March 31, 2024" is when it was done, not a deadline.
    static let englishDoneVerbs: Set<String> = [
        "completed", "implemented", "closed", "resolved", "remediated", "finished",
        "done", "fixed", "addressed",
    ]

    /// Settles what a date just read at `f.range` is. `marker` is the offset of a 于 right before it
    /// (the date then starts after it). Appends the fact and returns where scanning goes on.
    mutating func appendDate(_ f: DraftFact, marker: Int? = nil) -> Int {
        var f = f
        guard f.kind == .date else {
            facts.append(f)
            return f.range.upperBound
        }
        let start = marker ?? f.range.lowerBound
        let suffix = match(f.range.upperBound, Self.dueSuffix)
        let after = f.range.upperBound + (suffix?.count ?? 0)
        if reportedReached(before: start) || reportedReached(after: after) {
            // 已于2024年10月底前完成: the day the work was done, a plain date (its 前 kept, its 于 not,
            // as for any date).
            f.range = f.range.lowerBound..<after
            facts.append(f)
            return f.range.upperBound
        }
        let word = deadlineWord(before: start) ?? englishDeadlineWord(before: start).map { ($0, true) }
        if word != nil || suffix != nil {
            f.kind = .deadline
            f.range = start..<after
            if let w = word, w.noun { f.keyword = w.range }
        } else if let m = marker {
            f.dueMarker = m
        }
        facts.append(f)
        return f.range.upperBound
    }

    /// The deadline word ending right before `i` (past the links: 整改时限:, 限期至, 计划于), if any.
    func deadlineWord(before i: Int) -> (range: Range<Int>, noun: Bool)? {
        var p = i
        while p > 0, i - p < 3, Self.deadlineLinks.contains(s[p - 1]) { p -= 1 }
        // a link may also stand before 于 (计划于 is read from the 于): p is where the word must end.
        for w in Self.deadlineNouns where matches(p - w.count, w) { return ((p - w.count)..<p, true) }
        for w in Self.deadlineVerbs where matches(p - w.count, w) { return ((p - w.count)..<p, false) }
        return nil
    }

    /// 已于 / 已经于 / 均已在 / 已 right before `i` (the 于 or the date): the date is when it was done.
    func reportedReached(before i: Int) -> Bool { Self.reachedMarker(s, before: i) != nil }

    /// 已 right after the date (于2024年3月已完成, 2024年底前均已整改到位): the date is when it was done.
    func reportedReached(after e: Int) -> Bool { Self.reachedMarker(s, after: e) != nil }

    /// The words before `i` that report the work done by the date at `i`: 已于, 已经在, 已, "completed by".
    package static func reachedMarker(_ s: [Unicode.Scalar], before i: Int) -> Range<Int>? {
        let end = min(i, s.count)
        var k = end - 1
        while k >= 0, isSpace(s[k]) { k -= 1 }
        if k >= 0, s[k] == "于" || s[k] == "在" { k -= 1 }
        guard k >= 0 else { return nil }
        if s[k] == "已" { return k..<end }
        if s[k] == "经", k > 0, s[k - 1] == "已" { return (k - 1)..<end }
        // "completed by", "implemented on": an English verb of work done, then a preposition
        var b = k + 1
        while b > 0, s[b - 1] == " " { b -= 1 }
        var a = b
        while a > 0, isLatin(s[a - 1]) { a -= 1 }
        if a < b, ["by", "on", "in"].contains(ScalarText.string(s[a..<b]).lowercased()) {
            b = a
            while b > 0, s[b - 1] == " " { b -= 1 }
            a = b
            while a > 0, isLatin(s[a - 1]) { a -= 1 }
        }
        guard a < b, englishDoneVerbs.contains(ScalarText.string(s[a..<b]).lowercased()) else { return nil }
        var e = end
        while e > a, s[e - 1] == " " { e -= 1 }
        return a..<e
    }

    /// 已 right after the date at `e` (…已完成, …均已整改到位), with the word of work done after it.
    package static func reachedMarker(_ s: [Unicode.Scalar], after e: Int) -> Range<Int>? {
        var k = max(e, 0)
        let n = s.count
        for w in dueSuffix where k + w.count <= n && Array(s[k..<(k + w.count)]) == w { k += w.count; break }
        while k < n, isSpace(s[k]) { k += 1 }
        let start = k
        if k < n, s[k] == "均" || s[k] == "都" { k += 1 }
        if k + 1 < n, s[k] == "全", s[k + 1] == "部" { k += 2 }
        guard k < n, s[k] == "已" else { return nil }
        var j = k + 1
        while j < n, j - k < 5, ScalarText.isCJK(s[j]), s[j] != "," { j += 1 }
        return start..<j
    }

    /// The English deadline name ending right before `i` ("Target date: ", "target completion date of "), if any.
    func englishDeadlineWord(before i: Int) -> Range<Int>? {
        var p = i
        func skipGap() {
            while p > 0, s[p - 1] == " " || s[p - 1] == ":" || s[p - 1] == "-" || s[p - 1] == "\t" { p -= 1 }
        }
        skipGap()
        for w in Self.englishDeadlineLinks
        where p - w.count > 0 && s[p - w.count - 1] == " " && lowerMatches(p - w.count, w) {
            p -= w.count
            skipGap()
            break
        }
        for w in Self.englishDeadlineNouns where p - w.count >= 0 && lowerMatches(p - w.count, w) {
            let a = p - w.count
            if a > 0, Self.isLatin(s[a - 1]) { continue }
            return a..<p
        }
        return nil
    }
}
