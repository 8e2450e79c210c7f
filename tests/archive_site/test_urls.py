"""Every page's name and address, as the templates, scripts, tests and users rely on them."""

import uuid

import pytest
from django.urls import NoReverseMatch, resolve, reverse

PK = uuid.UUID("12345678-1234-5678-1234-567812345678")

ADDRESSES = [
    ("home", [], "/"),
    ("document-list", [], "/documents/"),
    ("document-detail", ["rome"], "/documents/rome/"),
    ("annotation-panel", ["rome"], "/documents/rome/annotations/panel/"),
    ("annotation-detail", [PK], f"/annotations/{PK}/"),
    ("notification-list", [], "/notifications/"),
    ("notifications-read", [], "/notifications/read/"),
    ("notification-settings", [], "/notifications/settings/"),
    ("notification-open", [7], "/notifications/7/"),
    ("collection-list", [], "/collections/"),
    ("collection-detail", ["icc"], "/collections/icc/"),
    ("tag-list", [], "/tags/"),
    ("tag-detail", ["völkerrecht"], "/tags/v%C3%B6lkerrecht/"),
    ("document-annotations-export", ["rome", "csv"], "/documents/rome/annotations/export.csv"),
    ("my-annotations-export", ["jsonld"], "/accounts/profile/annotations/export.jsonld"),
    ("my-annotations-import", [], "/accounts/profile/annotations/import/"),
    ("login", [], "/accounts/login/"),
    ("logout", [], "/accounts/logout/"),
    ("signup", [], "/accounts/signup/"),
    ("profile", [], "/accounts/profile/"),
    ("token-create", [], "/accounts/profile/tokens/"),
    ("token-revoke", [7], "/accounts/profile/tokens/7/revoke/"),
    ("password_change", [], "/accounts/password_change/"),
    ("password_change_done", [], "/accounts/password_change/done/"),
    ("password_reset", [], "/accounts/password_reset/"),
    ("password_reset_done", [], "/accounts/password_reset/done/"),
    ("password_reset_confirm", ["MQ", "set-password"], "/accounts/reset/MQ/set-password/"),
    ("password_reset_complete", [], "/accounts/reset/done/"),
    ("api-root", [], "/api/"),
    ("api-document-list", [], "/api/documents/"),
    ("api-document-detail", ["rome"], "/api/documents/rome/"),
    ("api-document-annotations", ["rome"], "/api/documents/rome/annotations/"),
    ("api-annotation-list", [], "/api/annotations/"),
    ("api-annotation-detail", [PK], f"/api/annotations/{PK}/"),
    ("api-schema", [], "/api/schema/"),
    ("api-docs", [], "/api/docs/"),
    ("vocabulary", [], "/ns/archive"),
    ("oai", [], "/oai/"),
    ("robots-txt", [], "/robots.txt"),
    ("favicon", [], "/favicon.ico"),
]


@pytest.mark.parametrize(("name", "args", "address"), ADDRESSES, ids=[name for name, _, _ in ADDRESSES])
def test_each_name_has_its_address_and_the_address_leads_back(name, args, address):
    assert reverse(name, args=args) == address
    assert resolve(address).url_name == name


def test_an_export_format_that_is_not_offered_has_no_address():
    with pytest.raises(NoReverseMatch):
        reverse("document-annotations-export", args=["rome", "pdf"])
