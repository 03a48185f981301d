"""The Whoosh schema: which fields exist, how each is analyzed, what is stored."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from .analysis import accented_analyzer, folded_analyzer, stemming_analyzer, values_analyzer

#: Facet fields: multi-valued, whole values, counted per search. URL/CLI filter name -> field.
#: Separates an official's name from the post in the ``official_posts`` field.
POST_SEPARATOR = "\x1f"
#: The fifth part of an ``official_posts`` term: the holder's gender where Spanish text shows it
#: (``f`` for *la secretaria*, ``m`` for *el secretario*), else empty.
GENDER_MARKS = {True: "f", False: "m", None: ""}
#: Text fields a query searches, with their weights.
TEXT_FIELDS = {"title": 2.0, "content": 1.0, "stem_en": 1.0, "stem_es": 1.0}


def make_schema() -> Schema:
    """A fresh schema; every analyzer comes from ``indexer.analysis`` (importable, so pickling works)."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        # Folded, unstemmed: exact words, phrases, spelling suggestions, unstemmed languages.
        title=TEXT(analyzer=folded_analyzer(), stored=True, field_boost=2.0),
        content=TEXT(analyzer=folded_analyzer(), spelling=False),
        # Stemmed, one field per stemmed language, holding title and body of that language only.
        # No positions: phrases are matched on the folded fields, so these stay small.
        stem_en=TEXT(analyzer=stemming_analyzer("en"), phrase=False),
        stem_es=TEXT(analyzer=stemming_analyzer("es"), phrase=False),
        # Only the accented words, unfolded: ranks exact accented forms first, restores accents.
        accented=TEXT(analyzer=accented_analyzer(), phrase=False),
        date=ID(stored=True, sortable=True),  # "YYYY-MM-DD" or "" when unknown
        year=KEYWORD(analyzer=values_analyzer(), stored=True),
        lang=KEYWORD(analyzer=values_analyzer(), stored=True),
        agencies=KEYWORD(analyzer=values_analyzer(), stored=True),
        # The agencies that issued the release (its publisher, canonical where the tables know it),
        # apart from every agency the release names.
        publishers=KEYWORD(analyzer=values_analyzer()),
        officials=KEYWORD(analyzer=values_analyzer(), stored=True),
        # "<official>\x1f<post>\x1f<agency>\x1f<rank>", not a facet: lets search merge one person's
        # name variants across releases when they hold the same post ("Thomas Perez" / "Thomas E.
        # Perez") and show each official's usual rank, post and agency in the official facet.
        official_posts=KEYWORD(analyzer=values_analyzer()),
        # "<official>\x1f<mark>": an official named only as a former (or future) holder, or as an
        # acting one (indexer.tenures.evidence); read when tenures are computed.
        official_marks=KEYWORD(analyzer=values_analyzer()),
        roles=KEYWORD(analyzer=values_analyzer(), stored=True),
        topics=KEYWORD(analyzer=values_analyzer(), stored=True),
        # "<checksum> <extractor version>": lets `update` skip unchanged releases without
        # loading stored fields.
        fingerprint=ID(stored=True),
        has_date=NUMERIC(sortable=True),
        record=STORED,  # everything shown about a release except the body, as plain JSON types
        body=STORED,
        # The body's page chrome as [start, end) character ranges (indexer.boilerplate): kept in
        # the text and the page, left out of snippets and related-release words.
        chrome=STORED,
    )
