import AssayValues

/// What kind of bulletin a document is. Rule sets name the genres they apply to (`applies_to: {genre: …}`),
/// and the report shows the detected genre so a reviewer sees why a set was or was not applied.
public enum Genre: String, Sendable, CaseIterable, Hashable {
    /// 巡视/巡察整改进展情况 (rectification progress after an inspection tour).
    case xunshiProgress = "xunshi-progress"
    /// 审计查出问题整改情况 (rectification of audit findings), in Chinese.
    case auditRectification = "audit-rectification"
    /// An English audit-recommendation tracker or corrective action plan status report.
    case recommendationTracker = "recommendation-tracker"
    /// None of the above.
    case unknown

    /// Detects the genre from the document's head (the title and opening, past any portal metadata) and,
    /// failing that, from how often each genre's key words occur in the whole text.
    ///
    /// Audit wins over inspection when the head names both 审计 and 整改 (an audit report may mention a
    /// 巡视); English is taken when most letters of the text are Latin.
    public static func detect(_ document: Document) -> Genre {
        let s = document.folded
        // Latin letters of the folded text: the ASCII ones and the full-width ones folded to ASCII.
        let scripts = document.decoded.scripts
        let latin = scripts.latin + scripts.fullWidthLatin
        let cjk = scripts.cjk
        if latin > 3 * cjk {
            // Read in place, not in a lowercased copy of the text through Foundation (0.2 s per MB of letters).
            let words = [
                "recommendation", "corrective action", "audit finding", "findings", "implemented", "action item",
                "audit",
            ]
            return words.contains(where: { ScalarText.containsIgnoringASCIICase($0, in: s) })
                ? .recommendationTracker : .unknown
        }
        // The head: 400 scalars from the end of any portal metadata block, where the title and the opening
        // sentence stand (a portal's 发布机构：某县审计局 says nothing of the genre).
        let start = document.metadata.lines.filter { $0.place == .head }.map(\.range.upperBound).max() ?? 0
        let head = start..<min(document.count, start + 400)
        let audit = document.contains("审计", in: head) && document.contains("整改", in: head)
        let inspection =
            (document.contains("巡视", in: head) || document.contains("巡察", in: head))
            && document.contains("整改", in: head)
        if audit
            && !(inspection
                && document.occurrences(of: "审计", in: head).count < document.occurrences(of: "巡", in: head).count)
        {
            return .auditRectification
        }
        if inspection { return .xunshiProgress }
        let all = 0..<document.count
        let auditCount = document.occurrences(of: "审计", in: all).count
        let inspectionCount =
            document.occurrences(of: "巡视", in: all).count + document.occurrences(of: "巡察", in: all).count
        guard document.contains("整改", in: all) else { return .unknown }
        if auditCount >= 3 && auditCount > inspectionCount { return .auditRectification }
        if inspectionCount >= 2 { return .xunshiProgress }
        return .unknown
    }
}
