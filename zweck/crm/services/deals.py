"""Writes for deals and the workspace's pipeline stages."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core import limits
from zweck.core.permissions import Permission
from zweck.core.scoping import require_usable
from zweck.core.services import apply_changes, require_at_most, require_same_workspace, save_scoped
from zweck.crm.choices import DealStatus
from zweck.crm.models import Deal, DealContact, Organization, Person, PipelineStage
from zweck.crm.services.persons import _check_owner

DEAL_FIELDS = (
    "title",
    "organization",
    "stage",
    "amount",
    "currency",
    "expected_close_on",
    "probability",
    "owner",
)

# Stage names are stored as the workspace writes them; these English defaults are
# marked for translation so the UI shows them in German too.
DEFAULT_STAGES = (
    (gettext_noop("Lead"), 10),
    (gettext_noop("Qualified"), 25),
    (gettext_noop("Proposal"), 50),
    (gettext_noop("Negotiation"), 75),
)


@transaction.atomic
def pipeline_install_defaults(*, actor: Actor) -> list[PipelineStage]:
    """Give a workspace without stages the default pipeline; leaves an existing one alone."""
    actor.require(Permission.PIPELINE_MANAGE)
    existing = list(PipelineStage.objects.in_workspace(actor.workspace_id).all())
    if existing:
        return existing
    stages = [
        save_scoped(PipelineStage(name=name, position=position, default_probability=probability), actor=actor)
        for position, (name, probability) in enumerate(DEFAULT_STAGES)
    ]
    audit_record(actor=actor, action="pipeline.install_defaults", object_type="crm.pipelinestage")
    return stages


def _require_unique_stage_name(actor: Actor, stage: PipelineStage) -> None:
    # The database's unique constraint stays the guarantee; this gives the clearer message.
    others = PipelineStage.objects.in_workspace(actor.workspace_id).filter(name=stage.name)
    if others.exclude(pk=stage.pk).exists():
        raise ValidationError({"name": _("The pipeline already has a stage of this name.")})


@transaction.atomic
def pipeline_stage_create(*, actor: Actor, name: str, default_probability: int = 10) -> PipelineStage:
    """Append a stage at the end of the pipeline."""
    actor.require(Permission.PIPELINE_MANAGE)
    last = PipelineStage.objects.in_workspace(actor.workspace_id).aggregate(last=Max("position"))["last"]
    stage = PipelineStage(
        name=name, default_probability=default_probability, position=0 if last is None else last + 1
    )
    _require_unique_stage_name(actor, stage)
    save_scoped(stage, actor=actor)
    audit_record(actor=actor, action="pipelinestage.create", instance=stage)
    return stage


@transaction.atomic
def pipeline_stage_update(*, actor: Actor, stage: PipelineStage, **changes: object) -> PipelineStage:
    actor.require(Permission.PIPELINE_MANAGE)
    require_same_workspace(actor, stage=stage)
    changed = apply_changes(stage, changes, allowed=("name", "position", "default_probability", "is_active"))
    if "name" in changed:
        _require_unique_stage_name(actor, stage)
    if changed:
        save_scoped(stage, actor=actor, changed=changed)
        audit_record(actor=actor, action="pipelinestage.update", instance=stage, changed_fields=changed)
    return stage


@transaction.atomic
def pipeline_stage_move(*, actor: Actor, stage: PipelineStage, offset: int) -> PipelineStage:
    """Move a stage ``offset`` places along the pipeline (negative: towards the start).

    The stages are renumbered 0, 1, 2, ... in their new order, so positions that were
    equal or had gaps come out distinct; a move past either end stops there.
    """
    actor.require(Permission.PIPELINE_MANAGE)
    require_same_workspace(actor, stage=stage)
    stages = list(
        PipelineStage.objects.in_workspace(actor.workspace_id).select_for_update().order_by("position", "pk")
    )
    index = next(i for i, row in enumerate(stages) if row.pk == stage.pk)
    moved = stages.pop(index)
    stages.insert(max(0, min(len(stages), index + offset)), moved)
    renumbered = [row for position, row in enumerate(stages) if row.position != position]
    if not renumbered:
        return stage
    now = timezone.now()
    for position, row in enumerate(stages):
        row.position, row.updated_at, row.updated_by_id = position, now, actor.user_id
    PipelineStage.objects.bulk_update(renumbered, ["position", "updated_at", "updated_by"])
    stage.position = moved.position
    for row in renumbered:
        audit_record(actor=actor, action="pipelinestage.update", instance=row, changed_fields=["position"])
    return stage


@transaction.atomic
def pipeline_stage_delete(*, actor: Actor, stage: PipelineStage) -> None:
    """Delete a stage that holds no deals, open or closed; one that does is refused."""
    actor.require(Permission.PIPELINE_MANAGE)
    require_same_workspace(actor, stage=stage)
    stage_id = stage.pk
    try:
        # The deals' foreign key protects the stage, so a deal added meanwhile still stops this.
        stage.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("The stage %(stage)s still holds deals; move them to another stage first.")
            % {"stage": _(stage.name)}
        ) from error
    audit_record(
        actor=actor, action="pipelinestage.delete", object_type="crm.pipelinestage", object_id=stage_id
    )


def _set_contacts(actor: Actor, deal: Deal, contacts: Sequence[Person]) -> None:
    unique = list({person.pk: person for person in contacts}.values())
    require_at_most("contacts", unique, limits.CONTACTS_PER_DEAL)
    require_same_workspace(actor, **{f"contacts.{i}": person for i, person in enumerate(unique)})
    # Purpose limitation: a new contact must belong to a group the deal's purposes apply to.
    linked = set(deal.contact_links.values_list("person_id", flat=True)) if deal.pk else set()
    require_usable(
        workspace_id=actor.workspace_id,
        field="contacts",
        subjects=[person for person in unique if person.pk not in linked],
        record=DealContact,
    )
    deal.contact_links.all().delete()
    now = timezone.now()
    DealContact.objects.bulk_create(
        DealContact(
            workspace_id=actor.workspace_id,
            deal=deal,
            person=person,
            created_at=now,
            updated_at=now,
            created_by_id=actor.user_id,
            updated_by_id=actor.user_id,
        )
        for person in unique
    )


def _contact_ids(deal: Deal) -> list[int]:
    return list(deal.contact_links.values_list("person_id", flat=True))


@transaction.atomic
def deal_create(
    *,
    actor: Actor,
    title: str,
    organization: Organization,
    stage: PipelineStage | None = None,
    contacts: Sequence[Person] = (),
    **details: object,
) -> Deal:
    """Open a deal with an organization, in ``stage`` or the pipeline's first stage."""
    actor.require(Permission.DEAL_CHANGE)
    require_same_workspace(actor, organization=organization, stage=stage)
    if stage is None:
        stage = PipelineStage.objects.in_workspace(actor.workspace_id).filter(is_active=True).first()
        if stage is None:
            raise ValidationError({"stage": _("The workspace has no pipeline stages yet.")})
    deal = Deal(title=title, organization=organization, stage=stage, probability=stage.default_probability)
    if "currency" not in details:
        deal.currency = actor.workspace.default_currency
    apply_changes(deal, details, allowed=DEAL_FIELDS)
    _check_owner(actor, deal.owner)
    save_scoped(deal, actor=actor)
    _set_contacts(actor, deal, contacts)
    audit_record(actor=actor, action="deal.create", instance=deal, subject_ids=_contact_ids(deal))
    return deal


@transaction.atomic
def deal_update(
    *, actor: Actor, deal: Deal, contacts: Sequence[Person] | None = None, **changes: object
) -> Deal:
    """Change a deal's details, stage or contacts. Closing goes through ``deal_close``."""
    actor.require(Permission.DEAL_CHANGE)
    require_same_workspace(actor, deal=deal)
    before_contacts = set(_contact_ids(deal))
    if isinstance(changes.get("amount"), int | float | str):
        changes["amount"] = Decimal(str(changes["amount"]))
    changed = apply_changes(deal, changes, allowed=DEAL_FIELDS)
    require_same_workspace(actor, organization=deal.organization, stage=deal.stage)
    if "owner" in changed:
        _check_owner(actor, deal.owner)
    if contacts is not None and {p.pk for p in contacts} != before_contacts:
        _set_contacts(actor, deal, contacts)
        changed.append("contacts")
    if not changed:
        return deal
    save_scoped(deal, actor=actor, changed=[name for name in changed if name in DEAL_FIELDS])
    audit_record(
        actor=actor,
        action="deal.update",
        instance=deal,
        subject_ids=before_contacts | set(_contact_ids(deal)),
        changed_fields=changed,
    )
    return deal


@transaction.atomic
def deal_move(*, actor: Actor, deal: Deal, stage: PipelineStage) -> Deal:
    """Move an open deal to another stage; its probability follows the stage's default."""
    if deal.status != DealStatus.OPEN:
        raise ValidationError({"stage": _("A closed deal cannot change stage; reopen it first.")})
    return deal_update(actor=actor, deal=deal, stage=stage, probability=stage.default_probability)


@transaction.atomic
def deal_close(*, actor: Actor, deal: Deal, won: bool, reason: str = "") -> Deal:
    """Mark a deal won or lost, with the reason."""
    actor.require(Permission.DEAL_CHANGE)
    require_same_workspace(actor, deal=deal)
    if deal.status != DealStatus.OPEN:
        raise ValidationError({"status": _("This deal is already closed.")})
    deal.status = DealStatus.WON if won else DealStatus.LOST
    deal.close_reason = reason
    deal.closed_at = timezone.now()
    deal.probability = 100 if won else 0
    changed = ["status", "close_reason", "closed_at", "probability"]
    save_scoped(deal, actor=actor, changed=changed)
    audit_record(
        actor=actor,
        action="deal.win" if won else "deal.lose",
        instance=deal,
        subject_ids=_contact_ids(deal),
        changed_fields=changed,
    )
    return deal


@transaction.atomic
def deal_reopen(*, actor: Actor, deal: Deal) -> Deal:
    """Open a closed deal again in its last stage."""
    actor.require(Permission.DEAL_CHANGE)
    require_same_workspace(actor, deal=deal)
    if deal.status == DealStatus.OPEN:
        return deal
    deal.status, deal.close_reason, deal.closed_at = DealStatus.OPEN, "", None
    deal.probability = deal.stage.default_probability
    changed = ["status", "close_reason", "closed_at", "probability"]
    save_scoped(deal, actor=actor, changed=changed)
    audit_record(actor=actor, action="deal.reopen", instance=deal, changed_fields=changed)
    return deal


@transaction.atomic
def deal_archive(*, actor: Actor, deal: Deal, archived: bool = True) -> Deal:
    actor.require(Permission.DEAL_CHANGE)
    require_same_workspace(actor, deal=deal)
    if (deal.archived_at is not None) == archived:
        return deal
    deal.archived_at = timezone.now() if archived else None
    save_scoped(deal, actor=actor, changed=["archived_at"])
    audit_record(
        actor=actor,
        action="deal.archive" if archived else "deal.unarchive",
        instance=deal,
        changed_fields=["archived_at"],
    )
    return deal


@transaction.atomic
def deal_delete(*, actor: Actor, deal: Deal) -> None:
    actor.require(Permission.DEAL_DELETE)
    require_same_workspace(actor, deal=deal)
    subjects, deal_id = _contact_ids(deal), deal.pk
    deal.delete()
    audit_record(
        actor=actor, action="deal.delete", object_type="crm.deal", object_id=deal_id, subject_ids=subjects
    )
