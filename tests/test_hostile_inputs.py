"""Every hostile input at once, through the real command line.

One directory holds every kind of file that has broken a news pipeline
(empty, binary, mis-encoded, enormous, one endless line, HTML nested beyond
reason, scripts only, broken JSON Lines, languages dossier does not read,
symbolic link loops, unreadable entries) next to ordinary articles. One
``dossier build`` on it must: name every bad file with its reason, store every
good article, exit 1, never print a traceback, and finish in bounded time.
All the text below was written for this test.
"""

from __future__ import annotations

import codecs
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dossier.readers import MAX_CHARS
from dossier.store import open_store
from dossier.structure import MAX_BLOCK_CHARS

# A hang guard, not a benchmark: the run takes well under a minute of analysis
# on two cores; ten times that still fails fast when something loops.
TIME_BOUND_S = 240

LATIN1 = (
    "Le maire de Nantes présente son budget\n\n"
    "Le conseil municipal de Nantes a adopté jeudi soir un budget de 612 millions d'euros "
    "pour l'année prochaine, a indiqué la mairie dans un communiqué.\n"
    "« Nous ne toucherons pas aux impôts locaux », a déclaré Johanna Rolland, maire de Nantes, "
    "devant les élus réunis à l'hôtel de ville.\n"
)
CP1252 = (
    "L’usine Michelin de Cholet réduit sa production\n\n"
    "Le groupe Michelin a annoncé mardi qu’il réduirait de moitié la production de son usine "
    "de Cholet, faute de commandes suffisantes en Europe.\n"
    "« C’est un coup dur pour toute la région », a réagi Gilles Bourdouleix, maire de Cholet. "
    "Le plan coûtera 45 millions d’euros, selon la direction, qui promet des reclassements.\n"
)
UTF16 = (
    "Airbus livre son centième A321 de l'année\n\n"
    "Le constructeur aéronautique Airbus a livré vendredi à Toulouse son centième A321 de "
    "l'année à la compagnie Air France, a indiqué l'entreprise.\n"
    "« La cadence reste notre priorité », a expliqué Guillaume Faury, président exécutif d'Airbus, "
    "lors d'une visite du site de Blagnac.\n"
)
MIXED_ENDINGS = (
    "Le Crédit Agricole rachète une banque belge\r\n\r\n"
    "Le Crédit Agricole a annoncé lundi le rachat de la banque belge Degroof Petercam "
    "pour 1,2 milliard d'euros.\n"
    "« Cette opération renforce notre présence en Europe », a déclaré Philippe Brassac, "
    "directeur général du groupe, lors d'une conférence téléphonique.\r"
    "L'accord doit encore être approuvé par les autorités de la concurrence.\n"
)
FR_AND_EN = (
    "Sanofi et Regeneron s'associent pour un nouveau traitement\n\n"
    "Le laboratoire Sanofi a annoncé mercredi à Paris un accord avec l'américain Regeneron pour "
    "développer un traitement contre l'asthme sévère, un investissement de 300 millions d'euros.\n"
    "« Nous partageons la même ambition pour les patients », a déclaré Paul Hudson, directeur "
    "général de Sanofi, devant la presse.\n"
    "In a statement released in New York, Regeneron said the partnership would speed up clinical "
    "trials. \"This agreement brings our science to more patients,\" said Leonard Schleifer, the "
    "chief executive of Regeneron.\n"
    "Les deux entreprises comptent déposer une demande d'autorisation en Europe d'ici deux ans.\n"
)
EN = (
    "Rolls-Royce wins engine order from Emirates\n\n"
    "Rolls-Royce said on Thursday that Emirates had ordered engines worth $2.1 billion for its new "
    "fleet of long-haul aircraft, the largest order in the company's history.\n"
    "\"Emirates has trusted our engines for decades,\" said Tufan Erginbilgic, the chief executive "
    "of Rolls-Royce, at the Dubai Airshow.\n"
)
DE = (
    "Siemens streicht Stellen in Erlangen\n\n"
    "Der Technologiekonzern Siemens will an seinem Standort in Erlangen rund 400 Arbeitsplätze "
    "abbauen, wie das Unternehmen am Dienstag mitteilte. Die Gewerkschaft IG Metall kündigte "
    "Widerstand an und sprach von einem falschen Signal für die Region.\n"
    "„Wir werden jede Stelle verteidigen“, sagte ein Sprecher der Gewerkschaft am Nachmittag "
    "vor dem Werkstor. Der Vorstand verwies auf die schwache Nachfrage aus der Industrie.\n"
)
ZH = (
    "华为发布新款折叠屏手机\n\n"
    "华为公司周二在深圳举行发布会，推出了新一代折叠屏手机。公司表示，新手机的电池续航时间比上一代"
    "提高了百分之二十，售价与上一代持平。分析人士认为，这款产品将加剧国内高端手机市场的竞争。\n"
    "华为消费者业务负责人在发布会上说，公司今年的研发投入将继续增加，并计划在年底前进入更多海外市场。\n"
)
JSONL_GOOD = [
    {"title": "La Poste ferme trois centres de tri",
     "text": "La Poste a annoncé mardi la fermeture de trois centres de tri en Bretagne d'ici la fin de "
             "l'année, invoquant la baisse continue du volume de courrier.\n« Aucun salarié ne sera "
             "licencié », a assuré Philippe Wahl, président-directeur général de La Poste.",
     "published": "2024-03-12", "language": "fr"},
    {"title": "Vestas opens a factory in Poland",
     "text": "Vestas said on Monday it had opened a factory in Szczecin, Poland, that will build blades "
             "for offshore wind turbines and employ 500 people.\n\"Europe needs more wind power, and "
             "faster,\" said Henrik Andersen, the chief executive of Vestas.",
     "published": "2024-05-06"},
]
# Sentences of the 1,000,000-character line: ordinary French news prose.
ENDLESS = [
    "Le gouvernement a présenté mercredi en Conseil des ministres un projet de loi sur le logement.",
    "Selon le ministère de l'Économie, la croissance devrait atteindre 1,1 % cette année.",
    "La Banque de France a relevé jeudi sa prévision d'inflation pour le second semestre.",
    "« Nous devons construire plus et plus vite », a déclaré le ministre devant les députés.",
    "Les syndicats de la SNCF ont appelé à une journée de grève le 14 mars prochain.",
    "Le groupe TotalEnergies a annoncé un investissement de 2 milliards d'euros dans l'éolien en mer.",
    "À Marseille, le tribunal administratif a suspendu l'arrêté du préfet sur les terrasses.",
    "Le Sénat examinera le texte en première lecture au début du mois d'avril.",
    "La maire de Lille, Martine Aubry, a salué une décision « attendue depuis longtemps ».",
    "Les ventes de voitures électriques ont progressé de 18 % sur un an, selon la Plateforme automobile.",
    "L'entreprise Decathlon a ouvert lundi son premier magasin au Chili, à Santiago.",
    "Le Premier ministre a reçu mardi à Matignon les représentants des agriculteurs.",
]


def _long_french_line(n: int) -> str:
    parts, size, i = [], 0, 0
    while size < n:
        s = ENDLESS[i % len(ENDLESS)]
        parts.append(s)
        size += len(s) + 1
        i += 1
    return " ".join(parts)[:n].rstrip() + "."


def _hostile_corpus(d: Path) -> tuple[dict[str, list[str]], int, dict[str, str]]:
    """Write the corpus; return ({bad name: reason fragments}, good article count, {name: role})."""
    bad: dict[str, list[str]] = {}
    good = 0

    def put(name: str, data: bytes | str) -> Path:
        p = d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return p

    # --- good articles, each once (ids come from the text) ---
    put("good-en.txt", EN)
    put("latin1.txt", LATIN1.encode("latin-1"))
    put("cp1252.txt", CP1252.encode("cp1252"))
    put("utf16-bom.txt", UTF16.encode("utf-16"))  # the codec writes a BOM
    put("mixed-endings.txt", MIXED_ENDINGS.encode("utf-8"))
    put("french-and-english.txt", FR_AND_EN)
    good += 6
    put("one-endless-line.txt", "Un million de caractères sur une seule ligne\n\n" + _long_french_line(1_000_000))
    good += 1
    # JSON Lines: two good lines, broken ones in between
    lines = [json.dumps(JSONL_GOOD[0], ensure_ascii=False), '{"title": "Coupée en plein', "[1, 2, 3]",
             json.dumps({"title": "Sans texte"}), json.dumps({"text": "   "}),
             json.dumps(JSONL_GOOD[1], ensure_ascii=False)]
    put("broken-lines.jsonl", "\n".join(lines) + "\n")
    good += 2
    bad["broken-lines.jsonl:2"] = ["line is not valid JSON"]
    bad["broken-lines.jsonl:3"] = ["line is not a JSON object"]
    bad["broken-lines.jsonl:4"] = ["line has no 'text' string"]
    bad["broken-lines.jsonl:5"] = ["line's 'text' is empty or only whitespace"]

    # --- files that are not articles ---
    put("empty.txt", b"")
    bad["empty.txt"] = ["empty file"]
    put("whitespace.txt", " \n\t\r\n   \n\u00a0\n")
    bad["whitespace.txt"] = ["file contains only whitespace"]
    put("random-bytes.txt", bytes(range(256)) * 64)
    bad["random-bytes.txt"] = ["binary content"]
    put("report.pdf.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
    bad["report.pdf.txt"] = ["binary content (PDF)"]
    put("photo.png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
        b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    bad["photo.png.txt"] = ["binary content (PNG image)"]
    # 20 MB of prose: over the per-article limit, refused with the limit named
    para = (LATIN1 + CP1252).replace("\n", " ") + "\n"
    put("twenty-megabytes.txt", (para * (20 * 1024 * 1024 // len(para.encode("utf-8")) + 1)).encode("utf-8"))
    bad["twenty-megabytes.txt"] = [f"limit {MAX_CHARS}", "too large"]

    # --- HTML ---
    depth = 5000
    put("deeply-nested.html", "<html><head><title>Un article enfoui</title></head><body>" + "<div>" * depth
        + "<p>Le texte est enfoui sous cinq mille balises, au-delà de ce que lxml accepte.</p>"
        + "</div>" * depth + "</body></html>")
    bad["deeply-nested.html"] = [f"HTML is nested {depth + 3} levels deep", "too deep"]
    put("scripts-only.html", "<html><head><script>var tracker = {id: 42};</script></head><body>"
        + "<script>document.write('<p>' + 'x'.repeat(50) + '</p>');</script>" * 20
        + "<noscript></noscript><style>p { color: red; }</style></body></html>")
    bad["scripts-only.html"] = ["no article text found in the HTML"]

    # --- languages dossier does not read: skipped with a message (not failures) ---
    put("german.txt", DE)
    put("chinese.txt", ZH)
    skipped = {"german.txt": "language 'de' is not supported", "chinese.txt": "language 'zh' is not supported"}

    # --- the file system at its worst ---
    os.symlink("self-loop.txt", d / "self-loop.txt")  # a link to itself: ELOOP
    bad["self-loop.txt"] = ["symbolic link loop"]
    put("subdir/inside.txt", "")  # an empty file one level down: still found and named
    bad[os.path.join("subdir", "inside.txt")] = ["empty file"]
    os.symlink("..", d / "subdir" / "back-to-parent")  # a directory loop
    bad[os.path.join("subdir", "back-to-parent")] = ["symbolic link loop"]
    os.symlink("no-such-article.txt", d / "dangling.txt")
    bad["dangling.txt"] = ["no such file or directory"]
    locked = put("unreadable.txt", "Le texte de cet article ne doit jamais être lu, son fichier est verrouillé.\n"
                 "« Accès refusé », a répondu le système de fichiers à la demande de lecture.\n")
    os.chmod(locked, 0)
    try:
        with open(locked, "rb"):
            pass
        good += 1  # root reads anything: then it is an ordinary article
    except PermissionError:
        bad["unreadable.txt"] = ["cannot read file", "Permission denied"]
    return bad, good, skipped


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    corpus = d / "corpus"
    corpus.mkdir()
    bad, good, skipped = _hostile_corpus(corpus)
    db = d / "hostile.db"
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "dossier.cli", "build", str(corpus), "--db", str(db)],
                       capture_output=True, text=True, timeout=900, env={**os.environ, "COLUMNS": "200"})
    elapsed = time.monotonic() - t0
    try:
        os.chmod(corpus / "unreadable.txt", 0o600)  # let pytest clean up
    except OSError:
        pass
    return r, elapsed, corpus, db, bad, good, skipped


def test_exit_status_is_1_without_crash_or_traceback(hostile_run):
    r, *_ = hostile_run
    assert r.returncode == 1, r.stderr[-3000:]
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout
    assert "dossier build:" in r.stdout  # the summary line: the run reached its end


def test_the_whole_run_finishes_in_bounded_time(hostile_run):
    _, elapsed, *_ = hostile_run
    assert elapsed < TIME_BOUND_S, f"build took {elapsed:.0f} s"


def test_every_bad_file_is_named_with_its_reason(hostile_run):
    r, _, corpus, _, bad, _, skipped = hostile_run
    lines = r.stderr.splitlines()
    for name, reasons in {**bad, **{k: [v] for k, v in skipped.items()}}.items():
        where = str(corpus / name)
        named = [ln for ln in lines if where + ":" in ln]
        assert named, f"{name} not named on stderr:\n{r.stderr[-3000:]}"
        for reason in reasons:
            assert any(reason in ln for ln in named), f"{name}: '{reason}' not in {named}"


def test_failures_and_skips_are_counted(hostile_run):
    r, _, _, _, bad, good, skipped = hostile_run
    assert f"{good} stored" in r.stdout, r.stdout
    assert f"{len(skipped)} skipped" in r.stdout, r.stdout
    assert f"{len(bad)} failed" in r.stdout, r.stdout


def test_every_good_article_is_stored(hostile_run):
    r, _, corpus, db, _, good, _ = hostile_run
    store = open_store(db)
    try:
        assert store.counts()["documents"] == good
        # a JSONL article's path is FILE:LINE
        paths = {Path(row["path"]).name.split(":")[0] for row in store.rows("SELECT path FROM documents")}
        langs = dict(store.execute("SELECT path, language FROM documents").fetchall())
        texts = {Path(p).name.split(":")[0]: t for p, t in store.execute("SELECT path, text FROM documents").fetchall()}
    finally:
        store.close()
    for name in ("good-en.txt", "latin1.txt", "cp1252.txt", "utf16-bom.txt", "mixed-endings.txt",
                 "french-and-english.txt", "one-endless-line.txt", "broken-lines.jsonl"):
        assert name in paths
    assert set(langs.values()) <= {"fr", "en"}
    # the encodings were decoded, not garbled
    assert texts["latin1.txt"] == LATIN1
    assert texts["cp1252.txt"] == CP1252
    assert texts["utf16-bom.txt"] == UTF16
    assert texts["mixed-endings.txt"] == MIXED_ENDINGS.replace("\r\n", "\n").replace("\r", "\n")
    assert "\r" not in "".join(texts.values())


def test_the_endless_line_is_cut_into_pieces_and_analysed(hostile_run):
    _, _, _, db, *_ = hostile_run
    con = sqlite3.connect(db)
    try:
        (doc, text) = con.execute("SELECT id, text FROM documents WHERE path LIKE '%one-endless-line.txt'").fetchone()
        mentions = con.execute("SELECT char_start, char_end FROM mentions WHERE document = ?", (doc,)).fetchall()
    finally:
        con.close()
    assert len(text) > 1_000_000
    line = max(text.split("\n"), key=len)
    assert len(line) > MAX_BLOCK_CHARS * 40  # far longer than one piece...
    # ...and yet analysed to its end: entities are found in the last piece too
    assert mentions and max(end for _, end in mentions) > len(text) - 2 * MAX_BLOCK_CHARS
