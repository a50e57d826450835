"""The analysis pipeline: components registered by name, each declaring which
fields of the :class:`~dossier.model.Doc` it reads and which it writes.

Parsing is batched across articles (spaCy's ``nlp.pipe``); every component
then annotates one ``Doc`` at a time, in the order of ``DEFAULT``, starting
with ``ner``, the entity recogniser (another one is a component writing
``ner``; see ``dossier/ner.py``).
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional, Union

from . import nlp
from .lang import SUPPORTED
from .model import Article, Doc
from .structure import split_blocks, title_of

log = logging.getLogger("dossier")


@dataclass(frozen=True)
class Component:
    name: str
    func: Callable[[Doc], None]
    reads: tuple[str, ...]
    writes: tuple[str, ...]


REGISTRY: dict[str, Component] = {}

# name -> module that registers it; modules are imported on first use
MODULES = {
    "ner": "dossier.ner",
    "entities": "dossier.entities",
    "amounts": "dossier.amounts",
    "dates": "dossier.amounts",
    "quotes": "dossier.quotes",
    "events": "dossier.events",
    "relations": "dossier.relations",
    "titles": "dossier.titles",
    "stances": "dossier.stances",
}
# titles need relations (who is whose CEO) and quotes need titles ("the OpenAI CEO said")
DEFAULT = ("ner", "entities", "amounts", "dates", "relations", "titles", "quotes", "events", "stances")
# what making the Doc and parsing provide before any component runs
PARSED = frozenset({"article", "language", "blocks", "tokens", "sentences"})
# the recogniser run when no chosen component writes "ner" but one reads it
RECOGNISER = "ner"
FIELDS = frozenset(f.name for f in dataclasses.fields(Doc))


def component(name: str, reads: Iterable[str] = (), writes: Iterable[str] = ()):
    """Register ``func(doc)`` as the component ``name``; ``reads`` and
    ``writes`` name fields of :class:`~dossier.model.Doc`."""
    reads, writes = tuple(reads), tuple(writes)
    unknown = [f for f in reads + writes if f not in FIELDS]
    if unknown:
        raise ValueError(f"component '{name}' declares {unknown}, which are not fields of Doc "
                         f"(fields: {', '.join(sorted(FIELDS))})")

    def deco(func: Callable[[Doc], None]) -> Callable[[Doc], None]:
        REGISTRY[name] = Component(name, func, reads, writes)
        return func

    return deco


def get(name: str) -> Component | None:
    if name not in REGISTRY and name in MODULES:
        importlib.import_module(MODULES[name])
    return REGISTRY.get(name)


def components(names: Iterable[str] = DEFAULT) -> list[Component]:
    """The named components, checked so that each reads only what parsing or
    an earlier component writes (a component may be left out: what it would
    have written then stays empty). Components reading ``ner`` with none
    writing it get the default recogniser first."""
    comps = [c for c in (get(n) for n in names) if c is not None]
    if any("ner" in c.reads for c in comps) and not any("ner" in c.writes for c in comps):
        comps.insert(0, get(RECOGNISER))  # type: ignore[arg-type]
    available = set(PARSED)
    for c in comps:
        late = [r for r in c.reads if r not in available and any(r in o.writes for o in comps)]
        if late:
            raise ValueError(f"component '{c.name}' reads {late} before the component that writes it")
        available |= set(c.writes)
    return comps


def make_doc(article: Article) -> Doc:
    """A Doc with its language chosen and its blocks split; raises ValueError
    for an unsupported language."""
    from . import language  # noqa: PLC0415  (readers helper module)
    lang = language.choose(article.language, article.text)
    if lang not in SUPPORTED:
        raise ValueError(lang)
    doc = Doc(article=article, language=lang)
    doc.blocks = split_blocks(article.text)
    if not article.title:
        article.title = title_of(article.text, doc.blocks)
    return doc


def analyse(docs: list[Doc], names: Iterable[str] = DEFAULT, n_process: int = 1) -> list[Doc]:
    """Parse a batch of docs and run every component on each."""
    if n_process <= 1:
        return [d for group in analyse_iter(docs, names) for d in group]
    nlp.parse(docs, n_process=n_process)
    comps = components(names)
    for d in docs:
        for c in comps:
            c.func(d)
    return docs


Budget = Union[float, Callable[[Doc], Optional[float]], None]


def analyse_iter(docs: list[Doc], names: Iterable[str] = DEFAULT, budget: Budget = None,
                 over: Callable[[Doc], None] | None = None) -> Iterator[list[Doc]]:
    """:func:`analyse`, yielding the docs (in input order) a few at a time, as
    soon as their spaCy minibatch is parsed and annotated, so that they can be
    stored and counted while the rest is parsed.

    ``budget``: the seconds of analysis a doc may take, parsing its blocks and
    running the components, or a function giving them for a doc (None: no
    limit). It is checked between spaCy minibatches (of at most
    ``nlp.BATCH_CHARS`` characters) and between components, so a doc stops at
    most one minibatch or one component after its budget. A doc over it is not
    yielded: ``over(doc)`` is called instead, after the docs before it were
    yielded (input order kept); without ``over``, :class:`OverBudget` is
    raised."""
    comps = components(names)
    limits: dict[int, float] = {}
    for d in docs if budget is not None else ():
        seconds = budget(d) if callable(budget) else budget
        if seconds is not None:
            limits[id(d)] = seconds
    if not limits:
        for group in nlp.parse_iter(docs):
            for d in group:
                for c in comps:
                    c.func(d)
            yield group
        return
    spent: dict[int, float] = {}
    for group in nlp.parse_iter(docs, spent, limits):
        out: list[Doc] = []
        for d in group:
            used, limit = spent.get(id(d), 0.0), limits.get(id(d), float("inf"))
            for c in comps:
                if used > limit:
                    break
                t = time.perf_counter()
                c.func(d)
                used += time.perf_counter() - t
            if used <= limit:
                out.append(d)
                continue
            if out:
                yield out
                out = []
            if over is None:
                raise OverBudget(d, limit)
            over(d)
        if out:
            yield out


class OverBudget(Exception):
    """A doc whose analysis took longer than its budget (``analyse_iter``)."""

    def __init__(self, doc: Doc, budget: float):
        super().__init__(f"{doc.article.path or doc.id}: analysis took longer than {budget:g} s")
        self.doc, self.budget = doc, budget


def analyse_texts(texts: Iterable[str | Article], names: Iterable[str] = DEFAULT) -> Iterator[Doc]:
    """Convenience for the Python API and tests: analyse raw texts or Articles."""
    docs = [make_doc(t if isinstance(t, Article) else Article(text=t)) for t in texts]
    yield from analyse(docs, names)
