"""The register's rows the privacy officer configures: recipients, processing activities and
retention rules. Activities and rules are named by their fixed ``key`` (the declarations in
the code refer to them by it); recipients by their id."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from ninja import Field, Schema

from zweck.api.schemas.base import InputSchema, Text, length, partial
from zweck.privacy.choices import (
    LegalBasis,
    RecipientRole,
    RetentionEvent,
    SpecialCategoryCondition,
    TransferSafeguard,
)
from zweck.privacy.models import ProcessingActivity, Recipient, RetentionRule

RegisterKey = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")]
# PositiveSmallIntegerField: whether the period can be computed is the service's question.
PeriodPart = Annotated[int, Field(ge=0, le=32767)]


class RecipientIn(InputSchema):
    """A recipient; outside the EU/EEA it needs a safeguard and the safeguard's date."""

    name: Text = Field(min_length=1, max_length=length(Recipient, "name"))
    role: RecipientRole
    service_en: Text = Field(min_length=1, max_length=length(Recipient, "service_en"))
    service_de: Text = Field(min_length=1, max_length=length(Recipient, "service_de"))
    country: Text = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2 code.")
    safeguard: TransferSafeguard = TransferSafeguard.NONE
    safeguard_date: date | None = None
    activities: list[RegisterKey] = Field(
        default_factory=list, description="Keys of the processing activities that send data to it."
    )


if TYPE_CHECKING:
    RecipientPatch = RecipientIn
else:
    RecipientPatch = partial(
        RecipientIn,
        "RecipientPatch",
        "Changes to a recipient; an activity list given replaces the stored one.",
    )


class RecipientOut(Schema):
    id: int
    name: str
    role: str
    service_en: str
    service_de: str
    country: str
    in_eea: bool
    safeguard: str
    safeguard_date: date | None
    activities: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_activities(recipient: Recipient) -> list[str]:
        return [activity.key for activity in recipient.activities.all()]


class ProcessingActivityChange(InputSchema):
    enabled: bool = Field(
        True,
        description="False: switched off; the notices and the records of processing leave it out, "
        "and fields that serve only it are no longer collected.",
    )
    name_en: Text = Field(min_length=1, max_length=length(ProcessingActivity, "name_en"))
    name_de: Text = Field(min_length=1, max_length=length(ProcessingActivity, "name_de"))
    purpose_en: Text = Field(min_length=1)
    purpose_de: Text = Field(min_length=1)
    legal_basis: LegalBasis
    legitimate_interest_en: Text = ""
    legitimate_interest_de: Text = ""
    special_category_condition: SpecialCategoryCondition = SpecialCategoryCondition.NONE
    subject_categories: list[RegisterKey]
    data_categories: list[Text] = Field(default_factory=list, description="fideslang data categories.")
    recipient_categories_en: Text = ""
    recipient_categories_de: Text = ""
    provision_en: Text = ""
    provision_de: Text = ""
    retention: RegisterKey = Field(description="The key of the retention rule.")
    data_use: Text = Field(
        min_length=1,
        max_length=length(ProcessingActivity, "data_use"),
        description="A fideslang data use, e.g. essential.service or marketing.communications.email; "
        "a marketing use adds the right to object to direct marketing to the notices.",
    )


class ProcessingActivityIn(ProcessingActivityChange):
    """A processing activity of the workspace's own. No declared field serves it, so it names
    the data categories it processes; its key is new in the workspace and not a shipped one."""

    key: RegisterKey = Field(description="A new key in the workspace; it cannot be changed later.")
    data_categories: list[Text] = Field(description="fideslang data categories, at least one.")


if TYPE_CHECKING:
    ProcessingActivityPatch = ProcessingActivityChange
else:
    ProcessingActivityPatch = partial(
        ProcessingActivityChange,
        "ProcessingActivityPatch",
        "Changes to a processing activity; fields left out stay as they are.",
    )


class ProcessingActivityOut(Schema):
    key: str
    enabled: bool
    name_en: str
    name_de: str
    purpose_en: str
    purpose_de: str
    legal_basis: str
    legitimate_interest_en: str
    legitimate_interest_de: str
    special_category_condition: str
    subject_categories: list[str]
    data_categories: list[str]
    recipient_categories_en: str
    recipient_categories_de: str
    provision_en: str
    provision_de: str
    retention: str
    data_use: str
    recipient_ids: list[int]

    @staticmethod
    def resolve_retention(activity: ProcessingActivity) -> str:
        return activity.retention.key

    @staticmethod
    def resolve_recipient_ids(activity: ProcessingActivity) -> list[int]:
        return [recipient.pk for recipient in activity.recipients.all()]


class RetentionRuleChange(InputSchema):
    name_en: Text = Field(min_length=1, max_length=length(RetentionRule, "name_en"))
    name_de: Text = Field(min_length=1, max_length=length(RetentionRule, "name_de"))
    years: PeriodPart = 0
    months: PeriodPart = 0
    days: PeriodPart = 0
    counts_from: RetentionEvent
    from_end_of_year: bool = False
    statutory: bool = False
    legal_source_en: Text = Field("", max_length=length(RetentionRule, "legal_source_en"))
    legal_source_de: Text = Field("", max_length=length(RetentionRule, "legal_source_de"))


if TYPE_CHECKING:
    RetentionRulePatch = RetentionRuleChange
else:
    RetentionRulePatch = partial(
        RetentionRuleChange,
        "RetentionRulePatch",
        "Changes to a retention rule; fields left out stay as they are.",
    )


class RetentionRuleOut(Schema):
    key: str
    name_en: str
    name_de: str
    years: int
    months: int
    days: int
    counts_from: str
    from_end_of_year: bool
    statutory: bool
    legal_source_en: str
    legal_source_de: str


class NoticeVersionOut(Schema):
    """One published version of a privacy notice; ``changes`` is a unified diff of the Markdown
    texts against the version before it (empty for the first)."""

    subject: str
    language: str
    number: int
    created_at: datetime
    digest: str
    text: str
    changes: str
