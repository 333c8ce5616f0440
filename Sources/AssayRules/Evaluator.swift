import AssayExtraction
import AssayValues
import Foundation

/// Applies rule sets to a document and its facts: one outcome per rule and scope instance.
///
/// Pure: the clock is passed in (`today`), used by rules whose reference is `clock` and, as a last resort,
/// by `due` rules whose bulletin has neither an as-of nor a publication date. The one other
/// use of time: every rule's pattern searches on a bulletin share `patternTimeLimit` (`PatternBudget`), and a
/// rule whose patterns give up is reported as an `error` naming the pattern, whatever else it found.
public struct Evaluator: Sendable {
    /// The check date (ISO `YYYY-MM-DD`): what `clock` means in deadline rules.
    public var today: String
    /// The time each rule's pattern searches may take on one bulletin, all together (`PatternBudget`).
    public var patternTimeLimit: Duration
    /// The language of built-in messages for every set (`assay check --language`); nil: each set's own
    /// `language:`, else `defaultLanguage`.
    public var language: MessageLanguage?
    /// The language of built-in messages when neither the evaluator nor a set names one.
    public static let defaultLanguage = MessageLanguage.auto
    /// The bulletin's series for `progress` rules: none kept unless the pipeline has a history.
    public var series: SeriesState = .notKept
    /// The most outcomes one rule lists for one bulletin (`standardOutcomeLimit`); the rest are counted, by
    /// status, in one summary outcome per status (`OutcomeCap`).
    public var outcomeLimit = Evaluator.standardOutcomeLimit

    /// The standard `outcomeLimit`: 200. Like a compiler's error limit: nobody reads 34,000 findings of one
    /// rule (one MB of 于2021年6月底前完成， on one line), and building them was most of that check's time and
    /// memory (1.3 GB at 10 MB). The most any rule lists on a bulletin of the test corpus is 6, on the
    /// sample 4, so no real bulletin comes near (docs/reports.md, "At most 200 outcomes of a rule").
    public static let standardOutcomeLimit = 200

    /// An evaluator checking on `today` (ISO date), each rule's patterns limited to `patternTimeLimit` per bulletin.
    public init(
        today: String, patternTimeLimit: Duration = PatternBudget.standardLimit, language: MessageLanguage? = nil
    ) {
        self.today = today
        self.patternTimeLimit = patternTimeLimit
        self.language = language
    }

    /// One scope instance: a stretch of the document with its section path.
    struct Instance {
        var path: [String]
        var range: Range<Int>
        var section: Section?
    }

    struct Context {
        let document: Document
        let extraction: Extraction
        var set: RuleSet
        let today: String
        /// Whether the facts are sorted by offset (the extractor's are), so selection may binary-search.
        let factsInOrder: Bool
        /// The time the rule being evaluated has left for its patterns (a fresh budget per rule).
        var patterns: PatternBudget
        /// The document's UTF-16 text when searches use ICU only (`SendableRegex.usesScalarEngine` false).
        let icu: ICUText?
        /// Tally id → index in `extraction.tallies` (the first tally of an id), for selectors naming subjects.
        let tallyIndex: [String: Int]
        /// The first fact stating the document's as-of date (the evidence of deadlines measured from it).
        let asOfFact: Fact?
        /// Whether built-in messages are in Chinese (else English): the resolved `MessageLanguage`.
        let zh: Bool
        /// The bulletin's series, for `progress` rules.
        let series: SeriesState
        /// The rule being evaluated: how many outcomes it may still list, and what it left unlisted (a fresh
        /// one per rule, `evaluateTimed`).
        var cap = OutcomeCap(limit: .max)

        init(
            document: Document, extraction: Extraction, set: RuleSet, today: String,
            patterns: PatternBudget = PatternBudget(),
            icu: ICUText? = nil, language: MessageLanguage = .en, series: SeriesState = .notKept
        ) {
            self.zh = language == .zh
            self.series = series
            self.document = document
            self.extraction = extraction
            self.set = set
            self.today = today
            self.patterns = patterns
            self.icu = icu
            let facts = extraction.facts
            factsInOrder = facts.indices.dropFirst().allSatisfy { facts[$0 - 1].span.offset <= facts[$0].span.offset }
            var index = [String: Int]()
            for (k, t) in extraction.tallies.enumerated() where index[t.id] == nil { index[t.id] = k }
            tallyIndex = index
            let asOf = extraction.dates.asOf
            asOfFact = asOf.flatMap { d in facts.first { $0.kind == .asOf && $0.value.dateString == d } }
        }

        /// `m` tested on `s` within the rule's budget; a search that gives up is no match here and is kept
        /// in the budget, which turns the whole rule into an error outcome (`evaluateTimed`).
        func matches(_ m: NameMatcher, _ s: String, substring: Bool = false) -> Bool {
            (try? m.matches(s, substring: substring, budget: patterns)) ?? false
        }

        /// `regex` over `range` of the document within the rule's budget; as `matches(_:_:substring:)`.
        func matches(_ regex: SendableRegex, in range: Range<Int>, names: [String]) -> [SendableRegex.Match] {
            if let icu {
                return
                    (try? regex.matches(in: document.scalars, range: range, names: names, icu: icu, budget: patterns))
                    ?? []
            }
            return (try? regex.matches(in: document.scalars, range: range, names: names, budget: patterns)) ?? []
        }
    }

    /// What the evaluation of rule sets gives: every outcome, and for each set (in order) why it does not
    /// apply — nil when it applies, or when its `applies_to` gave up (its rules then have error outcomes).
    public struct Evaluation: Sendable {
        /// Every outcome: set by set in the order given, each set's rules in file order.
        public var outcomes: [Outcome]
        /// For each set, in the order given: why it does not apply, or nil.
        public var notApplicable: [String?]
    }

    /// The outcomes of the sets that apply to the document (`evaluation(of:document:extraction:progress:)`'s outcomes).
    public func evaluate(_ sets: [RuleSet], document: Document, extraction: Extraction) -> [Outcome] {
        evaluation(of: sets, document: document, extraction: extraction).outcomes
    }

    /// Evaluates the sets that apply; `progress` is called after each rule (the daemon's watchdog hears it).
    public func evaluation(
        of sets: [RuleSet], document: Document, extraction: Extraction,
        progress: () -> Void = {}
    ) -> Evaluation {
        evaluation(of: sets, document: document, extraction: extraction, progress: progress, stop: { false })
    }

    /// As `evaluation(of:document:extraction:progress:)`, ending early (after a rule) once `stop` says so.
    func evaluation(
        of sets: [RuleSet], document: Document, extraction: Extraction,
        progress: () -> Void, stop: () -> Bool
    ) -> Evaluation {
        var out = [Outcome]()
        var notApplicable = [String?]()
        let icu = SendableRegex.usesScalarEngine ? nil : ICUText(document.scalars)
        // `auto` is decided once per document, and only when a set asks for it.
        var autoLanguage: MessageLanguage?
        for set in sets {
            if stop() { break }
            let setBudget = PatternBudget(limit: patternTimeLimit)
            var lang = language ?? set.language ?? Self.defaultLanguage
            if lang == .auto {
                if autoLanguage == nil { autoLanguage = MessageLanguage.auto.resolved(for: document) }
                lang = autoLanguage ?? .en
            }
            let reason: String?
            do {
                reason = try set.appliesTo.reason(document: document, genre: extraction.genre, budget: setBudget)
            } catch {
                // Undecided: every rule of the set is unchecked, and says so.
                notApplicable.append(nil)
                for rule in set.rules {
                    out.append(patternTimeoutOutcome(rule, error, of: "its set's applies_to", zh: lang == .zh))
                }
                progress()
                continue
            }
            // A set of progress rules only does not apply when no history is kept (there is nothing to
            // compare with, for any of its rules).
            let noHistory: String? =
                if case .notKept = series, !set.rules.isEmpty, set.rules.allSatisfy({ $0.kind.rawValue == "progress" })
                {
                    lang == .zh
                        ? "未保存历史(assay check 未指定 --state),无以往通报可比"
                        : "no history is kept (assay check without --state), so there are no earlier bulletins to compare with"
                } else { nil }
            notApplicable.append(reason ?? noHistory)
            guard reason == nil, noHistory == nil else { continue }
            let ctx = Context(
                document: document, extraction: extraction, set: set, today: today, icu: icu, language: lang,
                series: series)
            for rule in set.rules {
                out += evaluateTimed(rule, ctx)
                progress()
                if stop() { break }
            }
        }
        return Evaluation(outcomes: out, notApplicable: notApplicable)
    }

    /// One rule with a budget of its own for its patterns (its `applies_to` included): its outcomes, or one
    /// error outcome when a pattern gave up (what it found before that may be wrong: a search that gave up
    /// counted as no match).
    func evaluateTimed(_ rule: Rule, _ setContext: Context) -> [Outcome] {
        var ctx = setContext
        ctx.patterns = PatternBudget(limit: patternTimeLimit)
        ctx.cap = OutcomeCap(limit: outcomeLimit)
        do {
            if !rule.appliesTo.isEmpty,
                try rule.appliesTo.reason(document: ctx.document, genre: ctx.extraction.genre, budget: ctx.patterns)
                    != nil
            {
                return []
            }
        } catch {
            return [patternTimeoutOutcome(rule, error, zh: ctx.zh)]
        }
        let outcomes = evaluate(rule, ctx)
        if let timeout = ctx.patterns.timeout { return [patternTimeoutOutcome(rule, timeout, zh: ctx.zh)] }
        return capped(outcomes, rule, ctx)
    }

    /// A rule's outcomes with at most `outcomeLimit` listed: the first ones in the rule's order, then one
    /// outcome per status left unlisted (in `OutcomeStatus.allCases` order) saying how many, with that status
    /// and the gravest severity among them, so the report's worst severity and its statuses are those of
    /// all the outcomes. Kinds that can find thousands (`due` deadlines) do not build what they will not
    /// list and count it in `ctx.cap` instead; any other kind's surplus is cut here.
    func capped(_ outcomes: [Outcome], _ rule: Rule, _ ctx: Context) -> [Outcome] {
        let cap = ctx.cap
        guard outcomes.count > outcomeLimit || !cap.unlisted.isEmpty else { return outcomes }
        for o in outcomes.dropFirst(outcomeLimit) { cap.leaveOut(o.status, o.severity) }
        var out = Array(outcomes.prefix(outcomeLimit))
        for status in OutcomeStatus.allCases {
            guard let (count, severity) = cap.unlisted[status] else { continue }
            out.append(unlistedOutcome(rule, status, severity: severity, count: count, zh: ctx.zh))
        }
        return out
    }

    /// `1234 more fail outcomes of rule deadlines-met are not listed: a rule lists at most 200 outcomes per
    /// bulletin`. In Chinese (`zh`): `规则 deadlines-met 另有 1234 个 fail 结果未列出:每条规则对一份通报最多列出 200 个结果`.
    /// No evidence: the listed outcomes before it show what kind of finding they are.
    func unlistedOutcome(_ rule: Rule, _ status: OutcomeStatus, severity: Severity, count: Int, zh: Bool) -> Outcome {
        let message =
            zh
            ? "规则 \(rule.id) 另有 \(count) 个 \(status.rawValue) 结果未列出:每条规则对一份通报最多列出 \(outcomeLimit) 个结果"
            : "\(count) more \(status.rawValue) outcome\(count == 1 ? "" : "s") of rule \(rule.id) "
                + "\(count == 1 ? "is" : "are") not listed: a rule lists at most \(outcomeLimit) outcomes per bulletin"
        return Outcome(
            ruleID: rule.id, title: rule.title, kind: rule.kind.rawValue, severity: severity, status: status,
            message: message, section: [],
            values: [NamedValue("unlisted", "\(count)"), NamedValue("limit", "\(outcomeLimit)")],
            evidence: [], basis: rule.basis, references: rule.references)
    }

    /// `pattern '(?:a|a)+\d' of rule contact-block gave up after 200 ms on 100000 characters: the bulletin
    /// cannot be checked against it`.
    /// In Chinese (`zh`): `规则 contact-block 的模式 '(?:a|a)+\d' 在 100000 个字符上运行 200 毫秒后放弃:无法据此检查本通报`.
    func patternTimeoutOutcome(_ rule: Rule, _ t: PatternTimeout, of place: String? = nil, zh: Bool = false)
        -> Outcome
    {
        let message: String
        if zh {
            let whose = "规则 \(rule.id)" + (place == nil ? "" : "(所在规则集的 applies_to)")
            let what =
                t.patterns.count == 1
                ? "模式 '\(t.patterns[0])'" : "模式 " + t.patterns.map { "'\($0)'" }.joined(separator: "、") + " 之一"
            message = "\(whose) 的\(what) 在 \(t.characters) 个字符上运行 \(t.milliseconds) 毫秒后放弃:无法据此检查本通报"
        } else {
            let whose = "of rule \(rule.id)" + (place.map { " (\($0))" } ?? "")
            message =
                "\(t.patternText) \(whose) gave up after \(t.milliseconds) ms on \(t.characters) characters: "
                + "the bulletin cannot be checked against it"
        }
        return Outcome(
            ruleID: rule.id, title: rule.title, kind: rule.kind.rawValue, severity: .error, status: .error,
            message: message, section: [],
            values: [
                NamedValue("pattern", t.patterns.joined(separator: " | ")), NamedValue("limit", "\(t.milliseconds) ms"),
                NamedValue("characters", "\(t.characters)"),
            ],
            evidence: [], basis: rule.basis, references: rule.references)
    }

    func instances(_ rule: Rule, _ ctx: Context) -> [Instance]? {
        let doc = ctx.document
        switch rule.scope {
        case .document:
            return [Instance(path: [], range: 0..<doc.count, section: nil)]
        case .eachSection:
            return doc.sections.filter { $0.level == 1 }.map { Instance(path: $0.path, range: $0.body, section: $0) }
        case .eachItem:
            return doc.sections.flatMap { s in
                s.items.map { Instance(path: s.path + [$0.numeral], range: $0.body, section: s) }
            }
        case .section(let m):
            let found = doc.sections.filter { ctx.matches(m, $0.name) }
            return found.isEmpty ? nil : found.map { Instance(path: $0.path, range: $0.body, section: $0) }
        }
    }

    func evaluate(_ rule: Rule, _ ctx: Context) -> [Outcome] {
        guard let instances = instances(rule, ctx) else {
            let scopeName: String
            if case .section(let m) = rule.scope { scopeName = m.description } else { scopeName = "" }
            return [
                outcome(
                    rule, ctx, .missing, path: [], values: [NamedValue("section", scopeName)],
                    evidence: [], defaultMessage: ctx.say("section \(scopeName) not found", zh: "未找到章节 \(scopeName)"))
            ]
        }
        if instances.isEmpty {
            // Never silent: a rule with nowhere to look says so.
            let items = rule.scope == .eachItem
            let what = items ? "numbered items (一是…, 1., (一))" : "sections"
            return [
                outcome(
                    rule, ctx, .missing, path: [], values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "the document has no \(what), so the rule has no scope to check",
                        zh: "文件中没有\(items ? "编号事项(一是…、1.、(一))" : "章节"),本规则无可检查的范围"))
            ]
        }
        var out = [Outcome]()
        for inst in instances {
            // What the kinds may still list (`OutcomeCap.room`) counts the outcomes of earlier instances.
            ctx.cap.listed = out.count
            out += evaluate(rule, ctx, inst)
        }
        if out.isEmpty {
            return [
                outcome(
                    rule, ctx, .missing, path: [], values: [], evidence: [],
                    defaultMessage: ctx.say(
                        "the rule found nothing to check in the document", zh: "本规则在文件中未找到可检查的内容"))
            ]
        }
        return out
    }

    /// One rule on one scope instance: its kind's evaluation (Kinds/), or `not_applicable` where its `when:`
    /// does not hold.
    func evaluate(_ rule: Rule, _ ctx: Context, _ inst: Instance) -> [Outcome] {
        if let when = rule.when, !holds(when, ctx, inst) {
            return [
                outcome(
                    rule, ctx, .notApplicable, path: inst.path, values: [NamedValue("when", when.description)],
                    evidence: [],
                    defaultMessage: ctx.say(
                        "not checked: in \(ctx.place(inst)) the condition does not hold: \(when.description)",
                        zh: "未检查:\(ctx.place(inst))不满足适用条件:\(when.chinese)"))
            ]
        }
        if let name = rule.targetChoice, let options = ctx.set.targets[name]?.options {
            guard let chosen = options.first(where: { o in o.when.map { holds($0, ctx, inst) } ?? true }) else {
                let tried = options.compactMap { $0.when?.description }.joined(separator: "; ")
                let triedZh = options.compactMap { $0.when?.chinese }.joined(separator: ";")
                return [
                    outcome(
                        rule, ctx, .missing, path: inst.path, values: [NamedValue("target", "$" + name)],
                        evidence: [],
                        defaultMessage: ctx.say(
                            "no value of target $\(name) applies here (none of: \(tried)), so the rule is not checked",
                            zh: "目标 $\(name) 没有适用于此处的取值(均不满足:\(triedZh)),未检查"))
                ]
            }
            // The kinds read `$name` from the set's targets: the chosen value stands in for this instance.
            var c = ctx
            c.set.targets[name] = chosen.target
            return rule.check.evaluate(rule, self, c, inst)
        }
        return rule.check.evaluate(rule, self, ctx, inst)
    }

    // MARK: helpers

    /// The severity an outcome of `rule` with `status` is reported with.
    static func severity(_ rule: Rule, _ status: OutcomeStatus) -> Severity {
        switch status {
        case .missing: return rule.onMissing
        case .error: return .error
        case .notApplicable: return .info
        default: return rule.severity
        }
    }

    func outcome(
        _ rule: Rule, _ ctx: Context, _ status: OutcomeStatus, path: [String], values: [NamedValue],
        evidence: [Evidence], defaultMessage: String
    ) -> Outcome {
        let severity = Self.severity(rule, status)
        let message: String
        // The rule's template for the status when every value it names is known for this outcome; else the
        // built-in message. An error keeps its built-in message (it says why the rule could not be checked).
        if let template = status == .error ? nil : rule.messagesByStatus[status] ?? rule.message {
            // Few names and few values: look each up in place rather than building a dictionary per outcome.
            func value(_ name: String) -> String? {
                switch name {
                case "section": return path.isEmpty ? "document" : path.joined(separator: " › ")
                case "as_of": return ctx.extraction.dates.asOf ?? "unknown"
                case "published": return ctx.extraction.dates.published ?? "unknown"
                case "status": return status.rawValue
                default: return values.first { $0.name == name }?.text
                }
            }
            message = Self.fill(template, value) ?? defaultMessage
        } else {
            message = defaultMessage
        }
        return Outcome(
            ruleID: rule.id, title: rule.title, kind: rule.kind.rawValue, severity: severity, status: status,
            message: message, section: path, values: values, evidence: evidence, basis: rule.basis,
            references: rule.references)
    }

    /// Whether the text between braces names a value ({section}, {found} …): letters, digits, `_`.
    static func isName(_ s: Substring) -> Bool {
        guard !s.isEmpty else { return false }
        // A dotted name (previous.done, in progress rules): each part a name.
        if s.contains(".") { return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isName) }
        // ASCII names (nearly all) without grapheme breaking; anything else by Character.
        if s.utf8.allSatisfy({ $0 < 0x80 }) {
            return s.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F
            }
        }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Replaces every {name} with its value; nil when a name has no value (the caller then uses its
    /// built-in message). Braces around anything that is not a name stay as written. The braces are
    /// found in the UTF-8 (they are ASCII, so every hit is a scalar boundary).
    static func fill(_ template: String, _ value: (String) -> String?) -> String? {
        var out = ""
        let utf8 = template.utf8
        var rest = utf8.startIndex
        var from = rest
        while let open = utf8[from...].firstIndex(of: UInt8(ascii: "{")),
            let close = utf8[utf8.index(after: open)...].firstIndex(of: UInt8(ascii: "}"))
        {
            let name = template[utf8.index(after: open)..<close]
            guard isName(name) else {
                from = utf8.index(after: open)  // not a placeholder: the brace stays, look again after it
                continue
            }
            guard let v = value(String(name)) else { return nil }
            out += template[rest..<open]
            out += v
            rest = utf8.index(after: close)
            from = rest
        }
        out += template[rest...]
        return out
    }

    func evidence(_ fact: Fact, role: String, _ ctx: Context) -> Evidence {
        let sentence = ctx.document.quotedSentence(around: fact.span.range) ?? fact.text
        return Evidence(role: role, text: fact.text, sentence: sentence, section: fact.section, span: fact.span)
    }

    func evidence(range: Range<Int>, role: String, _ ctx: Context) -> Evidence {
        let doc = ctx.document
        let sentence = doc.quotedSentence(around: range) ?? doc.text(range)
        return Evidence(
            role: role, text: doc.text(range), sentence: sentence, section: doc.sectionPath(at: range.lowerBound),
            span: doc.span(range))
    }

    /// Facts in the instance matching the selector, in document order. `match` selectors yield
    /// facts made from their typed capture.
    func select(_ sel: Selector, _ ctx: Context, _ inst: Instance) -> [Fact] {
        let doc = ctx.document
        if let regex = sel.match {
            var found = [Fact]()
            for sentence in doc.sentences where inst.range.contains(sentence.range.lowerBound) {
                // Each sentence is matched on its own (^ and $ at its ends); capture offsets index the document.
                for m in ctx.matches(regex, in: sentence.range, names: [sel.capture ?? ""]) {
                    guard let range = m.captures[sel.capture ?? ""] else { continue }
                    let capText = doc.text(range)
                    if let f = Self.typedCapture(
                        capText, type: sel.captureType ?? .quantity, span: doc.span(range),
                        section: doc.sectionPath(at: range.lowerBound))
                    {
                        found.append(f)
                    }
                }
            }
            return found.filter { matchesFilters(sel, $0, ctx) }
        }
        // Facts come in document order: the instance's facts are one stretch, found by binary search, and
        // each is looked at in place (a buffer element is borrowed, not copied) until it is selected.
        return ctx.extraction.facts.withUnsafeBufferPointer { facts in
            let (lo, hi) = Self.factStretch(facts, from: inst.range.lowerBound, to: inst.range.upperBound, ctx)
            var found = [Fact]()
            for i in lo..<max(lo, hi)
            where inst.range.contains(facts[i].span.offset) && matchesFilters(sel, facts[i], ctx) {
                found.append(facts[i])
            }
            return found
        }
    }

    /// The first fact of `select(sel, ctx, inst)` that `accept` takes, without copying the others: most
    /// callers want one fact (a date to resolve, a total), and a selector such as "every date" made a copy of
    /// each selected fact, its strings retained one by one, for each date a rule resolved.
    func selectFirst(
        _ sel: Selector, _ ctx: Context, _ inst: Instance, where accept: (Fact) -> Bool = { _ in true }
    ) -> Fact? {
        if sel.hasMatch { return select(sel, ctx, inst).first(where: accept) }
        return ctx.extraction.facts.withUnsafeBufferPointer { facts in
            let (lo, hi) = Self.factStretch(facts, from: inst.range.lowerBound, to: inst.range.upperBound, ctx)
            for i in lo..<max(lo, hi)
            where inst.range.contains(facts[i].span.offset) && matchesFilters(sel, facts[i], ctx) && accept(facts[i]) {
                return facts[i]
            }
            return nil
        }
    }

    /// The index of the first fact whose offset is at or after `offset` (facts sorted by offset).
    /// The indices of the facts whose offsets lie in `from..<to`, by binary search when the facts are in
    /// document order (`Context.factsInOrder`), else all of them (the caller filters).
    static func factStretch(_ facts: UnsafeBufferPointer<Fact>, from: Int, to: Int, _ ctx: Context) -> (Int, Int) {
        ctx.factsInOrder ? (firstFact(facts, atOrAfter: from), firstFact(facts, atOrAfter: to)) : (0, facts.count)
    }

    static func firstFact(_ facts: UnsafeBufferPointer<Fact>, atOrAfter offset: Int) -> Int {
        facts.firstFact(atOrAfter: offset)
    }

    func matchesFilters(_ sel: Selector, _ f: borrowing Fact, _ ctx: Context) -> Bool {
        if !sel.hasMatch, !sel.kinds.isEmpty, !sel.kinds.contains(f.kind) { return false }
        if let l = sel.label, !(f.label.map { ctx.matches(l, $0, substring: true) } ?? false) { return false }
        if !sel.exactLabels.isEmpty {
            guard let l = f.label, sel.exactLabels.contains(String(String.UnicodeScalarView(ScalarText.foldWidth(l))))
            else { return false }
        }
        for n in sel.not where matchesFilters(n, f, ctx) { return false }
        if !sel.units.isEmpty {
            let unit = f.kind == .percent ? "%" : f.unit
            guard let u = unit, sel.units.contains(u) else { return false }
        }
        if let s = sel.section, !f.section.contains(where: { ctx.matches(s, $0) }) { return false }
        if let a = sel.approx, a != (f.approx != nil) { return false }
        if let o = sel.ocr, o != f.ocr { return false }
        if !sel.roles.isEmpty { guard let r = f.role, sel.roles.contains(r) else { return false } }
        if sel.inTally {
            guard let id = f.tally else { return false }
            if !sel.tallySubjects.isEmpty {
                guard let k = ctx.tallyIndex[id], sel.tallySubjects.contains(ctx.extraction.tallies[k].subject)
                else { return false }
            }
        }
        if !sel.sentence.isEmpty {
            guard let range = ctx.document.sentence(at: f.span.offset)?.range else { return false }
            if !sel.sentence.allSatisfy({ ctx.document.contains($0, in: range) }) { return false }
        }
        return true
    }

    static func typedCapture(_ text: String, type: FactKind, span: Span, section: [String]) -> Fact? {
        if type == .date {
            guard let d = DateText.parseISO(text) else { return nil }
            return Fact(kind: .date, text: text, value: .date(d), section: section, span: span)
        }
        guard let m = Measure.parse(text) else { return nil }
        switch type {
        case .percent:
            return Fact(kind: .percent, text: text, value: .number(m.value), unit: "%", section: section, span: span)
        case .money:
            return Fact(
                kind: .money, text: text, value: .number(m.baseValue), unit: m.unit, amount: m.value, section: section,
                span: span)
        default:
            return Fact(kind: type, text: text, value: .number(m.value), unit: m.unit, section: section, span: span)
        }
    }
}

/// What one rule may still list on one bulletin, and what it left unlisted (`Evaluator.capped`). A class, so
/// the copies of the evaluation context a kind is handed share it.
final class OutcomeCap {
    /// The most outcomes the rule lists (`Evaluator.outcomeLimit`).
    let limit: Int
    /// The outcomes of the rule's earlier scope instances (set before each instance is evaluated).
    var listed = 0
    /// The outcomes left unlisted, by status: how many, and the gravest severity among them.
    private(set) var unlisted = [OutcomeStatus: (count: Int, severity: Severity)]()

    init(limit: Int) { self.limit = limit }

    /// How many more outcomes the instance being evaluated may list.
    var room: Int { max(0, limit - listed) }

    /// Counts an outcome that is not listed.
    func leaveOut(_ status: OutcomeStatus, _ severity: Severity) {
        let was = unlisted[status]
        unlisted[status] = ((was?.count ?? 0) + 1, max(was?.severity ?? severity, severity))
    }
}
