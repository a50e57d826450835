"""Readers: every input yields an Article or a ReadError, never an exception."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier import readers
from dossier.errors import Msg
from dossier.model import Article, ReadError
from dossier.readers import decode_bytes, read_file, read_paths

FR = (
    "Grève à la SNCF : trafic perturbé mardi\n"
    "\n"
    "Le trafic ferroviaire sera fortement perturbé mardi en raison d'un mouvement "
    "de grève lancé par plusieurs syndicats de cheminots, a annoncé la SNCF lundi soir.\n"
    "« Nous n'avons pas été entendus », a déclaré Marie Dupont, secrétaire générale "
    "du syndicat, lors d'une conférence de presse à Paris.\n"
)
EN = (
    "Boeing machinists end eight-week strike\n"
    "\n"
    "Workers at Boeing's factories near Seattle voted on Monday to accept a new contract, "
    "ending a strike that halted production of the 737 for eight weeks.\n"
    '"This is a win for every family in the union," said John Miller, a union official.\n'
)
# cp1252-only characters (0x80-0x9F): ’ € œ “ ”
CP1252 = "L’Œuvre coûte 12 €, dit le « chœur » : “cœur” et sœur.\nLe prix a doublé en un an.\n"


def one(results) -> Article | ReadError:
    results = list(results)
    assert len(results) == 1, results
    return results[0]


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- decoding --------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        CP1252.encode("utf-8"),
        b"\xef\xbb\xbf" + CP1252.encode("utf-8"),
        CP1252.encode("utf-16"),  # with BOM
        b"\xfe\xff" + CP1252.encode("utf-16-be"),
        CP1252.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "cp1252"],
)
def test_decode_encodings(data):
    assert decode_bytes(data) == CP1252


def test_decode_latin1():
    text = "Le député a voté à l'Assemblée ; « déçu », dit-il. Prix : 5 £, côté français.\n"
    assert decode_bytes(text.encode("latin-1")) == text


def test_decode_undefined_cp1252_bytes_fall_back_to_latin1():
    # 0x81 is undefined in cp1252; browsers map it to U+0081, as do we.
    assert decode_bytes(b"caf\xe9 \x81") == "café \x81"


def test_decode_utf8_with_a_stray_byte_keeps_the_accents():
    data = "Élysée, député, été, réforme, sécurité, économie".encode() + b" \x92 fin"
    text = decode_bytes(data)
    # the stray byte is read as cp1252 (0x92 is its ’), the rest as UTF-8
    assert text == "Élysée, député, été, réforme, sécurité, économie ’ fin"


UTF8_LINE = "Hélène Martin a présenté à Paris les résultats de l’année.\n"
CP1252_LINE = "La Société Générale a confirmé l’accord « historique ».\n"


@pytest.mark.parametrize("parts", [
    [(UTF8_LINE, "utf-8"), (CP1252_LINE, "cp1252")],  # a UTF-8 file ending with a cp1252 sentence
    [(CP1252_LINE, "cp1252"), (UTF8_LINE, "utf-8")],  # a cp1252 file with a UTF-8 tail
    [(CP1252_LINE, "cp1252"), (UTF8_LINE, "utf-8"), (CP1252_LINE, "cp1252"), (UTF8_LINE, "utf-8")],
    [(UTF8_LINE.rstrip("\n") + " ", "utf-8"), (CP1252_LINE, "cp1252")],  # both in one line
    [(CP1252_LINE.rstrip("\n") + " ", "cp1252"), (UTF8_LINE, "utf-8")],
])
def test_decode_a_file_mixing_utf8_and_cp1252(parts):
    data = b"".join(text.encode(enc) for text, enc in parts)
    assert decode_bytes(data) == "".join(text for text, _ in parts)


def test_decode_cp1252_bytes_that_look_like_utf8_stay_cp1252():
    # "é" NBSP "»" and "É»" are valid UTF-8 byte sequences (a CJK and an IPA character)
    text = "c’est réglé\xa0» a-t-il dit au CAFÉ» de la gare.\n"
    assert decode_bytes(text.encode("cp1252")) == text
    assert decode_bytes(text.encode("cp1252") + UTF8_LINE.encode()) == text + UTF8_LINE


def test_decode_bad_utf16_raises_value_error():
    with pytest.raises(ValueError, match="UTF-16"):
        decode_bytes(b"\xff\xfe\x00\xd8a")  # lone surrogate, odd length


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_decode_bytes_raises_only_value_error(data):
    try:
        assert isinstance(decode_bytes(data), str)
    except ValueError:
        pass


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=1500), st.text(max_size=500).map(str.encode)))
def test_readers_never_raise_on_arbitrary_bytes(tmp_path, data):
    for ext in (".txt", ".jsonl"):
        path = write(tmp_path / f"random{ext}", data)
        for r in read_file(path):
            assert isinstance(r, Article | ReadError)
            if isinstance(r, Article):
                assert r.text.strip() and r.path.startswith(str(path))


# --- plain text ------------------------------------------------------------


def test_text_article(tmp_path):
    path = write(tmp_path / "greve.txt", FR)
    a = one(read_file(path))
    assert isinstance(a, Article)
    assert a.text == FR  # title line kept: offsets are into the full text
    assert a.title == "Grève à la SNCF : trafic perturbé mardi"
    assert a.path == str(path) and a.id.startswith("doc_")


def test_text_extension_is_case_insensitive_and_dot_text_accepted(tmp_path):
    assert isinstance(one(read_file(write(tmp_path / "a.TXT", EN))), Article)
    assert isinstance(one(read_file(write(tmp_path / "b.text", EN))), Article)


def test_no_title_when_first_line_is_a_sentence(tmp_path):
    text = "Le ministre a démissionné mardi soir.\nIl sera remplacé jeudi.\n"
    assert one(read_file(write(tmp_path / "a.txt", text))).title is None
    long_line = "Titre " * 40
    assert one(read_file(write(tmp_path / "b.txt", long_line + "\nSuite."))).title is None


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.encode("cp1252"),
        lambda s: s.encode("utf-16"),
    ],
    ids=["utf8-bom", "cp1252", "utf16-bom"],
)
def test_text_encodings(tmp_path, encode):
    a = one(read_file(write(tmp_path / "a.txt", encode(CP1252))))
    assert a.text == CP1252
    assert "’" in a.text and "€" in a.text and "œ" in a.text and "\ufeff" not in a.text


def test_text_latin1(tmp_path):
    text = "Réforme des retraites\nLe Sénat a adopté le texte à 195 voix contre 129.\n"
    assert one(read_file(write(tmp_path / "a.txt", text.encode("latin-1")))).text == text


def test_mixed_line_endings_are_normalised(tmp_path):
    a = one(read_file(write(tmp_path / "a.txt", b"Titre\r\nLigne un.\rLigne deux.\nFin.\r\n")))
    assert a.text == "Titre\nLigne un.\nLigne deux.\nFin.\n"


def test_same_content_same_id(tmp_path):
    lf = one(read_file(write(tmp_path / "lf.txt", EN)))
    crlf = one(read_file(write(tmp_path / "crlf.txt", EN.replace("\n", "\r\n"))))
    bom = one(read_file(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + EN.encode())))
    other = one(read_file(write(tmp_path / "other.txt", FR)))
    assert lf.id == crlf.id == bom.id != other.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", Msg.EMPTY),
        (b"\xef\xbb\xbf", Msg.EMPTY),
        (b"  \n\t\r\n  \n", Msg.WHITESPACE),
        ("\u00a0 \u2003\n".encode(), Msg.WHITESPACE),
        (b"Titre\x00\x00\x00\x01binaire", Msg.BINARY.format(kind="NUL bytes")),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", Msg.BINARY.format(kind="PDF")),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", Msg.BINARY.format(kind="PNG image")),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", Msg.BINARY.format(kind="JPEG image")),
        (b"GIF89a\x01\x00", Msg.BINARY.format(kind="GIF image")),
        (b"PK\x03\x04\x14\x00\x06\x00", Msg.BINARY.format(kind="ZIP archive or office document")),
        (bytes(range(1, 32)) * 10 + b"un peu de texte", Msg.BINARY.format(kind="control characters")),
    ],
    ids=["empty", "bom-only", "whitespace", "unicode-space", "nul", "pdf", "png", "jpeg", "gif", "zip", "control"],
)
def test_bad_text_files(tmp_path, data, message):
    path = write(tmp_path / "article.txt", data)
    r = one(read_file(path))
    assert isinstance(r, ReadError)
    assert r.reason == message and r.path == str(path) and not r.skipped


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_CHARS", 100)
    r = one(read_file(write(tmp_path / "a.txt", EN)))
    assert r.reason == Msg.TOO_LARGE.format(size=len(EN), limit=100)
    r = one(read_file(write(tmp_path / "b.txt", "x" * 1000)))
    assert r.reason == Msg.TOO_LARGE_FILE.format(size=1000, limit=100)


def test_missing_path(tmp_path):
    r = one(read_paths([tmp_path / "nowhere.txt"]))
    assert r == ReadError(str(tmp_path / "nowhere.txt"), Msg.MISSING_PATH)


def test_explicit_unsupported_extension_is_an_error(tmp_path):
    r = one(read_paths([write(tmp_path / "notes.docx", b"hello")]))
    assert r.reason == Msg.UNSUPPORTED_EXT.format(ext=".docx") and not r.skipped


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_unreadable(tmp_path):
    path = write(tmp_path / "secret.txt", EN)
    path.chmod(0)
    try:
        r = one(read_file(path))
        assert r.reason.startswith(Msg.UNREADABLE.split("(")[0])
    finally:
        path.chmod(0o644)


def test_permission_error_is_reported(tmp_path, monkeypatch):
    # Works as root too: the OS refusal is simulated.
    path = write(tmp_path / "secret.txt", EN)
    real_open = open

    def refuse(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse)
    r = one(read_file(path))
    assert r == ReadError(str(path), Msg.UNREADABLE.format(detail="Permission denied"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    assert one(read_file(tmp_path / "pipe.txt")).reason == Msg.NOT_REGULAR  # and no hang


# --- HTML ------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Le Quotidien - Grève à la SNCF : trafic perturbé mardi</title>
<meta property="og:title" content="Grève à la SNCF : trafic perturbé mardi">
<meta property="og:site_name" content="Le Quotidien">
<meta property="article:published_time" content="2024-03-05T08:30:00+01:00">
<script>var tracker = "ne pas extraire";</script>
</head><body>
<nav><ul><li><a href="/">Accueil</a></li><li><a href="/politique">Politique</a></li>
<li><a href="/economie">Économie</a></li></ul></nav>
<div class="menu">Se connecter | S'abonner à la newsletter</div>
<article>
<h1>Grève à la SNCF : trafic perturbé mardi</h1>
<p>Le trafic ferroviaire sera fortement perturbé mardi en raison d'un mouvement de grève
lancé par plusieurs syndicats de cheminots, a annoncé la SNCF lundi soir.</p>
<p>Selon la direction, seul un TGV sur trois circulera sur l'axe Paris-Lyon. Les syndicats
réclament une hausse des salaires de 5 % pour compenser l'inflation.</p>
<p>« Nous n'avons pas été entendus », a déclaré Marie Dupont, secrétaire générale du
syndicat, lors d'une conférence de presse à Paris.</p>
</article>
<footer><p>© 2024 Le Quotidien. Tous droits réservés. Mentions légales.</p></footer>
</body></html>
"""


def test_html_article(tmp_path):
    path = write(tmp_path / "greve.html", PAGE)
    a = one(read_file(path))
    assert isinstance(a, Article), a
    assert a.title == "Grève à la SNCF : trafic perturbé mardi"
    assert a.text.startswith(a.title + "\n")
    assert a.text.count(a.title) == 1  # the <h1> is not doubled by the prepended title
    assert "seul un TGV sur trois" in a.text and "« Nous n'avons pas été entendus »" in a.text
    for boilerplate in ("Accueil", "Politique", "S'abonner", "droits réservés", "tracker"):
        assert boilerplate not in a.text
    assert a.published == "2024-03-05"
    assert a.source == "Le Quotidien"
    assert a.path == str(path)


def test_html_title_prepended_when_not_in_body(tmp_path):
    page = PAGE.replace("<h1>Grève à la SNCF : trafic perturbé mardi</h1>", "")
    a = one(read_file(write(tmp_path / "a.htm", page)))
    assert a.text.startswith("Grève à la SNCF : trafic perturbé mardi\nLe trafic ferroviaire")


def test_html_date_without_metadata_from_htmldate(tmp_path):
    page = PAGE.replace('<meta property="article:published_time" content="2024-03-05T08:30:00+01:00">', "")
    page = page.replace("<article>", '<article><time datetime="2023-11-20">20 novembre 2023</time>')
    assert one(read_file(write(tmp_path / "a.html", page))).published == "2023-11-20"


def test_malformed_html(tmp_path):
    page = (
        "<html><body><div><p>Le Parlement européen a adopté mercredi <b>la directive sur "
        "le devoir de vigilance <p>par 374 voix contre 235, après des mois de négociations "
        "entre les États membres &bogus; et la Commission</div></span></i><p>Les entreprises "
        "de plus de 1 000 salariés seront concernées dès 2027."
    )
    a = one(read_file(write(tmp_path / "broken.html", page)))
    assert isinstance(a, Article)
    assert "directive sur le devoir de vigilance" in a.text


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("<html><head><script>var a = 1;</script></head><body><script>document.write('x')</script>"
         "<style>p { color: red }</style></body></html>", Msg.HTML_NO_TEXT),
        ("<html><body><div></div></body></html>", Msg.HTML_NO_TEXT),
        ("", Msg.EMPTY),
        ("   \n ", Msg.WHITESPACE),
    ],
    ids=["scripts-only", "no-text", "empty", "whitespace"],
)
def test_html_without_article(tmp_path, page, message):
    assert one(read_file(write(tmp_path / "a.html", page))).reason == message


def test_html_pdf_renamed(tmp_path):
    assert one(read_file(write(tmp_path / "a.html", b"%PDF-1.4\n..."))).reason == Msg.BINARY.format(kind="PDF")


def test_deeply_nested_html_does_not_crash(tmp_path):
    p = "<p>Le gouvernement a présenté mardi un plan de soutien aux agriculteurs touchés par la sécheresse.</p>"
    page = "<html><body>" + "<div>" * 20_000 + p + "</div>" * 20_000 + "</body></html>"
    r = one(read_file(write(tmp_path / "deep.html", page)))
    assert isinstance(r, ReadError) and "nested" in r.reason


def test_html_that_is_only_a_url_is_not_fetched(tmp_path, monkeypatch):
    import htmldate.utils

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(htmldate.utils, "fetch_url", no_network)
    r = one(read_file(write(tmp_path / "a.html", "https://example.com/article")))
    assert isinstance(r, ReadError)


# --- JSON Lines ------------------------------------------------------------


def test_jsonl(tmp_path):
    lines = [
        json.dumps({"text": FR, "title": "Grève à la SNCF", "url": "https://example.org/greve",
                    "published": "2024-03-05", "language": "fr", "source": "Le Quotidien"}),
        "",  # blank lines are ignored but still counted
        '{"text": "Boeing strike ends", "title": ',  # broken JSON
        json.dumps({"title": "no text"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "   "}),
        json.dumps({"text": 42}),
        "   ",
        json.dumps({"text": EN.replace("\n", "\r\n"), "published": 2024, "title": None}),
    ]
    path = write(tmp_path / "batch.jsonl", "\n".join(lines) + "\n")
    results = list(read_file(path))
    assert [type(r).__name__ for r in results] == [
        "Article", "ReadError", "ReadError", "ReadError", "ReadError", "ReadError", "Article"
    ]
    fr, broken, no_text, not_obj, blank, number, en = results
    assert fr.path == f"{path}:1" and fr.title == "Grève à la SNCF" and fr.language == "fr"
    assert fr.url == "https://example.org/greve" and fr.published == "2024-03-05" and fr.source == "Le Quotidien"
    assert broken.line == 3 and broken.reason.startswith("line is not valid JSON")
    assert str(broken) == f"{path}:3: {broken.reason}"
    assert (no_text.line, no_text.reason) == (4, Msg.JSONL_NO_TEXT)
    assert (not_obj.line, not_obj.reason) == (5, Msg.JSONL_NOT_OBJECT)
    assert (blank.line, blank.reason) == (6, Msg.JSONL_EMPTY_TEXT)
    assert (number.line, number.reason) == (7, Msg.JSONL_NO_TEXT)
    assert en.path == f"{path}:9" and en.text == EN and en.published == "2024" and en.title is None
    assert all(r.path == str(path) for r in results if isinstance(r, ReadError))


def test_jsonl_ids_match_text_files(tmp_path):
    a = one(read_file(write(tmp_path / "a.ndjson", json.dumps({"text": EN}))))
    b = one(read_file(write(tmp_path / "b.txt", EN.replace("\n", "\r\n"))))
    assert a.id == b.id


def test_jsonl_bom_crlf_and_cp1252_line(tmp_path):
    data = (b"\xef\xbb\xbf" + json.dumps({"text": FR}).encode() + b"\r\n"
            + '{"text": "L’euro à 1,08 $"}'.encode("cp1252") + b"\r\n")
    first, second = read_file(write(tmp_path / "a.jsonl", data))
    assert first.text == FR and second.text == "L’euro à 1,08 $" and second.path.endswith(":2")


def test_jsonl_deep_nesting_is_a_bad_line(tmp_path):
    path = write(tmp_path / "a.jsonl", "[" * 100_000 + "\n" + json.dumps({"text": EN}))
    bad, good = read_file(path)
    assert bad.line == 1 and "JSON" in bad.reason and good.path.endswith(":2")


@pytest.mark.parametrize(("data", "message"), [(b"", Msg.EMPTY), (b"\n\n  \n", Msg.WHITESPACE),
                                               (b"\x00\x01{}", Msg.BINARY.format(kind="NUL bytes"))])
def test_jsonl_whole_file_problems(tmp_path, data, message):
    assert one(read_file(write(tmp_path / "a.jsonl", data))).reason == message


@pytest.mark.parametrize("padding", [0, 10_000])  # the NUL line in the first 8 KB, or after
def test_jsonl_a_line_with_nul_bytes_fails_alone(tmp_path, padding):
    lines = [json.dumps({"text": FR}).encode(), json.dumps({"pad": "p" * padding}).encode(),
             b'{"text": "d\xc3\xa9p\xc3\xaache\x00\x00"}', json.dumps({"text": EN}).encode()]
    first, pad, bad, last = read_file(write(tmp_path / "a.jsonl", b"\n".join(lines)))
    assert first.text == FR and last.text == EN and last.path.endswith(":4")
    assert (bad.line, bad.reason) == (3, Msg.JSONL_BINARY)
    assert pad.line == 2 and pad.reason == Msg.JSONL_NO_TEXT


# --- directories -----------------------------------------------------------


def test_directory_recursion(tmp_path):
    write(tmp_path / "b.txt", EN)
    write(tmp_path / "a" / "z.html", PAGE)
    write(tmp_path / "a" / "deeper" / "one.txt", FR)
    write(tmp_path / "a" / "notes.pdf", b"%PDF-1.4")
    write(tmp_path / "c.jsonl", json.dumps({"text": FR + " (suite)"}) + "\n")
    write(tmp_path / ".hidden.txt", EN)
    write(tmp_path / ".git" / "config.txt", EN)
    write(tmp_path / "a" / ".cache" / "x.txt", EN)
    results = list(read_paths([tmp_path]))
    where = [r.path for r in results]
    assert where == [
        str(tmp_path / "a" / "deeper" / "one.txt"),
        str(tmp_path / "a" / "notes.pdf"),
        str(tmp_path / "a" / "z.html"),
        str(tmp_path / "b.txt"),
        f"{tmp_path / 'c.jsonl'}:1",
    ]
    skipped = results[1]
    assert isinstance(skipped, ReadError) and skipped.skipped
    assert skipped.reason == Msg.UNSUPPORTED_EXT.format(ext=".pdf")
    assert list(read_paths([str(tmp_path)])) == results  # deterministic, str paths accepted


def test_explicit_hidden_file_is_read(tmp_path):
    assert isinstance(one(read_paths([write(tmp_path / ".draft.txt", EN)])), Article)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlink_loop(tmp_path):
    write(tmp_path / "news" / "a.txt", EN)
    (tmp_path / "news" / "loop").symlink_to(tmp_path / "news")
    (tmp_path / "news" / "sub").mkdir()
    (tmp_path / "news" / "sub" / "up").symlink_to(tmp_path)
    (tmp_path / "news" / "self.txt").symlink_to(tmp_path / "news" / "self.txt")
    (tmp_path / "news" / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    results = list(read_paths([tmp_path]))
    articles = [r for r in results if isinstance(r, Article)]
    loops = [r for r in results if isinstance(r, ReadError) and r.reason == Msg.SYMLINK_LOOP]
    assert [a.path for a in articles] == [str(tmp_path / "news" / "a.txt")]
    assert sorted(r.path for r in loops) == sorted(
        [str(tmp_path / "news" / "loop"), str(tmp_path / "news" / "self.txt"),
         str(tmp_path / "news" / "sub" / "up")]
    )
    missing = [r for r in results if isinstance(r, ReadError) and r.reason == Msg.MISSING_PATH]
    assert [r.path for r in missing] == [str(tmp_path / "news" / "dangling.txt")]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlinked_directory_is_followed(tmp_path):
    write(tmp_path / "store" / "a.txt", EN)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "linked").symlink_to(tmp_path / "store")
    assert [r.path for r in read_paths([tmp_path / "in"])] == [str(tmp_path / "in" / "linked" / "a.txt")]


def test_many_paths_batch_goes_on(tmp_path):
    results = list(read_paths([tmp_path / "missing", write(tmp_path / "e.txt", ""),
                               write(tmp_path / "ok.txt", FR)]))
    assert [type(r).__name__ for r in results] == ["ReadError", "ReadError", "Article"]
