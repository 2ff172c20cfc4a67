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
  query_tools.py paths URL FILE [REPEAT]
                                     each request path of FILE (a line each, REPEAT times
                                     over), timed as above: "count p50 p99 client-p50
                                     largest-bytes", times in ms (server-side, then as the
                                     client waits)
  query_tools.py misspell FILE [EVERY]
                                     FILE's queries, every EVERY-th (default 5) with two
                                     letters of its longest word swapped (so that the server
                                     looks for a spelling to suggest)
  query_tools.py private-words URL IDS_FILE N
                                     N words of the text of the documents IDS_FILE lists
                                     that a caller with TOKEN finds and an anonymous caller
                                     does not (the words an anonymous search must not betray)
  query_tools.py listed URL          the catalogue records an anonymous caller finds (documents
                                     it may not read): "id<TAB>title<TAB>date" a line, by id
  query_tools.py stand-ins URL IDS_FILE DIR
                                     for each document of IDS_FILE, a one-page PDF of a line of
                                     its own in DIR, with a sidecar of its level (members) and
                                     the brief summary the server lists for it
  query_tools.py probe URL_A FILE_A URL_B FILE_B ROUNDS
                                     FILE_A's queries asked of URL_A and FILE_B's of URL_B,
                                     alternately, ROUNDS times, over a keep-alive connection
                                     to each, without a token: per side, p50 of the server
                                     time and of the time the client waits; and the noise
                                     floor, the p50 gap between the halves of side A

TOKEN, when set, is sent as a bearer token with every request.
"""
import random
import re
import statistics
import sys
import urllib.parse
import urllib.request


def request(url):
    """A GET of url, with the bearer token of TOKEN when it is set."""
    import os
    headers = {"Authorization": "Bearer " + os.environ["TOKEN"]} if os.environ.get("TOKEN") else {}
    return urllib.request.Request(url, headers=headers)


def get_json(url, path, anonymous=False):
    import json
    with urllib.request.urlopen(urllib.request.Request(url + path) if anonymous else request(url + path),
                                timeout=60) as response:
        return json.load(response)


def readable_documents(url):
    """The documents the caller may read (a listed catalogue record has no pages to take words from)."""
    return [d for d in get_json(url, "/api/documents?limit=1000")["documents"] if d.get("readable", True)]


def make_queries(url, count):
    rng = random.Random(7)
    documents = readable_documents(url)
    word = re.compile(r"^[a-z]{4,}$")
    for _ in range(count):
        document = rng.choice(documents)
        page = rng.randint(1, document["page_count"])
        text = get_json(url, f"/api/documents/{document['id']}/pages/{page}")["text"].lower().split()
        words = [w for w in text if word.match(w)] or ["report"]
        print(" ".join(rng.sample(words, min(len(words), rng.randint(1, 3)))))


def make_phrases(url, count):
    rng = random.Random(11)
    documents = readable_documents(url)
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


def path_times(url, paths):
    """Server-side (Server-Timing) and client-side ms of each GET of paths, after a warm-up
    round; and the largest answer's size in bytes."""
    import time
    server, client, largest = [], [], 0
    for _ in range(2):  # the first round warms the caches
        server, client = [], []
        for path in paths:
            start = time.perf_counter()
            with urllib.request.urlopen(request(url + path), timeout=60) as response:
                largest = max(largest, len(response.read()))
                client.append((time.perf_counter() - start) * 1000)
                server.append(float(response.headers["Server-Timing"].split("dur=")[1]))
    return server, client, largest


def percentile(times, fraction):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def server_times(url, path, params=""):
    queries = [q for q in open(path).read().splitlines() if q]
    times, _, _ = path_times(url, ["/api/search?q=" + urllib.parse.quote(query) + ("&" + params if params else "")
                                   for query in queries])
    print(len(times), f"{percentile(times, 0.5):.3f}", f"{percentile(times, 0.99):.3f}",
          f"{statistics.mean(times):.3f}")


def page_times(url, path, repeat):
    paths = [p for p in open(path).read().splitlines() if p] * repeat
    server, client, largest = path_times(url, paths)
    print(len(server), f"{percentile(server, 0.5):.3f}", f"{percentile(server, 0.99):.3f}",
          f"{percentile(client, 0.5):.3f}", largest)


def misspell(path, every):
    for n, query in enumerate(q for q in open(path).read().splitlines() if q):
        words = query.split()
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        if n % every == every - 1 and len(word) >= 4:
            middle = len(word) // 2
            words[longest] = word[:middle - 1] + word[middle] + word[middle - 1] + word[middle + 1:]
        print(" ".join(words))


def total(url, word, anonymous):
    return get_json(url, "/api/search?facets=0&pages=0&q=" + urllib.parse.quote(word), anonymous)["total"]


def private_words(url, ids_path, count):
    rng = random.Random(13)
    ids = [i for i in open(ids_path).read().split() if i]
    word = re.compile(r"^[a-z]{5,}$")
    found, tried = [], set()
    while len(found) < count and len(tried) < 50 * count:
        document = get_json(url, "/api/documents/" + rng.choice(ids))
        page = rng.randint(1, document["page_count"])
        text = get_json(url, f"/api/documents/{document['id']}/pages/{page}")["text"].lower().split()
        for candidate in rng.sample(text, min(len(text), 20)):
            if candidate in tried or not word.match(candidate):
                continue
            tried.add(candidate)
            if total(url, candidate, False) > 0 and total(url, candidate, True) == 0:
                found.append(candidate)
                break
    print("\n".join(found))


def listed(url):
    documents = get_json(url, "/api/documents?limit=1000", anonymous=True)["documents"]
    for document in sorted((d for d in documents if not d.get("readable", True)), key=lambda d: d["id"]):
        print(document["id"], document.get("title", ""), document.get("date", ""), sep="\t")


def one_page_pdf(text):
    content = b"BT /F1 12 Tf 72 720 Td (" + text.encode() + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
               b" /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def stand_ins(url, ids_path, out):
    import json
    import os
    ids = set(open(ids_path).read().split())
    os.makedirs(out)
    listing = get_json(url, "/api/documents?limit=1000")["documents"]
    for n, document in enumerate(d for d in listing if d["id"] in ids):
        sidecar = {"id": document["id"], "access": "members"}
        for field in ("title", "organisations", "date", "type", "summary", "countries", "themes"):
            if document.get(field):
                sidecar[field] = document[field]
        with open(os.path.join(out, f"stand-in-{n}.pdf"), "wb") as pdf:
            pdf.write(one_page_pdf(f"Stand-in number {n}"))
        with open(os.path.join(out, f"stand-in-{n}.json"), "w") as sidecar_file:
            json.dump(sidecar, sidecar_file)


def probe(url_a, path_a, url_b, path_b, rounds):
    import http.client
    import time
    sides = []
    for url, path in ((url_a, path_a), (url_b, path_b)):
        host, port = urllib.parse.urlsplit(url).netloc.split(":")
        sides.append((http.client.HTTPConnection(host, int(port), timeout=60),
                      [q for q in open(path).read().splitlines() if q], [], []))
    for _ in range(rounds):
        for i in range(max(len(queries) for _, queries, _, _ in sides)):
            for connection, queries, server, client in sides:
                start = time.perf_counter()
                connection.request("GET", "/api/search?q=" + urllib.parse.quote(queries[i % len(queries)]))
                response = connection.getresponse()
                response.read()
                client.append((time.perf_counter() - start) * 1000)
                server.append(float(response.headers["Server-Timing"].split("dur=")[1]))
    p50 = statistics.median
    for name, (_, _, server, client) in zip(("A", "B"), sides):
        print(name, len(server), f"{p50(server):.3f}", f"{p50(client):.3f}")
    _, _, server_a, client_a = sides[0]
    half = len(server_a) // 2
    print("noise", f"{abs(p50(server_a[:half]) - p50(server_a[half:])):.3f}",
          f"{abs(p50(client_a[:half]) - p50(client_a[half:])):.3f}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "queries":
        make_queries(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 500)
    elif len(sys.argv) >= 3 and sys.argv[1] == "phrases":
        make_phrases(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 500)
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "misspell":
        misspell(sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 5)
    elif len(sys.argv) == 5 and sys.argv[1] == "private-words":
        private_words(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == "listed":
        listed(sys.argv[2])
    elif len(sys.argv) == 5 and sys.argv[1] == "stand-ins":
        stand_ins(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 7 and sys.argv[1] == "probe":
        probe(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "paths":
        page_times(sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) == 5 else 1)
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "times":
        server_times(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else "")
    else:
        sys.exit(__doc__)
