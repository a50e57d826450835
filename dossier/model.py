"""dossier's own typed objects.

Every stage reads and annotates one :class:`Doc`, the way spaCy stages share
their ``Doc``. spaCy output is converted into :class:`Token` and
:class:`Sentence` at once, so no stage depends on spaCy's classes and a test can
build a ``Doc`` by hand.

Offsets are always character offsets into ``Doc.text`` (== ``Article.text``);
``text[start:end]`` equals the evidence string of every fact.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .index import Index


def content_id(prefix: str, *parts: object) -> str:
    """A short id derived from content, so reruns and merges are idempotent."""
    h = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}_{h[:16]}"


def event_ids(doc_id: str, etype: str, first: int, n: int = 8) -> list[str]:
    """The ids an event of ``etype`` whose evidence starts at ``first`` may
    take, in order: two events of one type can share their first sentence
    ("its largest acquisition, after its purchase of LinkedIn")."""
    return [content_id("evt", doc_id, etype, first), *(content_id("evt", doc_id, etype, first, k) for k in range(2, n + 1))]


def event_id(doc_id: str, etype: str, first: int, used: set[str]) -> str:
    """The first of :func:`event_ids` not in ``used`` (which it joins)."""
    eid = next((e for e in event_ids(doc_id, etype, first) if e not in used), None)
    if eid is None:  # more than n events of one type in one sentence
        eid = content_id("evt", doc_id, etype, first, len(used))
    used.add(eid)
    return eid


def fold(s: str) -> str:
    """Case- and accent-insensitive key, with typographic apostrophes unified."""
    # the components fold the same words over and over: short strings are
    # looked up in a bounded cache (same result, computed once)
    if len(s) <= _FOLD_CACHED_CHARS:
        return _fold_cached(s)
    return _fold(s)


_FOLD_CACHED_CHARS = 64


def _fold(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u02bc", "'").replace("\u00a0", " ")
    s = _INVISIBLE.sub("", s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return _SPACES.sub(" ", s).strip().casefold()


_SPACES = re.compile(r"\s+")
# Characters that show nothing, or only reorder what they surround: zero-width
# spaces and joiners, the soft hyphen, byte-order marks, bidirectional marks,
# embeddings, overrides and isolates. "Air\u200bbus" is Airbus and
# "Fau\u202eyr\u202c" is not another name: they are not part of a name's key
# (nor of its display, see visible_name); the text keeps them (offsets).
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_fold_cached = lru_cache(maxsize=1 << 16)(_fold)


def visible_name(s: str) -> str:
    """A name as it is shown: without the characters of ``_INVISIBLE``."""
    return _INVISIBLE.sub("", s)


class _FoldTable(dict):
    """Each character's fold as ONE character (lower case, no accent, plain
    apostrophe, hyphen and space), computed on first use."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c in "\u2019\u2018\u02bc\u2032`\u00b4":
            r = "'"
        elif c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
            r = "-"
        elif c.isspace() and c != "\n":
            r = " "
        else:
            try:
                d = unicodedata.normalize("NFKD", c)
            except Exception:  # lone surrogates and the like
                d = c
            r = d[0] if d and all(unicodedata.combining(x) for x in d[1:]) else c
            low = r.lower()
            r = low if len(low) == 1 else r
        self[code] = r
        return r


_FOLD = _FoldTable()
# what the table changes besides the case of A-Z: other ASCII spaces, the backtick, and non-ASCII
_FOLD_OTHER = re.compile(r"[^\x00-\x08\n\x0e-\x1b\x20-\x5f\x61-\x7f]")


def fold_same_length(s: str) -> str:
    """``fold`` that keeps every offset, one character for one, so a match in
    the folded text is at the same place in the original."""
    # ASCII lowered in C (as bytes, where other characters are untouched
    # multi-byte sequences), then only the other characters one by one
    low = s.lower() if s.isascii() else s.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
    return _FOLD_OTHER.sub(lambda m: _FOLD[ord(m.group())], low)


@dataclass(frozen=True)
class Span:
    """Evidence: ``document_text[start:end] == text``."""

    start: int
    end: int
    text: str

    def to_json(self, document: str) -> dict[str, Any]:
        return {"document": document, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Article:
    """One input article, as read; ``id`` is derived from its text."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date or datetime, as given or extracted
    language: str | None = None  # explicit language wins over detection
    source: str | None = None  # outlet
    path: str | None = None  # where it was read from (file, or file:line)
    id: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.text)


def article_id(text: str) -> str:
    # Normalise line endings and outer whitespace so the same article saved by
    # two tools gets the same id.
    norm = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return content_id("doc", norm)


@dataclass
class ReadError:
    """A file (or line) that could not be read; the batch goes on."""

    path: str
    reason: str
    line: int | None = None
    skipped: bool = False  # True for a deliberate skip (e.g. unsupported language)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(slots=True)
class Token:
    i: int  # index in Doc.tokens
    text: str
    start: int
    end: int
    lemma: str
    pos: str  # universal POS
    tag: str
    dep: str
    head: int  # index of the head token in Doc.tokens (self for roots)
    morph: str
    sent: int  # index in Doc.sentences
    ent_label: str = ""  # the parser's NER label, kept only as a hint
    ent_iob: str = ""  # "B" opens the parser's entity span, "I" continues it

    @property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(slots=True)
class Sentence:
    i: int
    start: int
    end: int
    first: int  # first token index
    last: int  # one past the last token index
    block: int  # index in Doc.blocks
    heading: bool = False


@dataclass
class Block:
    """A line or paragraph of the article; headings are blocks of kind 'title'/'heading'."""

    start: int
    end: int
    kind: str  # 'title' | 'heading' | 'paragraph'


@dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str  # raw NER label or the rule that found it
    entity: str | None = None  # local entity key, set by the entity linker
    heading: bool = False


@dataclass
class Entity:
    id: str
    name: str
    type: str  # PERSON | ORG | LOC | PRODUCT | EVENT
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    salience: float = 0.0
    role: tuple[str, str] | None = None  # (predicate, org id) for a person named by title only


@dataclass
class Amount:
    value: float
    currency: str | None  # ISO 4217; None when the text names no currency
    approximate: bool
    start: int
    end: int
    text: str
    refers_to: str | None = None  # short description of what it refers to


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    value: str | None  # ISO date 'YYYY-MM-DD', 'YYYY-MM', 'YYYY', or 'A/B' interval
    precision: str  # 'day' | 'month' | 'year' | 'week' | 'time' | 'unknown'
    relative: bool = False  # resolved against the publication date


@dataclass
class Quote:
    text: str  # without the marks
    start: int
    end: int
    kind: str  # direct | partial | indirect
    speaker: str | None = None  # entity id
    speaker_span: Span | None = None
    cue: Span | None = None
    intermediary: str | None = None  # entity id
    intermediary_span: Span | None = None


@dataclass
class Event:
    type: str
    modality: str = "asserted"
    agent: list[str] = field(default_factory=list)  # entity ids
    target: list[str] = field(default_factory=list)
    amount: dict[str, Any] | None = None  # {value, currency}
    time: dict[str, Any] | None = None  # {value, precision, text}
    place: list[str] = field(default_factory=list)
    trigger: Span | None = None
    evidence: list[Span] = field(default_factory=list)
    flavour: str | None = None  # e.g. 'conditional', 'ironic'


@dataclass
class Relation:
    subject: str
    predicate: str
    object: str
    evidence: list[Span] = field(default_factory=list)


@dataclass
class Stance:
    holder: str
    topic: str
    polarity: str  # support | oppose
    evidence: Span | None = None


@dataclass
class Doc:
    """The central object every stage annotates."""

    article: Article
    language: str
    blocks: list[Block] = field(default_factory=list)
    # as the parser cut them; ``index.sentences`` merges back wrong cuts
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    ner: list[Mention] = field(default_factory=list)  # raw NER spans (the ``ner`` component), hints only
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    amounts: list[Amount] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    stances: list[Stance] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def index(self) -> "Index":
        """Look-ups over the parse (:class:`dossier.index.Index`), made once
        and kept: a new parse (new tokens) gets a new one."""
        ix = self.__dict__.get("_index")
        if ix is None or ix.tokens is not self.tokens or len(ix.tok_starts) != len(self.tokens):
            from .index import Index  # noqa: PLC0415 (index imports this module)

            ix = self.__dict__["_index"] = Index(self)
        return ix

    def __getstate__(self) -> dict[str, Any]:
        # a pickled Doc (a worker's result) leaves its index behind: rebuilt on use
        state = dict(self.__dict__)
        state.pop("_index", None)
        return state

    def span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def sent_tokens(self, sent: Sentence) -> list[Token]:
        return self.tokens[sent.first : sent.last]
