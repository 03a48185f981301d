"""Officials, posts and agencies: the seed exactly, each pattern on real excerpts, the tables' consistency."""

from __future__ import annotations

import json

import pytest

from indexer.documents import prepare
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
        {
            "name": "Leslie R. Caldwell",
            "rank": None,
            "role": "Assistant Attorney General (United States)",
            "agency": "Criminal Division",
        },
        {
            "name": "Eileen M. Decker",
            "rank": None,
            "role": "United States Attorney",
            "agency": "USAO - California, Central",
        },
    ]


def test_name_comma_title_in_spanish_with_rank():
    # mx-presidencia-ve-2019-04-26
    text = "Agradecemos la presencia del general Luis Cresencio Sandoval González, secretario de la Defensa Nacional. El almirante José Rafael Ojeda Durán, secretario de Marina."
    assert officials(text, "es") == [
        {
            "name": "Luis Cresencio Sandoval González",
            "rank": "General",
            "role": "Secretario de la Defensa Nacional",
            "agency": "Secretaría de la Defensa Nacional",
        },
        {
            "name": "José Rafael Ojeda Durán",
            "rank": "Admiral",
            "role": "Secretario de Marina",
            "agency": "Secretaría de Marina",
        },
    ]


def test_speaker_labels_restore_case_and_keep_accents():
    # mx-presidencia-ve-2019-05-26
    text = "MODERADOR: Muy buenas tardes.\n\nROCÍO NAHLE GARCÍA, SECRETARIA DE ENERGÍA: Muchas gracias.\n\nPREGUNTA: ¿Cuándo?\n\nINTERLOCUTOR: Sí.\n\nVOCES A CORO: ¡Sí!"
    assert officials(text, "es") == [
        {
            "name": "Rocío Nahle García",
            "rank": None,
            "role": "Secretario de Energía",
            "agency": "Secretaría de Energía",
        },
    ]


def test_speaker_label_with_a_post_outside_the_table():
    # mx-presidencia-ve-2019-07-26: kept as written, in sentence case
    text = "GUADALUPE HERNÁNDEZ VAQUERIZO, DIRECTOR DEL HOSPITAL RURAL DE BOCHIL: Buenas tardes, estimado señor presidente."
    assert officials(text, "es") == [
        {
            "name": "Guadalupe Hernández Vaquerizo",
            "rank": None,
            "role": "Director del Hospital Rural de Bochil",
            "agency": None,
        }
    ]


def test_speaker_label_variants_map_to_one_post_with_its_agency():
    # mx-presidencia-ve-2019-04-26, mx-presidencia-ve-2019-06-20, mx-presidencia-ve-2019-10-14
    assert officials("CUITLÁHUAC GARCÍA JIMÉNEZ, GOBERNADOR DE VERACRUZ: Buenas tardes.", "es") == [
        {
            "name": "Cuitláhuac García Jiménez",
            "rank": None,
            "role": "Gobernador de Veracruz",
            "agency": "Gobierno del Estado de Veracruz",
        }
    ]
    chiapas = officials(
        "RUTILIO ESCANDÓN CADENAS, GOBERNADOR CONSTITUCIONAL DEL ESTADO DE CHIAPAS: Muy buenas tardes.", "es"
    )
    assert [o["role"] for o in chiapas] == ["Gobernador de Chiapas"]
    profeco = officials(
        "RICARDO SHEFFIELD PADILLA, TITULAR DE LA PROCURADURÍA FEDERAL DEL CONSUMIDOR (PROFECO): Buenos días, señor presidente.",
        "es",
    )
    assert profeco == [
        {
            "name": "Ricardo Sheffield Padilla",
            "rank": None,
            "role": "Procurador Federal del Consumidor",
            "agency": "Procuraduría Federal del Consumidor",
        }
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
    assert (
        officials(text, publisher="U.S. Department of Justice")[0]["role"] == "Acting Attorney General (United States)"
    )
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
    raw = {
        n: json.loads((DATA.parent.parent / "indexer" / "data" / n).read_text(encoding="utf-8"))
        for n in ("agencies.json", "posts.json")
    }
    assert check_tables(raw["agencies.json"], raw["posts.json"]) == []


def test_a_known_bad_table_is_caught(tmp_path):
    agencies = json.loads((DATA.parent.parent / "indexer" / "data" / "agencies.json").read_text(encoding="utf-8"))
    posts = json.loads((DATA.parent.parent / "indexer" / "data" / "posts.json").read_text(encoding="utf-8"))
    # one alias, two canonical entries: "SEDENA" for the Navy too
    bad = [
        dict(a, acronyms=a.get("acronyms", []) + ["SEDENA"]) if a["name"] == "Secretaría de Marina" else a
        for a in agencies
    ]
    problems = check_tables(bad, posts)
    assert problems == [
        "agency alias 'SEDENA' names both 'Secretaría de la Defensa Nacional' and 'Secretaría de Marina'"
    ]
    for name in ("ranks.json", "people.json"):
        (tmp_path / name).write_text(
            (DATA.parent.parent / "indexer" / "data" / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "agencies.json").write_text(json.dumps(bad), encoding="utf-8")
    (tmp_path / "posts.json").write_text(json.dumps(posts), encoding="utf-8")
    with pytest.raises(TableError, match="SEDENA"):
        Gazetteer(tmp_path)


def test_agencies_from_publisher_components_and_text():
    e = extract_entities(
        "",
        "The Oklahoma City Division of the FBI investigated.",
        "en",
        publisher="Presidencia de la República / Secretaría de Salud",
        components=["Civil Rights Division"],
    )
    assert e.agencies == [
        "Presidencia de la República",
        "Secretaría de Salud",
        "Civil Rights Division",
        "Federal Bureau of Investigation (FBI)",
    ]


def test_doj_units_named_with_a_lost_apostrophe_or_after_a_title():
    # doj-opa-03539: the crawl dropped apostrophes ("Criminal Divisions Fraud Section")
    e = extract_entities(
        "",
        "The case is being prosecuted by Trial Attorneys Bryan D. Fields of the Criminal Divisions Fraud Section.",
        "en",
        None,
    )
    assert "Criminal - Criminal Fraud Section" in e.agencies
    # doj-opa-12323: "for National Security" after the title names the division, not the phrase alone
    text = (
        'said David Kris, Assistant Attorney General for National Security. "While these defendants were not members"'
    )
    e = extract_entities("", text, "en", "U.S. Department of Justice")
    assert e.officials[0].as_dict() == {
        "name": "David Kris",
        "rank": None,
        "role": "Assistant Attorney General (United States)",
        "agency": "National Security Division (NSD)",
    }
    assert (
        "National Security Division (NSD)" not in extract_entities("", "a threat to national security", "en").agencies
    )


def test_a_section_implied_by_the_law_it_enforces_within_its_division():
    # doj-opa-12613: an excessive force case of the Civil Rights Division is its Criminal Section's
    text = "The Civil Rights Division announced that corrections officers used excessive force amounting to punishment."
    assert "Civil Rights - Criminal Section" in extract_entities("", text, "en", "U.S. Department of Justice").agencies
    # the same words without the division imply nothing
    alone = extract_entities(
        "", "Officers used excessive force, the sheriff said.", "en", "U.S. Department of Justice"
    ).agencies
    assert "Civil Rights - Criminal Section" not in alone


def test_the_attorney_generals_office_only_in_the_departments_own_releases():
    text = "Attorney General Eric Holder announced the charges today."
    doj = extract_entities("", text, "en", "U.S. Department of Justice")
    assert doj.officials[0].agency == "U.S. Department of Justice"
    assert "Office of the Attorney General" in doj.agencies
    # the seed (a Mexican release) names Barr as Attorney General: his department, not DOJ's internal office
    assert (
        "Office of the Attorney General" not in extract_entities("", text, "en", "Presidencia de la República").agencies
    )


def test_tables_reject_an_unknown_office_or_implying_agency():
    agencies = json.loads((DATA.parent.parent / "indexer" / "data" / "agencies.json").read_text(encoding="utf-8"))
    posts = json.loads((DATA.parent.parent / "indexer" / "data" / "posts.json").read_text(encoding="utf-8"))
    bad_posts = [
        dict(p, office="Office of Nowhere") if p["name"] == "Attorney General (United States)" else p for p in posts
    ]
    assert check_tables(agencies, bad_posts) == [
        "post 'Attorney General (United States)' names an unknown office 'Office of Nowhere'"
    ]
    bad_agencies = [
        dict(a, implied_by={"agency": "Nowhere Division", "terms": ["x"]})
        if a["name"] == "Civil Rights - Voting Section"
        else a
        for a in agencies
    ]
    assert check_tables(bad_agencies, posts) == [
        "agency 'Civil Rights - Voting Section' is implied by an unknown agency 'Nowhere Division'"
    ]


DOJ = "U.S. Department of Justice"


def test_plural_titles_name_each_person_with_the_unit_after_the_list():
    # doj-opa-00323
    text = "Trial Attorneys Robert J. Heberle and James I. Pearce of the Criminal Divisions Public Integrity Section are prosecuting the case."
    assert officials(text, "en", DOJ) == [
        {
            "name": "Robert J. Heberle",
            "rank": None,
            "role": "Trial Attorney (U.S. Department of Justice)",
            "agency": "Criminal Division",
        },
        {
            "name": "James I. Pearce",
            "rank": None,
            "role": "Trial Attorney (U.S. Department of Justice)",
            "agency": "Criminal Division",
        },
    ]


def test_title_unit_name_order_and_the_most_specific_unit():
    # doj-opa-11332: the unit between the title and the name
    text = "announced Assistant Attorney General of the Criminal Division Lanny A. Breuer and U.S. Attorney for the Eastern District of Virginia Neil H. MacBride."
    assert [(o["name"], o["agency"]) for o in officials(text, "en", DOJ)] == [
        ("Lanny A. Breuer", "Criminal Division"),
        ("Neil H. MacBride", "USAO - Virginia, Eastern"),
    ]
    # doj-opa-03708: "of the Justice Department's Criminal Division" is the division, not the department
    text = "Assistant Attorney General Leslie R. Caldwell of the Justice Departments Criminal Division made the announcement."
    assert officials(text, "en", DOJ)[0]["agency"] == "Criminal Division"


def test_judges_and_agents_by_their_agency():
    # doj-opa-03708
    text = (
        "Special Agent in Charge Lamont Pugh III of the U.S. Department of Health and Human Services-Office of Inspector General "
        "(HHS-OIG) in Chicago and Acting Special Agent in Charge John A. Brown of the FBIs Chicago Division made the announcement. "
        "U.S. District Judge Gary Feinerman of the Northern District of Illinois ordered Talaga to pay."
    )
    assert [(o["name"], o["role"], o["agency"]) for o in officials(text, "en", DOJ)] == [
        ("Lamont Pugh III", "Special Agent in Charge", "U.S. Department of Health and Human Services"),
        ("John A. Brown", "Special Agent in Charge", "Federal Bureau of Investigation (FBI)"),
        ("Gary Feinerman", "United States District Judge", "U.S. District Courts"),
    ]


def test_former_holders_are_not_officials():
    # doj-opa-04446
    text = "Assistant U.S. Attorney David A. Last and former Assistant U.S. Attorney Bryan Seeley of the District of Columbia prosecuted the case."
    assert [o["name"] for o in officials(text, "en", DOJ)] == ["David A. Last"]


def test_english_posts_outside_the_tables_with_their_organisation():
    # doj-opa-04446, doj-opa-00469
    text = "Chief Cathy L. Lanier of the Metropolitan Police Department and Colonel Kerry A. Gilpin, Superintendent of the Massachusetts State Police, made the announcement."
    assert officials(text, "en", DOJ) == [
        {
            "name": "Cathy L. Lanier",
            "rank": None,
            "role": "Chief of the Metropolitan Police Department",
            "agency": "Metropolitan Police Department",
        },
        {
            "name": "Kerry A. Gilpin",
            "rank": "Colonel",
            "role": "Superintendent of the Massachusetts State Police",
            "agency": "Massachusetts State Police",
        },
    ]


def test_spanish_posts_outside_the_tables_in_three_shapes():
    # mx-presidencia-ve-2019-07-28, mx-presidencia-ve-2019-09-22, mx-presidencia-ve-2020-08-26
    text = (
        "El presidente municipal de Zongolica, ingeniero Juan Carlos Mezhua Campos.\n\n"
        "Enseguida hace uso de la palabra la doctora Isabel Martínez Peña, directora del Hospital Rural Mamantel.\n\n"
        "También nos acompaña el ciudadano presidente municipal Jorge Zermeño Infante."
    )
    assert [(o["name"], o["role"]) for o in officials(text, "es")] == [
        ("Juan Carlos Mezhua Campos", "Presidente municipal de Zongolica"),
        ("Isabel Martínez Peña", "Directora del Hospital Rural Mamantel"),
        ("Jorge Zermeño Infante", "Presidente municipal"),
    ]


def test_state_posts_are_not_the_federal_ones_and_ministries_are_not_secretaries():
    # mx-presidencia-ve-2020-12-04, mx-presidencia-ve-2020-03-29
    text = "nos acompaña nuestra querida amiga, compañera muy respetada secretaria de Salud de la Ciudad de México, la doctora Oliva López Allerano."
    assert officials(text, "es") == [
        {
            "name": "Oliva López Allerano",
            "rank": "Dr.",
            "role": "Secretaria de Salud de la Ciudad de México",
            "agency": "Gobierno de la Ciudad de México",
        }
    ]
    text = "El director general del Centro de la Secretaría de Comunicaciones y Transportes en Sinaloa, ingeniero José Refugio Ávila Muro."
    (found,) = officials(text, "es")
    assert found["role"] == "Director general del Centro de la Secretaría de Comunicaciones y Transportes en Sinaloa"
    assert found["agency"] == "Secretaría de Comunicaciones y Transportes"


def test_a_bare_surname_with_a_post_names_a_known_person_only():
    # doj-opa-00380 and mx-presidencia-ve-2020-09-30
    text = "Todays filing addresses issues set forth in Attorney General Sessions Guidance on Federal Law Protections for Religious Liberty."
    assert [(o.name, o.role) for o in extract_entities("", text, "en", DOJ).officials] == [
        ("Jeff Sessions", "Attorney General (United States)")
    ]
    text = "el almirante Ojeda, titular de la Secretaría de Marina, aquí también presente."
    assert [o.name for o in extract_entities("", text, "es").officials] == ["José Rafael Ojeda Durán"]
    assert extract_entities("", "said Attorney General Smith.", "en", DOJ).officials == []


def test_name_variants_merge_across_releases_in_one_post():
    from indexer.entities import merge_variants

    names = ["Thomas Perez", "Thomas E. Perez", "John Smith", "John A. Smith", "John B. Smith", "Maria Perez"]
    posts = {n: {"Assistant Attorney General (United States)"} for n in names}
    posts["Maria Perez"] = {"United States Attorney"}
    rep = merge_variants(names, posts, [3, 5, 1, 1, 1, 1])
    assert names[rep[0]] == names[rep[1]] == "Thomas E. Perez"
    # "John Smith" joins one of the two; the two with different initials never share a person
    assert rep[3] != rep[4] and rep[2] in (rep[3], rep[4])
    assert rep[5] == 5
    # another post keeps a same-looking name apart
    assert merge_variants(
        ["Thomas Perez", "Thomas E. Perez"], {"Thomas Perez": {"A"}, "Thomas E. Perez": {"B"}}, [1, 1]
    ) == [0, 1]


def test_label_noise_and_title_tails_do_not_enter_names():
    # mx-presidencia-ve-2019-08-14: the transcript split a letter off "PRESIDENTE"
    assert officials("P RESIDENTE ANDRÉS MANUEL LÓPEZ OBRADOR: Buenos días.", "es") == [
        {
            "name": "Andrés Manuel López Obrador",
            "rank": None,
            "role": "Presidente de la República",
            "agency": "Presidencia de la República",
        }
    ]
    # doj-opa-08574: the district's state is not a first name
    text = "rather than break it, said U.S. Attorney for the Middle District of Georgia Michael J. Moore."
    assert officials(text, "en", DOJ) == [
        {"name": "Michael J. Moore", "rank": None, "role": "United States Attorney", "agency": "USAO - Georgia, Middle"}
    ]
    # kings_ny-2026_04_22_long-island-man-sentenced-...: an assistant district attorney is not the District Attorney
    text = "The case is being prosecuted by Assistant District Attorney David Weiss, Chief of the District Attorney’s Human Trafficking Unit."
    assert [(o["name"], o["role"]) for o in officials(text, "en")] == [("David Weiss", "Assistant District Attorney")]


def test_name_suffixes_stay_with_the_name():
    # doj-opa-08842 and doj-opa-05157: "Jr." ends the name, with its dot, and does not end a list
    text = "police activity must remain within constitutional bounds, said George L. Beck Jr., U.S. Attorney for the Middle District of Alabama."
    assert [(o["name"], o["agency"]) for o in officials(text, "en", DOJ)] == [
        ("George L. Beck Jr.", "USAO - Alabama, Middle")
    ]
    text = (
        "Trial Attorneys Jason Poole, Charles M. Edgar Jr. and Michael Boteler of the Tax Division prosecuted the case."
    )
    assert [(o["name"], o["agency"]) for o in officials(text, "en", DOJ)] == [
        ("Jason Poole", "Tax Division"),
        ("Charles M. Edgar Jr.", "Tax Division"),
        ("Michael Boteler", "Tax Division"),
    ]


def test_state_attorneys_general_are_not_the_federal_one():
    # orange_ca-press_governor-signs-umberg-price-gouging-bill-into-law, doj-opa-04597
    assert [
        (o["name"], o["role"]) for o in officials("with California Attorney General Xavier Becerra and others.", "en")
    ] == [("Xavier Becerra", "California Attorney General")]
    text = "said New York Attorney General Eric T. Schneiderman."
    assert [(o["name"], o["role"]) for o in officials(text, "en", DOJ)] == [
        ("Eric T. Schneiderman", "New York Attorney General")
    ]


def test_a_list_of_names_ends_at_the_next_title_and_units_come_from_the_release():
    # doj-opa-08988: one division named in the release gives the trial attorneys theirs
    text = (
        "This case is being prosecuted by Trial Attorneys Mark F. Daly and Michelle M. Petersen and Senior Litigation Counsel "
        "Kevin Downing of the Justice Departments Tax Division."
    )
    assert [(o["name"], o["role"], o["agency"]) for o in officials(text, "en", DOJ)] == [
        ("Mark F. Daly", "Trial Attorney (U.S. Department of Justice)", "Tax Division"),
        ("Michelle M. Petersen", "Trial Attorney (U.S. Department of Justice)", "Tax Division"),
        ("Kevin Downing", "Senior Litigation Counsel (U.S. Department of Justice)", "Tax Division"),
    ]


def test_a_us_cabinet_title_is_not_the_mexican_one():
    # doj-opa-07888: "Secretary of Education" exists in both governments; a DOJ release means the US one
    text = "keeping kids safe is key to preparing them for healthy, happy, successful futures in school and beyond, said U.S. Secretary of Education Arne Duncan."
    assert officials(text, "en", DOJ) == [
        {
            "name": "Arne Duncan",
            "rank": None,
            "role": "Secretary of Education (United States)",
            "agency": "U.S. Department of Education",
        }
    ]
    # and the Mexican release still gets the Mexican post (mx-presidencia-ve-2019-08-15)
    assert [
        (o["rank"], o["role"])
        for o in officials("MODERADORA: Licenciado Esteban Moctezuma Barragán, secretario de Educación Pública.", "es")
    ] == [("Licenciado", "Secretario de Educación Pública")]


def test_a_post_loses_the_closing_quote_of_what_the_speaker_read_out():
    # mx-presidencia-ve (a letter read out in a morning press conference, closed by ’)
    text = (
        "Firma… Bueno: ‘Y sí es de utilidad, continuo a sus órdenes’. Firma la doctora Luz Victoria Flores de "
        "Villegas, jefa de Hematología Pediátrica del Hospital 20 de Noviembre del Issste’.\n\nGracias."
    )
    roles = [o["role"] for o in officials(text, "es") if o["name"] == "Luz Victoria Flores de Villegas"]
    assert roles == ["Jefa de Hematología Pediátrica del Hospital 20 de Noviembre del Issste"]
