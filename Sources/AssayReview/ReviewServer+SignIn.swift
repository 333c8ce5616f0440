import AssayRenderers
import AssayStore
import AssayValues
import Foundation
import Hummingbird
import NIOCore

/// The request context of the review pages: Hummingbird's core context and the client's address (what
/// the sign-in throttle counts failures by).
public struct ReviewContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The client's address as the socket gives it ("unknown" in tests without a socket).
    public let client: String

    /// A context for a request arriving on `source`'s channel.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// Who is asking, for the length of one request: the person signed in (or, without logins, the server's
/// reviewer with every right) and the page's CSRF token. Pages read it to show the person and only the
/// forms their role may send.
struct Visitor: Sendable {
    /// The name decisions are recorded under.
    var name: String
    /// What the person may do.
    var role: ReviewRole
    /// Whether the person signed in (false: a loopback server without logins).
    var signedIn: Bool
    /// The page's CSRF token and whether the response must set it.
    var token: (value: String, isNew: Bool)

    @TaskLocal static var current: Visitor?
}

extension ReviewServer {
    static let sessionCookie = "assay_session"

    /// A random token of `bytes` bytes as hex, from the system's cryptographic generator (getrandom).
    static func randomHex(_ bytes: Int) -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    /// Runs `handler` for a person allowed to do what needs `role`, with `Visitor.current` set. Without
    /// logins (`accounts` nil, loopback only) everyone may do everything, as the server's reviewer. With
    /// logins: no session is a redirect to the sign-in page for a page, 401 for anything else; a role
    /// below `role` is 403.
    func gate(
        _ request: Request, _ role: ReviewRole, _ handler: @Sendable () async throws -> Response
    ) async throws -> Response {
        let token = Self.token(request)
        guard let accounts = logins else {
            return try await Visitor.$current.withValue(
                Visitor(name: reviewer, role: .admin, signedIn: false, token: token), operation: handler)
        }
        guard let value = request.cookies[Self.sessionCookie]?.value, value.count == 64,
            let session = try store.session(token: value, now: now()), let user = accounts.user(session.user)
        else {
            if request.method == .get || request.method == .head {
                var h = HTTPFields()
                h[.location] =
                    "/login?next="
                    + (Self.localPath(request.uri.description).addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics) ?? "/")
                return Response(status: .seeOther, headers: h)
            }
            return Self.text("sign in first: this needs a session (GET /login)", status: .unauthorized)
        }
        guard user.role >= role else {
            return Self.text(
                "forbidden: \(user.name) is a \(user.role.rawValue); this needs the \(role.rawValue) role",
                status: .forbidden)
        }
        return try await Visitor.$current.withValue(
            Visitor(name: user.name, role: user.role, signedIn: true, token: token), operation: handler)
    }

    /// `next` as a path of this site: only `/…` (not `//host`, not a scheme), else `/`.
    static func localPath(_ next: String) -> String {
        guard next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
            !next.contains(where: { $0.isNewline || $0 == "\0" })
        else { return "/" }
        return next
    }

    // MARK: - Sign in and out

    /// The sign-in page.
    func signInPage(_ request: Request, message: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = Self.token(request)
        let e: (String) -> String = HTMLRenderer.escape
        let next = Self.localPath(request.uri.queryParameters.get("next") ?? "/")
        var body = "<h1>Sign in</h1>\n"
        if let message { body += "<p class=\"refused\">\(e(message))</p>\n" }
        body += "<form class=\"signin\" method=\"post\" action=\"/login\">"
        body += "<input type=\"hidden\" name=\"csrf\" value=\"\(e(token.value))\">"
        body += "<input type=\"hidden\" name=\"next\" value=\"\(e(next))\">"
        body += "<label>name <input type=\"text\" name=\"name\" autocomplete=\"username\" required></label> "
        body +=
            "<label>password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label> "
        body += "<button type=\"submit\">sign in</button></form>\n"
        return Self.page(Page.html(title: "Sign in", body: body, navigation: false), token: token, status: status)
    }

    /// A sign-in form's fields.
    struct SignInForm: Decodable {
        var csrf: String
        var name: String
        var password: String
        var next: String?
    }

    /// Checks a sign-in: the form's token, the throttle, then the password (bcrypt, off the event loop).
    /// Success opens a session: a random 256-bit token in a `Secure; HttpOnly; SameSite=Lax` cookie, its
    /// hash in the store, ending after `sessionLength`.
    func signIn(_ request: Request, context: ReviewContext) async throws -> Response {
        guard let accounts = logins else { return Self.text("this server has no logins", status: .notFound) }
        let form: SignInForm
        do {
            form = try await Self.postedForm(request, SignInForm.self, csrf: \.csrf) { _ in
                "the form is incomplete: it needs a name and a password"
            }
        } catch { return error.response }
        let at = now()
        if let wait = throttle.wait(name: form.name, address: context.client, now: at) {
            let minutes = Int((wait / 60).rounded(.up))
            var response = Self.text(
                "too many failed sign-ins for this name or from this address; try again in \(minutes) minute\(minutes == 1 ? "" : "s")",
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
            return response
        }
        let name = form.name
        let password = form.password
        let user = await withCheckedContinuation { (done: CheckedContinuation<ReviewAccounts.User?, Never>) in
            DispatchQueue.global().async { done.resume(returning: accounts.verify(name: name, password: password)) }
        }
        guard let user else {
            throttle.failed(name: name, address: context.client, now: at)
            var r = signInPage(request, message: "wrong name or password", status: .unauthorized)
            r.headers[.cacheControl] = "no-store"
            return r
        }
        throttle.succeeded(name: name)
        let session = Self.randomHex(32)
        try store.openSession(token: session, user: user.name, now: at, expires: at + sessionLength)
        var h = HTTPFields()
        h[.location] = Self.localPath(form.next ?? "/")
        var response = Response(status: .seeOther, headers: h)
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: session, maxAge: Int(sessionLength), path: "/", secure: true,
                httpOnly: true, sameSite: .lax))
        return response
    }

    /// Signs out: ends the session in the store and clears the cookie.
    func signOut(_ request: Request) async throws -> Response {
        do { _ = try await Self.postedForm(request, SimpleForm.self, csrf: \.csrf) } catch { return error.response }
        if let value = request.cookies[Self.sessionCookie]?.value { try store.closeSession(token: value) }
        var h = HTTPFields()
        h[.location] = "/login"
        var response = Response(status: .seeOther, headers: h)
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true,
                sameSite: .lax))
        return response
    }

    /// A form with the page's token and perhaps a name (signing out).
    struct SimpleForm: Decodable {
        var csrf: String
        var name: String?
    }

    /// A form post refused, with the response that says why.
    struct Refused: Error {
        var response: Response
    }

    /// A posted URL-encoded form, checked as every form of these pages is: sent from this site (its
    /// `Origin`), at most `formLimit` bytes, decodable as `T`, and repeating this browser's CSRF token
    /// (`csrf`). Otherwise the refusal: 403, 413, or 400 with `incomplete`'s message.
    static func postedForm<T: Decodable>(
        _ request: Request, _ type: T.Type, csrf: KeyPath<T, String>,
        incomplete: (any Error) -> String = { "the form is incomplete: \($0)" }
    ) async throws(Refused) -> T {
        guard sameOrigin(request) else {
            throw Refused(response: text("forbidden: the form was not sent from this site", status: .forbidden))
        }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: formLimit) } catch {
            throw Refused(response: text("the form is larger than \(formLimit) bytes", status: .contentTooLarge))
        }
        let form: T
        do { form = try URLEncodedFormDecoder().decode(T.self, from: String(buffer: buffer)) } catch {
            throw Refused(response: text(incomplete(error), status: .badRequest))
        }
        guard let cookie = request.cookies[csrfCookie]?.value, cookie.count == 32, cookie == form[keyPath: csrf] else {
            throw Refused(
                response: text(
                    "forbidden: the form's token does not match this browser's (reload the page)", status: .forbidden))
        }
        return form
    }

    // MARK: - People (admin)

    /// Who may sign in, with their roles and open sessions, and a form to sign each out everywhere.
    func peoplePage(_ request: Request) throws -> Response {
        let token = Self.token(request)
        let e: (String) -> String = HTMLRenderer.escape
        var body = "<h1>People</h1>\n"
        guard let accounts = logins else {
            body += "<p>This server has no logins: it serves loopback only, as \(e(reviewer)).</p>\n"
            return Self.page(Page.html(title: "People", body: body), token: token)
        }
        let open = try store.openSessions(now: now())
        body +=
            "<table class=\"people\"><thead><tr><th>name</th><th>role</th><th>sessions</th><th></th></tr></thead><tbody>"
        for u in accounts.users {
            let n = open[u.name] ?? 0
            body += "<tr><td>\(e(u.name))</td><td>\(e(u.role.rawValue))</td><td>\(n)</td><td>"
            if n > 0 {
                body += "<form method=\"post\" action=\"/people/sign-out\">"
                body += "<input type=\"hidden\" name=\"csrf\" value=\"\(e(token.value))\">"
                body += "<input type=\"hidden\" name=\"name\" value=\"\(e(u.name))\">"
                body += "<button type=\"submit\">sign out everywhere</button></form>"
            }
            body += "</td></tr>"
        }
        body += "</tbody></table>\n<p class=\"meta\">People and roles are kept in the users file (`assay user`).</p>\n"
        return Self.page(Page.html(title: "People", body: body), token: token)
    }

    /// Ends every session of a person (admin).
    func signOutEverywhere(_ request: Request) async throws -> Response {
        let form: SimpleForm
        do { form = try await Self.postedForm(request, SimpleForm.self, csrf: \.csrf) } catch { return error.response }
        try store.closeSessions(user: form.name ?? "")
        var h = HTTPFields()
        h[.location] = "/people"
        return Response(status: .seeOther, headers: h)
    }
}
