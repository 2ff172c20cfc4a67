#!/usr/bin/env python3
"""Shared by the query benchmarks (bench/query.sh, bench/shards.sh).

  query_tools.py queries URL [N]     N queries of 1-3 words from random pages of the server's
                                     documents (seeded: the same index gives the same list)
  query_tools.py phrases URL [N]     N phrases in quotes: 2-4 words that stand together on a
                                     random page (seeded, as above)
  query_tools.py times URL FILE [PARAMS]
                                     server-side time of each query of FILE (Server-Timing),
                                     after a warm-up round: "count p50 p99 mean" in ms; PARAMS
                                     are added to each search ("facets=0&pages=0")
"""
import random
import re
import statistics
import sys
import urllib.parse
import urllib.request


def get_json(url, path):
    import json
    with urllib.request.urlopen(url + path, timeout=60) as response:
        return json.load(response)


def make_queries(url, count):
    rng = random.Random(7)
    documents = get_json(url, "/api/documents?limit=1000")["documents"]
    word = re.compile(r"^[a-z]{4,}$")
    for _ in range(count):
        document = rng.choice(documents)
        page = rng.randint(1, document["page_count"])
        text = get_json(url, f"/api/documents/{document['id']}/pages/{page}")["text"].lower().split()
        words = [w for w in text if word.match(w)] or ["report"]
        print(" ".join(rng.sample(words, min(len(words), rng.randint(1, 3)))))


def make_phrases(url, count):
    rng = random.Random(11)
    documents = get_json(url, "/api/documents?limit=1000")["documents"]
    word = re.compile(r"^[a-z]{2,}$")
    made = 0
    while made < count:
        document = rng.choice(documents)
        page = rng.randint(1, document["page_count"])
        text = get_json(url, f"/api/documents/{document['id']}/pages/{page}")["text"].lower().split()
        length = rng.randint(2, 4)
        runs = [text[i:i + length] for i in range(len(text) - length + 1)
                if all(word.match(w) for w in text[i:i + length])]
        if runs:
            print('"' + " ".join(rng.choice(runs)) + '"')
            made += 1


def server_times(url, path, params=""):
    queries = [q for q in open(path).read().splitlines() if q]
    times = []
    for _ in range(2):  # the first round warms the caches
        times = []
        for query in queries:
            with urllib.request.urlopen(url + "/api/search?q=" + urllib.parse.quote(query) + (
                    "&" + params if params else ""), timeout=60) as response:
                response.read()
                times.append(float(response.headers["Server-Timing"].split("dur=")[1]))
    times.sort()
    at = lambda f: times[min(len(times) - 1, int(f * len(times)))]
    print(len(times), f"{at(0.5):.3f}", f"{at(0.99):.3f}", f"{statistics.mean(times):.3f}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "queries":
        make_queries(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 500)
    elif len(sys.argv) >= 3 and sys.argv[1] == "phrases":
        make_phrases(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 500)
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "times":
        server_times(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else "")
    else:
        sys.exit(__doc__)
