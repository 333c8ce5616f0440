import Foundation

/// The character encodings Assay reads. Anything else is rejected, never guessed.
public enum TextEncoding: String, Sendable, Codable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case gb18030 = "gb18030"
}

/// A bulletin's text after decoding: the Unicode scalars every span counts in, plus where it came from.
///
/// A leading byte-order mark is dropped and not counted, so offsets are the same whatever the encoding.
public struct DecodedText: Sendable {
    /// The decoded text as Unicode scalars, without a leading byte-order mark; every `Span` counts in these.
    public let scalars: [Unicode.Scalar]
    /// `scalars` with full-width ASCII forms folded to ASCII (`ScalarText.foldWidth`): what the
    /// segmenter, the fact scanner and phrase rules match against. Same length and offsets.
    public let folded: [Unicode.Scalar]
    /// The encoding the bytes were decoded from.
    public let encoding: TextEncoding
    /// The SHA-256 of the original bytes (byte-order mark included), lower-case hex.
    public let sha256: String
    /// The size of the original bytes, byte-order mark included.
    public let byteCount: Int
    /// The format the bytes were in and where each part of the text came from (pages, OCR); plain text
    /// unless a converter says otherwise.
    public let source: SourceMap
    /// How many of the scalars are CJK ideographs and Latin letters, counted once here for the genre and
    /// the message language, which each counted them in a pass of their own (1.5% of a check, callgrind).
    public let scripts: ScriptCounts
    /// The bytes the scalars were decoded from when they are exactly the scalars' UTF-8 (plain UTF-8
    /// without a byte-order mark): the input's own array, shared, not copied. Nil otherwise.
    public let verbatimUTF8: [UInt8]?

    /// Counts of scalars by script.
    public struct ScriptCounts: Sendable, Equatable {
        /// CJK ideographs (`ScalarText.isCJK`).
        public var cjk = 0
        /// ASCII Latin letters, either case.
        public var latin = 0
        /// Full-width Latin letters (Ａ–Ｚ, ａ–ｚ), which fold to ASCII ones in `folded`.
        public var fullWidthLatin = 0

        /// The counts of `scalars`.
        public init(_ scalars: [Unicode.Scalar]) {
            // The commonest first: an ideograph of the unified block. (A branch-free form of the same tests
            // ran at twice the instructions: the compiler did not vectorise it.)
            var cjk = 0
            var latin = 0
            var wide = 0
            scalars.withUnsafeBufferPointer { b in
                for c in b {
                    let v = c.value
                    if v &- 0x4E00 < 0x5200 {
                        cjk += 1
                    } else if (v | 0x20) &- 0x61 < 26 {
                        latin += 1
                    } else if v &- 0x3400 < 0x9C0 || v &- 0xF900 < 0x200 {
                        cjk += 1
                    } else if v &- 0xFF21 < 26 || v &- 0xFF41 < 26 {
                        wide += 1
                    }
                }
            }
            self.cjk = cjk
            self.latin = latin
            fullWidthLatin = wide
        }
    }

    /// Decoded text from a string already decoded, with the identity of the bytes it came from.
    public init(
        string: String, encoding: TextEncoding, sha256: String, byteCount: Int, source: SourceMap = .plainText
    ) {
        self.init(
            scalars: Self.scalars(of: string), encoding: encoding, sha256: sha256, byteCount: byteCount,
            source: source)
    }

    /// Decoded text from scalars already decoded (by `TextDecoder`), with the identity of the bytes they came from.
    package init(
        scalars: [Unicode.Scalar], encoding: TextEncoding, sha256: String, byteCount: Int,
        source: SourceMap = .plainText, verbatimUTF8: [UInt8]? = nil
    ) {
        self.scalars = scalars
        self.verbatimUTF8 = verbatimUTF8
        self.source = source
        self.folded = ScalarText.foldWidth(scalars)
        self.scripts = ScriptCounts(scalars)
        self.encoding = encoding
        self.sha256 = sha256
        self.byteCount = byteCount
    }

    /// The text as a String, made from the scalars when asked (the pipeline itself works on scalars
    /// and never needs the whole text as one String).
    public var string: String { ScalarText.string(scalars) }

    /// The text as UTF-8 bytes: the input's bytes when they are the text verbatim, else encoded from the
    /// scalars (for the store, which takes bytes: no String is validated on the way).
    public var utf8: [UInt8] { verbatimUTF8 ?? ScalarText.utf8(scalars) }

    /// The scalars of UTF-8 bytes, validated and decoded in one pass; nil at the first ill-formed
    /// sequence (overlong forms, surrogates, values over U+10FFFF, stray or missing continuation bytes:
    /// the Unicode standard's table 3-7), where the caller finds the offset for its message.
    package static func scalars(ofUTF8 bytes: ArraySlice<UInt8>) -> [Unicode.Scalar]? {
        var ok = true
        // Written straight into the array's storage (at most one scalar per byte): appending checked the
        // capacity and the buffer's uniqueness for every scalar.
        let out = [Unicode.Scalar](unsafeUninitializedCapacity: bytes.count) { out, written in
            bytes.withUnsafeBufferPointer { b in
                let n = b.count
                var i = 0
                var k = 0
                defer { written = k }
                @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> UInt32? {
                    guard k < n, b[k] >= lo, b[k] <= hi else { return nil }
                    return UInt32(b[k] & 0x3F)
                }
                while i < n {
                    let lead = b[i]
                    let v: UInt32
                    switch lead {
                    case 0x00...0x7F:
                        v = UInt32(lead); i += 1
                    case 0xC2...0xDF:
                        guard let c1 = cont(i + 1) else { ok = false; return }
                        v = UInt32(lead & 0x1F) << 6 | c1; i += 2
                    case 0xE1...0xEC, 0xEE, 0xEF:
                        // Every CJK character: both continuation bytes in 80–BF, read with one bounds check.
                        guard i + 2 < n, b[i + 1] & 0xC0 == 0x80, b[i + 2] & 0xC0 == 0x80 else { ok = false; return }
                        v = UInt32(lead & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                        i += 3
                    case 0xE0, 0xED:
                        let lo: UInt8 = lead == 0xE0 ? 0xA0 : 0x80
                        let hi: UInt8 = lead == 0xED ? 0x9F : 0xBF
                        guard let c1 = cont(i + 1, lo, hi), let c2 = cont(i + 2) else { ok = false; return }
                        v = UInt32(lead & 0x0F) << 12 | c1 << 6 | c2; i += 3
                    case 0xF0...0xF4:
                        let lo: UInt8 = lead == 0xF0 ? 0x90 : 0x80
                        let hi: UInt8 = lead == 0xF4 ? 0x8F : 0xBF
                        guard let c1 = cont(i + 1, lo, hi), let c2 = cont(i + 2), let c3 = cont(i + 3) else {
                            ok = false; return
                        }
                        v = UInt32(lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3; i += 4
                    default:
                        ok = false; return
                    }
                    // The ranges above exclude surrogates and values over U+10FFFF, so `v` is a scalar value
                    // and is stored as one without `Unicode.Scalar.init?` testing that again.
                    (out.baseAddress! + k).initialize(to: unsafeBitCast(v, to: Unicode.Scalar.self))
                    k += 1
                }
            }
        }
        return ok ? out : nil
    }

    /// The scalars of a string in one pass over its UTF-8 (cheaper than counting then copying the view).
    package static func scalars(of string: String) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(string.utf8.count)
        for s in string.unicodeScalars { out.append(s) }
        return out
    }
}

/// Why a file could not be decoded. Each message names the reason and, where known, the byte offset.
public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No bytes, or nothing but a byte-order mark.
    case empty
    /// A NUL at the byte offset (counted in the file, byte-order mark included): not a text file.
    case binary(byteOffset: Int)
    /// Neither UTF-8, UTF-16 with a byte-order mark, nor GB18030 with CJK text; the reason says where it failed.
    case undecodable(reason: String)
    /// Over the decoder's size limit; both counts in bytes.
    case tooLarge(bytes: Int, limit: Int)

    /// The message for people, with the byte offset where known.
    public var description: String {
        switch self {
        case .empty:
            return "the file is empty"
        case .binary(let offset):
            return "binary content (NUL byte at byte \(offset)); expected a text bulletin"
        case .undecodable(let reason):
            return reason
        case .tooLarge(let bytes, let limit):
            return "the file has \(bytes) bytes, over the limit of \(limit)"
        }
    }
}
