"""Officials, their posts and agencies, found in a release's text and metadata.

The tables in ``indexer/data/`` drive everything: ``agencies.json`` (canonical agencies with an
English and a Spanish label and their aliases), ``posts.json`` (canonical posts, each tied to a
jurisdiction and usually an agency), ``ranks.json`` (rank words kept apart from the post) and
``people.json`` (one canonical display form per known person, with variant spellings).

Patterns recognised, in English and Spanish:

- "Title Name": ``Attorney General William Barr``, ``el general Luis Cresencio Sandoval``;
- "Title, Name": ``the Undersecretary of Public Security, Ricardo Mejía``;
- "Name, title": ``Marcelo Ebrard, secretario de Relaciones Exteriores``;
- distributive lists: ``the Secretaries of Security, Alfonso Durazo; Foreign Affairs, ...``;
- transcript speaker labels: ``ZOÉ ROBLEDO ABURTO, DIRECTOR GENERAL DEL IMSS:``.

A title that exists in several governments (``Attorney General``) is resolved by jurisdiction:
an explicit qualifier (``US Attorney General``), else a cue earlier in the sentence
(``attended for Mexico by ...``), else the publisher's or the language's government.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable


from .analysis import fold_key, fold_same_length, trie_pattern
from .sources import sentence_spans

DATA_DIR = Path(__file__).with_name("data")
TABLES = ("agencies.json", "posts.json", "ranks.json", "people.json")
#: Bump when the extraction code changes meaning; the tables' hash is added automatically.
EXTRACTOR_CODE_VERSION = 2


@dataclass
class Official:
    """One person named in a release with the post they hold there."""

    name: str
    rank: str | None = None
    role: str | None = None
    agency: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The ``{name, rank, role, agency}`` record of the JSON contracts."""
        return asdict(self)


@dataclass
class Entities:
    """What extraction found in one release."""

    officials: list[Official] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)

    @property
    def roles(self) -> list[str]:
        """The distinct posts of the officials, in order of appearance."""
        return list(dict.fromkeys(o.role for o in self.officials if o.role))


# --------------------------------------------------------------------------------------------
# Tables


@dataclass(frozen=True)
class Agency:
    name: str
    en: str
    es: str
    jurisdiction: str
    parent: str | None = None


@dataclass(frozen=True)
class Post:
    name: str
    en: str
    es: str
    jurisdiction: str
    agency: str | None
    office: str | None = None  # the unit the holder heads inside ``agency`` (DOJ tags releases with it)
    fixed_agency: bool = False  # a qualifier does not change it ("Judge X of the Northern District of Illinois")
    unit: str | None = None  # "district" or "division": the holder sits in one unit of ``agency``


class TableError(ValueError):
    """The alias tables are inconsistent; the message names the alias and both entries."""


_FEMININE = {
    "secretario": "secretaria", "subsecretario": "subsecretaria", "director": "directora",
    "coordinador": "coordinadora", "procurador": "procuradora", "gobernador": "gobernadora",
    "presidente": "presidenta", "embajador": "embajadora", "jefe": "jefa", "consejero": "consejera",
    "comisionado": "comisionada", "agregado": "agregada", "comandante": "comandante",
    "tesorero": "tesorera", "administrador": "administradora", "subprocurador": "subprocuradora",
}


def _spanish_variants(alias: str) -> list[str]:
    """The alias plus its feminine form when it starts with a Spanish post word."""
    head, _, rest = alias.partition(" ")
    fem = _FEMININE.get(head.lower())
    if fem and fem != head.lower():
        return [alias, (fem.capitalize() if head[0].isupper() else fem) + (" " + rest if rest else "")]
    return [alias]


def _alias_key(alias: str) -> str:
    key = fold_key(alias)
    key = re.sub(r"^(?:the|el|la|los|las)\s+", "", key)
    return key.replace("u.s.", "us").replace("'s", "s")


def check_tables(agencies: list[dict], posts: list[dict]) -> list[str]:
    """Conflicts in the tables: an alias that names two agencies, or two posts of one jurisdiction."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for a in agencies:
        for alias in [a["name"], *a.get("aliases", []), *a.get("acronyms", [])]:
            key = alias if alias in a.get("acronyms", []) else _alias_key(alias)
            if key in seen and seen[key] != a["name"]:
                problems.append(f"agency alias {alias!r} names both {seen[key]!r} and {a['name']!r}")
            seen[key] = a["name"]
    names = {a["name"] for a in agencies}
    qualifiers: dict[str, str] = {}
    for a in agencies:
        if a.get("implied_by") and a["implied_by"]["agency"] not in names:
            problems.append(f"agency {a['name']!r} is implied by an unknown agency {a['implied_by']['agency']!r}")
        for q in a.get("qualifiers", []):
            if qualifiers.setdefault(_alias_key(q), a["name"]) != a["name"]:
                problems.append(f"qualifier {q!r} names both {qualifiers[_alias_key(q)]!r} and {a['name']!r}")
    seen_posts: dict[tuple[str, str], str] = {}
    for p in posts:
        for key in ("agency", "office"):
            if p.get(key) and p[key] not in names:
                problems.append(f"post {p['name']!r} names an unknown {key} {p[key]!r}")
        if p.get("unit") and p["unit"] not in _UNIT_KINDS:
            problems.append(f"post {p['name']!r} has an unknown unit kind {p['unit']!r}")
        for alias in [p["name"], *p.get("aliases", [])]:
            for variant in _spanish_variants(alias):
                key = (_alias_key(variant), p["jurisdiction"])
                if key in seen_posts and seen_posts[key] != p["name"]:
                    problems.append(
                        f"post alias {variant!r} ({p['jurisdiction']}) names both {seen_posts[key]!r} and {p['name']!r}"
                    )
                seen_posts[key] = p["name"]
    return problems


def _read_json(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def _alternation(keys: Iterable[str]) -> str:
    return trie_pattern(k for k in keys if k)


class Gazetteer:
    """The loaded tables, with the matchers built from them."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        raw = {name: _read_json(data_dir / name) for name in TABLES}
        problems = check_tables(raw["agencies.json"], raw["posts.json"])
        if problems:
            raise TableError("; ".join(problems))
        digest = hashlib.sha1(json.dumps(raw, sort_keys=True).encode()).hexdigest()[:10]
        self.version = f"{EXTRACTOR_CODE_VERSION}-{digest}"

        self.agencies: dict[str, Agency] = {}
        self.agency_alias: dict[str, str] = {}  # folded alias -> canonical name
        self.acronyms: dict[str, str] = {}  # case-sensitive acronym -> canonical name
        self.districts: dict[str, str] = {}  # "southern district of florida" -> USAO name
        for a in raw["agencies.json"]:
            self.agencies[a["name"]] = Agency(a["name"], a["en"], a["es"], a["jurisdiction"], a.get("parent"))
            for alias in [a["name"], a["en"], a["es"], *a.get("aliases", [])]:
                self.agency_alias.setdefault(_alias_key(re.sub(r"\s*\([^)]*\)$", "", alias)), a["name"])
                self.agency_alias.setdefault(_alias_key(alias), a["name"])
            for acr in a.get("acronyms", []):
                self.acronyms[acr] = a["name"]
            if a.get("district"):
                self.districts[_alias_key(a["district"])] = a["name"]

        self.posts: dict[str, Post] = {}
        self.post_alias: dict[str, dict[str, str]] = {}  # folded alias -> {jurisdiction: post}
        for p in raw["posts.json"]:
            self.posts[p["name"]] = Post(
                p["name"], p["en"], p["es"], p["jurisdiction"], p.get("agency"), p.get("office"), p.get("fixed_agency", False), p.get("unit")
            )
            for alias in [p["name"], p["en"], p["es"], *p.get("aliases", [])]:
                for variant in _spanish_variants(alias):
                    self.post_alias.setdefault(_alias_key(variant), {}).setdefault(p["jurisdiction"], p["name"])

        self.ranks: dict[str, str] = {}
        for r in raw["ranks.json"]:
            for alias in [r["name"], *r["aliases"]]:
                self.ranks[fold_key(alias)] = r["name"]
        # Each agency's parents, nearest first; how deep it sits is how many it has.
        self.ancestors: dict[str, tuple[str, ...]] = {}
        for name in self.agencies:
            chain: list[str] = []
            parent = self.agencies[name].parent
            while parent in self.agencies and parent != name and parent not in chain:
                chain.append(parent)
                parent = self.agencies[parent].parent
            self.ancestors[name] = tuple(chain)
        self.rank_labels = {r["name"]: {"en": r["en"], "es": r["es"]} for r in raw["ranks.json"]}

        self.people: dict[str, str] = {}  # folded variant -> canonical display name
        for person in raw["people.json"]:
            for alias in [person["name"], *person["aliases"]]:
                self.people[fold_key(alias)] = person["name"]

        # Aliases are matched on folded, lower-cased text; "U.S." is folded to "us" first.
        # Text keeps "u.s." (folding does not touch it); the keys say "us": match both spellings.
        post_keys = set(self.post_alias) | {re.sub(r"\bus\b", "u.s.", k) for k in self.post_alias}
        # "Trial Attorneys X and Y": an English title in the plural introduces a list of names.
        self.post_re = re.compile(rf"(?<![\w.])(?P<alias>{_alternation(post_keys)})(?P<plural>s)?(?![\w])")
        agency_keys = [k for k in self.agency_alias if len(k) > 3]
        # "Criminal Division's Fraud Section" arrives as "Criminal Divisions" where the crawl lost the apostrophe.
        self.agency_re = re.compile(rf"(?<![\w.])(?P<alias>{_alternation(agency_keys)})s?(?![\w])")
        # What follows a title names its unit without being the unit's name:
        # "Assistant Attorney General for National Security" -> National Security Division.
        self.qualifiers: dict[str, str] = {}
        for a in raw["agencies.json"]:
            for q in a.get("qualifiers", []):
                self.qualifiers[_alias_key(q)] = a["name"]
        self.qualifier_re = (
            re.compile(rf"(?:{_alternation(self.qualifiers)})(?![\w])") if self.qualifiers else None
        )
        # A unit the text implies: a section named only through the laws it enforces, in a text
        # that names its division ("hate crime" + "Civil Rights Division" -> its Criminal Section).
        self.implied: list[tuple[str, str, re.Pattern[str]]] = []
        for a in raw["agencies.json"]:
            cue = a.get("implied_by")
            if cue:
                words = [t for t in cue["terms"] if not t.isupper()]
                acronyms = [t for t in cue["terms"] if t.isupper()]
                parts = [rf"(?i:\b(?:{'|'.join(re.escape(w) for w in words)})\b)"] if words else []
                parts += [rf"\b(?:{'|'.join(re.escape(w) for w in acronyms)})\b"] if acronyms else []
                self.implied.append((a["name"], cue["agency"], re.compile("|".join(parts))))
        self.acronym_re = re.compile(rf"(?<![\w-])(?P<acronym>{_alternation(self.acronyms)})s?(?![\w-])")
        self.district_re = re.compile(rf"(?:{_alternation(self.districts)})(?![\w])") if self.districts else None
        self.rank_re = re.compile(
            rf"(?:(?<=\s)|^)(?:{'|'.join(re.escape(k) for k in sorted(self._rank_surface(raw), key=len, reverse=True))})\s+$"
        )

    @staticmethod
    def _rank_surface(raw: dict) -> set[str]:
        return {alias for r in raw["ranks.json"] for alias in [r["name"], *r["aliases"]]}

    # Lookups -----------------------------------------------------------------------------

    def agency(self, text: str | None) -> str | None:
        """The canonical agency for a name, alias or acronym (any language, any case), else None."""
        if not text:
            return None
        text = text.strip()
        if text in self.agencies:
            return text
        return self.acronyms.get(text) or self.agency_alias.get(_alias_key(text))

    def post(self, text: str, jurisdiction: str | None = None) -> str | None:
        """The canonical post for an alias, preferring ``jurisdiction`` where the title is shared."""
        options = self.post_alias.get(_alias_key(text))
        if not options:
            return None
        if jurisdiction and jurisdiction in options:
            return options[jurisdiction]
        return next(iter(options.values()))

    def by_surname(self, surname: str) -> str | None:
        """The one known person with this surname (not first name), else None."""
        key = _tokens(surname)
        if len(key) != 1:
            return None
        found = {canon for variant, canon in self.people.items() if key[0] in _tokens(variant)[1:]}
        return found.pop() if len(found) == 1 else None

    def person(self, name: str) -> str | None:
        """The canonical display form of a known person, also through a variant spelling."""
        return self.people.get(fold_key(name))

    def labels(self, kind: str, value: str) -> dict[str, str]:
        """``{"en": ..., "es": ...}`` labels of an agency or post (the value itself when unknown)."""
        entry = (self.agencies if kind == "agency" else self.posts).get(value)
        if entry is None:
            return {"en": value, "es": value}
        return {"en": entry.en, "es": entry.es}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped tables, loaded once per process."""
    return Gazetteer()


def extractor_version() -> str:
    """Version of extraction code and tables; ``update`` re-extracts releases stored with another."""
    return gazetteer().version


# --------------------------------------------------------------------------------------------
# Text helpers


def fold_for_matching(text: str) -> str:
    """Lower-cased, accents stripped, one character for one: offsets in it are the text's own."""
    return fold_same_length(text)


_UPPER = "A-ZÁÉÍÓÚÑÜÀÈÌÒÙÂÊÎÔÛÄËÏÖÇ"
_LOWER = "a-záéíóúñüàèìòùâêîôûäëïöç"
_WORD = (
    rf"(?:(?!(?:Jr|Sr)\.)(?:Mc|Mac|Di|De|Des|Du|La|Le|Van|O['’]?)?[{_UPPER}][{_LOWER}]+(?:['’][{_UPPER}]?[{_LOWER}]+)?(?:-[{_UPPER}][{_LOWER}]+)?"
    rf"|[{_UPPER}]\.)(?![\w'’])"
)
_PARTICLE = r"(?:de la|de las|de los|del|de|van der|van|von|da|di|du|le)"
NAME_RE = re.compile(rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,5}}(?:,?\s+(?:Jr\.|Sr\.|III|II|IV))?")

# Capitalised words that end a name or cannot start one.
_NOT_NAME = frozenset(
    fold_key(w)
    # Month names that are also first names or surnames (April, June, Julio, Mayo) are left out.
    for w in """
    the a an and or of for to in on at by with from as this that these those he she they it we i
    el la los las un una y o de del en con por para al su sus este esta
    mexico united states us america american mexican washington government gobierno
    department departamento division office oficina secretary secretaria secretario ministry
    president presidente presidenta attorney general fiscal director directora chief jefe head
    today monday tuesday wednesday thursday friday saturday sunday
    january february march may july september october november december
    lunes martes miercoles jueves viernes sabado domingo enero febrero marzo junio
    septiembre octubre noviembre diciembre court federal national nacional republic republica
    county district state estado city ciudad police policia army navy marina defense defensa
    according said dijo also however but while after before during when where if
    """.split()
)


def restore_case(name: str) -> str:
    """Title-case a name written in capitals, keeping accents and lower-case particles.

    >>> restore_case("LUIS CRESENCIO SANDOVAL GONZÁLEZ")
    'Luis Cresencio Sandoval González'
    >>> restore_case("HUGO LÓPEZ-GATELL RAMÍREZ DE LA O")
    'Hugo López-Gatell Ramírez de la O'
    """
    words = []
    for i, w in enumerate(name.split()):
        lw = w.lower()
        if i and lw in ("de", "del", "la", "las", "los", "y", "van", "von", "da", "di"):
            words.append(lw)
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(words)


_POST_SMALL_WORDS = frozenset(
    "de del la las los y e o u a al el en para por con contra sobre ante lo entre sin".split()
)


def post_case(text: str, gaz: "Gazetteer | None" = None) -> str:
    """A post written in capitals or title case, in sentence style: function words lower-case,
    known acronyms upper-case, a parenthesised acronym and trailing punctuation dropped.

    >>> post_case("TITULAR DEL INSTITUTO PARA DEVOLVER AL PUEBLO LO ROBADO (INDEP).")
    'Titular del Instituto para Devolver al Pueblo lo Robado'
    >>> post_case("DIRECTOR GENERAL DE CFE ENERGÍA")
    'Director General de CFE Energía'
    """
    gaz = gaz or gazetteer()
    text = re.sub(r"\s*\([^)]*\)", "", text).strip(" .,;:")
    words = []
    for i, w in enumerate(text.split()):
        bare = w.strip(",;")
        if bare.upper() in gaz.acronyms or bare in gaz.acronyms:
            words.append(w.replace(bare, bare.upper()))
        elif i and bare.lower() in _POST_SMALL_WORDS:
            words.append(w.lower())
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in w.split("-")))
    return " ".join(words)


#: Honorifics and post words that open a name in running text ("Diputada Laura Rojas") but are not part of it.
_HONORIFICS = frozenset(
    fold_key(w)
    for w in """
    presidente presidenta diputado diputada senador senadora gobernador gobernadora secretario
    secretaria subsecretario subsecretaria don dona sr sr. sra sra. srta mr mr. mrs mrs. ms ms.
    ministro ministra magistrado magistrada embajador embajadora alcalde alcaldesa consejero consejera
    canciller fiscal director directora titular jefe jefa comandante judge justice senator
    representative rep. sen. gov. governor mayor ambassador secretary commissioner
    miss honorable hon. supervising investigator inspector postal detective officer co-chair chair
    chairman chairwoman soy primero también tambien bueno pues ahora luego hoy gracias
    """.split()
)
#: US states: one that opens a "name" with at least two words after it is a qualifier's tail
#: ("... of the Middle District of Georgia Michael J. Moore"), not a first name.
_US_STATE_NAMES = (
    "New York|New Jersey|New Mexico|New Hampshire|North Carolina|North Dakota|South Carolina|South Dakota|West Virginia|"
    "Rhode Island|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    "Missouri|Montana|Nebraska|Nevada|Ohio|Oklahoma|Oregon|Pennsylvania|Tennessee|Texas|Utah|Vermont|Virginia|"
    "Washington|Wisconsin|Wyoming"
)
_US_STATES = frozenset(fold_key(s) for s in _US_STATE_NAMES.split("|") if " " not in s)
#: Capitalised words of institutions and events that make a "name" not a person's.
_INSTITUTION_WORDS = frozenset(
    fold_key(w)
    for w in """
    seguridad publica fuerzas fuerza armadas armada ejercito aerea guardia salud educacion cultura
    consejo comision instituto sistema programa plan dia marcha lealtad mesa camara senado congreso
    poder judicial ejecutivo legislativo suprema corte justicia unidos mexicanos republica banco
    centro seccion direccion coordinacion unidad bienestar hacienda marina defensa gobernacion
    voz voces mujer hombre mujeres hombres nino nina pueblo pueblos nacion patria independencia
    revolucion constitucion ley reforma tren aeropuerto refineria hospital escuela universidad
    bureau agency administration service committee act program task force police sheriff
    department division office court house senate county district attorneys attorney's
    civil rights group
    """.split()
)


#: Words of documents that may follow a surname used as an adjective ("Sessions Guidance").
_DOCUMENT_WORDS = frozenset("guidance memorandum memo policy initiative directive order rule statement letter doctrine".split())
_INSTITUTION_WORDS = _INSTITUTION_WORDS | _DOCUMENT_WORDS


def _clean_name(candidate: str, gaz: "Gazetteer") -> tuple[str | None, str | None]:
    """``(rank, name)`` from a matched name: leading rank words and honorifics come off,
    and the name is cut at the first word that cannot be part of a person's name."""
    words = candidate.split()
    rank = None
    while words:
        key = fold_key(words[0])
        if key in gaz.ranks:
            rank = rank or gaz.ranks[key]
        elif key not in _HONORIFICS:
            break
        words.pop(0)
    if len(words) >= 3 and fold_key(words[0]) in _US_STATES:
        words.pop(0)
    kept: list[str] = []
    for w in words:
        key = fold_key(w.strip(","))
        if key in _NOT_NAME and not (kept and key in ("de", "del", "la", "las", "los")):
            break
        kept.append(w)
    while kept and fold_key(kept[-1]) in ("de", "del", "la", "las", "los", "van", "von", "da", "di", "du", "le"):
        kept.pop()
    # "Esteban Moctezuma Barragán Moctezuma Barragán": a repeated tail is said once
    for n in range(len(kept) // 2, 0, -1):
        if [fold_key(w) for w in kept[-n:]] == [fold_key(w) for w in kept[-2 * n : -n]]:
            kept = kept[:-n]
            break
    # Words of institutions, and Spanish abstract nouns in -ción, are never in a person's name:
    # one that opens the "name" makes it no name; a document word after a surname ends the name
    # ("Attorney General Sessions Guidance on ...").
    def institutional(w: str) -> bool:
        return fold_key(w) in _INSTITUTION_WORDS or fold_key(w).endswith("cion")

    if kept and fold_key(kept[-1]) in _DOCUMENT_WORDS and not any(institutional(w) for w in kept[:-1]):
        kept = kept[:-1]
    if not kept or any(institutional(w) for w in kept):
        return rank, None
    return rank, " ".join(kept).rstrip(",")


# --------------------------------------------------------------------------------------------
# Extraction

_JURISDICTION_PREFIX = re.compile(
    r"(?:(?P<us>u\.?s\.?|united states|american|the us|estadounidense)|(?P<mx>mexican|mexico's|mexicos|mexico|mexicano))\s+$"
)
_JURISDICTION_SUFFIX = re.compile(
    r"^\s+(?:(?P<us>of the united states|de (?:los )?estados unidos)|(?P<mx>of mexico|de mexico|de la republica))\b"
)
_CUES = [
    (re.compile(r"\bfor mexico\b|\bpor mexico\b|\bmexican (?:delegation|government|side|officials)\b|\bgobierno de mexico\b|\bdelegacion mexicana\b"), "MX"),
    (re.compile(r"\bunited states delegation\b|\bu\.?s\.? delegation\b|\bamerican delegation\b|\bfor the united states\b|\bpor estados unidos\b|\bdelegacion (?:de )?estadounidense\b|\bgobierno de (?:los )?estados unidos\b"), "US"),
]
_DISTRIBUTIVE = re.compile(
    r"\b(?:the\s+|los\s+|las\s+)?(?P<head>secretaries|secretarios|secretarias|undersecretaries|subsecretarios)\s+(?:of|de)\s+"
)
_HEAD_SINGULAR = {
    "secretaries": "Secretary of", "secretarios": "Secretario de", "secretarias": "Secretaria de",
    "undersecretaries": "Undersecretary of", "subsecretarios": "Subsecretario de",
}
# Qualifier words run to a comma; a dot only ends them at a sentence end ("U.S." stays inside).
_QUAL_CHAR = r"(?:[^,;:()\n.]|\.(?=\S)|(?<![A-Za-z][A-Za-z])(?<=[A-Z])\.)"
_QUALIFIER = re.compile(rf"^(?:,\s+head)?\s+(?:at|of|for|to|in|with|from|de|del|en|para|por)\s+{_QUAL_CHAR}{{1,80}}?(?=,|\.\s|\.$|;)")
_AFTER_NAME_QUALIFIER = re.compile(rf"\s*,?\s+(?:head\s+of\s+)?(?:of|for|in|de|del|from|with|at|en|para)\s+(?:the\s+|la\s+|el\s+)?{_QUAL_CHAR}{{2,100}}")
#: "Name, " before a title, with what may stand between: "the", "acting", "quien es el", "actual".
_NAME_COMMA_BEFORE = re.compile(
    r"(?P<name>[^,;:()\n]{2,100}?),\s+(?:(?:quien|que|él|ella)\s+es\s+)?(?:the\s+|el\s+|la\s+|los\s+|nuestro\s+|nuestra\s+)?"
    r"(?:(?:U\.S\.|US|acting|interim|then|actual)\s+)?$",
    re.I,
)
_STATE_BEFORE = re.compile(rf"(?<![\w.])(?P<state>{_US_STATE_NAMES})(?:\s+State)?\s+$")
_FORMER = re.compile(r"(?i)\b(?:former|ex|exsecretari[oa]|otrora)[\s-]+$")
_MX_STATES = (
    "Aguascalientes|Baja California Sur|Baja California|Campeche|Chiapas|Chihuahua|Coahuila|Colima|Durango|"
    "Guanajuato|Guerrero|Hidalgo|Jalisco|México|Michoacán|Morelos|Nayarit|Nuevo León|Oaxaca|Puebla|Querétaro|"
    "Quintana Roo|San Luis Potosí|Sinaloa|Sonora|Tabasco|Tamaulipas|Tlaxcala|Veracruz|Yucatán|Zacatecas"
)
#: A post of a state or of Mexico City rather than the federal one of the same name.
_LOCAL_SUFFIX = re.compile(rf"\s+(?:de la Ciudad de México|del (?:estado|Estado) de (?:{_MX_STATES})|de (?:{_MX_STATES})\b)")
_STATE_OF = re.compile(rf"(?:del (?:estado|Estado) de|de la) (?P<state>{_MX_STATES}|Ciudad de México)\b")
#: English titles that, with "of the <organisation>", make a post outside the tables.
_GENERIC_TITLE_EN = re.compile(
    r"(?<![\w.])(?P<title>(?:Chief|Superintendent|Commissioner|Chairwoman|Chairman|Chair|President|Director|Administrator|Sheriff|Commander))\b"
)
_OF_ORGANISATION = re.compile(
    r"\s+of\s+the\s+(?P<org>(?:Mexican\s+|Canadian\s+)?(?:[A-Z][\w'’&.-]*|of|and|for|on|the)(?:\s+(?:[A-Z][\w'’&.-]*|of|and|for|on|the)){0,8}"
    r"\s+(?:Department|Police|Commission|Office|Service|Agency|Bureau|Administration|Patrol|Board|Authority|Council|Court))\b"
)
def _state_government(state: str, gaz: "Gazetteer") -> str | None:
    """The government of a Mexican state or of Mexico City (never the federal one)."""
    if fold_key(state) == "ciudad de mexico":
        return gaz.agency("Gobierno de la Ciudad de México")
    return gaz.agency(f"Gobierno del Estado de {state}")


#: Spanish post words that open a post outside the tables, and the words that complete it.
_GENERIC_POST = re.compile(
    r"(?<![\w])(?P<post>(?P<bare>(?:[Ss]ub)?[Ss]ecretari[oa]|[Dd]irector(?:a)?(?:\s+general)?|[Tt]itular|[Gg]obernador(?:a)?(?:\s+constitucional)?|"
    r"[Cc]oordinador(?:a)?(?:\s+(?:general|nacional))?|[Cc]omisionad[oa]|[Jj]ef[ea]|[Pp]resident[ea]\s+municipal|[Ss]enador(?:a)?|"
    r"[Dd]iputad[oa](?:\s+(?:federal|local))?|[Pp]rocurador(?:a)?|[Ee]mbajador(?:a)?|[Aa]lcalde(?:sa)?|[Dd]elegad[oa]|[Ss]upervisor(?:a)?)"
    r"(?:\s+(?:de|del|para|en|por|ante)\s+(?:(?!\s+(?:y\s+(?!el\s|la\s|los\s|las\s|[A-ZÁÉÍÓÚÑ])|quien\s|que\s|él\s|ella\s))[^,;:.()\n]){1,140})?)(?=\s*[,;:.()\n]|\s+(?:y|quien|que)\s|[ \t]+[A-ZÁÉÍÓÚÑ])"
)
_LABEL = re.compile(
    rf"^[ \t]*(?P<label>[{_UPPER}][{_UPPER} .'’\-]{{2,80}}?)(?:\s*[,.]\s*(?P<post>[^:\n]{{2,200}}?))?\s*:(?=\s)",
    re.MULTILINE,
)
_NON_PERSON_LABELS = frozenset(
    fold_key(w)
    for w in [
        "PREGUNTA", "INTERLOCUTOR", "INTERLOCUTORA", "VOCES A CORO", "VOZ A CORO", "VOCES", "CORO",
        "MODERADOR", "MODERADORA", "PRESENTADOR", "PRESENTADORA", "MAESTRO DE CEREMONIAS",
        "MAESTRA DE CEREMONIAS", "ASISTENTE", "ASISTENTES", "PARTICIPANTE", "PARTICIPANTES",
        "INTERVENCION", "RESPUESTA", "NOTA", "VIDEO", "AUDIO", "LOCUTOR", "LOCUTORA", "PUBLICO",
        "SE ESCUCHA", "INTERPRETE", "TRADUCTOR", "TRADUCTORA", "REPORTERO", "REPORTERA",
        "PERIODISTA", "HOMBRE", "MUJER", "NINO", "NINA", "QUESTION", "ANSWER", "SPEAKER", "AUDIENCE",
        "ATTACHMENT", "ATTACHMENTS", "CONTACT", "NOTE", "PRESS", "MEDIA", "UPDATE", "WASHINGTON",
    ]
)
_POST_HEADS = re.compile(
    r"^(?:secretari[oa]|subsecretari[oa]|director(?:a)?|titular|gobernador(?:a)?|coordinador(?:a)?|"
    r"comisionad[oa]|jef[ea]|president[ea]|fiscal|procurador(?:a)?|subprocurador(?:a)?|embajador(?:a)?|"
    r"consejer[oa]|comandante|vocero|vocera|senador(?:a)?|diputad[oa]|alcalde(?:sa)?|presidente municipal)\b"
)


@dataclass
class _Mention:
    name: str
    start: int
    rank: str | None = None
    post: str | None = None  # canonical post, or a case-restored free-text post
    agency: str | None = None


class _Extractor:
    def __init__(self, gaz: Gazetteer, text: str, default_jurisdiction: str | None) -> None:
        self.gaz = gaz
        self.text = text
        self.folded = fold_for_matching(text)
        self.default = default_jurisdiction
        self.sentences = list(sentence_spans(text))
        self.mentions: list[_Mention] = []

    # -- helpers --------------------------------------------------------------------------

    @staticmethod
    def _orig(fstart: int, fend: int) -> tuple[int, int]:
        return fstart, fend  # the folded text keeps the original's offsets

    def _sentence_start(self, pos: int) -> int:
        start = 0
        for a, b in self.sentences:
            if a <= pos < b:
                return a
            if a > pos:
                break
            start = a
        return start

    def _jurisdiction(self, fstart: int, fend: int) -> str | None:
        before = self.folded[max(0, fstart - 20) : fstart]
        m = _JURISDICTION_PREFIX.search(before)
        if m:
            return "US" if m.group("us") else "MX"
        m = _JURISDICTION_SUFFIX.match(self.folded[fend : fend + 40])
        if m:
            return "US" if m.group("us") else "MX"
        ostart = min(fstart, len(self.text))
        sent_start = self._sentence_start(ostart)
        window = fold_key(self.text[sent_start:ostart])
        found: list[tuple[int, str]] = []
        for cue, jur in _CUES:
            cm = cue.search(window)
            if cm:
                found.append((cm.start(), jur))
        if found:
            return min(found)[1]  # the cue that opens the sentence governs its list
        return self.default

    def _rank_before(self, ostart: int) -> str | None:
        m = self.gaz.rank_re.search(self.text[max(0, ostart - 30) : ostart])
        return self.gaz.ranks.get(fold_key(m.group(0))) if m else None

    def _name_at(self, ostart: int) -> tuple[str | None, str | None, int]:
        """``(rank, name, end)`` of a name (with an optional rank word) starting at ``ostart``."""
        rest = self.text[ostart : ostart + 160]
        rank = None
        rm = re.match(r"(?:the\s+|el\s+|la\s+)?", rest)
        skip = rm.end() if rm else 0
        for length in range(min(4, len(rest[skip:].split())), 0, -1):
            words = rest[skip:].split()[:length]
            cand = " ".join(words)
            key = fold_key(cand)
            if key in self.gaz.ranks:
                after = skip + rest[skip:].find(words[-1]) + len(words[-1])
                nm = NAME_RE.match(rest, after + len(rest[after:]) - len(rest[after:].lstrip()))
                if nm:
                    rank = self.gaz.ranks[key]
                    skip = nm.start()
                break
        nm = NAME_RE.match(rest, skip)
        if not nm:
            return None, None, ostart
        inner_rank, name = _clean_name(nm.group(0), self.gaz)
        if not name:
            return None, None, ostart
        end = ostart + nm.start() + nm.group(0).find(name) + len(name)
        return rank or inner_rank, name, end

    def _agency_in(self, ostart: int, oend: int) -> str | None:
        """The most specific agency a qualifier names ("of the Justice Department's Criminal
        Division" -> Criminal Division, not the Department)."""
        span = self.text[ostart:oend]
        folded = fold_key(span).replace("u.s.", "us").replace("'s", "s")
        found: list[str] = [self.gaz.agency_alias[m.group("alias")] for m in self.gaz.agency_re.finditer(folded)]
        if self.gaz.district_re is not None:
            found += [self.gaz.districts[m.group(0)] for m in self.gaz.district_re.finditer(folded)]
        if self.gaz.qualifier_re is not None:
            bare = re.sub(r"^[\s,]*(?:for|of|de|del)\s+(?:the\s+|la\s+|el\s+)?", "", folded)
            qm = self.gaz.qualifier_re.match(bare)
            if qm:
                found.append(self.gaz.qualifiers[qm.group(0)])
        found += [self.gaz.acronyms[m.group("acronym")] for m in self.gaz.acronym_re.finditer(span)]
        if not found:
            return None
        return max(found, key=lambda a: len(self.gaz.ancestors.get(a, ())))  # max keeps the first of equals

    def _add(self, name: str | None, start: int, rank: str | None, post: str | None, agency: str | None) -> None:
        if not name:
            return
        known = self.gaz.posts.get(post) if post else None
        own = known.agency if known else None
        if own and (not agency or agency in self.gaz.ancestors.get(own, ()) or known.fixed_agency):
            agency = own  # "director general del CENAPRECE de la Secretaría de Salud": CENAPRECE
        self.mentions.append(_Mention(name, start, rank, post, agency))

    def _names_list(self, ostart: int) -> tuple[list[tuple[str, int, str | None]], int]:
        """``X, Y and Z`` from ``ostart``: ``[(name, start, rank)]`` and where the list ends."""
        names: list[tuple[str, int, str | None]] = []
        pos = ostart
        while True:
            if names and self.gaz.post_re.match(self.folded, pos):
                break  # "... and Senior Litigation Counsel Kevin Downing": another title, another list
            rank, name, end = self._name_at(pos)
            if not name:
                break
            names.append((name, pos, rank))
            sep = re.match(r"(?:,\s+and\s+|,\s+|\s+and\s+|\s+y\s+)(?=[A-ZÁÉÍÓÚÑ])", self.text[end : end + 8])
            if not sep:
                pos = end
                break
            pos = end + sep.end()
        return names, pos

    # -- patterns -------------------------------------------------------------------------

    def distributive(self) -> set[int]:
        """``the Secretaries of Security, Alfonso Durazo; Foreign Affairs, Marcelo Ebrard; ...``"""
        claimed: set[int] = set()
        for m in _DISTRIBUTIVE.finditer(self.folded):
            head = _HEAD_SINGULAR[m.group("head")]
            ostart, oend = self._orig(m.start(), m.end())
            jur = self._jurisdiction(m.start(), m.end())
            sent_end = next((b for a, b in self.sentences if a <= ostart < b), len(self.text))
            pos = oend
            for segment in re.split(r";", self.text[oend:sent_end]):
                seg_start = pos
                pos += len(segment) + 1
                sm = re.match(r"^\s*(?:and\s+|y\s+|e\s+)?(?P<dept>(?:the\s+|la\s+|el\s+)?[^,;]{2,60}?),\s+(?P<rest>.+?)\s*[.;]?\s*$", segment, re.S)
                if not sm:
                    break
                dept = sm.group("dept")
                bare = re.sub(r"^(?:the|la|el)\s+", "", dept)
                post = self.gaz.post(f"{head} {dept}", jur) or self.gaz.post(f"{head} {bare}", jur)
                if post is None:
                    break
                rank, name, _ = self._name_at(seg_start + sm.start("rest"))
                if not name:
                    break
                self._add(name, seg_start + sm.start("rest"), rank, post, None)
                claimed.add(seg_start + sm.start("rest"))
        return claimed

    def titled(self) -> None:
        """"Title Name", "Name, title" and "Title, Name", in that order of preference."""
        for m in self.gaz.post_re.finditer(self.folded):
            fstart, fend = m.span()
            alias = m.group("alias")
            jur = self._jurisdiction(fstart, fend)
            post = self.gaz.post(alias, jur)
            if post is None:
                continue
            ostart, oend = self._orig(fstart, fend)
            surface = self.text[ostart:oend]
            # "la Secretaría de Salud" is the ministry, not its secretary (folding makes them one word)
            if re.match(r"(?i)(?:sub)?secretaría\b", surface):
                continue
            # A former holder is not an official of the release ("former Assistant U.S. Attorney X").
            if _FORMER.search(self.text[max(0, ostart - 12) : ostart]):
                continue
            # "secretaria de Salud de la Ciudad de México": a local post; the generic pattern names it.
            if _LOCAL_SUFFIX.match(self.text[oend : oend + 40]):
                continue
            # "California Attorney General Xavier Becerra": a state's post, not the federal one
            sm = _STATE_BEFORE.search(self.text[max(0, ostart - 30) : ostart])
            if sm and alias.endswith("attorney general"):
                post = f"{sm.group('state')} {surface.strip()}"
                self._title_forms(oend, ostart, post)
                continue
            # A lower-case single-word alias ("president") in running text is a common noun.
            if " " not in alias and surface.islower() and len(alias) > 3 and alias not in ("canciller",):
                if not re.match(r"\s+[A-ZÁÉÍÓÚÑ]", self.text[oend : oend + 2]):
                    continue
            if m.group("plural"):
                if alias.endswith(("attorney", "judge", "counsel")):
                    self._plural(oend, post, ostart)
                continue
            after = self.text[oend : oend + 300]
            # Title <unit> Name: "Assistant Attorney General for National Security John C. Demers"
            unit = self._unit_then_name(oend)
            if unit:
                nstart, agency = unit
                rank, name, _end = self._name_at(nstart)
                self._add(name, nstart, rank or self._rank_before(ostart), post, agency)
                continue
            # Title Name
            nm = re.match(r"[ \t]+(?:\([A-Z-]{2,12}\)[ \t]+)?(?=[A-ZÁÉÍÓÚÑ])", after)
            if nm:
                rank, name, _end = self._name_at(oend + nm.end())
                if name:
                    qual = _AFTER_NAME_QUALIFIER.match(self.text[_end : _end + 120])
                    agency = self._agency_in(_end, _end + qual.end()) if qual else None
                    self._add(name, oend + nm.end(), rank or self._rank_before(ostart), post, agency)
                    continue
            # Name, title
            nstart_name = self._name_before(ostart)
            if nstart_name:
                nstart, rank, name = nstart_name
                qual = _QUALIFIER.match(self.text[oend : oend + 100] + ",")
                agency = self._agency_in(oend, oend + qual.end()) if qual else None
                self._add(name, nstart, rank or self._rank_before(nstart), post, agency)
                continue
            # Title, Name  (optionally "Title of/at <qualifier>, Name")
            qual = _QUALIFIER.match(after)
            qend = qual.end() if qual else 0
            cm = re.match(r",\s+(?:the\s+|el\s+|la\s+)?", after[qend:])
            if cm:
                nstart = oend + qend + cm.end()
                rank, name, nend = self._name_at(nstart)
                if name and re.match(r"\s*(?:[;,.:)]|$|\s+(?:and|y|who|quien|said|dijo|as|como)\b)", self.text[nend : nend + 8]):
                    agency = self._agency_in(oend, oend + qend) if qend else None
                    self._add(name, nstart, rank, post, agency)

    def _title_forms(self, oend: int, ostart: int, post: str, agency: str | None = None) -> None:
        """"Title Name" or "Name, title" for a post worked out by the caller."""
        nm = re.match(r"[ \t]+(?=[A-ZÁÉÍÓÚÑ])", self.text[oend : oend + 3])
        if nm:
            rank, name, _end = self._name_at(oend + nm.end())
            if name:
                self._add(name, oend + nm.end(), rank, post, agency)
                return
        found = self._name_before(ostart)
        if found:
            nstart, rank, name = found
            self._add(name, nstart, rank, post, agency)

    def _name_before(self, ostart: int) -> tuple[int, str | None, str] | None:
        """``(start, rank, name)`` of "Name, " (with "the", "acting", "quien es el"...) just before ``ostart``."""
        before = self.text[max(0, ostart - 120) : ostart]
        bm = _NAME_COMMA_BEFORE.search(before)
        if not bm:
            return None
        cand = bm.group("name")
        matches = list(NAME_RE.finditer(cand))
        if not matches or matches[-1].end() != len(cand.rstrip()):
            return None
        rank, name = _clean_name(matches[-1].group(0), self.gaz)
        if not name or not matches[-1].group(0).rstrip(",").endswith(name):
            return None
        return max(0, ostart - 120) + bm.start("name") + matches[-1].start(), rank, name

    def _unit_then_name(self, oend: int) -> tuple[int, str] | None:
        """After a title, "of the Criminal Division Lanny A. Breuer": where the name starts, and the unit."""
        qm = re.match(r"\s+(?:of|for)\s+(?:the\s+)?", self.text[oend : oend + 12])
        if not qm:
            return None
        pos = oend + qm.end()
        for pattern, table in (
            (self.gaz.agency_re, lambda mm: self.gaz.agency_alias[mm.group("alias")]),
            (self.gaz.district_re, lambda mm: self.gaz.districts[mm.group(0)]),
            (self.gaz.qualifier_re, lambda mm: self.gaz.qualifiers[mm.group(0)]),
        ):
            if pattern is None:
                continue
            um = pattern.match(self.folded, pos)
            if not um:
                continue
            nm = re.match(r"[ \t]+(?=[A-Z][a-z]*\.?\s+[A-Z])", self.text[um.end() : um.end() + 30])
            if nm and self._name_at(um.end() + nm.end())[1]:
                return um.end() + nm.end(), table(um)
            return None  # the unit is named but no name follows it
        return None

    def _plural(self, oend: int, post: str, ostart: int) -> None:
        """"Trial Attorneys Robert J. Heberle and James I. Pearce of the Public Integrity Section"."""
        nm = re.match(r"[ \t]+(?=[A-Z])", self.text[oend : oend + 3])
        if not nm:
            return
        names, end = self._names_list(oend + nm.end())
        if not names:
            return
        qual = _AFTER_NAME_QUALIFIER.match(self.text[end : end + 120])
        agency = self._agency_in(end, end + qual.end()) if qual else None
        for name, start, rank in names:
            self._add(name, start, rank or self._rank_before(ostart), post, agency)

    def generic_en(self) -> None:
        """English posts outside the tables, named with their organisation: "Chief Cathy L. Lanier
        of the Metropolitan Police Department", "Kerry A. Gilpin, Superintendent of the
        Massachusetts State Police". The post is "<title> of the <organisation>"; the agency is the
        table's when it knows the organisation, else the organisation as written."""
        claimed = {m.start for m in self.mentions}
        for m in _GENERIC_TITLE_EN.finditer(self.text):
            title = m.group("title")
            ostart, oend = m.span("title")
            if _FORMER.search(self.text[max(0, ostart - 12) : ostart]):
                continue
            # "<Title> <Name> of the <Org>"
            nm = re.match(r"[ \t]+(?=[A-Z])", self.text[oend : oend + 3])
            if nm:
                rank, name, nend = self._name_at(oend + nm.end())
                om = _OF_ORGANISATION.match(self.text, nend) if name else None
                if om and oend + nm.end() not in claimed:
                    org = om.group("org")
                    agency = self._agency_in(om.start("org"), om.end("org")) or org
                    self._add(name, oend + nm.end(), rank or self._rank_before(ostart), f"{title} of the {org}", agency)
                    claimed.add(oend + nm.end())
                    continue
            # "<Name>, <Title> of the <Org>"
            om = _OF_ORGANISATION.match(self.text, oend)
            found = self._name_before(ostart) if om else None
            if found and found[0] not in claimed:
                nstart, rank, name = found
                org = om.group("org")
                agency = self._agency_in(om.start("org"), om.end("org")) or org
                self._add(name, nstart, rank or self._rank_before(nstart), f"{title} of the {org}", agency)
                claimed.add(nstart)

    def generic_es(self) -> None:
        """Spanish posts outside the tables, in the same three shapes: "Isabel Martínez Peña,
        directora del Hospital Rural Mamantel", "el presidente municipal de Zongolica, ingeniero
        Juan Carlos Mezhua Campos", "señor gobernador Mauricio Vila Dosal". The post is kept as
        written (first letter capitalised); a table post is used where the words name one."""
        claimed = {m.start for m in self.mentions}
        for m in _GENERIC_POST.finditer(self.text):
            ostart, oend = m.start("post"), m.end("post")
            if re.match(r"(?i)(?:sub)?secretaría\b", m.group("post")) or _FORMER.search(self.text[max(0, ostart - 12) : ostart]):
                continue
            phrase = m.group("post").strip()
            post = self.gaz.post(phrase, self.default) or (phrase[:1].upper() + phrase[1:])
            sm = _STATE_OF.search(phrase) if post not in self.gaz.posts else None
            agency = _state_government(sm.group("state"), self.gaz) if sm else self._agency_in(ostart, oend)
            found = self._name_before(ostart)
            if found and found[0] not in claimed:
                nstart, rank, name = found
                self._add(name, nstart, rank or self._rank_before(nstart), post, agency)
                claimed.add(nstart)
                continue
            if m.group("post") == m.group("bare") and self.text[oend : oend + 1] == "," and m.group("bare")[:1].islower():
                continue  # "Zoé Robledo, secretario, director del Seguro Social": a form of address
            cm = re.match(r"(?:,\s+|[ \t]+)(?:el\s+|la\s+)?", self.text[oend : oend + 8])
            if cm and (cm.group(0).startswith(",") or (m.group("post") == m.group("bare") and self.text[oend + cm.end() : oend + cm.end() + 1].isupper())):
                nstart = oend + cm.end()
                rank, name, nend = self._name_at(nstart)
                if name and nstart not in claimed and re.match(r"\s*(?:[;,.:)\n]|$|\s+(?:y|quien|que)\b)", self.text[nend : nend + 6]):
                    self._add(name, nstart, rank, post, agency)
                    claimed.add(nstart)

    def labels(self) -> None:
        """Transcript speaker labels: ``NAME, POST:`` in capitals at the start of a line."""
        for m in _LABEL.finditer(self.text):
            label = m.group("label").strip(" .-")
            # "P RESIDENTE ANDRÉS MANUEL", "I NTERLOCUTORA": a letter the transcript split off its word
            label = re.sub(rf"^([{_UPPER}]) ([{_UPPER}]{{2,}})", r"\1\2", label)
            post_text = (m.group("post") or "").strip()
            if fold_key(label) in _NON_PERSON_LABELS or not any(c.isalpha() for c in label):
                continue
            if post_text and not post_text.isupper():
                continue  # "Note, however:" and the like are prose, not labels
            name_part = label
            post = None
            # "PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR": the post opens the label
            pm = self.gaz.post_re.match(fold_key(label).replace("u.s.", "us"))
            if pm and not pm.group("plural") and pm.end() < len(fold_key(label)):
                post = self.gaz.post(pm.group("alias"), self.default)
                name_part = " ".join(label.split()[len(pm.group("alias").split()) :])
            elif fold_key(label.split()[0]) in ("presidente", "presidenta") and self.default == "MX":
                post = self.gaz.post("presidente de la republica", "MX")
                name_part = " ".join(label.split()[1:])
            rank, name = _clean_name(restore_case(name_part), self.gaz)
            if not name:
                continue
            if len(name.split()) < 2 or fold_key(name) in _NON_PERSON_LABELS:
                continue
            agency = None
            if post_text:
                plain = post_case(post_text, self.gaz)
                canon = self.gaz.post(plain, self.default)
                if canon:
                    post = canon
                elif _POST_HEADS.match(fold_key(post_text)) or len(plain.split()) >= 3:
                    post = plain
                    agency = self._agency_in(m.start("post"), m.end("post"))
            self._add(name, m.start("label"), rank, post, agency)


def _tokens(name: str) -> list[str]:
    return [t for t in re.split(r"[\s.\-]+", fold_key(name)) if t and t not in ("de", "del", "la", "las", "los", "y", "jr", "sr")]


def _close(a: str, b: str) -> bool:
    """Equal, or one edit apart for words of six letters or more (Cresencio / Crescencio)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def same_person(a: str, b: str) -> bool:
    """True when the shorter name's words all appear (allowing a typo) in the longer, last name included."""
    return _same_tokens(_tokens(a), _tokens(b))


def _same_tokens(ta: list[str], tb: list[str]) -> bool:
    if not ta or not tb:
        return False
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if not any(_close(short[-1], t) for t in long_[1:] or long_):
        return False
    return all(any(_close(s, t) for t in long_) for s in short)


def merge_variants(
    names: list[str], posts: dict[str, set[str]], weights: list[int], people: dict[str, str] | None = None
) -> list[int]:
    """For each name, the index of the name that stands for its person across releases.

    Names merge when they are clearly one person in one post: one name's words all appear in the
    other (``same_person``: "Thomas Perez" and "Thomas E. Perez", or a one-letter typo) and they
    share a post. A group never holds two names that do not match each other, so "John A. Smith"
    and "John B. Smith" stay apart even though both match "John Smith". The people table's form
    (``people``: variant -> canonical) stands for the group, else the form most releases use, then
    the fullest; with accents where a form has them.

    >>> merge_variants(["Thomas Perez", "Thomas E. Perez", "Tom Perez"],
    ...                {"Thomas Perez": {"AAG"}, "Thomas E. Perez": {"AAG"}, "Tom Perez": {"AAG"}}, [5, 9, 1])
    [1, 1, 2]
    >>> merge_variants(["Marcelo Ebrard", "Marcelo Ebrard Casaubon", "Marcelo Ebrard Casaubón"],
    ...                {n: {"SRE"} for n in ["Marcelo Ebrard", "Marcelo Ebrard Casaubon", "Marcelo Ebrard Casaubón"]}, [9, 5, 1],
    ...                {"marcelo ebrard": "Marcelo Ebrard Casaubón"})
    [2, 2, 2]
    """
    tokens = [_tokens(name) for name in names]
    eligible = [i for i, name in enumerate(names) if len(tokens[i]) >= 2 and posts.get(name)]
    rep = list(range(len(names)))
    canonical = set((people or {}).values())

    def fullness(i: int) -> tuple[int, int, int]:
        return len(tokens[i]), sum(not c.isascii() for c in names[i]), weights[i]

    def standing(i: int) -> tuple[bool, int, int, int]:
        # the people table's form, else the form most releases use, else the fullest
        return names[i] in canonical, weights[i], len(tokens[i]), sum(not c.isascii() for c in names[i])

    groups: list[list[int]] = []
    group_posts: list[set[str]] = []
    by_surname: dict[str, list[int]] = {}  # a word after the first -> groups holding it
    for i in sorted(eligible, key=fullness, reverse=True):
        words = tokens[i][1:]
        # names come longest first, so a group can only take this name if it holds its last word
        candidates = by_surname.get(tokens[i][-1], [])
        for g in candidates:
            if posts[names[i]] & group_posts[g] and all(_same_tokens(tokens[i], tokens[j]) for j in groups[g]):
                groups[g].append(i)
                group_posts[g] |= posts[names[i]]
                break
        else:
            g = len(groups)
            groups.append([i])
            group_posts.append(set(posts[names[i]]))
        for w in words:
            if g not in by_surname.setdefault(w, []):
                by_surname[w].append(g)
    for group in groups:
        if len(group) < 2:
            continue
        best = max(group, key=standing)
        # the same words with accents win ("Casaubon" -> "Casaubón")
        best = max((i for i in group if fold_key(names[i]) == fold_key(names[best])), key=lambda i: sum(not c.isascii() for c in names[i]))
        for i in group:
            rep[i] = best
    return rep


def canonical_person(name: str, gaz: Gazetteer | None = None) -> str:
    """The canonical display form of a person: the people table's, else the name as written."""
    gaz = gaz or gazetteer()
    known = gaz.person(name)
    if known:
        return known
    for variant, canon in gaz.people.items():
        if len(_tokens(name)) >= 2 and same_person(name, variant) and len(_tokens(variant)) >= len(_tokens(name)):
            return canon
    return name


def _merge(mentions: list[_Mention], gaz: Gazetteer) -> list[Official]:
    """One official per person: mentions of one person are merged, the fullest facts kept."""
    people: list[list[_Mention]] = []
    for m in sorted(mentions, key=lambda x: x.start):
        for group in people:
            if any(same_person(m.name, g.name) for g in group):
                group.append(m)
                break
        else:
            people.append([m])
    officials: list[Official] = []
    for group in people:
        longest = max(group, key=lambda g: (len(_tokens(g.name)), any(c.islower() for c in g.name)))
        if len(_tokens(longest.name)) < 2:
            # A bare surname is too weak to name a person, unless it comes with a post and names
            # one known person only ("Attorney General Sessions", "el almirante Ojeda").
            known = gaz.by_surname(longest.name) if any(g.post for g in group) else None
            if not known:
                continue
            longest = _Mention(known, longest.start, longest.rank, longest.post, longest.agency)
        name = canonical_person(longest.name, gaz)
        post = next((g.post for g in group if g.post in gaz.posts), None) or next((g.post for g in group if g.post), None)
        agency = next((g.agency for g in group if g.post == post and g.agency), None) or next(
            (g.agency for g in group if g.agency), None
        )
        rank = next((g.rank for g in group if g.rank), None)
        officials.append(Official(name=name, rank=rank, role=post, agency=agency))
    return officials


def _districts_named(folded: str, gaz: Gazetteer) -> list[str]:
    """US Attorneys' Offices whose district the text names ("the Southern District of Florida")."""
    if gaz.district_re is None:
        return []
    return [gaz.districts[m.group(0)] for m in gaz.district_re.finditer(folded.replace("u.s.", "us"))]


#: ``unit`` of a post in posts.json -> which agencies under the post's agency are such units.
_UNIT_KINDS = {"district": lambda name: name.startswith("USAO - "), "division": lambda name: name.endswith(" Division")}


def _resolve_units(officials: list[Official], named: list[str], gaz: Gazetteer) -> None:
    """An official left with only the post's own agency ("United States Attorney Channing D.
    Phillips": the US Attorneys) gets the unit when the post sits in one (``unit`` in posts.json)
    and the release names exactly one unit of that kind (one district, one DOJ division)."""
    for o in officials:
        post = gaz.posts.get(o.role or "")
        if not post or not post.unit or o.agency != post.agency:
            continue
        is_unit = _UNIT_KINDS[post.unit]
        units = {a for a in named if is_unit(a) and a in gaz.agencies and gaz.agencies[a].parent == post.agency}
        if len(units) == 1:
            o.agency = units.pop()


def default_jurisdiction(publisher_agencies: list[str], lang: str | None, gaz: Gazetteer) -> str | None:
    """The government a release speaks for: its publisher's, else Mexico for Spanish text and the
    United States for English text (sentence cues such as "for Mexico" still override it)."""
    for name in publisher_agencies:
        agency = gaz.agencies.get(name)
        if agency:
            return agency.jurisdiction
    if lang == "es":
        return "MX"
    if lang == "en":
        return "US"
    return None


def split_publisher(publisher: str | None) -> list[str]:
    """``"Presidencia de la República / Secretaría de Salud"`` -> two publishers."""
    if not publisher:
        return []
    return [p.strip() for p in re.split(r"\s+/\s+", publisher) if p.strip()]


def text_agencies(text: str, gaz: Gazetteer, folded: str | None = None) -> list[str]:
    """Agencies named in the text by alias (any case, accents optional) or by acronym (exact case)."""
    folded = (folded if folded is not None else fold_for_matching(text)).replace("u.s.", "us").replace("'s", "s")
    found = [gaz.agency_alias[m.group("alias")] for m in gaz.agency_re.finditer(folded)]
    found += [gaz.acronyms[m.group("acronym")] for m in gaz.acronym_re.finditer(text)]
    return list(dict.fromkeys(found))


def extract_entities(
    title: str,
    body: str,
    lang: str | None = None,
    publisher: str | None = None,
    components: list[str] | None = None,
) -> Entities:
    """Officials (with rank, post and agency) and agencies of one release.

    ``components`` is metadata such as DOJ's own unit tags; pass None to measure the text alone.
    """
    gaz = gazetteer()
    publishers = [gaz.agency(p) or p for p in split_publisher(publisher)]
    ex = _Extractor(gaz, body, default_jurisdiction(publishers, lang, gaz))
    ex.distributive()
    ex.titled()
    ex.labels()
    if lang == "es" or (lang is None and ex.default == "MX"):
        ex.generic_es()
    else:
        ex.generic_en()
    officials = _merge(ex.mentions, gaz)
    agencies: list[str] = list(publishers)
    agencies += [gaz.agency(c) or c for c in components or []]
    named = text_agencies(title, gaz) + text_agencies(body, gaz, ex.folded)
    agencies += named
    _resolve_units(officials, named + _districts_named(ex.folded, gaz), gaz)
    agencies += [o.agency for o in officials if o.agency]
    # In its own department's releases a post speaks for its office: DOJ tags a release in which
    # the Attorney General is quoted with "Office of the Attorney General".
    agencies += [
        gaz.posts[o.role].office
        for o in officials
        if o.role in gaz.posts and gaz.posts[o.role].office and gaz.posts[o.role].agency in publishers
    ]
    agencies += [name for name, within, cue in gaz.implied if within in agencies and cue.search(body)]
    return Entities(officials=officials, agencies=list(dict.fromkeys(a for a in agencies if a)))
