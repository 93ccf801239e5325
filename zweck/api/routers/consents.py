"""/consents: the consent ledger. Reading needs ``consent.view``; recording and withdrawing
``consent.manage``. Entries are never changed or deleted; a withdrawal is a new entry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from zweck.api import references
from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of
from zweck.api.schemas.consents import ConsentFilter, ConsentIn, ConsentOut, ConsentTextOut, ConsentWithdrawIn
from zweck.marketing import selectors, services
from zweck.marketing.services import Chain

router = Router(tags=["consents"])


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@router.get("", response=answers(Page[ConsentOut]))
def list_consents(request: HttpRequest, filters: Query[ConsentFilter], page: Query[PageQuery]) -> Any:
    actor = actor_of(request)
    return page_of(
        selectors.consent_list(actor=actor, **filters.selector_arguments()),
        page,
        reader=actor,
        filters=filters.selector_arguments().keys(),
    )


@router.get("/texts", response=answers(list[ConsentTextOut]))
def list_consent_texts(request: HttpRequest) -> Any:
    """Every version of every consent text; a consent names its text by the digest."""
    return list(selectors.consent_texts(actor=actor_of(request)))


@router.post("", response=answers(ConsentOut, 201))
def create_consent(request: HttpRequest, payload: ConsentIn) -> Any:
    actor = actor_of(request)
    data = payload.model_dump()
    with transaction.atomic():
        person = references.persons(actor, [data.pop("person_id")], "person_id")[0]
        digest = data.pop("text_digest")
        text = None
        if digest is not None:
            text = selectors.consent_texts(actor=actor).filter(digest=digest.lower()).first()
            if text is None:
                raise ValidationError({"text_digest": _("No such consent text.")})
        chain = Chain(
            form_submitted_at=data.pop("form_submitted_at"),
            form_ip_address=_text(data.pop("form_ip_address")),
            form_user_agent=data.pop("form_user_agent"),
            form_page=data.pop("form_page"),
        )
        record = services.consent_record(
            actor=actor,
            person=person,
            text=text,
            chain=chain,
            ip_address=_text(data.pop("ip_address")),
            **data,
        )
        return Status(201, selectors.consent_get(actor=actor, record_id=record.pk))


@router.get("/{consent_id}", response=answers(ConsentOut))
def read_consent(request: HttpRequest, consent_id: ObjectId) -> Any:
    return selectors.consent_get(actor=actor_of(request), record_id=consent_id)


@router.post("/{consent_id}/withdraw", response=answers(ConsentOut, 201))
def withdraw_consent(request: HttpRequest, consent_id: ObjectId, payload: ConsentWithdrawIn) -> Any:
    """Withdraw a consent (Art. 7(3) GDPR): the answer is the new withdrawal entry; a consent
    withdrawn before answers 422."""
    actor = actor_of(request)
    data = payload.model_dump()
    with transaction.atomic():
        record = selectors.consent_get(actor=actor, record_id=consent_id)
        withdrawal = services.consent_withdraw(
            actor=actor, record=record, ip_address=_text(data.pop("ip_address")), **data
        )
        return Status(201, selectors.consent_get(actor=actor, record_id=withdrawal.pk))
