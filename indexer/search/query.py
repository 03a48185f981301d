"""Query strings -> Whoosh queries: filters taken out, words folded, malformed input searched as words.

Default operator AND; "phrases"; AND/OR/NOT only in capitals; ``prefix*``; ``title:`` and
``body:`` fields; ``agency:SEDENA``-style filters (any facet name) are taken out first.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from whoosh import query as Q
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, RangePlugin
from whoosh.qparser.common import QueryParserError

from ..analysis import fold, has_accent
from ..schema import TEXT_FIELDS, make_schema
from .facets import FACETS

_FILTER_IN_QUERY = re.compile(
    rf'(?<![\w:])({"|".join(FACETS)}):("([^"]*)"?|[^\s"()]+)',
    re.IGNORECASE,
)
OPERATORS = ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")
#: Typographic quotes (phones type them, Spanish writes « ») are phrase quotes like ``"``.
_QUOTES = str.maketrans(dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\uff02", '"'))
#: Characters of the query syntax: only typed as themselves, never the folding of another
#: character (``¿`` folds to ``?``, a wildcard; full-width ``＊`` to ``*``).
_QUESTION_MARK = re.compile(r"\?+(?=[\"')\].,;:!]*$)")
_SYNTAX = frozenset('*?:"()[]{}^~!\\')
#: Fields a query may name (``body`` is the ``content`` field).
QUERY_FIELDS = ("title", "body")


class ExactPhrase(Q.Phrase):
    """A quoted word or phrase: the words as written (accents and case still ignored), never their
    stems, so ``"seguridad"`` does not find "seguro". It keeps only the folded fields (title and
    content); a quoted single word becomes a term there, with its field's boost."""

    def normalize(self) -> Q.Query:
        if self.fieldname.startswith("stem_") or not self.words:
            return Q.NullQuery
        if len(self.words) == 1:
            return Q.Term(self.fieldname, self.words[0], boost=self.boost)
        return super().normalize()


def analysis_signature(schema: Any) -> tuple[str, ...]:
    """Which stemmer each stemmed field of an index's schema uses: the index keeps the analyzers it
    was built with, so an index built before a change of stemmer still parses its own way."""
    return tuple(
        f"{name}:{type(schema[name].analyzer.items[-1]).__name__}"
        for name in TEXT_FIELDS
        if name.startswith("stem_") and name in schema
    )


@lru_cache(maxsize=1)
def _code_schema() -> Any:
    return make_schema()


_PARSERS: dict[tuple[str, ...], MultifieldParser] = {}


def parser_for(schema: Any = None) -> MultifieldParser:
    """The query parser of an index's schema (the code's own by default), built once per analysis."""
    schema = schema if schema is not None else _code_schema()
    key = analysis_signature(schema)
    parser = _PARSERS.get(key)
    if parser is None:
        parser = _PARSERS[key] = _new_parser(schema)
    return parser


def _new_parser(schema: Any) -> MultifieldParser:
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
    parser.phraseclass = ExactPhrase
    parser.add_plugin(FieldAliasPlugin({"content": ["body"]}))
    # No range syntax: "[a TO z]" over words serves no reader and reads every word between the
    # bounds; dates have their own filters. Brackets are searched as the words inside them.
    parser.remove_plugin_class(RangePlugin)
    return parser


def split_query(text: str) -> tuple[str, dict[str, list[str]]]:
    """Take ``agency:SEDENA``-style filters out of a query string: ``(rest, {filter: values})``.

    >>> split_query('Ebrard agency:SRE official:"Olga Sánchez"')
    ('Ebrard    ', {'agency': ['SRE'], 'official': ['Olga Sánchez']})
    """
    found: dict[str, list[str]] = {}
    text = text.translate(_QUOTES)

    def take(m: re.Match) -> str:
        value = m.group(3) if m.group(3) is not None else m.group(2)
        if value.strip():
            found.setdefault(m.group(1).lower(), []).append(value.strip())
        return " "

    return _FILTER_IN_QUERY.sub(take, text), found


def fold_query_word(word: str) -> str:
    """Fold a word of a query like the index, keeping its syntax as typed: what a non-ASCII
    character folds to is never an operator, and a ``?`` that ends a word is a question mark, not
    a wildcard (``¿Quién es Durán?`` asks a question; ``wom?n`` is still a pattern).

    >>> fold_query_word("¿Quién"), fold_query_word("Durán?"), fold_query_word("＊Durán"), fold_query_word("wom?n")
    ('quien', 'duran', 'duran', 'wom?n')
    """
    word = _QUESTION_MARK.sub("", word)
    if word.isascii():
        return word.lower()
    out = []
    for ch in word.translate(_QUOTES):
        if ch.isascii():
            out.append(ch)
        else:
            out.append("".join(c if c not in _SYNTAX else " " for c in fold(ch)))
    return "".join(out).lower().strip()


def plain_words(text: str) -> list[str]:
    """The query's words, operators left out."""
    return [w for w in re.findall(r"\w+", text) if w not in OPERATORS]


def parse_query(text: str, schema: Any = None) -> Q.Query | None:
    """Parse a query string (already without filters) with ``schema``'s analyzers (an index's own;
    the code's by default); None means "match everything". Anything malformed is searched as
    plain words.
    """
    words = plain_words(text)
    if not words:
        return None
    # Fold first, so accents in prefixes and phrases match the folded index; keep operator case.
    folded = " ".join(fold_query_word(tok) if tok not in OPERATORS else tok for tok in text.split())
    folded = re.sub(
        r"\b([A-Za-z_]+):",
        lambda m: m.group(0) if m.group(1).lower() in QUERY_FIELDS else m.group(1) + " ",
        folded,
    )
    parser = parser_for(schema)
    try:
        q = parser.parse(folded)
    except (QueryParserError, Exception):  # whoosh raises assorted errors on odd input
        q = None
    if q is None or q is Q.NullQuery or _degenerate(q):
        q = parser.parse(" ".join(fold(w) for w in words))
    if q is Q.NullQuery:
        return None
    return q.normalize()


def accented_words(text: str) -> list[str]:
    """The query's words written with accents, lower-cased: exact matches of these rank first."""
    return sorted({w.lower() for w in plain_words(text) if has_accent(w)})


def _degenerate(q: Q.Query) -> bool:
    """A parse that kept only negations or nothing searchable (a lone operator, unbalanced input)."""
    if isinstance(q, Q.Not):
        return True
    try:
        return not any(not isinstance(leaf, type(Q.NullQuery)) for leaf in q.leaves())
    except Exception:
        return True
