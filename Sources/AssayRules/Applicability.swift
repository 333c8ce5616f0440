import AssayExtraction
import AssayValues

/// Where a rule set (or one rule) applies: `applies_to` in the rule file. Every condition given must hold;
/// elsewhere the set is reported as not applicable, with the reason, and none of its rules runs.
///
/// - `genre`: one of the detected genres (`xunshi-progress`, `audit-rectification`, `recommendation-tracker`);
/// - `issuer`: a name or `/pattern/` found in the document's head (its first five non-empty lines) or its
///   signature (its last three non-empty lines);
/// - `title`: a name or `/pattern/` found in the head;
/// - `text`: a name or `/pattern/` found anywhere.
/// Names are searched as substrings (full-width and ASCII punctuation alike); a list means any of them.
public struct Applicability: Sendable {
    /// The genres the set is for (`genre:`); empty: any genre.
    public var genres: [Genre] = []
    /// Any of these names the issuer, in the document's head or signature (`issuer:`); empty: any issuer.
    public var issuer: [NameMatcher] = []
    /// Any of these is in the document's head (`title:`); empty: any title.
    public var title: [NameMatcher] = []
    /// Any of these is in the text (`text:`); empty: any text.
    public var text: [NameMatcher] = []

    /// No condition: applies everywhere.
    public init() {}

    /// Whether no condition is given (it applies everywhere).
    public var isEmpty: Bool { genres.isEmpty && issuer.isEmpty && title.isEmpty && text.isEmpty }

    /// Nil when it applies; otherwise why not, for the report. Patterns search within `budget`; one that
    /// gives up leaves the question open (thrown).
    public func reason(document: Document, genre: Genre, budget: PatternBudget = PatternBudget()) throws(PatternTimeout)
        -> String?
    {
        if !genres.isEmpty, !genres.contains(genre) {
            return "genre is \(genre.rawValue), the set is for \(genres.map(\.rawValue).joined(separator: ", "))"
        }
        func any(_ matchers: [NameMatcher], in texts: [String]) throws(PatternTimeout) -> Bool {
            for m in matchers {
                for t in texts where try m.matches(t, substring: true, budget: budget) { return true }
            }
            return false
        }
        if !title.isEmpty || !issuer.isEmpty {
            let head = Self.lines(document, first: true, count: 5)
            if !title.isEmpty, try !any(title, in: head) {
                return "the title does not name \(title.map(\.description).joined(separator: " or "))"
            }
            if !issuer.isEmpty, try !any(issuer, in: head + Self.lines(document, first: false, count: 3)) {
                return "the issuer is not \(issuer.map(\.description).joined(separator: " or "))"
            }
        }
        if !text.isEmpty {
            // The folded text first (full-width punctuation as ASCII), then the text as written.
            var found = false
            for m in text where !found {
                found = try m.matches(
                    String(String.UnicodeScalarView(document.folded)), substring: true, budget: budget)
                if !found { found = try m.matches(document.text, substring: true, budget: budget) }
            }
            if !found { return "the text does not contain \(text.map(\.description).joined(separator: " or "))" }
        }
        return nil
    }

    /// The first or last `count` non-empty lines, folded to ASCII punctuation.
    package static func lines(_ document: Document, first: Bool, count: Int) -> [String] {
        var out = [String]()
        let total = document.lineStarts.count
        var n = first ? 1 : total
        while n >= 1, n <= total, out.count < count {
            let start = document.lineStarts[n - 1]
            let end = n < total ? document.lineStarts[n] : document.count
            let folded = document.folded[start..<end]
            if folded.contains(where: { !FactScanner.isSpace($0) && $0 != "\n" && $0 != "\r" }) {
                out.append(ScalarText.string(folded))
            }
            n += first ? 1 : -1
        }
        return out
    }
}
