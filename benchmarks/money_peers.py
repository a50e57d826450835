"""Measure dossier.money against peer suites (Recognizers-Text and Duckling money corpora).

    .venv/bin/python benchmarks/money_peers.py [--peer DIR] [--json] [--quiet]

Scores the single-amount cases: recognizers-text sentences with exactly one expected result
(run through ``find_amounts``: exactly one amount must be found, with the expected value,
currency and span text), duckling expressions of kind ``simple`` (run through
``parse_amount``: value and currency). The suites are read in place, never copied.

Conventions that differ from the suites, applied when comparing (not when extracting):
* the suites' currency names map to ISO codes; a name that does not fix one currency
  (``Franc``, ``Dinar``, ``Rial``) accepts any of its ISO codes;
* subunits (``Cent``, ``Pence``, ``Satoshi``) are counted by the suites, while dossier gives the
  main unit (50 cents -> 0.5 USD): the expected value is scaled and any currency that has
  that subunit is accepted;
* dossier's span includes an approximation marker (``environ 14 millions de $``), the
  suites' does not: the expected text must then end our text;
* span text is compared case-insensitively (recognizers-text lowercases some).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dossier.money import find_amounts, parse_amount  # noqa: E402

DEFAULT_PEER = ROOT.parent / "shared" / "peer"

# Suite unit name (casefolded) -> accepted ISO codes.
ISO: dict[str, set[str]] = {
    "dollar": {"USD"}, "dollar états-unis": {"USD"}, "united states dollar": {"USD"}, "usd": {"USD"},
    "dollar canadien": {"CAD"}, "canadian dollar": {"CAD"},
    "dollar australien": {"AUD"}, "australian dollar": {"AUD"},
    "dollar de hong kong": {"HKD"}, "hong kong dollar": {"HKD"},
    "dollar néo-zélandais": {"NZD"}, "new zealand dollar": {"NZD"},
    "euro": {"EUR"}, "livre": {"GBP"}, "pound": {"GBP"}, "british pound": {"GBP"},
    "yen japonais": {"JPY"}, "japanese yen": {"JPY"}, "yuan chinois": {"CNY"}, "chinese yuan": {"CNY"},
    "franc": {"CHF", "FRF", "BEF", "LUF", "XOF", "XAF"}, "franc suisse": {"CHF"}, "swiss franc": {"CHF"},
    "roupie indienne": {"INR"}, "roupie": {"INR", "PKR", "LKR", "NPR"}, "rupee": {"INR", "PKR", "LKR", "NPR"},
    "sri lankan rupee": {"LKR"}, "mexican peso": {"MXN"}, "mark finlandais": {"FIM"}, "finnish markka": {"FIM"},
    "florins néerlandais": {"NLG"}, "netherlands guilder": {"NLG"}, "peseta": {"ESP"},
    "turkish lira": {"TRY"}, "bitcoin": {"BTC"}, "costa rican colón": {"CRC"}, "georgian lari": {"GEL"},
    "lao kip": {"LAK"}, "dinar": {"KWD", "IQD", "DZD", "TND", "JOD", "BHD", "LYD", "RSD"},
    "rial": {"IRR", "OMR", "YER"}, "riyal": {"SAR", "QAR"},
}
# Subunit name -> (size in the main unit, currencies that have it).
CENT_CURRENCIES = {"USD", "EUR", "CAD", "AUD", "NZD", "HKD", "SGD", "GBP"}
SUBUNITS: dict[str, tuple[float, set[str]]] = {
    "cent": (0.01, CENT_CURRENCIES), "centimes": (0.01, {"EUR", "CHF", "FRF"}),
    "pence": (0.01, {"GBP", "USD"}), "penny": (0.01, {"GBP", "USD"}),
    "pesewa": (0.01, {"GHS"}), "sen": (0.01, {"MYR", "JPY", "IDR"}), "satoshi": (1e-8, {"BTC"}),
}


def expected_currency(unit: str | None, iso: str | None = None) -> tuple[float, set[str] | None]:
    """(scale, accepted ISO codes); None means 'no currency' (duckling's Unnamed)."""
    if iso:
        return 1.0, {iso}
    u = (unit or "").casefold()
    if u in ("", "unnamed"):
        return 1.0, None
    if u in SUBUNITS:
        return SUBUNITS[u]
    if u in ISO:
        return 1.0, ISO[u]
    if len(u) == 3 and u.isalpha():
        return 1.0, {u.upper()}
    return 1.0, {"?" + unit}  # unknown to the mapping: can only fail, and shows in the report


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def show(a: Any) -> str:
    return "nothing" if a is None else f"{a.text!r} = {a.value:g} {a.currency}" + (" ~" if a.approximate else "")


def recognizers(path: Path, lang: str) -> dict[str, Any]:
    cases = json.loads(path.read_text(encoding="utf-8"))
    total = passed = 0
    failures: list[dict[str, Any]] = []
    empty = false_pos = 0
    for case in cases:
        results = case.get("Results", [])
        found = find_amounts(case["Input"], lang)
        if not results:
            empty += 1
            false_pos += bool(found)
            continue
        if len(results) != 1:
            continue
        total += 1
        r = results[0]
        res = r.get("Resolution", {})
        raw = res.get("value")
        scale, cur = expected_currency(res.get("unit"), res.get("isoCurrency"))
        want = None if raw is None else float(str(raw).replace(",", ".")) * scale
        exp_text = r["Text"].strip().casefold()
        ok = False
        if len(found) == 1 and want is not None:
            a = found[0]
            got = a.text.strip().casefold()
            text_ok = got == exp_text or (a.approximate and got.endswith(exp_text))
            cur_ok = a.currency is None if cur is None else a.currency in cur
            ok = same(a.value, want) and cur_ok and text_ok
        passed += ok
        if not ok:
            failures.append({
                "input": case["Input"],
                "expected": f"{r['Text']!r} = {raw} {res.get('unit')}",
                "got": "; ".join(show(a) for a in found) or "nothing",
            })
    return {"total": total, "passed": passed, "failures": failures, "no_amount_cases": empty, "false_positives": false_pos}


def duckling(path: Path, lang: str) -> dict[str, Any]:
    total = passed = 0
    failures: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 4 or cols[3] != "simple":
            continue
        text, value, unit = cols[0], cols[1], cols[2]
        total += 1
        scale, cur = expected_currency(unit)
        want = float(value) * scale
        a = parse_amount(text, lang)
        ok = a is not None and same(a.value, want) and (a.currency is None if cur is None else a.currency in cur)
        passed += ok
        if not ok:
            failures.append({"input": text, "expected": f"{value} {unit}", "got": show(a)})
    return {"total": total, "passed": passed, "failures": failures}


SUITES = [
    ("recognizers-text/French-CurrencyModel.json", "fr", recognizers),
    ("recognizers-text/English-CurrencyModel.json", "en", recognizers),
    ("duckling/money_fr.tsv", "fr", duckling),
    ("duckling/money_en.tsv", "en", duckling),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", type=Path, default=DEFAULT_PEER, help="peer suites folder (default: %(default)s)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--quiet", action="store_true", help="summary lines only")
    args = ap.parse_args(argv)
    if not args.peer.is_dir():
        print(f"peer suites not found at {args.peer} (use --peer DIR)", file=sys.stderr)
        return 2
    report: dict[str, Any] = {}
    for rel, lang, run in SUITES:
        path = args.peer / rel
        if not path.is_file():
            print(f"missing suite {path}", file=sys.stderr)
            continue
        r = run(path, lang)
        r["rate"] = r["passed"] / r["total"] if r["total"] else 0.0
        report[rel] = r
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for rel, r in report.items():
        if not args.quiet:
            print(f"== {rel}: {r['total']} single-amount cases, {r['passed']} passed, {r['rate']:.1%}")
            for f in r["failures"]:
                print(f"  FAIL {f['input'][:110]!r}\n       expected {f['expected']}\n       got      {f['got']}")
            if "no_amount_cases" in r:
                print(f"  ({r['no_amount_cases']} no-amount cases, {r['false_positives']} with a false positive)")
    for rel, r in report.items():
        print(f"SUMMARY {rel:45} {r['passed']:4}/{r['total']:<4} {r['rate']:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
