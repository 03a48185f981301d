"""An Atom feed of any search, newest first."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def atom_feed(
    title: str, self_url: str, alternate_url: str, records: Iterable[dict[str, Any]], release_url, updated: str
) -> bytes:
    """The feed document; ``release_url(id)`` gives each entry's link."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = self_url
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=alternate_url, type="text/html")
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Pressroom"
    for record in records:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        link = release_url(record["id"])
        ET.SubElement(entry, f"{{{ATOM}}}title").text = record.get("title") or record["id"]
        ET.SubElement(entry, f"{{{ATOM}}}id").text = link
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link, type="text/html")
        stamp = f"{record['date']}T00:00:00Z" if record.get("date") else updated
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = stamp
        ET.SubElement(entry, f"{{{ATOM}}}published").text = stamp
        if record.get("publisher"):
            who = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(who, f"{{{ATOM}}}name").text = record["publisher"]
        summary = " ".join((record.get("body") or "").split())[:400]
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = summary
        for agency in record.get("agencies") or []:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=agency)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
