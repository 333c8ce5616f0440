import AssayStore
import AssayTestSupport
import Foundation
import Glibc
import Testing

/// The review pages in a real browser (issue 16): headless Chromium signs in to `assay serve` running
/// with logins, filters the inbox, opens a bulletin, triages a finding, and the decision is in the store
/// under the person who signed in. Screenshots of each step go to `.build/test-screenshots/<test>/`.
///
/// CI installs Chromium (`.ci/run`); elsewhere the test is skipped when no browser is installed, and in
/// CI (`CI` set) a missing browser fails it.
@Suite(.serialized)
struct BrowserTests {
    static let canRun = Chromium.executable != nil || ProcessInfo.processInfo.environment["CI"] != nil

    /// A port on loopback that nothing listens on now.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// Whether something accepts connections on loopback `port`.
    static func listening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    @Test(.enabled(if: canRun, "no Chromium installed"))
    func aReviewerSignsInFiltersOpensABulletinAndTriagesAFinding() throws {
        let executable = try #require(Chromium.executable, "Chromium is not installed (CI installs it: .ci/run)")
        let shots = repoRoot.appendingPathComponent(".build/test-screenshots/BrowserTests.triage").path
        try? FileManager.default.removeItem(atPath: shots)
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-browser-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ p: String) -> String { dir.appendingPathComponent(p).path }
        try FileManager.default.createDirectory(atPath: path("inbox"), withIntermediateDirectories: true)

        // A store of one issuer's four bulletins, checked with the bundled rules and history kept.
        let series = repoPath("Tests/AssayCoreTests/Fixtures/series/tonggang-zhujian")
        let files = ["2024-01-19.txt", "2024-04-12.txt", "2024-07-05.txt", "2024-10-18.txt"]
        let check = try runAssay(
            ["check", "--state", path("state"), "--output", path("out"), "--format", "html"]
                + files.map { series + "/" + $0 })
        #expect(check.status == 1, "\(check.stderr)")
        let add = try runAssay(
            ["user", "add", "li.hua", "--role", "reviewer", "--users", path("users.yml"), "--cost", "10"],
            stdin: Data("browser test passphrase\n".utf8))
        #expect(add.status == 0, "\(add.stderr)")

        let port = Self.freePort()
        let server = Process()
        server.executableURL = AssayBinary.url
        server.arguments = [
            "serve", "--state", path("state"), "--outbox", path("out"), "--inbox", path("inbox"), "--bind",
            "127.0.0.1:\(port)", "--users", path("users.yml"), "--reviewer", "nobody",
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let base = "http://127.0.0.1:\(port)"
        #expect(waitUntil(timeout: .seconds(20)) { Self.listening(port) })

        let browser = try Chromium(executable: executable)
        defer { browser.quit() }
        func shot(_ name: String) throws { try browser.screenshot(shots + "/" + name) }

        // Signed out, the inbox sends the browser to the sign-in page.
        try browser.open(base + "/")
        try browser.waitForPage { $0.hasPrefix(base + "/login") }
        #expect(try browser.evaluate("document.title") as? String == "Sign in · Assay review")
        // The style sheet is allowed by the page's policy (its hash): the page is styled.
        #expect(
            try browser.evaluate("getComputedStyle(document.body).backgroundColor") as? String == "rgb(250, 250, 250)")
        try shot("01-sign-in.png")
        _ = try browser.evaluate(
            """
            document.querySelector('input[name=name]').value = 'li.hua';
            document.querySelector('input[name=password]').value = 'browser test passphrase';
            document.querySelector('form.signin button').click();
            """)
        try browser.waitForPage { $0 == base + "/" }
        #expect(try browser.evaluate("document.querySelectorAll('table.inbox tbody tr').length") as? Int == 4)
        #expect(
            try browser.evaluate("document.querySelector('form.signout').textContent.trim()") as? String
                == "li.hua (reviewer) sign out")
        try shot("02-inbox.png")

        // Filter: worst at least error.
        _ = try browser.evaluate(
            """
            document.querySelector('select[name=severity]').value = 'error';
            document.querySelector('form.filters button').click();
            """)
        try browser.waitForPage { $0.contains("severity=error") }
        #expect(
            try browser.evaluate(
                "[...document.querySelectorAll('table.inbox tbody tr td:nth-child(2)')].map(td => td.textContent)")
                as? [String] == ["2024-07-05.txt"])
        try shot("03-filtered.png")

        // Open the bulletin and decide on its first finding.
        _ = try browser.evaluate("document.querySelector('table.inbox tbody tr td:nth-child(2) a').click()")
        try browser.waitForPage { $0.contains("/bulletin/") }
        let sha = String(try browser.waitForPage { $0.contains("/bulletin/") }.split(separator: "/").last ?? "")
        #expect(
            try browser.evaluate("document.querySelector('article.finding code').textContent") as? String
                == "done-not-falling")
        // The text is laid out beside the findings, each piece of evidence marked in it; a finding's evidence
        // link scrolls to its mark, and the mark links back to the finding.
        #expect(
            try browser.evaluate(
                "document.querySelector('div.text').getBoundingClientRect().left >= document.querySelector('div.findings').getBoundingClientRect().right"
            ) as? Bool == true)
        let evidence = try browser.evaluate("document.querySelectorAll('ul.evidence a').length") as? Int ?? 0
        #expect(evidence >= 2)
        #expect(try browser.evaluate("document.querySelectorAll('div.bulletin mark').length") as? Int == evidence)
        try shot("04-bulletin.png")
        _ = try browser.evaluate("document.querySelector('article.finding ul.evidence a').click()")
        try browser.waitForPage { $0.hasSuffix("#ev-0-0") }
        #expect(try browser.evaluate("document.querySelector('mark:target').textContent") as? String == "26项")
        #expect(
            try browser.evaluate("document.querySelector('mark:target a').getAttribute('href')") as? String
                == "#" + (try browser.evaluate("document.querySelector('article.finding').id") as? String ?? "?"))
        _ = try browser.evaluate(
            """
            const form = document.querySelector('article.finding form.triage');
            form.querySelector('select[name=decision]').value = 'confirmed';
            form.querySelector('input[name=note]').value = '核对台账属实';
            form.querySelector('button').click();
            """)
        try browser.waitForPage { $0.contains("#f-") }
        #expect(
            try browser.evaluate("document.querySelector('article.finding p.decision').textContent") as? String
                == "confirmed by li.hua at \(try #require(StateStore(folder: path("state")).triageTrail(sha256: sha).first?.at)): 核对台账属实"
        )
        try shot("05-triaged.png")

        let trail = try StateStore(folder: path("state")).triageTrail(sha256: sha)
        #expect(trail.map(\.who) == ["li.hua"])
        #expect(trail.map(\.rule) == ["done-not-falling"])
        #expect(trail.map(\.decision) == [.confirmed])
        #expect(trail.map(\.note) == ["核对台账属实"])
        // Each screenshot is a PNG of the window's width (the IHDR chunk's width, bytes 16–19).
        for name in ["01-sign-in.png", "02-inbox.png", "03-filtered.png", "04-bulletin.png", "05-triaged.png"] {
            let png = [UInt8]((try? Data(contentsOf: URL(fileURLWithPath: shots + "/" + name))) ?? Data())
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(name)")
            #expect(png.count > 24 && png[16..<20].reduce(0) { $0 << 8 | Int($1) } == 1280, "\(name)")
        }
        print("BrowserTests: screenshots in \(shots)")
    }
}
