from __future__ import annotations

from zweck.accounts.actors import Actor
from zweck.crm.models import Deal, Organization, Person, PipelineStage
from zweck.crm.services import (
    EmailInput,
    MembershipInput,
    PhoneInput,
    deal_create,
    organization_create,
    person_create,
    pipeline_install_defaults,
)

_counter = iter(range(1, 10**9))


def make_organization(actor: Actor, name: str | None = None, **details: object) -> Organization:
    return organization_create(actor=actor, name=name or f"Testfirma {next(_counter)} GmbH", **details)


def make_person(
    actor: Actor,
    first_name: str = "Anna",
    last_name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    organization: Organization | None = None,
    **details: object,
) -> Person:
    number = next(_counter)
    return person_create(
        actor=actor,
        first_name=first_name,
        last_name=last_name or f"Muster{number}",
        emails=[EmailInput(email or f"person{number}@example.com")],
        phones=[PhoneInput(phone)] if phone else [],
        organizations=[MembershipInput(organization)] if organization else [],
        **details,
    )


def make_stages(actor: Actor) -> list[PipelineStage]:
    return pipeline_install_defaults(actor=actor)


def make_deal(actor: Actor, organization: Organization | None = None, **details: object) -> Deal:
    make_stages(actor)
    return deal_create(
        actor=actor,
        title=str(details.pop("title", f"Rahmenvertrag {next(_counter)}")),
        organization=organization or make_organization(actor),
        **details,
    )
