import AssayValues
import Foundation

/// A fact as the scanner first finds it, before relative dates are resolved and labels attached.
struct DraftFact {
    enum Relative: Equatable {
        case none
        /// 今(5)日 / 今日: the publication date (day given or not).
        case today(day: Int?)
        case thisYear, lastYear
        /// 明年: the year after the quoted speech's date, or after publication.
        case nextYear
        /// 三年内: a period from the publication date.
        case within(years: Int, months: Int)
    }

    var kind: FactKind
    var range: Range<Int>
    var value: FactValue
    var unit: String? = nil
    var amount: Decimal? = nil
    var approx: String? = nil
    var relative: Relative = .none
    /// Offset of a 于 / by right before a date: the date is a deadline when it is not yet past.
    var dueMarker: Int? = nil
    /// The word that names a deadline (整改时限, Target date), which is then its label.
    var keyword: Range<Int>? = nil
    /// The explicit calendar date (or range end) this fact states, for document-date inference.
    var date: CalendarDate? = nil
    /// Month and day of a relative date (明年3月底 → month 3), its year to be resolved.
    var template: CalendarDate? = nil
}

/// One left-to-right pass over the scalars of a document that finds numbers, dates and their units.
///
/// Every check reads `[Unicode.Scalar]` by index: no `Character`, no regular expression.
package struct FactScanner {
    /// The scalars scanned (the document's folded scalars).
    package let s: [Unicode.Scalar]
    /// The number of scalars in `s`.
    package let n: Int
    /// The fixed phrases whose numerals are not figures.
    package let configuration: ExtractionConfiguration
    var facts: [DraftFact] = []
    /// The year of the latest explicit date, for dates written without a year (1月3日).
    var contextYear: Int? = nil
    /// The current “…” quotation, when the scan is inside one.
    var quote: Range<Int>? = nil

    /// A scanner over the scalars, with no facts found yet.
    package init(_ scalars: [Unicode.Scalar], configuration: ExtractionConfiguration) {
        s = scalars
        n = scalars.count
        self.configuration = configuration
        facts.reserveCapacity(128)
    }

    // MARK: - Scalar classes

    /// The value of an ASCII or full-width digit, nil for anything else (`ScalarText.digit`).
    @inline(__always) package static func digit(_ c: Unicode.Scalar) -> Int? { ScalarText.digit(c) }

    /// True for an ASCII Latin letter, either case.
    @inline(__always) package static func isLatin(_ c: Unicode.Scalar) -> Bool {
        let v = c.value | 0x20
        return v >= 0x61 && v <= 0x7A
    }

    /// True for a space within a line: ASCII space, tab, ideographic space U+3000, no-break space U+00A0.
    @inline(__always) package static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\u{3000}" || c == "\u{A0}"
    }

    @inline(__always) static func isRangeDash(_ c: Unicode.Scalar) -> Bool {
        c == "-" || c == "—" || c == "–" || c == "~" || c == "至" || c == "到"
    }

    /// The scalar at `i`, nil outside the text.
    @inline(__always) package func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < n ? s[i] : nil }

    /// True when `word` is written at offset `i` (false when it would run past either end).
    @inline(__always) package func matches(_ i: Int, _ word: [Unicode.Scalar]) -> Bool {
        guard i >= 0, i + word.count <= n else { return false }
        for k in 0..<word.count where s[i + k] != word[k] { return false }
        return true
    }

    /// The first word of `words` (longest first) that starts at `i`.
    @inline(__always) package func match(_ i: Int, _ words: [[Unicode.Scalar]]) -> [Unicode.Scalar]? {
        for w in words where matches(i, w) { return w }
        return nil
    }

    /// Words as scalar arrays, longest first, as `match(_:_:)` expects.
    package static func scalars(_ words: [String]) -> [[Unicode.Scalar]] {
        words.map { Array($0.unicodeScalars) }.sorted { $0.count > $1.count }
    }

    /// The text of a scalar range of `s`.
    package func string(_ r: Range<Int>) -> String { ScalarText.string(s[r]) }

    // MARK: - Vocabulary

    enum UnitRole { case quantity, percent, percentPoint, money, years, months }

    /// Classifiers and units that make a numeral a count. Money units are 元 and foreign currencies.
    static let units: [([Unicode.Scalar], UnitRole)] = {
        var list: [(String, UnitRole)] = [
            ("个百分点", .percentPoint), ("百分点", .percentPoint), ("%", .percent),
            ("个月", .months), ("年", .years),
            ("元", .money), ("美元", .money), ("欧元", .money), ("港元", .money),
            ("英镑", .money), ("日元", .money),
        ]
        let counts = [
            "个方面", "个工作日", "个小时", "个", "项", "件", "条", "名", "人次", "人", "户次", "户", "家次",
            "家", "所", "座", "处", "栋", "幢", "套", "间", "张", "份", "本", "册", "篇", "部", "台", "辆",
            "艘", "架", "批次", "批", "轮次", "轮", "车次", "班次", "次", "场", "期", "起", "例", "宗", "笔",
            "支", "对", "组", "类", "种", "株", "棵", "只", "头", "吨", "公斤", "千克", "公里", "千米",
            "平方公里", "平方米", "立方米", "米", "亩", "公顷", "千瓦时", "千瓦", "天", "小时", "分钟",
            "周年", "周", "倍", "位", "季度", "段", "块", "门", "盏", "页", "卷", "岁",
        ]
        list += counts.map { ($0, .quantity) }
        return list.map { (Array($0.0.unicodeScalars), $0.1) }.sorted { $0.0.count > $1.0.count }
    }()

    /// `units` grouped by first scalar (longest first within a group): a number is followed by a unit
    /// or not, and the whole list need not be tried to find out.
    static let unitsByFirst: [Unicode.Scalar: [([Unicode.Scalar], UnitRole)]] = Dictionary(
        grouping: units, by: { $0.0[0] })

    /// The unit (longest first) written at `j`, if any.
    func unit(at j: Int) -> ([Unicode.Scalar], UnitRole)? {
        guard j >= 0, j < n, let group = Self.unitsByFirst[s[j]] else { return nil }
        return group.first { matches(j, $0.0) }
    }

    /// Every unit a fact can carry, as written: what rule files may name in `unit:`.
    package static let knownUnits: Set<String> = {
        var out = Set(units.map { String(String.UnicodeScalarView($0.0)) })
        // money in every currency: [magnitude]元 / 美元 / 欧元 … and CODE [magnitude] (USD million)
        for c in Currency.allCases {
            out.insert(c.chineseUnit)
            out.insert(c.rawValue)
            for m in Measure.chineseMagnitudes { out.insert(m.word + c.chineseUnit) }
            for m in Measure.englishMagnitudes { out.insert(c.rawValue + " " + m.word) }
        }
        return out
    }()

    /// `Measure.figureMagnitudes` as scalars, longest first.
    static let magnitudes: [([Unicode.Scalar], Decimal)] = Measure.figureMagnitudes.map {
        (Array($0.word.unicodeScalars), $0.factor)
    }

    static let addressWords = scalars(["Suite", "Room", "Box", "No.", "Floor", "Unit", "Building", "Route"])
    static let yuWordMates = Set("关对由至等属基处位用鉴终归源限过高低大小多少利易难急忙善勇敢乐甘苦致免陷".unicodeScalars)
    static let prefixApprox = scalars(["超过", "超", "逾", "近", "约"])
    /// Characters that, before 约 / 近, make a word (节约, 最近) rather than an approximation.
    static let approxWordMates: ScalarSet = [
        "节", "制", "签", "预", "合", "条", "公", "违", "履", "特",
        "契", "邀", "盟", "缔", "最", "附", "邻", "就", "亲", "靠", "赶",
    ]
    static let suffixApprox = scalars(["以上", "左右"])
    static let asOfWords = scalars(["截至", "截止", "截止到", "截至到"])
    static let nowWords = scalars(["目前", "当前", "现在", "发稿时", "今"])
    static let dueSuffix = scalars(["以前", "之前", "前"])
    static let statusEnd = Set("以来内底末初".unicodeScalars)

    // MARK: - Main loop

    /// How many scalars the scan reads between two questions to `stop` (a clock reading each, about 20 ns,
    /// against about 20 µs of scanning).
    static let stopEvery = 4096

    /// The facts of the whole text; when `stop` (asked once the scan passes each multiple of `stopEvery`)
    /// says so, the scan ends early and the facts found so far are returned.
    mutating func scan(stop: () -> Bool = { false }) -> [DraftFact] {
        var i = 0
        var nextStop = Self.stopEvery
        let starts = configuration.scanStarts
        while i < n {
            if i >= nextStop {
                if stop() { return facts }
                nextStop = (i / Self.stopEvery + 1) * Self.stopEvery
            }
            let c = s[i]
            // Most scalars of a bulletin start nothing: one bit test, keyed as `ScalarWords` keys its first scalars.
            let v = Int(c.value & 0xFFFF)
            if starts[v >> 6] & (1 << UInt64(v & 63)) == 0 {
                i += 1
                continue
            }
            if c == "“" || c == "「" { quote = quoteRange(from: i) }
            if let e = configuration.fixedPhraseEnd(s, at: i) { i = e; continue }
            if let e = special(at: i) { i = e; continue }
            if Self.digit(c) != nil {
                i = arabic(at: i)
                continue
            }
            if ChineseNumeral.isNumeralScalar(c) {
                i = chinese(at: i)
                continue
            }
            i += 1
        }
        return facts
    }

    /// Every scalar at which `scan` may do anything but step on, as bits keyed by the scalar's low 16 bits
    /// (a scalar past U+FFFF shares its bit, and is then looked at in full): a quotation mark, a word that
    /// `special` opens (截至, 今日, 明年, 去年, 上年度, 百分之, 于, a currency sign, a Latin letter), an Arabic
    /// digit (ASCII or full-width) and a Chinese numeral. The scan asked all of these of every scalar
    /// (a fifth of extraction's own instructions); `ExtractionNumberTests` checks the set against the questions.
    static let startBits: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        func set(_ v: UInt32) { let k = Int(v & 0xFFFF); bits[k >> 6] |= 1 << UInt64(k & 63) }
        for c in "“「截今明去上百于$€£".unicodeScalars { set(c.value) }
        // Latin letters, ASCII and full-width digits, Chinese numerals (`ChineseNumeral.isNumeralScalar`).
        for r: ClosedRange<UInt32> in [0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0xFF10...0xFF19] { r.forEach(set) }
        for c in "〇零一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟廿".unicodeScalars { set(c.value) }
        return bits
    }()

    /// The extent of a quotation opened at `i`, up to its closing mark on the same line.
    func quoteRange(from i: Int) -> Range<Int>? {
        let close: Unicode.Scalar = s[i] == "“" ? "”" : "」"
        var j = i + 1
        while j < n, j - i < 400, s[j] != "\n" {
            if s[j] == close { return i..<(j + 1) }
            j += 1
        }
        return nil
    }

    /// True inside a short quotation (“两个维护”, “水十条”): a slogan, whose numerals are not counts.
    func inShortQuote(_ i: Int) -> Bool {
        guard let q = quote, q.contains(i) else { return false }
        return q.count - 2 <= 10
    }

    // MARK: - Words that open a fact: 截至, 今(5)日, 明年, 百分之, English

    mutating func special(at i: Int) -> Int? {
        let c = s[i]
        switch c {
        case "截":
            guard let w = match(i, Self.asOfWords) else { return nil }
            var j = i + w.count
            while j < n, Self.isSpace(s[j]) { j += 1 }
            if let d = date(at: j) {
                var f = d
                f.kind = .asOf
                f.range = i..<d.range.upperBound
                if case .range(_, let end) = d.value { f.value = .date(end) }
                facts.append(f)
                return f.range.upperBound
            }
            if let now = match(j, Self.nowWords), now.count > 1 {
                facts.append(DraftFact(kind: .asOf, range: i..<(j + now.count), value: .unresolved))
                return j + now.count
            }
            return nil
        case "今":
            // 今(5)日, 今(5)日, 今日, 今天, 今年
            if let o = at(i + 1), o == "(" {
                var j = i + 2
                var day = 0
                while j < n, j - i < 5, let d = Self.digit(s[j]) { day = day * 10 + d; j += 1 }
                if j > i + 2, j + 1 < n, s[j] == ")", s[j + 1] == "日", (1...31).contains(day) {
                    facts.append(
                        DraftFact(kind: .date, range: i..<(j + 2), value: .unresolved, relative: .today(day: day)))
                    return j + 2
                }
                return nil
            }
            if at(i + 1) == "日" || at(i + 1) == "天" {
                if at(i - 1) == "至" || at(i - 1) == "如" { return nil }  // 至今日, 如今天
                facts.append(DraftFact(kind: .date, range: i..<(i + 2), value: .unresolved, relative: .today(day: nil)))
                return i + 2
            }
            if at(i + 1) == "年", at(i - 1) != "至" {
                return relativeYear(at: i, .thisYear, kind: .date)
            }
            return nil
        case "明":
            guard at(i + 1) == "年" else { return nil }
            return relativeYear(at: i, .nextYear, kind: .deadline)
        case "去":
            guard at(i + 1) == "年", at(i - 1) != "过" else { return nil }
            facts.append(DraftFact(kind: .date, range: i..<(i + 2), value: .unresolved, relative: .lastYear))
            return i + 2
        case "上":
            // 上年度 / 上一年度 / 上年: the previous (audit) year, not resolvable from the text alone.
            if at(i + 1) == "年" {
                let e = at(i + 2) == "度" ? i + 3 : i + 2
                if at(i - 1) == "以" || at(i - 1) == "向" { return nil }
                facts.append(DraftFact(kind: .date, range: i..<e, value: .unresolved))
                return e
            }
            if at(i + 1) == "一", at(i + 2) == "年", at(i + 3) == "度" {
                facts.append(DraftFact(kind: .date, range: i..<(i + 4), value: .unresolved))
                return i + 4
            }
            return nil
        case "百":
            // 百分之九十, 百分之5
            guard at(i + 1) == "分", at(i + 2) == "之", at(i - 1).map({ !ChineseNumeral.isNumeralScalar($0) }) ?? true
            else { return nil }
            var j = i + 3
            if let d = at(j), Self.digit(d) != nil, let num = arabicNumber(at: j) {
                j = num.end
                facts.append(DraftFact(kind: .percent, range: i..<j, value: .number(num.value), unit: "%"))
                return j
            }
            while j < n, j - i < 10, ChineseNumeral.isNumeralScalar(s[j]) || s[j] == "点" { j += 1 }
            guard j > i + 3, let v = chineseDecimal(i + 3, j) else { return nil }
            facts.append(DraftFact(kind: .percent, range: i..<j, value: .number(v), unit: "%"))
            return j
        case "于":
            // 关于2022年度…, 对于, 由于, 等于: 于 inside a word is not "by / in (a future time)"
            if let p = at(i - 1), Self.yuWordMates.contains(p) { return nil }
            var j = i + 1
            while j < n, Self.isSpace(s[j]) { j += 1 }
            guard let d = date(at: j), case .date = d.kind else { return nil }
            // 于2023年底前 and 计划于2023年 are deadlines whatever the publication date; a bare 于2023年 is
            // one when not yet past at publication; 已于2023年…完成 is the day it was done.
            return appendDate(d, marker: i)
        case "$", "€", "£":
            return currencySign(at: i)
        default:
            if Self.isLatin(c), i == 0 || !Self.isLatin(s[i - 1]) { return english(at: i) }
            return nil
        }
    }

    /// 今年 / 明年 with an optional month, day or 底 and a 前 that makes it a deadline (明年3月底前).
    mutating func relativeYear(at i: Int, _ relative: DraftFact.Relative, kind: FactKind) -> Int {
        var e = i + 2
        var template: CalendarDate? = nil
        if let r = yearMonthDay(0, from: e), r.monthRangeEnd == nil {
            if r.date.month != nil { template = r.date }
            e = r.end
        }
        var f = DraftFact(kind: kind, range: i..<e, value: .unresolved, relative: relative)
        f.template = template
        if let suffix = match(e, Self.dueSuffix) { f.kind = .deadline; f.range = i..<(e + suffix.count) }
        // 计划今年6月底完成: a deadline word makes 今年 one too
        if f.kind == .date, deadlineWord(before: i) != nil, !reportedReached(after: e) { f.kind = .deadline }
        facts.append(f)
        return f.range.upperBound
    }

    /// 九十 / 九十五点五 as a decimal (for 百分之…).
    func chineseDecimal(_ a: Int, _ b: Int) -> Decimal? {
        var point = b
        for k in a..<b where s[k] == "点" { point = k; break }
        guard let whole = ChineseNumeral.value(s[a..<point]) else { return nil }
        var v = Decimal(whole)
        if point < b {
            var scale = Decimal(1)
            for k in (point + 1)..<b {
                guard let d = ChineseNumeral.digit(s[k]) else { return nil }
                scale /= 10
                v += Decimal(d) * scale
            }
        }
        return v
    }

    // MARK: - Arabic numbers

    struct ArabicNumber {
        var end: Int
        var value: Decimal
        var integerDigits: Int
        var separators: Bool
        var fraction: Bool
        var integerValue: Int
        /// More than `maxDigits` digits: no exact value, so not a figure (the whole run is still one number).
        var tooLong = false
    }

    /// The most digits a figure may have: what `Decimal` holds exactly. A longer number is skipped whole.
    static let maxDigits = 38

    /// Digits with optional 1,368 separators and a decimal part; ASCII or full-width.
    func arabicNumber(at i: Int) -> ArabicNumber? {
        var j = i
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var intValue = 0
        var separators = false
        var fraction = false
        // Up to 18 digits in a UInt64; from the 19th on in a Decimal, exact to 38 digits.
        var big: Decimal?
        while j < n {
            if let d = Self.digit(s[j]) {
                if digits < 18 {
                    significand = significand * 10 + UInt64(d)
                } else if digits < Self.maxDigits {
                    big = (big ?? Decimal(significand)) * 10 + Decimal(d)
                }
                if !fraction { intValue = digits < 18 ? intValue * 10 + d : Int.max } else { fractionDigits += 1 }
                digits += 1
                j += 1
            } else if !fraction, s[j] == ",", j + 3 < n + 1, (1...3).contains(j - i) || separators,
                (0..<3).allSatisfy({ j + 1 + $0 < n && Self.digit(s[j + 1 + $0]) != nil }),
                j + 4 >= n || Self.digit(s[j + 4]) == nil
            {
                separators = true
                j += 1
            } else if !fraction, s[j] == ".", j + 1 < n, Self.digit(s[j + 1]) != nil {
                fraction = true
                j += 1
            } else {
                break
            }
        }
        guard digits > 0 else { return nil }
        let value = Decimal(sign: .plus, exponent: -fractionDigits, significand: big ?? Decimal(significand))
        let intDigits = digits - fractionDigits
        return ArabicNumber(
            end: j, value: value, integerDigits: intDigits, separators: separators,
            fraction: fraction, integerValue: intValue, tooLong: digits > Self.maxDigits)
    }

    /// Reads 1–4 digits as an integer.
    func smallInt(at i: Int, max: Int = 2) -> (value: Int, end: Int)? {
        var j = i
        var v = 0
        while j < n, j - i < max, let d = Self.digit(s[j]) { v = v * 10 + d; j += 1 }
        if j == i || (j < n && Self.digit(s[j]) != nil) { return nil }
        return (v, j)
    }

    mutating func arabic(at i: Int) -> Int {
        // A number inside a word or a code (5G, PM2.5, 1+N, G20, 023-6389…) is a name, not a figure.
        let prev = at(i - 1)
        if let p = prev,
            Self.isLatin(p) || p == "+" || p == "_" || p == "/" || p == "-" && i >= 2 && Self.digit(s[i - 2]) != nil
        {
            return skipToken(from: i)
        }
        if let d = date(at: i) { return appendDate(d) }
        // 1.2024年3月 / 2.2023年12月: an item marker, then a date (not the number 1.2024 with 年)
        if let m = smallInt(at: i), at(m.end) == ".", let y = year(at: m.end + 1),
            let c = at(y.end), c == "年" || c == "-" || c == "/"
        {
            return m.end + 1
        }
        guard let num = arabicNumber(at: i) else { return i + 1 }
        let j = num.end
        // Too many digits to hold exactly: not a figure, and no part of it is read as one.
        if num.tooLong { return j }
        if let c = at(j), Self.isLatin(c) || c == "+" || c == "_" {
            if !(c == "+" && at(j + 1).map { Self.digit($0) == nil && !Self.isLatin($0) } ?? true) {
                if let w = at(j), Self.isLatin(w), at(j - 1).map(Self.isSpace) ?? false {
                    // English: "1,368 findings" — fall through
                } else {
                    return skipToken(from: i)
                }
            }
        }
        // Phone numbers, codes and times: 023-63891234, 14:30.
        if let c = at(j), c == "-" || c == ":", let d = at(j + 1), Self.digit(d) != nil {
            return skipToken(from: i)
        }
        if prev == "第" { return j }
        // e-mail addresses, web addresses and house / document numbers: xcb@163.com, 12号, 〔2021〕5号
        if let p = prev, p == "@" || p == "." || p == "#" || p == ":" && at(i - 2).map(Self.isLatin) == true {
            return skipToken(from: i)
        }
        if at(j) == ".", let c = at(j + 1), Self.isLatin(c) { return skipToken(from: i) }
        if let c = at(j), c == "号" || c == "室" || c == "〕" || c == "]" { return j + 1 }
        // List markers: 1. 1、 (1)
        if isLineStart(i), let c = at(j), c == "、" || c == "." || c == ")" { return j + 1 }
        if let p = prev, p == "(", let c = at(j), c == ")", num.integerDigits <= 2, !num.fraction {
            return j + 1
        }
        return quantity(start: i, numberEnd: j, value: num.value, chinese: false, number: num)
    }

    func isLineStart(_ i: Int) -> Bool {
        var k = i - 1
        while k >= 0, Self.isSpace(s[k]) { k -= 1 }
        return k < 0 || s[k] == "\n"
    }

    func skipToken(from i: Int) -> Int {
        var j = i
        while j < n, Self.digit(s[j]) != nil || Self.isLatin(s[j]) || "+-_.:/:".unicodeScalars.contains(s[j]) { j += 1 }
        return max(j, i + 1)
    }

    // MARK: - Chinese numerals

    mutating func chinese(at i: Int) -> Int {
        var j = i
        while j < n, j - i < 8, ChineseNumeral.isNumeralScalar(s[j]) { j += 1 }
        let runEnd = j
        // Ordinals (第二十次), list markers (三是, 三、, (三)) and numerals inside words are not figures.
        if at(i - 1) == "第" { return runEnd }
        if let c = at(runEnd), c == "是" || c == "、" { return runEnd }
        if let p = at(i - 1), p == "(", let c = at(runEnd), c == ")" { return runEnd }
        // Chinese digit-form years: 二〇二〇年.
        if runEnd - i == 4, at(runEnd) == "年", let d = date(at: i) {
            return appendDate(d)
        }
        guard let v = ChineseNumeral.value(s[i..<runEnd]) else { return runEnd }
        let single = runEnd - i == 1
        // 一 alone is an article ("a", 统一, 一系列, 一氧化碳); 百 / 千 alone are not counts either.
        if single, s[i] == "一" || s[i] == "百" || s[i] == "千" || s[i] == "〇" || s[i] == "零" {
            if let c = at(runEnd),
                c == "%" || matches(runEnd, Array("个百分点".unicodeScalars))
                    || (s[i] == "一" && (c == "万" || c == "亿"))
            {
                // keep: 一个百分点, 一万人
            } else {
                return runEnd
            }
        }
        // Counts say 两 before a classifier; a lone 二 there is a term or grade (二次供水, 二级, 二类).
        if single, s[i] == "二" { return runEnd }
        if inShortQuote(i) { return runEnd }
        // N大 + noun (六大机制) is a count unless it names a congress (十九大: value ≥ 10).
        if at(runEnd) == "大", v < 10, let next = at(runEnd + 1), ScalarText.isCJK(next) {
            facts.append(DraftFact(kind: .number, range: i..<(runEnd + 1), value: .number(Decimal(v)), unit: "大"))
            return runEnd + 1
        }
        return quantity(start: i, numberEnd: runEnd, value: Decimal(v), chinese: true, number: nil)
    }

    // MARK: - Units, magnitudes, approximations

    /// After a number: [余|多] [万|亿…] [余|多] UNIT [以上|左右]. Chinese numerals need a unit.
    mutating func quantity(start i: Int, numberEnd: Int, value: Decimal, chinese: Bool, number: ArabicNumber?) -> Int {
        var j = numberEnd
        var start = i
        var approx: String? = nil
        // prefix marker: 超90%, 近3年, 约50人
        if let p = at(i - 1), ScalarText.isCJK(p) {
            for w in Self.prefixApprox where i - w.count >= 0 && matches(i - w.count, w) {
                if let mate = at(i - w.count - 1), w.count == 1, Self.approxWordMates.contains(mate) { break }
                approx = string((i - w.count)..<i)
                start = i - w.count
                break
            }
        }
        func takeInner() {
            if let c = at(j), c == "余" || c == "多", approx == nil || approx == "超" || approx == "近" || approx == "约" {
                // only when a magnitude or unit follows: 2000余项, 2万多起
                if let nx = at(j + 1),
                    Self.magnitudes.contains(where: { matches(j + 1, $0.0) }) || unit(at: j + 1) != nil || nx == "万"
                {
                    approx = String(c)
                    j += 1
                }
            }
        }
        takeInner()
        var magnitudeText = ""
        var multiplier: Decimal = 1
        for (w, m) in Self.magnitudes where matches(j, w) {
            // 万 followed by 州/户? keep simple: a magnitude must not start a place name like 万州
            if let nx = at(j + w.count), nx == "州" || nx == "盛" { break }
            magnitudeText = string(j..<(j + w.count))
            multiplier = m
            j += w.count
            break
        }
        if !magnitudeText.isEmpty { takeInner() }
        var unitText: String? = nil
        var role: UnitRole? = nil
        if let (w, r) = unit(at: j) {
            unitText = string(j..<(j + w.count))
            role = r
            j += w.count
        }
        // 三季度 names a quarter; only 前三季度 / 连续3季度 count quarters
        if unitText == "季度", !(at(start - 1) == "前" || (start >= 2 && at(start - 2) == "连" && at(start - 1) == "续")) {
            return j
        }
        // 三年级 is a school grade, not a duration
        if role == .years, at(j) == "级" { return j + 1 }
        // Arabic years are dates (handled before); here 年 is a duration only for small numbers.
        if role == .years, !chinese, let num = number, num.integerDigits > 2 { role = nil; unitText = nil; j -= 1 }
        if role == nil, chinese, magnitudeText.isEmpty { return numberEnd }
        // suffix marker: 10%以上, 3年多
        if let w = match(j, Self.suffixApprox), approx == nil {
            approx = string(j..<(j + w.count))
            j += w.count
        } else if approx == nil, role == .years || role == .months, let c = at(j), c == "多" || c == "余" {
            approx = String(c)
            j += 1
        }
        let range = start..<j
        let expanded = magnitudeText.isEmpty ? value : value * multiplier  // Decimal products are not free
        switch role {
        case .money?:
            facts.append(
                DraftFact(
                    kind: .money, range: range, value: .number(expanded),
                    unit: magnitudeText + unitText!, amount: value, approx: approx))
        case .percent?:
            facts.append(DraftFact(kind: .percent, range: range, value: .number(expanded), unit: "%", approx: approx))
        case .percentPoint?:
            facts.append(
                DraftFact(kind: .quantity, range: range, value: .number(expanded), unit: unitText, approx: approx))
        case .years?, .months?:
            let amount = JSONValue.format(expanded)
            let iso = role == .years ? "P\(amount)Y" : "P\(amount)M"
            var f = DraftFact(kind: .duration, range: range, value: .duration(iso), approx: approx)
            if let c = at(j), c == "内" || (c == "以" && at(j + 1) == "内") {
                // 三年内: a deadline period from the publication date
                let whole = NSDecimalNumber(decimal: expanded).intValue
                if Decimal(whole) == expanded {
                    f.kind = .deadline
                    f.relative = role == .years ? .within(years: whole, months: 0) : .within(years: 0, months: whole)
                    j += c == "内" ? 1 : 2
                    f.range = start..<j
                }
            }
            facts.append(f)
        case .quantity?:
            facts.append(
                DraftFact(kind: .quantity, range: range, value: .number(expanded), unit: unitText, approx: approx))
        case nil:
            // A bare number: identifiers (≥ 5 digits, no separators), year-like 2020川渝, or nothing at all.
            guard let num = number else { return j }
            // English money named in words: 5 million dollars, 310,000 US dollars
            if magnitudeText.isEmpty, approx == nil, let m = currencyWords(after: j) {
                facts.append(
                    DraftFact(
                        kind: .money, range: start..<m.end, value: .number(value * m.multiplier),
                        unit: m.currency.rawValue + (m.magnitude.map { " " + $0 } ?? ""), amount: value))
                return m.end
            }
            if magnitudeText.isEmpty {
                if !num.separators && !num.fraction && num.integerDigits >= 5 { return j }
                if !num.separators && !num.fraction && num.integerDigits == 4
                    && (1900...2100).contains(num.integerValue)
                {
                    return j
                }
                if let c = at(j), Self.isLatin(c), !(at(j - 1).map(Self.isSpace) ?? false) { return j }
            }
            // clock times: 24时, 9点
            if let c = at(j), c == "时" || c == "点" { return j + 1 }
            // English addresses and numbered names: 1600 Main Street, Suite 210, (202) 555-0143
            if let c = at(j), c == " ", let u = at(j + 1), u.properties.isUppercase, !num.fraction { return j }
            if Self.addressWords.contains(where: {
                i - $0.count - 1 >= 0 && matches(i - $0.count - 1, $0) && at(i - 1) == " "
            }) {
                return j
            }
            if let p = at(i - 1), p == "(", at(j) == ")", at(j + 1) == " ", let d = at(j + 2), Self.digit(d) != nil {
                return skipToken(from: j + 2)
            }
            // English "79 percent"
            if let w = englishPercent(at: j) {
                facts.append(
                    DraftFact(kind: .percent, range: start..<w, value: .number(expanded), unit: "%", approx: approx))
                return w
            }
            facts.append(
                DraftFact(
                    kind: .number, range: range, value: .number(expanded),
                    unit: magnitudeText.isEmpty ? nil : magnitudeText, approx: approx))
        }
        return j
    }
}
