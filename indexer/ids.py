"""Release ids: kept as given, and a URL id that two different given ids never share.

An id made only of ``[A-Za-z0-9_.-]`` (other than ``.`` and ``..``) is its own URL id. Any other id
is escaped reversibly: every other character, ``~`` included, becomes ``~`` and two hex digits per
UTF-8 byte. A URL id uses only unreserved URL characters, so it is one path segment as it is.

>>> url_id("doj-opa-12692"), url_id("a/b"), url_id("a-b"), url_id("50%~"), url_id("..")
('doj-opa-12692', 'a~2Fb', 'a-b', '50~25~7E', '~2E~2E')
>>> given_id(url_id("Declaración #3?")) == "Declaración #3?"
True
"""

from __future__ import annotations

import re

#: Longest id accepted, in characters.
MAX_ID_CHARS = 512
_SAFE = re.compile(r"[A-Za-z0-9_.-]+")
_SAFE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_ESCAPED = re.compile(r"(?:~[0-9A-F]{2})+")
_URL_ID = re.compile(r"[A-Za-z0-9_.~-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def url_id(given: str) -> str:
    """The id as it appears in URLs and the JSON ``id`` key (see the module docstring)."""
    if _SAFE.fullmatch(given) and given not in (".", ".."):
        return given
    if given in (".", ".."):
        return "~2E" * len(given)
    return "".join(ch if ch in _SAFE_CHARS else "".join(f"~{b:02X}" for b in ch.encode("utf-8")) for ch in given)


def given_id(url: str) -> str:
    """The given id a URL id stands for (the inverse of ``url_id``)."""
    return _ESCAPED.sub(lambda m: bytes.fromhex(m.group(0).replace("~", "")).decode("utf-8", "replace"), url)


def id_problem(given: str) -> str | None:
    """Why a given id cannot be used, or None."""
    if not given.strip():
        return "empty id" if not given else "id is only white space"
    if len(given) > MAX_ID_CHARS:
        return f"id longer than {MAX_ID_CHARS} characters"
    if _CONTROL.search(given):
        return f"id {given.encode('unicode_escape').decode()!r} has control characters"
    return None


def lookup_forms(text: str) -> list[str]:
    """The URL ids a user's text may mean: itself when it is a URL id, and its escaped form (so a
    command or a URL may name a release by either the given or the URL id)."""
    forms = [text] if _URL_ID.fullmatch(text) else []
    escaped = url_id(text)
    return list(dict.fromkeys([*forms, escaped]))
