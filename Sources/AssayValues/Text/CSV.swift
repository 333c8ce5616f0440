import Foundation

/// CSV as RFC 4180 writes it: a field with a comma, a quote or a line break in double quotes (its quotes
/// doubled), rows ended by CRLF. For the exports of `assay history` and the review pages.
public enum CSV {
    /// One field, quoted when it must be.
    public static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// One row of fields, with its CRLF.
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
