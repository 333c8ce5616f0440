import AssayTestSupport
import Foundation
import Glibc
import Testing

/// File names are bytes: `check` and `facts` show every name escaped as the daemon's logs do (`\xHH` for a
/// byte that is not UTF-8, `\n`, `\e`, …), never raw, and `check DIR` enters subfolders whatever their names.
@Suite("check and facts: names that are not UTF-8 or hold control characters")
struct CheckNamesTests {
    /// 测 in GBK: B2 E2, not UTF-8.
    static let gbk: [UInt8] = [0xB2, 0xE2]

    /// The built `assay`, colour off.
    static func run(_ arguments: [String]) throws -> AssayRun {
        try runAssay(arguments, environment: ["NO_COLOR": "1"])
    }

    /// Writes `data` to the file at a path given as bytes (its names need not be UTF-8).
    static func create(_ data: Data, atPath path: [UInt8]) throws {
        let fd = (path + [0]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        try #require(fd >= 0)
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        try #require(written == data.count)
    }

    /// Makes a folder at a path given as bytes.
    static func makeFolder(_ path: [UInt8]) throws {
        let made = (path + [0]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) }
        }
        try #require(made == 0)
    }

    /// Whether the text holds a scalar of the private-use range keys use for bytes (U+F780…U+F7FF): a key
    /// printed as it is instead of escaped.
    static func holdsKeyScalars(_ s: String) -> Bool {
        s.unicodeScalars.contains { (0xF780...0xF7FF).contains($0.value) }
    }

    @Test("check DIR: a GBK name and a name with a newline and an ANSI escape are printed escaped")
    func namesArePrintedEscaped() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let bulletin = try Data(contentsOf: URL(fileURLWithPath: sample))
        try bulletin.write(to: input.appendingPathComponent("plain.txt"))
        try bulletin.write(to: input.appendingPathComponent("a\n<2>b\u{1B}[31m.txt"))
        try Self.create(bulletin, atPath: Array(input.path.utf8) + [0x2F] + Self.gbk + Array(".txt".utf8))
        try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01]).write(to: input.appendingPathComponent("bad\n\u{1B}[2J.txt"))

        let reference = try Self.run(["check", input.appendingPathComponent("plain.txt").path])
        #expect(reference.status == 1)
        #expect(reference.stdout.contains("\nFAIL error audit-rectification-rate [市审计局 › 三] plain.txt:18:"))
        func report(_ shown: String) -> String { reference.stdout.replacingOccurrences(of: "plain.txt", with: shown) }

        let r = try Self.run(["check", input.path])
        #expect(r.status == 2, "the binary file is an input error")
        // In the order of the names' bytes: a…, bad… (not checked), plain.txt, then B2 E2 ".txt".
        #expect(r.stdout == report("a\\n<2>b\\e[31m.txt") + reference.stdout + report("\\xB2\\xE2.txt"))
        #expect(r.stdout.hasPrefix("a\\n<2>b\\e[31m.txt  ("))
        #expect(r.stdout.contains("\n\\xB2\\xE2.txt  ("))
        #expect(
            r.stderr
                == "assay: error: \(input.path)/bad\\n\\e[2J.txt: binary content (NUL byte at byte 4); expected a text bulletin\n"
        )
        for out in [r.stdout, r.stderr] {
            #expect(!out.contains("\u{1B}"), "no raw escape from a name: \(out)")
            #expect(!out.contains("\n<2>") && !out.contains("bad\n"), "no raw newline from a name")
            #expect(!out.contains("\u{FFFD}") && !Self.holdsKeyScalars(out), "no replaced or raw key bytes")
        }
    }

    @Test("a name given on the command line is shown escaped in its error, for check and for facts")
    func argumentNamesAreEscaped() throws {
        let missing = "gone\n\u{1B}[31m\\.txt"
        let check = try Self.run(["check", missing])
        #expect(check.status == 2)
        #expect(check.stderr == "assay: error: gone\\n\\e[31m\\\\.txt: no such file\n")
        let facts = try Self.run(["facts", missing])
        #expect(facts.status == 2)
        #expect(facts.stderr == "assay: error: gone\\n\\e[31m\\\\.txt: no such file\n")
        // A rule path is named the same way in the loader's errors.
        let rules = try Self.run(["check", "--rules", "r\u{1B}[31m", sample])
        #expect(rules.status == 2)
        #expect(rules.stderr == "r\\e[31m:1:1: error: no such file or folder\n")
    }

    @Test("facts: the table names the file escaped; the JSON keeps the name as text")
    func factsTableNameIsEscaped() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bulletin = try Data(contentsOf: URL(fileURLWithPath: sample))
        let plain = dir.appendingPathComponent("plain.txt")
        let odd = dir.appendingPathComponent("x\u{1B}[2J\ny.txt")
        try bulletin.write(to: plain)
        try bulletin.write(to: odd)
        let reference = try Self.run(["facts", plain.path])
        #expect(reference.status == 0)
        #expect(reference.stdout.hasPrefix("plain.txt: "))
        let table = try Self.run(["facts", odd.path])
        #expect(table.status == 0)
        #expect(table.stdout == "x\\e[2J\\ny.txt" + reference.stdout.dropFirst("plain.txt".count))
        let json = try Self.run(["facts", odd.path, "--format", "json"])
        #expect(json.stdout.contains("\"source\": \"x\\u001b[2J\\ny.txt\""), "\(json.stdout.prefix(300))")
    }

    @Test("check DIR enters a subfolder whose name is not UTF-8, and one inside it, and shows its path escaped")
    func subfolderWithAGBKNameIsEntered() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        let output = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let sub = Array(input.path.utf8) + [0x2F] + Self.gbk
        try Self.makeFolder(sub)
        try Self.makeFolder(sub + Array("/inner".utf8))
        let bulletin = try Data(contentsOf: URL(fileURLWithPath: sample))
        try Self.create(bulletin, atPath: sub + Array("/b.txt".utf8))
        try Self.create(bulletin + Data("\n(又讯)\n".utf8), atPath: sub + Array("/inner/c.txt".utf8))
        try Self.create(Data(), atPath: sub + Array("/empty.txt".utf8))

        let r = try Self.run(["check", input.path, "--output", output.path, "--format", "json"])
        #expect(r.status == 2, "the empty file is an input error: \(r.stderr)")
        #expect(r.stderr.hasPrefix("assay: error: \(input.path)/\\xB2\\xE2/empty.txt: the file is empty\n"))
        #expect(CheckBatchTests.summary(r.stderr)["files"]?.0 == 3, "\(r.stderr)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(reports == ["b.findings.json", "c.findings.json"])
        let json = try String(contentsOf: output.appendingPathComponent("b.findings.json"), encoding: .utf8)
        #expect(json.contains("\"name\": \"b.txt\""))
    }

    @Test("a file whose name is not UTF-8 is named in its JSON report escaped, as the daemon names it")
    func nonUTF8NameInTheJSONReport() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        let output = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        try Self.create(
            try Data(contentsOf: URL(fileURLWithPath: sample)),
            atPath: Array(input.path.utf8) + [0x2F] + Self.gbk + Array(".txt".utf8))
        let r = try Self.run(["check", input.path, "--output", output.path, "--format", "json"])
        #expect(r.status == 1)
        let reports = try FileManager.default.contentsOfDirectory(atPath: output.path)
        #expect(reports == ["__.findings.json"])
        let json = try String(contentsOf: output.appendingPathComponent("__.findings.json"), encoding: .utf8)
        #expect(json.contains("\"name\": \"\\\\xB2\\\\xE2.txt\""), "\(json.prefix(400))")
    }

    @Test("an output folder path is shown escaped in the error that it cannot be created")
    func outputFolderIsEscaped() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("f\u{1B}x")
        try Data("x".utf8).write(to: file)
        let r = try Self.run(["check", sample, "--output", file.path + "/out", "--format", "json"])
        #expect(r.status == 2)
        #expect(
            r.stderr
                == "assay: error: cannot create the output folder \(dir.path)/f\\ex/out: Not a directory; nothing was checked\n"
        )
    }

    /// Runs the built `assay` with standard error on a pseudo-terminal (the progress line is drawn only on
    /// a terminal) and standard output discarded; returns the exit status and what the terminal received.
    static func runOnATerminal(_ arguments: [String]) throws -> (status: Int32, terminal: String) {
        // posix_openpt, unlockpt and ptsname are not in Swift's Glibc module: looked up in the C library.
        func function<T>(_ name: String, as type: T.Type) throws -> T {
            unsafeBitCast(try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)), to: type)
        }
        let openpt = try function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
        let unlockpt = try function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
        let ptsname = try function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
        let master = openpt(O_RDWR | O_NOCTTY)
        try #require(master >= 0)
        defer { close(master) }
        try #require(unlockpt(master) == 0)
        let slave = open(try #require(ptsname(master)), O_RDWR | O_NOCTTY)
        try #require(slave >= 0)
        let p = Process()
        p.executableURL = AssayBinary.url
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        try p.run()
        close(slave)  // the child holds its own copy: reading ends (EIO) when the child has exited
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n > 0 { received += buffer[..<n] } else if n < 0 && errno == EINTR { continue } else { break }
        }
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: received, as: UTF8.self))
    }

    @Test("the progress line on a terminal shows the name escaped")
    func progressLineIsEscaped() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        let bulletin = try Data(contentsOf: URL(fileURLWithPath: sample))
        // More than ProgressLine.minimumFiles (5); the first, always drawn, is the one with the escapes.
        for name in ["a\n<2>b\u{1B}[31m.txt", "b1.txt", "b2.txt", "b3.txt", "b4.txt", "b5.txt"] {
            try bulletin.write(to: input.appendingPathComponent(name))
        }
        let r = try Self.runOnATerminal([
            "check", input.path, "--output", dir.appendingPathComponent("out").path, "--format", "json",
        ])
        #expect(r.status == 1)
        #expect(r.terminal.contains("\r\u{1B}[K[1/6] 0% a\\n<2>b\\e[31m.txt"), "\(r.terminal.debugDescription)")
        #expect(!r.terminal.contains("<2>b\u{1B}") && !r.terminal.contains("\u{1B}[31m"))
        #expect(!r.terminal.contains("\n<2>"))
    }
}
