"""The permission matrix: every endpoint, called as each of the four kinds of caller.

An ``Endpoint`` names what a call needs. The tests call it as
- nobody (no token): 401;
- the owner of another workspace: ``foreign_status`` (404 for anything addressed by id,
  422 for a body naming this workspace's rows) and this workspace unchanged;
- a member who holds every permission but one of ``needs``: 403 (or ``refusals``);
- a member who holds exactly ``needs``: ``status``.
Every refused call leaves the database exactly as it was, audit trail included.

Roles are data (``ROLE_PERMISSIONS``); the shipped roles do not include one that lacks,
say, only ``crm.view``, so the tests give a role precisely the permissions they need.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import MembershipFactory
from zweck.api.tests.support import Api, World, api_as
from zweck.core.permissions import ROLE_PERMISSIONS, Permission, Role

P = Permission
Body = Callable[[World], Any]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    needs: frozenset[Permission]
    status: int = 200
    body: Body | None = None
    foreign_status: int = 404
    # For list endpoints: how many rows the other workspace's owner sees.
    foreign_count: int | None = None
    refusals: Mapping[Permission, int] = field(default_factory=dict)
    # Sent as multipart form data instead of a JSON body.
    upload: Body | None = None

    def url(self, world: World) -> str:
        return self.path.format(**world.ids())

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def needs(*permissions: Permission) -> frozenset[Permission]:
    return frozenset({P.TOKEN_USE, *permissions})


def _person_body(world: World) -> dict[str, Any]:
    return {
        "first_name": "Max",
        "last_name": "Mustermann",
        "emails": [{"email": "max@example.com"}],
        "phones": [{"number": "+49 40 1234567"}],
        "organizations": [{"organization_id": world.organization.pk, "role": "CTO"}],
    }


def _import_upload(world: World) -> dict[str, Any]:
    content = "Vorname;Nachname;E-Mail;Firma\nMax;Mustermann;max.import@example.com;Importfirma GmbH\n"
    return {"file": SimpleUploadedFile("contacts.csv", content.encode(), "text/csv"), "partial": "false"}


def _activity_body(world: World) -> dict[str, Any]:
    return {
        "kind": "meeting",
        "subject": "Workshop",
        "starts_at": "2025-03-04T10:00:00+01:00",
        "participant_ids": [world.person.pk],
        "organization_id": world.organization.pk,
        "deal_id": world.deal.pk,
    }


def _deal_body(world: World) -> dict[str, Any]:
    return {
        "title": "Wartungsvertrag",
        "organization_id": world.organization.pk,
        "stage_id": world.stage.pk,
        "amount": "12000.00",
        "contact_ids": [world.person.pk],
    }


ENDPOINTS: list[Endpoint] = [
    # accounts
    Endpoint("GET", "/me", needs(), foreign_status=200),
    # The caller's own workspace: another workspace's owner reads and changes only theirs.
    Endpoint("GET", "/workspace", needs(), foreign_status=200),
    Endpoint(
        "PATCH",
        "/workspace",
        needs(P.WORKSPACE_MANAGE),
        body=lambda w: {"legal_name": "Beispiel Beratung GmbH", "federal_state": "BY"},
        foreign_status=200,
    ),
    Endpoint("GET", "/tokens", needs(), foreign_status=200, foreign_count=1),
    Endpoint("POST", "/tokens", needs(), 201, lambda w: {"name": "CI"}, foreign_status=201),
    Endpoint("GET", "/security-events", needs(P.SECURITY_LOG_VIEW), foreign_status=200, foreign_count=0),
    # Another workspace's owner reads their own trail (their token's creation), never this one's.
    Endpoint("GET", "/audit-events", needs(P.AUDIT_VIEW), foreign_status=200),
    Endpoint("GET", "/tokens/{token}", needs(P.MEMBER_MANAGE), refusals={P.MEMBER_MANAGE: 404}),
    Endpoint("POST", "/tokens/{token}/revoke", needs(P.MEMBER_MANAGE), refusals={P.MEMBER_MANAGE: 404}),
    # organizations
    Endpoint("GET", "/organizations", needs(P.CRM_VIEW), foreign_status=200, foreign_count=0),
    Endpoint(
        "POST",
        "/organizations",
        needs(P.CRM_VIEW, P.CRM_CHANGE),
        201,
        lambda w: {"name": "Neue Firma GmbH", "tags": ["Partner"], "owner_id": w.owner.user_id},
        foreign_status=422,
    ),
    Endpoint("GET", "/organizations/{organization}", needs(P.CRM_VIEW)),
    Endpoint(
        "PATCH",
        "/organizations/{organization}",
        needs(P.CRM_VIEW, P.CRM_CHANGE),
        body=lambda w: {"industry": "Software"},
    ),
    Endpoint("DELETE", "/organizations/{spare_organization}", needs(P.CRM_VIEW, P.CRM_DELETE), 204),
    Endpoint("GET", "/organizations/{organization}/similar", needs(P.CRM_VIEW)),
    Endpoint("GET", "/reports/revenue", needs(P.REPORT_VIEW), foreign_status=200),
    Endpoint("POST", "/organizations/{organization}/archive", needs(P.CRM_VIEW, P.CRM_CHANGE)),
    Endpoint("POST", "/organizations/{organization}/unarchive", needs(P.CRM_VIEW, P.CRM_CHANGE)),
    Endpoint(
        "PUT",
        "/organizations/{organization}/relationship-end",
        needs(P.CRM_VIEW, P.CRM_CHANGE),
        body=lambda w: {"ended_on": "2025-06-30"},
    ),
    # persons
    Endpoint("GET", "/persons", needs(P.CRM_VIEW), foreign_status=200, foreign_count=0),
    Endpoint("POST", "/persons", needs(P.CRM_VIEW, P.CRM_CHANGE), 201, _person_body, foreign_status=422),
    Endpoint("POST", "/persons/import", needs(P.CRM_CHANGE), upload=_import_upload, foreign_status=200),
    Endpoint("GET", "/persons/export", needs(P.CRM_VIEW, P.CONTACT_EXPORT), foreign_status=200),
    Endpoint("GET", "/persons/{person}", needs(P.CRM_VIEW)),
    Endpoint(
        "PATCH", "/persons/{person}", needs(P.CRM_VIEW, P.CRM_CHANGE), body=lambda w: {"position": "CEO"}
    ),
    Endpoint("DELETE", "/persons/{person}", needs(P.CRM_VIEW, P.CRM_DELETE), 204),
    Endpoint("POST", "/persons/{person}/archive", needs(P.CRM_VIEW, P.CRM_CHANGE)),
    Endpoint("POST", "/persons/{person}/unarchive", needs(P.CRM_VIEW, P.CRM_CHANGE)),
    Endpoint(
        "PUT",
        "/persons/{person}/relationship-end",
        needs(P.CRM_VIEW, P.CRM_CHANGE),
        body=lambda w: {"ended_on": "2025-06-30"},
    ),
    # activities
    Endpoint("GET", "/activities", needs(P.CRM_VIEW), foreign_status=200, foreign_count=0),
    Endpoint(
        "POST",
        "/activities",
        needs(P.CRM_VIEW, P.DEAL_VIEW, P.ACTIVITY_CHANGE),
        201,
        _activity_body,
        foreign_status=422,
    ),
    Endpoint("GET", "/activities/{activity}", needs(P.CRM_VIEW)),
    Endpoint(
        "PATCH",
        "/activities/{activity}",
        needs(P.CRM_VIEW, P.ACTIVITY_CHANGE, P.ACTIVITY_MANAGE_ALL),
        body=lambda w: {"subject": "Zweitgespräch"},
    ),
    # The member calling is not the activity's owner: changing it needs the right to manage all.
    Endpoint(
        "DELETE", "/activities/{activity}", needs(P.CRM_VIEW, P.ACTIVITY_CHANGE, P.ACTIVITY_MANAGE_ALL), 204
    ),
    Endpoint(
        "POST", "/activities/{activity}/complete", needs(P.CRM_VIEW, P.ACTIVITY_CHANGE, P.ACTIVITY_MANAGE_ALL)
    ),
    Endpoint(
        "POST", "/activities/{activity}/reopen", needs(P.CRM_VIEW, P.ACTIVITY_CHANGE, P.ACTIVITY_MANAGE_ALL)
    ),
    # deals (their contacts are persons, hence crm.view)
    Endpoint("GET", "/deals", needs(P.DEAL_VIEW, P.CRM_VIEW), foreign_status=200, foreign_count=0),
    Endpoint(
        "POST", "/deals", needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_CHANGE), 201, _deal_body, foreign_status=422
    ),
    Endpoint("GET", "/deals/{deal}", needs(P.DEAL_VIEW, P.CRM_VIEW)),
    Endpoint(
        "PATCH",
        "/deals/{deal}",
        needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_CHANGE),
        body=lambda w: {"amount": "5000.00"},
    ),
    Endpoint("DELETE", "/deals/{deal}", needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_DELETE), 204),
    Endpoint(
        "POST",
        "/deals/{deal}/move",
        needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_CHANGE),
        body=lambda w: {"stage_id": w.deal.stage_id + 1},
    ),
    Endpoint(
        "POST",
        "/deals/{deal}/close",
        needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_CHANGE),
        body=lambda w: {"won": False, "reason": "Budget"},
    ),
    Endpoint("POST", "/deals/{deal}/reopen", needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_CHANGE)),
    Endpoint("POST", "/deals/{deal}/archive", needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_CHANGE)),
    Endpoint("POST", "/deals/{deal}/unarchive", needs(P.DEAL_VIEW, P.CRM_VIEW, P.DEAL_CHANGE)),
    # pipeline
    Endpoint("GET", "/pipeline-stages", needs(P.DEAL_VIEW), foreign_status=200, foreign_count=0),
    Endpoint(
        "POST",
        "/pipeline-stages",
        needs(P.DEAL_VIEW, P.PIPELINE_MANAGE),
        201,
        lambda w: {"name": "Vertrag", "default_probability": 90},
        foreign_status=201,
    ),
    Endpoint(
        "POST", "/pipeline-stages/install-defaults", needs(P.DEAL_VIEW, P.PIPELINE_MANAGE), foreign_status=200
    ),
    Endpoint("GET", "/pipeline-stages/{stage}", needs(P.DEAL_VIEW)),
    Endpoint(
        "PATCH",
        "/pipeline-stages/{stage}",
        needs(P.DEAL_VIEW, P.PIPELINE_MANAGE),
        body=lambda w: {"name": "Erstkontakt"},
    ),
]

# Addressed by an id in the path: another workspace's caller must get 404 for these.
DETAIL_ENDPOINTS = [endpoint for endpoint in ENDPOINTS if "{" in endpoint.path]


def by_endpoint(endpoints: list[Endpoint] = ENDPOINTS) -> Any:
    return pytest.mark.parametrize("endpoint", endpoints, ids=[endpoint.id for endpoint in endpoints])


def api_holding(world: World, permissions: frozenset[Permission], monkeypatch: pytest.MonkeyPatch) -> Api:
    """The API as a new member of ``world``'s workspace whose role grants exactly ``permissions``.

    The role table is changed for this test only, after the member's token exists
    (creating a token needs ``token.use``, which some cases take away).
    """
    membership = MembershipFactory(workspace=world.owner.workspace, role=Role.READ_ONLY)
    api = api_as(Actor.for_membership(membership))
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.READ_ONLY, permissions)
    return api


def without_each(endpoints: list[Endpoint] = ENDPOINTS) -> Any:
    cases = [(endpoint, permission) for endpoint in endpoints for permission in sorted(endpoint.needs)]
    return pytest.mark.parametrize(
        ("endpoint", "missing"),
        cases,
        ids=[f"{endpoint.id} without {permission}" for endpoint, permission in cases],
    )
