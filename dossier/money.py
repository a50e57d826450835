"""Money amounts: :func:`find_amounts` in running text, :func:`parse_amount` for one expression.

One grammar per language, compiled once from ``dossier/lang/<lang>/money.json``::

    [approx] [prefix currency] number [and a half] [magnitude [and a half]]
             [connector] [suffix currency] [cents]

A prefix or a suffix currency is required. The number is digits, whose separators are read by
language and group shape (``1,2`` is decimal in French, ``1,200`` is grouping in English,
``1,234,567`` always is), or words, read by a small parser whose vocabulary is data. A currency is
a symbol (``€``), an ISO code (``EUR``, ``MUSD``), a qualified dollar (``US$``, ``C$``, ``$ CA``), a
name (``dollars australiens``) or a subunit (``cents``). What the regex cannot judge alone (word
numbers, a lone article, weak words) is checked in Python; a refused match restarts one
character later, so a shorter reading inside it is still found.

Values are in the main unit (``50 cents`` is 0.5; bare cents are the language's usual ones) and
computed with :class:`~decimal.Decimal`, so ``97,4 milliards`` is exactly 97400000000.0. Words
that are also ordinary words (``livres``, ``pounds``) count in running text only with a magnitude.
For speed the grammar only runs in windows around currency words and symbols.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import compress
from typing import Any

from dossier import recache
from dossier.lang import load, phrases
from dossier.model import Amount, fold

__all__ = ["find_amounts", "parse_amount"]

_H = r"[^\S\n]"  # horizontal space, U+00A0 and U+202F included
_APOS = "['\u2019\u02bc]"
_LB = r"(?<![^\W\d_])"  # not preceded by a letter (digits may touch: 20Rs, 115USD)
_LA = r"(?![^\W\d_])"  # not followed by a letter
# Clause end: what must follow bare cents ("15 dollars 50.") or an article amount ("un penny.").
_END = rf"(?={_H}*(?:[.,;:!?)\]\"\u00bb\u2026\n]|\Z))"
_END_RX = re.compile(_END)
# Digits; groups of three may be separated by a space or a (narrow) no-break space. The lookbehinds
# stop a match from starting inside a number (the "5" of "1.5", the "014" of "2014") or at the
# upper end of a range ("10-20 dollars": ranges are not single amounts).
_NUMERAL = r"(?<!\d)(?<!\d[.,\-\u2013])(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)(?!\d)"
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_HALF = Decimal("0.5")
# No currency amount in the news comes near this (world GDP is ~1e14 dollars): a larger value
# is misread digits, so no amount is better than a wrong one.
MAX_VALUE = Decimal("1e15")
# What makes a numeral a piece of another number: an exponent or a power before it
# ("1e308", "10^400", "2**64") and, after it, an exponent or more digits (the window the
# grammar ran in cut the number short).
_NOT_BEFORE = re.compile(r"(?:\d[eE][+\-]?|\^|\*\*)\Z")
_NOT_AFTER = re.compile(r"[eE][+\-]?\d|\^|\*\*|[.,]?\d")
# A minus sign before an amount: its value would be stored without the sign.
_MINUS = "-\u2212"


def _phrase(p: str, plural: bool = False, join: str = r"(?:[^\S\n]|-)*") -> str:
    """Regex for a data phrase: any apostrophe, optional dots, ``join`` between words."""
    out = []
    for w in re.split(r"[\s\-]+", p.strip()):
        r = "".join(_APOS if c in "'\u2019\u02bc" else r"\.?" if c == "." else re.escape(c) for c in w)
        if plural and w[-1:].isalpha() and w[-1] not in "sx":
            r += "s?"
        out.append(r)
    return join.join(out)


def _key(s: str) -> str:
    return re.sub(r"[\s\-]+", " ", fold(s))


def _qkey(s: str) -> str:
    """Key of a dollar qualifier or code: 'u.s $' -> 'US'."""
    return re.sub(r"[\s.\-$]", "", s).upper()


def _words_rx(words: Any, plural: bool = False, join: str = r"(?:[^\S\n]|-)*", tail: Any = None) -> str:
    """Case-insensitive phrases between letter boundaries (``tail(w)`` replaces the right one)."""
    return _LB + phrases(words, lambda w: _phrase(w, plural, join) + (tail(w) if tail else "")) + ("" if tail else _LA)


@dataclass
class _Lang:
    rx: re.Pattern[str]  # the grammar
    bare: re.Pattern[str]  # [approx] number [magnitude], for parse_amount's last resort
    token: re.Pattern[str]  # letter runs and currency symbol characters
    cues: frozenset[str]  # lower-cased tokens that may belong to a currency
    word: re.Pattern[str]  # one number word
    dec: str
    numbers: dict[str, int]
    fractions: dict[str, Decimal]
    articles: frozenset[str]
    teens_after: frozenset[int]
    mags: dict[str, Decimal]
    code_mags: list[tuple[str, Decimal]]
    symbols: dict[str, str]
    codes: dict[str, str]
    quals: dict[str, str]
    names: list[tuple[re.Pattern[str], str]]
    weak: list[tuple[re.Pattern[str], str]]
    subunits: list[tuple[re.Pattern[str], str, Decimal]]
    year_before: re.Pattern[str]  # "in 2015 dollars" is money of a year, not 2015 dollars
    cents_end: re.Pattern[str]  # the grammar's check on bare cents, redone on the whole text
    memo: dict[str, tuple[str | None, Decimal]] = field(default_factory=dict)


@lru_cache(maxsize=None)
def _lang(lang: str) -> _Lang | None:
    d = load(lang, "money") if isinstance(lang, str) else {}
    if not d:
        return None
    with recache.patterns(f"money-{lang}") as rc:
        return _grammar(d, rc)


def _grammar(d: dict, rc) -> _Lang:
    """One language's money grammar (``rc``: compiles a pattern)."""
    H = _H
    numbers = {_key(k): int(v) for k, v in d.get("numbers", {}).items()}
    fractions = {_key(k): Decimal(str(v)) for k, v in d.get("fractions", {}).items()}
    articles = frozenset(_key(a) for a in d.get("articles", []))
    mags = {_key(k): Decimal(str(v)) for k, v in d.get("magnitudes", {}).items()}
    code_mags = [(k, Decimal(str(v))) for k, v in d.get("code_magnitudes", {}).items()]
    code_mags.sort(key=lambda kv: -len(kv[0]))
    codes = {k.upper(): v for k, v in d.get("codes", {}).items()}
    upper_only = set(d.get("codes_uppercase_only", []))
    symbols = dict(d.get("symbols", {}))
    pre_q, suf_q = d.get("dollar_prefixes", {}), d.get("dollar_suffixes", {})
    pre_att = set(d.get("dollar_prefixes_attached_only", []))
    suf_att = set(d.get("dollar_suffixes_attached_only", []))
    quals = {_qkey(k): v for k, v in {**suf_q, **pre_q}.items()}

    join_sp = rf"(?:{H}|-)+"
    W = _words_rx(list(numbers) + list(fractions), join=join_sp)
    ART = _words_rx(articles)
    AND = _words_rx(d.get("and", []))
    # Bounded, so a run of number words cannot make the search quadratic.
    WN = rf"(?:{ART}|{W})(?:(?:{H}|-)+(?:{AND}(?:{H}|-)+)?{W}){{0,8}}"
    # Cents are below 100, so their words never include "cent"/"hundred" ("quarante-cinq cents").
    W99 = _words_rx([w for w, v in d.get("numbers", {}).items() if v < 100], join=join_sp)
    WN99 = rf"{W99}(?:(?:{H}|-)+(?:{AND}(?:{H}|-)+)?{W99}){{0,2}}"
    NUM = rf"(?:{_NUMERAL}|{WN})"
    HALF = rf"{H}+" + _words_rx(d.get("half", []), join=rf"{H}+")
    variants = [*codes, *(c.lower() for c in codes if c not in upper_only)]
    codes_raw = phrases(variants, re.escape, icase=False)
    # A magnitude word may be followed by a larger one, the two multiplied: "4.62 lakh crore",
    # "2 mille milliards", "a thousand billion". Only words (not "m", "bn"), only rising pairs.
    words = {k: v for k, v in mags.items() if len(k) >= 4 and k.isalpha()}
    stacked = [f"{a} {b}" for a in words for b in words if words[b] > words[a]]
    MAG = _LB + phrases([*d.get("magnitudes", {}), *stacked], lambda w: rf"{H}+".join(map(re.escape, w.split()))) \
        + rf"(?:{_LA}|(?={codes_raw}))"
    # Not after "/": "EUR/USD 1.08" is an exchange rate.
    CODE_MAG = phrases([k for k, _ in code_mags], re.escape, icase=False)
    CODE = rf"{_LB}(?<!/)(?:{CODE_MAG})?{codes_raw}{_LA}"
    sym = {s: re.escape(s) + (_LA if s[-1].isalpha() else "") for s in symbols}
    SYM = "(?:{}{}|{})".format(  # letter symbols (Rs, RM) need a boundary, $ and € do not
        _LB,
        phrases([s for s in sym if s[0].isalpha()], sym.get, icase=False),
        phrases([s for s in sym if not s[0].isalpha()], sym.get, icase=False),
    )
    # Qualified dollars: US$ C$ (qualifier first), $US $ CA (French order), USD$.
    qpre = _LB + phrases(pre_q, lambda q: _phrase(q) + ("" if q in pre_att else f"{H}?") + r"\$")
    qb = r"(?![\w'\u2019\u02bc])"
    qsuf = r"\$(?:{}|{}{})".format(
        phrases(suf_q, lambda q: _phrase(q) + qb),
        H,
        phrases([q for q in suf_q if q not in suf_att], lambda q: _phrase(q) + qb),
    )
    qsuf_att = phrases([q for q in suf_q if len(q) <= 3], _phrase)
    QD_PRE = rf"(?:{qpre}|{_LB}{codes_raw}\$|\${qsuf_att}(?={H}*\d))"
    QD_SUF = rf"(?:{qpre}|{_LB}{codes_raw}\$|{qsuf})"
    names, weak_names, gen = d.get("names", {}), d.get("weak_names", {}), d.get("generic_money_words", [])
    subs, wsubs = d.get("subunits", {}), d.get("weak_subunits", {})
    NAMES = _words_rx(names, plural=True)
    WEAK = _words_rx(weak_names, plural=True)
    GEN = _words_rx(gen, plural=True)
    SUB = _words_rx(subs, plural=True)
    WSUB = _words_rx(wsubs, plural=True)
    def spacing(w: str) -> str:  # "près d'" needs no space before the number, "environ" does
        return f"{H}*" if w.endswith(("'", "\u2019")) else f"{H}+"

    CONN = H + "+" + _words_rx(d.get("connectors", []), tail=spacing)
    APPROX = _words_rx(d.get("approximate", []), join=rf"{H}+", tail=spacing)

    pre = rf"(?P<pre>(?P<pqd>{QD_PRE})|(?P<pcode>{CODE})|(?P<psym>{SYM})|(?P<pname>{NAMES}|{WEAK}|{GEN}))"
    numpart = rf"(?P<num>{NUM})(?P<half1>{HALF})?(?:(?:{H}*|-)(?P<mag>{MAG})(?P<half2>{HALF})?)?"
    suf = (
        rf"(?:(?(mag){CONN}|(?!))|{H}*|-)(?P<suf>(?P<sqd>{QD_SUF})|(?P<ssym>{SYM})(?!\d)"
        rf"|(?P<scode>{CODE})(?!\d)(?:{H}+(?P<mag3>{MAG}))?|(?P<sname>{NAMES})|(?P<ssub>{SUB})"
        rf"|(?P<sweak>{WEAK})|(?P<swsub>{WSUB})|(?P<sgen>{GEN}))"
    )
    # Cents after a whole amount: "15 dollars et 15 cents", "$20 43", "3 GBP and one"; without a
    # subunit word they must end the clause, so "$20 and 43 people" stays $20.
    cents = (
        rf"(?P<cents>{H}+(?:{AND}{H}+)?(?P<cn>\d{{1,2}}(?!\d|[.,]\d)|{WN99})(?:{H}*(?P<cu>{SUB}|{WSUB}))?"
        rf"(?(cu)|(?:{_END}|(?={H}+{AND}))))"
    )
    # An amount never starts inside a word: the leading check makes most positions fail at once.
    # "$5-10 million" is a range, not $5.
    rx = rf"{_LB}(?P<approx>{APPROX})?(?:{pre}{H}*)?{numpart}(?(pre)(?![-\u2013]\d)|{suf})(?:{cents})?"
    # Cues: words and symbols that may belong to a currency. Finding them is much cheaper than
    # trying the grammar at every position, so the grammar only runs in windows around them.
    letters = rc(r"[^\W\d_]+")
    cues: set[str] = set()
    for ph in [*names, *weak_names, *gen, *subs, *wsubs]:
        ts = letters.findall(ph.lower())
        for w in (max(ts, key=len), "".join(ts)) if ts else ():
            cues |= {w, w + "s", fold(w), fold(w) + "s"}
    for sym in symbols:
        cues |= set(letters.findall(sym.lower()))
    cues |= {(k + c).lower() for c in codes for k in ["", *(k for k, _ in code_mags)]}
    chars = {c for t in [*symbols, *subs, *wsubs] for c in t if not (c.isalnum() or c in " .")}
    cues |= chars

    def lookup(table: dict[str, Any]) -> list[tuple[re.Pattern[str], Any]]:
        items = sorted(table.items(), key=lambda kv: -len(kv[0]))
        return [(rc(_phrase(k, plural=True), re.I), v) for k, v in items]

    return _Lang(
        rx=rc(rx),
        bare=rc(rf"{_LB}(?P<approx>{APPROX})?{numpart}"),
        token=rc(rf"[^\W\d_]+|[{re.escape(''.join(sorted(chars)))}]"),
        cues=frozenset(cues),
        word=rc(f"(?:{W}|{ART})"),
        dec=d.get("decimal_separator", "."),
        numbers=numbers,
        fractions=fractions,
        articles=articles,
        teens_after=frozenset(d.get("tens_take_teens", [])),
        mags=mags,
        code_mags=code_mags,
        symbols=symbols,
        codes=codes,
        quals=quals,
        names=lookup(names),
        weak=lookup(weak_names) + [(p, None) for p, _ in lookup({g: None for g in gen})],
        subunits=[(p, v[0], Decimal(str(v[1]))) for p, v in lookup({**subs, **wsubs})],
        cents_end=rc(rf"{_END}|(?={H}+{AND})"),
        year_before=rc(_LB + _words_rx(d.get("year_markers", [])) + rf"{H}+\Z"),
    )


# ---------------------------------------------------------------- numbers


def _numeral(s: str, dec: str) -> Decimal | None:
    """Digits to a value. One separator followed by exactly three digits is the ambiguous case:
    grouping unless it is the language's decimal separator (fr 12,345 = 12.345; en 12,345 = 12345)."""
    s = _SPACES.sub("", s)
    seps = [c for c in s if c in ",."]
    try:
        if not seps:
            return Decimal(s)
        last = max(s.rfind(","), s.rfind("."))
        if len(set(seps)) == 2:  # 1.234,56 / 1,234.56: the last one is the decimal mark
            if seps.count(s[last]) > 1:
                return None
            return Decimal(re.sub(r"[.,]", "", s[:last]) + "." + s[last + 1 :])
        c = seps[0]
        parts = s.split(c)
        if len(parts) > 2:  # 1,234,567 or Indian 12,34,567: always grouping
            ok = all(len(p) == 3 for p in parts[1:]) or (
                all(len(p) == 2 for p in parts[1:-1]) and len(parts[-1]) == 3
            )
            return Decimal("".join(parts)) if ok else None
        if len(parts[1]) == 3 and c != dec and parts[0] not in ("", "0"):
            return Decimal("".join(parts))
        return Decimal(parts[0] + "." + parts[1])
    except InvalidOperation:
        return None


def _kind(v: int) -> str:
    for limit, kind in ((1, "zero"), (10, "unit"), (20, "teen"), (100, "ten"), (101, "hundred")):
        if v < limit:
            return kind
    return "thousand"


def _words(toks: list[str], L: _Lang) -> Decimal | None:
    """Number words to a value; None when the sequence is not one number ("ten and twenty")."""
    total, group, last, lastval = 0, Decimal(0), None, 0
    for i, t in enumerate(toks):
        if t in L.fractions:  # "three quarters", "half", "a quarter": nothing may follow
            if last not in (None, "unit") or group >= 10:
                return None
            group, last = (group or 1) * L.fractions[t], "frac"
            continue
        if t in L.numbers:
            v = L.numbers[t]
        elif i == 0 and t in L.articles:
            v = 1
        else:
            return None
        k = _kind(v)
        free = last in (None, "hundred", "thousand")
        if k == "zero":
            if toks[1:] or last:
                return None
        elif k == "unit" and not (free or (last == "ten" and lastval % 10 == 0)):
            return None
        elif k == "teen" and not (free or (last == "ten" and lastval in L.teens_after)):
            return None
        elif k == "ten" and not free:
            return None
        if k == "hundred":
            if last in (None, "thousand"):
                group += 100
            elif last == "unit" and group < 10:
                group *= 100
            else:
                return None
        elif k == "thousand":
            if total or last in ("thousand", "frac"):
                return None
            total, group = (group or 1) * 1000, Decimal(0)
        else:
            group += v
        last, lastval = k, v
    return total + group


def _number(m: re.Match[str], L: _Lang) -> tuple[Decimal | None, list[str] | None]:
    """Value of the ``num`` group (with "and a half"); word tokens when written in words."""
    s = m.group("num")
    if s[0].isdigit():
        v, toks = _numeral(s, L.dec), None
    else:
        toks = [_key(w.group()) for w in L.word.finditer(s)]
        v = _words(toks, L)
    if v is not None and (m.group("half1") or m.group("half2")):
        v += _HALF
    return v, toks


# ---------------------------------------------------------------- currency


def _currency(m: re.Match[str], L: _Lang) -> tuple[str, str | None, Decimal, Decimal]:
    """(kind, ISO code, magnitude glued to a code, subunit factor) of the currency token."""
    one = Decimal(1)
    for side in "ps":
        if t := m.group(side + "qd"):
            q = _qkey(t)
            return "qd", L.quals.get(q) or L.codes.get(q) or L.symbols["$"], one, one
        if t := m.group(side + "code"):
            if t.upper() in L.codes:
                return "code", L.codes[t.upper()], one, one
            for pfx, mag in L.code_mags:
                if t.startswith(pfx) and t[len(pfx) :].upper() in L.codes:
                    return "code", L.codes[t[len(pfx) :].upper()], mag, one
        if t := m.group(side + "sym"):
            return "sym", L.symbols[t], one, one
    if t := m.group("pname") or m.group("sname") or m.group("sweak") or m.group("sgen"):
        return ("name" if m.group("sname") else "weak"), _word_currency(L, t)[0], one, one
    if t := m.group("ssub") or m.group("swsub"):
        iso, factor = _word_currency(L, t)
        return ("sub" if m.group("ssub") else "weak"), iso, one, factor
    return "weak", None, one, one


def _word_currency(L: _Lang, t: str) -> tuple[str | None, Decimal]:
    """(ISO code, subunit factor) of a currency name or subunit as written, memoised."""
    if t not in L.memo:
        if len(L.memo) > 10_000:
            L.memo.clear()
        hit = next(((iso, Decimal(1)) for p, iso in L.names + L.weak if p.fullmatch(t)), None)
        L.memo[t] = hit or next(((iso, f) for p, iso, f in L.subunits if p.fullmatch(t)), (None, Decimal(1)))
    return L.memo[t]


def _magnitude(words: str, L: _Lang) -> Decimal | None:
    """The value of a magnitude, one word or a rising pair ("lakh crore": 10^12)."""
    v = L.mags.get(_key(words))
    if v is None:
        parts = [L.mags.get(w) for w in _key(words).split()]
        v = parts[0] * parts[1] if len(parts) == 2 and None not in parts else None
    return v


def _make(m: re.Match[str], text: str, L: _Lang, lenient: bool) -> Amount | None:
    """The Amount for one grammar match, or None when the match is refused."""
    g = m.group
    v, toks = _number(m, L)
    if v is None:
        return None
    kind, iso, cmag, factor = _currency(m, L)
    mag = _magnitude(g("mag"), L) if g("mag") else None
    if not lenient and (g("pname") or (kind == "weak" and mag is None)):
        return None  # prefix names and weak words need parse_amount's benefit of the doubt
    suffix = g("suf")
    if toks and suffix and _key(suffix) in L.numbers and _words([*toks, _key(suffix)], L) is not None:
        return None  # "deux cents personnes" is 200, not 2 cents
    num = g("num")
    start = m.start()
    if not _exact(text, start, m.start("num"), m.end("num")):
        return None
    if kind == "name" and mag is None and len(num) == 4 and num.isdigit() and 1800 <= int(num) <= 2100:
        if L.year_before.search(text, max(0, start - 20), start):
            return None
    end = m.start("cents") if g("cents") else m.end()
    if g("mag3"):
        if mag is None and cmag == 1:
            mag = _magnitude(g("mag3"), L)
        else:
            end = m.end("scode")
    article = bool(toks) and len(toks) == 1 and toks[0] in L.articles
    if article and mag is None:
        # "a dollar", "un penny": only before a currency word, and in running text only at a
        # clause end ("un euro fort" is about the currency, not one euro).
        if kind not in ("name", "sub", "weak") or not (lenient or _END_RX.match(text, end)):
            return None
    value = v * (mag or 1) * cmag * factor
    whole = not article and mag is None and cmag == 1 and factor == 1 and v == v.to_integral_value()
    if g("cents") and whole:
        cn = g("cn")
        ctoks = None if cn[0].isdigit() else [_key(w.group()) for w in L.word.finditer(cn)]
        c = Decimal(cn) if ctoks is None else _words(ctoks, L)
        if c is not None and c < 100 and c == c.to_integral_value() and not (
            ctoks and len(ctoks) == 1 and ctoks[0] in L.articles and not g("cu")
        ):
            cfactor = Decimal("0.01")
            if g("cu"):
                cfactor = _word_currency(L, g("cu"))[1]
                if ctoks and _key(g("cu")) in L.numbers and _words([*ctoks, _key(g("cu"))], L) is not None:
                    c = None
            # A window end looks like a text end to the grammar: redo its check on the whole text.
            if c is not None and (g("cu") or L.cents_end.match(text, m.end("cents"))):
                value += c * cfactor
                end = m.end("cents")
    if not _plausible(value):
        return None
    return Amount(float(value) + 0.0, iso, bool(g("approx")), start, end, text[start:end])


def _exact(text: str, start: int, num_start: int, num_end: int) -> bool:
    """Whether the numeral at ``num_start:num_end`` is a whole number as written: not
    scientific notation, a power or a number cut short, and without a minus sign before the
    amount (which starts at ``start``) that its value would lose."""
    if _NOT_BEFORE.search(text, max(0, num_start - 3), num_start) or _NOT_AFTER.match(text, num_end):
        return False
    return not (start and text[start - 1] in _MINUS and (start == 1 or not text[start - 2].isalnum()))


def _plausible(value: Decimal) -> bool:
    """A finite value no larger than :data:`MAX_VALUE` (``+ 0.0`` at the end: never -0.0)."""
    return value.is_finite() and abs(value) <= MAX_VALUE


_BEFORE, _AFTER = 150, 80  # how far an amount may reach before / after its currency token


def _windows(text: str, L: _Lang) -> list[tuple[int, int]]:
    """Merged text windows around currency cues; [] when the text names no currency."""
    # Tokens read once, lower-cased and tested at C speed (no Python loop over every token).
    toks = list(L.token.finditer(text))
    low = list(map(str.lower, map(re.Match.group, toks)))
    if L.cues.isdisjoint(low):
        return []
    out: list[tuple[int, int]] = []
    for t in compress(toks, map(L.cues.__contains__, low)):
        a, b = max(0, t.start() - _BEFORE), t.end() + _AFTER
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _scan(text: str, L: _Lang, lenient: bool) -> list[Amount]:
    out: list[Amount] = []
    done = 0
    for a, b in _windows(text, L):
        pos = max(a, done)
        while pos < b:
            m = L.rx.search(text, pos, b)
            if m is None:
                break
            amt = _make(m, text, L, lenient)
            if amt is None:
                pos = m.start() + 1  # refused: a shorter reading may start inside it
                continue
            out.append(amt)
            pos = done = max(amt.end, m.start() + 1)
    return out


# ---------------------------------------------------------------- API


def find_amounts(text: str, lang: str) -> list[Amount]:
    """All money amounts in running text, sorted by start and non-overlapping.

    A currency must be named (symbol, code, name or subunit); bare numbers, years and
    percentages are not money. Unknown languages give []. Never raises.
    """
    try:
        L = _lang(lang)
        if L is None or not isinstance(text, str) or not text:
            return []
        return _scan(text, L, lenient=False)
    except Exception:  # pragma: no cover - a normaliser must not stop a batch of millions
        return []


def parse_amount(text: str, lang: str) -> Amount | None:
    """The single amount in a short expression ("près de 3 Md€", "42 bucks", "about 5").

    More lenient than :func:`find_amounts`: weak words (livres, pounds, bucks), a currency
    name before the number, "a dollar"; a bare number gives an Amount with currency None.
    """
    try:
        L = _lang(lang)
        if L is None or not isinstance(text, str) or not text:
            return None
        found = _scan(text, L, lenient=True)
        if found:
            return found[0]
        for m in L.bare.finditer(text):
            v, toks = _number(m, L)
            if v is None or (toks and len(toks) == 1 and toks[0] in L.articles):
                continue
            if not _exact(text, m.start(), m.start("num"), m.end("num")):
                continue
            if m.group("mag"):
                v *= _magnitude(m.group("mag"), L) or 1
            if _plausible(v):
                return Amount(float(v) + 0.0, None, bool(m.group("approx")), m.start(), m.end(), m.group())
        return None
    except Exception:  # pragma: no cover
        return None
