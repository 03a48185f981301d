"""Spanish posts agree with the holder: the gender the text shows, and the feminine label of a
canonical post (the canonical post and the filter stay one per office)."""

from __future__ import annotations

import pytest

from indexer.entities import extract_entities
from indexer.entities.gazetteer import gazetteer
from indexer.entities.gender import FEMININE, feminine_label, holder_feminine


def found(text: str, lang: str = "es") -> list[tuple[str, str | None, bool | None, str | None]]:
    return [
        (o.name, o.role, o.feminine, (o.role_label() or {}).get("es"))
        for o in extract_entities("", text, lang).officials
    ]


def test_la_secretaria_gives_a_feminine_label_of_the_one_canonical_post():
    # mx-presidencia-ve-2019-09-24
    text = "Quiero hacer un reconocimiento, tanto a la secretaria de Energía, Rocío Nahle; como al director de Pemex, Octavio Romero Oropeza."
    assert found(text)[0] == ("Rocío Nahle", "Secretario de Energía", True, "Secretaria de Energía")
    # mx-presidencia-ve-2019-08-06: the post before the name, no comma between
    text = "MODERADOR: Escuchemos ahora el mensaje inaugural de la secretaria de Gobernación Olga Sánchez Cordero."
    assert found(text) == [
        ("Olga Sánchez Cordero Dávila", "Secretario de Gobernación", True, "Secretaria de Gobernación")
    ]


def test_a_masculine_post_beside_a_feminine_one_keeps_its_label():
    # mx-presidencia-ve-2019-09-09
    text = "Me acompañan Victoria Rodríguez, la subsecretaria de Egresos; Carlos Romero, el procurador fiscal de la Federación; y Gabriel Yorio, el subsecretario del ramo."
    got = {name: (feminine, label) for name, _role, feminine, label in found(text)}
    assert got["Victoria Rodríguez"][0] is True
    assert got["Carlos Romero"] == (False, "Procurador Fiscal de la Federación")


def test_speaker_label_in_capitals_shows_the_holder():
    # mx-presidencia-ve-2019-05-26
    text = "MODERADOR: Muy buenas tardes.\n\nROCÍO NAHLE GARCÍA, SECRETARIA DE ENERGÍA: Muchas gracias."
    assert found(text) == [("Rocío Nahle García", "Secretario de Energía", True, "Secretaria de Energía")]


def test_jefa_de_gobierno_and_the_json_record_keeps_its_four_keys():
    # mx-presidencia-ve-2020-09-13
    text = "Lo acompaña la jefa de Gobierno de la Ciudad de México, Claudia Sheinbaum Pardo."
    (official,) = extract_entities("", text, "es").officials
    assert official.role_label() == {
        "en": "Head of Government of Mexico City",
        "es": "Jefa de Gobierno de la Ciudad de México",
    }
    assert list(official.as_dict()) == ["name", "rank", "role", "agency"]


def test_english_text_shows_no_gender():
    # doj-opa-03264
    text = "said Assistant Attorney General Leslie R. Caldwell of the Criminal Division."
    assert [o.feminine for o in extract_entities("", text, "en", "U.S. Department of Justice").officials] == [None]


@pytest.mark.parametrize(
    ("words", "before", "expected"),
    [
        ("secretaria de Energía", "", True),
        ("SECRETARIA DE ENERGÍA", "", True),
        ("directora general de Conagua", "", True),
        ("secretario de Marina", "", False),
        ("fiscal general", "saludamos a la ", True),
        ("fiscal general", "saludamos al ", False),
        ("titular de la Unidad", "", None),
    ],
)
def test_holder_feminine(words, before, expected):
    assert holder_feminine(words, before) is expected


@pytest.mark.parametrize(
    ("label", "feminine"),
    [
        ("Secretario de Energía", "Secretaria de Energía"),
        ("Presidente de la República", "Presidenta de la República"),
        ("Fiscal General de la República", "Fiscal General de la República"),
        ("Fiscal de Distrito Adjunto", "Fiscal de Distrito Adjunta"),
        ("Director Adjunto a Cargo del FBI", "Directora Adjunta a Cargo del FBI"),
        ("Gobernador del Estado de México", "Gobernadora del Estado de México"),
    ],
)
def test_feminine_label(label, feminine):
    assert feminine_label(label) == feminine


def test_every_table_post_changes_only_words_that_agree_with_the_holder():
    for post in gazetteer().posts.values():
        fem = feminine_label(post.es)
        changed = [(a, b) for a, b in zip(post.es.split(), fem.split(), strict=True) if a != b]
        for masculine, feminine in changed:
            assert FEMININE.get(masculine.lower()) == feminine.lower() or (
                masculine.endswith("o") and feminine == masculine[:-1] + "a"
            ), post.name
        # the unit after the post stays as it is ("de la Defensa Nacional", "del Trabajo")
        assert all(w not in {m for m, _f in changed} for w in ("Nacional", "Trabajo", "Defensa", "Estado"))


# In the index: the hit's officials, the release JSON and the facet detail


def test_role_label_agrees_with_the_holder_in_hits_releases_and_the_facet(sample_index, make_app):
    from indexer.search import Engine, SearchRequest

    # mx-presidencia-ve-2020-02-09: "la jefa de Gobierno, Claudia Sheinbaum"
    release = "mx-presidencia-ve-2020-02-09"
    with Engine(sample_index) as engine:
        page = engine.search(SearchRequest(query="Sheinbaum", ui_lang="es", per_page=100))
        hit = next(h for h in page.hits if h.id == release)
        (sheinbaum,) = [o for o in hit.officials if o["name"] == "Claudia Sheinbaum Pardo"]
        assert sheinbaum["role"] == "Jefe de Gobierno de la Ciudad de México"  # one canonical post
        assert sheinbaum["role_label"] == "Jefa de Gobierno de la Ciudad de México"
        (value,) = [v for v in page.facets["official"] if v.value == "Claudia Sheinbaum Pardo"]
        assert value.detail["role_label"] == "Jefa de Gobierno de la Ciudad de México"
        # English labels have no gender; a man's post stays masculine
        english = engine.search(SearchRequest(query="Sheinbaum", ui_lang="en", per_page=100))
        hit = next(h for h in english.hits if h.id == release)
        assert {o["role_label"] for o in hit.officials if o["name"] == "Claudia Sheinbaum Pardo"} == {
            "Head of Government of Mexico City"
        }
        amlo = [o for o in page.hits[0].officials if o["name"] == "Andrés Manuel López Obrador"]
        assert all(o["role_label"] == "Presidente de la República" for o in amlo)
        # the filter stays one per post: the feminine label finds the same releases
        by_post = engine.search(SearchRequest(role=["Jefe de Gobierno de la Ciudad de México"])).total
        assert engine.search(SearchRequest(role=["Jefa de Gobierno de la Ciudad de México"])).total == by_post
    client = make_app(sample_index).test_client()
    officials = client.get(f"/api/releases/{release}?ui=es").get_json()["officials"]
    assert {o["role_label"] for o in officials if o["name"] == "Claudia Sheinbaum Pardo"} == {
        "Jefa de Gobierno de la Ciudad de México"
    }
    assert all(set(o) == {"name", "rank", "role", "agency", "role_label"} for o in officials)
    assert "Jefa de Gobierno de la Ciudad de México" in client.get(f"/release/{release}?ui=es").get_data(as_text=True)
    # her profile's posts agree with her too; a man's stay masculine
    profile = client.get("/officials/Claudia%20Sheinbaum%20Pardo?ui=es").get_data(as_text=True)
    assert "Jefa de Gobierno de la Ciudad de México" in profile and "Jefe de Gobierno" not in profile
    ebrard = client.get("/officials/Marcelo%20Ebrard%20Casaub%C3%B3n?ui=es").get_data(as_text=True)
    assert "Secretario de Relaciones Exteriores" in ebrard and "Secretaria de Relaciones" not in ebrard
