import AssayExtraction
import AssayRules
import AssayTestSupport
import AssayValues
import Foundation
import Testing

@testable import AssayDaemon
@testable import AssayStore

/// Bulletins compared over time (issue 15): series of bulletins written for the tests
/// (Tests/AssayCoreTests/Fixtures/series, 8 issuers, MANIFEST.yml there says what each plants), checked
/// one after another through a store as the daemon and `assay check --state` do, with the bundled rules.
@Suite struct SeriesTests {
    static let folder = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/series")
    static let progressRules: Set<String> = [
        "total-unchanged", "done-not-falling", "rate-not-falling", "outstanding-not-rising", "promises-kept",
    ]

    /// What checking a series gave: each file's report, by file name.
    struct Run {
        var reports: [String: Report] = [:]

        /// The progress outcomes of a file as "rule status".
        func progress(_ file: String) -> [String] {
            (reports[file]?.outcomes ?? []).filter { SeriesTests.progressRules.contains($0.ruleID) }
                .map { "\($0.ruleID) \($0.status.rawValue)" }
        }

        /// The failing progress outcomes of every file, as "file rule".
        var failures: [String] {
            reports.keys.sorted().flatMap { file in
                reports[file]!.outcomes.filter { SeriesTests.progressRules.contains($0.ruleID) && $0.status == .fail }
                    .map { "\(file) \($0.ruleID)" }
            }
        }

        /// The message of a file's outcome of a rule (the first).
        func message(_ file: String, _ rule: String) -> String? {
            reports[file]?.outcomes.first { $0.ruleID == rule }?.message
        }
    }

    /// Checks the files of `issuer`'s folder in `order` (default: by name, which is by publication date),
    /// each recorded in one store before the next is checked.
    static func run(_ issuer: String, order: [String]? = nil, issuers: IssuerDirectory = IssuerDirectory()) throws
        -> Run
    {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("assay-series-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let store = try StateStore(folder: state.path)
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        var pipeline = Pipeline(ruleSets: sets)
        pipeline.history = store
        pipeline.issuers = issuers
        pipeline.language = .en
        let dir = folder.appendingPathComponent(issuer)
        let files =
            try order
            ?? FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".txt") }.sorted()
        var run = Run()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for file in files {
            let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent(file)))
            let result = try pipeline.check(bytes: bytes, name: file, now: now)
            try store.record(
                result: result, rulesHash: Report.ruleSetsHash(sets), reportStem: file, reportPaths: [], now: now)
            run.reports[file] = result.report
        }
        return run
    }

    @Test func aConsistentSeriesGivesNoFailure() throws {
        let run = try Self.run("linshui-agri")
        #expect(run.failures == [])
        #expect(run.reports["2024-01-12.txt"]?.document.issuer?.name == "临水县农业农村局")
        #expect(run.reports["2024-01-12.txt"]?.document.issuer?.written == "中共临水县农业农村局党组")
        #expect(run.reports["2024-01-12.txt"]?.document.issuer?.source == "title")
        #expect(run.reports["2024-01-12.txt"]?.document.issuer?.feedback == "2023-11-20")
        // The first bulletin has nothing to compare with.
        #expect(
            run.progress("2024-01-12.txt") == [
                "total-unchanged not_applicable", "done-not-falling not_applicable", "rate-not-falling not_applicable",
                "outstanding-not-rising not_applicable", "promises-kept not_applicable",
            ])
        #expect(
            run.progress("2024-03-15.txt") == [
                "total-unchanged pass", "done-not-falling pass", "rate-not-falling pass", "outstanding-not-rising pass",
                "promises-kept not_applicable",
            ])
        #expect(run.reports["2024-03-15.txt"]?.document.previous?.name == "2024-01-12.txt")
        // 7个力争2024年3月底前完成 is a deadline for some items, not the rest: never a failure.
        #expect(run.progress("2024-05-17.txt").contains("promises-kept missing"))
        #expect(
            run.message("2024-03-15.txt", "done-not-falling")
                == "problems @ 一、总体进展: done count 21个, 12个 in 2024-01-12.txt (line 8, published 2024-01-12); change +9")
    }

    @Test func aFallingDoneCountIsFlaggedCitingBothBulletins() throws {
        let run = try Self.run("tonggang-zhujian")
        #expect(
            run.failures == [
                "2024-07-05.txt done-not-falling", "2024-07-05.txt rate-not-falling",
                "2024-07-05.txt outstanding-not-rising",
            ])
        #expect(
            run.message("2024-07-05.txt", "done-not-falling")
                == "problems: done count fell to 26项 (line 7) from 29项 in 2024-04-12.txt (line 7, published 2024-04-12)"
        )
        let done = run.reports["2024-07-05.txt"]!.outcomes.first { $0.ruleID == "done-not-falling" }!
        #expect(done.severity == .error)
        #expect(done.evidence.map(\.text) == ["26项"])
        #expect(done.values.first { $0.name == "change" }?.text == "-3")
        // The issuer is named without 中共 and 党组, the same in every bulletin of the series.
        #expect(Set(run.reports.values.compactMap { $0.document.issuer?.name }) == ["桐岗市住房和城乡建设局"])
        #expect(run.reports["2024-07-05.txt"]?.document.issuer?.series == "第3轮巡察")
    }

    @Test func aChangedTotalWithoutAReasonIsFlaggedAndOneWithAReasonIsNot() throws {
        let run = try Self.run("yanting-shuili")
        #expect(run.failures == ["2024-07-12.txt total-unchanged"])
        #expect(
            run.message("2024-07-12.txt", "total-unchanged")
                == "problems: total changed to 40个 (line 7) from 42个 in 2024-05-10.txt (line 5, published 2024-05-10) without a stated reason (new problems)"
        )
        let later = run.reports["2024-09-13.txt"]!.outcomes.first { $0.ruleID == "total-unchanged" }!
        #expect(later.status == .pass)
        #expect(later.message.contains("the bulletin states why"))
        #expect(later.values.first { $0.name == "change" }?.text == "+3")
    }

    @Test func aPromiseNotKeptIsFlaggedWithTheBulletinThatMadeIt() throws {
        let run = try Self.run("fengzhu-scjg")
        #expect(run.failures == ["2024-07-05.txt promises-kept"])
        let message = try #require(run.message("2024-07-05.txt", "promises-kept"))
        #expect(message.hasPrefix("2024-04-19.txt (line 14) promised 于2024年5月31日前: "))
        #expect(message.hasSuffix("; the date has passed (as of 2024-06-30) and 3 are still outstanding"))
        // Kept by the end: nothing outstanding.
        #expect(run.progress("2025-01-10.txt").contains("promises-kept pass"))
    }

    @Test func aRateThatFallsWhileCountsRiseIsFlagged() throws {
        let run = try Self.run("binpu-jiaotong")
        #expect(run.failures == ["2024-06-28.txt rate-not-falling"])
        #expect(
            run.message("2024-06-28.txt", "rate-not-falling")
                == "problems: rate fell to 72.22% (line 8) from 80% in 2024-04-26.txt (line 8, published 2024-04-26)"
        )
        // The total grew with new problems stated: not a failure, and the reason is quoted.
        let total = run.reports["2024-06-28.txt"]!.outcomes.first { $0.ruleID == "total-unchanged" }!
        #expect(total.status == .pass)
        #expect(total.values.first { $0.name == "reason" } != nil)
    }

    @Test func aliasesJoinTwoNamesOfOneUnit() throws {
        let without = try Self.run("chengchuan-sthj")
        #expect(Set(without.reports.values.compactMap { $0.document.issuer?.name }).count == 2)
        let issuers = try IssuerDirectory(yaml: "澄川县生态环境局: [澄川县环境局]\n")
        let run = try Self.run("chengchuan-sthj", issuers: issuers)
        #expect(Set(run.reports.values.compactMap { $0.document.issuer?.name }) == ["澄川县生态环境局"])
        let files = run.reports.keys.sorted()
        for (earlier, later) in zip(files, files.dropFirst()) {
            #expect(run.reports[later]?.document.previous?.name == earlier, "\(later)")
        }
        #expect(run.failures == [])
    }

    @Test func aLateOlderBulletinTakesItsPlaceByPublicationDate() throws {
        let order = ["2024-03-01.txt", "2024-07-08.txt", "2024-09-09.txt", "2024-05-06.txt"]
        let run = try Self.run("lanjiang-linye", order: order)
        #expect(run.reports["2024-05-06.txt"]?.document.previous?.name == "2024-03-01.txt")
        #expect(run.reports["2024-09-09.txt"]?.document.previous?.name == "2024-07-08.txt")
        #expect(run.reports["2024-07-08.txt"]?.document.previous?.name == "2024-03-01.txt")
        #expect(run.failures == [])
        // 第六轮巡视 and 第六轮常规巡视 are one round; the bulletins that name only the inspection group
        // (第四巡视组) follow them by the feedback date they share.
        #expect(run.reports["2024-03-01.txt"]?.document.issuer?.series == "第6轮巡视")
        #expect(run.reports["2024-05-06.txt"]?.document.issuer?.series == "第6轮巡视")
        #expect(run.reports["2024-07-08.txt"]?.document.issuer?.series == "第4巡视组")
        #expect(run.reports["2024-07-08.txt"]?.document.issuer?.feedback == "2024-01-23")
    }

    @Test func anEnglishTrackerIsASeriesToo() throws {
        let run = try Self.run("harbours-oig")
        #expect(run.failures == [])
        #expect(run.reports["2024-04-19.txt"]?.document.previous?.name == "2024-01-19.txt")
        #expect(run.progress("2024-04-19.txt").contains("done-not-falling pass"))
    }

    @Test func theIssuerIsReadFromTitleSignatureOrMetadata() throws {
        func issuer(_ text: String) -> Issuer? {
            let doc = Document(name: "b.txt", decoded: try! TextDecoder().decode(Array(text.utf8)))
            let e = FactExtractor().extract(doc)
            return e.issuer
        }
        #expect(issuer("中共临水县委巡察办关于巡察整改进展情况的通报\n已完成整改9个。\n")?.name == "临水县委巡察办")
        #expect(issuer("中共临水县农业农村局党组关于巡察整改进展情况的通报\n已完成整改9个。\n")?.name == "临水县农业农村局")
        #expect(issuer("中共临水县委关于巡察整改进展情况的通报\n已完成整改9个。\n")?.name == "临水县委")
        #expect(issuer("中共临水县委员会关于巡察整改进展情况的通报\n已完成整改9个。\n")?.name == "临水县委")
        #expect(issuer("中共临水大学委员会关于巡视整改进展情况的通报\n已完成整改9个。\n")?.name == "临水大学委员会")
        #expect(issuer("临水大学党委关于巡视整改进展情况的通报\n已完成整改9个。\n")?.name == "临水大学")
        let signed = issuer("巡察整改进展情况\n已完成整改9个。\n临水县水利局\n2024年3月15日\n")
        #expect(signed?.name == "临水县水利局")
        #expect(signed?.source == .signature)
        let twoLines = issuer("巡察整改进展情况\n已完成整改9个。\n特此通报。\n中共临水县委巡察工作\n领导小组办公室\n2024年3月15日\n")
        #expect(twoLines?.name == "临水县委巡察工作领导小组办公室")
        let meta = issuer("发布机构：临水县审计局\n发布日期：2024-03-15\n审计整改情况\n已完成整改9个。\n")
        #expect(meta?.name == "临水县审计局")
        #expect(meta?.source == .metadata)
        // Several units in the title: no single issuer.
        #expect(issuer("今日发布市生态环境局、市审计局的巡视整改进展情况。\n已完成整改9个。\n") == nil)
        // Rounds.
        #expect(issuer("某局关于十四届县委第三轮巡察整改情况的通报\n")?.series == "第3轮巡察")
        #expect(issuer("某局关于巡察整改情况的通报\n根据县委统一部署，十七届县委第六轮巡察第二巡察组对我局开展了常规巡察。\n")?.series == "第6轮巡察")
        #expect(issuer("某局关于2023年度预算执行审计查出问题整改情况的报告\n")?.series == "2023年度审计")
    }

    @Test func aBadIssuersFileSaysWhereAndWhy() {
        #expect(throws: ExtractionConfigurationError.self) { try IssuerDirectory(yaml: "- a\n- b\n") }
        do {
            _ = try IssuerDirectory(yaml: "甲局: [乙局]\n丙局: [乙局]\n", file: "issuers.yml")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description == "issuers.yml:2:5: error: '乙局' is already a name of '甲局'; an alias names one issuer"
            )
        }
    }

    /// The daemon's `issuers:` names a file of other names, read with the configuration; a missing or
    /// bad file is an error at its place.
    @Test func theDaemonConfigurationReadsTheIssuersFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-issuers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "澄川县生态环境局: [澄川县环境局]\n".write(
            to: dir.appendingPathComponent("issuers.yml"), atomically: true, encoding: .utf8)
        try "甲局: [乙局]\n丙局: [乙局]\n".write(to: dir.appendingPathComponent("bad.yml"), atomically: true, encoding: .utf8)
        let file = dir.appendingPathComponent("assay.yml").path
        let config = try DaemonConfig.parse(yaml: "issuers: issuers.yml\n", file: file)
        #expect(config.issuers.resolve("澄川县环境局") == "澄川县生态环境局")
        func errors(_ yaml: String) -> [String] {
            do { _ = try DaemonConfig.parse(yaml: yaml, file: file); return [] } catch {
                return error.errors.map(\.description)
            }
        }
        #expect(
            errors("issuers: nowhere.yml\n") == [
                "\(file):1:10: error: cannot read the issuers file \(dir.appendingPathComponent("nowhere.yml").path)"
            ])
        #expect(
            errors("issuers: bad.yml\n") == [
                "\(dir.appendingPathComponent("bad.yml").path):2:5: error: '乙局' is already a name of '甲局'; an alias names one issuer"
            ])
    }

    /// A store written before series were kept (schema v2) opens, keeps its documents and runs, and
    /// records series from then on.
    @Test func aStoreOfThePreviousVersionIsMigratedWithoutLosingData() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("assay-v2-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let old = String(repeating: "a", count: 64)
        try StateStore.writeEarlierVersion(
            folder: state.path, upTo: "v2: document name index", sha256: old, name: "old.txt")
        let store = try StateStore(folder: state.path)
        #expect(try store.status(sha256: old) == .done)
        #expect(try store.hasRun(sha256: old, rulesHash: "r"))
        #expect(try store.counts().documents == 1)
        #expect(try store.issuers() == [])
        // New checks take their place in their series.
        let sets = try RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])
        var pipeline = Pipeline(ruleSets: sets)
        pipeline.history = store
        let dir = Self.folder.appendingPathComponent("linshui-agri")
        for file in ["2024-01-12.txt", "2024-03-15.txt"] {
            let result = try pipeline.check(
                bytes: [UInt8](try Data(contentsOf: dir.appendingPathComponent(file))), name: file)
            try store.record(result: result, rulesHash: "r2", reportStem: file, reportPaths: [])
        }
        #expect(try store.issuers() == ["临水县农业农村局"])
        #expect(try store.series(issuer: "临水县农业农村局").map(\.name) == ["2024-01-12.txt", "2024-03-15.txt"])
        #expect(try store.counts().documents == 3)
    }
}

/// The daemon compares bulletins dropped one after another, and `assay history` shows the series it kept.
@Suite(.serialized) struct SeriesDaemonTests {
    @Test func theDaemonComparesBulletinsDroppedOneAfterAnotherAndHistoryShowsThem() throws {
        let h = try DaemonHarness()
        try h.start()
        _ = h.waitForMessage { $0.contains("READY=1") }
        let dir = SeriesTests.folder.appendingPathComponent("tonggang-zhujian")
        let files = ["2024-01-19.txt", "2024-04-12.txt", "2024-07-05.txt"]
        for (k, file) in files.enumerated() {
            h.drop(file, [UInt8](try Data(contentsOf: dir.appendingPathComponent(file))))
            #expect(h.wait(20) { h.reports().count == k + 1 }, "\(file)")
        }
        let report = try JSONValue.parse(
            String(contentsOfFile: h.outbox + "/2024-07-05.findings.json", encoding: .utf8))
        guard case .array(let outcomes)? = report["outcomes"] else {
            Issue.record("no outcomes")
            return
        }
        let done = outcomes.first { $0["rule"] == .string("done-not-falling") }
        #expect(done?["status"] == .string("fail"))
        #expect(report["document"]?["previous"]?["name"] == .string("2024-04-12.txt"))
        #expect(report["document"]?["issuer"]?["name"] == .string("桐岗市住房和城乡建设局"))
        _ = h.stop()

        let series = try runAssay(["history", "桐岗市住房和城乡建设局", "--state", h.state, "--format", "csv"])
        #expect(series.status == 0, "\(series.stderr)")
        #expect(
            series.stdout.split(separator: "\r\n").map(String.init) == [
                "published,as_of,bulletin,series,tally,total,done,partial,outstanding,rate,promises",
                "2024-01-19,2023-12-31,2024-01-19.txt,第3轮巡察,problems,36项,17项,19项,,47.22%,2024-09-30",
                "2024-04-12,2024-03-31,2024-04-12.txt,第3轮巡察,problems,36项,29项,7项,7项,80.56%,2024-09-30",
                "2024-07-05,2024-06-30,2024-07-05.txt,第3轮巡察,problems,36项,26项,10项,10项,72.22%,2024-09-30",
            ])
        // The issuer as written in the bulletins finds it too; an unknown one is an error naming the known.
        let written = try runAssay(["history", "中共桐岗市住房和城乡建设局党组", "--state", h.state])
        #expect(written.status == 0)
        #expect(written.stdout.contains("2024-07-05.txt"))
        let unknown = try runAssay(["history", "某局", "--state", h.state])
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "assay: error: no bulletin of 某局 in the store; issuers: 桐岗市住房和城乡建设局\n")
        // Forgetting a bulletin takes it out of its series.
        let forgot = try runAssay(["forget", "2024-04-12.txt", "--state", h.state])
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(forgot.stdout.hasPrefix("forgot 2024-04-12.txt ("))
        let after = try runAssay(["history", "桐岗市住房和城乡建设局", "--state", h.state, "--format", "csv"])
        #expect(
            after.stdout.split(separator: "\r\n").map { $0.split(separator: ",")[2] } == [
                "bulletin", "2024-01-19.txt", "2024-07-05.txt",
            ])
        let nothing = try runAssay(["forget", "nothing.txt", "--state", h.state])
        #expect(nothing.status == 2)
        #expect(nothing.stderr == "assay: error: no checked document is named nothing.txt\n")
        let all = try runAssay(["history", "--state", h.state, "--format", "json"])
        #expect(all.status == 0)
        let rows = try JSONValue.parse(all.stdout)
        #expect(
            rows
                == .array([
                    .object([
                        ("issuer", .string("桐岗市住房和城乡建设局")), ("bulletins", .string("2")),
                        ("published", .string("2024-07-05")), ("bulletin", .string("2024-07-05.txt")),
                        ("tally", .string("problems")), ("total", .string("36项")), ("done", .string("26项")),
                        ("outstanding", .string("10项")), ("rate", .string("72.22%")), ("overdue", .string("")),
                    ])
                ]))

        // `assay recheck` with other rules compares again: a pace rule over the three bulletins (the one
        // forgotten above is still in the inbox and takes its place again).
        let rules = URL(fileURLWithPath: h.root).appendingPathComponent("pace-rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try ProgressExpectTests.yaml.write(
            to: rules.appendingPathComponent("pace.yml"), atomically: true, encoding: .utf8)
        let recheck = try runAssay([
            "recheck", "--inbox", h.inbox, "--outbox", h.outbox, "--state", h.state, "--rules", rules.path,
        ])
        #expect(recheck.status == 0, "\(recheck.stderr)")
        #expect(recheck.stdout.hasSuffix("rechecked 3, already current 0, rejected 0, failed 0\n"))
        let again = try JSONValue.parse(String(contentsOfFile: h.outbox + "/2024-07-05.findings.json", encoding: .utf8))
        #expect(again["document"]?["previous"]?["name"] == .string("2024-04-12.txt"))
        guard case .array(let paced)? = again["outcomes"] else {
            Issue.record("no outcomes")
            return
        }
        #expect(paced.map { $0["rule"] } == [.string("pace")])
        #expect(paced.first?["status"] == .string("fail"))
    }

    /// `assay check --state DIR` compares as the daemon does, whatever order the files are given in: each
    /// takes its place by publication date before any is compared.
    @Test func checkWithStateComparesFilesGivenInAnyOrder() throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent(
            "assay-check-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let dir = SeriesTests.folder.appendingPathComponent("tonggang-zhujian")
        let files = ["2024-10-18.txt", "2024-07-05.txt", "2024-01-19.txt", "2024-04-12.txt"].map {
            dir.appendingPathComponent($0).path
        }
        let run = try runAssay(
            ["check", "--state", state.path, "--format", "json", "--output", state.path + "/out"] + files)
        #expect(run.status == 1, "\(run.stderr)")
        let report = try JSONValue.parse(
            String(contentsOfFile: state.path + "/out/2024-07-05.findings.json", encoding: .utf8))
        #expect(report["document"]?["previous"]?["name"] == .string("2024-04-12.txt"))
        guard case .array(let outcomes)? = report["outcomes"] else {
            Issue.record("no outcomes")
            return
        }
        #expect(outcomes.first { $0["rule"] == .string("done-not-falling") }?["status"] == .string("fail"))
        // The same files without --state: nothing to compare with, and the set says so.
        let plain = try runAssay(["check", "--language", "en", files[1]])
        #expect(plain.stdout.contains("series-progress (not applicable: no history is kept"))
    }
}

/// `expect` in a progress rule: a condition over this bulletin's figures and the previous one's
/// (`previous.done`), checked on a series; names outside the roles are refused at load with a hint.
@Suite struct ProgressExpectTests {
    static let yaml = """
        assay: 1
        ruleset: pace
        rules:
          - id: pace
            title: 每期至少新完成3个
            kind: progress
            severity: warning
            expect: "done - previous.done >= 3"
            message:
              fail: "done {done}, previously {previous.done}"
        """

    @Test func anExpectationOverBothBulletinsIsChecked() throws {
        let set = try RuleLoader().load(yaml: Self.yaml, file: "pace.yml")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("assay-pace-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        let store = try StateStore(folder: state.path)
        var pipeline = Pipeline(ruleSets: [set])
        pipeline.history = store
        pipeline.language = .en
        let dir = SeriesTests.folder.appendingPathComponent("tonggang-zhujian")
        var shown = [String]()
        for file in ["2024-01-19.txt", "2024-04-12.txt", "2024-07-05.txt"] {
            let result = try pipeline.check(
                bytes: [UInt8](try Data(contentsOf: dir.appendingPathComponent(file))), name: file)
            try store.record(result: result, rulesHash: "p", reportStem: file, reportPaths: [])
            shown += result.report.outcomes.map { "\(file) \($0.status.rawValue) \($0.message)" }
        }
        #expect(
            shown == [
                "2024-01-19.txt not_applicable the first bulletin of 桐岗市住房和城乡建设局 (第3轮巡察) on record: nothing earlier to compare with",
                "2024-04-12.txt pass problems: done - previous.done >= 3 holds (done 29项, previous.done 17项; previous 2024-01-19.txt)",
                "2024-07-05.txt fail done 26项, previously 29项",
            ])
    }

    @Test func unknownNamesAreRefusedWithAHint() {
        let bad = Self.yaml.replacingOccurrences(of: "previous.done >= 3", with: "previous.dne >= 3")
        do {
            _ = try RuleLoader().load(yaml: bad, file: "pace.yml")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "pace.yml:8:13: error: expect refers to 'previous.dne'; did you mean 'previous.done'?; names: total, done, partial, outstanding, deferred, rate, previous.total, previous.done, previous.partial, previous.outstanding, previous.deferred, previous.rate"
            )
        }
        let both = Self.yaml.replacingOccurrences(
            of: "    severity: warning\n", with: "    severity: warning\n    compare: done-not-falling\n")
        #expect(throws: RuleLoadFailure.self) { try RuleLoader().load(yaml: both, file: "pace.yml") }
    }
}

/// `assay watch --serve ADDR`: the daemon serves the review pages over its own store.
@Suite(.serialized) struct WatchServeTests {
    /// The body of a GET on loopback, or nil when nothing answers.
    static func get(_ url: String) -> (status: Int, body: String)? {
        let run = try? runProcess(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", "-c",
                """
                import sys, urllib.request, urllib.error
                try:
                    r = urllib.request.urlopen(sys.argv[1], timeout=5); print(r.status); sys.stdout.write(r.read().decode())
                except urllib.error.HTTPError as e:
                    print(e.code)
                except Exception:
                    sys.exit(3)
                """, url,
            ])
        guard let run, run.status == 0, let nl = run.stdout.firstIndex(of: "\n"), let code = Int(run.stdout[..<nl])
        else { return nil }
        return (code, String(run.stdout[run.stdout.index(after: nl)...]))
    }

    /// Triages the first finding of the first bulletin through the pages, as a browser would: the inbox,
    /// the bulletin page's form and its token, the post. Prints the post's status and the bulletin's path.
    static let triageScript = """
        import re, sys, urllib.request, http.cookiejar, urllib.parse, html
        base = sys.argv[1]
        jar = http.cookiejar.CookieJar()
        web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        inbox = web.open(base + "/").read().decode()
        path = re.search(r'href="(/bulletin/[0-9a-f]{64})"', inbox).group(1)
        page = web.open(base + path).read().decode()
        form = re.search(r'<form class="triage" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
        fields = {k: html.unescape(v) for k, v in re.findall(r'<input type="hidden" name="(\\w+)" value="([^"]*)">', form.group(2))}
        fields.update(decision="waived", note="口径不同, 已说明", expires="2099-12-31")
        class Keep(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a): return None
        post = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), Keep())
        try:
            r = post.open(base + form.group(1), data=urllib.parse.urlencode(fields).encode()); print(r.status)
        except urllib.error.HTTPError as e:
            print(e.code)
        print(path)
        """

    @Test func aDecisionSurvivesARestartAndARecheckAndIsExportedAsAWaiver() throws {
        let h = try DaemonHarness()
        let port = Int.random(in: 20_000...40_000)
        let base = "http://127.0.0.1:\(port)"
        try h.start(["--serve", "127.0.0.1:\(port)"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let corpus = repoRoot.appendingPathComponent("Tests/AssayCoreTests/Fixtures/corpus")
        h.drop("au-05.txt", [UInt8](try Data(contentsOf: corpus.appendingPathComponent("au-05-city-rate-error.txt"))))
        #expect(h.wait(20) { h.reports().count == 1 })
        #expect(h.wait(10) { Self.get(base + "/")?.body.contains("au-05.txt") == true })
        let triage = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", Self.triageScript, base])
        let lines = triage.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "303", "\(triage.stdout)\(triage.stderr)")
        let bulletin = try #require(lines.last)
        _ = h.stop()

        // Checked again under other rules (the bundled ones and a set that applies to none of these), with
        // the daemon stopped, then the daemon started again: the same finding, the same decision.
        let extra = h.root + "/extra.yml"
        try Data(
            """
            assay: 1
            ruleset: extra-for-a-test
            version: "1.0"
            description: A set that applies to no bulletin of this test.
            applies_to:
              genre: [recommendation-tracker]
            rules:
              - id: extra-phrase
                title: a phrase
                kind: require
                phrases: [corrective action plan]

            """.utf8
        ).write(to: URL(fileURLWithPath: extra))
        let recheck = try runAssay([
            "recheck", "--inbox", h.inbox, "--outbox", h.outbox, "--state", h.state, "--rules",
            repoPath("Rules"), "--rules", extra,
        ])
        #expect(recheck.status == 0, "\(recheck.stdout)|\(recheck.stderr)")
        #expect(recheck.stdout.contains("au-05.txt: checked → error: 1 fail, 6 pass"), "\(recheck.stdout)")
        #expect(recheck.stdout.contains("rechecked 1, already current 0, rejected 0, failed 0"), "\(recheck.stdout)")
        try h.start(["--serve", "127.0.0.1:\(port)", "--rules", repoPath("Rules"), "--rules", extra])
        _ = h.waitForMessage { $0.contains("READY=1") }
        var page: (status: Int, body: String)?
        #expect(
            h.wait(10) {
                page = Self.get(base + bulletin)
                return page != nil
            })
        #expect(page?.body.contains("<p class=\"decision\">waived by ") == true)
        #expect(page?.body.contains(", until 2099-12-31: 口径不同, 已说明</p>") == true)
        let waivers = Self.get(base + "/export/waivers.yml")
        #expect(waivers?.body.contains("audit-rate-matches") == true, "\(waivers?.body ?? "")")
        #expect(waivers?.body.contains("au-05.txt") == true)
        #expect(waivers?.body.contains("2099-12-31") == true)
        _ = h.stop()
    }

    @Test func theDaemonServesTheReviewPagesOverItsStore() throws {
        let h = try DaemonHarness()
        let port = Int.random(in: 20_000...40_000)
        try h.start(["--serve", "127.0.0.1:\(port)"])
        _ = h.waitForMessage { $0.contains("READY=1") }
        let dir = SeriesTests.folder.appendingPathComponent("linshui-agri")
        h.drop("2024-01-12.txt", [UInt8](try Data(contentsOf: dir.appendingPathComponent("2024-01-12.txt"))))
        #expect(h.wait(20) { h.reports().count == 1 })
        var page: (status: Int, body: String)?
        #expect(
            h.wait(10) {
                page = Self.get("http://127.0.0.1:\(port)/")
                return page?.body.contains("2024-01-12.txt") == true
            })
        #expect(page?.status == 200)
        #expect(page?.body.contains("临水县农业农村局") == true)
        _ = h.stop()
        // Only loopback.
        let refused = try runAssay(["watch", "--serve", "0.0.0.0:8080", "--inbox", h.inbox])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--serve 0.0.0.0:8080 would show the store to the network without a login"))
    }
}
