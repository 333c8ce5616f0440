import Foundation

extension JSONValue {
    /// Why a text is not JSON: the 0-based byte offset (in its UTF-8) where it stops being JSON, and what
    /// was expected there and found instead.
    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The 0-based byte offset in the text's UTF-8 where it stops being JSON.
        public var offset: Int
        /// What was expected there and what was found.
        public var message: String

        /// A parse error at `offset` with `message`.
        public init(offset: Int, message: String) {
            self.offset = offset
            self.message = message
        }

        /// "invalid JSON at byte N: message".
        public var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    /// The deepest nesting of arrays and objects `parse` reads; deeper text is refused rather than
    /// risking the stack.
    public static let maximumDepth = 512

    /// Parses JSON text as RFC 8259 defines it, and nothing else (for tests and for reading stored
    /// reports and facts). Numbers become `Decimal`, exactly: a number a `Decimal` cannot hold exactly
    /// (more than 38 significant digits, more than 128 decimal places, or too large) is refused, as RFC
    /// 8259 §6 allows; so is nesting deeper than `maximumDepth` (§9). Object keys keep their order,
    /// repeated keys included. Every refusal is a `ParseError`, never a trap.
    public static func parse(_ text: String) throws(ParseError) -> JSONValue {
        var p = JSONParser(bytes: Array(text.utf8))
        let v = try p.value()
        p.skipWhitespace()
        guard p.i == p.bytes.count else { throw p.expected("end of input after the value") }
        return v
    }
}

/// A recursive-descent reader over UTF-8 bytes, one method per production of RFC 8259's grammar.
private struct JSONParser {
    typealias ParseError = JSONValue.ParseError

    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    static func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    mutating func skipWhitespace() {
        while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { i += 1 }
    }

    /// "expected <what>, found <what is at the current byte>".
    func expected(_ what: String) -> ParseError {
        ParseError(offset: i, message: "expected \(what), found \(found(at: i))")
    }

    /// What stands at a byte: a printable ASCII character in quotes, else the code point (U+FEFF), or
    /// "end of input".
    func found(at k: Int) -> String {
        guard k < bytes.count else { return "end of input" }
        let b = bytes[k]
        if b >= 0x21 && b <= 0x7E { return "'\(Character(Unicode.Scalar(b)))'" }
        var iterator = bytes[k...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&iterator) { return Self.codePoint(s.value) }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    static func codePoint(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The text of bytes[from..<to], shortened to `limit` bytes with an ellipsis, for quoting in a message.
    func quote(_ from: Int, _ to: Int, limit: Int = 40) -> String {
        let end = min(to, from + limit)
        return String(decoding: bytes[from..<end], as: UTF8.self) + (end < to ? "…" : "")
    }

    mutating func value() throws(ParseError) -> JSONValue {
        skipWhitespace()
        guard let b = current else { throw expected("a value") }
        switch b {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw expected("a value")
        }
    }

    mutating func literal(_ word: String) throws(ParseError) {
        let w = Array(word.utf8)
        if i + w.count <= bytes.count, bytes[i..<(i + w.count)].elementsEqual(w) {
            i += w.count
            return
        }
        var end = i
        while end < bytes.count, (bytes[end] | 0x20) >= 0x61 && (bytes[end] | 0x20) <= 0x7A { end += 1 }
        throw ParseError(offset: i, message: "expected '\(word)', found '\(quote(i, end))'")
    }

    mutating func enter() throws(ParseError) {
        guard depth < JSONValue.maximumDepth else {
            throw ParseError(offset: i, message: "nesting deeper than \(JSONValue.maximumDepth) levels")
        }
        depth += 1
        i += 1
    }

    mutating func array() throws(ParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var items = [JSONValue]()
        skipWhitespace()
        if current == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            items.append(try value())
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"): i += 1; return .array(items)
            default: throw expected("',' or ']' after an array element")
            }
        }
    }

    mutating func object() throws(ParseError) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var members = [(String, JSONValue)]()
        skipWhitespace()
        if current == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw expected("a string key") }
            let key = try string()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw expected("':' after the key") }
            i += 1
            members.append((key, try value()))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"): i += 1; return .object(members)
            default: throw expected("',' or '}' after an object member")
            }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, read into an exact `Decimal`.
    mutating func number() throws(ParseError) -> Decimal {
        let start = i
        let negative = current == UInt8(ascii: "-")
        if negative {
            i += 1
            guard Self.isDigit(current) else { throw expected("a digit after '-'") }
        }
        var digits = [UInt8]()  // the significand's digits, integer and fraction part
        var exponent = 0  // the power of ten they are multiplied by
        if current == UInt8(ascii: "0") {
            i += 1
            if Self.isDigit(current) {
                var end = i
                while end < bytes.count, Self.isDigit(bytes[end]) || ".eE+-".utf8.contains(bytes[end]) { end += 1 }
                throw ParseError(offset: start, message: "number '\(quote(start, end))' has a leading zero")
            }
        } else {
            while let b = current, Self.isDigit(b) { digits.append(b); i += 1 }
        }
        if current == UInt8(ascii: ".") {
            i += 1
            guard Self.isDigit(current) else { throw expected("a digit after the decimal point") }
            while let b = current, Self.isDigit(b) { digits.append(b); exponent -= 1; i += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            i += 1
            var sign = 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
                if current == UInt8(ascii: "-") { sign = -1 }
                i += 1
            }
            guard Self.isDigit(current) else { throw expected("a digit in the exponent") }
            var e = 0
            // Saturated: any exponent this large is out of a Decimal's range anyway.
            while let b = current, Self.isDigit(b) { e = min(e * 10 + Int(b - 0x30), 1_000_000_000); i += 1 }
            exponent += sign * e
        }
        let text = quote(start, i)
        // Only significant digits: no leading zeros, trailing zeros moved into the exponent.
        let first = digits.firstIndex { $0 != 0x30 } ?? digits.count
        var last = digits.count
        while last > first, digits[last - 1] == 0x30 { last -= 1; exponent += 1 }
        var significant = Array(digits[first..<last])
        if significant.isEmpty { return 0 }
        guard significant.count <= 38 else {
            throw ParseError(offset: start, message: "number '\(text)' has more than 38 significant digits")
        }
        if exponent > 127 {
            // A Decimal's exponent stops at 127; the significand takes the rest if it has room.
            guard significant.count + exponent - 127 <= 38 else {
                throw ParseError(offset: start, message: "number '\(text)' is too large for a Decimal")
            }
            significant += Array(repeating: 0x30, count: exponent - 127)
            exponent = 127
        }
        guard exponent >= -128 else {
            throw ParseError(offset: start, message: "number '\(text)' has more than 128 decimal places")
        }
        let literal = (negative ? "-" : "") + String(decoding: significant, as: UTF8.self) + "E" + String(exponent)
        guard let d = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else {
            throw ParseError(offset: start, message: "number '\(text)' is too large for a Decimal")
        }
        return d
    }

    /// A string: unescaped runs are copied as they are; escapes are decoded, surrogate pairs joined.
    mutating func string() throws(ParseError) -> String {
        let open = i
        i += 1
        var out = [UInt8]()
        var run = i
        while true {
            guard let b = current else { throw ParseError(offset: open, message: "unterminated string") }
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[run..<i])
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b < 0x20 {
                throw ParseError(
                    offset: i, message: "control character \(Self.codePoint(UInt32(b))) in a string must be escaped")
            }
            guard b == UInt8(ascii: "\\") else { i += 1; continue }
            out.append(contentsOf: bytes[run..<i])
            let escape = i
            i += 1
            guard let e = current else { throw ParseError(offset: open, message: "unterminated string") }
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e); i += 1
            case UInt8(ascii: "b"): out.append(0x08); i += 1
            case UInt8(ascii: "f"): out.append(0x0C); i += 1
            case UInt8(ascii: "n"): out.append(0x0A); i += 1
            case UInt8(ascii: "r"): out.append(0x0D); i += 1
            case UInt8(ascii: "t"): out.append(0x09); i += 1
            case UInt8(ascii: "u"):
                let unit = try hex4(escape)
                var scalar = unit
                if (0xDC00...0xDFFF).contains(unit) {
                    throw ParseError(
                        offset: escape, message: "low surrogate '\(quote(escape, i))' does not follow a high surrogate")
                }
                if (0xD800...0xDBFF).contains(unit) {
                    let next = i
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw ParseError(
                            offset: escape,
                            message: "high surrogate '\(quote(escape, next))' is not followed by a low surrogate")
                    }
                    let low = try hex4(next)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw ParseError(
                            offset: escape,
                            message: "high surrogate '\(quote(escape, next))' is not followed by a low surrogate")
                    }
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                }
                // Never nil: surrogates were handled above and four hex digits stay below U+10000.
                guard let s = Unicode.Scalar(scalar) else {
                    throw ParseError(offset: escape, message: "'\(quote(escape, i))' is not a Unicode scalar")
                }
                UTF8.encode(s) { out.append($0) }
            default:
                if e >= 0x21 && e <= 0x7E {
                    throw ParseError(
                        offset: escape, message: "invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
                }
                throw ParseError(offset: escape, message: "invalid escape: '\\' followed by \(found(at: i))")
            }
            run = i
        }
    }

    static func hexDigit(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - 0x30)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - 0x57)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - 0x37)
        default: return nil
        }
    }

    /// The four hex digits of a `\u` escape that starts at `escape` (the backslash); moves past them.
    mutating func hex4(_ escape: Int) throws(ParseError) -> UInt32 {
        var v: UInt32 = 0
        for k in (escape + 2)..<(escape + 6) {
            guard k < bytes.count, let digit = Self.hexDigit(bytes[k]) else {
                var end = escape
                while end < min(bytes.count, escape + 6), bytes[end] >= 0x20 && bytes[end] <= 0x7E { end += 1 }
                throw ParseError(
                    offset: escape, message: "invalid \\u escape '\(quote(escape, end))'; expected four hex digits")
            }
            v = v << 4 | digit
        }
        i = escape + 6
        return v
    }
}
