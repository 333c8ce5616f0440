import Foundation
import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Numbers, units, magnitudes and approximation markers, on sentences written for these tests.
@Suite struct ExtractionNumberTests {
    /// The scan steps over a scalar whose bit in `scanStarts` is clear. Such a scalar must start nothing: no
    /// digit, numeral, Latin letter, quotation mark or word of `special`, and no fixed phrase (an extra
    /// phrase from a configuration included). And a figure right after a run of scalars that start nothing
    /// is still found, in either kind of numeral.
    @Test func theScanStepsOnlyOverScalarsThatStartNothing() throws {
        let config = try ExtractionConfiguration(yaml: "[\"㐀三件套\"]")
        let bits = config.scanStarts
        func set(_ c: Unicode.Scalar) -> Bool {
            let v = Int(c.value & 0xFFFF)
            return bits[v >> 6] & (1 << UInt64(v & 63)) != 0
        }
        for v: UInt32 in 0...0xFFFF {
            guard let c = Unicode.Scalar(v), !set(c) else { continue }
            #expect(ScalarText.digit(c) == nil && !ChineseNumeral.isNumeralScalar(c) && !FactScanner.isLatin(c))
            #expect(!"“「截今明去上百于$€£".unicodeScalars.contains(c))
            #expect(config.fixedPhraseEnd([c], at: 0) == nil)
        }
        #expect(set("㐀") && set("整") == false && set("５") && set("廿") && set("Z"))
        let f = ExtractionProbe.facts("整改落实有关情况说明如下共计完成整改问题廿个，另有５个正在推进。")
        #expect(f.map(\.text) == ["廿个", "５个"])
    }

    @Test func arabicWithSeparatorsDecimalsAndFullWidthDigits() {
        let f = ExtractionProbe.facts("全年培训干部1,250人次,完成投资３２.５亿元。")
        #expect(f.count == 2)
        #expect(f[0].kind == .quantity && f[0].value == .number(1250) && f[0].unit == "人次" && f[0].text == "1,250人次")
        #expect(
            f[1].kind == .money && f[1].value == .number(Decimal("3250000000")) && f[1].amount == Decimal("32.5")
                && f[1].unit == "亿元")
    }

    @Test func chineseNumeralsNeedAClassifier() {
        let f = ExtractionProbe.facts("会议审议通过两项制度,表彰一百二十三名先进个人,开展七轮次督导。")
        #expect(f.map(\.text) == ["两项", "一百二十三名", "七轮次"])
        #expect(f.map(\.value) == [.number(2), .number(123), .number(7)])
        #expect(f.map(\.unit) == ["项", "名", "轮次"])
    }

    @Test func magnitudesAreExpanded() {
        let f = ExtractionProbe.facts("受益群众2万人,新增绿地1.4万平方米,补助资金8.25亿元,排查隐患54.9万个。")
        #expect(f.map(\.value) == [.number(20000), .number(14000), .number(825_000_000), .number(549000)])
        #expect(f.map(\.unit) == ["人", "平方米", "亿元", "个"])
        #expect(f[2].amount == Decimal("8.25"))
    }

    @Test func approximationMarkersAreKeptAndTheValueIsTheBound() {
        let f = ExtractionProbe.facts("走访企业300余家,发放资料5万多份,覆盖率超95%,合格率98%以上,历时近3年,约60人参加,耗资200万元左右。")
        #expect(f.map(\.text) == ["300余家", "5万多份", "超95%", "98%以上", "近3年", "约60人", "200万元左右"])
        #expect(f.map(\.approx) == ["余", "多", "超", "以上", "近", "约", "左右"])
        #expect(
            f.map(\.value) == [
                .number(300), .number(50000), .number(95), .number(98), .duration("P3Y"), .number(60),
                .number(2_000_000),
            ])
    }

    @Test func approximationNeedsAFreeMarker() {
        // 节约 and 最近 are words, not markers
        let f = ExtractionProbe.facts("节约经费12万元,最近5年新建学校3所。")
        #expect(f.map(\.approx) == [nil, nil, nil])
        #expect(f[0].text == "12万元")
    }

    @Test func percentagePointsAreQuantitiesNotPercents() {
        let f = ExtractionProbe.facts("办结率为91.5%,较去年提升4.2个百分点。")
        let percent = f.first { $0.text == "91.5%" }
        let points = f.first { $0.text == "4.2个百分点" }
        #expect(percent?.kind == .percent && percent?.value == .number(Decimal("91.5")) && percent?.unit == "%")
        #expect(points?.kind == .quantity && points?.unit == "个百分点" && points?.value == .number(Decimal("4.2")))
    }

    @Test func chinesePercentWords() {
        let f = ExtractionProbe.facts("群众满意度达到百分之九十五。")
        #expect(f.count == 1 && f[0].kind == .percent && f[0].value == .number(95) && f[0].text == "百分之九十五")
    }

    @Test func measureNounsAfterGeBelongToTheUnit() {
        let f = ExtractionProbe.facts("梳理出5个方面23个问题。")
        #expect(f.map(\.unit) == ["个方面", "个"])
    }

    @Test func numeralWithDaBeforeANounCountsUnlessItNamesACongress() {
        let f = ExtractionProbe.facts("健全四大机制,深入学习党的十九大精神。")
        #expect(f.count == 1 && f[0].text == "四大" && f[0].kind == .number && f[0].value == .number(4))
    }

    @Test func bareArabicNumbersAreNumbers() {
        let f = ExtractionProbe.facts("整改销号问题清单共列出事项37,均已办结。")
        #expect(f.count == 1 && f[0].kind == .number && f[0].value == .number(37) && f[0].unit == nil)
    }
}
