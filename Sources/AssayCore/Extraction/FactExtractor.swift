/// Finds the facts of a document. (Skeleton: the extraction issue fills it in.)
public struct FactExtractor: Sendable {
    public init() {}

    public func extract(_ document: Document) -> Extraction {
        Extraction(facts: [], dates: DocumentDates())
    }
}
