"""Time to add one article to a story of 1,000 and of 10,000 articles.

Builds (or reuses, with --stores DIR) two stores from the synthetic corpus of
``make_corpus.py`` with its long-tail vocabulary (most actors are rare, as in
a real archive; a few recur across many articles), then adds fresh articles one at a time and times each
addition end to end (analysis, writing, and the incremental cross-article
linking), in one process with the models already loaded. If linking cost grew
with the store, the 10,000-article figures would be about ten times the
1,000-article ones.

    python benchmarks/add_one.py [--sizes 1000 10000] [--stores DIR] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import generate  # noqa: E402

from dossier import linking  # noqa: E402
from dossier.build import build_texts  # noqa: E402
from dossier.model import Article  # noqa: E402
from dossier.store import open_store  # noqa: E402


def ensure_store(path: Path, n: int, seed: int) -> None:
    if path.exists():
        return
    src = path.with_suffix(".jsonl")
    with src.open("w", encoding="utf-8") as f:
        for a in generate(n, seed, vocabulary="large"):
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    subprocess.run([sys.executable, "-m", "dossier.cli", "build", str(src), "--db", str(path), "-q", "--workers", "2"],
                   check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--stores", type=Path, help="folder holding s<N>.db stores to reuse (built if missing)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    folder = args.stores or Path(tempfile.mkdtemp(prefix="dossier-add-one-"))
    folder.mkdir(parents=True, exist_ok=True)
    pool = generate(10 * (args.repeat + 1), seed=4242, vocabulary="large")  # other seed: not in the stores
    rows = []
    for n in args.sizes:
        path = folder / f"s{n}.db"
        ensure_store(path, n, seed=21)
        store = open_store(path)
        if linking.stale(store):
            t0 = time.perf_counter()
            linking.link(store)  # once: a store from an older dossier gets its blocking keys
            print(f"  (full relink of the {n}-article store: {time.perf_counter() - t0:.1f} s)")
        fresh = [a for a in pool if not store.has_document(Article(**a).id)][: args.repeat + 1]
        build_texts([Article(**fresh[0])], store)  # warm the models
        total, link_t = [], []
        real_link = linking.link

        def timed_link(*a, **k):
            t0 = time.perf_counter()
            try:
                return real_link(*a, **k)
            finally:
                link_t.append(time.perf_counter() - t0)

        linking.link = timed_link
        try:
            for art in fresh[1:]:
                t0 = time.perf_counter()
                report = build_texts([Article(**art)], store)
                total.append(time.perf_counter() - t0)
                assert report.stored == 1, report.summary()
        finally:
            linking.link = real_link
        docs = store.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        store.close()
        rows.append((docs, statistics.median(total), statistics.median(link_t)))
    print(f"{'store (articles)':>18} {'add one: total ms':>18} {'of which linking ms':>20}")
    for docs, tot, lk in rows:
        print(f"{docs:>18} {tot * 1000:>18.0f} {lk * 1000:>20.0f}")
    if len(rows) > 1:
        print(f"ratio largest/smallest store: total {rows[-1][1] / rows[0][1]:.2f}, linking {rows[-1][2] / rows[0][2]:.2f}")


if __name__ == "__main__":
    main()
