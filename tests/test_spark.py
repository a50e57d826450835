"""Spark builds (local[2]) then ``load`` give the same story as a local build."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from dossier.build import build
from dossier.errors import DossierError
from dossier.export import story
from dossier.store import Store

from pg import ARTICLES, canonical, usable_components, write_jsonl

pytest.importorskip("pyspark", reason="Spark builds need pyspark (pip install 'dossier[spark]')")
pytest.importorskip("pyarrow", reason="Spark builds need pyarrow (pip install 'dossier[spark]')")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs Java (apt-get install openjdk-17-jre-headless)", allow_module_level=True)

from dossier import spark as S  # noqa: E402

GERMAN = ("Die Bundesregierung hat am Dienstag ein Hilfspaket in Höhe von zwei Milliarden Euro für die von der "
          "Dürre betroffenen Landwirte vorgestellt. Der Minister will am Donnerstag die Regionen besuchen.")


@pytest.fixture(scope="module")
def spark():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = S.session("local[2]", app="dossier-tests", conf={
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.driver.memory": "1g",
    })
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("spark")


@pytest.fixture(scope="module")
def corpus(work):
    """The articles, a duplicate, a German one, a blank line and a broken line."""
    path = write_jsonl(work / "articles.jsonl", [*ARTICLES[:3], ARTICLES[0], *ARTICLES[3:],
                                                  {"text": GERMAN, "language": "de"}])
    with open(path, "a", encoding="utf-8") as f:
        f.write("\n{not json\n")
    return path


@pytest.fixture(scope="module")
def local(corpus, work):
    with Store(work / "local.db") as st:
        report = build([corpus], st, components=usable_components())
        assert (report.stored, report.unchanged, report.skipped, report.failed) == (len(ARTICLES), 1, 1, 1)
        return canonical(story(st))


@pytest.fixture(scope="module")
def built(spark, corpus, work):
    out = str(work / "out")
    report = S.spark_build(spark, corpus, out, components=usable_components())
    return out, report


def test_spark_build_report(built):
    _, report = built
    assert (report.documents, report.duplicates, report.skipped, report.failed) == (len(ARTICLES), 1, 1, 1)
    assert any("'de' is not supported" in m for m in report.messages)
    assert any(":10: line is not valid JSON" in m for m in report.messages)  # numbered as the local reader does


def test_load_gives_the_local_story_and_is_idempotent(built, local, work):
    out, _ = built
    with Store(work / "loaded.db") as st:
        first = S.load(out, st)
        assert (first.stored, first.unchanged) == (len(ARTICLES), 0)
        assert canonical(story(st)) == local
        counts = st.counts()
        again = S.load(out, st)
        assert (again.stored, again.unchanged) == (0, len(ARTICLES))
        assert st.counts() == counts and canonical(story(st)) == local


def test_one_row_of_facts_per_article(built):
    import pyarrow.parquet as pq

    out, _ = built
    table = pq.read_table(os.path.join(out, "documents"))
    assert table.num_rows == len(ARTICLES)
    assert set(S.fact_tables()) <= set(table.column_names)
    rows = table.to_pylist()
    assert [r["input_line"] for r in rows] == sorted(r["input_line"] for r in rows)  # in input order
    for r in rows:
        for m in json.loads(r["mentions"]):  # the store's rows: evidence offsets into the text
            assert r["text"][m["char_start"]:m["char_end"]] == m["text"]


def test_entity_table_is_grouped_by_content_id(built, work):
    import pyarrow.parquet as pq

    out, _ = built
    entities = pq.read_table(os.path.join(out, "entities")).to_pylist()
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids)) > 0
    with Store(work / "local.db") as st:
        stored = {r["id"]: (r["name"], r["type"]) for r in st.iter_table("entities")}
        mentions = {r["entity"]: r["n"] for r in st.rows("SELECT entity, COUNT(*) AS n FROM mentions GROUP BY entity")}
    assert {e["id"]: (e["name"], e["type"]) for e in entities} == stored
    assert {e["id"]: e["mentions"] for e in entities if e["mentions"]} == mentions
    assert any(e["documents"] > 1 for e in entities)  # linked across articles


def test_parquet_input(spark, work, local):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{k: a.get(k) for k in ("text", "title", "url", "published", "language", "source")} for a in ARTICLES]
    pq.write_table(pa.Table.from_pylist(rows), work / "articles.parquet")
    out = str(work / "from-parquet")
    report = S.spark_build(spark, str(work / "articles.parquet"), out, components=usable_components())
    assert (report.documents, report.failed) == (len(ARTICLES), 0)
    with Store(work / "from-parquet.db") as st:
        assert S.load(out, st).stored == len(ARTICLES)
        got = canonical(story(st))
    for d in got["documents"]:
        assert d.pop("path").endswith(("articles.parquet:1", "articles.parquet:2", "articles.parquet:3",
                                       "articles.parquet:4", "articles.parquet:5", "articles.parquet:6"))
    expected = dict(local, documents=[{k: v for k, v in d.items() if k != "path"} for d in local["documents"]])
    assert canonical(got) == canonical(expected)


def test_existing_output_is_not_overwritten(spark, built, corpus):
    out, _ = built
    with pytest.raises(DossierError, match="already exists"):
        S.spark_build(spark, corpus, out, components=("entities",))


def test_load_cli(built, work):
    from typer.testing import CliRunner

    from dossier.cli import app

    out, _ = built
    db = str(work / "cli.db")
    result = CliRunner().invoke(app, ["load", out, "--db", db])
    assert result.exit_code == 0, result.output
    assert f"{len(ARTICLES)} stored" in result.output
    result = CliRunner().invoke(app, ["load", str(work / "nothing-here"), "--db", db])
    assert result.exit_code == 2


# -- the cross-article story as Spark jobs -----------------------------------------

def _link_rows(st) -> dict[str, list[tuple]]:
    from dossier.linking import LINK_TABLES

    return {t: sorted(tuple(r.values()) for r in st.rows(f"SELECT {', '.join(c)} FROM {t}"))
            for t, c in LINK_TABLES.items()}


def _linking_docs() -> list:
    """Articles that exercise every linking rule: spellings and aliases, a lone
    surname with shared context, two Smiths kept apart, a person named by a
    title, a mistyped name outvoted, one bid told with two amounts and once
    without its bidder, a quote
    translated, and the analysed bilingual story of tests/fixtures/story."""
    from pathlib import Path

    from dossier.build import _analyse_batch
    from dossier.model import Relation, content_id, fold
    from dossier.pipeline import make_doc as analysable
    from dossier.readers import read_paths
    from test_linking import EN1, EN2, FR1, make_doc, offer

    musk, openai = ("Elon Musk", "PERSON", "Elon Musk"), ("OpenAI", "ORG", "OpenAI")
    docs = [
        make_doc(FR1, [musk, openai], [offer(97.4e9, FR1)]),
        make_doc(EN1, [("Open AI", "ORG", "Open AI"), musk], [offer(97.4e9, EN1[: EN1.index(",")], target="Open AI")]),
        make_doc(EN2, [musk, openai], [offer(98e9, EN2)]),
        make_doc("Mira Murati a quitté OpenAI.", [("Mira Murati", "PERSON", "Mira Murati"), openai]),
        make_doc("Murati a fondé une société après OpenAI.", [("Murati", "PERSON", "Murati"), openai]),
        make_doc("John Smith works at Acme. Jane Smith works at Globex.",
                 [("John Smith", "PERSON", "John Smith"), ("Jane Smith", "PERSON", "Jane Smith")]),
        make_doc("Smith said Acme would grow.", [("Smith", "PERSON", "Smith"), ("Acme", "ORG", "Acme")]),
        *[make_doc(f"OpenAI a publié un rapport numéro {i}.", [openai]) for i in range(4)],
        make_doc("Altman says OpenAI is not for sale.", [("OpenAI", "PERSON", "OpenAI")]),
        # a report naming no bidder joins the one bid it fits
        make_doc("L'offre pour OpenAI fait débat.", [openai],
                 [("acquisition_offer", [], ["OpenAI"], None, None, "L'offre pour OpenAI fait débat.")]),
        make_doc("Sam Altman a répondu : Non merci, mais nous rachèterons Twitter pour 9,74 milliards de dollars.",
                 [("Sam Altman", "PERSON", "Sam Altman")],
                 quotes=[("Sam Altman", "Non merci, mais nous rachèterons Twitter pour 9,74 milliards de dollars.")]),
        make_doc("Sam Altman wrote: no thank you but we will buy twitter for $9.74 billion.",
                 [("Sam Altman", "PERSON", "Sam Altman")],
                 quotes=[("Sam Altman", "no thank you but we will buy twitter for $9.74 billion.")]),
    ]
    ceo = make_doc("Sam Altman is the CEO of OpenAI.", [("Sam Altman", "PERSON", "Sam Altman"), openai])
    ceo.relations.append(Relation(content_id("ent", "PERSON", fold("Sam Altman")), "ceo_of",
                                  content_id("ent", "ORG", fold("OpenAI")), [ceo.span(0, 32)]))
    titled = make_doc("The OpenAI CEO turned the offer down.", [("the OpenAI CEO", "PERSON", "The OpenAI CEO"), openai])
    next(e for e in titled.entities.values() if e.type == "PERSON").role = ("ceo_of", content_id("ent", "ORG", fold("OpenAI")))
    story = Path(__file__).parent / "fixtures" / "story"
    analysed = _analyse_batch([analysable(a) for a in read_paths(sorted(story.iterdir()))], usable_components(),
                              lambda msg, skipped: None)
    return [*docs, ceo, titled, *analysed]


@pytest.fixture(scope="module")
def linking_case(spark, work):
    from dossier.linking import link
    from dossier.spark_linking import link as spark_link

    docs = _linking_docs()
    with Store(work / "linking-local.db") as st:
        for d in docs:
            st.write(d)
        link(st)
        expected = _link_rows(st), canonical(story(st))
    out = str(work / "linking-out")
    S.write_facts(docs, out)
    counts = spark_link(spark, spark.read.parquet(out + "/documents"), out)
    return docs, out, counts, expected


def test_spark_linking_gives_the_local_links(linking_case, work):
    docs, out, counts, (rows, data) = linking_case
    assert {t: len(r) for t, r in rows.items()} == counts
    # every rule fired: a title match, a surname, an alias, the majority type, a contradiction, a statement
    reasons = " | ".join(r[2] or "" for r in rows["entity_links"])
    for rule in ("title match", "surname 'Murati'", "same normalised name", "majority type"):
        assert rule in reasons
    assert rows["contradictions"] and len({s for _, s in rows["statements"]}) < len(rows["statements"])
    with Store(work / "linking-loaded.db") as st:
        report = S.load(out, st)
        assert (report.stored, report.links) == (len(docs), "copied")
        assert _link_rows(st) == rows
        assert canonical(story(st)) == data


def test_load_into_a_store_with_other_articles_links_them_together(linking_case, work):
    from dossier.linking import link, stale

    docs, out, _, (rows, data) = linking_case
    with Store(work / "linking-mixed.db") as st:
        for d in docs[:5]:  # already there: the new articles must be related to these
            st.write(d)
        link(st)
        report = S.load(out, st)
        assert (report.stored, report.unchanged, report.links) == (len(docs) - 5, 5, "linked in the store")
        assert not stale(st) and _link_rows(st) == rows


def test_spark_build_cli(corpus, work):
    """Last: the command stops the (shared) Spark session when it is done."""
    from typer.testing import CliRunner

    from dossier.cli import app

    result = CliRunner().invoke(app, ["spark-build", corpus, str(work / "cli-out")])
    assert "articles analysed" in result.output, result.output
    assert result.exit_code == 1  # the broken line counts as failed, as in dossier build
    result = CliRunner().invoke(app, ["spark-build", corpus, str(work / "cli-out")])
    assert result.exit_code == 2 and "already exists" in result.output

