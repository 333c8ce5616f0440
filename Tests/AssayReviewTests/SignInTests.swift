import AssayStore
import AssayValues
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AssayReview

/// Logins (`assay serve --users`): every page needs a session, every action a role; sign-ins are checked
/// against bcrypt hashes and throttled; sessions live in the store and end on sign-out, on expiry, and
/// when their user leaves the users file. Each test fails on a server without the protection it names.
@Suite struct SignInTests {
    /// The clock of a server, moved by the test.
    final class Clock: @unchecked Sendable {
        private let lock = NSLock()
        private var t = Date(timeIntervalSince1970: 1_800_000_000)
        var now: Date { lock.withLock { t } }
        func advance(_ s: TimeInterval) { lock.withLock { t += s } }
    }

    /// Three people, one of each role; passwords hashed at bcrypt's lowest cost to keep the tests quick.
    static let accounts = ReviewAccounts(users: [
        .init(name: "ana", role: .viewer, passwordHash: ReviewAccounts.hash(password: "viewer-pass-1", cost: 4)),
        .init(name: "li.hua", role: .reviewer, passwordHash: ReviewAccounts.hash(password: "reviewer-pass-1", cost: 4)),
        .init(name: "root", role: .admin, passwordHash: ReviewAccounts.hash(password: "admin-pass-1", cost: 4)),
    ])

    static func server(_ f: ReviewServerTests.Fixture, _ clock: Clock, accounts: ReviewAccounts? = accounts)
        -> ReviewServer
    {
        var server = ReviewServer(store: f.store, reviewer: "local", now: { clock.now })
        server.accounts = accounts
        return server
    }

    static func text(_ r: TestResponse) -> String { String(buffer: r.body) }

    /// The `name=value` pairs of every Set-Cookie of a response, by name.
    static func cookies(_ r: TestResponse) -> [String: String] {
        var out = [String: String]()
        for set in r.headers[values: .setCookie] {
            guard let pair = set.split(separator: ";").first, let eq = pair.firstIndex(of: "=") else { continue }
            out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return out
    }

    static func headers(_ cookies: [String: String]) -> HTTPFields {
        var h = HTTPFields()
        h[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        h[.contentType] = "application/x-www-form-urlencoded"
        return h
    }

    /// Signs in through the form as a browser would: the sign-in page's token, then the post. Returns the
    /// cookies the browser then holds and the post's response.
    static func signIn(_ client: some TestClientProtocol, _ name: String, _ password: String) async throws -> (
        cookies: [String: String], response: TestResponse
    ) {
        let page = try await client.execute(uri: "/login", method: .get)
        var jar = cookies(page)
        let csrf = jar["assay_csrf"] ?? ""
        let r = try await client.execute(
            uri: "/login", method: .post, headers: headers(jar),
            body: ReviewServerTests.form([("csrf", csrf), ("name", name), ("password", password), ("next", "/rules")]))
        jar.merge(cookies(r)) { $1 }
        return (jar, r)
    }

    @Test func withLoginsEveryPageNeedsASession() async throws {
        let f = try ReviewServerTests.Fixture()
        let sha = f.tonggang["2024-07-05.txt"]!
        try await Application(router: Self.server(f, Clock()).router()).test(.router) { client in
            for path in ["/", "/bulletin/\(sha)", "/rules", "/export/waivers.yml", "/export/inbox.csv", "/people"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status == .seeOther, "\(path)")
                #expect(
                    r.headers[.location]
                        == "/login?next=" + path.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
                #expect(!Self.text(r).contains("tonggang"))
            }
            let page = try await client.execute(uri: "/login", method: .get)
            let csrf = Self.cookies(page)["assay_csrf"] ?? ""
            let r = try await client.execute(
                uri: "/bulletin/\(sha)/triage", method: .post, headers: Self.headers(["assay_csrf": csrf]),
                body: ReviewServerTests.form([
                    ("csrf", csrf), ("rule", "done-not-falling"), ("section", ""), ("finding", "0"),
                    ("decision", "confirmed"),
                ]))
            #expect(r.status == .unauthorized)
            #expect(Self.text(r) == "sign in first: this needs a session (GET /login)")
            #expect(try f.store.triageTrail(sha256: sha).isEmpty)
        }
    }

    @Test func aSignInOpensASessionInASecureCookie() async throws {
        let f = try ReviewServerTests.Fixture()
        try await Application(router: Self.server(f, Clock()).router()).test(.router) { client in
            let (jar, r) = try await Self.signIn(client, "li.hua", "reviewer-pass-1")
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/rules")
            let set = try #require(r.headers[values: .setCookie].first { $0.hasPrefix("assay_session=") })
            #expect(set.contains("Secure") && set.contains("HttpOnly") && set.contains("SameSite=Lax"))
            #expect(set.contains("Max-Age=43200") && set.contains("Path=/"))
            let token = try #require(jar["assay_session"])
            #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
            // The store keeps the token's hash only.
            let raw = try String(contentsOfFile: f.store.path, encoding: .isoLatin1)
            #expect(!raw.contains(token))
            let inbox = try await client.execute(uri: "/", method: .get, headers: Self.headers(jar))
            #expect(inbox.status == .ok)
            let html = Self.text(inbox)
            #expect(html.contains("li.hua (reviewer) <input type=\"hidden\" name=\"csrf\""))
            #expect(html.contains("<a href=\"/submit\">Submit</a>"))
            #expect(!html.contains("<a href=\"/people\">"))
            // A wrong password, and a name that does not exist, get the same answer.
            for (name, password) in [("li.hua", "reviewer-pass-2"), ("nobody", "reviewer-pass-1")] {
                let (jar, wrong) = try await Self.signIn(client, name, password)
                #expect(wrong.status == .unauthorized)
                #expect(Self.text(wrong).contains("<p class=\"refused\">wrong name or password</p>"))
                #expect(jar["assay_session"] == nil)
            }
        }
    }

    @Test func eachRoleMayDoOnlyWhatItAllows() async throws {
        let f = try ReviewServerTests.Fixture()
        let sha = f.tonggang["2024-07-05.txt"]!
        let message = try f.store.latestOutcomes(sha256: sha).first { $0.rule == "done-not-falling" }!.message
        let finding = StateStore.findingKey(rule: "done-not-falling", section: "", message: message)
        try await Application(router: Self.server(f, Clock()).router()).test(.router) { client in
            func triage(_ jar: [String: String]) async throws -> TestResponse {
                try await client.execute(
                    uri: "/bulletin/\(sha)/triage", method: .post, headers: Self.headers(jar),
                    body: ReviewServerTests.form([
                        ("csrf", jar["assay_csrf"] ?? ""), ("rule", "done-not-falling"), ("section", ""),
                        ("finding", finding), ("decision", "confirmed"), ("note", "checked against the ledger"),
                    ]))
            }
            let viewer = try await Self.signIn(client, "ana", "viewer-pass-1").cookies
            let page = try await client.execute(uri: "/bulletin/\(sha)", method: .get, headers: Self.headers(viewer))
            #expect(page.status == .ok)
            #expect(!Self.text(page).contains("<form class=\"triage\""))
            let refused = try await triage(viewer)
            #expect(refused.status == .forbidden)
            #expect(Self.text(refused) == "forbidden: ana is a viewer; this needs the reviewer role")
            let submit = try await client.execute(uri: "/submit", method: .get, headers: Self.headers(viewer))
            #expect(submit.status == .forbidden)
            #expect(try f.store.triageTrail(sha256: sha).isEmpty)

            let reviewer = try await Self.signIn(client, "li.hua", "reviewer-pass-1").cookies
            let reviewerPage = try await client.execute(
                uri: "/bulletin/\(sha)", method: .get, headers: Self.headers(reviewer))
            #expect(Self.text(reviewerPage).contains("<form class=\"triage\""))
            #expect(try await triage(reviewer).status == .seeOther)
            // The decision is recorded under the person signed in, not the server's reviewer.
            #expect(try f.store.triageTrail(sha256: sha).map(\.who) == ["li.hua"])
            let people = try await client.execute(uri: "/people", method: .get, headers: Self.headers(reviewer))
            #expect(people.status == .forbidden)
            #expect(Self.text(people) == "forbidden: li.hua is a reviewer; this needs the admin role")

            let admin = try await Self.signIn(client, "root", "admin-pass-1").cookies
            let list = try await client.execute(uri: "/people", method: .get, headers: Self.headers(admin))
            #expect(list.status == .ok)
            let html = Self.text(list)
            #expect(html.contains("<tr><td>ana</td><td>viewer</td><td>1</td>"))
            #expect(html.contains("<tr><td>li.hua</td><td>reviewer</td><td>1</td>"))
            // An admin signs the viewer out everywhere: her cookie no longer opens a page.
            let out = try await client.execute(
                uri: "/people/sign-out", method: .post, headers: Self.headers(admin),
                body: ReviewServerTests.form([("csrf", admin["assay_csrf"] ?? ""), ("name", "ana")]))
            #expect(out.status == .seeOther)
            #expect(try await client.execute(uri: "/", method: .get, headers: Self.headers(viewer)).status == .seeOther)
            #expect(try await client.execute(uri: "/", method: .get, headers: Self.headers(reviewer)).status == .ok)
        }
    }

    @Test func signInsAreThrottledByNameAndByAddress() async throws {
        let f = try ReviewServerTests.Fixture()
        let clock = Clock()
        try await Application(router: Self.server(f, clock).router()).test(.router) { client in
            for _ in 0..<5 {
                #expect(try await Self.signIn(client, "li.hua", "guess").response.status == .unauthorized)
            }
            // The sixth try is refused before the password is looked at, even the right one.
            let (jar, r) = try await Self.signIn(client, "li.hua", "reviewer-pass-1")
            #expect(r.status == .tooManyRequests)
            #expect(
                Self.text(r)
                    == "too many failed sign-ins for this name or from this address; try again in 15 minutes")
            #expect(r.headers[.retryAfter] == "900")
            #expect(jar["assay_session"] == nil)
            // From the same address, another name waits too.
            #expect(try await Self.signIn(client, "root", "admin-pass-1").response.status == .tooManyRequests)
            clock.advance(15 * 60)
            #expect(try await Self.signIn(client, "li.hua", "reviewer-pass-1").response.status == .seeOther)
        }
    }

    @Test func signingOutEndsTheSession() async throws {
        let f = try ReviewServerTests.Fixture()
        try await Application(router: Self.server(f, Clock()).router()).test(.router) { client in
            let jar = try await Self.signIn(client, "ana", "viewer-pass-1").cookies
            // Without the page's token the sign-out is refused (a cross-site page cannot sign people out).
            let forged = try await client.execute(
                uri: "/logout", method: .post, headers: Self.headers(jar), body: ReviewServerTests.form([("csrf", "0")])
            )
            #expect(forged.status == .forbidden)
            let r = try await client.execute(
                uri: "/logout", method: .post, headers: Self.headers(jar),
                body: ReviewServerTests.form([("csrf", jar["assay_csrf"] ?? "")]))
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/login")
            #expect(Self.cookies(r)["assay_session"] == "")
            #expect(try await client.execute(uri: "/", method: .get, headers: Self.headers(jar)).status == .seeOther)
        }
    }

    @Test func aSessionSurvivesARestartUntilItEndsOrItsUserLeaves() async throws {
        let f = try ReviewServerTests.Fixture()
        let clock = Clock()
        let jar = try await Application(router: Self.server(f, clock).router()).test(.router) { client in
            try await Self.signIn(client, "li.hua", "reviewer-pass-1").cookies
        }
        // Another server over the same store: the session holds.
        try await Application(router: Self.server(f, clock).router()).test(.router) { client in
            let r = try await client.execute(uri: "/", method: .get, headers: Self.headers(jar))
            #expect(r.status == .ok)
        }
        // The user is no longer in the users file: the session opens nothing.
        let without = ReviewAccounts(users: Self.accounts.users.filter { $0.name != "li.hua" })
        try await Application(router: Self.server(f, clock, accounts: without).router()).test(.router) { client in
            let r = try await client.execute(uri: "/", method: .get, headers: Self.headers(jar))
            #expect(r.status == .seeOther)
        }
        // Twelve hours on, it has ended.
        clock.advance(12 * 3600)
        try await Application(router: Self.server(f, clock).router()).test(.router) { client in
            let r = try await client.execute(uri: "/", method: .get, headers: Self.headers(jar))
            #expect(r.status == .seeOther)
        }
    }

    /// What a `ReloadingAccounts` reported, in order.
    final class Reports: @unchecked Sendable {
        private let lock = NSLock()
        private var list = [String]()
        var all: [String] { lock.withLock { list } }
        func add(_ problem: Bool, _ message: String) {
            lock.withLock { list.append((problem ? "problem: " : "") + message) }
        }
    }

    @Test func theUsersFileIsReadAgainWhenItChangesAndABrokenOneKeepsTheUsersBefore() async throws {
        let f = try ReviewServerTests.Fixture()
        let clock = Clock()
        let path = f.folder.appendingPathComponent("users.yml").path
        @Sendable func write(_ a: ReviewAccounts) throws {
            // As `assay user` does: a new file renamed over the old one.
            try Data(a.yaml.utf8).write(to: URL(fileURLWithPath: path + ".new"))
            #expect(rename(path + ".new", path) == 0)
        }
        try Data(Self.accounts.yaml.utf8).write(to: URL(fileURLWithPath: path))
        let reports = Reports()
        let file = ReloadingAccounts(path: path, initial: Self.accounts, interval: 0, report: reports.add)
        var server = Self.server(f, clock)
        server.accountsFile = file
        try await Application(router: server.router()).test(.router) { client in
            let jar = try await Self.signIn(client, "li.hua", "reviewer-pass-1").cookies
            #expect(try await client.execute(uri: "/", method: .get, headers: Self.headers(jar)).status == .ok)
            // A new person can sign in without a restart.
            var more = Self.accounts
            more.set(
                .init(name: "wang", role: .viewer, passwordHash: ReviewAccounts.hash(password: "wang-pass-12", cost: 4))
            )
            try write(more)
            #expect(try await Self.signIn(client, "wang", "wang-pass-12").response.status == .seeOther)
            #expect(reports.all == ["\(path): read again: 4 users"])
            // A broken file keeps the users read before and is reported once, with its place.
            try Data("users:\n  - name: ana\n    role: editor\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(try await client.execute(uri: "/", method: .get, headers: Self.headers(jar)).status == .ok)
            #expect(try await client.execute(uri: "/rules", method: .get, headers: Self.headers(jar)).status == .ok)
            #expect(
                reports.all.dropFirst() == [
                    "problem: \(path):3:11: error: role 'editor' is not one of viewer, reviewer, admin\n\(path):2:5: error: a user needs password_hash (keeping the 4 users read before)"
                ])
            // Removing a person ends their session at the next request.
            let removed = more.remove("li.hua")
            #expect(removed)
            try write(more)
            let r = try await client.execute(uri: "/", method: .get, headers: Self.headers(jar))
            #expect(r.status == .seeOther)
            #expect(reports.all.last == "\(path): read again: 3 users")
        }
        // Without a change the file is not read again, and a look holds for the interval.
        let quiet = Reports()
        let slow = ReloadingAccounts(path: path, initial: Self.accounts, interval: 3600, report: quiet.add)
        try Data("not: [users".utf8).write(to: URL(fileURLWithPath: path))
        #expect(slow.current().users.count == 3)
        #expect(slow.current(now: Date() + 7200).users.count == 3)
        #expect(slow.current(now: Date() + 7300).users.count == 3)
        #expect(
            quiet.all == [
                "problem: \(path):2:1: error: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence) (keeping the 3 users read before)"
            ])
    }

    @Test func afterSignInOnlyAPathOfThisSiteIsFollowed() {
        #expect(ReviewServer.localPath("/bulletin/ab?x=1") == "/bulletin/ab?x=1")
        #expect(ReviewServer.localPath("//evil.example/") == "/")
        #expect(ReviewServer.localPath("/\\evil.example/") == "/")
        #expect(ReviewServer.localPath("https://evil.example/") == "/")
        #expect(ReviewServer.localPath("/a\r\nSet-Cookie: x=1") == "/")
    }

    @Test func anotherAddressThanLoopbackNeedsLogins() {
        #expect(
            ReviewServer.bindProblem("0.0.0.0", logins: false)
                == "serving on 0.0.0.0 would show the store to the network without a login; name a users file (--users users.yml, written by `assay user add`) or serve 127.0.0.1 or ::1"
        )
        #expect(ReviewServer.bindProblem("0.0.0.0", logins: true) == nil)
        #expect(ReviewServer.bindProblem("127.0.0.1", logins: false) == nil)
        #expect(ReviewServer.bindProblem("::1", logins: false) == nil)
    }

    // MARK: - The users file

    static func errors(_ yaml: String) -> [String] {
        do {
            _ = try ReviewAccounts(yaml: yaml, file: "users.yml")
            return []
        } catch { return error.errors.map(\.description) }
    }

    @Test func theUsersFileIsCheckedAtEachPlace() throws {
        let hash = Self.accounts.users[0].passwordHash
        let good = "users:\n  - name: ana\n    role: viewer\n    password_hash: \"\(hash)\"\n"
        #expect(try ReviewAccounts(yaml: good, file: "users.yml").users.map(\.name) == ["ana"])
        #expect(
            Self.errors("users:\n  - name: ana\n    role: editor\n    password_hash: \"\(hash)\"\n") == [
                "users.yml:3:11: error: role 'editor' is not one of viewer, reviewer, admin"
            ])
        #expect(
            Self.errors("users:\n  - name: ana\n    role: viewer\n    password: hunter2\n") == [
                "users.yml:4:5: error: unknown key 'password' in a user; allowed: name, role, password_hash",
                "users.yml:2:5: error: a user needs password_hash",
            ])
        #expect(
            Self.errors("users:\n  - name: ana\n    role: viewer\n    password_hash: hunter2\n") == [
                "users.yml:4:20: error: password_hash must be a bcrypt hash ($2b$…); write it with `assay user add`"
            ])
        #expect(
            Self.errors(good + "  - name: ana\n    role: admin\n    password_hash: \"\(hash)\"\n") == [
                "users.yml:5:11: error: 'ana' is listed twice; a user is listed once"
            ])
        #expect(Self.errors("") == ["users.yml:1:1: error: the users file lists no users"])
        #expect(Self.errors("users: []\n") == ["users.yml:1:1: error: the users file lists no users"])
        #expect(
            Self.errors("users:\n  - name: \"a b\"\n    role: viewer\n    password_hash: \"\(hash)\"\n") == [
                "users.yml:2:11: error: a user's name is 1 to 64 letters, digits, '.', '_', '-' or '@' (got 'a b')"
            ])
        do {
            _ = try ReviewAccounts.load(path: "no-such-users.yml")
            Issue.record("expected an error")
        } catch {
            #expect(
                error.description
                    == "no-such-users.yml:1:1: error: the users file does not exist (write it with `assay user add NAME --role ROLE --users no-such-users.yml`)"
            )
        }
    }

    @Test func theUsersFileRoundTripsAndChecksPasswords() throws {
        var accounts = Self.accounts
        accounts.set(.init(name: "ana", role: .admin, passwordHash: accounts.users[0].passwordHash))
        let removed = accounts.remove("root")
        let again0 = accounts.remove("root")
        #expect(removed && !again0)
        let again = try ReviewAccounts(yaml: accounts.yaml, file: "users.yml")
        #expect(again == accounts)
        #expect(again.users.map(\.role) == [.admin, .reviewer])
        #expect(again.verify(name: "ana", password: "viewer-pass-1")?.name == "ana")
        #expect(again.verify(name: "ana", password: "viewer-pass-2") == nil)
        #expect(again.verify(name: "root", password: "admin-pass-1") == nil)
    }
}
