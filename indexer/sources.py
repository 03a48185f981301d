"""Read release files into ``Release`` records, or into ``Rejection`` records that say why not.

Accepted: ``.jsonl`` / ``.jsonl.gz`` (one release a line), ``.json`` (one release or a list),
``.txt`` (a release as plain text) and ``.html`` / ``.htm`` (a saved release page). A folder is
read recursively in sorted order. Every input ends up as a ``Release`` or a ``Rejection``:
nothing is dropped silently.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .dates import date_from_images, dateline_date, normalize_date
from .ids import id_problem, url_id
from .text import (
    MAX_BODY_CHARS,
    MAX_FIELD_CHARS,
    MAX_TITLE_CHARS,
    MAX_WORD_CHARS,
    clean_text,
    cut,
    cut_long_words,
    derive_title,
    take_images,
)

#: Fields of the corpus format that Pressroom reads; every other field is kept in ``extra``.
KNOWN_FIELDS = ("id", "title", "date", "url", "lang", "body", "agency", "components", "topics", "images", "source")
#: Largest input line or file read, so one runaway record cannot exhaust memory.
MAX_RECORD_BYTES = 64 * 1024 * 1024
SUPPORTED_SUFFIXES = (".jsonl", ".jsonl.gz", ".json", ".txt", ".html", ".htm")


@dataclass
class Release:
    """One press release as read from a file, before language detection and extraction."""

    id: str  # the URL id (indexer.ids)
    title: str
    body: str
    date: str | None = None
    date_inferred: bool = False
    url: str | None = None
    lang: str | None = None
    publisher: str | None = None
    components: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    path: str = ""
    line: int | None = None
    #: The id as the input gave it (or as derived from the file name when it gave none).
    source_id: str | None = None
    #: What reading changed and the user should hear of ("body cut at 1000000 characters").
    notes: list[str] = field(default_factory=list)


@dataclass
class Rejection:
    """An input that could not become a release: where it is and why."""

    path: str
    line: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The ``{path, line, reason}`` record written to ``rejects.jsonl``."""
        return {"path": self.path, "line": self.line, "reason": self.reason}


class RecordError(ValueError):
    """A record that cannot become a release; the message is the reason shown to the user."""


def release_ids(given: str) -> tuple[str, str]:
    """``(URL id, given id)`` of a release, or ``RecordError`` for an id that cannot be one."""
    problem = id_problem(given)
    if problem:
        raise RecordError(problem)
    return url_id(given), given


# --------------------------------------------------------------------------------------------
# Records


#: How deep a record's values may nest (the corpus nests three levels at most).
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_record(record: dict) -> None:
    """Raise ``RecordError`` for what cannot be stored as text anywhere in a record, in any field:
    a lone surrogate (``"\\ud800"`` is valid JSON but no text) or values nested too deeply."""
    stack: list[tuple[str, Any, int]] = [(k, v, 1) for k, v in record.items()]
    for key in record:
        if _SURROGATE.search(key):
            raise RecordError(f"a field name holds a lone surrogate ({key.encode('unicode_escape').decode()})")
    while stack:
        top, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise RecordError(f"field '{top}' is nested deeper than {MAX_DEPTH} levels")
        if isinstance(value, str):
            found = not value.isascii() and _SURROGATE.search(value)  # isascii() is O(1)
            if found:
                raise RecordError(
                    f"field '{top}' holds a lone surrogate (\\u{ord(found.group(0)):04x}), which is no text"
                )
        elif isinstance(value, dict):
            for key, inner in value.items():
                if _SURROGATE.search(key):
                    raise RecordError(f"field '{top}' holds a lone surrogate in a key")
                stack.append((top, inner, depth + 1))
        elif isinstance(value, list):
            stack.extend((top, inner, depth + 1) for inner in value)


def _string(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
        return str(value)
    if not isinstance(value, str):
        raise RecordError(f"field '{name}' must be a string, not {type(value).__name__}")
    return clean_text(value)


def _string_list(record: dict, name: str) -> list[str]:
    value = record.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"field '{name}' must be a string or a list of strings")
    return [clean_text(v).strip() for v in value if clean_text(v).strip()]


def release_from_record(record: object, fallback_id: str, path: str, line: int | None) -> Release:
    """Turn one JSON object with the corpus's fields into a ``Release`` (raises ``RecordError``)."""
    if not isinstance(record, dict):
        raise RecordError(f"expected a JSON object, got {type(record).__name__}")
    check_record(record)
    body = _string(record, "body")
    if body is None or not body.strip():
        raise RecordError("missing body")
    body, images = take_images(body)
    if not body.strip():
        raise RecordError("missing body")
    raw_id = record.get("id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int, float))):
        raise RecordError(f"field 'id' must be a string, not {type(raw_id).__name__}")
    rid, source_id = release_ids(str(raw_id) if raw_id is not None else fallback_id)
    title = " ".join((_string(record, "title") or "").split()) or derive_title(body)
    raw_date = record.get("date")
    date = normalize_date(raw_date)
    extra = {k: v for k, v in record.items() if k not in KNOWN_FIELDS}
    if raw_date not in (None, "") and date is None:
        extra["date_unparsed"] = raw_date
    inferred = False
    if date is None:
        date = date_from_images(images)
        inferred = date is not None
    return Release(
        id=rid,
        source_id=source_id,
        title=title,
        body=body.strip(),
        date=date,
        date_inferred=inferred,
        url=_string(record, "url"),
        lang=_string(record, "lang"),
        publisher=(_string(record, "agency") or "").strip() or None,
        components=_string_list(record, "components"),
        topics=_string_list(record, "topics"),
        images=list(dict.fromkeys([*_string_list(record, "images"), *images])),
        extra=extra,
        source=_string(record, "source"),
        path=path,
        line=line,
    )


def release_from_text(text: str, fallback_id: str, path: str) -> Release:
    """A plain-text release: an optional title line, the body, image references split out.

    The first line is a title when it is short, does not end a sentence and a blank line follows.
    The date comes from a dateline at the start, else (marked inferred) from an image file name;
    dates elsewhere in the text are events, not the release date.
    """
    text, images = take_images(clean_text(text))
    text = text.strip()
    title = None
    first, sep, rest = text.partition("\n")
    if sep and rest.startswith("\n") and len(first) <= 200 and not first.rstrip().endswith((".", ":", ";")):
        title, text = " ".join(first.split()), rest.strip()
    if not text:
        raise RecordError("missing body")
    date = dateline_date(text)
    inferred = False
    if date is None:
        date = date_from_images(images)
        inferred = date is not None
    rid, source_id = release_ids(fallback_id)
    return Release(
        id=rid,
        source_id=source_id,
        title=title or derive_title(text),
        body=text,
        date=date,
        date_inferred=inferred,
        images=images,
        path=path,
    )


def release_from_html(data: bytes, fallback_id: str, path: str) -> Release:
    """A saved release page: title, date and main text by trafilatura, boilerplate dropped."""
    import trafilatura  # imported here: it is slow to import and only HTML inputs need it

    doc = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
    )
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if not text.strip():
        raise RecordError("no release text found in the page")
    text, images = take_images(clean_text(text))
    title = " ".join((getattr(doc, "title", None) or "").split())
    first, _, rest = text.strip().partition("\n")
    if title and " ".join(first.split()) == title and rest.strip():
        text = rest  # trafilatura repeats the headline as the first line
    date = normalize_date(getattr(doc, "date", None) or "") or dateline_date(text)
    rid, source_id = release_ids(fallback_id)
    return Release(
        id=rid,
        source_id=source_id,
        title=title or derive_title(text),
        body=text.strip(),
        date=date,
        url=getattr(doc, "url", None),
        publisher=getattr(doc, "sitename", None),
        images=images + ([doc.image] if getattr(doc, "image", None) else []),
        path=path,
    )


# --------------------------------------------------------------------------------------------
# Files


def iter_files(
    sources: Iterable[str | Path], exclude: Iterable[str | Path] = (), follow_links: bool = False
) -> Iterator[Path | Rejection]:
    """Every file below the given files and folders, sorted; a missing source is a ``Rejection``.

    Inside folders, hidden files and folders (``.git``, ``.DS_Store``) and anything under
    ``exclude`` (the index being written) are not inputs and are passed over. Unless
    ``follow_links``, a symbolic link inside a folder is read only when it is a file inside that
    folder; a link out of it, or to a folder, is a ``Rejection`` that says so (a link to
    ``/etc/passwd`` is never read).
    """
    excluded = [Path(e).resolve() for e in exclude]
    for source in sources:
        p = Path(source)
        if p.is_dir():
            yield from _folder_files(p, excluded, follow_links)
        elif p.is_file():
            yield p
        else:
            yield Rejection(str(p), None, "no such file or folder")


def _folder_files(folder: Path, excluded: list[Path], follow_links: bool) -> Iterator[Path | Rejection]:
    root = folder.resolve()
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=follow_links):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        # os.walk lists a linked folder among the folders without entering it
        found.extend(Path(dirpath) / d for d in dirnames if not follow_links and (Path(dirpath) / d).is_symlink())
        found.extend(Path(dirpath) / f for f in filenames if not f.startswith("."))
    for f in sorted(found):
        resolved = f.resolve()
        if any(resolved.is_relative_to(e) for e in excluded):
            continue
        if f.is_symlink() and not follow_links and (resolved.is_dir() or not resolved.is_relative_to(root)):
            what = "a folder" if resolved.is_dir() else f"{resolved}, outside {folder}"
            yield Rejection(str(f), None, f"symbolic link to {what}; not read (--follow-links reads it)")
        elif f.is_file():
            yield f


def _suffix(path: Path) -> str:
    name = path.name.lower()
    for suffix in SUPPORTED_SUFFIXES:
        if name.endswith(suffix):
            return suffix
    return path.suffix.lower()


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise RecordError("binary file (NUL bytes), not a release")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RecordError(f"bad encoding: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})") from None


def _stem(path: Path) -> str:
    name = path.name
    for suffix in SUPPORTED_SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


#: Bytes read at a time from a .jsonl file.
READ_CHUNK = 1 << 20
#: A line that holds something besides white space (anchored at line starts: linear on any input).
_NON_BLANK_LINE = re.compile(rb"^[ \t\r\f\v]*[^\s][^\n]*", re.MULTILINE)


def _read_lines(path: Path) -> Iterator[tuple[int, bytes] | Rejection]:
    """``(line number, bytes)`` of every line with something on it, read a chunk at a time; blank
    lines cost no Python work (a gzip of 50 million newlines reads in about a second)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lines = _LineCounter(str(path))
    try:
        with opener(path, "rb") as fh:
            while chunk := fh.read1(READ_CHUNK):  # read1: a truncated gzip keeps the lines before the cut
                yield from lines.feed(chunk)
            yield from lines.finish()
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        what = "truncated gzip" if isinstance(e, EOFError) else f"corrupt gzip ({e})"
        n = lines.done
        yield Rejection(str(path), n + 1 if n else None, f"{what}: lines after {n} could not be read")
    except OSError as e:
        n = lines.done
        yield Rejection(str(path), n + 1 if n else None, f"unreadable: {e.strerror or e}")


class _LineCounter:
    """Splits chunks into numbered non-blank lines; a line over ``MAX_RECORD_BYTES`` is a rejection."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.done = 0  # lines completed so far
        self.partial: list[bytes] = []  # the line being read, in pieces (never re-copied)
        self.partial_bytes = 0
        self.too_long = False  # the line being read is over the limit: skip to its end

    def feed(self, chunk: bytes) -> Iterator[tuple[int, bytes] | Rejection]:
        first = chunk.find(b"\n")
        if first < 0:
            yield from self._extend(chunk)
            return
        yield from self._extend(chunk[:first])
        yield from self._end_line()
        last = chunk.rfind(b"\n")
        pos = first + 1
        for m in _NON_BLANK_LINE.finditer(chunk, pos, last):
            self.done += chunk.count(b"\n", pos, m.start())
            line = m.group(0)
            if len(line) > MAX_RECORD_BYTES:
                yield self._too_long(self.done + 1)
            else:
                yield self.done + 1, line
            pos = m.start()
        self.done += chunk.count(b"\n", pos, last + 1)
        yield from self._extend(chunk[last + 1 :])

    def finish(self) -> Iterator[tuple[int, bytes] | Rejection]:
        if self.partial or self.too_long:
            yield from self._end_line()

    def _extend(self, piece: bytes) -> Iterator[Rejection]:
        if self.too_long or not piece:
            return
        self.partial.append(piece)
        self.partial_bytes += len(piece)
        if self.partial_bytes > MAX_RECORD_BYTES:
            self.too_long = True
            self.partial, self.partial_bytes = [], 0
            yield self._too_long(self.done + 1)

    def _end_line(self) -> Iterator[tuple[int, bytes]]:
        self.done += 1
        line = b"".join(self.partial)
        self.partial, self.partial_bytes, was_too_long = [], 0, self.too_long
        self.too_long = False
        if not was_too_long and line.strip():
            yield self.done, line

    def _too_long(self, line: int) -> Rejection:
        return Rejection(self.path, line, f"line longer than {MAX_RECORD_BYTES // 2**20} MiB")


def read_file(path: Path) -> Iterator[Release | Rejection]:
    """The releases (and rejections) in one file, by its suffix."""
    spath = str(path)
    suffix = _suffix(path)
    if suffix not in SUPPORTED_SUFFIXES:
        yield Rejection(
            spath, None, f"unsupported file type '{suffix or path.name}' (expected {', '.join(SUPPORTED_SUFFIXES)})"
        )
        return
    stem = _stem(path) or "release"
    if suffix in (".jsonl", ".jsonl.gz"):
        for item in _read_lines(path):
            if isinstance(item, Rejection):
                yield item
            else:  # blank lines are separators, not records: _read_lines skips them
                n, raw = item
                yield _one_record(lambda raw=raw: parse_json(_decode(raw)), f"{stem}-{n}", spath, n)
        return
    try:
        if path.stat().st_size > MAX_RECORD_BYTES:
            raise RecordError(f"file larger than {MAX_RECORD_BYTES // 2**20} MiB")
        data = path.read_bytes()
        if suffix in (".html", ".htm"):
            if b"\x00" in data[:8192]:
                raise RecordError("binary file (NUL bytes), not a release")
            yield release_from_html(data, stem, spath)
        elif suffix == ".txt":
            yield release_from_text(_decode(data), stem, spath)
        else:  # .json: one release or a list of them
            parsed = _one_record(lambda: parse_json(_decode(data)), stem, spath, None, parse_only=True)
            if isinstance(parsed, Rejection):
                yield parsed
            elif isinstance(parsed, list):
                for i, record in enumerate(parsed, 1):
                    yield _one_record(lambda record=record: record, f"{stem}-{i}", spath, i, prefix=f"item {i}: ")
            else:
                yield _one_record(lambda: parsed, stem, spath, None)
    except RecordError as e:
        yield Rejection(spath, None, str(e))
    except OSError as e:
        yield Rejection(spath, None, f"unreadable: {e.strerror or e}")


def parse_json(text: str) -> Any:
    """JSON as the corpus writes it; ``NaN`` and ``Infinity`` (not JSON, but common) become null."""
    return json.loads(text, parse_constant=lambda _constant: None)


def _one_record(
    parse: Callable[[], Any], fallback_id: str, path: str, line: int | None, prefix: str = "", parse_only: bool = False
) -> Any:
    """A record parsed and made a ``Release``; whatever goes wrong with it is its own ``Rejection``
    (the reading goes on with the next record)."""
    try:
        record = parse()
        return record if parse_only else release_from_record(record, fallback_id, path, line)
    except RecordError as e:
        reason = str(e)
    except json.JSONDecodeError as e:
        where = f" at line {e.lineno} column {e.colno}" if line is None else f" at column {e.colno}"
        reason = f"malformed JSON: {e.msg}{where}"
    except RecursionError:
        reason = "malformed JSON: nested too deeply"
    except ValueError as e:  # json: an integer of more than 4,300 digits, and the like
        reason = f"malformed JSON: {e}"
    except Exception as e:  # any other failure of one record is that record's, never the build's
        reason = f"unreadable record ({type(e).__name__}: {e})"
    return Rejection(path, line, prefix + reason)


def read_releases(
    sources: Iterable[str | Path], exclude: Iterable[str | Path] = (), follow_links: bool = False
) -> Iterator[Release | Rejection]:
    """All releases under ``sources`` (but not under ``exclude``); a second record with an id
    already read is a ``Rejection``. ``follow_links``: see ``iter_files``."""
    seen: dict[str, str] = {}
    for item in iter_files(sources, exclude, follow_links):
        if isinstance(item, Rejection):
            yield item
            continue
        for rec in _read_guarded(item):
            if isinstance(rec, Release):
                rec = limit_release(rec)
                where = f"{rec.path}:{rec.line}" if rec.line else rec.path
                if rec.id in seen:
                    yield Rejection(rec.path, rec.line, f"duplicate id '{rec.id}' (first read at {seen[rec.id]})")
                    continue
                seen[rec.id] = where
            yield rec


def _read_guarded(path: Path) -> Iterator[Release | Rejection]:
    """``read_file``, where a failure of the file itself (past its records) is that file's rejection."""
    try:
        yield from read_file(path)
    except Exception as e:  # a file must never abort a build; what it yielded before stays read
        reason = f"unreadable ({type(e).__name__}: {e}); the records before this point were read"
        yield Rejection(str(path), None, reason)


def limit_release(release: Release) -> Release:
    """Cut fields and words past their limits (``indexer.text``), noting each cut on the release."""

    def limited(name: str, text: str | None, limit: int) -> str | None:
        if text is None or len(text) <= limit:
            return text
        release.notes.append(f"{name} cut at {limit} characters")
        return cut(text, limit)

    release.body = limited("body", release.body, MAX_BODY_CHARS) or ""
    release.title = limited("title", release.title, MAX_TITLE_CHARS) or ""
    for name in ("url", "publisher", "source"):
        setattr(release, name, limited(name, getattr(release, name), MAX_FIELD_CHARS))
    for name in ("components", "topics"):
        setattr(release, name, [limited(name, v, MAX_FIELD_CHARS) or "" for v in getattr(release, name)])
    for name in ("title", "body"):
        text, words = cut_long_words(getattr(release, name))
        if words:
            setattr(release, name, text)
            release.notes.append(f"{name}: {words} word(s) cut at {MAX_WORD_CHARS} characters")
    return release
