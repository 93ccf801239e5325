"""Workspaces configured like the seed notices: the register is what their notices promise."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from zweck.accounts.actors import Actor
from zweck.core.permissions import Role
from zweck.privacy.choices import RecipientRole, TransferSafeguard
from zweck.privacy.services import recipient_create, register_defaults_install

# The date of the Commission's standard contractual clauses, Implementing Decision (EU) 2021/914.
SCC_DATE = date(2021, 6, 4)


@pytest.fixture
def privacy_officer(actor_with_role: Callable[[str], Actor]) -> Actor:
    return actor_with_role(Role.PRIVACY_OFFICER)


@pytest.fixture
def installed(privacy_officer: Actor) -> Actor:
    """A privacy officer whose workspace has the shipped defaults: configured like seed 000
    (four groups of data subjects, seven years for service records)."""
    register_defaults_install(actor=privacy_officer)
    return privacy_officer


@pytest.fixture
def like_seed_004(installed: Actor) -> Actor:
    """Seed 004: contract, support, ERP and IT-documentation data; Odoo and NinjaOne as
    processors; standard contractual clauses for transfers."""
    recipient_create(
        actor=installed,
        name="Odoo S.A.",
        role=RecipientRole.PROCESSOR,
        service_en="ERP: quotes, orders, invoices, payment status",
        service_de="ERP: Angebote, Aufträge, Rechnungen, Zahlungsstatus",
        country="BE",
        activity_keys=["quotes_and_orders", "legal_obligations"],
    )
    recipient_create(
        actor=installed,
        name="NinjaOne, LLC",
        role=RecipientRole.PROCESSOR,
        service_en="Remote monitoring and management (RMM)",
        service_de="Fernwartung und Monitoring (RMM)",
        country="US",
        safeguard=TransferSafeguard.SCC,
        safeguard_date=SCC_DATE,
        activity_keys=["support_and_maintenance"],
    )
    return installed
