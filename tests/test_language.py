"""Language detection: seeded, with a minimum length and a fallback; a valid input lang wins."""

import subprocess
import sys

from indexer.documents import prepare
from indexer.language import detect_language, normalize_lang
from indexer.sources import read_releases

from .conftest import DATA

SPANISH_UPPER = "EZ LUBE PAGARA $5 MILLIONES COMO PENALIZACION POR ESTAFAR A CLIENTES EN COBRAR POR SERVICIOS NO HECHOS Y PARTES INNECESARIAS"


def test_detects_spanish_english_and_und():
    releases = {r.id: r for r in read_releases([DATA / "releases.jsonl"])}
    assert detect_language(releases["mx-presidencia-ve-2019-04-26"].body) == "es"
    assert detect_language(releases["doj-opa-12613"].body) == "en"
    assert detect_language(SPANISH_UPPER) == "es"  # shouted, unaccented Spanish
    assert detect_language("OK 12") == "und"
    assert detect_language("") == "und"


def test_same_answer_in_another_process():
    text = "Nos acompaña el secretario. Thank you very much, gracias a todos."
    here = detect_language(text)
    code = f"from indexer.language import detect_language; print(detect_language({text!r}))"
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert here == there


def test_valid_input_lang_wins_and_invalid_is_detected():
    (release,) = list(read_releases([DATA / "seed"]))
    release.lang = "es-MX"
    assert prepare(release)["lang"] == "es"
    release.lang = "klingon"
    assert prepare(release)["lang"] == "en"
    assert normalize_lang("EN") == "en" and normalize_lang(7) is None
