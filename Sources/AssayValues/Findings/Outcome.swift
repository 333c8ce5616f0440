/// How serious a finding is. Ordered: info < warning < error.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case info, warning, error

    /// Orders by gravity: info < warning < error.
    public static func < (a: Severity, b: Severity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The result of one rule in one scope instance.
public enum OutcomeStatus: String, Sendable, Codable, CaseIterable {
    /// The check held.
    case pass
    /// The check did not hold.
    case fail
    /// The facts the rule needs were not found: reported with the rule's `on_missing` severity.
    case missing
    /// The rule could not be evaluated (incompatible units, a bad reference): always an error.
    case error
    /// A failure covered by an active waiver; still listed.
    case waived
    /// The rule's `when:` condition does not hold in this scope instance: nothing to judge, and the
    /// message says which condition. Reported at `info`; never a problem.
    case notApplicable = "not_applicable"
}

/// A quoted piece of the bulletin that an outcome stands on.
public struct Evidence: Sendable, Hashable {
    /// What the evidence is in the check: "actual", "total", "part", "numerator", "as_of" …
    public var role: String
    /// The fact's or match's text.
    public var text: String
    /// The whole sentence it sits in.
    public var sentence: String
    /// The heading path of the section the evidence sits in, outermost first ([] for text before any heading).
    public var section: [String]
    /// Where the evidence text is in the decoded bulletin (for a converted file: in the text extracted from it).
    public var span: Span
    /// The 1-based page of the file the evidence is on, for formats with pages (PDF, OFD); nil otherwise.
    public var page: Int? = nil
    /// Whether the evidence was read by OCR from a page without a text layer.
    public var ocr: Bool = false

    /// Evidence with its role in the check, its text, its sentence, its section path and its place.
    public init(
        role: String, text: String, sentence: String, section: [String], span: Span, page: Int? = nil, ocr: Bool = false
    ) {
        self.role = role
        self.text = text
        self.sentence = sentence
        self.section = section
        self.span = span
        self.page = page
        self.ocr = ocr
    }
}

/// One rule's verdict on one scope instance, with the values it used and the evidence behind it.
public struct Outcome: Sendable, Hashable {
    /// The ID of the rule (or of the pseudo-rule, such as `waiver`) that produced the outcome.
    public var ruleID: String
    /// The rule's title, for people.
    public var title: String
    /// The rule's kind (`threshold`, `deadline` …), or the kind of pseudo-rule (`waiver`, `applicability`).
    public var kind: String
    /// The severity this outcome is reported with (the rule's, or its `on_missing` for `missing`).
    public var severity: Severity
    /// Whether the check held, failed, lacked facts, could not be evaluated, or was waived.
    public var status: OutcomeStatus
    /// The one-line explanation for people, with the figures that decided it.
    public var message: String
    /// The section the outcome is about ([] for the whole document).
    public var section: [String]
    /// Named values used, in a stable order: actual, target, difference …
    public var values: [NamedValue]
    /// The quoted pieces of the bulletin the outcome stands on, in the order the rule used them; the first is `place`.
    public var evidence: [Evidence]
    /// For waived outcomes: the waiver's reason and approver.
    public var waiver: String?
    /// The regulation or plan the rule rests on (its `basis:`); nil when it names none.
    public var basis: String?
    /// Where to read more (the rule's `references:`), in the rule's order; empty when none.
    public var references: [Reference]

    /// An outcome as a rule's evaluation (or a waiver or an applicability check) reports it.
    public init(
        ruleID: String, title: String, kind: String, severity: Severity, status: OutcomeStatus,
        message: String, section: [String] = [], values: [NamedValue] = [], evidence: [Evidence] = [],
        waiver: String? = nil, basis: String? = nil, references: [Reference] = []
    ) {
        self.basis = basis
        self.references = references
        self.ruleID = ruleID
        self.title = title
        self.kind = kind
        self.severity = severity
        self.status = status
        self.message = message
        self.section = section
        self.values = values
        self.evidence = evidence
        self.waiver = waiver
    }

    /// True when the outcome counts against the bulletin (fail, missing or error).
    public var isProblem: Bool { status == .fail || status == .missing || status == .error }

    /// The place a reader is sent to: the first evidence span.
    public var place: Span? { evidence.first?.span }
}

/// A value an outcome used, as printed for people ("79%") and as a number where it is one.
public struct NamedValue: Sendable, Hashable {
    /// What the value is in the check: "actual", "target", "difference" …
    public var name: String
    /// The value as printed for people ("79%", "2021-06-30").
    public var text: String

    /// A value named `name` printed as `text`.
    public init(_ name: String, _ text: String) {
        self.name = name
        self.text = text
    }
}

/// A document a rule points to (`references:` in a rule file): a title, and where to find it.
public struct Reference: Sendable, Hashable {
    /// The document's title as people cite it: 《中国共产党巡视工作条例》.
    public var title: String
    /// Its address (`http://` or `https://`); nil when it has none.
    public var url: String?

    /// A reference to the document `title`, found at `url`.
    public init(title: String, url: String? = nil) {
        self.title = title
        self.url = url
    }
}
