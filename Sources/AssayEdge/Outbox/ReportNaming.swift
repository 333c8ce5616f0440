import AssayRenderers
import AssayValues
import Foundation

/// How Assay names what it writes, in one place: `<stem>.findings.<ext>` for a report,
/// `<stem>-<8 hex>.rejected.json` for a refused input, and `<stem>-<first 8 hex of the sha256>` when another
/// content already holds a stem (in the store, in a batch, in the archive).
public enum ReportNaming {
    /// An input's stem: its name without the last extension (`bulletin.txt` → `bulletin`).
    public static func stem(of inputName: String) -> String {
        (inputName as NSString).deletingPathExtension
    }

    /// `<stem>-<sha8>`: the stem of a second, different content with the same name.
    public static func disambiguated(_ stem: String, sha256: String) -> String {
        "\(stem)-\(sha256.prefix(8))"
    }

    /// `bulletin.txt` → `bulletin-0ceff957.txt`: an input's name, disambiguated, extension kept.
    public static func disambiguatedFileName(_ inputName: String, sha256: String) -> String {
        let ext = (inputName as NSString).pathExtension
        return disambiguated(stem(of: inputName), sha256: sha256) + (ext.isEmpty ? "" : ".\(ext)")
    }

    /// `<stem>.findings.<ext>`.
    public static func reportName(stem: String, format: ReportFormat) -> String {
        "\(stem).findings.\(format.fileExtension)"
    }

    /// The longest stem, in bytes, an input keeps as its own (so that `<stem>-<sha8>.findings.<ext>` and the
    /// temporary name beside it stay within the 255 bytes a file name may have).
    public static let maxStemBytes = 180
    /// The length, in bytes, a safe stem is shortened to.
    public static let safeStemBytes = 120

    /// The input's own stem when its name allows one: valid UTF-8, no control character, at most
    /// `maxStemBytes`; nil otherwise. `key` is a `FileName` key.
    public static func ownStem(ofKey key: String) -> String? {
        guard FileName.isValidUTF8(key) else { return nil }
        let s = stem(of: FileName.text(key))
        guard !s.isEmpty, s.utf8.count <= maxStemBytes, FileName.escapingControls(s) == s, !s.contains("/")
        else { return nil }
        return s
    }

    /// A stem anyone can read for a name that cannot give its own: the name's valid UTF-8 text without the
    /// extension, each undecodable byte, control character or slash as `_`, shortened to `safeStemBytes` at
    /// a character boundary ("input" when nothing is left).
    public static func safeStem(ofKey key: String) -> String {
        let text = String(decoding: FileName.bytes(of: key), as: UTF8.self)
        var out = ""
        var bytes = 0
        for ch in stem(of: text) {
            var c = String(ch)
            if c.unicodeScalars.contains(where: { $0 == "\u{FFFD}" || $0 == "/" || FileName.isControl($0) }) { c = "_" }
            if bytes + c.utf8.count > safeStemBytes { break }
            bytes += c.utf8.count
            out += c
        }
        return out.isEmpty || out.hasPrefix(".") ? "input" + out : out
    }

    /// The stem of an input's reports before any clash with another content: its own stem when the name
    /// allows, else `<safe stem>-<sha8>` (`renamed` true: the report records the original name).
    public static func inputStem(ofKey key: String, sha256: String) -> (stem: String, renamed: Bool) {
        if let own = ownStem(ofKey: key) { return (own, false) }
        return (disambiguated(safeStem(ofKey: key), sha256: sha256), true)
    }

    /// The names earlier versions of Assay gave a refused input's rejection report, which the daemon removes
    /// when it writes the current name for the same input (`rejectionName`) or checks it: `<stem>.rejected.json`
    /// (no hash) and, for readable content, `<stem>-<first 8 hex of the content's SHA-256>.rejected.json`
    /// (which two names with one stem and one content shared). None that is the current name.
    public static func legacyRejectionNames(forKey key: String, sha256: String?) -> [String] {
        let current = rejectionName(forKey: key, sha256: sha256)
        var names = [String]()
        if FileName.isValidUTF8(key) {
            let s = stem(of: FileName.text(key))
            if !s.isEmpty, !s.contains("/"), s.utf8.count <= 240 { names.append("\(s).rejected.json") }
        }
        if let sha256 {
            names.append("\(ownStem(ofKey: key) ?? safeStem(ofKey: key))-\(sha256.prefix(8)).rejected.json")
        }
        return names.filter { $0 != current }
    }

    /// `<stem>-<8 hex>.rejected.json` for a refused input, one per input name and content: the 8 hex digits
    /// begin the SHA-256 of the content's hash (lower-case hex), a slash and the name's bytes, or, when the
    /// content could not be read, are `n` and 7 of the SHA-256 of the name's bytes. So `scan.txt` and
    /// `scan.md`, or two names whose safe stems agree, never share one, whatever their content. `key` is a
    /// `FileName` key.
    public static func rejectionName(forKey key: String, sha256: String?) -> String {
        let stem = ownStem(ofKey: key) ?? safeStem(ofKey: key)
        let name = FileName.bytes(of: key)
        let suffix =
            sha256.map { String(SHA256.hex(Array($0.utf8) + [UInt8(ascii: "/")] + name).prefix(8)) }
            ?? "n" + SHA256.hex(name).prefix(7)
        return "\(stem)-\(suffix).rejected.json"
    }
}
