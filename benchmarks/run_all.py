"""Run every benchmark in one go and keep each one's output.

    python benchmarks/run_all.py [--n 2000] [--spark]

Writes benchmarks/results/<name>.txt (gitignored) and prints them; the
figures quoted in BENCHMARKS.md come from this command.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="synthetic articles for the throughput run")
    ap.add_argument("--spark", action="store_true", help="include Spark local mode in the throughput run")
    ap.add_argument("--add-one", action="store_true", help="also time adding one article to 1,000/10,000-article stores")
    args = ap.parse_args()
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    runs = {
        "money_peers": [str(HERE / "money_peers.py")],
        "dates_peers": [str(HERE / "dates_peers.py")],
        "polnear_quotes": [str(HERE / "polnear_quotes.py")],
        "throughput": [str(HERE / "throughput.py"), "--n", str(args.n), "--json", str(out / "throughput.json")]
        + (["--spark"] if args.spark else []),
    }
    if args.add_one:
        runs["add_one"] = [str(HERE / "add_one.py"), "--sizes", "1000", "10000", "--repeat", "7"]
    for name, cmd in runs.items():
        t0 = time.time()
        p = subprocess.run([sys.executable, *cmd], capture_output=True, text=True)
        text = p.stdout + (f"\n[stderr]\n{p.stderr[-3000:]}" if p.returncode else "")
        (out / f"{name}.txt").write_text(text, encoding="utf-8")
        print(f"===== {name} ({time.time() - t0:.0f} s, exit {p.returncode})")
        print("\n".join(text.splitlines()[-25:]))


if __name__ == "__main__":
    main()
