"""Plain-text helpers shared by reading and extraction: sentences, derived titles, cleaning.

>>> [text[a:b] for text in ["Gen. Luis R. Smith came. He left."] for a, b in sentence_spans(text)]
['Gen. Luis R. Smith came.', 'He left.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

TITLE_CHARS = 120
_IMAGE_REF = re.compile(
    r"(?:https?://[^\s\"'<>]+|/[\w./%-]*?)\.(?:jpe?g|png|gif|webp)\b(?:\?[^\s\"'<>]*)?", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr jr sr st no gen adm lic sra sr srta ing mtro mtra gral col cap lt sgt dept "
    "gov sen rep u.s atty asst inc corp co jan feb mar apr jun jul aug sep sept oct nov dec vs".split()
)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str) -> str:
    """Drop control characters (keeping newlines and tabs) and normalise line ends."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence; a stop after an initial or an abbreviation does not end one."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start : m.start()].rsplit(None, 1)
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
