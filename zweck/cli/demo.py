"""The demo workspace: a small IT consultancy (``demo_data.yaml``), loaded through the services.

Everything goes through the services the UI and API use, so the demo shows exactly what
those produce, audit events included. Loading is idempotent: a database that already holds
the demo workspace is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import User, Workspace
from zweck.accounts.selectors import actor_for, workspace_get_by_slug
from zweck.accounts.services import membership_set, user_create, workspace_create
from zweck.core.permissions import Role
from zweck.crm.choices import ContactLabel
from zweck.crm.models import Organization, Person, PipelineStage
from zweck.crm.services import (
    AddressInput,
    EmailInput,
    MembershipInput,
    PhoneInput,
    activity_create,
    deal_close,
    deal_create,
    organization_create,
    organization_relationship_end,
    person_create,
    person_relationship_end,
    pipeline_install_defaults,
)
from zweck.privacy.services import register_defaults_install

DEMO_SLUG = "demo"
DATA_FILE = Path(__file__).with_name("demo_data.yaml")


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    full_name: str
    language: str


DEMO_LOGINS = (
    DemoLogin(Role.OWNER, "owner@nordlicht.example.com", "Katrin Vogel", "de"),
    DemoLogin(Role.ADMIN, "admin@nordlicht.example.com", "Tobias Brandt", "de"),
    DemoLogin(Role.SALES, "sales@nordlicht.example.com", "Lena Hoffmann", "de"),
    DemoLogin(Role.SERVICE, "service@nordlicht.example.com", "Mehmet Yilmaz", "de"),
    DemoLogin(Role.ACCOUNTING, "accounting@nordlicht.example.com", "Sabine Krüger", "de"),
    DemoLogin(Role.MARKETING, "marketing@nordlicht.example.com", "Olivia Bennett", "en"),
    DemoLogin(Role.PRIVACY_OFFICER, "privacy@nordlicht.example.com", "Dr. Jens Albrecht", "de"),
    DemoLogin(Role.READ_ONLY, "readonly@nordlicht.example.com", "Paul Fischer", "en"),
)


def demo_workspace() -> Workspace | None:
    """The demo workspace, when it has been loaded."""
    return workspace_get_by_slug(slug=DEMO_SLUG)


@transaction.atomic
def demo_load(*, password: str) -> Workspace | None:
    """Create the demo workspace with one login per role and its sample data.

    Every login gets ``password``. Returns ``None`` (and changes nothing) when the demo
    workspace exists already.
    """
    if demo_workspace() is not None:
        return None
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    users = {
        login.role: user_create(
            email=login.email, password=password, full_name=login.full_name, language=login.language
        )
        for login in DEMO_LOGINS
    }
    workspace = workspace_create(slug=DEMO_SLUG, owner=users[Role.OWNER], **data["workspace"])
    owner = actor_for(user=users[Role.OWNER], workspace=workspace)
    assert owner is not None  # workspace_create made them the owner
    for role, user in users.items():
        if role != Role.OWNER:
            membership_set(actor=owner, user=user, role=role)
    register_defaults_install(actor=owner)
    pipeline_install_defaults(actor=owner)
    _Loader(owner, users, data).load()
    return workspace


class _Loader:
    """Turns the data file's rows into service calls; keys in the file name the rows."""

    def __init__(self, actor: Actor, users: dict[str, User], data: dict[str, Any]) -> None:
        self.actor, self.users, self.data = actor, users, data
        self.now = timezone.now().replace(second=0, microsecond=0)
        self.organizations: dict[str, Organization] = {}
        self.persons: dict[str, Person] = {}

    def load(self) -> None:
        for key, row in self.data["organizations"].items():
            self.organizations[key] = self._organization(key, dict(row))
        for key, row in self.data["persons"].items():
            self.persons[key] = self._person(dict(row))
        for row in self.data["activities"]:
            self._activity(dict(row))
        stages = {stage.name: stage for stage in PipelineStage.objects.in_workspace(self.actor.workspace_id)}
        for row in self.data["deals"]:
            self._deal(dict(row), stages)

    def _at(self, days: float | None) -> datetime | None:
        return None if days is None else self.now + timedelta(days=days)

    def _organization(self, key: str, row: dict[str, Any]) -> Organization:
        addresses = [AddressInput(**address) for address in row.pop("addresses", [])]
        domain = f"{key}.example.com"
        row.setdefault("website", f"https://www.{domain}")
        row.setdefault("email", f"info@{domain}")
        ended = self._at(row.pop("relationship_ended", None))
        organization = organization_create(
            actor=self.actor, addresses=addresses, owner=self.users[Role.SALES], **row
        )
        if ended is not None:
            organization_relationship_end(actor=self.actor, organization=organization, ended_on=ended.date())
        return organization

    def _person(self, row: dict[str, Any]) -> Person:
        organization = self.organizations.get(row.pop("organization", ""))
        label = ContactLabel.WORK if organization else ContactLabel.HOME
        phone, phone_label = row.pop("phone", None), row.pop("phone_label", label)
        ended = self._at(row.pop("relationship_ended", None))
        person = person_create(
            actor=self.actor,
            emails=[EmailInput(row.pop("email"), label)],
            phones=[PhoneInput(phone, phone_label)] if phone else [],
            organizations=[MembershipInput(organization, role=row.get("position", ""))]
            if organization
            else [],
            owner=self.users[Role.SALES] if organization else None,
            **row,
        )
        if ended is not None:
            person_relationship_end(actor=self.actor, person=person, ended_on=ended.date())
        return person

    def _activity(self, row: dict[str, Any]) -> None:
        starts_at = self._at(row.pop("starts", None))
        hours = row.pop("hours", None)
        activity_create(
            actor=self.actor,
            participants=[self.persons[key] for key in row.pop("participants", [])],
            organization=self.organizations.get(row.pop("organization", "")),
            owner=self.users[row.pop("owner")],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=hours) if starts_at and hours else None,
            due_at=self._at(row.pop("due", None)),
            done_at=self._at(row.pop("done", None)),
            is_recorded=row.pop("recorded", False),
            **row,
        )

    def _deal(self, row: dict[str, Any], stages: dict[str, PipelineStage]) -> None:
        close, reason = row.pop("close", None), row.pop("reason", "")
        deal = deal_create(
            actor=self.actor,
            organization=self.organizations[row.pop("organization")],
            stage=stages[row.pop("stage")],
            contacts=[self.persons[key] for key in row.pop("contacts", [])],
            amount=Decimal(row.pop("amount")),
            owner=self.users[Role.SALES],
            expected_close_on=(self.now + timedelta(days=45)).date() if close is None else None,
            **row,
        )
        if close is not None:
            deal_close(actor=self.actor, deal=deal, won=close == "won", reason=reason)
