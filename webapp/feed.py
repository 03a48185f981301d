"""An Atom feed of any search, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from .safety import xml_text

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element; its text and attributes hold only characters XML allows."""
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def atom_feed(
    title: str, self_url: str, alternate_url: str, records: Iterable[dict[str, Any]], release_url, updated: str
) -> bytes:
    """The feed document; ``release_url(id)`` gives each entry's link. Every string from a release
    or the request passes through ``xml_text``, so the feed is always well-formed."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _element(feed, "title", title)
    _element(feed, "id", self_url)
    _element(feed, "link", None, rel="self", href=self_url, type="application/atom+xml")
    _element(feed, "link", None, rel="alternate", href=alternate_url, type="text/html")
    _element(feed, "updated", updated)
    author = _element(feed, "author")
    _element(author, "name", "Pressroom")
    for record in records:
        entry = _element(feed, "entry")
        link = release_url(record["id"])
        _element(entry, "title", record.get("title") or record["id"])
        _element(entry, "id", link)
        _element(entry, "link", None, rel="alternate", href=link, type="text/html")
        stamp = f"{record['date']}T00:00:00Z" if record.get("date") else updated
        _element(entry, "updated", stamp)
        _element(entry, "published", stamp)
        if record.get("publisher"):
            who = _element(entry, "author")
            _element(who, "name", record["publisher"])
        summary = " ".join((record.get("body") or "").split())[:400]
        _element(entry, "summary", summary, type="text")
        for agency in record.get("agencies") or []:
            _element(entry, "category", None, term=agency)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
