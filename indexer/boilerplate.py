"""Page chrome: what a publisher repeats around its releases (headers, contact blocks, datelines
of the site, footers), learned from the releases being indexed.

Chrome is counted per *group*: the publisher a release names, else the file it was read from (a
``.jsonl``), else its folder. A line is chrome when

- it lies at an edge of its release: in an unbroken run of chrome lines from the top (within the
  first ``TOP_LINES``) or from the bottom (within the last ``BOTTOM_LINES``); a line between two
  content lines is never chrome, however often it repeats (a transcript's "Gracias." stays), and
- its shape (case, spacing and digits ignored) starts or ends at least ``MIN_RELEASES`` releases
  and ``LINE_SHARE`` of its group's releases, or it is an edge line of any press release: a phone
  number, an e-mail address, a bare web address or date, "For immediate release", "Contact:",
  "###" and the like (``GENERIC``).

The first and last content lines, and the title, also lose a run of 2 to ``AFFIX_WORDS`` words
that starts (or ends) the same line in at least ``AFFIX_SHARE`` of the group's releases: the site
name or section words a crawler glued to the text. A release is never all chrome: where
everything would go, nothing does.

Chrome stays in the stored text, the page and the index; it is left out of entity extraction,
snippets and the words that relate releases. The counts are kept with the generation
(``chrome.npz``), so ``update`` adds and removes the releases it changes and re-extracts the
groups whose chrome changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from .dates import normalize_date

#: Lines from the top and from the bottom of a release in which chrome is looked for.
TOP_LINES = 25
BOTTOM_LINES = 15
#: A line shape is chrome when at least MIN_RELEASES releases of the group have it at an edge,
#: and LINE_SHARE of them or LINE_CAP, whichever is fewer (a big publisher's footer for one of its
#: divisions is chrome too). In 544 transcripts the officials introduced most often are at 14
#: releases; an office's contact block is on half its releases.
MIN_RELEASES = 5
LINE_SHARE = 0.05
LINE_CAP = 100
#: A word run glued to the first or last line (or the title) is chrome when this share of the
#: group's releases has it there, and at least MIN_RELEASES.
AFFIX_SHARE = 0.2
AFFIX_WORDS = 8
#: First and last non-blank lines whose word runs are counted as possible affixes.
AFFIX_LINES = 1
#: Short lines (at most SHORT_LINE_WORDS words, at most SHORT_LINES in a row) before a chrome
#: line are taken with it.
SHORT_LINE_WORDS = 6
SHORT_LINES = 3
#: Longest line read for its shape (a longer repeated line is compared by this much and its length).
KEY_CHARS = 400
#: Version of these rules: a change re-extracts every release.
RULES = "chrome-1"

_NOT_BREAK = re.compile(r"[^\r\n]")
_NUMBERISH = re.compile(r"[^\s,;()]*\d[^\s,;()]*")
_CONTACT = re.compile(r"(?:media |press |news )?(?:contacts?|contactos?|contacto de prensa)\s*:", re.IGNORECASE)
#: A docket or case number alone: ``Case # 13HF2825``, ``Case No. 2:17-cr-00123``, ``Expediente: 123/2019``.
_CASE_NUMBER = re.compile(
    r"(?:case|caso|docket|expediente|causa)\s*(?:#|no\.?|number|n[uú]m(?:ero|\.)?)?\s*:?\s*#?\s*[\w:/.-]*\d[\w:/.-]*",
    re.IGNORECASE,
)
_DATE_LABEL = re.compile(r"^(?:date|dated|fecha|released?|publicado|publicación)\s*:\s*", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
#: A speaker's turn in a transcript (``PRESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR: Buenos días.``): the
#: label is how speakers are found, so such a line is content wherever it stands.
_TURN = re.compile(r"[^\W\d_a-zà-ÿ][^a-zà-ÿ:]{1,80}:\s+\S")
#: Characters that join a site's words to a title or line (``Title - News - Senator``).
_SEPARATORS = "-|–—:·•»«/"
_SENTENCE_END = '.!?"”’)»'
_PHONE = re.compile(r"(?:\+?\d{1,3}[\s.-]?)?\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_BARE_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: Edge lines of any press release, in English and Spanish.
GENERIC = re.compile(
    r"(?:for immediate release|immediate release|media advisory|press release|news release|"
    r"para (?:su )?(?:publicaci[oó]n|difusi[oó]n) inmediata|comunicado(?: de prensa)?|bolet[ií]n(?: de prensa)?|"
    r"contacts?|contactos?|media contacts?|press contacts?|contacto de prensa|"
    r"(?:#\s*){3}|(?:\*\s*){3}|-{3,}|_{3,}|=+|end|fin|-30-|tagged with|related materials?)\s*:?\s*",
    re.IGNORECASE,
)


def group_of(release: Any) -> str:
    """The group whose chrome a release shares: the site it was collected from (the folder of its
    ``source``, else its URL's host) within its publisher; without either, its ``.jsonl`` file or
    its folder.

    >>> from types import SimpleNamespace as R
    >>> group_of(R(publisher="U.S. Senate", source="crawl@abc:raw/Feinstein/2007-05-01.txt", url=None))
    'publisher:U.S. Senate|site:raw/Feinstein'
    >>> group_of(R(publisher=None, source=None, url="https://www.justice.gov/opa/pr/x", path="a.jsonl", line=3))
    'site:justice.gov'
    """
    parts = []
    if getattr(release, "publisher", None):
        parts.append(f"publisher:{release.publisher}")
    source = getattr(release, "source", None) or ""
    site = source.partition(":")[2].rpartition("/")[0] if ":" in source else ""
    if not site and getattr(release, "url", None):
        site = urlsplit(release.url).netloc.lower().removeprefix("www.")
    if site:
        parts.append(f"site:{site}")
    if parts:
        return "|".join(parts)
    path = getattr(release, "path", "") or ""
    if getattr(release, "line", None) is not None:
        return f"file:{path}"
    return f"folder:{str(Path(path).parent) if path else ''}"


def shape(line: str) -> str:
    """A line as compared: spaces squeezed, lower case, every word with a digit in it ``0``
    (``Case # 13HF2825`` -> ``case # 0``, ``Date: March 3, 2017`` -> ``date: march 0, 0``)."""
    text = _NUMBERISH.sub("0", " ".join(line.split()).lower())
    return text if len(text) <= KEY_CHARS else f"{text[:KEY_CHARS]}…{len(text)}"


def key(text: str) -> int:
    """A stable 63-bit number for a shape (the same in every process and every run)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little") >> 1


def is_generic(line: str) -> bool:
    """True for an edge line of any press release: contact details, a bare date or address, a marker."""
    text = " ".join(line.split())
    if not text:
        return False
    if not _LETTER.search(text):
        return True  # separators, a lone number
    if GENERIC.fullmatch(text) or _CONTACT.match(text) and len(text.split()) <= 16:
        return True
    marker = GENERIC.match(text)  # "FOR IMMEDIATE RELEASE April 18, 2006"
    if marker and marker.end() and normalize_date(text[marker.end() :].strip(" .,")) is not None:
        return True
    if _CASE_NUMBER.fullmatch(text):
        return True
    words = text.split()
    if len(words) <= 12 and (_EMAIL.search(text) or _PHONE.search(text)):
        return True
    if len(words) == 1 and _BARE_URL.fullmatch(text):
        return True
    value = _DATE_LABEL.sub("", text).strip(" .,")
    return len(words) <= 7 and normalize_date(value) is not None


# --------------------------------------------------------------------------------------------
# Counting


def _lines(body: str) -> list[tuple[int, int, str]]:
    """``(start, end, text)`` of every line of ``body`` (``end`` excludes the line break)."""
    out = []
    pos = 0
    for raw in body.splitlines(keepends=True):
        text = raw.rstrip("\r\n")
        out.append((pos, pos + len(text), text))
        pos += len(raw)
    return out


def _edge_lines(lines: list[tuple[int, int, str]]) -> list[str]:
    top = lines[:TOP_LINES]
    bottom = lines[max(TOP_LINES, len(lines) - BOTTOM_LINES) :]
    return [text for _, _, text in (*top, *bottom) if text.strip()]


def _prefixes(text: str) -> list[str]:
    words = shape(text).split()
    return [" ".join(words[:n]) for n in range(2, min(AFFIX_WORDS, len(words) - 1) + 1)]


def _suffixes(text: str) -> list[str]:
    words = shape(text).split()
    return [" ".join(words[-n:]) for n in range(2, min(AFFIX_WORDS, len(words) - 1) + 1)]


@dataclass
class GroupCounts:
    """How many releases of one group have each line shape at an edge, and each word run at the
    start or end of an edge line or the title."""

    releases: int = 0
    lines: Counter = field(default_factory=Counter)
    prefixes: Counter = field(default_factory=Counter)
    suffixes: Counter = field(default_factory=Counter)
    #: The text of shapes seen in at least MIN_RELEASES releases (for people reading chrome.json).
    texts: dict[int, str] = field(default_factory=dict)

    def change(self, title: str, body: str, sign: int) -> None:
        lines = _lines(body)
        self.releases += sign
        edge = _edge_lines(lines)
        self._count(self.lines, {shape(t) for t in edge}, sign)
        non_blank = [t for _, _, t in lines if t.strip()]
        firsts = [title, *non_blank[:AFFIX_LINES]]
        lasts = [title, *non_blank[-AFFIX_LINES:]]
        self._count(self.prefixes, {p for t in firsts for p in _prefixes(t)}, sign)
        self._count(self.suffixes, {s for t in lasts for s in _suffixes(t)}, sign)

    def _count(self, counter: Counter, shapes: set[str], sign: int) -> None:
        for text in shapes:
            k = key(text)
            n = counter[k] + sign
            if n > 0:
                counter[k] = n
            else:
                del counter[k]
            if n == MIN_RELEASES and k not in self.texts:
                self.texts[k] = text


class ChromeCounts:
    """The counts of every group, kept with the generation; ``table()`` decides what is chrome."""

    def __init__(self) -> None:
        self.groups: dict[str, GroupCounts] = {}

    def add(self, release: Any) -> None:
        self._group(release).change(release.title or "", release.body or "", +1)

    def remove(self, release: Any) -> None:
        self._group(release).change(release.title or "", release.body or "", -1)

    def _group(self, release: Any) -> GroupCounts:
        name = group_of(release)
        group = self.groups.get(name)
        if group is None:
            group = self.groups[name] = GroupCounts()
        return group

    def add_all(self, releases: Iterable[Any]) -> None:
        for release in releases:
            self.add(release)

    def remove_all(self, releases: Iterable[Any]) -> None:
        for release in releases:
            self.remove(release)

    def table(self) -> ChromeTable:
        """What is chrome in each group, from the counts."""
        groups = {}
        for name, counts in self.groups.items():
            if counts.releases <= 0:
                continue
            need_line = max(MIN_RELEASES, min(LINE_SHARE * counts.releases, LINE_CAP))
            need_affix = max(MIN_RELEASES, AFFIX_SHARE * counts.releases)
            groups[name] = GroupChrome(
                name=name,
                releases=counts.releases,
                lines=frozenset(k for k, n in counts.lines.items() if n >= need_line),
                prefixes=frozenset(k for k, n in counts.prefixes.items() if n >= need_affix),
                suffixes=frozenset(k for k, n in counts.suffixes.items() if n >= need_affix),
                texts=counts.texts,
            )
        return ChromeTable(groups)

    # Kept with the generation ------------------------------------------------------------------

    def save(self, path: Path) -> None:
        """Write the counts to ``path`` (``.npz``: per group, the shape numbers and their counts)."""
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(self.to_bytes())
        tmp.replace(path)

    def to_bytes(self) -> bytes:
        """The counts as ``.npz`` bytes (a backend that keeps no files stores these)."""
        arrays: dict[str, np.ndarray] = {}
        meta = []
        for i, (name, counts) in enumerate(self.groups.items()):
            texts = {str(k): t for k, t in counts.texts.items()}
            meta.append({"name": name, "releases": counts.releases, "texts": texts})
            for part in ("lines", "prefixes", "suffixes"):
                counter: Counter = getattr(counts, part)
                arrays[f"{i}_{part}_k"] = np.fromiter(counter.keys(), dtype=np.int64, count=len(counter))
                arrays[f"{i}_{part}_n"] = np.fromiter(counter.values(), dtype=np.int32, count=len(counter))
        arrays["meta"] = np.frombuffer(json.dumps({"rules": RULES, "groups": meta}).encode("utf-8"), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        return buffer.getvalue()

    @classmethod
    def load(cls, path: Path) -> ChromeCounts | None:
        """The counts saved at ``path``; None if there are none or they were made by other rules."""
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        return cls.from_bytes(raw)

    @classmethod
    def from_bytes(cls, raw: bytes) -> ChromeCounts | None:
        """The counts of ``to_bytes``; None if unreadable or made by other rules."""
        try:
            data = np.load(io.BytesIO(raw))
        except (OSError, ValueError, EOFError):
            return None
        with data:
            meta = json.loads(bytes(data["meta"]).decode("utf-8"))
            if meta.get("rules") != RULES:
                return None
            counts = cls()
            for i, group in enumerate(meta["groups"]):
                g = counts.groups[group["name"]] = GroupCounts(releases=group["releases"])
                g.texts = {int(k): t for k, t in group["texts"].items()}
                for part in ("lines", "prefixes", "suffixes"):
                    keys, ns = data[f"{i}_{part}_k"], data[f"{i}_{part}_n"]
                    setattr(g, part, Counter(dict(zip(keys.tolist(), ns.tolist(), strict=True))))
        return counts


# --------------------------------------------------------------------------------------------
# Deciding


@dataclass(frozen=True)
class GroupChrome:
    """The chrome of one group."""

    name: str
    releases: int
    lines: frozenset[int]
    prefixes: frozenset[int]
    suffixes: frozenset[int]
    texts: dict[int, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def digest(self) -> str:
        """Changes when this group's chrome changes (and differs between groups)."""
        h = hashlib.blake2b(digest_size=6)
        h.update(self.name.encode("utf-8"))
        for part in (self.lines, self.prefixes, self.suffixes):
            h.update(np.array(sorted(part), dtype=np.int64).tobytes() + b"|")
        return h.hexdigest()

    def as_dict(self) -> dict[str, Any]:
        def texts(keys: frozenset[int]) -> list[str]:
            return sorted(self.texts.get(k, f"#{k}") for k in keys)

        return {
            "releases": self.releases,
            "lines": texts(self.lines),
            "prefixes": texts(self.prefixes),
            "suffixes": texts(self.suffixes),
        }


_NO_CHROME = GroupChrome("", 0, frozenset(), frozenset(), frozenset())


@dataclass(frozen=True)
class Cuts:
    """What is chrome in one release: character ranges of the body and of the title."""

    body: tuple[tuple[int, int], ...] = ()
    title: tuple[tuple[int, int], ...] = ()

    def as_lists(self) -> list[list[int]]:
        return [list(r) for r in self.body]


class ChromeTable:
    """What is chrome, per group; ``cuts(release)`` finds it in one release."""

    def __init__(self, groups: dict[str, GroupChrome] | None = None) -> None:
        self.groups = groups or {}

    def group(self, release: Any) -> GroupChrome:
        return self.groups.get(group_of(release), _NO_CHROME)

    def version(self, release: Any) -> str:
        """The chrome part of a release's extractor version: the rules and its group's chrome."""
        return f"{RULES}.{self.group(release).digest}"

    def digests(self) -> set[str]:
        return {f"{RULES}.{g.digest}" for g in self.groups.values()} | {f"{RULES}.{_NO_CHROME.digest}"}

    def as_dict(self) -> dict[str, Any]:
        return {"rules": RULES, "groups": {name: g.as_dict() for name, g in sorted(self.groups.items())}}

    def cuts(self, release: Any) -> Cuts:
        return find_cuts(release.title or "", release.body or "", self.group(release))


def is_turn(text: str) -> bool:
    """True for a transcript's speaker turn (never chrome, its label never an affix)."""
    return _TURN.match(text.lstrip()) is not None


def _is_chrome_line(text: str, group: GroupChrome) -> bool:
    if is_turn(text):
        return False
    return key(shape(text)) in group.lines or is_generic(text)


def _edge_run(lines: list[tuple[int, int, str]], group: GroupChrome) -> int:
    """How many lines from the start of ``lines`` are chrome (blank lines inside the run included).

    Up to ``SHORT_LINES`` short lines (a case number in a format not counted yet, a press
    officer's name) between two chrome lines go with them; before the first chrome line, nothing
    does (a headline over a date stays)."""
    end = 0
    i = 0
    while i < len(lines):
        text = lines[i][2]
        if not text.strip() or _is_chrome_line(text, group):
            i += 1
            if text.strip():
                end = i
            continue
        j, shorts = i, 0
        while j < len(lines) and shorts < SHORT_LINES:
            t = lines[j][2]
            if t.strip():
                if _is_chrome_line(t, group) or len(t.split()) > SHORT_LINE_WORDS:
                    break
                shorts += 1
            j += 1
        while j < len(lines) and not lines[j][2].strip():
            j += 1
        if end and j < len(lines) and j > i and _is_chrome_line(lines[j][2], group):
            i = j
            continue
        break
    return end


def _runs(words: list[re.Match], keys: frozenset[int], from_end: bool) -> list[int]:
    """The lengths of the word runs at the start (or end) whose shape is in ``keys``, longest first."""
    found = []
    for n in range(min(AFFIX_WORDS, len(words) - 1), 1, -1):
        run = words[-n:] if from_end else words[:n]
        if key(" ".join(shape(w.group(0)) for w in run)) in keys:
            found.append(n)
    return found


def _prefix_chars(text: str, keys: frozenset[int]) -> int:
    """Characters of ``text``'s chrome prefix: a frequent word run divided from the rest by a
    separator, or the longest frequent run when it ends a sentence (a common sentence start, or
    the start of a name, is never cut)."""
    if not keys or is_turn(text):
        return 0
    words = list(re.finditer(r"\S+", text))
    for rank, n in enumerate(_runs(words, keys, from_end=False)):
        last, nxt = words[n - 1].group(0), words[n].group(0)
        if last[-1] in _SEPARATORS or nxt[0] in _SEPARATORS or (rank == 0 and last[-1] in ".!?"):
            return words[n - 1].end()
    return 0


def _suffix_chars(text: str, keys: frozenset[int]) -> int:
    """Characters of ``text``'s chrome suffix: a frequent word run divided from the rest by a
    separator, or the longest frequent run after a sentence's end (a common sentence ending is
    never cut)."""
    if not keys:
        return 0
    words = list(re.finditer(r"\S+", text))
    for rank, n in enumerate(_runs(words, keys, from_end=True)):
        before, first = words[-n - 1].group(0), words[-n].group(0)
        if before[-1] in _SEPARATORS or first[0] in _SEPARATORS or (rank == 0 and before[-1] in _SENTENCE_END):
            return len(text) - words[-n].start()
    return 0


def find_cuts(title: str, body: str, group: GroupChrome) -> Cuts:
    """The chrome of one release (see the module docstring)."""
    lines = _lines(body)
    top = _edge_run(lines[:TOP_LINES], group)
    rest = lines[top:]
    tail = lines[max(top, len(lines) - BOTTOM_LINES) :]
    bottom = _edge_run(tail[::-1], group)
    content = rest[: len(rest) - bottom] if bottom else rest
    if not any(t.strip() for _, _, t in content):
        return Cuts()  # never all chrome
    ranges: list[tuple[int, int]] = []
    if top:
        ranges.append((0, lines[top - 1][1]))
    first = next(i for i, (_, _, t) in enumerate(content) if t.strip())
    last = max(i for i, (_, _, t) in enumerate(content) if t.strip())
    a, b, text = content[first]
    cut = _prefix_chars(text, group.prefixes)
    if cut:
        ranges.append((a, a + cut))
    a, b, text = content[last]
    cut = _suffix_chars(text, group.suffixes)
    if cut and (last != first or not ranges or ranges[-1][1] < b - cut):
        ranges.append((b - cut, b))
    if bottom:
        ranges.append((lines[len(lines) - bottom][0], len(body)))
    title_ranges: list[tuple[int, int]] = []
    cut = _prefix_chars(title, group.prefixes)
    if cut:
        title_ranges.append((0, cut))
    cut = _suffix_chars(title, group.suffixes)
    if cut and len(title) - cut > (title_ranges[0][1] if title_ranges else 0):
        title_ranges.append((len(title) - cut, len(title)))
    return Cuts(tuple(_merge(ranges)), tuple(title_ranges))


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def blank(text: str, ranges: Iterable[tuple[int, int]] | Iterable[list[int]]) -> str:
    """``text`` with the ranges turned to spaces (line breaks kept), so offsets stay the same
    (``text`` itself when there are none)."""
    if not ranges:
        return text
    out = []
    pos = 0
    for a, b in sorted(tuple(r) for r in ranges):
        a = max(a, pos)
        out.append(text[pos:a])
        out.append(_NOT_BREAK.sub(" ", text[a:b]))
        pos = max(pos, b)
    out.append(text[pos:])
    return "".join(out)


def without(text: str, ranges: Iterable[tuple[int, int]] | Iterable[list[int]]) -> str:
    """``text`` with the ranges left out."""
    out = []
    pos = 0
    for a, b in sorted(tuple(r) for r in ranges):
        out.append(text[pos:a])
        pos = max(pos, b)
    out.append(text[pos:])
    return "".join(out)


# --------------------------------------------------------------------------------------------
# The table the worker processes use

_TABLE = ChromeTable()


def use_table(table: ChromeTable) -> None:
    """Set the table ``current_table`` returns (in a worker process: its pool initializer)."""
    global _TABLE
    _TABLE = table


def current_table() -> ChromeTable:
    return _TABLE
