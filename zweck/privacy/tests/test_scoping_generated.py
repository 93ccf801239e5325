"""Tests generated from the register: for every declared model whose rows belong to contacts,
``visible_to`` hides the rows whose only subjects are restricted (Art. 18(2) GDPR) or that a
hold keeps, shows them for storage, and never shows another workspace's rows.

The expected rows are computed independently of the scope filter, from the register's subject
paths (``subject_ids_of_rows``) and the stored holds. A model added to the register whose rows
the small world below does not make fails ``test_the_world_has_rows_of_every_contact_model``:
extend the world, so the new model is checked too.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.test import override_settings

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import WorkspaceFactory, make_actor
from zweck.audit.services import object_type_of
from zweck.core.permissions import Role
from zweck.core.register import ModelDeclaration, register
from zweck.core.scoping import Purpose, WorkspaceQuerySet
from zweck.crm.models import Person
from zweck.crm.services import activity_create, deal_update
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.marketing.choices import ConsentPurpose
from zweck.marketing.services import consent_withdraw
from zweck.marketing.tests.factories import make_consent
from zweck.privacy.dsr import dsr_open
from zweck.privacy.erasure import person_erase
from zweck.privacy.holds import record_hold_place
from zweck.privacy.models import RecordHold
from zweck.privacy.request_models import RequestKind
from zweck.privacy.restriction import person_restrict
from zweck.privacy.services import recipient_create, register_defaults_install
from zweck.privacy.subjects import CONTACT, in_workspace, subject_ids_of_rows
from zweck.sales.tests.document_factories import make_sending
from zweck.sales.tests.factories import make_sales_documents
from zweck.sales.tests.receivables_factories import make_collection_rows
from zweck.service.tests.factories import make_ticket_rows

pytestmark = pytest.mark.django_db


def _has_workspace(declaration: ModelDeclaration) -> bool:
    return any(f.name == "workspace" for f in declaration.model._meta.concrete_fields)


# Link tables Django makes for a many-to-many field carry no workspace: they are read only
# through the rows on either side (see the last test).
CONTACT_DECLARATIONS = sorted(
    (d for d in register if d.subject is not None and d.subject_kind == CONTACT and _has_workspace(d)),
    key=lambda d: d.label,
)


@dataclass
class World:
    owner: Actor
    restricted: Person
    free: Person
    held: Model


def build_world(workspace_name: str) -> World:
    """One workspace with a row of every contact model: some belonging only to the restricted
    person, some shared with a person who is not restricted, one kept by a hold."""
    owner = make_actor(Role.OWNER, WorkspaceFactory(name=workspace_name))
    register_defaults_install(actor=owner)
    recipient = recipient_create(
        actor=owner,
        name="Steuerbüro Beispiel",
        role="processor",
        service_en="Bookkeeping",
        service_de="Buchhaltung",
        country="DE",
        activity_keys=["contact_management"],
    )
    organization = make_organization(owner)
    restricted = make_person(owner, "Rita", phone="+49 221 1234567", organization=organization)
    free = make_person(owner, "Frank", phone="+49 221 7654321", organization=organization)
    activity_create(actor=owner, kind="call", subject="Only Rita", participants=[restricted])
    activity_create(actor=owner, kind="call", subject="Rita and Frank", participants=[restricted, free])
    held = activity_create(actor=owner, kind="note", subject="Frank, kept", participants=[free])
    deal_update(actor=owner, deal=make_deal(owner, organization=organization), contacts=[restricted])
    deal_update(actor=owner, deal=make_deal(owner, organization=organization), contacts=[restricted, free])
    for contact in (restricted, free):
        documents = make_sales_documents(owner, organization=organization, contact=contact)
        make_collection_rows(owner, documents, recipient=recipient)
    make_sending(owner, quote=documents.quote, recipient=free)
    for contact in (restricted, free):
        make_consent(owner, contact)
    consent_withdraw(
        actor=owner, record=make_consent(owner, free, ConsentPurpose.EVENT_INVITATIONS), method="paper"
    )
    with override_settings(DATA_DIR=tempfile.mkdtemp(prefix="zweck-world-")):
        for contact in (restricted, free):
            make_ticket_rows(owner, contact)
    dsr_open(
        actor=owner,
        kind=RequestKind.RESTRICTION,
        channel="email",
        requester_email="rita@example.com",
        person_ids=[restricted.pk],
    )
    dsr_open(actor=owner, kind=RequestKind.ACCESS, channel="email", person_ids=[free.pk])
    person_restrict(actor=owner, person_ids=[restricted.pk])
    # A legal hold on a live record keeps it in use; the rows an erasure keeps are restricted.
    record_hold_place(
        actor=owner,
        object_type="activity",
        object_id=held.pk,
        reason="Legal claim",
        ends_on=date.today() + timedelta(days=30),
    )
    erased = make_person(owner, "Erika")
    make_consent(owner, erased)
    dsr_open(actor=owner, kind=RequestKind.ERASURE, channel="email", person_ids=[erased.pk])
    person_erase(actor=owner, person_ids=[erased.pk])
    return World(owner=owner, restricted=restricted, free=free, held=held)


@pytest.fixture
def worlds() -> tuple[World, World]:
    return build_world("Erste GmbH"), build_world("Zweite GmbH")


def expected_for_use(declaration: ModelDeclaration, world: World) -> set[int]:
    """Rows of the world's workspace that are not only the restricted person's and not held."""
    workspace_id = world.owner.workspace_id
    rows = set(in_workspace(declaration, workspace_id).values_list("pk", flat=True))
    subjects = subject_ids_of_rows(declaration, workspace_id=workspace_id, row_ids=rows)
    held = set(
        RecordHold.objects.in_workspace(workspace_id)
        .filter(
            object_type=object_type_of(declaration.model), released_at__isnull=True, erase_on_release=True
        )
        .values_list("object_id", flat=True)
    )
    restricted = set(
        Person.objects.in_workspace(workspace_id)
        .filter(restricted_at__isnull=False)
        .values_list("pk", flat=True)
    )
    return {pk for pk in rows if pk not in held and (not subjects.get(pk) or not subjects[pk] <= restricted)}


def visible(declaration: ModelDeclaration, actor: Actor, purpose: Purpose) -> set[int]:
    rows = declaration.model._default_manager.all()
    assert isinstance(rows, WorkspaceQuerySet), f"{declaration.label} has no workspace queryset"
    return set(rows.visible_to(actor, None, purpose=purpose).values_list("pk", flat=True))


def test_the_world_has_rows_of_every_contact_model(worlds: tuple[World, World]) -> None:
    first, _ = worlds
    without_rows = [
        d.label for d in CONTACT_DECLARATIONS if not in_workspace(d, first.owner.workspace_id).exists()
    ]
    assert without_rows == []


def test_the_world_restricts_someone_in_every_model_that_can_be(worlds: tuple[World, World]) -> None:
    # The check below would pass trivially if nothing were hidden anywhere.
    first, _ = worlds
    hidden = {
        d.label
        for d in CONTACT_DECLARATIONS
        if set(in_workspace(d, first.owner.workspace_id).values_list("pk", flat=True))
        - expected_for_use(d, first)
    }
    assert {
        "crm.Person",
        "crm.PersonEmail",
        "crm.PersonPhone",
        "crm.Activity",
        "crm.Deal",
        "crm.DealContact",
        "privacy.DataSubjectRequest",
    } <= hidden


@pytest.mark.parametrize("declaration", CONTACT_DECLARATIONS, ids=lambda d: d.label)
def test_restricted_and_held_rows_are_hidden_for_use(
    declaration: ModelDeclaration, worlds: tuple[World, World]
) -> None:
    for world in worlds:
        assert visible(declaration, world.owner, Purpose.USE) == expected_for_use(declaration, world)


@pytest.mark.parametrize("declaration", CONTACT_DECLARATIONS, ids=lambda d: d.label)
def test_every_stored_row_of_the_workspace_is_shown_for_storage(
    declaration: ModelDeclaration, worlds: tuple[World, World]
) -> None:
    first, _ = worlds
    officer = make_actor(Role.PRIVACY_OFFICER, first.owner.workspace)
    stored = set(in_workspace(declaration, first.owner.workspace_id).values_list("pk", flat=True))
    assert visible(declaration, officer, Purpose.STORAGE) == stored


def test_reading_for_storage_needs_the_privacy_permission(worlds: tuple[World, World]) -> None:
    first, _ = worlds
    sales = make_actor(Role.SALES, first.owner.workspace)
    with pytest.raises(PermissionDenied):
        Person.objects.visible_to(sales, None, purpose=Purpose.STORAGE)


def test_a_missing_permission_is_refused_before_anything_is_read(worlds: tuple[World, World]) -> None:
    first, _ = worlds
    reader = make_actor(Role.READ_ONLY, first.owner.workspace)
    with pytest.raises(PermissionDenied):
        Person.objects.visible_to(reader, "crm.change")  # type: ignore[arg-type]


@pytest.mark.parametrize("purpose", list(Purpose))
def test_no_workspace_model_ever_shows_another_workspaces_rows(
    purpose: Purpose, worlds: tuple[World, World]
) -> None:
    first, second = worlds
    leaks = {}
    for declaration in register:
        rows = declaration.model._default_manager.all()
        if not isinstance(rows, WorkspaceQuerySet):
            continue
        for world, other in ((first, second), (second, first)):
            seen = rows.visible_to(world.owner, None, purpose=purpose).filter(
                workspace_id=other.owner.workspace_id
            )
            if seen.exists():
                leaks[declaration.label] = seen.count()
    assert leaks == {}


def test_every_model_with_a_workspace_reads_through_the_workspace_queryset() -> None:
    without = [
        d.label
        for d in register
        if _has_workspace(d) and not isinstance(d.model._default_manager.all(), WorkspaceQuerySet)
    ]
    assert without == []


def test_only_many_to_many_link_tables_of_contact_data_have_no_workspace() -> None:
    unscoped = [
        d.label
        for d in register
        if d.subject is not None
        and d.subject_kind == CONTACT
        and not _has_workspace(d)
        and not d.model._meta.auto_created
    ]
    assert unscoped == []
