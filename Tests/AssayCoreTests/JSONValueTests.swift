import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

@Suite struct JSONValueTests {
    @Test func escapesQuotesControlsAndLineSeparators() throws {
        let v = JSONValue.string("a\"b\\c\n\u{1}\u{7F}\u{2028}整改")
        #expect(v.rendered() == #""a\"b\\c\n\u0001\u007f\u2028整改""#)
        // Escapes at the start, the end and side by side; U+2029 and a lone E2 lead byte that is not U+2028.
        #expect(JSONValue.string("\"\u{2029}\t\u{2013}x\r").rendered() == #""\"\u2029\t–x\r""#)
        var s = [UInt8]()
        JSONValue.escape("plain 整改率", into: &s)
        #expect(String(decoding: s, as: UTF8.self) == "\"plain 整改率\"")
        #expect(try JSONValue.parse(v.rendered()) == v)
    }

    @Test func numbersArePlainDecimals() throws {
        #expect(JSONValue.number(Decimal(string: "12570000000")!).rendered() == "12570000000")
        #expect(JSONValue.number(Decimal(string: "97.60")!).rendered() == "97.6")
        #expect(JSONValue.number(Decimal(string: "-0.5")!).rendered() == "-0.5")
        #expect(JSONValue.int(1081).rendered() == "1081")
        #expect(
            JSONValue.array([.int(0), .int(-12), .int(Int.max), .int(Int.min)]).rendered(pretty: false)
                == "[0,-12,9223372036854775807,-9223372036854775808]")
        #expect(JSONValue.int(5) == JSONValue.number(5))
        #expect(
            try JSONValue.parse("[1, 2.50, {\"a\": null}]")
                == .array([.int(1), .number(Decimal(string: "2.5")!), .object([("a", .null)])]))
    }

    /// The word-at-a-time test never lets a byte that needs an escape through: every string of one escapable
    /// byte placed at each of sixteen positions among plain text escapes as the byte-by-byte loop does.
    @Test func wordAtATimeEscapingMissesNoEscape() throws {
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "\u{2013}", "\t"] {
            for at in 0..<16 {
                let plain = String(repeating: "a整", count: 4)
                var s = String(plain.prefix(at))
                s += special + plain
                var out = [UInt8]()
                JSONValue.escape(s, into: &out)
                let rendered = String(decoding: out, as: UTF8.self)
                #expect(try JSONValue.parse(rendered) == .string(s), "\(at) \(special.unicodeScalars.first!.value)")
                #expect(!rendered.contains("\n") && !rendered.unicodeScalars.contains { $0.value < 0x20 })
            }
        }
        for w: UInt64 in [0x6161_6161_6161_6161, 0xE6_95_B4_E6_94_B9_E7_8E] {
            #expect(JSONValue.noneMayNeedEscape(w))
        }
        for w: UInt64 in [0x6161_6161_6161_6122, 0x1F61_6161_6161_6161, 0x6161_6161_E261_6161, 0x6161_7F61_6161_6161] {
            #expect(!JSONValue.noneMayNeedEscape(w))
        }
    }

    @Test func objectsKeepTheirKeyOrder() {
        let v = JSONValue.object([("z", .int(1)), ("a", .bool(true))])
        #expect(v.rendered(pretty: false) == #"{"z":1,"a":true}"#)
        #expect(v.rendered() == "{\n  \"z\": 1,\n  \"a\": true\n}")
    }
}

/// `JSONValue.parse` reads RFC 8259 JSON and nothing else: every refusal is a `ParseError` with the byte
/// offset and the reason, never a trap.
@Suite struct JSONParserTests {
    struct Invalid: CustomTestStringConvertible, Sendable {
        var text: String
        var offset: Int
        var message: String
        var testDescription: String { "\(text.debugDescription) → \(offset): \(message)" }
        init(_ text: String, _ offset: Int, _ message: String) {
            (self.text, self.offset, self.message) = (text, offset, message)
        }
    }

    static let invalid: [Invalid] = [
        // Structure.
        Invalid("", 0, "expected a value, found end of input"),
        Invalid(" \t\r\n", 4, "expected a value, found end of input"),
        Invalid("[1-2]", 2, "expected ',' or ']' after an array element, found '-'"),
        Invalid("[1 2]", 3, "expected ',' or ']' after an array element, found '2'"),
        Invalid("[1,]", 3, "expected a value, found ']'"),
        Invalid("[,1]", 1, "expected a value, found ','"),
        Invalid("[1", 2, "expected ',' or ']' after an array element, found end of input"),
        Invalid("{\"a\" 1}", 5, "expected ':' after the key, found '1'"),
        Invalid("{\"a\":1,}", 7, "expected a string key, found '}'"),
        Invalid("{a:1}", 1, "expected a string key, found 'a'"),
        Invalid("{\"a\":1 \"b\":2}", 7, "expected ',' or '}' after an object member, found '\"'"),
        Invalid("{\"a\":1", 6, "expected ',' or '}' after an object member, found end of input"),
        Invalid("[1]x", 3, "expected end of input after the value, found 'x'"),
        Invalid("1 2", 2, "expected end of input after the value, found '2'"),
        Invalid("{} {}", 3, "expected end of input after the value, found '{'"),
        Invalid("\u{FEFF}1", 0, "expected a value, found U+FEFF"),
        Invalid("[整]", 1, "expected a value, found U+6574"),
        Invalid("tru", 0, "expected 'true', found 'tru'"),
        Invalid("nULL", 0, "expected 'null', found 'nULL'"),
        Invalid("[fals]", 1, "expected 'false', found 'fals'"),
        Invalid("NaN", 0, "expected a value, found 'N'"),
        Invalid(String(repeating: "[", count: 513), 512, "nesting deeper than 512 levels"),
        // Numbers.
        Invalid("01", 0, "number '01' has a leading zero"),
        Invalid("-012.5", 0, "number '-012.5' has a leading zero"),
        Invalid("[00]", 1, "number '00' has a leading zero"),
        Invalid("1.", 2, "expected a digit after the decimal point, found end of input"),
        Invalid("1.e5", 2, "expected a digit after the decimal point, found 'e'"),
        Invalid(".5", 0, "expected a value, found '.'"),
        Invalid("-", 1, "expected a digit after '-', found end of input"),
        Invalid("-a", 1, "expected a digit after '-', found 'a'"),
        Invalid("+1", 0, "expected a value, found '+'"),
        Invalid("1e", 2, "expected a digit in the exponent, found end of input"),
        Invalid("1e+", 3, "expected a digit in the exponent, found end of input"),
        Invalid("1E-x", 3, "expected a digit in the exponent, found 'x'"),
        Invalid("0x1F", 1, "expected end of input after the value, found 'x'"),
        Invalid("1e999", 0, "number '1e999' is too large for a Decimal"),
        Invalid("[-1e-999]", 1, "number '-1e-999' has more than 128 decimal places"),
        Invalid(
            "123456789012345678901234567890123456789", 0,
            "number '123456789012345678901234567890123456789' has more than 38 significant digits"),
        // Strings.
        Invalid("\"abc", 0, "unterminated string"),
        Invalid("[\"a\\", 1, "unterminated string"),
        Invalid("\"a\\qb\"", 2, #"invalid escape '\q' in a string"#),
        Invalid("\"\\'\"", 1, #"invalid escape '\'' in a string"#),
        Invalid("\"\\\n\"", 1, #"invalid escape: '\' followed by U+000A"#),
        Invalid("\"a\nb\"", 2, "control character U+000A in a string must be escaped"),
        Invalid("\"\t\"", 1, "control character U+0009 in a string must be escaped"),
        Invalid("\"\u{0}\"", 1, "control character U+0000 in a string must be escaped"),
        Invalid("\"\u{1F}\"", 1, "control character U+001F in a string must be escaped"),
        Invalid(#""\u12G4""#, 1, #"invalid \u escape '\u12G4'; expected four hex digits"#),
        Invalid(#""\u12""#, 1, #"invalid \u escape '\u12"'; expected four hex digits"#),
        Invalid(#""\u"#, 1, #"invalid \u escape '\u'; expected four hex digits"#),
        Invalid(#""\uD800\u0041""#, 1, #"high surrogate '\uD800' is not followed by a low surrogate"#),
        Invalid(#""\uD800""#, 1, #"high surrogate '\uD800' is not followed by a low surrogate"#),
        Invalid(#""x\ud83dy""#, 2, #"high surrogate '\ud83d' is not followed by a low surrogate"#),
        Invalid(#""\uD800\n""#, 1, #"high surrogate '\uD800' is not followed by a low surrogate"#),
        Invalid(#""\uDBFF\uDBFF\uDC00""#, 1, #"high surrogate '\uDBFF' is not followed by a low surrogate"#),
        Invalid(#""\uD800\uZZZZ""#, 7, #"invalid \u escape '\uZZZZ'; expected four hex digits"#),
        Invalid(#""\uDC00""#, 1, #"low surrogate '\uDC00' does not follow a high surrogate"#),
        Invalid(#""\uD83D\uDE00\uDE00""#, 13, #"low surrogate '\uDE00' does not follow a high surrogate"#),
        Invalid(#"{"\uDFFF":1}"#, 2, #"low surrogate '\uDFFF' does not follow a high surrogate"#),
    ]

    @Test(arguments: invalid) func refusesWithOffsetAndReason(_ c: Invalid) {
        do {
            let v = try JSONValue.parse(c.text)
            Issue.record("parsed as \(v.rendered(pretty: false))")
        } catch {
            #expect(error.offset == c.offset)
            #expect(error.message == c.message)
            #expect(error.description == "invalid JSON at byte \(c.offset): \(c.message)")
        }
    }

    static let valid: [(String, JSONValue)] = [
        ("null", .null), ("true", .bool(true)), (" false ", .bool(false)), ("\"\"", .string("")),
        ("0", .number(0)), ("-0", .number(0)), ("-0.0", .number(0)), ("-0e5", .number(0)), ("42", .int(42)),
        ("-12.50", .number(Decimal(string: "-12.5")!)), ("1e2", .int(100)), ("1E+2", .int(100)),
        ("1e-2", .number(Decimal(string: "0.01")!)),
        ("12.5e-1", .number(Decimal(string: "1.25")!)), ("0.000123", .number(Decimal(string: "0.000123")!)),
        ("10E0", .int(10)),
        ("1e127", .number(Decimal(sign: .plus, exponent: 127, significand: 1))),
        ("1e150", .number(Decimal(string: "1" + String(repeating: "0", count: 23) + "E127")!)),
        ("1e-128", .number(Decimal(sign: .plus, exponent: -128, significand: 1))),
        ("12345678901234567890123456789012345678", .number(Decimal(string: "12345678901234567890123456789012345678")!)),
        ("1000000000000000000000000000000000000000000", .number(Decimal(sign: .plus, exponent: 42, significand: 1))),
        ("-9223372036854775808", .int(Int.min)),
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{8}\u{C}\n\r\t")),
        (#""\u00e9\u6574\u0000\u001F""#, .string("é整\u{0}\u{1F}")),
        (#""\uD83D\uDE00 \ud83d\ude00""#, .string("😀 😀")),
        (#""\uDBFF\uDFFF""#, .string("\u{10FFFF}")),
        ("\"整改率 \u{7F}\u{2028}😀\"", .string("整改率 \u{7F}\u{2028}😀")),
        (" \t\r\n[ 1 , \"a\" ,null ] \n", .array([.int(1), .string("a"), .null])),
        (
            #"{"a":[{"b":{}}, [], [[null]]], "c": true}"#,
            .object([
                ("a", .array([.object([("b", .object([]))]), .array([]), .array([.array([.null])])])),
                ("c", .bool(true)),
            ])
        ),
        (#"{"a":1,"a":2}"#, .object([("a", .int(1)), ("a", .int(2))])),
        (
            String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
            (0..<511).reduce(JSONValue.array([])) { v, _ in .array([v]) }
        ),
    ]

    @Test func acceptsValidJSON() throws {
        for (text, value) in Self.valid {
            #expect(try JSONValue.parse(text) == value, "\(text.debugDescription)")
        }
        #expect(try JSONValue.parse("1e150").rendered() == "1" + String(repeating: "0", count: 150))
        // The exact Decimal, not a rounded double.
        #expect(try JSONValue.parse("0.1") == .number(Decimal(string: "0.1")!))
        #expect(
            try JSONValue.parse("[3.14159265358979323846264338327950288]")
                == .array([.number(Decimal(string: "3.14159265358979323846264338327950288")!)]))
    }

    /// Values the project's writer renders (pretty and compact) parse back to the same value, and render
    /// the same bytes again.
    @Test func readsBackWhatTheWriterRenders() throws {
        var rng = SeededGenerator.fromEnvironment("JSONParserTests.readsBackWhatTheWriterRenders")
        for _ in 0..<500 {
            let v = randomValue(&rng, depth: 0)
            for pretty in [true, false] {
                let text = v.rendered(pretty: pretty)
                let back = try JSONValue.parse(text)
                #expect(back == v, "\(rng.rerun): \(text)")
                #expect(back.rendered(pretty: pretty) == text, "\(rng.rerun)")
            }
        }
    }

    /// The layout, written out: nesting, empty containers, escaped text, pretty and compact, the same
    /// whether the writer is driven call by call (as the report renderer does) or given a tree.
    @Test func theWriterLaysOutNestingAndEmptyContainers() {
        let tree = JSONValue.array([
            .integer(1), .object([("k", .string("整\n")), ("empty", .array([])), ("o", .object([]))]), .null,
        ])
        let expected = [
            true: "[\n  1,\n  {\n    \"k\": \"整\\n\",\n    \"empty\": [],\n    \"o\": {}\n  },\n  null\n]",
            false: "[1,{\"k\":\"整\\n\",\"empty\":[],\"o\":{}},null]",
        ]
        for pretty in [true, false] {
            var w = JSONWriter(pretty: pretty)
            w.beginArray()
            w.int(1)
            w.beginObject()
            w.key(string: "k")
            w.string("整\n")
            w.key("empty")
            w.beginArray()
            w.endArray()
            w.key("o")
            w.beginObject()
            w.endObject()
            w.endObject()
            w.null()
            w.endArray()
            #expect(String(decoding: w.bytes, as: UTF8.self) == expected[pretty])
            #expect(tree.rendered(pretty: pretty) == expected[pretty])
        }
    }

    /// Random bytes and damaged reports are refused with an offset inside the text, or read; never a trap.
    @Test func neverTrapsOnRandomBytes() throws {
        var rng = SeededGenerator.fromEnvironment("JSONParserTests.neverTrapsOnRandomBytes")
        // Pieces of JSON, so that random texts reach escapes, surrogates, exponents and nesting, not only the first byte.
        let pieces = [
            #"["#, #"]"#, #"{"#, #"}"#, #","#, #":"#, #"""#, #"\"#, #"\u"#, #"\uD800"#, #"\udbff"#, #"\uDC00"#,
            #"\u0041"#, #"\n"#, #"\q"#, "0", "1", "9", "-", "+", ".", "e", "E", "true", "null", "fals", " ", "\n",
            "a", "D8", "整", "\u{0}", "\u{1F}", "\u{7F}", "\u{FEFF}",
        ].map { Array($0.utf8) }
        let alphabet = pieces.filter { $0.count == 1 }.map { $0[0] }
        var parsed = 0
        for round in 0..<10_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = Bool.random(using: &rng) ? [UInt8(ascii: "\"")] : []
                for _ in 0..<Int.random(in: 0...24, using: &rng) {
                    if Int.random(in: 0..<4, using: &rng) == 0 {
                        bytes.append(UInt8.random(in: 0...255, using: &rng))
                    } else {
                        bytes += pieces.randomElement(using: &rng)!
                    }
                }
            } else {
                // A rendered value with a few bytes changed, dropped or doubled.
                bytes = randomValue(&rng, depth: 1).renderedBytes(pretty: Bool.random(using: &rng))
                for _ in 0..<Int.random(in: 1...3, using: &rng) where !bytes.isEmpty {
                    let k = Int.random(in: 0..<bytes.count, using: &rng)
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: bytes[k] = alphabet.randomElement(using: &rng)!
                    case 1: bytes.remove(at: k)
                    default: bytes.insert(bytes[k], at: k)
                    }
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                let v = try JSONValue.parse(text)
                parsed += 1
                #expect(try JSONValue.parse(v.rendered()) == v, "\(rng.rerun): \(text.debugDescription)")
            } catch {
                #expect(
                    (0...text.utf8.count).contains(error.offset), "\(rng.rerun): \(text.debugDescription) → \(error)")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed > 0)
    }

    func randomValue(_ rng: inout SeededGenerator, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth < 4 ? 8 : 6), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer(Int.random(in: Int.min...Int.max, using: &rng) >> Int.random(in: 0...63, using: &rng))
        case 3:
            let significand = Decimal(
                UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64.random(in: 0...63, using: &rng))
            return .number(
                Decimal(
                    sign: Bool.random(using: &rng) ? .minus : .plus,
                    exponent: Int.random(in: -40...40, using: &rng), significand: significand))
        case 4, 5: return .string(randomString(&rng))
        case 6: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            return .object(
                (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                    (randomString(&rng), randomValue(&rng, depth: depth + 1))
                })
        }
    }

    func randomString(_ rng: inout SeededGenerator) -> String {
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0x00...0x1F, 0x7F...0x7F, 0x22...0x22, 0x5C...0x5C, 0x2028...0x2029,
            0x4E00...0x9FFF, 0xFF01...0xFF5E, 0xFEFF...0xFEFF, 0x0300...0x036F, 0x1F600...0x1F64F,
            0x10000...0x10FFFF,
        ]
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...12, using: &rng) {
            let pool = pools.randomElement(using: &rng)!
            if let u = Unicode.Scalar(UInt32.random(in: pool, using: &rng)) { s.append(u) }
        }
        return String(s)
    }
}
