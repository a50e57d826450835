"""Measure ``dossier.dates.parse_date`` against duckling's time corpora.

The suites (``time_fr.tsv``, ``time_en.tsv``) live outside the repo, in
``shared/peer/duckling`` beside it; nothing from them is copied here.

A case passes when the expression is recognised and its value equals the
expected one at the expected grain, with the matching precision: the date for
Day, the week's first day for Week, year-month for Month (and Quarter, with a
3-month interval), the year for Year, date+hour(+minute) for Hour/Minute.
Expected intervals are end-exclusive at their grain, ours are inclusive, so
their end is compared one grain earlier.  Open intervals ("After X") are
scored on their bound X (dossier has no open intervals) and counted apart.

Duckling resolves towards the future (a bare weekday is the *next* one);
dossier's defaults follow news usage, so both the default run and a
``prefer="future"`` run are reported.  A last line gives the default run on
the Day/Week/Month/Year subset without the cases that only differ by that
choice of direction (those failing under the defaults but passing when read
forward); other deliberate differences (precision of "three months ago",
"the upcoming two weeks" as an interval...) stay counted as failures.

    python benchmarks/dates_peers.py [--peer DIR] [--failures] [--lang fr]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dossier.dates import parse_date  # noqa: E402

PEER = Path(__file__).resolve().parents[1].parent / "shared" / "peer"
NEWS_GRAINS = {"Day", "Week", "Month", "Year"}
# the precision dossier must give for each duckling grain
PRECISION = {"Day": "day", "Week": "week", "Month": "month", "Quarter": "month", "Year": "year",
             "Hour": "time", "Minute": "time", "Second": "time"}
CUT = {"Year": 4, "Month": 7, "Quarter": 7, "Week": 10, "Day": 10, "Hour": 13, "Minute": 16, "Second": 19}


def load_suite(path: Path) -> tuple[datetime, list[dict]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    ref = datetime.fromisoformat(re.search(r"reference time (\S+?)[\s;(]", lines[0] + " ").group(1))
    header = lines[1].lstrip("# ").split("\t")
    rows = [dict(zip(header, r)) for r in csv.reader((ln for ln in lines[2:] if ln.strip()), delimiter="\t", quoting=csv.QUOTE_NONE)]
    return ref, rows


def _minus_one(iso: str, grain: str) -> str:
    """End-exclusive duckling bound -> the last included unit, cut at the grain."""
    y, mo = int(iso[:4]), max(1, int(iso[5:7]))
    if grain == "Year":
        return f"{y - 1:04d}"
    if grain in ("Month", "Quarter"):
        k = 3 if grain == "Quarter" else 1
        y2, m2 = divmod(y * 12 + mo - 1 - k, 12)
        return f"{y2:04d}-{m2 + 1:02d}"
    dt = datetime.fromisoformat(iso)
    step = {"Week": timedelta(days=7), "Day": timedelta(days=1), "Hour": timedelta(hours=1),
            "Minute": timedelta(minutes=1), "Second": timedelta(seconds=1)}[grain]
    return (dt - step).isoformat()[: CUT[grain]]


def _week_start(iso_day: str) -> str:
    d = date.fromisoformat(iso_day[:10])
    return (d - timedelta(days=d.weekday())).isoformat()


def score(row: dict, m) -> tuple[bool, str]:
    """(passed, why) for one case and dossier's answer ``m``."""
    if m is None:
        return False, "not recognised"
    if m.value is None:
        return False, "no value"
    grain, expected = row["grain"], row["expected"]
    if m.precision != PRECISION.get(grain):
        return False, f"precision {m.precision} != {grain}"
    cut = CUT[grain]
    ours = m.value.split("/")
    if expected.startswith(("After ", "Before ")):
        expected = expected.split(" ", 1)[1]
    if "/" in expected:
        a, b = expected.split("/")
        if len(ours) != 2:
            return False, "point for an interval"
        end = ours[1][:cut] if grain != "Week" else _week_start(ours[1])
        ok = ours[0][:cut] == a[:cut] and end == _minus_one(b, grain)
        return ok, "" if ok else "interval differs"
    if grain == "Quarter" and len(ours) == 2:
        return ours[0][:cut] == expected[:cut], "value differs"
    if len(ours) == 2 and grain != "Week":
        return False, "interval for a point"
    ok = ours[0][:cut] == expected[:cut]
    return ok, "" if ok else "value differs"


def run(peer: Path, langs: list[str], prefer: str | None):
    results = {}
    for lang in langs:
        path = peer / "duckling" / f"time_{lang}.tsv"
        if not path.is_file():
            print(f"missing {path}", file=sys.stderr)
            continue
        ref, rows = load_suite(path)
        t0 = time.perf_counter()
        res = []
        for row in rows:
            m = parse_date(row["text"], lang, ref, prefer=prefer)
            ok, why = score(row, m)
            res.append((row, m, ok, why))
        results[lang] = (res, time.perf_counter() - t0)
    return results


def report(results: dict, label: str) -> list[str]:
    print(f"\n== {label} ==")
    failures = []
    tot = Counter()
    for lang, (res, secs) in results.items():
        n, ok = len(res), sum(r[2] for r in res)
        rec = sum(r[1] is not None for r in res)
        sub = [r for r in res if r[0]["grain"] in NEWS_GRAINS and r[0]["kind"] == "datetime"]
        sok = sum(r[2] for r in sub)
        opened = sum(r[2] for r in res if r[0]["expected"].startswith(("After", "Before")))
        tot.update(n=n, ok=ok, sub=len(sub), sok=sok)
        print(f"{lang}: {ok}/{n} passed ({ok / n:.1%}), recognised {rec}/{n}; "
              f"Day/Week/Month/Year datetime subset {sok}/{len(sub)} ({sok / max(1, len(sub)):.1%}); "
              f"{opened} open intervals passed on their bound; {1000 * secs / n:.2f} ms/case")
        by = defaultdict(lambda: [0, 0])
        for row, _m, good, _w in res:
            by[row["grain"]][0] += good
            by[row["grain"]][1] += 1
        print("   by grain: " + ", ".join(f"{g} {a}/{b}" for g, (a, b) in sorted(by.items(), key=lambda x: -x[1][1])))
        by_kind = defaultdict(lambda: [0, 0])
        for row, _m, good, _w in res:
            by_kind[row["kind"]][0] += good
            by_kind[row["kind"]][1] += 1
        print("   by kind:  " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(by_kind.items(), key=lambda x: -x[1][1])))
        for row, m, good, why in res:
            if not good:
                got = f"{m.text!r} -> {m.value} ({m.precision})" if m else "-"
                failures.append(f"{label}\t{lang}\t{row['text']}\t{row['expected']}\t{row['grain']}\t{row['kind']}\t{got}\t{why}")
    if tot["n"]:
        print(f"overall: {tot['ok']}/{tot['n']} ({tot['ok'] / tot['n']:.1%}); "
              f"Day/Week/Month/Year datetime subset: {tot['sok']}/{tot['sub']} ({tot['sok'] / max(1, tot['sub']):.1%})")
    return failures


def agreement(default: dict, future: dict) -> None:
    """The default run on the news subset, leaving out cases that pass only when read forward."""
    print("\n== news defaults where the conventions agree (Day/Week/Month/Year datetime subset) ==")
    tot = Counter()
    for lang, (res, _secs) in default.items():
        fut = [r[2] for r in future.get(lang, ([], 0))[0]]  # same suite, same order
        sub = [(r, f) for r, f in zip(res, fut) if r[0]["grain"] in NEWS_GRAINS and r[0]["kind"] == "datetime"]
        forward_only = sum(1 for r, f in sub if not r[2] and f)
        sub = [r for r, _f in sub]
        ok = sum(r[2] for r in sub)
        n = len(sub) - forward_only
        tot.update(ok=ok, n=n, fwd=forward_only)
        print(f"{lang}: {ok}/{n} ({ok / max(1, n):.1%}); {forward_only} cases pass only when read forward")
    if tot["n"]:
        print(f"overall: {tot['ok']}/{tot['n']} ({tot['ok'] / tot['n']:.1%}); {tot['fwd']} cases pass only when read forward")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", type=Path, default=PEER, help="folder holding duckling/time_*.tsv")
    ap.add_argument("--lang", choices=["fr", "en"], action="append", help="suite(s) to run (default both)")
    ap.add_argument("--failures", action="store_true", help="print every failing case")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "results" / "dates_failures.tsv",
                    help="where to write the failures (TSV)")
    args = ap.parse_args(argv)
    langs = args.lang or ["fr", "en"]
    failures = []
    runs = {}
    for prefer, label in ((None, "dossier defaults (news: past weekdays, nearest year)"), ("future", 'prefer="future" (duckling convention)')):
        runs[prefer] = run(args.peer, langs, prefer)
        failures += report(runs[prefer], label)
    agreement(runs[None], runs["future"])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("mode\tlang\ttext\texpected\tgrain\tkind\tgot\twhy\n" + "\n".join(failures) + "\n", encoding="utf-8")
    print(f"\n{len(failures)} failures written to {args.out}")
    if args.failures:
        print("\n".join(failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
