import AssayExtraction
import AssayValues
import Foundation
import Yams

/// `progress`: a bulletin against the earlier bulletins of its issuer's series (`SeriesState`), tally by
/// tally. Tallies are matched by subject and section (`BulletinSnapshot.Figures.key`); when no key matches,
/// the document-level tallies of the same subject are. The checks:
///
/// - `total-unchanged`: the total is the previous bulletin's, or the bulletin states why it changed
///   (新增问题…, 移交…; `BulletinSnapshot.changeReason`).
/// - `done-not-falling`: the done count is not below the previous one.
/// - `rate-not-falling`: the stated rate is not below the previous one (a rate that falls because the
///   total grew is still reported: the reviewer decides).
/// - `outstanding-not-rising`: the outstanding count (stated, else total − done) does not rise, unless
///   the bulletin states new problems.
/// - `promises-kept`: every deadline an earlier bulletin set for the rest of the work, passed by this
///   bulletin's as-of (else publication) date, finds the work done here (nothing outstanding); a deadline
///   for one item cannot be judged from the counts and is `missing`.
///
/// On an issuer's first bulletin the rules are `not_applicable`; without a known issuer or publication
/// date, `missing` with the reason; without a history (`assay check` without `--state`), `not_applicable`.
struct ProgressKind: RuleKindDefinition {
    /// The built-in comparisons.
    enum Comparison: String, Sendable, CaseIterable {
        case totalUnchanged = "total-unchanged"
        case doneNotFalling = "done-not-falling"
        case rateNotFalling = "rate-not-falling"
        case outstandingNotRising = "outstanding-not-rising"
        case promisesKept = "promises-kept"
    }

    struct Check: Sendable {
        /// The built-in comparison, or nil for an `expect` expression.
        var comparison: Comparison?
        /// `expect: EXPR` over this bulletin's tally figures by role (total, done, partial, outstanding,
        /// deferred, rate) and the previous bulletin's (previous.total, previous.done …), with its source.
        var expect: (Expression, String)?
        /// Only tallies of this subject (problems, money, recommendations); nil: every subject.
        var subject: TallySubject?
    }

    let names = ["progress"]
    let keys = ["compare", "expect", "subject"]

    /// The names an `expect` expression may use: each role of this bulletin's tally, and of the previous one's.
    static let roleNames: [String] = ["total", "done", "partial", "outstanding", "deferred", "rate"]
    static let expectNames: [String] = roleNames + roleNames.map { (r: String) -> String in "previous." + r }

    static let messageNames =
        [
            "issuer", "series", "previous", "previous_bulletin", "previous_published", "current", "change", "tally",
            "promised", "promised_in", "reason", "expect",
        ] + expectNames

    func summary(_ name: String) -> String {
        "a bulletin against the previous one of its issuer's series: the total unchanged, done and rate not "
            + "falling, outstanding not rising, promised deadlines kept"
    }

    func example(_ name: String) -> String {
        #"""
        - id: done-count-does-not-fall
          title: 已完成整改数不应少于上期
          kind: progress
          compare: done-not-falling
          subject: problems
        """#
    }

    let schemaProperties = """
        {
          "compare": {"enum": ["total-unchanged", "done-not-falling", "rate-not-falling", "outstanding-not-rising", "promises-kept"], "description": "which comparison with the issuer's previous bulletin"},
          "expect": {"type": "string", "description": "a condition over total, done, partial, outstanding, deferred, rate and previous.total … previous.rate, e.g. done - previous.done >= 2"},
          "subject": {"enum": ["problems", "money", "recommendations"], "description": "only tallies of this subject"}
        }
        """

    func parse(
        _ kind: RuleKind, _ m: YAMLReader.Entries, _ node: Node, targets: [String: RuleSet.Target],
        _ r: inout YAMLReader
    ) -> Check? {
        let all = Comparison.allCases.map(\.rawValue)
        var comparison: Comparison?
        var expect: (Expression, String)?
        if let cn = m["compare"]?.value {
            if m["expect"] != nil {
                r.error(cn, "a progress rule has 'compare' or 'expect', not both; write a rule for each")
                return nil
            }
            guard let word = cn.scalar?.string else {
                r.error(cn, "compare must be one of \(all.joined(separator: ", "))")
                return nil
            }
            guard let c = Comparison(rawValue: word) else {
                r.error(
                    cn,
                    "compare '\(word)' is not one of \(all.joined(separator: ", "))\(YAMLReader.hint(word, among: all))"
                )
                return nil
            }
            comparison = c
        } else if let en = m["expect"]?.value {
            guard let src = r.string(en, "expect") else { return nil }
            let expr: Expression
            do { expr = try Expression.parse(src) } catch {
                r.error(en, "expect '\(src)': \(error)")
                return nil
            }
            for n in Set(expr.names).sorted() where !Self.expectNames.contains(n) {
                r.error(
                    en,
                    "expect refers to '\(n)'\(YAMLReader.hint(n, among: Self.expectNames)); names: "
                        + Self.expectNames.joined(separator: ", "))
            }
            expect = (expr, src)
        } else {
            r.error(
                node,
                "a progress rule needs 'compare' (one of \(all.joined(separator: ", "))) or 'expect' (a condition)")
            return nil
        }
        var subject: TallySubject?
        if let sn = m["subject"]?.value {
            let subjects = TallySubject.allCases.map(\.rawValue)
            if let s = sn.scalar?.string, let t = TallySubject(rawValue: s) {
                subject = t
            } else {
                let s = sn.scalar?.string ?? ""
                r.error(
                    sn,
                    "subject '\(s)' is not one of \(subjects.joined(separator: ", "))"
                        + YAMLReader.hint(s, among: subjects))
                return nil
            }
        }
        if m["scope"] != nil { r.error(m["scope"]?.value, "a progress rule compares whole bulletins; drop 'scope'") }
        return Check(comparison: comparison, expect: expect, subject: subject)
    }

    func evaluate(_ c: Check, _ rule: Rule, _ e: Evaluator, _ ctx: Evaluator.Context, _ inst: Evaluator.Instance)
        -> [Outcome]
    {
        func outcome(_ status: OutcomeStatus, _ values: [NamedValue], _ evidence: [Evidence], _ message: String)
            -> Outcome
        {
            e.outcome(rule, ctx, status, path: [], values: values, evidence: evidence, defaultMessage: message)
        }
        func early(_ status: OutcomeStatus, _ values: [NamedValue], _ message: String) -> Outcome {
            outcome(status, values, [], message)
        }
        let current: BulletinSnapshot
        let earlier: [BulletinSnapshot]
        switch ctx.series {
        case .notKept:
            return [
                early(
                    .notApplicable, [],
                    ctx.say(
                        "no history is kept for this check (assay check without --state), so there is no earlier bulletin to compare with",
                        zh: "本次检查未保存历史(assay check 未指定 --state),无上期通报可比"))
            ]
        case .unavailable(let why):
            return [
                early(
                    .missing, [NamedValue("reason", why)],
                    ctx.say("the earlier bulletins could not be read: \(why)", zh: "无法读取以往通报:\(why)"))
            ]
        case .known(let cur, let before):
            current = cur
            earlier = before
        }
        guard let issuer = current.issuer else {
            return [
                early(
                    .missing, [],
                    ctx.say(
                        "the issuer cannot be told (the title, the signature and the metadata name no single unit), so the bulletin has no series to compare with",
                        zh: "无法确定发布单位(标题、落款和元数据均未写明单一单位),无法与上期通报比较"))
            ]
        }
        guard current.published != nil else {
            return [
                early(
                    .missing, [NamedValue("issuer", issuer)],
                    ctx.say(
                        "the bulletin has no publication date, so its place in \(issuer)'s series is unknown",
                        zh: "通报没有发布日期,无法确定其在\(issuer)系列通报中的位置"))
            ]
        }
        let seriesText = current.series.map { ctx.say(" (\($0))", zh: "(\($0))") } ?? ""
        guard let previous = earlier.last else {
            return [
                early(
                    .notApplicable, [NamedValue("issuer", issuer), NamedValue("series", current.series ?? "")],
                    ctx.say(
                        "the first bulletin of \(issuer)\(seriesText) on record: nothing earlier to compare with",
                        zh: "这是已记录的\(issuer)\(seriesText)第一期通报,无上期可比"))
            ]
        }
        if c.comparison == .promisesKept {
            return promises(c, current: current, earlier: earlier, issuer: issuer, e, ctx: ctx, outcome)
        }
        let pairs = Self.pairs(current, previous, subject: c.subject)
        let common: [NamedValue] = [
            NamedValue("issuer", issuer), NamedValue("series", current.series ?? ""),
            NamedValue("previous_bulletin", previous.name), NamedValue("previous_published", previous.published ?? ""),
        ]
        guard !pairs.isEmpty else {
            let now = current.tallies.map(\.key).joined(separator: ", ")
            let then = previous.tallies.map(\.key).joined(separator: ", ")
            return [
                early(
                    .missing, common,
                    ctx.say(
                        "no tally of this bulletin (\(now.isEmpty ? "none" : now)) matches one of \(previous.name) (\(then.isEmpty ? "none" : then))",
                        zh:
                            "本期通报的统计(\(now.isEmpty ? "无" : now))与上期 \(previous.name) 的统计(\(then.isEmpty ? "无" : then))对应不上"
                    ))
            ]
        }
        return pairs.map { cur, prev in
            if let (expr, source) = c.expect {
                return expectation(expr, source, cur, prev, previous: previous, common: common, ctx: ctx, outcome)
            }
            return compare(
                c.comparison ?? .totalUnchanged, cur, prev, current: current, previous: previous, common: common, e,
                ctx: ctx, outcome)
        }
    }

    /// `expect`: the expression over the two tallies' figures. A figure not stated (or doubted) in either
    /// bulletin makes it `missing`; an expression that cannot be evaluated (units that do not match) `error`.
    func expectation(
        _ expr: Expression, _ source: String, _ cur: BulletinSnapshot.Figures, _ prev: BulletinSnapshot.Figures,
        previous: BulletinSnapshot, common: [NamedValue], ctx: Evaluator.Context,
        _ outcome: (OutcomeStatus, [NamedValue], [Evidence], String) -> Outcome
    ) -> Outcome {
        var env = [String: Expression.Binding]()
        var shown = [NamedValue]()
        for (prefix, t) in [("", cur), ("previous.", prev)] {
            for role in Self.roleNames {
                guard let f = t.figure(role), f.doubt == nil, let v = f.decimal else { continue }
                env[prefix + role] = Expression.Binding([Measure(v, unit: role == "rate" ? "%" : nil)])
                if expr.names.contains(prefix + role) { shown.append(NamedValue(prefix + role, f.text)) }
            }
        }
        let values = common + [NamedValue("tally", cur.key), NamedValue("expect", source)] + shown
        let figures = shown.map { "\($0.name) \($0.text)" }.joined(separator: ", ")
        if let absent = Set(expr.requiredNames).sorted().first(where: { env[$0] == nil }) {
            let whereEn = absent.hasPrefix("previous.") ? previous.name : "this bulletin"
            let whereZh = absent.hasPrefix("previous.") ? previous.name : "本期通报"
            return outcome(
                .missing, values, [],
                ctx.say(
                    "\(cur.key): \(absent) is not stated (or not certain) in \(whereEn), so '\(source)' cannot be checked",
                    zh: "\(cur.key):\(whereZh)未写明(或不确定)\(absent),无法检查 '\(source)'"))
        }
        do {
            let holds = try expr.truth(env)
            return outcome(
                holds ? .pass : .fail, values, [],
                ctx.say(
                    "\(cur.key): \(source) \(holds ? "holds" : "does not hold") (\(figures); previous \(previous.name))",
                    zh: "\(cur.key):\(source) \(holds ? "成立" : "不成立")(\(figures);上期 \(previous.name))"))
        } catch {
            return outcome(
                .error, values, [],
                ctx.say(
                    "\(cur.key): '\(source)' cannot be evaluated: \(error)", zh: "\(cur.key):'\(source)' 无法计算:\(error)")
            )
        }
    }

    /// The tallies of the two bulletins side by side: by key; else, when no key matches, the first
    /// document-level tally of each subject.
    static func pairs(_ current: BulletinSnapshot, _ previous: BulletinSnapshot, subject: TallySubject?)
        -> [(BulletinSnapshot.Figures, BulletinSnapshot.Figures)]
    {
        func wanted(_ t: BulletinSnapshot.Figures) -> Bool { subject.map { $0.rawValue == t.subject } ?? true }
        var out = [(BulletinSnapshot.Figures, BulletinSnapshot.Figures)]()
        var seen = Set<String>()
        for t in current.tallies where wanted(t) && !seen.contains(t.key) {
            if let p = previous.tallies.first(where: { $0.key == t.key }) {
                out.append((t, p))
                seen.insert(t.key)
            }
        }
        if out.isEmpty {
            for s in TallySubject.allCases where subject == nil || subject == s {
                if let t = current.tallies.first(where: { $0.subject == s.rawValue }),
                    let p = previous.tallies.first(where: { $0.subject == s.rawValue })
                {
                    out.append((t, p))
                }
            }
        }
        return out
    }

    /// The evidence of a figure of the bulletin being checked: its fact, found by line and column.
    static func evidence(_ f: BulletinSnapshot.Figure, role: String, _ e: Evaluator, _ ctx: Evaluator.Context)
        -> Evidence?
    {
        guard let fact = ctx.extraction.facts.first(where: { $0.span.line == f.line && $0.span.column == f.column })
        else { return nil }
        return e.evidence(fact, role: role, ctx)
    }

    /// `+2`, `-3`, `-8.5 个百分点`: a change for people.
    static func change(_ d: Decimal, points: Bool, zh: Bool) -> String {
        let sign = d > 0 ? "+" : ""
        return "\(sign)\(d)" + (points ? (zh ? " 个百分点" : " points") : "")
    }

    func compare(
        _ comparison: ProgressKind.Comparison, _ cur: BulletinSnapshot.Figures, _ prev: BulletinSnapshot.Figures,
        current: BulletinSnapshot, previous: BulletinSnapshot, common: [NamedValue], _ e: Evaluator,
        ctx: Evaluator.Context, _ outcome: (OutcomeStatus, [NamedValue], [Evidence], String) -> Outcome
    ) -> Outcome {
        let tally = cur.key
        var values = common + [NamedValue("tally", tally)]
        let doubts = cur.doubts + prev.doubts
        if !doubts.isEmpty {
            return outcome(
                .missing, values, [],
                ctx.say(
                    "\(tally): the tally is uncertain (\(doubts.joined(separator: "; "))), so it is not compared with \(previous.name)",
                    zh: "\(tally):统计不确定(\(doubts.joined(separator: ";"))),不与上期 \(previous.name) 比较"))
        }
        let role: String
        switch comparison {
        case .totalUnchanged: role = "total"
        case .doneNotFalling: role = "done"
        case .rateNotFalling: role = "rate"
        case .outstandingNotRising: role = "outstanding"
        case .promisesKept: role = "total"
        }
        // The outstanding count: stated in both bulletins, else total − done in both (like with like: a
        // stated 尚未整改 leaves out what is under way, total − done does not).
        func derived(_ t: BulletinSnapshot.Figures) -> (
            value: Decimal, text: String, line: Int, fig: BulletinSnapshot.Figure?
        )? {
            guard let total = t.figure("total"), let done = t.figure("done"), total.doubt == nil, done.doubt == nil,
                let a = total.decimal, let b = done.decimal
            else { return nil }
            return (a - b, ctx.say("\(a - b) (total − done)", zh: "\(a - b)(总数−已完成)"), done.line, nil)
        }
        let statedBoth =
            role != "outstanding"
            || [cur, prev].allSatisfy { $0.figure("outstanding").map { $0.doubt == nil } ?? false }
        func figure(_ t: BulletinSnapshot.Figures) -> (
            value: Decimal, text: String, line: Int, fig: BulletinSnapshot.Figure?
        )? {
            if statedBoth, let f = t.figure(role), let v = f.decimal { return (v, f.text, f.line, f) }
            return role == "outstanding" ? derived(t) : nil
        }
        let roleName: String = {
            switch role {
            case "total": return ctx.say("total", zh: "总数")
            case "done": return ctx.say("done count", zh: "已完成数")
            case "rate": return ctx.say("rate", zh: "完成率")
            default: return ctx.say("outstanding count", zh: "未完成数")
            }
        }()
        guard let now = figure(cur), let then = figure(prev) else {
            let which = figure(cur) == nil ? ctx.say("this bulletin", zh: "本期通报") : previous.name
            return outcome(
                .missing, values, [],
                ctx.say(
                    "\(tally): \(which) states no \(roleName), so it cannot be compared",
                    zh: "\(tally):\(which)未写明\(roleName),无法比较"))
        }
        if let doubt = now.fig?.doubt ?? then.fig?.doubt {
            return outcome(
                .missing, values, [],
                ctx.say(
                    "\(tally): the \(roleName) is uncertain (\(doubt)), so it is not compared with \(previous.name)",
                    zh: "\(tally):\(roleName)不确定(\(doubt)),不与上期 \(previous.name) 比较"))
        }
        let diff = now.value - then.value
        values += [
            NamedValue("previous", then.text), NamedValue("current", now.text),
            NamedValue("change", Self.change(diff, points: role == "rate", zh: ctx.zh)),
        ]
        var evidence = [Evidence]()
        if let f = now.fig, let ev = Self.evidence(f, role: "current", e, ctx) { evidence.append(ev) }
        let was = ctx.say(
            "\(then.text) in \(previous.name) (line \(then.line), published \(previous.published ?? "unknown"))",
            zh: "上期 \(previous.name)(第 \(then.line) 行,发布于 \(previous.published ?? "未知"))为\(then.text)")
        let reason = current.changeReason
        let bad: Bool
        switch comparison {
        case .totalUnchanged: bad = diff != 0
        case .outstandingNotRising: bad = diff > 0
        default: bad = diff < 0
        }
        if !bad {
            return outcome(
                .pass, values, evidence,
                ctx.say(
                    "\(tally): \(roleName) \(now.text), \(was); change \(Self.change(diff, points: role == "rate", zh: false))",
                    zh:
                        "\(tally):\(roleName)\(now.text),\(was);变化 \(Self.change(diff, points: role == "rate", zh: true))"
                ))
        }
        if [.totalUnchanged, .outstandingNotRising].contains(comparison), let reason {
            values.append(NamedValue("reason", reason.text))
            return outcome(
                .pass, values, evidence,
                ctx.say(
                    "\(tally): \(roleName) \(now.text), \(was); the bulletin states why (line \(reason.line)): \(reason.text)",
                    zh: "\(tally):\(roleName)\(now.text),\(was);通报说明了原因(第 \(reason.line) 行):\(reason.text)"))
        }
        let why: String =
            switch comparison {
            case .totalUnchanged: ctx.say(" without a stated reason (new problems)", zh: ",未说明原因(如新增问题)")
            case .outstandingNotRising: ctx.say(" without new problems stated", zh: ",未说明新增问题")
            default: ""
            }
        let verb: String =
            switch comparison {
            case .totalUnchanged: ctx.say("changed", zh: "发生变化")
            case .outstandingNotRising: ctx.say("rose", zh: "上升")
            default: ctx.say("fell", zh: "下降")
            }
        return outcome(
            .fail, values, evidence,
            ctx.say(
                "\(tally): \(roleName) \(verb) to \(now.text) (line \(now.line)) from \(was)\(why)",
                zh: "\(tally):\(roleName)\(verb)为\(now.text)(第 \(now.line) 行),\(was)\(why)"))
    }

    /// `promises-kept`: each deadline for the rest of the work set by an earlier bulletin (after that
    /// bulletin's own date) and passed by this bulletin's date.
    func promises(
        _ c: Check, current: BulletinSnapshot, earlier: [BulletinSnapshot], issuer: String, _ e: Evaluator,
        ctx: Evaluator.Context, _ outcome: (OutcomeStatus, [NamedValue], [Evidence], String) -> Outcome
    ) -> [Outcome] {
        guard let reference = current.reference else { return [] }
        var out = [Outcome]()
        for (p, b) in current.duePromises(from: earlier) {
            var values: [NamedValue] = [
                NamedValue("issuer", issuer), NamedValue("promised", p.date), NamedValue("promised_in", b.name),
                NamedValue("previous_published", b.published ?? ""),
            ]
            let promise = ctx.say(
                "\(b.name) (line \(p.line)) promised \(p.text): \(p.sentence)",
                zh: "\(b.name)(第 \(p.line) 行)承诺\(p.text):\(p.sentence)")
            let main = current.tallies.first { t in c.subject.map { $0.rawValue == t.subject } ?? true }
            guard let main, let open = BulletinSnapshot.open(main) else {
                out.append(
                    outcome(
                        .missing, values, [],
                        ctx.say(
                            "\(promise); this bulletin states no done or outstanding count, so whether it was kept cannot be told",
                            zh: "\(promise);本期通报未写明已完成或未完成数,无法判断是否兑现")))
                continue
            }
            var evidence = [Evidence]()
            if let f = main.figure("done") ?? main.figure("outstanding"),
                let ev = Self.evidence(f, role: "current", e, ctx)
            {
                evidence.append(ev)
            }
            values.append(NamedValue("current", "\(open)"))
            if open <= 0 {
                out.append(
                    outcome(
                        .pass, values, evidence,
                        ctx.say(
                            "\(promise); kept: nothing is outstanding as of \(reference)",
                            zh: "\(promise);已兑现:截至 \(reference) 无未完成事项")))
            } else if p.coversRest {
                out.append(
                    outcome(
                        .fail, values, evidence,
                        ctx.say(
                            "\(promise); the date has passed (as of \(reference)) and \(open) are still outstanding",
                            zh: "\(promise);时限已过(截至 \(reference)),仍有 \(open) 个未完成")))
            } else {
                out.append(
                    outcome(
                        .missing, values, evidence,
                        ctx.say(
                            "\(promise); the deadline is for one item, and \(open) are outstanding as of \(reference): whether that item is done cannot be told from the counts",
                            zh: "\(promise);该时限针对单项问题,截至 \(reference) 仍有 \(open) 个未完成,无法从数量判断该项是否完成")))
            }
        }
        if out.isEmpty {
            out.append(
                outcome(
                    .notApplicable, [NamedValue("issuer", issuer)], [],
                    ctx.say(
                        "no deadline promised in an earlier bulletin of \(issuer) has passed by \(reference)",
                        zh: "截至 \(reference),\(issuer)以往通报承诺的时限均未到期")))
        }
        return out
    }
}
