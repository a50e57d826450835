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
        blocks.append(Block(start, end, kind))
    # A single-line article is a paragraph, not a title; a run of "headings"
    # with no paragraph at all means the text has no final punctuation at all
    # (tweets, transcripts): treat every block as a paragraph.
    if not any(b.kind == "paragraph" for b in blocks):
        for b in blocks:
            b.kind = "paragraph"
    return blocks


def title_of(text: str, blocks: list[Block]) -> str | None:
    for b in blocks:
        if b.kind == "title":
            return text[b.start : b.end]
    return None
