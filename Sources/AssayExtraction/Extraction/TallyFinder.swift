import AssayValues
import Foundation

/// Finds the rectification tallies of a bulletin and gives each member figure its role.
///
/// A tally is a total of problems (or money, or recommendations) with its parts by status and its stated
/// rates. Roles come from the words around each figure, never from its position:
///
/// - a status word in the clause before a count (已完成整改41个, 正在整改5个, 申请延期2个) or right after it
///   (5个正在整改, 31 were implemented) makes it a part: `done`, `partial`, `outstanding`, `deferred`;
/// - a total word before it (反馈问题46个, 共计50项, 发现问题十五个) or a problem noun right after it
///   (46个问题, 48 recommendations) makes it the `total`; a count of anything else (12个项目) is a total only
///   when parts of the same unit follow it in its sentence;
/// - counts of things that are not problems (制度, 人, 次, 方面, 单位 …) get no role;
/// - 其中 (of which) after a total opens its parts, or a breakdown by category; after a part it opens a
///   nested breakdown of that part (a tally of its own, `t1.1`, whose total is the part);
/// - a percent right after a member in brackets (688个(98.71%)), a share (占问题总数的96.18%) and a named
///   rate (整改率, 完成率, 资金整改率 for money, implementation rate) are `rate`s of a member: the bracketed or
///   shared member, else the tally's completed count. A rate of another period (上年度整改率) is no member.
///
/// A tally lives in one paragraph (a line). A paragraph whose parts have no total takes the last total
/// still waiting for its parts from an earlier paragraph, and the tally records that doubt: the arithmetic
/// may pass, but a mismatch is reported as missing, never as a failure.
package struct TallyFinder {
    /// The segmented bulletin the facts were found in.
    package let document: Document
    /// The document's facts in document order; tally members are indexes into this array.
    package let facts: [Fact]
    /// Folded scalars: full-width punctuation as ASCII.
    package let s: [Unicode.Scalar]
    /// Whether the facts are sorted by offset (the extractor's are), so lookups by offset may binary-search.
    let factsInOrder: Bool

    /// A finder over a document and its extracted facts.
    package init(document: Document, facts: [Fact]) {
        self.document = document
        self.facts = facts
        self.s = document.folded
        factsInOrder = facts.indices.dropFirst().allSatisfy { facts[$0 - 1].span.offset <= facts[$0].span.offset }
    }

    /// The index of the first fact whose offset is at least `offset` (facts in order).
    func firstFact(atOrAfter offset: Int) -> Int { facts.firstFact(atOrAfter: offset) }

    // MARK: words

    static let deferredWords = ["申请延期", "延期整改", "延期", "暂缓", "缓办"]
    static let outstandingWords = [
        "未完成", "尚未完成", "未整改", "尚未整改", "未启动", "未开始", "尚未开始", "未销号", "未办结", "尚未", "待追缴",
        "未追回", "尚未追回", "未收回", "未到位", "待整改", "剩余", "未落实", "尚未落实", "未解决", "尚未解决", "仍未",
    ]
    /// Chinese words that mark a part as under way or partly done (`partial`).
    package static let partialWords = [
        "基本完成", "部分完成", "部分整改", "阶段性成果", "阶段性进展", "阶段性整改", "持续整改", "正在整改", "整改中",
        "正在推进", "推进中", "正在", "长期坚持", "长期整改", "持续推进", "逐步整改", "基本整改", "持续深化",
    ]
    /// Chinese words that mark a part as completed (`done`), recovered money included (追回, 收回 …).
    package static let doneWords = [
        "已完成", "完成整改", "整改完成", "已整改", "整改到位", "已销号", "销号", "办结", "已解决", "已落实",
        "追回", "收回", "归还", "退还", "清退", "上缴", "挽回", "完成了", "均已完成", "追缴", "退缴", "收缴", "缴回",
    ]
    static let totalWords = [
        "反馈", "交办", "移交", "指出", "发现", "查出", "共计", "合计", "总计", "总数", "共有", "共涉及",
        "共梳理", "共要求", "问题资金", "问题金额", "涉及金额", "涉及资金", "违规", "违纪", "损失", "清理", "梳理出",
    ]
    static let problemNouns = ["问题", "事项", "意见", "建议", "任务"]
    /// Words before a count of problems added since the last bulletin (新增问题3个).
    static let newProblems = ["新增问题", "新增", "新发现问题", "新发现", "新移交问题", "新移交"]
    /// Words after a former value: 由40个调整为43个, 由28个增加到31个.
    static let changedTo = [
        "调整为", "变更为", "变为", "增加为", "增加到", "增加至", "增至", "增为", "减少为", "减少到", "减少至", "减至", "核减为", "调减为", "调增为",
    ]
    /// Objects that are counted but are not problems: a count of them is in no tally.
    static let otherObjects = [
        "制度", "机制", "办法", "规定", "文件", "方面", "单位", "部门", "领域", "人", "干部", "党员", "会议",
        "次", "场", "篇", "期", "批", "轮", "户", "家", "企业", "案件", "线索", "条款",
    ]
    /// Classifiers that count problems (个, 项, 条, 件, 处, 宗, 起, 笔).
    package static let countUnits: Set<String> = ["个", "项", "条", "件", "处", "宗", "起", "笔"]
    /// Words that make a rate a different quantity from this tally's.
    package static let otherPeriod = ["上年", "去年", "同比", "上一年", "往年", "较", "比上", "提高", "下降"]
    /// Names of a completion rate (整改率, 完成率, 办结率 …), which make a percent a `rate` of the tally.
    package static let rateWords = [
        "整改率", "完成率", "办结率", "销号率", "整改完成率", "完成比例", "整改比例", "解决率", "落实率",
        "退缴率", "追缴率", "收缴率", "追回率", "回收率", "清退率", "到位率",
    ]

    /// Set aside without being done: counted among the parts, neither completed nor pending.
    static let englishDeferred = [
        "deferred", "postponed", "extended", "no longer applicable", "not applicable", "will not be implemented",
        "will not implement", "not be implemented", "withdrawn", "superseded", "no longer relevant",
    ]
    static let englishOutstanding = [
        "not implemented", "not yet implemented", "not started", "not yet started", "unimplemented",
        "not been started", "not been implemented", "not yet been started", "not yet been implemented",
        "not begun", "not yet begun", "yet to be started", "yet to be implemented", "remains outstanding",
        "remain outstanding",
        "outstanding", "remain open", "remained open", "still open", "unresolved", "red", "not completed",
    ]
    /// English words that mark a recommendation as under way (`partial`); matched as whole words.
    package static let englishPartial = [
        "in process", "in progress", "partially implemented", "partially", "ongoing", "underway", "under way",
        "amber", "yellow", "being implemented",
    ]
    /// English words that mark a recommendation or amount as completed (`done`); matched as whole words.
    package static let englishDone = [
        "implemented", "completed", "complete", "closed", "resolved", "green", "fully implemented", "recovered",
        "repaid",
        "returned", "collected",
    ]
    static let englishMoneyTotal = [
        "questioned", "identified", "disallowed", "found", "total", "totaling", "unsupported",
    ]
    static let englishTotal = ["total", "totaling", "totalling", "of the", "made", "issued", "tracked", "followed up"]
    static let englishNouns = [
        "recommendation", "recommendations", "finding", "findings", "issue", "issues", "action", "actions",
        "action item", "action items",
        "corrective actions", "items",
    ]
    static let englishRates = ["implementation rate", "completion rate", "closure rate", "rate"]

    // MARK: classification

    /// A figure's context: the clause before it (back to punctuation or the previous figure) and after it.
    package struct Context {
        var pre: String
        var post: String
        var english: Bool
        /// Whether the text after the figure runs into the next figure without a break: it is then that
        /// figure's lead-in (12个项目已完成1个), not a status of this one.
        var postLeadsOn = false
    }

    /// The punctuation that ends a clause (after width folding): , ; 。 : ! ? 、 and a line end.
    /// How far, in scalars, a rate reads back for its clause and for a member it is a share of (占…的).
    /// Why a bound: a clause that never ends (整改率达50% repeated on a line without punctuation) was read
    /// back to the line's start for every rate, and its text searched for each list of words: 6.4 s at
    /// 100 KB and no answer in 60 s at 400 KB. At 1000 scalars that was 2.5 s per MB, at 300 0.8 s. The
    /// longest clause of the test corpus has 243 scalars, so no result of it changes (docs/benchmarks.md,
    /// "Linear in the line").
    static let reach = 300
    /// How far, in scalars, an English sentence is read either side of a rate (`englishSentenceRange`), for the
    /// same reason: the longest line of the test corpus has 540 scalars.
    static let sentenceReach = 1000

    package static let clauseBreaks: ScalarSet = ScalarSet(",;。:!?\n、".unicodeScalars)
    static let sentenceBreaks: ScalarSet = ScalarSet(";。!?\n".unicodeScalars)

    /// The folded text of a scalar range, clamped at the document's start and end; empty for a reversed range.
    package func text(_ r: Range<Int>) -> String {
        let lower = min(max(0, r.lowerBound), s.count)
        return ScalarText.string(s[lower..<min(s.count, max(lower, r.upperBound))])
    }

    func isEnglish(_ f: Fact) -> Bool {
        var latin = 0
        var cjk = 0
        let r = max(0, f.span.offset - 30)..<min(s.count, f.span.offset + f.span.length + 30)
        for i in r { if FactScanner.isLatin(s[i]) { latin += 1 } else if ScalarText.isCJK(s[i]) { cjk += 1 } }
        return latin > cjk
    }

    func context(_ k: Int) -> Context {
        let f = facts[k]
        let start = f.span.offset
        let end = f.span.offset + f.span.length
        let english = isEnglish(f)
        var a = start
        let prevEnd = k > 0 ? facts[k - 1].span.offset + facts[k - 1].span.length : 0
        // English clauses run over "and"; Chinese ones stop at 、 as well.
        // English clauses run over "and" and over a colon right before the figure ("Implemented: 14").
        while a > prevEnd, a > 0,
            !Self.clauseBreaks.contains(s[a - 1]) || (english && s[a - 1] == "、")
                || (english && s[a - 1] == ":" && s[a..<start].allSatisfy(FactScanner.isSpace))
        { a -= 1 }
        var nextStart = k + 1 < facts.count ? facts[k + 1].span.offset : s.count
        // 688个(98.71%) were …: the bracketed percent restates the figure; the clause goes on after it.
        if k + 1 < facts.count, facts[k + 1].kind == .percent, isBracketed(k + 1) {
            let after = facts[k + 1].span.offset + facts[k + 1].span.length
            var j = after
            if j < s.count, s[j] == ")" { j += 1 }
            nextStart = k + 2 < facts.count ? facts[k + 2].span.offset : s.count
            var b = j
            while b < nextStart, !Self.clauseBreaks.contains(s[b]) { b += 1 }
            return Context(
                pre: englishClause(text(a..<start), english: english, last: true),
                post: englishClause(text(j..<b), english: english, last: false), english: english)
        }
        var b = end
        while b < nextStart, b < s.count, !Self.clauseBreaks.contains(s[b]) { b += 1 }
        return Context(
            pre: englishClause(text(a..<start), english: english, last: true),
            post: englishClause(text(end..<b), english: english, last: false), english: english,
            postLeadsOn: !english && b == nextStart && b > end && k + 1 < facts.count)
    }

    /// English clauses also end at a full stop and at "and": "12 are in process and 5 are not yet started".
    func englishClause(_ t: String, english: Bool, last: Bool) -> String {
        guard english else { return t }
        var out = t
        // The separators are ASCII: found in the UTF-8 (every hit is a scalar boundary), not through
        // Foundation's `range(of:)`, which was a tenth of a check of English rates.
        for sep in Self.englishClauseBreaks {
            let u = Array(out.utf8)
            let n = sep.count
            guard u.count >= n else { continue }
            let hits = (0...(u.count - n)).lazy.filter { i in (0..<n).allSatisfy { u[i + $0] == sep[$0] } }
            if last, let i = hits.last {
                out = String(out[out.utf8.index(out.utf8.startIndex, offsetBy: i + n)...])
            }
            if !last, let i = hits.first { out = String(out[..<out.utf8.index(out.utf8.startIndex, offsetBy: i)]) }
        }
        if !last, out.hasSuffix(".") { out.removeLast() }
        return out
    }

    /// The Chinese words a rate's label and clause are searched for, indexed by first scalar (`ScalarWords`).
    static let rateScalarWords = ScalarWords(rateWords)
    static let otherPeriodScalarWords = ScalarWords(otherPeriod)
    static let moneyScalarWords = ScalarWords(["资金", "金额"])

    /// The text's words, lowercased: runs of letters. ASCII text is split on its bytes; `Character.isLetter`
    /// over every character was a tenth of a check of English rates.
    static func words(_ text: String) -> [String] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        }
        var out = [String]()
        var word = [UInt8]()
        for b in text.utf8 {
            if (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A {
                word.append(b | 0x20)
            } else if !word.isEmpty {
                out.append(String(decoding: word, as: UTF8.self))
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { out.append(String(decoding: word, as: UTF8.self)) }
        return out
    }

    /// What a status table's row label is trimmed of: "Open: 19", "| Open | 19".
    static let rowTrim = CharacterSet(charactersIn: " \t:-–|").union(.whitespaces)

    /// Where an English clause ends besides the clause breaks: a full stop, "and", a semicolon.
    static let englishClauseBreaks: [[UInt8]] = [". ", " and ", "; "].map { Array($0.utf8) }

    /// Whether a percent stands in brackets right after the figure before it: 688个(98.71%), 34 (29.1%).
    func isBracketed(_ k: Int) -> Bool {
        guard k > 0 else { return false }
        var i = facts[k].span.offset - 1
        while i >= 0, FactScanner.isSpace(s[i]) { i -= 1 }
        guard i >= 0, s[i] == "(" else { return false }
        i -= 1
        while i >= 0, FactScanner.isSpace(s[i]) { i -= 1 }
        let prev = facts[k - 1]
        return i == prev.span.offset + prev.span.length - 1
    }

    /// The English sentence around a figure: back to the last ". " and on to the next one, at most
    /// `sentenceReach` scalars either side.
    /// (A range, searched in place for a rate's other-period words: cutting its up to 2000 scalars into a
    /// string for every English rate was a fifth of a check of English rates.)
    func englishSentenceRange(around f: Fact) -> Range<Int> {
        let line = document.sentence(at: f.span.offset)?.range ?? f.span.offset..<(f.span.offset + f.span.length)
        var a = f.span.offset
        let floor = max(line.lowerBound, f.span.offset - Self.sentenceReach)
        while a > floor, !(s[a - 1] == " " && a >= 2 && s[a - 2] == ".") { a -= 1 }
        var b = f.span.offset + f.span.length
        let ceiling = min(line.upperBound, b + Self.sentenceReach)
        while b < ceiling, !(s[b] == "." && (b + 1 == s.count || s[b + 1] == " " || s[b + 1] == "\n")) {
            b += 1
        }
        return a..<b
    }

    /// "14 implemented (70.0%)": the percent in brackets closes the clause of the figure before it
    /// (English only; no clause break and at most 24 scalars between).
    func isBracketedAfterClause(_ k: Int) -> Bool {
        guard k > 0, isEnglish(facts[k]) else { return false }
        var i = facts[k].span.offset - 1
        while i >= 0, FactScanner.isSpace(s[i]) { i -= 1 }
        guard i >= 0, s[i] == "(" else { return false }
        let prevEnd = facts[k - 1].span.offset + facts[k - 1].span.length
        guard i >= prevEnd, i - prevEnd <= 24 else { return false }
        return !(prevEnd..<i).contains { Self.clauseBreaks.contains(s[$0]) || s[$0] == "." }
    }

    static let statusWords = StatusWords(lists: [
        (.deferred, deferredWords), (.outstanding, outstandingWords),
        (.partial, partialWords), (.done, doneWords),
    ])

    /// The Chinese status words, indexed by their first scalar so a text is scanned once.
    struct StatusWords {
        let byFirst: [Unicode.Scalar: [(word: [Unicode.Scalar], role: TallyRole, rank: Int, text: String)]]

        init(lists: [(TallyRole, [String])]) {
            var map = [Unicode.Scalar: [(word: [Unicode.Scalar], role: TallyRole, rank: Int, text: String)]]()
            var rank = 0
            for (role, words) in lists {
                for w in words {
                    let scalars = Array(w.unicodeScalars)
                    map[scalars[0], default: []].append((scalars, role, rank, w))
                    rank += 1
                }
            }
            byFirst = map
        }

        /// The word of the lowest rank (list order) that occurs in the text.
        func best(in text: String) -> (role: TallyRole, text: String)? {
            let s = Array(text.unicodeScalars)
            var found: (rank: Int, role: TallyRole, text: String)?
            for i in s.indices {
                guard let entries = byFirst[s[i]] else { continue }
                for e in entries where found.map({ e.rank < $0.rank }) ?? true && i + e.word.count <= s.count {
                    var k = 1
                    while k < e.word.count, s[i + k] == e.word[k] { k += 1 }
                    if k == e.word.count { found = (e.rank, e.role, e.text) }
                }
            }
            return found.map { ($0.role, $0.text) }
        }

        func strongestRole(in text: String) -> TallyRole? { best(in: text)?.role }
        func firstWord(in text: String) -> String? { best(in: text)?.text }
    }

    /// Prefix and suffix tests on UTF-8 bytes (String's own walk grapheme clusters, far slower here).
    package static func starts(_ text: String, _ w: String) -> Bool {
        let n = w.utf8.count
        guard text.utf8.count >= n else { return false }
        guard n > 0 else { return true }
        // One memcmp over both strings' own storage (native strings and literals have it); the UTF-8
        // views' elementsEqual walked byte by byte through the views' indices.
        let same = text.utf8.withContiguousStorageIfAvailable { t in
            w.utf8.withContiguousStorageIfAvailable { memcmp(t.baseAddress!, $0.baseAddress!, n) == 0 }
        }
        if let same = same.flatMap({ $0 }) { return same }
        return text.utf8.prefix(n).elementsEqual(w.utf8)
    }

    /// True when the text ends with `w` (compared as UTF-8 bytes).
    package static func ends(_ text: String, _ w: String) -> Bool {
        let n = w.utf8.count
        let m = text.utf8.count
        guard m >= n else { return false }
        guard n > 0 else { return true }
        let same = text.utf8.withContiguousStorageIfAvailable { t in
            w.utf8.withContiguousStorageIfAvailable { memcmp(t.baseAddress! + (m - n), $0.baseAddress!, n) == 0 }
        }
        if let same = same.flatMap({ $0 }) { return same }
        return text.utf8.suffix(n).elementsEqual(w.utf8)
    }

    /// The first word of `words` found anywhere in the text (a substring search on UTF-8 bytes), or nil.
    package static func has(_ text: String, _ words: [String]) -> String? {
        // In place when both are contiguous (native strings and literals are): copying the text and each
        // word into a `var` first cost a retain and a release per word, for every clause of every figure.
        let inPlace = text.utf8.withContiguousStorageIfAvailable { h in
            words.first { w in
                w.utf8.withContiguousStorageIfAvailable { ScalarText.contains($0, in: h) } ?? text.contains(w)
            }
        }
        if let found = inPlace { return found }
        var t = text
        t.makeContiguousUTF8()
        return t.utf8.withContiguousStorageIfAvailable { h in
            words.first { w in
                var w = w
                w.makeContiguousUTF8()
                return w.utf8.withContiguousStorageIfAvailable { ScalarText.contains($0, in: h) } ?? false
            }
        } ?? nil
    }

    /// `has(_:_:)` over a list prepared once (`PhraseList`): one pass over the text for the whole list.
    package static func has(_ text: String, _ words: PhraseList) -> String? { words.first(in: text) }

    // The Chinese lists searched in every figure's clause, prepared once (`PhraseList`).
    static let totalPhrases = PhraseList(totalWords)
    static let problemNounPhrases = PhraseList(problemNouns)
    /// `rateWords` prepared for `has`.
    package static let rateWordPhrases = PhraseList(rateWords)
    /// `otherPeriod` prepared for `has`.
    package static let otherPeriodPhrases = PhraseList(otherPeriod)
    static let rectifiedAmountWords: PhraseList = ["整改问题金额", "整改金额", "整改资金"]
    static let involvedAmountWords: PhraseList = ["涉及金额", "涉及资金"]
    static let sumWords: PhraseList = ["合计", "共计", "总计", "以上"]
    static let sumOrAboveWords: PhraseList = ["合计", "共计", "总计", "以上", "上述"]
    static let moneyWords: PhraseList = ["资金", "金额"]

    /// English word-bounded phrase search (so "red" is not found in "reported"): the first word of the list
    /// (in list order) that the text has as whole words, ASCII case ignored.
    package static func hasWords(_ text: String, _ words: WordList) -> String? {
        WordList.normalized(text) { words.first(in: $0) }
    }

    /// The English status lists, prepared once (`WordList`): each figure's clauses are searched for all of
    /// them, and building each word's needle on every search was a third of a check of English rates
    /// (`14 implemented (70.0%)` repeated: 1.9 s of extraction per MB).
    static let englishStatusLists: [(TallyRole, WordList)] = [
        (.deferred, WordList(englishDeferred)), (.outstanding, WordList(englishOutstanding)),
        (.partial, WordList(englishPartial)), (.done, WordList(englishDone)),
    ]
    static let englishStatusWords = WordList(englishDeferred + englishOutstanding + englishPartial + englishDone)
    static let englishMoneyTotalWords = WordList(englishMoneyTotal)
    static let englishTotalWords = WordList(englishTotal)
    static let englishNounWords = WordList(englishNouns)
    static let englishRateWords = WordList(englishRates)
    // The other English lists the finder searches, prepared once for the same reason.
    static let outstandingAfterNoun: WordList = ["outstanding", "not implemented", "not yet implemented"]
    static let ofWhichWords: WordList = ["of which", "of these", "of them", "including"]
    static let totalWord: WordList = ["total"]
    static let ofTheTotalWords: WordList = ["of the total", "of all", "of total"]
    static let ofWords: WordList = ["of the", "of"]
    static let rateDoneWords: WordList = ["implemented", "completed", "closed"]
    static let moneyRateWords: WordList = ["recovery", "cost", "costs", "amount", "dollar"]
    static let openWord: WordList = ["open"]
    static let otherPeriodWords: WordList = [
        "earlier", "last year", "prior year", "previous", "ago", "target", "goal", "benchmark",
    ]

    /// The status a clause names, or nil: the strongest found of deferred, outstanding, partial and done
    /// (in that order); English text is searched for whole words.
    package func status(_ text: String, english: Bool) -> TallyRole? {
        if english {
            // The text normalised once for the four lists.
            return WordList.normalized(text) { h in
                Self.englishStatusLists.first { $0.1.first(in: h) != nil }?.0
            }
        }
        // One pass over the text for the four lists (the status words were 9% of a check when each list
        // was searched on its own); the strongest role found wins, as before: deferred, outstanding,
        // partial, done.
        return Self.statusWords.strongestRole(in: text)
    }

    /// The status word a figure's context names (for telling 基本完成 from 正在整改), or nil.
    func statusWord(_ c: Context) -> String? {
        let text = c.pre.isEmpty || status(c.pre, english: c.english) == nil ? c.post : c.pre
        if c.english {
            return Self.hasWords(text, Self.englishStatusWords)
        }
        return Self.statusWords.firstWord(in: text)
    }

    enum Candidate {
        case member(TallyRole, TallySubject)
        /// A count of something that is not named a problem (12个项目): a total only if parts follow.
        case weakTotal
        case none(String)
    }

    /// Why the fact at `k` is in no tally ("unit 制度", "no status word"), or nil when it is a candidate:
    /// the evaluator's `missing` messages list the first few.
    package func reasonNotCounted(_ k: Int) -> String? {
        if case .none(let why) = classify(k) { return why }
        return nil
    }

    func classify(_ k: Int) -> Candidate {
        classify(k, context(k))
    }

    func classify(_ k: Int, _ c: Context, formerValue: Bool = false) -> Candidate {
        let f = facts[k]
        switch f.kind {
        case .money:
            if let r = status(c.pre, english: c.english) { return .member(r, .money) }
            // 整改问题金额2.96亿元 is the rectified amount, though it names 问题金额.
            if !c.english, Self.has(c.pre, Self.rectifiedAmountWords) != nil { return .member(.done, .money) }
            // 尚未完成整改的6个问题,涉及金额0.32亿元: an amount "involved" takes the status its sentence gave
            // the problems before it.
            // Only in that shape: the count right before, in the sentence, is "<status>的N个问题".
            if !c.english, k > 0, Self.has(c.pre, Self.involvedAmountWords) != nil,
                facts[k - 1].kind == .quantity,
                document.sentence(at: facts[k - 1].span.offset) == document.sentence(at: f.span.offset)
            {
                let prev = context(k - 1)
                if Self.ends(prev.pre, "的"), Self.starts(prev.post, "问题"), let r = status(prev.pre, english: false) {
                    return .member(r, .money)
                }
            }
            if c.english
                ? Self.hasWords(c.pre, Self.englishMoneyTotalWords) != nil : Self.has(c.pre, Self.totalPhrases) != nil
            {
                return .member(.total, .money)
            }
            if !c.postLeadsOn, let r = status(c.post, english: c.english) { return .member(r, .money) }
            return .none("no total or status word around it")
        case .quantity, .number:
            break
        default:
            return .none("not a count")
        }
        if c.english {
            guard f.unit == nil || f.unit == "" else {
                return .none("unit \(f.unit!) is not a count of recommendations")
            }
            let subject: TallySubject = .recommendations
            if let r = status(c.pre, english: true) { return .member(r, subject) }
            // A status table's row: "Open 19" / "Open: 19" (open alone is too common a word elsewhere).
            // (Trimmed only when it has the word: Foundation's trimming, for every figure, was slow.)
            let row =
                Self.hasWords(c.pre, Self.openWord) == nil
                ? "" : c.pre.trimmingCharacters(in: Self.rowTrim).lowercased()
            if row == "open" || row == "still open" { return .member(.outstanding, subject) }
            let postWords = Self.words(c.post)
            if let first = postWords.first, Self.englishNouns.contains(first) {
                // "31 recommendations were implemented": a status after the noun makes it a part.
                if let r = status(c.post, english: true),
                    r != .outstanding
                        || Self.hasWords(c.post, Self.outstandingAfterNoun) != nil
                {
                    return .member(r, subject)
                }
                return .member(.total, subject)
            }
            // "4 open", "2 are open", "17 remain open".
            let lead = postWords.drop {
                ["are", "were", "is", "was", "remain", "remained", "remains", "still"].contains($0)
            }
            if lead.first == "open", postWords.first.map({ !Self.englishNouns.contains($0) }) ?? true {
                return .member(.outstanding, subject)
            }
            if let r = status(c.post, english: true) { return .member(r, subject) }
            if Self.hasWords(c.pre, Self.englishTotalWords) != nil { return .member(.total, subject) }
            return .none("no status or total word around it")
        }
        guard let unit = f.unit, Self.countUnits.contains(unit) else {
            return .none("unit \(f.unit ?? "none") is not a count of problems")
        }
        // 问题总数由40个调整为43个: the figure before 调整为 is the former value, not this bulletin's count;
        // the figure after it takes the part the former one would have had.
        if !formerValue, Self.ends(c.pre, "由"), Self.changedTo.contains(where: { Self.starts(c.post, $0) }) {
            return .none("it is the former value (由…\(Self.changedTo.first { Self.starts(c.post, $0) }!)…)")
        }
        // (Each change word ends in 为, 到 or 至: the cheap test first, as this runs for every count.)
        if k > 0, let last = c.pre.unicodeScalars.last, last == "为" || last == "到" || last == "至",
            Self.changedTo.contains(where: { Self.ends(c.pre, $0) }), facts[k - 1].kind == f.kind
        {
            let before = context(k - 1)
            if Self.ends(before.pre, "由") { return classify(k - 1, before, formerValue: true) }
        }
        // The counted object: the noun right after the figure (31个单位) or right before it (制度9项).
        let preObject = Self.trimLinking(c.pre)
        // 新增问题3个, 新发现问题2个: problems added since, not the total.
        if preObject.unicodeScalars.contains("新"), Self.newProblems.contains(where: { Self.ends(preObject, $0) }) {
            return .none("it counts new problems, not all of them")
        }
        if let other = Self.otherObjects.first(where: { Self.starts(c.post, $0) || Self.ends(preObject, $0) }),
            !Self.problemNouns.contains(where: { Self.starts(c.post, $0) })
        {
            return .none("it counts \(other), not problems")
        }
        if let r = status(c.pre, english: false) { return .member(r, .problems) }
        let preTrim = c.pre.hasPrefix("其中") ? String(c.pre.dropFirst(2)) : c.pre
        if Self.has(c.pre, Self.totalPhrases) != nil || preTrim.hasPrefix("共") { return .member(.total, .problems) }
        if !c.postLeadsOn, let r = status(c.post, english: false) { return .member(r, .problems) }
        if Self.problemNouns.contains(where: { Self.starts(c.post, $0) })
            || Self.has(c.pre, Self.problemNounPhrases) != nil
        {
            return .member(.total, .problems)
        }
        if c.post.unicodeScalars.contains(where: ScalarText.isCJK) { return .weakTotal }
        return .none("no status or total word around it")
    }

    /// The words `trimLinking` cuts, longest first where one ends another (共计 before 共).
    static let linkingWords = ["共计", "合计", "总计", "累计", "达到", "共有", "达", "为", "共", "有", "约"]

    /// The clause before a figure without a trailing linking word: 制度共计 → 制度, 单位达 → 单位.
    static func trimLinking(_ pre: String) -> String {
        var t = pre
        for w in linkingWords where ends(t, w) {
            t.removeLast(w.count)
            break
        }
        return t
    }

    // MARK: assembly

    final class Draft {
        var id: String
        var subject: TallySubject
        var members: [Tally.Member] = []
        var parent: String?
        var doubts: [String] = []
        var line: Int
        var children = 0
        var totalAfterParts = false
        init(id: String, subject: TallySubject, line: Int, parent: String? = nil) {
            self.id = id
            self.subject = subject
            self.line = line
            self.parent = parent
        }
        var total: Int? { members.first { $0.role == .total }?.fact }
        var hasParts: Bool { members.contains { $0.role.map { TallyRole.parts.contains($0) } ?? false } }
        func part(_ role: TallyRole) -> Int? { members.first { $0.role == role }?.fact }
    }

    static func subjectsMatch(_ a: TallySubject, _ b: TallySubject) -> Bool { a == b }

    /// The offsets from `a` to `b`, empty when `b` is before `a`.
    package func between(_ a: Int, _ b: Int) -> Range<Int> { a..<max(a, b) }

    /// 。;!? or a line end; in English also a full stop before a space.
    func containsSentenceBreak(_ r: Range<Int>) -> Bool {
        for i in r where isSentenceBreak(i) { return true }
        return false
    }

    /// Whether the scalar at `i` ends a sentence: ; 。 ! ? or a line end, or a full stop after a Latin letter
    /// and before a space.
    @inline(__always) func isSentenceBreak(_ i: Int) -> Bool {
        let c = s[i]
        return Self.sentenceBreaks.contains(c)
            || (c == "." && i + 1 < s.count && s[i + 1] == " " && i > 0 && FactScanner.isLatin(s[i - 1]))
    }

    /// "Of the 24 …" / "of these 24": the figure at `k` opens a breakdown of itself.
    /// Whether the 12 scalars before figure `k`, without the spaces and tabs that end them, end in "of the",
    /// "of these" (ASCII case ignored) or 其中. Read in place: lowercasing and trimming them through
    /// Foundation for every figure was a tenth of the extraction of a line of tallies.
    func ofTheBefore(_ k: Int) -> Bool {
        let start = facts[k].span.offset
        let lo = max(0, start - 12)
        var end = start
        while end > lo,
            s[end - 1] == " " || s[end - 1] == "\t" || s[end - 1].properties.generalCategory == .spaceSeparator
        {
            end -= 1
        }
        func ends(_ w: [Unicode.Scalar]) -> Bool {
            guard end - lo >= w.count else { return false }
            for (i, c) in w.enumerated() {
                let v = s[end - w.count + i].value
                if (v >= 0x41 && v <= 0x5A ? v | 0x20 : v) != c.value { return false }
            }
            return true
        }
        return Self.ofTheWords.contains(where: ends)
    }

    /// What `ofTheBefore` looks for, lowercase.
    static let ofTheWords: [[Unicode.Scalar]] = ["of the", "of these", "其中"].map { Array($0.unicodeScalars) }

    func containsOfWhich(_ r: Range<Int>) -> Bool {
        var latin = false
        for i in r {
            if s[i] == "其", i + 1 < r.upperBound, s[i + 1] == "中" { return true }
            if FactScanner.isLatin(s[i]) { latin = true }
        }
        return latin && Self.hasWords(text(r), Self.ofWhichWords) != nil
    }

    func find() -> [Tally] { find(stop: { false }) }

    /// How many candidate figures each loop of `find(stop:)` handles between two questions to `stop`.
    static let stopEvery = 4096

    /// The tallies; none when `stop` (asked every `stopEvery` figures of each pass) says so, and then the
    /// passes end early.
    func find(stop: () -> Bool) -> [Tally] {
        var stopped = false
        /// Whether to end now: asked at every `stopEvery`-th step of a pass.
        func interrupted(_ step: Int) -> Bool {
            if stopped { return true }
            if step % Self.stopEvery == Self.stopEvery - 1, stop() { stopped = true }
            return stopped
        }
        var drafts = [Draft]()
        var roleOf = [Int: (TallyRole, Draft)]()
        var counter = 0
        func newDraft(_ subject: TallySubject, line: Int, parent: Draft? = nil) -> Draft {
            let d: Draft
            if let parent {
                parent.children += 1
                d = Draft(id: "\(parent.id).\(parent.children)", subject: subject, line: line, parent: parent.id)
            } else {
                counter += 1
                d = Draft(id: "t\(counter)", subject: subject, line: line)
            }
            drafts.append(d)
            return d
        }
        // A total still waiting for its parts, from an earlier paragraph, per subject.
        var pending = [TallySubject: Draft]()
        // Figures that restate a member of an earlier tally: fact → (member fact, its tally).
        var restated = [Int: (Int, Draft)]()
        // The same by the member fact restated: member → the restating facts (so a lookup is not a scan).
        var restatedBy = [Int: [Int]]()
        // The last line on which a tally's figure (or a restatement of one) stands: table rows continue it.
        var lastRowLine = [ObjectIdentifier: Int]()
        // Records a restatement; only its own tally's last row line can change (updating every entry on each
        // restatement made a bulletin of many restatements quadratic).
        func restate(_ k: Int, _ v: (Int, Draft)) {
            restated[k] = v
            restatedBy[v.0, default: []].append(k)
            lastRowLine[ObjectIdentifier(v.1)] = max(lastRowLine[ObjectIdentifier(v.1)] ?? 0, facts[k].span.line)
        }
        let candidates = facts.indices.filter { [.quantity, .number, .money, .percent].contains(facts[$0].kind) }
        // By fact index (arrays, not dictionaries: growing and hashing a dictionary per figure cost as much
        // as the figures' classification's string tests, callgrind 2026-12-03).
        var contexts = [Context?](repeating: nil, count: facts.count)
        for (step, k) in candidates.enumerated() {
            if interrupted(step) { return [] }
            contexts[k] = context(k)
        }
        var classes = [Candidate?](repeating: nil, count: facts.count)
        for (step, k) in candidates.enumerated() where facts[k].kind != .percent {
            if interrupted(step) { return [] }
            classes[k] = classify(k, contexts[k]!)
        }

        // A part of problems (not a total) in `unit`: what makes a weak total a total when it follows in the
        // sentence.
        func isPart(_ j: Int, unit: String?) -> Bool {
            if case .member(let r, .problems) = classes[j] ?? .none(""), r != .total, facts[j].unit == unit {
                return true
            }
            return false
        }
        // Facts in order: per candidate, the position of the next such part of its unit (one backward sweep),
        // so a weak total need not look at every figure after it (a long line without a full stop was
        // quadratic). Nil entries: none follows.
        var nextPart = [Int?]()
        if factsInOrder {
            nextPart = [Int?](repeating: nil, count: candidates.count)
            var seen = [String?: Int]()
            for pos in candidates.indices.reversed() {
                let unit = facts[candidates[pos]].unit
                nextPart[pos] = seen[unit]
                if isPart(candidates[pos], unit: unit) { seen[unit] = pos }
            }
        }

        var currentLine = -1
        var open = [TallySubject: Draft]()
        // The member a 其中 refers to, and the breakdown it opened.
        var anchor: (fact: Int, role: TallyRole, draft: Draft)?
        var breakdown: Draft?
        var lastMember: (fact: Int, role: TallyRole, draft: Draft)?
        var anchorInBracket = false
        // Whether every member after the anchor in its sentence is inside its breakdown, whatever its status.
        var anchorAll = false
        // The last tally of each subject and the line of its last member: table rows continue it.
        var lastDraft = [TallySubject: Draft]()
        var lastEnd = 0

        for (pos, k) in candidates.enumerated() where facts[k].kind != .percent {
            if interrupted(pos) { return [] }
            let f = facts[k]
            let lineNo = f.span.line
            if lineNo != currentLine {
                // A new paragraph: its open tallies close; a total without parts waits for the next paragraphs.
                for (subject, d) in open where d.total != nil && !d.hasParts { pending[subject] = d }
                for (subject, d) in open where d.hasParts { if pending[subject] === d { pending[subject] = nil } }
                open = [:]
                anchor = nil
                breakdown = nil
                lastMember = nil
                currentLine = lineNo
                lastEnd = document.lineStarts[lineNo - 1]
            }
            let gap = between(lastEnd, f.span.offset)
            if containsSentenceBreak(gap) { anchor = nil; breakdown = nil; anchorAll = false }
            // 正在整改7个(其中历史遗留问题4个),尚未整改2个: a bracketed breakdown ends with its bracket.
            if anchorInBracket, gap.contains(where: { s[$0] == ")" }) {
                anchor = nil; breakdown = nil; anchorInBracket = false
            }
            // Only the gap's last sentence opens a breakdown of the figure before it.
            var tail = gap
            // A closure, not the bound method `isSentenceBreak`: a bound method copies the whole finder (its
            // document's arrays retained one by one) on every use, 900 copies per bulletin (callgrind).
            if let lastBreak = gap.last(where: { isSentenceBreak($0) }) {
                tail = (lastBreak + 1)..<gap.upperBound
            }
            if containsOfWhich(tail), let m = lastMember {
                anchor = m
                breakdown = nil
                anchorInBracket = gap.contains { s[$0] == "(" }
            }
            lastEnd = f.span.offset + f.span.length
            guard let cls = classes[k] else { continue }

            var role: TallyRole?
            var subject: TallySubject = .problems
            switch cls {
            case .member(let r, let sub):
                role = r; subject = sub
            case .weakTotal:
                // A total only when a part of the same unit follows in the sentence.
                let sentenceEnd = document.sentence(at: f.span.offset)?.range.upperBound ?? f.span.offset
                let partFollows =
                    factsInOrder
                    ? nextPart[pos].map { facts[candidates[$0]].span.offset < sentenceEnd } ?? false
                    : candidates[(pos + 1)...].prefix { facts[$0].span.offset < sentenceEnd }.contains {
                        isPart($0, unit: f.unit)
                    }
                if partFollows, anchor == nil {
                    role = .total; subject = .problems
                } else {
                    continue
                }
            case .none:
                if let a = anchor, facts[a.fact].kind == f.kind, facts[k].unit == facts[a.fact].unit || f.kind == .money
                {
                    // 其中党建方面12个: a breakdown by category, no status.
                    let d = breakdown ?? newDraft(a.draft.subject, line: lineNo, parent: a.draft)
                    if breakdown == nil { d.members.append(Tally.Member(fact: a.fact, role: .total)); breakdown = d }
                    // Categories carry no status: the fact gets the tally id and no role.
                    d.members.append(Tally.Member(fact: k, role: nil))
                }
                continue
            }
            guard let r = role else { continue }

            // 共反馈问题53个,其中立行立改问题18个、限期整改问题29个、长期坚持问题6个: once a 其中 after a total
            // opens a breakdown by category, the rest of its sentence are categories too, whatever their words.
            if let a = anchor, a.role == .total, facts[a.fact].kind == f.kind,
                breakdown != nil || (r == .total && f.unit == facts[a.fact].unit)
            {
                let d = breakdown ?? newDraft(a.draft.subject, line: lineNo, parent: a.draft)
                if breakdown == nil { d.members.append(Tally.Member(fact: a.fact, role: .total)); breakdown = d }
                d.members.append(Tally.Member(fact: k, role: nil))
                continue
            }
            if let a = anchor, a.role != .total || r == .total || !Self.subjectsMatch(a.draft.subject, subject) {
                // 其中 after a part: a nested breakdown of that part. A member of another status (已完成41个,
                // 其中立行立改30个,正在整改5个) cannot be inside it: it belongs to the outer tally.
                if a.role != .total, Self.subjectsMatch(a.draft.subject, subject),
                    r == a.role || r == .total || anchorAll
                {
                    let d = breakdown ?? newDraft(subject, line: lineNo, parent: a.draft)
                    if breakdown == nil { d.members.append(Tally.Member(fact: a.fact, role: .total)); breakdown = d }
                    d.members.append(Tally.Member(fact: k, role: r == .total ? .partial : r))
                    roleOf[k] = (r == .total ? .partial : r, d)
                    continue
                }
                anchor = nil
            }

            // 已完成整改47个(立行立改问题18个全部完成): a figure in brackets after a member qualifies it; it
            // opens no tally of its own.
            if r == .total, lastMember != nil, gap.contains(where: { s[$0] == "(" }),
                !gap.contains(where: { s[$0] == ")" })
            {
                continue
            }
            if r == .total {
                // The total again (37 of the 58 recommendations; a table's Total row): a restatement, which also
                // shows the parts around it belong to that total.
                let near =
                    open[subject]
                    ?? lastDraft[subject].flatMap { d in
                        d.members.last.map { isNear(from: facts[$0.fact].span.line, to: lineNo) } == true ? d : nil
                    }
                if let t = near, let ti = t.total, facts[ti].value == f.value, ti != k {
                    t.doubts.removeAll { $0.hasPrefix("the total ") }
                    restate(k, (ti, t))
                    lastMember = (k, .total, t)
                    open[subject] = t
                    continue
                }
                // This gives a total of 37 recommendations (after the table of its parts).
                if open[subject] == nil, let t = lastDraft[subject], t.total == nil, t.hasParts,
                    let last = t.members.last, isNear(from: facts[last.fact].span.line, to: lineNo),
                    Self.has(contexts[k]!.pre, Self.sumWords) != nil
                        || (contexts[k]!.english && Self.hasWords(contexts[k]!.pre, Self.totalWord) != nil)
                {
                    t.members.append(Tally.Member(fact: k, role: .total))
                    t.totalAfterParts = true
                    roleOf[k] = (.total, t)
                    lastMember = (k, .total, t)
                    continue
                }
                // 已整改40项、正在整改10项,共计50项: a total after its parts, in their sentence.
                if let t = open[subject], t.total == nil, t.hasParts,
                    document.sentence(at: f.span.offset)
                        == document.sentence(at: facts[t.members.last!.fact].span.offset)
                        || Self.has(contexts[k]!.pre, Self.sumOrAboveWords) != nil
                        || (contexts[k]!.english && Self.hasWords(contexts[k]!.pre, Self.totalWord) != nil)
                {
                    t.members.append(Tally.Member(fact: k, role: .total))
                    t.totalAfterParts = true
                    roleOf[k] = (.total, t)
                    lastMember = (k, .total, t)
                    open[subject] = nil
                    continue
                }
                let d = newDraft(subject, line: lineNo)
                d.members.append(Tally.Member(fact: k, role: .total))
                roleOf[k] = (.total, d)
                open[subject] = d
                lastDraft[subject] = d
                lastMember = (k, .total, d)
                continue
            }
            // A part.
            var t = open[subject]
            // A count in another classifier than the total's (收回厂房4处 beside 问题58条) is not its part.
            if let o = t, let ti = o.total, subject == .problems, let u = facts[ti].unit, let fu = f.unit, u != fu {
                continue
            }
            // The same status again in a later sentence opens another tally (市级…已完成48项。县级…已完成30项);
            // in the same paragraph it is a later count over the same total (截至3月…已完成21个。截至6月…已完成
            // 26个; 75个问题中已验收销号61个), which it takes, with a doubt unless restated in its own sentence.
            var inherited: (fact: Int, doubt: String?)?
            if let o = t, let same = o.part(r), facts[same].value != f.value,
                document.sentence(at: facts[same].span.offset) != document.sentence(at: f.span.offset)
            {
                open[subject] = nil
                t = nil
                if let ti = o.total {
                    let sentence = document.sentence(at: f.span.offset)?.range
                    let restatedHere = (restatedBy[ti] ?? []).contains {
                        sentence?.contains(facts[$0].span.offset) == true
                    }
                    inherited = (
                        ti,
                        restatedHere
                            ? nil : "the total \(facts[ti].text) is stated with an earlier count of the same status"
                    )
                }
            }
            if t == nil, let p = pending[subject] {
                t = p
                pending[subject] = nil
                if !isTable(from: p.line, to: lineNo) {
                    p.doubts.append("the total \(facts[p.total!].text) is in another paragraph (line \(p.line))")
                }
                open[subject] = p
            } else if t == nil, let last = lastDraft[subject],
                let lastLine = max(
                    last.members.last.map({ facts[$0.fact].span.line }) ?? 0, lastRowLine[ObjectIdentifier(last)] ?? 0)
                    as Int?,
                isTable(from: lastLine, to: lineNo), last.part(r) == nil
            {
                // The next row of a table: Implemented 27 / In process 13 / Not started 6.
                t = last
                open[subject] = last
            } else if t == nil, let last = lastDraft[subject], let same = last.part(r), facts[same].value == f.value {
                // A restatement of a figure of the last tally (a status table after the text): its bracketed
                // rate is a rate of that figure.
                restate(k, (same, last))
                open[subject] = last
                continue
            }
            // A part in a later paragraph of the section whose tally lacks it (已整改到位的问题78个。/ 部分整改的问题
            // 12个。/ 尚未整改的问题4个。 under their own headings): it joins, with a doubt.
            if t == nil, inherited == nil, let last = lastDraft[subject], last.parent == nil, let ti = last.total,
                last.part(r) == nil,
                facts[ti].span.line < lineNo, facts[ti].value.decimal.map({ $0 > (f.value.decimal ?? 0) }) ?? false
            {
                t = last
                open[subject] = last
                last.doubts.append("\(f.text) is in another paragraph (line \(lineNo)) than the total")
            }
            let d = t ?? newDraft(subject, line: lineNo)
            if t == nil {
                open[subject] = d
                if let inh = inherited {
                    d.members.append(Tally.Member(fact: inh.fact, role: .total))
                    if let doubt = inh.doubt { d.doubts.append(doubt) }
                }
            }
            lastDraft[subject] = d
            if let same = d.part(r), same != k {
                // 基本完成4个,正在整改3个: two statuses of one role, named by different words, are two parts.
                let distinct = r != .done && statusWord(contexts[same]!) != statusWord(contexts[k]!)
                if facts[same].value == f.value {
                    // A restatement of the same figure. "Of the 24 open recommendations, 19 are …": what follows
                    // in its sentence breaks that figure down.
                    if ofTheBefore(k) { anchor = (same, r, d); breakdown = nil; anchorAll = true }
                    continue
                } else if !distinct {
                    d.doubts.append("two \(r.rawValue) figures: \(facts[same].text) and \(f.text)")
                }
            }
            d.members.append(Tally.Member(fact: k, role: r))
            roleOf[k] = (r, d)
            lastMember = (k, r, d)
        }

        // Rates.
        let lines = DraftLines(drafts, facts)
        for (step, k) in candidates.enumerated() where facts[k].kind == .percent {
            if interrupted(step) { return [] }
            attachRate(
                k, contexts[k]!, roleOf: &roleOf, drafts: drafts, restated: restated, classes: classes, lines: lines)
        }

        // Keep tallies with at least two members (a lone total or a lone part says nothing).
        return drafts.filter { $0.members.count >= 2 }.map {
            Tally(
                id: $0.id, subject: $0.subject, members: $0.members, parent: $0.parent, doubts: $0.doubts,
                totalAfterParts: $0.totalAfterParts)
        }
    }

    /// The tallies with a member on each line, as indexes into the drafts in their order, kept up to date as
    /// rates join: a rate looks up the tallies of its line here instead of testing every tally (which made a
    /// bulletin of many tallies and rates quadratic).
    ///
    /// Per line it also keeps the top-level tallies with a completed figure, sorted by that figure's offset
    /// (money tallies apart from the others), so a rate finds the nearest one before or after it by a
    /// binary search: filtering every tally of the line for every rate made a line of thousands of tallies
    /// and rates quadratic (an audit report joined into one 10 MB line: 29 s, stopped in extraction).
    final class DraftLines {
        var byLine: [Int: [Int]] = [:]
        var index: [ObjectIdentifier: Int] = [:]
        /// Per line, the top-level tallies with a completed figure on it as (that figure's offset, draft
        /// index), sorted: money tallies and the others.
        var doneByLine: [Int: (money: [(offset: Int, draft: Int)], other: [(offset: Int, draft: Int)])] = [:]
        /// Per draft, its completed figure's offset when it is a top-level tally with one; and its subject.
        let doneOffset: [Int?]
        let isMoney: [Bool]

        init(_ drafts: [Draft], _ facts: [Fact]) {
            doneOffset = drafts.map { d in d.parent == nil ? d.part(.done).map { facts[$0].span.offset } : nil }
            isMoney = drafts.map { $0.subject == .money }
            for (i, d) in drafts.enumerated() {
                index[ObjectIdentifier(d)] = i
                for m in d.members { add(i, line: facts[m.fact].span.line) }
            }
        }

        /// Files draft `i` under `line` by its completed figure's offset (it has just joined the line).
        private func addDone(_ i: Int, line: Int) {
            guard let offset = doneOffset[i] else { return }
            let entry = (offset: offset, draft: i)
            var lists = doneByLine[line] ?? (money: [], other: [])
            doneByLine[line] = nil
            func insert(_ list: inout [(offset: Int, draft: Int)]) {
                if let last = list.last, last.offset < offset || (last.offset == offset && last.draft < i) {
                    list.append(entry)
                } else {
                    let at = list.partitionPoint { $0.offset < offset || ($0.offset == offset && $0.draft < i) }
                    list.insert(entry, at: at)
                }
            }
            if isMoney[i] { insert(&lists.money) } else { insert(&lists.other) }
            doneByLine[line] = lists
        }

        /// The tally a rate at `offset` on `line` belongs to, by its completed figure: the nearest before
        /// it, else the first after it in its `sentence` (as `attachRate` explains). A money rate takes a
        /// money tally only; another takes a money tally only when that tally's completed figure is in the
        /// rate's sentence. Among tallies whose figures share an offset, the first in the drafts' order.
        func nearest(to offset: Int, on line: Int, money: Bool, sentence: Range<Int>) -> Int? {
            guard let lists = doneByLine[line] else { return nil }
            // The entry with the greatest offset below `offset` (the first of its offset), and the first entry
            // above it.
            func before(_ list: [(offset: Int, draft: Int)]) -> (offset: Int, draft: Int)? {
                var at = list.partitionPoint { $0.offset < offset } - 1
                guard at >= 0 else { return nil }
                while at > 0, list[at - 1].offset == list[at].offset { at -= 1 }
                return list[at]
            }
            func after(_ list: [(offset: Int, draft: Int)]) -> (offset: Int, draft: Int)? {
                let at = list.partitionPoint { $0.offset <= offset }
                return at < list.count ? list[at] : nil
            }
            func earlier(_ a: (offset: Int, draft: Int)?, _ b: (offset: Int, draft: Int)?) -> (offset: Int, draft: Int)?
            {
                guard let a, let b else { return a ?? b }
                return a.offset < b.offset || (a.offset == b.offset && a.draft < b.draft) ? a : b
            }
            func later(_ a: (offset: Int, draft: Int)?, _ b: (offset: Int, draft: Int)?) -> (offset: Int, draft: Int)? {
                guard let a, let b else { return a ?? b }
                return a.offset > b.offset || (a.offset == b.offset && a.draft < b.draft) ? a : b
            }
            let inSentence: ((offset: Int, draft: Int)?) -> (offset: Int, draft: Int)? = { e in
                e.flatMap { sentence.contains($0.offset) ? $0 : nil }
            }
            if money {
                return (before(lists.money) ?? inSentence(after(lists.money)))?.draft
            }
            let b = later(before(lists.other), inSentence(before(lists.money)))
            if let b { return b.draft }
            return earlier(inSentence(after(lists.other)), inSentence(after(lists.money)))?.draft
        }

        /// The last draft on `line` (in the drafts' order) that `accept` takes, read in place.
        func lastDraft(on line: Int, _ drafts: [Draft], where accept: (Draft) -> Bool) -> Draft? {
            guard let list = byLine[line] else { return nil }
            for i in list.reversed() where accept(drafts[i]) { return drafts[i] }
            return nil
        }

        /// Records that draft `i` has a member on `line`.
        /// The list is changed in place: a copy per call made a line of thousands of tallies quadratic.
        func add(_ i: Int, line: Int) {
            let last = byLine[line]?.last
            if last == i { return }
            if last.map({ $0 < i }) ?? true {
                byLine[line, default: []].append(i)
                addDone(i, line: line)
                return
            }
            let list = byLine[line]!
            let lo = list.partitionPoint { $0 < i }
            if lo < list.count, list[lo] == i { return }
            byLine[line]!.insert(i, at: lo)
            addDone(i, line: line)
        }

        /// `d` took a member on `line`.
        func add(_ d: Draft, line: Int) {
            if let i = index[ObjectIdentifier(d)] { add(i, line: line) }
        }

        /// The drafts with a member on `line`, in the drafts' order.
        func drafts(on line: Int, _ drafts: [Draft]) -> [Draft] { (byLine[line] ?? []).map { drafts[$0] } }
    }

    /// A line that reads as a table row or a heading: short, and no full stop ends a sentence in it.
    /// Whether line `to` follows line `from` closely: at most three lines on, every line between short or empty.
    func isNear(from: Int, to: Int) -> Bool {
        guard to >= from, to - from <= 3 else { return false }
        return to == from || ((from + 1)..<to).allSatisfy { isShortLine($0) }
    }

    func isShortLine(_ line: Int) -> Bool {
        // `document.line(line)`, read in place: a long line is not copied to be found long.
        let starts = document.lineStarts
        guard line >= 1, line <= starts.count else { return true }
        let o = document.scalars
        let start = starts[line - 1]
        var end = line < starts.count ? starts[line] : o.count
        while end > start, o[end - 1] == "\n" || o[end - 1] == "\r" { end -= 1 }
        return end - start <= 60 && !o[start..<end].contains { $0 == "。" || $0 == "；" || $0 == ";" }
    }

    /// Whether lines `from`…`to` read as one table: at most three lines apart, every line between them
    /// short or empty, and the later line short.
    func isTable(from: Int, to: Int) -> Bool {
        guard to > from, to - from <= 3, isShortLine(to) else { return false }
        return ((from + 1)..<to).allSatisfy { isShortLine($0) }
    }

    func attachRate(
        _ k: Int, _ c: Context, roleOf: inout [Int: (TallyRole, Draft)], drafts: [Draft], restated: [Int: (Int, Draft)],
        classes: [Candidate?], lines: DraftLines
    ) {
        let f = facts[k]
        defer { if let d = roleOf[k]?.1 { lines.add(d, line: f.span.line) } }
        // "37 of the 58 recommendations (63.8 percent)": the bracket follows the total, the rate is of the part.
        if k >= 2, isBracketed(k) || isBracketedAfterClause(k), roleOf[k - 1]?.0 == .total || restated[k - 1] != nil,
            let (r, d) = roleOf[k - 2] ?? restated[k - 2].map({ (roleOf[$0.0]?.0 ?? .done, $0.1) }), r != .rate,
            r != .total,
            ["of", "of the", "out of", "out of the"].contains(
                text((facts[k - 2].span.offset + facts[k - 2].span.length)..<facts[k - 1].span.offset)
                    .trimmingCharacters(in: .whitespaces).lowercased())
        {
            let part = restated[k - 2]?.0 ?? (k - 2)
            d.members.append(Tally.Member(fact: k, role: .rate, of: part))
            roleOf[k] = (.rate, d)
            return
        }
        // A table row (| Implemented | 41 | 53.9% |), or ", or 74 per cent" / "(or 74%)" right after a figure:
        // the percent restates the figure before it as a share.
        if k > 0, roleOf[k - 1] != nil || restated[k - 1] != nil, facts[k - 1].span.line == f.span.line {
            let between = text((facts[k - 1].span.offset + facts[k - 1].span.length)..<f.span.offset)
            let bare =
                between.unicodeScalars.allSatisfy { $0 == "|" || $0 == "\t" || FactScanner.isSpace($0) }
                && !between.isEmpty
                && isShortLine(f.span.line)
            // Each form has an o or 或: the text between is trimmed and lowercased (through Foundation) only then.
            let or =
                between.unicodeScalars.contains(where: { $0 == "o" || $0 == "O" || $0 == "或" })
                && [", or", ",or", "(or", "( or", "或"].contains(
                    between.trimmingCharacters(in: .whitespaces).lowercased())
            if bare || or {
                if let (r, d) = roleOf[k - 1], r != .rate {
                    d.members.append(Tally.Member(fact: k, role: .rate, of: k - 1))
                    roleOf[k] = (.rate, d)
                    return
                }
                if let (original, d) = restated[k - 1] {
                    d.members.append(Tally.Member(fact: k, role: .rate, of: original))
                    roleOf[k] = (.rate, d)
                    return
                }
            }
        }
        if isBracketed(k), let (r, d) = roleOf[k - 1], r != .rate {
            d.members.append(Tally.Member(fact: k, role: .rate, of: k - 1))
            roleOf[k] = (.rate, d)
            return
        }
        if isBracketed(k), let (original, d) = restated[k - 1] {
            d.members.append(Tally.Member(fact: k, role: .rate, of: original))
            roleOf[k] = (.rate, d)
            return
        }
        // "14 implemented (70.0%)": a bracket after the clause of a member.
        if k > 0, let (r, d) = roleOf[k - 1], r != .rate, isBracketedAfterClause(k) {
            d.members.append(Tally.Member(fact: k, role: .rate, of: k - 1))
            roleOf[k] = (.rate, d)
            return
        }
        let sentence = document.sentence(at: f.span.offset)?.range ?? f.span.offset..<f.span.offset
        // 占问题总数的96.18%: a share of the member just before it in its sentence.
        // The clause before the rate, back to punctuation, other figures included.
        var a = f.span.offset
        let floor = max(0, f.span.offset - Self.reach)
        while a > floor, !Self.clauseBreaks.contains(s[a - 1]) { a -= 1 }
        let clauseRange = a..<f.span.offset
        // The clause's text is cut only where it is read as a string (a share, English); a Chinese rate's
        // words are looked for in the scalars in place (`ScalarWords`): cutting up to `reach` scalars into a
        // string and searching it for each word was a third of the extraction of 整改率达50% repeated.
        var clause: String { text(clauseRange) }
        if c.pre.unicodeScalars.containsScalars(of: "占") {
            // Facts in order: the walk back ends at the sentence's start (one found before it is refused below).
            if let j = stride(from: k - 1, through: 0, by: -1).lazy.prefix(while: {
                !factsInOrder || facts[$0].span.offset >= max(sentence.lowerBound, f.span.offset - Self.reach)
            }).first(where: {
                roleOf[$0] != nil && roleOf[$0]!.0 != .rate
            }),
                sentence.contains(facts[j].span.offset), let (_, d) = roleOf[j]
            {
                d.members.append(Tally.Member(fact: k, role: .rate, of: j))
                roleOf[k] = (.rate, d)
                return
            }
            // 已整改资金占问题金额的85.5%: the share names its part by status; the tally is the last one of
            // its subject before it in the paragraph.
            let clause = clause
            guard let cut = clause.range(of: "占") else { return }
            let partWords = String(clause[..<cut.lowerBound])
            guard let role = status(partWords, english: false) else { return }
            let subject: TallySubject = Self.has(clause, Self.moneyWords) != nil ? .money : .problems
            let line = f.span.line
            guard
                let d = lines.lastDraft(
                    on: line, drafts,
                    where: {
                        $0.parent == nil && $0.subject == subject
                            && $0.members.contains {
                                facts[$0.fact].span.line == line && facts[$0.fact].span.offset < f.span.offset
                            }
                    }),
                let part = d.part(role)
            else { return }
            d.members.append(Tally.Member(fact: k, role: .rate, of: part))
            roleOf[k] = (.rate, d)
            return
        }
        let english = c.english
        let label = english ? (f.label ?? "") + "|" + clause : ""
        /// Whether the figure's label or its clause has one of `words` (Chinese; the label and the clause
        /// were searched joined by "|", which no word holds).
        func labelHas(_ words: ScalarWords) -> Bool {
            (f.label.map { Self.has($0, words.phrases) != nil } ?? false) || words.occurs(in: s, clauseRange)
        }
        if english,
            Self.hasWords(c.post, Self.ofTheTotalWords) != nil
                || (Self.hasWords(c.post, Self.ofWords) != nil && Self.hasWords(c.post, Self.englishNounWords) != nil),
            let role = status(clause + " " + c.post, english: true)
        {
            let line = f.span.line
            if let d = lines.drafts(on: line, drafts).last(where: {
                $0.parent == nil && $0.subject == .recommendations
                    && $0.members.contains {
                        facts[$0.fact].span.line == line && facts[$0.fact].span.offset < f.span.offset
                    }
            }),
                let part = d.part(role)
            {
                d.members.append(Tally.Member(fact: k, role: .rate, of: part))
                roleOf[k] = (.rate, d)
                return
            }
        }
        let named =
            english
            ? Self.hasWords(label, Self.englishRateWords) != nil
                || Self.hasWords(c.post, Self.rateDoneWords) != nil
            : labelHas(Self.rateScalarWords)
        guard named else { return }
        if !english, labelHas(Self.otherPeriodScalarWords) { return }
        if english,
            WordList.normalized(s, englishSentenceRange(around: f), { Self.otherPeriodWords.first(in: $0) }) != nil
        {
            return
        }
        let money =
            english
            ? Self.hasWords(label, Self.moneyRateWords) != nil
            : labelHas(Self.moneyScalarWords)
        // The tally: the one whose completed figure stands nearest before the rate in its paragraph (涉及问题金额
        // 12.35亿元,已整改金额11.2亿元,整改率90.69%: the money tally, though 整改率 names no money), else the
        // first after it in its sentence. A rate that names money (资金整改率) takes a money tally only; one that
        // names none takes a money tally only when that tally's completed figure is in its own sentence.
        // (`DraftLines.nearest`: a binary search among the line's tallies by their completed figures.)
        guard let i = lines.nearest(to: f.span.offset, on: f.span.line, money: money, sentence: sentence) else {
            return
        }
        let d = drafts[i]
        // 已整改到位55个…审计移送问题线索9件,已办结6件,办结率66.7%: counts of their own between the tally's
        // completed figure and the rate are the rate's counts, not the tally's.
        let donePos = facts[d.part(.done)!].span.offset
        let (lo, hi) = donePos < f.span.offset ? (donePos, f.span.offset) : (f.span.offset, donePos)
        // Facts in order: only those between the two offsets are looked at.
        let first = firstFact(atOrAfter: lo + 1)
        let window = factsInOrder ? first..<max(first, firstFact(atOrAfter: hi)) : facts.indices
        if window.contains(where: { j in
            guard facts[j].span.offset > lo, facts[j].span.offset < hi, j != d.part(.done)!,
                (facts[j].kind == .money) == (d.subject == .money),
                case .member(.done, _)? = classes[j]
            else { return false }
            return roleOf[j].map { $0.1 !== d && $0.1.parent != d.id } ?? true
        }) {
            return
        }
        let done = d.members.filter { $0.role == .done }.map(\.fact)
        guard let numerator = done.first else { return }
        if done.count > 1 { d.doubts.append("two completed figures for the rate \(f.text)") }
        d.members.append(Tally.Member(fact: k, role: .rate, of: numerator))
        roleOf[k] = (.rate, d)
    }
}

/// A list of English words or phrases searched as whole words (`TallyFinder.hasWords`), prepared once: each
/// word's lowercased bytes, and the words by first letter, so a text is read once for the whole list.
package struct WordList: ExpressibleByArrayLiteral, Sendable {
    /// The words, in the order the list gives them (the first found in that order is the answer).
    let words: [String]
    /// Each word's bytes, ASCII letters lowercased and anything else a space (as the text is normalised).
    let bytes: [[UInt8]]
    /// For each letter a–z, the indices of the words starting with it, in list order.
    let byFirst: [[Int]]

    /// A list of `words`.
    package init(_ words: [String]) {
        self.words = words
        bytes = words.map { Array(WordList.normal($0.utf8)) }
        var first = [[Int]](repeating: [], count: 26)
        for (k, b) in bytes.enumerated() where !b.isEmpty && b[0] >= 0x61 && b[0] <= 0x7A {
            first[Int(b[0] - 0x61)].append(k)
        }
        byFirst = first
    }

    /// A list written in place: `hasWords(text, ["of the", "of"])`.
    package init(arrayLiteral words: String...) { self.init(words) }

    /// ASCII letters lowercased, every other byte a space.
    static func normal<S: Sequence<UInt8>>(_ s: S) -> [UInt8] { s.map(normal) }

    /// One byte of the normal form: an ASCII letter lowercased, anything else a space.
    @inline(__always) static func normal(_ b: UInt8) -> UInt8 {
        b >= 0x41 && b <= 0x5A ? b | 0x20 : (b >= 0x61 && b <= 0x7A ? b : 0x20)
    }

    /// Calls `body` with the text normalised (`normal`) between two spaces, in a temporary buffer (on the
    /// stack when small) rather than a new array per search.
    static func normalized<R>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let n = text.utf8.count + 2
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buf in
            buf[0] = 0x20
            var i = 1
            for b in text.utf8 {
                buf[i] = normal(b)
                i += 1
            }
            buf[i] = 0x20
            return body(UnsafeBufferPointer(buf))
        }
    }

    /// `normalized(_:_:)` of the text of `range` of `s` without making it a string: each scalar gives as many
    /// bytes as its UTF-8 has (a non-ASCII one that many spaces), so the words found are the same.
    static func normalized<R>(
        _ s: [Unicode.Scalar], _ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        let r = range.clamped(to: 0..<s.count)
        var n = 2
        for i in r { n += UTF8.width(s[i]) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buf in
            buf[0] = 0x20
            var k = 1
            for i in r {
                let v = s[i].value
                if v < 0x80 {
                    buf[k] = normal(UInt8(v))
                    k += 1
                } else {
                    for _ in 0..<UTF8.width(s[i]) {
                        buf[k] = 0x20
                        k += 1
                    }
                }
            }
            buf[k] = 0x20
            return body(UnsafeBufferPointer(buf))
        }
    }

    /// The first word of the list (in list order) found in `h` (normalised, a space at both ends) with a
    /// space before and after it; one pass over the starts of the text's words.
    func first(in h: UnsafeBufferPointer<UInt8>) -> String? {
        var best = Int.max
        var i = 1
        while i < h.count {
            let c = h[i]
            guard h[i - 1] == 0x20, c != 0x20 else {
                i += 1
                continue
            }
            for k in byFirst[Int(c - 0x61)] {
                if k >= best { break }
                let w = bytes[k]
                guard i + w.count < h.count, h[i + w.count] == 0x20 else { continue }
                var j = 1
                while j < w.count, h[i + j] == w[j] { j += 1 }
                if j == w.count {
                    best = k
                    break
                }
            }
            if best == 0 { break }
            i += 1
        }
        return best == Int.max ? nil : words[best]
    }
}

/// A list of words searched as substrings of a text's UTF-8 (`TallyFinder.has`), prepared once: each
/// word's bytes, and the words by a hash of their first two bytes. A text is then read once for the whole
/// list, where `words.first { text.contains($0) }` called `memmem` once per word: the tally finder asks
/// this of every figure's clause for lists of up to 23 words, 674 searches per bulletin (callgrind
/// 2026-12-03).
package struct PhraseList: ExpressibleByArrayLiteral, Sendable {
    /// The words, in the order the list gives them (the first found in that order is the answer).
    package let words: [String]
    /// Each word's UTF-8.
    let bytes: [[UInt8]]
    /// For each bucket of `bucket(_:_:)`, the indices of the words of two bytes or more in it, in list order.
    let buckets: [[Int]]
    /// The words shorter than two bytes (none in the bundled lists), searched one by one.
    let short: [Int]
    /// The non-empty buckets as bits.
    let bits: (UInt64, UInt64, UInt64, UInt64)

    /// A list of `words`.
    package init(_ words: [String]) {
        self.words = words
        bytes = words.map { Array($0.utf8) }
        var buckets = [[Int]](repeating: [], count: 256)
        var short = [Int]()
        var bits: [UInt64] = [0, 0, 0, 0]
        for (k, b) in bytes.enumerated() {
            guard b.count >= 2 else {
                short.append(k)
                continue
            }
            let h = Self.bucket(b[0], b[1])
            buckets[h].append(k)
            bits[h >> 6] |= 1 << UInt64(h & 63)
        }
        self.buckets = buckets
        self.short = short
        self.bits = (bits[0], bits[1], bits[2], bits[3])
    }

    /// A list written in place.
    package init(arrayLiteral words: String...) { self.init(words) }

    /// The bucket of a word starting with bytes `a`, `b`.
    @inline(__always) static func bucket(_ a: UInt8, _ b: UInt8) -> Int {
        Int((UInt32(a) &* 0x9E37 ^ UInt32(b) &* 0x85EB) >> 4 & 0xFF)
    }

    @inline(__always) func has(_ h: Int) -> Bool {
        let w = h >> 6 == 0 ? bits.0 : h >> 6 == 1 ? bits.1 : h >> 6 == 2 ? bits.2 : bits.3
        return w >> UInt64(h & 63) & 1 != 0
    }

    /// The first word of the list (in list order) that occurs in `text`, or nil.
    package func first(in text: String) -> String? {
        if let found = text.utf8.withContiguousStorageIfAvailable({ first(in: $0) }) { return found }
        var t = text
        t.makeContiguousUTF8()
        return t.utf8.withContiguousStorageIfAvailable { first(in: $0) } ?? nil
    }

    /// The first word of the list (in list order) that occurs in the bytes `t`, or nil.
    func first(in t: UnsafeBufferPointer<UInt8>) -> String? {
        var best = Int.max
        for k in short where k < best {
            let w = bytes[k]
            if w.isEmpty || t.contains(w[0]) { best = k }
        }
        let n = t.count
        var i = 0
        while i + 1 < n {
            let h = Self.bucket(t[i], t[i + 1])
            if has(h) {
                for k in buckets[h] {
                    if k >= best { break }
                    let w = bytes[k]
                    guard i + w.count <= n, w[0] == t[i] else { continue }
                    var j = 1
                    while j < w.count, t[i + j] == w[j] { j += 1 }
                    if j == w.count {
                        best = k
                        break
                    }
                }
                if best == 0 { break }
            }
            i += 1
        }
        return best == Int.max ? nil : words[best]
    }
}
