"""Highlighting: where a query matched a text, snippets around the first match, the marked body.

Matches are found with one regular expression over a same-length folded copy of the text (C
speed), so offsets are the original's and the marked words keep the text's own accents and case.
Everything that is not a ``<mark>`` is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from whoosh import query as Q

from ..analysis import STEMMED_LANGUAGES, fold_same_length, stemming_analyzer, trie_pattern
from .query import analysis_signature

SNIPPET_CHARS = 240
_WORDS = re.compile(r"[^\W_]+")
#: A snippet shows the first matches only; scanning stops after this many.
SNIPPET_SPAN_LIMIT = 12
#: Folded text is scanned this many characters at a time when only the first matches are needed.
WINDOW_CHARS = 8192


#: Fields whose words are the words as written (folded): a quoted word or phrase lives only here.
EXACT_FIELDS = ("title", "content")


@dataclass(frozen=True)
class QueryTerms:
    """What a query asks for, as highlighting needs it: words as written, stems per language and
    phrases (whose words are marked only where they stand together)."""

    exact: frozenset[str] = frozenset()
    stems: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.exact or self.phrases or any(self.stems.values()))


def query_terms(q: Q.Query | None) -> QueryTerms:
    """The positive terms of a query (what ``NOT`` excludes is never highlighted); prefixes and
    wildcards arrive expanded into their words."""
    exact: set[str] = set()
    stems: dict[str, set[str]] = {}
    phrases: set[tuple[str, ...]] = set()

    def walk(node: Q.Query) -> None:
        if isinstance(node, Q.Not):
            return
        if isinstance(node, (Q.AndNot, Q.AndMaybe)):
            walk(node.a)
            if isinstance(node, Q.AndMaybe):
                walk(node.b)
            return
        if isinstance(node, Q.Phrase):
            if node.fieldname in EXACT_FIELDS:
                phrases.add(tuple(node.words))
            return
        if isinstance(node, Q.Term):
            text = node.text if isinstance(node.text, str) else node.text.decode("utf-8")
            if node.fieldname in EXACT_FIELDS:
                exact.add(text)
            elif node.fieldname.startswith("stem_"):
                stems.setdefault(node.fieldname[len("stem_") :], set()).add(text)
            return
        for child in node.children():
            walk(child)

    if q is not None:
        walk(q)
    return QueryTerms(frozenset(exact), {k: frozenset(v) for k, v in stems.items()}, tuple(sorted(phrases)))


@lru_cache(maxsize=256)
def _candidates(starts: frozenset[str]) -> re.Pattern[str]:
    """Words that begin with one of ``starts`` (each then checked whole): one regular expression
    with shared prefixes factored out, compiled once per query."""
    return re.compile(rf"\b(?:{trie_pattern(starts)})\w*")


Stemmer = Callable[[str, str], str]


@lru_cache(maxsize=200_000)
def stem(lang: str, word: str) -> str:
    """The stem of one folded word in a stemmed language, with the code's analyzer ("" for a stop word)."""
    stems = [t.text for t in stemming_analyzer(lang)(word)]
    return stems[0] if stems else ""


_STEMMERS: dict[tuple[str, ...], Stemmer] = {}


def stemmer_for(schema: Any) -> Stemmer:
    """``stem`` as an index's own analyzers do it (an index built with another stemmer highlights
    what its queries match)."""
    key = analysis_signature(schema)
    if key not in _STEMMERS:
        analyzers = {name[len("stem_") :]: schema[name].analyzer for name in schema.names() if name.startswith("stem_")}

        @lru_cache(maxsize=200_000)
        def index_stem(lang: str, word: str) -> str:
            analyzer = analyzers.get(lang)
            stems = [t.text for t in analyzer(word)] if analyzer is not None else []
            return stems[0] if stems else ""

        _STEMMERS[key] = index_stem
    return _STEMMERS[key]


def match_spans(
    body: str,
    lang: str,
    q: Q.Query | None,
    limit: int | None = None,
    first_window: bool = False,
    stemmer: Stemmer = stem,
) -> list[tuple[int, int]]:
    """Character spans of the body's words that the query matched: a word as written (folded), a
    word whose stem is a query stem of the release's language, a phrase's words where the phrase
    stands. A quoted word or phrase matches its words as written only.

    Candidates come from one regular expression; only words that start like a query stem are
    stemmed to confirm. With ``limit`` the body is scanned a window at a time and scanning stops at
    ``limit`` spans; with ``first_window`` (snippets) also once a window with a match is done.
    """
    terms = query_terms(q)
    stems = terms.stems.get(lang, frozenset()) if lang in STEMMED_LANGUAGES else frozenset()
    starts = terms.exact | stems
    if not starts and not terms.phrases:
        return []
    pattern = _candidates(frozenset(starts)) if starts else None
    phrase_patterns = [_phrase_pattern(words) for words in terms.phrases]
    spans: list[tuple[int, int]] = []
    window = len(body) if limit is None else WINDOW_CHARS
    start = 0
    while start < len(body):
        end = min(len(body), start + window)
        if end < len(body):  # end the window on white space so no word is cut
            space = body.rfind(" ", start, end)
            end = space + 1 if space > start else end
        folded = fold_same_length(body[start:end])
        found: list[tuple[int, int]] = []
        if pattern is not None:
            for m in pattern.finditer(folded):
                word = m.group(0)
                if word in terms.exact or (stems and stemmer(lang, word) in stems):
                    found.append((start + m.start(), start + m.end()))
        for phrase in phrase_patterns:
            for m in phrase.finditer(folded):
                found += [
                    (start + m.start() + w.start(), start + m.start() + w.end()) for w in _WORD.finditer(m.group(0))
                ]
        spans += sorted(set(found))
        if limit is not None and len(spans) >= limit:
            return spans[:limit]
        if first_window and spans:
            return spans  # the snippet shows the window with the first match
        start = end
    return spans


_WORD = re.compile(r"\w+")


@lru_cache(maxsize=256)
def _phrase_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The phrase's folded words in order, separated by anything that is not a word."""
    return re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b")


def stemmed_forms(body: str, spans: list[tuple[int, int]], q: Q.Query | None) -> list[str]:
    """The matched words that are not a query word as written: the forms a stem matched
    (``indictment`` for ``indicted``), as the text writes them, each once."""
    exact = query_terms(q).exact | {w for phrase in query_terms(q).phrases for w in phrase}
    forms = (body[a:b] for a, b in spans)
    return list(dict.fromkeys(f for f in forms if fold_same_length(f) not in exact))


def browse_start(text: str, title: str) -> int:
    """Where a snippet without matches starts: at the first words that are not the title again
    (releases often repeat their headline, over one or two lines, above the text).

    >>> browse_start("  Man Charged\\nwith Theft\\nSANTA ANA - A man was", "Man Charged with Theft")
    25
    """

    def words(s: str) -> str:
        return " ".join(_WORDS.findall(fold_same_length(s)))

    folded_title = words(title)
    pos = 0
    for line in text.splitlines(keepends=True):
        line_words = words(line)
        if line_words and (not folded_title or line_words not in folded_title):
            break
        pos += len(line)
    if pos >= len(text):
        pos = 0  # the text is only its title
    return pos + len(text[pos:]) - len(text[pos:].lstrip())


def make_snippet(body: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS, start: int = 0) -> str:
    """An HTML-escaped excerpt around the first match (else from ``start``), matched words in
    ``<mark>`` in their original form.

    >>> make_snippet("<b>Sánchez</b> said", [(3, 10)])
    '&lt;b&gt;<mark>Sánchez</mark>&lt;/b&gt; said'
    """
    text_len = len(body)
    if spans:
        start = max(0, spans[0][0] - size // 4)
        if start:
            space = body.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(text_len, start + size)
    if end < text_len:
        space = body.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    out: list[str] = ["…"] if start > 0 and spans else []  # a browse snippet starts where the text does
    pos = start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(html.escape(body[pos:a]))
        out.append(f"<mark>{html.escape(body[a:b])}</mark>")
        pos = b
    out.append(html.escape(body[pos:end]))
    if end < text_len:
        out.append("…")
    return " ".join("".join(out).split())


def mark_all(body: str, spans: list[tuple[int, int]]) -> str:
    """The whole body HTML-escaped, every match in ``<mark id="mN">`` numbered from 1."""
    out: list[str] = []
    pos = 0
    for n, (a, b) in enumerate(spans, 1):
        out.append(html.escape(body[pos:a]))
        out.append(f'<mark id="m{n}">{html.escape(body[a:b])}</mark>')
        pos = b
    out.append(html.escape(body[pos:]))
    return "".join(out)
