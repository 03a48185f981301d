"""Release files -> a new index generation (``build``), or changes in place (``update``, ``delete``)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from whoosh import index as whoosh_index
from whoosh.writing import LockError

from .entities import extract_entities, extractor_version
from .language import detect_language, normalize_lang
from .schema import POST_SEPARATOR, make_schema
from .sources import Rejection, Release, read_releases
from .store import IndexStore, IndexWriteError, is_disk_error, utc_now

#: Progress callback: (stage, counts so far). Stages: reading, indexing, commit, switch, done.
Progress = Callable[[str, dict[str, int]], None]


class NothingToIndexError(RuntimeError):
    """The sources held no indexable release."""


@dataclass
class Report:
    """What a build or update did; ``as_dict`` is the ``--json`` contract."""

    read: int = 0
    indexed: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    rejected: int = 0
    #: Releases not in the sources re-extracted from the index because the tables changed.
    reextracted: int = 0
    seconds: float = 0.0
    rejects: list[Rejection] = field(default_factory=list)
    generation: str | None = None
    #: Seconds per stage: read, language, extraction (summed over workers), indexing, commit.
    stages: dict[str, float] = field(default_factory=dict)
    #: Things the user should know that are not errors ("rebuild to get field X").
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """``{read, indexed, added, updated, unchanged, deleted, rejected, seconds}`` (+ ``reextracted``)."""
        return {
            "read": self.read,
            "indexed": self.indexed,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "rejected": self.rejected,
            "reextracted": self.reextracted,
            "seconds": round(self.seconds, 3),
        }

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.as_dict().items() if k != "seconds"}


# --------------------------------------------------------------------------------------------
# One release -> one document


def checksum(release: Release) -> str:
    """A hash of everything read from the input: a changed release gets a new checksum."""
    data = asdict(release)
    data.pop("path", None)
    data.pop("line", None)
    return hashlib.sha1(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def fingerprint(release_id: str, digest: str, version: str) -> str:
    """The ``fingerprint`` term: id, checksum and extractor version in one indexed value."""
    return f"{release_id}\t{digest}\t{version}"


def prepare(release: Release, digest: str | None = None, timings: dict[str, float] | None = None) -> dict[str, Any]:
    """Language, entities and the document dict for one release (its keys are the schema's fields).

    ``timings``, if given, accumulates the seconds spent on ``language`` and ``extraction``.
    """
    t0 = time.perf_counter()
    lang = normalize_lang(release.lang) or detect_language(f"{release.title}\n{release.body}")
    t1 = time.perf_counter()
    entities = extract_entities(release.title, release.body, lang, release.publisher, release.components)
    if timings is not None:
        timings["language"] = timings.get("language", 0.0) + (t1 - t0)
        timings["extraction"] = timings.get("extraction", 0.0) + (time.perf_counter() - t1)
    version = extractor_version()
    record = {
        "id": release.id,
        "title": release.title,
        "date": release.date,
        "date_inferred": release.date_inferred,
        "url": release.url,
        "lang": lang,
        "publisher": release.publisher,
        "agencies": entities.agencies,
        "officials": [o.as_dict() for o in entities.officials],
        "roles": entities.roles,
        "topics": release.topics,
        "components": release.components,
        "images": release.images,
        "extra": release.extra,
        "source": release.source,
        "path": release.path,
        "line": release.line,
        "extractor": version,
    }
    text = f"{release.title}\n{release.body}"
    doc: dict[str, Any] = {
        "id": release.id,
        "title": release.title,
        "content": release.body,
        # Only the words with accents go to the accented field: found here, in the worker
        # process, so the index writer analyses a few words instead of the whole text again.
        "accented": " ".join(_ACCENTED_WORD.findall(text)),
        "date": release.date or "",
        "has_date": 1 if release.date else 0,
        "lang": lang,
        "agencies": entities.agencies,
        "officials": [o.name for o in entities.officials],
        "official_posts": [POST_SEPARATOR.join([o.name, o.role or "", o.agency or "", o.rank or ""]) for o in entities.officials],
        "roles": entities.roles,
        "topics": release.topics,
        "fingerprint": fingerprint(release.id, digest or checksum(release), version),
        "record": record,
        "body": release.body,
    }
    if release.date:
        doc["year"] = release.date[:4]
    if lang in ("en", "es"):
        doc[f"stem_{lang}"] = text
    return doc


_ACCENTED_WORD = re.compile(r"\w*[^\x00-\x7f\W]\w*")


def _prepare_timed(release: Release) -> tuple[dict[str, Any], dict[str, float]]:
    timings: dict[str, float] = {}
    return prepare(release, timings=timings), timings


def release_from_stored(record: dict[str, Any], body: str) -> Release:
    """Rebuild a ``Release`` from what the index stored (to re-extract with new tables)."""
    return Release(
        id=record["id"],
        title=record["title"],
        body=body,
        date=record.get("date"),
        date_inferred=bool(record.get("date_inferred")),
        url=record.get("url"),
        lang=record.get("lang"),
        publisher=record.get("publisher"),
        components=record.get("components") or [],
        topics=record.get("topics") or [],
        images=record.get("images") or [],
        extra=record.get("extra") or {},
        source=record.get("source"),
        path=record.get("path") or "",
        line=record.get("line"),
    )


# --------------------------------------------------------------------------------------------
# Build


def _split(items: Iterable[Release | Rejection], report: Report) -> Iterator[Release]:
    """Releases only; rejections are counted and kept. Time spent reading goes to ``report.stages``."""
    iterator = iter(items)
    while True:
        t0 = time.perf_counter()
        try:
            item = next(iterator)
        except StopIteration:
            report.stages["read"] = report.stages.get("read", 0.0) + (time.perf_counter() - t0)
            return
        report.stages["read"] = report.stages.get("read", 0.0) + (time.perf_counter() - t0)
        report.read += 1
        if isinstance(item, Rejection):
            report.rejected += 1
            report.rejects.append(item)
        else:
            yield item


#: Releases in flight between the reader and the worker processes (bounds memory).
IN_FLIGHT = 512


def _documents(releases: Iterator[Release], workers: int, report: Report) -> Iterator[dict[str, Any]]:
    """Prepared documents in input order; language and extraction run in ``workers`` processes."""

    def add(timings: dict[str, float]) -> None:
        for k, v in timings.items():
            report.stages[k] = report.stages.get(k, 0.0) + v

    if workers <= 1:
        for r in releases:
            doc, timings = _prepare_timed(r)
            add(timings)
            yield doc
        return
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    # Pool.imap would read every input ahead of the workers; a semaphore keeps IN_FLIGHT at most.
    slots = threading.BoundedSemaphore(IN_FLIGHT)

    def throttled() -> Iterator[Release]:
        for r in releases:
            slots.acquire()
            yield r

    with ctx.Pool(workers) as pool:
        for doc, timings in pool.imap(_prepare_timed, throttled(), chunksize=8):
            slots.release()
            add(timings)
            yield doc


#: Test hook for the fault tests: "stage:seconds,..." pauses a build or update right after it
#: announces a stage, so a test can kill it at that point. Never set in production.
FAULT_PAUSE_ENV = "PRESSROOM_FAULT_PAUSE"


def _with_fault_pauses(progress: Progress | None) -> Progress:
    pauses: dict[str, float] = {}
    for part in filter(None, os.environ.get(FAULT_PAUSE_ENV, "").split(",")):
        stage, _, seconds = part.partition(":")
        pauses[stage.strip()] = float(seconds or 0)

    def notify(stage: str, counts: dict[str, int]) -> None:
        if progress is not None:
            progress(stage, counts)
        if stage in pauses:
            time.sleep(pauses[stage])

    return notify


def _write_rejects(generation: Path, rejects: list[Rejection], append: bool = False) -> None:
    with open(generation / "rejects.jsonl", "a" if append else "w", encoding="utf-8") as fh:
        for r in rejects:
            fh.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")


def build_index(
    sources: Iterable[str | os.PathLike],
    index: str | os.PathLike | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Report:
    """Full rebuild: index every release under ``sources`` into a new generation, then switch to it."""
    started = time.monotonic()
    store = IndexStore(index)
    workers = workers or os.cpu_count() or 1
    report = Report()
    notify = _with_fault_pauses(progress)
    with store.lock():
        generation = store.new_generation()
        try:
            ix = whoosh_index.create_in(str(generation), make_schema())
            # More than one worker: Whoosh analyses and writes in `workers` processes, one segment each
            # (multisegment: no merge at commit; readers search the segments together).
            # compound=False: a compound segment file is copied whole into every reader's memory
            # (about 240 MB per searcher at 24k releases); separate files are read through the OS cache.
            writer = (
                ix.writer(procs=workers, multisegment=True, limitmb=256, compound=False)
                if workers > 1
                else ix.writer(limitmb=256, compound=False)
            )
            try:
                notify("reading", report.counts())
                last = time.monotonic()
                for doc in _documents(_split(read_releases(sources, exclude=[store.path]), report), workers, report):
                    if report.indexed == 0:
                        notify("indexing", report.counts())  # the first document reached the writer
                    t0 = time.perf_counter()
                    writer.add_document(**doc)
                    report.stages["indexing"] = report.stages.get("indexing", 0.0) + (time.perf_counter() - t0)
                    report.indexed += 1
                    if time.monotonic() - last >= 1.0:
                        notify("indexing", report.counts())
                        last = time.monotonic()
                if report.indexed == 0:
                    writer.cancel()
                    raise NothingToIndexError("no indexable release found in the sources")
                notify("commit", report.counts())
                t0 = time.perf_counter()
                writer.commit(optimize=workers <= 1)
                report.stages["commit"] = time.perf_counter() - t0
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
            report.added = report.indexed
            _write_rejects(generation, report.rejects)
            report.seconds = time.monotonic() - started
            store.write_meta(
                generation,
                {
                    "generation": generation.name,
                    "built_at": utc_now(),
                    "updated_at": None,
                    "releases": report.indexed,
                    "rejected": report.rejected,
                    "extractor": extractor_version(),
                },
            )
            notify("switch", report.counts())
            store.switch_to(generation)
        except OSError as e:
            shutil.rmtree(generation, ignore_errors=True)
            if is_disk_error(e):
                raise IndexWriteError(
                    f"cannot write the new index in {store.path}/: {e.strerror or e}; the previous index is unchanged"
                ) from None
            raise
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        report.generation = generation.name
        store.collect_garbage()
    notify("done", report.counts())
    return report


# --------------------------------------------------------------------------------------------
# Update and delete


def _fingerprints(searcher) -> dict[str, tuple[str, str]]:
    """id -> (checksum, extractor version) of every live release, read from the term index."""
    out: dict[str, tuple[str, str]] = {}
    reader = searcher.reader()
    for term in reader.lexicon("fingerprint"):
        text = term.decode("utf-8")
        rid, digest, version = text.split("\t")
        if reader.doc_frequency("fingerprint", text):
            out[rid] = (digest, version)
    return out


def _open_current(store: IndexStore):
    generation = store.current()
    return generation, whoosh_index.open_dir(str(generation))


def _writer(ix):
    try:
        return ix.writer(timeout=5.0, limitmb=256, compound=False)
    except LockError:
        from .store import IndexLockedError

        raise IndexLockedError("the index is being written by another process; wait for it to finish") from None


def update_index(
    sources: Iterable[str | os.PathLike],
    index: str | os.PathLike | None = None,
    prune: bool = False,
    progress: Progress | None = None,
) -> Report:
    """Add new releases, replace changed ones and re-extract stale ones, in place in the current generation.

    With ``prune``, releases no longer present in the sources are removed.
    """
    started = time.monotonic()
    store = IndexStore(index)
    report = Report()
    notify = _with_fault_pauses(progress)
    version = extractor_version()
    with store.lock():
        generation, ix = _open_current(store)
        # An index built by an older Pressroom lacks newer fields: update fills the ones it has.
        fields = set(ix.schema.names())
        missing = sorted(set(make_schema().names()) - fields)
        if missing:
            report.notes.append(
                f"this index predates the field(s) {', '.join(missing)}; `pressroom build` rebuilds it with them"
            )

        def fit(doc: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in doc.items() if k in fields}

        with ix.searcher() as searcher:
            known = _fingerprints(searcher)
        seen: set[str] = set()
        writer = _writer(ix)
        try:
            notify("reading", report.counts())
            for release in _split(read_releases(sources, exclude=[store.path]), report):
                seen.add(release.id)
                digest = checksum(release)
                old = known.get(release.id)
                if old == (digest, version):
                    report.unchanged += 1
                    continue
                writer.update_document(**fit(prepare(release, digest)))
                if old is None:
                    report.added += 1
                else:
                    report.updated += 1
            if report.added + report.updated + report.unchanged == 0:
                writer.cancel()
                raise NothingToIndexError("no indexable release found in the sources")
            stale = [rid for rid, (_, v) in known.items() if rid not in seen and v != version]
            if prune:
                for rid in known.keys() - seen:
                    writer.delete_by_term("id", rid)
                    report.deleted += 1
                stale = [rid for rid in stale if rid in seen]
            if stale:
                # Releases the sources did not repeat but whose extraction is out of date:
                # re-extract them from what the index stored.
                with ix.searcher() as searcher:
                    for rid in stale:
                        stored = searcher.document(id=rid)
                        if stored:
                            release = release_from_stored(stored["record"], stored["body"])
                            old_digest = known[rid][0]
                            writer.update_document(**fit(prepare(release, old_digest)))
                            report.reextracted += 1
            report.indexed = report.added + report.updated
            notify("commit", report.counts())
            writer.commit()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        if report.rejects:
            _write_rejects(generation, report.rejects, append=True)
        meta = store.read_meta(generation)
        meta.update({"updated_at": utc_now(), "rejected": int(meta.get("rejected") or 0) + report.rejected})
        store.write_meta(generation, meta)
        report.generation = generation.name
        report.seconds = time.monotonic() - started
    notify("done", report.counts())
    return report


def delete_releases(ids: Iterable[str], index: str | os.PathLike | None = None) -> tuple[list[str], list[str]]:
    """Remove releases by id from the current generation: ``(deleted ids, ids not found)``."""
    store = IndexStore(index)
    deleted: list[str] = []
    missing: list[str] = []
    with store.lock():
        generation, ix = _open_current(store)
        writer = _writer(ix)
        try:
            with ix.searcher() as searcher:
                for rid in dict.fromkeys(ids):
                    if searcher.document_number(id=rid) is None:
                        missing.append(rid)
                    else:
                        writer.delete_by_term("id", rid)
                        deleted.append(rid)
            writer.commit()
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        meta = store.read_meta(generation)
        meta["updated_at"] = utc_now()
        store.write_meta(generation, meta)
    return deleted, missing
