#!/usr/bin/env python3
"""Known-item relevance benchmark for evidence-server.

Samples pages of the indexed documents, takes from each a phrase (8 consecutive words,
searched in quotes; phrases that occur in more than one document are left out) and a bag
of 3-6 distinctive words (searched without quotes), queries
the server, and reports for each kind: success@1 and success@10 (the source document is
first / in the top 10), MRR@10, and page accuracy@1 (the first passage of the source
document names the page the words came from).

Usage: bench/relevance.py [--server http://127.0.0.1:8080] [--pages-per-document 5] [--seed 1]
"""
import argparse
import json
import random
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

STOPWORDS = set("""a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had
has have having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our ours out over own same she should so some such than that the
their theirs them then there these they this those through to too under until up very was we were what
when where which while who whom why will with would you your yours also may page per les des une pour
dans par sur est sont aux del los las por con para que une""".split())
WORD = re.compile(r"^[^\W\d_][\w'’-]*$", re.UNICODE)


def get(server, path, **params):
    url = server + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=60) as response:
        return json.load(response)


def documents(server):
    offset = 0
    while True:
        batch = get(server, "/api/documents", offset=offset, limit=1000)
        yield from batch["documents"]
        offset += len(batch["documents"])
        if offset >= batch["total"] or not batch["documents"]:
            return


def phrase_from(words, rng):
    if len(words) < 12:
        return None
    start = rng.randrange(0, len(words) - 8)
    candidate = words[start:start + 8]
    # Leader dots of a table of contents (". . . .") are no phrase anyone would look for.
    if any('"' in w for w in candidate) or sum(1 for w in candidate if WORD.match(w.strip(".,;:()"))) < 4:
        return None
    return '"' + " ".join(candidate) + '"'


def bag_from(words, rng):
    distinct = sorted({w.strip(".,;:()[]!?“”‘’'").lower() for w in words} - STOPWORDS)
    distinct = [w for w in distinct if len(w) > 3 and WORD.match(w)]
    if len(distinct) < 6:
        return None
    return " ".join(rng.sample(distinct, rng.randint(3, 6)))


def evaluate(server, query, document_id, page):
    try:
        result = get(server, "/api/search", q=query, limit=10, pages=1, facets=0)
    except urllib.error.HTTPError as error:
        if error.code == 400:  # words that read as a field or range with a bad value
            return "rejected", False
        raise
    if query.startswith('"') and result["total"] > 1:
        return "ambiguous", False  # the phrase is in several documents: any of them may be first
    for rank, hit in enumerate(result["documents"], start=1):
        if hit["id"] == document_id:
            first_page = hit["pages"][0]["page"] if hit["pages"] else None
            return rank, first_page == page
    return None, False


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="http://127.0.0.1:8080")
    parser.add_argument("--pages-per-document", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    scores = {"phrase": [], "bag": []}
    skipped = {"ambiguous": 0, "rejected": 0}
    for document in documents(args.server):
        pages = list(range(1, document["page_count"] + 1))
        for page in rng.sample(pages, min(args.pages_per_document, len(pages))):
            text = get(args.server, f"/api/documents/{document['id']}/pages/{page}")["text"]
            words = text.split()
            for kind, make in (("phrase", phrase_from), ("bag", bag_from)):
                query = make(words, rng)
                if query is None:
                    continue
                rank, page_right = evaluate(args.server, query, document["id"], page)
                if rank in ("ambiguous", "rejected"):
                    skipped[rank] += 1
                    continue
                scores[kind].append((rank, page_right))
    print(f"{'queries':<8} {'n':>6} {'success@1':>10} {'success@10':>11} {'MRR@10':>8} {'page acc@1':>11}")
    for kind, results in scores.items():
        n = len(results)
        if n == 0:
            continue
        s1 = sum(1 for rank, _ in results if rank == 1) / n
        s10 = sum(1 for rank, _ in results if rank is not None) / n
        mrr = sum(1 / rank for rank, _ in results if rank is not None) / n
        found_first = [right for rank, right in results if rank == 1]
        page_acc = sum(found_first) / len(found_first) if found_first else 0
        print(f"{kind:<8} {n:>6} {s1:>10.3f} {s10:>11.3f} {mrr:>8.3f} {page_acc:>11.3f}")
    print(f"({skipped['ambiguous']} sampled phrases occur in more than one document and were left out; "
          f"{skipped['rejected']} queries were refused with 400)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
