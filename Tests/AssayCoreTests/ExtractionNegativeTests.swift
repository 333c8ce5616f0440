import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Numerals that are not figures: slogans, ordinals, markers, identifiers, words.
@Suite struct ExtractionNegativeTests {
    @Test func builtInFixedPhrasesAreNotFacts() {
        #expect(ExtractionProbe.facts("严守中央八项规定精神,用好四种形态,落实三重一大制度。").isEmpty)
    }

    @Test func extraFixedPhrasesFromConfiguration() throws {
        let text = "推行五个一工作法,新建驿站6个。"
        #expect(ExtractionProbe.texts(text) == ["五个", "6个"])
        let configuration = try ExtractionConfiguration(yaml: "fixed_phrases:\n  - 五个一工作法\n")
        #expect(ExtractionProbe.facts(text, configuration: configuration).map(\.text) == ["6个"])
    }

    @Test func numeralAndClassifierInsideAShortQuotationIsASlogan() {
        // not in the built-in list: the quotation marks make it a slogan
        #expect(ExtractionProbe.facts("牢记“三个务实”要求,推行“五项清单”。").isEmpty)
        // a long quotation is ordinary text
        #expect(ExtractionProbe.texts("他说:“今年要新建学校三所、医院两家,让群众满意。”") == ["今年", "三所", "两家"])
    }

    @Test func ordinalsAfterDiAreNotFacts() {
        #expect(ExtractionProbe.facts("第十二次会议和第3次全会,第一届论坛。").isEmpty)
    }

    @Test func listMarkersAreNotFacts() {
        #expect(ExtractionProbe.facts("一是加强领导。二、完善制度\n(三)强化监督\n1. 压实责任\n(2)跟踪问效").isEmpty)
    }

    @Test func phoneNumbersPostcodesAndHotlinesAreNotFacts() {
        #expect(ExtractionProbe.facts("联系电话:0831-5123456,邮政编码:644000,热线12345,手机13800138000。").isEmpty)
    }

    @Test func numeralsInsideWordsAreNotFacts() {
        #expect(ExtractionProbe.facts("四川省统一部署一揽子政策,一系列措施,一氧化碳监测,唯一一个窗口。").isEmpty)
    }

    @Test func loneErBeforeAClassifierIsATermNotACount() {
        #expect(ExtractionProbe.texts("二次供水改造和二级单位,共两次检查。") == ["两次"])
    }

    @Test func numbersInsideCodesAreNames() {
        #expect(ExtractionProbe.facts("建设5G网络,推行“1+N”模式,治理PM2.5污染。").isEmpty)
    }

    @Test func yearLikeNumbersWithoutYearAreNotCounts() {
        #expect(ExtractionProbe.facts("举办2024川渝论坛。").isEmpty)
    }
}

/// Rules of thumb added for identifiers, grades and fixed terms.
@Suite struct ExtractionIdentifierTests {
    @Test func emailWebAndDocumentNumbersAreNotFacts() {
        #expect(ExtractionProbe.facts("邮箱jw@126.com,网址www.12388.gov.cn,依据某委发〔2019〕8号文件,地址某街7号。").isEmpty)
    }

    @Test func aSchoolGradeIsNotADuration() {
        #expect(ExtractionProbe.texts("资助四年级学生,用时两年。") == ["两年"])
    }

    @Test func seasonsCount() {
        let f = ExtractionProbe.facts("前2季度完成投资计划。")
        #expect(f.count == 1 && f[0].unit == "季度" && f[0].value == .number(2))
    }

    @Test func monthRangeWithZhiTakesTheYearOfContext() {
        let f = ExtractionProbe.facts("2023年工作回顾:3至8月,新建公园4个。")
        #expect(f.first { $0.kind == .dateRange }?.value == .range(start: "2023-03", end: "2023-08"))
    }

    @Test func englishDayFirstDatesAndCountsOfThings() {
        let f = ExtractionProbe.facts("As of 31 March 2024, 18 of 25 actions were complete.")
        #expect(f.map(\.kind) == [.asOf, .number, .number])
        #expect(f[0].value == .date("2024-03-31"))
        #expect(f[1].label == "actions")
    }

    @Test func englishAddressesAndPhoneNumbersAreNotFacts() {
        #expect(ExtractionProbe.facts("Write to 250 Elm Avenue, Suite 14, or call (415) 555-0199.").isEmpty)
    }

    @Test func englishCountFollowedByOfTakesTheNounAfter() {
        let f = ExtractionProbe.facts("The board closed 7 of the 9 open findings.")
        #expect(f.map(\.label) == ["open findings", "open findings"])
    }

    @Test func clockTimesAreNotFacts() {
        #expect(ExtractionProbe.texts("截至2023年6月30日24时,值班8小时。") == ["截至2023年6月30日", "8小时"])
    }

    @Test func aQuarterNameIsNotACountOfQuarters() {
        #expect(ExtractionProbe.texts("三季度召开会议,前三季度完成任务。") == ["三季度"])
        #expect(ExtractionProbe.fact("三季度召开会议,前三季度完成任务。", "三季度")?.span.offset == 9)
    }

    @Test func yiBeforeAMagnitudeIsACount() {
        let f = ExtractionProbe.facts("惠及群众一万人。")
        #expect(f.count == 1 && f[0].value == .number(10000) && f[0].text == "一万人")
    }

    @Test func durationLabelSkipsLai() {
        #expect(ExtractionProbe.fact("二十余年来坚持义诊。", "二十余年")?.label == "坚持义诊")
    }
}
