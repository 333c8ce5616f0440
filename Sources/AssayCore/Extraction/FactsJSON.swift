/// The `assay facts --format json` contract. (Skeleton: the extraction issue fills it in.)
public enum FactsJSON {
    public static func render(document: Document, extraction: Extraction) -> JSONValue {
        .object([("source", .string(document.name))])
    }
}

/// Facts as a table for people. (Skeleton: the extraction issue fills it in.)
public enum FactsTable {
    public static func render(document: Document, extraction: Extraction) -> String { "" }
}
