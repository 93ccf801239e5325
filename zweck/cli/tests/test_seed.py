"""The data generator writes what the services would have written, the same every time."""

from __future__ import annotations

from datetime import date
from io import StringIO

import phonenumbers
import pytest
from django.core.management import call_command
from django.db import connection
from stdnum.eu import vat

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.audit.models import AuditEvent
from zweck.cli.seed import SeedReport, seed_generate
from zweck.crm.choices import DataSource, DealStatus, SubjectCategory
from zweck.crm.models import (
    Activity,
    ActivityParticipant,
    Deal,
    DealContact,
    Organization,
    OrganizationAddress,
    OrganizationMembership,
    Person,
    PersonEmail,
    PersonPhone,
)
from zweck.crm.selectors import person_list
from zweck.crm.services import person_refresh_search_text
from zweck.crm.services.organizations import _refresh_search_text
from zweck.crm.services.persons import normalize_email

ANCHOR = date(2026, 3, 2)


def generate(workspace: Workspace, seed: int = 7, **overrides: object) -> SeedReport:
    arguments: dict = {"persons": 120, "organizations": 20, "activities_per_person": 2.5, "seed": seed}
    return seed_generate(workspace=workspace, anchor=ANCHOR, **(arguments | overrides))


def snapshot(workspace: Workspace) -> dict[str, list[tuple]]:
    """Everything generated, without ids (another workspace gets other ids)."""
    persons = Person.objects.filter(workspace=workspace).order_by("id")
    return {
        "organizations": list(
            Organization.objects.filter(workspace=workspace)
            .order_by("id")
            .values_list(
                "name", "vat_id", "email", "phone", "relationship_types", "search_text", "created_at"
            )
        ),
        "persons": list(
            persons.values_list(
                "salutation",
                "title",
                "first_name",
                "last_name",
                "position",
                "subject_category",
                "source",
                "notes",
                "search_text",
                "created_at",
                "emails__email",
                "phones__number",
                "memberships__role",
            )
        ),
        "activities": list(
            Activity.objects.filter(workspace=workspace)
            .order_by("id")
            .values_list(
                "kind", "subject", "body", "starts_at", "ends_at", "due_at", "done_at", "is_recorded"
            )
        ),
        "participants": list(
            ActivityParticipant.objects.filter(workspace=workspace)
            .order_by("id")
            .values_list("person__last_name", "activity__subject")
        ),
        "deals": list(
            Deal.objects.filter(workspace=workspace)
            .order_by("id")
            .values_list("title", "status", "amount", "probability", "closed_at", "organization__name")
        ),
    }


@pytest.mark.django_db
def test_seed_writes_the_requested_numbers(workspace: Workspace) -> None:
    report = generate(workspace)

    assert Person.objects.filter(workspace=workspace).count() == 120
    assert Organization.objects.filter(workspace=workspace).count() == 20
    assert OrganizationAddress.objects.filter(workspace=workspace).count() == 20
    assert Activity.objects.filter(workspace=workspace).count() == 300
    assert PersonEmail.objects.filter(workspace=workspace).count() == 120
    assert report.rows == {
        "organizations": 20,
        "persons": 120,
        "deals": Deal.objects.filter(workspace=workspace).count(),
        "activities": 300,
    }
    assert report.seconds > 0


@pytest.mark.django_db
def test_seed_records_one_audit_event_for_the_whole_run(workspace: Workspace) -> None:
    before = AuditEvent.objects.filter(workspace=workspace, action="crm.seed").count()

    generate(workspace)

    events = AuditEvent.objects.filter(workspace=workspace).exclude(action="pipeline.install_defaults")
    assert before == 0
    assert list(events.values_list("action", "object_type", "object_id")) == [
        ("crm.seed", "accounts.workspace", str(workspace.pk))
    ]


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data(workspace: Workspace) -> None:
    twin, other = (
        Workspace.objects.create(name="Twin", slug="twin"),
        Workspace.objects.create(name="O", slug="o"),
    )

    generate(workspace, seed=11)
    generate(twin, seed=11)
    generate(other, seed=12)

    assert snapshot(workspace) == snapshot(twin)
    assert snapshot(workspace)["persons"] != snapshot(other)["persons"]


@pytest.mark.django_db
def test_seeding_again_adds_rows_without_touching_the_first_run(workspace: Workspace) -> None:
    generate(workspace, seed=3)
    first = snapshot(workspace)

    generate(workspace, seed=3, persons=10, organizations=2)

    assert Person.objects.filter(workspace=workspace).count() == 130
    assert snapshot(workspace)["organizations"][:20] == first["organizations"]


@pytest.mark.django_db
def test_seeded_rows_are_valid_as_the_services_would_write_them(workspace: Workspace) -> None:
    generate(workspace, persons=300, organizations=40, activities_per_person=3)

    for model in (Organization, OrganizationAddress, Person, PersonEmail, PersonPhone, OrganizationMembership,
                  Activity, ActivityParticipant, Deal, DealContact):  # fmt: skip
        for row in model.objects.filter(workspace=workspace).order_by("id")[:60]:
            row.full_clean()
    for number in PersonPhone.objects.filter(workspace=workspace).values_list("number", flat=True):
        assert phonenumbers.is_valid_number(phonenumbers.parse(number, None)), number
    emails = list(PersonEmail.objects.filter(workspace=workspace).values_list("email", flat=True))
    assert len(set(emails)) == len(emails) == 300
    for email in emails:
        assert normalize_email(email) == email
        assert email.endswith(".example.com")
    for vat_id in (
        Organization.objects.filter(workspace=workspace).exclude(vat_id="").values_list("vat_id", flat=True)
    ):
        assert vat.is_valid(vat_id), vat_id
    for person in Person.objects.filter(workspace=workspace):
        stored = person.search_text
        person_refresh_search_text(person=person)
        assert person.search_text == stored
    for organization in Organization.objects.filter(workspace=workspace):
        stored = organization.search_text
        _refresh_search_text(organization)
        assert organization.search_text == stored


@pytest.mark.django_db
def test_seeded_data_covers_every_category_kind_and_deal_state(workspace: Workspace) -> None:
    generate(workspace, persons=400, organizations=60, activities_per_person=4)

    persons = Person.objects.filter(workspace=workspace)
    assert set(persons.values_list("subject_category", flat=True)) == set(SubjectCategory.values)
    assert set(persons.values_list("source", flat=True)) == set(DataSource.values)
    assert set(Deal.objects.filter(workspace=workspace).values_list("status", flat=True)) == set(
        DealStatus.values
    )
    activities = Activity.objects.filter(workspace=workspace)
    assert activities.filter(kind="call", is_recorded=True).exists()
    assert activities.filter(kind="task", done_at__isnull=True, due_at__date__lt=ANCHOR).exists()
    assert activities.filter(kind="task", done_at__isnull=False).exists()
    assert activities.filter(kind="task", due_at__date__gt=ANCHOR).exists()
    names = {person.full_name for person in persons}
    mentioning = [body for body in activities.exclude(body="").values_list("body", flat=True)]
    assert mentioning
    assert all(any(name in body for name in names) for body in mentioning[:50])


@pytest.mark.django_db
def test_search_finds_seeded_persons_by_name_email_and_phone(workspace: Workspace, owner: Actor) -> None:
    generate(workspace)
    person = Person.objects.filter(workspace=workspace, phones__isnull=False).order_by("id").first()
    assert person is not None
    email = person.emails.get().email
    number = person.phones.get().number

    for query in (f"{person.first_name} {person.last_name}", email, number):
        assert person in person_list(actor=owner, query=query), query


@pytest.mark.django_db
def test_seed_rebuilds_the_indexes_and_constraints_it_set_aside(workspace: Workspace) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("indexes are set aside on PostgreSQL only")
    before = _schema()

    generate(workspace, rebuild_indexes=True)

    assert _schema() == before
    assert Person.objects.filter(workspace=workspace).count() == 120


def _schema() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'crm\\_%%'
            UNION ALL
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid::regclass::text LIKE 'crm\\_%%'
            ORDER BY 1
            """
        )
        return cursor.fetchall()


@pytest.mark.django_db
def test_seed_command_creates_its_workspace_and_reports(db: None) -> None:
    out = StringIO()

    call_command("seed", "--persons", "30", "--activities-per-person", "2", "--seed", "5", stdout=out)

    workspace = Workspace.objects.get(slug="seed")
    assert Person.objects.filter(workspace=workspace).count() == 30
    assert Organization.objects.filter(workspace=workspace).count() == 6
    assert Activity.objects.filter(workspace=workspace).count() == 60
    assert "Created workspace seed." in out.getvalue()
    assert "6 organizations, 30 persons" in out.getvalue()
