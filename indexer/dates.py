"""Release dates: ISO or written-out dates, datelines, dates in image file names.

>>> normalize_date("2019-12-05T10:00:00Z"), normalize_date("December 5, 2019"), normalize_date("5 de diciembre de 2019")
('2019-12-05', '2019-12-05', '2019-12-05')
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date as Date

_DATE_IN_PATH = re.compile(r"(?<!\d)(20\d\d|19\d\d)[-_](\d\d)[-_](\d\d)(?!\d)")
_MONTHS = {
    **{m.lower(): i for i, m in enumerate(calendar.month_name) if m},
    **{m.lower(): i for i, m in enumerate(calendar.month_abbr) if m},
    "sept": 9,
    "enero": 1,
    "febrero": 2,
    "marzo": 3,
    "abril": 4,
    "mayo": 5,
    "junio": 6,
    "julio": 7,
    "agosto": 8,
    "septiembre": 9,
    "setiembre": 9,
    "octubre": 10,
    "noviembre": 11,
    "diciembre": 12,
}
_MONTH_WORDS = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A dateline opens a release: "WASHINGTON, Jan. 5, 2020 -" or "Ciudad de México, 16 de enero de 2020".
_DATELINE_EN = re.compile(rf"^[^\n.]{{0,60}}?\b({_MONTH_WORDS})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_DATELINE_ES = re.compile(
    rf"^[^\n.]{{0,60}}?\b(\d{{1,2}})\s+de\s+({_MONTH_WORDS})\s+(?:de|del)\s+(\d{{4}})\b", re.IGNORECASE
)


def normalize_date(value: object) -> str | None:
    """An ISO ``YYYY-MM-DD`` from the formats releases use, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.match(r"^(\d{4})/(\d{1,2})/(\d{1,2})$", text)
    if m:
        return _valid_date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(rf"^({_MONTH_WORDS})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$", text, re.IGNORECASE)
    if m:
        return _valid_date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    m = re.match(rf"^(\d{{1,2}})\s+(?:de\s+)?({_MONTH_WORDS})\.?,?\s+(?:de\s+|del\s+)?(\d{{4}})$", text, re.IGNORECASE)
    if m:
        return _valid_date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    return None


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return Date(year, month, day).isoformat()
    except ValueError:
        return None


def date_from_images(images: Iterable[str]) -> str | None:
    """The date an image's file name carries (``WhatsApp_Image_2020-01-16_at_...``), if any."""
    for ref in images:
        name = ref.rsplit("/", 1)[-1]
        m = _DATE_IN_PATH.search(name)
        if m:
            found = _valid_date(int(m[1]), int(m[2]), int(m[3]))
            if found:
                return found
    return None


def dateline_date(text: str) -> str | None:
    """The date of a dateline at the very start of a release, if it has one."""
    head = text.lstrip()[:160]
    m = _DATELINE_EN.match(head)
    if m:
        return _valid_date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    m = _DATELINE_ES.match(head)
    if m:
        return _valid_date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    return None
