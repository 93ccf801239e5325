"""Register declarations for the register's own rows: they describe processing, they hold no
one's personal data beyond the staff author stamps every workspace row carries."""

from django.utils.translation import gettext_noop as _noop

from zweck.core.register import NOT_PERSONAL, Erasure, Mask, NotPersonal, Personal, base_fields, register
from zweck.privacy import models as privacy

register.declare(
    privacy.RetentionRule,
    fields=base_fields(
        key=NOT_PERSONAL,
        name_en=NOT_PERSONAL,
        name_de=NOT_PERSONAL,
        years=NOT_PERSONAL,
        months=NOT_PERSONAL,
        days=NOT_PERSONAL,
        counts_from=NOT_PERSONAL,
        from_end_of_year=NOT_PERSONAL,
        statutory=NOT_PERSONAL,
        legal_source_en=NOT_PERSONAL,
        legal_source_de=NOT_PERSONAL,
    ),
)
register.declare(
    privacy.ProcessingActivity,
    fields=base_fields(
        key=NOT_PERSONAL,
        name_en=NOT_PERSONAL,
        name_de=NOT_PERSONAL,
        purpose_en=NOT_PERSONAL,
        purpose_de=NOT_PERSONAL,
        legal_basis=NOT_PERSONAL,
        legitimate_interest_en=NOT_PERSONAL,
        legitimate_interest_de=NOT_PERSONAL,
        special_category_condition=NOT_PERSONAL,
        subject_categories=NOT_PERSONAL,
        data_categories=NOT_PERSONAL,
        recipient_categories_en=NOT_PERSONAL,
        recipient_categories_de=NOT_PERSONAL,
        provision_en=NOT_PERSONAL,
        provision_de=NOT_PERSONAL,
        retention=NOT_PERSONAL,
        data_use=NOT_PERSONAL,
        enabled=NOT_PERSONAL,
    ),
)
register.declare(
    privacy.NoticeVersion,
    subject_kind="employee",
    # The notice as published: it names the data-protection officer, as every notice must
    # (Art. 13(1)(b) GDPR); kept as proof of what the subjects were told, with the workspace.
    fields=base_fields(
        subject=NOT_PERSONAL,
        language=NOT_PERSONAL,
        number=NOT_PERSONAL,
        text=Personal("user.contact", mask=Mask.NONE),
        digest=NOT_PERSONAL,
    ),
    activities=("account_administration",),
    retention="tenant_contract",
)
register.declare(
    privacy.Recipient,
    # Recipients are companies and authorities, named by their business name.
    fields=base_fields(
        name=NOT_PERSONAL,
        role=NOT_PERSONAL,
        service_en=NOT_PERSONAL,
        service_de=NOT_PERSONAL,
        country=NOT_PERSONAL,
        safeguard=NOT_PERSONAL,
        safeguard_date=NOT_PERSONAL,
    ),
)
register.declare(
    privacy.Recipient.activities.through,
    fields={"id": NOT_PERSONAL, "recipient": NOT_PERSONAL, "processingactivity": NOT_PERSONAL},
)
register.declare(
    privacy.RetentionSweep,
    # A sweep's report: counts per rule and data set, never a value.
    fields=base_fields(
        trigger=NOT_PERSONAL,
        state=NOT_PERSONAL,
        swept_for=NOT_PERSONAL,
        finished_at=NOT_PERSONAL,
        results=NOT_PERSONAL,
        failure=NOT_PERSONAL,
    ),
    subject_kind="employee",
    activities=("security_logging",),
    retention="audit_trail",
)
register.declare(
    privacy.NightlyRun,
    fields={"id": NOT_PERSONAL, "run_on": NOT_PERSONAL, "enqueued_at": NOT_PERSONAL, "task_id": NOT_PERSONAL},
)
register.declare(
    privacy.SecurityMeasure,
    fields=base_fields(
        key=NOT_PERSONAL,
        title_en=NOT_PERSONAL,
        title_de=NOT_PERSONAL,
        description_en=NOT_PERSONAL,
        description_de=NOT_PERSONAL,
    ),
)

# The hold reasons are message ids: the erasure plan shows them in the reader's language.
# Data-subject requests: the requester's details are kept with the request record, as proof
# that the request was answered (Art. 5(2), 12 GDPR), for as long as the audit trail.
register.declare(
    privacy.DataSubjectRequest,
    subject="persons",
    fields=base_fields(
        kind=NOT_PERSONAL,
        channel=NOT_PERSONAL,
        status=NOT_PERSONAL,
        received_at=NOT_PERSONAL,
        due_on=NOT_PERSONAL,
        extended_due_on=NOT_PERSONAL,
        extension_reason=NOT_PERSONAL,
        extension_notified_at=NOT_PERSONAL,
        verification=NOT_PERSONAL,
        verified_at=NOT_PERSONAL,
        # Held after an erasure: the address and number as keyed hashes (they still prove
        # which address asked), the name and the request's text redacted.
        requester_email=Personal("user.contact.email", provided=True, mask=Mask.HASH),
        requester_name=Personal("user.name", provided=True, mask=Mask.REDACT),
        requester_phone=Personal("user.contact.phone_number", provided=True, mask=Mask.HASH),
        requester_organization=Personal("user.workplace", provided=True),
        details=Personal("user.content.private", provided=True, free_text=True, mask=Mask.REDACT),
        objection_scope=NOT_PERSONAL,
        assignee=Personal("user.unique_id", mask=Mask.NONE),
        decision=NOT_PERSONAL,
        # The reasons of the answer are the proof the hold keeps; the subject's mentions go.
        decision_reason=Personal("user.content.private", free_text=True, mask=Mask.NONE),
        completed_at=NOT_PERSONAL,
    ),
    activities=("legal_obligations",),
    retention="audit_trail",
    erasure=Erasure.HOLD,
    hold_reason=_noop(
        "Proof that the request was answered (Art. 5(2), Art. 12 GDPR; Art. 17(3)(b), (e) GDPR)."
    ),
)
register.declare(
    privacy.DataSubjectRequest.persons.through,
    subject="person",
    fields={"id": NOT_PERSONAL, "datasubjectrequest": NOT_PERSONAL, "person": NOT_PERSONAL},
    activities=("legal_obligations",),
    retention="audit_trail",
)
register.declare(
    privacy.RequestAction,
    subject="request__persons",
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "request": NOT_PERSONAL,
        "occurred_at": NOT_PERSONAL,
        "actor": Personal("user.unique_id", mask=Mask.NONE),
        "action": NOT_PERSONAL,
        # The log of what was done is the proof the hold keeps; the subject's mentions go.
        "note": Personal("user.content.private", free_text=True, mask=Mask.NONE),
    },
    activities=("legal_obligations",),
    retention="audit_trail",
    erasure=Erasure.HOLD,
    hold_reason=_noop(
        "Proof that the request was answered (Art. 5(2), Art. 12 GDPR; Art. 17(3)(b), (e) GDPR)."
    ),
)
register.declare(
    privacy.RecordHold,
    fields=base_fields(
        object_type=NOT_PERSONAL,
        object_id=NOT_PERSONAL,
        reason=NOT_PERSONAL,
        ends_on=NOT_PERSONAL,
        request=NOT_PERSONAL,
        erase_on_release=NOT_PERSONAL,
        released_at=NOT_PERSONAL,
        release_reason=NOT_PERSONAL,
    ),
)
register.declare(
    privacy.ErasureTombstone,
    # A keyed hash is pseudonymous data: only the holder of the key can test a guess against it.
    fields=base_fields(
        digest=Personal("user.unique_id.pseudonymous", mask=Mask.NONE),
        identifier_kind=NOT_PERSONAL,
        erased_at=NOT_PERSONAL,
        request=NOT_PERSONAL,
    ),
    activities=("legal_obligations",),
    retention="audit_trail",
)
register.declare(
    privacy.RecipientNotification,
    subject="subject_id",
    fields=base_fields(
        recipient=NOT_PERSONAL,
        request=NOT_PERSONAL,
        subject_id=Personal("user.unique_id.pseudonymous"),
        action=NOT_PERSONAL,
        status=NOT_PERSONAL,
        confirmed_at=NOT_PERSONAL,
    ),
    activities=("legal_obligations",),
    retention="audit_trail",
    erasure=Erasure.HOLD,
    hold_reason=_noop("Proof that recipients were told (Art. 19 GDPR, Art. 5(2) GDPR)."),
)
register.declare(
    privacy.Disclosure,
    subject="subject_id",
    fields=base_fields(
        recipient=NOT_PERSONAL,
        subject_id=Personal("user.unique_id.pseudonymous"),
        disclosed_on=NOT_PERSONAL,
        purpose=NOT_PERSONAL,
        data_set=NOT_PERSONAL,
        record_id=NOT_PERSONAL,
        categories=NOT_PERSONAL,
    ),
    activities=("legal_obligations",),
    retention="audit_trail",
    erasure=Erasure.HOLD,
    hold_reason=_noop(
        "Proof of who received the data, so they can be told of corrections and erasure "
        "(Art. 15(1)(c), Art. 19, Art. 5(2) GDPR)."
    ),
)
register.declare(
    privacy.MarketingSuppression,
    fields=base_fields(
        digest=Personal("user.unique_id.pseudonymous", mask=Mask.NONE),
        request=NOT_PERSONAL,
    ),
    activities=("legal_obligations",),
    retention="consent_proof",
)
register.declare(
    privacy.MentionDecision,
    # How a request was answered (Art. 5(2) GDPR); the term only as a keyed hash.
    fields=base_fields(
        request=NOT_PERSONAL,
        data_set=NOT_PERSONAL,
        row_id=NOT_PERSONAL,
        field_name=NOT_PERSONAL,
        term_digest=Personal("user.unique_id.pseudonymous", mask=Mask.NONE),
        confirmed=NOT_PERSONAL,
    ),
    activities=("legal_obligations",),
    retention="audit_trail",
)
register.declare(
    privacy.DeletionWarning,
    # That the owners were warned, when and how many: no address, no name.
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "deletion_on": NOT_PERSONAL,
        "days_before": NOT_PERSONAL,
        "sent_at": NOT_PERSONAL,
        "recipient_count": NOT_PERSONAL,
    },
)
register.declare(
    privacy.WorkspaceTombstone,
    # The operator's proof that a tenant was deleted: ids, dates and counts.
    fields={
        "id": NOT_PERSONAL,
        "workspace_id": NOT_PERSONAL,
        "slug_digest": NotPersonal(
            "A keyed hash of a company's short name: it can confirm a name the operator already "
            "knows, and reveals nothing without the installation's key."
        ),
        "created_on": NOT_PERSONAL,
        "contract_ended_on": NOT_PERSONAL,
        "deletion_due_on": NOT_PERSONAL,
        "warnings": NOT_PERSONAL,
        "rows_planned": NOT_PERSONAL,
        "rows_deleted": NOT_PERSONAL,
        "accounts_deleted": NOT_PERSONAL,
        "accounts_kept": NOT_PERSONAL,
        "started_at": NOT_PERSONAL,
        "finished_at": NOT_PERSONAL,
    },
)
