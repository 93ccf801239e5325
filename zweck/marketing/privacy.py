"""Register declarations of the consent ledger and the sign-ups waiting for confirmation.

Consent proof is kept as long as it may have to be shown (Art. 7(1) GDPR): the ``consent_proof``
rule counts five years from the last use (§ 7a UWG for telephone advertising, applied to every
proof; longer than the regular limitation period of three years, §§ 195, 199 BGB). A consent
still in force is in use, so its clock starts only with its withdrawal; a consent and its
withdrawal share that clock and go together. The rule is statutory, so erasure of the subject
keeps the proof under its hold (restricted, Art. 17(3)(b), (e) GDPR) until the period, counted
from the erasure, ends; the ledger is append-only, so every field is declared without a mask
(kept as given) and the note is not rewritten for mentions. The erasure tombstone's keyed
digests, and the suppression list of an objection, outlive the rows.

A sign-up nobody confirmed is deleted once ``consent_signup_pending`` has passed.
"""

from django.db.models import Case, DateTimeField, F, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop as _noop

from zweck.core.register import NOT_PERSONAL, Erasure, Mask, Personal, base_fields, register
from zweck.marketing.choices import RecordKind
from zweck.marketing.models import ConsentRecord, ConsentSignup, ConsentText

ACTIVITIES = ("newsletters_and_invitations",)
# Kept as given while held: the proof must show what was recorded.
KEPT = Mask.NONE
PREFERENCE = Personal("user.privacy_preferences", provided=True, mask=KEPT)
PROOF_HOLD = _noop(
    "Proof of consent, kept for 5 years from its last use or withdrawal (§ 7a UWG; Art. 7(1), "
    "17(3)(b) and (e) GDPR)."
)


def _withdrawn_at() -> Coalesce:
    """When the consent of a row ended: its withdrawal's time (a withdrawal: its own)."""
    withdrawal = ConsentRecord.objects.filter(withdraws=OuterRef("pk")).values("given_at")[:1]
    return Coalesce(
        Subquery(withdrawal),
        Case(When(kind=RecordKind.WITHDRAWAL, then=F("given_at"))),
        output_field=DateTimeField(),
    )


register.declare(
    ConsentText,
    fields=base_fields(
        purpose=NOT_PERSONAL,
        language=NOT_PERSONAL,
        version=NOT_PERSONAL,
        body=NOT_PERSONAL,
        digest=NOT_PERSONAL,
    ),
)
register.declare(
    ConsentRecord,
    subject="person",
    fields=base_fields(
        person=NOT_PERSONAL,
        kind=PREFERENCE,
        purpose=PREFERENCE,
        recipient=NOT_PERSONAL,
        scope=PREFERENCE,
        channel=PREFERENCE,
        address=Personal("user.contact", provided=True, mask=KEPT),
        text=NOT_PERSONAL,
        method=PREFERENCE,
        note=Personal("user.content.private", mask=KEPT),
        given_at=PREFERENCE,
        ip_address=Personal("user.device.ip_address", mask=KEPT),
        user_agent=Personal("user.device", mask=KEPT),
        form_submitted_at=PREFERENCE,
        form_ip_address=Personal("user.device.ip_address", mask=KEPT),
        form_user_agent=Personal("user.device", mask=KEPT),
        form_page=NOT_PERSONAL,
        confirmation_sent_at=PREFERENCE,
        confirmation_subject=NOT_PERSONAL,
        confirmation_mail_id=NOT_PERSONAL,
        confirmation_digest=NOT_PERSONAL,
        withdraws=NOT_PERSONAL,
    ),
    activities=ACTIVITIES,
    retention="consent_proof",
    erasure=Erasure.HOLD,
    hold_reason=PROOF_HOLD,
    clocks={"last_use": _withdrawn_at()},
)
register.declare(
    ConsentSignup,
    fields=base_fields(
        email=Personal("user.contact.email", provided=True),
        first_name=Personal("user.name.first", provided=True),
        last_name=Personal("user.name.last", provided=True),
        language=NOT_PERSONAL,
        purposes=PREFERENCE,
        text_digests=NOT_PERSONAL,
        ip_address=Personal("user.device.ip_address"),
        user_agent=Personal("user.device"),
        page=NOT_PERSONAL,
        confirmation_digest=NOT_PERSONAL,
        confirmation_sent_at=NOT_PERSONAL,
        confirmation_subject=NOT_PERSONAL,
        confirmation_mail_id=NOT_PERSONAL,
    ),
    activities=ACTIVITIES,
    retention="consent_signup_pending",
)
