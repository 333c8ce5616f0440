import AssayValues
import Foundation

/// Finds the figures of a bulletin (counts, percents, money, dates, deadlines, durations), the metric
/// each belongs to, and the document's publication and as-of dates.
///
/// Rule-based and deterministic: one scan over the scalars, then relative dates are resolved against
/// the publication date and labels are read from the clause around each figure.
///
/// Rules of thumb for what is a figure (each has its own test):
/// - an Arabic number is a figure; a Chinese numeral only when a classifier or unit follows (十项, 两轮次);
/// - a numeral + classifier inside a short quotation (≤ 10 characters) is a slogan (“两个维护”);
/// - a lone 一 is an article (统一, 一系列), a lone 二 before a classifier a term (二次供水: counts use 两);
/// - N大 + noun counts (六大机制) below ten; 十九大 names a congress;
/// - 第N is an ordinal; N是 / N、 / (N) / 1. at a line start are list markers, and so is 1. before a year
///   (1.2024年3月 is item 1 and March 2024, not 1.2024 years);
/// - a date named by a deadline word (整改时限:…, 限期至…, 计划…完成, Target date: …) is a deadline,
///   one reported as reached (已于…前完成, completed by …) a plain date (`FactScanner+Deadlines`);
/// - ≥ 5 bare digits, phone-like tokens, 号/室 numbers, e-mail and web addresses, clock times (24时) and
///   numbers glued to Latin letters or + (5G, PM2.5, 1+N) are identifiers or names;
/// - a bare 4-digit year without 年 (2024川渝论坛) is part of a title;
/// - 三季度 names a quarter, 三年级 a grade; 余/多/超/以上/近/约/左右 are kept as bounds.
public struct FactExtractor: Sendable {
    /// The fixed phrases whose numerals are not figures.
    public let configuration: ExtractionConfiguration

    /// An extractor with the given configuration (the built-in fixed phrases unless given).
    public init(configuration: ExtractionConfiguration = .default) {
        self.configuration = configuration
    }

    /// Extracts the facts, the document dates, the tallies and the genre of a segmented bulletin. Never fails:
    /// a bulletin with no figures gives no facts.
    public func extract(_ document: Document) -> Extraction {
        extract(document) { false }
    }

    /// As `extract(_:)`, asking `stop` between its steps, every 4096 scalars of the scan and every 4096
    /// facts of the later passes; once it says so, the extraction ends early and is incomplete (the pipeline
    /// then throws `OverBudget`).
    package func extract(_ document: Document, stop: () -> Bool) -> Extraction {
        // The scanners read the folded scalars (full-width punctuation as ASCII); fact texts and labels
        // are cut from the original ones.
        let s = document.folded
        var scanner = FactScanner(s, configuration: configuration)
        var drafts = scanner.scan(stop: stop)
        if stop() { drafts = [] }
        let dates = DocumentDateResolver(document: document, drafts: drafts).resolve()
        DocumentDateResolver.resolveRelative(&drafts, scalars: s, published: dates.published)
        let labels = LabelFinder(scalars: s, original: document.scalars, drafts: drafts)
        var facts = [Fact]()
        facts.reserveCapacity(drafts.count)
        // Figures on metadata lines (浏览量：2318, 索引号 digits) describe the page, not the bulletin; their
        // dates stay (the publication date is read from them).
        let headLines = document.metadata.lines.filter { $0.place == .head }
        let metadataRanges = headLines.map(\.range)
        // A date on a metadata line is labelled by the key it is the value of (发布日期：2021-01-05　来源：…
        // gives 发布日期, not the next key).
        func metadataKey(_ r: Range<Int>) -> String? {
            for line in headLines where line.range.contains(r.lowerBound) {
                if let f = line.fields.first(where: { $0.value.contains(r.lowerBound) }) { return f.key }
            }
            return nil
        }
        for (k, d) in drafts.enumerated() {
            if k & 4095 == 4095, stop() { break }
            if !metadataRanges.isEmpty, [.number, .quantity, .percent, .money].contains(d.kind),
                metadataRanges.contains(where: { $0.contains(d.range.lowerBound) })
            {
                continue
            }
            facts.append(
                Fact(
                    kind: d.kind, text: document.text(d.range), value: d.value, unit: d.unit, amount: d.amount,
                    approx: d.approx, label: metadataKey(d.range) ?? labels.label(k),
                    section: document.sectionPath(at: d.range.lowerBound),
                    span: document.span(d.range)))
        }
        let source = document.decoded.source
        if !source.ocrPages.isEmpty {
            for i in facts.indices { facts[i].ocr = source.readByOCR(at: facts[i].span.offset) }
        }
        let tallies = stop() ? [] : TallyFinder(document: document, facts: facts).find(stop: stop)
        // A figure's role and tally: its first membership (a part keeps its outer role when it is also the
        // total of its 其中 breakdown).
        for t in tallies {
            for m in t.members where facts[m.fact].tally == nil {
                facts[m.fact].tally = t.id
                facts[m.fact].role = m.role
            }
        }
        let issuer = stop() ? nil : IssuerFinder(document: document, facts: facts).find()
        return Extraction(facts: facts, dates: dates, tallies: tallies, genre: Genre.detect(document), issuer: issuer)
    }
}
