"""Output that hostile release text cannot turn against a reader: links, XML, spreadsheet cells.

Release fields come from files anyone can write. HTML escaping is Jinja's (autoescape); what it
cannot do is here: a URL is a link only when it is http(s), a feed holds only characters XML
allows, and a spreadsheet cell never starts a formula.

>>> http_url(" java\\tscript:alert(1)"), http_url("https://www.gob.mx/x")
(None, 'https://www.gob.mx/x')
>>> spreadsheet_cell("\\x00=2+2"), xml_text("a\\x01b\\ufffe")
("'=2+2", 'ab')
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Characters XML 1.0 forbids (C0 controls but tab, newline, return; surrogates; U+FFFE, U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: What browsers drop from a URL before reading its scheme (tabs and newlines anywhere, controls
#: and spaces at the ends), so "java\tscript:" is "javascript:" to them.
_URL_IGNORED = re.compile("[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(33)))
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
#: A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@")


def http_url(url: object) -> str | None:
    """The URL if it is an http or https URL a browser would open as such, else None."""
    if not isinstance(url, str):
        return None
    cleaned = _URL_IGNORED.sub("", url).strip(_C0_AND_SPACE)
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return None
    return cleaned if scheme in ("http", "https") else None


def xml_text(text: object) -> str:
    """``text`` without the characters an XML 1.0 document may not contain."""
    return _NOT_XML.sub("", str(text))


def spreadsheet_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: control characters dropped, a leading formula
    character (after any spaces) neutralised with an apostrophe."""
    text = _CONTROLS.sub("", text)
    if text.lstrip().startswith(_FORMULA_START):
        return "'" + text
    return text
