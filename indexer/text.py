"""Plain-text helpers shared by reading and extraction: sentences, derived titles, cleaning.

>>> [text[a:b] for text in ["Gen. Luis R. Smith came. He left."] for a, b in sentence_spans(text)]
['Gen. Luis R. Smith came.', 'He left.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

TITLE_CHARS = 120
#: Longest text kept per field, in characters; past it the text is cut (and the cut reported).
#: The longest real release in the corpus has 172,896 characters, the longest title 520.
MAX_BODY_CHARS = 1_000_000
MAX_TITLE_CHARS = 1_000
MAX_FIELD_CHARS = 10_000
#: Longest word kept whole (the longest in the corpus has 78 characters): a longer run of letters
#: is cut to this length, so no stage of a build can be slowed by one giant token.
MAX_WORD_CHARS = 100
#: An image file's extension (and query string): where an image reference ends.
_IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp)\b(?:\?[^\s\"'<>]{0,500})?", re.IGNORECASE)
#: Characters a URL runs over, and those of a bare path ("/cms/uploads/image/x.jpeg").
_NOT_IN_URL = re.compile(r"[\s\"'<>]")
_NOT_IN_PATH = re.compile(r"[^\w./%-]")
#: How far back from an extension a reference may start (a URL, a bare path).
_URL_CHARS, _PATH_CHARS = 2000, 500
_LONG_WORD = re.compile(rf"(?<!\w)\w{{{MAX_WORD_CHARS + 1},}}")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr jr sr st no gen adm lic sra sr srta ing mtro mtra gral col cap lt sgt dept "
    "gov sen rep u.s atty asst inc corp co jan feb mar apr jun jul aug sep sept oct nov dec vs".split()
)


#: Control characters (newlines and tabs kept), the bidirectional overrides and isolates that let a
#: title display as something else, and the two non-characters XML refuses.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def clean_text(text: str) -> str:
    r"""Drop control characters (keeping newlines and tabs), bidirectional overrides and XML
    non-characters, and normalise line ends.

    >>> clean_text("Fraud\u202e lanoitan\x00 charges\r\n")
    'Fraud lanoitan charges\n'
    """
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


_UNPRINTABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: object) -> str:
    r"""``text`` safe to print on a terminal: control characters and direction overrides shown as
    escapes instead of acting on the terminal.

    >>> print(printable("a\x1b[2Jb"))
    a\x1b[2Jb
    """
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))


def cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters (on white space when one is near the limit)."""
    if len(text) <= limit:
        return text
    space = text.rfind(" ", limit - 100, limit)
    return text[: space if space > 0 else limit]


def cut_long_words(text: str) -> tuple[str, int]:
    """``text`` with every word longer than ``MAX_WORD_CHARS`` cut to that length, and how many were."""
    # A run of letters lies inside a run of non-space characters: splitting on white space (in C)
    # rules out almost every text before the regular expression looks at it.
    if len(text) <= MAX_WORD_CHARS or max(map(len, text.split()), default=0) <= MAX_WORD_CHARS:
        return text, 0
    count = 0

    def shorten(m: re.Match) -> str:
        nonlocal count
        count += 1
        return m.group(0)[:MAX_WORD_CHARS]

    return _LONG_WORD.sub(shorten, text), count


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence; a stop after an initial or an abbreviation does not end one."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        # Only the word before the stop matters: a bounded look back keeps this linear even when
        # stops after initials ("a. a. a.") never end a sentence.
        before = text[max(start, m.start() - 40) : m.start()].rsplit(None, 1)
        word = before[-1].lower() if before else ""
        if m.group(0) == "." and (len(word) == 1 or word.lstrip("(\"'") in _ABBREVIATIONS):
            continue
        yield start, m.end()
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text) and text[start:].strip():
        yield start, len(text)


def derive_title(body: str, limit: int = TITLE_CHARS) -> str:
    """A title from the body's first sentence, cut on a word boundary at about ``limit`` characters."""
    text = " ".join(body.split())
    first = next(sentence_spans(text), (0, len(text)))
    sentence = text[first[0] : first[1]]
    if len(sentence) <= limit:
        return sentence.rstrip(".")
    cut = sentence[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def take_images(text: str) -> tuple[str, list[str]]:
    """Split scraped image references out of a text: ``(text without them, [references])``.

    A reference is an ``http(s)://`` URL or a ``/path`` ending in an image extension. Found from
    each extension backwards, within a bounded distance, so the work is linear in the text (a
    regular expression that starts at every slash was quadratic on a body made of slashes).

    >>> take_images("Meeting /cms/uploads/image/WhatsApp_Image_2020-01-16.jpeg today")
    ('Meeting   today', ['/cms/uploads/image/WhatsApp_Image_2020-01-16.jpeg'])
    """
    spans: list[tuple[int, int]] = []
    floor = 0  # references never overlap
    for m in _IMAGE_EXT.finditer(text):
        start = _reference_start(text, max(floor, m.start() - _URL_CHARS), m.start())
        if start is not None:
            spans.append((start, m.end()))
            floor = m.end()
    if not spans:
        return text, []
    pieces, images, pos = [], [], 0
    for a, b in spans:
        pieces.append(text[pos:a])
        images.append(text[a:b])
        pos = b
    pieces.append(text[pos:])
    return " ".join(pieces), images


def _reference_start(text: str, lo: int, ext: int) -> int | None:
    """Where the image reference ending at ``ext`` starts: the first ``http(s)://`` of the run of
    URL characters before it, else the first ``/`` of the run of path characters; None if neither."""
    run = text[lo:ext]
    stops = list(_NOT_IN_URL.finditer(run))
    lowered = run.lower()
    url_from = stops[-1].end() if stops else 0
    # the earliest scheme followed by at least one character
    starts = [
        i for scheme in ("http://", "https://") if 0 <= (i := lowered.find(scheme, url_from)) < len(run) - len(scheme)
    ]
    if starts:
        return lo + min(starts)
    path_from = max(0, len(run) - _PATH_CHARS)
    bad = list(_NOT_IN_PATH.finditer(run, path_from))
    slash = run.find("/", bad[-1].end() if bad else path_from)
    return lo + slash if slash >= 0 else None
