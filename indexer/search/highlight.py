"""Highlighting: where a query matched a text, snippets around the first match, the marked body.

Matches are found with one regular expression over a same-length folded copy of the text (C
speed), so offsets are the original's and the marked words keep the text's own accents and case.
Everything that is not a ``<mark>`` is HTML-escaped.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from whoosh import query as Q

from ..analysis import STEMMED_LANGUAGES, fold_same_length, stemming_analyzer, trie_pattern
from ..schema import TEXT_FIELDS

SNIPPET_CHARS = 240
#: A snippet shows the first matches only; scanning stops after this many.
SNIPPET_SPAN_LIMIT = 12
#: Folded text is scanned this many characters at a time when only the first matches are needed.
WINDOW_CHARS = 8192


def query_words(q: Q.Query | None) -> set[str]:
    """Folded query words (and stems) from every text field, for highlighting (prefixes and
    wildcards arrive expanded into their words)."""
    if q is None:
        return set()
    return {
        text if isinstance(text, str) else text.decode("utf-8")
        for fieldname, text in q.iter_all_terms()
        if fieldname in TEXT_FIELDS
    }


@lru_cache(maxsize=256)
def _candidates(starts: frozenset[str]) -> re.Pattern[str]:
    """Words that begin with one of ``starts`` (each then checked whole): one regular expression
    with shared prefixes factored out, compiled once per query."""
    return re.compile(rf"\b(?:{trie_pattern(starts)})\w*")


@lru_cache(maxsize=200_000)
def stem(lang: str, word: str) -> str:
    """The stem of one folded word in a stemmed language ("" for a stop word)."""
    stems = [t.text for t in stemming_analyzer(lang)(word)]
    return stems[0] if stems else ""


def match_spans(
    body: str, lang: str, q: Q.Query | None, limit: int | None = None, first_window: bool = False
) -> list[tuple[int, int]]:
    """Character spans of the body's words that the query matched (folded or stemmed).

    Candidates come from one regular expression; only words that start like a query stem are
    stemmed to confirm. With ``limit`` the body is scanned a window at a time and scanning stops at
    ``limit`` spans; with ``first_window`` (snippets) also once a window with a match is done.
    """
    words = query_words(q)
    if not words:
        return []
    stemmed = lang in STEMMED_LANGUAGES
    stems = {stem(lang, w) for w in words} - {""} if stemmed else set()
    pattern = _candidates(frozenset(words | stems))
    spans: list[tuple[int, int]] = []
    window = len(body) if limit is None else WINDOW_CHARS
    start = 0
    while start < len(body):
        end = min(len(body), start + window)
        if end < len(body):  # end the window on white space so no word is cut
            space = body.rfind(" ", start, end)
            end = space + 1 if space > start else end
        folded = fold_same_length(body[start:end])
        for m in pattern.finditer(folded):
            word = m.group(0)
            if word in words or (stemmed and stem(lang, word) in stems):
                spans.append((start + m.start(), start + m.end()))
                if limit is not None and len(spans) >= limit:
                    return spans
        if first_window and spans:
            return spans  # the snippet shows the window with the first match
        start = end
    return spans


def make_snippet(body: str, spans: list[tuple[int, int]], size: int = SNIPPET_CHARS) -> str:
    """An HTML-escaped excerpt around the first match, matched words in ``<mark>`` in their original form.

    >>> make_snippet("<b>Sánchez</b> said", [(3, 10)])
    '&lt;b&gt;<mark>Sánchez</mark>&lt;/b&gt; said'
    """
    text_len = len(body)
    start = 0
    if spans:
        start = max(0, spans[0][0] - size // 4)
        if start:
            space = body.rfind(" ", 0, start)
            start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(text_len, start + size)
    if end < text_len:
        space = body.rfind(" ", start, end)
        end = space if space > start + size // 2 else end
    out: list[str] = ["…"] if start > 0 else []
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
