"""Calling the API as a given member, and the small world of data every API test starts from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken, Membership, User, Workspace
from zweck.accounts.services import token_create
from zweck.audit.models import AuditEvent, AuditEventSubject
from zweck.crm import models as crm
from zweck.crm.services import activity_create
from zweck.crm.tests.factories import make_deal, make_organization, make_person
from zweck.privacy.models import NoticeVersion
from zweck.sales import models as sales

PREFIX = "/api/v1"


def token_for(actor: Actor) -> str:
    """A fresh token of ``actor``, already marked used so calls do not write ``last_used_at``."""
    token, plain = token_create(actor=actor, name="API test")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return plain


class Api:
    """The test client speaking JSON to ``/api/v1`` with one member's token (or none)."""

    def __init__(self, token: str | None = None) -> None:
        self.client = Client()
        self.token = token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: dict[str, Any] | None = None,
        raw: str | bytes | None = None,
    ) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        url = PREFIX + path
        if method == "GET":
            return self.client.get(url, query or {}, headers=headers)
        return self.client.generic(
            method,
            url,
            data=data or "",
            content_type="application/json",
            headers=headers,
            QUERY_STRING="&".join(f"{k}={v}" for k, v in (query or {}).items()),
        )

    def upload(self, path: str, fields: dict[str, Any]) -> Any:
        """POST ``fields`` as multipart form data (files as ``SimpleUploadedFile``)."""
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return self.client.post(PREFIX + path, fields, headers=headers)

    def get(self, path: str, **query: Any) -> Any:
        return self.call("GET", path, query=query)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.call("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.call("DELETE", path)


def api_as(actor: Actor) -> Api:
    return Api(token_for(actor))


@dataclass
class World:
    """One workspace with a little of everything, owned by ``owner``."""

    owner: Actor
    organization: crm.Organization
    spare_organization: crm.Organization
    person: crm.Person
    activity: crm.Activity
    deal: crm.Deal
    stage: crm.PipelineStage
    token: ApiToken

    def ids(self) -> dict[str, int]:
        return {
            "organization": self.organization.pk,
            "spare_organization": self.spare_organization.pk,
            "person": self.person.pk,
            "activity": self.activity.pk,
            "deal": self.deal.pk,
            "stage": self.stage.pk,
            "token": self.token.pk,
            "owner": self.owner.user_id or 0,
        }


def build_world(owner: Actor) -> World:
    organization = make_organization(owner, name="Nordlicht IT GmbH", tags=["Kunde"])
    person = make_person(
        owner, first_name="Erika", last_name="Beispiel", phone="+49 30 1234567", organization=organization
    )
    deal = make_deal(owner, organization=organization, contacts=[person])
    activity = activity_create(
        actor=owner, kind="call", subject="Erstgespräch", participants=[person], organization=organization
    )
    token, _plain = token_create(actor=owner, name="Owner's integration")
    return World(
        owner=owner,
        organization=organization,
        spare_organization=make_organization(owner, name="Ohne Geschäft AG"),
        person=person,
        activity=activity,
        deal=deal,
        stage=crm.PipelineStage.objects.filter(workspace_id=owner.workspace_id).order_by("position")[0],
        token=token,
    )


SNAPSHOT_MODELS: list[type[models.Model]] = [
    Workspace,
    User,
    Membership,
    ApiToken,
    AuditEvent,
    AuditEventSubject,
    crm.Tag,
    crm.Organization,
    crm.Organization.tags.through,
    crm.OrganizationAddress,
    crm.Person,
    crm.PersonEmail,
    crm.PersonPhone,
    crm.OrganizationMembership,
    crm.Activity,
    crm.ActivityParticipant,
    crm.PipelineStage,
    crm.Deal,
    crm.DealContact,
    NoticeVersion,
    sales.Product,
    sales.SalesSettings,
    sales.DocumentCounter,
    sales.Quote,
    sales.QuoteLine,
    sales.Order,
    sales.OrderLine,
    sales.Invoice,
    sales.InvoiceLine,
    sales.InvoiceTaxTotal,
    sales.InvoiceCancellation,
    sales.Payment,
]


def snapshot(workspace: Workspace | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the API can write (of one workspace, when given).

    ``ApiToken.last_used_at`` is left out: authenticating refreshes it, which is
    bookkeeping, not a change the call made.
    """
    state = {}
    for model in SNAPSHOT_MODELS:
        rows = model._default_manager.order_by("pk")
        names = {field.name for field in model._meta.concrete_fields}
        if workspace is not None:
            if model is Workspace:
                rows = rows.filter(pk=workspace.pk)
            elif "workspace" in names:
                rows = rows.filter(workspace=workspace)
            elif model is crm.Organization.tags.through:
                rows = rows.filter(organization__workspace=workspace)
        columns = [field.attname for field in model._meta.concrete_fields if field.name != "last_used_at"]
        state[model._meta.label] = list(rows.values(*columns))
    return state


@dataclass
class PrivacyWorld:
    """``World`` with the shipped register, a recipient, and a data-subject request of every kind
    about its person: verified and linked, one restricted (so a recipient notification waits),
    one not yet verified."""

    world: World
    request_ids: list[int]
    notification_ids: list[int]
    recipient_ids: list[int]

    def ids_of(self, parameter: str) -> list[int]:
        """The real rows a path parameter of that name can name."""
        return {
            "request_id": self.request_ids,
            "notification_id": self.notification_ids,
            "recipient_id": self.recipient_ids,
        }.get(parameter, [])


def build_privacy_world(owner: Actor) -> PrivacyWorld:
    from zweck.privacy import dsr
    from zweck.privacy.models import RecipientNotification
    from zweck.privacy.request_models import ObjectionScope, RequestChannel, RequestKind
    from zweck.privacy.tests.factories import (
        mailhost_processor,
        register_with_erp_processor,
        verified_request,
    )

    world = build_world(owner)
    recipient_ids = [register_with_erp_processor(owner).pk, mailhost_processor(owner).pk]
    request_ids = []
    for kind in RequestKind.values:
        opened = verified_request(
            owner,
            [world.person.pk],
            kind,
            requester_email=f"{kind}.request@example.com",
            objection_scope=ObjectionScope.LEGITIMATE_INTEREST if kind == RequestKind.OBJECTION else "",
        )
        if kind == RequestKind.RESTRICTION:
            dsr.dsr_restrict(actor=owner, request=opened)
        request_ids.append(opened.pk)
    unverified = dsr.dsr_open(actor=owner, kind=RequestKind.ACCESS, channel=RequestChannel.LETTER)
    request_ids.append(unverified.pk)
    return PrivacyWorld(
        world=world,
        request_ids=request_ids,
        notification_ids=list(
            RecipientNotification.objects.filter(workspace_id=owner.workspace_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        recipient_ids=recipient_ids,
    )
