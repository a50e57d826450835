"""Every annotation the analysis makes, as one JSON file, to show that a
refactoring leaves the output unchanged.

    .venv/bin/python benchmarks/snapshot.py OUT.json [--shared ../shared]
    diff <(python -m json.tool before.json) <(python -m json.tool after.json)

Analyses the examples, the seed, the development corpus and the first 60
Re-DocRED documents (when ``shared`` is there) with the default components
and writes, per article, its entities, amounts, dates, quotes, events,
relations and stances.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from dossier.pipeline import analyse, make_doc
from dossier.readers import read_paths

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("entities", "amounts", "dates", "quotes", "events", "relations", "stances")


def _plain(x):
    if dataclasses.is_dataclass(x):
        return {f.name: _plain(getattr(x, f.name)) for f in dataclasses.fields(x)}
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    paths = [ROOT / "examples"]
    for sub in ("corpus", "dev/corpus"):
        if (args.shared / sub).is_dir():
            paths.append(args.shared / sub)
    from dossier.model import Article, ReadError
    articles = [a for a in read_paths([str(p) for p in paths]) if not isinstance(a, ReadError)]
    red = args.shared / "peer" / "redocred-dev" / "redocred_subset.jsonl"
    if red.exists():
        for line in red.read_text(encoding="utf-8").splitlines()[:60]:
            d = json.loads(line)
            articles.append(Article(text=d["text"], title=d.get("title"), language="en", path=d["id"]))
    docs = []
    for a in articles:
        try:
            docs.append(make_doc(a))
        except ValueError:
            pass
    analyse(docs)
    snap = {d.article.path or d.article.id: {f: _plain(getattr(d, f)) for f in FIELDS} for d in docs}
    args.out.write_text(json.dumps(snap, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    print(f"{len(docs)} articles -> {args.out}")


if __name__ == "__main__":
    main()
