import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

@Suite struct DecodingTests {
    /// The script counts behind the genre and the message language: ideographs, ASCII letters, and
    /// full-width letters apart (they count as Latin for the genre, which reads the folded text).
    @Test func scriptsAreCountedOnceWhenDecoded() throws {
        let d = try TextDecoder().decode(Array("整改Ａｂ rate 12%，３项".utf8))
        #expect(d.scripts.cjk == 3 && d.scripts.latin == 4 && d.scripts.fullWidthLatin == 2)
    }

    let text = "市审计局:整改率达79%。"

    /// Plain UTF-8 keeps its bytes as the text's UTF-8 (shared with the input, for the store); with a
    /// byte-order mark it does not, and the UTF-8 is encoded from the scalars. Either way it is the text's.
    @Test func theTextsUTF8IsTheInputOnlyWhenVerbatim() throws {
        let bytes = Array(text.utf8)
        let plain = try TextDecoder().decode(bytes)
        #expect(plain.verbatimUTF8 == bytes)
        #expect(plain.utf8 == bytes)
        let bom = try TextDecoder().decode([0xEF, 0xBB, 0xBF] + bytes)
        #expect(bom.verbatimUTF8 == nil)
        #expect(bom.utf8 == bytes)
        let wide = "𠀀é\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"
        let decoded = try TextDecoder().decode([0xEF, 0xBB, 0xBF] + Array(wide.utf8))
        #expect(decoded.utf8 == Array(wide.utf8))
        #expect(ScalarText.utf8(wide.unicodeScalars) == Array(wide.utf8))
        #expect(ScalarText.string(wide.unicodeScalars) == wide)
    }

    /// The set's filter on the low byte of a scalar outside ASCII never hides a member and never admits
    /// another: checked against a Swift Set over every scalar of the BMP and beyond, with members that share
    /// their filter bits (U+3001, U+3101 and U+4E01 have the same low byte).
    @Test func scalarSetAgreesWithASetOnEveryScalar() {
        let members: [Unicode.Scalar] = [
            "\u{3001}", "\u{3101}", "\u{4E01}", "，", "。", "；", "a", "\u{7F}", "\u{80}", "\u{1F600}", "\u{10FFFF}",
        ]
        let set = ScalarSet(members)
        let reference = Set(members)
        var disagreements = [UInt32]()
        for v in UInt32(0)...0x10FFFF {
            guard let c = Unicode.Scalar(v) else { continue }
            if set.contains(c) != reference.contains(c) { disagreements.append(v) }
        }
        #expect(disagreements.isEmpty)
    }

    @Test func utf8WithAndWithoutBOM() throws {
        let plain = try TextDecoder().decode(Array(text.utf8))
        #expect(plain.encoding == .utf8)
        #expect(plain.string == text)
        let bom = try TextDecoder().decode([0xEF, 0xBB, 0xBF] + Array(text.utf8))
        #expect(bom.encoding == .utf8BOM)
        #expect(bom.string == text)
        #expect(bom.scalars.count == plain.scalars.count)
    }

    @Test func utf16WithBOM() throws {
        var le: [UInt8] = [0xFF, 0xFE]
        var be: [UInt8] = [0xFE, 0xFF]
        for u in text.utf16 {
            le += [UInt8(u & 0xFF), UInt8(u >> 8)]
            be += [UInt8(u >> 8), UInt8(u & 0xFF)]
        }
        #expect(try TextDecoder().decode(le).string == text)
        #expect(try TextDecoder().decode(le).encoding == .utf16LE)
        #expect(try TextDecoder().decode(be).string == text)
        #expect(try TextDecoder().decode(be).encoding == .utf16BE)
    }

    @Test func gb18030() throws {
        // 市审计局 in GB18030/GBK.
        let bytes: [UInt8] = [0xCA, 0xD0, 0xC9, 0xF3, 0xBC, 0xC6, 0xBE, 0xD6]
        let d = try TextDecoder().decode(bytes)
        #expect(d.encoding == .gb18030)
        #expect(d.string == "市审计局")
    }

    @Test func emptyFile() {
        #expect(throws: DecodingError.empty) { try TextDecoder().decode([]) }
        #expect(DecodingError.empty.description == "the file is empty")
    }

    @Test func binaryFile() {
        let bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x00, 0x00]
        #expect(throws: DecodingError.binary(byteOffset: 6)) { try TextDecoder().decode(bytes) }
        #expect(
            DecodingError.binary(byteOffset: 6).description
                == "binary content (NUL byte at byte 6); expected a text bulletin")
    }

    /// The NUL's place in UTF-16 counts code units: 𠀀 (U+20000) takes two of them.
    @Test func binaryUTF16CountsUnitsNotCharacters() {
        var bytes: [UInt8] = [0xFF, 0xFE]  // UTF-16LE byte-order mark
        for u in Array("𠀀a".utf16) + [0, 0x41] { bytes += [UInt8(u & 0xFF), UInt8(u >> 8)] }
        #expect(throws: DecodingError.binary(byteOffset: 8)) { try TextDecoder().decode(bytes) }
    }

    @Test func latin1IsRejected() {
        // "Café résumé" in Latin-1: not UTF-8, and not GB18030 text with any CJK ideograph.
        let bytes: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x72, 0xE9, 0x73, 0x75, 0x6D, 0xE9]
        #expect(
            throws: DecodingError.undecodable(
                reason:
                    "not UTF-8 (invalid byte sequence at byte 3), not UTF-16 with a byte-order mark, and not GB18030/GBK"
            )
        ) {
            try TextDecoder().decode(bytes)
        }
    }

    @Test func truncatedMultibyteSequence() {
        let bytes = Array("整改率达79%".utf8) + [0xE6, 0x95]
        #expect(
            throws: DecodingError.undecodable(
                reason: "truncated UTF-8 sequence at byte 15 (the file ends inside a character)")
        ) {
            try TextDecoder().decode(bytes)
        }
    }

    @Test func oversizedFile() {
        #expect(throws: DecodingError.tooLarge(bytes: 11, limit: 10)) {
            try TextDecoder(sizeLimit: 10).decode(Array("hello world".utf8))
        }
    }

    /// The one-pass UTF-8 decoder accepts exactly what the standard library's validation accepts —
    /// boundary forms, overlongs, surrogates, values past U+10FFFF, cut and stray continuation bytes,
    /// and random bytes — and yields the same scalars.
    @Test func utf8DecoderAgreesWithTheStandardLibrary() {
        var cases: [[UInt8]] = [
            [0x7F], [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xEF, 0xBF, 0xBF], [0xF0, 0x90, 0x80, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF],  // the edges of each length
            [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x9F, 0xBF], [0xF0, 0x8F, 0xBF, 0xBF],  // overlong
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0x9F, 0xBF],  // surrogates and the last before them
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF],  // past U+10FFFF, never-used bytes
            [0x80], [0xE4, 0xB8], [0xE4, 0xB8, 0x41], [0x41, 0xF0, 0x9F, 0x98],  // stray, cut, interrupted
        ]
        var generator = SystemRandomNumberGenerator()
        for k in 0..<2000 {
            // Half: text made of random scalars of every UTF-8 length, one byte of it sometimes changed.
            // Half: random bytes, mostly ones that start or continue multi-byte forms.
            if k % 2 == 0 {
                let ranges: [ClosedRange<UInt32>] = [
                    0x20...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF,
                ]
                var bytes = [UInt8]()
                for _ in 0..<Int.random(in: 1...6, using: &generator) {
                    let v = UInt32.random(in: ranges.randomElement(using: &generator)!, using: &generator)
                    bytes += Array(String(Unicode.Scalar(v)!).utf8)
                }
                if k % 4 == 0 {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
                cases.append(bytes)
            } else {
                cases.append(
                    (0..<Int.random(in: 1...12, using: &generator)).map { _ in
                        [
                            UInt8.random(in: 0x80...0xBF, using: &generator),
                            UInt8.random(in: 0xC0...0xFF, using: &generator),
                            UInt8.random(in: 0x20...0x7F, using: &generator),
                        ][Int.random(in: 0...2, using: &generator)]
                    })
            }
        }
        var valid = 0
        for bytes in cases {
            let ours = DecodedText.scalars(ofUTF8: bytes[...])
            let reference = String(validating: bytes, as: UTF8.self).map { Array($0.unicodeScalars) }
            #expect(ours == reference, "\(bytes.map { String($0, radix: 16) })")
            if reference != nil { valid += 1 }
        }
        #expect(valid > 100 && valid < cases.count - 100)  // both outcomes are exercised
    }

    /// UTF-8 is decoded to scalars straight from the bytes: one-, two-, three- and four-byte forms.
    @Test func utf8ScalarsOfEveryLength() throws {
        let text = "a\u{7F}é\u{7FF}中\u{FFFF}𠀀\u{10FFFF}\n"
        let decoded = try TextDecoder().decode(Array(text.utf8))
        #expect(decoded.encoding == .utf8)
        #expect(decoded.string == text)
        #expect(decoded.scalars == Array(text.unicodeScalars))
        #expect(decoded.scalars.count == 9)
    }

    @Test func sha256OfKnownVectors() {
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(SHA256.hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(SHA256.hex(sampleBytes()) == "0ceff957d9ca0c23b02a1fb9460406b71e11b0f76e3aa67b7980e1f977b81172")
    }

    /// Block and padding boundaries (55, 56, 63, 64, 65 bytes …) against digests computed by another
    /// implementation (Python's hashlib) for the same bytes: i % 251 for i in 0..<length.
    @Test(arguments: [
        (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (1, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        (55, "463eb28e72f82e0a96c0a4cc53690c571281131f672aa229e0d45ae59b598b59"),
        (56, "da2ae4d6b36748f2a318f23e7ab1dfdf45acdc9d049bd80e59de82a60895f562"),
        (57, "2fe741af801cc238602ac0ec6a7b0c3a8a87c7fc7d7f02a3fe03d1c12eac4d8f"),
        (63, "29af2686fd53374a36b0846694cc342177e428d1647515f078784d69cdb9e488"),
        (64, "fdeab9acf3710362bd2658cdc9a29e8f9c757fcf9811603a8c447cd1d9151108"),
        (65, "4bfd2c8b6f1eec7a2afeb48b934ee4b2694182027e6d0fc075074f2fabb31781"),
        (119, "da18797ed7c3a777f0847f429724a2d8cd5138e6ed2895c3fa1a6d39d18f7ec6"),
        (120, "f52b23db1fbb6ded89ef42a23ce0c8922c45f25c50b568a93bf1c075420bbb7c"),
        (127, "92ca0fa6651ee2f97b884b7246a562fa71250fedefe5ebf270d31c546bfea976"),
        (128, "471fb943aa23c511f6f72f8d1652d9c880cfa392ad80503120547703e56a2be5"),
        (129, "5099c6a56203f9687f7d33f4bfdf576d31dc91f6b695ecea38b2770c87631135"),
        (1000, "4e4c294b331f7a2099a379bec34b9f9fc03dc46ab465d998f4d683da53487e6d"),
        (4095, "45de2924756389e3ccab98bdaacbef8a81cdeb651b59f916a6d6385b4f7b999d"),
        (4096, "d67c656e01756650d77717b0839985a056ec28ffe174601d690fc407a2ceffca"),
        (4097, "a16560d668b843fb3be99ace41dbd18471f342bd3255a1d21204b35e43f74436"),
    ])
    func sha256Boundaries(_ length: Int, _ expected: String) {
        #expect(SHA256.hex((0..<length).map { UInt8($0 % 251) }) == expected)
    }
}
