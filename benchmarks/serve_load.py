"""The read API of ``dossier serve`` under many readers.

Builds a store from the bundled ``examples/`` directory, plus ``--synthetic
N`` articles of ``make_corpus.py`` for a story of a more realistic size (or
uses ``--db``),
starts ``dossier serve`` on it in a process of its own, times each endpoint a
page load asks for alone (one reader; first answer and median of the next),
then runs ``--readers`` threads for ``--seconds``, each loading the page over
and over as the browser does (summary and graph, then timeline, quotes,
amounts and documents), and reports requests/s and p50/p95 per endpoint.
``--src DIR`` serves with the ``dossier`` package found in DIR (e.g. an older
checkout: ``git archive HEAD~1 dossier | tar -x -C /tmp/old``), to compare.

    python benchmarks/serve_load.py [--readers 32] [--seconds 30] [--synthetic N] [--db FILE] [--src DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
# what the page asks for when it loads (dossier/web/static/app.js, start())
PAGE = [("summary", "/api/summary", {}), ("graph", "/api/graph", {"limit": 25}),
        ("timeline", "/api/timeline", {"limit": 200}), ("quotes", "/api/quotes", {"limit": 200}),
        ("amounts", "/api/amounts", {"limit": 200}), ("documents", "/api/documents", {"limit": 200})]


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--readers", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--db", help="a store to serve (default: one built from examples/ in a temporary folder)")
    ap.add_argument("--synthetic", type=int, default=0, metavar="N", help="also N synthetic articles in the store")
    ap.add_argument("--src", type=Path, help="folder holding the dossier package to serve with")
    args = ap.parse_args()
    env = _env(args.src)
    cwd = str(args.src or ROOT)  # python -m looks in the current folder first
    db = args.db
    if db is None:
        folder = Path(tempfile.mkdtemp(prefix="dossier-serve-load-"))
        db = str(folder / "story.db")
        paths = [str(ROOT / "examples")]
        if args.synthetic:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from make_corpus import generate

            corpus = folder / "synthetic.jsonl"
            with corpus.open("w", encoding="utf-8") as f:
                for a in generate(args.synthetic, 7):
                    f.write(json.dumps(a, ensure_ascii=False) + "\n")
            paths.append(str(corpus))
        subprocess.run([sys.executable, "-m", "dossier.cli", "build", *paths, "--db", db, "-q", "--workers", "2"],
                       check=True, env=env, cwd=cwd)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "dossier.cli", "serve", "--db", db, "--port", str(port), "-q"],
                              env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(base + "/api/summary", timeout=5)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.2)
        run(base, args.readers, args.seconds, args.src)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(base: str, readers: int, seconds: float, src: Path | None) -> None:
    alone = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, path, params in PAGE:
            times = []
            for _ in range(6):
                t0 = time.perf_counter()
                client.get(path, params=params).raise_for_status()
                times.append(time.perf_counter() - t0)
            alone[name] = (times[0], statistics.median(times[1:]))
    latencies: dict[str, list[float]] = {name: [] for name, _, _ in PAGE}
    errors: list[str] = []
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def reader() -> None:
        with httpx.Client(base_url=base, timeout=300) as client:
            while time.monotonic() < stop:
                for name, path, params in PAGE:
                    t0 = time.perf_counter()
                    try:
                        r = client.get(path, params=params)
                        ok = r.status_code == 200
                    except httpx.HTTPError as exc:
                        ok, r = False, exc
                    took = time.perf_counter() - t0
                    with lock:
                        (latencies[name].append(took) if ok else errors.append(f"{name}: {r}"))

    started = time.monotonic()
    threads = [threading.Thread(target=reader) for _ in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    count = sum(len(v) for v in latencies.values())
    with httpx.Client(base_url=base) as client:
        docs = client.get("/api/summary").json()["counts"]["documents"]
    print(f"served by: {'dossier from ' + str(src) if src else 'this checkout'}; {readers} readers, "
          f"{elapsed:.0f} s; load average at the end {os.getloadavg()[0]:.1f}")
    print(f"store: {docs} articles")
    print(f"{count} requests, {count / elapsed:.1f} requests/s, {len(errors)} errors")
    print("| endpoint | alone: first | alone: median | under load: requests | p50 | p95 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, path, params in PAGE:
        v = latencies[name]
        query = "&".join(f"{k}={x}" for k, x in params.items())
        print(f"| `{path}{'?' + query if query else ''}` | {alone[name][0] * 1000:.0f} ms | "
              f"{alone[name][1] * 1000:.0f} ms | {len(v)} | {_quantile(v, 0.5) * 1000:.0f} ms | "
              f"{_quantile(v, 0.95) * 1000:.0f} ms |")
    if errors:
        print("first errors:", errors[:5])


if __name__ == "__main__":
    main()
