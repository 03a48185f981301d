"""Draw the 40 Spanish query words for the stemming measurement (Snowball vs light Spanish).

    python bench/stemming/select_words.py [../shared/corpus] [--pool]

Deterministic (random.Random(12)); writes bench/stemming/words.json next to this file.
``--pool`` also prints the whole candidate pool with its bands (for review only).

Only development files are read: the Spanish releases of
mx_presidencia_versiones_estenograficas and us_county_prosecutors_press_releases (lang "es").
The held-out files (mx_presidencia_informes_covid19, us_senate_press_releases_grimmer_sample)
are never opened. No stemmer is imported or run here.

Rule:
 1. Titles of the Spanish releases; exact duplicate titles (after case/accent folding and
    whitespace squeezing) count once, so the daily "conferencia de prensa matutina | <date>"
    template does not swamp the counts. The genre prefix "Versión estenográfica" that opens
    every Presidencia title is removed first.
 2. Words = runs of letters (hyphens, digits, "#", punctuation split words); compared folded
    (lower case, accents removed, ñ kept as ñ); shown in their commonest accented lower-case form.
 3. Dropped: Spanish stop words (STOP below), anything containing a digit, words shorter than
    4 letters, words in fewer than 3 distinct titles, an explicit SKIP list (calendar words,
    spelled-out numbers and ordinals, genre boilerplate, English words in the prosecutors'
    titles), and
    proper names: a word is a name when it is capitalised in more than 90% of its occurrences
    inside sentences (not sentence-initial) in the mixed-case BODIES of the same Spanish
    releases (titles are Title Case in Presidencia, so they cannot tell names from nouns).
    90%, not "most": program names ("Programas para el Bienestar", "Plan Nacional de ...")
    capitalise common nouns in 50-80% of body occurrences (bienestar, nacional, rural, condado,
    ciudad), while real names (López, Oaxaca, Orange, Tony) are capitalised in 99-100%.
    Words that never occur mid-sentence in a mixed-case body are kept.
 4. Bands by title frequency (distinct titles): the pool sorted by frequency (ties broken by
    the folded word) is cut into three equal thirds: frequent / medium / rarer. 14 words are
    drawn from the frequent third, 13 from each of the others, with random.Random(12).sample
    on each band's sorted list.
The SKIP list and the additions to STOP (sera, tener, traves, despues, ...) were written from
reading the pool, before the draw was made and before any stemmer was run on any word.
"""

from __future__ import annotations

import collections
import gzip
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

SEED = 12
N_WORDS = 40
PER_BAND = (14, 13, 13)  # frequent, medium, rarer
MIN_TITLES = 3
MIN_LEN = 4
FILES = (
    "mx_presidencia_versiones_estenograficas.jsonl.gz",
    "us_county_prosecutors_press_releases.jsonl.gz",
)

# Spanish function words (articles, pronouns, prepositions, conjunctions, auxiliaries and the
# commonest forms of ser/estar/haber/tener, quantifiers). Written out here so no stemming
# library is imported. Compared folded, so accents do not matter.
STOP = set(
    """
    a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bajo bien
    cada casi como con contra cual cuales cualquier cuando cuanto de del desde donde dos
    durante e el ella ellas ello ellos en entre era eran eres es esa esas ese eso esos esta
    estaba estaban estado estados estamos estan estar estas este esto estos estoy fue fueron
    fui ha habia han has hasta hay he hemos la las le les lo los mas me mi mis mucho muchos
    muy nada ni no nos nosotros nuestra nuestras nuestro nuestros o os otra otras otro otros
    para pero poco por porque que quien quienes se sea sean ser si sido siempre sin sino
    sobre sois somos son soy su sus tal tambien tampoco tan tanto te tiene tienen toda todas
    todo todos tras tu tus u un una unas uno unos usted ustedes vosotros y ya yo
    cual cuales mediante segun hacia vs via etc
    sera seran tener tenia traves despues mientras debajo fuera dentro luego ahora
    """.split()
)

# Explicit skips, decided from reading the pool (never from any stemmer's output):
SKIP = {
    # calendar words: titles carry dates, nobody queries a weekday or month for a topic
    "lunes",
    "martes",
    "miercoles",
    "jueves",
    "viernes",
    "sabado",
    "domingo",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    # genre boilerplate of the Presidencia titles (every transcript is one)
    "version",
    "estenografica",
    # number words, cardinal and ordinal ("drop numbers" applies to spelled-out numbers too)
    "cero",
    "uno",
    "tres",
    "cuatro",
    "cinco",
    "seis",
    "siete",
    "ocho",
    "nueve",
    "diez",
    "once",
    "doce",
    "quince",
    "veinte",
    "treinta",
    "cien",
    "ciento",
    "cientos",
    "mil",
    "primer",
    "primera",
    "primero",
    "segunda",
    "tercer",
    "tercera",
    "cuarto",
    "quinto",
    "noveno",
    "decimo",
    # connectives that are not function words by form
    "incluyendo",
    # English words in the prosecutors' Spanish titles
    "conference",
    "press",
    "advisory",
    "angels",
    "navy",
}

WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
PREFIX_RE = re.compile(r"^\s*versi[oó]n\s+estenogr[aá]fica\b[\s.:|,-]*", re.IGNORECASE)
SENT_END = set('.!?¿¡:;\n|"“”«»—-(')


def fold(word: str) -> str:
    """Lower case, accents removed, ñ kept."""
    out = []
    for ch in word.lower():
        if ch == "ñ":
            out.append(ch)
            continue
        out.append("".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn"))
    return "".join(out)


def records(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def spanish_records(corpus: Path) -> list[dict]:
    out = []
    for name in FILES:
        for r in records(corpus / name):
            if r.get("lang") == "es":
                out.append(r)
    return out


def is_upper_text(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) > 0.8 * len(letters)


def capitalisation(bodies: list[str]) -> dict[str, tuple[int, int]]:
    """folded word -> (capitalised, total) over mid-sentence occurrences in mixed-case bodies."""
    counts: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for body in bodies:
        if not body or is_upper_text(body):
            continue
        for m in WORD_RE.finditer(body):
            # sentence-initial if the previous non-space character ends a sentence/label
            i = m.start() - 1
            while i >= 0 and body[i] in " \t\r":
                i -= 1
            if i < 0 or body[i] in SENT_END:
                continue
            w = m.group()
            c = counts[fold(w)]
            c[1] += 1
            if w[0].isupper():
                c[0] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def build_pool(recs: list[dict]):
    titles: dict[str, str] = {}
    for r in recs:
        t = PREFIX_RE.sub("", r.get("title") or "")
        key = " ".join(fold(t).split())
        if key and key not in titles:
            titles[key] = t
    df: collections.Counter = collections.Counter()
    display: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for t in titles.values():
        seen = set()
        upper = is_upper_text(t)
        for w in WORD_RE.findall(t):
            f = fold(w)
            display[f][w.lower()] += 1 if upper else 3  # prefer the accented mixed-case spelling
            seen.add(f)
        df.update(seen)
    caps = capitalisation([r.get("body") or "" for r in recs])
    pool, dropped = [], collections.Counter()
    for f, n in df.items():
        if f in STOP:
            dropped["stop"] += 1
        elif len(f) < MIN_LEN:
            dropped["short"] += 1
        elif n < MIN_TITLES:
            dropped["rare"] += 1
        elif f in SKIP:
            dropped["skip"] += 1
        elif caps.get(f, (0, 0))[1] and caps[f][0] * 10 > caps[f][1] * 9:
            dropped["name"] += 1
        else:
            pool.append((f, n))
    pool.sort(key=lambda x: (-x[1], x[0]))
    shown = {f: display[f].most_common(1)[0][0] for f, _ in pool}
    return len(titles), pool, shown, dropped, caps


def draw(pool: list[tuple[str, int]]):
    k = len(pool)
    cuts = [0, k // 3, 2 * k // 3, k]
    rng = random.Random(SEED)
    picked = []
    for band, (lo, hi, n) in enumerate(zip(cuts[:-1], cuts[1:], PER_BAND, strict=True)):
        members = pool[lo:hi]
        for f, df in rng.sample(members, n):
            picked.append((band, f, df))
    return cuts, picked


def main(argv: list[str]) -> None:
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0] if args else "../shared/corpus")
    recs = spanish_records(corpus)
    n_titles, pool, shown, dropped, caps = build_pool(recs)
    cuts, picked = draw(pool)
    bands = ("frequent", "medium", "rarer")
    if "--pool" in argv:
        for i, (f, n) in enumerate(pool):
            band = bands[0 if i < cuts[1] else 1 if i < cuts[2] else 2]
            c = caps.get(f, (0, 0))
            print(f"{band:8} {n:4} {shown[f]:20} caps {c[0]}/{c[1]}")
    out = {
        "seed": SEED,
        "files": list(FILES),
        "spanish_releases": len(recs),
        "distinct_titles": n_titles,
        "pool_size": len(pool),
        "band_cuts": cuts[1:3],
        "dropped": dict(sorted(dropped.items())),
        "words": [{"word": shown[f], "folded": f, "titles": df, "band": bands[b]} for b, f, df in picked],
    }
    path = Path(__file__).with_name("words.json")
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(recs)} Spanish releases, {n_titles} distinct titles, pool {len(pool)}, dropped {dict(dropped)}")
    for w in out["words"]:
        print(f"{w['band']:8} {w['titles']:4} {w['word']}")


if __name__ == "__main__":
    main(sys.argv[1:])
