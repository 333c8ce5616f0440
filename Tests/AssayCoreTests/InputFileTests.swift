import Foundation
import Glibc
import Testing

@testable import AssayEdge

/// One reader of inputs for the daemon and the command line: regular files only, links by choice, a size limit.
@Suite struct InputFileTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-input-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { folder + "/" + name }

    @Test func readsARegularFileWhole() throws {
        let bytes = [UInt8]((0..<200_000).map { UInt8($0 % 251) })
        try Data(bytes).write(to: URL(fileURLWithPath: path("a.txt")))
        #expect(try InputFile.read(path("a.txt"), maxBytes: 200_000).get() == bytes)
        #expect(try InputFile.read(path("a.txt"), maxBytes: 200_000, followSymbolicLinks: true).get() == bytes)
    }

    @Test func refusesWhatIsNotARegularFile() throws {
        try FileManager.default.createDirectory(atPath: path("sub"), withIntermediateDirectories: false)
        #expect(mkfifo(path("pipe"), 0o644) == 0)
        // A FIFO with no writer would block a plain read forever; it is refused without opening.
        #expect(InputFile.read(path("pipe"), maxBytes: 100) == .failure(.notRegular(kind: "a FIFO (named pipe)")))
        #expect(
            InputFile.read(path("pipe"), maxBytes: 100, followSymbolicLinks: true)
                == .failure(.notRegular(kind: "a FIFO (named pipe)")))
        #expect(InputFile.read(path("sub"), maxBytes: 100) == .failure(.notRegular(kind: "a folder")))
        #expect(InputFile.read(path("missing.txt"), maxBytes: 100) == .failure(.vanished))
        #expect(
            InputFile.ReadError.notRegular(kind: "a folder").description
                == "is a folder (only regular files are checked)")
        #expect(InputFile.ReadError.vanished.description == "no such file")
    }

    @Test func linksAreFollowedOnlyWhenAsked() throws {
        try "整改".write(toFile: path("target.txt"), atomically: true, encoding: .utf8)
        #expect(symlink(path("target.txt"), path("link.txt")) == 0)
        #expect(InputFile.read(path("link.txt"), maxBytes: 100) == .failure(.notRegular(kind: "a symbolic link")))
        #expect(
            try InputFile.read(path("link.txt"), maxBytes: 100, followSymbolicLinks: true).get() == Array("整改".utf8))
        #expect(InputFile.ReadError.symbolicLink.description == "is a symbolic link (only regular files are checked)")
    }

    @Test func theSizeLimitHolds() throws {
        try Data(repeating: 0x41, count: 1_001).write(to: URL(fileURLWithPath: path("big.txt")))
        #expect(
            InputFile.read(path("big.txt"), maxBytes: 1_000)
                == .failure(.tooLarge(size: 1_001, limit: 1_000, grew: false)))
        #expect(try InputFile.read(path("big.txt"), maxBytes: 1_001).get().count == 1_001)
        #expect(
            InputFile.ReadError.tooLarge(size: 1_001, limit: 1_000, grew: false).description
                == "is 1001 bytes, over the size limit of 1000 bytes")
        #expect(
            InputFile.ReadError.tooLarge(size: 70_000, limit: 1_000, grew: true).description
                == "grew over the size limit of 1000 bytes while being read")
    }

    /// Makes a folder whose last name is given as bytes; returns its key path.
    func makeFolder(in parent: String, named name: [UInt8]) throws -> String {
        let made = (FileName.bytes(of: parent) + [0x2F] + name + [0]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) }
        }
        try #require(made == 0)
        return parent + "/" + FileName.key(bytes: name)
    }

    @Test func aKeyPathIsTheTextPathItsBytesCameFrom() {
        #expect(FileName.keyPath("/inbox/a.txt") == "/inbox/a.txt")
        #expect(FileName.keyPath("收件/报告.txt") == "收件/报告.txt")
        // A literal U+F7A0 (EF 9E A0) and a name not in normal form C are written as bytes, and come back whole.
        for text in ["in\u{F7A0}/a.txt", "/x/cafe\u{301}/b.txt", "a/\u{301}/\u{F7A0}"] {
            #expect(FileName.keyPath(text) != text)
            #expect(
                FileName.cPath(keyPath: FileName.keyPath(text))
                    == (Array(text.utf8) + [0]).map { CChar(bitPattern: $0) })
        }
        #expect(FileName.keyPath("in\u{F7A0}/a.txt") == "in\u{F7EF}\u{F79E}\u{F7A0}/a.txt")
        let gbk = FileName.key(bytes: [0xB2, 0xE2])
        #expect(
            FileName.cPath(keyPath: "a/\(gbk)/b")
                == ([0x61, 0x2F, 0xB2, 0xE2, 0x2F, 0x62, 0] as [UInt8]).map { CChar(bitPattern: $0) })
    }

    /// A file in a folder whose name is not UTF-8 is read by its key path; `read(_:)`, the daemon's, takes
    /// all but the last component as text and does not find it.
    @Test func readsByAKeyPath() throws {
        let sub = try makeFolder(in: folder, named: [0xB2, 0xE2])
        try #require(FileName.keyPath(folder) == folder)
        let name = Array(folder.utf8) + [0x2F, 0xB2, 0xE2] + Array("/a.txt".utf8) + [0]
        let fd = name.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        }
        try #require(fd >= 0)
        let text = Array("整改".utf8)
        #expect(write(fd, text, text.count) == text.count)
        close(fd)
        #expect(try InputFile.read(keyPath: sub + "/a.txt", maxBytes: 100).get() == Array("整改".utf8))
        #expect(InputFile.read(sub + "/a.txt", maxBytes: 100) == .failure(.vanished))
        #expect(InputFile.read(keyPath: sub, maxBytes: 100) == .failure(.notRegular(kind: "a folder")))
    }

    /// An inbox whose folder is a key path lists a folder whose name is not UTF-8; one taken as text (the
    /// daemon's) cannot, and still lists a folder whose name holds a literal U+F7A0.
    @Test func anInboxListsAKeyPathFolder() throws {
        let sub = try makeFolder(in: folder, named: [0xB2, 0xE2])
        #expect(try makeFolder(in: sub, named: Array("内".utf8)) == sub + "/内")
        try "x".write(toFile: path("plain\u{F7A0}.txt"), atomically: false, encoding: .utf8)
        var keyed = Inbox(folder: sub)
        keyed.folderIsKeyPath = true
        #expect(keyed.list() == ["内"])
        #expect(keyed.signature("内").map { $0.modeBits & S_IFMT } == S_IFDIR)
        #expect(Inbox(folder: sub).list() == nil)
        #expect(Inbox(folder: sub).signature("内") == nil)
        // The daemon's inbox, given as text: names with a literal U+F7A0 are keys of their bytes.
        #expect(
            Inbox(folder: folder).list() == [
                FileName.key(bytes: Array("plain\u{F7A0}.txt".utf8)), FileName.key(bytes: [0xB2, 0xE2]),
            ])
        var keyedRoot = Inbox(folder: FileName.keyPath(folder))
        keyedRoot.folderIsKeyPath = true
        #expect(keyedRoot.list() == Inbox(folder: folder).list())
    }

    @Test func unreadableFilesSaySo() throws {
        try "x".write(toFile: path("secret.txt"), atomically: true, encoding: .utf8)
        #expect(chmod(path("secret.txt"), 0) == 0)
        defer { chmod(path("secret.txt"), 0o644) }
        // Root reads anything: the refusal is only observable for other users.
        if geteuid() != 0 {
            #expect(InputFile.read(path("secret.txt"), maxBytes: 100) == .failure(.permissionDenied))
        }
    }
}
