"""What a person's name looks like in a release, and how to cut one out of the words around it.

Surface rules only: capitalised words with particles (``de la``, ``van``), initials, suffixes;
honorifics and rank words that open a name but are not part of it; words that end a name (months,
institutions, places). Whether two names are one person is ``people``'s concern.
"""

from __future__ import annotations

import re

from ..analysis import fold_key
from .gazetteer import Gazetteer, gazetteer

UPPER = "A-ZÁÉÍÓÚÑÜÀÈÌÒÙÂÊÎÔÛÄËÏÖÇ"
LOWER = "a-záéíóúñüàèìòùâêîôûäëïöç"
_WORD = (
    rf"(?:(?!(?:Jr|Sr)\.)(?:Mc|Mac|Di|De|Des|Du|La|Le|Van|O['’]?)?[{UPPER}][{LOWER}]+(?:['’][{UPPER}]?[{LOWER}]+)?(?:-[{UPPER}][{LOWER}]+)?"
    rf"|[{UPPER}]\.)(?![\w'’])"
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
_DOCUMENT_WORDS = frozenset(
    "guidance memorandum memo policy initiative directive order rule statement letter doctrine".split()
)
_INSTITUTION_WORDS = _INSTITUTION_WORDS | _DOCUMENT_WORDS


def clean_name(candidate: str, gaz: Gazetteer) -> tuple[str | None, str | None]:
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
