import AssayValues
import Yams

/// Settings of the fact extractor: the fixed phrases and slogans whose numerals are not figures.
///
/// A built-in list covers the common political formulas (两个维护, 四种形态, 中央八项规定 …); a
/// deployment adds its own local slogans from a YAML list without touching code.
public struct ExtractionConfiguration: Sendable {
    /// Every fixed phrase ignored: the built-in list plus the extra ones.
    public private(set) var fixedPhrases: [String]

    /// The phrases indexed by first scalar, longest first, for an O(1) check at each position.
    let phrases: ScalarWords
    /// The phrases' first scalars (`ScalarWords.firstBits`) together with every scalar at which the fact
    /// scanner may start anything (`FactScanner.startBits`): the scan steps over any other scalar at once.
    let scanStarts: [UInt64]

    /// Political formulas and slogans whose numerals name a concept, not a count.
    public static let builtInFixedPhrases: [String] = [
        "两个维护", "四个意识", "四个自信", "两个确立", "四个全面", "五位一体", "三个代表", "两个一百年",
        "四种形态", "中央八项规定", "八项规定", "三大攻坚战", "三个区分开来", "三重一大", "两学一做",
        "三会一课", "一岗双责", "两不愁三保障", "一带一路", "门前三包", "三线一单", "六稳", "六保",
        "四风", "千家万户", "千方百计",
        "四个不摘", "三不腐", "一案双查", "三项制度", "五大发展理念", "四下基层", "两新组织", "三个务必",
        "七个有之", "十三五", "十四五", "十五五", "两个责任", "三严三实", "三个以案", "两个务必", "两个结合",
        "五个必须", "六个严禁", "八个严禁", "两节", "一把手", "两个条例",
    ]

    /// The built-in fixed phrases and nothing more: what the extractor uses unless configured.
    public static let `default` = ExtractionConfiguration()

    /// - Parameters:
    ///   - extraFixedPhrases: local slogans to ignore on top of the built-in list.
    ///   - includeBuiltIn: false leaves only the general rules of thumb and the extra phrases.
    public init(extraFixedPhrases: [String] = [], includeBuiltIn: Bool = true) {
        var all = includeBuiltIn ? Self.builtInFixedPhrases : []
        for p in extraFixedPhrases where !p.isEmpty && !all.contains(p) { all.append(p) }
        fixedPhrases = all
        phrases = ScalarWords(all)
        scanStarts = zip(phrases.firstBits, FactScanner.startBits).map { $0 | $1 }
    }

    /// Loads extra fixed phrases from YAML: either a plain list of strings or a mapping with a
    /// `fixed_phrases` list. The built-in list is always kept. Problems are reported as the rule and
    /// waiver files report theirs (`YAMLReader`), each at its `file:line:column`.
    public init(yaml: String, file: String = "extraction.yml") throws(ExtractionConfigurationError) {
        var reader = YAMLReader(file: file)
        let root: Node?
        do { root = try YAMLReader.compose(yaml, file: file) } catch {
            throw ExtractionConfigurationError(errors: [error])
        }
        var phrases = [String]()
        if var list = root {
            if case .mapping = list {
                let m = reader.mapping(list, "the extraction configuration", allowed: ["fixed_phrases"])
                list = m?["fixed_phrases"]?.value ?? .sequence(.init([]))
            }
            if case .sequence = list {
                phrases = reader.strings(list, "fixed_phrases", nonEmpty: true)
            } else if reader.errors.isEmpty {
                reader.error(list, "expected a list of phrases or `fixed_phrases: [...]`")
            }
        }
        if !reader.errors.isEmpty { throw ExtractionConfigurationError(errors: reader.errors) }
        self.init(extraFixedPhrases: phrases)
    }

    /// The end of a fixed phrase starting at `i`, if one does (the longest, when several do).
    @inline(__always)
    func fixedPhraseEnd(_ s: [Unicode.Scalar], at i: Int) -> Int? { phrases.end(in: s, at: i) }
}

/// Why an extraction configuration could not be loaded: every problem, each at its place.
public struct ExtractionConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Every problem found in the configuration file, in the order found; never empty when thrown.
    public var errors: [FileDiagnostic]

    /// One `file:line:column: error: message` line per problem.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
