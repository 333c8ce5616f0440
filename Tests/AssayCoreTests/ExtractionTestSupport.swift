import Foundation

@testable import AssayEdge
@testable import AssayExtraction
@testable import AssayRenderers
@testable import AssayRules
@testable import AssayTooling
@testable import AssayValues

/// Builds a document from a string and extracts its facts, for tests on sentences of our own.
enum ExtractionProbe {
    static func document(_ text: String, name: String = "bulletin.txt") -> Document {
        Document(
            name: name, decoded: DecodedText(string: text, encoding: .utf8, sha256: "", byteCount: text.utf8.count))
    }

    static func extract(
        _ text: String, name: String = "bulletin.txt",
        configuration: ExtractionConfiguration = .default
    ) -> Extraction {
        FactExtractor(configuration: configuration).extract(document(text, name: name))
    }

    static func facts(_ text: String, configuration: ExtractionConfiguration = .default) -> [Fact] {
        extract(text, configuration: configuration).facts
    }

    /// The only fact whose text is `surface`, if exactly one.
    static func fact(_ text: String, _ surface: String) -> Fact? {
        let found = facts(text).filter { $0.text == surface }
        return found.count == 1 ? found[0] : nil
    }

    static func texts(_ text: String) -> [String] { facts(text).map(\.text) }
}

extension Decimal {
    init(_ string: String) { self = Decimal(string: string)! }
}
