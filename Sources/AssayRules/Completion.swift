import AssayExtraction
import AssayValues

/// What a bulletin reports about the work behind a deadline: done, only partly done, or nothing.
///
/// - done: 已完成, 已全部完成, 均已完成, 已整改到位, 已整改完成, 已办结, 已销号; English "implemented",
///   "completed", "closed", "resolved" (not after "not", "be", "yet": "to be completed" is a plan);
/// - partial, which is not done and outweighs any done word beside it: 已完成80% (a share below 100%),
///   部分完成, 部分整改, 基本完成, 正在, 尚未, 未完成, 进行中, 逾期; English "in process", "in progress",
///   "past due", "not started", "not implemented", "partially", "ongoing", "pending", "overdue";
/// - reached: the deadline itself is the day the work was done (已于2024年10月底前完成, 于…已完成,
///   "completed by March 31, 2024"), so it is no pending deadline.
enum Completion: Equatable {
    case done(String)
    case partial(String)
    case reached(String)
    case none

    static let doneWords = [
        "已全部整改到位", "已整改到位", "已整改完成", "已整改完毕", "已全部完成", "已经完成", "已完成",
        "已全部办结", "已办结", "已销号", "已落实到位",
    ]
    static let partialWords = [
        "部分完成", "部分整改", "基本完成", "正在", "尚未", "未完成", "未整改", "未办结", "未销号",
        "未按期", "逾期", "进行中", "推进中", "整改中",
    ]
    static let englishDone = ["implemented", "completed", "closed", "resolved", "remediated"]
    static let englishPartial = [
        "in process", "in progress", "past due", "not started", "not implemented", "not completed",
        "not closed", "not yet", "partially", "partly", "ongoing", "pending", "overdue", "delayed",
    ]
    /// Words before an English done word that take it back: "not implemented", "to be completed", "not yet closed".
    static let englishUndo: Set<String> = ["not", "be", "yet", "partially", "partly", "never"]

    /// The completion reported in `range` (a sentence or a status line) of the document.
    static func reported(in range: Range<Int>, of document: Document) -> Completion {
        let s = document.folded
        if let p = percentBelowWhole(range, s) { return .partial(document.text(p)) }
        for w in partialWords {
            if let r = document.occurrences(of: w, in: range).first { return .partial(document.text(r)) }
        }
        for w in englishPartial {
            if let r = englishWord(w, in: range, s) { return .partial(document.text(r)) }
        }
        for w in doneWords {
            if let r = document.occurrences(of: w, in: range).first { return .done(document.text(r)) }
        }
        for w in englishDone {
            var from = range.lowerBound
            while let r = englishWord(w, in: from..<range.upperBound, s) {
                if !englishUndo.contains(wordBefore(r.lowerBound, s, floor: range.lowerBound)) {
                    return .done(document.text(r))
                }
                from = r.upperBound
            }
        }
        return .none
    }

    /// The deadline fact at `span` is itself the day the work was done: 已于…(前)完成, 于…已完成,
    /// "completed by …". The words that say so are returned.
    static func reached(_ span: Span, of document: Document) -> Completion? {
        let s = document.folded
        if var r = FactScanner.reachedMarker(s, before: span.offset)
            ?? FactScanner.reachedMarker(s, after: span.offset + span.length)
        {
            // 已 + a span that opens with its 于 (于2024年10月底前): say 已于
            if r.upperBound == span.offset, span.length > 0, s[span.offset] == "于" || s[span.offset] == "在" {
                r = r.lowerBound..<(r.upperBound + 1)
            }
            return .reached(document.text(r))
        }
        return nil
    }

    /// 完成 + up to six words + a share below 100%: 已完成80%, 完成进度为60%, 已完成整改任务的80%.
    static func percentBelowWhole(_ range: Range<Int>, _ s: [Unicode.Scalar]) -> Range<Int>? {
        var i = range.lowerBound
        while i + 1 < range.upperBound {
            defer { i += 1 }
            guard s[i] == "完", s[i + 1] == "成" else { continue }
            var j = i + 2
            while j < range.upperBound, j - i < 8, ScalarText.isCJK(s[j]) { j += 1 }
            var value = 0
            var digits = 0
            while j < range.upperBound, let d = ScalarText.digit(s[j]) { value = value * 10 + d; digits += 1; j += 1 }
            if j < range.upperBound, s[j] == "." {
                j += 1
                while j < range.upperBound, ScalarText.digit(s[j]) != nil { j += 1 }
            }
            guard digits > 0, j < range.upperBound, s[j] == "%", value < 100 else { continue }
            let start = i > range.lowerBound && s[i - 1] == "已" ? i - 1 : i
            return start..<(j + 1)
        }
        return nil
    }

    /// A lowercase English phrase as whole words, case-insensitive.
    static func englishWord(_ w: String, in range: Range<Int>, _ s: [Unicode.Scalar]) -> Range<Int>? {
        let needle = Array(w.unicodeScalars)
        guard range.count >= needle.count else { return nil }
        var i = range.lowerBound
        while i + needle.count <= range.upperBound {
            defer { i += 1 }
            if i > 0, FactScanner.isLatin(s[i - 1]) { continue }
            var k = 0
            while k < needle.count {
                let c = s[i + k].value
                let lower = (c >= 0x41 && c <= 0x5A) ? c + 0x20 : c
                if lower != needle[k].value { break }
                k += 1
            }
            guard k == needle.count else { continue }
            if i + k < s.count, FactScanner.isLatin(s[i + k]) { continue }
            return i..<(i + k)
        }
        return nil
    }

    /// The English word before `i` (past spaces and dashes), lowercased.
    static func wordBefore(_ i: Int, _ s: [Unicode.Scalar], floor: Int) -> String {
        var b = i
        while b > floor, s[b - 1] == " " || s[b - 1] == "-" { b -= 1 }
        var a = b
        while a > floor, FactScanner.isLatin(s[a - 1]) { a -= 1 }
        return ScalarText.string(s[a..<b]).lowercased()
    }

    /// Status lines beside a deadline's sentence: 整改情况:已完成, 完成情况:…, Status: In process.
    static let statusKeys = [
        "整改情况", "完成情况", "整改进展", "进展情况", "整改状态", "办理情况", "状态",
        "implementation status", "current status", "status",
    ]

    /// Whether the sentence at `range` opens with a status key and a colon.
    static func isStatusLine(_ range: Range<Int>, _ s: [Unicode.Scalar]) -> Bool {
        for key in statusKeys {
            let k = Array(key.unicodeScalars)
            guard range.count > k.count else { continue }
            var ok = true
            for (m, c) in k.enumerated() {
                let v = s[range.lowerBound + m].value
                if ((v >= 0x41 && v <= 0x5A) ? v + 0x20 : v) != c.value { ok = false; break }
            }
            guard ok else { continue }
            var j = range.lowerBound + k.count
            while j < range.upperBound, FactScanner.isSpace(s[j]) { j += 1 }
            if j < range.upperBound, s[j] == ":" { return true }
        }
        return false
    }
}
