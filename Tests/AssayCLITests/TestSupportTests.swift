import AssayTestSupport
import Foundation
import Testing

/// The shared test support itself: what the other tests lean on must hold.
@Suite struct TestSupportTests {
    /// Both pipes far above a pipe's 64 KiB, written interleaved: read one after the other, the child
    /// would block on the full one and the run never end.
    @Test func theRunnerReadsBothStreamsAtOnce() throws {
        let script =
            "i=0; while [ $i -lt 3000 ]; do echo \"out line $i with some padding to fill the pipe\"; "
            + "echo \"err line $i with some padding to fill the pipe\" >&2; i=$((i+1)); done; exit 3"
        let run = try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", script])
        #expect(run.status == 3)
        #expect(run.stdout.split(separator: "\n").count == 3000)
        #expect(run.stderr.split(separator: "\n").count == 3000)
        #expect(run.stdout.utf8.count > 128 * 1024 && run.stderr.utf8.count > 128 * 1024)
    }

    @Test func theBinaryIsTheOneBesideTheTestBundle() throws {
        let binary = AssayBinary.url.resolvingSymlinksInPath()
        #expect(FileManager.default.isExecutableFile(atPath: binary.path))
        #expect(binary.lastPathComponent == "assay")
        let run = try runAssay(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: assay"))
    }

    @Test func marksGiveLinesColumnsAndScalarOffsets() {
        let m = MarkedText("甲‸乙\n丙⟦𠀀己⟧\n⟦a⟦b⟧⟧‸")
        #expect(m.text == "甲乙\n丙𠀀己\nab")
        #expect(m.points == [.init(line: 1, column: 2, offset: 1), .init(line: 3, column: 3, offset: 9)])
        #expect(m.stretches.map(\.range) == [4..<6, 7..<9, 8..<9])
        #expect(m.stretches.map { "\($0.line):\($0.column)" } == ["2:2", "3:1", "3:2"])
        #expect(m.at("f.yml", 1) == "f.yml:3:3")
        let (text, places) = marked("a‸\n‸b")
        #expect(text == "a\nb" && places.map(\.line) == [1, 2] && places.map(\.column) == [2, 1])
    }

    @Test func utf16OffsetsBecomeScalarOffsets() {
        let offsets = UTF16ScalarOffsets("a😀b𠀀")
        #expect(offsets.utf16Count == 6)
        #expect(offsets.scalars(NSRange(location: 1, length: 2)) == 1..<2)
        #expect(offsets.scalars(NSRange(location: 3, length: 3), shift: 10) == 12..<14)
        #expect(offsets.scalars(NSRange(location: NSNotFound, length: 0)) == nil)
    }

    @Test func theGeneratorIsSplitMix64() {
        var g = SeededGenerator(seed: 0)
        // The reference SplitMix64 sequence from seed 0.
        #expect(
            [g.next(), g.next(), g.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func waitingStopsAtTheEventOrTheDeadline() {
        var n = 0
        #expect(
            waitUntil(timeout: .seconds(5), poll: .milliseconds(1)) {
                n += 1; return n == 3
            })
        #expect(n == 3)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(!waitUntil(timeout: .milliseconds(50), poll: .milliseconds(10)) { false })
        #expect(clock.now - start >= .milliseconds(50))
    }
}
