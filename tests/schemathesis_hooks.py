"""Schemathesis hooks: drop generated requests whose refusal the OpenAPI document cannot express.

A schema states each parameter alone. It cannot say that ``from`` must not come after ``to``, nor
which patterns in ``q`` are too broad for the index being served (a leading wildcard, more than
200 words): both are documented 400s (README, "API"), not valid requests rejected. Only those are
dropped, judged by Pressroom's own code against the served index (``PRESSROOM_INDEX_DIR``); every
other generated request is sent as drawn."""

from __future__ import annotations

import functools

import schemathesis

from indexer.search import Engine, SearchRequest
from indexer.search.expansion import QueryTimeoutError, QueryTooBroadError
from indexer.search.model import SearchError, parse_date_bound


@functools.cache
def _engine() -> Engine:
    return Engine()  # the index the server was started on, from $PRESSROOM_INDEX_DIR


def _bound(value: object, end: bool, name: str) -> str | None:
    try:
        return parse_date_bound(value if isinstance(value, str) else None, end, name)
    except SearchError:
        return None  # an invalid date is the server's to refuse, and schemathesis's to expect


def _too_broad(q: object) -> bool:
    if not isinstance(q, str) or not any(ch in q for ch in "*?"):
        return False
    try:
        _engine().search(SearchRequest(query=q, per_page=1))
    except QueryTooBroadError:
        return True
    except (SearchError, QueryTimeoutError):
        return False
    return False


@schemathesis.hook
def filter_query(ctx, query):
    if not query:
        return True
    date_from = _bound(query.get("from"), False, "from")
    date_to = _bound(query.get("to"), True, "to")
    return not (date_from and date_to and date_from > date_to) and not _too_broad(query.get("q"))
