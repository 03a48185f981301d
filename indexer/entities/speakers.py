"""Transcript speaker labels: ``NAME, POST:`` in capitals at the start of a line.

``ZOÉ ROBLEDO ABURTO, DIRECTOR GENERAL DEL IMSS:`` and ``PRESIDENTE ANDRÉS MANUEL LÓPEZ
OBRADOR:``; generic speakers (``PREGUNTA``, ``INTERLOCUTOR``) are no one.
"""

from __future__ import annotations

import re

from ..analysis import fold_key
from .extractor import Extractor
from .gazetteer import normalize_aliases
from .gender import holder_feminine
from .names import UPPER, clean_name, post_case, restore_case
from .patterns import LABEL, NON_PERSON_LABELS, POST_HEADS


def speaker_labels(ex: Extractor) -> None:
    """Every speaker label of a transcript, with the post the label gives (or opens with)."""
    for m in LABEL.finditer(ex.text):
        label = m.group("label").strip(" .-")
        # "P RESIDENTE ANDRÉS MANUEL", "I NTERLOCUTORA": a letter the transcript split off its word
        label = re.sub(rf"^([{UPPER}]) ([{UPPER}]{{2,}})", r"\1\2", label)
        post_text = (m.group("post") or "").strip()
        if fold_key(label) in NON_PERSON_LABELS or not any(c.isalpha() for c in label):
            continue
        if post_text and not post_text.isupper():
            continue  # "Note, however:" and the like are prose, not labels
        post, name_part = _post_opening(ex, label)
        rank, name = clean_name(restore_case(name_part), ex.gaz, ex.common)
        if not name or len(name.split()) < 2 or fold_key(name) in NON_PERSON_LABELS:
            continue
        agency = None
        if post_text:
            plain = post_case(post_text, ex.gaz)
            canon = ex.gaz.post(plain, ex.default)
            if canon:
                post = canon
            elif POST_HEADS.match(fold_key(post_text)) or len(plain.split()) >= 3:
                post = plain
                agency = ex.agency_in(m.start("post"), m.end("post"))
        feminine = holder_feminine(post_text or label) if ex.spanish else None
        ex.add(name, m.start("label"), rank, post, agency, feminine)


def _post_opening(ex: Extractor, label: str) -> tuple[str | None, str]:
    """``(post, rest of the label)`` when the label opens with a post ("PRESIDENTE ANDRÉS ...")."""
    folded = fold_key(label)
    pm = ex.gaz.post_re.match(normalize_aliases(folded))
    if pm and not pm.group("plural") and pm.end() < len(folded):
        return ex.gaz.post(pm.group("alias"), ex.default), " ".join(label.split()[len(pm.group("alias").split()) :])
    if folded.split()[0] in ("presidente", "presidenta") and ex.default == "MX":
        return ex.gaz.post("presidente de la republica", "MX"), " ".join(label.split()[1:])
    return None, label
