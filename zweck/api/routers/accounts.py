"""/me and /tokens: who the caller is, and their personal API tokens."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from zweck.accounts import selectors, services
from zweck.accounts.actors import Actor
from zweck.accounts.models import ApiToken
from zweck.api.auth import actor_of
from zweck.api.operations import answers
from zweck.api.schemas.accounts import MeOut, TokenCreatedOut, TokenIn, TokenOut
from zweck.api.schemas.base import ObjectId, Page, PageQuery, page_of

router = Router(tags=["accounts"])


def _token(actor: Actor, token_id: int) -> ApiToken:
    return selectors.token_list(actor=actor).get(pk=token_id)


@router.get("/me", response=answers(MeOut))
def read_me(request: HttpRequest) -> Any:
    """The user and workspace the token acts for, with the role's permissions."""
    return actor_of(request)


@router.get("/tokens", response=answers(Page[TokenOut]))
def list_tokens(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The caller's tokens, newest first; member managers see every token of the workspace."""
    return page_of(selectors.token_list(actor=actor_of(request)), page)


@router.post("/tokens", response=answers(TokenCreatedOut, 201))
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    """Create a token for the caller. The secret is in this response only."""
    actor = actor_of(request)
    with transaction.atomic():
        token, plain = services.token_create(
            actor=actor, name=payload.name, expires_at=payload.expires_at, scope=payload.scope
        )
        created = TokenOut.from_orm(_token(actor, token.pk)).model_dump()
        return Status(201, {**created, "token": plain})


@router.get("/tokens/{token_id}", response=answers(TokenOut))
def read_token(request: HttpRequest, token_id: ObjectId) -> Any:
    return _token(actor_of(request), token_id)


@router.post("/tokens/{token_id}/revoke", response=answers(TokenOut))
def revoke_token(request: HttpRequest, token_id: ObjectId) -> Any:
    """Revoke a token at once; it stays listed, with the time it was revoked."""
    actor = actor_of(request)
    with transaction.atomic():
        services.token_revoke(actor=actor, token=_token(actor, token_id))
        return _token(actor, token_id)
