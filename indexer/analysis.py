"""How text becomes terms: the one place that folds, stems and tokenizes.

Both indexing (through the schema) and querying (through the query parser, which uses the
schema's analyzers) go through the analyzers built here, so the index and the parser can never
fold or stem differently.

Order matters (WHOOSH_NOTES trap 3): tokenize, lowercase, fold, stop words (folded too), stem.

>>> [t.text for t in folded_analyzer()("Sánchez Cordero")]
['sanchez', 'cordero']
>>> [t.text for t in stemming_analyzer("es")("Durán informó")] == tokens("Duran informo", "es")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from unidecode import unidecode
from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Tokenizer,
)
from whoosh.analysis.acore import Token
from whoosh.lang import stopwords_for_language

# Spelled out on purpose (WHOOSH_NOTES trap 1): the forks changed the default to keep "*".
TOKEN_PATTERN = r"\w+(\.?\w+)*"

#: Languages with a stemmer; every other language is indexed folded but unstemmed.
STEMMED_LANGUAGES = ("en", "es")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold text to lower-case ASCII the way the index does (``Ñ`` -> ``n``, ``ß`` -> ``ss``).

    >>> fold("Olga Sánchez Cordero, AÑO")
    'olga sanchez cordero, ano'
    """
    return unidecode(text).lower()


def fold_key(text: str) -> str:
    """Fold text and squeeze white space: the comparison key for facet values and names.

    >>> fold_key("  Secretaría de la  Defensa ")
    'secretaria de la defensa'
    """
    return " ".join(fold(text).split())


def has_accent(word: str) -> bool:
    """True when folding would change the word (it carries accents or other non-ASCII letters)."""
    return any(ord(c) > 127 for c in word)


class UnidecodeFilter(Filter):
    """Folds each token to ASCII with unidecode (``Durán`` -> ``Duran``).

    >>> [t.text for t in (RegexTokenizer() | UnidecodeFilter())("Peña año")]
    ['Pena', 'ano']
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnidecodeFilter)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if not text.isascii():
                # unidecode may turn one letter into several or into punctuation; keep word chars
                text = re.sub(r"[^\w]", "", unidecode(text))
                if not text:
                    continue
                t.text = text
            yield t


class DottedPartsFilter(Filter):
    """When indexing, a word with dots inside also yields its parts, at the same position.

    The tokenizer keeps ``U.S.`` and ``www.stopfraud.gov`` whole, so a query for ``stopfraud`` found
    nothing, nor did ``according`` where the DOJ crawl glued two sentences (``fraud.According``).
    The whole word stays (``u.s`` still matches ``U.S.``) and its parts of two or more characters,
    not all digits, are added beside it, as Lucene's word-delimiter filter with ``preserve_original``.
    Parts share the word's position, so phrases around the word keep matching. Queries are not split
    (``mode`` is ``"query"`` there): ``U.S.`` asks for ``u.s``.

    >>> [t.text for t in folded_analyzer()("www.StopFraud.gov, U.S.", mode="index")]
    ['www.stopfraud.gov', 'www', 'stopfraud', 'gov', 'u.s']
    >>> [t.text for t in folded_analyzer()("www.StopFraud.gov", mode="query")]
    ['www.stopfraud.gov']
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DottedPartsFilter)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text  # later filters may rewrite t.text once it is yielded
            yield t
            if "." not in text or t.mode != "index":
                continue
            for part in dict.fromkeys(text.split(".")):
                if len(part) >= 2 and not part.isdigit():
                    t.text = part
                    t.stopped = False
                    yield t


class AccentedOnlyFilter(Filter):
    """Keeps only tokens that carry non-ASCII letters, lower-cased but not folded.

    Feeds the small ``accented`` field that lets an accented query rank exact forms first
    (``Peña`` above ``Pena``) and maps folded spelling suggestions back to their surface form.

    >>> [t.text for t in (RegexTokenizer() | LowercaseFilter() | AccentedOnlyFilter())("Peña y Pena")]
    ['peña']
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AccentedOnlyFilter)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.text.isascii():
                yield t


class ValuesTokenizer(Tokenizer):
    """Yields each value of a list (or a single string) whole: multi-word facet values stay one term.

    Unlike ``KEYWORD(commas=True)`` it allows commas inside a value
    (``USAO - Florida, Southern``).

    >>> [t.text for t in ValuesTokenizer()(["José Sánchez Durán", "USAO - Florida, Southern"])]
    ['José Sánchez Durán', 'USAO - Florida, Southern']
    """

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        mode="",
        **kwargs,
    ) -> Iterator[Token]:
        values = [value] if isinstance(value, str) else list(value)
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, v in enumerate(values):
            if not v:
                continue
            t.text = v
            t.boost = 1.0
            if keeporiginal:
                t.original = v
            t.stopped = False
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(v)
            yield t


@cache
def folded_stopwords(lang: str) -> frozenset[str]:
    """The language's stop words, folded like the tokens they are compared with."""
    try:
        return frozenset(fold(w) for w in stopwords_for_language(lang))
    except Exception:  # whoosh raises NoStopWords for languages it lacks
        return frozenset()


def folded_analyzer():
    """Tokenize, lowercase, fold, add the parts of dotted words when indexing: no stop words, no
    stemming (phrases, spelling, other languages)."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | UnidecodeFilter() | DottedPartsFilter()


#: How Spanish is stemmed: "light" (plurals and gender only) or "snowball". Chosen by measurement
#: (bench/stemming/measure.py; figures in the README). An index keeps the analyzers it was built
#: with, and queries are parsed with the index's own, so changing this needs a rebuild only.
SPANISH_STEMMER = "light"


def light_spanish_stem(word: str) -> str:
    """Plurals and gender off, nothing else (Savoy's light stemmer, as Lucene's SpanishLightStemmer
    and Elasticsearch's ``light_spanish``), on a folded word.

    >>> [light_spanish_stem(w) for w in ["seguridad", "seguridades", "seguro", "seguros", "luces", "franceses"]]
    ['seguridad', 'seguridad', 'segur', 'segur', 'luz', 'frances']
    """
    if len(word) < 5:
        return word
    if word[-1] in "oae":
        return word[:-1]
    if word[-1] == "s":
        if word.endswith("eses"):
            return word[:-2]
        if word.endswith("ces"):
            return word[:-3] + "z"
        if word[-2] in "oae":
            return word[:-2]
    return word


class LightSpanishStemFilter(Filter):
    """Stems each token with ``light_spanish_stem``.

    >>> [t.text for t in (RegexTokenizer() | LightSpanishStemFilter())("secretarias publicas")]
    ['secretari', 'public']
    """

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LightSpanishStemFilter)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped:
                t.text = light_spanish_stem(t.text)
            yield t


def stemming_analyzer(lang: str, spanish: str | None = None):
    """Tokenize, lowercase, fold, drop folded stop words, then stem: Snowball for English, the
    ``SPANISH_STEMMER`` (or ``spanish``) for Spanish."""
    chain = folded_analyzer()
    stops = folded_stopwords(lang)
    if stops:
        chain = chain | StopFilter(stoplist=stops)
    if lang == "es" and (spanish or SPANISH_STEMMER) == "light":
        return chain | LightSpanishStemFilter()
    return chain | StemFilter(lang=lang, cachesize=100000)


def accented_analyzer():
    """Tokenize and lowercase, keeping only tokens with accents, unfolded (``peña``)."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | AccentedOnlyFilter()


def values_analyzer():
    """Whole values, exactly as given: facet fields."""
    return ValuesTokenizer()


def tokens(text: str, lang: str | None = None) -> list[str]:
    """The terms ``text`` becomes: stemmed for ``en``/``es``, folded only otherwise.

    >>> tokens("Sánchez Cordero")
    ['sanchez', 'cordero']
    """
    ana = stemming_analyzer(lang) if lang in STEMMED_LANGUAGES else folded_analyzer()
    return [t.text for t in ana(text)]


def _same_length_fold_table() -> dict[int, str]:
    """Lower-case and strip accents one character for one, so offsets in the folded text are the
    original's (``Durán`` -> ``duran``); characters unidecode would widen (ß) are only lower-cased."""
    table: dict[int, str] = {c: chr(c).lower() for c in range(ord("A"), ord("Z") + 1)}
    for c in range(0xC0, 0x250):
        folded = fold(chr(c))
        if len(folded) == 1 and folded.isalnum():
            table[c] = folded
    return table


_FOLD_TABLE = _same_length_fold_table()


def fold_same_length(text: str) -> str:
    """``text`` folded for matching, with exactly one character per original character."""
    return text.translate(_FOLD_TABLE)


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, longest first, with shared prefixes factored
    out, so a long alternation is matched in one pass instead of trying every word at every position.

    >>> pattern = trie_pattern(["secretario", "secretaria", "secretario de marina"])
    >>> re.fullmatch(pattern, "secretario de marina") is not None
    True
    """
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # a word ends here: the longer words stay optional, tried first
            body = "(?:" + body + ")?"
        return body

    return build(trie)
