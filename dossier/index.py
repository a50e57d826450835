"""One index of a parsed :class:`~dossier.model.Doc`, shared by every component.

``doc.index`` is made once after parsing and kept with the Doc: tokens by
offset, the dependency tree, blocks, sentences, and entity mentions by offset
and by token. Components keep only their own lexicon's look-ups.

Sentences come in two lists. ``doc.sentences`` are the parser's; ``index.
sentences`` merges back the cuts spaCy makes inside a sentence (``Sa propre
start`` | ``-`` | ``up d'IA``): a sentence goes on while it does not end with
final punctuation in the same block. Relations and stances read the merged
ones; quotes, events and entities were tuned on the parser's and still read
them (through ``Token.sent``, ``sent_at`` and ``block_of``).

Mention look-ups follow ``doc.mentions`` and ``doc.entities``: they are
rebuilt when a component adds or replaces mentions or entities (their count
changes). Tokens, blocks and mentions are in text order, as the parse and the
entity components give them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property

from .model import Doc, Mention, Sentence, Span, Token

# a sentence ending with final punctuation (then closing quotes or brackets,
# then spaces) is not merged with the next one
_FINAL = ".!?…"
_CLOSING = "\"'”»’)]"
# The longest sentences, in tokens: ``nlp`` cuts one of spaCy's longer than
# MAX_PARSED_TOKENS into pieces, and a merged sentence stops growing at
# MAX_SENTENCE_TOKENS. The components walk a sentence's tokens (quotes: those
# of the 9 parsed sentences before) for each cue or pronoun in it, so their
# time grows with the square of the longest sentence. Real sentences are
# shorter (at most 78 tokens in the 89 articles of benchmarks/snapshot.py; 96
# parsed and 127 merged in the 84 of PolNeAR); a phrase repeated without a
# full stop or a data dump on one line is not (issue 20; benchmarks/growth.py).
MAX_PARSED_TOKENS = 100
MAX_SENTENCE_TOKENS = 160
# nodes walked by ``subtree``: a parse tree lies in one of spaCy's sentences,
# so a bound for broken parses and for a sentence ``nlp`` cut only
_SUBTREE_MAX = MAX_PARSED_TOKENS


def _ends_sentence(text: str, a: int, b: int) -> bool:
    """``text[a:b]`` ends with final punctuation, closing marks and spaces
    after it; read from the end (a merged sentence can grow long)."""
    j = b
    while j > a and text[j - 1].isspace():
        j -= 1
    while j > a and text[j - 1] in _CLOSING:
        j -= 1
    return j > a and text[j - 1] in _FINAL


class Index:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.tokens = doc.tokens
        self.tok_starts = [t.start for t in doc.tokens]
        self._key: tuple | None = None

    # ------------------------------------------------------------ sentences

    @cached_property
    def sentences(self) -> list[Sentence]:
        """The parser's sentences merged back where it cut inside one (up to
        MAX_SENTENCE_TOKENS); trailing whitespace trimmed. ``Sentence.i`` indexes this list."""
        text = self.doc.text
        merged: list[list] = []  # [start, end, first, last, block, heading]
        for s in self.doc.sentences:
            cur = merged[-1] if merged else None
            if cur is not None and cur[4] == s.block and not _ends_sentence(text, cur[0], cur[1]) \
                    and s.last - cur[2] <= MAX_SENTENCE_TOKENS:
                cur[1], cur[3] = s.end, s.last
            else:
                merged.append([s.start, s.end, s.first, s.last, s.block, s.heading])
        return [Sentence(i, a, a + len(text[a:b].rstrip()), first, last, block, heading)
                for i, (a, b, first, last, block, heading) in enumerate(merged)]

    @cached_property
    def sent_starts(self) -> list[int]:
        return [s.start for s in self.doc.sentences]

    def sent_at(self, pos: int) -> int:
        """Index in ``doc.sentences`` (as parsed) of the last sentence starting
        at or before ``pos``; -1 before the first."""
        return bisect_right(self.sent_starts, pos) - 1

    # --------------------------------------------------------------- tokens

    def first_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect_left(self.tok_starts, pos)

    def token_at(self, pos: int) -> int | None:
        """Index of the last token starting at or before ``pos``."""
        k = bisect_right(self.tok_starts, pos) - 1
        return k if k >= 0 else None

    def tokens_in(self, a: int, b: int) -> list[Token]:
        """Tokens inside [a, b)."""
        ts = self.tok_starts
        return [t for t in self.tokens[bisect_left(ts, a) : bisect_left(ts, b)] if t.end <= b]

    def tokens_from(self, a: int, b: int) -> list[Token]:
        """Tokens starting in [a, b) (the last may run past b)."""
        ts = self.tok_starts
        return self.tokens[bisect_left(ts, a) : bisect_left(ts, b)]

    # ----------------------------------------------------------------- tree

    @cached_property
    def children(self) -> list[list[int]]:
        """Dependents of each token, in text order."""
        out: list[list[int]] = [[] for _ in self.tokens]
        for t in self.tokens:
            if t.head != t.i:
                out[t.head].append(t.i)
        return out

    def subtree(self, i: int) -> tuple[int, int]:
        """(first, last) token index of the subtree under ``i``."""
        children = self.children
        lo = hi = i
        todo = [i]
        seen = 0
        while todo and seen < _SUBTREE_MAX:
            k = todo.pop()
            seen += 1
            lo, hi = min(lo, k), max(hi, k)
            todo.extend(children[k])
        return lo, hi

    def descendants(self, i: int, depth: int) -> list[int]:
        """Tokens under ``i`` down to ``depth`` levels, level by level."""
        children = self.children
        out, frontier = [], [i]
        for _ in range(depth):
            frontier = [c for f in frontier for c in children[f]]
            out.extend(frontier)
        return out

    # --------------------------------------------------------------- blocks

    @cached_property
    def block_starts(self) -> list[int]:
        return [b.start for b in self.doc.blocks]

    def block_at(self, pos: int) -> int:
        """Index of the last block starting at or before ``pos``; -1 before the first."""
        return bisect_right(self.block_starts, pos) - 1

    def starts_block(self, pos: int) -> bool:
        k = self.block_at(pos)
        return k >= 0 and self.block_starts[k] == pos

    def block_of(self, t: Token) -> int:
        return self.doc.sentences[t.sent].block

    # ------------------------------------------------------------- mentions

    def _mentions(self) -> None:
        doc = self.doc
        key = (id(doc.mentions), len(doc.mentions), id(doc.entities), len(doc.entities))
        if key == self._key:
            return
        self._key = key
        # outer first when two start together (a title around its organisation)
        self._ments = sorted((m for m in doc.mentions if m.entity in doc.entities), key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self._ments]
        self._by_token: list[Mention | None] | None = None

    @property
    def mentions(self) -> list[Mention]:
        """Mentions of the doc's entities, by start (outer first)."""
        self._mentions()
        return self._ments

    def mentions_in(self, a: int, b: int) -> list[Mention]:
        """Mentions inside [a, b)."""
        self._mentions()
        ms = self._ments
        return [m for m in ms[bisect_left(self._starts, a) : bisect_left(self._starts, b)] if m.end <= b]

    def mentions_from(self, a: int, b: int) -> list[Mention]:
        """Mentions starting in [a, b)."""
        self._mentions()
        return self._ments[bisect_left(self._starts, a) : bisect_left(self._starts, b)]

    def mentions_over(self, a: int, b: int) -> list[Mention]:
        """Mentions overlapping [a, b)."""
        self._mentions()
        # only the few mentions starting just before a can reach into it
        k = max(0, bisect_left(self._starts, a) - 3)
        return [m for m in self._ments[k : bisect_left(self._starts, b)] if m.end > a]

    @property
    def token_mentions(self) -> list[Mention | None]:
        """Each token's mention, None if it is in none; in a title mention
        around a name (``the Fundsmith founder``) the outer one."""
        self._mentions()
        if self._by_token is None:
            tokens = self.tokens
            ends = [t.end for t in tokens]
            out: list[Mention | None] = [None] * len(tokens)
            for m in self._ments:
                i = bisect_right(ends, m.start)
                while i < len(tokens) and tokens[i].start < m.end:
                    if out[i] is None:
                        out[i] = m
                    i += 1
            self._by_token = out
        return self._by_token

    def mention_of(self, i: int) -> Mention | None:
        return self.token_mentions[i]

    def entity_of(self, i: int) -> str | None:
        """The entity token ``i`` names, if any."""
        m = self.token_mentions[i]
        return m.entity if m is not None else None

    def etype(self, eid: str | None) -> str | None:
        e = self.doc.entities.get(eid or "")
        return e.type if e else None

    def span(self, s: Sentence) -> Span:
        return self.doc.span(s.start, s.end)
