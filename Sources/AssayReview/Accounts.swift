import AssayValues
import Foundation
import HummingbirdBcrypt
import Synchronization
import Yams

/// What a signed-in person may do on the review pages. Each role may do what the roles before it may.
public enum ReviewRole: String, Sendable, CaseIterable, Comparable {
    /// Reads every page and export.
    case viewer
    /// Also triages findings and submits bulletins.
    case reviewer
    /// Also sees who is signed in and signs people out.
    case admin

    /// Roles in order of what they may do.
    public static func < (a: ReviewRole, b: ReviewRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The people who may sign in to the review pages: the users file (`assay serve --users users.yml`),
///
/// ```yaml
/// users:
///   - name: li.hua
///     role: reviewer
///     password_hash: "$2b$12$…"
/// ```
///
/// written by `assay user add NAME --role ROLE --users users.yml`. Passwords are kept as bcrypt hashes
/// (HummingbirdBcrypt, OpenBSD's bcrypt in C), never in the clear. A file that cannot be used is refused
/// whole, every problem at its `file:line:column`.
public struct ReviewAccounts: Sendable, Equatable {
    /// One person who may sign in.
    public struct User: Sendable, Equatable {
        /// The sign-in name (also the name decisions are recorded under).
        public var name: String
        /// What the person may do.
        public var role: ReviewRole
        /// The bcrypt hash of the password (`$2b$…`).
        public var passwordHash: String

        /// A user.
        public init(name: String, role: ReviewRole, passwordHash: String) {
            self.name = name
            self.role = role
            self.passwordHash = passwordHash
        }
    }

    /// The users, in the order of the file.
    public private(set) var users: [User]

    /// The bcrypt cost `assay user add` uses: 2^12 rounds, about a quarter of a second on one core, so
    /// a stolen users file is slow to guess at.
    public static let defaultCost: UInt8 = 12

    /// Accounts of the given users.
    public init(users: [User] = []) { self.users = users }

    /// A users file that cannot be used: every problem with its place.
    public struct FileError: Error, CustomStringConvertible {
        /// The problems, each at `file:line:column`.
        public var errors: [FileDiagnostic]
        /// One `file:line:column: error: …` line per problem.
        public var description: String { errors.map(\.description).joined(separator: "\n") }
    }

    /// Reads a users file named `file` in its messages.
    public init(yaml: String, file: String) throws(FileError) {
        var r = YAMLReader(file: file)
        let root: Node?
        do { root = try YAMLReader.compose(yaml, file: file) } catch { throw FileError(errors: [error]) }
        var users = [User]()
        if let root, let top = r.mapping(root, "the users file", allowed: ["users"]) {
            if let list = top["users"]?.value {
                if case .sequence(let items) = list {
                    for item in items {
                        guard let m = r.mapping(item, "a user", allowed: ["name", "role", "password_hash"]) else {
                            continue
                        }
                        let name = r.string(m["name"]?.value, "name", nonEmpty: true)
                        let role = r.choice(m["role"]?.value, "role", ReviewRole.self)
                        let hash = r.string(m["password_hash"]?.value, "password_hash", nonEmpty: true)
                        for key in ["name", "role", "password_hash"] where m[key] == nil {
                            r.error(item, "a user needs \(key)")
                        }
                        if let name, let problem = Self.nameProblem(name) { r.error(m["name"]?.value, problem) }
                        if let hash, !Self.isBcrypt(hash) {
                            r.error(
                                m["password_hash"]?.value,
                                "password_hash must be a bcrypt hash ($2b$…); write it with `assay user add`")
                        }
                        if let name, users.contains(where: { $0.name == name }) {
                            r.error(m["name"]?.value, "'\(name)' is listed twice; a user is listed once")
                        }
                        if let name, let role, let hash {
                            users.append(User(name: name, role: role, passwordHash: hash))
                        }
                    }
                } else {
                    r.error(list, "users must be a list of users (name, role, password_hash)")
                }
            }
        } else if root == nil {
            r.errors.append(FileDiagnostic(file: file, line: 1, column: 1, message: "the users file lists no users"))
        }
        if r.errors.isEmpty, users.isEmpty {
            r.errors.append(FileDiagnostic(file: file, line: 1, column: 1, message: "the users file lists no users"))
        }
        if !r.errors.isEmpty { throw FileError(errors: r.errors) }
        self.users = users
    }

    /// Reads the users file at `path`.
    public static func load(path: String) throws(FileError) -> ReviewAccounts {
        guard let data = FileManager.default.contents(atPath: path) else {
            let why = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
            throw FileError(errors: [
                FileDiagnostic(
                    file: path, line: 1, column: 1,
                    message: "the users file \(why) (write it with `assay user add NAME --role ROLE --users \(path)`)")
            ])
        }
        return try ReviewAccounts(yaml: String(decoding: data, as: UTF8.self), file: path)
    }

    /// Why a sign-in name cannot be used, if it cannot: 1–64 letters, digits, `.`, `_`, `-` or `@`.
    public static func nameProblem(_ name: String) -> String? {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic || ("0"..."9").contains($0) || ".-_@".unicodeScalars.contains($0))
        }
        guard !name.isEmpty, name.count <= 64, allowed else {
            return "a user's name is 1 to 64 letters, digits, '.', '_', '-' or '@' (got '\(name)')"
        }
        return nil
    }

    /// Whether `s` has the shape of a bcrypt hash: `$2a$`, `$2b$` or `$2y$`, two cost digits, 53 characters.
    static func isBcrypt(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 60, b[0] == UInt8(ascii: "$"), b[1] == UInt8(ascii: "2"), b[3] == UInt8(ascii: "$"),
            b[6] == UInt8(ascii: "$"), [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(b[2])
        else { return false }
        return b[4...5].allSatisfy { (48...57).contains($0) }
    }

    /// The user named `name`.
    public func user(_ name: String) -> User? { users.first { $0.name == name } }

    /// A password hashed for the users file.
    public static func hash(password: String, cost: UInt8 = defaultCost) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    /// A hash no password matches, checked for unknown names so that a wrong name takes as long as a wrong
    /// password (no telling which names exist by the time an answer takes).
    static let decoy = Bcrypt.hash(UUID().uuidString, cost: defaultCost)

    /// The user whose name and password these are, nil when either is wrong. Slow on purpose (bcrypt):
    /// call it off the event loop.
    public func verify(name: String, password: String) -> User? {
        guard let u = user(name) else {
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return nil
        }
        return Bcrypt.verify(password, hash: u.passwordHash) ? u : nil
    }

    /// Adds a user or replaces one of the same name.
    public mutating func set(_ user: User) {
        if let i = users.firstIndex(where: { $0.name == user.name }) { users[i] = user } else { users.append(user) }
    }

    /// Removes the user named `name`; false when there was none.
    public mutating func remove(_ name: String) -> Bool {
        guard let i = users.firstIndex(where: { $0.name == name }) else { return false }
        users.remove(at: i)
        return true
    }

    /// The users file's text (what `assay user` writes).
    public var yaml: String {
        var out =
            "# Users of the review pages (assay serve --users). Written by `assay user`; roles: viewer, reviewer, admin.\nusers:\n"
        for u in users {
            out +=
                "  - name: \(Self.quoted(u.name))\n    role: \(u.role.rawValue)\n    password_hash: \"\(u.passwordHash)\"\n"
        }
        return out
    }

    /// A name as a double-quoted YAML scalar (names hold no quote or backslash: `nameProblem`).
    static func quoted(_ s: String) -> String { "\"\(s)\"" }
}

/// The users file as the running server sees it: read again when it changes, so `assay user add` and
/// `assay user remove` take effect without a restart (a removed person's sessions end at their next
/// request, as `gate` looks each session's user up).
///
/// A change is noticed by the file's modification time, size and inode (`assay user` replaces the file by
/// a rename, so the inode changes even within the same second), looked at no more than once a second. A
/// file that no longer reads — broken YAML, a bad hash, gone — keeps the users read before, so a slip
/// while editing it locks nobody out and lets nobody in; `report` hears of each reload and each problem.
public final class ReloadingAccounts: Sendable {
    /// The users file's path.
    public let path: String
    /// Told of each reload ("read again: 3 users") and each problem (the file's errors), for the log.
    let report: @Sendable (_ problem: Bool, _ message: String) -> Void
    /// How long a look at the file holds (1 s).
    let interval: TimeInterval
    private let state: Mutex<State>

    private struct State {
        var accounts: ReviewAccounts
        var identity: Identity?
        var lastLook: Date
    }

    /// What tells one version of the file from another.
    struct Identity: Equatable {
        var modified: Date?
        var size: Int?
        var inode: Int?
    }

    /// The users read from `path` (`initial`, read by the caller, so a start with a bad file fails there).
    public init(
        path: String, initial: ReviewAccounts, interval: TimeInterval = 1,
        report: @escaping @Sendable (_ problem: Bool, _ message: String) -> Void = { _, _ in }
    ) {
        self.path = path
        self.report = report
        self.interval = interval
        state = Mutex(State(accounts: initial, identity: Self.identity(path), lastLook: Date()))
    }

    static func identity(_ path: String) -> Identity? {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return Identity(
            modified: a[.modificationDate] as? Date, size: (a[.size] as? NSNumber)?.intValue,
            inode: (a[.systemFileNumber] as? NSNumber)?.intValue)
    }

    /// The users now: read again first when the file changed since it was last read (looked at once per
    /// `interval` at most).
    public func current(now: Date = Date()) -> ReviewAccounts {
        let look = state.withLock { s -> Identity?? in
            guard now.timeIntervalSince(s.lastLook) >= interval || now < s.lastLook else { return nil }
            s.lastLook = now
            return .some(s.identity)
        }
        guard case .some(let seen) = look else { return state.withLock { $0.accounts } }
        let identity = Self.identity(path)
        guard identity != seen else { return state.withLock { $0.accounts } }
        do {
            let fresh = try ReviewAccounts.load(path: path)
            state.withLock {
                $0.accounts = fresh
                $0.identity = identity
            }
            report(false, "\(path): read again: \(fresh.users.count) user\(fresh.users.count == 1 ? "" : "s")")
            return fresh
        } catch {
            let kept = state.withLock { s -> ReviewAccounts in
                s.identity = identity  // reported once per version of the file
                return s.accounts
            }
            report(
                true, "\(error) (keeping the \(kept.users.count) user\(kept.users.count == 1 ? "" : "s") read before)")
            return kept
        }
    }
}
