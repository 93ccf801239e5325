"""Writes of the consent ledger: texts published, consents recorded and withdrawn.

Invariants (see ``models.consent``): nothing here changes or deletes a ledger row; a withdrawal
is a new row pointing at the consent it ends, and a consent is withdrawn once (the row is locked
and a unique constraint stands behind the lock). Each write is one transaction with its audit
event, which names ids and field names only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.crm.models import Person
from zweck.crm.validators import validate_e164
from zweck.marketing.choices import ConsentChannel, ConsentMethod, ConsentPurpose, RecordKind
from zweck.marketing.models import ConsentRecord, ConsentText
from zweck.marketing.models.consent import text_digest
from zweck.marketing.texts import DEFAULT_TEXTS, LANGUAGES

# A moment a little ahead of this server's clock (another machine's clock) is still now.
CLOCK_TOLERANCE = timedelta(minutes=5)


def _controller_name(actor: Actor) -> str:
    return actor.workspace.legal_name or actor.workspace.name


@transaction.atomic
def consent_text_publish(*, actor: Actor, purpose: str, language: str, body: str) -> ConsentText:
    """A new version of the text of ``purpose`` in ``language``; the same words again return
    the version that has them (a text is stored once)."""
    actor.require(Permission.CONSENT_MANAGE)
    errors = {}
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = _("Choose a purpose.")
    if language not in LANGUAGES:
        errors["language"] = _("Choose German or English.")
    body = body.strip()
    if not body:
        errors["body"] = _("Write the text the person agrees to.")
    if errors:
        raise ValidationError(errors)
    existing = ConsentText.objects.in_workspace(actor.workspace_id).filter(digest=text_digest(body)).first()
    if existing is not None:
        return existing
    latest = (
        ConsentText.objects.in_workspace(actor.workspace_id)
        .select_for_update()
        .filter(purpose=purpose, language=language)
        .order_by("-version")
        .first()
    )
    text = ConsentText(
        workspace_id=actor.workspace_id,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        purpose=purpose,
        language=language,
        version=(latest.version + 1) if latest else 1,
        body=body,
    )
    text.digest = text_digest(body)
    text.full_clean()
    text.save()
    audit_record(actor=actor, action="consent_text.publish", instance=text)
    return text


def consent_text_current(*, actor: Actor, purpose: str, language: str) -> ConsentText:
    """The latest text of ``purpose`` in ``language``; the shipped one becomes version 1 where
    the workspace has none yet."""
    language = language if language in LANGUAGES else "de"
    latest = (
        ConsentText.objects.in_workspace(actor.workspace_id)
        .filter(purpose=purpose, language=language)
        .order_by("-version")
        .first()
    )
    if latest is not None:
        return latest
    body = DEFAULT_TEXTS[purpose][language].format(controller=_controller_name(actor))
    return consent_text_publish(actor=actor, purpose=purpose, language=language, body=body)


@dataclass(frozen=True)
class Chain:
    """How a double opt-in came about: the form, then the confirmation email."""

    form_submitted_at: datetime | None = None
    form_ip_address: str | None = None
    form_user_agent: str = ""
    form_page: str = ""
    confirmation_sent_at: datetime | None = None
    confirmation_subject: str = ""
    confirmation_mail_id: int | None = None
    confirmation_digest: str = ""


def _check_address(channel: str, address: str) -> str:
    address = address.strip()
    if not address:
        raise ValidationError({"address": _("Give the email address or number the consent covers.")})
    if channel == ConsentChannel.EMAIL:
        try:
            validate_email(address)
        except ValidationError as error:
            raise ValidationError({"address": _("Enter a valid email address.")}) from error
        return address.lower()
    if channel == ConsentChannel.TELEPHONE:
        try:
            validate_e164(address)
        except ValidationError as error:
            raise ValidationError(
                {"address": _("Enter the number in international form, for example +49 30 1234567.")}
            ) from error
    return address


@transaction.atomic
def consent_record(
    *,
    actor: Actor,
    person: Person,
    purpose: str,
    channel: str,
    address: str,
    method: str,
    text: ConsentText | None = None,
    given_at: datetime | None = None,
    note: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
    recipient_id: int | None = None,
    scope: str = "",
    chain: Chain | None = None,
) -> ConsentRecord:
    """Record a consent someone gave, with how and to which text; the current text of the
    purpose in the person's language when ``text`` is not given."""
    actor.require(Permission.CONSENT_MANAGE)
    if person.workspace_id != actor.workspace_id:
        raise ValidationError({"person_id": _("No such person.")})
    errors: dict[str, str] = {}
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"purpose": _("Choose a purpose.")})
    if channel not in ConsentChannel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    if method not in ConsentMethod.values:
        raise ValidationError({"method": _("Choose how the consent was given.")})
    address = _check_address(channel, address)
    if method == ConsentMethod.VERBAL and not note.strip():
        errors["note"] = _("A consent given verbally needs a note: who asked, when, and what was said.")
    if purpose == ConsentPurpose.DISCLOSURE and recipient_id is None:
        errors["recipient_id"] = _("Name the recipient the data may be passed to.")
    if purpose != ConsentPurpose.DISCLOSURE and recipient_id is not None:
        errors["recipient_id"] = _("Only a consent to passing data on names a recipient.")
    if purpose == ConsentPurpose.SPECIAL_CATEGORY and not scope.strip():
        errors["scope"] = _("Name the event the health-related details are for.")
    given_at = given_at or timezone.now()
    if given_at > timezone.now() + CLOCK_TOLERANCE:
        errors["given_at"] = _("A consent cannot be given in the future.")
    if text is None:
        text = consent_text_current(actor=actor, purpose=purpose, language=person.language or "de")
    elif text.workspace_id != actor.workspace_id:
        errors["text_digest"] = _("No such consent text.")
    elif text.purpose != purpose:
        errors["text_digest"] = _("This text is for another purpose.")
    if recipient_id is not None and "recipient_id" not in errors:
        from zweck.privacy.models import Recipient

        # The names of the workspace's recipients are facts of the workspace, not of a person.
        if not Recipient.objects.visible_to(actor, None).filter(pk=recipient_id).exists():
            errors["recipient_id"] = _("No such recipient.")
    if errors:
        raise ValidationError(errors)
    chain = chain or Chain()
    record = ConsentRecord(
        workspace_id=actor.workspace_id,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        person=person,
        kind=RecordKind.GRANT,
        purpose=purpose,
        recipient_id=recipient_id,
        scope=scope.strip(),
        channel=channel,
        address=address,
        text=text,
        method=method,
        note=note.strip(),
        given_at=given_at,
        ip_address=ip_address or None,
        user_agent=user_agent[:500],
        form_submitted_at=chain.form_submitted_at,
        form_ip_address=chain.form_ip_address or None,
        form_user_agent=chain.form_user_agent[:500],
        form_page=chain.form_page[:500],
        confirmation_sent_at=chain.confirmation_sent_at,
        confirmation_subject=chain.confirmation_subject[:200],
        confirmation_mail_id=chain.confirmation_mail_id,
        confirmation_digest=chain.confirmation_digest,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action="consent.record",
        instance=record,
        subject_ids=[person.pk],
        details={"purpose": purpose, "method": method, "text": text.pk},
    )
    return record


class AlreadyWithdrawn(ValidationError):
    """The consent was withdrawn before."""


@transaction.atomic
def consent_withdraw(
    *,
    actor: Actor,
    record: ConsentRecord,
    method: str,
    note: str = "",
    given_at: datetime | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> ConsentRecord:
    """Record the withdrawal of the consent ``record`` (Art. 7(3) GDPR), effective at once."""
    actor.require(Permission.CONSENT_MANAGE)
    locked = (
        ConsentRecord.objects.in_workspace(actor.workspace_id)
        .select_for_update()
        .filter(pk=record.pk)
        .first()
    )
    if locked is None:
        raise ValidationError({"consent": _("No such consent.")})
    if locked.kind != RecordKind.GRANT:
        raise ValidationError({"consent": _("Only a consent given can be withdrawn.")})
    if locked.withdrawals.exists():
        raise AlreadyWithdrawn(_("This consent has already been withdrawn."))
    if method not in ConsentMethod.values or method == ConsentMethod.DOUBLE_OPT_IN:
        raise ValidationError({"method": _("Choose how the consent was withdrawn.")})
    if method == ConsentMethod.VERBAL and not note.strip():
        raise ValidationError({"note": _("A withdrawal given verbally needs a note: who said it, and when.")})
    given_at = given_at or timezone.now()
    if given_at > timezone.now() + CLOCK_TOLERANCE:
        raise ValidationError({"given_at": _("A consent cannot be withdrawn in the future.")})
    if given_at < locked.given_at:
        raise ValidationError({"given_at": _("A consent cannot be withdrawn before it was given.")})
    withdrawal = ConsentRecord(
        workspace_id=actor.workspace_id,
        created_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        person_id=locked.person_id,
        kind=RecordKind.WITHDRAWAL,
        purpose=locked.purpose,
        recipient_id=locked.recipient_id,
        scope=locked.scope,
        channel=locked.channel,
        address=locked.address,
        text_id=locked.text_id,
        method=method,
        note=note.strip(),
        given_at=given_at,
        ip_address=ip_address or None,
        user_agent=user_agent[:500],
        withdraws=locked,
    )
    withdrawal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            withdrawal.save()
    except IntegrityError as error:
        raise AlreadyWithdrawn(_("This consent has already been withdrawn.")) from error
    audit_record(
        actor=actor,
        action="consent.withdraw",
        instance=withdrawal,
        subject_ids=[locked.person_id],
        details={"consent": locked.pk, "method": method},
    )
    return withdrawal
