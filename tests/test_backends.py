"""Contract tests: the same fixture releases, the same queries, the same JSON on both backends.

Whoosh reads ``built_index``; Typesense reads the same releases built on a real 3-node cluster
(``typesense_index``). Every key must be equal; only the order of hits sorted by relevance may
differ (Typesense ranks by its own text match, see the README), so those are compared by id with
every hit's content (snippet included) equal. Tests that modify an index build their own copy.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from indexer.backends.typesense import TypesenseBackend, TypesenseEngine
from indexer.backends.whoosh import WhooshBackend, WhooshEngine
from indexer.search import SearchRequest
from tests.conftest import REAL, ROOT, SOURCES, typesense_app, typesense_config, typesense_env, write_jsonl

QUERIES = [
    "",
    "Sanchez Cordero",
    "Sánchez Cordero",
    "seguridad",
    "secretarios",
    "indicted",
    '"Defensa Nacional"',
    '"seguridad"',
    "fraud OR bribery",
    "attorney NOT fraud",
    "(fraud OR tax) AND sentenced",
    '"United States" OR Mexico',
    'fraud NOT "United States"',
    "secret*",
    "ind*ment",
    "wom?n",
    "title:sentenced",
    "body:Barr",
    "agency:SEDENA seguridad",
    'official:"Marcelo Ebrard"',
    "Peña",
    "México",
    "the",
    "energiaa",
    "goverment",
    "[a TO z]",
    "¿Quién es Durán?",
    "u.s attorney",
    "canciller México",  # an entity's name and a word as written: four orderings, Typesense takes three
    # twelve words: four conditions a word were past Typesense's 100-token filter_by
    "Secretaries of Security Foreign Affairs Alfonso Durazo Marcelo Ebrard Defense United States",
]
PARAMS = [
    {},
    {"sort": "oldest"},
    {"sort": "newest", "page": 2, "per_page": 3},
    {"agency": ["SEDENA"]},
    {"agency": ["SEDENA", "Criminal Division"], "lang": ["en"]},
    {"lang": ["es"], "facet_size": 2},
    {"year": ["2019", "2020"]},
    {"date_from": "2015", "date_to": "2019-06"},
    {"official": ["Marcelo Ebrard"]},
    {"role": ["Attorney General"], "ui_lang": "es"},
    {"publisher": ["nobody at all"]},
]


@pytest.fixture(scope="module")
def engines(built_index, typesense_index):
    config, _local = typesense_index
    with WhooshEngine(built_index) as whoosh, TypesenseEngine(config) as typesense:
        yield whoosh, typesense


def by_id(page: dict) -> dict:
    """A search's JSON with relevance-ranked hits keyed by id (their order may differ by backend)."""
    out = dict(page)
    if page["sort"] == "relevance":
        out["hits"] = sorted(page["hits"], key=lambda h: h["id"])
    return out


def answer(engine, req: SearchRequest):
    try:
        return by_id(engine.search(req).as_dict())
    except Exception as e:  # the same error on both backends is the same answer
        return f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("params", PARAMS, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "none")
@pytest.mark.parametrize("query", QUERIES)
def test_search_json_is_the_same(engines, query, params):
    whoosh, typesense = engines
    # Relevance pages hold every match (22 releases), so ranking differences cannot change the ids.
    params = {"per_page": 100, **params} if params.get("sort") is None else params
    req = SearchRequest(query=query, **params)
    assert answer(typesense, req) == answer(whoosh, req)


def test_the_contract_queries_find_something(engines):
    """The comparison above is not empty-against-empty: most queries match releases."""
    whoosh, _ = engines
    matched = [q for q in QUERIES if whoosh.search(SearchRequest(query=q)).total]
    assert len(matched) >= len(QUERIES) - 4, matched


@pytest.mark.parametrize("name", ["agency", "official", "role", "lang", "year", "publisher"])
@pytest.mark.parametrize("prefix", ["", "sec", "sanchez"])
def test_facet_values_are_the_same(engines, name, prefix):
    whoosh, typesense = engines
    req = SearchRequest(query="seguridad OR fraud", agency=["SEDENA"])
    assert typesense.facet_values(req, name, prefix) == whoosh.facet_values(req, name, prefix)


def test_releases_exports_and_counts_are_the_same(engines):
    whoosh, typesense = engines
    assert list(typesense.iter_releases()) == list(whoosh.iter_releases())
    for query, sort in [("", None), ("fraud", "oldest"), ("seguridad", "newest")]:
        req = SearchRequest(query=query, sort=sort)
        assert list(typesense.iter_matches(req)) == list(whoosh.iter_matches(req))
        assert typesense.count(req) == whoosh.count(req)
    for rid in ["000_5da1fa392d2f8c78", REAL[0]["id"], "no-such-release"]:
        for query in ["", "Sánchez seguridad", '"Defensa Nacional"']:
            assert typesense.release(rid, query) == whoosh.release(rid, query)


def test_stats_keep_their_meaning(engines):
    whoosh, typesense = engines
    a, b = whoosh.stats(), typesense.stats()
    for key in ("releases", "by_lang", "top", "rejected"):
        assert b[key] == a[key], key
    assert b["generation"].startswith(typesense.config.alias + "-gen-")
    assert b["index_bytes"] > 0 and b["built_at"].endswith("Z")
    assert typesense.status()["releases"] == whoosh.status()["releases"] == 22


def test_related_has_the_same_shape(engines):
    """Related releases are ranked differently on Typesense (a stated difference): same shape,
    never the release itself."""
    whoosh, typesense = engines
    rid = "000_5da1fa392d2f8c78"
    found = typesense.related(rid)
    assert found and all(set(r) == {"id", "title", "date"} and r["id"] != rid for r in found)
    assert len(found) <= 5 and typesense.related("no-such-release") == whoosh.related("no-such-release") == []


@pytest.fixture(scope="module")
def clients(built_index, typesense_index, make_app):
    config, local = typesense_index
    whoosh = make_app(built_index).test_client()
    app = typesense_app(make_app, local, config)
    return whoosh, app.test_client()


ROUTES = [
    "/api/search?q=Sanchez+Cordero&agency=SEDENA&per_page=100",
    "/api/search?q=seguridad&sort=oldest&page=2&per_page=2",
    "/api/search?q=energiaa",
    "/api/facets/official?prefix=sanchez&q=seguridad",
    "/api/facets/nope",
    "/api/releases/000_5da1fa392d2f8c78",
    "/api/releases/no-such-release",
    "/export.csv?q=fraud",
    "/export.json?agency=Criminal+Division",
    "/feed.atom?q=seguridad",
    "/?q=Sanchez+Cordero&per_page=100",
    "/?q=seguridad&sort=oldest",
    "/facets/agency?q=seguridad",
    "/release/000_5da1fa392d2f8c78?q=Sánchez",
    "/api/search?q=x&per_page=0",
]


@pytest.mark.parametrize("route", ROUTES)
def test_routes_answer_the_same(clients, route):
    whoosh, typesense = clients
    a, b = whoosh.get(route), typesense.get(route)
    assert b.status_code == a.status_code
    if route.startswith("/api/releases/") and a.status_code == 200:
        ja, jb = a.get_json(), b.get_json()
        ja.pop("related"), jb.pop("related")  # ranked differently: a stated difference
        assert jb == ja
    elif route.startswith("/api/search") and a.status_code == 200:
        assert by_id(b.get_json()) == by_id(a.get_json())
    elif route.startswith(("/?", "/release/")):
        # Pages: the same hits (relevance pages hold every match here) and the same facet counts.
        for needle in ("000_5da1fa392d2f8c78", "Secretaría de la Defensa Nacional"):
            assert (needle in b.get_data(as_text=True)) == (needle in a.get_data(as_text=True))
    else:
        nonce = re.compile(rb'nonce="[^"]*"')  # a fresh CSP nonce per response
        assert nonce.sub(b"", b.get_data()) == nonce.sub(b"", a.get_data())


def test_health_names_the_generation(clients, typesense_index):
    config, _ = typesense_index
    data = clients[1].get("/healthz").get_json()
    assert data["status"] == "ok" and data["releases"] == 22 and data["generation"].startswith(config.alias)


def test_cli_on_both_backends(invoke, built_index, typesense_index):
    config, local = typesense_index
    env = typesense_env(config)
    for args in (["search", "Sánchez Cordero", "--json", "--per-page", "100"], ["export"]):
        a = invoke(*args, "--index", built_index)
        b = invoke(*args, "--index", local, env=env)
        assert a.exit_code == b.exit_code == 0
        if args[0] == "search":
            assert by_id(json.loads(b.output)) == by_id(json.loads(a.output))
        else:
            assert b.output == a.output
    shown = invoke("stats", "--index", local, env=env)
    assert shown.exit_code == 0 and f"in {config.alias}-gen-" in shown.output


def test_cli_without_a_cluster_says_what_to_set(invoke, tmp_path):
    env = {"PRESSROOM_BACKEND": "typesense", "PRESSROOM_TYPESENSE_NODES": "", "PRESSROOM_TYPESENSE_API_KEY": ""}
    result = invoke("search", "x", "--index", tmp_path, env=env)
    assert result.exit_code == 1 and "PRESSROOM_TYPESENSE_NODES" in result.output
    result = invoke("search", "x", "--index", tmp_path, "--backend", "solr")
    assert result.exit_code == 2 and "'solr' is not one of 'whoosh', 'typesense'" in result.output


def test_a_missing_alias_is_a_missing_index(typesense_cluster, invoke, tmp_path, make_app):
    config = typesense_config(typesense_cluster, "never-built")
    result = invoke("search", "x", "--index", tmp_path, env=typesense_env(config))
    assert result.exit_code == 1 and f"no Typesense index '{config.alias}'" in result.output
    app = typesense_app(make_app, tmp_path, config)
    assert app.test_client().get("/api/search?q=x").status_code == 503


def test_a_collection_an_earlier_pressroom_built_asks_for_a_rebuild(typesense_index, monkeypatch):
    """A collection without a field searches now use (``tk_word``) would find nothing: say to rebuild."""
    from indexer.backends.typesense import Cluster
    from indexer.store import IndexMissingError

    config, _local = typesense_index
    retrieve = Cluster.call

    def earlier(self, fn, *args, **kwargs):  # the schema as the collection of an earlier Pressroom had it
        answer = retrieve(self, fn, *args, **kwargs)
        if isinstance(answer, dict) and "fields" in answer and "symbols_to_index" in answer:
            answer = {**answer, "fields": [f for f in answer["fields"] if f["name"] != "tk_word"]}
            answer["symbols_to_index"] = [".", "_"]
        return answer

    monkeypatch.setattr(Cluster, "call", earlier)
    with (
        TypesenseEngine(config) as engine,
        pytest.raises(IndexMissingError, match=r"lacks symbol ~, tk_word\): rebuild"),
    ):
        engine.search(SearchRequest(query="seguridad"))


@pytest.fixture
def own_generation(typesense_cluster, tmp_path):
    """The fixture releases built under an alias of this test's own: ``(config, local folder)``."""
    from indexer.backends.typesense import TypesenseBackend

    config = typesense_config(typesense_cluster, "own")
    TypesenseBackend(tmp_path, config).build(SOURCES, workers=1)
    return config, tmp_path


def test_a_cluster_that_holds_part_of_the_generation_answers_503_not_part(own_generation, make_app):
    """After a restart Typesense 0.24 answers from nodes still replaying their log (/health ok, part
    of the releases). The generation's metadata says how many documents it holds; a reader reads
    only through nodes that hold them all, and with none answers 503 ``loading``, never a part."""
    from indexer.backends.typesense import Cluster
    from indexer.store import IndexLoadingError

    config, local = own_generation
    with Cluster(config) as cluster, TypesenseEngine(config) as engine:
        name = cluster.current()
        meta = cluster.read_meta(name)
        total = engine.search(SearchRequest()).total
        assert meta["documents"] == total == 22
        cluster.wait_meta(name, cluster.write_meta(name, {**meta, "documents": total + 5}))  # as if loading
        with pytest.raises(IndexLoadingError, match="most complete node holds 22 of 27 releases"):
            engine.search(SearchRequest(query="seguridad"))
        client = typesense_app(make_app, local, config).test_client()
        api = client.get("/api/search?q=seguridad")
        assert api.status_code == 503 and api.get_json()["error"]["code"] == "loading"
        assert api.headers["Retry-After"]
        assert "127.0.0.1" not in api.get_data(as_text=True)  # the nodes' addresses stay in the log
        html = client.get("/?q=seguridad")
        assert html.status_code == 503 and "The index is still loading" in html.get_data(as_text=True)
        assert "127.0.0.1" not in html.get_data(as_text=True)
        # while an update writes in place the counts move: the check waits for its end
        cluster.wait_meta(name, cluster.write_meta(name, {**meta, "documents": total + 5, "writing": True}))
        assert engine.search(SearchRequest()).total == total
        cluster.wait_meta(name, cluster.write_meta(name, meta))
        assert engine.search(SearchRequest()).total == total


def test_reads_go_only_to_the_nodes_that_hold_the_whole_generation(own_generation, monkeypatch):
    """A node that holds fewer documents than the generation (one restarted alone), or all of them
    but not yet the generation's last write (the stamp: still applying the writes that follow, such
    as the holder_of values) or the metadata written after it, is left out of reads until it has
    caught up; the others answer. (The probe is told so: a real node catches up too fast on 22
    releases to be caught behind.)"""
    from indexer.backends import typesense as ts
    from indexer.store import IndexLoadingError

    config, _local = own_generation
    probe = ts.Cluster.node_states
    short, behind, unstamped = {config.urls[1]}, {config.urls[2]}, {config.urls[0]}

    def states(self, name, stamp=None):
        out = probe(self, name, stamp)
        assert stamp is not None and all(s for _n, _t, s in out.values())
        out = {u: ((n - 3, t, s) if u in short else (n, t, s)) for u, (n, t, s) in out.items()}
        out = {u: ((n, t, False) if u in unstamped else (n, t, s)) for u, (n, t, s) in out.items()}
        return {u: ((n, "an earlier token", s) if u in behind else (n, t, s)) for u, (n, t, s) in out.items()}

    monkeypatch.setattr(ts.Cluster, "node_states", states)
    monkeypatch.setattr(ts, "READY_SECONDS", 0.0)
    with TypesenseEngine(config) as engine:
        with pytest.raises(IndexLoadingError):  # each node is short, behind or not stamped yet
            engine.search(SearchRequest())
        unstamped.clear()
        assert engine.search(SearchRequest()).total == 22
        assert engine.cluster.serving == (config.urls[0],)
        short.clear()  # caught up
        assert engine.search(SearchRequest()).total == 22
        assert engine.cluster.serving == tuple(config.urls[:2])
        behind.clear()
        assert engine.search(SearchRequest()).total == 22
        assert engine.cluster.serving == tuple(config.urls)


def test_generations_without_an_alias_yet_are_loading_not_missing(typesense_cluster):
    """A node replaying its log after a restart has the generations before the alias that names
    one: a reader is told the cluster is loading (503 to retry), not to build an index."""
    from indexer.backends.typesense import Cluster
    from indexer.store import IndexLoadingError

    config = typesense_config(typesense_cluster, "replaying")
    with Cluster(config) as cluster:
        name = cluster.new_generation()
        try:
            with TypesenseEngine(config) as engine, pytest.raises(IndexLoadingError, match="no alias to one yet"):
                engine.search(SearchRequest())
        finally:
            cluster.drop(name)


def test_a_cluster_that_does_not_answer_is_a_503_to_retry(tmp_path, make_app):
    from indexer.backends.cluster import _free_ports
    from indexer.backends.typesense import ClusterConfig

    nobody = ClusterConfig([f"http://127.0.0.1:{port}" for port in _free_ports(2)], "key", "nowhere")
    client = typesense_app(make_app, tmp_path, nobody).test_client()
    api = client.get("/api/search?q=x")
    assert (api.status_code, api.get_json()["error"]["code"]) == (503, "unavailable")
    # the reader is told to come back; the nodes' addresses stay in the server's log
    assert api.headers["Retry-After"] and "Try again in a moment" in api.get_json()["error"]["message"]
    assert "127.0.0.1" not in api.get_data(as_text=True)
    page = client.get("/?q=x")
    assert page.status_code == 503 and "The search servers do not answer" in page.get_data(as_text=True)


def test_update_and_delete_agree(typesense_cluster, built_index, tmp_path):
    """The same update (a changed, a new and a pruned release) and delete on both backends give the
    same searches; the Typesense generation stays the same one (update writes in place)."""
    whoosh_dir = tmp_path / "whoosh"
    shutil.copytree(built_index, whoosh_dir, symlinks=True)
    config = typesense_config(typesense_cluster, "update")
    typesense = TypesenseBackend(tmp_path / "ts", config)
    typesense.build(SOURCES, workers=1)
    whoosh = WhooshBackend(whoosh_dir)
    changed = [{**REAL[0], "body": REAL[0]["body"] + " Zanzibar."}, *REAL[2:], {**REAL[1], "id": "brand-new"}]
    source = write_jsonl(tmp_path / "releases.jsonl", changed)
    with typesense.engine() as reader:
        generation = reader.status()["generation"]
    a = whoosh.update([source, *SOURCES[1:]], prune=True)
    b = typesense.update([source, *SOURCES[1:]], prune=True)
    assert b.as_dict() | {"seconds": 0} == a.as_dict() | {"seconds": 0}
    assert (b.added, b.updated, b.deleted) == (1, 1, 1)
    assert typesense.delete(["brand-new", "nope"]) == whoosh.delete(["brand-new", "nope"]) == (["brand-new"], ["nope"])
    with whoosh.engine() as w, typesense.engine() as t:
        assert t.status()["generation"] == generation
        for query in ["Zanzibar", "", "seguridad"]:
            req = SearchRequest(query=query, per_page=100)
            assert answer(t, req) == answer(w, req)
        assert t.release(REAL[1]["id"]) is None and w.release(REAL[1]["id"]) is None


def test_a_build_is_applied_on_every_node_before_it_returns(typesense_cluster, tmp_path):
    """Asked right after the build returns, each node alone has the alias and every release (a
    follower that had not applied the import found nothing)."""
    from indexer.backends.typesense import make_client

    config = typesense_config(typesense_cluster, "applied")
    TypesenseBackend(tmp_path, config).build(SOURCES, workers=1)
    for url in config.urls:
        client = make_client(config, [url], retries=0)
        try:
            name = client.aliases[config.alias].retrieve()["collection_name"]
            assert client.collections[name].documents.search({"q": "*"})["found"] == 22, url
        finally:
            client.api_call.close()


def test_each_write_ends_by_stamping_a_release_every_node_is_asked_for(own_generation):
    """Typesense 0.24 applies the writes to each collection in a queue of its own: a node had the
    metadata written after a build's holder_of updates while it still applied them. So the last
    write of a build, an update or a delete stamps one of the generation's own releases with a fresh
    token, each node is asked for it before the command returns, and readers ask for it too."""
    from indexer.backends.typesense import STAMP_FIELD, Cluster, _stamped, make_client

    config, local = own_generation
    backend = TypesenseBackend(local, config)
    stamps = []
    with Cluster(config) as cluster:
        name = cluster.current()
        for write in (lambda: None, lambda: backend.delete([REAL[1]["id"]])):
            write()
            meta = cluster.read_meta(name)
            stamps.append(meta["stamp"])
            for url in config.urls:
                client = make_client(config, [url], retries=0)
                try:
                    assert _stamped(client, name, meta["stamp"]), url
                finally:
                    client.api_call.close()
        assert len(set(stamps)) == 2 and None not in stamps
        with TypesenseEngine(config) as engine:
            page = engine.search(SearchRequest(per_page=100))
            assert page.total == 21
            assert f'"{STAMP_FIELD}"' not in json.dumps(page.as_dict())
            assert all(STAMP_FIELD not in r for r in engine.iter_releases())


def test_a_reader_loads_the_generation_s_facet_counts_from_its_table(own_generation, monkeypatch):
    """A reader's view holds every facet value's releases over the generation. Asking Typesense for
    every value took 15 s on the full corpus (it reads a stored release for each value it returns);
    the last write of a build, update or delete keeps them as a table with the generation, equal
    to what Typesense counts, and a reader asks for no facet's values to load it."""
    from indexer.backends import typesense as ts

    config, local = own_generation
    asked = []
    search = ts.Cluster.multi_search

    def recorded(self, name, searches, slow=False):
        asked.extend(s.get("max_facet_values", 0) for s in searches)
        return search(self, name, searches, slow)

    def every_value(cluster, name):
        params = {"q": "*", "facet_by": ",".join(ts.TABLE_FACET_FIELDS), "max_facet_values": 1000, "per_page": 0}
        result = search(cluster, name, [params])[0]
        return {
            fc["field_name"]: {ts.facet_value(c["value"]): c["count"] for c in fc["counts"]}
            for fc in result["facet_counts"]
        }

    with ts.Cluster(config) as cluster:
        name = cluster.current()
        for write in (lambda: None, lambda: TypesenseBackend(local, config).delete([REAL[0]["id"]])):
            write()
            table = json.loads(cluster.read_table(cluster.read_meta(name)["tables"]["facets"]))
            assert table == every_value(cluster, name)
            asked.clear()
            monkeypatch.setattr(ts.Cluster, "multi_search", recorded)
            with TypesenseEngine(config) as engine:
                view = engine.view()
            monkeypatch.setattr(ts.Cluster, "multi_search", search)
            assert asked and max(asked) == 1
            officials = zip(view.facets["official"].values, view.totals["official"].tolist(), strict=True)
            assert dict(officials) == table["officials"]


def test_cluster_commands_say_what_is_wrong(invoke, tmp_path):
    result = invoke("cluster", "stop", "--data", tmp_path)
    assert result.exit_code == 1 and f"no cluster was started in {tmp_path.resolve()}/" in result.output
    result = invoke("cluster", "start", "--nodes", "0", "--data", tmp_path)
    assert result.exit_code == 2
    result = invoke("cluster", "env", "--data", tmp_path)
    assert result.exit_code == 1 and "no cluster was started in" in result.output


def test_cluster_env_prints_the_lines_start_printed(invoke, tmp_path):
    from indexer.backends.cluster import _write_state

    _write_state(tmp_path, {"api_key": "k3y", "nodes": [], "urls": ["http://127.0.0.1:1", "http://127.0.0.1:2"]})
    result = invoke("cluster", "env", "--data", tmp_path)
    assert result.exit_code == 0 and result.output.splitlines() == [
        "export PRESSROOM_TYPESENSE_NODES=http://127.0.0.1:1,http://127.0.0.1:2",
        "export PRESSROOM_TYPESENSE_API_KEY=k3y",
    ]


# Stated differences (README, "What Typesense does differently"), each pinned on both backends.


def test_difference_relevance_ranks_words_as_written_first(engines):
    """Typesense ranks the matches that hold every query word as written first, the matches found
    through a stem only after them; Whoosh mixes both by BM25F."""
    from indexer.analysis import fold

    whoosh, typesense = engines
    req = SearchRequest(query="indicted", per_page=100)
    hits = typesense.search(req).hits
    assert {h.id for h in hits} == {h.id for h in whoosh.search(req).hits}
    as_written = ["indicted" in fold(typesense.release(h.id)["body"] + " " + h.title).split() for h in hits]
    assert True in as_written and False in as_written  # both kinds are in the fixture
    assert as_written == sorted(as_written, reverse=True)


def test_difference_a_phrase_under_or_has_a_limit(engines, monkeypatch):
    import indexer.backends.typesense as ts_module
    from indexer.search import QueryTooBroadError

    whoosh, typesense = engines
    req = SearchRequest(query='"Defensa Nacional" OR fraud')
    assert whoosh.search(req).total > 0
    monkeypatch.setattr(ts_module, "MAX_PHRASE_IDS", 0)
    with pytest.raises(QueryTooBroadError, match="on the Typesense backend a phrase under OR or NOT"):
        typesense.search(req)
    assert typesense.search(SearchRequest(query='"Defensa Nacional" fraud')).total >= 0  # top level: no limit


def test_difference_a_search_has_a_filter_size_limit(engines, clients):
    """Typesense 0.24 takes a ``filter_by`` of at most 100 tokens: a search past it is refused with a
    clear message (a 400 on the API, the message on the page), never sent to fail as "not valid"."""
    from indexer.backends.tsquery import MAX_FILTER_TOKENS
    from indexer.search import QueryTooBroadError

    whoosh, typesense = engines
    words = " ".join(f"zq{i}" for i in range(MAX_FILTER_TOKENS // 2 + 10))  # one condition a word
    req = SearchRequest(query=words)
    assert whoosh.search(req).total == 0  # Whoosh answers
    with pytest.raises(QueryTooBroadError, match=r"too much of the Typesense backend at once \(\d+ filter terms"):
        typesense.search(req)
    _, client = clients
    api = client.get("/api/search", query_string={"q": words})
    assert api.status_code == 400 and "Typesense" in api.get_json()["error"]["message"]
    page = client.get("/", query_string={"q": words})
    assert page.status_code == 400 and "at most 100" in page.get_data(as_text=True)


def test_difference_prefixes_expand_over_at_most_max_candidates_words(engines, monkeypatch):
    import indexer.backends.typesense as ts_module
    from indexer.search import QueryTooBroadError

    whoosh, typesense = engines
    monkeypatch.setattr(ts_module, "MAX_CANDIDATES", 3)
    req = SearchRequest(query="s*")
    with pytest.raises(QueryTooBroadError, match="the Typesense backend's limit"):
        typesense.search(req)
    with pytest.raises(QueryTooBroadError, match="more than 200 words"):
        whoosh.search(req)  # Whoosh refuses it too, by its own limit


def test_difference_no_time_budget_on_typesense(engines, monkeypatch):
    import indexer.search.expansion as expansion
    from indexer.search import QueryTimeoutError

    whoosh, typesense = engines
    monkeypatch.setattr(expansion, "QUERY_BUDGET_SECONDS", 0.0)
    req = SearchRequest(query="seguridad OR fraud")
    with pytest.raises(QueryTimeoutError):
        whoosh.search(req)
    assert typesense.search(req).total > 0


# What main keeps with the generation besides releases: tenures (holders, profiles, holder_of,
# Popolo), page chrome (snippets, related words) and query expansions, on a corpus that has them:
# the tenure fixture of test_holders and 60 Orange County releases whose contact block is chrome.


@pytest.fixture(scope="module")
def kept(typesense_cluster, tmp_path_factory):
    """``(whoosh index, typesense config, typesense local folder, sources)`` of that corpus."""
    import gzip

    from tests.test_boilerplate import ORANGE, PROSECUTORS
    from tests.test_holders import RELEASES

    path = tmp_path_factory.mktemp("kept")
    with gzip.open(PROSECUTORS, "rt", encoding="utf-8") as fh:
        orange = [json.loads(line) for line in fh if ORANGE in line][:60]
    sources = [write_jsonl(path / "holders.jsonl", RELEASES), write_jsonl(path / "orange.jsonl", orange)]
    WhooshBackend(path / "whoosh").build(sources, workers=1)
    config = typesense_config(typesense_cluster, "kept")
    TypesenseBackend(path / "ts", config).build(sources, workers=1)
    return path / "whoosh", config, path / "ts", sources


@pytest.fixture(scope="module")
def kept_engines(kept):
    whoosh_dir, config, _local, _sources = kept
    with WhooshEngine(whoosh_dir) as whoosh, TypesenseEngine(config) as typesense:
        yield whoosh, typesense


@pytest.fixture(scope="module")
def kept_clients(kept, make_app):
    whoosh_dir, config, local, _sources = kept
    app = typesense_app(make_app, local, config)
    return make_app(whoosh_dir).test_client(), app.test_client()


KEPT_SEARCHES = [
    {"holder_of": ["Attorney General"]},
    {"holder_of": ["canciller"], "sort": "oldest"},
    {"holder_of": ["Secretary of Foreign Affairs", "Attorney General"], "ui_lang": "es"},
    {"holder_of": ["Assistant U.S. Attorney"], "query": "case"},
    {"holder_of": ["Minister of Magic"]},
    {"query": "holder_of:canciller"},
    {"query": "Secretary of Foreign Affairs"},
    {"query": "Secretary of National Defense seguridad"},
    {"query": "canciller", "ui_lang": "es"},
    {"query": "Attorney General fraud"},
    {"query": "Schroeder"},
    {"query": "Schroeder prosecuted"},
    {"query": "knife"},
    {"publisher": ["Orange County District Attorney's Office (California)"], "sort": "newest"},
    {"sort": "oldest", "facet_size": 50},
]


@pytest.mark.parametrize("params", KEPT_SEARCHES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()))
def test_kept_searches_are_the_same(kept_engines, params):
    """holder_of filters and counts, expansions and chrome-aware snippets: the whole JSON."""
    whoosh, typesense = kept_engines
    req = SearchRequest(**{"per_page": 100, **params})
    assert answer(typesense, req) == answer(whoosh, req)


def test_kept_searches_hold_what_they_test(kept_engines):
    whoosh, _ = kept_engines
    assert whoosh.search(SearchRequest(holder_of=["Attorney General"])).total == 6
    assert whoosh.search(SearchRequest(query="Secretary of Foreign Affairs")).expansions
    assert whoosh.search(SearchRequest(facet_size=50)).facets["holder_of"]
    hits = whoosh.search(SearchRequest(query="knife", per_page=100)).hits
    assert hits and all("714-" not in h.snippet[:80] for h in hits)


@pytest.mark.parametrize("prefix", ["", "att", "secre"])
def test_the_holder_of_facet_values_are_the_same(kept_engines, prefix):
    whoosh, typesense = kept_engines
    req = SearchRequest(query="", sort="oldest")
    assert typesense.facet_values(req, "holder_of", prefix) == whoosh.facet_values(req, "holder_of", prefix)


def test_tenures_are_the_same(kept_engines):
    whoosh, typesense = kept_engines
    a, b = whoosh.tenures().doc, typesense.tenures().doc
    assert {**b, "computed_at": None} == {**a, "computed_at": None}
    assert a["posts"]


KEPT_ROUTES = [
    "/api/officials/Marcelo%20Ebrard%20Casaub%C3%B3n",
    "/api/officials/MARCELO%20EBRARD%20CASAUBON",
    "/api/officials/Thomas%20Perez",
    "/api/officials/Thomas%20E.%20Perez",
    "/officials/Thomas%20E.%20Perez",
    "/api/officials/Susan%20Kang%20Schroeder",
    "/api/officials/Nobody%20Atall",
    "/api/posts/Attorney%20General%20(United%20States)",
    "/api/posts/Secretary%20of%20Foreign%20Affairs",
    "/api/posts/Secretario%20de%20Relaciones%20Exteriores?ui=es",
    "/api/posts/Assistant%20United%20States%20Attorney",
    "/api/posts/Minister%20of%20Magic",
    "/export.popolo.json",
    "/officials/Marcelo%20Ebrard%20Casaub%C3%B3n",
    "/posts/Attorney%20General%20(United%20States)?ui=es",
    "/api/search?holder_of=canciller&sort=oldest",
    "/api/search?q=Secretary+of+Foreign+Affairs&per_page=100",
    "/api/facets/holder_of?prefix=att",
    "/feed.atom?holder_of=Attorney+General",
    "/?q=Secretary+of+Foreign+Affairs&per_page=100",
]


@pytest.mark.parametrize("route", KEPT_ROUTES)
def test_kept_routes_answer_the_same(kept_clients, route):
    whoosh, typesense = kept_clients
    a, b = whoosh.get(route), typesense.get(route)
    assert b.status_code == a.status_code
    if route.startswith("/api/search") and a.status_code == 200:
        assert by_id(b.get_json()) == by_id(a.get_json())
    elif route.startswith("/api/") or route.startswith("/export") or a.status_code != 200:
        nonce = re.compile(rb'nonce="[^"]*"')
        assert nonce.sub(b"", b.get_data()) == nonce.sub(b"", a.get_data())
    else:  # pages: the same names, posts and counts (relevance order may differ)
        text_a, text_b = a.get_data(as_text=True), b.get_data(as_text=True)
        for needle in ("Marcelo Ebrard Casaubón", "Loretta E. Lynch", "Sally Q. Yates", "Secretaría de Relaciones"):
            assert (needle in text_b) == (needle in text_a), needle
        if not route.startswith("/?"):
            nonce = re.compile(r'nonce="[^"]*"')
            assert nonce.sub("", text_b) == nonce.sub("", text_a)


@pytest.mark.parametrize(
    "args",
    [
        ["holders", "Attorney General", "--json"],
        ["holders", "canciller", "--json", "--ui-lang", "es"],
        ["holders", "Attorney General"],
        ["holders", "Minister of Magic"],
        ["official", "marcelo ebrard", "--json"],
        ["official", "Thomas Perez"],
        ["official", "Nobody Atall"],
        ["export", "--popolo"],
        ["search", "--holder-of", "canciller", "--json", "--sort", "oldest"],
        ["search", "Secretary of Foreign Affairs", "--json", "--per-page", "100"],
    ],
)
def test_kept_cli_answers_the_same(invoke, kept, args):
    whoosh_dir, config, local, _sources = kept
    a = invoke(*args, "--index", whoosh_dir)
    b = invoke(*args, "--index", local, env=typesense_env(config))
    assert (b.exit_code, b.output) == (a.exit_code, a.output) or (
        args[0] == "search" and by_id(json.loads(b.output)) == by_id(json.loads(a.output))
    )


def test_kept_tables_live_in_the_cluster_and_switch_with_the_alias(kept):
    """The local folder keeps only the lock and the rejects; tenures, facet counts and chrome are in
    the cluster."""
    from indexer.backends.typesense import Cluster

    _whoosh_dir, config, local, _sources = kept
    files = {p.name for p in local.rglob("*") if p.is_file()}
    assert not files & {"tenures.json", "chrome.npz", "chrome.json"}, files
    with Cluster(config) as cluster:
        meta = cluster.read_meta(cluster.require_current())
        assert set(meta["tables"]) == {"tenures", "facets", "chrome_counts", "chrome_table"}
        table = json.loads(cluster.read_table(meta["tables"]["chrome_table"]))
        assert any(group["lines"] for group in table["groups"].values())


def test_kept_tables_follow_update_and_delete(typesense_cluster, kept, tmp_path):
    """An update that adds a holder's releases and a delete that removes them change the tenures,
    holder_of, profiles and chrome counts alike on both backends (update writes in place)."""
    from tests.test_holders import rel

    whoosh_dir, _config, _local, sources = kept
    shutil.copytree(whoosh_dir, tmp_path / "whoosh", symlinks=True)
    whoosh = WhooshBackend(tmp_path / "whoosh")
    typesense = TypesenseBackend(tmp_path / "ts", typesense_config(typesense_cluster, "kept-update"))
    typesense.build(sources, workers=1)
    more = [
        rel("ag-8", "2018-01-10", "en", "Attorney General Jeff Sessions announced new guidance today."),
        rel("ag-9", "2019-03-01", "en", "Attorney General William P. Barr spoke at the conference on Monday."),
    ]
    source = write_jsonl(tmp_path / "more.jsonl", more)
    a = whoosh.update([*sources, source])
    b = typesense.update([*sources, source])
    assert b.as_dict() | {"seconds": 0} == a.as_dict() | {"seconds": 0}

    def same() -> None:
        with whoosh.engine() as w, typesense.engine() as t:
            assert {**t.tenures().doc, "computed_at": 0} == {**w.tenures().doc, "computed_at": 0}
            for req in (SearchRequest(holder_of=["Attorney General"], sort="oldest"), SearchRequest(facet_size=50)):
                assert answer(t, req) == answer(w, req)
            from indexer.profiles import holders, official

            assert holders(t, "Attorney General") == holders(w, "Attorney General")
            assert official(t, "Jeff Sessions") == official(w, "Jeff Sessions")

    same()
    assert typesense.delete(["ag-8", "ag-9", "ag-3"]) == whoosh.delete(["ag-8", "ag-9", "ag-3"])
    same()


@pytest.mark.parametrize(
    "query", ["SEDENA", "Secretary of National Defense", "Defense Ministry seguridad", "canciller"]
)
def test_matches_as_text_rank_before_matches_through_an_entity(engines, query):
    """As on Whoosh, the releases a query's words find as text come first, then the releases only
    the entity they name found (``aliases``); the pages hold every match here."""
    import numpy as np

    whoosh, typesense = engines
    req = SearchRequest(query=query, per_page=100)
    m = whoosh._match(req)
    ids = whoosh.searchers.get()[1].ids
    as_text = {ids[d] for d in np.flatnonzero(m.text_match & m.base)} if m.text_match is not None else set()
    order = [h.id in as_text for h in typesense.search(req).hits]
    assert order == sorted(order, reverse=True)
    assert {h.id for h in typesense.search(req).hits} == {h.id for h in whoosh.search(req).hits}


#: Publishers Typesense 0.24 takes for one value: its facets and filters see a value's tokens lower-cased,
#: without accents or punctuation (two officials and one role differ only so on the full corpus).
TWIN_PUBLISHERS = [
    "Acme County Sheriff's Office",
    "Acme County Sheriffs Office",
    "acme county sheriff's office",
    "Fiscalía de Ejemplo",
    "Fiscalia de Ejemplo",
]


def test_values_that_differ_only_in_case_accents_or_punctuation_stay_apart(typesense_cluster, tmp_path):
    """Each publisher above is a value of its own, counted and filtered as on Whoosh."""
    records = [{**r, "agency": p} for r, p in zip(REAL, TWIN_PUBLISHERS, strict=False)]
    source = write_jsonl(tmp_path / "twins.jsonl", records)
    whoosh = WhooshBackend(tmp_path / "whoosh")
    whoosh.build([source], workers=1)
    typesense = TypesenseBackend(tmp_path / "ts", typesense_config(typesense_cluster, "twins"))
    typesense.build([source], workers=1)
    requests = [
        SearchRequest(per_page=100),
        *(SearchRequest(publisher=[p], per_page=100) for p in TWIN_PUBLISHERS),
        SearchRequest(publisher=TWIN_PUBLISHERS[:2], per_page=100),
    ]
    with whoosh.engine() as w, typesense.engine() as t:
        assert [v.value for v in w.search(requests[0]).facets["publisher"]] == sorted(TWIN_PUBLISHERS)
        for req in requests:
            assert answer(t, req) == answer(w, req)
        assert t.facet_values(requests[0], "publisher") == w.facet_values(requests[0], "publisher")


CUT_SEARCHES = [
    {},
    {"query": "seguridad OR fraud"},
    {"official": ["Marcelo Ebrard"]},
    {"official": ["Marcelo Ebrard", "Andrés Manuel López Obrador"], "agency": ["SEDENA"]},
    {"role": ["Attorney General"], "lang": ["en"]},
    {"agency": ["Criminal Division"], "year": ["2019", "2020"]},
]


@pytest.mark.parametrize("batch", [2, 40])
@pytest.mark.parametrize("facet_size", [1, 2, 3, 5])
@pytest.mark.parametrize("params", CUT_SEARCHES, ids=lambda p: ",".join(f"{k}={v}" for k, v in p.items()) or "none")
def test_facet_lists_asked_in_part_are_the_same(engines, monkeypatch, params, facet_size, batch):
    """With Typesense asked for as few values as a page lists (``FACET_MARGIN`` 0: ``2 * facet_size``),
    ties at the cut, merged officials and selected values left out still give Whoosh's lists; also
    when the values counted one by one take several multi-searches (``batch`` counts each)."""
    import indexer.backends.typesense as ts

    monkeypatch.setattr(ts, "FACET_MARGIN", 0)
    monkeypatch.setattr(ts, "MAX_BATCHED_COUNTS", batch)
    whoosh, typesense = engines
    req = SearchRequest(**{"per_page": 100, "facet_size": facet_size, **params})
    assert answer(typesense, req) == answer(whoosh, req)


def test_values_that_stay_uncertain_are_counted_not_asked_for_forever(engines, monkeypatch):
    """A node still applying the holder_of values returned as many values as it was asked for, some
    the page did not know, while it lacked values the page expected: the completion asked for more
    values again and again (one search ran past 40 s on the full corpus). Once every value was asked
    it counts those left one by one, and the lists are still Whoosh's."""
    import numpy as np

    import indexer.backends.typesense as ts

    monkeypatch.setattr(ts, "FACET_MARGIN", 0)
    monkeypatch.setattr(ts, "MAX_BATCHED_COUNTS", 3)

    def every_value(self, view, m, name, raw, counts, size):  # as if every value had a variant left out
        n = len(view.facets[name].values)
        reps = view.official_rep if name == "official" and view.official_rep is not None else np.arange(n)
        return sorted({int(r) for r in reps})

    asked = []
    search = ts.Cluster.multi_search

    def counted(self, name, searches, slow=False):
        asked.extend(s["max_facet_values"] for s in searches if "max_facet_values" in s)
        assert len(asked) < 100, "the completion keeps asking for more values"
        return search(self, name, searches, slow)

    facet_counts = ts.TypesenseEngine._facet_counts

    def more_than_asked(self, results):  # values the view does not know: as many as were asked
        padding = {f"not in the view {i}": 1 for i in range(1000)}
        return {f: {**c, **padding} if f in cut else c for f, c in facet_counts(self, results).items()}

    cut = {ts.FACET_FIELDS[name] for name in ("agency", "official", "role", "holder_of")}

    monkeypatch.setattr(ts.TypesenseEngine, "_uncertain", every_value)
    monkeypatch.setattr(ts.TypesenseEngine, "_facet_counts", more_than_asked)
    monkeypatch.setattr(ts.Cluster, "multi_search", counted)
    whoosh, typesense = engines
    req = SearchRequest(per_page=100, facet_size=1, query="seguridad OR fraud")
    assert answer(typesense, req) == answer(whoosh, req)


#: Two real DOJ releases (the start of each) where the crawl glued sentences: "Middle District of
#: Tennessee.Sentencing is scheduled", "combating health care fraud.One of the most powerful".
DOTTED = [json.loads(line) for line in (ROOT / "tests" / "data" / "dotted_releases.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def dotted_engines(typesense_cluster, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dotted")
    source = write_jsonl(folder / "dotted.jsonl", DOTTED)
    whoosh = WhooshBackend(folder / "whoosh")
    whoosh.build([source], workers=1)
    typesense = TypesenseBackend(folder / "ts", typesense_config(typesense_cluster, "dotted"))
    typesense.build([source], workers=1)
    with whoosh.engine() as w, typesense.engine() as t:
        yield w, t


@pytest.mark.parametrize(
    "query",
    ["sentenced", '"sentencing is scheduled"', '"health care fraud"', '"tennessee.sentencing"', "tennessee.sentencing"],
)
def test_words_glued_by_a_dot_are_found_as_on_whoosh(dotted_engines, query):
    """Whoosh indexes a dotted word's parts beside it (``fraud.One`` -> ``fraud``, ``one``); Typesense
    got the whole word only, so on the DOJ file ``sentenced`` found 13 releases fewer and "health
    care fraud" 5 fewer than on Whoosh."""
    whoosh, typesense = dotted_engines
    req = SearchRequest(query=query, per_page=100)
    expected = answer(whoosh, req)
    assert not isinstance(expected, str) and expected["total"] == 1, expected
    assert answer(typesense, req) == expected
