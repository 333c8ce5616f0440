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
    public let string: String
    public let scalars: [Unicode.Scalar]
    /// `scalars` with full-width ASCII forms folded to ASCII (`ScalarText.foldWidth`): what the
    /// segmenter, the fact scanner and phrase rules match against. Same length and offsets.
    public let folded: [Unicode.Scalar]
    public let encoding: TextEncoding
    public let sha256: String
    public let byteCount: Int

    public init(string: String, encoding: TextEncoding, sha256: String, byteCount: Int) {
        self.init(string: string, scalars: Self.scalars(of: string), encoding: encoding, sha256: sha256, byteCount: byteCount)
    }

    init(string: String, scalars: [Unicode.Scalar], encoding: TextEncoding, sha256: String, byteCount: Int) {
        self.string = string
        self.scalars = scalars
        self.folded = ScalarText.foldWidth(scalars)
        self.encoding = encoding
        self.sha256 = sha256
        self.byteCount = byteCount
    }

    /// The scalars of bytes already known to be valid UTF-8, decoded straight from them.
    static func scalars(ofValidUTF8 bytes: ArraySlice<UInt8>) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { b in
            let n = b.count
            var i = 0
            while i < n {
                let lead = UInt32(b[i])
                var v: UInt32
                if lead < 0x80 {
                    v = lead; i += 1
                } else if lead < 0xE0 {
                    v = (lead & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F); i += 2
                } else if lead < 0xF0 {
                    v = (lead & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F); i += 3
                } else {
                    v = (lead & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
                    i += 4
                }
                out.append(Unicode.Scalar(v)!)  // valid UTF-8 never encodes a surrogate or > U+10FFFF
            }
        }
        return out
    }

    /// The scalars of a string in one pass over its UTF-8 (cheaper than counting then copying the view).
    static func scalars(of string: String) -> [Unicode.Scalar] {
        var out = [Unicode.Scalar]()
        out.reserveCapacity(string.utf8.count)
        for s in string.unicodeScalars { out.append(s) }
        return out
    }
}

/// Why a file could not be decoded. Each message names the reason and, where known, the byte offset.
public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case binary(byteOffset: Int)
    case undecodable(reason: String)
    case tooLarge(bytes: Int, limit: Int)

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
