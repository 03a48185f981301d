"""Pressroom's parsed queries -> Typesense ``q`` and ``filter_by`` (no Typesense import here).

The query is parsed and folded by Pressroom (``indexer.search.query``, with the schema's analyzers),
so both backends match the same analysed tokens. Each text field is sent to Typesense as its
analysed tokens: ``tk_<field>`` (``string[]``, each distinct token once) for exact boolean
matching, and ``tx_title`` / ``tx_content`` (the tokens joined by spaces) for phrases and ranking.

- A term is ``tk_<field>:=`token```; OR, AND and NOT become ``||``, ``&&`` and negated terms
  (pushed down to the terms by De Morgan's laws: Typesense 0.24 negates single conditions only).
- A plain word is searched in the title, the body and both stemmed forms (four terms). On
  Typesense that is one condition on ``tk_word``, which holds every title and body token and each
  stem as ``en~<stem>`` / ``es~<stem>``: the collection indexes ``~`` as part of a token and no
  analysed token holds one, so no plain token can equal a marked stem. (A mark that was a token of
  its own, ``en <stem>``, was as exact but 20-40 times slower: every document holds ``en``.)
  Typesense 0.24 refuses a ``filter_by`` of more than ``MAX_FILTER_TOKENS`` tokens (conditions,
  operators, parentheses); four conditions a word made a query of nine words too long, one makes
  it about forty.
- A phrase is matched by Typesense's own phrase search on ``tx_<field>``: phrases every match must
  contain go into ``q``; a phrase inside OR or under NOT is looked up first and becomes the list
  of ids it matched (``sid:=[...]`` / ``sid:!=[...]``), at most ``MAX_PHRASE_IDS``.
- Facet fields (``agencies``, ``officials``...) hold each value as a ``facet_key`` (its UTF-8 in
  hex): Typesense 0.24 folds case, accents and punctuation of the strings it facets and filters.
- The words the query asks for (not under NOT) are the ranking ``q``: releases that hold every one
  of them as written rank by Typesense's text match; the other matches follow (see the README).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh import query as Q

#: Whoosh field -> Typesense token-array field.
TOKEN_FIELDS = {
    "title": "tk_title",
    "content": "tk_content",
    "accented": "tk_accented",
}
#: Every title and body token, and each stem marked with its language (see above).
WORD_FIELD = "tk_word"
#: Whoosh stem field -> the mark its stems carry in ``WORD_FIELD``.
STEM_MARKS = {"stem_en": "en~", "stem_es": "es~"}
#: Tokens a ``filter_by`` may have on Typesense 0.24 (seen: 49 conditions joined pass, 50 fail).
MAX_FILTER_TOKENS = 100
#: Facet fields an expanded query matches whole values of (``search.aliases``): same name on Typesense.
ENTITY_FIELDS = ("agencies", "roles", "officials")
#: Whoosh field -> Typesense text field (tokens joined by spaces: phrases and ranking).
TEXT_FIELDS = {"title": "tx_title", "content": "tx_content"}
#: Conditions that are always false / always true (``has_date`` is 0 or 1).
FALSE = "has_date:>1"
TRUE = "has_date:<2"
#: Ids a phrase under OR or NOT may match on Typesense; past it the query is refused as too broad.
MAX_PHRASE_IDS = 5000
#: Words of the ranking query at most (a long query ranks by its first words).
MAX_RANK_WORDS = 12


#: Hex digits per token of a facet key (a filter does not match a token of 200).
KEY_CHUNK = 64


def facet_key(value: str) -> str:
    """A facet value as Typesense keeps it: its UTF-8 in hex, in tokens of ``KEY_CHUNK`` digits, the
    last one marked with ``z`` (no key is a prefix of another), which Typesense cannot fold.

    >>> facet_key("Dür"), facet_value(facet_key("Dür"))
    ('44c3bc72z', 'Dür')
    """
    digits = value.encode("utf-8").hex()
    return " ".join(digits[i : i + KEY_CHUNK] for i in range(0, len(digits), KEY_CHUNK)) + "z"


def facet_value(key: str) -> str:
    """The value of a ``facet_key``."""
    return bytes.fromhex(key.replace(" ", "").removesuffix("z")).decode("utf-8")


def any_value(fieldname: str, values: list[str]) -> str:
    """``any_of`` for a field of ``KEYED_FIELDS``."""
    return any_of(fieldname, [facet_key(v) for v in values])


def quote(value: str) -> str:
    """A filter value in backticks (commas and parentheses inside stay literal)."""
    return "`" + value.replace("`", "'") + "`"


def any_of(fieldname: str, values: list[str], negate: bool = False) -> str:
    """``field`` holds one of the values (``negate``: none of them)."""
    if not values:
        return TRUE if negate else FALSE
    op = ":!=" if negate else ":="
    return f"{fieldname}{op}[{','.join(quote(v) for v in values)}]"


def dot_split(words: Iterable[str]) -> list[str]:
    """Words as Typesense's token sequences hold them: dotted words split into their parts (a
    sequence cannot hold a word and its parts at one position, as Whoosh does).

    >>> dot_split(["health", "fraud.one", "u.s"])
    ['health', 'fraud', 'one', 'u', 's']
    """
    return [part for w in words for part in w.split(".") if part]


def term_filter(fieldname: str, words: list[str], negate: bool = False) -> str:
    """Terms of one Whoosh text field (``title``, ``content``, ``stem_en``...): one condition."""
    if fieldname in STEM_MARKS:
        return any_of(WORD_FIELD, [STEM_MARKS[fieldname] + w for w in words], negate)
    target = TOKEN_FIELDS.get(fieldname)
    if target is None:
        raise ValueError(f"field {fieldname!r} is not searchable on Typesense")
    return any_of(target, words, negate)


def word_values(title: list[str], content: list[str], stems: dict[str, list[str]]) -> list[str]:
    """A document's ``WORD_FIELD``: its title and body tokens, then its marked stems.

    >>> word_values(["tax"], ["tax", "fraud"], {"stem_en": ["fraud"]})
    ['tax', 'fraud', 'en~fraud']
    """
    marked = [STEM_MARKS[f] + w for f, words in stems.items() for w in words]
    return list(dict.fromkeys([*title, *content, *marked]))


def filter_size(expression: str) -> int:
    """Tokens Typesense counts in a ``filter_by`` (conditions, ``&&``/``||``, parentheses).

    >>> filter_size("(a:=[`x`] || (b:!=[`y || z`] && c:=[`(w)`]))")
    9
    """
    outside = re.sub(r"`[^`]*`", "", expression)
    return (
        outside.count("(")
        + outside.count(")")
        + outside.count("&&")
        + outside.count("||")
        + len(re.findall(r"\w+:", outside))
    )


def all_of(parts: list[str]) -> str:
    parts = [p for p in parts if p and p != TRUE]
    if FALSE in parts:
        return FALSE
    if not parts:
        return TRUE
    return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"


def one_of(parts: list[str]) -> str:
    parts = [p for p in parts if p and p != FALSE]
    if TRUE in parts:
        return TRUE
    if not parts:
        return FALSE
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def text(node: Q.Term) -> str:
    return node.text if isinstance(node.text, str) else node.text.decode("utf-8")


@dataclass(frozen=True)
class Phrase:
    """A phrase and the text fields it may stand in (``title`` and/or ``content``)."""

    words: tuple[str, ...]
    fields: tuple[str, ...]

    def q(self) -> str:
        """The phrase as Typesense searches it: dotted words split as the sequences are, so
        ``fraud.The`` in a release matches "health care fraud"."""
        return '"' + " ".join(dot_split(self.words)) + '"'

    def query_by(self) -> str:
        return ",".join(TEXT_FIELDS[f] for f in self.fields)


@dataclass
class Plan:
    """What one parsed query asks of Typesense."""

    #: Phrases every match contains: sent in ``q`` over ``query_by``.
    phrases: list[Phrase] = field(default_factory=list)
    #: The boolean part, as a ``filter_by`` expression (``TRUE``: no condition).
    filter: str = TRUE
    #: Words for ranking (as written, folded): matches holding all of them rank first.
    rank_words: list[str] = field(default_factory=list)

    @property
    def query_by(self) -> str:
        fields = sorted({f for p in self.phrases for f in p.fields} or TEXT_FIELDS)
        return ",".join(TEXT_FIELDS[f] for f in fields)

    def q(self, ranking: bool = False) -> str:
        """The ``q`` of the match set (phrases only) or of the ranked part (phrases and words)."""
        parts = [p.q() for p in self.phrases] + (dot_split(self.rank_words) if ranking else [])
        return " ".join(parts) or "*"

    def not_ranked(self) -> str:
        """Matches missing at least one ranking word (the part after the ranked one)."""
        return one_of([any_of(WORD_FIELD, [w], True) for w in self.rank_words])


#: Looks a phrase up: the ids of the releases where it stands (raises past ``MAX_PHRASE_IDS``).
PhraseIds = Callable[[Phrase], list[str]]


def phrase_of(node: Q.Query) -> Phrase | None:
    """The phrase a node asks for: a ``Phrase``, or an OR of the same phrase over text fields."""
    if isinstance(node, Q.Phrase) and node.fieldname in TEXT_FIELDS:
        return Phrase(tuple(node.words), (node.fieldname,))
    if isinstance(node, Q.Or) and node.subqueries and all(isinstance(s, Q.Phrase) for s in node.subqueries):
        words = {tuple(s.words) for s in node.subqueries}
        fields = tuple(sorted({s.fieldname for s in node.subqueries}))
        if len(words) == 1 and all(f in TEXT_FIELDS for f in fields):
            return Phrase(next(iter(words)), fields)
    return None


class Translator:
    """Turns one parsed (and expanded) query into a ``Plan``."""

    def __init__(self, phrase_ids: PhraseIds) -> None:
        self.phrase_ids = phrase_ids

    def plan(self, q: Q.Query | None) -> Plan:
        if q is None:
            return Plan()
        plan = Plan(rank_words=rank_words(q))
        conjuncts = list(q.subqueries) if isinstance(q, Q.And) else [q]
        rest: list[Q.Query] = []
        for node in conjuncts:
            phrase = phrase_of(node)
            # Phrases go into q when they all search the same fields (q has one query_by).
            if phrase is not None and (not plan.phrases or plan.phrases[0].fields == phrase.fields):
                plan.phrases.append(phrase)
            else:
                rest.append(node)
        plan.filter = all_of([self.filter(node) for node in rest])
        return plan

    def filter(self, node: Q.Query, negate: bool = False) -> str:
        """A ``filter_by`` expression true exactly where ``node`` matches (``negate``: where it does not)."""
        phrase = phrase_of(node)
        if phrase is not None:
            return any_of("sid", self.phrase_ids(phrase), negate)
        if isinstance(node, Q.Term):
            if node.fieldname in ENTITY_FIELDS:  # a facet field: values kept as keys
                return any_of(node.fieldname, [facet_key(text(node))], negate)
            return term_filter(node.fieldname, [text(node)], negate)
        if node is Q.NullQuery or isinstance(node, type(Q.NullQuery)):
            return TRUE if negate else FALSE
        if isinstance(node, Q.Every):
            return FALSE if negate else TRUE
        if isinstance(node, Q.Not):
            return self.filter(node.query, not negate)
        if isinstance(node, Q.AndNot):
            parts = [self.filter(node.a, negate), self.filter(node.b, not negate)]
            return one_of(parts) if negate else all_of(parts)
        if isinstance(node, Q.AndMaybe):
            return self.filter(node.a, negate)
        if isinstance(node, Q.Or):
            return self._or(node.subqueries, negate)
        if isinstance(node, Q.And):
            parts = [self.filter(s, negate) for s in node.subqueries]
            return one_of(parts) if negate else all_of(parts)
        raise ValueError(f"{type(node).__name__} queries are not supported on Typesense")

    def _or(self, children: list[Q.Query], negate: bool) -> str:
        # Terms of one field OR'ed together are one condition (a prefix expands to many words), and
        # a word OR'ed over the title and the body goes with the stems into ``WORD_FIELD``.
        terms = [(c.fieldname, text(c)) for c in children if isinstance(c, Q.Term)]
        both = {w for f, w in terms if f == "title"} & {w for f, w in terms if f == "content"}
        by_field: dict[str, list[str]] = {}
        phrases: dict[tuple[str, ...], set[str]] = {}
        others: list[str] = []
        for child in children:
            if isinstance(child, Q.Term) and child.fieldname in ("title", "content") and text(child) in both:
                by_field.setdefault(WORD_FIELD, []).append(text(child))
            elif isinstance(child, Q.Term) and child.fieldname in STEM_MARKS:
                by_field.setdefault(WORD_FIELD, []).append(STEM_MARKS[child.fieldname] + text(child))
            elif isinstance(child, Q.Term) and child.fieldname in TOKEN_FIELDS:
                by_field.setdefault(TOKEN_FIELDS[child.fieldname], []).append(text(child))
            elif isinstance(child, Q.Phrase) and child.fieldname in TEXT_FIELDS:
                phrases.setdefault(tuple(child.words), set()).add(child.fieldname)
            else:
                others.append(self.filter(child, negate))
        for words, fields in phrases.items():  # one lookup per phrase, over all its fields
            others.append(any_of("sid", self.phrase_ids(Phrase(words, tuple(sorted(fields)))), negate))
        terms = [any_of(f, list(dict.fromkeys(ws)), negate) for f, ws in by_field.items()]
        return all_of(terms + others) if negate else one_of(terms + others)


def rank_words(q: Q.Query) -> list[str]:
    """The words a query asks for as written (title or content terms, not under NOT), in order."""
    words: list[str] = []

    def walk(node: Q.Query) -> None:
        if isinstance(node, Q.Not):
            return
        if isinstance(node, (Q.AndNot, Q.AndMaybe)):
            walk(node.a)
            return
        if isinstance(node, Q.Phrase):
            return
        if isinstance(node, Q.Term):
            if node.fieldname in TEXT_FIELDS:
                words.append(text(node))
            return
        for child in node.children():
            walk(child)

    walk(q)
    return list(dict.fromkeys(words))[:MAX_RANK_WORDS]
