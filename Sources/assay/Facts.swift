import ArgumentParser
import AssayEdge
import AssayExtraction
import AssayRenderers
import AssayRules
import AssayTooling
import AssayValues
import Foundation

struct Facts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "facts", abstract: "List the facts found in a bulletin.")

    enum Format: String, ExpressibleByArgument { case json, table }

    @Argument(help: "The bulletin file.")
    var file: String

    @Option(help: "json (the facts contract) or table (for people).")
    var format: Format = .table

    func run() throws {
        let path = FileName.keyPath(file)
        let key = (path as NSString).lastPathComponent
        let decoded: DecodedText
        do {
            // Through the pipeline's decoding, so pages, Word files, PDFs and OFDs are read as `check` reads them.
            decoded = try Pipeline(ruleSets: []).decode(try readBulletin(keyPath: path), name: key, sha256: nil)
        } catch {
            fail("\(FileName.escaped(path)): \(FileName.escapingControls("\(error)"))")
            throw ExitCode(2)
        }
        // Named as `check` and the daemon name a document; the table, for a terminal, shows the name escaped.
        let document = Document(name: FileName.text(key), decoded: decoded)
        let extraction = FactExtractor().extract(document)
        switch format {
        case .json: print(FactsJSON.render(document: document, extraction: extraction).rendered(pretty: true))
        case .table:
            let shown = Document(name: FileName.escaped(key), decoded: decoded)
            print(FactsTable.render(document: shown, extraction: extraction), terminator: "")
        }
    }
}
