"""A person's name is a name: the evidence a candidate needs, the office a local post is held in,
press contacts, officials named after their organisation, and names a crawl damaged.
Each excerpt is real (the release id beside it)."""

from __future__ import annotations

import json
from pathlib import Path

from indexer.entities import check_tables, extract_entities, merge_variants, same_person
from indexer.entities.evidence import common_words, person_words
from indexer.entities.given_names import given_names, is_given_name

ORANGE = "Orange County District Attorney's Office (California)"
ORANGE_AGENCY = "Orange County District Attorney's Office"
BROOKLYN = "Kings County (Brooklyn) District Attorney's Office (New York)"
DOJ = "U.S. Department of Justice"


def found(text: str, publisher: str | None = None, lang: str = "en") -> list[tuple[str, str | None, str | None]]:
    return [(o.name, o.role, o.agency) for o in extract_entities("", text, lang, publisher).officials]


def test_the_given_names_dictionary_covers_english_and_spanish_names():
    assert len(given_names()) > 30000
    assert all(is_given_name(n) for n in ["Farrah", "Susan", "Graciela", "José", "Rocío", "Sabrina"])
    assert not any(is_given_name(w) for w in ["Election", "Fraud", "Hotline", "Medicamentos", "Court"])


def test_a_program_named_after_a_title_is_no_official():
    # orange_ca-press_oc-district-attorney-launches-investigation-into-placement-of-unauthorized-ballot-boxes-in-at-least-two-orange-cou
    text = "Residents who suspect election fraud are encouraged to call the Orange County District Attorney Election Fraud Hotline at 714-501-4593. Residents can also report suspected election fraud by emailing"
    assert found(text, ORANGE) == []


def test_an_event_title_before_a_post_is_no_name():
    # mx-presidencia-ve-2019-07-19: the ceremony's title and the place are not the president's name
    text = "MODERADOR: Preside esta ceremonia, Diálogo con la Comunidad del Hospital Rural de Cerritos, Atención Médica y Medicamentos Gratuitos, en Cerritos, San Luis Potosí, el presidente constitucional de los Estados Unidos Mexicanos, licenciado Andrés Manuel López Obrador."
    assert found(text, lang="es") == [
        ("Andrés Manuel López Obrador", "Presidente de la República", "Presidencia de la República")
    ]


def test_a_name_ends_at_the_line_break():
    # orange_ca-press_orange-county-district-attorney-tony-rackauckas-swearing-in-remarks
    text = "Orange County District Attorney Tony Rackauckas\nSwearing-In Remarks\nJanuary 31, 2011\nI am truly humbled"
    assert found(text, ORANGE) == [("Tony Rackauckas", "District Attorney", ORANGE_AGENCY)]


def test_a_possessive_the_crawl_flattened_is_no_name():
    # doj-opa-09187: "Attorney General Holder's Defending Childhood initiative"
    text = "For more information about Attorney General Holders Defending Childhood initiative, the Defending Childhood Task Force, and the upcoming hearings, please visit"
    assert found(text, DOJ) == []


def test_first_names_that_look_like_titles_or_states_stay():
    # doj-opa-05660, doj-opa-12419
    text = "pleaded guilty today before U.S. Magistrate Judge Don D. Bush in Plano, Texas, to a one count information"
    assert [name for name, _post, _agency in found(text, DOJ)] == ["Don D. Bush"]
    text = "The prosecution is being handled by Senior Litigation Counsel Kevin M. Downing and Trial Attorney Michael P. BenAry of the Tax Division."
    assert [name for name, _post, _agency in found(text, DOJ)] == ["Kevin M. Downing", "Michael P. BenAry"]


def test_rare_given_names_beside_their_post_are_kept():
    # kings_ny-2017_07_26_bedford-stuyvesant-man-indicted-for-murder-for-fatally-stabbing-girlfriend-multiple-times
    text = "The case is being prosecuted by Senior Assistant District Attorney Sabeeha Madni, of the District Attorney’s Domestic Violence Bureau, under the supervision of Assistant District Attorney Michelle Kaminsky, Bureau Chief."
    assert found(text, BROOKLYN) == [
        ("Sabeeha Madni", "Assistant District Attorney", BROOKLYN),
        ("Michelle Kaminsky", "Assistant District Attorney", BROOKLYN),
    ]


def test_person_words_cuts_at_common_words_and_titles():
    common = common_words("residents who suspect election fraud; his remarks at the price")
    assert person_words(["Election", "Fraud", "Hotline"], common) is None
    assert person_words(["Tony", "Rackauckas", "Remarks"], common) == ["Tony", "Rackauckas"]
    assert person_words(["Susan", "Price"], common) == ["Susan", "Price"]  # a given name opens it
    assert person_words(["Michael", "P."], common) is None  # not whole


def test_a_local_post_is_held_in_the_publishers_office():
    # orange_ca-press_mother-arrested-in-new-mexico-after-abducting-sick-baby-from-orange-county-childrens-hospital
    text = "The Orange County District Attorney’s Office and Orange Police Department investigated this case. Deputy District Attorney Jim Bacin of the Child Abduction Unit is prosecuting this case."
    assert found(text, ORANGE) == [("Jim Bacin", "Deputy District Attorney", ORANGE_AGENCY)]
    # the same post in a DOJ release is no county's
    assert found(text, DOJ) == [("Jim Bacin", "Deputy District Attorney", None)]


def test_press_contacts_are_the_publishers_staff():
    # orange_ca-press_media-advisory-yorba-linda-city-council-sex-offender-ordinance-meeting-item
    text = "For Immediate Release\nNovember 15, 2011\nSusan Kang Schroeder\nChief of Staff\nOffice: 714-347-8408\nCell: 714-292-2718\nFarrah Emami\nSpokesperson\nOffice: 714-347-8405\nCell: 714-323-4486\nMEDIA ADVISORY"
    assert found(text, ORANGE) == [
        ("Susan Kang Schroeder", "Chief of Staff", ORANGE_AGENCY),
        ("Farrah Emami", "Spokesperson", ORANGE_AGENCY),
    ]


def test_press_contacts_in_spanish_show_the_holder():
    # orange_ca-press_empleada-de-asistencia-publica-de-san-diego-sera-instruida-en-corte-por-cargos-de-fraude-en-reunir-bonos-de-racion
    text = "Contacto:\nOficina:\nCelular:\nSusan Kang Schroeder\nConsejera de Asuntos Publico\n714-347-8408\n714-292-2718\nFarrah Emami\nVocera\n714-347-8405\n714-323-4486\nEMPLEADA DE ASISTENCIA PUBLICA"
    officials = extract_entities("", text, "es", ORANGE).officials
    assert [(o.name, o.role, o.feminine) for o in officials] == [
        ("Susan Kang Schroeder", "Consejera de Asuntos Publico", True),
        ("Farrah Emami", "Vocera", True),
    ]


def test_officials_named_after_their_organisation():
    # kings_ny-2017_07_26_bedford-stuyvesant-man-indicted-for-murder-for-fatally-stabbing-girlfriend-multiple-times
    text = "He was arraigned today before Brooklyn Supreme Court Justice Evelyn LaPorte on one count of second-degree murder.\nThe case was investigated by New York City Police Department Detective Willie Johnson, of the 79th Precinct Detective Squad."
    assert found(text, BROOKLYN) == [
        ("Evelyn LaPorte", "Supreme Court Justice", "Brooklyn Supreme Court"),
        ("Willie Johnson", "Detective", "New York City Police Department"),
    ]


def test_a_name_the_crawl_damaged_is_its_whole_form():
    # doj-opa press releases: the crawl dropped accented letters and apostrophes
    assert found("said U.S. Attorney Andr Birotte Jr. of the Central District of California.", DOJ) == [
        ("André Birotte Jr.", "United States Attorney", "USAO - California, Central")
    ]
    assert [
        n for n, _p, _a in found("said Acting Assistant Attorney General David A. ONeil of the Criminal Division.", DOJ)
    ] == ["David A. O'Neil"]
    assert same_person("Jos Angel Moreno", "José Angel Moreno")
    assert not same_person("Jos Angel Moreno", "Josh Angel Moreno")


def test_across_releases_the_whole_form_stands_for_the_damaged_one():
    names = ["Rosa Emilia Rodrguez-Vlez", "Rosa Emilia Rodríguez-Vélez", "Sarah R. Saldaa", "Sarah R. Saldaña"]
    posts = {n: {"United States Attorney"} for n in names}
    # the damaged forms are in far more releases; the whole forms still stand for them
    assert merge_variants(names, posts, [60, 1, 17, 1]) == [1, 1, 3, 3]


def test_tables_reject_an_office_kind_no_agency_has():
    data = Path(__file__).resolve().parent.parent / "indexer" / "data"
    agencies = json.loads((data / "agencies.json").read_text(encoding="utf-8"))
    posts = json.loads((data / "posts.json").read_text(encoding="utf-8"))
    bad = [dict(p, office_kind="sheriff's office") if p["name"] == "District Attorney" else p for p in posts]
    assert check_tables(agencies, bad) == [
        "post 'District Attorney' is held in an office kind no agency has: \"sheriff's office\""
    ]


def test_another_countys_prosecutor_is_not_the_publishers():
    # orange_ca-press_media-advisory-golden-state-killer-announcement
    text = "Irvine Police Department Chief Mike Hamel, Contra Costa District Attorney Diana Becton, Sacramento County District Attorney Anne Marie Schubert, Sacramento County Sheriff Scott Jones"
    assert found(text, ORANGE)[1:] == [
        ("Diana Becton", "District Attorney", "Contra Costa District Attorney's Office"),
        ("Anne Marie Schubert", "District Attorney", "Sacramento County District Attorney's Office"),
    ]


def test_a_title_before_another_title_is_part_of_a_longer_post():
    # orange_ca-press_transient-convicted-of-sexually-assaulting-female-minor-while-riding-the-bus
    text = "Anyone with additional information or who believes they have been a victim is encouraged to contact Supervising District Attorney Investigator Lou Gutierrez at (714) 347-8794."
    assert found(text, ORANGE) == [("Lou Gutierrez", "District Attorney Investigator", ORANGE_AGENCY)]
