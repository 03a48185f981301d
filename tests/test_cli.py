"""The ``pressroom`` command's contracts: JSON output, text output, exit codes, help, stats, export."""

from __future__ import annotations

import json

import pytest

from indexer.search import SearchRequest


def test_search_json_is_the_engine_contract(invoke, built_index, engine):
    result = invoke("search", "Sanchez Cordero", "--index", built_index, "--json", "--agency", "SEDENA")
    assert result.exit_code == 0
    assert (
        json.loads(result.stdout) == engine.search(SearchRequest(query="Sanchez Cordero", agency=["SEDENA"])).as_dict()
    )


def test_search_text_output_and_did_you_mean(invoke, built_index):
    result = invoke("search", "goverment", "--index", built_index)
    assert "0 release(s)" in result.stdout and "Did you mean: government" in result.stdout
    result = invoke("search", "Durán", "--index", built_index, "--per-page", "1")
    assert "[Durán]" in result.stdout and "agency:" in result.stdout


def test_search_speaks_spanish_with_ui_lang_es(invoke, built_index):
    result = invoke("search", "goverment", "--index", built_index, "--ui-lang", "es", "--agency", "Nadie")
    assert "0 comunicado(s), ordenados por relevancia" in result.stdout
    assert "aviso: ningún comunicado tiene dependencia 'Nadie'" in result.stderr
    result = invoke("search", "Durán", "--index", built_index, "--ui-lang", "es", "--per-page", "1")
    assert "funcionarios:" in result.stdout and "dependencia:" in result.stdout and "idioma: inglés" in result.stdout
    result = invoke("search", "x", "--index", built_index, "--ui-lang", "es", "--from", "2019-13")
    assert result.exit_code == 2
    assert "Valor no válido para '--from': 'from' no es una fecha real: '2019-13'" in result.stderr
    # the same in English
    result = invoke("search", "x", "--index", built_index, "--from", "2019-13")
    assert "'from' is not a real date: '2019-13'" in result.stderr


def test_publisher_filter_on_the_command_line(invoke, built_index):
    result = invoke("search", "", "--index", built_index, "--publisher", "DOJ", "--json", "--per-page", "100")
    data = json.loads(result.stdout)
    # the publisher as each release gave it, all one agency (the saved page's site name is its alias)
    assert data["total"] > 0 and {h["publisher"] for h in data["hits"]} == {"U.S. Department of Justice", "justice.gov"}
    assert data["filters"]["publisher"] == ["U.S. Department of Justice"]


@pytest.mark.parametrize("args", [["--per-page", "0"], ["--page", "0"], ["--from", "2019-13"], ["--sort", "random"]])
def test_usage_errors_exit_2_without_traceback(invoke, built_index, args):
    result = invoke("search", "x", "--index", built_index, *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr


def test_missing_index_is_one_clear_line(invoke, tmp_path):
    result = invoke("search", "x", "--index", tmp_path / "none")
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(f"build one with 'pressroom build SOURCE... --index {tmp_path / 'none'}'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_index_location_env_and_default(invoke, built_index, tmp_path, monkeypatch):
    env_result = invoke("stats", "--json", env={"PRESSROOM_INDEX_DIR": str(built_index)})
    assert json.loads(env_result.stdout)["releases"] == 22
    monkeypatch.chdir(tmp_path)
    assert invoke("stats").exit_code == 1  # ./index does not exist here


def test_stats_json_contract(invoke, built_index):
    stats = json.loads(invoke("stats", "--index", built_index, "--json").stdout)
    assert list(stats) == ["releases", "by_lang", "top", "index_bytes", "built_at", "generation", "rejected"]
    assert stats["releases"] == 22 and stats["by_lang"] == {"en": 17, "es": 5}
    assert list(stats["top"]) == ["agency", "publisher", "official", "role"]
    assert stats["top"]["agency"][0] == {"value": "U.S. Department of Justice", "count": 16}
    assert all(len(v) <= 20 for v in stats["top"].values())
    assert stats["built_at"].endswith("Z") and stats["generation"].startswith("gen-") and stats["rejected"] == 0
    assert stats["index_bytes"] > 0


def test_export_every_release_with_its_fields(invoke, built_index):
    lines = invoke("export", "--index", built_index).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 22
    seed = next(r for r in records if r["id"] == "000_5da1fa392d2f8c78")
    assert len(seed["officials"]) == 18 and seed["images"] and seed["body"].startswith("US Attorney General Barr")
    doj = next(r for r in records if r["id"] == "doj-opa-12613")
    assert doj["extra"] == {"issuing_office": "Office of Public Affairs", "subtitle": None, "pr_number": "09-083"}


def test_every_command_has_help_with_an_example(invoke):
    for command in ("build", "update", "delete", "search", "stats", "export"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout and "pressroom " + command in result.stdout
