"""Given names and the words that stand beside a name without being part of it.

Given names come from Jörg Michael's first-name dictionary (``nam_dict.txt``: about 48,000 first
names with their frequency in 55 countries, English and Spanish names among them; GNU Free
Documentation License), the data file the ``gender-guesser`` package carries. Only the data file
is read, never the package's code (GPL), once per process, into a set of folded words: about
7 MB added to a process and half a second (measured in a fresh process). ``names-dataset``
(730,000 first names gathered from social networks) was measured too: its first names alone add
845 MB to a process and take 11 s to load, and its lists hold ordinary words as first names
("Court", "Deputy", "Senior", "Crime").

Titles and suffixes come from ``nameparser``'s constants (honorifics such as ``Detective`` or
``Judge`` that open a name, generational suffixes such as ``Jr.`` and ``III`` that close one;
about 2 MB).

>>> is_given_name("Sabrina"), is_given_name("josé"), is_given_name("Election"), is_given_name("Court")
(True, True, False, False)
>>> is_title_word("Detective"), is_suffix("III"), is_suffix("Jr.")
(True, True, True)
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..analysis import fold_key

#: Where the list starts in nam_dict.txt; the lines above it are the file's licence and format.
_LIST_START = "begin of name list"


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Every first name of the dictionary, folded (``José`` -> ``jose``); parts of compound
    names count alone (``Jun+Wei`` -> ``jun``, ``wei``)."""
    path = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    names: set[str] = set()
    started = False
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not started:
                started = _LIST_START in line
                continue
            # "=" lines pair a short form with a long one; a "+" in column 30 repeats a name with
            # its umlauts expanded (the file's own advice is to skip those lines).
            if line.startswith(("#", "=")) or line[29:30] == "+":
                continue
            for part in line[3:29].replace("+", " ").replace("-", " ").split():
                names.add(fold_key(part))
    return frozenset(names)


def is_given_name(word: str) -> bool:
    """True when ``word`` (any case, with or without accents) is a first name of the dictionary."""
    return fold_key(word.strip(".,")) in given_names()


@lru_cache(maxsize=1)
def _nameparser_constants() -> tuple[frozenset[str], frozenset[str]]:
    from nameparser.config import CONSTANTS

    titles = frozenset(fold_key(t) for t in CONSTANTS.titles)
    suffixes = frozenset(fold_key(s) for s in CONSTANTS.suffix_not_acronyms) | {"esq", "jnr", "snr"}
    return titles, suffixes


def is_title_word(word: str) -> bool:
    """True for a word ``nameparser`` knows as a title or honorific (``Detective``, ``Judge``)."""
    return fold_key(word.strip(".,")) in _nameparser_constants()[0]


def is_suffix(word: str) -> bool:
    """True for a generational or professional suffix (``Jr.``, ``III``, ``Esq.``)."""
    return fold_key(word.strip(".,")) in _nameparser_constants()[1]
