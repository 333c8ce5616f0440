#!/usr/bin/env python3
"""Writes N varied bulletins made from the corpus files, reproducibly (seeded), for `assay bench`.

    scripts/bench-variants.py OUT_DIR [--count 1000] [--seed 1]

Each bulletin joins one to four corpus bulletins (Tests/AssayCoreTests/Fixtures/corpus/*.txt), each
whole, cut to a run of its lines, or repeated up to eight times, so lengths run from a few hundred
characters to tens of thousands. The same seed writes the same files.
"""
import argparse
import glob
import os
import random

here = os.path.dirname(os.path.abspath(__file__))
corpus = sorted(glob.glob(os.path.join(here, "..", "Tests", "AssayCoreTests", "Fixtures", "corpus", "*.txt")))

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--count", type=int, default=1000)
ap.add_argument("--seed", type=int, default=1)
args = ap.parse_args()

rng = random.Random(args.seed)
texts = [open(p, encoding="utf-8").read().splitlines() for p in corpus]
os.makedirs(args.out, exist_ok=True)
for n in range(args.count):
    parts = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        lines = rng.choice(texts)
        way = rng.random()
        if way < 0.5:
            piece = lines
        elif way < 0.8:
            a = rng.randrange(len(lines))
            piece = lines[a:a + rng.randint(3, max(3, len(lines)))]
        else:
            piece = lines * rng.randint(2, 8)
        parts.append("\n".join(piece))
    text = "\n\n".join(parts) + "\n"
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    with open(os.path.join(args.out, f"v{n:04d}.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)
print(f"{args.count} bulletins in {args.out} (seed {args.seed}, {len(corpus)} corpus files)")
