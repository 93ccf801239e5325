"""Which purposes a workspace pursues, and for whom: its processing activities switched on or
off, and the groups of data subjects each applies to (Art. 5(1)(b) GDPR, purpose limitation).

Invariants:
- the workspace's own register rows decide; an activity a declaration names but the workspace
  has no row for (its register not installed yet) counts as the shipped default: in use, for
  the groups the default names;
- a field is collected while at least one activity it serves (``ModelDeclaration.field_activities``)
  is in use; the services refuse a value for any other (``core.services.refuse_uncollected``),
  the forms leave it out;
- a person is used for a record (a deal's contact, an activity's participant) only where one of
  the activities the register declares for that record is in use and applies to their group;
- the facts told to a person (access export, person page) name the purposes that apply to
  their group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from zweck.core.register import ModelDeclaration, register
from zweck.privacy.defaults import ACTIVITY_PRESETS, NOTICE_SUBJECTS, SUBJECT_GROUP_PRESETS
from zweck.privacy.models import ProcessingActivity
from zweck.privacy.subjects import in_workspace, subject_declaration

# The field of the subject's own record that names their group (``crm.Person``).
SUBJECT_GROUP_FIELD = "subject_category"


@dataclass(frozen=True)
class Purpose:
    key: str
    enabled: bool
    groups: frozenset[str]


@dataclass(frozen=True)
class PurposeMap:
    """The workspace's activities by key: whether each is in use, and for which groups."""

    purposes: dict[str, Purpose]

    def get(self, key: str) -> Purpose:
        found = self.purposes.get(key)
        if found is not None:
            return found
        preset = ACTIVITY_PRESETS.get(key)
        return Purpose(key, True, frozenset(preset.subject_categories if preset else ()))

    def enabled(self, key: str) -> bool:
        return self.get(key).enabled

    def applies(self, key: str, groups: Iterable[str]) -> bool:
        """Whether activity ``key`` is in use and applies to any of ``groups``."""
        purpose = self.get(key)
        return purpose.enabled and not purpose.groups.isdisjoint(groups)

    def served_groups(self, keys: Iterable[str]) -> frozenset[str]:
        """The groups some activity in ``keys`` is in use for."""
        return frozenset(group for key in keys if self.enabled(key) for group in self.get(key).groups)

    def for_groups(self, keys: Iterable[str], groups: Iterable[str]) -> list[str]:
        """Of ``keys``, those in use for any of ``groups``, in the given order."""
        wanted = frozenset(groups)
        return [key for key in keys if self.applies(key, wanted)]


def purpose_map(workspace_id: int) -> PurposeMap:
    """One read of the workspace's activities."""
    rows = (
        ProcessingActivity.objects.in_workspace(workspace_id)
        .order_by()
        .values_list("key", "enabled", "subject_categories")
    )
    return PurposeMap({key: Purpose(key, enabled, frozenset(groups or ())) for key, enabled, groups in rows})


def uncollected_in(declaration: ModelDeclaration, purposes: PurposeMap) -> frozenset[str]:
    """The personal fields of ``declaration`` whose every activity is switched off."""
    return frozenset(
        name
        for name in declaration.personal_fields()
        if (keys := declaration.field_activities(name)) and not any(purposes.enabled(key) for key in keys)
    )


def uncollected_policy(workspace_id: int, model: type[models.Model]) -> frozenset[str]:
    """``core.register``'s collection policy: registered by ``PrivacyConfig.ready``."""
    declaration = register.get(model)
    if declaration is None or not declaration.activity_keys():
        return frozenset()
    return uncollected_in(declaration, purpose_map(workspace_id))


def activity_names(workspace_id: int, keys: Iterable[str], lang: str) -> list[str]:
    """The names of activities ``keys`` as the workspace calls them (the default's where it has no row)."""
    wanted = list(keys)
    rows = {
        row.key: row for row in ProcessingActivity.objects.in_workspace(workspace_id).filter(key__in=wanted)
    }
    names = []
    for key in wanted:
        source: Any = rows.get(key) or ACTIVITY_PRESETS.get(key)
        if source is not None:
            names.append(source.name_de if lang == "de" else source.name_en)
    return names


def group_name(key: str, lang: str) -> str:
    preset = SUBJECT_GROUP_PRESETS.get(key)
    if preset is None:
        return key
    return preset.name_de if lang == "de" else preset.name_en


def _language() -> str:
    from django.utils import translation

    return "de" if (translation.get_language() or "").startswith("de") else "en"


class SubjectGroupLimit:
    """``core.scoping``'s purpose limit: a person is used for a record only where one of the
    record's activities is in use for their group. Registered by ``PrivacyConfig.ready``."""

    def usable(
        self, queryset: models.QuerySet[Any], *, workspace_id: int, activities: tuple[str, ...]
    ) -> models.QuerySet[Any]:
        if queryset.model is not subject_declaration().model or not activities:
            return queryset
        groups = purpose_map(workspace_id).served_groups(activities)
        if groups >= set(NOTICE_SUBJECTS):
            return queryset
        return queryset.filter(**{f"{SUBJECT_GROUP_FIELD}__in": sorted(groups)})

    def refusal(self, subject: models.Model, *, workspace_id: int, activities: tuple[str, ...]) -> str:
        lang = _language()
        group = str(getattr(subject, SUBJECT_GROUP_FIELD, ""))
        purposes = purpose_map(workspace_id)
        own = purposes.for_groups(subject_declaration().activity_keys(), [group])
        values = {"person": str(subject), "group": group_name(group, lang)}
        if not own:
            return _("%(person)s belongs to the group “%(group)s”, for which no purpose is in use.") % values
        return _(
            "%(person)s belongs to the group “%(group)s”, whose data is used only for: %(purposes)s. "
            "It may not be used here."
        ) % {**values, "purposes": ", ".join(activity_names(workspace_id, own, lang))}


subject_group_limit = SubjectGroupLimit()


def groups_of(workspace_id: int, person_ids: Iterable[int]) -> frozenset[str]:
    """The groups of the person records ``person_ids`` (several records of one person may differ)."""
    return frozenset(
        in_workspace(subject_declaration(), workspace_id)
        .filter(pk__in=list(person_ids))
        .values_list(SUBJECT_GROUP_FIELD, flat=True)
    )


def applicable_activities(
    declaration: ModelDeclaration, purposes: PurposeMap, groups: Iterable[str]
) -> list[str]:
    """The activities of ``declaration`` to name to a subject of ``groups``: those in use for the
    groups; where none is (the data was kept against the register's limits), those in use; and
    where none is in use either, all it declares. Data that is held is always explained."""
    keys = declaration.activity_keys()
    return purposes.for_groups(keys, groups) or [key for key in keys if purposes.enabled(key)] or list(keys)
