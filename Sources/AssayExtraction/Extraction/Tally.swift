import AssayValues

/// The part a figure plays in a rectification tally.
public enum TallyRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// The number (or amount) of problems fed back or found: 反馈问题46个, 问题资金35.68万元, 48 recommendations.
    case total
    /// Completed: 已完成整改, 已整改到位, 已销号, 办结, 已追回; implemented, closed.
    case done
    /// Under way or partly done: 基本完成, 部分整改, 阶段性成果, 持续整改, 正在整改; in progress.
    case partial
    /// Not done: 未完成, 尚未整改, 剩余; not implemented, open.
    case outstanding
    /// Deferred with leave: 申请延期; deferred.
    case deferred
    /// A stated rate or share of a named part: 整改率79%, 688个(98.71%), 占问题总数的96.18%.
    case rate

    /// The roles of the parts that add up to the total.
    public static let parts: [TallyRole] = [.done, .partial, .outstanding, .deferred]
}

/// What a tally counts.
public enum TallySubject: String, Sendable, Hashable, CaseIterable, Codable {
    /// Problems, items, tasks, opinions (个, 项, 条, 件).
    case problems
    /// Money (问题资金 = 整改到位资金 + 未整改资金), reconciled across 元/万元/亿元.
    case money
    /// Audit recommendations in English trackers.
    case recommendations
}

/// A rectification tally: a total with its parts by status and its stated rates. Members are indexes
/// into `Extraction.facts`.
public struct Tally: Sendable, Hashable {
    /// One figure of a tally and the part it plays.
    public struct Member: Sendable, Hashable {
        /// Index into `Extraction.facts`.
        public var fact: Int
        /// Nil for a category of a 其中 breakdown (其中党建方面12个): a part with no status.
        public var role: TallyRole?
        /// Rates only: the index of the fact the rate is a share of (its numerator).
        public var of: Int?

        /// A member: the fact at index `fact` of `Extraction.facts`, its role, and for a rate its numerator.
        public init(fact: Int, role: TallyRole?, of: Int? = nil) {
            self.fact = fact
            self.role = role
            self.of = of
        }
    }

    /// "t1", "t2", … in document order; a breakdown opened by 其中 is "t1.1".
    public var id: String
    /// What the tally counts: problems, money or recommendations.
    public var subject: TallySubject
    /// The figures of the tally with their roles, as indexes into `Extraction.facts`.
    public var members: [Member]
    /// For a 其中 breakdown: the id of the tally it breaks down, one of whose members is this tally's total.
    public var parent: String?
    /// Why the tally's arithmetic is not certain (a total carried from another paragraph, a role seen
    /// twice with different figures …). A failing check on an uncertain tally is reported as missing.
    public var doubts: [String]
    /// The total came after its parts with 共计/合计/total (已整改40项、正在整改10项,共计50项): the text itself
    /// says these parts make the total, so every status is stated.
    public var totalAfterParts: Bool

    /// A tally; no members, no parent, no doubts unless given.
    public init(
        id: String, subject: TallySubject, members: [Member] = [], parent: String? = nil, doubts: [String] = [],
        totalAfterParts: Bool = false
    ) {
        self.id = id
        self.subject = subject
        self.members = members
        self.parent = parent
        self.doubts = doubts
        self.totalAfterParts = totalAfterParts
    }

    /// The index into `Extraction.facts` of the tally's total; nil when the tally has no total.
    public var total: Int? { members.first { $0.role == .total }?.fact }
    /// The parts that add up to the total: members with a status, and the categories of a breakdown.
    public var parts: [Member] { members.filter { $0.role.map { TallyRole.parts.contains($0) } ?? true } }
}
