import AssayValues
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// File names are bytes, not text: a name from a Windows zip may be GBK, which is not valid UTF-8, and a
/// valid name may hold control characters. Assay carries every name as a *key*, a `String` that maps back
/// to the name's exact bytes:
///
/// - a name that is valid UTF-8 in normal form C, without a scalar in U+F780…U+F7FF, is its own key;
/// - any other name has each byte ≥ 0x80 that is not part of such a plain character written as the
///   private-use scalar U+F700 + byte (all of its non-ASCII bytes when it is not in normal form C, so that
///   Swift's canonical equivalence never makes two different names one key).
///
/// Paths are built from keys as text and turned back into bytes for the system call (`cPath`); names are
/// shown escaped (`escaped`), never raw, in logs and on terminals.
public enum FileName {
    static let escapeBase: UInt32 = 0xF700
    static let escapeRange: ClosedRange<UInt32> = 0xF780...0xF7FF

    /// The key of a name given as its bytes (e.g. readdir's `d_name` or an inotify event's name).
    public static func key(bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        var plain = true
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = decodeScalar(bytes, at: i), !escapeRange.contains(scalar.value) {
                scalars.append(scalar)
                i += length
            } else {
                plain = false
                if let (_, length) = decodeScalar(bytes, at: i) {
                    for b in bytes[i..<(i + length)] { scalars.append(escapedByte(b)) }
                    i += length
                } else {
                    scalars.append(escapedByte(bytes[i]))
                    i += 1
                }
            }
        }
        let text = String(scalars)
        if plain, text.precomposedStringWithCanonicalMapping.utf8.elementsEqual(bytes) { return text }
        // Not in normal form C: every non-ASCII byte escaped, so no two such keys are canonically equivalent.
        var all = String.UnicodeScalarView()
        for b in bytes { all.append(b < 0x80 ? Unicode.Scalar(b) : escapedByte(b)) }
        return String(all)
    }

    /// The exact bytes of the name a key stands for.
    public static func bytes(of key: String) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(key.utf8.count)
        for s in key.unicodeScalars {
            if escapeRange.contains(s.value) {
                out.append(UInt8(s.value - escapeBase))
            } else {
                out.append(contentsOf: String(s).utf8)
            }
        }
        return out
    }

    /// Whether the key is the name itself (valid UTF-8, nothing escaped).
    public static func isPlain(_ key: String) -> Bool {
        !key.unicodeScalars.contains { escapeRange.contains($0.value) }
    }

    /// The name as text: itself when it is valid UTF-8, else `escaped(key)` (as the store and the report
    /// JSON record it).
    public static func text(_ key: String) -> String {
        if isPlain(key) { return key }
        let b = bytes(of: key)
        if let s = String(validating: b, as: UTF8.self) { return s }
        return escaped(key)
    }

    /// Whether the name's bytes are valid UTF-8.
    public static func isValidUTF8(_ key: String) -> Bool {
        isPlain(key) || String(validating: bytes(of: key), as: UTF8.self) != nil
    }

    /// The name for logs and terminals: valid UTF-8 as it is, except control characters (C0, DEL, C1,
    /// U+2028, U+2029), which are written `\n`, `\t`, `\r`, `\e` or `\xHH` / `\u{HHHH}`; bytes that are not
    /// UTF-8 are written `\xHH`; a backslash is doubled, so the escaped name is unambiguous.
    public static func escaped(_ key: String) -> String {
        let b = isPlain(key) ? Array(key.utf8) : bytes(of: key)
        var out = ""
        var i = 0
        while i < b.count {
            guard let (scalar, length) = decodeScalar(b, at: i) else {
                out += hexByte(b[i])
                i += 1
                continue
            }
            i += length
            out += escapedScalar(scalar)
        }
        return out
    }

    /// Text of any origin (e.g. a log message) with control characters escaped as in `escaped`.
    public static func escapingControls(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) }) else { return text }
        var out = ""
        for s in text.unicodeScalars {
            if keepingNewlines && s == "\n" { out.unicodeScalars.append(s); continue }
            out += isControl(s) ? escapedScalar(s) : String(s)
        }
        return out
    }

    /// The NUL-terminated bytes of a path whose last component may be a key (the folders before it are
    /// taken as they are).
    public static func cPath(_ path: String) -> [CChar] {
        var b: [UInt8]
        if let slash = path.lastIndex(of: "/") {
            b = Array(path[...slash].utf8) + bytes(of: String(path[path.index(after: slash)...]))
        } else {
            b = bytes(of: path)
        }
        b.append(0)
        return b.map { CChar(bitPattern: $0) }
    }

    /// A path given as text (a command-line argument) as a *key path*: each of its components written as
    /// its key, so that `cPath(keyPath:)` gives back its exact bytes and names listed under it (keys too)
    /// can be appended to it. A component that is its own key (valid UTF-8 in normal form C, without a
    /// scalar in U+F780…U+F7FF) is unchanged, so an ordinary path is its own key path.
    public static func keyPath(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x80 }) else { return text }
        // Split on the byte "/", not the character: a slash followed by a combining mark is one `Character`.
        return Array(text.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { key(bytes: Array($0)) }.joined(separator: "/")
    }

    /// The NUL-terminated bytes of a key path (`keyPath`, or a key path with keys appended): every
    /// component, not only the last, may stand for a name that is not UTF-8.
    public static func cPath(keyPath: String) -> [CChar] {
        var b = bytes(of: keyPath)
        b.append(0)
        return b.map { CChar(bitPattern: $0) }
    }

    /// How many bytes the file system sees in the last component of `path` (a key).
    public static func byteCount(_ key: String) -> Int { isPlain(key) ? key.utf8.count : bytes(of: key).count }

    // MARK: Helpers

    static func escapedByte(_ b: UInt8) -> Unicode.Scalar { Unicode.Scalar(escapeBase + UInt32(b))! }

    static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 15)])
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.value == 0x2028 || s.value == 0x2029
    }

    static func escapedScalar(_ s: Unicode.Scalar) -> String {
        switch s {
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\t": return "\\t"
        case "\r": return "\\r"
        case "\u{1B}": return "\\e"
        default:
            if s.value < 0x80 && isControl(s) { return hexByte(UInt8(s.value)) }
            if isControl(s) { return "\\u{" + String(s.value, radix: 16, uppercase: true) + "}" }
            return String(s)
        }
    }

    /// The scalar starting at `i` and its length in bytes, when the bytes there are well-formed UTF-8
    /// (the standard library's parser: overlong forms, surrogates and values past U+10FFFF are refused).
    static func decodeScalar(_ b: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        var parser = Unicode.UTF8.ForwardParser()
        var bytes = b[i...].makeIterator()
        guard case .valid(let encoded) = parser.parseScalar(from: &bytes) else { return nil }
        return (Unicode.UTF8.decode(encoded), encoded.count)
    }
}
