"""The extractor's working state for one text, and the steps every pattern shares.

An ``Extractor`` holds the text, a same-length folded copy (so an offset means the same place in
both), the sentences and the mentions found so far. The patterns (``titles``, ``generic``,
``speakers``) read the text around a title through its helpers: the jurisdiction a title belongs
to, the name after or before it, the unit a qualifier names. Mentions become officials in
``extract``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis import fold_key, fold_same_length
from ..text import sentence_spans
from .evidence import common_words
from .gazetteer import Gazetteer, normalize_aliases
from .gender import holder_feminine
from .names import NAME_RE, clean_name
from .patterns import CUES, JURISDICTION_PREFIX, JURISDICTION_SUFFIX, NAME_COMMA_BEFORE

#: How far a name may run after the place it starts, in characters.
NAME_WINDOW = 160
#: How far back "Name, " may start before a title.
NAME_BEFORE_WINDOW = 120


#: Closing quotes and the opening quote each one pairs with.
_QUOTE_PAIRS = {"’": "‘", "”": "“", "»": "«", "'": "'", '"': '"'}


def unquoted(post: str) -> str:
    """A post without the closing quote of a quotation it ended ("... del Issste’." closes what
    the speaker read out); a quote the post opened itself stays.

    >>> unquoted("jefa de Hematología Pediátrica del Hospital 20 de Noviembre del Issste’")
    'jefa de Hematología Pediátrica del Hospital 20 de Noviembre del Issste'
    >>> unquoted("Coordinadora del programa ‘Jóvenes Construyendo el Futuro’")
    'Coordinadora del programa ‘Jóvenes Construyendo el Futuro’'
    >>> unquoted('Director of "Sembrando Vida"'), unquoted('Director of Sembrando Vida"')
    ('Director of "Sembrando Vida"', 'Director of Sembrando Vida')
    """
    while post and post[-1] in _QUOTE_PAIRS:
        close, opening = post[-1], _QUOTE_PAIRS[post[-1]]
        if close == opening:  # a straight quote closes one the post opened when they pair up
            paired = post.count(close) % 2 == 0
        else:
            paired = post.count(opening) >= post.count(close)
        if paired:
            break
        post = post[:-1].rstrip()
    return post


@dataclass
class Mention:
    """A person named in the text, where, and the facts the pattern found beside the name."""

    name: str
    start: int
    rank: str | None = None
    post: str | None = None  # canonical post, or a case-restored free-text post
    agency: str | None = None
    feminine: bool | None = None  # the holder's grammatical gender where Spanish text shows it


class Extractor:
    """One text being read; patterns call ``add`` for each person they find with a post."""

    def __init__(
        self,
        gaz: Gazetteer,
        text: str,
        default_jurisdiction: str | None,
        spanish: bool = False,
        publisher: str | None = None,
    ) -> None:
        self.gaz = gaz
        self.text = text
        self.folded = fold_same_length(text)  # same offsets as the text
        self.default = default_jurisdiction
        self.spanish = spanish
        self.publisher = publisher  # the release's publisher, when the tables know it
        self.common = common_words(text)  # the words the text writes in lower case
        self.sentences = list(sentence_spans(text))
        self.mentions: list[Mention] = []

    # Windows on the text ---------------------------------------------------------------

    def before(self, pos: int, chars: int) -> str:
        """The ``chars`` characters of the text that end at ``pos``."""
        return self.text[max(0, pos - chars) : pos]

    def after(self, pos: int, chars: int) -> str:
        """The ``chars`` characters of the text that start at ``pos``."""
        return self.text[pos : pos + chars]

    def sentence_start(self, pos: int) -> int:
        """Where the sentence holding ``pos`` starts."""
        start = 0
        for a, b in self.sentences:
            if a <= pos < b:
                return a
            if a > pos:
                break
            start = a
        return start

    def sentence_end(self, pos: int) -> int:
        """Where the sentence holding ``pos`` ends (the text's end if none holds it)."""
        return next((b for a, b in self.sentences if a <= pos < b), len(self.text))

    # What surrounds a title --------------------------------------------------------------

    def jurisdiction(self, start: int, end: int) -> str | None:
        """The government a title at ``start:end`` belongs to: "US ..." or "... de México" around
        it, else the first cue of its sentence ("for Mexico"), else the release's default."""
        m = JURISDICTION_PREFIX.search(self.folded[max(0, start - 20) : start])
        if m:
            return "US" if m.group("us") else "MX"
        m = JURISDICTION_SUFFIX.match(self.folded[end : end + 40])
        if m:
            return "US" if m.group("us") else "MX"
        start = min(start, len(self.text))
        window = fold_key(self.text[self.sentence_start(start) : start])
        found = [(cm.start(), jur) for cue, jur in CUES if (cm := cue.search(window))]
        if found:
            return min(found)[1]  # the cue that opens the sentence governs its list
        return self.default

    def rank_before(self, pos: int) -> str | None:
        """A rank word ("General", "almirante") just before ``pos``."""
        m = self.gaz.rank_re.search(self.before(pos, 30))
        return self.gaz.ranks.get(fold_key(m.group(0))) if m else None

    def name_at(self, pos: int) -> tuple[str | None, str | None, int]:
        """``(rank, name, end)`` of a name (with an optional rank word) starting at ``pos``."""
        rest = self.after(pos, NAME_WINDOW)
        rank = None
        rm = re.match(r"(?:the\s+|el\s+|la\s+)?", rest)
        skip = rm.end() if rm else 0
        for length in range(min(4, len(rest[skip:].split())), 0, -1):
            words = rest[skip:].split()[:length]
            key = fold_key(" ".join(words))
            if key in self.gaz.ranks:
                word_end = skip + rest[skip:].find(words[-1]) + len(words[-1])
                nm = NAME_RE.match(rest, word_end + len(rest[word_end:]) - len(rest[word_end:].lstrip()))
                if nm:
                    rank = self.gaz.ranks[key]
                    skip = nm.start()
                break
        nm = NAME_RE.match(rest, skip)
        if not nm:
            return None, None, pos
        inner_rank, name = clean_name(nm.group(0), self.gaz, self.common)
        if not name:
            return None, None, pos
        end = pos + nm.start() + nm.group(0).find(name) + len(name)
        return rank or inner_rank, name, end

    def name_before(self, pos: int) -> tuple[int, str | None, str] | None:
        """``(start, rank, name)`` of "Name, " (with "the", "acting", "quien es el"...) just before ``pos``."""
        window_start = max(0, pos - NAME_BEFORE_WINDOW)
        bm = NAME_COMMA_BEFORE.search(self.text[window_start:pos])
        if not bm:
            return None
        cand = bm.group("name")
        matches = list(NAME_RE.finditer(cand))
        if not matches or matches[-1].end() != len(cand.rstrip()):
            return None
        rank, name = clean_name(matches[-1].group(0), self.gaz, self.common)
        if not name or not matches[-1].group(0).rstrip(",").endswith(name):
            return None
        return window_start + bm.start("name") + matches[-1].start(), rank, name

    def names_list(self, pos: int) -> tuple[list[tuple[str, int, str | None]], int]:
        """``X, Y and Z`` from ``pos``: ``[(name, start, rank)]`` and where the list ends."""
        names: list[tuple[str, int, str | None]] = []
        while True:
            if names and self.gaz.post_re.match(self.folded, pos):
                break  # "... and Senior Litigation Counsel Kevin Downing": another title, another list
            rank, name, end = self.name_at(pos)
            if not name:
                break
            names.append((name, pos, rank))
            sep = re.match(r"(?:,\s+and\s+|,\s+|\s+and\s+|\s+y\s+)(?=[A-ZÁÉÍÓÚÑ])", self.after(end, 8))
            if not sep:
                pos = end
                break
            pos = end + sep.end()
        return names, pos

    def agency_in(self, start: int, end: int) -> str | None:
        """The most specific agency a qualifier names ("of the Justice Department's Criminal
        Division" -> Criminal Division, not the Department)."""
        span = self.text[start:end]
        folded = normalize_aliases(fold_key(span))
        gaz = self.gaz
        found: list[str] = [gaz.agency_alias[m.group("alias")] for m in gaz.agency_re.finditer(folded)]
        if gaz.district_re is not None:
            found += [gaz.districts[m.group(0)] for m in gaz.district_re.finditer(folded)]
        if gaz.qualifier_re is not None:
            bare = re.sub(r"^[\s,]*(?:for|of|de|del)\s+(?:the\s+|la\s+|el\s+)?", "", folded)
            qm = gaz.qualifier_re.match(bare)
            if qm:
                found.append(gaz.qualifiers[qm.group(0)])
        found += [gaz.acronyms[m.group("acronym")] for m in gaz.acronym_re.finditer(span)]
        if not found:
            return None
        return max(found, key=lambda a: len(gaz.ancestors.get(a, ())))  # max keeps the first of equals

    # Results -----------------------------------------------------------------------------

    def add(
        self,
        name: str | None,
        start: int,
        rank: str | None,
        post: str | None,
        agency: str | None,
        feminine: bool | None = None,
    ) -> None:
        """Record a mention; a table post's own agency wins over a vaguer one the text gave.
        ``feminine``: the holder's gender as the post's words show it (``holder_feminine``)."""
        if not name:
            return
        post = unquoted(post) if post else post
        known = self.gaz.posts.get(post) if post else None
        own = known.agency if known else None
        if own and (not agency or agency in self.gaz.ancestors.get(own, ()) or known.fixed_agency):
            agency = own  # "director general del CENAPRECE de la Secretaría de Salud": CENAPRECE
        self.mentions.append(Mention(name, start, rank, post, agency, feminine))

    def feminine(self, start: int, end: int, text: str | None = None) -> bool | None:
        """The holder's gender shown by the Spanish post words at ``start:end`` and the article
        before them (None in English text); ``text`` if given is read instead of the text (the
        same offsets: the release before its page chrome was blanked)."""
        if not self.spanish:
            return None
        text = self.text if text is None else text
        return holder_feminine(text[start:end], text[max(0, start - 30) : start])

    def claimed(self) -> set[int]:
        """Where the mentions found so far start (a later pattern does not name them again)."""
        return {m.start for m in self.mentions}
