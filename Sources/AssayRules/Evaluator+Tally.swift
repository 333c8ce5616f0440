import AssayExtraction
import AssayValues
import Foundation

/// Sums and rates checked on the tallies extraction found: which figure is the total and which are the
/// parts is read from their roles, never from their positions.
///
/// Certainty: a failing outcome is raised at the rule's severity only when the tally is certain —
/// its total and parts sit in one paragraph (or in short consecutive lines, a table), no role was seen
/// twice with different figures, and, for a sum, every status is stated (a completed and a not-completed
/// count). Otherwise a mismatch is `missing`, with the reason.
extension Evaluator {
    func tallyIndex(_ ctx: Context) -> [String: Tally] {
        Dictionary(ctx.extraction.tallies.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Parts shown as written, joined by " + ": counts as plain numbers (41 + 5), money with its unit.
    static func partsText(_ parts: [Fact]) -> String {
        parts.map { $0.kind == .money ? $0.text : JSONValue.format(Measure(fact: $0)?.value ?? 0) }.joined(
            separator: " + ")
    }

    /// A base-unit sum shown in the total's unit: 356800元 with a total in 万元 → 35.68万元.
    static func inUnitOf(_ total: Fact, _ base: Decimal) -> String {
        if total.kind == .money, let unit = total.unit, let factor = Measure.money(unit)?.factor, factor != 0 {
            return Measure(base / factor, unit: unit).description
        }
        return JSONValue.format(base) + (total.unit ?? "")
    }

    func tallySumCheck(_ rule: Rule, _ ctx: Context, _ inst: Instance, _ totalSel: Selector, _ roles: [TallyRole])
        -> [Outcome]
    {
        let facts = ctx.extraction.facts
        var out = [Outcome]()
        var considered = [String]()
        for t in ctx.extraction.tallies {
            guard let ti = t.total else { continue }
            // A breakdown's total is a part of the outer tally: it is selected as this tally's total.
            var total = facts[ti]
            total.role = .total
            total.tally = t.id
            guard inst.range.contains(total.span.offset), matchesFilters(totalSel, total, ctx) else { continue }
            let partMembers = t.parts.filter { m in roles.isEmpty || (m.role.map { roles.contains($0) } ?? false) }
            let parts = partMembers.map { facts[$0.fact] }.sorted { $0.span.offset < $1.span.offset }
            if parts.count < 2 {
                considered.append(
                    ctx.say(
                        "\(t.id): total \(total.text) (line \(total.span.line)) has \(parts.isEmpty ? "no part" : "one part, \(parts[0].text)")",
                        zh:
                            "\(t.id):合计 \(total.text)(第 \(total.span.line) 行)\(parts.isEmpty ? "没有分项" : "只有一个分项 \(parts[0].text)")"
                    ))
                continue
            }
            out.append(sumOutcome(rule, ctx, inst, t, total, partMembers, parts))
        }
        if out.isEmpty {
            let place = ctx.place(inst)
            let why =
                considered.isEmpty
                ? countsConsidered(ctx, inst, money: totalSel.tallySubjects == [.money])
                : considered.prefix(5).joined(separator: ctx.zh ? ";" : "; ")
            out.append(
                outcome(
                    rule, ctx, .missing, path: inst.path, values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "no tally with a total and two or more parts in \(place)\(why.isEmpty ? "" : "; considered: " + why)",
                        zh: "\(place)未找到有合计且有两个以上分项的统计\(why.isEmpty ? "" : ";已考虑:" + why)")
                ))
        }
        return out
    }

    /// Why the counts of a scope are in no tally (for a `missing` message): the first few candidates.
    func countsConsidered(_ ctx: Context, _ inst: Instance, money: Bool) -> String {
        let facts = ctx.extraction.facts
        let finder = TallyFinder(document: ctx.document, facts: facts)
        var notes = [String]()
        for k in facts.indices
        where inst.range.contains(facts[k].span.offset) && facts[k].tally == nil
            && (money ? facts[k].kind == .money : (facts[k].kind == .quantity || facts[k].kind == .number))
        {
            if let why = finder.reasonNotCounted(k) {
                if why.hasPrefix("unit") && facts[k].kind == .quantity
                    && !TallyFinder.countUnits.contains(facts[k].unit ?? "") && facts[k].unit != nil
                {
                    continue
                }
                notes.append(
                    ctx.say(
                        "\(facts[k].text) (line \(facts[k].span.line)): \(why)",
                        zh: "\(facts[k].text)(第 \(facts[k].span.line) 行):\(TallyReasons.chinese(why))"))
            }
            if notes.count == 4 { break }
        }
        return notes.joined(separator: ctx.zh ? ";" : "; ")
    }

    func sumOutcome(
        _ rule: Rule, _ ctx: Context, _ inst: Instance, _ t: Tally, _ total: Fact, _ members: [Tally.Member],
        _ parts: [Fact]
    ) -> Outcome {
        let facts = ctx.extraction.facts
        let path = total.section.isEmpty ? inst.path : total.section
        let ev =
            [evidence(total, role: "total", ctx)]
            + members.sorted { facts[$0.fact].span.offset < facts[$1.fact].span.offset }
            .map { evidence(facts[$0.fact], role: $0.role?.rawValue ?? "part", ctx) }
        let idValue = NamedValue("tally", t.id)
        if let approx = ([total] + parts).first(where: { $0.approx != nil }) {
            return outcome(
                rule, ctx, .missing, path: path, values: [idValue], evidence: ev,
                defaultMessage: ctx.say(
                    "\(approx.text) is approximate; \(Self.partsText(parts)) and the total \(total.text) cannot be checked exactly",
                    zh: "\(approx.text) 是约数,\(Self.partsText(parts)) 与合计 \(total.text) 无法精确核对")
            )
        }
        if let clash = Self.currencyClash([total] + parts, zh: ctx.zh) {
            return outcome(rule, ctx, .error, path: path, values: [idValue], evidence: ev, defaultMessage: clash)
        }
        guard let tm = Measure(fact: total) else {
            return outcome(
                rule, ctx, .error, path: path, values: [idValue], evidence: ev,
                defaultMessage: ctx.say(
                    "\(total.text) is not a number; parts and total cannot be added",
                    zh: "\(total.text) 不是数值,无法将分项与合计相加核对"))
        }
        let measures = parts.compactMap { Measure(fact: $0) }
        guard measures.count == parts.count else {
            let bad = parts.first { Measure(fact: $0) == nil }!
            return outcome(
                rule, ctx, .error, path: path, values: [idValue], evidence: ev,
                defaultMessage: ctx.say(
                    "\(bad.text) is not a number; parts and total cannot be added",
                    zh: "\(bad.text) 不是数值,无法将分项与合计相加核对"))
        }
        let sum = measures.reduce(Decimal(0)) { $0 + $1.baseValue }
        func values(_ shown: [Fact], _ s: Decimal) -> [NamedValue] {
            [
                NamedValue("parts", Self.partsText(shown)), NamedValue("sum", Self.inUnitOf(total, s)),
                NamedValue("total", total.text), NamedValue("difference", JSONValue.format(s - tm.baseValue)), idValue,
            ]
        }
        if sum == tm.baseValue {
            return outcome(
                rule, ctx, .pass, path: path, values: values(parts, sum), evidence: ev,
                defaultMessage: ctx.say(
                    "\(Self.partsText(parts)) = \(Self.inUnitOf(total, sum)) agrees with the total \(total.text)",
                    zh: "\(Self.partsText(parts)) = \(Self.inUnitOf(total, sum)),与合计 \(total.text) 一致"))
        }
        let byRole = Dictionary(grouping: members, by: { $0.role })
        let done = byRole[.done] ?? []
        let outstanding = byRole[.outstanding] ?? []
        let partial = byRole[.partial] ?? []
        // 未完成 may include the 正在整改 figures: completed + not completed = total also closes the tally.
        if !done.isEmpty, !outstanding.isEmpty, !partial.isEmpty {
            let pair = (done + outstanding).map { facts[$0.fact] }.sorted { $0.span.offset < $1.span.offset }
            let pairSum = pair.compactMap { Measure(fact: $0)?.baseValue }.reduce(0, +)
            if pairSum == tm.baseValue {
                let inner = partial.map { facts[$0.fact].text }.joined(separator: ", ")
                return outcome(
                    rule, ctx, .pass, path: path, values: values(pair, pairSum), evidence: ev,
                    defaultMessage: ctx.say(
                        "\(Self.partsText(pair)) = \(Self.inUnitOf(total, pairSum)) agrees with the total \(total.text) (\(inner) counted among the unfinished)",
                        zh:
                            "\(Self.partsText(pair)) = \(Self.inUnitOf(total, pairSum)),与合计 \(total.text) 一致(\(inner) 计入未完成)"
                    )
                )
            }
        }
        let mismatch = ctx.say(
            "\(Self.partsText(parts)) = \(Self.inUnitOf(total, sum)), but the total is \(total.text)",
            zh: "\(Self.partsText(parts)) = \(Self.inUnitOf(total, sum)),与合计 \(total.text) 不一致")
        var doubts =
            (ctx.zh ? t.doubts.map(TallyReasons.chinese) : t.doubts) + partDoubts(members.map { facts[$0.fact] }, ctx)
        if t.parent != nil {
            doubts.append(ctx.say("it is a 其中 breakdown, which need not list every case", zh: "这是“其中”细分,不必列出全部情形"))
        }
        // Every status stated: a completed and a not-completed count, or a total said to be these parts
        // (…,共计50项). Parts that exceed the total with no not-completed count among them cannot overlap.
        let oneSentence =
            Set(([total] + parts).map { ctx.document.sentence(at: $0.span.offset)?.range.lowerBound ?? -1 }).count == 1
        let exhaustive =
            (!done.isEmpty && !outstanding.isEmpty) || t.totalAfterParts
            || (sum > tm.baseValue && outstanding.isEmpty && oneSentence)
        if !exhaustive {
            if sum < tm.baseValue {
                doubts.append(
                    ctx.say(
                        "no \(done.isEmpty ? "completed" : "not-completed") count is stated, so the other \(Self.inUnitOf(total, tm.baseValue - sum)) may be in a status the text does not name",
                        zh:
                            "未写明\(done.isEmpty ? "已完成" : "未完成")数,其余 \(Self.inUnitOf(total, tm.baseValue - sum)) 可能处于文中未列明的状态"
                    ))
            } else {
                doubts.append(
                    ctx.say(
                        "not every status is stated, so a part may be counted inside another",
                        zh: "并非每种状态都已写明,某一分项可能包含在另一分项中"))
            }
        }
        if doubts.isEmpty {
            return outcome(
                rule, ctx, .fail, path: path, values: values(parts, sum), evidence: ev, defaultMessage: mismatch)
        }
        return outcome(
            rule, ctx, .missing, path: path, values: values(parts, sum), evidence: ev,
            defaultMessage: ctx.zh
                ? "\(mismatch);未作判定:" + doubts.joined(separator: ";")
                : "\(mismatch); not checked: " + doubts.joined(separator: "; "))
    }

    /// Why a list of parts may not be one exhaustive list: parts spread over sentences that are not next to
    /// each other, or a part said to be all done (12个问题已全部整改到位), which reads as a category of the total.
    func partDoubts(_ parts: [Fact], _ ctx: Context) -> [String] {
        var out = [String]()
        let sentences = parts.compactMap { p in ctx.document.sentences.firstIndex { $0.range.contains(p.span.offset) } }
        if let lo = sentences.min(), let hi = sentences.max(), hi - lo > 1 {
            out.append(
                ctx.say(
                    "the parts are spread over \(hi - lo + 1) sentences, so they may not be one list",
                    zh: "分项分散在 \(hi - lo + 1) 句中,未必是同一组统计"))
        }
        for p in parts {
            let end = p.span.offset + p.span.length
            let after = ctx.document.text(end..<min(ctx.document.count, end + 4))
            let before = ctx.document.text(max(0, p.span.offset - 8)..<p.span.offset)
            if after.hasPrefix("已全部") || after.hasPrefix("全部") || after.hasPrefix("均已") || before.hasSuffix("全部") {
                out.append(
                    ctx.say(
                        "\(p.text) is said to be all done, so it may be a category of the total rather than a status",
                        zh: "\(p.text) 写明已全部完成,可能是合计中的一类而非一种状态"))
            }
        }
        return out
    }

    func tallyRatioCheck(_ rule: Rule, _ ctx: Context, _ inst: Instance, _ rateSel: Selector) -> [Outcome] {
        let facts = ctx.extraction.facts
        let tallies = tallyIndex(ctx)
        var out = [Outcome]()
        var rejected = [String]()
        for rate in select(rateSel, ctx, inst) {
            guard rate.kind == .percent else { continue }
            guard rate.role == .rate, let id = rate.tally, let t = tallies[id],
                let member = t.members.first(where: {
                    $0.role == .rate && facts[$0.fact].span.offset == rate.span.offset
                }),
                let n = member.of
            else {
                rejected.append(
                    ctx.say(
                        "\(rate.text) (line \(rate.span.line)): in no tally",
                        zh: "\(rate.text)(第 \(rate.span.line) 行):不属于任何统计"))
                continue
            }
            out.append(rateOutcome(rule, ctx, inst, rate, facts[n], t, tallies))
        }
        if out.isEmpty {
            // Rates that look like completion rates but joined no tally: say why each was not checked.
            for k in facts.indices
            where facts[k].kind == .percent && facts[k].tally == nil && inst.range.contains(facts[k].span.offset) {
                let label = facts[k].label ?? ""
                if TallyFinder.has(label, TallyFinder.rateWordPhrases) != nil
                    || TallyFinder.hasWords(label, ["rate"]) != nil
                {
                    let otherPeriod = TallyFinder.has(label, TallyFinder.otherPeriodPhrases) != nil
                    rejected.append(
                        ctx.say(
                            "\(label) \(facts[k].text) (line \(facts[k].span.line)): "
                                + (otherPeriod
                                    ? "a rate of another period or a change"
                                    : "no tally with a completed count and a total in its paragraph"),
                            zh: "\(label) \(facts[k].text)(第 \(facts[k].span.line) 行):"
                                + (otherPeriod ? "是其他时期的比率或变化幅度" : "所在段落没有含完成数和合计的统计")))
                }
                if rejected.count >= 5 { break }
            }
            let place = ctx.place(inst)
            out.append(
                outcome(
                    rule, ctx, .missing, path: inst.path, values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "no stated rate with its part and total in \(place)\(rejected.isEmpty ? "" : "; considered: " + rejected.prefix(5).joined(separator: "; "))",
                        zh:
                            "\(place)未找到同时写明分项和合计的比率\(rejected.isEmpty ? "" : ";已考虑:" + rejected.prefix(5).joined(separator: ";"))"
                    )
                ))
        }
        return out
    }

    func rateOutcome(
        _ rule: Rule, _ ctx: Context, _ inst: Instance, _ rate: Fact, _ num: Fact, _ t: Tally,
        _ tallies: [String: Tally]
    ) -> Outcome {
        let facts = ctx.extraction.facts
        let path = rate.section.isEmpty ? inst.path : rate.section
        guard let ti = t.total else {
            return outcome(
                rule, ctx, .missing, path: path, values: [NamedValue("tally", t.id)],
                evidence: [evidence(rate, role: "rate", ctx), evidence(num, role: "numerator", ctx)],
                defaultMessage: ctx.say(
                    "\(rate.text) is a rate of \(num.text), but its tally states no total",
                    zh: "\(rate.text) 是 \(num.text) 的比率,但所在统计没有写明合计"))
        }
        let den = facts[ti]
        let ev = [
            evidence(rate, role: "rate", ctx), evidence(num, role: "numerator", ctx),
            evidence(den, role: "denominator", ctx),
        ]
        if let approx = [rate, num, den].first(where: { $0.approx != nil }) {
            return outcome(
                rule, ctx, .missing, path: path, values: [NamedValue("tally", t.id)], evidence: ev,
                defaultMessage: ctx.say(
                    "\(approx.text) is approximate; the rate cannot be checked exactly",
                    zh: "\(approx.text) 是约数,比率无法精确核对"))
        }
        if let clash = Self.currencyClash([num, den], zh: ctx.zh) {
            return outcome(
                rule, ctx, .error, path: path, values: [NamedValue("tally", t.id)], evidence: ev, defaultMessage: clash)
        }
        guard let r = rate.value.decimal, let nm = Measure(fact: num), let dm = Measure(fact: den), dm.baseValue != 0
        else {
            return outcome(
                rule, ctx, .missing, path: path, values: [NamedValue("tally", t.id)], evidence: ev,
                defaultMessage: ctx.say(
                    "\(den.text) is zero or not a number; the rate cannot be computed",
                    zh: "\(den.text) 为零或不是数值,无法计算比率"))
        }
        let places = Self.printedDecimals(rate.text)
        func check(_ n: Decimal, _ d: Decimal) -> (ok: Bool, rounded: Decimal, shown: Decimal) {
            let rounded = Expression.percentRounded(n, of: d, places: places)
            return (rounded == r, rounded, Expression.percentRounded(n, of: d, places: max(2, places + 1)))
        }
        let (ok, rounded, shown) = check(nm.baseValue, dm.baseValue)
        func vals(_ numText: String, _ denText: String, _ shown: Decimal, _ rounded: Decimal) -> [NamedValue] {
            [
                NamedValue("numerator", numText), NamedValue("denominator", denText),
                NamedValue("computed", JSONValue.format(shown) + "%"),
                NamedValue("actual", rate.text), NamedValue("rounded", JSONValue.format(rounded) + "%"),
                NamedValue("tally", t.id),
            ]
        }
        let calc = "\(num.text) / \(den.text) = \(JSONValue.format(shown))%"
        if ok {
            return outcome(
                rule, ctx, .pass, path: path, values: vals(num.text, den.text, shown, rounded), evidence: ev,
                defaultMessage: ctx.say(
                    "\(calc) agrees with the stated \(rate.text)", zh: "\(calc),与文中所述 \(rate.text) 一致"))
        }
        // 完成率 may count 基本完成 among the completed.
        let member = t.members.first { facts[$0.fact].span.offset == num.span.offset }
        if member?.role == .done {
            let basic = t.members.filter {
                $0.role == .partial && TallyFinder.has(clauseBefore(facts[$0.fact], ctx), ["基本完成"]) != nil
            }
            if !basic.isEmpty {
                let extra = basic.compactMap { Measure(fact: facts[$0.fact])?.baseValue }.reduce(0, +)
                let alt = check(nm.baseValue + extra, dm.baseValue)
                if alt.ok {
                    let numText = ([num.text] + basic.map { facts[$0.fact].text }).joined(separator: " + ")
                    return outcome(
                        rule, ctx, .pass, path: path, values: vals(numText, den.text, alt.shown, alt.rounded),
                        evidence: ev,
                        defaultMessage: ctx.say(
                            "(\(numText)) / \(den.text) = \(JSONValue.format(alt.shown))% agrees with the stated \(rate.text), counting 基本完成 as completed",
                            zh:
                                "(\(numText)) / \(den.text) = \(JSONValue.format(alt.shown))%,将基本完成计为已完成时与文中所述 \(rate.text) 一致"
                        )
                    )
                }
            }
        }
        var doubts = ctx.zh ? t.doubts.map(TallyReasons.chinese) : t.doubts
        if t.parent != nil {
            // A rate inside a 其中 breakdown may be a share of the outer total instead.
            if let outer = t.parent.flatMap({ tallies[$0] }), let oi = outer.total, let om = Measure(fact: facts[oi]),
                om.baseValue != 0,
                Measure.currencyClash(nm, om) == nil
            {
                let alt = check(nm.baseValue, om.baseValue)
                if alt.ok {
                    return outcome(
                        rule, ctx, .pass, path: path, values: vals(num.text, facts[oi].text, alt.shown, alt.rounded),
                        evidence: [
                            evidence(rate, role: "rate", ctx), evidence(num, role: "numerator", ctx),
                            evidence(facts[oi], role: "denominator", ctx),
                        ],
                        defaultMessage: ctx.say(
                            "\(num.text) / \(facts[oi].text) = \(JSONValue.format(alt.shown))% agrees with the stated \(rate.text)",
                            zh:
                                "\(num.text) / \(facts[oi].text) = \(JSONValue.format(alt.shown))%,与文中所述 \(rate.text) 一致"
                        )
                    )
                }
            }
            doubts.append(
                ctx.say(
                    "it is inside a 其中 breakdown, so it may be a share of another total",
                    zh: "它在“其中”细分内,可能是另一合计的占比"))
        }
        // A named rate (整改率) against a completed count: certain only when the tally's parts account for its
        // total, else the completed count may be a subset (立行立改问题12个已全部整改到位). A bracketed rate or a
        // share names its count itself.
        if !isDirectRate(rate, num, ctx) {
            let partSum = t.parts.compactMap { Measure(fact: facts[$0.fact])?.baseValue }.reduce(0, +)
            if partSum != dm.baseValue {
                doubts.append(
                    ctx.say(
                        "the tally's parts do not add up to its total \(den.text), so \(num.text) may not be all the completed",
                        zh: "统计各分项之和不等于合计 \(den.text),\(num.text) 未必是全部已完成数"))
            }
        }
        let mismatch = ctx.say(
            "\(calc), printed as \(JSONValue.format(rounded))%, but the text states \(rate.text)",
            zh: "\(calc),应为 \(JSONValue.format(rounded))%,但文中写的是 \(rate.text)")
        if doubts.isEmpty {
            return outcome(
                rule, ctx, .fail, path: path, values: vals(num.text, den.text, shown, rounded), evidence: ev,
                defaultMessage: mismatch)
        }
        return outcome(
            rule, ctx, .missing, path: path, values: vals(num.text, den.text, shown, rounded), evidence: ev,
            defaultMessage: ctx.zh
                ? "\(mismatch);未作判定:" + doubts.joined(separator: ";")
                : "\(mismatch); not checked: " + doubts.joined(separator: "; "))
    }

    /// Whether a rate names its count itself: in brackets right after it (688个(98.71%)) or as a share (占…的).
    func isDirectRate(_ rate: Fact, _ num: Fact, _ ctx: Context) -> Bool {
        let before = ctx.document.text(max(0, rate.span.offset - 12)..<rate.span.offset)
        if before.contains("占") { return true }
        var i = rate.span.offset - 1
        let s = ctx.document.folded
        while i >= 0, FactScanner.isSpace(s[i]) { i -= 1 }
        return i >= 0 && s[i] == "(" && i - (num.span.offset + num.span.length) <= 24 && i > num.span.offset
    }

    /// The clause before a figure, back to punctuation: 基本完成4个 → 基本完成.
    func clauseBefore(_ f: Fact, _ ctx: Context) -> String {
        let s = ctx.document.folded
        var a = f.span.offset
        while a > 0, !TallyFinder.clauseBreaks.contains(s[a - 1]), f.span.offset - a < 30 { a -= 1 }
        return ctx.document.text(a..<f.span.offset)
    }
}
