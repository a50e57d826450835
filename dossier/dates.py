"""Date expressions in French and English news text, normalised to ISO values.

All words live in ``dossier/lang/<lang>/dates.json``; this module only knows the
*shapes* of date expressions (day-month-year, weekday + shift, N units ago...)
and how to resolve them, so adding a language is adding a JSON file.

Resolution rules (news conventions; each is a choice, so it is written here):

* The reference is the publication date.  A bare weekday ("vendredi soir",
  "on Friday") is the most recent such day on or before the reference: news
  reports what happened, and wire copy names the publication day by its
  weekday.  "vendredi dernier" / "last Friday" is strictly before; "ce
  vendredi" / "this Friday" is the Friday of the current week; French
  "vendredi prochain" is the next one strictly after; English "next Friday" is
  the Friday of next week.
* A date without a year ("10 février", "en mars", "Noël") takes the year that
  puts it nearest to the reference.  "this Christmas" / "ce Noël" is this
  year's; "Christmas last year", "Thanksgiving of next year" name the year.
  Holidays are computed per year (Easter by the Gregorian computus, Orthodox
  Easter by the Julian one, "fourth Thursday of November"...).  A quarter or
  half without a year ("the third quarter") is the current year's.
* ``prefer="past"`` / ``"future"`` overrides both: on or before / on or after
  the reference (strictly after for a bare weekday, the scheduling reading).
* "trois ans plus tard", "le lendemain", "la semaine suivante" count from the
  last date found earlier in the text, whatever its kind ("En 2015, ... Trois
  ans plus tard" -> 2018; "Jeudi, ... Le lendemain" -> the Friday), else from
  the reference.  "il y a trois ans", "dans deux mois", "hier" always count
  from the reference.
* Offsets keep the unit's precision: N days or weeks give a day, N months a
  month, N years (or decades) a year; but N units before or after a written
  date keep the date's ("a year after Christmas 2012" -> 2013-12-25).
  "three Fridays ago" is the third Friday before the reference.
* "d'ici le 15 mars", "d'ici 2030", "d'ici trois mois", "within two weeks" run
  from the reference to that date (read forward); "à partir de X" / "from X"
  (open-ended) give X.  "the rest of the week" runs from the reference to the
  week's end.  "next three days" / "the upcoming two weeks" are the whole units
  after the current one.  "dans la journée" / "dans la semaine" are the day or
  week of the narrative (the last day named, else the reference).
* Weeks run Monday to Sunday; "the week of <a Sunday>" is the week that Sunday
  opens (as where weeks start on Sunday).  "début / mi- / fin" and "early / mid
  / late" (and "EOM", "EOY") split a month into days 1-10 / 11-20 / 21-end, a
  year into Jan-Apr / May-Aug / Sep-Dec, a week into Mon-Tue / Wed-Thu /
  Fri-Sun; "la première / deuxième quinzaine" is days 1-15 / 16-end.
* Intervals are inclusive "A/B" ("du 13 au 15 juillet" -> "2025-07-13/2025-07-15");
  a week is the interval of its days; quarters and seasons are month intervals.
* A bare 4-digit year needs a preposition ("en 2015", "since 2015") or a full
  date around it, and is no year when followed by what it counts ("jusqu'à
  2000 euros", "by 2000 workers"); bare month names, day numbers, "d/m" (except
  after a day preposition: "on 2/15"), 2-digit years and times of day alone
  are only read by :func:`parse_date` (a short expression), never in running
  text.  A time alone is on the reference day; with ``prefer`` and a reference
  that has a time, the next (or last) such time, where a 12-hour clock makes
  "3:30" either 3:30 or 15:30.  A bare hour after a date needs a part of the
  day to be kept ("tonight at 8", not "Friday at 3").
* Without a reference, anything that needs one is returned with ``value=None``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable

from dossier import recache
from dossier.lang import load, phrases
from dossier.model import DateMention
from dossier.model import fold_same_length as _fold  # offsets in the folded text are the original's

__all__ = ["find_dates", "parse_date"]

_RANK = {"time": 0, "day": 1, "week": 2, "month": 3, "year": 4}
_UNIT_PREC = {"day": "day", "week": "day", "weekend": "day", "month": "month", "quarter": "month", "half": "month", "year": "year",
              "decade": "year"}
_MONTHS_IN = {"quarter": 3, "half": 6, "year": 12, "month": 1, "decade": 120}
_WINDOW = 80  # longer than any expression is on either side of its trigger word
_BLANK_OR_END = re.compile(r"\s|$")


# --------------------------------------------------------------------- folding
def _norm(s: str) -> str:
    """Lookup key for a matched phrase: folded, without spaces, hyphens, dots."""
    return re.sub(r"[\s.\-]+", "", _fold(s))


# ------------------------------------------------------------ regex building
_LB, _RB = r"(?<![^\W\d_])", r"(?![^\W\d_])"  # not inside a word (digits may touch)


def _phrase(w: str) -> str:
    w = _fold(w).strip()
    out = []
    for i, ch in enumerate(w):
        if ch == " ":
            out.append(r"\s+")
        elif ch == "-" and 0 < i < len(w) - 1:
            out.append(r"[-\s]?")  # week-end / weekend / week end
        elif ch == "'":
            out.append(r"'\s*")
        elif ch == ".":
            out.append(r"\.?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(words, bound: bool = True, space: bool = False) -> str:
    """Alternation, longest first (on folded text: no case).  ``space``: each
    phrase eats the blank after it (none after an apostrophe: "l'an")."""
    unit = (lambda w: _phrase(w) + ("" if w.endswith("'") else r"\s+")) if space else _phrase
    body = phrases({_fold(w).strip() for w in words if w and w.strip()}, unit, icase=False)
    if body == "(?!)":
        return body
    if space:
        return _LB + body
    return _LB + body + _RB if bound else body


def _keys(d) -> dict:
    return {_norm(k): v for k, v in (d or {}).items()}


def _sub(template: str, frags: dict) -> str:
    for _ in range(6):  # fragments refer to fragments
        new = re.sub(r"\{([A-Z][A-Z0-9_]*)\}", lambda m: frags[m[1]], template)
        if new == template:
            break
        template = new
    return template


# ------------------------------------------------------------------- values
@dataclass
class _V:
    lo: date | None
    hi: date | None
    prec: str
    rel: bool = False  # needed context (reference or an earlier date)
    span: bool = False  # written as an interval "A/B"
    tm: tuple[int, int] | None = None
    prec2: str | None = None  # precision of the end of an interval

    def value(self) -> str | None:
        if self.lo is None or self.hi is None:
            return None
        if self.span:
            return f"{_fmt(self.lo, self.prec)}/{_fmt(self.hi, self.prec2 or self.prec)}"
        if self.tm:
            return f"{self.lo.isoformat()}T{self.tm[0]:02d}:{self.tm[1]:02d}"
        return _fmt(self.lo, self.prec)


def _fmt(d: date, prec: str) -> str:
    if prec == "year":
        return f"{d.year:04d}"
    if prec == "month":
        return f"{d.year:04d}-{d.month:02d}"
    return d.isoformat()


def _none(prec: str, rel: bool = True) -> _V:
    return _V(None, None, prec, rel=rel)


def _mend(y: int, m: int) -> date:
    return date(y, m, monthrange(y, m)[1])


def _coarser(a: str, b: str) -> str:
    return a if _RANK.get(a, 1) >= _RANK.get(b, 1) else b


def _add(d: date, n: int, unit: str) -> date:
    if unit == "day":
        return d + timedelta(n)
    if unit in ("week", "weekend"):
        return d + timedelta(7 * n)
    y, m = divmod(d.year * 12 + d.month - 1 + _MONTHS_IN[unit] * n, 12)
    return date(y, m + 1, min(d.day, monthrange(y, m + 1)[1]))


def _unit_period(d: date, unit: str) -> tuple[date, date]:
    if unit == "day":
        return d, d
    if unit in ("week", "weekend"):
        lo = d - timedelta(d.weekday())
        return (lo + timedelta(5), lo + timedelta(6)) if unit == "weekend" else (lo, lo + timedelta(6))
    k = _MONTHS_IN[unit]
    m0 = (d.month - 1) // k * k + 1
    return date(d.year, m0, 1), _mend(d.year, m0 + k - 1)


def _mk(lo: date, hi: date, unit: str, **kw) -> _V:
    """A value for a calendar unit period [lo, hi]."""
    prec = "week" if unit == "week" else _UNIT_PREC[unit]
    return _V(lo, hi, prec, span=unit in ("week", "weekend", "quarter", "half"), **kw)


def _point(d: date, prec: str, **kw) -> _V:
    unit = {"day": "day", "time": "day", "week": "week", "month": "month", "year": "year"}[prec]
    lo, hi = _unit_period(d, unit)
    return _V(lo, hi, prec, span=prec == "week", **kw)


def _pick(cands: list[tuple[date, date]], ref: date, prefer: str | None):
    """Choose among yearly candidates: nearest, or on/after, or on/before."""
    cands = sorted(c for c in cands if c)
    if not cands:
        return None
    if prefer == "future":
        c = [x for x in cands if x[1] >= ref]
        return c[0] if c else None
    if prefer == "past":
        c = [x for x in cands if x[0] <= ref]
        return c[-1] if c else None
    return min(cands, key=lambda x: (0 if x[0] <= ref <= x[1] else min(abs((x[0] - ref).days), abs((x[1] - ref).days)), x[0]))


def _easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    mo, da = divmod(h + l_ - 7 * m + 114, 31)
    return date(y, mo, da + 1)


def _orthodox_easter(y: int) -> date:
    """Julian computus, moved to the Gregorian calendar (13 days in 1900-2099)."""
    a, b, c = y % 4, y % 7, y % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    mo, da = divmod(d + e + 114, 31)
    return date(y, mo, da + 1) + timedelta(y // 100 - y // 400 - 2)


def _nth_weekday(y: int, mo: int, wd: int, n: int) -> date:
    days = [date(y, mo, d) for d in range(1, monthrange(y, mo)[1] + 1) if date(y, mo, d).weekday() == wd]
    return days[n - 1] if n > 0 else days[n]


def _wd_date(wd: int, base: date, how: str) -> date:
    back = (base.weekday() - wd) % 7
    fwd = (wd - base.weekday()) % 7
    if how == "past":
        return base - timedelta(back)
    if how == "before":
        return base - timedelta(back or 7)
    if how == "next_week":
        return base - timedelta(base.weekday()) + timedelta(7 + wd)
    return base + timedelta(fwd or 7)  # "after"


@dataclass
class _Ctx:
    ref: date | None
    prefer: str | None
    anchor: _V | None = None  # last calendar date named earlier in the text
    year: int | None = None  # imposed year (start of a range ending in a known year)
    now: tuple[int, int] | None = None  # the reference's time of day, when it has one

    def base(self, narrative: bool) -> tuple[date | None, _V | None]:
        if narrative and self.anchor is not None:
            return None, self.anchor
        return self.ref, None


Res = Callable[[_Ctx], _V]


def _shift_from(anchor: _V, n: int, unit: str, keep: bool = False) -> _V:
    """An earlier text date moved by n units ("trois ans plus tard"); ``keep``:
    at the date's own precision ("a year after Christmas 2012" is a day)."""
    base = anchor.hi if (anchor.span and n > 0) else anchor.lo
    d = _add(base, n, unit)
    own = "day" if anchor.prec == "time" else anchor.prec
    prec = own if keep else _coarser(_UNIT_PREC[unit], own)
    if prec == "week":
        prec = "day"
    return _point(d, prec, rel=True)


# ------------------------------------------------------------------ grammar
@dataclass
class _Cand:
    start: int
    end: int
    prio: int
    res: Res
    kind: str = ""


# What each rule cannot match without: mandatory fragments of it. A rule runs
# in a window only where each of its anchors is found in that window (same
# pos/endpos, so the same lookarounds): a rule match there contains an anchor
# match, so skipping the rule elsewhere finds exactly the same dates, and most
# rules are skipped in most windows (a month name, a holiday... is rare). An
# anchor is a piece of its rule, never one inside a negative lookaround (its
# word bounds are dropped, which must only let it match more). Anchors are
# checked in order and each once per window, so a common anchor shared by
# several rules goes first; one that starts with a digit or a plain character
# is cheap, the engine skipping ahead to candidates. A rule without an entry
# always runs.
_MONTH, _UNIT, _UNITS = "{MONA}", "{UNIT}", "{UNITS}"
_NUMUNIT = (_UNITS, r"{NUM}\s+(?:{PSH1}\s+)?{UNITS}")  # "three years", "2 derniers mois"
_ANCHORS: dict[str, tuple[str, ...]] = {
    "iso": (r"\d{4}[-/.]\d",), "num": (r"\d[/.-]\d",), "dmy": (_MONTH,), "mdwd": (_MONTH,), "mdy": (_MONTH,),
    "range_dm": (_MONTH,), "range_md": (_MONTH,), "range_m": (_MONTH,), "monyear": (_MONTH,), "prepmon": (_MONTH,),
    # a year's last digits then a connector; a year without its leading bound, so that it starts with a digit
    "range_y": (r"\d\d\s*{CONN}",), "prepyear": (r"(?:1\d|20)\d\d(?!\d|[,.]\d)",),
    "relday": ("{RELDAY}",), "timerel": ("{RELDAY}",), "curp": ("{CURP}",), "rest": ("{REST}",), "pabbr": ("{PABBR}",),
    "wdcount": ("{WDPL}",), "narrday": ("{NARRDAY}",), "unitrel": (_UNIT,), "weekday": ("{WD}",),
    "lastn": _NUMUNIT, "offb": _NUMUNIT, "offa": _NUMUNIT,
    # a part then the start of what it is part of: a month, a year, a relative unit, a unit
    "parts": (r"{PART}(?:\s*-\s*|\s+)(?:{OF})?(?:{ART})?(?:(?:{MWP})?{MON}|{YEAR}|(?:{ART})?(?:{SHB}|{UNIT}))",),
    "quarter": ("{PUNIT}",), "qletter": (r"{PLET}[1-4]",),
    # "of" then the start of what the nth day is of: a month, a relative unit, "the month", "the year", a year
    "nth": (r"{OF}(?:{ART})?(?:{MON}|(?:{ART})?(?:{SHB}|{UNIT})|{MONTHW}|{YEARW}|{YEAR})",),
    "wdday": ("{WDA}",), "holiday": ("{HOL}",), "season": ("{SEASON}",), "wkposs": (r"{POSS}\s+{WD}",),
    "onnum": (r"\d/\d",), "numdm": (r"\d\s*[/-]\s*\d",), "numsp": (r"\d\s+\d",), "nummy": (r"\d[-/]\d",),
    "decade": (r"\d0(?!\d)", r"\d0s|{DECPRE}\s+(?:1\d|20)?\d0"),  # "the 90s", "les années 2000"
    "dayonly": ("{DAY}",), "range_d": ("{DAY}",), "timeonly": (r"\d|{NOON}",),
}


def _holds(anchors: tuple[re.Pattern, ...], folded: str, a: int, b: int, found: dict[re.Pattern, bool]) -> bool:
    """Whether the window [a, b) holds each anchor; ``found`` keeps what the window's searches found."""
    for anchor in anchors:
        hit = found.get(anchor)
        if hit is None:
            hit = found[anchor] = anchor.search(folded, a, b) is not None
        if not hit:
            return False
    return True


class _Grammar:
    """The compiled patterns of one language (``latent``: also the forms that
    are only safe in a short expression given alone)."""

    def __init__(self, lang: str, latent: bool, rx=re.compile):
        L = load(lang, "dates") or {}
        self.lang, self.latent, self.L = lang, latent, L
        self.cap = bool(L.get("capitalized")) and not latent
        self.months = _keys(L.get("months"))
        self.months.update(_keys(L.get("month_abbr")))
        self.months.update(_keys(L.get("month_abbr_dotted")))
        self.weekdays = _keys(L.get("weekdays"))
        self.weekdays.update(_keys(L.get("weekday_abbr")))
        self.numbers = _keys(L.get("numbers"))
        self.ordinals = _keys(L.get("ordinals"))
        dayw = {k: v for k, v in (L.get("ordinals") or {}).items() if v <= 31}
        if L.get("cardinal_days"):
            dayw.update({k: v for k, v in (L.get("numbers") or {}).items() if v <= 31})
        self.daywords = _keys(dayw)
        self.last = {_norm(w) for w in L.get("last", [])}
        self.units = _keys(L.get("units"))
        self.units_any = _keys(L.get("units_any"))
        self.shifts = {**_keys(L.get("shift_before")), **_keys(L.get("shift_after")), **_keys(L.get("weekday_shift_after"))}
        self.pshifts = _keys(L.get("plural_shifts"))
        self.npshifts = _keys(L.get("narrative_plural_shifts"))
        self.nshifts = {**_keys(L.get("narrative_shift_before")), **_keys(L.get("narrative_shift_after"))}
        self.reldays = _keys(L.get("relative_days"))
        self.narrdays = _keys(L.get("narrative_days"))
        self.offb = _keys(L.get("offsets_before"))
        self.offa = _keys(L.get("offsets_after"))
        self.final = {_norm(w) for w in L.get("final_only", [])}
        self.offset_of = _keys(L.get("offset_of"))
        self.day_shift_of = _keys(L.get("day_shift_of"))
        self.ranges = {_norm(k): {_norm(c) for c in v} for k, v in (L.get("ranges") or {}).items()}
        self.parts = _keys(L.get("period_parts"))
        self.punits = _keys(L.get("period_units"))
        self.pletters = _keys(L.get("period_letters"))
        self.seasons = _keys(L.get("seasons"))
        self.holidays = _keys(L.get("holidays"))
        self.ampm = _keys(L.get("am_pm"))
        self.noon = _keys(L.get("noon"))
        self.hol_any = {_norm(w) for w in L.get("holidays_any_case", [])}
        self.wdpl = _keys(L.get("weekdays_plural"))
        self.curp = _keys(L.get("current_periods"))
        self.pabbr = _keys(L.get("period_abbr"))
        self.halfm = {_norm(w) for w in L.get("half_month_words", [])}

        full_wd = list(L.get("weekdays", {}))
        all_wd = full_wd + list(L.get("weekday_abbr", {}))
        suf = _alt(L.get("ordinal_suffixes", []), bound=False)
        day_num = r"(?<![\d,.])(?:3[01]|[12]\d|0?[1-9])(?!\d)(?:" + suf + _RB + ")?"
        week_words = [w for w, u in (L.get("units") or {}).items() if u == "week"]
        month_words = [w for w, u in (L.get("units") or {}).items() if u == "month"]
        conns = {c for v in (L.get("ranges") or {}).values() for c in v}
        F = {
            "MON": _alt(L.get("months", {})),
            "MONA": "(?:" + _alt(L.get("months", {})) + "|" + _alt(L.get("month_abbr", {})) + r"\.?|"
                    + _alt(L.get("month_abbr_dotted", {}), bound=False) + r"\.)",  # "sept." but not "sept"
            "WD": _alt(all_wd if latent else full_wd),
            "WDA": "(?:" + _alt(full_wd) + "|" + _alt(L.get("weekday_abbr", {}) if latent else []) + r"\.?)",
            "SUF": suf,
            "DAYNUM": day_num,
            "DAY": "(?:" + day_num + "|" + _alt(dayw) + ")",
            "YEAR": r"(?<![\d,.])(?:1\d{3}|20\d{2})(?!\d|[,.]\d)",
            "YEAR2": r"(?<![\d,.])'?\d{2}(?!\d|[,.]\d)" if latent else "(?!)",
            "NUM": r"(?:(?<![\d,.])\d{1,3}(?!\d|[,.]\d)|" + _alt(L.get("numbers", {})) + ")",
            "ORDW": "(?:" + _alt(L.get("ordinals", {})) + "|" + r"(?<![\d,.])\d{1,2}" + suf + _RB + ")",
            "LAST": _alt(L.get("last", [])),
            "ART": _alt(L.get("articles", []), space=True),
            "OF": _alt(L.get("of", []), space=True),
            "FROM": _alt([k for k in L.get("ranges", {}) if k], space=True),
            "CONN": "(?:" + "|".join(["-"] * ("-" in conns) + [_alt([c for c in conns if c != "-"])]) + ")",
            "UNIT": _alt(L.get("units", {})) + r"(?!-[^\W\d_])",  # not "year-round", "day-to-day"
            "UNITS": _alt(L.get("units_any", {})) + r"(?!-[^\W\d_])",
            "WEEKW": _alt(week_words),
            "WEEKENDW": _alt([w for w, u in (L.get("units") or {}).items() if u == "weekend"]),
            "HALFMW": _alt(L.get("half_month_words", [])),
            "YEARU": _alt([w for w, u in (L.get("units") or {}).items() if u == "year"]),
            "WDPL": _alt(L.get("weekdays_plural", {})),
            "POSS": _alt(L.get("week_possessive", []), bound=False),
            "REST": _alt(L.get("rest_of", [])),
            "CURP": _alt(L.get("current_periods", {})),
            "PABBR": _alt(L.get("period_abbr", {})),
            "UNTIL": _alt(L.get("until_prefixes", [])),
            "MONTHW": _alt(month_words),
            "DAYWORD": _alt([w for w, u in (L.get("units") or {}).items() if u == "day"]),
            "YEARW": _alt(L.get("year_words", [])),
            "SHB": _alt({**L.get("shift_before", {}), **L.get("narrative_shift_before", {})}),
            "SHA": _alt({**L.get("shift_after", {}), **L.get("narrative_shift_after", {})}),
            "WDSHA": _alt(L.get("weekday_shift_after", {})),
            # "last two years" / "deux dernières années" / "deux années passées"
            **{f"PSH{i}": _alt({**L.get("plural_shifts", {}), **L.get("narrative_plural_shifts", {})})
               if pos in L.get("plural_shift_positions", []) else "(?!)" for i, pos in enumerate(("before", "between", "after"))},
            "UNITREL": r"(?:{ART})?(?:{SHB}\s+{UNIT}|{UNIT}(?:\s+|-){SHA})",
            "WEEKREL": r"(?:{ART})?(?:{SHB}\s+{WEEKW}|{WEEKW}(?:\s+|-){SHA})",
            "YEARREL": r"(?:{ART})?(?:{SHB}\s+{YEARU}|{YEARU}(?:\s+|-){SHA})",
            "RELDAY": _alt(L.get("relative_days", {})),
            "NARRDAY": _alt(L.get("narrative_days", {})),
            "PARTS": _alt(L.get("parts_of_day", [])),
            "TPREP": _alt(L.get("time_prepositions", [])),
            "HMARK": _alt(L.get("hour_marks", [])),
            "AMPM": _alt(L.get("am_pm", {})),
            "NOON": _alt(L.get("noon", {})),
            "TIMEC": r"(?:(?<![\d,.])\d{1,2}\s*(?:{HMARK})(?:\s*\d{2}(?!\d))?(?:\s*{AMPM})?|(?<![\d,.])\d{1,2}:\d{2}(?!\d)(?:\s*{AMPM})?"
            r"|(?<![\d,.])\d{1,2}\s*{AMPM}|{NOON})",
            # a bare hour needs "at" / "à" and nothing after it but a part of the day or a clause end ("tonight at 8")
            "TIMEB": r"{TPREP}\s*(?<![\d,.])(?:1[0-2]|0?[1-9])(?!\d|[:.,]\d)(?=\s*(?:[,;!?)]|\.(?!\d)|$|{PARTS}))",
            "TIME": r"(?:(?:{TPREP}\s*)?{TIMEC}|{TIMEB})",
            # a time before the date; where the language links them ("at 9am on Saturday") the link is required,
            # so that "6 p.m. Today" across a sentence end is not read as one expression
            "LEAD": r"{TIMEC}\s*,?\s*(?:" + _alt(L.get("lead_links", []), space=True) + (")" if L.get("lead_links") else ")?"),
            "TAIL": r"(?:\s+{PARTS})?(?:\s*,?\s*(?P<tm>{TIME}))?(?:\s+{PARTS})?",
            "MPREP": _alt(L.get("month_prepositions", [])),
            "MWP": _alt(L.get("month_word_phrases", []), space=True),
            "YPREP": _alt(L.get("year_prepositions", [])),
            "OFFB": _alt(L.get("offsets_before", {})),
            "OFFA": _alt(L.get("offsets_after", {})),
            "PART": _alt(L.get("period_parts", {})),
            "PUNIT": _alt(L.get("period_units", {})),
            "PLET": "[" + "".join(re.escape(k) for k in self.pletters if len(k) == 1) + "]" if self.pletters else "(?!)",
            "SEASON": _alt(L.get("seasons", {})),
            "HOL": _alt(L.get("holidays", {})),
            "DECPRE": _alt(L.get("decade_prefixes", [])),
            "DPREP": _alt(L.get("day_only_preps", []), space=True),
            "NUMOF": r"{NUM}\s+{UNITS}\s+" + _alt(L.get("offset_of", {})),
            "DSHIFTOF": _alt(L.get("day_shift_of", {})),
            "WEEKOF": _alt(L.get("week_of", [])),
        }
        orders = L.get("date_orders", ["dmy"])
        rules: list[tuple[str, str, Callable]] = [
            ("iso", r"(?<![\d/.-])(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::\d{2})?)?(?!\d|[/.-]\d)", self._iso),
            ("num", r"(?<![\d/.,-])(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d{2})(?!\d|[/.-]\d)(?P<tail>{TAIL})", self._numeric),
            ("dmy", r"(?P<lead>{LEAD})?(?:{ART})?(?:(?P<wd>{WDA})\s*,?\s*(?:{ART})?)?(?P<d>{DAY})\s*(?:[-/]\s*)?(?:{OF})?(?P<mon>{MONA})"
             r"(?:(?:\s*,?\s*|[-/])(?P<y>{YEAR}|{YEAR2}))?(?P<tail>{TAIL})", self._date),
            ("range_dm", r"(?P<from>{FROM})?(?:{ART})?(?:{WDA}\s+)?(?P<d1>{DAY})\s*(?P<conn>{CONN})\s*(?:{ART})?(?:{WDA}\s+)?(?P<d2>{DAY})"
             r"\s*(?:-\s*)?(?:{OF})?(?P<mon>{MONA})(?:\s*,?\s*(?P<y>{YEAR}))?", self._range_dm),
            ("range_y", r"(?P<from>{FROM})?(?P<y1>{YEAR})\s*(?P<conn>{CONN})\s*(?P<y2>{YEAR}|(?<![\d,.])\d{2}(?!\d|[,.]\d))", self._range_y),
            ("range_m", r"(?P<from>{FROM})(?P<m1>{MON})(?:\s+(?P<y1>{YEAR}))?\s*(?P<conn>{CONN})\s*(?P<m2>{MON})(?:\s+(?P<y2>{YEAR}))?", self._range_m),
            ("monyear", r"(?:(?P<part>{PART})(?:\s*-\s*|\s+)(?:{OF})?)?(?P<mon>{MONA})\s*(?:{OF})?,?\s*(?P<y>{YEAR})", self._monyear),
            ("prepmon", r"(?:(?P<pre>{MPREP})\s+)?(?P<mwp>{MWP})?(?:(?P<shb>{SHB})\s+)?(?P<mon>{MON})(?:\s+(?P<sha>{SHA}))?", self._prepmon),
            ("prepyear", r"(?:(?P<pre>{YPREP})\s+(?:{ART})?(?:{YEARW}\s+)?|(?P<yw>(?:{ART})?{YEARW}\s+))" + ("?" if latent else "")
             + r"(?P<y>{YEAR})", self._prepyear),
            ("relday", r"(?P<lead>{LEAD})?(?P<rd>{RELDAY})(?P<tail>{TAIL})", self._relday),
            ("timerel", r"(?P<lead>(?:{TPREP}\s*)?{TIMEC})\s+(?P<rd>{RELDAY})(?P<tail>{TAIL})", self._timerel),  # "3pm tomorrow"
            ("curp", r"(?P<cp>{CURP})(?!\s*(?:{OF}))(?!\s+(?:{SHA}))", self._curp),
            ("rest", r"(?:{ART})?(?P<rest>{REST})\s+(?:{ART})?(?P<u>{UNIT})(?!\s+(?:{OF}))", self._rest),
            ("pabbr", r"(?:{ART})?(?P<pa>{PABBR})", self._pabbr),
            ("wdcount", r"(?P<n>{NUM})\s+(?P<wds>{WDPL})\s+(?P<oa>{OFFA})", self._wdcount),
            ("narrday", r"(?P<nd>{NARRDAY})(?!\s*(?:{OF}))(?P<tail>{TAIL})", self._narrday),
            ("unitrel", r"(?:{ART})?(?:(?P<shb>{SHB})\s+(?P<u>{UNIT})|(?P<u2>{UNIT})(?:\s+|-)(?P<sha>{SHA}))", self._unitrel),
            ("weekday", r"(?P<lead>{LEAD})?(?:(?P<shb>{SHB})\s+)?(?P<wd>{WD})(?:\s+(?P<sha>{SHA}|{WDSHA}))?"
             r"(?:\s*,?\s*(?:" + _alt(L.get("week_link", []), space=True) + r")?(?P<wk>{WEEKREL}))?(?P<tail>{TAIL})", self._weekday),
            ("lastn", r"(?:{ART})?(?:(?P<sh0>{PSH0})\s+(?P<n0>{NUM})\s+(?P<u0>{UNITS})|(?P<n>{NUM})\s+(?:(?P<sh>{PSH1})\s+(?P<u>{UNITS})"
             r"|(?P<u2>{UNITS})\s+(?P<sh2>{PSH2})))", self._lastn),
            ("offb", r"(?P<ob>{OFFB})\s+(?P<n>{NUM})\s+(?P<u>{UNITS})(?!\s+(?:{OF}))", self._offset),  # not "in a year of"
            ("offa", r"(?P<n>{NUM})\s+(?P<u>{UNITS})\s+(?P<oa>{OFFA})", self._offset),
            ("parts", r"(?P<part>{PART})(?P<sep>\s*-\s*|\s+)(?P<of>{OF})?(?:{ART})?(?:(?:{MWP})?(?P<mon>{MON})(?:\s+(?P<y>{YEAR}))?|(?P<y2>{YEAR})"
             r"|(?P<rel>{UNITREL})|(?P<u>{UNIT}))", self._parts),
            ("quarter", r"(?:{ART})?(?P<n>{ORDW})\s+(?P<q>{PUNIT})(?:\s+(?:{OF})?(?:(?P<y>{YEAR})|(?P<rel>{UNITREL})|(?:{ART})?(?P<yw>{YEARW})))?",
             self._quarter),
            ("qletter", r"(?<![\w])(?P<ql>{PLET})(?P<qn>[1-4])\s*(?P<y>{YEAR})?(?!\w)|(?P<y2>{YEAR})\s*(?P<ql2>{PLET})(?P<qn2>[1-4])(?!\w)", self._qletter),
            ("nth", r"(?:{ART})?(?P<n>{ORDW}|{DAYNUM}|{LAST})(?:\s+(?P<last>{LAST}))?\s+"
             r"(?:(?P<what>{WD}|{DAYWORD}|{WEEKW}|{WEEKENDW}|{HALFMW})\s+)?(?:{OF})"
             r"(?P<ctx>(?:{ART})?(?:{MON}(?:\s+{YEAR})?|{UNITREL}|{MONTHW}|{YEARW}|{YEAR}))", self._nth),
            ("wdday", r"(?P<lead>{LEAD})?(?:{ART})?(?P<wd>{WDA})\s*,?\s*(?P<art>{ART})?(?P<d>{DAY})(?P<tail>{TAIL})", self._wdday),
            ("holiday", r"(?P<lead>{LEAD})?(?:{ART})?(?:(?P<shb>{SHB})\s+)?(?P<hol>{HOL})(?:\s+(?P<y>{YEAR})|\s+(?:{OF})?(?P<rel>{YEARREL})|\s+(?P<sha>{SHA}))?"
             r"(?P<tail>{TAIL})", self._holiday),
            ("season", r"(?:{ART})?(?:(?P<shb>{SHB})\s+)?(?P<s>{SEASON})(?:\s+(?P<sha>{SHA}))?(?:\s+(?:{OF})?(?P<y>{YEAR}))?", self._season),
        ]
        if L.get("week_possessive"):  # "last week's Sunday"
            rules.append(("wkposs", r"(?P<wk>{WEEKREL}){POSS}\s+(?P<wd>{WD})(?P<tail>{TAIL})", self._wkposs))
        if L.get("day_only_preps"):  # "on 2/15", "jusqu'au 15/03": a numeric day-month after a day preposition
            rules.append(("onnum", r"(?P<pre>{DPREP})(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\d/]|[.,]\d|\s*%|\s+(?:{OF}))(?P<tail>{TAIL})",
                          self._numeric))
        if "mdy" in orders:
            rules.insert(3, ("mdwd", r"(?P<mon>{MONA})\s*(?P<d>{DAY})(?:\s*,?\s*(?P<y>{YEAR}))?\s*,\s*(?P<wd>{WDA})(?!\w)", self._mdwd))
            rules.insert(4, ("mdy", r"(?P<lead>{LEAD})?(?:(?P<wd>{WDA})\s*,?\s*)?(?P<mon>{MONA})\s*(?:{ART})?(?P<d>{DAY})"
                                    r"(?:\s*,?\s*(?P<y>{YEAR}|{YEAR2}))?(?P<tail>{TAIL})", self._date))
            rules.insert(6, ("range_md", r"(?P<from>{FROM})?(?P<mon>{MONA})\s*(?P<d1>{DAY})\s*(?P<conn>{CONN})\s*(?:(?P<mon2>{MONA})\s*)?"
                                         r"(?P<d2>{DAY})(?:\s*,?\s*(?P<y>{YEAR}))?", self._range_dm))
        if L.get("decade_prefixes"):
            rules.append(("decade", r"(?:{ART})?(?:{DECPRE})\s+(?P<dec>(?:1\d|20)?\d0)(?!\d)", self._decade))
        if L.get("decade_suffix"):
            rules.append(("decade", r"(?:{ART})?(?P<ap>')?(?<![\d,.])(?P<dec>(?:1\d|20)?\d0)s" + _RB, self._decade))
        if latent:
            rules += [
                ("numdm", r"(?:{ART})?(?<![\d/.,-])(?P<a>\d{1,2})\s*(?P<s>[/-])\s*(?P<b>\d{1,2})(?![\d/-]|\.\d)(?P<tail>{TAIL})", self._numeric),
                ("numsp", r"(?:{ART})?(?<![\d,.])(?P<a>\d{1,2})\s+(?P<b>\d{1,2})(?:\s+(?P<y>\d{4}|\d{2}))?(?!\d)", self._numeric),
                ("nummy", r"(?<![\d/.-])(?:(?P<m1>\d{1,2})/(?P<y1>\d{4})|(?P<y2>\d{4})[-/](?P<m2>\d{1,2}))(?![\d/.-])", self._nummy),
                ("dayonly", r"(?:{ART}|{DPREP}(?:{ART})?)(?P<d>{DAY})(?P<tail>{TAIL})", self._dayonly),
                ("range_d", r"(?P<from>{FROM})(?:{ART})?(?P<d1>{DAY})\s*(?P<conn>{CONN})\s*(?:{ART})?(?P<d2>{DAY})", self._range_d),
                ("timeonly", r"(?P<tm>{TIME})(?:\s+{PARTS})?", self._timeonly),
            ]
        # every expression starts at a word start: checking that first lets the engine skip mid-word positions
        # without the word bounds an anchor matches wherever it did with them, and
        # starting with a plain character lets the engine skip ahead to candidates
        anchors = {a: rx(_sub(a, F).replace(_LB, "").replace(_RB, "")) for t in _ANCHORS.values() for a in t}
        self.rules = []
        for name, t, h in rules:
            rule = rx(r"(?<!\w)(?:" + _sub(t, F) + ")")
            self.rules.append((name, rule, h, tuple(anchors[a] for a in _ANCHORS.get(name, ())), "pre" in rule.groupindex))
        c = lambda t: rx(_sub(t, F))  # noqa: E731
        # every expression holds one of these; rules only run in windows around them (speed)
        self.trigger_re = c(r"\d|" + _alt([w for k in ("months", "month_abbr", "weekdays", "weekday_abbr", "relative_days", "narrative_days",
                                                      "units", "units_any", "holidays", "seasons", "period_units", "ordinals",
                                                      "weekdays_plural", "period_abbr", "current_periods", "noon") for w in (L.get(k) or {})]))
        self.unitrel_re = c(r"(?:{ART})?(?:(?P<shb>{SHB})\s+(?P<u>{UNIT})|(?P<u2>{UNIT})(?:\s+|-)(?P<sha>{SHA}))")
        self.monyear_re = c(r"(?:{ART})?(?P<mon>{MON})(?:\s+(?P<y>{YEAR}))?")
        self.time_re = c(r"(?P<h>\d{1,2})(?:\s*(?::|{HMARK})\s*(?P<mi>\d{2})?)?(?:\s*(?P<ap>{AMPM}))?|(?P<noon>{NOON})")
        self.dprep_re = c(r"{DPREP}$")
        self.unitword_re = c(r"(?:{ART})?(?P<u>{UNIT}|{YEARW})")
        self.pm_re = c(_alt(L.get("pm_words", [])))
        self.habit_re = c(_alt(L.get("habitual_articles", [])) + r"\s+$")
        self.offb_end_re = c(r"(?:{OFFB})\s*$")
        self.curp_habit_re = c(_alt(L.get("frequency_words", [])) + r"\s+$")
        self.parts_re = c(r"{PARTS}|" + _alt(L.get("pm_words", [])))
        self.counted_re = c(r"(?:\s*(?:{CONN})\s*\d+)?\s*(?:[%€$£¥]|" + _alt(L.get("counted_nouns", [])) + ")")  # "entre 1500 et 2000 personnes"
        self.hmark_re = c(r"\d\s*(?:{HMARK})")
        self.hol_not_before_re = c(r"[\s-]+" + _alt(L.get("holiday_not_before", [])))
        self.hol_not_after_re = c(_alt(L.get("holiday_not_after", [])) + r"[\s-]*$")
        self.prefix_re = c(r"(?:(?P<n>{NUM})\s+(?P<u>{UNITS})\s+(?P<of>" + _alt(L.get("offset_of", {})) + r")(?:\s+{ART}|\s*)"
                           r"|(?P<fix>{DSHIFTOF})\s*|(?P<wk>{WEEKOF})\s*|(?P<until>{UNTIL})\s*)$")
        self.conn_re = c(r"\s*,?\s*(?P<c>{CONN})\s*(?:{ART})?")
        self.from_re = c(r"(?P<f>{FROM})(?:{ART})?$")

    # ----------------------------------------------------------- helpers
    def _capok(self, text: str, m: re.Match, *groups: str) -> bool:
        if not self.cap:
            return True
        for g in groups:
            s = m.start(g)
            if s >= 0 and text[s].isalpha() and not text[s].isupper():
                return False
        return True

    def _day(self, s: str) -> int:
        k = _norm(s)
        if k in self.daywords:
            return self.daywords[k]
        return int(re.match(r"\d+", k).group())

    def _num(self, s: str) -> int:
        k = _norm(s)
        return int(k) if k.isdigit() else self.numbers.get(k, self.ordinals.get(k, 0))

    def _time(self, s: str | None) -> tuple[int, int] | None:
        if not s or not s.strip():
            return None
        t = self.time_re.search(s)
        if not t:
            return None
        if t["noon"]:
            return self.noon.get(_norm(t["noon"]), 12), 0
        h, mi = int(t["h"]), int(t["mi"] or 0)
        if t["ap"]:
            off = self.ampm.get(_norm(t["ap"]), 0)
            h = h % 12 + off if h <= 12 else h
        return (h, mi) if h < 24 and mi < 60 else None

    def _timed(self, m: re.Match, r: Res) -> Res:
        gi = m.re.groupindex
        tm = self._time(m["tm"] if "tm" in gi else None) or self._time(m["lead"] if "lead" in gi else None)
        if tm and "tm" in gi and m["tm"] and self._bare_hour(m["tm"]) and not self.parts_re.search(m.group()):
            tm = None  # "Friday at 3": which 3? Only "tonight at 8", "samedi matin à 9" say it
        if not tm:
            return r
        if tm[0] < 12 and self.pm_re.search(m.group()):
            tm = (tm[0] + 12, tm[1])  # "3 heures cet après-midi", "tonight at 8"

        def timed(c: _Ctx) -> _V:
            v = r(c)
            if v.prec == "day" and not v.span:
                return replace(v, prec="time", tm=tm)
            return v

        return timed

    def _bare_hour(self, s: str) -> bool:
        t = self.time_re.search(s)
        return bool(t and t["h"] and not t["ap"] and ":" not in s and not self.hmark_re.search(s))

    def _shift(self, m: re.Match, *groups: str) -> tuple[int | None, bool]:
        """(shift, narrative) from shift words: -1 'dernier', +1 'next'..."""
        for g in groups:
            w = m[g] if g in m.re.groupindex else None
            if w:
                k = _norm(w)
                if k in self.nshifts:
                    return self.nshifts[k], True
                return self.shifts.get(k, 0), False
        return None, False

    def _yearless(self, build: Callable[[int], tuple[date, date] | None], c: _Ctx, wd: int | None = None, span: int = 1):
        if c.year:
            return build(c.year)
        if c.ref is None:
            return None
        cands = []
        for y in range(c.ref.year - span, c.ref.year + span + 1):
            try:
                cands.append(build(y))
            except ValueError:
                pass
        if wd is not None:
            cands = [x for x in cands if x and x[0].weekday() == wd] or cands
        # a weekday pins the year: take the nearest fit, whatever the preference
        return _pick(cands, c.ref, None if wd is not None else c.prefer)

    # ---------------------------------------------------------- handlers
    # Each returns a resolver (context -> _V), or None to reject the match.
    def _iso(self, m, text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        dt = date(y, mo, d)
        if m["h"] and int(m["h"]) < 24 and int(m["mi"]) < 60:
            tm = (int(m["h"]), int(m["mi"]))
            return lambda c: _V(dt, dt, "time", tm=tm)
        return lambda c: _V(dt, dt, "day")

    def _numeric(self, m, text):
        a, b = int(m["a"]), int(m["b"])
        d, mo = (b, a) if self.L.get("numeric_order") == "mdy" else (a, b)
        if mo > 12 and d <= 12:
            d, mo = mo, d  # unambiguous the other way round
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        ys = m["y"] if "y" in m.re.groupindex else None
        if ys:
            if len(ys) == 2 and not self.latent and m["s"] != "/":
                return None
            y = int(ys) if len(ys) == 4 else 2000 + int(ys) if int(ys) < 50 else 1900 + int(ys)
            dt = date(y, mo, d)
            return self._timed(m, lambda c: _V(dt, dt, "day"))
        date(2000, mo, d)

        def r(c):
            p = self._yearless(lambda y: (date(y, mo, d),) * 2, c)
            return _V(p[0], p[1], "day", rel=True) if p else _none("day")

        return self._timed(m, r)

    def _nummy(self, m, text):
        mo, y = (int(m["m1"]), int(m["y1"])) if m["m1"] else (int(m["m2"]), int(m["y2"]))
        dt = date(y, mo, 1)
        return lambda c: _point(dt, "month")

    def _date(self, m, text):
        if not self._capok(text, m, "mon", "wd"):
            return None
        d, mo = self._day(m["d"]), self.months[_norm(m["mon"])]
        wd = self.weekdays.get(_norm(m["wd"])) if m["wd"] else None
        if m["y"]:
            ys = m["y"].lstrip("'")
            y = int(ys) if len(ys) == 4 else 2000 + int(ys) if int(ys) < 50 else 1900 + int(ys)
            dt = date(y, mo, d)
            return self._timed(m, lambda c: _V(dt, dt, "day"))
        date(2000, mo, d)  # validates 31 février

        def r(c):
            p = self._yearless(lambda y: (date(y, mo, d),) * 2, c, wd, span=6 if wd is not None else 1)
            return _V(p[0], p[1], "day", rel=True) if p else _none("day")

        return self._timed(m, r)

    def _range_pair_ok(self, m) -> bool:
        f = _norm(m["from"]) if m["from"] else ""
        return _norm(m["conn"]) in self.ranges.get(f, set()) or (f and m["conn"].strip() == "-")

    def _range_dm(self, m, text):
        if not self._capok(text, m, "mon") or not self._range_pair_ok(m):
            return None
        d1, d2 = self._day(m["d1"]), self._day(m["d2"])
        mo = self.months[_norm(m["mon"])]
        mo2 = self.months[_norm(m["mon2"])] if "mon2" in m.re.groupindex and m["mon2"] else mo
        if mo == mo2 and d1 >= d2:
            return None
        y0 = int(m["y"]) if m["y"] else None

        def build(y):
            lo = date(y if mo <= mo2 else y - 1, mo, d1)
            return lo, date(y, mo2, d2)

        build(2000)

        def r(c):
            p = build(y0) if y0 else self._yearless(build, c)
            return _V(p[0], p[1], "day", rel=not y0, span=True) if p else _none("day")

        return r

    def _range_y(self, m, text):
        if not self._range_pair_ok(m) or self._counted(text, m.end()):
            return None
        y1, y2s = int(m["y1"]), m["y2"]
        y2 = int(y2s) if len(y2s) == 4 else y1 // 100 * 100 + int(y2s)
        if not y1 < y2 <= y1 + 100:
            return None
        return lambda c: _V(date(y1, 1, 1), date(y2, 12, 31), "year", span=True)

    def _range_m(self, m, text):
        if not self._capok(text, m, "m1", "m2") or not self._range_pair_ok(m):
            return None
        m1, m2 = self.months[_norm(m["m1"])], self.months[_norm(m["m2"])]
        y1, y2 = (int(m["y1"]) if m["y1"] else None), (int(m["y2"]) if m["y2"] else None)

        def build(y):
            a = y1 or (y if m1 <= m2 else y - 1)
            return date(a, m1, 1), _mend(y, m2)

        def r(c):
            p = build(y2) if y2 else self._yearless(build, c)
            return _V(p[0], p[1], "month", rel=not y2, span=True) if p and p[0] <= p[1] else _none("month")

        return r

    def _monyear(self, m, text):
        if not self._capok(text, m, "mon"):
            return None
        mo, y = self.months[_norm(m["mon"])], int(m["y"])
        part = self.parts.get(_norm(m["part"])) if m["part"] else None
        return lambda c: self._part_of(part, date(y, mo, 1), _mend(y, mo), "month", False)

    def _prepmon(self, m, text):
        if not self._capok(text, m, "mon"):
            return None
        if not (self.latent or m["pre"] or m["mwp"] or m["shb"] or m["sha"]):
            return None
        mo = self.months[_norm(m["mon"])]
        n, narrative = self._shift(m, "shb", "sha")

        def r(c):
            base, anchor = c.base(narrative)
            if anchor is not None:
                base = anchor.lo
            if base is None:
                return _none("month")
            if not n:  # "en mars", "this March": the nearest (or preferred) March
                p = self._yearless(lambda y: (date(y, mo, 1), _mend(y, mo)), c) if anchor is None else \
                    _pick([(date(y, mo, 1), _mend(y, mo)) for y in (base.year - 1, base.year, base.year + 1)], base, None)
            else:  # "mars dernier": strictly before this month; "next March": strictly after
                k = base.year * 12 + base.month - 1
                cands = [y * 12 + mo - 1 for y in range(base.year - 3, base.year + 4)]
                seq = [x for x in cands if x < k][::-1] if n < 0 else [x for x in cands if x > k]
                y = seq[abs(n) - 1] // 12
                p = (date(y, mo, 1), _mend(y, mo))
            return _V(p[0], p[1], "month", rel=True) if p else _none("month")

        return r

    def _counted(self, text: str, end: int) -> bool:
        """A number followed by what it counts ("jusqu'à 2000 euros", "by 2000 workers") is no year."""
        return self.counted_re.match(_fold(text[end:end + 40])) is not None

    def _prepyear(self, m, text):
        if self._counted(text, m.end()):
            return None
        y = int(m["y"])
        return lambda c: _V(date(y, 1, 1), date(y, 12, 31), "year")

    def _relday(self, m, text):
        off = self.reldays[_norm(m["rd"])]

        def r(c):
            if c.ref is None:
                return _none("day")
            d = c.ref + timedelta(off)
            return _V(d, d, "day", rel=True)

        return self._timed(m, r)

    def _timerel(self, m, text):
        # without a link word, only where the day word cannot open a new sentence ("... at 6 p.m. Today, ...")
        if m["lead"].rstrip().endswith(".") or (self.cap and not text[m.start("rd")].islower()):
            return None
        return self._relday(m, text)

    def _final_ok(self, text: str, end: int) -> bool:
        return re.match(r"\s*(?:[,.;:!?)\]»\"]|$|\n)", text[end:]) is not None

    def _narrday(self, m, text):
        k = _norm(m["nd"])
        if k in self.final and not self._final_ok(text, m.end("nd")):
            return None
        off = self.narrdays[k]

        def r(c):
            if c.anchor is not None:
                return _shift_from(c.anchor, off, "day")
            if c.ref is None:
                return _none("day")
            d = c.ref + timedelta(off)
            return _V(d, d, "day", rel=True)

        return self._timed(m, r)

    def _unit_rel(self, unit: str, n: int, narrative: bool, c: _Ctx) -> _V:
        base, anchor = c.base(narrative)
        if anchor is not None:
            base = anchor.hi if n > 0 else anchor.lo
        if base is None:
            return _none("week" if unit == "week" else _UNIT_PREC[unit])
        lo, hi = _unit_period(_add(base, n, unit), unit)
        return _mk(lo, hi, unit, rel=True)

    def _unitrel(self, m, text):
        unit = self.units[_norm(m["u"] or m["u2"])]
        n, narrative = self._shift(m, "shb", "sha")
        return lambda c: self._unit_rel(unit, n or 0, narrative, c)

    def _weekday(self, m, text):
        if not self._capok(text, m, "wd"):
            return None
        wd = self.weekdays[_norm(m["wd"])]
        n, narrative = self._shift(m, "shb", "sha")
        if n is None and m["wk"] is None and not self.latent and self.habit_re.search(_fold(text[max(0, m.start() - 12):m.start()])):
            return None  # "le lundi, il court": a habit, not a date
        if self.cap and n is None and not (m["wk"] or m["tm"] or m["lead"]):
            nxt = re.match(r"\s+([^\W\d_])", text[m.end():])
            if nxt and nxt[1].isupper() and not self.dprep_re.search(_fold(text[max(0, m.start() - 12):m.start()])):
                return None  # "The Sunday Times", not "on Sunday Smith said"
        wk = self.unitrel_re.fullmatch(m["wk"]) if m["wk"] else None
        next_mode = "next_week" if self.L.get("next_weekday") == "next_week" else "after"

        def r(c):
            if wk:  # "lundi de la semaine prochaine"
                k, nar = self._shift(wk, "shb", "sha")
                w = self._unit_rel("week", k or 0, nar, c)
                if w.lo is None:
                    return _none("day")
                d = w.lo + timedelta(wd)
                return _V(d, d, "day", rel=True)
            base, anchor = c.base(narrative)
            if anchor is not None:
                base = anchor.hi if (n or 0) > 0 else anchor.lo
            if base is None:
                return _none("day")
            if n is None or (n == 0 and c.prefer):
                d = _wd_date(wd, base, "after" if c.prefer == "future" else "past")
            elif n == 0:  # "ce vendredi", "this Friday": the one of the current week
                d = base - timedelta(base.weekday() - wd)
            elif n >= 7:  # "lundi en huit": a week (or two) after the coming Monday
                d = _wd_date(wd, base - timedelta(1), "after") + timedelta(n - 1)
            elif narrative:
                d = _wd_date(wd, base, "after" if n > 0 else "before")
            elif n < 0:
                d = _wd_date(wd, base, "before") - timedelta(7 * (-n - 1))
            elif n == 1:
                d = _wd_date(wd, base, next_mode)
            else:
                d = _wd_date(wd, base, "after") + timedelta(7 * (n - 1))
            return _V(d, d, "day", rel=True)

        return self._timed(m, r)

    def _offset(self, m, text):
        gi = m.re.groupindex
        word = m["ob"] if "ob" in gi else m["oa"]
        k = _norm(word)
        if k in self.final and not self._final_ok(text, m.end()):
            return None
        sign, anchor_kind = (self.offb if "ob" in gi else self.offa)[k]
        n, unit = self._num(m["n"]) * sign, self.units_any[_norm(m["u"])]
        narrative = anchor_kind == "narrative"
        if anchor_kind == "within":  # from the reference up to N units later
            def within(c):
                if c.ref is None:
                    return _V(None, None, "day", rel=True, span=True)
                return _V(c.ref, _add(c.ref, n, unit), "day", rel=True, span=True)
            return within

        def r(c):
            if narrative and c.anchor is not None:
                return _shift_from(c.anchor, n, unit)
            if c.ref is None:
                return _none(_UNIT_PREC[unit])
            return _point(_add(c.ref, n, unit), _UNIT_PREC[unit], rel=True)

        return r

    def _lastn(self, m, text):
        """ "les trois derniers mois", "the past two years": whole units before
        (or after) the current one."""
        n = self._num(m["n0"] or m["n"])
        u = self.units_any[_norm(m["u0"] or m["u"] or m["u2"])]
        k = _norm(m["sh0"] or m["sh"] or m["sh2"])
        sign, narrative = (self.npshifts[k], True) if k in self.npshifts else (self.pshifts[k], False)
        if not 1 <= n <= 100:
            return None
        if u == "decade":  # "the past two decades": twenty years
            n, u = 10 * n, "year"

        def r(c):
            base, anchor = c.base(narrative)
            if anchor is not None:
                base = anchor.hi if sign > 0 else anchor.lo
            if base is None:
                return _none(_UNIT_PREC[u])
            a, b = (-n, -1) if sign < 0 else (1, n)
            lo = _unit_period(_add(base, a, u), u)[0]
            hi = _unit_period(_add(base, b, u), u)[1]
            return _V(lo, hi, "week" if u == "week" else _UNIT_PREC[u], rel=True, span=True)

        return r

    def _part_of(self, part: str | None, lo: date, hi: date, unit: str, rel: bool) -> _V:
        """early/mid/late thirds of a month, year or week."""
        if not part:
            return _mk(lo, hi, unit, rel=rel)
        i = {"early": 0, "mid": 1, "late": 2}[part]
        if unit == "year":
            a, b = (1, 5, 9)[i], (4, 8, 12)[i]
            return _V(date(lo.year, a, 1), _mend(lo.year, b), "month", rel=rel, span=True)
        if unit == "month":
            a, b = (1, 11, 21)[i], (10, 20, hi.day)[i]
            return _V(lo.replace(day=a), lo.replace(day=b), "day", rel=rel, span=True)
        if unit in ("week", "weekend"):
            a, b = (0, 2, 4)[i], (1, 3, 6)[i]
            return _V(lo + timedelta(a), lo + timedelta(b), "day", rel=rel, span=True)
        return _mk(lo, hi, unit, rel=rel)

    def _parts(self, m, text):
        if not self._capok(text, m, "mon"):
            return None
        part = self.parts[_norm(m["part"])]
        if m["u"] and not (m["of"] or "-" in m["sep"]):
            return None  # "fin d'année", "mid-week", but not "late week"
        if m["mon"]:
            mo, y = self.months[_norm(m["mon"])], int(m["y"]) if m["y"] else None
            if y:
                return lambda c: self._part_of(part, date(y, mo, 1), _mend(y, mo), "month", False)

            def r(c):
                p = self._yearless(lambda yy: (date(yy, mo, 1), _mend(yy, mo)), c)
                return self._part_of(part, p[0], p[1], "month", True) if p else _none("day")

            return r
        if m["y2"]:
            y = int(m["y2"])
            return lambda c: self._part_of(part, date(y, 1, 1), date(y, 12, 31), "year", False)
        if m["rel"]:
            um = self.unitrel_re.fullmatch(m["rel"])
            unit = self.units[_norm(um["u"] or um["u2"])]
            n, nar = self._shift(um, "shb", "sha")
        else:
            unit, n, nar = self.units[_norm(m["u"])], 0, False

        def r2(c):
            v = self._unit_rel(unit, n or 0, nar, c)
            return self._part_of(part, v.lo, v.hi, unit, True) if v.lo else v

        return r2

    def _quarter(self, m, text):
        q = self.punits[_norm(m["q"])]
        n = self._num(m["n"]) if not m["n"][0].isdigit() else int(re.match(r"\d+", m["n"]).group())
        k = _MONTHS_IN[q]
        if not 1 <= n <= 12 // k:
            return None
        return self._in_year(m, lambda y: (date(y, (n - 1) * k + 1, 1), _mend(y, n * k)))

    def _in_year(self, m, build):
        if m["y"]:
            lo, hi = build(int(m["y"]))
            return lambda c: _V(lo, hi, "month", span=True)
        um = self.unitrel_re.fullmatch(m["rel"]) if "rel" in m.re.groupindex and m["rel"] else None

        def r(c):
            if um:
                k, nar = self._shift(um, "shb", "sha")
                v = self._unit_rel(self.units[_norm(um["u"] or um["u2"])], k or 0, nar, c)
            else:
                v = self._unit_rel("year", 0, False, c)
            if v.lo is None:
                return _none("month")
            lo, hi = build(v.lo.year)
            return _V(lo, hi, "month", rel=True, span=True)

        return r

    def _qletter(self, m, text):
        ql, qn, y = (m["ql"], m["qn"], m["y"]) if m["ql"] else (m["ql2"], m["qn2"], m["y2"])
        unit = self.pletters[_norm(ql)]
        k, n = _MONTHS_IN[unit], int(qn)
        if n > 12 // k or (not y and not self.latent):
            return None
        y = int(y) if y else None

        def r(c):
            yy = y or (c.ref.year if c.ref else None)
            if yy is None:
                return _none("month")
            return _V(date(yy, (n - 1) * k + 1, 1), _mend(yy, n * k), "month", rel=y is None, span=True)

        return r

    def _ctx_period(self, s: str, c: _Ctx) -> _V | None:
        """The month or year an nth-expression counts in ("d'octobre 2015", "du mois prochain")."""
        mm = self.monyear_re.fullmatch(s)
        if mm:
            mo = self.months[_norm(mm["mon"])]
            if mm["y"]:
                y = int(mm["y"])
                return _V(date(y, mo, 1), _mend(y, mo), "month")
            p = self._yearless(lambda y: (date(y, mo, 1), _mend(y, mo)), c)
            return _V(p[0], p[1], "month", rel=True) if p else None
        um = self.unitrel_re.fullmatch(s)
        if um:
            k, nar = self._shift(um, "shb", "sha")
            v = self._unit_rel(self.units[_norm(um["u"] or um["u2"])], k or 0, nar, c)
            return v if v.lo else None
        y = re.search(r"\d{4}", s)
        if y:
            return _V(date(int(y[0]), 1, 1), date(int(y[0]), 12, 31), "year")
        uw = self.unitword_re.fullmatch(s)  # "du mois", "of the year": the current one
        unit = self.units.get(_norm(uw["u"]), "year") if uw else "year"
        v = self._unit_rel(unit if unit in ("month", "year") else "year", 0, False, c)
        return v if v.lo else None

    def _nth(self, m, text):
        nk = _norm(m["n"])
        last = nk in self.last or bool(m["last"])
        what = _norm(m["what"]) if m["what"] else None
        if what in self.weekdays and not self._capok(text, m, "what"):
            return None  # where names take capitals, a weekday and a month need them ("the first day of March")
        mon = self.monyear_re.search(m["ctx"])
        if mon and mon["mon"] and self.cap and not text[m.start("ctx") + mon.start("mon")].isupper():
            return None
        if nk in self.last:
            n = 1
        elif nk in self.ordinals:
            n = self.ordinals[nk]
        else:
            n = int(re.match(r"\d+", nk).group())
        if what is None and (last or n > 31):
            return None
        unit = self.units.get(what) if what else None
        kind = "wd" if what in self.weekdays else unit if unit in ("week", "weekend") else "half" if what in self.halfm else "day"
        idx = -n if last else n - 1

        def r(c):
            p = self._ctx_period(m["ctx"], c)
            if p is None:
                return _none("week" if kind == "week" else "day")
            days = [p.lo + timedelta(i) for i in range((p.hi - p.lo).days + 1)]
            if kind == "wd":
                items = [(d, d) for d in days if d.weekday() == self.weekdays[what]]
            elif kind == "week":  # full Monday-Sunday weeks inside the period
                items = [(d, d + timedelta(6)) for d in days if d.weekday() == 0 and d + timedelta(6) <= p.hi]
            elif kind == "weekend":  # its Saturday is in the period
                items = [(d, d + timedelta(1)) for d in days if d.weekday() == 5]
            elif kind == "half":  # "la première quinzaine d'avril": days 1-15, 16-end of each month
                items = [(d, d + timedelta(14)) if d.day == 1 else (d, _mend(d.year, d.month)) for d in days if d.day in (1, 16)]
            else:
                items = [(d, d) for d in days]
            if not -len(items) <= idx < len(items):
                return _none("day")
            lo, hi = items[idx]
            if kind == "half":
                return _V(lo, hi, "day", rel=p.rel, span=True)
            return _mk(lo, hi, kind if kind in ("week", "weekend") else "day", rel=p.rel)

        return r

    def _wdday(self, m, text):
        if not self._capok(text, m, "wd"):
            return None
        wd, d = self.weekdays[_norm(m["wd"])], self._day(m["d"])
        if not self.latent and not (m["d"][0].isdigit() and (m["art"] or re.search(r"\D$", m["d"]) or self._final_ok(text, m.end("d")))):
            return None  # not "mercredi 13 personnes", "mercredi un remaniement"; yes "mercredi 13," "Tuesday the 19th"

        def r(c):
            if c.ref is None:
                return _none("day")
            cands = []
            for k in range(-12, 13):
                y, mo = divmod(c.ref.year * 12 + c.ref.month - 1 + k, 12)
                try:
                    dt = date(y, mo + 1, d)
                except ValueError:
                    continue
                if dt.weekday() == wd:
                    cands.append((dt, dt))
            p = _pick(cands, c.ref, c.prefer)
            return _V(p[0], p[1], "day", rel=True) if p else _none("day")

        return self._timed(m, r)

    def _dayonly(self, m, text):
        d = self._day(m["d"])

        def r(c):
            if c.ref is None:
                return _none("day")
            cands = []
            for k in (-1, 0, 1):
                y, mo = divmod(c.ref.year * 12 + c.ref.month - 1 + k, 12)
                try:
                    cands.append((date(y, mo + 1, d),) * 2)
                except ValueError:
                    pass
            p = _pick(cands, c.ref, c.prefer)
            return _V(p[0], p[1], "day", rel=True) if p else _none("day")

        return self._timed(m, r)

    def _holiday_date(self, spec, y: int) -> date:
        if isinstance(spec, list):
            return date(y, spec[0], spec[1])
        if "easter" in spec:
            return _easter(y) + timedelta(spec["easter"])
        if "orthodox" in spec:
            return _orthodox_easter(y) + timedelta(spec["orthodox"])
        mo, wd, n = spec["nth"]
        return _nth_weekday(y, mo, wd, n) + timedelta(spec.get("plus", 0))

    def _holiday(self, m, text):
        s, e = m.start("hol"), m.end("hol")
        if self.hol_not_after_re.search(_fold(text[max(0, s - 24):s])) or self.hol_not_before_re.match(_fold(text[e:e + 24])):
            return None  # "le marché de Noël", "the Christmas tree", "Easter eggs": a thing, not a day
        if not self.latent:
            if _norm(m["hol"]) not in self.hol_any and not any(ch.isupper() for ch in text[s:e]):
                return None  # "l'ascension du mont Blanc", "l'assomption"; yes "le jour de l'An", "à noël"
            after = re.match(r"[\s-]+(\w)", text[m.end():])
            if after and after[1].isupper() and not m["rel"]:
                return None  # "Noël Mamère": a first name
        spec = self.holidays[_norm(m["hol"])]
        n, _ = self._shift(m, "shb", "sha")  # "last Christmas", "Noël dernier", "Christmas before last"
        y = int(m["y"]) if m["y"] else None
        yr = self.unitrel_re.fullmatch(m["rel"]) if m["rel"] else None

        def r(c):
            if y:
                d = self._holiday_date(spec, y)
                return _V(d, d, "day")
            if yr:  # "Thanksgiving of next year", "Noël l'an dernier"
                k, nar = self._shift(yr, "shb", "sha")
                v = self._unit_rel("year", k or 0, nar, c)
                if v.lo is None:
                    return _none("day")
                d = self._holiday_date(spec, v.lo.year)
                return _V(d, d, "day", rel=True)
            if c.ref is None:
                return _none("day")
            ds = sorted(self._holiday_date(spec, yy) for yy in range(c.ref.year - 2, c.ref.year + 3))
            if n and n < 0:
                d = [x for x in ds if x < c.ref][n]
            elif n and n > 0:
                d = [x for x in ds if x > c.ref][n - 1]
            elif n == 0 and not c.prefer:  # "this Christmas", "ce Noël": this year's
                d = self._holiday_date(spec, c.ref.year)
            else:
                p = self._yearless(lambda yy: (self._holiday_date(spec, yy),) * 2, c)
                if not p:
                    return _none("day")
                d = p[0]
            return _V(d, d, "day", rel=True)

        return self._timed(m, r)

    def _season(self, m, text):
        n, _ = self._shift(m, "shb", "sha")
        if n is None and not m["y"] and not self.latent:
            return None  # "l'été" alone is often habitual
        first = self.seasons[_norm(m["s"])]
        def build(y):  # three months from the first one (winter ends next year)
            ye, me = divmod(y * 12 + first + 1, 12)
            return date(y, first, 1), _mend(ye, me + 1)

        y = int(m["y"]) if m["y"] else None

        def r(c):
            if y:
                lo, hi = build(y)
                return _V(lo, hi, "month", span=True)
            if c.ref is None:
                return _none("month")
            cands = sorted(build(yy) for yy in range(c.ref.year - 2, c.ref.year + 2))
            if n and n < 0:
                p = [x for x in cands if x[1] < c.ref][n]
            elif n and n > 0:
                p = [x for x in cands if x[0] > c.ref][n - 1]
            else:
                p = _pick(cands, c.ref, c.prefer)
            return _V(p[0], p[1], "month", rel=True, span=True)

        return r

    def _decade(self, m, text):
        dec = m["dec"]
        if len(dec) == 2 and not self.latent and "ap" in m.re.groupindex and not m["ap"]:
            return None  # "in his 90s" is an age
        y = int(dec) if len(dec) == 4 else 1900 + int(dec)
        return lambda c: _V(date(y, 1, 1), date(y + 9, 12, 31), "year", span=True)

    def _curp(self, m, text):
        """ "dans la journée", "dans la semaine": the day or week of the narrative."""
        if self.curp_habit_re.search(_fold(text[max(0, m.start() - 16):m.start()])):
            return None  # "deux fois dans la semaine": a frequency
        unit = self.curp[_norm(m["cp"])]

        def r(c):
            a = c.anchor
            base = a.lo if a is not None and a.prec in ("day", "time") and not a.span else c.ref
            if base is None:
                return _none("week" if unit == "week" else "day")
            lo, hi = _unit_period(base, unit)
            return _mk(lo, hi, unit, rel=True)

        return r

    def _rest(self, m, text):
        """ "the rest of the week": from the reference to the end of its unit."""
        unit = self.units[_norm(m["u"])]

        def r(c):
            if c.ref is None:
                return _none("day")
            lo, hi = _unit_period(c.ref, unit)
            if unit in ("day", "week", "weekend", "month"):
                return _V(max(lo, c.ref), hi, "day", rel=True, span=unit != "day")
            return _V(c.ref.replace(day=1), hi, "month", rel=True, span=True)

        return r

    def _pabbr(self, m, text):
        """ "EOM", "EOY": business shorthands, in capitals only ("boy" is a word)."""
        if not text[m.start("pa"):m.end("pa")].isupper():
            return None
        part, unit = self.pabbr[_norm(m["pa"])]

        def r(c):
            v = self._unit_rel(unit, 0, False, c)
            return self._part_of(part, v.lo, v.hi, unit, True) if v.lo else _none("day")

        return r

    def _wdcount(self, m, text):
        """ "three Fridays ago", "2 sundays from now": the nth such weekday before or after."""
        if not self._capok(text, m, "wds"):
            return None
        k = _norm(m["oa"])
        if k in self.final and not self._final_ok(text, m.end()):
            return None
        sign, kind = self.offa[k]
        n, wd = self._num(m["n"]), self.wdpl[_norm(m["wds"])]
        if not 1 <= n <= 60:
            return None
        narrative = kind == "narrative"

        def r(c):
            base, anchor = c.base(narrative)
            if anchor is not None:
                base = anchor.hi if sign > 0 else anchor.lo
            if base is None:
                return _none("day")
            d = _wd_date(wd, base, "after" if sign > 0 else "before") + timedelta(7 * sign * (n - 1))
            return _V(d, d, "day", rel=True)

        return r

    def _wkposs(self, m, text):
        """ "last week's Sunday": that day of the named week."""
        if not self._capok(text, m, "wd"):
            return None
        wd, wk = self.weekdays[_norm(m["wd"])], self.unitrel_re.fullmatch(m["wk"])
        if wk is None:
            return None

        def r(c):
            k, nar = self._shift(wk, "shb", "sha")
            w = self._unit_rel("week", k or 0, nar, c)
            if w.lo is None:
                return _none("day")
            d = w.lo + timedelta(wd)
            return _V(d, d, "day", rel=True)

        return self._timed(m, r)

    def _mdwd(self, m, text):
        """ "Jul 18, Fri": a weekday after the date (in running text, only at a clause end)."""
        if not self.latent and not self._final_ok(text, m.end()):
            return None
        return self._date(m, text)

    def _range_d(self, m, text):
        """ "du 13 au 18" (short expressions only): days of the nearest month where both exist."""
        if not self._range_pair_ok(m):
            return None
        d1, d2 = self._day(m["d1"]), self._day(m["d2"])
        if d1 >= d2:
            return None

        def r(c):
            if c.ref is None:
                return _V(None, None, "day", rel=True, span=True)
            cands = []
            for k in (-1, 0, 1):
                y, mo = divmod(c.ref.year * 12 + c.ref.month - 1 + k, 12)
                if d2 <= monthrange(y, mo + 1)[1]:
                    cands.append((date(y, mo + 1, d1), date(y, mo + 1, d2)))
            p = _pick(cands, c.ref, c.prefer)
            return _V(p[0], p[1], "day", rel=True, span=True) if p else _V(None, None, "day", rel=True, span=True)

        return r

    def _timeonly(self, m, text):
        """A time of day alone (short expressions only): on the reference day; with
        ``prefer`` and a reference time, the next (or last) such time."""
        tm = self._time(m["tm"])
        if not tm:
            return None
        pm = self.pm_re.search(m.group())
        if tm[0] < 12 and pm:
            tm = (tm[0] + 12, tm[1])
        if self.offb_end_re.search(_fold(text[max(0, m.start() - 12):m.start()])):
            return None  # "in 1h", "dans 2 h": a duration
        t = self.time_re.search(m["tm"])
        # "3:30", "at 3" on a 12-hour clock: 3:30 or 15:30, whichever comes first in the preferred direction
        ambiguous = (bool(self.L.get("twelve_hour_clock")) and t["h"] and not t["ap"] and not pm and 1 <= tm[0] <= 11
                     and not self.hmark_re.search(m["tm"]))
        times = [tm, (tm[0] + 12, tm[1])] if ambiguous else [tm]

        def r(c):
            if c.ref is None:
                return _none("time")
            d, t0 = c.ref, tm
            if c.now is not None and c.prefer == "future":
                later = [x for x in times if x >= c.now]
                d, t0 = (d, later[0]) if later else (d + timedelta(1), times[0])
            elif c.now is not None and c.prefer == "past":
                earlier = [x for x in times if x <= c.now]
                d, t0 = (d, earlier[-1]) if earlier else (d - timedelta(1), times[-1])
            return _V(d, d, "time", rel=True, tm=t0)

        return r

    # ------------------------------------------------------------- scanning
    def scan(self, text: str) -> list[_Cand]:
        folded = _fold(text)
        windows: list[list[int]] = []
        for t in self.trigger_re.finditer(folded):
            a, b = max(0, t.start() - _WINDOW), t.end() + _WINDOW
            if windows and a <= windows[-1][1]:
                windows[-1][1] = b
            else:
                windows.append([a, b])
        for w in windows:  # end on a blank, so no token is cut in two
            w[1] = _BLANK_OR_END.search(folded, min(w[1], len(folded))).start()
        cands: list[_Cand] = []
        # Window by window (a rule's matches keep their order, so the sort below ties the same way).
        for a, b in windows:
            found: dict[re.Pattern, bool] = {}  # anchor -> found in this window
            for prio, (name, rx, handler, anchors, has_pre) in enumerate(self.rules):
                if anchors and not _holds(anchors, folded, a, b, found):
                    continue
                for m in rx.finditer(folded, a, b):
                    if m.end() == m.start():
                        continue
                    try:
                        res = handler(m, text)
                    except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
                        res = None
                    if res is None:
                        continue
                    s = m.end("pre") if has_pre and m["pre"] else m.start()
                    e = m.end()
                    while s < e and folded[s].isspace():
                        s += 1
                    while e > s and folded[e - 1] in " \n,":
                        e -= 1
                    cands.append(_Cand(s, e, prio, res, name))
        # longest first, then rule order; keep what does not overlap
        chosen: list[_Cand] = []
        for cd in sorted(cands, key=lambda x: (x.start - x.end, x.prio, x.start)):
            if all(cd.end <= o.start or cd.start >= o.end for o in chosen):
                chosen.append(cd)
        chosen.sort(key=lambda x: x.start)
        return self._compose(folded, chosen)

    def _compose(self, folded: str, ms: list[_Cand]) -> list[_Cand]:
        """Prefixes that transform a date ("le lendemain du 13 février", "deux
        jours avant Noël", "la semaine du 7 octobre") and ranges between two
        dates ("du 10 juin au 1er juillet", "entre 2010 et mars 2015")."""
        out: list[_Cand] = []
        for cd in ms:
            lo = max(out[-1].end if out else 0, cd.start - 60)
            pm = self.prefix_re.search(folded, lo, cd.start)
            if pm:
                cd = _Cand(pm.start(), cd.end, cd.prio, self._prefixed(pm, cd.res), cd.kind)
            out.append(cd)
        merged: list[_Cand] = []
        for cd in out:
            if merged and merged[-1].kind != "range":
                a = merged[-1]
                cm = self.conn_re.fullmatch(folded, a.end, cd.start)
                fm = self.from_re.search(folded, max(merged[-2].end if len(merged) > 1 else 0, a.start - 20), a.start)
                f = _norm(fm["f"]) if fm else ""
                if cm and (_norm(cm["c"]) in self.ranges.get(f, ()) or (f and cm["c"] == "-")):
                    merged[-1] = _Cand(fm.start() if fm else a.start, cd.end, a.prio, _range(a.res, cd.res), "range")
                    continue
            merged.append(cd)
        return merged

    def _prefixed(self, pm: re.Match, res: Res) -> Res:
        if pm["wk"]:
            def week(c):
                v = res(c)
                if v.lo is None or v.prec not in ("day", "time"):
                    return v
                # a week named by its Sunday is the one that Sunday opens (weeks that start on Sunday)
                lo, hi = _unit_period(v.lo + timedelta(1 if v.lo.weekday() == 6 else 0), "week")
                return _mk(lo, hi, "week", rel=v.rel)
            return week
        if pm["until"]:
            def until(c):  # "d'ici le 15 mars": from the reference to that date (which lies ahead)
                v = res(replace(c, prefer="future"))
                if v.lo is None or c.ref is None or v.hi < c.ref:
                    return v
                end = v.prec2 or v.prec
                return _V(c.ref, v.hi, "day", rel=True, span=True, prec2="day" if end in ("time", "week") else end)
            return until
        if pm["fix"]:
            n, unit = self.day_shift_of[_norm(pm["fix"])], "day"
        else:
            n, unit = self._num(pm["n"]) * self.offset_of[_norm(pm["of"])], self.units_any[_norm(pm["u"])]

        def shifted(c):
            v = res(c)
            if v.lo is None:
                return v
            out = _shift_from(v, n, unit, keep=True)
            out.rel = v.rel
            return out

        return shifted


def _range(ra: Res, rb: Res) -> Res:
    def r(c: _Ctx) -> _V:
        b = rb(c)
        if b.lo is None:
            return replace(b, span=True)
        a = ra(replace(c, year=b.lo.year))  # "du 28 décembre au 3 janvier 2025"
        if a.lo is not None and a.lo > b.lo:
            a = ra(replace(c, year=b.lo.year - 1))
        if a.lo is not None and a.lo > b.hi and b.rel and b.prec in ("day", "time"):
            b = replace(b, lo=b.lo + timedelta(7), hi=b.hi + timedelta(7))  # "de lundi à vendredi"
        if a.lo is None or a.lo > b.hi:
            return _V(None, None, a.prec, rel=True, span=True)
        pa = "day" if a.prec in ("time", "week") else a.prec
        pb = "day" if b.prec in ("time", "week") else b.prec
        return _V(a.lo, b.hi, pa, rel=a.rel or b.rel, span=True, prec2=pb)

    return r


@lru_cache(maxsize=None)
def _grammar(lang: str, latent: bool) -> _Grammar:
    with recache.patterns(f"dates-{lang}{'-latent' if latent else ''}") as rx:
        return _Grammar(lang, latent, rx)


def _ref(reference) -> date | None:
    if reference is None:
        return None
    if isinstance(reference, datetime):
        return reference.date()
    if isinstance(reference, date):
        return reference
    try:  # an ISO string, as Article.published holds
        return datetime.fromisoformat(str(reference).strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _now(reference) -> tuple[int, int] | None:
    """The reference's time of day, if it has one."""
    if isinstance(reference, datetime):
        return reference.hour, reference.minute
    if isinstance(reference, str) and re.search(r"\d[T ]\d{2}:\d{2}", reference):
        try:
            t = datetime.fromisoformat(reference.strip().replace("Z", "+00:00"))
            return t.hour, t.minute
        except ValueError:
            return None
    return None


def _run(text: str, lang: str, reference, prefer: str | None, latent: bool) -> list[DateMention]:
    if not isinstance(text, str) or not text or not load(lang, "dates"):
        return []
    g = _grammar(lang, latent)
    ctx = _Ctx(_ref(reference), prefer if prefer in ("past", "future") else None, now=_now(reference))
    out = []
    for cd in g.scan(text):
        try:
            v = cd.res(ctx)
        except (ValueError, KeyError, IndexError, AttributeError, TypeError, OverflowError):
            v = None
        if v is not None and v.lo is not None:
            ctx.anchor = v  # "Jeudi, ... Le lendemain, ...": the last date named is the narrative's time
        out.append(DateMention(cd.start, cd.end, text[cd.start:cd.end], v.value() if v else None,
                               v.prec if v else "unknown", bool(v and v.rel)))
    return out


def find_dates(text: str, lang: str, reference: date | datetime | None = None, prefer: str | None = None) -> list[DateMention]:
    """All date expressions in running text, sorted and non-overlapping.

    ``reference`` is the publication date; ``prefer`` ("past" / "future")
    replaces the news defaults described in the module docstring.
    """
    return _run(text, lang, reference, prefer, latent=False)


def parse_date(text: str, lang: str, reference: date | datetime | None = None, prefer: str | None = None) -> DateMention | None:
    """One short expression ("10 février", "le 2", "mars", "1974"): the longest
    date found, with offsets into ``text``; also reads bare forms that are too
    ambiguous in running text."""
    ms = _run(text, lang, reference, prefer, latent=True)
    return max(ms, key=lambda m: (m.end - m.start, -m.start)) if ms else None
