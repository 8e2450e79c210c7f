"""The one reader of list filters (documents/filters.py): every value, and one message per unusable one."""

from datetime import UTC, datetime

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from documents import filters
from documents.annotations.rules import check_visibility

KINDS = {
    "tag": filters.Text(),
    "type": filters.Choice({"book", "letter"}, "“{value}” is not a document type."),
    "year": filters.Year("“{value}” is not a year.", choices={"1990"}, not_a_choice="Nothing from {value}."),
    "visibility": filters.Checked(check_visibility),
    "mine": filters.Flag(),
    "since": filters.Moment(),
    "page": filters.WholeNumber("page", minimum=1),
}


def test_missing_and_empty_parameters_read_as_their_kinds_empty_value():
    assert filters.read(QueryDict("type=&tag="), KINDS) == filters.Read(
        values={
            "tag": "",
            "type": "",
            "year": "",
            "visibility": "",
            "mine": False,
            "since": None,
            "page": None,
        }
    )


def test_usable_values_are_read_and_the_last_of_a_repeated_parameter_counts():
    found = filters.read(
        QueryDict(
            "tag=+poetry+&type=letter&type=book&year=1990&visibility=group&mine=1&since=2026-01-31&page=3"
        ),
        KINDS,
    )

    assert found.errors == {}
    assert found.values["tag"] == "poetry"
    assert found.values["type"] == "book"
    assert found.values["year"] == "1990"
    assert found.values["visibility"] == "group"
    assert found.values["mine"] is True
    assert found.values["since"].astimezone(UTC).date() == datetime(2026, 1, 31, tzinfo=UTC).date()
    assert found.values["page"] == 3


def test_each_unusable_value_gets_one_message_in_declaration_order_and_reads_as_empty():
    found = filters.read(
        QueryDict("page=0&since=2026-02-30&visibility=secret&year=1850&type=poem&mine=yes"), KINDS
    )

    assert list(found.errors.items()) == [
        ("type", "“poem” is not a document type."),
        ("year", "Nothing from 1850."),
        ("visibility", "Visibility must be “private”, “public” or “group”, not “secret”."),
        ("since", "“2026-02-30” is not a date; use ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z."),
        ("page", "page must be a whole number from 1, not “0”."),
    ]
    assert found.first_error == ("type", "“poem” is not a document type.")
    assert found.values == {
        "tag": "",
        "type": "",
        "year": "",
        "visibility": "",
        "mine": False,
        "since": None,
        "page": None,
    }


@pytest.mark.parametrize("year", ["nineteen", "１９９０", "-1990", "19 90", "1e3"])
def test_a_year_is_written_in_ascii_digits(year):
    assert filters.read({"year": year}, KINDS).errors == {"year": f"“{year}” is not a year."}


@given(st.text(max_size=30))
def test_a_year_never_fails_otherwise_and_is_digits_when_read(raw):
    value = filters.read({"year": raw}, {"year": filters.Year("bad", max_digits=4, strip=True)}).values[
        "year"
    ]
    assert value == "" or (value.isascii() and value.isdigit() and len(value) <= 4)


@given(st.text(max_size=40))
def test_a_whole_number_never_fails_otherwise(raw):
    found = filters.read({"n": raw}, {"n": filters.WholeNumber("n")})
    assert (found.values["n"] is None) == ("n" in found.errors or raw == "")


YEARS = {"from": filters.Year("not a year", max_digits=4), "to": filters.Year("not a year", max_digits=4)}
IN_ORDER = filters.Range("from", "to", key=int, message="{high} is before {low}.")


@pytest.mark.parametrize(
    ("query", "values"),
    [
        ({"from": "990", "to": "1990"}, {"from": "990", "to": "1990"}),
        ({"from": "1990", "to": "1990"}, {"from": "1990", "to": "1990"}),
        ({"from": "1990"}, {"from": "1990", "to": ""}),
        ({"to": "1990"}, {"from": "", "to": "1990"}),
    ],
)
def test_a_range_in_order_or_open_at_one_end_is_read_as_written(query, values):
    assert filters.read(query, YEARS, ranges=[IN_ORDER]) == filters.Read(values=values)


def test_a_range_that_ends_before_it_begins_is_one_message_on_its_end_and_neither_end_applies():
    found = filters.read({"from": "2000", "to": "999"}, YEARS, ranges=[IN_ORDER])
    assert found == filters.Read(values={"from": "", "to": ""}, errors={"to": "999 is before 2000."})


def test_a_range_with_an_unusable_end_reports_only_that_end():
    found = filters.read({"from": "2000", "to": "19x"}, YEARS, ranges=[IN_ORDER])
    assert found == filters.Read(values={"from": "2000", "to": ""}, errors={"to": "not a year"})


def test_a_year_from_a_minimum_refuses_the_years_before_it():
    kinds = {"year": filters.Year("“{value}” is not a year.", minimum=1)}
    assert filters.read({"year": "0000"}, kinds).errors == {"year": "“0000” is not a year."}
    assert filters.read({"year": "0001"}, kinds).values == {"year": "0001"}
