"""The Popolo export's committed JSON Schema: it accepts a well-formed document and rejects each
way one can go wrong (a missing key, a wrong type, a date that is not a date, a dangling or
repeated id)."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator

from .popolo_schema import SCHEMA, popolo_errors

GOOD = {
    "persons": [
        {"id": "person/eric-holder-0a1b2c", "name": "Eric Holder", "other_names": [{"name": "Eric H. Holder Jr."}]}
    ],
    "organizations": [
        {"id": "organization/us-department-of-justice-3d4e5f", "name": "U.S. Department of Justice", "other_names": []}
    ],
    "posts": [
        {
            "id": "post/attorney-general-united-states-6a7b8c",
            "label": "Attorney General (United States)",
            "organization_id": "organization/us-department-of-justice-3d4e5f",
        }
    ],
    "memberships": [
        {
            "id": "membership/9d0e1f2a3b4c",
            "person_id": "person/eric-holder-0a1b2c",
            "organization_id": "organization/us-department-of-justice-3d4e5f",
            "post_id": "post/attorney-general-united-states-6a7b8c",
            "role": "Attorney General (United States)",
            "start_date": "2009-02-03",
            "end_date": "2015-04-24",
        }
    ],
}


def test_the_schema_is_a_valid_json_schema_and_accepts_a_good_document():
    Draft202012Validator.check_schema(SCHEMA)
    assert popolo_errors(GOOD) == []


def broken(path: tuple, value=None, delete: bool = False) -> dict:
    doc = copy.deepcopy(GOOD)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("doc", "says"),
    [
        (broken(("memberships",), delete=True), "'memberships' is a required property"),
        (broken(("persons", 0, "other_names"), delete=True), "'other_names' is a required property"),
        (broken(("memberships", 0, "end_date"), delete=True), "'end_date' is a required property"),
        (broken(("posts", 0, "label"), 7), "7 is not of type 'string'"),
        (broken(("memberships", 0, "start_date"), "2015-02-30"), "'2015-02-30' is not a 'date'"),
        (broken(("memberships", 0, "start_date"), "2015-04"), "does not match"),
        (
            broken(("memberships", 0, "person_id"), "person/loretta-lynch-000000"),
            "person_id 'person/loretta-lynch-000000' names no object of persons",
        ),
        (
            broken(("posts", 0, "organization_id"), "organization/nowhere-000000"),
            "organization_id 'organization/nowhere-000000' names no object of organizations",
        ),
        (broken(("persons", 0, "nickname"), "Eric"), "Additional properties are not allowed"),
        (broken(("persons",), GOOD["persons"] * 2), "persons: the id 'person/eric-holder-0a1b2c' is used twice"),
    ],
)
def test_the_schema_rejects(doc, says):
    errors = popolo_errors(doc)
    assert any(says in e for e in errors), errors
