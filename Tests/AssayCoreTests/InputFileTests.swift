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
