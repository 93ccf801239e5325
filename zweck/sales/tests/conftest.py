from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from zweck.accounts.actors import Actor
from zweck.core.permissions import Role
from zweck.crm.models import Organization, Person
from zweck.crm.services.organizations import AddressInput
from zweck.crm.tests.factories import make_organization, make_person
from zweck.sales.services import LineInput, sales_settings_update


@dataclass
class Shop:
    owner: Actor
    accountant: Actor
    customer: Organization
    contact: Person


@pytest.fixture
def shop(owner: Actor, actor_with_role: Callable[[str], Actor]) -> Shop:
    return make_shop(owner, actor_with_role(Role.ACCOUNTING))


def make_shop(owner: Actor, accountant: Actor) -> Shop:
    """A workspace with its billing settings and a German customer with an address and VAT ID."""
    sales_settings_update(
        actor=owner,
        legal_name="Beispiel Beratung GmbH",
        street="Hauptstraße 1",
        postal_code="50667",
        city="Köln",
        tax_number="214/5678/0123",
        vat_id="DE136695976",
        iban="DE89 3704 0044 0532 0130 00",
        bic="COBADEFFXXX",
    )
    customer = make_organization(
        owner,
        "Kunde AG",
        vat_id="DE136695976",
        addresses=[AddressInput(street="Ringstraße 5", city="Bonn", postal_code="53111")],
    )
    contact = make_person(owner, "Karla", "Kundin", organization=customer)
    return Shop(owner=owner, accountant=accountant, customer=customer, contact=contact)


def consulting(hours: str = "10", price: str = "120", **extra: object) -> LineInput:
    return LineInput(
        description="Beratung",
        quantity=Decimal(hours),
        unit="HUR",
        unit_net_price=Decimal(price),
        vat_rate=int(extra.pop("vat_rate", 19)),  # type: ignore[call-overload]
        **extra,  # type: ignore[arg-type]
    )


SUPPLY = {"supply_date": date(2026, 11, 30)}
