"""Property tests: the quote finder and the whole pipeline never raise on
arbitrary text, and every span they report is a slice of the text."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.quotes import scan_marks
from dossier.structure import split_blocks

from conftest import run

# text rich in what trips parsers: every quote mark, apostrophes, line breaks,
# no-break spaces, digits, currency signs and capitalised names
PIECES = st.sampled_from([
    "«", "»", "“", "”", '"', "‘", "’", "'", "\n", "\n\n", "\u00a0", "\u202f", " ", ":", ".", ",", "—",
    "a déclaré", "said", "selon", "according to", "Il", "He", "Elon Musk", "OpenAI", "Sam Altman",
    "97,4 milliards de dollars", "$9.74 billion", "lundi 10 février 2025", "Non merci", "Paris", "x",
])
ARTICLES = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(ARTICLES, st.text(max_size=400)))
def test_quote_mark_scanner_never_raises_and_stays_in_the_text(text):
    for q in scan_marks(text, split_blocks(text)):
        assert 0 <= q.open <= q.start <= q.end <= q.close_end <= len(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ARTICLES, st.sampled_from(["fr", "en"]))
def test_pipeline_never_raises_and_every_span_is_evidence(text, lang):
    if not text.strip():
        return
    run(text, lang=lang)  # run() checks text[start:end] for every reported fact
