"""Spelling suggestions: a corrected query, in its accented surface form, when a word is unknown.

Suggestions work on the folded, unstemmed ``content`` field (WHOOSH_NOTES trap 8): a stemmed
field would turn ``goverment`` into ``gover`` and never correct it. Candidates are compared with
RapidFuzz (in C) over the words that share the typed word's first letter.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from rapidfuzz import process as rf_process
from rapidfuzz.distance import Levenshtein

from ..analysis import STEMMED_LANGUAGES, fold, stemming_analyzer
from .query import OPERATORS

#: Words shorter than this are never corrected (too many near neighbours).
MIN_WORD = 4
#: Words of at least this many letters may be two edits from the suggestion; shorter ones one.
TWO_EDITS_FROM = 7
#: A suggestion must occur in at least this many releases (a typo in one release is never offered)
#: once the index holds SMALL_INDEX releases; below that, one release is enough: in a small index
#: most words occur once, and a word the search box proposes must be correctable.
MIN_RELEASES = 2
SMALL_INDEX = 1000


def min_releases(reader: Any) -> int:
    """How many releases a suggested word must occur in, for this index's size."""
    return 1 if reader.doc_count() < SMALL_INDEX else MIN_RELEASES


class Vocabulary:
    """A reader's words for spelling: grouped by first letter, and their accented surface forms.

    Built on first use (about half a second at 24,000 releases) and kept with the reader's arrays.
    Every call takes the calling thread's own reader: readers are never shared between threads.
    """

    def __init__(self) -> None:
        self._by_letter: dict[str, list[str]] | None = None
        self._surface: dict[str, str] | None = None
        self._lock = threading.Lock()

    def words(self, reader: Any, first: str) -> list[str]:
        """Words of the ``content`` field that start with ``first``."""
        if self._by_letter is None:
            with self._lock:
                if self._by_letter is None:
                    groups: dict[str, list[str]] = {}
                    for term in reader.lexicon("content"):
                        text = term.decode("utf-8") if isinstance(term, bytes) else term
                        if text.isalpha():
                            groups.setdefault(text[0], []).append(text)
                    self._by_letter = groups
        return self._by_letter.get(first, [])

    def surface(self, reader: Any, folded_word: str) -> str:
        """The most frequent accented form of a folded word (``vacunacion`` -> ``vacunación``)."""
        if self._surface is None:
            with self._lock:
                if self._surface is None:
                    self._surface = _surface_forms(reader)
        return self._surface.get(folded_word, folded_word)

    def warm(self, reader: Any) -> None:
        """Build both tables now (a web worker does this before it takes requests)."""
        self.words(reader, "")
        self.surface(reader, "")


def _surface_forms(reader: Any) -> dict[str, str]:
    """Folded word -> its most frequent accented form, where that form is common enough."""
    best: dict[str, tuple[int, str]] = {}
    for term in reader.lexicon("accented"):
        word = term.decode("utf-8")
        freq = reader.doc_frequency("accented", word)
        key = fold(word)
        if key not in best or freq > best[key][0]:
            best[key] = (freq, word)
    # Keep an accented form only where it is at least as common as the plain spelling
    # ("secretaría" the ministry vs "secretaria" the woman who holds the post).
    return {k: w for k, (freq, w) in best.items() if freq * 2 >= reader.doc_frequency("content", k)}


def suggest(
    searcher: Any,
    vocabulary: Vocabulary,
    text: str,
    finds: Callable[[str], bool],
    nearest: Callable[[str], str | None] | None = None,
) -> str | None:
    """A corrected query in its accented surface form, when a word is in no field's vocabulary.

    Offered only if ``finds(corrected)`` says the corrected query matches something. ``nearest``
    replaces ``closest`` (a backend that finds candidates its own way).
    """
    reader = searcher.reader()
    changed = False
    out: list[str] = []
    for tok in re.findall(r"\w+\*?:?|[^\w]+", text):
        if not _correctable(tok) or known(reader, tok):
            out.append(tok)
            continue
        best = nearest(fold(tok)) if nearest is not None else closest(vocabulary, reader, fold(tok))
        if best:
            surface = vocabulary.surface(reader, best)
            out.append(surface[:1].upper() + surface[1:] if tok[:1].isupper() else surface)
            changed = True
        else:
            out.append(tok)
    if not changed:
        return None
    corrected = "".join(out)
    return corrected if finds(corrected) else None


def _correctable(tok: str) -> bool:
    return bool(re.fullmatch(r"\w+", tok)) and tok not in OPERATORS and not tok.isdigit() and len(tok) >= MIN_WORD


def closest(vocabulary: Vocabulary, reader: Any, key: str) -> str | None:
    """The vocabulary word nearest to ``key`` (one edit, or two for words of ``TWO_EDITS_FROM``+
    letters) that occurs in ``min_releases`` releases or more, the most frequent among the nearest.
    Candidates share the first letter: typos rarely hit it, and it keeps the comparison to one
    slice of the vocabulary."""
    words = vocabulary.words(reader, key[0])
    if not words:
        return None
    maxdist = 1 if len(key) < TWO_EDITS_FROM else 2
    found = rf_process.extract(key, words, scorer=Levenshtein.distance, score_cutoff=maxdist, limit=50)
    ranked = []
    need = min_releases(reader)
    for word, distance, _ in found:
        df = reader.doc_frequency("content", word)
        if df >= need:
            ranked.append((distance, -df, word))
    return min(ranked)[2] if ranked else None


def known(reader: Any, word: str) -> bool:
    """True when the word is in the folded or a stemmed vocabulary."""
    key = fold(word)
    if reader.doc_frequency("content", key) or reader.doc_frequency("title", key):
        return True
    for lang in STEMMED_LANGUAGES:
        stems = [t.text for t in stemming_analyzer(lang)(key)]
        if stems and reader.doc_frequency(f"stem_{lang}", stems[0]):
            return True
    return False
