import AssayExtraction
import AssayRules
import AssayValues

/// Bulletin text made safe to show people: control characters and the Unicode bidirectional
/// controls become visible markers like `[U+202E]`, so nothing in a bulletin can hide or reorder text.
///
/// Shared by the Markdown and HTML renderers; each then applies its own markup escaping.
public enum VisibleText {
    /// True for the characters shown as `[U+XXXX]`: C0 controls except line feed and tab, DEL and the
    /// C1 controls, the bidi embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, the
    /// marks U+200E, U+200F and U+061C, and the separators U+2028, U+2029.
    public static func isShownAsEscape(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029: return true
        default: return false
        }
    }

    /// The visible marker for a scalar: `[U+202E]`.
    public static func marker(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "[U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
    }

    /// The text with every character that `isShownAsEscape` replaced by its marker.
    public static func visible(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            if isShownAsEscape(u) { out += marker(u) } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}
