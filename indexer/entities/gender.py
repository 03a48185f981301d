"""Spanish posts agree with their holder: feminine forms of post words, and the holder's
grammatical gender as the text shows it.

The tables keep one canonical post per office in the masculine (``Secretario de Energía``); the
text says ``la secretaria de Energía``, ``Rocío Nahle, secretaria de Energía`` or ``la fiscal``.
``holder_feminine`` reads that from the words of the post and the article before it, and
``feminine_label`` makes a canonical Spanish label agree:

>>> feminine_label("Jefe de Gobierno de la Ciudad de México")
'Jefa de Gobierno de la Ciudad de México'
>>> feminine_label("Director General Adjunto de Programas")
'Directora General Adjunta de Programas'
>>> feminine_label("Coordinador General de Comunicación Social y Vocero de la Presidencia")
'Coordinadora General de Comunicación Social y Vocera de la Presidencia'
>>> feminine_label("Fiscal de Distrito Adjunto")
'Fiscal de Distrito Adjunta'
"""

from __future__ import annotations

import re

from ..analysis import fold_key

#: Masculine post word -> feminine (folded keys; invariant words such as fiscal, titular,
#: canciller, comandante and agente are simply absent).
FEMININE = {
    "secretario": "secretaria",
    "subsecretario": "subsecretaria",
    "director": "directora",
    "subdirector": "subdirectora",
    "coordinador": "coordinadora",
    "procurador": "procuradora",
    "subprocurador": "subprocuradora",
    "gobernador": "gobernadora",
    "presidente": "presidenta",
    "embajador": "embajadora",
    "jefe": "jefa",
    "consejero": "consejera",
    "comisionado": "comisionada",
    "agregado": "agregada",
    "tesorero": "tesorera",
    "administrador": "administradora",
    "inspector": "inspectora",
    "abogado": "abogada",
    "juez": "jueza",
    "ministro": "ministra",
    "magistrado": "magistrada",
    "diputado": "diputada",
    "senador": "senadora",
    "alcalde": "alcaldesa",
    "delegado": "delegada",
    "vocero": "vocera",
    "comisario": "comisaria",
    "supervisor": "supervisora",
    "investigador": "investigadora",
}
_FEMININE_WORDS = frozenset(FEMININE.values()) - set(FEMININE)
#: Adjectives of the holder that may close a post after its unit ("Fiscal de Distrito Adjunto").
_CLOSING_ADJECTIVES = {"adjunto": "adjunta", "interino": "interina", "encargado": "encargada"}
#: Words that end the run of adjectives after a post word.
_STOP = frozenset("de del la las los el a al para en por contra ante sobre y e".split())


def _match_case(word: str, like: str) -> str:
    """``word`` written in the case of ``like`` (``jefa`` like ``Jefe`` -> ``Jefa``)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _feminine_word(word: str, head: bool) -> str:
    """The feminine of a post word (``head``) or of an adjective after it (``-o`` -> ``-a``)."""
    key = fold_key(word)
    if head and key in FEMININE:
        fem = FEMININE[key]
        # keep an accent the masculine carries at the same place ("Vocero" has none to keep)
        return _match_case(fem, word)
    if not head and re.fullmatch(r"[a-záéíóúñ]+o", word.lower()) and len(word) > 3:
        return word[:-1] + ("A" if word[-1].isupper() else "a")
    return word


def feminine_label(label: str) -> str:
    """A Spanish post label made feminine: each post word (the first, and one after " y "), the
    adjectives right after it, and an ``Adjunto`` that closes the label."""
    words = label.split(" ")
    out: list[str] = []
    head_next = True
    in_run = False
    for i, word in enumerate(words):
        key = fold_key(word)
        if head_next:
            out.append(_feminine_word(word, head=True))
            head_next, in_run = False, True
            continue
        if key in ("y", "e") and i + 1 < len(words) and fold_key(words[i + 1]) in FEMININE:
            out.append(word)
            head_next = True
            continue
        if key in _STOP or word.startswith("("):
            in_run = False
        elif in_run:
            word = _feminine_word(word, head=False)
        elif i == len(words) - 1 and key in _CLOSING_ADJECTIVES:
            word = _match_case(_CLOSING_ADJECTIVES[key], word)
        out.append(word)
    return " ".join(out)


#: A feminine article just before the post words ("la fiscal", "la titular", "a la comandante").
_ARTICLE_BEFORE = re.compile(r"(?i)\b(?P<article>la|el|del|al|una|un)\s+(?:(?:nueva|nuevo|actual|propia|propio)\s+)?$")


def holder_feminine(post_words: str, before: str = "") -> bool | None:
    """The holder's grammatical gender as the Spanish text shows it: True for ``secretaria``,
    ``directora``, ``la fiscal``; False for ``secretario``, ``el fiscal``; None where the words
    do not tell (``titular`` with no article, English text).

    >>> holder_feminine("secretaria de Energía"), holder_feminine("secretario de Marina")
    (True, False)
    >>> holder_feminine("fiscal general", "Agradecemos a la "), holder_feminine("titular de la Unidad")
    (True, None)
    """
    words = post_words.split()
    if not words:
        return None
    first = fold_key(words[0])
    if first in _FEMININE_WORDS:
        return True
    if first in FEMININE:
        return False
    m = _ARTICLE_BEFORE.search(before[-30:])
    if m:
        return fold_key(m.group("article")) in ("la", "una")
    return None
