"""Language knowledge as data: ``dossier/lang/<code>/<name>.json``.

Adding a language is adding a folder of JSON files; code never spells out
French or English words.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import Any

SUPPORTED = ("fr", "en")


@lru_cache(maxsize=None)
def load(lang: str, name: str) -> Any:
    """Load ``<lang>/<name>.json``; missing files give an empty dict."""
    path = resources.files(__package__).joinpath(lang, f"{name}.json")
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def alternation(words) -> str:
    """A regex alternation of phrases, longest first (``re`` takes the first
    branch that matches), tolerant of both apostrophes and of any spacing."""
    out = [re.sub(r"['’]", "['’]", re.escape(w)).replace(r"\ ", r"\s+")
           for w in sorted(set(words), key=len, reverse=True)]
    return "|".join(out) or "(?!)"


def regex_trie(words, unit=re.escape) -> str:
    """The alternation of ``words`` as a regex trie, common prefixes shared,
    each character written by ``unit``. It matches the same strings as the
    flat alternation, but faster: under re.I sre tries every branch of a
    flat alternation at each position, of a trie only a few letters. Which
    word is taken first may differ, so only for patterns read for whether
    and where they match, not for what they capture."""
    root: dict = {}
    for w in set(words):
        node = root
        for ch in w:
            node = node.setdefault(unit(ch), {})
        node[""] = {}  # a word ends here
    if not root:
        return "(?!)"

    def branch(node: dict) -> str:
        alts = [u + branch(node[u]) for u in sorted(node) if u]
        if "" in node:
            alts.append("")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return branch(root)


def _phrase_unit(ch: str) -> str:
    # as alternation writes a phrase: either apostrophe, any spacing
    return "['’]" if ch in "'’" else r"\s+" if ch == " " else re.escape(ch)


def alternation_trie(words) -> str:
    """:func:`alternation`'s phrases as a trie (see :func:`regex_trie`): for
    patterns read only for whether and where they match."""
    return regex_trie(words, _phrase_unit)
