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
# Bounded repeats: an unbounded lazy path made this quadratic on text full of slashes.
_IMAGE_REF = re.compile(
    r"(?:https?://[^\s\"'<>]{1,2000}?|/[\w./%-]{0,500}?)\.(?:jpe?g|png|gif|webp)\b(?:\?[^\s\"'<>]{0,500})?",
    re.IGNORECASE,
)
_LONG_WORD = re.compile(rf"\w{{{MAX_WORD_CHARS + 1},}}")
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
    """Split scraped image references out of a text: ``(text without them, [references])``."""
    images = [m.group(0) for m in _IMAGE_REF.finditer(text)]
    if not images:
        return text, []
    return _IMAGE_REF.sub(" ", text), images
