"""Generate a synthetic news corpus from varied French and English templates.

Deterministic for a given seed, so benchmarks and crash tests compare like
with like. Names and companies are invented combinations; no real article text.

    python benchmarks/make_corpus.py --n 2000 --out benchmarks/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

FIRST = ["Claire", "Julien", "Sophie", "Marc", "Amélie", "Thomas", "Nadia", "Lucas", "Emma", "Karim",
         "Sarah", "David", "Laura", "Peter", "Helen", "James", "Maria", "Olivier", "Inès", "Hugo"]
LAST = ["Moreau", "Dubois", "Lefèvre", "Garnier", "Roussel", "Carter", "Hughes", "Bennett", "Walsh", "Keller",
        "Fontaine", "Marchand", "Bishop", "Foster", "Laurent", "Perrin", "Barnes", "Griffin", "Vidal", "Mercier"]
COMPANIES = ["Nexora", "Veltis", "Arkane Systems", "Quantix", "Solvia", "Brightwave", "Orbitel", "Helion Labs",
             "Cobalt Mobility", "Lumen Robotics", "Stratos Bank", "Verdant Energy", "Pixelforge", "Marlow Foods",
             "Auryn Pharma", "Tessera AI", "Northwind Air", "Kestrel Media", "Obsidian Games", "Calyx Health"]
PRODUCTS = ["Nova X", "Aurora", "Pulse 3", "Orion Pro", "Vega", "Atlas One", "Zephyr", "Lyra"]
CITIES_FR = ["Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes", "Genève"]
CITIES_EN = ["London", "New York", "San Francisco", "Berlin", "Boston", "Toronto", "Dublin", "Chicago"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

FR = [
    ("{a} propose {amt_fr} pour racheter {b}",
     "Le groupe {a} a proposé {day_fr} {date_fr} de racheter {b} pour {amt_fr}, selon un communiqué publié à {city_fr}.\n"
     "{p1}, le directeur général de {a}, a déclaré : « Cette opération nous donne une taille européenne. »\n"
     "{p2}, la présidente de {b}, a rejeté l’offre dans la soirée.\n"
     "« Notre entreprise n’est pas à vendre », a-t-elle affirmé devant les salariés.\n"
     "Selon plusieurs analystes, {a} pourrait relever son offre dans les prochaines semaines."),
    ("{a} lève {amt_fr}",
     "La start-up {a} a annoncé {day_fr} une levée de fonds de {amt_fr} auprès de {b} et de plusieurs fonds américains.\n"
     "{p1}, le cofondateur de {a}, a expliqué que l’argent servirait à recruter des ingénieurs à {city_fr}.\n"
     "« Nous voulons devenir le leader européen du secteur », a-t-il ajouté.\n"
     "L’opération valorise l’entreprise à près de {amt2_fr}, d’après des sources proches du dossier."),
    ("{p1} quitte la direction de {a}",
     "{p1}, le patron de {a}, a annoncé {day_fr} son départ après huit ans à la tête du groupe.\n"
     "Le conseil d’administration a nommé {p2} pour lui succéder à partir du 1er {month_fr}.\n"
     "« C’est le bon moment pour passer le relais », a déclaré {p1} lors d’une conférence à {city_fr}.\n"
     "{p2} dirigeait jusqu’ici la filiale européenne de {b}."),
    ("{a} lance {prod}",
     "{a} a lancé {day_fr} à {city_fr} son nouveau produit {prod}, vendu {price_fr}.\n"
     "{p1}, la directrice produit de {a}, estime que le marché doit être davantage régulé.\n"
     "Le concurrent {b} prépare une offre similaire, selon la presse spécialisée."),
]
EN = [
    ("{a} agrees to buy {b} for {amt_en}",
     "{a} said on {day_en}, {date_en}, that it had agreed to buy {b} for {amt_en} in cash.\n"
     "\"This deal makes us the clear leader in our market,\" {a} chief executive {p1} told reporters in {city_en}.\n"
     "{p2}, the founder of {b}, will join the board of {a}.\n"
     "Regulators could still block the acquisition, according to people familiar with the matter."),
    ("{a} raises {amt_en} in new funding",
     "The startup {a} has raised {amt_en} in a funding round led by {b}, the company said on {day_en}.\n"
     "{p1}, who co-founded {a} in {year}, said the money would fund research in {city_en}.\n"
     "\"We are only getting started,\" {p1} wrote on X.\n"
     "The round values {a} at about {amt2_en}."),
    ("{b} sues {a} over patents",
     "{b} filed a lawsuit against {a} on {day_en}, accusing it of copying its technology.\n"
     "{p2}, the general counsel of {b}, said the company had no choice.\n"
     "{a} rejected the claims. \"The lawsuit has no merit,\" spokesperson {p1} said in a statement.\n"
     "The case will be heard in {city_en} next year."),
    ("{a} launches {prod}",
     "{a} launched its {prod} device on {day_en} in {city_en}, priced at {price_en}.\n"
     "{p1}, the head of products at {a}, believes the industry should adopt strict privacy rules.\n"
     "Rival {b} plans to release a competing product later this year."),
]


def _money_fr(r: random.Random) -> str:
    v = r.choice([1.2, 2.5, 3.4, 7.8, 12.5, 45, 97.4, 150, 320, 600])
    unit = "milliards" if v < 100 else "millions"
    cur = r.choice(["d’euros", "de dollars"])
    return f"{str(v).replace('.', ',')} {unit} {cur}"


def _money_en(r: random.Random) -> str:
    v = r.choice([1.2, 2.5, 3.4, 7.8, 12.5, 45, 97.4, 150, 320, 600])
    return f"${v} billion" if v < 100 else f"${v:g} million"


# A long tail of names, as in a real archive where most actors are rare: 1,600
# companies and 1,600 people (used with --vocabulary large).
_STEMS = ["Nex", "Vel", "Ark", "Quan", "Sol", "Bright", "Orb", "Hel", "Cob", "Lum", "Strat", "Verd", "Pix", "Marl",
          "Aur", "Tess", "North", "Kest", "Obsid", "Cal", "Zen", "Ter", "Fal", "Crest", "Riv", "Glen", "Ast", "Bor",
          "Cyr", "Dun", "Elm", "Fer", "Gal", "Hal", "Ion", "Jas", "Kor", "Lys", "Mer", "Nov"]
_ENDS = ["ora", "tis", "ix", "via", "wave", "tel", "ion", "alt", "ex", "ium", "ara", "os", "en", "ica", "ant", "ide",
         "on", "ar", "eon", "us", "ia", "ance", "ify", "ent", "ero", "ova", "ire", "ax", "oma", "ust", "elle", "ine",
         "ado", "etta", "orn", "ulo", "ique", "ana", "ody", "yte"]
LARGE_COMPANIES = [f"{a}{b}" for a in _STEMS for b in _ENDS]
LARGE_FIRST = FIRST + ["Anna", "Bruno", "Chloé", "Diego", "Elise", "Farid", "Giulia", "Hannah", "Igor", "Jonas",
                       "Katia", "Léo", "Mona", "Nils", "Oscar", "Paula", "Quentin", "Rosa", "Samir", "Tina"]
LARGE_LAST = [f"{a}{b}" for a in ("Ber", "Mar", "Dal", "Fon", "Gar", "Lan", "Mor", "Per", "Ros", "Val")
              for b in ("ton", "ville", "ard", "ier", "mont", "ez", "ani", "berg", "ley", "court")]


def article(i: int, r: random.Random, vocabulary: str = "small") -> dict:
    lang = "fr" if i % 2 == 0 else "en"
    title_t, body_t = r.choice(FR if lang == "fr" else EN)
    large = vocabulary == "large"
    a, b = r.sample(LARGE_COMPANIES if large else COMPANIES, 2)
    first, last = (LARGE_FIRST, LARGE_LAST) if large else (FIRST, LAST)
    p1, p2 = (f"{r.choice(first)} {r.choice(last)}" for _ in range(2))
    d = date(2023, 1, 1) + timedelta(days=r.randrange(900))
    slots = dict(
        a=a, b=b, p1=p1, p2=p2, prod=r.choice(PRODUCTS), year=r.randrange(2008, 2022),
        city_fr=r.choice(CITIES_FR), city_en=r.choice(CITIES_EN),
        day_fr=DAYS_FR[d.weekday()], day_en=DAYS_EN[d.weekday()],
        date_fr=f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}", date_en=d.strftime("%B %-d, %Y"),
        month_fr=MONTHS_FR[r.randrange(12)], amt_fr=_money_fr(r), amt2_fr=_money_fr(r),
        amt_en=_money_en(r), amt2_en=_money_en(r),
        price_fr=f"{r.randrange(99, 1999)} euros", price_en=f"${r.randrange(99, 1999)}",
    )
    title = title_t.format(**slots)
    # a serial number keeps every article distinct (ids are content-derived)
    text = f"{title}\n{body_t.format(**slots)}\n({'Dépêche' if lang == 'fr' else 'Dispatch'} n° {i})\n"
    return {"title": title, "text": text, "language": lang, "published": d.isoformat(),
            "source": r.choice(["Le Quotidien", "Example Wire", "La Gazette", "Daily Ledger"])}


def generate(n: int, seed: int = 7, vocabulary: str = "small") -> list[dict]:
    r = random.Random(seed)
    return [article(i, r, vocabulary) for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("corpus.jsonl"))
    ap.add_argument("--vocabulary", choices=["small", "large"], default="small",
                    help="small: 20 companies, many repeats; large: a long tail of 1,600 companies and people")
    args = ap.parse_args()
    with args.out.open("w", encoding="utf-8") as f:
        for a in generate(args.n, args.seed, args.vocabulary):
            f.write(json.dumps(a, ensure_ascii=False) + "\n")
    print(f"wrote {args.n} articles to {args.out}")


if __name__ == "__main__":
    main()
