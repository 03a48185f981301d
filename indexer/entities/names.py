"""What a person's name looks like in a release, and how to cut one out of the words around it.

Surface rules only: capitalised words with particles (``de la``, ``van``), initials, suffixes;
honorifics and rank words that open a name but are not part of it; words that end a name (months,
institutions, places). Whether two names are one person is ``people``'s concern.
"""

from __future__ import annotations

import re

from ..analysis import fold_key
from .evidence import person_words
from .gazetteer import Gazetteer, gazetteer
from .given_names import is_given_name, is_title_word
from .people import person_by_surname

UPPER = "A-ZÁÉÍÓÚÑÜÀÈÌÒÙÂÊÎÔÛÄËÏÖÇ"
LOWER = "a-záéíóúñüàèìòùâêîôûäëïöç"
_WORD = (
    rf"(?:(?!(?:Jr|Sr)\.)(?:Mc|Mac|Di|De|Des|Du|La|Le|Van|O['’]?)?[{UPPER}][{LOWER}]+(?:[{UPPER}][{LOWER}]{{2,}})?"
    rf"(?:['’][{UPPER}]?[{LOWER}]+)?(?:-[{UPPER}][{LOWER}]+)?"
    rf"|[{UPPER}]\.)(?![\w'’])"
)
_INITIAL = re.compile(rf"^[{UPPER}]\.$")
_PARTICLE = r"(?:de la|de las|de los|del|de|van der|van|von|da|di|du|le)"
# Words of a name are on one line: a line break ends it ("Vern Pierson\nRiverside County ...").
NAME_RE = re.compile(rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_WORD}){{0,5}}(?:,?[ \t]+(?:Jr\.|Sr\.|III|II|IV))?")

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


def post_case(text: str, gaz: Gazetteer | None = None) -> str:
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
US_STATE_NAMES = (
    "New York|New Jersey|New Mexico|New Hampshire|North Carolina|North Dakota|South Carolina|South Dakota|"
    "West Virginia|Rhode Island|Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|"
    "Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|"
    "Missouri|Montana|Nebraska|Nevada|Ohio|Oklahoma|Oregon|Pennsylvania|Tennessee|Texas|Utah|Vermont|Virginia|"
    "Washington|Wisconsin|Wyoming"
)
_US_STATES = frozenset(fold_key(s) for s in US_STATE_NAMES.split("|") if " " not in s)
MX_STATES = (
    "Aguascalientes|Baja California Sur|Baja California|Campeche|Chiapas|Chihuahua|Coahuila|Colima|Durango|"
    "Guanajuato|Guerrero|Hidalgo|Jalisco|México|Michoacán|Morelos|Nayarit|Nuevo León|Oaxaca|Puebla|Querétaro|"
    "Quintana Roo|San Luis Potosí|Sinaloa|Sonora|Tabasco|Tamaulipas|Tlaxcala|Veracruz|Yucatán|Zacatecas"
)
#: A "name" that is a state or Mexico City is a place ("en Cerritos, San Luis Potosí, el presidente").
_PLACES = frozenset(fold_key(s) for s in f"{US_STATE_NAMES}|{MX_STATES}|Ciudad de México|Estado de México".split("|"))
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
    unit units section branch squad team association project initiative affairs release advisory
    contacts note addendum hotline library ceremony awards seccion unidad equipo asociacion
    """.split()
)


#: Words of documents that may follow a surname used as an adjective ("Sessions Guidance").
_DOCUMENT_WORDS = frozenset(
    "guidance memorandum memo policy initiative directive order rule statement letter doctrine".split()
)
_INSTITUTION_WORDS = _INSTITUTION_WORDS | _DOCUMENT_WORDS


def _apostrophe(word: str) -> str:
    """ "ONeil" -> "O'Neil": the apostrophe a crawl dropped from an O' or D' surname.

    >>> _apostrophe("ONeil"), _apostrophe("DAmato"), _apostrophe("DeGaetano"), _apostrophe("DOJ")
    ("O'Neil", "D'Amato", 'DeGaetano', 'DOJ')
    """
    m = re.fullmatch(rf"([OD])([{UPPER}][{LOWER}]{{2,}})([,.]?)", word)
    return f"{m.group(1)}'{m.group(2)}{m.group(3)}" if m else word


def _institutional(word: str) -> bool:
    """A word of institutions (or a Spanish abstract noun in -ción), never in a person's name."""
    return fold_key(word) in _INSTITUTION_WORDS or fold_key(word).endswith("cion")


def _possessive(word: str, gaz: Gazetteer) -> bool:
    """ "Holders" where the crawl lost the apostrophe of "Holder's" (a known person's surname)."""
    return (
        len(word) > 3
        and word.endswith("s")
        and person_by_surname(word[:-1], gaz) is not None
        and person_by_surname(word, gaz) is None
    )


def _first_name_not_title(word: str) -> bool:
    return is_given_name(word) and not is_title_word(word) and not word.endswith(".")


def clean_name(candidate: str, gaz: Gazetteer, common: frozenset[str] | None = None) -> tuple[str | None, str | None]:
    """``(rank, name)`` from a matched name: leading rank words and honorifics come off,
    and the name is cut at the first word that cannot be part of a person's name.

    ``common``: the release's lower-case words; with them the name must also carry the evidence
    of ``evidence.person_words`` (a given name or known person opens it, common words and titles
    end it)."""
    words = candidate.split()
    rank = None
    while words:
        key = fold_key(words[0])
        # "Don D. Bush": a word that is an honorific and a first name, before an initial, is the name
        if len(words) > 2 and _INITIAL.match(words[1]) and _first_name_not_title(words[0]):
            break
        if key in gaz.ranks:
            rank = rank or gaz.ranks[key]
        elif key not in _HONORIFICS:
            break
        words.pop(0)
    # "... District of Georgia Michael J. Moore": a state before another name is a qualifier's
    # tail; "Virginia A. Phillips" is a name
    if len(words) >= 3 and fold_key(words[0]) in _US_STATES and not _INITIAL.match(words[1]):
        words.pop(0)
    # "Todd Spitzer’s office": a possessive ends the name after its owner
    for i, w in enumerate(words):
        if re.search(r"['’]s$", w):
            words = [*words[:i], w[:-2]]
            break
    kept: list[str] = []
    for i, w in enumerate(words):
        key = fold_key(w.strip(","))
        if key in _NOT_NAME and not (kept and key in ("de", "del", "la", "las", "los")):
            break
        # "Christy Gray de la Unidad de Fraude": a particle before an institution's word ends the name
        rest = [fold_key(x) for x in words[i:]]
        if kept and key in ("de", "del") and any(_institutional(x) for x in rest[1:3] if x not in ("la", "las", "los")):
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
    institutional = _institutional
    if kept and fold_key(kept[-1]) in _DOCUMENT_WORDS and not any(institutional(w) for w in kept[:-1]):
        kept = kept[:-1]
    if not kept or any(institutional(w) for w in kept):
        return rank, None
    if fold_key(" ".join(kept)) in _PLACES or _possessive(kept[0], gaz):
        return rank, None
    if common is not None:
        person = person_words(kept, common, known=gaz.person(" ".join(kept)) is not None)
        if not person:
            return rank, None
        kept = person
    return rank, " ".join(_apostrophe(w) for w in kept).rstrip(",")
