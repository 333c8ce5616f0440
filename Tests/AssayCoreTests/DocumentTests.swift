import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

@Suite struct DocumentTests {
    @Test func sampleHasFourDepartmentSections() {
        let doc = sampleDocument()
        let top = doc.sections.filter { $0.level == 1 }
        #expect(top.map(\.name) == ["市生态环境局", "市城市管理局", "市审计局", "市政府外办"])
        #expect(top.map(\.span.line) == [2, 8, 13, 20])
        #expect(top.map { $0.items.count } == [3, 3, 4, 4])
        #expect(top[2].title == "市审计局:双向发力 标本兼治 更好发挥审计监督“治已病、防未病”作用")
        #expect(top[0].items.map(\.span.line) == [5, 6, 7])
        #expect(top[3].items.map(\.marker) == ["一是", "二是", "三是", "四是"])
        #expect(top[3].items.map(\.ordinal) == [1, 2, 3, 4])
    }

    @Test func sectionPathsInsideItems() {
        let doc = sampleDocument()
        let offset = doc.text.unicodeScalars.distance(
            from: doc.text.unicodeScalars.startIndex,
            to: doc.text.range(of: "整改率达79%")!.lowerBound.samePosition(in: doc.text.unicodeScalars)!)
        #expect(doc.sectionPath(at: offset) == ["市审计局", "三"])
        #expect(doc.sectionPath(at: 0) == [])
        // The footer (原标题…) closes the last section.
        let footer = doc.lineStarts[26]
        #expect(doc.sectionPath(at: footer + 3) == [])
    }

    @Test func spansCountScalars() {
        let doc = document("甲乙\n丙丁戊𠀀己\n")
        let span = doc.span(6..<8)
        #expect(span == Span(line: 2, column: 4, offset: 6, length: 2))
        #expect(doc.text(6..<8) == "𠀀己")
    }

    @Test func numberedHeadingsAndItems() {
        let doc = document("一、总体情况\n(一)组织领导\n1.成立领导小组。\n2.制定方案。\n二、下一步打算\n")
        #expect(doc.sections.map(\.path) == [["一、总体情况"], ["一、总体情况", "(一)组织领导"], ["二、下一步打算"]])
        #expect(doc.sections[1].items.map(\.ordinal) == [1, 2])
        #expect(doc.sections.map(\.level) == [1, 2, 1])
    }

    @Test func contactAndFooterLinesAreNotSections() {
        let doc = document("市审计局:整改\n一是甲。\n联系电话:023-12345678\n原标题:某某\n")
        #expect(doc.sections.map(\.name) == ["市审计局"])
    }

    @Test func sentencesKeepClosingQuotes() {
        let doc = document("他说:“将于明年举行。”随后结束。")
        #expect(doc.sentences.map { doc.text($0.range) } == ["他说:“将于明年举行。”", "随后结束。"])
    }

    @Test func chineseNumerals() {
        #expect(ChineseNumeral.value("一百二十三") == 123)
        #expect(ChineseNumeral.value("十五") == 15)
        #expect(ChineseNumeral.value("两") == 2)
        #expect(ChineseNumeral.value("一百零五") == 105)
        #expect(ChineseNumeral.value("二〇二〇") == 2020)
        #expect(ChineseNumeral.value("二三") == nil)
    }

    @Test func signatureDateLineClosesTheLastSection() {
        let doc = document("一、总体情况\n完成3项。\n二、下一步打算\n继续推进。\n2021年1月5日\n")
        #expect(doc.sections.map(\.name) == ["一、总体情况", "二、下一步打算"])
        #expect(doc.sectionPath(at: doc.lineStarts[4]) == [])
        #expect(doc.sectionPath(at: doc.lineStarts[3]) == ["二、下一步打算"])
        let chinese = document("市甲局:标题\n一是完成。\n二〇二一年一月五日\n")
        #expect(chinese.sectionPath(at: chinese.lineStarts[2]) == [])
    }
}
