import AssayTestSupport
import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Genre detection, `applies_to`, and the report of a set that does not apply.
@Suite struct ApplicabilityTests {
    /// Every corpus bulletin is of the genre its expectations are written for: the audit set's rules for an
    /// audit report (or, for en-/ex- files, an English tracker), the 巡视 set's otherwise.
    @Test(arguments: CorpusTests.expectFiles)
    func corpusGenre(_ expectFile: String) throws {
        let stem = String(expectFile.dropLast(".expect.yml".count))
        let bytes = try #require(
            FileManager.default.contents(atPath: CorpusTests.folder.appendingPathComponent(stem + ".txt").path))
        let doc = Document(name: stem + ".txt", decoded: try TextDecoder().decode([UInt8](bytes)))
        let expect = try String(contentsOf: CorpusTests.folder.appendingPathComponent(expectFile), encoding: .utf8)
        let expected = expect.components(separatedBy: "\nabsent:").first ?? expect
        let english = stem.hasPrefix("en-") || stem.hasPrefix("ex-")
        let want: Genre =
            english ? .recommendationTracker : expected.contains("rule: audit-") ? .auditRectification : .xunshiProgress
        #expect(Genre.detect(doc) == want)
    }

    @Test func genreFromTheHeadPastPortalMetadata() {
        #expect(
            Genre.detect(document("发布机构：某县审计局\n发布日期：2024-03-15\n中共某县林业局党组关于巡察整改进展情况的通报\n反馈问题12个。\n")) == .xunshiProgress
        )
        #expect(Genre.detect(document("关于2023年度县级预算执行审计查出问题整改情况的报告\n已整改到位37项。\n")) == .auditRectification)
        #expect(Genre.detect(document("某市统计局2024年工作总结\n全年完成调查任务12项。\n")) == .unknown)
    }

    static let sets = try! RuleLoader().load(paths: [repoRoot.appendingPathComponent("Rules").path])

    @Test func aSetForAnotherIssuerIsNotApplicableNotFailing() throws {
        let text = "某县统计局党组关于巡察整改进展情况的通报\n巡察反馈问题20个,已完成整改18个,正在整改2个。\n"
        let report = try Pipeline(ruleSets: Self.sets).check(bytes: Array(text.utf8), name: "t.txt").report
        #expect(
            report.ruleSets.map { "\($0.name): \($0.notApplicable ?? "applies")" } == [
                "audit-rectification: genre is xunshi-progress, the set is for audit-rectification, recommendation-tracker",
                "chongqing-sample: the title does not name /市生态环境局.*市城市管理局.*市审计局.*市政府外办/",
                "series-progress: 未保存历史(assay check 未指定 --state),无以往通报可比",
                "xunshi-progress: applies",
            ])
        #expect(!report.outcomes.contains { $0.ruleID == "departments-present" || $0.ruleID.hasPrefix("audit-") })
        #expect(report.outcomes.first { $0.ruleID == "status-counts-sum" }?.message == "18 + 2 = 20个; stated total 20个")
        let json = String(
            decoding: JSONRenderer().renderBytes(report, document: nil, ruleSets: Self.sets), as: UTF8.self)
        #expect(json.contains("\"not_applicable\": \"the title does not name /市生态环境局.*市城市管理局.*市审计局.*市政府外办/\""))
    }

    /// The sample's own set: not for another bulletin of the same portal, nor for the same departments elsewhere.
    @Test func theSampleSetAppliesToTheSampleOnly() throws {
        let set = try #require(Self.sets.first { $0.name == "chongqing-sample" })
        #expect(try set.appliesTo.reason(document: sampleDocument(), genre: .xunshiProgress) == nil)
        let samePortal = document("今(8)日,风正巴渝发布市交通局、市水利局的巡视整改进展情况。\n市交通局:整改\n")
        #expect(
            try set.appliesTo.reason(document: samePortal, genre: .xunshiProgress)
                == "the title does not name /市生态环境局.*市城市管理局.*市审计局.*市政府外办/")
        let elsewhere = document("某网发布市生态环境局、市城市管理局、市审计局、市政府外办的巡视整改进展情况。\n")
        #expect(try set.appliesTo.reason(document: elsewhere, genre: .xunshiProgress) == "the issuer is not 风正巴渝")
    }

    @Test func noApplicableSetIsAMissingOutcomeNotASilentPass() throws {
        let report = try Pipeline(ruleSets: Self.sets).check(
            bytes: Array("某市统计局2024年工作总结\n全年完成调查任务12项。\n".utf8), name: "t.txt"
        ).report
        #expect(report.outcomes.map(\.ruleID) == [Pipeline.noApplicableRules])
        #expect(report.outcomes[0].status == .missing && report.outcomes[0].severity == .warning)
        #expect(
            report.outcomes[0].message.hasPrefix(
                "no rule set applies to this document (genre unknown): audit-rectification: genre is unknown"))
    }

    @Test func appliesToConditionsAndErrors() throws {
        let set = try rules(
            """
            assay: 1
            ruleset: t
            applies_to: {title: /整改/, text: 反馈}
            rules:
              - id: r
                title: t
                kind: require
                phrases: [监督]
                applies_to: {genre: audit-rectification}
            """)
        #expect(try set.appliesTo.reason(document: document("整改通报\n反馈问题。"), genre: .unknown) == nil)
        #expect(
            try set.appliesTo.reason(document: document("工作通报\n反馈问题。"), genre: .unknown)
                == "the title does not name /整改/")
        #expect(
            try set.appliesTo.reason(document: document("整改通报\n问题。"), genre: .unknown) == "the text does not contain 反馈"
        )
        #expect(set.rules[0].appliesTo.genres == [.auditRectification])
        let unknown = MarkedText(
            "assay: 1\nruleset: t\napplies_to: {genre: ‸xunshi}\nrules:\n  - {id: r, title: t, kind: require, phrases: [a]}\n"
        )
        do {
            _ = try rules(unknown.text, file: "g.yml")
            Issue.record("an unknown genre must not load")
        } catch {
            #expect(
                error.description
                    == "\(unknown.at("g.yml")): error: unknown genre 'xunshi'; genres: xunshi-progress, audit-rectification, recommendation-tracker"
            )
        }
    }

    @Test func emptyRulePathsAreRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            _ = try RuleLoader().load(paths: [dir.path])
            Issue.record("an empty rules folder must not load")
        } catch {
            #expect(
                error.description
                    == "\(dir.path):1:1: error: no rules loaded: \(dir.path) holds no rule file (*.yml, *.yaml); a check with no rules would pass every bulletin"
            )
        }
    }
}
