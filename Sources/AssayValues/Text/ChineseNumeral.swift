/// Values of Chinese numerals (一百二十三, 两, 十五, 〇, 廿), used for markers (三是) and figures (十项).
public enum ChineseNumeral {
    /// The value of a Chinese digit, ordinary or financial form (〇/零 0, 一/壹 1, 二/两/贰 2 … 九/玖 9); nil otherwise.
    @inline(__always)
    public static func digit(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "〇", "零": return 0
        case "一", "壹": return 1
        case "二", "两", "贰": return 2
        case "三", "叁": return 3
        case "四", "肆": return 4
        case "五", "伍": return 5
        case "六", "陆": return 6
        case "七", "柒": return 7
        case "八", "捌": return 8
        case "九", "玖": return 9
        default: return nil
        }
    }

    /// The value of a multiplier below 万: 十/拾 10, 百/佰 100, 千/仟 1000; nil otherwise.
    @inline(__always)
    public static func multiplier(_ s: Unicode.Scalar) -> Int? {
        switch s {
        case "十", "拾": return 10
        case "百", "佰": return 100
        case "千", "仟": return 1000
        default: return nil
        }
    }

    /// True for any scalar that may be part of a numeral below 万.
    @inline(__always)
    public static func isNumeralScalar(_ s: Unicode.Scalar) -> Bool {
        digit(s) != nil || multiplier(s) != nil || s == "廿"
    }

    /// The value of a numeral below 10,000 written in Chinese (二十, 一百零五, 三千二百, 二〇二〇 as digits).
    /// Nil when the scalars do not form a numeral.
    public static func value<C: Collection>(_ scalars: C) -> Int? where C.Element == Unicode.Scalar {
        guard !scalars.isEmpty else { return nil }
        // Digit-by-digit form (二〇二〇): no multipliers, more than one digit.
        if scalars.count > 1, scalars.allSatisfy({ digit($0) != nil && $0 != "两" }),
            scalars.contains(where: { $0 == "〇" || $0 == "零" })
        {
            return scalars.reduce(0) { $0 * 10 + digit($1)! }
        }
        var total = 0
        var pending: Int? = nil
        var lastMultiplier = 10_000
        for s in scalars {
            if s == "廿" { total += 20; continue }
            if let d = digit(s) {
                if pending != nil, d != 0 { return nil }  // 二三 is not a numeral
                if d != 0 { pending = d }
            } else if let m = multiplier(s) {
                guard m < lastMultiplier else { return nil }
                total += (pending ?? 1) * m
                pending = nil
                lastMultiplier = m
            } else {
                return nil
            }
        }
        return total + (pending ?? 0)
    }

    /// The value of a Chinese numeral below 10,000 written as a string (see `value(_:)` over scalars).
    public static func value(_ string: String) -> Int? { value(Array(string.unicodeScalars)) }
}
