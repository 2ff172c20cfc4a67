#!/usr/bin/env python3
"""Regenerates schemas/vocabularies/countries.json from Debian's iso-codes package.

Run from the repository root after `apt-get install iso-codes`.
"""
import json
import pathlib

SOURCE = pathlib.Path("/usr/share/iso-codes/json/iso_3166-1.json")
TARGET = pathlib.Path("schemas/vocabularies/countries.json")

entries = json.loads(SOURCE.read_text(encoding="utf-8"))["3166-1"]
labels = {e["alpha_2"]: e.get("common_name", e["name"]) for e in entries}
codes = sorted(labels)
vocabulary = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$id": "vocabularies/countries.json",
    "title": "Country (ISO 3166-1 alpha-2)",
    "description": "ISO 3166-1 alpha-2 codes with English short names, taken from Debian's "
    "iso-codes package (scripts/make-country-vocabulary.py regenerates this file).",
    "type": "string",
    "enum": codes,
    "x-labels": {code: labels[code] for code in codes},
}
TARGET.write_text(json.dumps(vocabulary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
