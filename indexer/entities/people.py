"""Person identity: whether two names are one person, and which form stands for the person.

Used at extraction time (one official per person in a release) and at search time (one facet
value per person across releases), so both agree on who is who.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..analysis import fold_key
from .gazetteer import Gazetteer, gazetteer


@lru_cache(maxsize=1 << 16)
def name_tokens(name: str) -> tuple[str, ...]:
    """The folded words of a name that identify a person (particles and Jr./Sr. left out).

    Cached: every extraction compares its names with the people table's."""
    # apostrophes are no part of the identity: "O'Neil" and "ONeil" are one name
    return tuple(
        t
        for t in re.split(r"[\s.\-]+", re.sub(r"['’]", "", fold_key(name)))
        if t and t not in ("de", "del", "la", "las", "los", "y", "jr", "sr")
    )


def crawl_form(name: str) -> str:
    """The name as a crawl that dropped every non-ASCII byte writes it, apostrophes gone too
    (the DOJ file: "André Birotte Jr." -> "Andr Birotte Jr.", "O’Neil" -> "ONeil").

    >>> crawl_form("Enrique Peña Nieto"), crawl_form("David A. O'Neil")
    ('Enrique Pea Nieto', 'David A. ONeil')
    """
    return "".join(c for c in name if c.isascii() and c != "'")


def damaged(name: str) -> bool:
    """True for a name that could be a crawl's damaged form (ASCII only, no apostrophe)."""
    return name.isascii() and "'" not in name


@lru_cache(maxsize=1 << 16)
def crawl_tokens(name: str) -> tuple[str, ...]:
    """``name_tokens`` of the name's crawl form: what a damaged variant of it would give."""
    return name_tokens(crawl_form(name))


def _close(a: str, b: str) -> bool:
    """Equal, or one edit apart for words of six letters or more (Cresencio / Crescencio)."""
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def same_person(a: str, b: str) -> bool:
    """True when the shorter name's words all appear (allowing a typo) in the longer, last name
    included; a name the crawl damaged matches its whole form ("Andr Birotte Jr." and "André
    Birotte Jr.")."""
    if _same_tokens(name_tokens(a), name_tokens(b)):
        return True
    return (damaged(a) or damaged(b)) and a != b and _same_tokens(crawl_tokens(a), crawl_tokens(b))


def _same_tokens(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
    if not ta or not tb:
        return False
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if not any(_close(short[-1], t) for t in long_[1:] or long_):
        return False
    return all(any(_close(s, t) for t in long_) for s in short)


def merge_variants(
    names: list[str], posts: dict[str, set[str]], weights: list[int], people: dict[str, str] | None = None
) -> list[int]:
    """For each name, the index of the name that stands for its person across releases.

    Names merge when they are clearly one person in one post: one name's words all appear in the
    other (``same_person``: "Thomas Perez" and "Thomas E. Perez", or a one-letter typo) and they
    share a post. A group never holds two names that do not match each other, so "John A. Smith"
    and "John B. Smith" stay apart even though both match "John Smith". The people table's form
    (``people``: variant -> canonical) stands for the group, else the form most releases use, then
    the fullest; with accents where a form has them.

    >>> merge_variants(["Thomas Perez", "Thomas E. Perez", "Tom Perez"],
    ...                {"Thomas Perez": {"AAG"}, "Thomas E. Perez": {"AAG"}, "Tom Perez": {"AAG"}}, [5, 9, 1])
    [1, 1, 2]
    >>> names = ["Marcelo Ebrard", "Marcelo Ebrard Casaubon", "Marcelo Ebrard Casaubón"]
    >>> merge_variants(names, {n: {"SRE"} for n in names}, [9, 5, 1], {"marcelo ebrard": "Marcelo Ebrard Casaubón"})
    [2, 2, 2]
    """
    tokens = [name_tokens(name) for name in names]
    crawl = [crawl_tokens(name) for name in names]  # a damaged form matches its whole form here
    eligible = [i for i, name in enumerate(names) if len(tokens[i]) >= 2 and posts.get(name)]
    rep = list(range(len(names)))
    canonical = set((people or {}).values())

    def fullness(i: int) -> tuple[int, int, int]:
        return len(tokens[i]), sum(not c.isascii() for c in names[i]), weights[i]

    def standing(i: int) -> tuple[bool, int, int, int]:
        # the people table's form, else the form most releases use, else the fullest
        return names[i] in canonical, weights[i], len(tokens[i]), sum(not c.isascii() for c in names[i])

    def same(i: int, j: int) -> bool:
        return _same_tokens(tokens[i], tokens[j]) or _same_tokens(crawl[i], crawl[j])

    groups: list[list[int]] = []
    group_posts: list[set[str]] = []
    by_surname: dict[str, list[int]] = {}  # a word after the first -> groups holding it
    for i in sorted(eligible, key=fullness, reverse=True):
        words = tokens[i][1:] + crawl[i][1:]
        # names come longest first, so a group can only take this name if it holds its last word
        candidates = by_surname.get(tokens[i][-1], []) + by_surname.get(crawl[i][-1] if crawl[i] else "", [])
        for g in dict.fromkeys(candidates):
            if posts[names[i]] & group_posts[g] and all(same(i, j) for j in groups[g]):
                groups[g].append(i)
                group_posts[g] |= posts[names[i]]
                break
        else:
            g = len(groups)
            groups.append([i])
            group_posts.append(set(posts[names[i]]))
        for w in words:
            if g not in by_surname.setdefault(w, []):
                by_surname[w].append(g)
    for group in groups:
        if len(group) < 2:
            continue
        best = max(group, key=standing)
        # the same words with accents win ("Casaubon" -> "Casaubón"), and the whole form wins over
        # the one a crawl damaged ("Andr Birotte Jr." -> "André Birotte Jr.")
        best = max(
            (i for i in group if fold_key(names[i]) == fold_key(names[best]) or crawl[i] == crawl[best]),
            key=lambda i: (sum(not c.isascii() or c == "'" for c in names[i]), standing(i)),
        )
        for i in group:
            rep[i] = best
    return rep


def canonical_person(name: str, gaz: Gazetteer | None = None) -> str:
    """The canonical display form of a person: the people table's, else the name as written."""
    gaz = gaz or gazetteer()
    known = gaz.person(name) or (gaz.person_damaged(name) if damaged(name) else None)
    if known:
        return known
    for variant, canon in gaz.people.items():
        if (
            len(name_tokens(name)) >= 2
            and same_person(name, variant)
            and len(name_tokens(variant)) >= len(name_tokens(name))
        ):
            return canon
    return name


def person_by_surname(surname: str, gaz: Gazetteer | None = None) -> str | None:
    """The one person of the people table with this surname (not first name), else None."""
    gaz = gaz or gazetteer()
    key = name_tokens(surname)
    if len(key) != 1:
        return None
    found = {canon for variant, canon in gaz.people.items() if key[0] in name_tokens(variant)[1:]}
    return found.pop() if len(found) == 1 else None
