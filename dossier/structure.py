"""Article structure: split plain text into blocks and tell the title and
section headings from paragraphs.

News exported as plain text keeps its headings as short lines without final
punctuation (``Contexte de l’offre pendant le sommet mondial sur l’IA``).
spaCy's NER reads Title Case headings as names, so headings are kept as
structure and their entities are only trusted when the body confirms them.
"""

from __future__ import annotations

import re

from .model import Block

_FINAL_PUNCT = tuple(".!?;:…»\"”’)")
_MAX_HEADING_CHARS = 140
_MAX_HEADING_WORDS = 16
_MAX_TITLE_CHARS = 220
# a first line ending in a quote mark is a title only when short
_MAX_QUOTED_TITLE_CHARS = 90
# Longest block handed to spaCy in one piece (its own limit is 1,000,000
# characters, and memory grows with the piece); documented in docs/cli.md.
MAX_BLOCK_CHARS = 20_000
_LINE = re.compile(r"[^\n]+")


def is_heading_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > _MAX_HEADING_CHARS:
        return False
    if s.endswith(_FINAL_PUNCT) or s[0] in "«\"“‘'-–—•*":
        return False
    if len(s.split()) > _MAX_HEADING_WORDS:
        return False
    # a heading starts with a capital letter or a digit
    return s[0].isupper() or s[0].isdigit()


def split_blocks(text: str) -> list[Block]:
    """One block per non-empty line; the first short unpunctuated line is the title."""
    blocks: list[Block] = []
    for m in _LINE.finditer(text):
        line = m.group()
        lead = len(line) - len(line.lstrip())
        start, end = m.start() + lead, m.start() + len(line.rstrip())
        if start >= end:
            continue
        s = text[start:end]
        if not blocks and len(s) <= _MAX_TITLE_CHARS and not s.endswith((".", ";", "…")) and (
            not s.endswith(_FINAL_PUNCT) or len(s) <= _MAX_QUOTED_TITLE_CHARS
        ):
            kind = "title"
        elif is_heading_line(s):
            kind = "heading"
        else:
            kind = "paragraph"
        if end - start <= MAX_BLOCK_CHARS:
            blocks.append(Block(start, end, kind))
        else:
            blocks.extend(Block(a, b, "paragraph") for a, b in _pieces(text, start, end))
    # A single-line article is a paragraph, not a title; a run of "headings"
    # with no paragraph at all means the text has no final punctuation at all
    # (tweets, transcripts): treat every block as a paragraph.
    if not any(b.kind == "paragraph" for b in blocks):
        for b in blocks:
            b.kind = "paragraph"
    return blocks


def _pieces(text: str, start: int, end: int):
    """Cut an over-long line (a whole article on one line, a data dump) into
    pieces of at most MAX_BLOCK_CHARS, at a sentence end or a space where one
    is near, so parsing time and memory stay bounded."""
    while end - start > MAX_BLOCK_CHARS:
        cut = start + MAX_BLOCK_CHARS
        window = text[cut - MAX_BLOCK_CHARS // 4 : cut]
        at = max(window.rfind(". "), window.rfind("? "), window.rfind("! "))
        if at >= 0:
            cut = cut - MAX_BLOCK_CHARS // 4 + at + 1
        else:
            sp = window.rfind(" ")
            cut = cut - MAX_BLOCK_CHARS // 4 + sp if sp > 0 else cut
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        yield start, end


def title_of(text: str, blocks: list[Block]) -> str | None:
    for b in blocks:
        if b.kind == "title":
            return text[b.start : b.end]
    return None
