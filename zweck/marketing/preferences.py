"""The preference centre of the privacy portal, reached by a signed link sent to one address.

Invariants:
- the link names the workspace, the person and the address it was sent to, signed with the
  installation's secret key; it is good for ``PREFERENCES_MAX_AGE`` (links in old emails keep
  working for unsubscribing), and it stops working when the person is erased;
- whoever holds the link controls the address, so each change is one click and takes effect
  in the same transaction: a consent switched on is recorded for that address with the current
  text; switched off, every consent of that purpose in force is withdrawn;
- an objection to direct marketing withdraws every marketing consent and goes through the
  privacy engine's objection (a data-subject request, verified by the link, and the keyed
  suppression entry that outlives an erasure, Art. 21(2)–(3) GDPR).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.core.scoping import Purpose
from zweck.crm.models import Person
from zweck.marketing import selectors, services
from zweck.marketing.choices import (
    MARKETING_PURPOSES,
    SIGNUP_PURPOSES,
    ConsentChannel,
    ConsentMethod,
    ConsentPurpose,
    RecordKind,
)
from zweck.marketing.models import ConsentRecord, ConsentText
from zweck.marketing.signup import LinkInvalid

PREFERENCES_MAX_AGE = 2 * 365 * 24 * 60 * 60
_SALT = "zweck.marketing.preferences"


@dataclass(frozen=True)
class Holder:
    """Who opened the preference centre: the person, through the address the link was sent to."""

    actor: Actor
    person: Person
    address: str


@dataclass
class Preference:
    purpose: str
    label: str
    in_force: list[ConsentRecord] = field(default_factory=list)
    # The text the person agrees to by switching it on; None where it cannot be given here.
    text: ConsentText | None = None

    @property
    def given(self) -> bool:
        return bool(self.in_force)


def preferences_token(*, person: Person, address: str) -> str:
    """The token of the preference centre link for ``person`` at ``address``."""
    return signing.dumps({"w": person.workspace_id, "p": person.pk, "a": address.lower()}, salt=_SALT)


def preferences_open(token: str) -> Holder:
    try:
        payload = signing.loads(token, salt=_SALT, max_age=PREFERENCES_MAX_AGE)
        workspace_id, person_id, address = int(payload["w"]), int(payload["p"]), str(payload["a"])
    except signing.SignatureExpired as error:
        raise LinkInvalid(_("This link has expired. Use the link in our latest email.")) from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkInvalid(_("This link is not valid.")) from error
    person = (
        Person.objects.filter(pk=person_id, workspace_id=workspace_id).select_related("workspace").first()
    )
    if person is None:
        raise LinkInvalid(_("This link is not valid."))
    return Holder(actor=Actor.system(person.workspace), person=person, address=address)


def _records(holder: Holder) -> list[ConsentRecord]:
    return list(
        selectors.consent_list(actor=holder.actor, person_id=holder.person.pk, in_force=True).order_by("pk")
    )


def is_objected(holder: Holder) -> bool:
    """Whether the address is on the suppression list (the person objected to direct marketing)."""
    return bool(selectors._suppressed(holder.actor.workspace_id, [holder.address]))


def preferences_of(holder: Holder) -> list[Preference]:
    """One line per purpose the person can give here or has given: what is in force, and the text."""
    language = holder.person.language or "de"
    objected = is_objected(holder)
    lines: dict[str, Preference] = {}
    for purpose in SIGNUP_PURPOSES:
        text = None
        if not objected:
            text = services.consent_text_current(actor=holder.actor, purpose=purpose, language=language)
        lines[purpose] = Preference(purpose=purpose, label=str(ConsentPurpose(purpose).label), text=text)
    for record in _records(holder):
        line = lines.setdefault(
            record.purpose,
            Preference(purpose=record.purpose, label=str(ConsentPurpose(record.purpose).label)),
        )
        line.in_force.append(record)
    return list(lines.values())


def _withdraw(holder: Holder, records: list[ConsentRecord], client_ip: str | None, user_agent: str) -> int:
    for record in records:
        services.consent_withdraw(
            actor=holder.actor,
            record=record,
            method=ConsentMethod.PREFERENCE_CENTRE,
            ip_address=client_ip,
            user_agent=user_agent,
        )
    return len(records)


@transaction.atomic
def preference_set(
    *, holder: Holder, purpose: str, given: bool, client_ip: str | None = None, user_agent: str = ""
) -> int:
    """Switch one purpose on or off; how many ledger entries were written."""
    if purpose not in ConsentPurpose.values:
        raise LinkInvalid(_("Choose a purpose."))
    current = [record for record in _records(holder) if record.purpose == purpose]
    if not given:
        return _withdraw(holder, current, client_ip, user_agent)
    if current or purpose not in SIGNUP_PURPOSES:
        return 0
    if is_objected(holder):
        raise LinkInvalid(_("You objected to direct marketing; we send you none."))
    services.consent_record(
        actor=holder.actor,
        person=holder.person,
        purpose=purpose,
        channel=ConsentChannel.EMAIL,
        address=holder.address,
        method=ConsentMethod.PREFERENCE_CENTRE,
        ip_address=client_ip,
        user_agent=user_agent,
    )
    return 1


@transaction.atomic
def preferences_withdraw_all(*, holder: Holder, client_ip: str | None = None, user_agent: str = "") -> int:
    """Withdraw every consent in force; how many were withdrawn."""
    return _withdraw(holder, _records(holder), client_ip, user_agent)


@transaction.atomic
def preferences_object(*, holder: Holder, client_ip: str | None = None, user_agent: str = "") -> int:
    """Object to direct marketing (Art. 21(2) GDPR): every marketing consent is withdrawn and the
    address goes on the suppression list through the privacy engine. How many were withdrawn."""
    from zweck.privacy import dsr
    from zweck.privacy.request_models import ObjectionScope, RequestChannel, RequestKind

    marketing = [record for record in _records(holder) if record.purpose in MARKETING_PURPOSES]
    withdrawn = _withdraw(holder, marketing, client_ip, user_agent)
    system = holder.actor
    system.require(Permission.PRIVACY_MANAGE)
    # The person record may be restricted: the objection is about it all the same.
    linked = list(
        Person.objects.visible_to(system, Permission.CRM_VIEW, purpose=Purpose.STORAGE)
        .filter(pk=holder.person.pk)
        .values_list("pk", flat=True)
    )
    request = dsr.dsr_open(
        actor=system,
        kind=RequestKind.OBJECTION,
        channel=RequestChannel.PORTAL,
        requester_email=holder.address,
        objection_scope=ObjectionScope.DIRECT_MARKETING,
        person_ids=linked,
        details=_("Objection to direct marketing, given in the preference centre."),
    )
    dsr.dsr_verify(actor=system, request=request, note="preference centre link")
    dsr.objection_record(actor=system, request=request)
    return withdrawn


def kind_label(record: ConsentRecord) -> str:
    return str(RecordKind(record.kind).label)
