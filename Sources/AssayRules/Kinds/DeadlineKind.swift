import AssayExtraction
import AssayValues
import Foundation
import Yams

/// `deadline`: dates against dates.
struct DeadlineKind: RuleKindDefinition {
    typealias Check = DeadlineCheck

    /// The values of `check:`.
    static let checks = ["due", "as_of", "order", "within"]

    let names = ["deadline"]
    let keys = ["check", "select", "reference", "dates", "from", "to", "max", "calendar"]
    let schemaRequired = ["check"]

    /// The entry under which the loader may pass a rule set's own `calendar:` to its deadline rules (a rule's
    /// `calendar` wins). No rule file can write this key: `YAMLReader.mapping` refuses unknown keys.
    static let setCalendarEntry = "calendar (rule set)"

    func summary(_ name: String) -> String {
        "dates against a reference date: due dates met, explicit as-of, order, at most N days/months apart"
    }

    func example(_ name: String) -> String {
        """
        - id: report-within-period
          title: 整改情况报告在反馈后两个月内报送
          kind: deadline
          check: within
          from: {kind: date, label: 反馈}
          to: {kind: date, label: 报送}
          max: 2 months
        """
    }

    let schemaProperties = """
        {
          "check": {"enum": ["due", "as_of", "order", "within"]},
          "select": {"$ref": "#/definitions/selector"},
          "reference": {
            "description": "a date, or a list of dates: the first the bulletin has",
            "anyOf": [
              {"$ref": "#/definitions/dateref"},
              {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/dateref"}}
            ]
          },
          "dates": {"type": "array", "minItems": 2, "items": {"$ref": "#/definitions/dateref"}},
          "from": {"$ref": "#/definitions/dateref"},
          "to": {"$ref": "#/definitions/dateref"},
          "max": {
            "type": "string",
            "description": "a period: '2 months', '60 days', '1 year', '60 working days' (60个工作日)"
          },
          "calendar": {
            "type": "string",
            "description": "the working-day calendar of a max in working days: cn-workdays (bundled) or a calendar file, relative to the rule file"
          }
        }
        """

    func parse(
        _ kind: RuleKind, _ m: YAMLReader.Entries, _ node: Node, targets: [String: RuleSet.Target],
        _ r: inout YAMLReader
    ) -> Check? {
        guard let c = r.string(m["check"]?.value, "check") else {
            r.error(node, "a deadline rule needs 'check' (\(DeadlineKind.checks.joined(separator: ", ")))"); return nil
        }
        switch c {
        case "due":
            var sel = r.selector(m["select"]?.value, "select") ?? Selector()
            if sel.kinds.isEmpty { sel.kinds = [.deadline] }
            // No reference: the bulletin's own date (as_of, else published, else clock). A reference
            // that is named is used as named, and the rule is missing without it.
            let ref = m["reference"].map { r.dateRefs($0.value, targets: targets, "reference") } ?? .bulletinDate
            r.calendarOnlyForWorkdays(m["calendar"]?.key, check: c)
            guard let ref else { return nil }
            return .due(select: sel, reference: ref)
        case "as_of":
            r.calendarOnlyForWorkdays(m["calendar"]?.key, check: c)
            return .asOf
        case "order":
            guard let dn = m["dates"]?.value, case .sequence(let seq) = dn, seq.count >= 2 else {
                r.error(m["dates"]?.value ?? node, "check 'order' needs 'dates', a list of at least two dates");
                return nil
            }
            let refs = seq.compactMap { r.dateRef($0, targets: targets, "dates") }
            r.calendarOnlyForWorkdays(m["calendar"]?.key, check: c)
            return refs.count == seq.count ? .order(refs) : nil
        case "within":
            guard let from = r.dateRef(m["from"]?.value, targets: targets, "from"),
                let to = r.dateRef(m["to"]?.value, targets: targets, "to")
            else {
                r.error(node, "check 'within' needs 'from' and 'to'"); return nil
            }
            guard let maxNode = m["max"]?.value else {
                r.error(node, "check 'within' needs 'max', a period such as '2 months' or '60 days'")
                return nil
            }
            guard let maxText = r.string(maxNode, "max") else { return nil }
            guard var p = Period.parse(maxText) else {
                r.error(maxNode, "max '\(maxText)' is not a period: \(Period.accepted)")
                return nil
            }
            if p.unit == .workdays {
                let named = m["calendar"]?.value ?? m[DeadlineKind.setCalendarEntry]?.value
                guard let calendar = r.workdayCalendar(named, for: maxNode) else { return nil }
                p.calendar = calendar
            } else if let key = m["calendar"]?.key {
                r.error(key, "'calendar' is read only with a 'max' in working days (工作日); max is '\(maxText)'")
            }
            return .within(from: from, to: to, max: p)
        default:
            r.unknownCheck(c, of: "deadline", among: DeadlineKind.checks, at: m["check"]?.value)
            return nil
        }
    }

    func evaluate(_ c: Check, _ rule: Rule, _ e: Evaluator, _ ctx: Evaluator.Context, _ inst: Evaluator.Instance)
        -> [Outcome]
    {
        e.deadlineCheck(rule, c, ctx, inst: inst)
    }
}

/// Dates against dates.
public enum DeadlineCheck: Sendable {
    /// deadlines selected are not before the reference date, unless the work is reported done
    /// (`Completion`). A rule without `reference` gets `.bulletinDate`.
    case due(select: Selector, reference: DateRef)
    /// the document states an explicit as-of date; a dateless 截至目前 is reported.
    case asOf
    /// the dates are in non-decreasing order.
    case order([DateRef])
    /// at most `max` between two dates.
    case within(from: DateRef, to: DateRef, max: Period)
}

/// A date a deadline rule refers to.
public enum DateRef: Sendable, Hashable, CustomStringConvertible {
    /// `as_of`: the document's as-of date; `published`: its publication date; `clock`: the check date (today).
    case asOf, published, clock
    /// A rule set target's date, by name without the `$`.
    case target(String)
    /// The first date fact the selector picks in the scope instance, with the name messages use for it (the
    /// selector's label, else the key it was written under).
    case fact(String, Selector)
    /// The bulletin's own date: `as_of`, else `published`, else `clock` (the check date). What a `due`
    /// rule compares with when it names no `reference`; it cannot be written in a rule file.
    case bulletinDate
    /// The first of these dates the bulletin has (`reference: [as_of, published]`), at least two; none of
    /// them is a `firstOf` or `.bulletinDate`.
    case firstOf([DateRef])

    /// The reference as a rule writes it (`as_of`, `$name`, the fact's name); `.bulletinDate` and `.firstOf`
    /// name their fallbacks in order ("as_of, published or clock").
    public var description: String {
        switch self {
        case .bulletinDate: return "as_of, published or clock"
        case .firstOf(let refs):
            let names = refs.map(\.description)
            return names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
        case .asOf: return "as_of"
        case .published: return "published"
        case .clock: return "clock"
        case .target(let n): return "$" + n
        case .fact(let name, _): return name
        }
    }
}

extension YAMLReader {
    /// The words a date reference may be besides a `$target` and a selector.
    static let dateWords = ["as_of", "published", "clock"]

    /// One date reference: `as_of`, `published`, `clock`, `$target` (a target with a `date`) or a selector
    /// mapping. A misspelt word or target name gets a did-you-mean.
    mutating func dateRef(_ node: Node?, targets: [String: RuleSet.Target], _ what: String) -> DateRef? {
        guard let node else { return nil }
        if case .mapping = node {
            guard let s = selector(node, what) else { return nil }
            return .fact(s.label?.description ?? what, s)
        }
        guard let text = string(node, what) else { return nil }
        let dated = targets.filter { $0.value.date != nil }.keys.sorted().map { "$" + $0 }
        switch text {
        case "as_of": return .asOf
        case "published": return .published
        case "clock": return .clock
        default:
            if text.hasPrefix("$") {
                let name = String(text.dropFirst())
                guard targets[name]?.date != nil else {
                    let kind = targets[name] == nil ? "undefined date target" : "target without a date"
                    error(node, "reference to \(kind) '$\(name)'\(Self.hint(text, among: dated))")
                    return nil
                }
                return .target(name)
            }
            error(
                node,
                "\(what) '\(text)' is not as_of, published, clock, a $target or a fact selector"
                    + Self.hint(text, among: Self.dateWords + dated))
            return nil
        }
    }

    /// A date reference, or a list of them whose first the bulletin has is used (`[as_of, published]`).
    /// Each element is checked as `dateRef`; an element listed twice, or one after `clock` (always there, so
    /// what follows it is never used), is an error. A list of one is that date.
    mutating func dateRefs(_ node: Node?, targets: [String: RuleSet.Target], _ what: String) -> DateRef? {
        guard let node else { return nil }
        guard case .sequence(let seq) = node else { return dateRef(node, targets: targets, what) }
        guard !seq.isEmpty else {
            error(node, "\(what) is an empty list; give a date, or a list of dates to try in order")
            return nil
        }
        var refs = [DateRef]()
        var ok = true
        for item in seq {
            guard let ref = dateRef(item, targets: targets, what) else { ok = false; continue }
            if refs.contains(ref) {
                error(item, "\(what) lists \(ref) twice")
                ok = false
            } else if refs.contains(.clock) {
                error(item, "\(what) lists \(ref) after clock, which is always there: \(ref) would never be used")
                ok = false
            }
            refs.append(ref)
        }
        guard ok else { return nil }
        return refs.count == 1 ? refs[0] : .firstOf(refs)
    }

    /// Records an error at the `calendar` key of a rule whose check does not count working days.
    mutating func calendarOnlyForWorkdays(_ key: Node?, check: String) {
        guard let key else { return }
        error(key, "'calendar' is read only by check 'within' with a 'max' in working days (工作日), not by '\(check)'")
    }

    /// The working-day calendar of a period in working days: the bundled `cn-workdays` without `calendar:`
    /// (or with `calendar: cn-workdays`), else the calendar file named, relative to the rule file's folder.
    /// Its problems are reported at their place in the calendar file; `maxNode` is where a missing bundled
    /// calendar is reported.
    mutating func workdayCalendar(_ node: Node?, for maxNode: Node) -> WorkdayCalendar? {
        let name: String
        if let node {
            guard let n = string(node, "calendar", nonEmpty: true) else { return nil }
            name = n
        } else {
            name = WorkdayCalendars.bundledName
        }
        if name == WorkdayCalendars.bundledName {
            switch WorkdayCalendars.bundled {
            case .success(let c): return c
            case .failure(let f):
                if f.errors.isEmpty {
                    error(
                        node ?? maxNode,
                        "the bundled working-day calendar \(name) is not installed (\(WorkdayCalendars.bundledPath) "
                            + "beside the assay binary); name a calendar file with 'calendar:'")
                }
                errors += f.errors
                return nil
            }
        }
        let path =
            name.hasPrefix("/")
            ? name : ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: path) else {
            error(node, "calendar file '\(path)' cannot be read")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            error(node, "calendar file '\(path)' is not UTF-8 text")
            return nil
        }
        switch WorkdayCalendar.read(yaml: text, file: path) {
        case .success(let c): return c
        case .failure(let f):
            errors += f.errors
            return nil
        }
    }
}

/// The working-day calendar shipped with Assay, `Rules/calendars/cn-workdays.yml` (China's 节假日 and 调休
/// by the State Council's notices), read once per process from the bundled rules' package resources.
enum WorkdayCalendars {
    /// The bundled calendar's name, which `calendar:` may also give.
    static let bundledName = "cn-workdays"
    /// Where the calendar is inside the bundled rules' resources.
    static let bundledPath = "Assay_AssayBundledRules.resources/calendars/cn-workdays.yml"

    /// The bundled calendar; a failure without errors when it is not installed. SwiftPM puts the resources of
    /// `AssayBundledRules` beside the binary (and the test bundle); looking there, rather than through
    /// `Bundle.module`, leaves a binary installed without them running (`Bundle.module` would stop it).
    static let bundled: Result<WorkdayCalendar, CalendarFileFailure> = {
        let url = Bundle.main.bundleURL.appendingPathComponent(bundledPath)
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
        else { return .failure(CalendarFileFailure(errors: [])) }
        return WorkdayCalendar.read(yaml: text, file: "Rules/calendars/cn-workdays.yml")
    }()
}

extension Evaluator {
    func deadlineCheck(_ rule: Rule, _ d: DeadlineCheck, _ ctx: Context, inst: Instance) -> [Outcome] {
        switch d {
        case .asOf: return [asOfCheck(rule, ctx, inst)]
        case .due(let sel, let ref): return dueCheck(rule, ctx, inst, sel, ref)
        case .order(let refs): return [orderCheck(rule, ctx, inst, refs)]
        case .within(let from, let to, let max): return [withinCheck(rule, ctx, inst, from, to, max)]
        }
    }

    /// A date reference resolved to a date, its name for messages, the evidence behind it, and which
    /// reference gave it (`.bulletinDate` resolves to `.asOf`, `.published` or `.clock`).
    func resolve(_ ref: DateRef, _ ctx: Context, _ inst: Instance)
        -> (date: String, name: String, evidence: Evidence?, used: DateRef)?
    {
        switch ref {
        case .asOf:
            guard let d = ctx.extraction.dates.asOf else { return nil }
            // The fact stating the as-of date, found once per set (`Context.asOfFact`), not per deadline.
            return (
                d, ctx.say("as-of date", zh: "截至日期"), ctx.asOfFact.map { evidence($0, role: ref.description, ctx) },
                .asOf
            )
        case .published:
            guard let d = ctx.extraction.dates.published else { return nil }
            return (d, ctx.say("publication date", zh: "发布日期"), nil, .published)
        case .clock:
            return (ctx.today, ctx.say("check date", zh: "检查日期"), nil, .clock)
        case .bulletinDate:
            return resolve(.asOf, ctx, inst) ?? resolve(.published, ctx, inst) ?? resolve(.clock, ctx, inst)
        case .firstOf(let refs):
            for r in refs { if let found = resolve(r, ctx, inst) { return found } }
            return nil
        case .target(let n):
            guard let d = ctx.set.targets[n]?.date else { return nil }
            return (d, "$" + n, nil, ref)
        case .fact(let name, let sel):
            guard let f = selectFirst(sel, ctx, inst, where: { $0.value.dateString != nil }),
                let d = f.value.dateString
            else { return nil }
            return (d, name, evidence(f, role: name, ctx), ref)
        }
    }

    func asOfCheck(_ rule: Rule, _ ctx: Context, _ inst: Instance) -> Outcome {
        var asOf = Selector()
        asOf.kinds = [.asOf]
        let asOfs = select(asOf, ctx, inst)
        if let dated = asOfs.last(where: { $0.value.dateString != nil }) {
            return outcome(
                rule, ctx, .pass, path: inst.path, values: [NamedValue("as_of", dated.value.dateString!)],
                evidence: [evidence(dated, role: "as_of", ctx)],
                defaultMessage: ctx.say("explicit as-of date: \(dated.text)", zh: "写明了截至日期:\(dated.text)"))
        }
        let doc = ctx.document
        let vague = ["截至目前", "截止目前", "截至日前", "截至当前", "截止当前", "as of now", "to date"]
        for v in vague {
            if let range = doc.occurrences(of: v, in: inst.range).first {
                return outcome(
                    rule, ctx, .fail, path: inst.path, values: [NamedValue("as_of", v)],
                    evidence: [evidence(range: range, role: "as_of", ctx)],
                    defaultMessage: ctx.say(
                        "'\(v)' gives no date: the figures have no explicit as-of date",
                        zh: "“\(v)”没有具体日期:数据未写明截至日期"))
            }
        }
        return outcome(
            rule, ctx, .missing, path: inst.path, values: [], evidence: [],
            defaultMessage: ctx.say(
                "no as-of date (截至…) found: the figures have no stated date", zh: "未找到截至日期(截至…):数据没有注明日期"))
    }

    static let supersededWords = ["original", "originally", "initial", "原定", "原计划", "原"]
    static let replacingWords = ["revised", "extended", "new", "调整为", "延期至", "延至", "顺延至", "变更为"]

    /// Which deadlines of `all` were replaced (per fact, in the order given): named original (原定) with a
    /// later deadline on its line named revised (调整为, 延期至) in the 30 scalars before it (but not before
    /// the original).
    ///
    /// Why not a look at every other deadline for each original: on a line that never ends (原定于2021年6月
    /// 底前完成， repeated without a line break) that was every pair of deadlines, each with two strings cut
    /// and lowercased: no answer in 60 s at 100 KB. Now a later deadline's words are read once, over its own
    /// 30 scalars (the same for every original at least 30 scalars before it), and only the few deadlines
    /// closer than that are read again from the original on (docs/benchmarks.md, "Linear in the line").
    static func superseded(_ all: [Fact], _ ctx: Context) -> [Bool] {
        let doc = ctx.document
        // In place, as `doc.text(r).lowercased().contains(word)` reads (the words are ASCII letters and Chinese).
        func names(_ words: [String], _ r: Range<Int>) -> Bool {
            words.contains { ScalarText.containsIgnoringASCIICase($0, in: doc.scalars, range: r) }
        }
        // The line, not the sentence: "Original target date: …; revised target date: …" spans a semicolon.
        func line(_ f: Fact) -> Range<Int> {
            let n = f.span.line
            return doc.lineStarts[n - 1]..<(n < doc.lineStarts.count ? doc.lineStarts[n] : doc.count)
        }
        let originals = all.indices.filter { i in
            let f = all[i]
            return names(Self.supersededWords, max(line(f).lowerBound, f.span.offset - 30)..<f.span.offset)
        }
        var out = [Bool](repeating: false, count: all.count)
        guard !originals.isEmpty else { return out }
        let offsets = all.map(\.span.offset).sorted()
        // Deadlines named revised in their own 30 scalars: a match for any original at least 30 before them.
        let revised = offsets.filter { $0 >= 30 && names(Self.replacingWords, ($0 - 30)..<$0) }
        /// The index of the first offset in `xs` at or after `x`.
        func firstAtOrAfter(_ x: Int, _ xs: [Int]) -> Int { xs.partitionPoint { $0 < x } }
        for i in originals {
            let f = all[i]
            let here = line(f)
            // A revised deadline at least 30 scalars on, still on the line: the last one before the line's end.
            let k = firstAtOrAfter(here.upperBound, revised)
            if k > 0, revised[k - 1] >= f.span.offset + 30 {
                out[i] = true
                continue
            }
            // Closer ones: their 30 scalars reach back past the original, so read from the original on.
            var j = firstAtOrAfter(f.span.offset + 1, offsets)
            while j < offsets.count, offsets[j] < f.span.offset + 30 {
                let g = offsets[j]
                if here.contains(g), names(Self.replacingWords, f.span.offset..<g) {
                    out[i] = true
                    break
                }
                j += 1
            }
        }
        return out
    }

    func dueCheck(_ rule: Rule, _ ctx: Context, _ inst: Instance, _ sel: Selector, _ ref: DateRef) -> [Outcome] {
        guard let r = resolve(ref, ctx, inst) else {
            return [
                outcome(
                    rule, ctx, .missing, path: inst.path, values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "no \(ref) date to compare deadlines with", zh: "没有可与时限比较的日期(\(ref))"))
            ]
        }
        let selected = select(sel, ctx, inst).filter { $0.value.dateString != nil }
        // "Original target date: August 31, 2024; revised target date: January 31, 2025" / 原定…,现调整为…:
        // a date replaced by a later one in its sentence is no longer the deadline.
        let replaced = Self.superseded(selected, ctx)
        let deadlines = selected.indices.filter { !replaced[$0] }.map { selected[$0] }
        let refValues = [NamedValue("reference", r.date), NamedValue("reference_kind", r.used.description)]
        if deadlines.isEmpty {
            return [
                outcome(
                    rule, ctx, .missing, path: inst.path, values: refValues, evidence: [],
                    defaultMessage: ctx.say("no deadline found", zh: "未找到整改时限"))
            ]
        }
        let refDay = DateText.bounds(r.date)?.first ?? r.date
        let at = "at the \(r.name) \(r.date)"
        // What each sentence reports, read once for all the deadlines in it.
        var reported = ReportedCompletions(deadlines: deadlines)
        // Past the rule's outcome limit only the status is worked out, and counted (`OutcomeCap`): the
        // evidence, its quoted sentence and the message were most of the time and memory of a line of
        // thousands of deadlines.
        let room = ctx.cap.room
        var out = [Outcome]()
        out.reserveCapacity(min(room, deadlines.count))
        for (n, f) in deadlines.enumerated() {
            let due = DateText.bounds(f.value.dateString!)?.last ?? f.value.dateString!
            let past = due < refDay
            let completion =
                Completion.reached(f.span, of: ctx.document)
                ?? (past ? reported.completion(of: f, ctx) : .none)
            // A deadline fails when it is past and the work is reported only partly done or not at all.
            let status: OutcomeStatus
            switch completion {
            case .partial where past, .none where past: status = .fail
            default: status = .pass
            }
            if n >= room {
                ctx.cap.leaveOut(status, Self.severity(rule, status))
                continue
            }
            var ev = [evidence(f, role: "deadline", ctx)]
            if let e = r.evidence { ev.append(e) }
            let path = f.section.isEmpty ? inst.path : f.section
            var late: Int?
            if let a = DateText.dayNumber(due), let b = DateText.dayNumber(refDay) { late = b - a }
            let days = late.map { " by \($0) days" } ?? ""
            let subject = ctx.say("deadline \(f.text) (\(due))", zh: "时限 \(f.text)(\(due))")
            let notPast = ctx.say(
                "\(subject) is not past the \(r.name) \(r.date)", zh: "\(subject)在\(r.name) \(r.date) 尚未到期")
            // 超期 N 天 as of the reference date.
            let overdue = "\(subject)在\(r.name) \(r.date) 已超期" + (late.map { " \($0) 天" } ?? "")
            // What the bulletin says of the work is a value once it matters: the deadline is past, or it
            // is itself the day the work was done.
            let message: String
            let completionValue: String?
            switch completion {
            case .reached(let words):
                completionValue = "done by the deadline: \(words)"
                message = ctx.say(
                    "\(subject) is the day the work was done (\(words)), not a pending deadline",
                    zh: "\(subject)是工作完成之日(\(words)),不是待到期的时限")
            case .done(let words) where past:
                completionValue = "done: \(words)"
                message = ctx.say(
                    "\(subject) is past \(at) and the work is reported done (\(words))",
                    zh: "\(subject)在\(r.name) \(r.date) 已到期,文中报告已完成(\(words))")
            case .partial(let words) where past:
                completionValue = "partial: \(words)"
                message = ctx.say(
                    "\(subject) is past \(at)\(days) and the work is reported only partly done (\(words))",
                    zh: "\(overdue),文中报告仅部分完成(\(words))")
            case .none where past:
                completionValue = "not reported"
                message = ctx.say(
                    "\(subject) is past \(at)\(days) and the work is not reported done", zh: "\(overdue),文中未报告完成")
            default:
                (completionValue, message) = (nil, notPast)
            }
            var vals = [NamedValue("deadline", due)] + refValues
            if let c = completionValue { vals.append(NamedValue("completion", c)) }
            out.append(outcome(rule, ctx, status, path: path, values: vals, evidence: ev, defaultMessage: message))
        }
        return out
    }

    func orderCheck(_ rule: Rule, _ ctx: Context, _ inst: Instance, _ refs: [DateRef]) -> Outcome {
        let resolved = refs.map { resolve($0, ctx, inst) }
        let found = zip(refs, resolved).compactMap { ref, r in r.map { (ref, $0) } }
        let ev = found.compactMap { $0.1.evidence }
        let vals = found.map { NamedValue($0.0.description, $0.1.date) }
        guard found.count >= 2 else {
            return outcome(
                rule, ctx, .missing, path: inst.path, values: vals, evidence: ev,
                defaultMessage: ctx.say(
                    "fewer than two of the dates were found: \(refs.map(\.description).joined(separator: ", "))",
                    zh: "所列日期找到不足两个:\(refs.map(\.description).joined(separator: "、"))"))
        }
        for (a, b) in zip(found, found.dropFirst()) {
            guard let fa = DateText.bounds(a.1.date)?.first, let lb = DateText.bounds(b.1.date)?.last else { continue }
            if fa > lb {
                return outcome(
                    rule, ctx, .fail, path: inst.path, values: vals, evidence: ev,
                    defaultMessage: ctx.say(
                        "\(a.1.name) \(a.1.date) comes after \(b.1.name) \(b.1.date)",
                        zh: "\(a.1.name) \(a.1.date) 晚于\(b.1.name) \(b.1.date)"))
            }
        }
        return outcome(
            rule, ctx, .pass, path: inst.path, values: vals, evidence: ev,
            defaultMessage: ctx.say("dates in order: ", zh: "日期先后顺序正确:")
                + found.map { "\($0.1.name) \($0.1.date)" }.joined(separator: " ≤ "))
    }

    func withinCheck(_ rule: Rule, _ ctx: Context, _ inst: Instance, _ from: DateRef, _ to: DateRef, _ max: Period)
        -> Outcome
    {
        guard let a = resolve(from, ctx, inst), let b = resolve(to, ctx, inst) else {
            return outcome(
                rule, ctx, .missing, path: inst.path, values: [], evidence: [],
                defaultMessage: ctx.say(
                    "the \(from) or \(to) date was not found", zh: "未找到\(from)或\(to)日期"))
        }
        let ev = [a.evidence, b.evidence].compactMap { $0 }
        guard let start = DateText.bounds(a.date)?.last, let end = DateText.bounds(b.date)?.first else {
            return outcome(
                rule, ctx, .error, path: inst.path, values: [], evidence: ev,
                defaultMessage: ctx.say("cannot compute dates", zh: "无法计算日期"))
        }
        // Working days: the max-th working day after the from date. A day the calendar does not cover is
        // never guessed: past it, `to` passes only when every day up to it is covered and it is at most `max`
        // working days on; otherwise the rule is missing, with the year that was reached.
        let limit: String
        if max.unit == .workdays, let calendar = max.calendar, let day = CalendarDate(iso: start) {
            switch calendar.adding(workdays: max.count, to: day) {
            case .success(let d): limit = d.iso
            case .failure(let outside):
                var vals = [NamedValue("from", a.date), NamedValue("to", b.date), NamedValue("max", max.description)]
                if let last = CalendarDate(iso: end), let n = calendar.workdays(after: day, through: last),
                    n <= max.count
                {
                    vals += [NamedValue("working_days", String(n)), NamedValue("calendar", calendar.name)]
                    return outcome(
                        rule, ctx, .pass, path: inst.path, values: vals, evidence: ev,
                        defaultMessage: ctx.say(
                            "\(b.name) \(b.date) is within \(max) of \(a.name) \(a.date) (\(n) working days after it)",
                            zh: "\(b.name) \(b.date) 在\(a.name) \(a.date) 后\(Self.zh(max))以内(其后第 \(n) 个工作日)"))
                }
                return outcome(
                    rule, ctx, .missing, path: inst.path, values: vals, evidence: ev,
                    defaultMessage: ctx.say(
                        "\(max) after \(a.name) \(a.date) cannot be counted: \(outside)",
                        zh: "\(a.name) \(a.date) 后\(Self.zh(max))无法计算:\(outside)"))
            }
        } else {
            guard let l = DateText.add(max, to: start) else {
                return outcome(
                    rule, ctx, .error, path: inst.path, values: [], evidence: ev,
                    defaultMessage: ctx.say("cannot compute dates", zh: "无法计算日期"))
            }
            limit = l
        }
        var vals = [
            NamedValue("from", a.date), NamedValue("to", b.date), NamedValue("max", max.description),
            NamedValue("limit", limit),
        ]
        if let calendar = max.calendar { vals.append(NamedValue("calendar", calendar.name)) }
        let ok = end <= limit
        return outcome(
            rule, ctx, ok ? .pass : .fail, path: inst.path, values: vals, evidence: ev,
            defaultMessage: ok
                ? ctx.say(
                    "\(b.name) \(b.date) is within \(max) of \(a.name) \(a.date)",
                    zh: "\(b.name) \(b.date) 在\(a.name) \(a.date) 后\(Self.zh(max))以内")
                : ctx.say(
                    "\(b.name) \(b.date) is more than \(max) after \(a.name) \(a.date) (limit \(limit))",
                    zh: "\(b.name) \(b.date) 超过\(a.name) \(a.date) 后\(Self.zh(max))(期限 \(limit))"))
    }

    /// A period as Chinese bulletins write it: 2个月, 60天, 1年, 60个工作日.
    static func zh(_ p: Period) -> String {
        switch p.unit {
        case .days: return "\(p.count)天"
        case .months: return "\(p.count)个月"
        case .years: return "\(p.count)年"
        case .workdays: return "\(p.count)个工作日"
        }
    }
}

/// What the bulletin reports of the work behind each deadline of one `due` check: the deadline's sentence,
/// or else a status line that follows it (整改情况:已完成, Status: Implemented) before the next deadline, a
/// blank line or the next item, at most three sentences on.
///
/// Each sentence is read once and each answer kept by sentence and section, for every deadline in it. Why:
/// read again for each deadline, a sentence that never ends (于2021年6月底前完成， repeated on one line) was
/// read whole for every deadline in it, 12 s at 100 KB; and the look for the next deadline went through the
/// list of all of them for each sentence followed (0.56 s at 400 KB with a full stop after each). Now both
/// are linear (docs/benchmarks.md, "Linear in the line").
struct ReportedCompletions {
    /// The deadlines' offsets, sorted.
    let offsets: [Int]
    /// What a sentence reports, by its index in `Document.sentences`.
    private var bySentence = [Int: Completion]()
    /// The answer for a deadline in a sentence (by index) under a section path.
    private var byPlace = [Place: Completion]()

    struct Place: Hashable {
        var sentence: Int
        var section: [String]
    }

    /// The deadlines of one check.
    init(deadlines: [Fact]) {
        offsets = deadlines.map(\.span.offset).sorted()
    }

    /// Whether a deadline starts inside `r`.
    func holdsDeadline(_ r: Range<Int>) -> Bool {
        let lo = offsets.partitionPoint { $0 < r.lowerBound }
        return lo < offsets.count && offsets[lo] < r.upperBound
    }

    /// What sentence `k` reports.
    mutating func reported(sentence k: Int, _ doc: Document) -> Completion {
        if let c = bySentence[k] { return c }
        let c = Completion.reported(in: doc.sentences[k].range, of: doc)
        bySentence[k] = c
        return c
    }

    /// What the bulletin reports of the work behind deadline `f`.
    mutating func completion(of f: Fact, _ ctx: Evaluator.Context) -> Completion {
        let doc = ctx.document
        let sentences = doc.sentences
        let lo = sentences.partitionPoint { $0.range.upperBound <= f.span.offset }
        guard lo < sentences.count, sentences[lo].range.contains(f.span.offset) else {
            return Completion.reported(in: f.span.range, of: doc)
        }
        let own = reported(sentence: lo, doc)
        if own != .none { return own }
        let section = doc.sectionPath(at: f.span.offset)
        let place = Place(sentence: lo, section: section)
        if let c = byPlace[place] { return c }
        let s = doc.folded
        var answer = Completion.none
        var k = lo + 1
        while k < sentences.count, k - lo <= 3 {
            let r = sentences[k].range
            let gap = sentences[k - 1].range.upperBound..<r.lowerBound
            if gap.filter({ s[$0] == "\n" }).count >= 2 { break }
            if holdsDeadline(r) { break }
            if doc.sectionPath(at: r.lowerBound) != section { break }
            if Completion.isStatusLine(r, s) {
                let c = reported(sentence: k, doc)
                if c != .none {
                    answer = c
                    break
                }
            }
            k += 1
        }
        byPlace[place] = answer
        return answer
    }
}
