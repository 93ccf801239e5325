"""The WZ 2008 industry classification of organizations: the code table, the field, its filter,
the form and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from zweck.accounts.actors import Actor
from zweck.api.tests.support import api_as
from zweck.crm import industries, selectors
from zweck.crm.models import Organization
from zweck.crm.services import organization_update
from zweck.crm.tests.factories import make_organization
from zweck.web.tests.conftest import client_for


def test_the_table_has_every_section_and_division_of_nace_rev_2() -> None:
    assert list(industries.SECTIONS) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert len(industries.DIVISIONS) == 88
    assert industries.DIVISIONS["62"].section == "J"
    assert industries.DIVISIONS["01"].section == "A"
    assert industries.DIVISIONS["99"].section == "U"
    assert "04" not in industries.DIVISIONS and "34" not in industries.DIVISIONS
    assert industries.section_codes("70") == ["M", "69", "70", "71", "72", "73", "74", "75"]


def test_titles_follow_the_active_language() -> None:
    with translation.override("de"):
        assert (
            industries.DIVISIONS["62"].label
            == "62 – Erbringung von Dienstleistungen der Informationstechnologie"
        )
    with translation.override("en"):
        assert (
            industries.DIVISIONS["62"].label
            == "62 – Computer programming, consultancy and related activities"
        )


@pytest.mark.django_db
def test_a_code_is_stored_in_capitals_and_an_unknown_one_refused(owner: Actor) -> None:
    organization = make_organization(owner, industry_code="j")
    assert organization.industry_code == "J"
    with pytest.raises(ValidationError) as refused:
        organization_update(actor=owner, organization=organization, industry_code="34")
    assert "industry_code" in refused.value.message_dict
    organization.refresh_from_db()
    assert organization.industry_code == "J"


@pytest.mark.django_db
def test_the_list_filters_by_division_or_by_a_whole_section(owner: Actor) -> None:
    software = make_organization(owner, name="Software GmbH", industry_code="62")
    telecom = make_organization(owner, name="Telefon AG", industry_code="61")
    broad = make_organization(owner, name="Medien KG", industry_code="J")
    make_organization(owner, name="Bäckerei", industry_code="10")
    make_organization(owner, name="Ohne Angabe")

    def names(code: str) -> list[str]:
        return [o.name for o in selectors.organization_list(actor=owner, industry_code=code)]

    assert names("62") == [software.name]
    assert names("j") == [broad.name, software.name, telecom.name]


@pytest.mark.django_db
def test_the_api_writes_reads_filters_and_refuses_an_unknown_code(owner: Actor) -> None:
    api = api_as(owner)
    created = api.post("/organizations", {"name": "Code GmbH", "industry_code": "62"})
    assert created.status_code == 201, created.content
    assert created.json()["industry_code"] == "62"
    make_organization(owner, name="Andere", industry_code="10")
    listed = api.get("/organizations?industry_code=J")
    assert [item["name"] for item in listed.json()["items"]] == ["Code GmbH"]
    refused = api.patch(f"/organizations/{created.json()['id']}", {"industry_code": "ZZ"})
    assert refused.status_code == 422
    assert Organization.objects.get(pk=created.json()["id"]).industry_code == "62"


@pytest.mark.django_db
def test_the_form_offers_the_classification_and_the_page_shows_it(owner: Actor) -> None:
    client = client_for(owner)
    with translation.override("en"):
        form = client.get("/app/organizations/new/", HTTP_ACCEPT_LANGUAGE="en")
        assert b'<option value="62">62 \xe2\x80\x93 Computer programming' in form.content
        response = client.post("/app/organizations/new/", {"name": "Formular GmbH", "industry_code": "70"})
    assert response.status_code == 302
    organization = Organization.objects.get(name="Formular GmbH")
    assert organization.industry_code == "70"
    page = client.get(f"/app/organizations/{organization.pk}/")
    assert b"?industry=70" in page.content
    listed = client.get("/app/organizations/?industry=M")
    assert b"Formular GmbH" in listed.content
    assert b"Formular GmbH" not in client.get("/app/organizations/?industry=62").content
