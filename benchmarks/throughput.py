"""Throughput of ``dossier build`` against bare spaCy, side by side in one run.

Every measurement runs in its own process on the same texts (the synthetic
corpus of ``make_corpus.py`` plus ``examples/``), so model loading is counted
the same way for each, and peak memory is the process's own (ru_maxrss of the
child; for a pool, the largest worker).

    python benchmarks/throughput.py --n 2000 [--spark] [--json results.json]

Prints articles/s and words/s for bare ``nlp.pipe`` (as a user runs it, and
with the compiled French tokenizer pattern that dossier caches on disk, see
``dossier/recache.py``) and for ``dossier build``
with 1 and 2 workers, the ratio between them, the speed-up from 1 to 2
workers, peak memory, and (with --spark) Spark local mode versus the local
build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from make_corpus import generate  # noqa: E402

BARE = r"""
import json, sys, time, importlib
from dossier.nlp import MODELS
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
t0 = time.perf_counter()
for lang in [a for a in ("fr", "en") if a in sys.argv[2:]] or ("fr", "en"):
    if "--regex-cache" in sys.argv:  # the compiled French tokenizer pattern dossier keeps on disk
        from dossier import recache
        recache.warm(lang)
    nlp = importlib.import_module(MODELS[lang][0]).load()
    texts = [r["text"] for r in rows if r["language"] == lang]
    for doc in nlp.pipe(texts, batch_size=64):
        pass
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


def run(*cmds: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds until every command (started together) ends, and the peak
    resident memory (MiB) of any one process: wait4 reports the largest of a
    child and the descendants it waited for (the pool's workers)."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        procs = {}
        for k, cmd in enumerate(cmds):
            err = open(Path(tmp, f"{k}.err"), "w+b")
            procs[subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env).pid] = (cmd, err)
        peak = 0.0
        while procs:
            pid, status, usage = os.wait4(-1, 0)
            if pid not in procs:
                continue
            cmd, err = procs.pop(pid)
            peak = max(peak, usage.ru_maxrss / 1024)
            code = os.waitstatus_to_exitcode(status)
            if code not in (0, 1):
                err.seek(0)
                raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{err.read()[-2000:].decode()}")
            err.close()
        dt = time.perf_counter() - t0
    return dt, peak


def corpus(n: int, out: Path) -> tuple[int, int]:
    rows = generate(n)
    for p in sorted((ROOT / "examples").glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        rows.append({"text": text, "language": "fr" if "-fr" in p.name else "en"})
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows), sum(len(r["text"].split()) for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="synthetic articles (plus examples/)")
    ap.add_argument("--spark", action="store_true", help="also time Spark local mode")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()
    py = sys.executable
    work = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    try:
        src = work / "corpus.jsonl"
        n_articles, n_words = corpus(args.n, src)
        results: dict[str, dict] = {}

        # the regex cache is written on a machine's first French start: not timed
        run([py, "-c", "from dossier import nlp; nlp.load('fr')"])
        dt, mem = run([py, "-c", BARE, str(src)])
        results["bare spaCy nlp.pipe"] = {"seconds": dt, "peak_mib": mem}
        dt, mem = run([py, "-c", BARE, str(src), "--regex-cache"])
        results["bare spaCy nlp.pipe, dossier's regex cache"] = {"seconds": dt, "peak_mib": mem}
        # the machine's own ceiling: the same, French and English in two processes at once
        dt, mem = run([py, "-c", BARE, str(src), "--regex-cache", "fr"], [py, "-c", BARE, str(src), "--regex-cache", "en"])
        results["bare spaCy, fr and en in 2 processes"] = {"seconds": dt, "peak_mib": mem}
        for workers in (1, 2):
            db = work / f"w{workers}.db"
            dt, mem = run([py, "-m", "dossier.cli", "build", str(src), "--db", str(db), "--quiet", "--workers", str(workers)])
            results[f"dossier build, {workers} worker(s)"] = {"seconds": dt, "peak_mib": mem}
        if args.spark:
            out = work / "spark-out"
            env = {**os.environ, "PYSPARK_PYTHON": py}
            dt, mem = run([py, "-m", "dossier.cli", "spark-build", str(src), str(out)], env=env)
            dt2, _ = run([py, "-m", "dossier.cli", "load", str(out), "--db", str(work / "spark.db")])
            results["dossier spark-build local[2] + load"] = {"seconds": dt + dt2, "peak_mib": mem}

        print(f"corpus: {n_articles} articles, {n_words} words; machine: {platform.machine()}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}")
        print(f"{'run':48} {'seconds':>8} {'art/s':>8} {'words/s':>9} {'peak MiB':>9}")
        for name, r in results.items():
            r["articles_per_s"] = n_articles / r["seconds"]
            r["words_per_s"] = n_words / r["seconds"]
            print(f"{name:48} {r['seconds']:8.1f} {r['articles_per_s']:8.1f} {r['words_per_s']:9.0f} {r['peak_mib']:9.0f}")
        bare = results["bare spaCy nlp.pipe"]["seconds"]
        one = results["dossier build, 1 worker(s)"]["seconds"]
        two = results["dossier build, 2 worker(s)"]["seconds"]
        cached = results["bare spaCy nlp.pipe, dossier's regex cache"]["seconds"]
        ratios = {"dossier(1 worker) / bare spaCy time": one / bare,
                  "dossier(1 worker) / bare spaCy with regex cache": one / cached,
                  "speed-up 1 -> 2 workers": one / two,
                  "bare spaCy speed-up, 1 -> 2 processes": cached / results["bare spaCy, fr and en in 2 processes"]["seconds"]}
        if args.spark:
            ratios["spark / local(2 workers) time"] = results["dossier spark-build local[2] + load"]["seconds"] / two
        for k, v in ratios.items():
            print(f"{k:48} {v:8.2f}")
        if args.json:
            args.json.write_text(json.dumps({"articles": n_articles, "words": n_words, "runs": results,
                                             "ratios": ratios}, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
