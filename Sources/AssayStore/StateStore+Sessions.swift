import AssayValues
import Foundation
import GRDB

/// Sign-in sessions of the review pages (`assay serve --users`). A session is named by a random token
/// that only the browser holds (in a cookie); the store keeps the token's SHA-256, the user and the end of
/// the session, so that a restart of the server keeps reviewers signed in and a copy of the store opens
/// no session.
extension StateStore {
    /// A session on record.
    public struct Session: Sendable, Hashable {
        /// The user signed in.
        public var user: String
        /// When it began and when it ends (ISO 8601 UTC).
        public var created, expires: String
    }

    /// The key a token is kept under.
    static func tokenHash(_ token: String) -> String { SHA256.hex(Array(token.utf8)) }

    /// Records a session for `user` named by `token`, ending at `expires`; ended sessions are removed.
    public func openSession(token: String, user: String, now: Date, expires: Date) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE expires <= ?", arguments: [Report.timestamp(now)])
            try db.execute(
                sql: "INSERT INTO session (tokenHash, user, created, expires) VALUES (?, ?, ?, ?)",
                arguments: [Self.tokenHash(token), user, Report.timestamp(now), Report.timestamp(expires)])
        }
    }

    /// The session `token` names, when it is on record and has not ended at `now`.
    public func session(token: String, now: Date) throws -> Session? {
        try pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT user, created, expires FROM session WHERE tokenHash = ? AND expires > ?",
                arguments: [Self.tokenHash(token), Report.timestamp(now)]
            ).map { Session(user: $0["user"], created: $0["created"], expires: $0["expires"]) }
        }
    }

    /// Ends the session `token` names (signing out).
    public func closeSession(token: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE tokenHash = ?", arguments: [Self.tokenHash(token)])
        }
    }

    /// Ends every session of `user`; returns how many there were.
    @discardableResult
    public func closeSessions(user: String) throws -> Int {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM session WHERE user = ?", arguments: [user])
            return db.changesCount
        }
    }

    /// The number of sessions open at `now`, by user.
    public func openSessions(now: Date) throws -> [String: Int] {
        try pool.read { db in
            var counts = [String: Int]()
            for row in try Row.fetchAll(
                db, sql: "SELECT user, COUNT(*) AS n FROM session WHERE expires > ? GROUP BY user",
                arguments: [Report.timestamp(now)])
            {
                counts[row["user"]] = row["n"]
            }
            return counts
        }
    }
}
