"""The privacy officer's register pages: every page and action called as each of the four kinds
of caller, the documents as downloads, the coverage report, and the configuration forms, whose
refusals name the problem and save nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.audit.models import AuditEvent
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role
from zweck.privacy.choices import LegalBasis, RecipientRole, TransferSafeguard
from zweck.privacy.labels import safeguard_text
from zweck.privacy.models import NoticeVersion, ProcessingActivity, Recipient, RetentionRule, SecurityMeasure
from zweck.privacy.services import processing_activity_create
from zweck.privacy.tests.factories import register_with_erp_processor
from zweck.web.staff.privacy_register_forms import ProcessingActivityForm, RetentionRuleForm
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db
P = Permission
BASE = "/app/privacy/register"
# The date of the Commission's standard contractual clauses, Implementing Decision (EU) 2021/914.
SCC_DATE = date(2021, 6, 4)


@dataclass
class World:
    owner: Actor
    recipient: Recipient

    def ids(self) -> dict[str, int]:
        return {"recipient": self.recipient.pk}


@pytest.fixture
def world(owner: Actor) -> World:
    recipient = register_with_erp_processor(owner)
    processing_activity_create(actor=owner, **_new_activity_form(retention="business_letters"))
    return World(owner, recipient)


def snapshot() -> tuple[Any, ...]:
    """Everything a refused call could have changed, in every workspace."""
    return (
        AuditEvent.objects.count(),
        list(Recipient.objects.order_by("pk").values()),
        list(Recipient.activities.through.objects.order_by("pk").values()),
        list(ProcessingActivity.objects.order_by("pk").values()),
        list(RetentionRule.objects.order_by("pk").values()),
        SecurityMeasure.objects.count(),
    )


def _recipient_form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "NinjaOne, LLC",
        "role": RecipientRole.PROCESSOR,
        "service_en": "Remote monitoring and management (RMM)",
        "service_de": "Fernwartung und Monitoring (RMM)",
        "country": "US",
        "safeguard": TransferSafeguard.SCC,
        "safeguard_date": SCC_DATE.isoformat(),
        "activities": ["support_and_maintenance"],
        **changes,
    }


def _activity_form(**changes: Any) -> dict[str, Any]:
    activity = ProcessingActivity.objects.get(key=_first_activity_key())
    return {**model_to_dict(activity, fields=ProcessingActivityForm.field_names), **changes}


def _new_activity_form(**changes: Any) -> dict[str, Any]:
    """An activity of the workspace's own, as the New processing activity form sends it."""
    form: dict[str, Any] = {
        "key": "trade_fair_photos",
        "name_en": "Photos at trade fairs",
        "name_de": "Fotos auf Messen",
        "purpose_en": "Showing our stand and the conversations at it on our website.",
        "purpose_de": "Unseren Messestand und die Gespräche dort auf unserer Website zeigen.",
        "subject_categories": ["business_contact"],
        "legal_basis": LegalBasis.LEGITIMATE_INTERESTS,
        "legitimate_interest_en": "Presenting our company to prospective clients.",
        "legitimate_interest_de": "Darstellung unseres Unternehmens gegenüber möglichen Kunden.",
        "data_categories": ["user.name", "user.content.self_image"],
        "special_category_condition": "",
        "data_use": "marketing.advertising.first_party",
        "recipient_categories_en": "",
        "recipient_categories_de": "",
        "provision_en": "",
        "provision_de": "",
        **changes,
    }
    if "retention" not in changes:
        form["retention"] = RetentionRule.objects.get(key="business_letters").pk
    return form


def _rule_form(**changes: Any) -> dict[str, Any]:
    rule = RetentionRule.objects.get(key="service_records")
    return {**model_to_dict(rule, fields=RetentionRuleForm.field_names), **changes}


@dataclass(frozen=True)
class Page:
    method: str
    path: str
    needs: frozenset[Permission]
    status: int = 200
    data: Callable[[], dict[str, Any]] = field(default=lambda: {})
    # Pages about one row of the register answer another workspace with 404; the others
    # simply show (or change) that workspace's own register.
    addressed: bool = False
    # Whether the successful call changes the register (installing defaults that exist does not).
    writes: bool = True

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, world: World) -> str:
        return BASE + self.path.format(
            **world.ids(), activity=_first_activity_key(), added="trade_fair_photos", rule="service_records"
        )


def _first_activity_key() -> str:
    return str(
        ProcessingActivity.objects.exclude(legal_basis=LegalBasis.LEGITIMATE_INTERESTS)
        .order_by("pk")
        .values_list("key", flat=True)
        .first()
    )


VIEW = frozenset({P.PRIVACY_VIEW})
MANAGE = frozenset({P.PRIVACY_VIEW, P.PRIVACY_MANAGE})

PAGES = [
    Page("GET", "/", VIEW),
    Page("GET", "/coverage/", VIEW),
    Page("GET", "/ropa/de/", VIEW),
    Page("GET", "/ropa/en.md", VIEW),
    Page("GET", "/notices/client_contact/en/", VIEW),
    Page("GET", "/notices/client_contact/de.html", VIEW),
    Page("GET", "/fides.yml", VIEW),
    Page("POST", "/install-defaults/", frozenset({P.PRIVACY_MANAGE}), 302, writes=False),
    Page("GET", "/recipients/new/", MANAGE),
    Page("POST", "/recipients/new/", MANAGE, 302, data=_recipient_form),
    Page("GET", "/recipients/{recipient}/edit/", MANAGE, addressed=True),
    Page(
        "POST",
        "/recipients/{recipient}/edit/",
        MANAGE,
        302,
        data=lambda: _recipient_form(name="Odoo S.A.", country="BE", activities=[]),
        addressed=True,
    ),
    Page("GET", "/recipients/{recipient}/delete/", MANAGE, addressed=True),
    Page("POST", "/recipients/{recipient}/delete/", MANAGE, 302, addressed=True),
    Page("GET", "/activities/new/", MANAGE),
    Page("POST", "/activities/new/", MANAGE, 302, data=lambda: _new_activity_form(key="stand_visitors")),
    Page("GET", "/activities/{added}/delete/", MANAGE, addressed=True),
    Page("POST", "/activities/{added}/delete/", MANAGE, 302, addressed=True),
    Page("GET", "/activities/{activity}/edit/", MANAGE, addressed=True),
    Page(
        "POST",
        "/activities/{activity}/edit/",
        MANAGE,
        302,
        data=lambda: _activity_form(purpose_en="Delivering what our clients order."),
        addressed=True,
    ),
    Page("GET", "/retention-rules/{rule}/edit/", MANAGE, addressed=True),
    Page(
        "POST", "/retention-rules/{rule}/edit/", MANAGE, 302, data=lambda: _rule_form(years=8), addressed=True
    ),
]


def by_page(pages: list[Page] = PAGES) -> Any:
    return pytest.mark.parametrize("page", pages, ids=[page.id for page in pages])


def call(client: Client, page: Page, world: World) -> Any:
    if page.method == "GET":
        return client.get(page.url(world))
    return client.post(page.url(world), page.data())


def client_holding(
    world: World, permissions: frozenset[Permission], monkeypatch: pytest.MonkeyPatch
) -> tuple[Client, Actor]:
    """A member of ``world``'s workspace whose role grants exactly ``permissions`` (for this test)."""
    membership = MembershipFactory(workspace=world.owner.workspace, role=Role.READ_ONLY)
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, permissions)
    actor = Actor.for_membership(membership)
    return client_for(actor), actor


@by_page()
def test_anonymous_visitors_are_sent_to_log_in(page: Page, world: World) -> None:
    before = snapshot()

    response = call(Client(), page, world)

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert snapshot() == before


@by_page([page for page in PAGES if page.addressed])
def test_another_workspace_gets_404_and_changes_nothing(page: Page, world: World, stranger: Actor) -> None:
    before = snapshot()

    response = call(client_for(stranger), page, world)

    assert response.status_code == 404
    assert snapshot() == before


CASES = [(page, missing) for page in PAGES for missing in sorted(page.needs)]


@pytest.mark.parametrize(
    ("page", "missing"), CASES, ids=[f"{page.id} without {missing}" for page, missing in CASES]
)
def test_a_member_without_the_permission_is_refused(
    page: Page, missing: Permission, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _actor = client_holding(world, frozenset(Permission) - {missing}, monkeypatch)
    before = snapshot()

    response = call(client, page, world)

    assert response.status_code == 403
    assert snapshot() == before


@by_page()
def test_a_member_with_exactly_the_permission_succeeds(
    page: Page, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, actor = client_holding(world, page.needs, monkeypatch)
    before = snapshot()

    response = call(client, page, world)

    assert response.status_code == page.status
    if page.method == "POST" and page.writes:
        assert snapshot() != before
        assert AuditEvent.objects.filter(actor_id=actor.user_id).exists()


def test_a_member_who_may_only_read_is_not_offered_any_change(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, _actor = client_holding(world, VIEW, monkeypatch)
    officer = client_for(world.owner)
    edit_url = f"{BASE}/recipients/{world.recipient.pk}/edit/"

    read_only_page = reader.get(f"{BASE}/").content.decode()
    officer_page = officer.get(f"{BASE}/").content.decode()

    assert "Odoo S.A." in read_only_page
    for offer in (f"{BASE}/recipients/new/", edit_url, f"{BASE}/retention-rules/service_records/edit/"):
        assert offer not in read_only_page
        assert offer in officer_page


def test_the_navigation_shows_the_register_only_to_members_who_may_view_it(
    world: World, actor_with_role: Callable[[str], Actor]
) -> None:
    sales_page = client_for(actor_with_role(Role.SALES)).get("/app/").content.decode()
    officer_page = client_for(actor_with_role(Role.PRIVACY_OFFICER)).get("/app/").content.decode()

    assert f'href="{BASE}/"' not in sales_page
    assert f'href="{BASE}/"' in officer_page


def test_a_workspace_without_a_register_is_offered_the_defaults_and_installs_them(
    actor_with_role: Callable[[str], Actor],
) -> None:
    officer = actor_with_role(Role.PRIVACY_OFFICER)
    client = client_for(officer)
    install_url = f"{BASE}/install-defaults/"
    assert install_url in client.get(f"{BASE}/").content.decode()

    response = client.post(install_url)

    assert response.status_code == 302
    assert ProcessingActivity.objects.filter(workspace_id=officer.workspace_id).exists()
    assert AuditEvent.objects.filter(actor_id=officer.user_id, action="processing_activity.create").exists()
    assert install_url not in client.get(f"{BASE}/").content.decode()


def test_a_recipient_added_in_the_page_appears_in_the_english_notice_with_its_safeguard(world: World) -> None:
    client = client_for(world.owner)

    response = client.post(f"{BASE}/recipients/new/", _recipient_form())

    assert response.status_code == 302
    recipient = Recipient.objects.get(workspace_id=world.owner.workspace_id, name="NinjaOne, LLC")
    assert AuditEvent.objects.filter(action="recipient.create", object_id=str(recipient.pk)).exists()
    notice = client.get(f"{BASE}/notices/client_contact/en.md").content.decode()
    assert f"NinjaOne, LLC (United States): {safeguard_text(TransferSafeguard.SCC, 'en')}" in notice
    assert SCC_DATE.isoformat() in notice


def test_a_transfer_outside_the_eea_without_a_safeguard_is_refused_on_its_field(world: World) -> None:
    client = client_for(world.owner)
    before = snapshot()

    response = client.post(f"{BASE}/recipients/new/", _recipient_form(safeguard="", safeguard_date=""))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["safeguard"]
    assert "is outside the EU/EEA: name the transfer safeguard" in errors["safeguard"][0]
    assert "NinjaOne, LLC" in errors["safeguard"][0]
    assert snapshot() == before


def test_a_safeguard_without_its_date_is_refused_on_the_date(world: World) -> None:
    client = client_for(world.owner)
    before = snapshot()

    response = client.post(
        f"{BASE}/recipients/{world.recipient.pk}/edit/", _recipient_form(safeguard_date="")
    )

    assert list(response.context["form"].errors) == ["safeguard_date"]
    assert snapshot() == before


def test_legitimate_interests_without_naming_them_are_refused(world: World) -> None:
    client = client_for(world.owner)
    before = snapshot()

    response = client.post(
        f"{BASE}/activities/{_first_activity_key()}/edit/",
        _activity_form(
            legal_basis=LegalBasis.LEGITIMATE_INTERESTS, legitimate_interest_en="", legitimate_interest_de=""
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["legitimate_interest_en"]
    assert "relies on legitimate interests and must name them" in errors["legitimate_interest_en"][0]
    assert snapshot() == before


def test_a_retention_period_that_cannot_be_computed_is_refused(world: World) -> None:
    client = client_for(world.owner)
    before = snapshot()

    response = client.post(f"{BASE}/retention-rules/service_records/edit/", _rule_form(years=150))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["years"]
    assert "Retention rule service_records" in errors["years"][0]
    assert snapshot() == before


def test_a_changed_retention_rule_is_saved_and_audited(world: World) -> None:
    client = client_for(world.owner)

    response = client.post(f"{BASE}/retention-rules/service_records/edit/", _rule_form(years=10))

    assert response.status_code == 302
    assert RetentionRule.objects.get(workspace_id=world.owner.workspace_id, key="service_records").years == 10
    event = AuditEvent.objects.filter(action="retention_rule.update").latest("pk")
    assert "years" in event.changed_fields


@pytest.mark.parametrize(
    ("path", "content_type", "filename"),
    [
        ("/ropa/de.pdf", "application/pdf", "records-of-processing-{slug}-de.pdf"),
        ("/ropa/en.md", "text/markdown; charset=utf-8", "records-of-processing-{slug}-en.md"),
        (
            "/notices/client_contact/en.html",
            "text/html; charset=utf-8",
            "privacy-notice-client-contact-{slug}-en.html",
        ),
        ("/fides.yml", "application/yaml; charset=utf-8", "fides-{slug}.yml"),
    ],
)
def test_documents_download_with_their_type_and_file_name(
    world: World, path: str, content_type: str, filename: str
) -> None:
    response = client_for(world.owner).get(BASE + path)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    expected = filename.format(slug=world.owner.workspace.slug)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'


def test_a_pdf_download_is_a_pdf(world: World) -> None:
    response = client_for(world.owner).get(f"{BASE}/notices/business_contact/de.pdf")

    assert response.content.startswith(b"%PDF-")


def test_a_document_is_shown_in_the_page(world: World) -> None:
    page = client_for(world.owner).get(f"{BASE}/ropa/en/").content.decode()

    assert "<td>Odoo S.A.</td>" in page
    assert "<html" not in page.split("</head>", 1)[1]


@pytest.mark.parametrize("path", ["/ropa/en/", "/notices/business_contact/de/", "/coverage/", "/"])
def test_register_pages_pass_the_accessibility_check(world: World, path: str) -> None:
    page = client_for(world.owner).get(BASE + path).content.decode()

    assert accessibility_problems(page) == []


@pytest.mark.parametrize(
    "path", ["/ropa/fr/", "/ropa/de.docx", "/notices/suppliers/en/", "/notices/nobody/en.md"]
)
def test_unknown_languages_formats_and_groups_answer_404(world: World, path: str) -> None:
    assert client_for(world.owner).get(BASE + path).status_code == 404


def test_the_coverage_page_says_that_each_list_of_gaps_is_empty(world: World) -> None:
    page = client_for(world.owner).get(f"{BASE}/coverage/").content.decode()

    assert "The register is complete" in page
    for empty in (
        "Every field is declared in the register.",
        "Every processing of personal data has a legal basis.",
        "All personal data has a retention rule.",
        "Every recipient outside the EU/EEA has a dated safeguard.",
    ):
        assert empty in page
    assert "user.contact.email" in page


def test_the_coverage_page_lists_the_gaps_of_a_register_not_set_up(
    actor_with_role: Callable[[str], Actor],
) -> None:
    page = client_for(actor_with_role(Role.PRIVACY_OFFICER)).get(f"{BASE}/coverage/").content.decode()

    assert "The register has gaps" in page
    assert "Every processing of personal data has a legal basis." not in page
    assert "processing activity contact_management is not set up in this workspace" in page


def test_the_register_page_speaks_german(world: World) -> None:
    client = client_for(world.owner)
    client.cookies["django_language"] = "de"

    page = client.get(f"{BASE}/").content.decode()
    refused = client.post(f"{BASE}/recipients/new/", _recipient_form(safeguard="", safeguard_date=""))

    assert "<h1>Datenschutzregister</h1>" in page
    assert "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)" in page
    assert "außerhalb von EU/EWR" in refused.context["form"].errors["safeguard"][0]


# Processing activities the workspace adds itself.


def test_an_activity_added_in_the_page_is_named_in_its_groups_notice(world: World) -> None:
    client = client_for(world.owner)
    versions = NoticeVersion.objects.filter(workspace_id=world.owner.workspace_id).count()

    response = client.post(
        f"{BASE}/activities/new/", _new_activity_form(key="stand_visitors", name_en="Visitors at our stand")
    )

    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/#activities-heading"
    activity = ProcessingActivity.objects.get(workspace_id=world.owner.workspace_id, key="stand_visitors")
    assert (activity.enabled, activity.retention.key, activity.data_categories) == (
        True,
        "business_letters",
        ["user.name", "user.content.self_image"],
    )
    assert AuditEvent.objects.filter(action="processing_activity.create", object_id=str(activity.pk)).exists()
    overview = client.get(f"{BASE}/").content.decode()
    assert "Processing activity Visitors at our stand added; the notices of its groups name it." in overview
    notice = client.get(f"{BASE}/notices/business_contact/en.md").content.decode()
    assert "### Visitors at our stand" in notice
    assert "Visitors at our stand" not in client.get(f"{BASE}/notices/client_contact/en.md").content.decode()
    # one new version of the business contacts' notice in each language
    assert NoticeVersion.objects.filter(workspace_id=world.owner.workspace_id).count() == versions + 2


def test_a_taken_key_is_refused_at_the_key_and_the_form_keeps_what_was_typed(world: World) -> None:
    client = client_for(world.owner)
    before = snapshot()

    response = client.post(
        f"{BASE}/activities/new/", _new_activity_form(name_en="Other photos", data_categories=[])
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert sorted(form.errors) == ["data_categories", "key"]
    assert form.errors["key"] == [
        "This workspace already has a processing activity with the key trade_fair_photos."
    ]
    page = response.content.decode()
    assert 'value="Other photos"' in page
    assert "Cancel" in page
    assert snapshot() == before


def test_an_unnamed_legitimate_interest_is_refused_at_its_field(world: World) -> None:
    response = client_for(world.owner).post(
        f"{BASE}/activities/new/",
        _new_activity_form(key="stand_visitors", legitimate_interest_en="", legitimate_interest_de=""),
    )

    assert list(response.context["form"].errors) == ["legitimate_interest_en"]


def test_the_key_is_chosen_when_adding_and_never_in_the_edit_form(world: World) -> None:
    client = client_for(world.owner)

    new_form = client.get(f"{BASE}/activities/new/").context["form"]
    edit_url = f"{BASE}/activities/trade_fair_photos/edit/"
    edit_form = client.get(edit_url).context["form"]
    activity = ProcessingActivity.objects.get(workspace_id=world.owner.workspace_id, key="trade_fair_photos")
    data = {**model_to_dict(activity, fields=ProcessingActivityForm.field_names), "key": "renamed"}
    response = client.post(edit_url, data)

    assert next(iter(new_form.fields)) == "key"
    assert "enabled" not in new_form.fields
    assert "key" not in edit_form.fields
    assert response.status_code == 302
    assert ProcessingActivity.objects.filter(pk=activity.pk, key="trade_fair_photos").exists()


def test_only_added_activities_are_offered_for_deletion_and_only_to_the_privacy_officer(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader, _actor = client_holding(world, VIEW, monkeypatch)

    officer_page = client_for(world.owner).get(f"{BASE}/").content.decode()
    reader_page = reader.get(f"{BASE}/").content.decode()

    assert f"{BASE}/activities/new/" in officer_page
    assert f"{BASE}/activities/trade_fair_photos/delete/" in officer_page
    assert f"{BASE}/activities/service_delivery/delete/" not in officer_page
    assert f"{BASE}/activities/new/" not in reader_page
    assert "/delete/" not in reader_page.split('id="activities-heading"')[1].split("</section>")[0]


def test_an_added_activity_is_deleted_after_confirmation(world: World) -> None:
    client = client_for(world.owner)
    url = f"{BASE}/activities/trade_fair_photos/delete/"

    confirmation = client.get(url).content.decode()
    response = client.post(url)

    assert "Delete processing activity Photos at trade fairs?" in confirmation
    assert response.status_code == 302
    assert not ProcessingActivity.objects.filter(key="trade_fair_photos").exists()
    assert AuditEvent.objects.filter(action="processing_activity.delete").exists()
    assert (
        "Photos at trade fairs" not in client.get(f"{BASE}/notices/business_contact/en.md").content.decode()
    )


def test_a_shipped_activity_is_not_deleted_and_the_page_says_why(world: World) -> None:
    client = client_for(world.owner)
    before = snapshot()

    response = client.post(f"{BASE}/activities/service_delivery/delete/", follow=True)

    assert snapshot() == before
    assert (
        "is shipped with Zweck and the register&#x27;s declarations refer to it" in response.content.decode()
    )


def test_the_new_activity_form_names_the_data_categories_in_german(world: World) -> None:
    client = client_for(world.owner)
    client.cookies["django_language"] = "de"

    page = client.get(f"{BASE}/activities/new/").content.decode()

    assert "Fotos der Person" in page
    assert "Werbung für eigene Angebote" in page
    assert "user.content.self_image</label>" not in page


@pytest.mark.parametrize("path", ["/activities/new/", "/activities/trade_fair_photos/delete/"])
def test_the_activity_pages_pass_the_accessibility_check(world: World, path: str) -> None:
    page = client_for(world.owner).get(BASE + path).content.decode()

    assert accessibility_problems(page) == []
