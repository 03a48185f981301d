"""Query words that name an agency, a post or a person: English queries find Spanish releases.

``Secretary of Foreign Affairs``, ``canciller``, ``Ministry of Health``, ``Defense Ministry`` and
``SEDENA`` are aliases (posts.json, agencies.json, people.json) of entities extraction attaches to
releases in any language. Each longest run of unquoted query words that is an alias becomes
``(those words OR that entity)``: the words still match as text, and every release carrying the
entity (the ``role``, ``agency`` or ``official`` facet value) matches too, whatever its language.
The rest of the query combines as before (AND by default); quoted text, ``field:`` words, patterns
and operators never expand, and an entity no release carries is not added.

Acronyms expand when typed as the tables write them (``SEDENA``, ``Sedena``), and in any case
from four letters on (``sedena``, ``imss``), except the few that are also ordinary words (``cops``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from whoosh import query as Q

from ..entities.gazetteer import alias_key, gazetteer
from ..labels import label

#: Longest alias, in words (``Director General del Centro Nacional de Programas Preventivos y ...``).
MAX_ALIAS_WORDS = 16
#: Acronyms that are also ordinary words expand only as the tables write them.
COMMON_WORD_ACRONYMS = frozenset({"cops"})
#: Stands for an alias run while the rest of the query is parsed; the run replaces it after.
PLACEHOLDER = "zqxalias"
#: A facet -> the index field holding its values.
FIELDS = {"agency": "agencies", "role": "roles", "official": "officials"}
_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s"()]+')
_WORD = re.compile(r"^[\w][\w.'’&-]*[\w.]?$|^\w$")
_TRAILING = ".,;!?¿¡"
#: Punctuation a run may hold inside: "Secretary of Agrarian, Territorial and Urban Development".
_INSIDE = ","
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


@dataclass(frozen=True)
class Run:
    """Query words (``text``, at ``start``:``end``) that are an alias of ``entities``."""

    start: int
    end: int
    text: str
    entities: tuple[tuple[str, str], ...]  # (facet, canonical value)


@lru_cache(maxsize=1)
def alias_table() -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, str], int]:
    """``({alias key: ((facet, value), ...)}, {acronym: agency}, longest alias in words)``."""
    gaz = gazetteer()
    table: dict[str, list[tuple[str, str]]] = {}

    def add(key: str, entity: tuple[str, str]) -> None:
        if key and entity not in table.setdefault(key, []):
            table[key].append(entity)

    for key, agency in gaz.agency_alias.items():
        add(key, ("agency", agency))
    for key, options in gaz.post_alias.items():
        for post in options.values():
            add(key, ("role", post))
    for post in gaz.posts.values():  # labels with a trailing "(SAT)", "(Foreign Affairs)": without it too
        for text in (post.en, post.es):
            add(alias_key(re.sub(r"\s*\([^)]*\)$", "", text)), ("role", post.name))
    for key, person in gaz.people.items():
        add(alias_key(key), ("official", person))
    longest = max(len(k.split()) for k in table)
    return {k: tuple(v) for k, v in table.items()}, dict(gaz.acronyms), min(longest, MAX_ALIAS_WORDS)


def _acronym(word: str, acronyms: dict[str, str]) -> str | None:
    if word in acronyms:
        return acronyms[word]
    if len(word) >= 4 and word.lower() not in COMMON_WORD_ACRONYMS:
        for acronym, agency in acronyms.items():
            if acronym.lower() == word.lower():
                return agency
    return None


def alias_runs(text: str) -> list[Run]:
    """The longest runs of plain query words that are an alias, left to right.

    >>> [(r.text, r.entities[0][1]) for r in alias_runs('canciller "Ministry of Health" SEDENA security')]
    [('canciller', 'Secretario de Relaciones Exteriores'), ('SEDENA', 'Secretaría de la Defensa Nacional')]
    """
    table, acronyms, longest = alias_table()
    # plain words, each (start, end, word, word with a comma after it); None breaks a run
    # (quotes, operators, fields, patterns, a full stop)
    tokens: list[tuple[int, int, str, str] | None] = []
    for m in _TOKEN.finditer(text):
        raw = m.group(0)
        word = raw.rstrip(_TRAILING) or raw
        plain = _WORD.match(word) and word not in _OPERATORS and ":" not in word
        inside = raw[len(word) :] == _INSIDE
        tokens.append((m.start(), m.start() + len(word), word, raw if inside else word) if plain else None)
        if plain and word != raw and not inside:
            tokens.append(None)  # "Health." ends a run
    runs: list[Run] = []
    i = 0
    while i < len(tokens):
        if tokens[i] is None:
            i += 1
            continue
        found = None
        for j in range(min(len(tokens), i + longest), i, -1):
            words = tokens[i:j]
            if any(t is None for t in words):
                continue
            # a comma may stand inside a run, never at its end
            phrase = " ".join([*(t[3] for t in words[:-1]), words[-1][2]])  # type: ignore[index]
            entities = table.get(alias_key(phrase))
            if entities is None and j == i + 1:
                agency = _acronym(words[0][2], acronyms)  # type: ignore[index]
                entities = (("agency", agency),) if agency else None
            if entities:
                found = Run(words[0][0], words[-1][1], text[words[0][0] : words[-1][1]], entities)  # type: ignore[index]
                i = j
                break
        if found:
            runs.append(found)
        else:
            i += 1
    return runs


def expand_entities(
    text: str, searcher: Any, parse: Callable[[str], Q.Query | None], ui_lang: str = "en"
) -> tuple[Q.Query | None, list[dict[str, str]]]:
    """``(the query with each alias run as (words OR entity), the expansions)``; ``(None, [])``
    when no run names an entity some release carries. ``parse`` turns query text into a query
    (the engine's own parser and pattern expansion)."""
    runs = []
    for run in alias_runs(text):
        present = tuple(
            (facet, value) for facet, value in run.entities if searcher.doc_frequency(FIELDS[facet], value) > 0
        )
        if present:
            runs.append(Run(run.start, run.end, run.text, present))
    if not runs:
        return None, []
    pieces, last = [], 0
    for i, run in enumerate(runs):
        pieces += [text[last : run.start], f" {PLACEHOLDER}{i} "]
        last = run.end
    skeleton = parse("".join(pieces) + text[last:])
    if skeleton is None:
        return None, []
    replacements = {}
    for i, run in enumerate(runs):
        entity = [Q.Term(FIELDS[facet], value) for facet, value in run.entities]
        words = parse(run.text)
        parts = ([words] if words is not None else []) + entity
        replacements[f"{PLACEHOLDER}{i}"] = parts[0] if len(parts) == 1 else Q.Or(parts)

    def replace(node: Q.Query) -> Q.Query:
        # top down: the OR of a placeholder's fields is replaced whole, never leaf by leaf
        key = _placeholder(node)
        if key in replacements:
            return replacements[key]
        return node.apply(replace) if node.children() else node

    expansions = [
        {"text": run.text, "facet": facet, "value": value, "label": label(facet, value, ui_lang)}
        for run in runs
        for facet, value in run.entities
    ]
    return replace(skeleton), expansions


def _placeholder(node: Q.Query) -> str | None:
    """The placeholder a node stands for: a term, or an OR of terms over fields, of one placeholder."""
    leaves = [node] if isinstance(node, Q.Term) else list(node.children()) if isinstance(node, Q.Or) else []
    keys = set()
    for leaf in leaves:
        if not isinstance(leaf, Q.Term):
            return None
        word = leaf.text.decode("utf-8") if isinstance(leaf.text, bytes) else str(leaf.text)
        m = re.fullmatch(rf"{PLACEHOLDER}(\d+)\w*", word)
        if not m:
            return None
        keys.add(f"{PLACEHOLDER}{m.group(1)}")
    return keys.pop() if len(keys) == 1 else None


def matched_through(expansion: dict[str, str]) -> str:
    """How the query named the entity: ``english`` or ``spanish`` (its label in that language),
    ``acronym``, or ``alias`` (another name or spelling)."""
    gaz = gazetteer()
    key = alias_key(expansion["text"])
    facet, value = expansion["facet"], expansion["value"]
    if facet == "agency" and _acronym(expansion["text"], gaz.acronyms) == value:
        return "acronym"
    if facet in ("agency", "role"):
        labels = gaz.labels(facet, value)
        for lang in ("en", "es"):
            forms = {alias_key(labels[lang]), alias_key(re.sub(r"\s*\([^)]*\)$", "", labels[lang]))}
            if key in forms:
                return {"en": "english", "es": "spanish"}[lang]
    return "alias"


#: At most this many names of one entity are highlighted (its aliases in both languages).
MAX_HIGHLIGHTED_NAMES = 40


@lru_cache(maxsize=1)
def _entity_names() -> dict[tuple[str, str], list[str]]:
    """``(facet, value)`` -> every alias key that names it (``alias_table`` the other way round),
    longest first."""
    names: dict[tuple[str, str], list[str]] = {}
    for key, entities in alias_table()[0].items():
        for entity in entities:
            names.setdefault(entity, []).append(key)
    return {k: sorted(set(v), key=lambda n: (-len(n), n)) for k, v in names.items()}


def highlight_query(
    q: Q.Query | None, expansions: list[dict[str, str]], parse: Callable[[str], Q.Query | None]
) -> Q.Query | None:
    """What to highlight for ``q``: its words, and every name of each entity it also matched
    (``expansions``) as a phrase, so a release found through the entity ("Secretary of Foreign
    Affairs" finding a Spanish release) shows where it names it ("secretario de Relaciones
    Exteriores", "canciller"). Matching is not changed by it."""
    if q is None or not expansions:
        return q
    names = _entity_names()
    phrases = []
    for e in expansions:
        for name in names.get((e["facet"], e["value"]), [])[:MAX_HIGHLIGHTED_NAMES]:
            if len(name) > 2:
                phrase = parse('"' + name.replace('"', " ") + '"')
                if phrase is not None:
                    phrases.append(phrase)
    return Q.Or([q, *phrases]) if phrases else q
