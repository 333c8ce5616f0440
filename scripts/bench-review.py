#!/usr/bin/env python3
"""Times the review pages (`assay serve`) over a store of about 10,000 checked bulletins, on loopback.

The store is the bundled sample and the series fixtures checked with `assay check --state`, their rows
copied in SQL under new hashes and names until there are --documents of them. The server runs twice:
without logins, and with logins (a signed-in reviewer's session cookie on every request). The URLs: the
inbox, four filtered searches, the genre and status filters, the sample's bulletin page (its text beside
its findings) and the rules list's JSON export. Each URL is
fetched --requests times in sequence with urllib; the table gives p50 and p95 of the whole request in ms.

    swift build -c release && scripts/bench-review.py --assay .build/release/assay
"""
import argparse, hashlib, http.cookiejar, os, socket, sqlite3, statistics, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def make_store(assay, folder, documents):
    series = os.path.join(ROOT, "Tests/AssayCoreTests/Fixtures/series")
    inputs = [os.path.join(ROOT, "Samples")] + [os.path.join(series, d) for d in sorted(os.listdir(series))]
    subprocess.run([assay, "check", "--state", folder + "/state", "--output", folder + "/out"] + inputs,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = sqlite3.connect(folder + "/state/assay.sqlite")
    docs = db.execute("SELECT * FROM document WHERE status = 'done'").fetchall()
    dcols = [c[1] for c in db.execute("PRAGMA table_info(document)")]
    rcols = [c[1] for c in db.execute("PRAGMA table_info(run)") if c[1] != "id"]
    bcols = [c[1] for c in db.execute("PRAGMA table_info(bulletin)")]
    copy = 0
    while db.execute("SELECT COUNT(*) FROM document").fetchone()[0] < documents:
        copy += 1
        for d in docs:
            row = dict(zip(dcols, d))
            sha = hashlib.sha256((row["sha256"] + str(copy)).encode()).hexdigest()
            new = dict(row, sha256=sha, name="%05d-%s" % (copy, row["name"]), reportStem="%05d-%s" % (copy, row["reportStem"]))
            db.execute("INSERT INTO document (%s) VALUES (%s)" % (",".join(dcols), ",".join("?" * len(dcols))),
                       [new[c] for c in dcols])
            db.execute("INSERT INTO run (%s) SELECT %s FROM run WHERE sha256 = ?" % (
                ",".join(rcols), ",".join("? AS sha256" if c == "sha256" else c for c in rcols)), (sha, row["sha256"]))
            db.execute("INSERT INTO bulletin (%s) SELECT %s FROM bulletin WHERE sha256 = ?" % (
                ",".join(bcols), ",".join("? AS sha256" if c == "sha256" else c for c in bcols)), (sha, row["sha256"]))
            db.execute("INSERT INTO text (sha256, body) SELECT ?, body FROM text WHERE sha256 = ?", (sha, row["sha256"]))
    db.commit()
    return db.execute("SELECT COUNT(*) FROM document").fetchone()[0]


def sample_sha(folder):
    """The bundled sample's hash: its page is the bulletin page timed (the text beside 40-odd findings)."""
    db = sqlite3.connect(folder + "/state/assay.sqlite")
    return db.execute("SELECT sha256 FROM document WHERE name LIKE 'chongqing%' ORDER BY rowid LIMIT 1").fetchone()[0]


def serve(assay, folder, users):
    port = free_port()
    args = [assay, "serve", "--state", folder + "/state", "--outbox", folder + "/out", "--bind", "127.0.0.1:%d" % port]
    if users:
        args += ["--users", users]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, "http://127.0.0.1:%d" % port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("assay serve did not start")


def time_urls(opener, base, urls, requests):
    rows = []
    for url in urls:
        page = opener.open(base + url).read().decode()  # warm up, and make sure it is the page asked for
        assert url.startswith(("/export", "/bulletin")) or "<h1>Bulletins</h1>" in page, (url, page[:300])
        ms = []
        for _ in range(requests):
            t = time.perf_counter()
            with opener.open(base + url) as r:
                r.read()
                assert r.status == 200, (url, r.status)
            ms.append((time.perf_counter() - t) * 1000)
        ms.sort()
        rows.append((url, statistics.median(ms), ms[int(len(ms) * 0.95) - 1]))
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--assay", default=os.path.join(ROOT, ".build/release/assay"))
    p.add_argument("--documents", type=int, default=10_000)
    p.add_argument("--requests", type=int, default=60)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        n = make_store(a.assay, folder, a.documents)
        users = folder + "/users.yml"
        subprocess.run([a.assay, "user", "add", "bench", "--role", "reviewer", "--users", users, "--cost", "10"],
                       input=b"bench passphrase\n", check=True, stdout=subprocess.DEVNULL)
        issuer = urllib.parse.quote("临水县农业农村局")
        urls = ["/", "/?severity=error", "/?q=linshui&severity=warning", "/?reviewed=no&page=50",
                "/?issuer=%s&from=2024-01-01&to=2024-12-31" % issuer, "/?status=missing&genre=xunshi-progress", "/?q=%s&in=text" % urllib.parse.quote("没有这句话"),
                "/bulletin/" + sample_sha(folder), "/export/rules.json"]
        print("%d documents, %d sequential requests per URL (p50 / p95 ms)\n" % (n, a.requests))
        print("| page | p50 | p95 | p50 with logins | p95 with logins |\n|---|---|---|---|---|")
        results = []
        for with_logins in (False, True):
            proc, base = serve(a.assay, folder, users if with_logins else None)
            try:
                jar = http.cookiejar.CookieJar()
                opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
                if with_logins:
                    opener.open(base + "/login").read()
                    csrf = next(c.value for c in jar if c.name == "assay_csrf")
                    form = urllib.parse.urlencode({"csrf": csrf, "name": "bench", "password": "bench passphrase"})
                    opener.open(base + "/login", data=form.encode()).read()
                    # urllib does not send a Secure cookie over http: hand the session over as a header.
                    session = next(c.value for c in jar if c.name == "assay_session")
                    opener.addheaders = [("Cookie", "assay_csrf=%s; assay_session=%s" % (csrf, session))]
                results.append(time_urls(opener, base, urls, a.requests))
            finally:
                proc.terminate()
                proc.wait()
        for (url, p50, p95), (_, q50, q95) in zip(*results):
            print("| `%s` | %.1f | %.1f | %.1f | %.1f |" % (urllib.parse.unquote(url), p50, p95, q50, q95))


if __name__ == "__main__":
    main()
