"""The documentation cannot drift from the code.

- docs/cli.md documents exactly the commands, options and arguments of the
  real ``dossier`` command (read from the typer app, so new commands are
  caught), and every ``dossier …`` line in the docs uses real ones;
- the Python blocks of docs/python-api.md run;
- the SQL blocks run against a store; the SPARQL against an RDF export;
- docs/data-model.md lists every table and column of the store and every key
  of the JSON export; docs/formats.md every format and the exact Neo4j command;
- the gold file of docs/howto.md is accepted by ``dossier eval``;
- relative links point to files that exist.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from dossier.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CLI_MD = DOCS / "cli.md"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def real_commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    return dict(group.commands)


def real_interface(cmd) -> tuple[set[str], set[str]]:
    """(options, ARGUMENTS) of a click command, --help excluded."""
    options, arguments = set(), set()
    for p in cmd.params:
        if p.param_type_name == "argument":
            arguments.add(p.name.upper())
        else:
            options.update(o for o in (*p.opts, *p.secondary_opts) if o != "--help")
    return options, arguments


def sections(text: str, level: str = "## ") -> dict[str, str]:
    """Heading -> body, for the headings of one level; a heading of a higher
    level ends a section. Code blocks are not searched for headings."""
    depth = len(level.strip())
    out: dict[str, str] = {}
    current = None
    fenced = False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        m = None if fenced else re.match(r"^(#+) ", line)
        if m and len(m.group(1)) <= depth:
            current = line[len(level):].strip() if len(m.group(1)) == depth else None
            if current is not None:
                out[current] = ""
        elif current is not None:
            out[current] += line + "\n"
    return out


def documented_interface(section: str) -> tuple[set[str], set[str]]:
    """Options and ARGUMENTS named in the first cell of the section's table rows."""
    options, arguments = set(), set()
    for line in section.splitlines():
        if not line.startswith("|") or line.startswith("| ---"):
            continue
        first = line.split("|")[1]
        for token in re.findall(r"`([^`]+)`", first):
            word = token.split()[0]
            if word.startswith("-"):
                options.add(word)
            elif re.fullmatch(r"[A-Z][A-Z_]*", word):
                arguments.add(word)
    return options, arguments


def cli_sections() -> dict[str, str]:
    out = {}
    for title, body in sections(CLI_MD.read_text(encoding="utf-8")).items():
        m = re.fullmatch(r"`?dossier ([a-z][a-z-]*)`?", title)
        if m:
            out[m.group(1)] = body
    return out


def code_blocks(path: Path, lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", path.read_text(encoding="utf-8"), flags=re.S | re.M)


# -- the command line reference ----------------------------------------------------


def test_cli_md_documents_every_command_and_only_real_ones():
    real = real_commands()
    documented = cli_sections()
    assert set(documented) == set(real), (
        f"undocumented commands: {sorted(set(real) - set(documented))}; "
        f"documented but absent: {sorted(set(documented) - set(real))}")


@pytest.mark.parametrize("name", sorted(real_commands()))
def test_cli_md_documents_every_option_of(name):
    cmd = real_commands()[name]
    section = cli_sections().get(name)
    assert section is not None, f"docs/cli.md has no '## dossier {name}' section"
    options, arguments = real_interface(cmd)
    doc_options, doc_arguments = documented_interface(section)
    assert doc_options == options, (
        f"dossier {name}: undocumented {sorted(options - doc_options)}, "
        f"documented but absent {sorted(doc_options - options)}")
    assert doc_arguments == arguments, f"dossier {name}: arguments {sorted(arguments)} vs docs {sorted(doc_arguments)}"
    # and the real --help shows the same options
    r = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    helptext = ANSI.sub("", r.output)
    for opt in options:
        assert opt in helptext, f"{opt} missing from 'dossier {name} --help'"


def test_top_level_help_lists_every_command():
    r = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200", "NO_COLOR": "1"})
    assert r.exit_code == 0
    for name in real_commands():
        assert name in ANSI.sub("", r.output)


def shell_invocations() -> list[tuple[str, str]]:
    """(file, command line) for every 'dossier …' line in a shell block of the docs and README."""
    out = []
    for path in [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]:
        for block in code_blocks(path, "(?:bash|sh|console)"):
            joined = block.replace("\\\n", " ")
            for line in joined.splitlines():
                line = line.split(" #")[0].strip().lstrip("$ ")
                m = re.match(r"^(?:\S*/)?dossier (.*)$", line)
                if m:
                    out.append((path.name, m.group(1)))
    return out


def test_every_dossier_invocation_in_the_docs_is_valid():
    real = real_commands()
    seen = 0
    for where, line in shell_invocations():
        words = shlex.split(line.split("&&")[0].split(">")[0])
        assert words[0] in real, f"{where}: 'dossier {line}' uses an unknown command"
        options, _ = real_interface(real[words[0]])
        for w in words[1:]:
            if w.startswith("-") and not re.fullmatch(r"-\d.*", w):
                assert w.split("=")[0] in options, f"{where}: 'dossier {line}': {w} is not an option of {words[0]}"
        seen += 1
    assert seen >= 20


# -- Python API ------------------------------------------------------------------------


def test_python_api_examples_run(tmp_path, monkeypatch):
    pytest.importorskip("networkx")
    pytest.importorskip("rdflib")
    blocks = [b for b in code_blocks(DOCS / "python-api.md", "python") if not b.startswith("# not run")]
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"python-api.md block {i + 1}", "exec"), namespace)
        except Exception as exc:  # name the block that failed
            raise AssertionError(f"python-api.md block {i + 1} failed: {type(exc).__name__}: {exc}\n{block}") from exc
    assert (tmp_path / "story.graphml").exists() and (tmp_path / "tables" / "events.csv").exists()


def test_python_api_documents_the_public_functions():
    text = (DOCS / "python-api.md").read_text(encoding="utf-8")
    for name in ("dossier.store.open_store", "dossier.build.build_texts", "dossier.build.build",
                 "dossier.export.story", "dossier.formats.export", "dossier.importer.import_json"):
        assert f"`{name}`" in text, name


# -- data model, formats ----------------------------------------------------------------


def test_data_model_lists_every_table_and_column(tmp_path):
    from dossier.store import open_store

    store = open_store(tmp_path / "empty.db")
    tables = {r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    text = (DOCS / "data-model.md").read_text(encoding="utf-8")
    documented = {m: body for m, body in ((re.fullmatch(r"`(\w+)`", t), b) for t, b in sections(text, "### ").items())
                  if m for m in [m.group(1)]}
    assert set(documented) == tables, (f"undocumented tables: {sorted(tables - set(documented))}; "
                                       f"documented but absent: {sorted(set(documented) - tables)}")
    for table in tables:
        cols = {r["name"] for r in store.rows(f"PRAGMA table_info({table})")}
        doc_cols = set()
        for line in documented[table].splitlines():
            if line.startswith("|") and not line.startswith("| ---"):
                doc_cols.update(re.findall(r"`(\w+)`", line.split("|")[1]))
        assert doc_cols == cols, f"{table}: columns {sorted(cols)} vs documented {sorted(doc_cols)}"
    store.close()


def test_data_model_gives_the_schema_version_and_every_foreign_key(tmp_path):
    from dossier.store import SCHEMA_VERSION, open_store

    text = sections((DOCS / "data-model.md").read_text(encoding="utf-8"))["The SQLite store"]
    assert f"Schema version {SCHEMA_VERSION} " in text
    documented = set()
    for line in text.split("\n### ")[0].splitlines():
        if line.startswith("| `") and line.count("|") == 3:
            columns, parent = line.split("|")[1:3]
            (target,) = re.findall(r"`(\w+)\.id`", parent)
            documented |= {(*c.split("."), target) for c in re.findall(r"`(\w+\.\w+)`", columns)}
    store = open_store(tmp_path / "empty.db")
    real = {(t, r["from"], r["table"]) for t in (r["name"] for r in store.rows(
        "SELECT name FROM sqlite_master WHERE type = 'table'")) for r in store.rows(f"PRAGMA foreign_key_list({t})")}
    store.close()
    assert documented == real, (f"undocumented: {sorted(real - documented)}; "
                                f"documented but absent: {sorted(documented - real)}")


def test_data_model_lists_every_key_of_the_json_export():
    schema = json.loads((ROOT / "dossier" / "schema" / "dossier.schema.json").read_text(encoding="utf-8"))
    text = sections((DOCS / "data-model.md").read_text(encoding="utf-8"))["The JSON export"]
    rows = {re.findall(r"`(\w+)`", line.split("|")[1])[0] for line in text.splitlines()
            if line.startswith("| `")}
    assert rows == set(schema["properties"])


def test_formats_md_covers_every_format_and_the_exact_neo4j_command():
    from dossier.formats import FORMATS, neo4j_admin_command

    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    heads = " ".join(sections(text))
    for f in FORMATS:
        assert f"`{f}`" in heads, f"docs/formats.md has no section for {f}"
    assert neo4j_admin_command("neo4j", "out/neo4j-import") in text
    for iri_kind in ("entity", "doc", "event", "quote", "relation", "stance"):
        assert f"urn:dossier:{iri_kind}:" in text


def hand_store(path: Path):
    from test_formats import doc_en, doc_fr, make_store

    return make_store(path, [doc_en(), doc_fr()])


def test_sql_in_the_docs_runs(tmp_path):
    store = hand_store(tmp_path / "s.db")
    ran = 0
    for path in sorted(DOCS.glob("*.md")):
        for block in code_blocks(path, "sql"):
            rows = store.rows(block)
            assert isinstance(rows, list)
            ran += 1
    assert ran >= 4
    evidence = store.rows(code_blocks(DOCS / "howto.md", "sql")[-1])
    assert {"subject": "Sam Altman", "predicate": "ceo_of", "object": "OpenAI",
            "evidence": "Sam Altman, the chief executive of OpenAI"} in evidence
    store.close()


def test_sparql_in_formats_md_finds_the_offer(tmp_path):
    rdflib = pytest.importorskip("rdflib")
    from dossier.formats import export

    store = hand_store(tmp_path / "s.db")
    g = rdflib.Graph().parse(data=export(store, "turtle"), format="turtle")
    (query,) = code_blocks(DOCS / "formats.md", "sparql")
    assert [(str(a), float(b), str(c), str(d)) for a, b, c, d in g.query(query)] == [
        ("Elon Musk", 97.4e9, "USD", "OpenAI")]
    store.close()


# -- the docs' example runs from the repository alone --------------------------------------
# (a clone has no ../shared: the example article is examples/arvel-cyclonaut-fr.txt,
# its gold file docs/gold/arvel-cyclonaut-fr.json)

EXAMPLE = ROOT / "examples" / "arvel-cyclonaut-fr.txt"
EXAMPLE_GOLD = DOCS / "gold" / "arvel-cyclonaut-fr.json"
RUN_ENV = {"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"}


def shell_blocks(path: Path, heading: str | None = None, level: str = "## ") -> list[str]:
    text = path.read_text(encoding="utf-8")
    if heading is not None:
        text = next(body for title, body in sections(text, level).items() if title.startswith(heading))
    return re.findall(r"^```(?:bash|sh)\n(.*?)^```", text, flags=re.S | re.M)


def doc_commands(path: Path, heading: str | None = None, level: str = "## ") -> list[str]:
    """The ``dossier …`` lines of the shell blocks of ``path`` (of one section)."""
    lines = [line.strip() for b in shell_blocks(path, heading, level) for line in b.replace("\\\n", " ").splitlines()]
    return [line for line in lines if line.startswith("dossier ")]


def run_in(cwd: Path, line: str) -> subprocess.CompletedProcess:
    """One documented command line, verbatim, by bash in ``cwd``, ``dossier``
    being this checkout's (``python -m dossier.cli``)."""
    bin_dir = cwd / ".bin"
    if not (bin_dir / "dossier").exists():
        bin_dir.mkdir(exist_ok=True)
        (bin_dir / "dossier").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m dossier.cli "$@"\n', encoding="utf-8")
        (bin_dir / "dossier").chmod(0o755)
    env = {**os.environ, **RUN_ENV, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


def gitignored(rel: str, patterns: list[str]) -> bool:
    """Whether .gitignore's ``patterns`` (the forms it uses: ``*.db``, ``dir/``,
    ``/out/``) ignore the file ``rel`` (a path relative to the root)."""
    from fnmatch import fnmatch

    parts = rel.split("/")
    for raw in patterns:
        dir_only, pat = raw.endswith("/"), raw.strip("/")
        n = len(parts) - 1 if dir_only else len(parts)  # a directory pattern matches a parent
        if raw.startswith("/") or "/" in pat:
            if any(fnmatch("/".join(parts[: i + 1]), pat) for i in range(n)):
                return True
        elif any(fnmatch(parts[i], pat) for i in range(n)):
            return True
    return False


def ignore_patterns() -> list[str]:
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".bin" not in p.parts}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """What a clone holds that the docs' commands read (examples/, docs/gold/,
    .gitignore), and nothing else: no ../shared beside it. Returns the folder
    and its files before any command ran."""
    import shutil

    root = tmp_path_factory.mktemp("clone") / "dossier"
    shutil.copytree(ROOT / "examples", root / "examples")
    shutil.copytree(DOCS / "gold", root / "docs" / "gold")
    shutil.copy(ROOT / ".gitignore", root / ".gitignore")
    assert not (root.parent / "shared").exists()
    return root, files_under(root)


def documented_eval_table() -> dict[str, tuple]:
    """section -> (precision, recall, F1, found, gold, system), as docs/howto.md shows them."""
    (block,) = [b for b in code_blocks(DOCS / "howto.md", "text") if "dossier eval" in b and "overall" in b]
    rows = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip("│").split("│")] if line.startswith("│") else []
        if len(cells) == 6 and "/" in cells[4]:
            found, gold = cells[4].split("/")
            rows[cells[0]] = (float(cells[1]), float(cells[2]), float(cells[3]), int(found), int(gold), int(cells[5]))
    return rows


def test_the_docs_example_runs_from_the_repository_alone(checkout):
    """Quickstart 2 to 5 and the README's commands, verbatim, in a folder holding
    only what the repository ships: each succeeds, and everything they write is
    ignored by git (following the docs leaves no untracked file)."""
    root, before = checkout
    quickstart = DOCS / "quickstart.md"
    lines = [*doc_commands(quickstart, "2."), *doc_commands(quickstart, "3."), *doc_commands(quickstart, "4."),
             *doc_commands(quickstart, "5."), *doc_commands(ROOT / "README.md", "Using it"),
             *doc_commands(DOCS / "howto.md", "The example article", "### ")]
    skip = ("dossier serve", "dossier build PATH", "dossier build big.jsonl")  # a server; placeholders
    runnable = [line for line in lines if not line.startswith(skip)]
    assert any(line.startswith("dossier eval docs/gold/") for line in runnable)
    assert len(runnable) >= 15
    for line in runnable:
        r = run_in(root, line)
        assert r.returncode == 0, f"{line!r} failed ({r.returncode}):\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}"
        if line.startswith("dossier build examples"):
            assert " 0 skipped, 0 failed" in r.stdout, r.stdout + r.stderr  # nothing in examples/ is not an article
        if line.startswith("dossier eval"):
            assert "overall (mean F1)" in r.stdout and "no article" not in r.stderr
    new = files_under(root) - before
    assert "out/story.json" in new and "dossier.db" in new
    patterns = ignore_patterns()
    untracked = sorted(f for f in new if not gitignored(f, patterns))
    assert not untracked, f"following the docs leaves files git would list as untracked: {untracked}"


def test_the_eval_table_of_the_howto_is_what_eval_prints(checkout):
    root, _ = checkout
    if not (root / "dossier.db").exists():
        assert run_in(root, "dossier build examples -q").returncode == 0
    r = run_in(root, "dossier eval docs/gold/arvel-cyclonaut-fr.json --json")
    assert r.returncode == 0, r.stderr
    scores = json.loads(r.stdout[: r.stdout.rindex("}") + 1])
    documented = documented_eval_table()
    assert set(documented) == set(scores)
    for section, shown in documented.items():
        s = scores[section]
        real = (round(s["precision"], 3), round(s["recall"], 3), round(s["f1"], 3), s["found"], s["gold"], s["system"])
        assert real == shown, f"{section}: docs/howto.md shows {shown}, eval gives {s}"
    # the example shows dossier working: every main fact of the article found
    assert all(s["recall"] == 1.0 for s in scores.values()), {k: s["missed"] for k, s in scores.items()}


def test_howto_shows_the_example_article_and_its_gold_file():
    howto = DOCS / "howto.md"
    article = next(b for b in code_blocks(howto, "text") if b.startswith("Le groupe Arvel"))
    assert article == EXAMPLE.read_text(encoding="utf-8")
    shown = json.loads(next(b for b in code_blocks(howto, "json") if '"document"' in b))
    gold = json.loads(EXAMPLE_GOLD.read_text(encoding="utf-8"))
    assert shown == gold
    # the gold file's document is relative to the folder holding gold/
    assert (EXAMPLE_GOLD.parent.parent / gold["document"]).resolve() == EXAMPLE.resolve()
    words = len(EXAMPLE.read_text(encoding="utf-8").split())
    assert 250 <= words <= 400, words
    # the vocabularies of the format
    assert {e["type"] for e in gold["entities"]} <= {"PERSON", "ORG", "LOC", "PRODUCT", "EVENT"}
    names = {n for e in gold["entities"] for n in (e["name"], *e["aliases"])}
    for ev in gold["events"]:
        assert ev["type"] in {"acquisition_offer", "acquisition", "offer_rejection", "fundraising", "investment",
                              "restructuring", "lawsuit", "appointment", "departure", "partnership",
                              "consortium_formation", "product_launch"}
        assert ev.get("modality", "asserted") in {"asserted", "planned", "possible", "negated", "reported"}
        assert {ev["agent"], ev.get("target", ev["agent"])} <= names
    for rel in gold["relations"]:
        assert {rel["subject"], rel["object"]} <= names
    for st in gold["stances"]:
        assert st["polarity"] in ("support", "oppose") and st["holder"] in names
    for a in gold["amounts"]:
        assert a["text"] in EXAMPLE.read_text(encoding="utf-8")
    for q in gold["quotes"]:
        assert q["text"] in EXAMPLE.read_text(encoding="utf-8") and q["speaker"] in names


def test_howto_loop_on_your_own_articles_runs_as_written(tmp_path):
    """The "Your own articles" commands, verbatim, on a folder laid out as the
    how-to says (here with the example article as "my-article")."""
    mine = tmp_path / "out" / "mine"
    (mine / "corpus").mkdir(parents=True)
    (mine / "gold").mkdir()
    (mine / "corpus" / "my-article.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    gold = json.loads(EXAMPLE_GOLD.read_text(encoding="utf-8"))
    gold["document"] = "corpus/my-article.txt"
    (mine / "gold" / "my-article.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    layout = next(b for b in code_blocks(DOCS / "howto.md", "text") if b.startswith("out/mine/"))
    assert "corpus/my-article.txt" in layout and '"document": "corpus/my-article.txt"' in layout
    lines = doc_commands(DOCS / "howto.md", "Your own articles", "### ")
    assert len(lines) == 3
    for line in lines:
        r = run_in(tmp_path, line)
        assert r.returncode == 0, f"{line!r}: {r.stdout[-1500:]} {r.stderr[-1500:]}"
    scores = json.loads((tmp_path / "out" / "scores.json").read_text(encoding="utf-8"))
    assert {"entities", "amounts", "quotes", "events", "relations", "stances"} <= set(scores)
    assert scores["amounts"]["found"] == 4 and scores["events"]["found"] >= 4


def test_no_doc_command_needs_the_shared_folder_or_writes_outside_ignored_paths():
    """Shell blocks never read ../shared (a clone has none), and each file a
    documented command writes (-o, --output, --db, a redirection) is one git ignores."""
    patterns = ignore_patterns()
    checked = 0
    for path in [*sorted(DOCS.glob("*.md")), ROOT / "README.md"]:
        for block in shell_blocks(path):
            assert "../shared" not in block, f"{path.name}: a command reads ../shared:\n{block}"
            for line in block.replace("\\\n", " ").splitlines():
                line = line.split(" #")[0]
                if not re.match(r"^\s*(dossier|python|chromium|sh) ", line):
                    continue
                for target in re.findall(r"(?:(?<=\s)-o|--output|--db|--screenshot=|>)\s*([^\s\"']+)", line):
                    if target.startswith(("/tmp/", "/dev/", "postgresql://", "$")):
                        continue
                    checked += 1
                    assert gitignored(target.lstrip("./"), patterns), \
                        f"{path.name}: '{line.strip()}' writes {target}, which git would list as untracked"
    assert checked >= 15
    readme_eval = [x for x in doc_commands(ROOT / "README.md", "Using it") if x.startswith("dossier eval")]
    assert readme_eval and all("../shared" not in x for x in readme_eval)


# -- links ---------------------------------------------------------------------------------------


def test_relative_links_point_to_files():
    for path in sorted(DOCS.glob("*.md")):
        for target in re.findall(r"\]\(([^)\s]+)\)", path.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            file = target.split("#")[0]
            assert (path.parent / file).exists(), f"{path.name}: broken link {target}"


def test_story_graph_picture_is_small_and_the_script_draws_svg(tmp_path):
    nx = pytest.importorskip("networkx")
    png = DOCS / "story-graph.png"
    assert png.exists() and png.stat().st_size < 300_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from dossier.formats import export

    store = hand_store(tmp_path / "s.db")
    export(store, "graphml", tmp_path / "g.graphml")
    store.close()
    r = subprocess.run([sys.executable, str(DOCS / "story_graph.py"), tmp_path / "g.graphml", "-o", tmp_path / "g.svg"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    svg = (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Elon Musk" in svg and "acquisition_offer" in svg
