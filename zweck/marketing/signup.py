"""Double opt-in: a public sign-up form, the confirmation email, the click that confirms.

Invariants:
- the form may sit on any website and posts to Zweck without a session: instead of Django's
  cookie-bound CSRF token it carries a form token signed with the installation's secret key,
  which names the workspace, the purposes and the language, so no one can make up a form for
  another workspace or purpose; a hidden honeypot field, filled in only by robots, makes the
  submission a silent no-op;
- every submission is counted per client IP and per address in the database
  (``zweck.accounts.throttle``, the portal's limits, shared by every server process);
- the answer is the same whether or not the address is known; nothing is stored in the ledger
  before the click; the sign-up waits in ``ConsentSignup``;
- the confirmation link is signed, works for ``CONFIRM_MAX_AGE`` and once: its one-time part is
  stored only as a SHA-256 digest, the sign-up goes when it is confirmed, and a replayed link is
  recognised by the digest the ledger keeps with the consent;
- the click writes one consent per purpose with the whole chain (form, email, click); a
  consent already in force for the same purpose and address is not written twice.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.accounts.models import ThrottleScope, Workspace
from zweck.accounts.throttle import TooManyAttempts, keys_for, throttle_hit
from zweck.audit.services import audit_record
from zweck.core.permissions import Permission
from zweck.core.scoping import Purpose
from zweck.crm.choices import DataSource, SubjectCategory
from zweck.crm.models import Person
from zweck.marketing import services
from zweck.marketing.choices import SIGNUP_PURPOSES, ConsentChannel, ConsentMethod, RecordKind
from zweck.marketing.models import ConsentRecord, ConsentSignup, ConsentText
from zweck.marketing.texts import LANGUAGES
from zweck.outbox.services import mail_queue

CONFIRM_MAX_AGE = 48 * 60 * 60
_SALT_FORM = "zweck.marketing.signup.form"
_SALT_CONFIRM = "zweck.marketing.signup.confirm"


class SignupError(Exception):
    """A sign-up step that cannot be done; ``message`` is safe to show anyone."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RateLimited(SignupError):
    status = 429


class LinkInvalid(SignupError):
    status = 410


class LinkUsed(SignupError):
    status = 409


@dataclass(frozen=True)
class SignupForm:
    """What a form token stands for."""

    workspace: Workspace
    purposes: tuple[str, ...]
    language: str


def form_token(*, workspace: Workspace, purposes: tuple[str, ...], language: str) -> str:
    """The token of a sign-up form offering ``purposes`` in ``language`` (for its embed code)."""
    chosen = tuple(purpose for purpose in SIGNUP_PURPOSES if purpose in purposes)
    if not chosen:
        raise ValidationError({"purposes": _("Choose at least one purpose.")})
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose German or English.")})
    return signing.dumps(
        {"w": workspace.pk, "p": list(chosen), "l": language}, salt=_SALT_FORM, compress=True
    )


def form_load(token: str) -> SignupForm:
    """The form behind ``token``; ``SignupError`` for a made-up or broken one."""
    try:
        payload = signing.loads(token, salt=_SALT_FORM)
        workspace = Workspace.objects.get(pk=payload["w"])
        purposes = tuple(purpose for purpose in payload["p"] if purpose in SIGNUP_PURPOSES)
        language = payload["l"] if payload["l"] in LANGUAGES else "de"
    except (signing.BadSignature, Workspace.DoesNotExist, KeyError, TypeError) as error:
        raise SignupError(_("This sign-up form is not valid. Please use the form on our website.")) from error
    if not purposes:
        raise SignupError(_("This sign-up form is not valid. Please use the form on our website."))
    return SignupForm(workspace=workspace, purposes=purposes, language=language)


def form_texts(form: SignupForm) -> list[ConsentText]:
    """The texts the form shows, the current version of each purpose in the form's language."""
    system = Actor.system(form.workspace)
    return [
        services.consent_text_current(actor=system, purpose=purpose, language=form.language)
        for purpose in form.purposes
    ]


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@transaction.atomic
def signup_submit(
    *,
    token: str,
    email: str,
    purposes: Sequence[str],
    first_name: str = "",
    last_name: str = "",
    honeypot: str = "",
    client_ip: str | None = None,
    user_agent: str = "",
    page: str = "",
    base_url: str = "",
) -> None:
    """Receive a sign-up for the ticked ``purposes`` of the form and send the confirmation link to
    ``email``. Each purpose is ticked on its own, none in advance (Art. 7(2) GDPR; CJEU C-673/17
    Planet49). Returns nothing: the answer must not depend on the address, nor on whether a robot
    filled in the honeypot."""
    form = form_load(token)
    email = email.strip().lower()
    try:
        throttle_hit(ThrottleScope.PORTAL, keys_for(address=email, ip=client_ip or ""))
    except TooManyAttempts as error:
        raise RateLimited(error.refusal.message) from error
    if honeypot:
        return
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid email address.")}) from error
    chosen = tuple(purpose for purpose in form.purposes if purpose in purposes)
    if not chosen:
        raise ValidationError({"purposes": _("Tick what you would like to receive.")})
    system = Actor.system(form.workspace)
    texts = form_texts(SignupForm(workspace=form.workspace, purposes=chosen, language=form.language))
    nonce = secrets.token_urlsafe(32)
    signup = ConsentSignup(
        workspace_id=form.workspace.pk,
        email=email,
        first_name=first_name.strip()[:100],
        last_name=last_name.strip()[:100],
        language=form.language,
        purposes=list(chosen),
        text_digests=[text.digest for text in texts],
        ip_address=client_ip or None,
        user_agent=user_agent[:500],
        page=page[:500],
        confirmation_digest=_digest(nonce),
    )
    signup.full_clean()
    signup.save()
    link = base_url + reverse(
        "public:signup_confirm", args=[signing.dumps({"s": signup.pk, "n": nonce}, salt=_SALT_CONFIRM)]
    )
    with translation.override(form.language):
        subject = _("Please confirm your sign-up")
        body = "\n\n".join(
            [
                _("Someone, hopefully you, signed up with this email address for:"),
                *[f"• {text.body}" for text in texts],
                _("To confirm, open this link within 48 hours:"),
                link,
                _(
                    "If it was not you, ignore this email: without your confirmation nothing is "
                    "sent to you, and the sign-up is deleted after a few days."
                ),
            ]
        )
    mail = mail_queue(to=email, subject=subject, body=body, workspace_id=form.workspace.pk)
    signup.confirmation_sent_at = timezone.now()
    signup.confirmation_subject = subject
    signup.confirmation_mail_id = mail.pk if mail else None
    signup.save(update_fields=["confirmation_sent_at", "confirmation_subject", "confirmation_mail_id"])
    audit_record(actor=system, action="consent_signup.submit", instance=signup)


def _person_for(system: Actor, signup: ConsentSignup) -> Person:
    """The contact with exactly this address (the oldest where several have it), else a new one."""
    from zweck.crm.services import EmailInput, person_create

    found = (
        Person.objects.visible_to(system, Permission.CRM_VIEW, purpose=Purpose.STORAGE)
        .filter(emails__email__iexact=signup.email)
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    return person_create(
        actor=system,
        first_name=signup.first_name,
        last_name=signup.last_name or signup.email.split("@")[0],
        emails=[EmailInput(signup.email, is_primary=True)],
        language=signup.language,
        subject_category=SubjectCategory.BUSINESS_CONTACT,
        source=DataSource.PROVIDED_BY_SUBJECT,
    )


def _load_confirmation(token: str) -> tuple[int, str]:
    try:
        payload = signing.loads(token, salt=_SALT_CONFIRM, max_age=CONFIRM_MAX_AGE)
        return int(payload["s"]), _digest(str(payload["n"]))
    except signing.SignatureExpired as error:
        raise LinkInvalid(_("This confirmation link has expired. Please sign up again.")) from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkInvalid(_("This link is not valid.")) from error


def _pending(signup_id: int, digest: str, *, lock: bool) -> ConsentSignup:
    rows = ConsentSignup.objects.select_for_update() if lock else ConsentSignup.objects.all()
    signup = rows.filter(pk=signup_id, confirmation_digest=digest).first()
    if signup is None:
        if ConsentRecord.objects.filter(confirmation_digest=digest).exists():
            raise LinkUsed(_("You have already confirmed this sign-up; the link works only once."))
        raise LinkInvalid(_("This link is not valid."))
    return signup


def signup_check(*, token: str) -> None:
    """Refuse a confirmation link that cannot confirm (forged, expired, used) before anyone
    presses the button; nothing is written."""
    _pending(*_load_confirmation(token), lock=False)


@transaction.atomic
def signup_confirm(*, token: str, client_ip: str | None = None, user_agent: str = "") -> Person:
    """Open a confirmation link: the consents are recorded with their chain, the sign-up goes.
    Returns the person the consents belong to."""
    signup_id, digest = _load_confirmation(token)
    signup = (
        ConsentSignup.objects.select_for_update().filter(pk=signup_id, confirmation_digest=digest).first()
    )
    if signup is None:
        if ConsentRecord.objects.filter(confirmation_digest=digest).exists():
            raise LinkUsed(_("You have already confirmed this sign-up; the link works only once."))
        raise LinkInvalid(_("This link is not valid."))
    system = Actor.system(signup.workspace)
    person = _person_for(system, signup)
    chain = services.Chain(
        form_submitted_at=signup.created_at,
        form_ip_address=signup.ip_address,
        form_user_agent=signup.user_agent,
        form_page=signup.page,
        confirmation_sent_at=signup.confirmation_sent_at,
        confirmation_subject=signup.confirmation_subject,
        confirmation_mail_id=signup.confirmation_mail_id,
        confirmation_digest=digest,
    )
    texts = {
        text.digest: text
        for text in ConsentText.objects.in_workspace(signup.workspace_id).filter(
            digest__in=signup.text_digests
        )
    }
    in_force = set(
        ConsentRecord.objects.in_workspace(signup.workspace_id)
        .filter(person=person, kind=RecordKind.GRANT, address=signup.email, withdrawals__isnull=True)
        .values_list("purpose", flat=True)
    )
    for purpose, text_key in zip(signup.purposes, signup.text_digests, strict=True):
        if purpose in in_force or text_key not in texts:
            continue
        services.consent_record(
            actor=system,
            person=person,
            purpose=purpose,
            channel=ConsentChannel.EMAIL,
            address=signup.email,
            method=ConsentMethod.DOUBLE_OPT_IN,
            text=texts[text_key],
            ip_address=client_ip,
            user_agent=user_agent,
            chain=chain,
        )
    audit_record(actor=system, action="consent_signup.confirm", instance=signup, subject_ids=[person.pk])
    signup.delete()
    return person
