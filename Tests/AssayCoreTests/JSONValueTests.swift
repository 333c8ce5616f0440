import Foundation
import Testing
@testable import AssayCore

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
        #expect(JSONValue.array([.int(0), .int(-12), .int(Int.max), .int(Int.min)]).rendered(pretty: false)
                == "[0,-12,9223372036854775807,-9223372036854775808]")
        #expect(JSONValue.int(5) == JSONValue.number(5))
        #expect(try JSONValue.parse("[1, 2.50, {\"a\": null}]") == .array([.int(1), .number(Decimal(string: "2.5")!), .object([("a", .null)])]))
    }

    @Test func objectsKeepTheirKeyOrder() {
        let v = JSONValue.object([("z", .int(1)), ("a", .bool(true))])
        #expect(v.rendered(pretty: false) == #"{"z":1,"a":true}"#)
        #expect(v.rendered() == "{\n  \"z\": 1,\n  \"a\": true\n}")
    }
}
