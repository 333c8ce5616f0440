#!/usr/bin/env python3
"""Batch throughput of `assay check` against Semgrep with 8 regex rules, on the same files in one run.

The corpus: N copies of the bundled sample (about 14 KB each; 1,000 make 14.3 MB), each with 9 of its
figures varied and a unique line added, so no two files are alike (seeded: the same seed, the same
files). Then, each timed --runs times (the best kept):

- `assay check DIR --format json --output OUT` (the CLI batch);
- `semgrep scan --config RULES DIR --json --metrics=off --jobs CORES` with 8 `pattern-regex` rules over
  the files as generic text (Semgrep installed from PyPI: `pip install semgrep`);
- with --watch, `assay watch-bench --backlog N` (the daemon clearing a backlog of as many files).

    swift build -c release && scripts/bench-throughput.py --semgrep "$(command -v semgrep)"
"""
import argparse, os, random, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "Samples", "chongqing-2021-01-05-xunshi-progress.txt")

RULES = """rules:
  - {id: percent, languages: [generic], severity: INFO, message: percentage, pattern-regex: '\\d+(?:\\.\\d+)?%'}
  - {id: money, languages: [generic], severity: INFO, message: money, pattern-regex: '\\d+(?:\\.\\d+)?(?:万|亿)?元'}
  - {id: count, languages: [generic], severity: INFO, message: count, pattern-regex: '\\d+(?:个|项|件|条|人)'}
  - {id: date, languages: [generic], severity: INFO, message: date, pattern-regex: '\\d{4}年\\d{1,2}月(?:\\d{1,2}日)?'}
  - {id: done, languages: [generic], severity: INFO, message: done, pattern-regex: '已(?:完成|整改|办结)\\d+'}
  - {id: deadline, languages: [generic], severity: INFO, message: deadline, pattern-regex: '(?:年底|月底|前)完成'}
  - {id: phone, languages: [generic], severity: INFO, message: phone, pattern-regex: '(?:联系电话|举报电话)[:：]?\\s*\\d[\\d-]{6,}'}
  - {id: email, languages: [generic], severity: INFO, message: email, pattern-regex: '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}'}
"""


def corpus(folder, n, seed):
    rng = random.Random(seed)
    text = open(SAMPLE, encoding="utf-8").read()
    spots = [m for m in re.finditer(r"\d+", text)]
    os.makedirs(folder, exist_ok=True)
    size = 0
    for i in range(n):
        chosen = sorted(rng.sample(range(len(spots)), 9), reverse=True)
        t = text
        for k in chosen:
            m = spots[k]
            t = t[:m.start()] + str(rng.randint(1, 999)) + t[m.end():]
        t += "\n本期编号 %06d,核对人 %s。\n" % (i, rng.choice("甲乙丙丁戊己庚辛"))
        path = os.path.join(folder, "bulletin-%04d.txt" % i)
        with open(path, "w", encoding="utf-8") as f:
            f.write(t)
        size += len(t.encode())
    return size


def timed(args, runs, before=None):
    best = None
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        r = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        s = time.perf_counter() - t
        if r.returncode not in (0, 1):
            sys.exit("%s failed (%d): %s" % (args[0], r.returncode, r.stderr.decode()[-2000:]))
        best = s if best is None else min(best, s)
    return best


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--assay", default=os.path.join(ROOT, ".build/release/assay"))
    p.add_argument("--semgrep", help="the semgrep executable; left out when not given")
    p.add_argument("--files", type=int, default=1000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--watch", action="store_true", help="also time assay watch-bench on as many files")
    a = p.parse_args()
    cores = os.cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        files = os.path.join(tmp, "corpus")
        size = corpus(files, a.files, a.seed)
        out = os.path.join(tmp, "out")
        print("%d files, %.1f MB, %d cores, best of %d runs" % (a.files, size / 1e6, cores, a.runs))
        assay = timed([a.assay, "check", files, "--format", "json", "--output", out], a.runs,
                      before=lambda: shutil.rmtree(out, ignore_errors=True))
        print("assay check --format json --output: %.2f s, %.0f files/s" % (assay, a.files / assay))
        if a.semgrep:
            rules = os.path.join(tmp, "rules.yml")
            open(rules, "w").write(RULES)
            sem = timed([a.semgrep, "scan", "--config", rules, files, "--json", "--metrics=off", "--disable-version-check",
                         "--jobs", str(cores), "--quiet"], a.runs)
            print("semgrep 8 regex rules: %.2f s, %.0f files/s; assay is %.1fx faster" % (sem, a.files / sem, sem / assay))
        if a.watch:
            r = subprocess.run([a.assay, "watch-bench", "--sample", SAMPLE, "--backlog", str(a.files), "--drops", "20"],
                               capture_output=True, text=True)
            print(r.stdout.strip())


if __name__ == "__main__":
    main()
