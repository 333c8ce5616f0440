import Foundation

/// A JSON value with ordered object keys, so reports are byte-for-byte stable across runs.
///
/// Numbers are kept as `Decimal` and printed in plain decimal notation (12570000000, 97.6), never
/// through binary floating point.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Decimal)
    /// A whole number that is known to be one (positions, counts): printed without Decimal formatting.
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

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

    public func hash(into h: inout Hasher) {
        h.combine(rendered(pretty: false))
    }

    public static func int(_ i: Int) -> JSONValue { .integer(i) }
    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    public static func optional(_ d: Decimal?) -> JSONValue { d.map { .number($0) } ?? .null }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// Serialises with two-space indentation (pretty) or none. Non-ASCII text is written as is.
    /// Written into a byte buffer: string appends per scalar cost more than the rest of a check.
    public func rendered(pretty: Bool = true) -> String {
        String(decoding: renderedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The same as UTF-8 bytes.
    public func renderedBytes(pretty: Bool = true) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(32 * 1024)
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    private static func newline(_ out: inout [UInt8], _ level: Int) {
        out.append(0x0A)
        var n = level * 2
        while n > 0 {
            let k = min(n, spaces.count)
            spaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[0..<k])) }
            n -= k
        }
    }

    /// Decimal digits of an integer, without making a String.
    public static func writeInteger(_ i: Int, into out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var m = i.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
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

    private func write(into out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d): out.append(contentsOf: Self.format(d).utf8)
        case .integer(let i): Self.writeInteger(i, into: &out)
        case .string(let s): Self.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let n = indent { Self.newline(&out, n + 1) }
                item.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if let n = indent { Self.newline(&out, n) }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let n = indent { Self.newline(&out, n + 1) }
                Self.escape(k, into: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(0x20) }
                v.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if let n = indent { Self.newline(&out, n) }
            out.append(UInt8(ascii: "}"))
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
        var copy = s
        copy.makeContiguousUTF8()
        copy.utf8.withContiguousStorageIfAvailable { utf8 in
            let n = utf8.count
            var run = 0, i = 0
            func flush(_ end: Int) {
                if end > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<end])) }
            }
            while i < n {
                let b = utf8[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C && b != 0x7F && b != 0xE2 { i += 1; continue }
                if b == 0xE2 {
                    guard i + 2 < n, utf8[i + 1] == 0x80, utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9 else { i += 1; continue }
                    flush(i)
                    escapeUnit(utf8[i + 2] == 0xA8 ? 0x2028 : 0x2029, into: &out)
                    i += 3
                    run = i
                    continue
                }
                flush(i)
                switch b {
                case UInt8(ascii: "\""): out.append(0x5C); out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                default: escapeUnit(UInt16(b), into: &out)
                }
                i += 1
                run = i
            }
            flush(n)
        }
    }

    /// `\uXXXX` with lower-case hex digits.
    private static func escapeUnit(_ u: UInt16, into out: inout [UInt8]) {
        func hex(_ v: UInt16) -> UInt8 { v < 10 ? 0x30 + UInt8(v) : 0x57 + UInt8(v) }
        out.append(0x5C); out.append(UInt8(ascii: "u"))
        out.append(hex(u >> 12)); out.append(hex((u >> 8) & 0xF)); out.append(hex((u >> 4) & 0xF)); out.append(hex(u & 0xF))
    }
}

extension JSONValue {
    public struct ParseError: Error, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// Parses JSON text (for tests and for reading stored reports). Numbers become `Decimal`, exactly.
    public static func parse(_ text: String) throws -> JSONValue {
        var p = Parser(bytes: Array(text.utf8))
        p.skip()
        let v = try p.value()
        p.skip()
        guard p.i == p.bytes.count else { throw ParseError(offset: p.i, reason: "trailing characters") }
        return v
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skip() {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        }

        func fail(_ r: String) -> ParseError { ParseError(offset: i, reason: r) }

        mutating func literal(_ s: String, _ v: JSONValue) throws -> JSONValue {
            let u = Array(s.utf8)
            guard i + u.count <= bytes.count, Array(bytes[i..<(i + u.count)]) == u else { throw fail("expected \(s)") }
            i += u.count
            return v
        }

        mutating func value() throws -> JSONValue {
            guard i < bytes.count else { throw fail("unexpected end") }
            switch bytes[i] {
            case UInt8(ascii: "n"): return try literal("null", .null)
            case UInt8(ascii: "t"): return try literal("true", .bool(true))
            case UInt8(ascii: "f"): return try literal("false", .bool(false))
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                i += 1; skip()
                var items = [JSONValue]()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    skip(); items.append(try value()); skip()
                    guard i < bytes.count else { throw fail("unterminated array") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                    throw fail("expected , or ]")
                }
            case UInt8(ascii: "{"):
                i += 1; skip()
                var pairs = [(String, JSONValue)]()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skip()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    let k = try string(); skip()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected :") }
                    i += 1; skip()
                    pairs.append((k, try value())); skip()
                    guard i < bytes.count else { throw fail("unterminated object") }
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                    throw fail("expected , or }")
                }
            default:
                let start = i
                while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
                guard i > start, let d = Decimal(string: String(decoding: bytes[start..<i], as: UTF8.self),
                                                  locale: Locale(identifier: "en_US_POSIX")) else {
                    throw fail("unexpected character")
                }
                return .number(d)
            }
        }

        mutating func string() throws -> String {
            i += 1
            var out = [UInt8]()
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                if c == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count else { break }
                    let e = bytes[i]
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\") {
                            i += 2
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        out.append(contentsOf: Array(String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8))
                    default: out.append(e)
                    }
                    i += 1
                } else {
                    out.append(c); i += 1
                }
            }
            throw fail("unterminated string")
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 < bytes.count, let v = UInt32(String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self), radix: 16)
            else { throw fail("bad \\u escape") }
            i += 4
            return v
        }
    }
}
