import AssayCore
import ArgumentParser
import Foundation

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check bulletins against rules and print or write findings reports.",
        discussion: "Exit codes: 0 no outcome at or above --fail-on, 1 otherwise, 2 usage or input error."
    )

    @Argument(help: "Bulletin files or folders (folders are searched recursively for .txt, .text and .md files).")
    var paths: [String]

    @OptionGroup var ruleOptions: RuleOptions

    @Option(name: .customLong("format"), help: "text, json, markdown, html or sarif (repeatable with --output).")
    var formats: [ReportFormat] = []

    @Option(help: "Write <stem>.findings.<ext> for each bulletin and format into this folder.")
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when an outcome at or above this severity fails (info, warning, error).")
    var failOn: Severity = .warning

    func validate() throws {
        if output == nil && formats.count > 1 {
            throw ValidationError("several --format values need --output DIR")
        }
        if paths.isEmpty { throw ValidationError("give at least one bulletin file or folder") }
    }

    func run() throws {
        let sets = try ruleOptions.load()
        let pipeline = Pipeline(ruleSets: sets, waivers: ruleOptions.loadWaivers())
        let files = BulletinFiles.expand(paths)
        var inputErrors = 0
        var failing = 0
        let formats = self.formats.isEmpty ? [ReportFormat.text] : self.formats
        let writer = output.map { OutboxWriter(folder: $0) }
        if let output { try? FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true) }
        for file in files {
            let result: Pipeline.Result
            do {
                let bytes = try readBulletin(file)
                result = try pipeline.check(bytes: bytes, name: (file as NSString).lastPathComponent)
            } catch {
                fail("\(file): \(error)")
                inputErrors += 1
                continue
            }
            if result.report.hasProblem(atLeast: failOn) { failing += 1 }
            if let writer {
                for f in formats {
                    let text = f.renderer.render(result.report, document: result.document, ruleSets: sets)
                    do { try writer.write(text, stem: Self.stem(file), format: f) } catch {
                        fail("\(file): cannot write the \(f.rawValue) report: \(error)")
                        inputErrors += 1
                    }
                }
            } else {
                let renderer: any ReportRenderer = formats[0] == .text
                    ? TextRenderer(color: Terminal.colorEnabled(FileHandle.standardOutput)) : formats[0].renderer
                print(renderer.render(result.report, document: result.document, ruleSets: sets), terminator: "")
            }
        }
        if inputErrors > 0 { throw ExitCode(2) }
        if failing > 0 { throw ExitCode(1) }
    }

    static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}

/// Expands folders into the bulletin files they hold, recursively, sorted.
enum BulletinFiles {
    static let extensions: Set<String> = ["txt", "text", "md"]

    static func expand(_ paths: [String]) -> [String] {
        var out = [String]()
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue {
                let found = (fm.enumerator(atPath: p)?.allObjects as? [String] ?? [])
                    .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) && !$0.contains(".findings.") }
                    .filter { !($0 as NSString).lastPathComponent.hasPrefix(".") }
                    .sorted()
                out += found.map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}

/// Terminal capabilities: colours only on a terminal and never when NO_COLOR is set.
enum Terminal {
    static func colorEnabled(_ handle: FileHandle) -> Bool {
        if let v = ProcessInfo.processInfo.environment["NO_COLOR"], !v.isEmpty { return false }
        return isatty(handle.fileDescriptor) == 1
    }
}
