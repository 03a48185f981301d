"""Officials, posts and agencies: the seed exactly, each pattern on real excerpts, the tables' consistency."""

from __future__ import annotations

import json

import pytest

from indexer.build import prepare
from indexer.entities import Gazetteer, TableError, check_tables, extract_entities, restore_case, same_person
from indexer.sources import read_releases

from .conftest import DATA


def officials(text: str, lang: str = "en", publisher: str | None = None) -> list[dict]:
    return [o.as_dict() for o in extract_entities("", text, lang, publisher).officials]


def test_seed_against_seed_expected_json_whole():
    expected = json.loads((DATA / "seed_expected.json").read_text(encoding="utf-8"))
    (release,) = list(read_releases([DATA / "seed"]))
    record = prepare(release)["record"]
    got = {k: record[k] for k in ("id", "title", "date", "date_inferred", "lang", "images")}
    got["agencies"] = sorted(record["agencies"])
    got["officials"] = record["officials"]
    expected.pop("_comment")
    assert got == expected
    assert len(record["officials"]) == 18


# Each pattern on a short excerpt of a real release (source named beside it).


def test_title_name_doj_style_with_division():
    # doj-opa-03264 (2016-01-04)
    text = "said Assistant Attorney General Leslie R. Caldwell of the Criminal Division and U.S. Attorney Eileen M. Decker of the Central District of California."
    assert officials(text, publisher="U.S. Department of Justice") == [
        {"name": "Leslie R. Caldwell", "rank": None, "role": "Assistant Attorney General (United States)", "agency": "Criminal Division"},
        {"name": "Eileen M. Decker", "rank": None, "role": "United States Attorney", "agency": "USAO - California, Central"},
    ]


def test_name_comma_title_in_spanish_with_rank():
    # mx-presidencia-ve-2019-04-26
    text = "Agradecemos la presencia del general Luis Cresencio Sandoval González, secretario de la Defensa Nacional. El almirante José Rafael Ojeda Durán, secretario de Marina."
    assert officials(text, "es") == [
        {"name": "Luis Cresencio Sandoval González", "rank": "General", "role": "Secretario de la Defensa Nacional", "agency": "Secretaría de la Defensa Nacional"},
        {"name": "José Rafael Ojeda Durán", "rank": "Admiral", "role": "Secretario de Marina", "agency": "Secretaría de Marina"},
    ]


def test_speaker_labels_restore_case_and_keep_accents():
    # mx-presidencia-ve-2019-05-26
    text = "MODERADOR: Muy buenas tardes.\n\nROCÍO NAHLE GARCÍA, SECRETARIA DE ENERGÍA: Muchas gracias.\n\nPREGUNTA: ¿Cuándo?\n\nINTERLOCUTOR: Sí.\n\nVOCES A CORO: ¡Sí!"
    assert officials(text, "es") == [
        {"name": "Rocío Nahle García", "rank": None, "role": "Secretario de Energía", "agency": "Secretaría de Energía"},
    ]


def test_speaker_label_with_a_post_outside_the_table():
    # mx-presidencia-ve-2019-07-26: kept as written, in sentence case
    text = "GUADALUPE HERNÁNDEZ VAQUERIZO, DIRECTOR DEL HOSPITAL RURAL DE BOCHIL: Buenas tardes, estimado señor presidente."
    assert officials(text, "es") == [
        {"name": "Guadalupe Hernández Vaquerizo", "rank": None, "role": "Director del Hospital Rural de Bochil", "agency": None}
    ]


def test_speaker_label_variants_map_to_one_post_with_its_agency():
    # mx-presidencia-ve-2019-04-26, mx-presidencia-ve-2019-06-20, mx-presidencia-ve-2019-10-14
    assert officials("CUITLÁHUAC GARCÍA JIMÉNEZ, GOBERNADOR DE VERACRUZ: Buenas tardes.", "es") == [
        {"name": "Cuitláhuac García Jiménez", "rank": None, "role": "Gobernador de Veracruz", "agency": "Gobierno del Estado de Veracruz"}
    ]
    chiapas = officials("RUTILIO ESCANDÓN CADENAS, GOBERNADOR CONSTITUCIONAL DEL ESTADO DE CHIAPAS: Muy buenas tardes.", "es")
    assert [o["role"] for o in chiapas] == ["Gobernador de Chiapas"]
    profeco = officials(
        "RICARDO SHEFFIELD PADILLA, TITULAR DE LA PROCURADURÍA FEDERAL DEL CONSUMIDOR (PROFECO): Buenos días, señor presidente.", "es"
    )
    assert profeco == [
        {"name": "Ricardo Sheffield Padilla", "rank": None, "role": "Procurador Federal del Consumidor", "agency": "Procuraduría Federal del Consumidor"}
    ]


def test_distributive_list_and_jurisdiction_cue():
    (release,) = list(read_releases([DATA / "seed"]))
    found = {o.name: o.role for o in extract_entities(release.title, release.body, "en").officials}
    assert found["Alfonso Durazo Montaño"] == "Secretario de Seguridad y Protección Ciudadana"
    assert found["Marcelo Ebrard Casaubón"] == "Secretario de Relaciones Exteriores"
    assert found["Carlos Romero Aranda"] == "Fiscal General de la República"  # "for Mexico"
    assert found["William Barr"] == "Attorney General (United States)"  # "US Attorney General"


def test_attorney_general_resolves_by_publisher_jurisdiction():
    # doj-opa-12595: a DOJ release's bare "Attorney General" is the U.S. one
    text = "Acting Attorney General John A. DiCicco commended the IRS special agents."
    assert officials(text, publisher="U.S. Department of Justice")[0]["role"] == "Acting Attorney General (United States)"
    text = "Attorney General Eric Holder said."
    assert officials(text, publisher="U.S. Department of Justice")[0]["role"] == "Attorney General (United States)"


def test_non_persons_are_never_officials():
    text = "PREGUNTA: ¿Y la Guardia Nacional?\nINTERLOCUTORA: Sí.\nVOCES A CORO: ¡Sí!\nMODERADOR: Gracias."
    assert officials(text, "es") == []


def test_same_person_merges_variants_and_surnames():
    assert same_person("Luis Crescencio Sandoval", "LUIS CRESENCIO SANDOVAL GONZÁLEZ")
    assert same_person("Barr", "William Barr")
    assert not same_person("Luis Sandoval", "Irma Eréndira Sandoval Ballesteros")
    text = "US Attorney General Barr arrived. Later, US Attorney General William Barr spoke."
    assert [o["name"] for o in officials(text)] == ["William Barr"]


def test_restore_case():
    assert restore_case("OLGA SÁNCHEZ CORDERO") == "Olga Sánchez Cordero"


def test_shipped_tables_have_no_conflicts():
    Gazetteer()  # raises TableError on a conflict
    raw = {n: json.loads((DATA.parent.parent / "indexer" / "data" / n).read_text(encoding="utf-8")) for n in ("agencies.json", "posts.json")}
    assert check_tables(raw["agencies.json"], raw["posts.json"]) == []


def test_a_known_bad_table_is_caught(tmp_path):
    agencies = json.loads((DATA.parent.parent / "indexer" / "data" / "agencies.json").read_text(encoding="utf-8"))
    posts = json.loads((DATA.parent.parent / "indexer" / "data" / "posts.json").read_text(encoding="utf-8"))
    # one alias, two canonical entries: "SEDENA" for the Navy too
    bad = [dict(a, acronyms=a.get("acronyms", []) + ["SEDENA"]) if a["name"] == "Secretaría de Marina" else a for a in agencies]
    problems = check_tables(bad, posts)
    assert problems == ["agency alias 'SEDENA' names both 'Secretaría de la Defensa Nacional' and 'Secretaría de Marina'"]
    for name in ("ranks.json", "people.json"):
        (tmp_path / name).write_text((DATA.parent.parent / "indexer" / "data" / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "agencies.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "posts.json").write_text(json.dumps(posts), encoding="utf-8")
    with pytest.raises(TableError, match="SEDENA"):
        Gazetteer(tmp_path)


def test_agencies_from_publisher_components_and_text():
    e = extract_entities(
        "", "The Oklahoma City Division of the FBI investigated.", "en",
        publisher="Presidencia de la República / Secretaría de Salud", components=["Civil Rights Division"],
    )
    assert e.agencies == ["Presidencia de la República", "Secretaría de Salud", "Civil Rights Division", "Federal Bureau of Investigation (FBI)"]


def test_doj_units_named_with_a_lost_apostrophe_or_after_a_title():
    # doj-opa-03539: the crawl dropped apostrophes ("Criminal Divisions Fraud Section")
    e = extract_entities("", "The case is being prosecuted by Trial Attorneys Bryan D. Fields of the Criminal Divisions Fraud Section.", "en", None)
    assert "Criminal - Criminal Fraud Section" in e.agencies
    # doj-opa-12323: "for National Security" after the title names the division, not the phrase alone
    text = "said David Kris, Assistant Attorney General for National Security. \"While these defendants were not members\""
    e = extract_entities("", text, "en", "U.S. Department of Justice")
    assert e.officials[0].as_dict() == {
        "name": "David Kris", "rank": None, "role": "Assistant Attorney General (United States)", "agency": "National Security Division (NSD)",
    }
    assert "National Security Division (NSD)" not in extract_entities("", "a threat to national security", "en").agencies


def test_a_section_implied_by_the_law_it_enforces_within_its_division():
    # doj-opa-12613: an excessive force case of the Civil Rights Division is its Criminal Section's
    text = "The Civil Rights Division announced that corrections officers used excessive force amounting to punishment."
    assert "Civil Rights - Criminal Section" in extract_entities("", text, "en", "U.S. Department of Justice").agencies
    # the same words without the division imply nothing
    alone = extract_entities("", "Officers used excessive force, the sheriff said.", "en", "U.S. Department of Justice").agencies
    assert "Civil Rights - Criminal Section" not in alone


def test_the_attorney_generals_office_only_in_the_departments_own_releases():
    text = "Attorney General Eric Holder announced the charges today."
    doj = extract_entities("", text, "en", "U.S. Department of Justice")
    assert doj.officials[0].agency == "U.S. Department of Justice"
    assert "Office of the Attorney General" in doj.agencies
    # the seed (a Mexican release) names Barr as Attorney General: his department, not DOJ's internal office
    assert "Office of the Attorney General" not in extract_entities("", text, "en", "Presidencia de la República").agencies


def test_tables_reject_an_unknown_office_or_implying_agency():
    agencies = json.loads((DATA.parent.parent / "indexer" / "data" / "agencies.json").read_text(encoding="utf-8"))
    posts = json.loads((DATA.parent.parent / "indexer" / "data" / "posts.json").read_text(encoding="utf-8"))
    bad_posts = [dict(p, office="Office of Nowhere") if p["name"] == "Attorney General (United States)" else p for p in posts]
    assert check_tables(agencies, bad_posts) == ["post 'Attorney General (United States)' names an unknown office 'Office of Nowhere'"]
    bad_agencies = [
        dict(a, implied_by={"agency": "Nowhere Division", "terms": ["x"]}) if a["name"] == "Civil Rights - Voting Section" else a
        for a in agencies
    ]
    assert check_tables(bad_agencies, posts) == ["agency 'Civil Rights - Voting Section' is implied by an unknown agency 'Nowhere Division'"]
