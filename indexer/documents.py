"""One release -> one index document: language, entities, the stored record, the fingerprint.

The stored ``record`` is everything shown about a release except its body; ``to_record`` and
``to_release`` are the two directions of one mapping (``update`` re-extracts a release from what
the index stored when the tables change).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import time
from typing import Any

from .analysis import STEMMED_LANGUAGES
from .boilerplate import blank, current_table
from .entities.extract import Entities, extract_entities, split_publisher
from .entities.gazetteer import extractor_version, gazetteer
from .language import detect_language, normalize_lang
from .schema import GENDER_MARKS, POST_SEPARATOR
from .sources import Rejection, Release
from .tenures.evidence import official_marks

#: Keys of the stored record, in the order ``export`` prints them.
RECORD_KEYS = (
    "id",
    "source_id",
    "title",
    "date",
    "date_inferred",
    "url",
    "lang",
    "publisher",
    "agencies",
    "officials",
    "roles",
    "topics",
    "components",
    "images",
    "extra",
    "source",
    "path",
    "line",
    "extractor",
)


def checksum(release: Release) -> str:
    """A hash of everything read from the input: a changed release gets a new checksum."""
    data = dataclasses.asdict(release)
    for where in ("path", "line", "notes"):  # where it was read and what reading said: not content
        data.pop(where, None)
    return hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def release_version(release: Release) -> str:
    """What a release's extraction depends on besides its text: the tables and its group's page
    chrome (``update`` re-extracts a release when either changes)."""
    return f"{extractor_version()}+{current_table().version(release)}"


def fingerprint(release_id: str, digest: str, version: str) -> str:
    """The ``fingerprint`` term: id, checksum and extractor version in one indexed value."""
    return f"{release_id}\t{digest}\t{version}"


def parse_fingerprint(term: str) -> tuple[str, str, str]:
    """``(id, checksum, extractor version)`` of a ``fingerprint`` term."""
    release_id, digest, version = term.split("\t")
    return release_id, digest, version


def to_record(release: Release, lang: str, entities: Entities, version: str) -> dict[str, Any]:
    """The stored record: the release without its body, plus language and entities."""
    record = {f.name: getattr(release, f.name) for f in dataclasses.fields(Release) if f.name != "body"}
    record.update(
        lang=lang,
        agencies=entities.agencies,
        # ``feminine`` (only when the Spanish text shows a woman holder) makes ``role_label`` agree.
        officials=[{**o.as_dict(), **({"feminine": True} if o.feminine else {})} for o in entities.officials],
        roles=entities.roles,
        extractor=version,
    )
    return {key: record[key] for key in RECORD_KEYS}


def to_release(record: dict[str, Any], body: str) -> Release:
    """The ``Release`` a stored record was made from (fields it lacks take their defaults)."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(Release):
        if f.name == "body":
            continue
        value = record.get(f.name)
        if value is None and f.default_factory is not dataclasses.MISSING:
            value = f.default_factory()
        elif value is None and f.default is not dataclasses.MISSING:
            value = f.default
        values[f.name] = value
    return Release(body=body, **values)


def prepare(release: Release, digest: str | None = None, timings: dict[str, float] | None = None) -> dict[str, Any]:
    """Language, entities and the document dict for one release (its keys are the schema's fields).

    ``timings``, if given, accumulates the seconds spent on ``language`` and ``extraction``.
    """
    t0 = time.perf_counter()
    lang = normalize_lang(release.lang) or detect_language(f"{release.title}\n{release.body}")
    t1 = time.perf_counter()
    # Page chrome (a contact block, a site footer) is not the release: extraction reads around it.
    cuts = current_table().cuts(release)
    entities = extract_entities(
        blank(release.title, cuts.title),
        blank(release.body, cuts.body),
        lang,
        release.publisher,
        release.components,
        written=release.body,
    )
    if timings is not None:
        timings["language"] = timings.get("language", 0.0) + (t1 - t0)
        timings["extraction"] = timings.get("extraction", 0.0) + (time.perf_counter() - t1)
    version = extractor_version()
    text = f"{release.title}\n{release.body}"
    doc: dict[str, Any] = {
        "id": release.id,
        "title": release.title,
        "content": release.body,
        # Only the words with accents go to the accented field: found here, in the worker
        # process, so the index writer analyses a few words instead of the whole text again.
        "accented": " ".join(w for w in re.findall(r"\w+", text) if not w.isascii()),
        "date": release.date or "",
        "has_date": 1 if release.date else 0,
        "lang": lang,
        "agencies": entities.agencies,
        "publishers": publishers(release.publisher),
        "officials": [o.name for o in entities.officials],
        "official_posts": [
            POST_SEPARATOR.join([o.name, o.role or "", o.agency or "", o.rank or "", GENDER_MARKS[o.feminine]])
            for o in entities.officials
        ],
        "official_marks": official_marks(text, entities.officials),
        "roles": entities.roles,
        "topics": release.topics,
        "fingerprint": fingerprint(release.id, digest or checksum(release), release_version(release)),
        "record": to_record(release, lang, entities, version),
        "body": release.body,
        "chrome": cuts.as_lists(),
    }
    if release.date:
        doc["year"] = release.date[:4]
    if lang in STEMMED_LANGUAGES:
        doc[f"stem_{lang}"] = text  # each stemmed language has its own field
    return doc


def publishers(publisher: str | None) -> list[str]:
    """The release's publishers as facet values: canonical agency names where the tables know them."""
    gaz = gazetteer()
    return list(dict.fromkeys(gaz.agency(p) or p for p in split_publisher(publisher)))


def prepare_timed(release: Release) -> tuple[dict[str, Any] | Rejection, dict[str, float]]:
    """``prepare`` with its timings, for a worker process; a release that cannot be prepared
    becomes its own ``Rejection`` instead of stopping the build."""
    timings: dict[str, float] = {}
    return prepare_or_reject(release, timings=timings), timings


def prepare_or_reject(
    release: Release, digest: str | None = None, timings: dict[str, float] | None = None
) -> dict[str, Any] | Rejection:
    """``prepare``, or the ``Rejection`` that says why this release could not be prepared."""
    try:
        return prepare(release, digest, timings)
    except Exception as e:  # one release's failure is that release's, never the build's
        return Rejection(release.path, release.line, f"could not be indexed ({type(e).__name__}: {e})")
