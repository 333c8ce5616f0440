import Foundation

/// A JSON value with ordered object keys, so reports are byte-for-byte stable across runs.
///
/// Numbers are kept as `Decimal` and printed in plain decimal notation (12570000000, 97.6), never
/// through binary floating point.
///
/// Not `indirect`: arrays and objects hold their elements in their own buffers already, and an indirect
/// enum boxed every value, a string or a number included, in a heap object of its own (making a report's
/// tree and freeing it again were a fifth of `assay check`'s instructions with JSON reports, callgrind).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Decimal)
    /// A whole number that is known to be one (positions, counts): printed without Decimal formatting.
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// Structural equality; object keys compare in order, and an `integer` equals a `number` of the same value.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.integer(let x), .integer(let y)): return x == y
        case (.integer(let x), .number(let y)), (.number(let y), .integer(let x)): return Decimal(x) == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Hashes the compact rendering, consistent with `==` for values that render alike.
    public func hash(into h: inout Hasher) {
        h.combine(rendered(pretty: false))
    }

    /// A whole number (`integer`).
    public static func int(_ i: Int) -> JSONValue { .integer(i) }
    /// A string, or null for nil.
    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    /// A number, or null for nil.
    public static func optional(_ d: Decimal?) -> JSONValue { d.map { .number($0) } ?? .null }

    /// The value of the first `key` in an object; nil when absent or when the value is not an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// Serialises with two-space indentation (pretty) or none. Non-ASCII text is written as is.
    /// Written into a byte buffer: string appends per scalar cost more than the rest of a check.
    public func rendered(pretty: Bool = true) -> String {
        String(decoding: renderedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The same as UTF-8 bytes, laid out by `JSONWriter` (the one layout for trees and streamed reports).
    public func renderedBytes(pretty: Bool = true) -> [UInt8] {
        var w = JSONWriter(pretty: pretty)
        w.value(self)
        return w.bytes
    }

    /// Decimal digits of an integer, without making a String.
    public static func writeInteger(_ i: Int, into out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var m = i.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = 0x30 + UInt8(m % 10)
                m /= 10
                n += 1
            } while m > 0
            while n > 0 { n -= 1; out.append(d[n]) }
        }
    }

    /// Plain decimal notation: no exponent, no trailing zeros.
    public static func format(_ d: Decimal) -> String {
        var s = d.description
        if s.contains("e") || s.contains("E") {
            s = NSDecimalNumber(decimal: d).stringValue
        }
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// JSON string escaping over UTF-8 bytes: quotes, backslashes, control characters, U+2028/U+2029.
    /// Runs of bytes that need no escape (nearly all of them) are copied in one append each.
    public static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        escapeContents(s, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string literal, without the quotes (for values written in pieces).
    public static func escapeContents(_ s: String, into out: inout [UInt8]) {
        escapeUTF8(s, into: &out, mayEscape: mayNeedEscape, skipWord: noneMayNeedEscape) { b, i, out in
            let c = b[i]
            if c == 0xE2 {
                // U+2028 and U+2029 (E2 80 A8/A9) are escaped; any other character starting with E2 is kept.
                guard i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xA8 || b[i + 2] == 0xA9 else { return 0 }
                escapeUnit(b[i + 2] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                return 3
            }
            switch c {
            case UInt8(ascii: "\""): out.append(0x5C); out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            default: escapeUnit(UInt16(c), into: &out)
            }
            return 1
        }
    }

    /// The bytes a JSON string may need to escape: controls, `"`, `\\`, DEL, and E2 (the lead byte of U+2028/9).
    @inline(__always) private static func mayNeedEscape(_ c: UInt8) -> Bool {
        c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F || c == 0xE2
    }

    /// True when none of the eight bytes of `w` may need an escape (`mayNeedEscape`), by the usual
    /// word-at-a-time tests: a byte below 0x20, or a byte equal to `"`, `\\`, DEL or E2. Exact when it
    /// answers true; a false answer only sends the bytes through the byte-by-byte test.
    @inline(__always) static func noneMayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        let below20 = (w &- ones &* 0x20) & ~w & highs != 0
        return
            !(below20 || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C))
            || hasZero(w ^ (ones &* 0x7F)) || hasZero(w ^ (ones &* 0xE2)))
    }

    /// `\uXXXX` with lower-case hex digits.
    private static func escapeUnit(_ u: UInt16, into out: inout [UInt8]) {
        func hex(_ v: UInt16) -> UInt8 { v < 10 ? 0x30 + UInt8(v) : 0x57 + UInt8(v) }
        out.append(0x5C); out.append(UInt8(ascii: "u"))
        out.append(hex(u >> 12)); out.append(hex((u >> 8) & 0xF)); out.append(hex((u >> 4) & 0xF));
        out.append(hex(u & 0xF))
    }
}
