"""Where dossier's analysis time goes, component by component, next to spaCy's
parse of the same texts, in one process (CPU seconds, so other processes on a
shared machine weigh less than in wall time).

    .venv/bin/python benchmarks/components.py [--n 400] [--rounds 3]

Uses the synthetic corpus of ``make_corpus.py``. The language patterns are
compiled (or read from the regex cache) before timing starts, as they are once
per process in a build. Each round parses and analyses the whole corpus again;
the figure kept for each part is its smallest over the rounds. The last line
is the ratio that matters for ``throughput.py``: (parse + components) / parse.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import generate  # noqa: E402

from dossier import nlp, pipeline  # noqa: E402
from dossier.model import Article  # noqa: E402


def one_round(rows: list[dict], comps) -> dict[str, float]:
    spent: dict[str, float] = {"make_doc": 0.0, "parse (spaCy + conversion)": 0.0}
    t = time.process_time()
    docs = [pipeline.make_doc(Article(text=r["text"], language=r["language"])) for r in rows]
    spent["make_doc"] += time.process_time() - t
    t = time.process_time()
    for group in nlp.parse_iter(docs):
        spent["parse (spaCy + conversion)"] += time.process_time() - t
        for d in group:
            for c in comps:
                t = time.process_time()
                c.func(d)
                spent[c.name] = spent.get(c.name, 0.0) + time.process_time() - t
        t = time.process_time()
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=400, help="synthetic articles")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    rows = generate(args.n)
    comps = pipeline.components()
    # every model and lexicon once, untimed (a build pays them once per process)
    warm = [pipeline.make_doc(Article(text=r["text"], language=r["language"]))
            for lang in ("fr", "en") for r in rows if r["language"] == lang][:1]
    warm += [pipeline.make_doc(Article(text=r["text"], language=r["language"]))
             for r in rows if r["language"] != warm[0].language][:1]
    pipeline.analyse(warm)
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for k, v in one_round(rows, comps).items():
            best[k] = min(best.get(k, v), v)
    parse = best["parse (spaCy + conversion)"]
    analysis = sum(v for k, v in best.items() if k not in ("make_doc", "parse (spaCy + conversion)"))
    print(f"{len(rows)} synthetic articles, best of {args.rounds} rounds, CPU seconds")
    for k, v in sorted(best.items(), key=lambda kv: -kv[1]):
        print(f"  {k:30} {v:7.2f}")
    print(f"  {'components, all':30} {analysis:7.2f}")
    print(f"(parse + components) / parse: {(parse + analysis) / parse:.2f}")


if __name__ == "__main__":
    main()
