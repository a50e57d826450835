"""Analysis time against text length on inputs that used to grow faster than
the text (issue 20): runs of punctuation, one very long line, a cue repeated
in one sentence, over-long tokens, nested quotes, many amounts in a sentence.

    .venv/bin/python benchmarks/growth.py                 # the table, 1k .. 64k
    .venv/bin/python benchmarks/growth.py --big           # and the 5M-char build
    .venv/bin/python benchmarks/growth.py --only dq_run,musk --max 16384

Each pattern is made exactly N characters long (N = 1k, 2k, 4k, ..., 64k) and
analysed by the default components (``pipeline.analyse``, spaCy included,
models loaded beforehand). Times are CPU seconds of the process
(``time.process_time``: the machine is shared, and CPU time moves far less
with the load than the wall clock), the fastest of at least three runs.
Growth is the largest time per character over the sizes divided by the time
per character at the smallest size: at most 2 means linear (a row grows
faster than the text when it is over 2). A row stops once one size takes more
than ``--cap`` seconds (the rest is shown as ``>cap``): so that the code before
the fix can be measured too.

``--big`` also builds one made-up French article of 4,999,000 characters
(``--big-chars``) through the real command line
(``python -m dossier.cli build DIR --db DB -q``) and reports its wall time.

The table goes to standard output and, as Markdown, to ``--out``
(``benchmarks/results/growth.md``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# ------------------------------------------------------------------ inputs

_FR_SENTENCES = [
    "Renault a proposé {n},{d} millions d'euros pour racheter la start-up lyonnaise Cyclonaut, a annoncé "
    "Jean-Dominique Senard jeudi {day} mars.",
    "Selon Le Monde, l'offre de {n} milliards de dollars serait soutenue par la ministre Clara Vautrin, "
    "qui estime que la France doit garder ses savoir-faire.",
    "La Commission européenne a ouvert une enquête le {day} avril {year} sur cette acquisition, jugée "
    "risquée pour la concurrence par Margrethe Vestager.",
    "« Nous ne sommes pas à vendre », a déclaré Sophie Martin, directrice générale d'Arvel, lors d'une "
    "conférence à Bordeaux.",
    "Les actionnaires d'Arvel ont rejeté une première offre de {n} euros par action, jugée trop basse.",
    "Le groupe emploie {n} {d}00 salariés en France et a réalisé un chiffre d'affaires de {n},{d} "
    "milliards d'euros en {year}.",
    "Pierre Durand, analyste chez Oddo BHF, a critiqué la stratégie du conseil d'administration et "
    "appelle à une transformation rapide.",
    "Le Parlement européen votera le texte en {year}, après un accord trouvé à Bruxelles entre les "
    "États membres.",
]


def french_prose(n: int, newline_every: int = 0, seed: int = 0) -> str:
    """Made-up French news prose with names, amounts and dates, exactly n
    characters: the sentences above with their numbers varied; one line
    unless ``newline_every`` (a paragraph break every that many sentences)."""
    out: list[str] = []
    size = 0
    k = seed
    while size < n:
        s = _FR_SENTENCES[k % len(_FR_SENTENCES)].format(
            n=3 + (k * 7) % 97, d=(k * 3) % 10, day=1 + k % 28, year=2015 + k % 11)
        k += 1
        sep = "\n" if newline_every and k % newline_every == 0 else " "
        out.append(s + sep)
        size += len(s) + 1
    return "".join(out)[:n]


def repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


# name -> (language, text of n characters, what it stresses)
PATTERNS = {
    "dq_run": ("fr", lambda n: repeat('"', n), 'one run of `"`'),
    "sq_run": ("fr", lambda n: repeat("'", n), "one run of `'`"),
    "paren_run": ("en", lambda n: repeat("(", n), "one run of `(`"),
    "mixed_run": ("fr", lambda n: repeat("\"'(«*", n), "one run of mixed punctuation `\"'(«*`"),
    "emoji_run": ("en", lambda n: repeat("\U0001F600", n), "one run of one emoji"),
    "prose_line": ("fr", french_prose, "French prose with amounts, one line"),
    "musk": ("en", lambda n: repeat("Musk said that ", n), '"Musk said that " repeated'),
    "macron": ("fr", lambda n: repeat("Macron estime que ", n), '"Macron estime que " repeated'),
    "long_word": ("fr", lambda n: repeat("anticonstitutionnellement", n), "one whitespace-free word of letters"),
    "long_token": ("en", lambda n: repeat("ab-cd_ef/", n), "one whitespace-free token split at `-` and `/`"),
    "apos_token": ("fr", lambda n: repeat("aujourd'hui-l'État,", n), "one token of elisions and hyphens"),
    "nested_fr": ("fr", lambda n: repeat("« Il a dit : ", n), "« opened and never closed"),
    "nested_en": ("en", lambda n: repeat('He said "she said ', n), '" nested in one sentence'),
    "amounts": ("fr", lambda n: repeat("12 millions d'euros, ", n), "amounts in one sentence (amounts._governor)"),
}
SIZES = [1 << k for k in range(10, 17)]  # 1,024 .. 65,536


# ------------------------------------------------------------------ timing


def _analyse(text: str, lang: str) -> float:
    from dossier.model import Article
    from dossier.pipeline import analyse, make_doc

    doc = make_doc(Article(text=text, language=lang))
    t = time.process_time()
    analyse([doc])
    return time.process_time() - t


def _timed(text: str, lang: str, min_runs: int = 3, min_total: float = 1.5, max_runs: int = 10,
           alone: float = 20.0) -> float:
    """The fastest of at least ``min_runs`` runs, more while they add up to
    less than ``min_total`` seconds; one when it takes more than ``alone``."""
    best = _analyse(text, lang)
    total, runs = best, 1
    if best > alone:
        return best
    while (runs < min_runs or total < min_total) and runs < max_runs:
        t = _analyse(text, lang)
        best, total, runs = min(best, t), total + t, runs + 1
    return best


def _fmt_size(n: int) -> str:
    return f"{n // 1024}k" if n % 1024 == 0 else f"{n:,}"


def measure(names: list[str], sizes: list[int], cap: float) -> list[dict]:
    rows = []
    for name in names:
        lang, make, what = PATTERNS[name]
        row = {"name": name, "what": what, "lang": lang, "secs": {}}
        for n in sizes:
            text = make(n)
            assert len(text) == n, (name, n, len(text))
            t = _timed(text, lang)
            row["secs"][n] = t
            print(f"  {name:11} {_fmt_size(n):>4}  {t:8.3f} s  {t / n * 1e6:7.1f} µs/char", flush=True)
            if t > cap:
                break
        rows.append(row)
    return rows


def growth(row: dict, sizes: list[int]) -> float | None:
    per = [row["secs"][n] / n for n in sizes if n in row["secs"]]
    if len(per) < len(sizes):
        return None  # stopped at the cap
    return max(per) / per[0]


def table(rows: list[dict], sizes: list[int], cap: float) -> str:
    head = "| pattern | lang | " + " | ".join(_fmt_size(n) for n in sizes) + " | µs/char at 1k → largest | growth |"
    lines = [head, "|" + " --- |" * (len(sizes) + 4)]
    for r in rows:
        cells = []
        for n in sizes:
            cells.append(f"{r['secs'][n]:.2f}" if n in r["secs"] else f">{cap:.0f}")
        done = [n for n in sizes if n in r["secs"]]
        first, last = done[0], done[-1]
        per = f"{r['secs'][first] / first * 1e6:.1f} → {r['secs'][last] / last * 1e6:.1f}"
        g = growth(r, sizes)
        gs = "—" if g is None else f"{g:.2f}" + ("" if g <= 2 else " ✗")
        lines.append(f"| `{r['name']}` {r['what']} | {r['lang']} | " + " | ".join(cells) + f" | {per} | {gs} |")
    return "\n".join(lines)


def long_line(chars: int) -> tuple[float, int]:
    """One line of French prose with amounts of ``chars`` characters."""
    text = french_prose(chars)
    return _timed(text, "fr", min_runs=1, min_total=0, max_runs=1), len(text)


def big_build(chars: int) -> tuple[float, str]:
    """Wall time of ``dossier build`` on one made-up French article of
    ``chars`` characters (paragraphs of 6 sentences), and its summary line."""
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "in"
        d.mkdir()
        text = french_prose(chars, newline_every=6)
        text = text[:-1] + "." if not text.endswith(".") else text
        (d / "big-fr.txt").write_text(text, encoding="utf-8")
        env = dict(os.environ, DOSSIER_BUDGET=os.environ.get("DOSSIER_BUDGET", "3600"))
        t = time.perf_counter()
        p = subprocess.run([sys.executable, "-m", "dossier.cli", "build", str(d), "--db", str(Path(tmp) / "big.db"),
                            "-q", "--workers", "1"], cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        out = (p.stdout + p.stderr).strip().splitlines()
        return wall, (out[-1] if out else f"exit {p.returncode}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="comma-separated pattern names (default: all): " + ", ".join(PATTERNS))
    ap.add_argument("--max", type=int, default=SIZES[-1], help="largest size (default 65536)")
    ap.add_argument("--cap", type=float, default=60.0, help="stop a row after a size takes longer (s)")
    ap.add_argument("--long-line", type=int, default=200_000, help="chars of the single-line prose run (0: none)")
    ap.add_argument("--big", action="store_true", help="also time the build of one 4,999,000-char article")
    ap.add_argument("--big-chars", type=int, default=4_999_000)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "growth.md")
    args = ap.parse_args()
    names = args.only.split(",") if args.only else list(PATTERNS)
    sizes = [n for n in SIZES if n <= args.max]

    _analyse("Renault a racheté Arvel.", "fr")  # models loaded outside the timings
    _analyse("Renault bought Arvel.", "en")
    rows = measure(names, sizes, args.cap)
    md = ["## Growth (benchmarks/growth.py)", "", table(rows, sizes, args.cap), ""]
    print("\n" + md[2])
    bad = [r["name"] for r in rows if (growth(r, sizes) or 99) > 2]
    if args.long_line:
        t, n = long_line(args.long_line)
        line = f"One line of French prose with amounts, {n:,} characters: {t:.2f} s ({t / n * 1e6:.1f} µs/char)."
        print(line)
        md += [line, ""]
    if args.big:
        wall, summary = big_build(args.big_chars)
        line = (f"`dossier build` of one French article of {args.big_chars:,} characters: "
                f"{wall:.0f} s wall ({wall / 60:.1f} min), model loading included; {summary}")
        print(line)
        md += [line, ""]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(md), encoding="utf-8")
    print(f"-> {args.out}")
    if bad:
        print("grows faster than the text: " + ", ".join(bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
