"""Language knowledge as data: ``dossier/lang/<code>/<name>.json``.

Adding a language is adding a folder of JSON files; code never spells out
French or English words.
"""

from __future__ import annotations

import json
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
