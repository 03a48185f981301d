"""Whether capitalised words are a person's name: the evidence a candidate must carry.

A name is a name on sources never seen before when its words behave like one, judged by
methods rather than by lists drawn from one file:

- **given names** (``given_names``): a first word that is a first name in the dictionary, or
  a person of the people table, opens a name;
- **the release's own common words**: a capitalised word that the same release also writes in
  lower case ("Fraud" beside "fraud", "Remarks" beside "remarks") is an ordinary word there, so
  it cannot open a name and, after the first two words, it ends one (a surname that is also a
  common word, "Susan Price", stays: it follows a given name);
- **titles** (``nameparser``'s): a title word opens no name ("Counsel Yen Hoang" is Yen Hoang)
  and ends one ("Farrah Emami Spokesperson" stops before the title);
- a candidate whose first word is no given name and no known person needs stronger evidence:
  every word must be clean of the signs above, so "Mythili Raman" or "Gejaa T. Gobena" (a post
  beside it) stays, while "Election Fraud Hotline" or "Medicamentos Gratuitos" goes.

>>> common = frozenset({"fraud", "hotline", "remarks", "price"})
>>> person_words(["Election", "Fraud", "Hotline"], common)
>>> person_words(["Tony", "Rackauckas", "Remarks"], common)
['Tony', 'Rackauckas']
>>> person_words(["Susan", "Price"], common)
['Susan', 'Price']
>>> person_words(["Counsel", "Yen", "Hoang"], common)
['Yen', 'Hoang']
"""

from __future__ import annotations

import re

from ..analysis import fold_key
from .gender import FEMININE
from .given_names import is_given_name, is_suffix, is_title_word

#: An initial ("T.") or a suffix ("Jr.", "III") is a person-shaped word.
_INITIAL = re.compile(r"^[A-ZÁÉÍÓÚÑ]\.$")
#: Words of lower case that live inside names ("de la", "van") and are no evidence either way.
_PARTICLES = frozenset("de del la las los y van von der da di du le".split())


def common_words(text: str) -> frozenset[str]:
    """The words a text writes in lower case (folded): its ordinary words, not names."""
    return frozenset(fold_key(w) for w in re.findall(r"(?<![\w'’-])[a-záéíóúñü][\w'’-]+", text))


#: Post nouns nameparser's titles leave out.
_POST_NOUNS = frozenset("spokesperson spokesman spokeswoman vocero vocera".split())


def is_title(word: str) -> bool:
    """A title in English (``nameparser``'s) or a post word (``investigador``, ``spokesperson``)."""
    key = fold_key(word)
    post_word = key in FEMININE or key in FEMININE.values() or key in _POST_NOUNS
    return (is_title_word(word) or post_word) and not is_given_name(word)


def _forms(key: str) -> set[str]:
    """A word and its plain inflections (plural, third person, past, gerund), both ways."""
    stems = {key}
    for ending in ("es", "s", "ed", "ing"):
        if key.endswith(ending) and len(key) - len(ending) >= 4:
            stems.add(key[: -len(ending)])
    return {f"{stem}{ending}" for stem in stems for ending in ("", "s", "es", "ed", "ing", "e")}


def _common(word: str, common: frozenset[str]) -> bool:
    """The release writes this word, or a plain inflection of it, in lower case."""
    return not _forms(fold_key(word.strip(",."))).isdisjoint(common)


def person_words(words: list[str], common: frozenset[str], known: bool = False) -> list[str] | None:
    """The words of ``words`` that are a person's name, or None when they are no name.

    ``common`` is the release's own lower-case vocabulary (``common_words``); ``known`` says the
    candidate names a person of the people table (evidence enough). After a name opens (a given
    name, an initial or a known person), its given names and its first surname are taken as they
    are; every later word must be clean, and a candidate that no given name opens must be clean
    throughout."""
    # a title or a common word before a given name is no part of the name ("Counsel Yen Hoang",
    # "Spokesperson Farrah Emami", "Beneficiario Ricardo Rafael Escalante")
    while len(words) > 2 and not known and not is_given_name(words[0]):
        if not (is_title(words[0]) or _common(words[0], common) and is_given_name(words[1])):
            break
        words = words[1:]
    first = words[0]
    clean_first = not (_common(first, common) or is_title(first))
    # an unknown first name before a known one opens a name too ("Longino Julio Hernández")
    opens = known or is_given_name(first) or bool(_INITIAL.match(first))
    opens = opens or (clean_first and len(words) > 2 and is_given_name(words[1]))
    if not opens and not clean_first:
        return None
    kept = [first]
    surname = not opens  # an unknown first word may itself be the surname ("Mythili Raman")
    for w in words[1:]:
        if fold_key(w) in _PARTICLES or _INITIAL.match(w) or is_suffix(w):
            kept.append(w)
            continue
        if opens and not surname:
            kept.append(w)  # more given names, then the first surname ("Susan Price")
            surname = not is_given_name(w)
            continue
        if is_title(w) or _common(w, common):
            if not opens:
                return None
            break
        kept.append(w)
    while kept and fold_key(kept[-1]) in _PARTICLES:
        kept.pop()
    if not kept or _INITIAL.match(kept[-1]):
        return None  # "Michael P." is not whole: the surname was not read
    return kept
