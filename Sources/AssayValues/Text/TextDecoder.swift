import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Turns a bulletin's bytes into text: UTF-8 (with or without BOM), UTF-16 (with a BOM, or recognised
/// without one: `utf16WithoutBOM`), or GB18030/GBK.
///
/// The order matters: a BOM decides; otherwise strict UTF-8; otherwise strict GB18030 (a superset of
/// GBK and GB2312) through iconv. Latin-1 and other single-byte texts almost never form valid GB18030
/// *with CJK content*, so a GB18030 decoding that yields no CJK ideograph is refused as a guess.
public struct TextDecoder: Sendable {
    /// Files larger than this are refused before decoding (bytes).
    public var sizeLimit: Int

    /// A decoder refusing files over `sizeLimit` bytes (16 MiB unless given).
    public init(sizeLimit: Int = 16 * 1024 * 1024) {
        self.sizeLimit = sizeLimit
    }

    /// Decodes; `sha256` may pass the bytes' hash when the caller has it already (the daemon hashes first).
    public func decode(_ bytes: [UInt8], sha256 known: String? = nil) throws(DecodingError) -> DecodedText {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= sizeLimit else { throw .tooLarge(bytes: bytes.count, limit: sizeLimit) }
        let hash = known ?? SHA256.hex(bytes)

        if bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return DecodedText(
                string: try Self.utf16(bytes.dropFirst(2), littleEndian: true),
                encoding: .utf16LE, sha256: hash, byteCount: bytes.count)
        }
        if bytes.count >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return DecodedText(
                string: try Self.utf16(bytes.dropFirst(2), littleEndian: false),
                encoding: .utf16BE, sha256: hash, byteCount: bytes.count)
        }
        if let nul = bytes.firstIndex(of: 0) {
            // UTF-16 without a byte-order mark: ASCII in it leaves a NUL in every other byte.
            if let (text, order) = Self.utf16WithoutBOM(bytes) {
                return DecodedText(string: text, encoding: order, sha256: hash, byteCount: bytes.count)
            }
            throw .binary(byteOffset: nul)
        }
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            let body = bytes.dropFirst(3)
            guard let scalars = DecodedText.scalars(ofUTF8: body) else {
                throw .undecodable(
                    reason: "invalid UTF-8 after the byte-order mark at byte \(Self.utf8Check(body).firstBad! + 3)")
            }
            guard !scalars.isEmpty else { throw .empty }
            return DecodedText(scalars: scalars, encoding: .utf8BOM, sha256: hash, byteCount: bytes.count)
        }
        // Validation and decoding in one pass; the check that finds the fault's offset for the message
        // runs only when the bytes are not UTF-8.
        if let scalars = DecodedText.scalars(ofUTF8: bytes[...]) {
            return DecodedText(
                scalars: scalars, encoding: .utf8, sha256: hash, byteCount: bytes.count, verbatimUTF8: bytes)
        }
        let (firstBad, multibyte) = Self.utf8Check(bytes[...])
        // Text that is clearly UTF-8 up to the fault is damaged UTF-8, not GB18030 by accident.
        if bytes.count - firstBad! < 4, Self.isTruncatedUTF8Tail(bytes[firstBad!...]) {
            throw .undecodable(
                reason: "truncated UTF-8 sequence at byte \(firstBad!) (the file ends inside a character)")
        }
        if multibyte >= 4 {
            throw .undecodable(reason: "invalid UTF-8 byte sequence at byte \(firstBad!)")
        }
        // UTF-16 without a byte-order mark and without ASCII (so without NULs): Chinese text whose every
        // other byte is the high byte of an ideograph; read as GB18030 it would be garbage.
        if let (text, order) = Self.utf16WithoutBOM(bytes) {
            return DecodedText(string: text, encoding: order, sha256: hash, byteCount: bytes.count)
        }
        if let text = Self.gb18030(bytes), text.unicodeScalars.contains(where: ScalarText.isCJK) {
            return DecodedText(string: text, encoding: .gb18030, sha256: hash, byteCount: bytes.count)
        }
        throw .undecodable(
            reason: "not UTF-8 (invalid byte sequence at byte \(firstBad!)), "
                + "not UTF-16 with a byte-order mark, and not GB18030/GBK")
    }

    /// The text and byte order when `bytes` are UTF-16 without a byte-order mark, else nil. Taken as UTF-16
    /// when, in one byte order, at least 90% of the code units have the high byte of ASCII (00), of CJK
    /// ideographs (4E–9F), of CJK punctuation (30), of general punctuation (20) or of full-width forms (FF),
    /// and the units decode with no unpaired surrogate, no NUL and no control character but tab, line feed,
    /// form feed and carriage return. Text in UTF-8 or GB18030 has no such rhythm.
    static func utf16WithoutBOM(_ bytes: [UInt8]) -> (String, TextEncoding)? {
        guard bytes.count >= 4, bytes.count % 2 == 0 else { return nil }
        func likely(_ high: UInt8) -> Bool {
            high == 0 || (0x4E...0x9F).contains(high) || high == 0x30 || high == 0x20 || high == 0xFF
        }
        let units = bytes.count / 2
        for littleEndian in [true, false] {
            var hits = 0
            var k = littleEndian ? 1 : 0
            while k < bytes.count {
                if likely(bytes[k]) { hits += 1 }
                k += 2
            }
            guard hits * 10 >= units * 9, let text = try? utf16(bytes[...], littleEndian: littleEndian),
                !text.unicodeScalars.contains(where: {
                    $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" && $0 != "\u{0C}"
                })
            else { continue }
            return (text, littleEndian ? .utf16LE : .utf16BE)
        }
        return nil
    }

    /// The first invalid offset (nil when all is well-formed) and how many multi-byte scalars precede it.
    static func utf8Check(_ bytes: ArraySlice<UInt8>) -> (firstBad: Int?, multibyte: Int) {
        var it = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        var multibyte = 0
        while true {
            switch parser.parseScalar(from: &it) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count > 1 { multibyte += 1 }
            case .emptyInput:
                return (nil, multibyte)
            case .error:
                return (offset, multibyte)
            }
        }
    }

    /// True when the bytes are the start of a multi-byte UTF-8 sequence cut short by the end of the file.
    static func isTruncatedUTF8Tail(_ tail: ArraySlice<UInt8>) -> Bool {
        guard let lead = tail.first else { return false }
        let need: Int
        switch lead {
        case 0xC2...0xDF: need = 2
        case 0xE0...0xEF: need = 3
        case 0xF0...0xF4: need = 4
        default: return false
        }
        return tail.count < need && tail.dropFirst().allSatisfy { (0x80...0xBF).contains($0) }
    }

    /// Decodes UTF-16 after its byte-order mark; throws `undecodable` for an odd byte count or an unpaired
    /// surrogate, `binary` for a NUL, `empty` for no text.
    package static func utf16(_ body: ArraySlice<UInt8>, littleEndian: Bool) throws(DecodingError) -> String {
        guard body.count % 2 == 0 else {
            throw .undecodable(reason: "UTF-16 text with an odd number of bytes (\(body.count + 2)): truncated")
        }
        var units = [UInt16]()
        units.reserveCapacity(body.count / 2)
        var i = body.startIndex
        while i < body.endIndex {
            let a = UInt16(body[i])
            let b = UInt16(body[i + 1])
            units.append(littleEndian ? (b << 8 | a) : (a << 8 | b))
            i += 2
        }
        var out = String.UnicodeScalarView()
        var parser = Unicode.UTF16.ForwardParser()
        var it = units.makeIterator()
        var unit = 0
        loop: while true {
            switch parser.parseScalar(from: &it) {
            case .valid(let e):
                out.append(Unicode.UTF16.decode(e))
                unit += e.count
            case .emptyInput:
                break loop
            case .error:
                throw .undecodable(reason: "invalid UTF-16 (unpaired surrogate at byte \(2 + unit * 2))")
            }
        }
        // The offset in code units (after the byte-order mark), not in characters: a scalar outside the BMP
        // before the NUL takes two units.
        if let nul = units.firstIndex(of: 0) { throw .binary(byteOffset: 2 + nul * 2) }
        if out.isEmpty { throw .empty }
        return String(out)
    }

    /// Strict GB18030 through iconv: nil on any invalid or incomplete sequence.
    public static func gb18030(_ bytes: [UInt8]) -> String? {
        #if canImport(Glibc)
            let cd = iconv_open("UTF-8", "GB18030")
            if cd == iconv_t(bitPattern: -1) { return nil }
            defer { iconv_close(cd) }
            var input = bytes.map { CChar(bitPattern: $0) }
            var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
            let ok: Bool = input.withUnsafeMutableBufferPointer { inBuf in
                output.withUnsafeMutableBufferPointer { outBuf in
                    var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                    var inLeft = inBuf.count
                    var outPtr: UnsafeMutablePointer<CChar>? = outBuf.baseAddress
                    var outLeft = outBuf.count
                    let r = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                    if r == -1 || inLeft != 0 { return false }
                    let written = outBuf.count - outLeft
                    outBuf[written] = 0
                    return true
                }
            }
            guard ok else { return nil }
            let utf8 = output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            return String(decoding: utf8, as: UTF8.self)
        #else
            return nil
        #endif
    }
}
