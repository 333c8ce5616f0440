import AssayRenderers
import AssayValues
import Foundation

/// How Assay names what it writes, in one place: `<stem>.findings.<ext>` for a report,
/// `<stem>.rejected.json` for a refused input, and `<stem>-<first 8 hex of the sha256>` when another
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

    /// `<stem>.rejected.json` for a refused input.
    public static func rejectionName(for inputName: String) -> String {
        "\(stem(of: inputName)).rejected.json"
    }
}
