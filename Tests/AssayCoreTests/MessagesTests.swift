import AssayTestSupport
import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRules
@testable import AssayValues

/// A rule's `message:` (Messages.swift): one template or one per status, its placeholders checked when
/// the file loads, and the built-in message where a placeholder has no value.
@Suite struct MessagesTests {
    let threshold =
        "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: percent, label: 整改率}\n"
        + "    op: \">=\"\n    target: 80%\n"

    @Test func aPlaceholderTypoIsALoadErrorWithItsPlaceAndASuggestion() {
        #expect(
            loadErrors(threshold + "    message: \"整改率 {actul}, 目标 {target}\"\n")
                == [
                    "t.yml:10:14: error: message: unknown placeholder '{actul}'; did you mean '{actual}'? "
                        + "(a threshold rule's messages can name {actual}, {as_of}, {currencies}, {difference}, "
                        + "{published}, {section}, {status}, {target}, {when})"
                ])
    }

    @Test func aPlaceholderTypoInAPerStatusTemplateIsALoadErrorAtThatTemplate() {
        #expect(
            loadErrors(threshold + "    message:\n      pass: \"{actual} ok\"\n      missing: \"{targte} 未找到\"\n")
                == [
                    "t.yml:12:16: error: message.missing: unknown placeholder '{targte}'; did you mean '{target}'? "
                        + "(a threshold rule's messages can name {actual}, {as_of}, {currencies}, {difference}, "
                        + "{published}, {section}, {status}, {target}, {when})"
                ])
        #expect(
            loadErrors(threshold + "    message: {passed: \"{actual}\"}\n")
                == [
                    "t.yml:10:15: error: unknown key 'passed' in message; did you mean 'pass'?"
                ])
    }

    @Test func aKindsOwnNamesAndAnExpressionsFactsAreValidPlaceholders() {
        #expect(
            loadErrors(
                "  - id: e\n    title: t\n    kind: consistency\n    check: expression\n"
                    + "    facts: {found: {kind: money}}\n    expect: \"found >= 0\"\n"
                    + "    message: \"{found}: {expect}\"\n") == [])
        #expect(
            loadErrors("  - id: p\n    title: t\n    kind: require\n    phrases: [联系电话]\n    message: \"{actual}\"\n")
                == [
                    "t.yml:8:14: error: message: unknown placeholder '{actual}' (a require rule's messages can name "
                        + "{as_of}, {expected}, {found}, {published}, {section}, {status}, {when})"
                ])
    }

    @Test func eachStatusGetsItsOwnTemplate() throws {
        let set = try one(
            threshold
                + "    message:\n      pass: \"{section}: 整改率 {actual} 达到目标\"\n"
                + "      fail: \"整改率 {actual} 低于目标 {target}(相差 {difference})\"\n"
                + "      missing: \"未找到整改率(目标 {target})\"\n")
        let pass = document("整改率达85%。")
        #expect(
            evaluate(set, pass, [fact(pass, "85%", .percent, .number(85), unit: "%", label: "整改率")]).map(\.message)
                == ["document: 整改率 85% 达到目标"])
        let fail = document("整改率达79%。")
        #expect(
            evaluate(set, fail, [fact(fail, "79%", .percent, .number(79), unit: "%", label: "整改率")]).map(\.message)
                == ["整改率 79% 低于目标 >= 80%(相差 -1 个百分点)"])
        #expect(evaluate(set, document("无数字。"), []).map(\.message) == ["未找到整改率(目标 80%)"])
    }

    @Test func oneTemplateServesEveryStatusAndFallsBackWhereAValueIsAbsent() throws {
        let set = try one(threshold + "    message: \"{status}: {actual} / {target}\"\n")
        let fail = document("整改率达79%。")
        #expect(
            evaluate(set, fail, [fact(fail, "79%", .percent, .number(79), unit: "%", label: "整改率")]).map(\.message)
                == ["fail: 79% / >= 80%"])
        // A missing outcome has no {actual}: the built-in message.
        #expect(
            evaluate(set, document("无数字。"), []).map(\.message)
                == ["no figure matching the rule's selector was found in the document; target >= 80%"])
        // {status} and {target} alone are filled for a missing outcome too.
        let missing = try one(threshold + "    message: \"{status}: {target}\"\n")
        #expect(evaluate(missing, document("无数字。"), []).map(\.message) == ["missing: 80%"])
    }

    @Test func aNotApplicableOutcomeTakesItsTemplate() throws {
        let set = try one(
            "  - id: p\n    title: t\n    kind: require\n    phrases: [原因]\n    when: {phrases: [未整改]}\n"
                + "    message: {not_applicable: \"{section} 无未整改问题,不检查({when})\"}\n")
        #expect(evaluate(set, document("已全部整改。"), []).map(\.message) == ["document 无未整改问题,不检查(phrase 未整改)"])
    }
}

/// Built-in messages in Chinese and English (`language: zh | en | auto`, `Evaluator(language:)`).
@Suite struct MessageLanguageTests {
    /// The outcomes of `set` on `doc` with built-in messages in `language` (nil: the set's own).
    func check(
        _ set: RuleSet, _ doc: Document, _ facts: [Fact], dates: DocumentDates = DocumentDates(),
        language: MessageLanguage? = .zh
    ) -> [Outcome] {
        Evaluator(today: "2026-11-27", language: language).evaluate(
            [set], document: doc, extraction: Extraction(facts: facts, dates: dates))
    }

    let threshold =
        "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: percent, label: 整改率}\n"
        + "    op: \">=\"\n    target: 80%\n"

    @Test func theSetsLanguageKeyAndAutoChooseTheLanguage() throws {
        func set(_ language: String) throws -> RuleSet {
            try rules("assay: 1\nruleset: t\nlanguage: \(language)\nrules:\n" + threshold)
        }
        let zhDoc = document("整改情况通报。无数字。")
        let enDoc = document("Progress on audit recommendations. No figures.")
        let zhMissing = "全文未找到本规则选取的数值(目标:不低于 80%)"
        let enMissing = "no figure matching the rule's selector was found in the document; target >= 80%"
        #expect(check(try set("zh"), enDoc, [], language: nil).map(\.message) == [zhMissing])
        #expect(check(try set("en"), zhDoc, [], language: nil).map(\.message) == [enMissing])
        #expect(check(try set("auto"), zhDoc, [], language: nil).map(\.message) == [zhMissing])
        #expect(check(try set("auto"), enDoc, [], language: nil).map(\.message) == [enMissing])
        // The evaluator's language (assay check --language) overrides the set's.
        #expect(check(try set("zh"), zhDoc, [], language: .en).map(\.message) == [enMissing])
        // No language anywhere: the bulletin's own (Evaluator.defaultLanguage is auto).
        #expect(check(try one(threshold), zhDoc, [], language: nil).map(\.message) == [zhMissing])
        #expect(check(try one(threshold), enDoc, [], language: nil).map(\.message) == [enMissing])
        do {
            _ = try rules("assay: 1\nruleset: t\nlanguage: eng\nrules:\n" + threshold, file: "t.yml")
            Issue.record("language: eng was accepted")
        } catch {
            #expect(
                error.errors.map(\.description) == [
                    "t.yml:3:11: error: language 'eng' is not one of zh, en, auto; did you mean 'en'?"
                ])
        }
    }

    @Test func requireAndForbidInChinese() throws {
        let set = try one(
            "  - id: req\n    title: t\n    kind: require\n    phrases: [联系电话]\n"
                + "  - id: fb\n    title: t\n    kind: forbid\n    phrases: [XXX, 待补充]\n")
        #expect(
            check(set, document("联系电话:023-63899999。"), []).map(\.message)
                == ["全文已有“联系电话”", "全文未出现以下任一内容:“XXX”、“待补充”"])
        #expect(
            check(set, document("完成XXX项,待补充。"), []).map(\.message)
                == ["全文未出现以下任一内容:“联系电话”", "全文出现了不应出现的“XXX”、“待补充”"])
    }

    @Test func sectionsInChinese() throws {
        let set = try one(
            "  - id: s\n    title: t\n    kind: sections\n    require: [市审计局, 市外办]\n    items: {min: 3}\n")
        let doc = document("一、市审计局\n一是整改。\n二是复查。\n三是通报。\n")
        #expect(
            check(set, doc, []).map(\.message)
                == ["一、市审计局 已列出,编号事项 3 个,顺序正确", "缺少应有的章节 市外办"])
        let few = document("一、市审计局\n一是整改。\n三是通报。\n二、市外办\n一是整改。\n")
        #expect(
            check(set, few, []).map(\.message)
                == ["一、市审计局 只有 2 个编号事项,少于 3 个;编号事项不连续(一是、三是)", "二、市外办 只有 1 个编号事项,少于 3 个"])
        let none = try one("  - id: s\n    title: t\n    kind: sections\n    items: {min: 1}\n")
        #expect(check(none, document("没有章节。"), []).map(\.message) == ["文件中没有章节,无法检查编号事项"])
    }

    @Test func thresholdInChineseAndEnglish() throws {
        let set = try one(threshold)
        let pass = document("整改率达85%。")
        let p = [fact(pass, "85%", .percent, .number(85), unit: "%", label: "整改率")]
        #expect(check(set, pass, p).map(\.message) == ["整改率 85% 达到目标(不低于 80%)"])
        #expect(check(set, pass, p, language: .en).map(\.message) == ["整改率 85% meets the target >= 80%"])
        let fail = document("整改率达79%。")
        let f = [fact(fail, "79%", .percent, .number(79), unit: "%", label: "整改率")]
        #expect(check(set, fail, f).map(\.message) == ["整改率 79% 低于目标 80%(相差 1 个百分点)"])
        #expect(
            check(set, fail, f, language: .en).map(\.message)
                == ["整改率 79% misses the target >= 80% (difference -1 个百分点)"])
        #expect(check(set, document("无数字。"), []).map(\.message) == ["全文未找到本规则选取的数值(目标:不低于 80%)"])
    }

    @Test func consistencyInChinese() throws {
        let sum = try one(
            "  - id: sum\n    title: t\n    kind: consistency\n    check: sum\n    total: {label: 问题}\n"
                + "    parts: [{label: 已整改}, {label: 未整改}]\n")
        let doc = document("发现问题20个,已整改18个,未整改3个。")
        let facts = [
            fact(doc, "20个", .quantity, .number(20), unit: "个", label: "问题"),
            fact(doc, "18个", .quantity, .number(18), unit: "个", label: "已整改"),
            fact(doc, "3个", .quantity, .number(3), unit: "个", label: "未整改"),
        ]
        #expect(check(sum, doc, facts).map(\.message) == ["18 + 3 = 21,与合计 20个 不一致"])
        #expect(check(sum, document("无数字。"), []).map(\.message) == ["全文未找到合计及其分项"])
        let expr = try one(
            "  - id: e\n    title: t\n    kind: consistency\n    check: expression\n"
                + "    facts: {found: {label: 问题}, done: {label: 已整改}}\n    expect: \"done <= found\"\n")
        #expect(check(expr, doc, facts).map(\.message) == ["done <= found 成立(found = 20个,done = 18个)"])
        #expect(check(expr, document("无数字。"), []).map(\.message) == ["未找到 found、done 的数值"])
    }

    @Test func deadlinesInChinese() throws {
        let (doc, set, facts, dates) = try DeadlineKindTests.fourChecks()
        let o = check(set, doc, facts, dates: dates)
        #expect(
            o.map(\.message) == [
                "写明了截至日期:截至2021年1月3日",
                "时限 于2020年6月底前(2020-06-30)在截至日期 2021-01-03 已超期 187 天,文中未报告完成",
                "日期先后顺序正确:反馈 2020-09-10 ≤ 截至日期 2021-01-03 ≤ 发布日期 2021-01-05",
                "报送 2021-01-20 超过反馈 2020-09-10 后2个月(期限 2020-11-10)",
            ])
        let empty = check(set, document("无日期。"), [])
        #expect(
            empty.map(\.message) == [
                "未找到截至日期(截至…):数据没有注明日期", "没有可与时限比较的日期(as_of)",
                "所列日期找到不足两个:反馈、as_of、published", "未找到反馈或报送日期",
            ])
    }

    @Test func evaluatorMessagesInChinese() throws {
        let scoped = try one(
            "  - id: r\n    title: t\n    kind: require\n    phrases: [a]\n    scope: {section: 市丙局}\n")
        #expect(check(scoped, document("一、市甲局\n内容。\n"), []).map(\.message) == ["未找到章节 市丙局"])
        let items = try one("  - id: r\n    title: t\n    kind: require\n    phrases: [a]\n    scope: each-item\n")
        #expect(
            check(items, document("没有编号。"), []).map(\.message)
                == ["文件中没有编号事项(一是…、1.、(一)),本规则无可检查的范围"])
        let when = try one(
            "  - id: r\n    title: t\n    kind: require\n    phrases: [原因]\n    when: {phrases: [未整改]}\n")
        #expect(check(when, document("已全部整改。"), []).map(\.message) == ["未检查:全文不满足适用条件:含短语 未整改"])
    }

    /// An approximate amount is named as the bulletin writes it, in its own unit and magnitude.
    @Test func anApproximateAmountIsShownAsWritten() throws {
        let set = try one(
            "  - id: e\n    title: t\n    kind: consistency\n    check: expression\n"
                + "    facts: {found: {kind: money}}\n    expect: \"found >= 0\"\n")
        let doc = document("涉及资金近2000万元。")
        let f = [fact(doc, "近2000万元", .money, .number(20_000_000), unit: "万元", approx: "近")]
        let o = check(set, doc, f, language: .en)
        #expect(
            o.map(\.message) == [
                "found >= 0: 'found' is approximate (近2000万元); it cannot take part in exact arithmetic"
            ])
        #expect(!o[0].message.contains("20000000"))
    }

    /// Money adds up in the total's own unit and magnitude: 300万元, not 3000000元.
    @Test func moneyIsShownInTheBulletinsUnit() throws {
        let set = try one(
            "  - id: sum\n    title: t\n    kind: consistency\n    check: sum\n    total: {kind: money, label: 查出}\n"
                + "    parts: [{kind: money, label: 已整改}, {kind: money, label: 未整改}]\n")
        let doc = document("查出问题金额350万元,已整改200万元,未整改100万元。")
        let facts = [
            fact(doc, "350万元", .money, .number(3_500_000), unit: "万元", label: "查出问题金额"),
            fact(doc, "200万元", .money, .number(2_000_000), unit: "万元", label: "已整改"),
            fact(doc, "100万元", .money, .number(1_000_000), unit: "万元", label: "未整改"),
        ]
        let en = check(set, doc, facts, language: .en)
        #expect(en.map(\.message) == ["200万元 + 100万元 = 300万元, but the total is 350万元"])
        #expect(
            en[0].values == [
                NamedValue("parts", "200万元 + 100万元"), NamedValue("sum", "300万元"), NamedValue("total", "350万元"),
                NamedValue("difference", "-50万元"),
            ])
        #expect(check(set, doc, facts).map(\.message) == ["200万元 + 100万元 = 300万元,与合计 350万元 不一致"])
    }

    /// A pattern that gives up is reported in Chinese too.
    @Test func aPatternThatGivesUpInChinese() throws {
        let set = try one("  - id: r\n    title: t\n    kind: require\n    patterns: [\"(?:a|a)+\\\\d\"]\n")
        let o = Evaluator(today: "2026-11-27", patternTimeLimit: .milliseconds(50), language: .zh).evaluate(
            [set], document: document(String(repeating: "a", count: 40)),
            extraction: Extraction(facts: [], dates: DocumentDates()))
        #expect(o.map(\.status) == [.error])
        #expect(o.map(\.message) == ["规则 r 的模式 '(?:a|a)+\\d' 在 40 个字符上运行 50 毫秒后放弃:无法据此检查本通报"])
    }

    /// A threshold that cannot compare names both units' families, in Chinese too.
    @Test func anIncomparableThresholdInChinese() throws {
        let set = try one(
            "  - id: r\n    title: t\n    kind: threshold\n    select: {kind: quantity}\n    op: \">=\"\n    target: 5%\n"
        )
        let doc = document("比上年度提高6个百分点。")
        let f = [fact(doc, "6个百分点", .quantity, .number(6), unit: "个百分点")]
        #expect(check(set, doc, f).map(\.message) == ["6个百分点(百分点)与 5%(百分比)无法比较"])
        #expect(
            check(set, doc, f, language: .en).map(\.message)
                == ["cannot compare 6个百分点 (percentage points) with 5% (a percent)"])
    }
}
