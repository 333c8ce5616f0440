import AssayExtraction
import AssayFormats
import AssayRenderers
import AssayStore
import AssayValues
import Foundation
import Hummingbird
import MultipartKit

/// `assay serve`: the review pages over the state store — the inbox of checked bulletins with filters,
/// each bulletin's findings with the reviewers' decisions, each issuer's series with its trends — and
/// triage: a reviewer marks a finding confirmed, a false positive or waived, kept in an append-only trail
/// and exported as a waivers file.
///
/// Pages are rendered in Swift (every piece of stored text escaped), styled by one inline style sheet
/// allowed by its hash, with no script and no external asset. Forms are protected from cross-site requests
/// by a double-submit token: a random token in a `SameSite=Strict` cookie that each form repeats, and an
/// `Origin` that must be the page's own when the browser sends one.
///
/// Without a users file the pages serve loopback only, to whoever can reach them, as one reviewer. With
/// one (`accounts`) every page needs a session and every action a role (`ReviewRole`: viewers read,
/// reviewers also triage and submit, admins also sign people out); sign-ins are checked with bcrypt and
/// throttled (`SignInThrottle`), and sessions are random tokens in `Secure; HttpOnly` cookies whose
/// hashes the store keeps. Only then may the server listen on another address (behind a TLS proxy).
public struct ReviewServer: Sendable {
    /// The store the pages read and the decisions are written to.
    public let store: StateStore
    /// The daemon's outbox, where the full HTML report of each bulletin is (linked when present).
    public let outbox: String?
    /// Who decides on this server (recorded with each decision).
    public let reviewer: String
    /// The clock of decisions (tests fix it).
    public let now: @Sendable () -> Date
    /// The inbox a submitted bulletin is written to (the daemon's); nil: no submitting.
    public var inbox: String?
    /// The largest bulletin that may be submitted (the daemon's `max_bytes`).
    public var maxUpload = 16 * 1024 * 1024
    /// The rules in force, described by id on the rules page (title, kind, severity, basis); rules of the
    /// store that are not among them are listed by id alone.
    public var rules: [RuleDescription] = []
    /// Who may sign in; nil: no logins (loopback only, everyone acts as `reviewer`).
    public var accounts: ReviewAccounts?
    /// The users file read again when it changes; when set, it answers who may sign in instead of
    /// `accounts` (which should then hold the users it started with, so `run` knows logins are on).
    public var accountsFile: ReloadingAccounts?
    /// Who may sign in now.
    var logins: ReviewAccounts? { accountsFile?.current() ?? accounts }
    /// How long a session lasts from sign-in (12 hours).
    public var sessionLength: TimeInterval = 12 * 3600
    /// Failed sign-ins by name and address.
    public let throttle = SignInThrottle()
    /// The rules page's counts, until the store's runs change.
    let ruleCounts = RuleCountsCache()

    /// What the rules page says of a rule.
    public struct RuleDescription: Sendable, Hashable {
        /// The rule's id, title, kind, severity and set.
        public var id, title, kind, severity, set: String
        /// What the rule stands on (its `basis:`), when it says.
        public var basis: String?

        /// A rule's description.
        public init(id: String, title: String, kind: String, severity: String, set: String, basis: String?) {
            self.id = id
            self.title = title
            self.kind = kind
            self.severity = severity
            self.set = set
            self.basis = basis
        }
    }

    /// A server over `store`; decisions are recorded as `reviewer`.
    public init(
        store: StateStore, outbox: String? = nil, reviewer: String = "local",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.outbox = outbox
        self.reviewer = reviewer
        self.now = now
    }

    /// Why the server will not start.
    public struct StartFailure: Error, CustomStringConvertible {
        /// The reason, for the command line.
        public var description: String
    }

    /// The addresses served without a login.
    public static let loopback: Set<String> = ["127.0.0.1", "::1", "localhost"]

    /// Why the server may not serve `host`, if it may not: another address than loopback needs logins.
    public static func bindProblem(_ host: String, logins: Bool) -> String? {
        guard !loopback.contains(host), !logins else { return nil }
        return
            "serving on \(host) would show the store to the network without a login; name a users file (--users users.yml, written by `assay user add`) or serve 127.0.0.1 or ::1"
    }

    /// Serves on `host:port` until the task is cancelled. Another address than loopback needs logins.
    public func run(host: String, port: Int) async throws {
        if let problem = Self.bindProblem(host, logins: accounts != nil) { throw StartFailure(description: problem) }
        let app = Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "assay"))
        try await app.runService()
    }

    // MARK: - Routes

    /// The routes and the role each needs (with logins): viewer for GET /, /bulletin/:sha, /issuer/:name,
    /// /report/:sha, /rules, /submitted/:name and the exports; reviewer for POST /bulletin/:sha/triage and
    /// /submit; admin for /people. /login is open; POST /logout needs a session.
    public func router() -> Router<ReviewContext> {
        let router = Router(context: ReviewContext.self)
        router.get("/login") { request, _ in
            self.accounts == nil ? Self.redirect("/") : self.signInPage(request)
        }
        router.post("/login") { request, context in try await self.signIn(request, context: context) }
        router.post("/logout") { request, _ in try await self.gate(request, .viewer) { try await self.signOut(request) }
        }
        router.get("/") { request, _ in try await self.gate(request, .viewer) { try self.inbox(request) } }
        router.get("/bulletin/:sha") { request, context in
            try await self.gate(request, .viewer) {
                try self.bulletin(request, sha: context.parameters.get("sha") ?? "")
            }
        }
        router.post("/bulletin/:sha/triage") { request, context in
            try await self.gate(request, .reviewer) {
                try await self.triage(request, sha: context.parameters.get("sha") ?? "")
            }
        }
        router.get("/issuer/:name") { request, context in
            // The name as written: a path parameter comes percent-encoded.
            let raw = context.parameters.get("name") ?? ""
            return try await self.gate(request, .viewer) {
                try self.issuer(request, name: raw.removingPercentEncoding ?? raw)
            }
        }
        router.get("/report/:sha") { request, context in
            try await self.gate(request, .viewer) { try self.report(sha: context.parameters.get("sha") ?? "") }
        }
        router.get("/rules") { request, _ in try await self.gate(request, .viewer) { try self.rulesPage(request) } }
        router.get("/submit") { request, _ in try await self.gate(request, .reviewer) { self.submitPage(request) } }
        router.post("/submit") { request, _ in
            try await self.gate(request, .reviewer) { try await self.submit(request) }
        }
        router.get("/submitted/:name") { request, context in
            let raw = context.parameters.get("name") ?? ""
            return try await self.gate(request, .viewer) {
                try self.submitted(request, name: raw.removingPercentEncoding ?? raw)
            }
        }
        router.get("/people") { request, _ in try await self.gate(request, .admin) { try self.peoplePage(request) } }
        router.post("/people/sign-out") { request, _ in
            try await self.gate(request, .admin) { try await self.signOutEverywhere(request) }
        }
        router.get("/export/waivers.yml") { request, _ in
            try await self.gate(request, .viewer) { try self.waiversExport() }
        }
        router.get("/export/inbox.csv") { request, _ in
            try await self.gate(request, .viewer) { try self.inboxCSV(request) }
        }
        router.get("/export/inbox.json") { request, _ in
            try await self.gate(request, .viewer) { try self.inboxJSON(request) }
        }
        exportRoutes(router)
        return router
    }

    /// A 303 to `path`.
    static func redirect(_ path: String) -> Response {
        var h = HTTPFields()
        h[.location] = path
        return Response(status: .seeOther, headers: h)
    }

    // MARK: - Responses

    static let csrfCookie = "assay_csrf"

    /// The page's CSRF token: the request's cookie when it has a well-formed one, else a new random one.
    static func token(_ request: Request) -> (value: String, isNew: Bool) {
        if let t = Visitor.current?.token { return t }
        if let v = request.cookies[csrfCookie]?.value, v.count == 32, v.allSatisfy(\.isHexDigit) { return (v, false) }
        return (randomHex(16), true)
    }

    /// Headers every page carries: the content type, a policy allowing only the inline style sheet (by
    /// its hash) and forms to this origin, no framing, no sniffing, no referrer.
    static func headers(contentType: String) -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = contentType
        h[.init("Content-Security-Policy")!] =
            "default-src 'none'; style-src '\(Page.styleHash)'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        h[.init("X-Content-Type-Options")!] = "nosniff"
        h[.init("Referrer-Policy")!] = "no-referrer"
        h[.init("X-Frame-Options")!] = "DENY"
        return h
    }

    /// An HTML page, setting the CSRF cookie when the request had none.
    static func page(_ html: String, token: (value: String, isNew: Bool), status: HTTPResponse.Status = .ok)
        -> Response
    {
        var response = Response(
            status: status, headers: headers(contentType: "text/html; charset=utf-8"),
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        if token.isNew {
            response.setCookie(
                Cookie(name: csrfCookie, value: token.value, path: "/", httpOnly: true, sameSite: .strict))
        }
        return response
    }

    static func text(_ s: String, status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8")
        -> Response
    {
        Response(
            status: status, headers: headers(contentType: contentType),
            body: ResponseBody(byteBuffer: ByteBuffer(string: s)))
    }

    // MARK: - Inbox

    /// The inbox filter read from the query: severity, status, genre, issuer, q (and in=text to search the
    /// texts too), reviewed (yes/no), from, to, page. Values that are not among the choices are ignored.
    static func filter(_ request: Request) -> StateStore.ListFilter {
        let q = request.uri.queryParameters
        var f = StateStore.ListFilter()
        func value(_ k: String) -> String? { q.get(k).flatMap { $0.isEmpty ? nil : $0 } }
        if let s = value("severity"), ["error", "warning", "info"].contains(s) { f.severity = s }
        f.issuer = value("issuer")
        f.search = value("q")
        f.searchText = value("in") == "text"
        if let r = value("reviewed") { f.reviewed = r == "yes" ? true : r == "no" ? false : nil }
        if let d = value("from"), Self.isDate(d) { f.from = d }
        if let d = value("to"), Self.isDate(d) { f.to = d }
        if let g = value("genre"), Genre(rawValue: g) != nil { f.genre = g }
        if let s = value("status"), StateStore.listedStatuses.contains(s) { f.status = s }
        if let p = value("page").flatMap(Int.init), p > 0, p < 100_000 { f.page = p - 1 }
        return f
    }

    static func isDate(_ s: String) -> Bool {
        s.count == 10 && s.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isASCII && c.isNumber }
    }

    func inbox(_ request: Request) throws -> Response {
        let token = Self.token(request)
        let f = Self.filter(request)
        let (rows, total) = try store.listed(f)
        let e: (String) -> String = HTMLRenderer.escape
        var body = "<h1>Bulletins</h1>\n"
        body += Self.filterForm(f)
        body += "<p class=\"count\">\(total) bulletin\(total == 1 ? "" : "s")"
        body += " · <a href=\"/export/inbox.csv\(Self.query(f, page: nil))\">CSV</a>"
        body += " · <a href=\"/export/inbox.json\(Self.query(f, page: nil))\">JSON</a></p>\n"
        body +=
            "<table class=\"inbox\"><thead><tr><th>published</th><th>bulletin</th><th>issuer</th><th>genre</th><th>worst</th>"
        body += "<th>counts</th><th>reviewed</th></tr></thead><tbody>\n"
        for r in rows {
            let sev = r.worst ?? "none"
            body += "<tr class=\"sev-\(e(sev))\"><td>\(e(r.published ?? "unknown"))</td>"
            body += "<td><a href=\"/bulletin/\(e(r.sha256))\">\(e(r.name))</a></td>"
            body +=
                "<td>\(r.issuer.map { "<a href=\"/issuer/\(Self.pathEscape($0))\">\(e($0))</a>" } ?? "unknown")</td>"
            body += "<td>\(e(r.genre ?? "unknown"))</td>"
            body += "<td class=\"sev\">\(e(sev))</td><td>\(e(Self.counts(r.summary)))</td>"
            body += "<td>\(r.decided > 0 ? "\(r.decided) decided" : "–")</td></tr>\n"
        }
        body += "</tbody></table>\n"
        let pages = max(1, (total + f.pageSize - 1) / f.pageSize)
        if pages > 1 {
            body += "<nav class=\"pages\">"
            if f.page > 0 { body += "<a href=\"/\(Self.query(f, page: f.page))\">← newer</a> " }
            body += "page \(f.page + 1) of \(pages)"
            if f.page + 1 < pages { body += " <a href=\"/\(Self.query(f, page: f.page + 2))\">older →</a>" }
            body += "</nav>\n"
        }
        return Self.page(Page.html(title: "Bulletins", body: body), token: token)
    }

    /// "fail 1, missing 2" from a stored summary ("pass=3 fail=1 missing=2 error=0 …"): the non-zero problems.
    static func counts(_ summary: String) -> String {
        let pairs = summary.split(separator: " ").compactMap { p -> (String, Int)? in
            let kv = p.split(separator: "=")
            guard kv.count == 2, let n = Int(kv[1]) else { return nil }
            return (String(kv[0]), n)
        }
        let shown = pairs.filter { $0.1 > 0 }.map { "\($0.0) \($0.1)" }
        return shown.isEmpty ? "–" : shown.joined(separator: ", ")
    }

    static func query(_ f: StateStore.ListFilter, page: Int?) -> String {
        var items = [URLQueryItem]()
        if let s = f.severity { items.append(URLQueryItem(name: "severity", value: s)) }
        if let i = f.issuer { items.append(URLQueryItem(name: "issuer", value: i)) }
        if let q = f.search { items.append(URLQueryItem(name: "q", value: q)) }
        if f.searchText { items.append(URLQueryItem(name: "in", value: "text")) }
        if let r = f.reviewed { items.append(URLQueryItem(name: "reviewed", value: r ? "yes" : "no")) }
        if let d = f.from { items.append(URLQueryItem(name: "from", value: d)) }
        if let d = f.to { items.append(URLQueryItem(name: "to", value: d)) }
        if let g = f.genre { items.append(URLQueryItem(name: "genre", value: g)) }
        if let s = f.status { items.append(URLQueryItem(name: "status", value: s)) }
        if let page { items.append(URLQueryItem(name: "page", value: String(page))) }
        var c = URLComponents()
        c.queryItems = items.isEmpty ? nil : items
        return HTMLRenderer.escape(c.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    static func pathEscape(_ s: String) -> String {
        HTMLRenderer.escape(
            s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? "")
    }

    static func filterForm(_ f: StateStore.ListFilter) -> String {
        let e: (String) -> String = HTMLRenderer.escape
        func option(_ value: String, _ label: String, _ current: String?) -> String {
            "<option value=\"\(value)\"\(current == value ? " selected" : "")>\(label)</option>"
        }
        var out = "<form class=\"filters\" method=\"get\" action=\"/\">"
        out += "<label>search <input type=\"search\" name=\"q\" value=\"\(e(f.search ?? ""))\"></label> "
        out +=
            "<label><input type=\"checkbox\" name=\"in\" value=\"text\"\(f.searchText ? " checked" : "")> in the text too</label> "
        out += "<label>worst at least <select name=\"severity\">" + option("", "any", f.severity ?? "")
        out += option("error", "error", f.severity) + option("warning", "warning", f.severity)
        out += option("info", "info", f.severity) + "</select></label> "
        out += "<label>with a finding <select name=\"status\">" + option("", "any", f.status ?? "")
        for s in StateStore.listedStatuses {
            out += option(s, s == "clean" ? "none (clean)" : s, f.status)
        }
        out += "</select></label> "
        out += "<label>genre <select name=\"genre\">" + option("", "any", f.genre ?? "")
        for g in Genre.allCases { out += option(g.rawValue, g.rawValue, f.genre) }
        out += "</select></label> "
        let reviewed = f.reviewed.map { $0 ? "yes" : "no" } ?? ""
        out +=
            "<label>reviewed <select name=\"reviewed\">" + option("", "any", reviewed) + option("yes", "yes", reviewed)
        out += option("no", "no", reviewed) + "</select></label> "
        out += "<label>issuer <input type=\"text\" name=\"issuer\" value=\"\(e(f.issuer ?? ""))\"></label> "
        out += "<label>from <input type=\"date\" name=\"from\" value=\"\(e(f.from ?? ""))\"></label> "
        out += "<label>to <input type=\"date\" name=\"to\" value=\"\(e(f.to ?? ""))\"></label> "
        out += "<button type=\"submit\">filter</button></form>\n"
        return out
    }

    func inboxCSV(_ request: Request) throws -> Response {
        var f = Self.filter(request)
        f.page = 0
        f.pageSize = 1_000_000
        let rows = try store.listed(f).rows
        var out = CSV.row(["published", "bulletin", "sha256", "issuer", "genre", "worst", "summary", "decided"])
        for r in rows {
            out += CSV.row([
                r.published ?? "", r.name, r.sha256, r.issuer ?? "", r.genre ?? "", r.worst ?? "", r.summary,
                String(r.decided),
            ])
        }
        return Self.text(out, status: .ok, contentType: "text/csv; charset=utf-8")
    }

    /// The filtered inbox as JSON: an array of objects with the CSV's columns, counts split out.
    func inboxJSON(_ request: Request) throws -> Response {
        var f = Self.filter(request)
        f.page = 0
        f.pageSize = 1_000_000
        let rows = try store.listed(f).rows.map { r -> JSONValue in
            let counts = r.summary.split(separator: " ").compactMap { p -> (String, JSONValue)? in
                let kv = p.split(separator: "=")
                guard kv.count == 2, let n = Int(kv[1]) else { return nil }
                return (String(kv[0]), .integer(n))
            }
            return .object([
                ("published", .optional(r.published)), ("bulletin", .string(r.name)), ("sha256", .string(r.sha256)),
                ("issuer", .optional(r.issuer)), ("genre", .optional(r.genre)), ("worst", .optional(r.worst)),
                ("counts", .object(counts)),
                ("decided", .integer(r.decided)),
            ])
        }
        return Self.text(
            JSONValue.array(rows).rendered() + "\n", status: .ok, contentType: "application/json; charset=utf-8")
    }

    // MARK: - Bulletin

    func bulletin(_ request: Request, sha: String) throws -> Response {
        let token = Self.token(request)
        guard Self.isSHA(sha), let doc = try store.reviewed(sha256: sha) else {
            return Self.page(
                Page.html(title: "Not found", body: "<h1>No such bulletin</h1>"), token: token, status: .notFound)
        }
        let e: (String) -> String = HTMLRenderer.escape
        let outcomes = try store.latestOutcomes(sha256: sha)
        let trail = try store.triageTrail(sha256: sha)
        var latest = [String: StateStore.Triage]()
        for t in trail { latest[t.finding] = t }
        var body = "<h1>\(e(doc.name))</h1>\n<dl class=\"identity\">"
        if let s = doc.snapshot {
            body +=
                "<dt>Issuer</dt><dd>\(s.issuer.map { "<a href=\"/issuer/\(Self.pathEscape($0))\">\(e($0))</a>" } ?? "unknown")"
            body += "\(s.series.map { " · " + e($0) } ?? "")</dd>"
            body +=
                "<dt>Published</dt><dd>\(e(s.published ?? "unknown"))</dd><dt>As of</dt><dd>\(e(s.asOf ?? "unknown"))</dd>"
        }
        body += "<dt>SHA-256</dt><dd><code>\(e(sha))</code></dd></dl>\n"
        if reportPath(stem: doc.stem) != nil {
            body += "<p><a href=\"/report/\(e(sha))\">The full report with the text and its evidence</a></p>\n"
        }
        body += try previousComparison(doc.snapshot)
        let problems = Self.grouped(outcomes.filter { Self.problemStatuses.contains($0.status) })
        // The text, when the store has it, with each finding's evidence marked and linked to the finding.
        let text = try store.text(sha256: sha).map { Array($0.unicodeScalars) }
        let lineStarts = text.map { Segmenter.lineStarts($0) } ?? []
        var marks = [HTMLRenderer.TextMark]()
        body += "<div class=\"split\"><div class=\"findings\"><h2>Findings</h2>\n"
        if !problems.isEmpty {
            body += "<p class=\"meta\">\(problems.count) finding\(problems.count == 1 ? "" : "s")"
            body += Self.exportLinks("/bulletin/\(e(sha))/findings") + "</p>\n"
        }
        if problems.isEmpty { body += "<p>No problem found.</p>\n" }
        for (i, o) in problems.enumerated() {
            let key = StateStore.findingKey(rule: o.rule, section: o.section, message: o.message)
            if i == 0 || problems[i - 1].section != o.section {
                let title =
                    o.section.isEmpty ? "Whole document" : o.section.replacingOccurrences(of: " / ", with: " › ")
                body += "<h3 class=\"group\">\(e(title))</h3>\n"
            }
            body += "<article class=\"finding sev-\(e(o.severity))\" id=\"f-\(e(key))\">"
            body +=
                "<header><span class=\"status\">\(e(o.status.uppercased()))</span> <span class=\"sev\">\(e(o.severity))</span> "
            body += "<code>\(e(o.rule))</code>\(o.section.isEmpty ? "" : " · " + e(o.section))</header>"
            body += "<p>\(e(o.message))</p>"
            if let text, !o.evidence.isEmpty {
                let problem = o.status == "waived" ? nil : Severity(rawValue: o.severity)
                body += "<ul class=\"evidence\">"
                for (k, ev) in o.evidence.enumerated() {
                    let id = "ev-\(i)-\(k)"
                    marks.append(
                        .init(
                            id: id, target: "f-" + key, title: o.rule + ": " + o.message, range: ev.range,
                            problem: problem))
                    let at = min(max(0, ev.range.lowerBound), text.count)
                    let line = lineStarts.isEmpty ? 1 : Document.span(at..<at, lineStarts: lineStarts).line
                    let quoted = ScalarText.string(text[at..<min(max(at, ev.range.upperBound), text.count, at + 80)])
                    body += "<li><a href=\"#\(id)\">\(e(ev.role.isEmpty ? "evidence" : ev.role)), line \(line)</a>"
                    body += quoted.isEmpty ? "" : " <q>\(e(quoted))</q>"
                    body += "</li>"
                }
                body += "</ul>"
            }
            if let t = latest[key] {
                body += "<p class=\"decision\">\(e(t.decision.rawValue)) by \(e(t.who)) at \(e(t.at))"
                body += "\(t.expires.map { ", until " + e($0) } ?? "")\(t.note.isEmpty ? "" : ": " + e(t.note))</p>"
            }
            guard (Visitor.current?.role ?? .admin) >= .reviewer else {
                body += "</article>\n"
                continue
            }
            body += "<form class=\"triage\" method=\"post\" action=\"/bulletin/\(e(sha))/triage\">"
            body += "<input type=\"hidden\" name=\"csrf\" value=\"\(e(token.value))\">"
            body += "<input type=\"hidden\" name=\"rule\" value=\"\(e(o.rule))\">"
            body += "<input type=\"hidden\" name=\"section\" value=\"\(e(o.section))\">"
            body += "<input type=\"hidden\" name=\"finding\" value=\"\(e(key))\">"
            body += "<select name=\"decision\">"
            for d in StateStore.Decision.allCases { body += "<option value=\"\(d.rawValue)\">\(d.rawValue)</option>" }
            body +=
                "</select> <input type=\"text\" name=\"note\" placeholder=\"note (a reason for a waiver)\" maxlength=\"500\">"
            body +=
                " <input type=\"date\" name=\"expires\" title=\"a waiver's last day\"> <button type=\"submit\">decide</button></form>"
            body += "</article>\n"
        }
        body += "</div>\n<div class=\"text\"><h2>Text</h2>\n"
        if let text {
            var out = [UInt8]()
            HTMLRenderer.markedLines(text, lineStarts: lineStarts, marks: marks, into: &out)
            body += "<div class=\"bulletin\">" + String(decoding: out, as: UTF8.self) + "</div>\n"
        } else {
            body +=
                "<p class=\"meta\">The store has no text for this bulletin: it was checked before the store kept texts (check it again), or it is longer than \(StateStore.Check.maxText) characters.</p>\n"
        }
        body += "</div></div>\n"
        if !trail.isEmpty {
            body += "<h2>Decisions</h2>\n<p class=\"meta\">The trail of every bulletin: "
            body += Self.exportLinks("/export/decisions").dropFirst(3) + "</p>\n"
            body +=
                "<table class=\"trail\"><thead><tr><th>at</th><th>who</th><th>rule</th><th>decision</th><th>note</th></tr></thead><tbody>"
            for t in trail {
                body +=
                    "<tr><td>\(e(t.at))</td><td>\(e(t.who))</td><td><code>\(e(t.rule))</code></td><td>\(e(t.decision.rawValue))</td><td>\(e(t.note))</td></tr>"
            }
            body += "</tbody></table>\n"
        }
        return Self.page(Page.html(title: doc.name, body: body), token: token)
    }

    /// A bulletin's findings in the HTML report's order (`ReportLayout.grouped`): by section, the whole
    /// document first, then sections by where their first evidence is in the text; error first within a
    /// section, then the stored order.
    static func grouped(_ outcomes: [StateStore.StoredOutcome]) -> [StateStore.StoredOutcome] {
        ReportLayout.grouped(
            outcomes, section: \.section, isWholeDocument: \.isEmpty,
            severity: { ["error": 3, "warning": 2, "info": 1][$0.severity] ?? 0 },
            place: { $0.evidence.first?.range.lowerBound }
        ).flatMap(\.items)
    }

    /// The bulletin's headline figures beside those of the issuer's bulletin before it (by publication
    /// date), with a link to it; empty when the issuer is unknown or this is its first bulletin.
    func previousComparison(_ snapshot: BulletinSnapshot?) throws -> String {
        guard let snapshot, let issuer = snapshot.issuer else { return "" }
        let series = try store.series(issuer: issuer)
        guard let i = series.firstIndex(where: { $0.sha256 == snapshot.sha256 }), i > 0 else { return "" }
        let previous = series[i - 1]
        let e: (String) -> String = HTMLRenderer.escape
        var out = "<h2>Compared with the previous bulletin</h2>\n<table class=\"previous\"><thead><tr><th></th>"
        out += "<th>this bulletin (\(e(snapshot.published ?? "unknown")))</th>"
        out +=
            "<th><a href=\"/bulletin/\(e(previous.sha256))\">\(e(previous.name))</a> (\(e(previous.published ?? "unknown")))</th></tr></thead><tbody>"
        let now = snapshot.tallies.first
        let then = previous.tallies.first
        for (role, label) in [("total", "total"), ("done", "done"), ("outstanding", "outstanding"), ("rate", "rate")] {
            let a = now?.figure(role)?.text
            let b = then?.figure(role)?.text
            guard a != nil || b != nil else { continue }
            out += "<tr><th>\(label)</th><td>\(e(a ?? "–"))</td><td>\(e(b ?? "–"))</td></tr>"
        }
        return out + "</tbody></table>\n"
    }

    /// A triage form's fields.
    struct TriageForm: Decodable {
        var csrf: String
        var rule: String
        var section: String
        var finding: String
        var decision: String
        var note: String?
        var expires: String?
    }

    /// The most a triage form may hold.
    static let formLimit = 16 * 1024

    func triage(_ request: Request, sha: String) async throws -> Response {
        // A browser names the page's origin on a form post; another site's page is refused.
        let form: TriageForm
        do { form = try await Self.postedForm(request, TriageForm.self, csrf: \.csrf) } catch { return error.response }
        guard Self.isSHA(sha), try store.reviewed(sha256: sha) != nil else {
            return Self.text("no such bulletin", status: .notFound)
        }
        guard let decision = StateStore.Decision(rawValue: form.decision) else {
            return Self.text(
                "decision must be one of \(StateStore.Decision.allCases.map(\.rawValue).joined(separator: ", "))",
                status: .badRequest)
        }
        let known = try store.latestOutcomes(sha256: sha).contains {
            StateStore.findingKey(rule: $0.rule, section: $0.section, message: $0.message) == form.finding
                && $0.rule == form.rule && $0.section == form.section
        }
        guard known else {
            return Self.text("the finding is no longer in the bulletin's report (reload the page)", status: .conflict)
        }
        let note = (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var expires: String?
        if decision == .waived {
            guard !note.isEmpty else { return Self.text("a waiver needs a reason in the note", status: .badRequest) }
            guard let d = form.expires, Self.isDate(d), CalendarDate(iso: d) != nil else {
                return Self.text("a waiver needs an expiry date (YYYY-MM-DD)", status: .badRequest)
            }
            expires = d
        }
        try store.recordTriage(
            StateStore.Triage(
                sha256: sha, finding: form.finding, rule: form.rule, section: form.section, decision: decision,
                note: String(note.prefix(500)), expires: expires, who: Visitor.current?.name ?? reviewer,
                at: Report.timestamp(now())))
        var h = HTTPFields()
        h[.location] = "/bulletin/\(sha)#f-\(form.finding)"
        return Response(status: .seeOther, headers: h)
    }

    // MARK: - Issuer

    func issuer(_ request: Request, name: String) throws -> Response {
        let token = Self.token(request)
        let series = try store.series(issuer: name)
        let e: (String) -> String = HTMLRenderer.escape
        guard let latest = series.last else {
            return Self.page(
                Page.html(title: "Not found", body: "<h1>No bulletin of \(e(name))</h1>"), token: token,
                status: .notFound)
        }
        var body = "<h1>\(e(name))</h1>\n<p>\(series.count) bulletin\(series.count == 1 ? "" : "s")"
        body += Self.exportLinks("/issuer/\(Self.pathEscape(name))/series") + "</p>\n"
        let trends = latest.trends(after: Array(series.dropLast()))
        if !trends.isEmpty {
            body += "<section class=\"trends\">"
            for t in trends { body += HTMLRenderer.trendFigure(t) }
            body += "</section>\n"
        }
        let earlier = Array(series.dropLast())
        let open = latest.tallies.first.flatMap(BulletinSnapshot.open) ?? 0
        let overdue = open > 0 ? latest.duePromises(from: earlier).filter(\.promise.coversRest) : []
        if !overdue.isEmpty {
            body += "<h2>Overdue promises</h2><ul class=\"overdue\">"
            for (p, b) in overdue {
                body += "<li>\(e(p.date)) — \(e(b.name)) (line \(p.line)): \(e(p.sentence))</li>"
            }
            body += "</ul>\n"
        }
        body +=
            "<table class=\"series\"><thead><tr><th>published</th><th>bulletin</th><th>series</th><th>total</th><th>done</th><th>rate</th></tr></thead><tbody>"
        for b in series {
            let t = b.tallies.first
            body +=
                "<tr><td>\(e(b.published ?? "unknown"))</td><td><a href=\"/bulletin/\(e(b.sha256))\">\(e(b.name))</a></td>"
            body += "<td>\(e(b.series ?? ""))</td><td>\(e(t?.figure("total")?.text ?? "–"))</td>"
            body += "<td>\(e(t?.figure("done")?.text ?? "–"))</td><td>\(e(t?.figure("rate")?.text ?? "–"))</td></tr>"
        }
        body += "</tbody></table>\n"
        return Self.page(Page.html(title: name, body: body), token: token)
    }

    // MARK: - Submit

    func submitPage(_ request: Request) -> Response {
        let token = Self.token(request)
        guard inbox != nil else {
            return Self.page(
                Page.html(
                    title: "Submit",
                    body:
                        "<h1>Submit a bulletin</h1><p>This server has no inbox to put bulletins in (start it with --inbox).</p>"
                ),
                token: token)
        }
        let e: (String) -> String = HTMLRenderer.escape
        var body = "<h1>Submit a bulletin</h1>\n"
        body +=
            "<p>Text, a web page, Word (.docx), PDF or OFD, at most \(maxUpload / 1024 / 1024) MB. It goes into the inbox, "
        body += "and this page follows it to its report.</p>\n"
        body += "<form method=\"post\" action=\"/submit\" enctype=\"multipart/form-data\">"
        body += "<input type=\"hidden\" name=\"csrf\" value=\"\(e(token.value))\">"
        body += "<input type=\"file\" name=\"file\" required accept=\".txt,.html,.htm,.docx,.pdf,.ofd\"> "
        body += "<button type=\"submit\">submit</button></form>\n"
        return Self.page(Page.html(title: "Submit", body: body), token: token)
    }

    /// A submitted form's parts, read by MultipartKit's parser: each part's headers and bytes, by order.
    struct Part {
        var headers: [(String, String)] = []
        var body: [UInt8] = []

        /// The part's form field name and file name, from its Content-Disposition.
        var disposition: String { headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? "" }
        var name: String? { ReviewServer.parameter("name", in: disposition) }
        var filename: String? { ReviewServer.parameter("filename", in: disposition) }
    }

    static func parts(_ buffer: ByteBuffer, boundary: String) throws -> [Part] {
        let parser = MultipartParser(boundary: boundary)
        var parts = [Part]()
        var current = Part()
        parser.onHeader = { k, v in current.headers.append((k, v)) }
        parser.onBody = { b in current.body += b.readBytes(length: b.readableBytes) ?? [] }
        parser.onPartComplete = {
            parts.append(current)
            current = Part()
        }
        try parser.execute(buffer)
        return parts
    }

    /// Whether a form post comes from this site: a browser names the page's origin on a post.
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.init("Origin")!], origin != "null" else { return true }
        guard let host = request.head.authority, let h = URL(string: origin)?.host else { return false }
        return host == h || host.hasPrefix(h + ":") || host.hasPrefix("[" + h + "]")
    }

    func submit(_ request: Request) async throws -> Response {
        guard Self.sameOrigin(request) else {
            return Self.text("forbidden: the form was not sent from this site", status: .forbidden)
        }
        guard let inbox else { return Self.text("this server has no inbox (start it with --inbox)", status: .notFound) }
        guard let type = request.headers[.contentType], type.hasPrefix("multipart/form-data"),
            let boundary = Self.parameter("boundary", in: type)
        else { return Self.text("the form must be sent as multipart/form-data", status: .unsupportedMediaType) }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: maxUpload + 64 * 1024) } catch {
            return Self.text("the file is larger than \(maxUpload) bytes (the inbox's limit)", status: .contentTooLarge)
        }
        let parts = (try? Self.parts(buffer, boundary: boundary)) ?? []
        guard let csrf = parts.first(where: { $0.name == "csrf" }), let file = parts.first(where: { $0.name == "file" })
        else { return Self.text("the form is incomplete: it needs the page's token and a file", status: .badRequest) }
        guard let cookie = request.cookies[Self.csrfCookie]?.value, cookie.count == 32,
            cookie == String(decoding: csrf.body, as: UTF8.self)
        else {
            return Self.text(
                "forbidden: the form's token does not match this browser's (reload the page)", status: .forbidden)
        }
        guard file.body.count <= maxUpload else {
            return Self.text("the file is larger than \(maxUpload) bytes (the inbox's limit)", status: .contentTooLarge)
        }
        guard !file.body.isEmpty else { return Self.text("the file is empty", status: .badRequest) }
        let name = Self.inboxName(file.filename ?? "bulletin.txt", in: inbox)
        let bytes = file.body
        if let refusal = Self.unreadable(bytes, name: name, limit: maxUpload) {
            return Self.text(refusal, status: .unsupportedMediaType)
        }
        // Written under a temporary name the inbox ignores, then renamed: the daemon never sees half a file.
        let temp = (inbox as NSString).appendingPathComponent(".\(UUID().uuidString).upload.part")
        guard
            FileManager.default.createFile(atPath: temp, contents: Data(bytes), attributes: [.posixPermissions: 0o640]),
            rename(temp, (inbox as NSString).appendingPathComponent(name)) == 0
        else {
            try? FileManager.default.removeItem(atPath: temp)
            return Self.text("the bulletin could not be written to the inbox", status: .internalServerError)
        }
        var h = HTTPFields()
        h[.location] =
            "/submitted/"
            + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? name)
        return Response(status: .seeOther, headers: h)
    }

    /// Why an uploaded file is not a bulletin Assay reads, if it is not: the daemon's own format check by
    /// content and name (`Converters.detect`: PDF, Word, OFD, web page, else text), and for text its
    /// decoder (UTF-8, UTF-16 with a byte-order mark or GB18030; no NUL). A refused file never reaches the
    /// inbox, so a picture or an archive sent by mistake is named at once instead of as a rejection later.
    static func unreadable(_ bytes: [UInt8], name: String, limit: Int) -> String? {
        let accepted = "text, a web page, Word (.docx), PDF or OFD"
        switch Converters.detect(bytes, name: name) {
        case .format(.text):
            do { _ = try TextDecoder(sizeLimit: max(limit, bytes.count)).decode(bytes) } catch {
                return "not a bulletin Assay reads (\(accepted)): \(error)"
            }
            return nil
        case .format: return nil
        case let refused: return "not a bulletin Assay reads (\(accepted)): \(refused.reason ?? "unknown format")"
        }
    }

    /// A parameter of a header value (`boundary=…`, `filename="…"`), unquoted.
    static func parameter(_ key: String, in value: String) -> String? {
        for part in value.split(separator: ";") {
            let p = part.trimmingCharacters(in: .whitespaces)
            guard p.lowercased().hasPrefix(key + "=") else { continue }
            var v = String(p.dropFirst(key.count + 1))
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v.isEmpty ? nil : v
        }
        return nil
    }

    /// A safe inbox name for an uploaded file: its last path component, without control characters, not
    /// hidden, at most 120 characters; a name already in the inbox gets `-2`, `-3` … before its extension.
    static func inboxName(_ original: String, in inbox: String) -> String {
        var base = original.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        base = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        while base.hasPrefix(".") || base.hasPrefix("~") { base.removeFirst() }
        if base.isEmpty { base = "bulletin.txt" }
        if base.count > 120 { base = String(base.suffix(120)) }
        let ext = (base as NSString).pathExtension
        let stem = (base as NSString).deletingPathExtension
        var name = base
        var n = 2
        while FileManager.default.fileExists(atPath: (inbox as NSString).appendingPathComponent(name)) {
            name = ext.isEmpty ? "\(stem)-\(n)" : "\(stem)-\(n).\(ext)"
            n += 1
        }
        return name
    }

    /// Where a submitted bulletin is: checked (a link to its page), refused (the reason) or still waiting
    /// (the page reloads itself every two seconds, without a script).
    func submitted(_ request: Request, name: String) throws -> Response {
        let token = Self.token(request)
        let e: (String) -> String = HTMLRenderer.escape
        var body = "<h1>\(e(name))</h1>\n"
        if let doc = try store.checkedDocuments().last(where: { $0.name == name }) {
            body += "<p>Checked. <a href=\"/bulletin/\(e(doc.sha256))\">Its findings</a>.</p>\n"
            return Self.page(Page.html(title: name, body: body), token: token)
        }
        if let r = try store.rejections(named: name).first {
            body += "<p class=\"refused\">Refused: \(e(r.reason))</p>\n"
            return Self.page(Page.html(title: name, body: body), token: token)
        }
        body += "<p>Waiting for the daemon to check it… this page reloads itself.</p>\n"
        return Self.page(Page.html(title: name, body: body, refresh: 2), token: token)
    }

    // MARK: - Rules

    /// Each rule's outcomes across the store, noisiest first (most missing and failing), with what the rule
    /// checks: to find rules that mostly say `missing`, or fail everywhere.
    func rulesPage(_ request: Request) throws -> Response {
        let token = Self.token(request)
        let e: (String) -> String = HTMLRenderer.escape
        let statuses = Self.ruleStatuses
        var body =
            "<h1>Rules</h1>\n<p>Outcomes of each rule over the latest check of every bulletin in the store\(Self.exportLinks("/export/rules"))</p>\n"
        body += "<table class=\"rules\"><thead><tr><th>rule</th><th>what it checks</th>"
        body +=
            statuses.map { "<th>\($0.replacingOccurrences(of: "_", with: " "))</th>" }.joined()
            + "</tr></thead><tbody>\n"
        for (id, description, c) in try ruleRows() {
            body += "<tr><td><code>\(e(id))</code></td><td>"
            if let d = description {
                body += "\(e(d.title)) <span class=\"meta\">(\(e(d.kind)), \(e(d.severity)), \(e(d.set)))</span>"
                if let b = d.basis { body += "<br><span class=\"meta\">\(e(b))</span>" }
            } else {
                body += "<span class=\"meta\">not among the rules loaded</span>"
            }
            body += "</td>" + statuses.map { "<td>\(c[$0] ?? 0)</td>" }.joined() + "</tr>\n"
        }
        body += "</tbody></table>\n"
        return Self.page(Page.html(title: "Rules", body: body), token: token)
    }

    // MARK: - Report and exports

    func reportPath(stem: String) -> String? {
        guard let outbox, !stem.isEmpty, !stem.contains("/") else { return nil }
        let path = (outbox as NSString).appendingPathComponent(stem + ".findings.html")
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The daemon's HTML report of a bulletin, served as written (it carries its own policy).
    func report(sha: String) throws -> Response {
        guard Self.isSHA(sha), let doc = try store.reviewed(sha256: sha),
            let path = reportPath(stem: doc.stem), let data = FileManager.default.contents(atPath: path)
        else { return Self.text("no HTML report for this bulletin in the outbox", status: .notFound) }
        var h = HTTPFields()
        h[.contentType] = "text/html; charset=utf-8"
        h[.init("X-Content-Type-Options")!] = "nosniff"
        h[.init("X-Frame-Options")!] = "DENY"
        return Response(status: .ok, headers: h, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Every finding whose latest decision is `waived`, as a waivers file (`--waivers`): rule, the
    /// bulletin's name, its section, the reason, the reviewer and the expiry.
    func waiversExport() throws -> Response {
        var out =
            "# Waivers exported from Assay's review pages: one per finding whose latest decision is waived.\nwaivers:\n"
        var any = false
        for t in try store.latestDecisions() where t.decision == .waived {
            guard let doc = try store.reviewed(sha256: t.sha256), let expires = t.expires else { continue }
            any = true
            out += "  - rule: \(Self.yamlString(t.rule))\n    document: \(Self.yamlString(doc.name))\n"
            if !t.section.isEmpty {
                out += "    section: \(Self.yamlString(t.section.components(separatedBy: " / ").last ?? t.section))\n"
            }
            out +=
                "    reason: \(Self.yamlString(t.note))\n    approver: \(Self.yamlString(t.who))\n    expires: \(expires)\n"
        }
        if !any { out = out.replacingOccurrences(of: "waivers:\n", with: "waivers: []\n") }
        return Self.text(out, status: .ok, contentType: "application/yaml; charset=utf-8")
    }

    /// A YAML double-quoted scalar.
    static func yamlString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F {
                    out += String(format: "\\x%02X", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

/// The page frame: the title, a navigation line, one inline style sheet.
enum Page {
    static let style = """
        body { margin: 0; font: 15px/1.5 system-ui, "Noto Sans CJK SC", "Noto Sans SC", sans-serif; color: #1a1a1a; background: #fafafa; }
        header.site { padding: 8px 20px; background: #fff; border-bottom: 1px solid #ddd; }
        main { padding: 12px 20px; }
        h1 { font-size: 20px; } h2 { font-size: 16px; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; vertical-align: top; }
        tr.sev-error .sev, .finding.sev-error .sev { color: #b3261e; font-weight: bold; }
        tr.sev-warning .sev, .finding.sev-warning .sev { color: #a15c00; }
        form.filters { display: flex; flex-wrap: wrap; gap: 6px 12px; font-size: 13px; margin-bottom: 8px; }
        article.finding { background: #fff; border: 1px solid #ddd; border-left: 4px solid #1d5fa8; padding: 6px 10px; margin: 6px 0; }
        article.finding.sev-error { border-left-color: #b3261e; } article.finding.sev-warning { border-left-color: #a15c00; }
        .decision { color: #2e7d32; font-size: 13px; }
        dl.identity { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; font-size: 13px; }
        dl.identity dd { margin: 0; }
        section.trends { display: flex; flex-wrap: wrap; gap: 8px 24px; }
        figure.trend { margin: 0; font-size: 12px; }
        .meta { color: #666; font-size: 12px; }
        form.signout { float: right; margin: 0; font-size: 13px; }
        .refused { color: #b3261e; }
        div.split { display: grid; grid-template-columns: minmax(300px, 2fr) 3fr; gap: 16px; align-items: start; }
        div.split > div { min-width: 0; } div.split > div.text { position: sticky; top: 8px; }
        div.text .bulletin { background: #fff; border: 1px solid #ddd; max-height: 85vh; overflow: auto; font-size: 14px; }
        div.line { display: flex; }
        .ln { flex: none; width: 3.5em; padding-right: 8px; text-align: right; color: #999; user-select: none; }
        .lt { white-space: pre-wrap; overflow-wrap: anywhere; }
        mark { background: #dbe8f8; } mark.sev-error { background: #f9d6d3; } mark.sev-warning { background: #ffe7b3; }
        mark:target { outline: 2px solid #ffb300; } mark a { color: inherit; text-decoration: none; }
        ul.evidence { margin: 4px 0; padding-left: 18px; font-size: 13px; }
        article.finding:target { outline: 2px solid #ffb300; }
        h3.group { font-size: 14px; margin: 12px 0 4px; color: #444; }
        @media (max-width: 900px) { div.split { grid-template-columns: 1fr; } }
        """
    static let styleHash = HTMLRenderer.hash(style)

    /// A page: `navigation` adds the site's links and, when signed in, the person and a sign-out button.
    static func html(title: String, body: String, refresh: Int? = nil, navigation: Bool = true) -> String {
        let e: (String) -> String = HTMLRenderer.escape
        let reload = refresh.map { "<meta http-equiv=\"refresh\" content=\"\($0)\">" } ?? ""
        var nav = ""
        if navigation {
            let visitor = Visitor.current
            let role = visitor?.role ?? .admin
            nav = "<a href=\"/\">Bulletins</a> · <a href=\"/rules\">Rules</a>"
            if role >= .reviewer { nav += " · <a href=\"/submit\">Submit</a>" }
            nav += " · <a href=\"/export/waivers.yml\">waivers</a>"
            if let v = visitor, v.signedIn {
                if role >= .admin { nav += " · <a href=\"/people\">People</a>" }
                nav +=
                    "<form class=\"signout\" method=\"post\" action=\"/logout\">\(e(v.name)) (\(e(v.role.rawValue))) "
                nav += "<input type=\"hidden\" name=\"csrf\" value=\"\(e(v.token.value))\">"
                nav += "<button type=\"submit\">sign out</button></form>"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">\(reload)<meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title)) · Assay review</title><style>\(style)</style></head>
            <body><header class="site">\(nav)</header>
            <main>
            \(body)</main></body></html>

            """
    }
}
