"""The Typesense backend: releases in a replicated Typesense 0.24 cluster, searched the Whoosh way.

The only module that imports ``typesense``. Pressroom still parses, folds and stems
(``indexer.analysis`` through the schema's analyzers), resolves facet values, builds snippets and
writes the JSON; Typesense stores the analysed tokens and matches them (``tsquery``).

Layout in the cluster, for an alias ``A`` (``$PRESSROOM_TYPESENSE_COLLECTION``, default
``pressroom``):

- ``A-gen-<utc>-<pid>``: one collection per generation (a build writes a new one);
- alias ``A`` -> the current generation, switched only once a build is complete and applied on
  every reachable node (readers never see a half-built collection);
- ``A_meta``: one document per generation (``built_at``, counts, ``version``, the previous
  generation), written before the switch, so it switches with the releases; beside it, in chunks,
  the tables a reader needs that are not releases (``tenures``, the page chrome ``chrome_counts``
  and ``chrome_table``), each version under its own ids, named by the generation's document.

The ``--index`` folder stays local to the build host: the lock and each generation's
``rejects.jsonl`` (in ``<index>/A-gen-.../``).
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np
import typesense
from rapidfuzz.distance import Levenshtein
from typesense import exceptions as tse
from whoosh import query as Q

from ..analysis import STEMMED_LANGUAGES, fold, fold_key, stemming_analyzer
from ..boilerplate import ChromeCounts, ChromeTable, use_table
from ..build import (
    IDS_SCHEME,
    NothingToIndexError,
    Progress,
    Report,
    _count_chrome,
    _documents,
    _split,
    _with_fault_pauses,
    changed_documents,
    recount_chrome,
)
from ..documents import parse_fingerprint, prepare_or_reject, to_release
from ..entities.gazetteer import extractor_version
from ..ids import lookup_forms
from ..messages import message
from ..schema import make_schema
from ..search.aliases import expand_entities, highlight_query
from ..search.engine import MAX_MARKS, STATS_FACETS, _source_id, make_hit
from ..search.expansion import MAX_EXPANSIONS, MAX_SCANNED, QueryTooBroadError, expand_patterns
from ..search.facets import FACETS, Facet, FacetData, check_filters, facet_list, matches_prefix, merge_officials
from ..search.highlight import (
    mark_all,
    match_spans,
    stemmer_for,
)
from ..search.model import MAX_FACET_SIZE, FacetValue, Hit, SearchPage, SearchRequest, parse_date_bound, validate
from ..search.query import accented_words, parse_query, split_query
from ..search.related import release_words_text
from ..search.spelling import MIN_WORD, TWO_EDITS_FROM, min_releases, suggest
from ..search.timeline import timeline
from ..sources import Rejection, Release, read_releases
from ..store import (
    GRACE_SECONDS,
    IndexEmptyError,
    IndexLoadingError,
    IndexMissingError,
    IndexStore,
    IndexUnavailableError,
    utc_now,
)
from ..tenures.holders import holder_pairs
from ..tenures.rows import RowsReader
from ..tenures.table import Tenures, compute_tenures
from .base import Backend, PersonReleases, SearchEngine
from .tsquery import (
    MAX_FILTER_TOKENS,
    MAX_PHRASE_IDS,
    STEM_MARKS,
    TOKEN_FIELDS,
    TRUE,
    WORD_FIELD,
    Phrase,
    Plan,
    Translator,
    all_of,
    any_of,
    any_value,
    dot_split,
    facet_key,
    facet_value,
    filter_size,
    rank_words,
    term_filter,
    word_values,
)

NODES_ENV = "PRESSROOM_TYPESENSE_NODES"
API_KEY_ENV = "PRESSROOM_TYPESENSE_API_KEY"
COLLECTION_ENV = "PRESSROOM_TYPESENSE_COLLECTION"
DEFAULT_ALIAS = "pressroom"
#: Documents sent per import request.
BATCH = 200
#: Seconds a write waits for every reachable node to have applied it.
APPLY_TIMEOUT = 120.0
#: Values asked of Typesense per facet (every value: Pressroom orders, cuts and merges them).
ALL_VALUES = 100_000
#: A page asks Typesense for ``2 * facet_size + FACET_MARGIN`` values of a facet ordered by count
#: (more only when a value left out could still reach the list: ``TypesenseEngine._settled``).
FACET_MARGIN = 10
#: Counts asked in one multi-search at most (Typesense 0.24 runs at most 50 searches in one).
MAX_BATCHED_COUNTS = 40
#: Accented forms a spelling suggestion reads at most for one word (those that start like it).
SURFACE_VALUES = 100
#: Stored fields a hit needs.
HIT_FIELDS = "sid,record,body,chrome"
#: Hits per page Typesense returns at most.
MAX_TS_PAGE = 250
#: Seconds a search waits for a node before the client tries the next one.
READ_TIMEOUT = 5.0
#: Symbols a generation's tokens keep (Typesense drops the others): dotted words (``u.s``), and the
#: ``~`` of the marked stems in ``tk_word`` (``en~sentenc``: one token, which no plain token equals).
COLLECTION_SYMBOLS = [".", "_", "~"]
#: The field of one release that the last write to a generation stamps with a fresh token
#: (``Cluster.barrier``): Typesense 0.24 applies the writes to one collection in order, but those to
#: different collections each in a queue of their own (its batched indexer picks the queue by the
#: collection's name), so a marker in the metadata collection said nothing about the releases. A
#: node restarted from its snapshot had the metadata written after the build's ``holder_of``
#: updates while it still applied them (searches of several seconds, facet lists being filled).
STAMP_FIELD = "stamp"
#: Times a build, update or delete retries a request, a second apart (a leader election).
WRITE_RETRIES = 30
#: Seconds a write (an import of a batch) may take.
WRITE_TIMEOUT = 300.0
#: Which nodes hold a whole generation is checked at most this often (seconds) by a reader.
#: Typesense 0.24 answers reads while a restarted node replays its log: /health says ok and a search
#: sees part of the releases (12,300 of 12,694 on one node two minutes after a restart, seen here).
READY_SECONDS = 2.0
#: Seconds a node has to say how many documents it holds.
PROBE_TIMEOUT = 1.0
#: Facets whose values are derived from the whole generation (the tenures) after the releases are
#: written, each in a field of its own name: ``holder_of`` (Whoosh builds it per reader instead).
DERIVED_FACETS = ("holder_of",)
#: Facet -> the Typesense field that holds a release's values.
FACET_FIELDS = {name: name if name in DERIVED_FACETS else facet.field for name, facet in FACETS.items()}
#: Fields that hold facet values as keys (``facet_key``): Typesense 0.24 facets and filters a
#: string by its tokens lower-cased, without accents or punctuation, so "Director General" and
#: "Director general" were one value to it (counted twice in a release that holds both) and a
#: filter on one matched the other (90 officials and 13 roles on the full corpus).
KEYED_FIELDS = frozenset([*FACET_FIELDS.values(), "official_posts"])
#: What the generation's derived tables read of each release (``indexer.tenures.rows``).
ROW_FIELDS = "id,date,agencies,publishers,officials,official_posts,official_marks,roles,holder_of,lang,year"
#: Fields whose values and release counts over the whole generation are kept as a table beside it
#: (``_derive``), for the view readers load once per version.
TABLE_FACET_FIELDS = (*FACET_FIELDS.values(), "official_posts")
#: Characters of a stored table per document of the metadata collection.
TABLE_CHUNK = 1_000_000
_STRICT = {
    "prefix": "false",
    "num_typos": 0,
    "typo_tokens_threshold": 0,
    "drop_tokens_threshold": 0,
    "split_join_tokens": "off",
    "highlight_fields": "none",
    "highlight_full_fields": "none",
    "enable_highlight_v1": "false",
}


#: A generation's vocabulary: one document per (field, word), for prefixes, wildcards and spelling.
WORD_FIELDS = [{"name": "field", "type": "string"}, {"name": "word", "type": "string"}]
#: Words sent per import request.
WORD_BATCH = 2000
#: Candidates Typesense expands one prefix into at most (``max_candidates``).
MAX_CANDIDATES = 10_000
#: Words Typesense's typo search offers spelling for one misspelled word (as ``closest``'s 50).
SPELLING_CANDIDATES = 50


#: Errors that mean a node (or every node) did not answer. The client's own errors are IOErrors
#: too (a 404 is ``ObjectNotFound``), so only these count as "down".
UNREACHABLE = (tse.ServiceUnavailable, tse.HTTPStatus0Error, tse.Timeout, httpx.TransportError)


def vocabulary_name(generation: str) -> str:
    """The collection of a generation's words."""
    return f"{generation}-words"


def _words_of(tsdoc: dict[str, Any], into: dict[str, set[str]]) -> None:
    for whoosh_field, target in TOKEN_FIELDS.items():
        into.setdefault(whoosh_field, set()).update(tsdoc.get(target) or ())
    for whoosh_field, mark in STEM_MARKS.items():
        stems = (w[len(mark) :] for w in tsdoc.get(WORD_FIELD) or () if w.startswith(mark))
        into.setdefault(whoosh_field, set()).update(stems)


class ClusterUnavailableError(IndexUnavailableError):
    """No node of the cluster answered; the message names the nodes tried."""


# --------------------------------------------------------------------------------------------
# Configuration and the cluster


@dataclass
class ClusterConfig:
    """Where the cluster is: node URLs, API key, and the alias Pressroom reads."""

    urls: list[str]
    api_key: str
    alias: str = DEFAULT_ALIAS

    @classmethod
    def from_env(cls) -> ClusterConfig:
        urls = [u.strip().rstrip("/") for u in os.environ.get(NODES_ENV, "").split(",") if u.strip()]
        key = os.environ.get(API_KEY_ENV, "")
        if not urls or not key:
            raise IndexMissingError(
                f"the Typesense backend needs ${NODES_ENV} (comma-separated node URLs) and ${API_KEY_ENV}; "
                "'pressroom cluster start' prints both"
            )
        alias = os.environ.get(COLLECTION_ENV, DEFAULT_ALIAS).strip() or DEFAULT_ALIAS
        return cls(urls, key, alias)


def _node(url: str) -> dict[str, Any]:
    parts = urlsplit(url if "://" in url else "http://" + url)
    if not parts.hostname:
        raise IndexMissingError(f"${NODES_ENV}: {url!r} is not a URL like http://127.0.0.1:8108")
    port = parts.port or (443 if parts.scheme == "https" else 8108)
    return {"host": parts.hostname, "port": str(port), "protocol": parts.scheme or "http"}


def make_client(
    config: ClusterConfig,
    urls: list[str] | None = None,
    retries: int | None = None,
    timeout: float | None = None,
    interval: float = 0.2,
) -> typesense.Client:
    """A client over the given nodes (default: all): a failed request (no answer, or a 503 from a
    node without a leader) is retried on the next node after ``interval`` seconds."""
    urls = urls or config.urls
    return typesense.Client(
        {
            "nodes": [_node(u) for u in urls],
            "api_key": config.api_key,
            "connection_timeout_seconds": timeout or READ_TIMEOUT,
            "num_retries": len(urls) + 1 if retries is None else retries,
            "retry_interval_seconds": interval,
            "healthcheck_interval_seconds": 5,
        }
    )


def collection_fields() -> list[dict[str, Any]]:
    """The generation collection's fields (analysed tokens, facet values, sort keys, stored JSON)."""
    fields: list[dict[str, Any]] = [
        {"name": "sid", "type": "string", "sort": True},
        {"name": "tx_title", "type": "string"},
        {"name": "tx_content", "type": "string"},
        # Token arrays: exact boolean matching (accented forms faceted: their counts restore accents).
        *(
            {"name": f, "type": "string[]", "facet": f == "tk_accented", "optional": True}
            for f in TOKEN_FIELDS.values()
        ),
        # Title and body tokens and marked stems: a word searched everywhere is one condition.
        {"name": WORD_FIELD, "type": "string[]", "optional": True},
        *({"name": f, "type": "string[]", "facet": True, "optional": True} for f in FACET_FIELDS.values()),
        {"name": "official_posts", "type": "string[]", "facet": True, "optional": True},
        {"name": "official_marks", "type": "string[]", "index": False, "optional": True},
        {"name": "month", "type": "string", "facet": True, "optional": True},
        {"name": "date", "type": "int32"},
        {"name": "has_date", "type": "int32"},
        {"name": "fingerprint", "type": "string", "index": False, "optional": True},
        {"name": "record", "type": "string", "index": False, "optional": True},
        {"name": "body", "type": "string", "index": False, "optional": True},
        # The body's page chrome as JSON [start, end) ranges (indexer.boilerplate).
        {"name": "chrome", "type": "string", "index": False, "optional": True},
        # The token of the generation's last write, in one release (``Cluster.barrier``).
        {"name": STAMP_FIELD, "type": "string", "optional": True},
    ]
    return fields


@lru_cache(maxsize=1)
def _schema() -> Any:
    return make_schema()


def _tokens(fieldname: str, text: str, mode: str = "index") -> list[str]:
    """The terms the Whoosh schema's analyzer makes of ``text`` for ``fieldname`` (one analysis):
    as Whoosh indexes them (``mode="index"``: a dotted word's parts too, ``fraud.The`` -> ``fraud``
    and ``the`` beside ``fraud.the``), or as a query asks (whole words)."""
    return [t.text for t in _schema()[fieldname].analyzer(text, mode=mode)] if text else []


def _values(values: Iterable[str] | None) -> list[str]:
    return list(dict.fromkeys(v for v in values or [] if v))


def _keys(values: Iterable[str] | None) -> list[str]:
    return [facet_key(v) for v in _values(values)]


def to_typesense(doc: dict[str, Any]) -> dict[str, Any]:
    """A prepared index document (``documents.prepare``) as a Typesense document."""
    title = _tokens("title", doc["title"])
    content = _tokens("content", doc["content"])
    seq_title, seq_content = _tokens("title", doc["title"], "query"), _tokens("content", doc["content"], "query")
    date = doc.get("date") or ""
    return {
        "id": doc["id"],
        "sid": doc["id"],
        "tx_title": " ".join(dot_split(seq_title)),
        "tx_content": " ".join(dot_split(seq_content)),
        "tk_title": _values(title),
        "tk_content": _values(content),
        WORD_FIELD: word_values(title, content, {f: _tokens(f, doc.get(f, "")) for f in STEM_MARKS}),
        "tk_accented": _values(_tokens("accented", doc.get("accented", ""))),
        **{f: _keys(doc.get(f) if f not in ("lang", "year") else [doc.get(f)]) for f in FACET_FIELDS.values()},
        "official_posts": _keys(doc.get("official_posts")),
        "official_marks": _values(doc.get("official_marks")),
        "month": date[:7],
        "date": int(date.replace("-", "")) if date else -1,
        "has_date": 1 if date else 0,
        "fingerprint": doc["fingerprint"],
        "record": json.dumps(doc["record"], ensure_ascii=False),
        "body": doc["body"],
        "chrome": json.dumps(doc.get("chrome") or []),
    }


class Cluster:
    """The cluster as Pressroom uses it: generations, the alias, metadata, applied writes."""

    def __init__(self, config: ClusterConfig, timeout: float = READ_TIMEOUT, writes: bool = False) -> None:
        self.config = config
        self.timeout = timeout
        # A writer outlasts a leader election (Typesense answers 503 until a new leader is chosen:
        # an update right after the leader was killed failed once at its first write, under load).
        retry = {"retries": WRITE_RETRIES, "interval": 1.0} if writes else {}
        self.client = make_client(config, timeout=timeout, **retry)
        self._slow: typesense.Client | None = None
        self.meta_name = f"{config.alias}_meta"
        #: The nodes reads go to (``serve_from``), and one probe client per node.
        self.serving = tuple(config.urls)
        self._probes: dict[str, typesense.Client] = {}
        self._retired: list[typesense.Client] = []

    def close(self) -> None:
        """Close the clients' connections."""
        for client in [self.client, self._slow, *self._probes.values(), *self._retired]:
            if client is not None:
                client.api_call.close()

    # Which nodes serve reads -------------------------------------------------------------

    def node_states(self, name: str, stamp: str | None = None) -> dict[str, tuple[int | None, str | None, bool]]:
        """Per node, how many documents its copy of a collection holds now, the token of the
        collection's metadata it has applied (None: no answer, or none yet), and whether it has
        applied the write that stamped a release with ``stamp`` (``barrier``; True without one)."""
        out: dict[str, tuple[int | None, str | None, bool]] = {}
        for url in self.config.urls:
            probe = self._probes.get(url)
            if probe is None:
                probe = self._probes[url] = make_client(self.config, [url], retries=0, timeout=PROBE_TIMEOUT)
            documents = token = None
            stamped = False
            try:  # down, refusing reads while it catches up, or no such collection or metadata yet
                documents = int(probe.collections[name].retrieve()["num_documents"])
                token = json.loads(probe.collections[self.meta_name].documents[name].retrieve()["data"]).get("token")
                stamped = stamp is None or _stamped(probe, name, stamp)
            except Exception:
                pass
            out[url] = (documents, token, stamped)
        return out

    def serve_from(self, urls: Iterable[str]) -> None:
        """Send reads to these nodes only (in the configured order)."""
        chosen = tuple(u for u in self.config.urls if u in set(urls))
        if chosen == self.serving:
            return
        self._retired += [c for c in (self.client, self._slow) if c is not None]  # closed with the cluster
        self.client = make_client(self.config, list(chosen), timeout=self.timeout)
        self._slow = None
        self.serving = chosen

    @contextmanager
    def writing(self, name: str, meta: dict[str, Any]) -> Iterator[None]:
        """While an update or delete writes in place: the metadata says so (readers skip the
        count check); if the writing fails, the metadata gets the count the nodes now hold."""
        self.write_meta(name, {**meta, "writing": True})
        try:
            yield
        except BaseException:
            try:
                stamp = self.barrier(name)
                self.wait_meta(name, self.write_meta(name, {**meta, "documents": self.documents(name), "stamp": stamp}))
            except Exception:  # the cluster is gone too: the flag stays, readers keep skipping the check
                pass
            raise

    def documents(self, name: str) -> int:
        """Documents in a collection (on whichever node answers: call after ``barrier``)."""
        return int(self.call(self.client.collections[name].retrieve)["num_documents"])

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, fn, *args: Any, **kwargs: Any) -> Any:
        """Run a client call; a cluster that does not answer becomes ``ClusterUnavailableError``."""
        try:
            return fn(*args, **kwargs)
        except UNREACHABLE as e:
            raise ClusterUnavailableError(
                f"the Typesense cluster does not answer ({', '.join(self.config.urls)}): {e}"
            ) from None

    # Generations and the alias ---------------------------------------------------------

    def current(self) -> str | None:
        """The collection the alias names, or None before the first build."""
        try:
            return self.call(self.client.aliases[self.config.alias].retrieve)["collection_name"]
        except tse.ObjectNotFound:
            return None

    def require_current(self) -> str:
        name = self.current()
        if name is None:
            if self.generations():  # a node replaying its log after a restart has them before the alias
                raise IndexLoadingError(
                    f"the Typesense cluster holds generations of '{self.config.alias}' but the node that "
                    f"answered has no alias to one yet (still loading after a restart, or a first build "
                    f"not finished); try again in a moment"
                )
            raise IndexMissingError(
                f"no Typesense index '{self.config.alias}' on the cluster; build one with "
                "'pressroom build SOURCE... --backend typesense'"
            )
        return name

    def new_generation(self) -> str:
        """Create the collections of a new generation: its releases and its vocabulary."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{self.config.alias}-gen-{stamp}-{os.getpid()}"
        schema = {"name": name, "fields": collection_fields(), "symbols_to_index": COLLECTION_SYMBOLS}
        self.call(self.client.collections.create, schema)
        words = {"name": vocabulary_name(name), "fields": WORD_FIELDS, "symbols_to_index": [".", "_"]}
        self.call(self.client.collections.create, words)
        return name

    def drop(self, name: str) -> None:
        """Drop a generation's collections, its metadata and its tables."""
        try:
            meta = self.read_meta(name)
            for ref in (meta.get("tables") or {}).values():
                self.drop_table(ref)
        except (tse.ObjectNotFound, ClusterUnavailableError):
            pass
        for doc_id in (name, f"{name}.applied"):
            try:
                self.call(self.client.collections[self.meta_name].documents[doc_id].delete)
            except (tse.ObjectNotFound, ClusterUnavailableError):
                pass
        for collection in (name, vocabulary_name(name)):
            try:
                self.call(self.client.collections[collection].delete)
            except (tse.ObjectNotFound, ClusterUnavailableError):
                pass

    def add_words(self, name: str, words: dict[str, set[str]]) -> None:
        """Add words to a generation's vocabulary (``{whoosh field: words}``)."""
        docs = [{"id": f"{f}.{w}", "field": f, "word": w} for f, ws in words.items() for w in sorted(ws)]
        for start in range(0, len(docs), WORD_BATCH):
            self.import_(vocabulary_name(name), docs[start : start + WORD_BATCH], "upsert")

    def switch_alias(self, name: str) -> None:
        self.call(self.client.aliases.upsert, self.config.alias, {"collection_name": name})

    def generations(self) -> list[str]:
        prefix = f"{self.config.alias}-gen-"
        names = [c["name"] for c in self.call(self.client.collections.retrieve)]
        return sorted(n for n in names if n.startswith(prefix) and not n.endswith("-words"))

    def collect_garbage(self, keep: set[str], grace_seconds: float = GRACE_SECONDS) -> list[str]:
        """Drop generations neither kept nor younger than the grace period."""
        removed = []
        now = datetime.now(timezone.utc)
        for name in self.generations():
            if name in keep:
                continue
            stamp = name[len(self.config.alias) + len("-gen-") :].split("-")[0]
            try:
                made = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=timezone.utc)
            except ValueError:
                continue
            if (now - made).total_seconds() >= grace_seconds:
                self.drop(name)
                removed.append(name)
        return removed

    # Documents -------------------------------------------------------------------------

    def import_(self, name: str, docs: list[dict[str, Any]], action: str) -> None:
        """Write documents; any document Typesense refuses stops the run with its reason."""
        if not docs:
            return
        # Sent and read as JSON lines: an import's answer may hold an empty line (seen once, in the
        # failover test's first build on a fresh cluster), which typesense 2.1.1's parser fails on.
        body = "\n".join(json.dumps(d, ensure_ascii=False) for d in docs)
        text = self.call(self.client.collections[name].documents.import_, body, {"action": action})
        results = [json.loads(line) for line in text.splitlines() if line.strip()]
        if len(results) != len(docs):
            raise RuntimeError(f"Typesense answered {len(results)} results for {len(docs)} documents")
        for doc, result in zip(docs, results, strict=True):
            if not result.get("success"):
                raise RuntimeError(f"Typesense refused release {doc.get('id')!r}: {result.get('error')}")

    def export(self, name: str, fields: str) -> Iterator[dict[str, Any]]:
        text = self.call(self.client.collections[name].documents.export, {"include_fields": fields})
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

    def outdated(self, name: str) -> list[str]:
        """What a collection built by an earlier Pressroom lacks: fields, symbols it indexes."""
        schema = self.call(self.client.collections[name].retrieve)
        have = {f["name"] for f in schema["fields"]}
        symbols = set(schema.get("symbols_to_index") or [])
        return sorted({f["name"] for f in collection_fields()} - have) + sorted(
            f"symbol {s}" for s in set(COLLECTION_SYMBOLS) - symbols
        )

    def get(self, name: str, doc_id: str) -> dict[str, Any] | None:
        try:
            return self.call(self.client.collections[name].documents[doc_id].retrieve)
        except (tse.ObjectNotFound, tse.RequestMalformed):
            return None

    def delete_ids(self, name: str, ids: list[str]) -> None:
        for start in range(0, len(ids), 100):
            chunk = ids[start : start + 100]
            self.call(self.client.collections[name].documents.delete, {"filter_by": any_of("sid", chunk)})

    def multi_search(self, name: str, searches: list[dict[str, Any]], slow: bool = False) -> list[dict[str, Any]]:
        """Run searches in one request; an error in any of them is raised. ``slow``: a search over
        every release and value (derived tables, stats), given ``WRITE_TIMEOUT`` instead."""
        for s in searches:  # Typesense would answer "Filter expression is not valid."
            size = filter_size(s.get("filter_by") or "")
            if size > MAX_FILTER_TOKENS:
                raise QueryTooBroadError("ts_filter_limit", size=size, limit=MAX_FILTER_TOKENS)
        body = {"searches": [{"collection": name, **s} for s in searches]}
        client = self.client
        if slow:
            if self._slow is None:
                self._slow = make_client(self.config, list(self.serving), timeout=WRITE_TIMEOUT)
            client = self._slow
        results = self.call(client.multi_search.perform, body, {})["results"]
        for r in results:
            if "error" in r:
                raise RuntimeError(f"Typesense: {r['error']}")
        return results

    # Metadata and applied writes ----------------------------------------------------------

    def ensure_meta(self) -> None:
        try:
            self.call(self.client.collections[self.meta_name].retrieve)
        except tse.ObjectNotFound:
            schema = {"name": self.meta_name, "fields": [{"name": "alias", "type": "string"}]}
            try:
                self.call(self.client.collections.create, schema)
            except tse.ObjectAlreadyExists:
                pass

    def read_meta(self, name: str) -> dict[str, Any]:
        doc = self.get(self.meta_name, name)
        return json.loads(doc["data"]) if doc else {}

    def write_meta(self, name: str, meta: dict[str, Any]) -> str:
        """Store a generation's metadata with a fresh token (see ``wait_applied``)."""
        self.ensure_meta()
        meta = {**meta, "token": secrets.token_hex(8)}
        doc = {"id": name, "alias": self.config.alias, "data": json.dumps(meta, ensure_ascii=False)}
        self.call(self.client.collections[self.meta_name].documents.upsert, doc)
        return meta["token"]

    def write_table(self, name: str, kind: str, text: str) -> dict[str, Any]:
        """Store one of a generation's tables under fresh ids, in chunks (one per request); the
        reference returned goes into the generation's metadata, written after it."""
        self.ensure_meta()
        ref = f"{name}.{kind}.{secrets.token_hex(4)}"
        chunks = [text[i : i + TABLE_CHUNK] for i in range(0, len(text), TABLE_CHUNK)] or [""]
        for i, chunk in enumerate(chunks):
            self.import_(self.meta_name, [{"id": f"{ref}.{i}", "alias": self.config.alias, "data": chunk}], "upsert")
        return {"ref": ref, "chunks": len(chunks)}

    def read_table(self, ref: dict[str, Any] | None) -> str | None:
        """A table stored by ``write_table`` (None if it is not there)."""
        if not ref:
            return None
        parts = []
        for i in range(int(ref["chunks"])):
            doc = self.get(self.meta_name, f"{ref['ref']}.{i}")
            if doc is None:
                return None
            parts.append(doc["data"])
        return "".join(parts)

    def drop_table(self, ref: dict[str, Any] | None) -> None:
        for i in range(int((ref or {}).get("chunks") or 0)):
            try:
                self.call(self.client.collections[self.meta_name].documents[f"{ref['ref']}.{i}"].delete)
            except tse.ObjectNotFound:
                pass

    def barrier(self, name: str) -> str | None:
        """Wait until every reachable node has applied this client's writes to collection ``name``
        so far: one of its releases is stamped with a fresh token (``STAMP_FIELD``), a write applied
        after them, and each node is asked for it. A read that follows reads them on any node.
        Returns the token (the generation's metadata keeps it for readers), None for an empty
        collection (nothing to wait for but its creation)."""
        token = secrets.token_hex(8)
        for _attempt in range(WRITE_RETRIES):
            try:
                found = self.call(
                    self.client.collections[name].documents.search, {"q": "*", "per_page": 1, "include_fields": "id"}
                )
            except tse.ObjectNotFound:  # a follower that has not created the collection yet
                time.sleep(0.1)
                continue
            if not found["hits"]:
                self.wait_applied(lambda client: bool(client.collections[name].retrieve()), f"the creation of {name}")
                return None
            try:  # the release was just deleted on the leader (the answer came from a follower)
                self.import_(name, [{"id": found["hits"][0]["document"]["id"], STAMP_FIELD: token}], "update")
                break
            except RuntimeError:
                time.sleep(0.1)
        else:
            raise ClusterUnavailableError(f"no release of {name} could be stamped after {WRITE_RETRIES} tries")
        self.wait_applied(lambda client: _stamped(client, name, token), f"the writes to {name}")
        return token

    def rows(self, name: str) -> list[dict[str, Any]]:
        """Every release's id, date and facet values (``ROW_FIELDS``), in id order, once every
        node has applied the writes before (the export may be answered by any node)."""
        self.barrier(name)
        rows = sorted(self.export(name, ROW_FIELDS), key=lambda r: r["id"])
        for row in rows:
            row["date"] = _iso(int(row.get("date", -1)))
            for f in KEYED_FIELDS.intersection(row):
                row[f] = [facet_value(k) for k in row[f]]
        return rows

    def wait_applied(self, check, what: str, timeout: float = APPLY_TIMEOUT) -> list[str]:
        """Wait until ``check(client)`` is true on every node that answers; nodes that are down or
        refuse reads while catching up are skipped (Raft brings them up to date when they rejoin).
        Returns the URLs skipped. Writes are applied in order, so a check on the last write
        covers every earlier one (a search right after an import found nothing on a follower)."""
        deadline = time.monotonic() + timeout
        skipped: list[str] = []
        for url in self.config.urls:
            client = make_client(self.config, [url], retries=0)
            try:
                while True:
                    try:
                        if check(client):
                            break
                    except tse.ObjectNotFound:
                        pass  # not applied yet
                    except UNREACHABLE:
                        skipped.append(url)
                        break
                    if time.monotonic() > deadline:
                        raise ClusterUnavailableError(f"{url} has not applied {what} after {timeout:.0f} s")
                    time.sleep(0.05)
            finally:
                client.api_call.close()
        return skipped

    def wait_meta(self, name: str, token: str) -> list[str]:
        """Wait until every reachable node has applied the metadata written with ``token``."""

        def check(client: typesense.Client) -> bool:
            doc = client.collections[self.meta_name].documents[name].retrieve()
            return json.loads(doc["data"]).get("token") == token

        return self.wait_applied(check, f"the writes to {name}")

    def wait_alias(self, name: str) -> list[str]:
        def check(client: typesense.Client) -> bool:
            return client.aliases[self.config.alias].retrieve()["collection_name"] == name

        return self.wait_applied(check, f"the switch to {name}")


# --------------------------------------------------------------------------------------------
# Writing


class TypesenseBackend(Backend):
    """Generations of Typesense collections behind an alias; the lock and rejects stay local."""

    name = "typesense"

    def __init__(self, index: str | os.PathLike | None = None, config: ClusterConfig | None = None) -> None:
        super().__init__(index)
        self.config = config or ClusterConfig.from_env()

    def cluster(self) -> Cluster:
        return Cluster(self.config, WRITE_TIMEOUT, writes=True)

    def engine(self) -> SearchEngine:
        return TypesenseEngine(self.config)

    def _rejects(self, store: IndexStore, name: str, rejects: list[Rejection], append: bool = False) -> None:
        folder = store.path / name
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "rejects.jsonl", "a" if append else "w", encoding="utf-8") as fh:
            for r in rejects:
                fh.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")

    def build(
        self,
        sources: Iterable[str | os.PathLike],
        workers: int | None = None,
        progress: Progress | None = None,
        follow_links: bool = False,
    ) -> Report:
        started = time.monotonic()
        store = IndexStore(self.index)
        workers = workers or os.cpu_count() or 1
        report = Report()
        notify = _with_fault_pauses(progress)
        with store.lock(), self.cluster() as cluster:
            previous = cluster.current()
            name = cluster.new_generation()
            try:
                notify("chrome", report.counts())
                with report.timed("chrome"):
                    counts = _count_chrome(read_releases(sources, exclude=[store.path], follow_links=follow_links))
                    table = counts.table()
                sent = self._fill(cluster, name, store, sources, workers, report, notify, follow_links, table)
                with report.timed("tenures"):
                    tables = _derive(cluster, name, counts, table, {})
                report.added = report.indexed
                self._rejects(store, name, report.rejects)
                report.seconds = time.monotonic() - started
                meta = {
                    "generation": name,
                    "built_at": utc_now(),
                    "updated_at": None,
                    "releases": report.indexed,
                    "rejected": report.rejected,
                    "extractor": extractor_version(),
                    "ids": IDS_SCHEME,
                    "index_bytes": sent,
                    "version": 1,
                    "previous": previous,
                    "tables": tables,
                }
                notify("commit", report.counts())
                meta["stamp"] = cluster.barrier(name)  # every node holds every release: readers check
                meta["documents"] = cluster.documents(name)
                cluster.wait_meta(name, cluster.write_meta(name, meta))
                notify("switch", report.counts())
                cluster.switch_alias(name)
                cluster.wait_alias(name)
            except BaseException:
                cluster.drop(name)
                shutil.rmtree(store.path / name, ignore_errors=True)
                raise
            report.generation = name
            for gone in cluster.collect_garbage({name, previous or ""}):
                shutil.rmtree(store.path / gone, ignore_errors=True)
        notify("done", report.counts())
        return report

    def _fill(self, cluster, name, store, sources, workers, report, notify, follow_links, table) -> int:
        """Read, extract and import every release; returns the bytes of JSON sent."""
        releases = read_releases(sources, exclude=[store.path], follow_links=follow_links)
        notify("reading", report.counts())
        batches = _Batches(cluster, name, "create")
        last = time.monotonic()
        for doc in _documents(_split(releases, report), workers, report, table):
            if report.indexed == 0:
                notify("indexing", report.counts())
            with report.timed("indexing"):
                batches.add(doc)
            report.indexed += 1
            if time.monotonic() - last >= 1.0:
                notify("indexing", report.counts())
                last = time.monotonic()
        if report.indexed == 0:
            raise NothingToIndexError(report)
        with report.timed("indexing"):
            batches.flush()
        with report.timed("vocabulary"):
            cluster.add_words(name, batches.words)
        return batches.sent

    def update(
        self,
        sources: Iterable[str | os.PathLike],
        prune: bool = False,
        progress: Progress | None = None,
        follow_links: bool = False,
    ) -> Report:
        started = time.monotonic()
        store = IndexStore(self.index)
        report = Report()
        notify = _with_fault_pauses(progress)
        with store.lock(), self.cluster() as cluster:
            name = cluster.require_current()
            meta = cluster.read_meta(name)
            # Readers stop comparing each node's count with the metadata's until the update ends.
            with cluster.writing(name, meta):
                if meta.get("ids") != IDS_SCHEME:
                    report.notes.append("this index was built before ids were kept as given; run `pressroom build`")
                known: dict[str, tuple[str, str]] = {}
                for doc in cluster.export(name, "id,fingerprint"):
                    release_id, digest, ver = parse_fingerprint(doc["fingerprint"])
                    known[release_id] = (digest, ver)
                # Page chrome is recounted first, as on Whoosh (``build.update_index``).
                with report.timed("chrome"):
                    counts = _load_counts(cluster, meta) or _count_chrome(_stored(cluster, name, known))
                    releases = read_releases(sources, exclude=[store.path], follow_links=follow_links)
                    table = recount_chrome(
                        counts, releases, known, lambda ids: _stored(cluster, name, list(ids)), prune
                    )
                    use_table(table)
                seen: set[str] = set()
                batches = _Batches(cluster, name, "upsert")
                send = batches.add

                notify("reading", report.counts())
                releases = read_releases(sources, exclude=[store.path], follow_links=follow_links)
                for doc in changed_documents(releases, known, seen, report):
                    send(doc)
                if report.added + report.updated + report.unchanged == 0:
                    raise NothingToIndexError(report)
                gone = sorted(known.keys() - seen)
                if prune:
                    cluster.delete_ids(name, gone)
                    report.deleted = len(gone)
                else:
                    # Out of date: the tables or their group's chrome changed.
                    fresh = {f"{extractor_version()}+{d}" for d in table.digests()}
                    stale = sorted(r for r in gone if known[r][1] not in fresh)
                    for release in _stored(cluster, name, stale):
                        doc = prepare_or_reject(release, known[release.id][0])
                        if isinstance(doc, Rejection):
                            report.notes.append(f"{release.id}: kept as it was; {doc.reason}")
                            continue
                        send(doc)
                        report.reextracted += 1
                report.indexed = report.added + report.updated
                notify("commit", report.counts())
                batches.flush()
                cluster.add_words(name, batches.words)  # words of removed releases stay: they match nothing
                with report.timed("tenures"):
                    tables = _derive(cluster, name, counts, table, meta.get("tables") or {})
                if report.rejects:
                    self._rejects(store, name, report.rejects, append=True)
                meta.update(
                    {
                        "updated_at": utc_now(),
                        "rejected": int(meta.get("rejected") or 0) + report.rejected,
                        "version": int(meta.get("version") or 0) + 1,
                        "index_bytes": int(meta.get("index_bytes") or 0) + batches.sent,
                    }
                )
                _write_meta_with_tables(cluster, name, meta, tables)
            report.generation = name
            report.seconds = time.monotonic() - started
        notify("done", report.counts())
        return report

    def delete(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        store = IndexStore(self.index)
        deleted: list[str] = []
        missing: list[str] = []
        with store.lock(), self.cluster() as cluster:
            name = cluster.require_current()
            meta = cluster.read_meta(name)
            with cluster.writing(name, meta):
                # The chrome counts lose the deleted releases; what changes is re-extracted by the next update.
                counts = _load_counts(cluster, meta)
                found_ids = []
                for release_id in dict.fromkeys(ids):
                    found = next((f for f in lookup_forms(release_id) if cluster.get(name, f) is not None), None)
                    if found is None:
                        missing.append(release_id)
                    else:
                        if counts is not None:
                            counts.remove_all(_stored(cluster, name, [found]))
                        found_ids.append(found)
                        deleted.append(release_id)
                cluster.delete_ids(name, found_ids)
                tables = meta.get("tables") or {}
                if deleted:
                    table = counts.table() if counts is not None else None
                    tables = _derive(cluster, name, counts, table, tables)
                meta.update({"updated_at": utc_now(), "version": int(meta.get("version") or 0) + 1})
                _write_meta_with_tables(cluster, name, meta, tables)
        return deleted, missing


class _Batches:
    """Prepared documents sent to a collection ``BATCH`` at a time (``action``: create or upsert),
    with the words they hold (for the vocabulary) and the bytes of JSON sent."""

    def __init__(self, cluster: Cluster, name: str, action: str) -> None:
        self.cluster, self.name, self.action = cluster, name, action
        self.batch: list[dict[str, Any]] = []
        self.words: dict[str, set[str]] = {}
        self.sent = 0

    def add(self, doc: dict[str, Any]) -> None:
        self.batch.append(to_typesense(doc))
        _words_of(self.batch[-1], self.words)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Send the documents added since the last batch went."""
        self.sent += _bytes(self.batch)
        self.cluster.import_(self.name, self.batch, self.action)
        self.batch = []


def _stamped(client: typesense.Client, name: str, token: str) -> bool:
    """Whether the node ``client`` asks has applied the write that stamped a release with ``token``."""
    params = {"q": "*", "filter_by": f"{STAMP_FIELD}:=`{token}`", "per_page": 0}
    return client.collections[name].documents.search(params)["found"] == 1


def _iso(key: int) -> str:
    """YYYYMMDD -> YYYY-MM-DD ("" for -1, no date)."""
    return f"{key // 10000:04d}-{key // 100 % 100:02d}-{key % 100:02d}" if key >= 0 else ""


def _stored(cluster: Cluster, name: str, ids: Iterable[str]) -> Iterator[Release]:
    """The releases the generation stored under these ids (as ``update`` re-extracts them)."""
    for release_id in ids:
        stored = cluster.get(name, release_id)
        if stored:
            yield to_release(json.loads(stored["record"]), stored.get("body", ""))


def _load_counts(cluster: Cluster, meta: dict[str, Any]) -> ChromeCounts | None:
    text = cluster.read_table((meta.get("tables") or {}).get("chrome_counts"))
    return ChromeCounts.from_bytes(base64.b64decode(text)) if text else None


def _derive(
    cluster: Cluster,
    name: str,
    counts: ChromeCounts | None,
    table: ChromeTable | None,
    old: dict[str, Any],
) -> dict[str, Any]:
    """Compute and store what is kept with the generation besides its releases: the tenures (by
    the same code as on Whoosh, over the releases' facet values), each release's ``holder_of``
    values (written into the releases that changed), every facet value's releases (the view a
    reader loads: asking Typesense for every value took 15 s on the full corpus, as it reads a
    stored release for each value it returns), and the page chrome counts and table (the old
    ones kept when ``counts`` is None). Returns the tables' references for the metadata."""
    rows = cluster.rows(name)
    reader = RowsReader(rows)
    doc = compute_tenures(reader)
    pairs = holder_pairs(Tenures(doc), FACETS["official"].load(reader), reader.date_keys())
    holding: list[list[str]] = [[] for _ in rows]
    for d, p in zip(pairs.docs.tolist(), pairs.vals.tolist(), strict=True):
        holding[d].append(pairs.values[p])
    changed = [
        {"id": row["id"], "holder_of": [facet_key(p) for p in sorted(posts)]}
        for row, posts in zip(rows, holding, strict=True)
        if sorted(posts) != sorted(row.get("holder_of") or [])
    ]
    for start in range(0, len(changed), BATCH):
        cluster.import_(name, changed[start : start + BATCH], "update")
    facets: dict[str, dict[str, int]] = {f: {} for f in TABLE_FACET_FIELDS}
    for row, posts in zip(rows, holding, strict=True):
        for f, tally in facets.items():
            for value in set(posts if f == "holder_of" else row.get(f) or ()):
                tally[value] = tally.get(value, 0) + 1
    tables = {
        "tenures": cluster.write_table(name, "tenures", json.dumps(doc, ensure_ascii=False)),
        "facets": cluster.write_table(name, "facets", json.dumps(facets, ensure_ascii=False)),
    }
    if counts is not None and table is not None:
        tables["chrome_counts"] = cluster.write_table(
            name, "chrome_counts", base64.b64encode(counts.to_bytes()).decode("ascii")
        )
        tables["chrome_table"] = cluster.write_table(
            name, "chrome_table", json.dumps(table.as_dict(), ensure_ascii=False)
        )
    else:
        tables.update({k: v for k, v in old.items() if k.startswith("chrome")})
    return tables


def _write_meta_with_tables(cluster: Cluster, name: str, meta: dict[str, Any], tables: dict[str, Any]) -> None:
    """Point the generation's metadata at its new tables, wait until every node has it, then drop
    the tables it pointed at before (a reader reads the tables its metadata names)."""
    before = meta.get("tables") or {}
    meta["tables"] = tables
    meta["stamp"] = cluster.barrier(name)  # every node holds the writes: readers check (``_serve_whole``)
    meta["documents"] = cluster.documents(name)
    meta.pop("writing", None)
    cluster.wait_meta(name, cluster.write_meta(name, meta))
    for kind, ref in before.items():
        if tables.get(kind) != ref:
            cluster.drop_table(ref)


def _bytes(docs: list[dict[str, Any]]) -> int:
    return sum(len(json.dumps(d, ensure_ascii=False).encode("utf-8")) for d in docs)


# --------------------------------------------------------------------------------------------
# Reading


@dataclass
class View:
    """One generation as a reader sees it at one version, with what is derived from it once."""

    collection: str
    meta: dict[str, Any]
    facets: dict[str, FacetData] = field(default_factory=dict)
    #: Officials: raw value index -> the merged value it counts as.
    official_rep: np.ndarray | None = None
    official_index: dict[str, int] = field(default_factory=dict)
    index: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Releases per facet value in the whole generation (aligned with the values).
    totals: dict[str, np.ndarray] = field(default_factory=dict)
    releases: int = 0
    df: dict[tuple[str, str], int] = field(default_factory=dict)
    words: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: Folded word -> (releases, its most frequent accented form), as spelling asked for them.
    surface_forms: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: Distinct values per faceted field in the generation.
    sizes: dict[str, int] = field(default_factory=dict)
    #: The tenures kept with this version (read on first use).
    tenures: Tenures | None = None

    def size_of(self, fields: Iterable[str]) -> int:
        """``max_facet_values`` that returns every value of these fields."""
        return max([self.sizes.get(f, ALL_VALUES) for f in fields] or [0]) + 1


@dataclass
class _Matched:
    """A search resolved into Typesense conditions."""

    plan: Plan
    q: Q.Query | None
    text: str
    selected: dict[str, list[str]]
    warnings: list[dict[str, str]]
    filters: dict[str, str]
    base: str
    date_from: str | None
    date_to: str | None
    #: Query words that named an entity (``aliases``): ``{text, facet, value, label}``.
    expansions: list[dict[str, str]] = field(default_factory=list)
    #: With expansions: where the words match as text (those matches rank first), when simple.
    text_filter: str | None = None
    #: ... and where they do not (the matches only the entity found).
    entity_filter: str | None = None

    def filter(self, without: str | None = None) -> str:
        return all_of([self.base, *(f for name, f in self.filters.items() if name != without)])

    def sort(self, requested: str | None) -> str:
        return requested or ("relevance" if self.q is not None else "newest")


class TypesenseEngine(SearchEngine):
    """Searches the alias's current generation; every request checks the alias and the version."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig.from_env()
        self._local = threading.local()
        self._views: dict[tuple[str, int], View] = {}
        self._lock = threading.Lock()
        self._clusters: list[Cluster] = []

    @property
    def cluster(self) -> Cluster:
        """This thread's connection to the cluster."""
        cluster = getattr(self._local, "cluster", None)
        if cluster is None:
            cluster = self._local.cluster = Cluster(self.config)
            with self._lock:
                self._clusters.append(cluster)
        return cluster

    def close(self) -> None:
        """Close every connection this engine opened (in any thread)."""
        with self._lock:
            for cluster in self._clusters:
                cluster.close()
            self._clusters.clear()
        self._local = threading.local()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: nothing left to release
            pass

    def view(self) -> View:
        """The current generation at its current version (derived data built once per version)."""
        cluster = self.cluster
        name = cluster.require_current()
        meta = cluster.read_meta(name)
        self._serve_whole(cluster, name, meta)
        key = (name, int(meta.get("version") or 0))
        with self._lock:
            view = self._views.get(key)
            if view is None:
                view = self._load(name, meta)
                self._views = {key: view, **dict(list(self._views.items())[:2])}
        return view

    def _serve_whole(self, cluster: Cluster, name: str, meta: dict[str, Any]) -> None:
        """Read only through the nodes that hold the whole generation: its ``documents`` (written
        once every node had applied the writes), the release stamped by the generation's last
        write (``Cluster.barrier``: a node restarted has every release a while before it has
        applied the writes that follow, such as the ``holder_of`` values) and the metadata this
        reader read (the tables it names). None: ``IndexLoadingError``. Skipped while an ``update`` or
        ``delete`` writes (``writing``) and for generations that do not say how many documents
        they hold."""
        expected = meta.get("documents")
        if expected is None or meta.get("writing"):
            cluster.serve_from(cluster.config.urls)
            return
        state = getattr(self._local, "ready", None)
        now = time.monotonic()
        if state is not None and state[0] == (name, expected) and now - state[1] < READY_SECONDS:
            return
        held = cluster.node_states(name, meta.get("stamp"))
        whole = [
            url for url, (n, token, stamped) in held.items() if n == expected and token == meta.get("token") and stamped
        ]
        if not whole:
            most = max((n for n, _token, _stamped in held.values() if n is not None), default=0)
            raise IndexLoadingError(
                f"the Typesense cluster is still loading {name}: its most complete node holds {most:,} of "
                f"{expected:,} releases"
                + (" and is applying the writes that follow them" if most == expected else "")
                + f" (nodes: {', '.join(cluster.config.urls)}); try again in a moment"
            )
        cluster.serve_from(whole)
        self._local.ready = ((name, expected), now)

    def _load(self, name: str, meta: dict[str, Any]) -> View:
        missing = self.cluster.outdated(name)
        if missing:  # built by an earlier Pressroom: its searches would find nothing, or fail
            raise IndexMissingError(
                f"the Typesense collection {name} was built by an earlier version of Pressroom "
                f"(it lacks {', '.join(sorted(missing))}): rebuild it with `pressroom build --backend typesense`"
            )
        view = View(name, meta)
        fields = [*FACET_FIELDS.values(), "official_posts", "month", "tk_accented"]
        # How many values each field holds, first: Typesense's cost grows with max_facet_values
        # (45 ms for 100,000 on 22 releases), so every later search asks for just enough.
        everything = {"q": "*", "facet_by": ",".join(fields), "max_facet_values": 1, "per_page": 0}
        sizes = self.cluster.multi_search(name, [everything], slow=True)[0]
        view.sizes = {fc["field_name"]: int(fc["stats"].get("total_values") or 0) for fc in sizes["facet_counts"]}
        view.releases = sizes["found"]
        table = self.cluster.read_table((meta.get("tables") or {}).get("facets"))
        if table is not None:  # kept with the generation by its last write (``_derive``)
            counts = json.loads(table)
        else:  # a generation written before the table: every value of every facet, once
            fields = fields[:-2]
            params = {"q": "*", "facet_by": ",".join(fields), "max_facet_values": view.size_of(fields), "per_page": 0}
            counts = self._facet_counts([self.cluster.multi_search(name, [params], slow=True)[0]])
        for fname in FACETS:
            values = sorted(counts.get(FACET_FIELDS[fname], {}))
            view.facets[fname] = FacetData(values, np.zeros(0, np.int32), np.zeros(0, np.int32))
            view.index[fname] = {v: i for i, v in enumerate(values)}
            view.totals[fname] = np.array([counts[FACET_FIELDS[fname]][v] for v in values], dtype=np.int64)
        self._merge_officials(view, counts.get("officials", {}), counts.get("official_posts", {}))
        return view

    @staticmethod
    def _merge_officials(view: View, official_counts: dict[str, int], post_counts: dict[str, int]) -> None:
        """``facets.merge_officials``, from the counts of the whole generation."""
        data = view.facets["official"]
        weights = [official_counts.get(v, 0) for v in data.values]
        rep, data.details, data.keys = merge_officials(data.values, weights, post_counts.items())
        view.official_rep = rep if len(data.values) else np.zeros(0, np.int32)

    # Matching --------------------------------------------------------------------------

    def _match(self, view: View, req: SearchRequest) -> _Matched:
        validate(req)
        check_filters(req)
        if view.releases == 0:
            raise IndexEmptyError(f"the Typesense index '{self.config.alias}' holds no release")
        text, inline = split_query(req.query)
        selected: dict[str, list[str]] = {}
        warnings: list[dict[str, str]] = []
        filters: dict[str, str] = {}
        for name, facet in FACETS.items():
            values = req.filter_values(name) + inline.get(name, [])
            selected[name] = []
            if not values:
                continue
            data = view.facets[name]
            found_ids: list[int] = []
            for v in values:
                canonical, found = facet.resolve(data, v)
                selected[name].append(canonical)
                found_ids.extend(found)
                if not found:
                    said = message(
                        "no_such_value", req.ui_lang, param=name, param_label=message(f"facet_{name}", "es"), value=v
                    )
                    warnings.append({"param": name, "value": v, "message": said})
            selected[name] = list(dict.fromkeys(selected[name]))
            filters[name] = any_value(FACET_FIELDS[name], self._raw_values(view, name, found_ids))
        q = self._query(view, text)
        translator = Translator(lambda phrase: self._phrase_ids(view, phrase))
        expansions: list[dict[str, str]] = []
        text_filter = entity_filter = None
        if q is not None:
            expanded, expansions = expand_entities(
                text, _EntityCounts(view), lambda t: self._query(view, t), req.ui_lang
            )
            if expanded is not None:
                words = translator.plan(q)
                if not words.phrases:
                    text_filter, entity_filter = words.filter, translator.filter(q, True)
                q = expanded
        plan = translator.plan(q)
        # Rank by the words typed, never by the words a pattern expanded to.
        parsed = parse_query(text, _schema())
        plan.rank_words = rank_words(parsed) if parsed is not None else []
        date_from = parse_date_bound(req.date_from, False, "from")
        date_to = parse_date_bound(req.date_to, True, "to")
        dates = []
        if date_from:
            dates.append(f"date:>={date_from.replace('-', '')}")
        if date_to:
            dates.append(f"date:<={date_to.replace('-', '')}")
        base = all_of([plan.filter, *dates])
        return _Matched(
            plan, q, text, selected, warnings, filters, base, date_from, date_to, expansions, text_filter, entity_filter
        )

    @staticmethod
    def _raw_values(view: View, name: str, value_ids: list[int]) -> list[str]:
        """The stored values a facet filter stands for (officials: every name variant merged)."""
        values = view.facets[name].values
        if name == "official" and view.official_rep is not None:
            wanted = set(value_ids)
            return [values[i] for i in range(len(values)) if int(view.official_rep[i]) in wanted]
        return [values[i] for i in sorted(set(value_ids))]

    def _query(self, view: View, text: str) -> Q.Query | None:
        q = parse_query(text, _schema())
        return expand_patterns(q, _Vocabulary(self, view)) if q is not None else None

    def _phrase_ids(self, view: View, phrase: Phrase) -> list[str]:
        """Ids of the releases where a phrase stands (for a phrase under OR or NOT)."""
        params = {"q": phrase.q(), "query_by": phrase.query_by(), **_STRICT, "include_fields": "sid"}
        ids: list[str] = []
        page = 1
        while True:
            result = self.cluster.multi_search(view.collection, [{**params, "per_page": MAX_TS_PAGE, "page": page}])[0]
            ids += [h["document"]["sid"] for h in result["hits"]]
            if result["found"] > MAX_PHRASE_IDS:
                raise QueryTooBroadError("ts_phrase_limit", phrase=phrase.q(), limit=MAX_PHRASE_IDS)
            if len(ids) >= result["found"] or not result["hits"]:
                return ids
            page += 1

    # Searches --------------------------------------------------------------------------

    def _params(self, m: _Matched, ranking: bool = False) -> dict[str, Any]:
        params: dict[str, Any] = {"q": m.plan.q(ranking), **_STRICT}
        params["query_by"] = m.plan.query_by
        return params

    def _counting(
        self, view: View, m: _Matched, facets: list[str], with_months: bool, size: int | None = None
    ) -> list[dict[str, Any]]:
        """The match-count search (with every unselected facet) and one search per selected facet
        with its own selection left out (disjunctive counts). With ``size``, facets ordered by count
        are asked for their ``size`` values with the most releases only (``_cuts``), in a search
        of their own when unselected (``max_facet_values`` is one number per search)."""
        free = [n for n in facets if n not in m.filters]
        whole = [FACET_FIELDS[n] for n in free if not self._cuts(view, n, size)] + (["month"] if with_months else [])
        cut = [FACET_FIELDS[n] for n in free if self._cuts(view, n, size)]
        searches = [{**self._params(m), "filter_by": m.filter(), "per_page": 0}]
        if whole:
            searches[0].update({"facet_by": ",".join(whole), "max_facet_values": view.size_of(whole)})
        if cut:
            searches.append(self._facet_search(m, None, cut, size))
        for name in facets:
            if name in m.filters:
                field = FACET_FIELDS[name]
                asked = size if size and self._cuts(view, name, size) else view.size_of([field])
                searches.append(self._facet_search(m, name, [field], asked))
        return searches

    def _facet_search(self, m: _Matched, without: str | None, fields: list[str], size: int) -> dict[str, Any]:
        """A count search for ``size`` values of each of ``fields``, ``without`` that facet's selection."""
        search = {**self._params(m), "filter_by": m.filter(without=without), "per_page": 0}
        return search | {"facet_by": ",".join(fields), "max_facet_values": size}

    @staticmethod
    def _cuts(view: View, name: str, size: int | None) -> bool:
        """Whether a page asks for only ``size`` values of a facet: one ordered by count (the
        default ``Facet.order``; years are ordered by value) that holds more values than that."""
        ordered_by_count = type(FACETS[name]).order is Facet.order
        return size is not None and ordered_by_count and view.sizes.get(FACET_FIELDS[name], ALL_VALUES) >= size

    def _left_out(self, view: View, name: str, raw: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """After Typesense returned ``raw``, the values with the most releases (a value it left out
        has at most the smallest count returned, and at most its releases in the generation): for
        each value as the page lists it (an official's variants merged), whether some of its
        variants were left out, and then the most releases it can have."""
        data = view.facets[name]
        n = len(data.values)
        rep = view.official_rep if name == "official" and view.official_rep is not None else np.arange(n)
        index = view.index[name]
        returned = np.zeros(n, dtype=bool)
        known = np.zeros(n, dtype=np.int64)
        for v, c in raw.items():
            if v in index:
                returned[index[v]] = True
                known[index[v]] = c
        missing = np.bincount(rep[~returned], minlength=n)
        bound = np.where(returned, known, np.minimum(view.totals[name], min(raw.values(), default=0)))
        return missing > 0, np.bincount(rep, weights=bound, minlength=n).astype(np.int64)

    def _uncertain(
        self, view: View, m: _Matched, name: str, raw: dict[str, int], counts: np.ndarray, size: int
    ) -> list[int]:
        """The values whose count must be asked one by one for the first ``size`` values of the list
        (and whether it is cut) to be exact: those with a variant left out that could still reach
        the ``size``-th count (a tie too: ties are ordered by value), and selected values with a
        variant left out."""
        partial, most = self._left_out(view, name, raw)
        lower = np.sort(counts[counts > 0])[::-1]
        reach = int(lower[size]) if len(lower) > size else 1  # the count a value needs to be listed or to cut the list
        ids = np.flatnonzero(partial & (most >= reach)).tolist()
        keys = view.facets[name].keys
        ids += [i for s in m.selected[name] for i in keys.get(fold_key(s), []) if partial[i]]
        return list(dict.fromkeys(ids))

    def _complete(
        self, view: View, m: _Matched, name: str, raw: dict[str, int], asked: int, req: SearchRequest
    ) -> np.ndarray:
        """The counts ``facet_list`` reads, from a search that asked for ``asked`` values: the values
        left uncertain (``_uncertain``) are counted one by one (an official as every variant of the
        name, ``MAX_BATCHED_COUNTS`` to a multi-search), or 4x more values are asked when that is
        cheaper. Typesense 0.24 reads a stored release for each facet value it returns (about
        1.3 ms a value on the full corpus, against about 1 ms a count), so asking every official
        (11,470) of a broad search took over 15 s; and once every value was asked the loop stops
        (a node still applying the ``holder_of`` values kept it asking forever)."""
        field = FACET_FIELDS[name]
        every = view.size_of([field])
        while True:
            counts = self._count_array(view, m, name, raw)
            if len(raw) < asked:  # every value with a release came back
                return counts
            ids = self._uncertain(view, m, name, raw, counts, req.facet_size)
            if len(ids) <= max(MAX_BATCHED_COUNTS, 4 * asked) or asked >= every:
                break
            asked = min(asked * 4, every)
            found = self.cluster.multi_search(view.collection, [self._facet_search(m, name, [field], asked)])
            raw = self._facet_counts(found).get(field, {})
        searches = [
            {
                **self._params(m),
                "filter_by": all_of([m.filter(without=name), any_value(field, self._raw_values(view, name, [i]))]),
                "per_page": 0,
            }
            for i in ids
        ]
        for start in range(0, len(searches), MAX_BATCHED_COUNTS):
            batch = ids[start : start + MAX_BATCHED_COUNTS]
            found = self.cluster.multi_search(view.collection, searches[start : start + MAX_BATCHED_COUNTS])
            for i, r in zip(batch, found, strict=True):
                counts[i] = r["found"]
        return counts

    def _facet_counts(self, results: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {}
        for r in results:
            for fc in r.get("facet_counts", []):
                name = fc["field_name"]
                read = facet_value if name in KEYED_FIELDS else str
                counts[name] = {read(c["value"]): c["count"] for c in fc["counts"]}
        return counts

    def _count_array(self, view: View, m: _Matched, name: str, raw: dict[str, int]) -> np.ndarray:
        """Per-value counts aligned with the facet's values; officials merged, a release that
        names two variants of one person counted once."""
        data = view.facets[name]
        index = view.index[name]
        counts = np.zeros(len(data.values), dtype=np.int64)
        present = [(index[v], n) for v, n in raw.items() if v in index]
        if name != "official" or view.official_rep is None:
            for i, n in present:
                counts[i] = n
            return counts
        groups: dict[int, list[int]] = {}
        for i, n in present:
            rep = int(view.official_rep[i])
            counts[rep] += n
            groups.setdefault(rep, []).append(i)
        overlapping = [(rep, ids) for rep, ids in groups.items() if len(ids) > 1]
        if overlapping:
            searches = [
                {
                    **self._params(m),
                    "filter_by": all_of(
                        [m.filter(without=name), any_value("officials", [data.values[i] for i in ids])]
                    ),
                    "per_page": 0,
                }
                for _rep, ids in overlapping
            ]
            for start in range(0, len(searches), 40):
                found = self.cluster.multi_search(view.collection, searches[start : start + 40])
                for (rep, _ids), r in zip(overlapping[start : start + 40], found, strict=True):
                    counts[rep] = r["found"]
        return counts

    def search(self, req: SearchRequest) -> SearchPage:
        view = self.view()
        m = self._match(view, req)
        sort = m.sort(req.sort)
        page = {**self._orders(m, sort)[0], "include_fields": HIT_FIELDS, "per_page": req.per_page, "page": req.page}
        size = 2 * req.facet_size + FACET_MARGIN
        counting = self._counting(view, m, list(FACETS), True, size)
        results = self.cluster.multi_search(view.collection, [*counting, page])
        total = results[0]["found"]
        raw = self._facet_counts(results[:-1])
        facets: dict[str, list[FacetValue]] = {}
        truncated: dict[str, bool] = {}
        for name, facet in FACETS.items():
            if self._cuts(view, name, size):
                counts = self._complete(view, m, name, raw.get(FACET_FIELDS[name], {}), size, req)
            else:
                counts = self._count_array(view, m, name, raw.get(FACET_FIELDS[name], {}))
            facets[name], truncated[name] = facet_list(
                facet, view.facets[name], counts, m.selected[name], req.facet_size, req.ui_lang
            )
        start = (req.page - 1) * req.per_page
        first = results[-1]  # the first ordered search's page came with the counts
        first = {"found": first["found"], "docs": [h["document"] for h in first["hits"]]}
        docs = self._ordered(view, m, sort, total, start, req.per_page, first) if start < total else []
        shown = highlight_query(m.q, m.expansions, lambda t: self._query(view, t))
        hits = [self._hit(doc, shown, req.ui_lang) for doc in docs]
        suggestion = None
        if m.text.strip():
            words = _Vocabulary(self, view)
            words.prefetch(m.text)
            suggestion = suggest(words, words, m.text, lambda t: self._finds(view, t), nearest=words.nearest)
        months = raw.get("month", {})
        return SearchPage(
            query=req.query,
            filters={**m.selected, "from": m.date_from, "to": m.date_to},
            total=total,
            page=req.page,
            per_page=req.per_page,
            pages=(total + req.per_page - 1) // req.per_page,
            sort=sort,
            suggestion=suggestion,
            hits=hits,
            facets=facets,
            facets_truncated=truncated,
            warnings=m.warnings,
            timeline=_timeline(months),
            expansions=m.expansions,
        )

    def _finds(self, view: View, text: str) -> bool:
        q = self._query(view, text)
        if q is None:
            return False
        plan = Translator(lambda phrase: self._phrase_ids(view, phrase)).plan(q)
        params = {"q": plan.q(), **_STRICT, "query_by": plan.query_by, "filter_by": plan.filter, "per_page": 0}
        return self.cluster.multi_search(view.collection, [params])[0]["found"] > 0

    # Ordering and paging ---------------------------------------------------------------

    def _orders(self, m: _Matched, sort: str) -> list[dict[str, Any]]:
        """The ordered searches a results list is made of, one after the other (their matches
        never overlap).

        Relevance: the matches holding every query word as written, ranked by Typesense's text
        match (releases with the query's accented forms first), then the other matches newest
        first: those the words find as text before those only their entity found (``aliases``).
        Newest/oldest: by date, undated last, ties by id."""
        plan = m.plan
        if sort != "relevance" or m.q is None or (not plan.rank_words and not plan.phrases):
            order = "date:asc" if sort == "oldest" else "date:desc"
            return [{**self._params(m), "filter_by": m.filter(), "sort_by": f"has_date:desc,{order},sid:asc"}]
        exact = accented_words(m.text)
        tier = f"_eval({' && '.join(f'tk_accented:={w}' for w in exact[:4])}):desc," if exact else ""
        # Typesense's text match ties for every release holding a single word once or often (it
        # scores typos, proximity and fields, not frequency): the newest come first among equals.
        by_match = {"sort_by": f"{tier}_text_match:desc,date:desc" + ("" if tier else ",sid:asc")}
        if not plan.rank_words:  # phrases only: Typesense ranks the phrase matches
            return [{**self._params(m), "filter_by": m.filter(), **by_match}]
        ranked = {**self._params(m, True), "filter_by": m.filter(), **by_match}
        # Typesense 0.24 sorts by one ``_eval`` and three fields at most, so the text-before-entity
        # order is two searches, not a sort. Newest first needs no ``has_date``: an undated
        # release's date is -1, below every dated one.
        rest = {**self._params(m), "sort_by": f"{tier}date:desc,sid:asc"}
        unranked = all_of([m.filter(), plan.not_ranked()])
        if m.text_filter and m.text_filter != TRUE and m.entity_filter:
            as_text = all_of([unranked, m.text_filter])
            by_entity = all_of([unranked, m.entity_filter])
            # Past Typesense's filter size, the two come as one, newest first (README: differences).
            if max(filter_size(as_text), filter_size(by_entity)) <= MAX_FILTER_TOKENS:
                return [ranked, {**rest, "filter_by": as_text}, {**rest, "filter_by": by_entity}]
        return [ranked, {**rest, "filter_by": unranked}]

    def _ordered(
        self, view: View, m: _Matched, sort: str, total: int, start: int, count: int, first: dict | None = None
    ) -> list[dict]:
        """The documents at positions ``start`` .. ``start + count`` of a search's order.
        ``first``: the page of the first ordered search, when it was fetched already."""
        orders = self._orders(m, sort)
        if first is None:
            first = self._page(view, orders[0], start, count)
        before, out = first["found"], first["docs"]  # before: matches of the searches so far
        for i, params in enumerate(orders[1:], 1):
            if len(out) >= count or before >= total:
                break
            if i == len(orders) - 1:  # the last search: no need to know how many it finds
                out += self._window(view, params, max(0, start - before), count - len(out), HIT_FIELDS)
            else:
                page = self._page(view, params, max(0, start - before), count - len(out))
                before += page["found"]
                out += page["docs"]
        return out

    def _page(self, view: View, params: dict[str, Any], start: int, count: int) -> dict[str, Any]:
        """``{found, docs}`` of one ordered search at ``start`` .. ``start + count``."""
        result = self.cluster.multi_search(view.collection, [{**params, "per_page": 0}])[0]
        docs = self._window(view, params, start, min(count, max(0, result["found"] - start)), HIT_FIELDS)
        return {"found": result["found"], "docs": docs}

    def _window(self, view: View, params: dict[str, Any], offset: int, count: int, fields: str) -> list[dict]:
        """Hits ``offset`` .. ``offset + count`` of one ordered search (Typesense pages by number)."""
        if count <= 0:
            return []
        per_page = min(max(count, 1), MAX_TS_PAGE)
        first_page = offset // per_page
        skip = offset - first_page * per_page
        pages = [first_page + 1] + ([first_page + 2] if skip + count > per_page else [])
        searches = [{**params, "include_fields": fields, "per_page": per_page, "page": p} for p in pages]
        hits = [h["document"] for r in self.cluster.multi_search(view.collection, searches) for h in r["hits"]]
        return hits[skip : skip + count]

    def _hit(self, doc: dict[str, Any], q: Q.Query | None, ui_lang: str = "en") -> Hit:
        # As on Whoosh: the same record, body and chrome ranges make the same hit.
        chrome = json.loads(doc.get("chrome") or "[]")
        return make_hit(json.loads(doc["record"]), doc.get("body") or "", chrome, q, stemmer_for(_schema()), ui_lang)

    # The rest of the interface -----------------------------------------------------------

    def facet_values(
        self, req: SearchRequest, name: str, prefix: str = "", limit: int = MAX_FACET_SIZE
    ) -> tuple[list[FacetValue], bool]:
        from ..search.model import SearchError

        facet = FACETS.get(name)
        if facet is None:
            raise SearchError("name", "unknown_facet", name=name, names=", ".join(FACETS))
        view = self.view()
        m = self._match(view, req)
        results = self.cluster.multi_search(view.collection, self._counting(view, m, [name], False))
        counts = self._count_array(view, m, name, self._facet_counts(results).get(FACET_FIELDS[name], {}))
        data = view.facets[name]
        key = fold_key(prefix)
        if key:
            for i in np.flatnonzero(counts).tolist():
                if not matches_prefix(facet, data.values[i], key, req.ui_lang):
                    counts[i] = 0
        return facet_list(facet, data, counts, m.selected[name] if not key else [], limit, req.ui_lang)

    def iter_matches(self, req: SearchRequest, limit: int | None = None) -> Iterable[dict[str, Any]]:
        view = self.view()
        m = self._match(view, req)
        total = self.cluster.multi_search(view.collection, self._counting(view, m, [], False))[0]["found"]
        end = total if limit is None else min(total, limit)
        for start in range(0, end, MAX_TS_PAGE):
            for doc in self._ordered(view, m, m.sort(req.sort), total, start, min(MAX_TS_PAGE, end - start)):
                yield {**json.loads(doc["record"]), "body": doc.get("body", "")}

    def count(self, req: SearchRequest) -> int:
        view = self.view()
        m = self._match(view, req)
        return self.cluster.multi_search(view.collection, self._counting(view, m, [], False))[0]["found"]

    def _document(self, view: View, release_id: str) -> dict[str, Any] | None:
        for form in lookup_forms(release_id):
            doc = self.cluster.get(view.collection, form)
            if doc is not None:
                return doc
        return None

    def release(self, release_id: str, query: str = "") -> dict[str, Any] | None:
        view = self.view()
        doc = self._document(view, release_id)
        if doc is None:
            return None
        record = json.loads(doc["record"])
        record["source_id"] = _source_id(record)
        body = doc.get("body", "")
        text = split_query(query)[0]
        q = self._query(view, text) if query else None
        if q is not None:  # as on Whoosh: the names of the entities the query names are highlighted too
            parse = lambda t: self._query(view, t)  # noqa: E731
            q = highlight_query(q, expand_entities(text, _EntityCounts(view), parse)[1], parse)
        lang = record.get("lang") or "und"
        spans = match_spans(body, lang, q, MAX_MARKS + 1, False, stemmer_for(_schema())) if q is not None else []
        marked = spans[:MAX_MARKS]
        return {
            **record,
            "body": body,
            "body_html": mark_all(body, marked),
            "matches": len(marked),
            "more_matches": len(spans) > MAX_MARKS,
        }

    def related(self, release_id: str, limit: int = 5) -> list[dict[str, Any]]:
        """Releases sharing the release's most frequent words (stated difference: Typesense ranks
        them by its text match, dropping words until enough match, same language first)."""
        view = self.view()
        doc = self._document(view, release_id)
        if doc is None:
            return []
        record = json.loads(doc["record"])
        lang = record.get("lang") or "und"
        stored = {"record": record, "body": doc.get("body") or "", "chrome": json.loads(doc.get("chrome") or "[]")}
        words = _frequent_words(release_words_text(stored), lang)
        if not words:
            return []
        params = {
            "q": " ".join(words),
            "query_by": "tx_title,tx_content",
            "prefix": "false",
            "num_typos": 0,
            "drop_tokens_threshold": 10_000,
            "filter_by": f"sid:!={_quote_id(record['id'])}",
            "sort_by": f"_eval(lang:={lang}):desc,_text_match:desc",
            "include_fields": "record",
            "per_page": limit,
            "highlight_fields": "none",
        }
        hits = self.cluster.multi_search(view.collection, [params])[0]["hits"]
        out = []
        for h in hits:
            rec = json.loads(h["document"]["record"])
            out.append({"id": rec["id"], "title": rec["title"], "date": rec.get("date")})
        return out

    def iter_releases(self) -> Iterable[dict[str, Any]]:
        view = self.view()
        params = {"q": "*", "sort_by": "sid:asc", "include_fields": "record,body", "per_page": MAX_TS_PAGE}
        page = 1
        while True:
            result = self.cluster.multi_search(view.collection, [{**params, "page": page}])[0]
            for h in result["hits"]:
                yield {**json.loads(h["document"]["record"]), "body": h["document"].get("body", "")}
            if page * MAX_TS_PAGE >= result["found"] or not result["hits"]:
                return
            page += 1

    def stats(self, top: int = 20) -> dict[str, Any]:
        view = self.view()
        # The view counted every value of every facet over the whole generation when it was loaded.
        names = ("lang", *STATS_FACETS)
        raw = {FACET_FIELDS[n]: dict(zip(view.facets[n].values, view.totals[n].tolist(), strict=True)) for n in names}
        everything = _Matched(Plan(), None, "", {}, [], {}, TRUE, None, None)

        def ranked(name: str, n: int | None) -> list[dict[str, Any]]:
            values = view.facets[name].values
            counts = self._count_array(view, everything, name, raw.get(FACET_FIELDS[name], {}))
            order = sorted(np.flatnonzero(counts).tolist(), key=lambda i: (-int(counts[i]), values[i]))
            return [{"value": values[i], "count": int(counts[i])} for i in order[:n]]

        return {
            "releases": view.releases,
            "by_lang": {v["value"]: v["count"] for v in ranked("lang", None)},
            "top": {name: ranked(name, top) for name in STATS_FACETS},
            "index_bytes": int(view.meta.get("index_bytes") or 0),
            "built_at": view.meta.get("built_at"),
            "generation": view.collection,
            "rejected": int(view.meta.get("rejected") or 0),
        }

    def status(self) -> dict[str, Any]:
        view = self.view()
        result = self.cluster.multi_search(view.collection, [{"q": "*", "per_page": 0}])[0]
        return {"generation": view.collection, "releases": result["found"]}

    # Tenures and people --------------------------------------------------------------------

    def tenures(self) -> Tenures:
        view = self.view()
        if view.tenures is None:
            text = self.cluster.read_table((view.meta.get("tables") or {}).get("tenures"))
            view.tenures = Tenures(json.loads(text) if text else {})
        return view.tenures

    def facet_data(self, name: str) -> FacetData:
        return self.view().facets[name]

    def live_values(self, name: str, value_ids: list[int]) -> list[int]:
        # A view's values are those its generation's releases hold (from their counts).
        return list(value_ids)

    def person_releases(self, value_ids: list[int]) -> PersonReleases:
        view = self.view()
        held = any_value("officials", self._raw_values(view, "official", value_ids))
        m = _Matched(Plan(), None, "", {}, [], {}, held, None, None)
        fields = ["officials", "agencies", "month"]
        dated = {"q": "*", "filter_by": all_of([held, "has_date:=1"]), "include_fields": "date", "per_page": 1}
        results = self.cluster.multi_search(
            view.collection,
            [
                {
                    "q": "*",
                    "filter_by": held,
                    "facet_by": ",".join(fields),
                    "max_facet_values": view.size_of(fields),
                    "per_page": 0,
                },
                {**dated, "sort_by": "date:asc"},
                {**dated, "sort_by": "date:desc"},
            ],
            slow=True,
        )
        raw = self._facet_counts(results[:1])
        first, last = (r["hits"][0]["document"]["date"] if r["hits"] else None for r in results[1:])
        return PersonReleases(
            releases=results[0]["found"],
            first_seen=_iso(first) if first is not None else None,
            last_seen=_iso(last) if last is not None else None,
            months={int(k.replace("-", "")): n for k, n in raw.get("month", {}).items() if k},
            counts={
                name: self._count_array(view, m, name, raw.get(FACET_FIELDS[name], {}))
                for name in ("official", "agency")
            },
        )

    def warm(self) -> bool:
        try:
            self.view()
        except IndexMissingError:
            return False
        return True


class _EntityCounts:
    """Whether some release holds an entity, as ``aliases.expand_entities`` asks a Whoosh searcher."""

    FACET_OF = {"agencies": "agency", "roles": "role", "officials": "official"}

    def __init__(self, view: View) -> None:
        self.view = view

    def doc_frequency(self, fieldname: str, value: str) -> int:
        return int(value in self.view.index.get(self.FACET_OF[fieldname], {}))


def _quote_id(release_id: str) -> str:
    return "`" + release_id + "`"


def _frequent_words(text: str, lang: str, count: int = 10) -> list[str]:
    """The most frequent folded words of a text (stop words, numbers and short words left out)."""
    import re
    from collections import Counter

    from ..analysis import folded_stopwords

    stops = folded_stopwords(lang) | folded_stopwords("en") | folded_stopwords("es")
    tf = Counter(w for w in re.findall(r"\w+", fold(text)) if len(w) > 3 and not w.isdigit() and w not in stops)
    return [w for w, _ in sorted(tf.items(), key=lambda item: (-item[1], item[0]))[:count]]


def _timeline(months: dict[str, int]) -> list[dict[str, Any]]:
    """The timeline from counts per month (``YYYY-MM``), as ``search.timeline`` computes it."""
    keys = [int(m.replace("-", "")) * 100 + 1 for m in months if m]
    if not keys:
        return []
    counts = [months[m] for m in months if m]
    date_key = np.repeat(np.array(keys, dtype=np.int64), counts)
    return timeline(date_key, np.ones(len(date_key), dtype=bool))


class _Vocabulary:
    """A generation's words, as prefix expansion and spelling ask a Whoosh reader for them:
    ``expand_prefix`` (Typesense's prefix search over the vocabulary collection), ``nearest``
    (its typo-tolerant search), ``doc_frequency`` (a count), ``surface`` (accented forms)."""

    def __init__(self, engine: TypesenseEngine, view: View) -> None:
        self.engine = engine
        self.view = view

    def _search(self, params: dict[str, Any], limit: int) -> list[str]:
        """Words of the vocabulary a search finds, every page up to ``limit`` (then one more)."""
        found: list[str] = []
        page = 1
        while True:
            result = self.engine.cluster.multi_search(
                vocabulary_name(self.view.collection),
                [{**params, "query_by": "word", "include_fields": "word", "per_page": MAX_TS_PAGE, "page": page}],
            )[0]
            found += [h["document"]["word"] for h in result["hits"]]
            if len(found) >= result["found"] or len(found) > limit or not result["hits"]:
                return found
            page += 1

    def expand_prefix(self, fieldname: str, lead: str) -> list[str]:
        """Every word of a field that starts with ``lead``, in order (as Whoosh's reader gives them)."""
        key = (fieldname, lead)
        words = self.view.words.get(key)
        if words is None:
            params = {
                "q": lead,
                "filter_by": f"field:={fieldname}",
                "prefix": "true",
                "num_typos": 0,
                "max_candidates": MAX_CANDIDATES,
                "highlight_fields": "none",
            }
            found = self._search(params, MAX_SCANNED)
            words = sorted({w for w in found if w.startswith(lead)})
            if len(found) >= MAX_CANDIDATES:
                raise QueryTooBroadError("ts_candidates", text=lead, limit=MAX_CANDIDATES, most=MAX_EXPANSIONS)
            self.view.words[key] = words
        return words

    def nearest(self, key: str) -> str | None:
        """``spelling.closest`` with its candidates from Typesense's typo search (same first
        letter, one edit, or two from ``TWO_EDITS_FROM`` letters, at least ``MIN_RELEASES``)."""
        maxdist = 1 if len(key) < TWO_EDITS_FROM else 2
        params = {
            "q": key,
            "filter_by": "field:=content",
            "prefix": "false",
            "num_typos": maxdist,
            "min_len_1typo": MIN_WORD,
            "min_len_2typo": TWO_EDITS_FROM,
            "max_candidates": SPELLING_CANDIDATES,
            "typo_tokens_threshold": SPELLING_CANDIDATES,
            "highlight_fields": "none",
        }
        result = self.engine.cluster.multi_search(
            vocabulary_name(self.view.collection),
            [{**params, "query_by": "word", "include_fields": "word", "per_page": SPELLING_CANDIDATES}],
        )[0]
        candidates = [
            w
            for w in (h["document"]["word"] for h in result["hits"])
            if w[:1] == key[:1] and w.isalpha() and Levenshtein.distance(key, w) <= maxdist
        ]
        ranked = []
        for word in candidates:
            df = self.doc_frequency("content", word)
            if df >= min_releases(self):
                ranked.append((Levenshtein.distance(key, word), -df, word))
        return min(ranked)[2] if ranked else None

    def reader(self) -> _Vocabulary:
        return self

    def doc_count(self) -> int:
        return self.view.releases

    def prefetch(self, text: str) -> None:
        """Count, in one request, what ``spelling.known`` asks of each word of a query."""
        wanted: list[tuple[str, str]] = []
        for word in re.findall(r"\w+", text):
            key = fold(word)
            wanted += [("content", key), ("title", key)]
            for lang in STEMMED_LANGUAGES:
                stems = [t.text for t in stemming_analyzer(lang)(key)]
                if stems:
                    wanted.append((f"stem_{lang}", stems[0]))
        wanted = [k for k in dict.fromkeys(wanted) if k not in self.view.df][:MAX_BATCHED_COUNTS]
        if not wanted:
            return
        searches = [{"q": "*", "filter_by": term_filter(f, [w]), "per_page": 0} for f, w in wanted]
        for key, result in zip(wanted, self.engine.cluster.multi_search(self.view.collection, searches), strict=True):
            self.view.df[key] = result["found"]

    def doc_frequency(self, fieldname: str, word: str) -> int:
        """Releases holding ``word`` in a field."""
        key = (fieldname, word)
        if key not in self.view.df:
            params = {"q": "*", "filter_by": term_filter(fieldname, [word]), "per_page": 0}
            self.view.df[key] = self.engine.cluster.multi_search(self.view.collection, [params])[0]["found"]
        return self.view.df[key]

    def surface(self, reader: Any, folded_word: str) -> str:
        """The most frequent accented form of a folded word, where it is at least as common as the
        plain spelling (as ``spelling._surface_forms``). The counts of the word's accented forms
        come from a facet query over the releases that hold one (Typesense matches ``publica`` to
        ``pública`` there): asking the generation for every accented form at once (14,024 values on
        the full corpus) took 20 s, as Typesense reads a stored release for each value it returns.
        A filter on one form matches every form of the word, so a form's own count is a facet's."""
        best = self.view.surface_forms.get(folded_word)
        if best is None:
            params = {
                "q": "*",
                "filter_by": term_filter("accented", [folded_word]),
                "facet_by": "tk_accented",
                "facet_query": f"tk_accented:{folded_word}",
                "max_facet_values": SURFACE_VALUES,
                "per_page": 0,
            }
            result = self.engine.cluster.multi_search(self.view.collection, [params])[0]
            counts = {c["value"]: c["count"] for fc in result.get("facet_counts", []) for c in fc["counts"]}
            best = (0, folded_word)
            for form in sorted(w for w in counts if fold(w) == folded_word):
                if counts[form] > best[0]:  # among equals the first in order, as Whoosh's lexicon gives them
                    best = (counts[form], form)
            self.view.surface_forms[folded_word] = best
        freq, word = best
        return word if freq and freq * 2 >= self.doc_frequency("content", folded_word) else folded_word


__all__ = [
    "API_KEY_ENV",
    "COLLECTION_ENV",
    "NODES_ENV",
    "Cluster",
    "ClusterConfig",
    "ClusterUnavailableError",
    "TypesenseBackend",
    "TypesenseEngine",
]
