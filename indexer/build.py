"""Release files -> a new index generation (``build``), or changes in place (``update``, ``delete``)."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import LockError

from .boilerplate import ChromeCounts, ChromeTable, use_table
from .documents import checksum, parse_fingerprint, prepare_or_reject, prepare_timed, release_version, to_release
from .entities.gazetteer import extractor_version
from .ids import lookup_forms
from .schema import make_schema
from .sources import Rejection, Release, read_releases
from .store import IndexLockedError, IndexStore, IndexWriteError, is_disk_error, utc_now, write_atomic
from .tenures.table import write_tenures

#: Progress callback: (stage, counts so far). Stages: reading, indexing, commit, switch, done.
Progress = Callable[[str, dict[str, int]], None]
#: Options of every Whoosh writer. compound=False: a compound segment file is copied whole into
#: every reader's memory (about 240 MB per searcher at 24k releases); separate files are read
#: through the OS cache.
WRITER_OPTIONS: dict[str, Any] = {"limitmb": 256, "compound": False}
#: Seconds an update or delete waits for Whoosh's own writer lock.
WRITER_TIMEOUT = 5.0
#: Releases in flight between the reader and the worker processes (bounds memory).
IN_FLIGHT = 512
#: Page chrome counts and what they decided, kept with each generation (``indexer.boilerplate``).
CHROME_COUNTS = "chrome.npz"
CHROME_TABLE = "chrome.json"
#: How ids are made (``indexer.ids``); an index built another way is told to rebuild.
IDS_SCHEME = "given-with-escaped-url-id"
#: Test hook for the fault tests: "stage:seconds,..." pauses a build or update right after it
#: announces a stage, so a test can kill it at that point. Never set in production.
FAULT_PAUSE_ENV = "PRESSROOM_FAULT_PAUSE"


class NothingToIndexError(RuntimeError):
    """The sources held no indexable release; ``report`` says what was read and rejected."""

    def __init__(self, report: Report) -> None:
        super().__init__("no indexable release found in the sources")
        self.report = report


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
    #: Releases indexed with a field or word cut at its limit (each cut is also in ``notes``).
    truncated: int = 0
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
        """``{read, indexed, added, updated, unchanged, deleted, rejected, reextracted, truncated, seconds}``."""
        return {
            "read": self.read,
            "indexed": self.indexed,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
            "rejected": self.rejected,
            "reextracted": self.reextracted,
            "truncated": self.truncated,
            "seconds": round(self.seconds, 3),
        }

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in self.as_dict().items() if k != "seconds"}

    def reject(self, rejection: Rejection) -> None:
        self.rejected += 1
        self.rejects.append(rejection)

    def add_time(self, stage: str, seconds: float) -> None:
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Add the time spent in the block to ``stages[stage]``."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.add_time(stage, time.perf_counter() - t0)


# --------------------------------------------------------------------------------------------
# Shared steps


def recount_chrome(
    counts: ChromeCounts,
    releases: Iterable[Release | Rejection],
    known: dict[str, tuple[str, str]],
    stored: Callable[[Iterable[str]], Iterable[Release]],
    prune: bool,
) -> ChromeTable:
    """``update``'s page chrome, on every backend: ``counts`` (what the index holds) with each new
    or changed release added and its stored version (``stored``: ids -> releases) removed, and the
    releases ``prune`` drops removed; returns the table the counts now decide."""
    in_sources: set[str] = set()
    for release in releases:
        if not isinstance(release, Release) or release.id in in_sources:
            continue
        in_sources.add(release.id)
        old = known.get(release.id)
        if old is not None and old[0] == checksum(release):
            continue
        counts.add(release)
        if old is not None:
            counts.remove_all(stored([release.id]))
    if prune:
        counts.remove_all(stored(sorted(known.keys() - in_sources)))
    return counts.table()


def changed_documents(
    releases: Iterable[Release | Rejection],
    known: dict[str, tuple[str, str]],
    seen: set[str],
    report: Report,
) -> Iterator[dict[str, Any]]:
    """``update``'s reading, on every backend: the document of each release that is new or
    changed (``known``: id -> (checksum, extractor version) of what the index holds), counted as
    added or updated once the caller has written it; unchanged ones counted, rejections reported,
    every id read added to ``seen``."""
    for release in _split(releases, report):
        seen.add(release.id)
        digest, version = checksum(release), release_version(release)
        old = known.get(release.id)
        if old == (digest, version):
            report.unchanged += 1
            continue
        doc = prepare_or_reject(release, digest)
        if isinstance(doc, Rejection):
            report.reject(doc)
            continue
        yield doc
        if old is None:
            report.added += 1
        else:
            report.updated += 1


def _split(items: Iterable[Release | Rejection], report: Report) -> Iterator[Release]:
    """Releases only; rejections are counted and kept. Time spent reading goes to ``report.stages``."""
    iterator = iter(items)
    while True:
        with report.timed("read"):
            item = next(iterator, None)
        if item is None:
            return
        report.read += 1
        if isinstance(item, Rejection):
            report.reject(item)
            continue
        if item.notes:
            report.truncated += 1
            where = f"{item.path}:{item.line}" if item.line else item.path
            report.notes.extend(f"{where}: {note}" for note in item.notes)
        yield item


def _documents(
    releases: Iterator[Release], workers: int, report: Report, table: ChromeTable
) -> Iterator[dict[str, Any]]:
    """Prepared documents in input order; language and extraction run in ``workers`` processes.
    A release that cannot be prepared is counted as rejected."""

    def done(doc: dict[str, Any] | Rejection, timings: dict[str, float]) -> bool:
        for stage, seconds in timings.items():
            report.add_time(stage, seconds)
        if isinstance(doc, Rejection):
            report.reject(doc)
            return False
        return True

    use_table(table)
    if workers <= 1:
        for r in releases:
            doc, timings = prepare_timed(r)
            if done(doc, timings):
                yield doc
        return
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    # Pool.imap would read every input ahead of the workers; a semaphore keeps IN_FLIGHT at most.
    slots = threading.BoundedSemaphore(IN_FLIGHT)

    def throttled() -> Iterator[Release]:
        for r in releases:
            slots.acquire()
            yield r

    with ctx.Pool(workers, initializer=use_table, initargs=(table,)) as pool:
        for doc, timings in pool.imap(prepare_timed, throttled(), chunksize=8):
            slots.release()
            if done(doc, timings):
                yield doc


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


@contextmanager
def _writing(ix: Any, **options: Any) -> Iterator[Any]:
    """A Whoosh writer with ``WRITER_OPTIONS``; cancelled if the block fails before it commits."""
    try:
        writer = ix.writer(**WRITER_OPTIONS, **options)
    except LockError:
        raise IndexLockedError("the index is being written by another process; wait for it to finish") from None
    try:
        yield writer
    except BaseException:
        if not writer.is_closed:
            writer.cancel()
        raise


def _write_rejects(generation: Path, rejects: list[Rejection], append: bool = False) -> None:
    with open(generation / "rejects.jsonl", "a" if append else "w", encoding="utf-8") as fh:
        for r in rejects:
            fh.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")


def _save_chrome(generation: Path, counts: ChromeCounts, table: ChromeTable) -> None:
    counts.save(generation / CHROME_COUNTS)
    write_atomic(generation / CHROME_TABLE, json.dumps(table.as_dict(), ensure_ascii=False, indent=1) + "\n")


def _count_chrome(releases: Iterable[Release | Rejection]) -> ChromeCounts:
    """Page chrome counted over the releases (rejections are reported by the pass that indexes)."""
    counts = ChromeCounts()
    counts.add_all(r for r in releases if isinstance(r, Release))
    return counts


# --------------------------------------------------------------------------------------------
# Build


def build_index(
    sources: Iterable[str | os.PathLike],
    index: str | os.PathLike | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    follow_links: bool = False,
) -> Report:
    """Full rebuild: index every release under ``sources`` into a new generation, then switch to it.

    ``follow_links``: read symbolic links that lead out of a source folder (see ``iter_files``).
    """
    started = time.monotonic()
    store = IndexStore(index)
    workers = workers or os.cpu_count() or 1
    report = Report()
    notify = _with_fault_pauses(progress)
    with store.lock():
        generation = store.new_generation()
        try:
            notify("chrome", report.counts())
            with report.timed("chrome"):
                counts = _count_chrome(read_releases(sources, exclude=[store.path], follow_links=follow_links))
                table = counts.table()
                _save_chrome(generation, counts, table)
                del counts  # before the worker processes fork
            releases = read_releases(sources, exclude=[store.path], follow_links=follow_links)
            _fill_generation(generation, releases, workers, report, notify, table)
            with report.timed("tenures"):
                write_tenures(generation)
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
                    "ids": IDS_SCHEME,
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


def _fill_generation(
    generation: Path,
    releases: Iterable[Release | Rejection],
    workers: int,
    report: Report,
    notify: Progress,
    table: ChromeTable,
) -> None:
    """Read, extract and index every release into the new generation's Whoosh index, and commit."""
    ix = whoosh_index.create_in(str(generation), make_schema())
    # More than one worker: Whoosh analyses and writes in `workers` processes, one segment each
    # (multisegment: no merge at commit; readers search the segments together).
    options = {"procs": workers, "multisegment": True} if workers > 1 else {}
    with _writing(ix, **options) as writer:
        notify("reading", report.counts())
        last = time.monotonic()
        for doc in _documents(_split(releases, report), workers, report, table):
            if report.indexed == 0:
                notify("indexing", report.counts())  # the first document reached the writer
            with report.timed("indexing"):
                writer.add_document(**doc)
            report.indexed += 1
            if time.monotonic() - last >= 1.0:
                notify("indexing", report.counts())
                last = time.monotonic()
        if report.indexed == 0:
            raise NothingToIndexError(report)
        notify("commit", report.counts())
        with report.timed("commit"):
            writer.commit(optimize=workers <= 1)


# --------------------------------------------------------------------------------------------
# Update and delete


def _fingerprints(searcher: Any) -> dict[str, tuple[str, str]]:
    """id -> (checksum, extractor version) of every live release, read from the term index.

    A term's document frequency still counts deleted documents, so liveness is asked of its
    postings, which skip them: a deleted release is not "known" and ``update`` adds it back."""
    out: dict[str, tuple[str, str]] = {}
    reader = searcher.reader()
    for term in reader.lexicon("fingerprint"):
        if reader.postings("fingerprint", term).is_active():
            release_id, digest, version = parse_fingerprint(term.decode("utf-8"))
            out[release_id] = (digest, version)
    return out


def _stored_releases(searcher: Any, ids: Iterable[str]) -> Iterator[Release]:
    """The releases the index stored under these ids (as ``update`` re-extracts them)."""
    for release_id in ids:
        stored = searcher.document(id=release_id)
        if stored:
            yield to_release(stored["record"], stored["body"])


def update_index(
    sources: Iterable[str | os.PathLike],
    index: str | os.PathLike | None = None,
    prune: bool = False,
    progress: Progress | None = None,
    follow_links: bool = False,
) -> Report:
    """Add new releases, replace changed ones and re-extract stale ones, in place in the current generation.

    With ``prune``, releases no longer present in the sources are removed.
    """
    started = time.monotonic()
    store = IndexStore(index)
    report = Report()
    notify = _with_fault_pauses(progress)
    with store.lock():
        generation = store.current()
        ix = whoosh_index.open_dir(str(generation))
        # An index built by an older Pressroom lacks newer fields: update fills the ones it has.
        fields = set(ix.schema.names())
        missing = sorted(set(make_schema().names()) - fields)
        if missing:
            report.notes.append(
                f"this index predates the field(s) {', '.join(missing)}; `pressroom build` rebuilds it with them"
            )
        if store.read_meta(generation).get("ids") != IDS_SCHEME:
            report.notes.append(
                "this index was built before ids were kept as given (a trailing '-' was dropped, 'a/b' became "
                "'a-b'); run `pressroom build` so every release keeps its own id"
            )

        def fit(doc: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in doc.items() if k in fields}

        with ix.searcher() as searcher:
            known = _fingerprints(searcher)
            # Page chrome is recounted first: the releases this update adds, changes or prunes
            # change their group's counts, and what is chrome decides what extraction reads.
            with report.timed("chrome"):
                counts = ChromeCounts.load(generation / CHROME_COUNTS) or _count_chrome(
                    _stored_releases(searcher, known)
                )
                releases = read_releases(sources, exclude=[store.path], follow_links=follow_links)
                table = recount_chrome(counts, releases, known, lambda ids: _stored_releases(searcher, ids), prune)
                use_table(table)

        seen: set[str] = set()
        with _writing(ix, timeout=WRITER_TIMEOUT) as writer:
            notify("reading", report.counts())
            releases = read_releases(sources, exclude=[store.path], follow_links=follow_links)
            for doc in changed_documents(releases, known, seen, report):
                writer.update_document(**fit(doc))
            if report.added + report.updated + report.unchanged == 0:
                raise NothingToIndexError(report)
            gone = known.keys() - seen
            if prune:
                for release_id in gone:
                    writer.delete_by_term("id", release_id)
                report.deleted = len(gone)
            else:
                # Releases the sources did not repeat but whose extraction is out of date (the
                # tables or their group's chrome changed): re-extract them from what the index stored.
                fresh = {f"{extractor_version()}+{digest}" for digest in table.digests()}
                stale = sorted(release_id for release_id in gone if known[release_id][1] not in fresh)
                with ix.searcher() as searcher:
                    for release in _stored_releases(searcher, stale):
                        doc = prepare_or_reject(release, known[release.id][0])
                        if isinstance(doc, Rejection):
                            report.notes.append(f"{release.id}: kept as it was; {doc.reason}")
                            continue
                        writer.update_document(**fit(doc))
                        report.reextracted += 1
            report.indexed = report.added + report.updated
            notify("commit", report.counts())
            writer.commit()
        _save_chrome(generation, counts, table)
        with report.timed("tenures"):
            write_tenures(generation)
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
        generation = store.current()
        ix = whoosh_index.open_dir(str(generation))
        # The chrome counts lose the deleted releases; what changes is re-extracted by the next update.
        counts = ChromeCounts.load(generation / CHROME_COUNTS)
        with _writing(ix, timeout=WRITER_TIMEOUT) as writer:
            with ix.searcher() as searcher:
                for release_id in dict.fromkeys(ids):  # a URL id or a given id
                    found = next(
                        (f for f in lookup_forms(release_id) if searcher.document_number(id=f) is not None), None
                    )
                    if found is None:
                        missing.append(release_id)
                    else:
                        if counts is not None:
                            counts.remove_all(_stored_releases(searcher, [found]))
                        writer.delete_by_term("id", found)
                        deleted.append(release_id)
            writer.commit()
        if counts is not None and deleted:
            _save_chrome(generation, counts, counts.table())
        if deleted:
            write_tenures(generation)
        meta = store.read_meta(generation)
        meta["updated_at"] = utc_now()
        store.write_meta(generation, meta)
    return deleted, missing
