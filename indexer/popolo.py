"""The tenures as a Popolo document (https://www.popoloproject.com/): persons, organizations,
posts and memberships, the shape ``schemas/popolo.schema.json`` fixes.

- a **person** is an official (the official facet's person, name variants as ``other_names``);
- a **membership** is one tenure term: ``start_date`` and ``end_date`` are its first and last
  release, ``role`` the post's English label (``Acting …`` for an acting term);
- a **post** is a post with at least one membership; its organization is the post's agency in
  the tables, else the agency most of its terms name;
- an **organization** is an agency a post or a membership points to, with its English and Spanish
  labels as ``other_names``.

A term whose post has no agency at all (a post as written, with no agency in the text) is left
out: a membership must name its organization. Ids are a readable slug and a hash of the name
(``person/eric-holder-5f4dcc``), so they are the same in every build of the same releases.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import Any

from .analysis import fold_key
from .entities.gazetteer import gazetteer
from .tenures.table import Tenures


def popolo_id(kind: str, name: str) -> str:
    """A stable id: ``kind/slug-hash`` (the hash tells apart names with one slug).

    >>> popolo_id("person", "Marcelo Ebrard Casaubón")
    'person/marcelo-ebrard-casaubon-9549e6'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold_key(name)).strip("-")[:60].strip("-") or "x"
    digest = hashlib.sha1(f"{kind}\n{name}".encode()).hexdigest()[:6]
    return f"{kind}/{slug}-{digest}"


def popolo_document(tenures: Tenures) -> dict[str, Any]:
    """``{persons, organizations, posts, memberships}`` of one generation's tenures."""
    gaz = gazetteer()
    memberships = []
    post_orgs: dict[str, Counter] = {}
    for post, entry in sorted(tenures.posts.items()):
        table_agency = gaz.posts[post].agency if post in gaz.posts else None
        for h in entry["holders"]:
            org = h.get("agency") or table_agency
            if not org:
                continue
            post_orgs.setdefault(post, Counter())[org] += 1
            role = gaz.labels("role", post)["en"]
            memberships.append(
                {
                    "id": "membership/"
                    + hashlib.sha1(f"{h['name']}\n{post}\n{h['first_seen']}\n{h['acting']}".encode()).hexdigest()[:12],
                    "person_id": popolo_id("person", h["name"]),
                    "organization_id": popolo_id("organization", org),
                    "post_id": popolo_id("post", post),
                    "role": f"Acting {role}" if h["acting"] and not role.lower().startswith("acting") else role,
                    "start_date": h["first_seen"],
                    "end_date": h["last_seen"],
                }
            )
    posts = []
    for post, orgs in sorted(post_orgs.items()):
        table_agency = gaz.posts[post].agency if post in gaz.posts else None
        org = table_agency or min(orgs, key=lambda o: (-orgs[o], o))
        posts.append({"id": popolo_id("post", post), "label": post, "organization_id": popolo_id("organization", org)})
    named = {m["organization_id"] for m in memberships} | {p["organization_id"] for p in posts}
    agencies = {popolo_id("organization", a): a for orgs in post_orgs.values() for a in orgs}
    agencies.update(
        {
            popolo_id("organization", gaz.posts[p].agency): gaz.posts[p].agency
            for p in post_orgs
            if p in gaz.posts and gaz.posts[p].agency
        }
    )
    organizations = [
        {"id": oid, "name": name, "other_names": _other_names(name, gaz.labels("agency", name).values())}
        for oid, name in sorted(agencies.items())
        if oid in named
    ]
    persons = [
        {"id": popolo_id("person", person), "name": person, "other_names": _other_names(person, names)}
        for person, names in sorted(tenures.people.items())
    ]
    return {
        "persons": sorted(persons, key=lambda p: p["id"]),
        "organizations": organizations,
        "posts": sorted(posts, key=lambda p: p["id"]),
        "memberships": sorted(memberships, key=lambda m: m["id"]),
    }


def _other_names(name: str, names: Any) -> list[dict[str, str]]:
    return [{"name": n} for n in dict.fromkeys(names) if n and n != name]


_CACHE: dict[int, tuple[Tenures, dict[str, Any]]] = {}


def popolo_export(engine: Any) -> dict[str, Any]:
    """The Popolo document of the generation an engine serves (built once per tenures file)."""
    tenures = engine.tenures()
    cached = _CACHE.get(id(tenures))
    if cached is None or cached[0] is not tenures:
        _CACHE.clear()
        cached = _CACHE[id(tenures)] = (tenures, popolo_document(tenures))
    return cached[1]
