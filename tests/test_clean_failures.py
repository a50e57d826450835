"""Clean failures, nothing lost (issue 20): each fault through the real
``dossier`` command (a subprocess) on real files and a real SQLite store.

- a bad JSONL line (NUL bytes or otherwise) fails that line only, wherever it is;
- a regex cache that cannot be used never fails the analysis it speeds up;
- a full disk, a damaged page and a schema version that is not a number give
  one line naming the store and the reason, exit status 2, no traceback, and
  the articles already stored stay intact;
- files mixing UTF-8 and cp1252 are decoded line by line, every accent right;
- amounts from scientific notation, powers, cut digits or beyond 1e15 are not
  stored (an honest gap rather than a wrong value), nor a sign-lost "-0 euro";
- zero-width and bidirectional-control characters stay in the text (offsets)
  but not in names: "Air\\u200bbus" is Airbus;
- a parallel build writes its first small batch as soon as it is analysed, so
  repeated interruptions still make progress.
"""

from __future__ import annotations

import json
import math
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

from dossier import parallel
from dossier.model import fold, visible_name

EXAMPLES = ROOT / "examples"
FIRST = ["airbus-fr.txt", "mistral-fr.txt"]  # stored before each store fault
MORE = ["openai-bid-en.txt", "microsoft-activision-en.txt", "openai-offre-fr.txt", "arvel-cyclonaut-fr.txt"]
INVISIBLE = "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"


def dossier(*args, env: dict | None = None, timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dossier.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})}, **kw)


def one_clean_line(r: subprocess.CompletedProcess) -> str:
    """The command's only line on standard error, which must not be a traceback."""
    assert "Traceback" not in r.stderr and "Error:" not in r.stderr.replace("error:", ""), r.stderr[-3000:]
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr[-3000:]
    return lines[0]


def query(db, sql: str, params=()) -> list[tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def jsonl(path: Path, names: list[str]) -> Path:
    """Example articles as JSON Lines, language given (no language detection)."""
    with path.open("w", encoding="utf-8") as f:
        for n in names:
            lang = "fr" if "-fr" in n else "en"
            f.write(json.dumps({"text": (EXAMPLES / n).read_text(encoding="utf-8"), "language": lang},
                               ensure_ascii=False) + "\n")
    return path


# -- JSON Lines: a bad line fails alone, wherever it is ------------------------

def test_a_nul_line_of_jsonl_fails_alone_before_and_after_8_kb(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    texts = [(EXAMPLES / n).read_text(encoding="utf-8") for n in ["airbus-fr.txt", "openai-bid-en.txt", "mistral-fr.txt"]]
    good = [json.dumps({"text": t}, ensure_ascii=False).encode() for t in texts]
    lines = [
        good[0],
        b'{"text": "Une d\xc3\xa9p\xc3\xaache \x00\x00 corrompue"}',  # line 2, in the first 8 KB
        b'{"text": "unterminated',  # line 3: broken JSON
        b'{"padding": "' + b"p" * 9000 + b'"}',  # line 4: no text; pushes what follows past 8 KB
        good[1],
        b'{"text": "apr\xc3\xa8s 8 Ko \x00"}',  # line 6, after 8 KB
        good[2],
    ]
    data = b"\n".join(lines) + b"\n"
    assert data.index(b"\x00") < 8192 < data.rindex(b"\x00")
    (src / "batch.jsonl").write_bytes(data)
    # a binary file renamed .jsonl still fails as a whole, in one line
    (src / "random.jsonl").write_bytes(bytes(range(256)) * 8)
    db = tmp_path / "store.db"
    r = dossier("build", src, "--db", db)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr[-3000:]
    assert "3 stored, 0 already in the store, 0 skipped, 5 failed" in r.stdout
    failed = sorted(line for line in r.stderr.splitlines() if line.startswith("failed:"))
    batch = src / "batch.jsonl"
    assert failed == sorted([
        f"failed: {batch}:2: line has binary content (NUL bytes), not a text article",
        f"failed: {batch}:3: line is not valid JSON (Invalid control character at, column 23)",
        f"failed: {batch}:4: line has no 'text' string",
        f"failed: {batch}:6: line has binary content (NUL bytes), not a text article",
        f"failed: {src / 'random.jsonl'}: binary content (NUL bytes), not a text article",
    ]), r.stderr
    stored = query(db, "SELECT path, text FROM documents ORDER BY path")
    assert stored == sorted([(f"{batch}:1", texts[0]), (f"{batch}:5", texts[1]), (f"{batch}:7", texts[2])])


# -- the regex cache ---------------------------------------------------------

CACHE_FAULTS = ["name too long", "directory is a file", "cache file is a directory", "unreadable directory"]


@pytest.mark.parametrize("fault", CACHE_FAULTS)
def test_a_regex_cache_that_cannot_be_used_never_fails_the_analysis(tmp_path, monkeypatch, fault):
    article = tmp_path / "article.txt"
    article.write_text((EXAMPLES / "airbus-fr.txt").read_text(encoding="utf-8"), encoding="utf-8")
    if fault == "name too long":  # the stat of the cache file fails (ENAMETOOLONG), as root too
        cache = tmp_path / ("x" * 300)
    elif fault == "directory is a file":  # neither read nor written: ENOTDIR
        cache = tmp_path / "cache"
        cache.write_text("not a directory")
    elif fault == "cache file is a directory":  # read fails (EISDIR), the atomic replace fails
        from dossier import recache

        cache = tmp_path / "cache"
        monkeypatch.setenv("DOSSIER_CACHE_DIR", str(cache))
        recache._file("fr").mkdir(parents=True)
    else:  # EACCES for another user; root reads it anyway (then the cache simply works)
        cache = tmp_path / "cache"
        cache.mkdir(mode=0)
    db = tmp_path / "store.db"
    r = dossier("build", article, "--db", db, env={"DOSSIER_CACHE_DIR": str(cache)})
    if fault in ("cache file is a directory", "unreadable directory"):
        cache.chmod(0o755)
        assert not list(cache.rglob("*.tmp"))  # no half-written temporary left behind
    assert r.returncode == 0, r.stderr[-3000:]
    assert "1 stored, 0 already in the store, 0 skipped, 0 failed" in r.stdout
    assert r.stderr == "", r.stderr[-3000:]
    assert query(db, "SELECT COUNT(*) FROM mentions")[0][0] > 0  # analysed, not just stored


# -- the store: full, damaged, unreadable version -------------------------------

@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """A store holding the FIRST articles, made once (copied by each test)."""
    d = tmp_path_factory.mktemp("base")
    db = d / "store.db"
    r = dossier("build", jsonl(d / "first.jsonl", FIRST), "--db", db, "-q")
    assert r.returncode == 0, r.stderr
    return db


def copy_store(base: Path, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(base, to)
    return to


def intact(db: Path, base: Path) -> int:
    """The store passes SQLite's integrity check and holds every document of
    ``base`` unchanged; returns its number of documents."""
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    before = query(base, "SELECT id, text FROM documents ORDER BY id")
    now = dict(query(db, "SELECT id, text FROM documents"))
    assert all(now.get(i) == t for i, t in before)
    return len(now)


class TinyDisk:
    """A real filesystem of a few hundred kB (a tmpfs), made larger on demand."""

    def __init__(self, mount: Path):
        self.mount, self.mounted = mount, False

    def make(self, kb: int) -> Path:
        self._mount("-t", "tmpfs", "-o", f"size={kb}k", "tmpfs")
        self.mounted = True
        return self.mount

    def grow(self, kb: int) -> None:
        self._mount("-o", f"remount,size={kb}k")

    def _mount(self, *args: str) -> None:
        try:
            r = subprocess.run(["mount", *args, str(self.mount)], capture_output=True, text=True, timeout=30)
        except OSError as exc:
            pytest.skip(f"cannot mount a tmpfs here: {exc}")
        if r.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")


@pytest.fixture
def tiny_disk(tmp_path):
    """Skipped where mounting is not allowed (not root, no CAP_SYS_ADMIN)."""
    disk = TinyDisk(tmp_path / "tiny")
    disk.mount.mkdir()
    yield disk
    if disk.mounted:
        subprocess.run(["umount", "-l", str(disk.mount)], capture_output=True, timeout=30)


def test_a_full_disk_is_one_line_exit_2_and_what_was_stored_stays(base_store, tmp_path, tiny_disk):
    db = copy_store(base_store, tiny_disk.make(base_store.stat().st_size // 1024 + 160) / "store.db")
    more = jsonl(tmp_path / "more.jsonl", MORE)
    r = dossier("build", more, "--db", db)
    line = one_clean_line(r)
    assert r.returncode == 2, r.stderr
    assert line == (f"error: cannot write store '{db}': database or disk is full; the articles stored before "
                    "are kept: free some space, then rerun the same command to resume"), line
    kept = intact(db, base_store)
    assert len(FIRST) <= kept < len(FIRST) + len(MORE)
    tiny_disk.grow(8 * 1024)  # space freed: the same command resumes
    r = dossier("build", more, "--db", db)
    assert r.returncode == 0, r.stderr[-3000:]
    assert f"{len(FIRST) + len(MORE) - kept} stored, {kept - len(FIRST)} already in the store" in r.stdout
    assert intact(db, base_store) == len(FIRST) + len(MORE)


def test_a_file_size_limit_is_one_line_exit_2_and_what_was_stored_stays(base_store, tmp_path):
    """The same without privileges: RLIMIT_FSIZE (what ``ulimit -f`` sets) makes
    writes past a size fail, as a full disk does; the regex cache's write hits it too."""
    db = copy_store(base_store, tmp_path / "store.db")
    limit = db.stat().st_size + 48 * 1024

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of death
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    cache = tmp_path / "cache"
    r = dossier("build", jsonl(tmp_path / "more.jsonl", MORE), "--db", db, env={"DOSSIER_CACHE_DIR": str(cache)},
                preexec_fn=small_files)
    line = one_clean_line(r)
    assert r.returncode == 2, r.stderr
    assert line in (f"error: store '{db}' cannot be used: disk I/O error",
                    f"error: cannot write store '{db}': database or disk is full; the articles stored before "
                    "are kept: free some space, then rerun the same command to resume"), line
    assert len(FIRST) <= intact(db, base_store) < len(FIRST) + len(MORE)


def damage(db: Path, table: str) -> None:
    """Overwrite the head of ``table``'s root page with garbage."""
    (page,), = query(db, "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
    (size,), = query(db, "PRAGMA page_size")
    with open(db, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xa5" * 200)


@pytest.mark.parametrize("command", ["build", "show", "export"])
def test_a_damaged_page_is_one_line_exit_2(base_store, tmp_path, command):
    db = copy_store(base_store, tmp_path / "store.db")
    damage(db, "documents")
    args = {"build": ["build", jsonl(tmp_path / "more.jsonl", MORE[:1]), "--db", db],
            "show": ["show", "--db", db], "export": ["export", "--db", db]}[command]
    r = dossier(*args)
    line = one_clean_line(r)
    assert r.returncode == 2, r.stderr
    assert line == (f"error: store '{db}' is damaged (database disk image is malformed); "
                    "restore it from a copy, or build a new store"), line


@pytest.mark.parametrize("command", ["build", "show"])
def test_a_damaged_page_read_on_opening_is_cannot_open_store(base_store, tmp_path, command):
    db = copy_store(base_store, tmp_path / "store.db")
    damage(db, "meta")  # where the schema version is read
    r = dossier(command, *([EXAMPLES / FIRST[0]] if command == "build" else []), "--db", db)
    assert r.returncode == 2, r.stderr
    assert one_clean_line(r) == f"error: cannot open store '{db}': database disk image is malformed"


@pytest.mark.parametrize("version", ["five", "5.0", None])
def test_a_schema_version_that_is_not_a_number_is_cannot_open_store(base_store, tmp_path, version):
    db = copy_store(base_store, tmp_path / "store.db")
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
    con.commit()
    con.close()
    for args in (["build", EXAMPLES / FIRST[0]], ["show"]):
        r = dossier(*args, "--db", db)
        assert r.returncode == 2, r.stderr
        assert one_clean_line(r) == (f"error: cannot open store '{db}': its schema version '{version}' is not a "
                                     "number (a damaged store, or not dossier's)")
    assert intact(db, base_store) == len(FIRST)  # refused, not "migrated" from version 0


# -- odd articles: encodings, amounts, invisible characters ------------------------

MIXED_UTF8_FIRST = ("Hélène Martin, directrice financière du groupe, a présenté mardi à Paris les résultats annuels.\n",
                    "La Société Générale a confirmé l’accord avec ses partenaires européens.\n")
MIXED_CP1252_FIRST = ("Le ministre de l’Économie a reçu jeudi à Bercy les représentants des salariés de l’usine.\n",
                      "Hélène Dubois, déléguée syndicale, a salué « un premier pas » après la réunion.\n")
INVISIBLE_TEXT = ("Airbus a livré 50 avions en mars, a annoncé le constructeur toulousain.\n\n"
                  "Selon Guillaume Faury, patron d'Air\u200bbus, la cadence augmentera. "
                  "Le directeur financier Thomas Fau\u202eyr\u202c a confirmé les chiffres d'Airbus à Toulouse.\n")


@pytest.fixture(scope="module")
def odd_store(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("odd")
    src = d / "in"
    src.mkdir()
    (src / "utf8-then-cp1252.txt").write_bytes(MIXED_UTF8_FIRST[0].encode() + MIXED_UTF8_FIRST[1].encode("cp1252"))
    (src / "cp1252-then-utf8.txt").write_bytes(MIXED_CP1252_FIRST[0].encode("cp1252") + MIXED_CP1252_FIRST[1].encode())
    (src / "amounts-en.txt").write_text(
        "The board rejected a bid of $1e308 billion for the company on Monday. "
        "Another filing mentioned $" + "9" * 400 + " billion, which analysts called a typo. "
        "The company paid $2.5 billion for its rival last year, according to Reuters.\n", encoding="utf-8")
    (src / "montants-fr.txt").write_text(
        "Le fonds a évoqué 10^400 milliards de dollars, puis 99999999999999999999999999999999 milliards d'euros. "
        "Le solde du compte est de -0 euro. Le billet de bus coûte 0 euro pour les enfants à Lyon. "
        "L'entreprise a levé 97,4 milliards de dollars auprès de ses actionnaires, selon Les Echos.\n",
        encoding="utf-8")
    (src / "invisible.txt").write_text(INVISIBLE_TEXT, encoding="utf-8")
    db = d / "store.db"
    r = dossier("build", src, "--db", db)
    assert r.returncode == 0 and r.stderr == "", r.stderr[-3000:]
    assert "5 stored, 0 already in the store, 0 skipped, 0 failed" in r.stdout
    return src, db


def names_in(db: Path, file: Path) -> list[str]:
    return [n for (n,) in query(db, "SELECT DISTINCT e.name FROM mentions m JOIN entities e ON e.id = m.entity "
                                    "JOIN documents d ON d.id = m.document WHERE d.path = ?", (str(file),))]


def test_a_file_mixing_utf8_and_cp1252_is_decoded_line_by_line(odd_store):
    src, db = odd_store
    for name, lines in (("utf8-then-cp1252.txt", MIXED_UTF8_FIRST), ("cp1252-then-utf8.txt", MIXED_CP1252_FIRST)):
        (text,), = query(db, "SELECT text FROM documents WHERE path = ?", (str(src / name),))
        assert text == "".join(lines)  # exactly: no U+FFFD, no mojibake (HÃ©lÃ¨ne)
    assert "Société Générale" in names_in(db, src / "utf8-then-cp1252.txt")
    assert "Hélène Dubois" in names_in(db, src / "cp1252-then-utf8.txt")
    for (name,) in query(db, "SELECT name FROM entities"):
        assert "\ufffd" not in name and "Ã" not in name


def test_implausible_or_inexact_amounts_are_not_stored(odd_store):
    src, db = odd_store
    rows = query(db, "SELECT d.path, a.text, a.value, a.currency, a.refers_to FROM amounts a "
                     "JOIN documents d ON d.id = a.document ORDER BY d.path, a.char_start")
    got = [(Path(p).name, t, v, c) for p, t, v, c, _ in rows]
    assert got == [("amounts-en.txt", "$2.5 billion", 2.5e9, "USD"),
                   ("montants-fr.txt", "0 euro", 0.0, "EUR"),
                   ("montants-fr.txt", "97,4 milliards de dollars", 97.4e9, "USD")]
    zero = next(v for _, t, v, *_ in rows if t == "0 euro")
    assert math.copysign(1, zero) == 1  # not -0.0
    assert all(r != "-0" for *_, r in rows)  # "-0 euro" (its sign would be lost) is not stored


def test_invisible_characters_stay_in_the_text_but_not_in_names(odd_store):
    src, db = odd_store
    (doc, text), = query(db, "SELECT id, text FROM documents WHERE path = ?", (str(src / "invisible.txt"),))
    assert text == INVISIBLE_TEXT  # offsets stay true to the original
    mentions = query(db, "SELECT m.char_start, m.char_end, m.text, e.name FROM mentions m "
                         "JOIN entities e ON e.id = m.entity WHERE m.document = ?", (doc,))
    for start, end, said, _ in mentions:
        assert text[start:end] == said
    zw = text.index("Air\u200bbus")
    assert (zw, zw + 7, "Air\u200bbus", "Airbus") in mentions  # one actor with Airbus
    assert len({n for *_, n in mentions if fold(n) == "airbus"}) == 1
    assert "Thomas Fauyr" in {n for *_, n in mentions}
    shown = query(db, "SELECT name FROM entities UNION ALL SELECT alias FROM aliases")
    assert not [n for (n,) in shown if set(n) & set(INVISIBLE)]
    r = dossier("show", "--db", db)  # the actors' table; quotes show the text as written
    table = [line for line in r.stdout.splitlines() if line.startswith("│")]
    assert r.returncode == 0 and any("Thomas Fauyr" in line for line in table), r.stdout
    assert not set("".join(table)) & set(INVISIBLE)


def test_fold_and_visible_name_drop_invisible_characters():
    for c in INVISIBLE:
        assert fold(f"Air{c}bus") == "airbus", repr(c)
        assert visible_name(f"Air{c}bus") == "Airbus", repr(c)
    assert fold("Fau\u202eyr\u202c") == "fauyr"


# -- a parallel build writes its first small batch at once ---------------------

def test_repeated_interruptions_of_a_parallel_build_make_progress(tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_corpus import generate

    n = 64
    src = tmp_path / "articles.jsonl"
    with src.open("w", encoding="utf-8") as f:
        for a in generate(n, seed=20):
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    db = tmp_path / "store.db"
    kept, firsts = 0, []
    for _ in range(2):
        p = subprocess.Popen([sys.executable, "-m", "dossier.cli", "build", src, "--db", db, "--workers", "2", "-q"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        t0, deadline = time.monotonic(), time.monotonic() + 300
        now = kept
        while p.poll() is None and time.monotonic() < deadline:
            try:
                now = query(db, "SELECT COUNT(*) FROM documents")[0][0]
            except sqlite3.OperationalError:
                now = kept  # not created yet
            if now > kept:
                break
            time.sleep(0.05)
        assert p.poll() is None, "the build ended before it could be interrupted"
        firsts.append((round(time.monotonic() - t0, 1), now - kept))
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
        assert p.returncode == 130 and "interrupted" in err, err[-3000:]
        stored = query(db, "SELECT COUNT(*) FROM documents")[0][0]
        assert kept < stored < n  # progress at each interruption
        # the first write is the first small batch, not a batch of BATCH articles
        assert now - kept < parallel.BATCH, firsts
        kept = stored
    r = dossier("build", src, "--db", db, "--workers", "2", "-q")
    assert r.returncode == 0, r.stderr[-3000:]
    assert f"{n - kept} stored, {kept} already in the store, 0 skipped, 0 failed" in r.stdout
    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    print("first write (seconds after start, articles):", firsts)
