"""Read articles from text, HTML and JSON Lines files, and from directories.

Readers never raise for bad input: a file (or JSONL line) that cannot become an
article yields a :class:`ReadError` and the batch goes on. Nothing is fetched
from the network.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path

from dossier.errors import Msg
from dossier.model import Article, ReadError, fold

MAX_CHARS: int = 5_000_000  # documented per-article limit

Result = Article | ReadError

# File signatures of things people mistake for articles (a PDF renamed .txt...).
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or office document"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
)
# UTF-32 first: its little-endian BOM starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# C0/C1 control characters other than whitespace; text has (almost) none.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_MAX_CONTROL_RATIO = 0.05
_TITLE_MAX = 200
# lxml (under trafilatura) silently drops everything below this depth.
_LXML_MAX_DEPTH = 255


def _latin1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # The five bytes cp1252 leaves undefined map to the same code points as in
    # latin-1, exactly as browsers decode "windows-1252"/"iso-8859-1".
    return err.object[err.start : err.end].decode("latin-1"), err.end


def _cp1252_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # Bytes that are not UTF-8 in a UTF-8 line: a cp1252 word pasted in.
    return err.object[err.start : err.end].decode("cp1252", errors="dossier-latin1"), err.end


codecs.register_error("dossier-latin1", _latin1_fallback)
codecs.register_error("dossier-cp1252", _cp1252_fallback)


def decode_bytes(data: bytes) -> str:
    """Decode an article's bytes; raises ValueError with a reason when undecodable.

    A BOM decides. Otherwise UTF-8; a file that is not UTF-8 throughout is
    decoded line by line, as files pasted together from several sources mix
    encodings: a line that is UTF-8 is read as UTF-8, any other as cp1252
    (see :func:`_decode_line`). cp1252 is a superset of latin-1's printable
    range, so real latin-1 text (which never uses 0x80-0x9F) decodes
    identically, while cp1252's ’ “ ” € œ in 0x80-0x9F come out right.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).lstrip("\ufeff")
            except UnicodeDecodeError as e:
                if encoding == "utf-8-sig":  # the BOM shows intent: keep what is valid
                    return data.decode(encoding, errors="replace")
                raise ValueError(f"invalid {encoding.upper()} at byte {e.start}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return "".join(map(_decode_line, data.splitlines(keepends=True)))


def _decode_line(line: bytes) -> str:
    """One line of a file that is not UTF-8 throughout. UTF-8 if it is; if a
    few bytes of an otherwise UTF-8 line are not (a stray byte), those bytes
    are read as cp1252 and the rest as UTF-8 (decoding the whole line as
    cp1252 would garble every accent); else word by word (:func:`_decode_word`)."""
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = line.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if c > "\x7f") - bad
    if good >= 4 * bad:
        return line.decode("utf-8", errors="dossier-cp1252")
    if not good:  # no UTF-8 at all: a cp1252 line
        return line.decode("cp1252", errors="dossier-latin1")
    return "".join(map(_decode_word, _WORDS.findall(line)))


_WORDS = re.compile(rb"\s+|\S+")
# What a UTF-8 word of a French or English article holds besides ASCII: Latin
# letters, typographic punctuation, the euro sign. cp1252 bytes that happen to
# form valid UTF-8 give other characters ("réglé\xa0»" would be a CJK one).
_LATIN_UTF8 = re.compile("[\x00-\x7f\u00a0-\u024f\u2010-\u203a\u20ac]*")


def _decode_word(word: bytes) -> str:
    """A word of a line mixing UTF-8 and cp1252 (one sentence pasted in from
    another file): UTF-8 if it is valid UTF-8 of Latin text, else cp1252."""
    try:
        text = word.decode("utf-8")
        if _LATIN_UTF8.fullmatch(text):
            return text
    except UnicodeDecodeError:
        pass
    return word.decode("cp1252", errors="dossier-latin1")


def read_paths(paths: Iterable[str | Path]) -> Iterator[Result]:
    """Every article under ``paths`` (files or directories), in a stable order."""
    seen: set[str] = set()  # real paths of directories already walked
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from _walk(p, seen)
        else:
            yield from read_file(p)


def read_file(path: Path) -> Iterator[Result]:
    """One file's articles (a JSONL file yields many); a directory is walked."""
    path = Path(path)
    name = str(path)
    try:
        st = os.stat(path)
    except OSError as e:
        yield _os_error(name, e)
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(path, set())
        return
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block forever
        yield ReadError(name, Msg.NOT_REGULAR)
        return
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        yield ReadError(name, _unsupported(path))
        return
    try:
        yield from reader(path)
    except OSError as e:
        yield _os_error(name, e)
    except RecursionError:
        yield ReadError(name, Msg.HTML_UNPARSABLE.format(detail="nested too deeply"))
    except Exception as e:  # noqa: BLE001
        # A bug in a third-party parser on one odd file must not stop a batch.
        yield ReadError(name, Msg.UNREADABLE.format(detail=f"{type(e).__name__}: {e}"))


# --- directories ---------------------------------------------------------


def _walk(root: Path, seen: set[str]) -> Iterator[Result]:
    """Depth-first, sorted, hidden names skipped; an explicit stack, not
    recursion, so a deep tree cannot hit the recursion limit."""
    real = os.path.realpath(root)
    if real in seen:
        return
    seen.add(real)
    listing = _list(root)
    if isinstance(listing, ReadError):
        yield listing
        return
    stack = [(real, iter(listing))]
    while stack:
        child = next(stack[-1][1], None)
        if child is None:
            stack.pop()
            continue
        try:
            st = os.stat(child)  # follows symlinks
        except OSError as e:
            yield _os_error(str(child), e)
            continue
        if stat.S_ISDIR(st.st_mode):
            real = os.path.realpath(child)
            if real in seen:
                # A link back to an ancestor would loop forever; one to a
                # directory already read would only duplicate it.
                if any(real == ancestor for ancestor, _ in stack):
                    yield ReadError(str(child), Msg.SYMLINK_LOOP)
                continue
            seen.add(real)
            listing = _list(child)
            if isinstance(listing, ReadError):
                yield listing
            else:
                stack.append((real, iter(listing)))
        elif not stat.S_ISREG(st.st_mode):
            yield ReadError(str(child), Msg.NOT_REGULAR, skipped=True)
        elif child.suffix.lower() in _READERS:
            yield from read_file(child)
        else:
            yield ReadError(str(child), _unsupported(child), skipped=True)


def _list(directory: Path) -> list[Path] | ReadError:
    try:
        with os.scandir(directory) as entries:
            names = sorted(e.name for e in entries if not e.name.startswith("."))
    except OSError as e:
        return _os_error(str(directory), e)
    return [directory / n for n in names]


def _os_error(name: str, e: OSError) -> ReadError:
    if e.errno in (errno.ENOENT, errno.ENOTDIR):
        return ReadError(name, Msg.MISSING_PATH)
    if e.errno == errno.ELOOP:
        return ReadError(name, Msg.SYMLINK_LOOP)
    return ReadError(name, Msg.UNREADABLE.format(detail=e.strerror or e))


def _unsupported(path: Path) -> str:
    return Msg.UNSUPPORTED_EXT.format(ext=path.suffix or "(none)")


# --- shared checks -------------------------------------------------------


def _read_bytes(path: Path) -> bytes | ReadError:
    # UTF-8 needs at most 4 bytes a character: a longer file cannot fit the
    # limit, so it is refused before being read whole into memory.
    limit = 4 * MAX_CHARS + 4
    with open(path, "rb") as f:
        data = f.read(limit + 1)
        if len(data) > limit:
            size = os.fstat(f.fileno()).st_size
            return ReadError(str(path), Msg.TOO_LARGE_FILE.format(size=size, limit=MAX_CHARS))
    return data


def _binary_kind(data: bytes) -> str | None:
    head = data[:1024]
    for magic, kind in _MAGIC:
        if head.startswith(magic) or (magic == b"%PDF-" and magic in head):
            return kind
    if any(data.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
        return None  # UTF-16/32 text is full of NUL bytes
    if b"\x00" in data:
        return "NUL bytes"
    return None


def _to_text(name: str, data: bytes, *, limit: bool = True) -> str | ReadError:
    """Bytes -> normalised text, or the reason they are not an article."""
    if not data:
        return ReadError(name, Msg.EMPTY)
    kind = _binary_kind(data)
    if kind:
        return ReadError(name, Msg.BINARY.format(kind=kind))
    try:
        text = decode_bytes(data)
    except ValueError as e:
        return ReadError(name, Msg.UNDECODABLE.format(detail=e))
    if not text:  # only a BOM
        return ReadError(name, Msg.EMPTY)
    return _check_text(name, _newlines(text), limit=limit)


def _check_text(
    name: str, text: str, line: int | None = None, *, limit: bool = True
) -> str | ReadError:
    if not text.strip():
        return ReadError(name, Msg.WHITESPACE if line is None else Msg.JSONL_EMPTY_TEXT, line)
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_RATIO * len(text):
        return ReadError(name, Msg.BINARY.format(kind="control characters"), line)
    if limit and len(text) > MAX_CHARS:
        return ReadError(name, Msg.TOO_LARGE.format(size=len(text), limit=MAX_CHARS), line)
    return text


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title(text: str) -> str | None:
    """The first non-empty line, if it reads like a headline."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) < _TITLE_MAX and not line.endswith(".") else None
    return None


# --- plain text ----------------------------------------------------------


def _read_text(path: Path) -> Iterator[Result]:
    data = _read_bytes(path)
    text = data if isinstance(data, ReadError) else _to_text(str(path), data)
    if isinstance(text, ReadError):
        yield text
        return
    # The title line stays in the text: evidence offsets are into the full text.
    yield Article(text=text, title=_title(text), path=str(path))


# --- HTML ----------------------------------------------------------------


def _read_html(path: Path) -> Iterator[Result]:
    import htmldate  # noqa: PLC0415  (slow imports, only when HTML is read)
    import trafilatura  # noqa: PLC0415

    name = str(path)
    data = _read_bytes(path)
    if isinstance(data, ReadError):
        yield data
        return
    # Empty / binary / whitespace checks; the size limit is for the extracted text.
    checked = _to_text(name, data, limit=False)
    if isinstance(checked, ReadError):
        yield checked
        return
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = checked.encode("utf-8")  # trafilatura's charset sniffing expects bytes ~ASCII
    # Always bytes, never str: htmldate downloads a str that looks like a URL.
    doc = None
    for recall in (False, True):  # precise first; a sparse page gets a second chance
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, favor_precision=not recall, favor_recall=recall,
            include_comments=False, include_images=False, include_links=False,
        )
        if doc is not None and (doc.text or "").strip():
            break
    main = _newlines(doc.text or "").strip() if doc is not None else ""
    if not main:
        depth = _max_depth(checked)
        reason = Msg.HTML_TOO_DEEP.format(depth=depth) if depth > _LXML_MAX_DEPTH else Msg.HTML_NO_TEXT
        yield ReadError(name, reason)
        return
    title = (doc.title or "").strip() or None
    if title and fold(main.split("\n", 1)[0]) != fold(title):
        main = f"{title}\n{main}"
    text = _check_text(name, main)
    if isinstance(text, ReadError):
        yield text
        return
    published = doc.date or _find_date(htmldate, data)
    yield Article(
        text=text, title=title, url=doc.url or None, published=published or None,
        source=doc.sitename or None, path=name,
    )


def _find_date(htmldate: object, data: bytes) -> str | None:
    try:
        return htmldate.find_date(data, original_date=True)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001  (a missing date must not lose the article)
        return None


class _DepthProbe(HTMLParser):
    """Maximum element depth, with the stdlib's iterative parser (no tree)."""

    _VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = self.max = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in self._VOID:
            self.depth += 1
            self.max = max(self.max, self.depth)

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)


def _max_depth(html: str) -> int:
    # Only to tell "nothing to extract" from "lxml gave up on the nesting".
    probe = _DepthProbe()
    try:
        probe.feed(html)
    except Exception:  # noqa: BLE001  (a diagnostic must not fail the read)
        pass
    return probe.max


# --- JSON Lines ----------------------------------------------------------


def _read_jsonl(path: Path) -> Iterator[Result]:
    name = str(path)
    with open(path, "rb") as f:
        head = f.read(8192)
        if not head:
            yield ReadError(name, Msg.EMPTY)
            return
        kind = _binary_kind(head)
        if kind == "NUL bytes" and _looks_like_jsonl(head):
            kind = None  # a bad line among good ones fails alone, below
        if kind:
            yield ReadError(name, Msg.BINARY.format(kind=kind))
            return
        f.seek(0)
        if any(head.startswith(bom) for bom, enc in _BOMS if enc != "utf-8-sig"):
            try:
                lines: Iterable[str | bytes] = decode_bytes(f.read()).split("\n")
            except ValueError as e:
                yield ReadError(name, Msg.UNDECODABLE.format(detail=e))
                return
        else:
            lines = f  # streamed: a JSONL file may hold thousands of articles
        found = False
        for n, raw in enumerate(lines, 1):
            if n == 1 and isinstance(raw, bytes):
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if not raw.strip():
                continue
            found = True
            yield _jsonl_line(name, n, raw)
    if not found:
        yield ReadError(name, Msg.WHITESPACE)


def _looks_like_jsonl(head: bytes) -> bool:
    """Whether the start of a file with NUL bytes is JSON Lines with a damaged
    line (some line opens an object) rather than a binary file renamed."""
    return any(line.lstrip().startswith(b"{") for line in head.removeprefix(codecs.BOM_UTF8).split(b"\n"))


def _jsonl_line(name: str, n: int, raw: str | bytes) -> Result:
    if "\x00" in raw if isinstance(raw, str) else b"\x00" in raw:
        return ReadError(name, Msg.JSONL_BINARY, n)
    try:
        line = raw if isinstance(raw, str) else decode_bytes(raw)
        obj = json.loads(line)
    except RecursionError:
        return ReadError(name, Msg.JSONL_NOT_JSON.format(detail="nested too deeply"), n)
    except json.JSONDecodeError as e:
        return ReadError(name, Msg.JSONL_NOT_JSON.format(detail=f"{e.msg}, column {e.colno}"), n)
    except ValueError as e:
        return ReadError(name, Msg.JSONL_NOT_JSON.format(detail=e), n)
    if not isinstance(obj, dict):
        return ReadError(name, Msg.JSONL_NOT_OBJECT, n)
    text = obj.get("text")
    if not isinstance(text, str):
        return ReadError(name, Msg.JSONL_NO_TEXT, n)
    text = _check_text(name, _newlines(text), n)
    if isinstance(text, ReadError):
        return text
    fields = {k: _scalar(obj.get(k)) for k in ("title", "url", "published", "language", "source")}
    return Article(text=text, path=f"{name}:{n}", **fields)


def _scalar(value: object) -> str | None:
    # Lenient on optional fields: a numeric year or a null is no reason to
    # lose the article; lists and objects are ignored.
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


_READERS: dict[str, Callable[[Path], Iterator[Result]]] = {
    ".txt": _read_text,
    ".text": _read_text,
    ".html": _read_html,
    ".htm": _read_html,
    ".jsonl": _read_jsonl,
    ".ndjson": _read_jsonl,
}
