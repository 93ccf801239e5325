"""Staff pages of consents: the contact page lists them, recording and withdrawing, the proof
page and PDF with the double opt-in chain; the permission matrix."""

from __future__ import annotations

import pytest
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import make_actor
from zweck.core.permissions import Role
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_person
from zweck.marketing.choices import ConsentMethod, RecordKind
from zweck.marketing.models import ConsentRecord
from zweck.marketing.services import Chain, consent_withdraw
from zweck.marketing.tests.factories import make_consent
from zweck.web.tests.conftest import client_for


@pytest.fixture
def person(owner: Actor) -> Person:
    return make_person(owner, "Doris", last_name="Beweis", email="doris@example.com")


def _double_opt_in(owner: Actor, person: Person) -> ConsentRecord:
    from django.utils import timezone

    now = timezone.now()
    return make_consent(
        owner,
        person,
        method=ConsentMethod.DOUBLE_OPT_IN,
        ip_address="198.51.100.7",
        user_agent="Mozilla/5.0 Phone",
        chain=Chain(
            form_submitted_at=now,
            form_ip_address="192.0.2.10",
            form_user_agent="Mozilla/5.0 Desktop",
            form_page="https://www.example.com/newsletter",
            confirmation_sent_at=now,
            confirmation_subject="Please confirm your sign-up",
            confirmation_mail_id=41,
        ),
    )


def test_the_contact_page_lists_consents_with_their_state(owner: Actor, person: Person) -> None:
    record = make_consent(owner, person)
    consent_withdraw(
        actor=owner,
        record=make_consent(owner, person, "event_invitations"),
        method=ConsentMethod.PAPER,
    )
    page = client_for(owner).get(f"/app/contacts/{person.pk}/").content.decode()
    assert f"/app/consents/{record.pk}/proof/" in page
    assert page.count('class="consent-item"') == 2
    assert page.count("badge-on") == 1 and page.count("badge-off") == 1


def test_a_member_without_consent_view_sees_no_consents(
    workspace: object, owner: Actor, person: Person
) -> None:
    make_consent(owner, person)
    service = make_actor(Role.SERVICE, owner.workspace)
    page = client_for(service).get(f"/app/contacts/{person.pk}/").content.decode()
    assert "consent-item" not in page


def test_record_and_withdraw_through_the_pages(owner: Actor, person: Person) -> None:
    client = client_for(owner)
    form = client.get(f"/app/contacts/{person.pk}/consents/new/")
    assert form.status_code == 200
    assert 'value="doris@example.com"' in form.content.decode()
    refused = client.post(
        f"/app/contacts/{person.pk}/consents/new/",
        {"purpose": "telephone", "channel": "telephone", "address": "0221", "method": "verbal"},
    )
    assert refused.status_code == 200
    assert 'aria-invalid="true"' in refused.content.decode() or "errorlist" in refused.content.decode()
    assert ConsentRecord.objects.count() == 0
    saved = client.post(
        f"/app/contacts/{person.pk}/consents/new/",
        {
            "purpose": "telephone",
            "channel": "telephone",
            "address": "+49 221 1234567".replace(" ", ""),
            "method": "verbal",
            "note": "Telefonat am 2.12., Rückruf erwünscht.",
        },
    )
    assert saved.status_code == 302
    record = ConsentRecord.objects.get()
    withdrawn = client.post(f"/app/consents/{record.pk}/withdraw/", {"method": "paper"})
    assert withdrawn.status_code == 302
    assert ConsentRecord.objects.filter(kind=RecordKind.WITHDRAWAL, withdraws=record).count() == 1


def test_the_proof_shows_the_whole_chain_as_page_and_pdf(owner: Actor, person: Person) -> None:
    record = _double_opt_in(owner, person)
    client = client_for(owner)
    page = client.get(f"/app/consents/{record.pk}/proof/")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "192.0.2.10",
        "https://www.example.com/newsletter",
        "Please confirm your sign-up",
        "198.51.100.7",
        record.text.digest,
        record.text.body,
    ):
        assert expected in text
    assert text.count("<h1") == 1
    pdf = client.get(f"/app/consents/{record.pk}/proof.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_proof_digest_changes_with_the_withdrawal(owner: Actor, person: Person) -> None:
    from zweck.marketing.proof import proof_of

    record = _double_opt_in(owner, person)
    before = proof_of(record, printed_by="Test", language="en")
    consent_withdraw(actor=owner, record=record, method=ConsentMethod.WEB_FORM)
    after = proof_of(ConsentRecord.objects.get(pk=record.pk), printed_by="Test", language="en")
    assert before.digest != after.digest
    assert (before.in_force, after.in_force) == (True, False)
    assert [step.title for step in after.steps] == [
        "1. Form sent",
        "2. Confirmation email",
        "3. Confirmation click",
        "Withdrawn",
    ]


def test_permission_matrix(owner: Actor, person: Person, stranger: Actor) -> None:
    record = make_consent(owner, person)
    urls = [
        f"/app/consents/{record.pk}/proof/",
        f"/app/consents/{record.pk}/proof.pdf",
        f"/app/contacts/{person.pk}/consents/new/",
    ]
    anonymous = Client()
    for url in urls:
        assert anonymous.get(url).status_code == 302
        assert client_for(stranger).get(url).status_code == 404
        assert client_for(make_actor(Role.SERVICE, owner.workspace)).get(url).status_code == 403
    sales = client_for(make_actor(Role.SALES, owner.workspace))
    assert sales.get(urls[0]).status_code == 200
    assert sales.get(urls[2]).status_code == 403
    assert sales.post(f"/app/consents/{record.pk}/withdraw/", {"method": "paper"}).status_code == 403
    assert (
        client_for(stranger).post(f"/app/consents/{record.pk}/withdraw/", {"method": "paper"}).status_code
        == 404
    )
    assert anonymous.post(f"/app/consents/{record.pk}/withdraw/", {"method": "paper"}).status_code == 302
    assert ConsentRecord.objects.count() == 1


def test_the_signup_form_code_posts_to_the_portal(owner: Actor, client: Client) -> None:
    import re

    staff = client_for(owner)
    empty = staff.get("/app/consents/signup-form/")
    assert empty.status_code == 200
    assert "code-block" not in empty.content.decode()
    page = staff.get(
        "/app/consents/signup-form/", {"purposes": ["newsletter"], "language": "en"}
    ).content.decode()
    token = re.search(r"name=&quot;form&quot; value=&quot;([^&]+)&quot;", page)
    assert token is not None
    assert "http://testserver/privacy/signup/" in page
    # the code's fields, posted from elsewhere without a session, start a double opt-in
    answer = client.post(
        "/privacy/signup/",
        {"form": token.group(1), "email": "web@example.com", "purposes": "newsletter", "website": ""},
    )
    assert answer.status_code == 200
    from zweck.marketing.models import ConsentSignup

    assert list(ConsentSignup.objects.values_list("email", "purposes")) == [
        ("web@example.com", ["newsletter"])
    ]


def test_the_access_export_lists_the_consents(owner: Actor, person: Person) -> None:
    from zweck.privacy.exports import access_data

    record = _double_opt_in(owner, person)
    data = access_data(workspace=owner.workspace, person_ids=[person.pk])
    consents = [
        data_set for data_set in data["data_sets"] if data_set["data_set"] == "marketing.ConsentRecord"
    ]
    assert len(consents) == 1
    (row,) = consents[0]["rows"]
    assert (row["id"], row["purpose"], row["address"], row["form_ip_address"]) == (
        record.pk,
        "newsletter",
        "doris@example.com",
        "192.0.2.10",
    )


def test_a_contact_with_consent_proof_is_not_deleted(owner: Actor, person: Person) -> None:
    from django.core.exceptions import ValidationError

    from zweck.crm.services import person_delete

    make_consent(owner, person)
    with pytest.raises(ValidationError, match="proof of consent"):
        person_delete(actor=owner, person=person)
    assert Person.objects.filter(pk=person.pk).exists()
    assert ConsentRecord.objects.count() == 1
