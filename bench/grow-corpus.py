#!/usr/bin/env python3
"""Builds a corpus FACTOR times the size of a real one, for measuring how the index grows.

  bench/grow-corpus.py REAL_DIR OUT_DIR FACTOR [MAKE_PDF]

OUT_DIR/real holds hard links to REAL_DIR's PDFs (1x). For FACTOR > 1, OUT_DIR/made holds
(FACTOR - 1) times as many generated PDFs, each as long as a real one picked at random
(pdfinfo), with pages of as many words as the real corpus averages. Their words are drawn
from a Zipf distribution over an unbounded vocabulary: its first ranks are the real
corpus's own words, most frequent first (read by pdftotext, kept in OUT_DIR/vocabulary.txt),
so real words' posting lists grow with the corpus as they would; the ranks beyond are
made-up words, so the vocabulary keeps growing as natural text's does (Heaps' law). Not
the same pages repeated (which would lengthen every posting list without new words), nor
copied files (which the indexer rightly merges). Seeded: the same arguments give the same
corpus, and a larger FACTOR's first files are not those of a smaller one, so growth
benchmarks take the first files of one corpus (bench/growth.sh). MAKE_PDF defaults to
build/release/tools/evidence-make-pdf.
"""
import bisect
import os
import random
import re
import subprocess
import sys
from collections import Counter

# Fitted to the Debian corpus's own text (pdftotext of 150 of its PDFs, words of letters):
# 1,383 distinct words in the first 10,000, 5,736 in 100,000, 27,948 in 1,000,000; draws
# with 1.37 give about 1,200, 6,000 and 30,000.
EXPONENT = 1.37
RANKS = 2_000_000  # words beyond this rank are rarer than one in a billion draws
WORDS_PER_PAGE = 400


def pages_of(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return max(1, int(line.split()[1]))
    return 1


def real_vocabulary(pdfs, cache):
    """The real corpus's words of letters seen at least 3 times (fewer are mostly broken
    hyphenation and names), most frequent first."""
    if os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            return f.read().split()
    counts = Counter()
    for path in pdfs:
        text = subprocess.run(["pdftotext", "-q", path, "-"], capture_output=True).stdout
        counts.update(re.findall(r"[a-z]{2,}", text.decode("utf-8", "replace").lower()))
    words = [w for w, n in counts.most_common() if n >= 3]
    with open(cache, "w", encoding="utf-8") as f:
        f.write("\n".join(words) + "\n")
    return words


def made_up_word(rank):
    """A made-up word for each rank: syllables from the rank's digits in base 40."""
    syllables = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"][:40]
    out = ""
    while True:
        out += syllables[rank % 40]
        rank //= 40
        if rank == 0:
            return out


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    real, out, factor = sys.argv[1], sys.argv[2], int(sys.argv[3])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    make_pdf = sys.argv[4] if len(sys.argv) == 5 else os.path.join(root, "build/release/tools/evidence-make-pdf")
    pdfs = sorted(os.path.join(d, f) for d, _, fs in os.walk(real) for f in fs if f.lower().endswith(".pdf"))
    os.makedirs(os.path.join(out, "real"), exist_ok=True)
    for i, path in enumerate(pdfs):
        link = os.path.join(out, "real", f"{i:05}-{os.path.basename(path)}")
        if not os.path.exists(link):
            os.link(path, link)
    if factor <= 1:
        return
    lengths = [pages_of(p) for p in pdfs]
    vocabulary = real_vocabulary(pdfs, os.path.join(out, "vocabulary.txt"))

    def word(rank):
        return vocabulary[rank] if rank < len(vocabulary) else made_up_word(rank)

    rng = random.Random(factor)
    cumulative, total = [], 0.0
    for r in range(1, RANKS + 1):
        total += r ** -EXPONENT
        cumulative.append(total)
    made = os.path.join(out, "made")
    os.makedirs(made, exist_ok=True)
    for n in range((factor - 1) * len(pdfs)):
        target = os.path.join(made, f"made-{n:06}.pdf")
        if os.path.exists(target):
            continue
        lines = [f"@title Generated sample document {n} (made-up words, for benchmarks)", "@date 2024-01-01"]
        for _ in range(rng.choice(lengths)):
            ranks = (bisect.bisect_left(cumulative, rng.random() * total) for _ in range(WORDS_PER_PAGE))
            lines += ["@page", " ".join(word(r) for r in ranks), ""]
        source = target[:-4] + ".txt"
        with open(source, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        subprocess.run([make_pdf, source, target], check=True)
        os.remove(source)


if __name__ == "__main__":
    main()
