"""A disk cache for compiled regular expressions: the French tokenizer's, and
dossier's own language patterns.

spaCy's French tokenizer joins its hyphen and elision exceptions into a single
1.4 MB pattern and compiles it when ``spacy.lang.fr`` is imported: about 1.8 s,
more than loading the model's weights, paid by every process that parses
French (a ``dossier add`` of one article, each worker of a pool, each Spark
executor). Python compiles a pattern into a list of integers; this module
keeps that list on disk and, before the model is loaded, puts the compiled
object into ``re``'s own cache, where spaCy's ``re.compile`` of the same
pattern finds it. The object is the one a fresh compile gives: same pattern,
flags and code (``==`` compares all three; ``tests/test_recache.py``).

Entries are keyed by the Python build and ``_sre``'s format version, so a
stale file is ignored, and written atomically, so concurrent workers are
safe. ``DOSSIER_CACHE_DIR`` sets the directory (default: the user cache
directory, ``$XDG_CACHE_HOME/dossier`` or ``~/.cache/dossier``); an empty
value turns the cache off. Any problem with the cache falls back to a
normal compile.

dossier's components compile their language patterns once per process
(relations, dates, money, entities: about 2 s for both languages, as much as
analysing 100 articles). :func:`patterns` serves them the same way, by group:
``with recache.patterns("relations-en") as rx: rx(pattern, flags)``. A group's
file holds exactly the patterns its last complete construction compiled, so a
change of code or data only costs one compile.
"""

from __future__ import annotations

import array
import hashlib
import json
import logging
import os
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("dossier")

# patterns at least this long are worth a file (the French one is 1.4 MB; the
# tokenizers' other patterns are under 20 kB and compile in milliseconds)
MIN_CHARS = 100_000


def directory() -> Path | None:
    value = os.environ.get("DOSSIER_CACHE_DIR")
    if value is not None:
        return Path(value) if value.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dossier"


def _version() -> str:
    import _sre

    return f"{sys.implementation.cache_tag}-{sys.version}-{_sre.MAGIC}-{_sre.CODESIZE}"


def _file(name: str) -> Path | None:
    d = directory()
    if d is None:
        return None
    tag = hashlib.sha1(_version().encode()).hexdigest()[:12]
    return d / f"regex-{name}-{tag}.bin"


def _read(name: str) -> dict[tuple[str, int], re.Pattern]:
    """The compiled patterns of file ``name``, by (pattern, flags as passed);
    empty when there is no usable file."""
    path = None
    try:  # everything, the look-up too: a cache must never fail the work it speeds up
        path = _file(name)
        if path is None or not path.is_file():
            return {}
        raw = path.read_bytes()
        head_len = int.from_bytes(raw[:8], "little")
        head = json.loads(raw[8 : 8 + head_len])
        if head.get("version") != _version():
            return {}
        at, found = 8 + head_len, {}
        for entry in head["patterns"]:
            pattern = raw[at : at + entry["pattern_bytes"]].decode("utf-8")
            at += entry["pattern_bytes"]
            blob = raw[at : at + entry["code_bytes"]]
            at += entry["code_bytes"]
            if hashlib.sha1(blob).hexdigest() != entry["sha1"]:  # damaged: compile as usual
                return {}
            code = array.array("I")
            code.frombytes(blob)
            found[(pattern, entry["passed_flags"])] = _build(pattern, entry, code)
        return found
    except Exception as exc:  # noqa: BLE001  (a broken file costs a normal compile, nothing else)
        log.debug("regex cache %s unusable: %s", path, exc)
        return {}


def warm(lang: str) -> bool:
    """Put the cached compiled patterns of ``lang``'s tokenizer into ``re``'s
    cache; True if there were any."""
    found = _read(lang)
    for (pattern, passed), compiled in found.items():
        # the key re.compile looks up: (type, pattern, flags as passed)
        re._cache[(str, pattern, passed)] = compiled  # type: ignore[attr-defined]
    return bool(found)


def _build(pattern: str, entry: dict, code: array.array) -> re.Pattern:
    """The compiled pattern, as ``re._compiler.compile`` assembles it."""
    import _sre

    groupindex = entry["groupindex"]
    indexgroup = [None] * entry["groups"]
    for k, i in groupindex.items():
        indexgroup[i] = k
    return _sre.compile(pattern, entry["flags"], code.tolist(), entry["groups"] - 1, groupindex, tuple(indexgroup))


def _assemble(pattern: str, passed: int) -> tuple[dict, array.array]:
    """What ``re._compiler.compile`` makes of ``pattern`` (``passed``: the flags
    given to ``re.compile``) before handing it to ``_sre``: (entry, code)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, passed)
    entry = {"flags": passed | parsed.state.flags, "passed_flags": passed,
             "groups": parsed.state.groups, "groupindex": dict(parsed.state.groupdict)}
    return entry, array.array("I", [int(c) for c in _compiler._code(parsed, passed)])


def _works() -> bool:
    """Whether a small pattern rebuilt from its code equals ``re.compile``'s,
    checked before paying for the long one."""
    probe = "(?i)(?:ab|c[d-f]+)x"
    return _build(probe, *_assemble(probe, 0)) == re.compile(probe)


def save(lang: str, patterns: list[re.Pattern]) -> None:
    """Write the compiled code of the long ``patterns`` of ``lang``'s tokenizer
    (compiles each once more: paid on the first start only)."""
    long = [p for p in patterns if isinstance(p, re.Pattern) and isinstance(p.pattern, str)
            and len(p.pattern) >= MIN_CHARS]
    # a Python whose re keeps no such cache could never use the file: do not
    # pay a second compile at every start to write it
    if long and isinstance(getattr(re, "_cache", None), dict):
        # the flags re.compile was called with are not kept: spaCy's are inline
        # ("(?iu)…"), so try none, then the pattern's own
        _write(lang, [(p, None) for p in long])


def _write(name: str, patterns: list[tuple[re.Pattern, int | None]]) -> None:
    """Write file ``name`` with the compiled code of ``patterns``, each with
    the flags ``re.compile`` was given (None: unknown)."""
    path = tmp = None
    try:
        path = _file(name)
        if path is None or not patterns or not _works():  # this Python assembles patterns otherwise: no file
            return
        entries, blobs = [], []
        for p, given in patterns:
            for passed in (0, p.flags) if given is None else (given,):
                entry, code = _assemble(p.pattern, passed)
                if entry["flags"] == p.flags:
                    break
            if _build(p.pattern, entry, code) != p:  # not what re.compile made: keep no file
                return
            text, blob = p.pattern.encode("utf-8"), code.tobytes()
            entry.update(pattern_bytes=len(text), code_bytes=len(blob), sha1=hashlib.sha1(blob).hexdigest())
            entries.append(entry)
            blobs += [text, blob]
        head = json.dumps({"version": _version(), "patterns": entries}).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(len(head).to_bytes(8, "little") + head + b"".join(blobs))
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
    except Exception as exc:  # noqa: BLE001  (no cache is only slower)
        log.debug("regex cache %s not written: %s", path, exc)
        try:  # a half-written temporary is not left behind
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        except OSError:
            pass


class _Group:
    """``rx(pattern, flags=0)``: the compiled pattern from the group's file, or
    a fresh compile, recorded for the file."""

    def __init__(self, name: str):
        self.cached = _read(name)
        self.used: dict[tuple[str, int], re.Pattern] = {}
        self.missed = False

    def __call__(self, pattern: str, flags: int = 0) -> re.Pattern:
        key = (pattern, int(flags))
        compiled = self.used.get(key) or self.cached.get(key)
        if compiled is None:
            compiled, self.missed = re.compile(pattern, flags), True
        self.used[key] = compiled
        return compiled


@contextmanager
def patterns(name: str):
    """Compile one group of patterns (a component's lexicon for one language)
    through the cache: ``with patterns("dates-en") as rx: rx(r"\\d+")``. On a
    miss, or when the group compiled fewer patterns than the file holds, the
    file is rewritten with this construction's patterns once it completes."""
    group = _Group(name)
    yield group
    if group.missed or len(group.used) != len(group.cached):
        _write(name, [(p, passed) for (_, passed), p in group.used.items()])


def tokenizer_patterns(nlp) -> list[re.Pattern]:
    tk = nlp.tokenizer
    found = []
    for attr in ("token_match", "url_match", "prefix_search", "suffix_search", "infix_finditer"):
        owner = getattr(getattr(tk, attr, None), "__self__", None)
        if isinstance(owner, re.Pattern):
            found.append(owner)
    return found


def timed_load(lang: str, load):
    """``load()`` a pipeline with ``lang``'s cached patterns warmed; on a miss,
    write the cache for the next start."""
    hit = warm(lang)
    t0 = time.perf_counter()
    nlp = load()
    if not hit:
        save(lang, tokenizer_patterns(nlp))
    log.debug("model %s loaded in %.2f s (regex cache %s)", lang, time.perf_counter() - t0, "hit" if hit else "miss")
    return nlp
