"""Finding a data subject and collecting everything the register ties to them, in every app.

Nothing here names a model: the register's ``subject`` paths lead from any declared model to
the person (``"self"``, ``"person"``, ``"participants"``, ``"subject_id"``, ...), the data
categories say which fields hold an email address, a phone number or a name, and the
``free_text`` fields are where other records mention the subject. An app added later is
covered the moment its ``privacy.py`` declares its models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.core.register import ModelDeclaration, Personal, register
from zweck.core.scoping import WorkspaceQuerySet
from zweck.privacy.variants import MentionMatcher, PersonName, fold, spellings

CONTACT = "contact"
EMAIL_CATEGORY = "user.contact.email"
PHONE_CATEGORY = "user.contact.phone_number"
FIRST_NAME_CATEGORY = "user.name.first"
LAST_NAME_CATEGORY = "user.name.last"
# The salutation field (Frau, Herr, Ms, Mr) is declared by the gender it names.
GENDER_CATEGORY = "user.demographic.gender"
# A name part that is neither the first name nor the surname: the academic title (Dr., Prof.).
TITLE_CATEGORY = "user.name"
ORGANIZATION_CATEGORY = "user.contact.organization"
WORKPLACE_CATEGORY = "user.workplace"
# Shorter terms would match too much text to be evidence of a mention.
MINIMUM_TERM_LENGTH = 5


class SubjectNotFound(LookupError):
    """No person record matches what the request gives."""


@cache
def subject_declaration() -> ModelDeclaration:
    """The declaration whose rows *are* the contacts (``subject="self"``)."""
    for declaration in register:
        if declaration.subject == "self" and declaration.subject_kind == CONTACT:
            return declaration
    raise LookupError("No model is declared as the contact data subject.")


def subject_model() -> type[models.Model]:
    return subject_declaration().model


def subject_path(declaration: ModelDeclaration) -> str:
    """The lookup from a row of ``declaration`` to the subject's primary key."""
    assert declaration.subject is not None
    return "pk" if declaration.subject == "self" else declaration.subject


def contact_declarations() -> list[ModelDeclaration]:
    """Every declaration whose rows belong to contacts, the subject's own model first."""
    own = subject_declaration()
    others = [d for d in register if d.subject is not None and d.subject_kind == CONTACT and d is not own]
    return [own, *sorted(others, key=lambda d: d.label)]


def has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def in_workspace(declaration: ModelDeclaration, workspace_id: int) -> QuerySet[Any]:
    """Every row of ``declaration`` the workspace stores (the engine's whole-register reads)."""
    rows = declaration.model._default_manager.all()
    if isinstance(rows, WorkspaceQuerySet):
        rows = rows.in_workspace(workspace_id)
    return rows


def rows_of(declaration: ModelDeclaration, *, workspace_id: int, person_ids: Iterable[int]) -> QuerySet[Any]:
    """The rows of ``declaration`` that belong to any of ``person_ids``."""
    ids = sorted(set(person_ids))
    rows = in_workspace(declaration, workspace_id)
    lookup = {f"{subject_path(declaration)}__in": ids}
    if is_shared(declaration):
        # A semi-join instead of DISTINCT over the joined rows: each row once, without
        # sorting whole rows (text columns included) to remove duplicates. The inner query
        # starts from the link rows of the persons (the outer one keeps the workspace): with
        # the workspace inside, SQLite without statistics walks every row of the workspace.
        linked = declaration.model._default_manager.filter(**lookup).values("pk")
        return rows.filter(pk__in=linked).order_by("pk")
    return rows.filter(**lookup).order_by("pk")


def is_shared(declaration: ModelDeclaration) -> bool:
    """Whether the subject path crosses a to-many relation (a row may belong to several subjects)."""
    if declaration.subject in ("self", None):
        return False
    model: Any = declaration.model
    for part in declaration.subject.split("__"):
        try:
            model_field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if model_field.many_to_many or model_field.one_to_many:
            return True
        if not model_field.is_relation:
            return False
        model = model_field.related_model
    return False


def path_is_relation(declaration: ModelDeclaration) -> bool:
    """Whether the subject path follows a relation (else it is a plain id column)."""
    if declaration.subject in ("self", None):
        return False
    first = declaration.subject.split("__", 1)[0]
    try:
        return bool(declaration.model._meta.get_field(first).is_relation)
    except FieldDoesNotExist:
        return False


def subject_ids_of_rows(
    declaration: ModelDeclaration, *, workspace_id: int, row_ids: Iterable[int]
) -> dict[int, set[int]]:
    """For each row id, the ids of every subject the row belongs to."""
    path = subject_path(declaration)
    found: dict[int, set[int]] = {}
    pairs = in_workspace(declaration, workspace_id).filter(pk__in=list(row_ids)).values_list("pk", path)
    for row_id, subject_id in pairs:
        found.setdefault(row_id, set())
        if subject_id is not None:
            found[row_id].add(int(subject_id))
    return found


# ---------------------------------------------------------------- finding the subject


@dataclass
class Candidate:
    """A person record that may be the requester, with the evidence of each match."""

    person_id: int
    display_name: str
    evidence: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.evidence)


def _fields_with(declaration: ModelDeclaration, *categories: str) -> list[str]:
    return [
        name
        for name, personal in declaration.personal_fields().items()
        if personal.category in categories and not declaration.model._meta.get_field(name).is_relation
    ]


def _match(
    workspace_id: int, categories: tuple[str, ...], value: str, lookup: str
) -> Iterator[tuple[ModelDeclaration, str, int]]:
    """(declaration, field, person id) for every contact row whose field of ``categories`` matches."""
    for declaration in contact_declarations():
        for name in _fields_with(declaration, *categories):
            rows = in_workspace(declaration, workspace_id).filter(**{f"{name}__{lookup}": value})
            for subject_id in rows.values_list(subject_path(declaration), flat=True)[:50]:
                if subject_id is not None:
                    yield declaration, name, int(subject_id)


def normalized_phone(value: str) -> str:
    from zweck.crm.validators import normalize_phone

    try:
        return normalize_phone(value)
    except ValidationError:
        return value.strip()


def subject_candidates(
    *,
    actor: Actor,
    email: str = "",
    phone: str = "",
    name: str = "",
    organization: str = "",
) -> list[Candidate]:
    """Person records that may be the subject, best evidence first. Restricted persons are
    included: a request is one of the purposes restricted data may still be used for."""
    actor.require(Permission.PRIVACY_VIEW)
    return find_candidates(
        workspace_id=actor.workspace_id, email=email, phone=phone, name=name, organization=organization
    )


def find_candidates(
    *, workspace_id: int, email: str = "", phone: str = "", name: str = "", organization: str = ""
) -> list[Candidate]:
    found: dict[int, list[str]] = {}

    def note(person_id: int, evidence: str) -> None:
        reasons = found.setdefault(person_id, [])
        if evidence not in reasons:
            reasons.append(evidence)

    if email.strip():
        for declaration, name_, person_id in _match(workspace_id, (EMAIL_CATEGORY,), email.strip(), "iexact"):
            note(
                person_id, _("email address matches (%(where)s)") % {"where": f"{declaration.label}.{name_}"}
            )
    if phone.strip():
        number = normalized_phone(phone)
        for declaration, name_, person_id in _match(workspace_id, (PHONE_CATEGORY,), number, "exact"):
            note(person_id, _("phone number matches (%(where)s)") % {"where": f"{declaration.label}.{name_}"})
    own = subject_declaration()
    if name.strip():
        words = name.split()
        firsts, lasts = _fields_with(own, FIRST_NAME_CATEGORY), _fields_with(own, LAST_NAME_CATEGORY)
        if firsts and lasts and len(words) >= 2:
            condition = Q(**{f"{firsts[0]}__iexact": " ".join(words[:-1])}) & Q(
                **{f"{lasts[0]}__iexact": words[-1]}
            )
        elif lasts:
            condition = Q(**{f"{lasts[0]}__iexact": words[-1]})
        else:
            condition = Q(pk__in=[])
        for person_id in in_workspace(own, workspace_id).filter(condition).values_list("pk", flat=True)[:50]:
            note(person_id, _("name matches"))
    if organization.strip():
        for declaration in contact_declarations():
            for name_, personal in declaration.personal_fields().items():
                model_field = declaration.model._meta.get_field(name_)
                if personal.category != WORKPLACE_CATEGORY or not model_field.is_relation:
                    continue
                related = register.get(model_field.related_model)  # type: ignore[arg-type]
                if related is None:
                    continue
                for org_field in _fields_with(related, ORGANIZATION_CATEGORY):
                    rows = in_workspace(declaration, workspace_id).filter(
                        **{f"{name_}__{org_field}__icontains": organization.strip()}
                    )
                    for person_id in rows.values_list(subject_path(declaration), flat=True)[:50]:
                        note(int(person_id), _("works at a matching organization"))
    if not found:
        return []
    people = {p.pk: str(p) for p in in_workspace(own, workspace_id).filter(pk__in=list(found))}
    candidates = [
        Candidate(person_id=pk, display_name=people.get(pk, ""), evidence=reasons)
        for pk, reasons in found.items()
        if pk in people
    ]
    return sorted(candidates, key=lambda c: (-c.score, c.person_id))


# ---------------------------------------------------------------- identifiers


# ``identifiers_by_person``'s key for every subject's identifiers together.
ALL = 0


@dataclass(frozen=True)
class Identifiers:
    """What identifies the subjects in text: their addresses, numbers and full names, the name
    parts of each of their person records, and which of their surnames other persons of the
    workspace share (``zweck.privacy.variants`` says what each makes of a mention)."""

    emails: tuple[str, ...]
    phones: tuple[str, ...]
    names: tuple[str, ...]
    people: tuple[PersonName, ...] = ()
    shared_surnames: tuple[str, ...] = ()
    # Which surnames others share is a query of its own, asked only once text is matched.
    shared_surnames_of: Callable[[], tuple[str, ...]] | None = field(default=None, compare=False, repr=False)

    @classmethod
    def together(cls, parts: Sequence[Identifiers]) -> Identifiers:
        """The identifiers of several subjects as one."""
        if len(parts) == 1:
            return parts[0]
        return cls(
            emails=_unique(value for part in parts for value in part.emails),
            phones=_unique(value for part in parts for value in part.phones),
            names=_unique(value for part in parts for value in part.names),
            people=_unique(value for part in parts for value in part.people),
            shared_surnames=_unique(value for part in parts for value in part.shared_surnames),
            shared_surnames_of=next(
                (part.shared_surnames_of for part in parts if part.shared_surnames_of), None
            ),
        )

    @property
    def terms(self) -> list[str]:
        """Each identifier long enough to search for, once whatever its case."""
        seen: dict[str, str] = {}
        for term in (*self.emails, *self.phones, *self.names):
            if len(term) >= MINIMUM_TERM_LENGTH:
                seen.setdefault(term.lower(), term)
        return list(seen.values())

    @cached_property
    def matcher(self) -> MentionMatcher:
        long_enough = set(self.terms)
        return MentionMatcher(
            emails=[email for email in self.emails if email in long_enough],
            phones=self.phones,
            names=[name for name in self.names if name in long_enough],
            people=self.people,
            shared_surnames=self.shared_surnames_of or self.shared_surnames,
        )


def _values(
    declaration: ModelDeclaration, rows: QuerySet[Any], names: Sequence[str]
) -> list[tuple[int, str]]:
    """Each non-empty value of ``names`` in ``rows``, with the subject it belongs to."""
    values: list[tuple[int, str]] = []
    for subject_id, *row in rows.values_list(subject_path(declaration), *names):
        values.extend((subject_id, str(value)) for value in row if value)
    return values


def _shared_surnames(
    own: ModelDeclaration, workspace_id: int, ids: list[int], surnames: set[str]
) -> set[str]:
    """Which of ``surnames`` (folded) another person record of the workspace also has, in any
    umlaut spelling and in the usual capitalizations: exact look-ups in the index on names."""
    lasts = _fields_with(own, LAST_NAME_CATEGORY)
    if not lasts or not surnames:
        return set()
    written = {
        form
        for surname in surnames
        for spelling in spellings(surname)
        for form in (spelling, spelling.title(), spelling.upper(), spelling[:1].upper() + spelling[1:])
    }
    others = (
        in_workspace(own, workspace_id).filter(**{f"{lasts[0]}__in": sorted(written)}).exclude(pk__in=ids)
    )
    return {fold(name) for name in others.order_by().values_list(lasts[0], flat=True).distinct()[:1000]}


def _unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(items))


def identifiers_by_person(*, workspace_id: int, person_ids: Iterable[int]) -> dict[int, Identifiers]:
    """The emails, phone numbers and names of each of ``person_ids``, read through the register;
    all of them together under the key ``ALL`` (the subjects of one request are one person)."""
    ids = sorted(set(person_ids))
    emails: list[tuple[int, str]] = []
    phones: list[tuple[int, str]] = []
    for declaration in contact_declarations():
        # Only rows about one subject: a shared row's addresses may be someone else's.
        if declaration.subject != "self" and is_shared(declaration):
            continue
        rows = rows_of(declaration, workspace_id=workspace_id, person_ids=ids)
        email_fields = _fields_with(declaration, EMAIL_CATEGORY)
        phone_fields = _fields_with(declaration, PHONE_CATEGORY)
        if email_fields:
            emails.extend(_values(declaration, rows, email_fields))
        if phone_fields:
            phones.extend(_values(declaration, rows, phone_fields))
    own = subject_declaration()
    firsts, lasts = _fields_with(own, FIRST_NAME_CATEGORY), _fields_with(own, LAST_NAME_CATEGORY)
    salutations = _fields_with(own, GENDER_CATEGORY)
    titles = [name for name in _fields_with(own, TITLE_CATEGORY) if name not in (*firsts, *lasts)]
    names: list[tuple[int, str]] = []
    people: list[tuple[int, PersonName]] = []
    for person in (
        in_workspace(own, workspace_id)
        .filter(pk__in=ids)
        .values("pk", *firsts, *lasts, *salutations, *titles)
    ):
        parts = [person[name] for name in (*firsts, *lasts) if person[name]]
        if len(parts) >= 2:
            names.append((person["pk"], " ".join(parts)))
        first = " ".join(person[name] for name in firsts if person[name])
        last = " ".join(person[name] for name in lasts if person[name])
        salutation = " ".join(person[name] for name in salutations if person[name])
        title = " ".join(person[name] for name in titles if person[name])
        if last.strip():
            people.append(
                (person["pk"], PersonName(first=first, last=last, salutation=salutation, title=title))
            )
    surnames = {person.last for _pk, person in people}
    # One look-up for all of them, made once text is first matched.
    shared = cache(lambda: tuple(sorted(_shared_surnames(own, workspace_id, ids, surnames))))

    def of(wanted: Callable[[int], bool]) -> Identifiers:
        return Identifiers(
            emails=_unique(value for pk, value in emails if wanted(pk)),
            phones=_unique(value for pk, value in phones if wanted(pk)),
            names=_unique(value for pk, value in names if wanted(pk)),
            people=_unique(value for pk, value in people if wanted(pk)),
            shared_surnames_of=shared,
        )

    found = {pk: of(lambda subject_id, pk=pk: subject_id == pk) for pk in ids}  # type: ignore[misc]
    found[ALL] = of(lambda _subject_id: True)
    return found


def identifiers_of(*, workspace_id: int, person_ids: Iterable[int]) -> Identifiers:
    """The subjects' emails, phone numbers and names, read through the register."""
    return identifiers_by_person(workspace_id=workspace_id, person_ids=person_ids)[ALL]


def free_text_declarations() -> list[ModelDeclaration]:
    """Declarations of workspace rows with fields that may mention people."""
    return [
        d
        for d in register
        if d.free_text_fields() and has_field(d.model, "workspace") and d.subject_kind == CONTACT
    ]


def plain_value(value: Any) -> Any:
    """A value as an export writes it: dates as ISO text, numbers and text as they are."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def field_records(
    declaration: ModelDeclaration, rows: QuerySet[Any], names: Sequence[str]
) -> list[dict[str, Any]]:
    """``{"id": ..., name: value, ...}`` for each of ``rows``: a reference declared personal by
    the related row's name, any other reference by its id. One query for the rows and one per
    personal reference, however many rows there are."""
    model_fields = {name: declaration.model._meta.get_field(name) for name in names}
    columns = {name: getattr(model_field, "attname", name) for name, model_field in model_fields.items()}
    records = list(rows.values("pk", *columns.values()))
    shown_by_name: dict[str, dict[Any, str]] = {}
    for name, model_field in model_fields.items():
        if model_field.is_relation and isinstance(declaration.fields.get(name), Personal):
            ids = {record[columns[name]] for record in records} - {None}
            related = model_field.related_model._default_manager.in_bulk(ids) if ids else {}  # type: ignore[union-attr]
            shown_by_name[name] = {pk: str(row) for pk, row in related.items()}
    result = []
    for record in records:
        values: dict[str, Any] = {"id": record["pk"]}
        for name, column in columns.items():
            value = record[column]
            if name in shown_by_name and value is not None:
                value = shown_by_name[name].get(value)
            values[name] = plain_value(value)
        result.append(values)
    return result
