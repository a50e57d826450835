"""The ``ner`` component: the parser's entity spans as NER hints (``doc.ner``).

spaCy's recogniser runs inside the parse (``nlp.py``), which marks its spans
on the tokens; this component turns them into :class:`~dossier.model.Mention`
objects for the entity stage. Another recogniser (rules, a lexicon, another
model) is a component writing ``ner`` too: registered with
:func:`dossier.pipeline.component` and named in the pipeline, beside this one
or instead of it.
"""

from __future__ import annotations

from .model import Doc, Mention
from .pipeline import component


@component("ner", reads=("tokens", "sentences"), writes=("ner",))
def spacy_ner(doc: Doc) -> None:
    text, tokens, sentences = doc.text, doc.tokens, doc.sentences
    n = len(tokens)
    i = 0
    while i < n:
        t = tokens[i]
        if t.ent_iob != "B":
            i += 1
            continue
        j = i + 1
        while j < n and tokens[j].ent_iob == "I":
            j += 1
        start, end = t.start, tokens[j - 1].end
        doc.ner.append(Mention(start, end, text[start:end], t.ent_label, heading=sentences[t.sent].heading))
        i = j
