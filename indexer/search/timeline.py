"""How the matching releases spread over time: counts per year, or per month over short spans.

>>> import numpy as np
>>> timeline(np.array([20190105, 20190320, 20200101, -1]), np.array([True, True, True, True]))[0]
{'period': '2019-01', 'from': '2019-01-01', 'to': '2019-01-31', 'count': 1}
"""

from __future__ import annotations

import calendar
from typing import Any

import numpy as np

#: Below this many months between the first and the last match, the timeline counts months.
MONTHLY_BELOW_MONTHS = 24


def timeline(date_key: np.ndarray, matched: np.ndarray) -> list[dict[str, Any]]:
    """``[{period, from, to, count}]`` for every year (or month) from the first matching date to
    the last, empty periods included; undated releases are not counted."""
    keys = date_key[matched]
    keys = keys[keys >= 0]
    if not len(keys):
        return []
    years, months = keys // 10000, (keys // 100) % 100
    month_index = years * 12 + months - 1
    first, last = int(month_index.min()), int(month_index.max())
    if last - first < MONTHLY_BELOW_MONTHS:
        counts = np.bincount(month_index - first, minlength=last - first + 1)
        return [_month(first + i, int(n)) for i, n in enumerate(counts)]
    low = int(years.min())
    counts = np.bincount(years - low)
    return [
        {"period": f"{low + i:04d}", "from": f"{low + i:04d}-01-01", "to": f"{low + i:04d}-12-31", "count": int(n)}
        for i, n in enumerate(counts)
    ]


def _month(index: int, count: int) -> dict[str, Any]:
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return {
        "period": f"{year:04d}-{month:02d}",
        "from": f"{year:04d}-{month:02d}-01",
        "to": f"{year:04d}-{month:02d}-{last_day:02d}",
        "count": count,
    }
