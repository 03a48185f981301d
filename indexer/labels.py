"""Labels of facet values in the interface language: agencies, posts, ranks and languages.

The index stores canonical values (``Secretaría de la Defensa Nacional``, ``es``); what a reader
sees is the label in the interface language (``Ministry of National Defense (SEDENA)``,
``Spanish``). Facets, the CLI and the web pages all ask here.

>>> label("lang", "es", "en"), label("lang", "es", "es")
('Spanish', 'español')
"""

from __future__ import annotations

from typing import Any

from .entities.gazetteer import gazetteer
from .language import language_label

#: Languages of the interface (labels, pages, messages).
UI_LANGUAGES = ("en", "es")


def label(kind: str, value: str, ui_lang: str = "en") -> str:
    """The label of a value of ``kind`` (agency, role, rank, lang) in ``ui_lang``; else the value."""
    if kind == "agency":  # a publisher as written ("Office of Public Affairs") through its alias
        gaz = gazetteer()
        return gaz.labels(kind, gaz.agency(value) or value).get(ui_lang, value)
    if kind == "role":
        return gazetteer().labels(kind, value).get(ui_lang, value)
    if kind == "rank":
        return gazetteer().rank_labels.get(value, {}).get(ui_lang, value)
    if kind == "lang":
        return language_label(value, ui_lang)
    return value


def role_label(post: str, ui_lang: str = "en", feminine: bool = False) -> str:
    """The label of a post in ``ui_lang``, the Spanish one feminine for a woman holder
    (``Secretaria de Energía``); English labels have no gender, and the value stays one per post."""
    return gazetteer().role_label(post, feminine).get(ui_lang, post)


def official_view(official: dict[str, Any], ui_lang: str = "en") -> dict[str, Any]:
    """A stored official as the JSON contracts give it: ``{name, rank, role, agency, role_label}``
    (``role_label`` in ``ui_lang``, agreeing with the holder; None without a post)."""
    role = official.get("role")
    return {
        "name": official["name"],
        "rank": official.get("rank"),
        "role": role,
        "agency": official.get("agency"),
        "role_label": role_label(role, ui_lang, bool(official.get("feminine"))) if role else None,
    }
