"""Whether a release is evidence that an official held their post on its date.

Extraction names each official of a release with one post. For tenures that is not enough: a
release that names "former Attorney General Eric Holder", "then-Attorney General Janet Reno",
"Attorney General nominee Loretta E. Lynch" or "la exsecretaria de Desarrollo Social, Rosario
Robles" says nothing about who held the post on its date, and one that names "Acting Attorney
General Sally Q. Yates" (or "Name, acting Deputy Attorney General", which extraction reads as the
post itself) names an acting holder. Each mention of the official's surnames in the text is read
with the words around it, in the worker process that extracted the release:

- ``former``: every mention is past ("former", "ex", "exsecretaria", "then-", "the late",
  "who served as", "quien fue") or future ("nominee", "designate", "electo"): not evidence;
- ``acting``: some mention says "acting", "interim", "interino" or "encargado del despacho".

The marks are stored with the release (``official_marks``) and read when tenures are computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..analysis import fold_same_length

FORMER = "former"
ACTING = "acting"
#: Separates the official's name from the mark in the ``official_marks`` field.
SEPARATOR = "\x1f"

_PAST = (
    r"former|formerly|ex|ex-(?=\w)|then(?=-|\s+(?-i:[A-Z]))|the\s+late|retired|otrora|entonces|anterior"
    r"|ex(?:secretari[oa]|subsecretari[oa]|titular|president[ea]|gobernador[a]?|procurador[a]?|fiscal|canciller"
    r"|director[a]?|jef[ea]|comisionad[oa]|coordinador[a]?|embajador[a]?|senador[a]?|diputad[oa]|alcalde(?:sa)?)"
)
_FUTURE = r"nominee|nominated|designate|incoming|electo|electa|nominad[oa]"
_ACTING = r"acting|interim|interin[oa]|encargad[oa]\s+de(?:l)?\s+despacho|provisional"
#: A marker before the name: the nearest one decides ("former Acting Attorney General" is past).
_MARKER = re.compile(rf"(?<![\w-])(?:(?P<former>{_PAST}|{_FUTURE})|(?P<acting>{_ACTING}))(?![\w])", re.I)
#: Words a marker may stand before the name: title words, "of the", given names, initials.
MAX_CHAIN_WORDS = 10
#: Where the words before a name stop belonging to it: a clause break or a second name.
_CHAIN_BREAK = re.compile(
    r"[;:()\[\]]|\s(?:said|dijo|with|con)\s|\s(?:and|or|y|e|o)\s+(?=(?:el|la|los|las|the)\s|(?-i:[A-ZÁÉÍÓÚÑ]))", re.I
)
#: After the name (and the rest of it: "Holder Jr."): ", former ...", ", who served as ...".
_REST = r"(?:,?\s+(?:[A-Z][\w.'’-]*|de|del|la|y)(?=[\s,]))*"
_AFTER = {
    FORMER: re.compile(
        rf"^{_REST},?\s+(?:(?:the|el|la|our|nuestro|nuestra)\s+)?"
        rf"(?:(?:{_PAST}|{_FUTURE})(?![\w])|who\s+(?:served|had\s+served|had\s+been)\b|quien\s+(?:fuera|fungi[oó])\b)",
        re.I,
    ),
    ACTING: re.compile(
        rf"^{_REST},?\s+(?:(?:the|el|la|our|nuestro|nuestra)\s+)?(?:{_ACTING})(?![\w])"
        r"|^[^,.]{0,40},?\s+(?:quien|que)\s+(?:funge|se\s+desempe[ñn]a)\s+como\s+encargad",
        re.I,
    ),
}
#: Context read on each side of a mention, cut at a sentence end.
WINDOW = 120
_SENTENCE_END = re.compile(r"(?:[.!?]\s+(?=[A-Z¿¡\"“])|\n)")
#: Words of a name that are not surnames: particles and suffixes.
_NOT_SURNAMES = frozenset({"de", "del", "la", "las", "los", "y", "jr", "sr", "ii", "iii", "iv"})


def surnames(name: str) -> list[str]:
    """The words that find a person in a text: every word after the first, bar particles and
    initials (``Eric H. Holder Jr.`` -> ``["Holder"]``; ``Olga Sánchez Cordero`` -> both surnames).

    >>> surnames("Eric H. Holder Jr."), surnames("Olga Sánchez Cordero Dávila"), surnames("AMLO")
    (['Holder'], ['Sánchez', 'Cordero', 'Dávila'], ['AMLO'])
    """
    words = [w.strip(".,") for w in name.split()]
    rest = [w for w in words[1:] if len(w) > 2 and w.lower().strip(".") not in _NOT_SURNAMES]
    return rest or words[-1:]


def mention_marks(text: str, name: str, folded: str | None = None) -> list[str | None]:
    """For each mention of the person in ``text``: ``former``, ``acting`` or None (plain).
    ``folded``: ``text`` already folded (one character per character)."""
    folded = fold_same_length(text) if folded is None else folded
    words = [re.escape(fold_same_length(w)) for w in surnames(name)]
    if not words:
        return []
    found: list[str | None] = []
    for m in re.finditer(rf"(?<![\w-])(?:{'|'.join(words)})s?(?![\w-])", folded, re.I):
        if not text[m.start()].isupper():
            continue  # "account holder" is no mention of Eric Holder
        found.append(_classify(text, m.start(), m.end()))
    return found


def _classify(text: str, start: int, end: int) -> str | None:
    before = text[max(0, start - WINDOW) : start]
    cuts = list(_SENTENCE_END.finditer(before))
    if cuts:
        before = before[cuts[-1].end() :]
    breaks = list(_CHAIN_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    markers = list(_MARKER.finditer(before))
    if markers and len(before[markers[-1].end() :].split()) <= MAX_CHAIN_WORDS:
        last = markers[-1]
        # "former acting Attorney General": the past wins over the acting it qualifies
        if (
            len(markers) > 1
            and markers[-2].group("former")
            and not before[markers[-2].end() : last.start()].strip(" -")
        ):
            return FORMER
        return FORMER if last.group("former") else ACTING
    after = text[end : end + WINDOW]
    cut = _SENTENCE_END.search(after)
    if cut:
        after = after[: cut.start() + 1]
    for mark in (FORMER, ACTING):
        if _AFTER[mark].match(after):
            return mark
    return None


def official_mark(text: str, name: str, folded: str | None = None) -> str | None:
    """``former`` when every mention of the person is past or future, ``acting`` when one says
    acting, else None. A person the text never names by surname is unmarked."""
    marks = mention_marks(text, name, folded)
    if marks and all(m == FORMER for m in marks):
        return FORMER
    if ACTING in marks:
        return ACTING
    return None


def official_marks(text: str, officials: Iterable[Any]) -> list[str]:
    """The ``official_marks`` field of a release: ``"<name>\\x1f<mark>"`` per marked official."""
    out = []
    folded = fold_same_length(text)
    for o in officials:
        mark = official_mark(text, o.name, folded)
        if mark:
            out.append(f"{o.name}{SEPARATOR}{mark}")
    return out
