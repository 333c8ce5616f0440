import Testing

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// English status breakdowns: a bare count names what follows it, or the status after a linking verb.
@Suite struct EnglishLabelTests {
    @Test func countsAndStatuses() {
        let doc = document(
            "The agency had 40 open findings: 25 were closed, 10 are in progress, and 5 remain pending.\n")
        let facts = FactExtractor().extract(doc).facts
        #expect(facts.map(\.text) == ["40", "25", "10", "5"])
        #expect(facts.map(\.label) == ["open findings", "closed", "in progress", "pending"])
    }

    @Test func rateAndTargetStillReadTheWordsBefore() {
        let doc = document("The implementation rate of 79% fell short.\n")
        let facts = FactExtractor().extract(doc).facts
        #expect(facts.map(\.label) == ["implementation rate"])
    }
}

/// A numbered paragraph's marker is not part of a label.
@Suite struct ListMarkerLabelTests {
    @Test(arguments: ["1.开展廉政谈话12次。", "(1)开展廉政谈话12次。", "(二)开展廉政谈话12次。", "三、开展廉政谈话12次。"])
    func markerIsDropped(_ line: String) {
        let facts = FactExtractor().extract(document("市某局:整改\n" + line + "\n")).facts
        #expect(facts.map(\.label) == ["开展廉政谈话"])
    }
}

/// Where the publication date comes from: a metadata line first, then a signature line, 今(N)日, the file name.
@Suite struct PublishedDateTests {
    @Test func metadataLine() {
        let doc = document("发布时间:2021-03-02 10:15\n来源:某市纪委监委\n截至2021年2月28日,已完成整改问题30个。\n")
        #expect(
            FactExtractor().extract(doc).dates
                == DocumentDates(published: "2021-03-02", asOf: "2021-02-28", publishedSource: .metadata))
    }

    @Test func fileNameWhenTheTextHasNone() {
        let doc = document("截至2021年2月28日,已完成整改问题30个。\n", name: "notice-2021-03-05.txt")
        #expect(FactExtractor().extract(doc).dates.published == "2021-03-05")
    }

    @Test func signatureLine() {
        let doc = document("截至2021年2月28日,已完成整改问题30个。\n中共某县委巡察办\n2021年3月8日\n")
        #expect(FactExtractor().extract(doc).dates.published == "2021-03-08")
    }
}
