"""Which language an article is in: the explicit one if given, else py3langid.

py3langid ships its model inside the package, so detection is offline.
"""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from dossier.lang import SUPPORTED

UNKNOWN = "und"  # ISO 639-2 "undetermined": no letters to judge by

# The sample: news puts its most typical prose first; a middle slice guards
# against a lede that is all names, figures or a quote in another language.
_HEAD_CHARS = 2000
_MIDDLE_CHARS = 1000
# Below this confidence the full model is guessing (short headlines spread
# their mass over related languages: oc, ca, wa, creoles, pcm...).
_AMBIGUOUS = 0.5
# ...and if fr+en keep at least this share of the winner's probability, the
# text is most likely one of ours, so the decision is restricted to them.
_COMPETITIVE = 0.5

# Sentences are voted on in pieces of this size: long enough for a reliable
# guess, short enough that a quoted passage in another language is its own vote.
_CHUNK_CHARS = 60
_SENTENCE_END = re.compile(r"(?<=[.!?»\"])\s+|\n+")
# Chinese varieties are reported as the macro-language, the only ISO 639-1 code.
_MACRO = {"wuu": "zh", "yue": "zh", "zxx": UNKNOWN}

# URLs, e-mails, handles and numbers carry no language but do carry n-grams.
_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#]\w+|\d[\d.,:/%-]*")

# Names people put in a `language` field, beyond ISO codes (639-1 and 639-2).
_ALIASES = {
    "french": "fr", "français": "fr", "francais": "fr", "fre": "fr", "fra": "fr",
    "english": "en", "anglais": "en", "eng": "en",
    "german": "de", "deutsch": "de", "allemand": "de", "ger": "de", "deu": "de",
    "spanish": "es", "español": "es", "espagnol": "es", "spa": "es",
    "italian": "it", "italiano": "it", "italien": "it", "ita": "it",
    "chinese": "zh", "chinois": "zh", "chi": "zh", "zho": "zh",
}


@lru_cache(maxsize=None)
def _identifier(restrict: tuple[str, ...] | None = None) -> LanguageIdentifier:
    # Loading the model takes ~1 s: once per process, and the restricted one is
    # a separate instance so the full one is never left restricted.
    # py3langid 0.4 renamed the loader; 0.3 (still allowed by pyproject) has the old one.
    load = getattr(LanguageIdentifier, "from_model_file", None) or LanguageIdentifier.from_pickled_model
    ident = load(MODEL_FILE, norm_probs=True)
    if restrict:
        ident.set_languages(list(restrict))
    return ident


def _sample(text: str) -> str:
    if len(text) <= _HEAD_CHARS + _MIDDLE_CHARS:
        sample = text
    else:
        mid = len(text) // 2
        sample = text[:_HEAD_CHARS] + "\n" + text[mid : mid + _MIDDLE_CHARS]
    return _NOISE.sub(" ", sample)


def _classify(sample: str) -> tuple[str, float]:
    ranked = _identifier().rank(sample)
    top, p_top = ranked[0]
    if top not in SUPPORTED and p_top < _AMBIGUOUS:
        probs = dict(ranked)
        if sum(probs.get(lang, 0.0) for lang in SUPPORTED) >= _COMPETITIVE * p_top:
            top, _ = _identifier(SUPPORTED).classify(sample)
            # Keep the full model's probability: the caller should see it was a guess.
            p_top = probs.get(top, 0.0)
    return _MACRO.get(top, top), p_top


def _chunks(sample: str) -> list[str]:
    """Sentences merged into pieces of at least _CHUNK_CHARS."""
    chunks: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(sample):
        current = f"{current} {sentence}" if current else sentence
        if len(current.strip()) >= _CHUNK_CHARS:
            chunks.append(current)
            current = ""
    if current.strip():
        if chunks and len(current.strip()) < _CHUNK_CHARS:
            chunks[-1] += " " + current  # a short tail joins its neighbour
        else:
            chunks.append(current)
    return chunks


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and confidence (0..1); ``('und', 0.0)`` without letters.

    Each chunk of the sample votes with its length, so an article mixing
    French and English gets the language of most of its text: classifying the
    whole sample at once favours whichever language has the more distinctive
    n-grams (French accents outweigh a longer English passage).
    """
    sample = _sample(text)
    if sum(c.isalpha() for c in sample) < 2:
        return UNKNOWN, 0.0
    votes: dict[str, float] = {}
    confidence: dict[str, float] = {}
    for chunk in _chunks(sample):
        lang, p = _classify(chunk)
        votes[lang] = votes.get(lang, 0.0) + len(chunk)
        confidence[lang] = confidence.get(lang, 0.0) + p * len(chunk)
    best = max(votes, key=lambda lang: (votes[lang], confidence[lang]))
    # Share of the text voting for it, weighted by how sure each vote was.
    return best, confidence[best] / sum(votes.values())


def normalise(language: str | None) -> str | None:
    """'fr', 'FR', 'fr-FR', 'fr_CA', 'french', 'fra' -> 'fr'; None if unusable."""
    if not language or not language.strip():
        return None
    key = language.strip().lower().replace("_", "-").split("-")[0]
    if key in _ALIASES:
        return _ALIASES[key]
    if len(key) == 2 and key.isascii() and key.isalpha():
        return key
    return None


def choose(article_language: str | None, text: str) -> str:
    """The explicit language if it names one, else the detected language."""
    return normalise(article_language) or detect(text)[0]
