"""Press contacts: a name on its own line, the post on the next, then how to reach them.

    Susan Kang Schroeder            Farrah Emami
    Chief of Staff                  Vocera
    Office: 714-347-8408            714-347-8405

A release's contact block names the publisher's own staff, so the agency is the publisher's.
The post is the line as written (a table post where the words name one). What makes the block
is its shape, not its words: a line that is a person's name and nothing else, a short line of
title-case words, then a line that opens with a phone number, an e-mail address or a label
such as ``Office:``/``Oficina:``.

A contact block is usually page chrome (the same lines in every release of a publisher), which
the other patterns never read; this one reads the release as written, so the people a release
gives as its contacts are named whole, with their post, in every release that gives them.
"""

from __future__ import annotations

import re

from .extractor import Extractor
from .names import clean_name

#: How the contact is reached: a phone number, an e-mail address or a labelled line.
_REACH = re.compile(
    r"^[ \t]*(?:\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|(?:Office|Oficina|Cell|Celular|Phone|Tel[eé]fono|Tel|Mobile|Fax|E-?mail|Correo)\b\.?[^\n]*?:)",
    re.I,
)
#: A post line: up to eight words, each capitalised or a small function word, no digits.
_POST_WORD = r"[A-ZÁÉÍÓÚÑ][\w'’.&/-]*"
_POST_LINE = re.compile(
    rf"^[ \t]*(?P<post>{_POST_WORD}(?:[ \t]+(?:{_POST_WORD}|of|and|for|de|del|la|las|los|y|e|en)){{0,7}})[ \t]*$"
)


def contact_blocks(ex: Extractor, written: str | None = None) -> None:
    """Every "name / post / phone" block of the text, as an official of the publisher.

    ``written`` is the text before its page chrome was blanked (the same offsets)."""
    text = ex.text if written is None else written
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    claimed = ex.claimed()
    for (start, name_line), (post_start, post_line), (_s, reach_line) in zip(lines, lines[1:], lines[2:], strict=False):
        if not _REACH.match(reach_line):
            continue
        pm = _POST_LINE.match(post_line)
        if not pm or not name_line.strip():
            continue
        offset = len(name_line) - len(name_line.lstrip())
        rank, name = clean_name(name_line.strip(), ex.gaz, ex.common)
        if not name or name != name_line.strip() or len(name.split()) < 2 or start + offset in claimed:
            continue  # the whole line must be the name
        words = pm.group("post")
        if len(words.split()) > 1 and clean_name(words, ex.gaz, ex.common)[1] == words:
            continue  # two names in a row, not a name and its post
        post = ex.gaz.post(words, ex.default) or words
        begin = post_start + pm.start("post")
        ex.add(name, start + offset, rank, post, ex.publisher, ex.feminine(begin, begin + len(words), text))
