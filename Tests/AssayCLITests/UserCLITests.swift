import AssayReview
import AssayTestSupport
import Foundation
import Testing

/// `assay user`: the users file of the review pages, written with bcrypt hashes, and `serve`'s refusals.
@Suite struct UserCLITests {
    @Test func addChangeListAndRemoveAUser() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("users.yml").path
        let add = try runAssay(
            ["user", "add", "li.hua", "--role", "reviewer", "--users", file, "--cost", "10"],
            stdin: Data("a long passphrase\n".utf8))
        #expect(add.status == 0, "\(add.stderr)")
        #expect(add.stdout == "added li.hua (reviewer) in \(file)\n")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains("a long passphrase"))
        #expect(text.contains("    password_hash: \"$2b$10$"))
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        let accounts = try ReviewAccounts.load(path: file)
        #expect(accounts.verify(name: "li.hua", password: "a long passphrase")?.role == .reviewer)
        #expect(accounts.verify(name: "li.hua", password: "a long passphras") == nil)

        let change = try runAssay(
            ["user", "add", "li.hua", "--role", "admin", "--users", file, "--cost", "10"],
            stdin: Data("another passphrase\n".utf8))
        #expect(change.stdout == "changed li.hua (admin) in \(file)\n")
        _ = try runAssay(
            ["user", "add", "ana", "--role", "viewer", "--users", file, "--cost", "10"],
            stdin: Data("ana's passphrase\n".utf8))
        #expect(try runAssay(["user", "list", "--users", file]).stdout == "li.hua\tadmin\nana\tviewer\n")
        #expect(try runAssay(["user", "remove", "li.hua", "--users", file]).stdout == "removed li.hua from \(file)\n")
        let again = try runAssay(["user", "remove", "li.hua", "--users", file])
        #expect(again.status == 1)
        #expect(again.stderr == "assay: error: \(file) has no user 'li.hua'\n")
        #expect(try runAssay(["user", "list", "--users", file]).stdout == "ana\tviewer\n")
    }

    @Test func badUsersAndPasswordsAreRefused() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("users.yml").path
        let short = try runAssay(
            ["user", "add", "ana", "--role", "viewer", "--users", file], stdin: Data("short\n".utf8))
        #expect(short.status == 2)
        #expect(short.stderr == "assay: error: a password needs at least 10 characters; nothing was changed\n")
        #expect(!FileManager.default.fileExists(atPath: file))
        let role = try runAssay(["user", "add", "ana", "--role", "editor", "--users", file], stdin: Data())
        #expect(role.status == 2)
        #expect(role.stderr.contains("--role must be one of viewer, reviewer, admin (got 'editor')"))
        let name = try runAssay(["user", "add", "a b", "--role", "viewer", "--users", file], stdin: Data())
        #expect(name.stderr.contains("a user's name is 1 to 64 letters, digits, '.', '_', '-' or '@' (got 'a b')"))
    }

    @Test func serveRefusesTheNetworkWithoutLoginsAndABrokenUsersFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let open = try runAssay(["serve", "--bind", "0.0.0.0:18123", "--state", dir.path])
        #expect(open.status == 2)
        #expect(
            open.stderr
                == "assay: error: serving on 0.0.0.0 would show the store to the network without a login; name a users file (--users users.yml, written by `assay user add`) or serve 127.0.0.1 or ::1\n"
        )
        let file = dir.appendingPathComponent("users.yml")
        try Data("users:\n  - name: ana\n    role: viewer\n".utf8).write(to: file)
        let broken = try runAssay(["serve", "--bind", "0.0.0.0:18123", "--users", file.path, "--state", dir.path])
        #expect(broken.status == 2)
        #expect(broken.stderr == "assay: error: \(file.path):2:5: error: a user needs password_hash\n")
    }

    @Test func theDaemonServesTheNetworkOnlyWithLogins() throws {
        let open = try runAssay(["watch", "--serve", "0.0.0.0:8099"])
        #expect(open.status == 2)
        #expect(
            open.stderr.hasPrefix(
                "Error: --serve 0.0.0.0:8099 would show the store to the network without a login; name a users file (--serve-users users.yml, written by `assay user add`) or serve 127.0.0.1 or ::1\n"
            ))
        let alone = try runAssay(["watch", "--serve-users", "users.yml"])
        #expect(alone.status == 2)
        #expect(alone.stderr.hasPrefix("Error: --serve-users needs --serve ADDRESS\n"))
    }
}
