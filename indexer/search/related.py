"""Related releases: what a release is about, weighed, and the people and agencies it shares.

A release's distinctive words (frequent in it, rare in the index: tf x idf over its title and
first 20,000 characters, stop words and numbers left out) become a weighted OR query scored with
BM25F; every official and agency it shares with a candidate adds the value's rarity (idf), so
sharing "Olga Sánchez Cordero" counts and sharing "U.S. Department of Justice" hardly does.
Releases in the release's own language come first. Measured in ``bench/related.py``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import numpy as np
from whoosh import query as Q

from ..analysis import STEMMED_LANGUAGES, fold, folded_stopwords
from ..boilerplate import without
from .arrays import ReaderArrays
from .scoring import Evaluator

#: Characters of a release read for its words (transcripts run to 100,000+; the topic is early).
TEXT_CHARS = 20_000
#: Distinctive words a release is described by.
WORDS = 25
#: Weight of shared officials and agencies against the words' (BM25F scores, scaled to 0-1).
ENTITY_WEIGHT = {"official": 0.35, "agency": 0.15}
_WORD = re.compile(r"\w+")


def distinctive_words(reader: Any, text: str, lang: str, count: int = WORDS) -> list[tuple[str, float]]:
    """The ``count`` words of ``text`` with the highest tf x idf in the ``content`` field."""
    stops = folded_stopwords(lang) | folded_stopwords("en") | folded_stopwords("es")
    tf = Counter(w for w in _WORD.findall(fold(text)) if len(w) > 2 and not w.isdigit() and w not in stops)
    docs = max(reader.doc_count_all(), 1)
    weighed = []
    for word, n in tf.items():
        df = reader.doc_frequency("content", word)
        if df > 1:  # a word in no other release relates it to nothing
            weighed.append((word, (1 + math.log(n)) * math.log(docs / df)))
    return sorted(weighed, key=lambda item: (-item[1], item[0]))[:count]


def release_words_text(stored: dict[str, Any]) -> str:
    """The text a release is described by: its title and the start of its body, page chrome left out."""
    body = without(stored.get("body") or "", stored.get("chrome") or ())
    return f"{stored['record'].get('title') or ''}\n{body[:TEXT_CHARS]}"


def related_documents(searcher: Any, arrays: ReaderArrays, docnum: int, limit: int) -> list[int]:
    """Document numbers of the releases most related to ``docnum``, best first."""
    stored = searcher.stored_fields(docnum)
    record = stored["record"]
    lang = record.get("lang") or "und"
    text = release_words_text(stored)
    words = distinctive_words(searcher.reader(), text, lang if lang in STEMMED_LANGUAGES else "en")
    scores = np.zeros(arrays.size, dtype=np.float64)
    if words:
        q = Q.Or([Q.Term("content", w, boost=weight) for w, weight in words])
        scores = Evaluator(searcher, arrays.size, arrays.live, arrays.lengths).evaluate(q).scores
        scores = scores / (scores.max() or 1.0)
    for name, weight in ENTITY_WEIGHT.items():
        scores += weight * _shared_rarity(arrays, name, docnum)
    scores[docnum] = 0.0
    scores[~arrays.live] = 0.0
    candidates = np.flatnonzero(scores > 0)
    same_lang = np.array([arrays.langs[d] == lang for d in candidates.tolist()], dtype=bool)
    order = np.lexsort((arrays.id_rank[candidates], -scores[candidates], ~same_lang))
    return candidates[order][:limit].tolist()


def _shared_rarity(arrays: ReaderArrays, facet: str, docnum: int) -> np.ndarray:
    """Per document, the summed rarity (idf, scaled to 0-1) of the facet values it shares with ``docnum``."""
    data = arrays.facets[facet]
    mine = data.vals[data.docs == docnum]
    out = np.zeros(arrays.size, dtype=np.float64)
    if not len(mine):
        return out
    counts = np.bincount(data.vals, minlength=len(data.values))
    top = math.log(max(arrays.size, 2))
    for value in np.unique(mine).tolist():
        rarity = math.log(arrays.size / max(int(counts[value]), 1)) / top
        out[data.docs[data.vals == value]] += rarity
    return out
