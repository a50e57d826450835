"""Accuracy on gold: writes ACCURACY.md.

    .venv/bin/python benchmarks/accuracy.py [--shared ../shared] [--no-peers] [--out ACCURACY.md]

Builds fresh stores (in a temporary folder) from the seed article and from the
development corpus ``shared/dev``, scores them with ``dossier eval``'s own code
(per section and per article), then the peer suites: Re-DocRED development
(entities and relations, with its own ``score.py``) and PolNeAR (quotes, with
``benchmarks/polnear_quotes.py``). The Unilever–GSK articles of ``shared/dev``
are held out: rules are never written by looking at them, and their figure
shows whether a change carries over.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dossier.build import build
from dossier.evaluate import SECTIONS, Score, evaluate_documents, overall, summed
from dossier.store import open_store

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = "unilever-gsk"  # the dev story kept aside (article ids contain it)


def _store(tmp: Path, name: str, paths: list[Path]):
    store = open_store(str(tmp / f"{name}.db"))
    build([str(p) for p in paths], store)
    return store


def _sum(per_doc: dict[str, dict[str, Score]], keep=lambda path: True) -> dict[str, Score]:
    return summed(scores for path, scores in per_doc.items() if keep(path))


def _section_table(rows: list[tuple[str, dict[str, Score]]]) -> list[str]:
    out = ["| set | " + " | ".join(SECTIONS) + " | overall |", "|---" * (len(SECTIONS) + 2) + "|"]
    for name, scores in rows:
        cells = [f"{scores[k].f1:.3f}" for k in SECTIONS]
        out.append(f"| {name} | " + " | ".join(cells) + f" | **{overall(scores):.3f}** |")
    return out


def _prf_table(scores: dict[str, Score]) -> list[str]:
    out = ["| section | precision | recall | F1 | found/gold | system |", "|---|---|---|---|---|---|"]
    for k in SECTIONS:
        s = scores[k]
        out.append(f"| {k} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp_gold}/{s.n_gold} | {s.n_sys} |")
    return out


def _per_article(per_doc: dict[str, dict[str, Score]]) -> list[str]:
    out = ["| article | " + " | ".join(SECTIONS) + " | overall |", "|---" * (len(SECTIONS) + 2) + "|"]
    for path, scores in sorted(per_doc.items()):
        name = Path(path).stem + (" (held out)" if HELD_OUT in path else "")
        cells = [f"{scores[k].f1:.2f}" for k in SECTIONS]
        out.append(f"| {name} | " + " | ".join(cells) + f" | {overall(scores):.2f} |")
    return out


def _redocred(tmp: Path, peer: Path) -> list[str]:
    store = _store(tmp, "redocred", [peer / "redocred_subset.jsonl"])
    store.close()
    export = tmp / "redocred.json"
    dossier = [sys.executable, "-m", "dossier.cli"]
    subprocess.run([*dossier, "export", "--format", "json", "-o", str(export), "--db", str(tmp / "redocred.db")],
                   check=True, capture_output=True)
    res = json.loads(subprocess.run([sys.executable, str(peer / "score.py"), str(export), str(peer / "gold.json"),
                                     "--json"], check=True, capture_output=True, text=True).stdout)
    r, e = res["relations"], res["entities"]
    org = e["per_type"]["ORG"]
    return [
        "| measure | precision | recall | F1 |", "|---|---|---|---|",
        f"| relations, core (P131 excluded) | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |",
        f"| entities, typed (PER/ORG/LOC) | {e['typed_precision']:.3f} | {e['typed_recall']:.3f} | {e['typed_f1']:.3f} |",
        f"| organisations, typed | {org['precision']:.3f} | {org['recall']:.3f} | {org['f1']:.3f} |",
        "", f"Core relations found: {r['found_core']} of {r['gold_core']}.", "",
        "Per predicate (core scope): what is missed, by the scorer's reason — an argument not recognised, "
        "recognised with a type outside the predicate's signature, the two arguments in different sentences, "
        "or in one sentence with no construction that reads them.", "",
        "| predicate | precision | recall | found/gold | not recognised | other type | across sentences | no construction |",
        "|---|---|---|---|---|---|---|---|",
        *(f"| {k} | {v.get('precision', 0):.3f} | {v.get('recall', 0):.3f} | {v.get('found', 0)}/{v.get('gold', 0)} "
          f"| {v.get('miss_argument_not_recognised', 0)} | {v.get('miss_argument_type_outside_signature', 0)} "
          f"| {v.get('miss_cross_sentence', 0)} | {v.get('miss_same_sentence_no_pattern', 0)} |"
          for k, v in sorted(r.get("per_predicate", {}).items())),
    ]


def _polnear() -> list[str]:
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "polnear_quotes.py")],
                         capture_output=True, text=True)
    lines = run.stdout.strip().split("\n\n")[:2] if run.returncode == 0 else [run.stderr.strip()]
    return ["```", *("\n\n".join(lines)).splitlines(), "```"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (gold, dev, peer)")
    ap.add_argument("--out", type=Path, default=ROOT / "ACCURACY.md")
    ap.add_argument("--no-peers", action="store_true", help="skip Re-DocRED and PolNeAR (a quick run)")
    args = ap.parse_args()
    shared = args.shared.resolve()
    if not (shared / "dev" / "gold").is_dir():
        print(f"no development corpus at {shared / 'dev'} (use --shared)", file=sys.stderr)
        return 2
    t0 = time.time()
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        seed_store = _store(tmp, "seed", [shared / "corpus"])
        seed = evaluate_documents(seed_store, sorted((shared / "gold").glob("*.json")), problems.append)
        dev_store = _store(tmp, "dev", [shared / "dev" / "corpus"])
        dev = evaluate_documents(dev_store, sorted((shared / "dev" / "gold").glob("*.json")), problems.append)
        seed_store.close()
        dev_store.close()
        peers = not args.no_peers and (shared / "peer").is_dir()
        redocred = _redocred(tmp, shared / "peer" / "redocred-dev") if peers else []
        polnear = _polnear() if peers else []
    dev_all = _sum(dev)
    tuned = _sum(dev, lambda p: HELD_OUT not in p)
    held = _sum(dev, lambda p: HELD_OUT in p)
    n_held = sum(HELD_OUT in p for p in dev)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    md = [
        "# Accuracy", "",
        "F1 per section against careful gold, made by one command from the repository root "
        "(with `../shared` beside it):", "",
        "```bash", ".venv/bin/python benchmarks/accuracy.py", "```", "",
        f"Last run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit `{commit}`, "
        f"{time.time() - t0:.0f} s. Scoring is `dossier eval`'s (gold format: `shared/gold/FORMAT.md`): "
        "per article, micro-averaged; *overall* is the mean of the six section F1s. "
        "CI keeps floors that only go up: `.ci/floors.json` (seed) and `.ci/floors-dev.json` (`shared/dev`).", "",
        "## Summary", "",
        *_section_table([("seed (`shared/gold`)", _sum(seed)), (f"`shared/dev`, all {len(dev)} articles", dev_all),
                         (f"`shared/dev` without the held-out story ({len(dev) - n_held})", tuned),
                         (f"held out: Unilever–GSK ({n_held})", held)]),
        "",
        "The Unilever–GSK articles are held out: no rule or cue word is written by looking at them; "
        "their figure shows whether a change carries over to articles nobody tuned to.", "",
        f"## `shared/dev`, all {len(dev)} articles", "", *_prf_table(dev_all), "",
        "## Per article", "", *_per_article({**seed, **dev}), "",
    ]
    if redocred:
        md += ["## Re-DocRED development (200 English Wikipedia documents)", "",
               "`shared/peer/redocred-dev/score.py` on the JSON export of a store built from "
               "`redocred_subset.jsonl`.", "", *redocred, ""]
    if polnear:
        md += ["## PolNeAR quotes (84 English political news articles)", "",
               "`benchmarks/polnear_quotes.py` (how units and speakers are matched: its docstring).", "", *polnear, ""]
    if problems:
        md += ["## Gold files that could not be scored", "", *(f"- {p}" for p in problems), ""]
    args.out.write_text("\n".join(md), encoding="utf-8")
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
