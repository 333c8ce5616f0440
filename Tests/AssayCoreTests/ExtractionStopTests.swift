import Foundation
import Testing

@testable import AssayExtraction
@testable import AssayRules
@testable import AssayValues

/// The extraction stage asks the pipeline's deadline (`stop`) as it goes, not only between its passes: the
/// first scan every `FactScanner.stopEvery` scalars, the tallies every `TallyFinder.stopEvery` figures. So
/// a check past its time limit stops within a few milliseconds of work of it, wherever it is. The tests
/// count questions and facts instead of timing where they can.
@Suite struct ExtractionStopTests {
    /// `整改率达1%。` repeated: a figure every 7 scalars, and a tally rate each.
    static func rates(_ n: Int) -> String { String(repeating: "整改率达1%。", count: n) }

    /// Stopped at its first question, the scan has read no more than `stopEvery` scalars (and the figure
    /// under way): every fact it returns starts there.
    @Test func theScanStopsAtItsFirstQuestion() {
        let doc = document(Self.rates(10_000))
        var full = FactScanner(doc.folded, configuration: .default)
        let all = full.scan()
        #expect(all.count == 10_000)
        var asked = 0
        var stopped = FactScanner(doc.folded, configuration: .default)
        let some = stopped.scan(stop: {
            asked += 1
            return true
        })
        #expect(asked == 1)
        #expect(some.count == all.filter { $0.range.lowerBound < FactScanner.stopEvery }.count)
        #expect(some.allSatisfy { $0.range.upperBound <= FactScanner.stopEvery + 7 })
        // The facts found before the stop are the first facts of the full scan.
        #expect(some.map(\.range) == all.prefix(some.count).map(\.range))
    }

    /// Never stopped, the scan asks once per `stopEvery` scalars, and finds what `scan()` finds.
    @Test func theScanAsksEveryFewThousandScalars() {
        let doc = document(Self.rates(10_000))
        var asked = 0
        var scanner = FactScanner(doc.folded, configuration: .default)
        let facts = scanner.scan(stop: {
            asked += 1
            return false
        })
        #expect(asked == (doc.count - 1) / FactScanner.stopEvery)
        var plain = FactScanner(doc.folded, configuration: .default)
        #expect(facts.map(\.range) == plain.scan().map(\.range))
    }

    /// The tallies: none once `stop` says so, and asked once per `stopEvery` figures of each pass.
    @Test func theTallyPassesAsk() {
        let doc = document(Self.rates(10_000))
        let facts = FactExtractor().extract(doc).facts
        #expect(facts.count == 10_000)
        let finder = TallyFinder(document: doc, facts: facts)
        #expect(finder.find(stop: { true }).isEmpty)
        var asked = 0
        let tallies = finder.find(stop: {
            asked += 1
            return false
        })
        #expect(tallies == finder.find())
        // All 10,000 candidates are percents: two passes go over them (contexts and rates), two questions
        // each (at the 4,096th and 8,192nd); the passes over counts have no step.
        #expect(asked == 4)
    }

    /// The whole extraction, never stopped, asks in proportion to the text's length; stopped at once, it
    /// gives nothing.
    @Test func theExtractionAsksInProportionToTheText() {
        for n in [5_000, 20_000] {
            let doc = document(Self.rates(n))
            var asked = 0
            let ex = FactExtractor().extract(doc) {
                asked += 1
                return false
            }
            #expect(ex.facts == FactExtractor().extract(doc).facts)
            #expect(asked >= doc.count / FactScanner.stopEvery, "\(asked) questions for \(doc.count) scalars")
            #expect(FactExtractor().extract(doc) { true }.facts.isEmpty)
        }
    }

    /// Segmenting asks every `Segmenter.stopEvery` lines and sentences: stopped at once, the document has
    /// no sections and no sentences; never stopped, it is the document `init(name:decoded:)` makes.
    @Test func segmentingAsks() throws {
        let text = String(repeating: "(一)小节\n整改完成3项。\n", count: 10_000)
        let decoded = try TextDecoder().decode(Array(text.utf8))
        let stopped = Document(name: "a.txt", decoded: decoded) { true }
        #expect(stopped.sections.isEmpty && stopped.sentences.isEmpty)
        var asked = 0
        let whole = Document(name: "a.txt", decoded: decoded) {
            asked += 1
            return false
        }
        let plain = Document(name: "a.txt", decoded: decoded)
        #expect(whole.sections == plain.sections)
        #expect(whole.sentences == plain.sentences)
        #expect(plain.sections.count == 10_000)
        #expect(plain.sentences.count == 20_000)
        // Between the steps (3), per 4,096 of the 20,000 non-empty lines (4) and of the 20,000 sentences
        // (at least 4: a sentence end that adds none asks again).
        #expect(asked >= 3 + 4 + 4, "\(asked) questions")
    }

    /// A 600 KB bulletin (`整改率达1%。` × 30,000: decoding and segmenting take a few milliseconds, extracting
    /// most of the check) under a limit of a tenth of what its extraction takes alone stops in `extract`,
    /// and soon after the limit: elapsed under twice the limit plus 50 ms. The factor is generous (a debug
    /// build on a loaded 2-core machine); before the scan asked, the check overran by the whole first scan,
    /// about 2.5 times the limit.
    @Test func aLongCheckStopsInExtractSoonAfterItsLimit() throws {
        let text = Self.rates(30_000)
        let clock = ContinuousClock()
        let doc = document(text)
        let t0 = clock.now
        _ = FactExtractor().extract(doc)
        let extractTime = clock.now - t0
        let limit = extractTime / 10
        let pipeline = Pipeline(ruleSets: [], timeLimit: limit)
        let bytes = Array(text.utf8)
        let error = #expect(throws: Pipeline.OverBudget.self) {
            _ = try pipeline.check(bytes: bytes, name: "rates.txt")
        }
        #expect(error?.stage == .extract)
        #expect(error?.limit == limit)
        if let e = error {
            #expect(e.elapsed < limit * 2 + .milliseconds(50), "stopped after \(e.elapsed), limit \(limit)")
        }
    }
}
