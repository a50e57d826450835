"""Language knowledge as data: ``dossier/lang/<code>/<name>.json``.

Adding a language is adding a folder of JSON files with a ``language.json``
(its name and spaCy models); code never spells out French or English words.
``vocab.json`` beside the folders is the story's vocabulary (``dossier.vocab``).
``DOSSIER_LANG_DIR`` names another folder to read all of it from (a copy of
this one with your changes).
"""

from __future__ import annotations

import copy
import json
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(os.environ["DOSSIER_LANG_DIR"]) if os.environ.get("DOSSIER_LANG_DIR") else resources.files(__package__)


def data(name: str) -> Any:
    """A JSON file of the data folder (``vocab.json``)."""
    return json.loads(ROOT.joinpath(name).read_text(encoding="utf-8"))


# the languages dossier reads: the folders with a language.json
SUPPORTED: tuple[str, ...] = tuple(sorted(d.name for d in ROOT.iterdir() if d.joinpath("language.json").is_file()))


@lru_cache(maxsize=None)
def load(lang: str, name: str) -> Any:
    """Load ``<lang>/<name>.json``; missing files give an empty dict. A
    string value ``"@class"`` is the list ``class`` of ``<lang>/common.json``
    (word classes several components share)."""
    path = ROOT.joinpath(lang, f"{name}.json")
    if not path.is_file():
        return {}
    d = json.loads(path.read_text(encoding="utf-8"))
    return _shared(d, load(lang, "common")) if name != "common" else d


_REF = re.compile(r"@(\w+)")


def _shared(d: Any, common: dict) -> Any:
    """``d`` with its ``"@class"`` references to ``common`` filled in: a
    string value is replaced by the class, a list item spliced with it."""
    def ref(x: Any) -> Any:
        m = _REF.fullmatch(x) if isinstance(x, str) else None
        return copy.copy(common[m[1]]) if m else None  # an unknown class is an error, not a word

    if isinstance(d, dict):
        return {k: _shared(v, common) for k, v in d.items()}
    if isinstance(d, list):
        out = []
        for x in d:
            r = ref(x)
            out += r if r is not None else [_shared(x, common)]
        return out
    r = ref(d)
    return d if r is None else r


def phrase(w: str) -> str:
    """A data phrase as a regex: either apostrophe, any spacing."""
    return "".join("['’]" if ch in "'’" else r"\s+" if ch == " " else re.escape(ch) for ch in w)


def phrases(words, unit=phrase, icase: bool = True, grouped: bool = True) -> str:
    """The one alternation of ``words`` (each written by ``unit``), longest
    first: ``re`` takes the first branch that matches. ``icase``: the words
    match in any case even in a pattern compiled without re.I (else as the
    pattern's flags say).

    ``grouped`` (what makes it fast): by first character, each group opening
    with that character (a class of its cases with ``icase``). At each
    position ``re`` then tries one branch per first character, not one per
    word, and skips a branch opening with a class that does not match without
    entering it. Phrases that start differently never match at one place and
    each group keeps the order, so the match is the flat alternation's. Flat
    compiles faster: for the parts of big patterns tried only where a grouped
    cue has matched."""
    # ties in alphabetical order: the same words give the same pattern in every
    # process (set order varies with hash seeds), so compiled patterns can be cached
    items = sorted({unit(w): w for w in sorted(set(words)) if w}.items(), key=lambda x: (-len(x[0]), x[0]))
    body = "(?i:{})" if icase else "(?:{})"
    if not grouped:
        return body.format("|".join(rx for rx, _ in items)) if items else "(?!)"
    groups: dict[str, list[str]] = {}
    other: list[str] = []
    for rx, w in items:
        c = w[0].lower() if icase and len(w[0].lower()) == 1 else w[0]
        rest = rx[len(re.escape(w[0])):]
        if rx.startswith(re.escape(w[0])) and not rest.startswith(("?", "*", "+", "{")):
            groups.setdefault(c, []).append(rest)
        else:  # no plain first character
            other.append(rx)
    alts = [(_cases(c) if icase else re.escape(c)) + body.format("|".join(r)) for c, r in groups.items()]
    alts += [body.format(rx) for rx in other]
    return "(?:" + "|".join(alts) + ")" if alts else "(?!)"


# what re.I matches with i, s, ß, k, å besides their cases (ı, ſ, the Kelvin sign…)
_CASE_EXTRAS = "İıſẞ\u212a\u212b"


@lru_cache(maxsize=None)
def _cases(c: str) -> str:
    """``c`` as a class of every character re.I matches it with, read without
    re.I; beyond Latin-1 (a class there compiles to a 64K table), ``c`` under re.I."""
    same = re.compile(re.escape(c), re.I).fullmatch
    v = sorted({x for x in (c, c.upper(), c.title(), c.casefold(), *_CASE_EXTRAS) if len(x) == 1 and same(x)})
    if len(v) == 1:
        return re.escape(c)
    if max(map(ord, v)) > 0xFF:
        return f"(?i:{re.escape(c)})"
    return "(?-i:[" + "".join(map(re.escape, v)) + "])"
