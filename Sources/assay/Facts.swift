import ArgumentParser
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayTooling
import AssayValues
import Foundation

struct Facts: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the facts found in a bulletin.")

    enum Format: String, ExpressibleByArgument { case json, table }

    @Argument(help: "The bulletin file.")
    var file: String

    @Option(help: "json (the facts contract) or table (for people).")
    var format: Format = .table

    func run() throws {
        let document: Document
        do {
            let bytes = try readBulletin(file)
            document = Document(name: (file as NSString).lastPathComponent, decoded: try TextDecoder().decode(bytes))
        } catch {
            fail("\(file): \(error)")
            throw ExitCode(2)
        }
        let extraction = FactExtractor().extract(document)
        switch format {
        case .json: print(FactsJSON.render(document: document, extraction: extraction).rendered(pretty: true))
        case .table: print(FactsTable.render(document: document, extraction: extraction), terminator: "")
        }
    }
}
