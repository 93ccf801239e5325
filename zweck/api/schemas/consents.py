"""The consent ledger: entries read, consents recorded with their proof, withdrawals."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import IPvAnyAddress

from zweck.api.schemas.base import FilterSchema, InputSchema, Moment, ObjectId, Text, length
from zweck.marketing.choices import ConsentChannel, ConsentMethod, ConsentPurpose, RecordKind
from zweck.marketing.models import ConsentRecord

PurposeKey = Literal[
    "newsletter", "event_invitations", "telephone", "disclosure", "call_recording", "special_category"
]
ChannelKey = Literal["email", "telephone", "post", "in_person"]
MethodKey = Literal["double_opt_in", "web_form", "paper", "verbal", "preference_centre"]
WithdrawalMethodKey = Literal["web_form", "paper", "verbal", "preference_centre"]

assert set(PurposeKey.__args__) == set(ConsentPurpose.values)  # type: ignore[attr-defined]
assert set(ChannelKey.__args__) == set(ConsentChannel.values)  # type: ignore[attr-defined]
assert set(MethodKey.__args__) == set(ConsentMethod.values)  # type: ignore[attr-defined]


class ConsentIn(InputSchema):
    """A consent someone gave, with what proves it. Without ``text_digest`` the current text of
    the purpose in the person's language is recorded as the one agreed to."""

    person_id: ObjectId
    purpose: PurposeKey
    channel: ChannelKey
    address: Text = Field(
        max_length=length(ConsentRecord, "address"),
        description="The email address or telephone number (international form) the consent covers.",
    )
    method: MethodKey
    text_digest: Text | None = Field(
        None, max_length=64, description="SHA-256 digest of the consent text shown (see /consents/texts)."
    )
    given_at: Moment | None = Field(None, description="When the consent was given; now when left out.")
    note: Text = Field("", max_length=5000, description="Needed for a consent given verbally.")
    ip_address: IPvAnyAddress | None = None
    user_agent: Text = Field("", max_length=length(ConsentRecord, "user_agent"))
    recipient_id: ObjectId | None = Field(None, description="The recipient of a consent to passing data on.")
    scope: Text = Field(
        "", max_length=length(ConsentRecord, "scope"), description="The event, for health data."
    )
    form_submitted_at: Moment | None = None
    form_ip_address: IPvAnyAddress | None = None
    form_user_agent: Text = Field("", max_length=length(ConsentRecord, "form_user_agent"))
    form_page: Text = Field("", max_length=length(ConsentRecord, "form_page"))


class ConsentWithdrawIn(InputSchema):
    method: WithdrawalMethodKey
    note: Text = Field("", max_length=5000, description="Needed for a withdrawal given verbally.")
    given_at: Moment | None = Field(None, description="When the consent was withdrawn; now when left out.")
    ip_address: IPvAnyAddress | None = None
    user_agent: Text = Field("", max_length=length(ConsentRecord, "user_agent"))


class ConsentFilter(FilterSchema):
    person_id: ObjectId | None = None
    purpose: PurposeKey | None = None
    kind: Literal["grant", "withdrawal"] | None = None
    in_force: bool | None = Field(None, description="Only consents in force (true) or withdrawn (false).")


class ConsentTextOut(Schema):
    digest: str
    purpose: str
    language: str
    version: int
    body: str
    created_at: datetime


class ConsentOut(Schema):
    id: int
    person_id: int
    kind: str = Field(description=f"{', '.join(RecordKind.values)}")
    purpose: str
    recipient_id: int | None
    scope: str
    channel: str
    address: str
    method: str
    note: str
    given_at: datetime
    ip_address: str | None
    user_agent: str
    text: ConsentTextOut
    form_submitted_at: datetime | None
    form_ip_address: str | None
    form_user_agent: str
    form_page: str
    confirmation_sent_at: datetime | None
    confirmation_subject: str
    withdraws_id: int | None = Field(description="For a withdrawal: the consent it ends.")
    withdrawn_by_id: int | None = Field(description="For a consent: its withdrawal, if any.")
    in_force: bool
    created_at: datetime

    @staticmethod
    def resolve_withdrawn_by_id(record: ConsentRecord) -> int | None:
        withdrawals = list(record.withdrawals.all())
        return withdrawals[0].pk if withdrawals else None

    @staticmethod
    def resolve_in_force(record: ConsentRecord) -> bool:
        return record.kind == RecordKind.GRANT and not list(record.withdrawals.all())
