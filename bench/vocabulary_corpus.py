#!/usr/bin/env python3
"""Writes a corpus whose vocabulary is large for its size: DOCS PDFs of random made-up words
(about WORDS distinct ones in all), the shape of index on which a wildcard like a* stands for
tens of thousands of words. For bench/abuse.sh; not part of the tests.

usage: bench/vocabulary_corpus.py OUT_DIR MAKE_PDF [DOCS] [WORDS]
"""
import os
import random
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, make_pdf = sys.argv[1], sys.argv[2]
    docs = int(sys.argv[3]) if len(sys.argv) > 3 else 34
    words = int(sys.argv[4]) if len(sys.argv) > 4 else 100000
    rng = random.Random(1)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(5, 10))) for _ in range(words)})
    rng.shuffle(vocabulary)
    os.makedirs(out, exist_ok=True)
    per_doc = len(vocabulary) // docs
    for d in range(docs):
        own = vocabulary[d * per_doc:(d + 1) * per_doc] + ["shelter", "referral", "harbour"]
        lines = [f"@title Vocabulary sample {d + 1}", "@date 2024-01-01"]
        for start in range(0, len(own), 300):  # 300 words a page
            lines += ["@page", " ".join(own[start:start + 300]), ""]
        source = os.path.join(out, f"vocabulary-{d + 1:02}.txt")
        with open(source, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run([make_pdf, source, source[:-4] + ".pdf"], check=True)
        os.remove(source)


if __name__ == "__main__":
    main()
