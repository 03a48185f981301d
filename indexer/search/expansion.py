"""Prefixes and wildcards -> the words they stand for, within limits; a time budget per query.

A pattern is replaced by the OR of the index words it matches in each field (``indict*`` ->
``indicted OR indictment OR ...``), so it is scored like those words (BM25F, as Whoosh scores an
OR of terms) and highlighted exactly where they occur. Expanding is where a hostile query costs
the most (``*a*`` would read every word of four fields), so it is bounded:

- a pattern must start with a letter or digit (``*a*`` is refused: it names no place to start);
- a query may expand to at most ``MAX_EXPANSIONS`` words, and a wildcard may look at most at
  ``MAX_SCANNED`` candidate words (everything sharing its leading letters);
- every query runs under a time budget (``QUERY_BUDGET_SECONDS``) checked as it is evaluated.

Past a limit the query is refused with ``QueryTooBroadError`` (400 ``query_too_broad``), past the
budget with ``QueryTimeoutError`` (503 ``timeout``).
"""

from __future__ import annotations

import fnmatch
import os
import re
import time
from typing import Any

from whoosh import query as Q

from ..messages import message
from .model import SearchError

#: Words all the patterns of one query may expand to, over every field (``secret*`` is 42 at
#: 24,000 releases, ``fraud*`` 97; ``inv*`` 568 and ``se*`` 2,808 are refused: type more letters).
MAX_EXPANSIONS = 200
#: Candidate words one wildcard may look at (the words sharing its leading letters, per field).
MAX_SCANNED = 20000
#: Seconds one query may take to evaluate (``PRESSROOM_QUERY_BUDGET`` overrides it).
QUERY_BUDGET_SECONDS = float(os.environ.get("PRESSROOM_QUERY_BUDGET", "1.0"))


class QueryTooBroadError(SearchError):
    """A pattern matches too many words (or could only be answered by reading them all)."""

    code = "query_too_broad"

    def __init__(self, key: str, /, **values: Any) -> None:
        super().__init__("q", key, **values)


class QueryTimeoutError(RuntimeError):
    """A query ran past its time budget; the server answers 503 and asks the client to retry."""

    def __init__(self, budget: float) -> None:
        super().__init__(message("timeout", "en", budget=budget))
        self.budget = budget

    def message_in(self, lang: str) -> str:
        return message("timeout", lang, budget=self.budget)


class Deadline:
    """A query's time budget: ``check()`` raises ``QueryTimeoutError`` once it is spent."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = QUERY_BUDGET_SECONDS if seconds is None else seconds
        self.until = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.until:
            raise QueryTimeoutError(self.seconds)


def expand_patterns(q: Q.Query, reader: Any, deadline: Deadline | None = None) -> Q.Query:
    """``q`` with every prefix and wildcard replaced by the OR of the words it matches."""
    counter = _Counter(deadline)

    def visit(node: Q.Query) -> Q.Query:
        if isinstance(node, (Q.Prefix, Q.Wildcard)):
            words = counter.words(node, reader)
            if not words:
                return Q.NullQuery
            terms = [Q.Term(node.fieldname, w, boost=node.boost) for w in words]
            return terms[0] if len(terms) == 1 else Q.Or(terms)
        return node

    return q.accept(visit)


class _Counter:
    """Counts the words the patterns of one query expand to, against ``MAX_EXPANSIONS``."""

    def __init__(self, deadline: Deadline | None) -> None:
        self.total = 0
        self.deadline = deadline

    def words(self, node: Q.Prefix | Q.Wildcard, reader: Any) -> list[str]:
        text = node.text
        lead = re.match(r"[^*?]*", text).group(0)
        if not lead:
            raise QueryTooBroadError("leading_wildcard", text=text)
        match = None if isinstance(node, Q.Prefix) else re.compile(fnmatch.translate(text)).match
        found: list[str] = []
        for scanned, word in enumerate(reader.expand_prefix(node.fieldname, lead)):
            word = word.decode("utf-8") if isinstance(word, bytes) else word
            if scanned >= MAX_SCANNED:
                raise self.too_broad(text)
            if match is None or match(word):
                found.append(word)
                self.total += 1
                if self.total > MAX_EXPANSIONS:
                    raise self.too_broad(text)
            if self.deadline is not None and scanned % 1024 == 0:
                self.deadline.check()
        return found

    @staticmethod
    def too_broad(text: str) -> QueryTooBroadError:
        return QueryTooBroadError("too_broad", text=text, limit=MAX_EXPANSIONS)
