import AssayTestSupport
import Foundation
import Testing

/// `assay check --time-limit-ms`: a bulletin whose check runs past the limit is an input error for that
/// file (exit 2), and the other files are still checked.
@Suite("check: the time limit per bulletin")
struct CheckBoundsTests {
    @Test("a bulletin over the time limit is an input error; the next one is checked")
    func overTheTimeLimit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sample = try Data(contentsOf: URL(fileURLWithPath: samplePath))
        var big = Data()
        while big.count + sample.count + 1 < 16_000_000 { big.append(sample); big.append(0x0A) }
        let bigFile = folder.appendingPathComponent("big.txt")
        try big.write(to: bigFile)
        let run = try runAssay(
            ["check", "--time-limit-ms", "1000", bigFile.path, samplePath], environment: ["NO_COLOR": "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("big.txt: checking took longer than the 1 s budget (stopped in "), "\(run.stderr)")
        #expect(run.stdout.contains((samplePath as NSString).lastPathComponent), "\(run.stdout.prefix(300))")
    }

    @Test("--time-limit-ms must not be negative")
    func negativeLimit() throws {
        let run = try runAssay(["check", "--time-limit-ms=-1", samplePath], environment: ["NO_COLOR": "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--time-limit-ms must be 0 (no limit) or more"))
    }
}
