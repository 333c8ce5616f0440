import ArgumentParser
import AssayReview
import Foundation
import Glibc

/// `assay user`: the people who may sign in to the review pages, kept in a users file with bcrypt hashes.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, remove or list the people who may sign in to the review pages (assay serve --users).",
        subcommands: [Add.self, Remove.self, List.self])

    /// Writes the users file whole: to a temporary file beside it (mode 0600), then renamed over it.
    static func write(_ accounts: ReviewAccounts, to path: String) throws {
        let temp = path + ".tmp-\(getpid())"
        guard
            FileManager.default.createFile(
                atPath: temp, contents: Data(accounts.yaml.utf8), attributes: [.posixPermissions: 0o600])
        else {
            fail("cannot write \(temp)")
            throw ExitCode(2)
        }
        guard rename(temp, path) == 0 else {
            unlink(temp)
            fail("cannot replace \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
    }

    /// The users file at `path`; an absent file is no users when `creating`.
    static func read(_ path: String, creating: Bool) throws -> ReviewAccounts {
        if creating, !FileManager.default.fileExists(atPath: path) { return ReviewAccounts() }
        do { return try ReviewAccounts.load(path: path) } catch {
            fail("\(error)")
            throw ExitCode(2)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a person, or change their role and password.",
            discussion: """
                Reads the password from standard input: asked for twice, without echo, on a terminal; else \
                the first line. It is kept as a bcrypt hash, never in the clear.
                """)

        @Argument(help: "The sign-in name (letters, digits, '.', '_', '-', '@').")
        var name: String

        @Option(help: "viewer (reads), reviewer (also triages and submits) or admin (also signs people out).")
        var role: String

        @Option(help: "The users file (created when absent).")
        var users: String

        @Option(help: "bcrypt cost: 2^cost rounds (10–16).")
        var cost: Int = Int(ReviewAccounts.defaultCost)

        func validate() throws {
            if let problem = ReviewAccounts.nameProblem(name) { throw ValidationError(problem) }
            guard ReviewRole(rawValue: role) != nil else {
                throw ValidationError(
                    "--role must be one of \(ReviewRole.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(role)')"
                )
            }
            guard (10...16).contains(cost) else {
                throw ValidationError("--cost must be between 10 and 16 (got \(cost))")
            }
        }

        func run() throws {
            var accounts = try UserCommand.read(users, creating: true)
            let password: String
            if isatty(STDIN_FILENO) == 1 {
                let first = UserCommand.ask("password for \(name): ")
                guard UserCommand.ask("again: ") == first else {
                    fail("the two passwords differ; nothing was changed")
                    throw ExitCode(2)
                }
                password = first
            } else {
                password = readLine(strippingNewline: true) ?? ""
            }
            guard password.count >= 10 else {
                fail("a password needs at least 10 characters; nothing was changed")
                throw ExitCode(2)
            }
            guard password.utf8.count <= 72 else {
                fail("bcrypt reads at most 72 bytes of a password; use a shorter one")
                throw ExitCode(2)
            }
            let existed = accounts.user(name) != nil
            accounts.set(
                ReviewAccounts.User(
                    name: name, role: ReviewRole(rawValue: role)!,
                    passwordHash: ReviewAccounts.hash(password: password, cost: UInt8(cost))))
            try UserCommand.write(accounts, to: users)
            print("\(existed ? "changed" : "added") \(name) (\(role)) in \(users)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Remove a person (their sessions end when the server next reads the file: restart it).")

        @Argument(help: "The sign-in name.")
        var name: String

        @Option(help: "The users file.")
        var users: String

        func run() throws {
            var accounts = try UserCommand.read(users, creating: false)
            guard accounts.remove(name) else {
                fail("\(users) has no user '\(name)'")
                throw ExitCode(1)
            }
            try UserCommand.write(accounts, to: users)
            print("removed \(name) from \(users)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the people and their roles.")

        @Option(help: "The users file.")
        var users: String

        func run() throws {
            for u in try UserCommand.read(users, creating: false).users { print("\(u.name)\t\(u.role.rawValue)") }
        }
    }

    /// Reads a line from the terminal without echoing it.
    static func ask(_ prompt: String) -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(STDIN_FILENO, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine(strippingNewline: true) ?? ""
    }
}
