"""Sales documents in the register: vouchers held 8 years, letters 6, deleted when that ends."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.services import object_type_of
from zweck.core.permissions import Role
from zweck.core.register import Erasure, register
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_organization, make_person
from zweck.privacy.erasure import person_erase
from zweck.privacy.models import RecordHold
from zweck.privacy.retention import retention_sweep
from zweck.privacy.services import register_defaults_install
from zweck.sales import models as sales
from zweck.sales.tests.factories import SalesDocuments, make_sales_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(actor_with_role) -> Actor:  # type: ignore[no-untyped-def]
    actor = actor_with_role(Role.PRIVACY_OFFICER)
    register_defaults_install(actor=actor)
    return actor


@pytest.fixture
def documents(owner: Actor, officer: Actor) -> tuple[Person, SalesDocuments]:
    organization = make_organization(owner, "Kunde GmbH")
    person = make_person(owner, "Karla", "Kundin", organization=organization)
    return person, make_sales_documents(owner, organization=organization, contact=person)


def test_each_document_has_its_statutory_rule_and_is_held_on_erasure() -> None:
    rules = {
        declaration.label: (declaration.retention, declaration.erasure)
        for declaration in register
        if declaration.model._meta.app_label == "sales" and declaration.subject is not None
    }
    voucher, letter = ("accounting_vouchers", Erasure.HOLD), ("business_letters", Erasure.HOLD)
    assert rules == {
        "sales.Invoice": voucher,
        "sales.InvoiceLine": voucher,
        "sales.Payment": voucher,
        "sales.Quote": letter,
        "sales.QuoteLine": letter,
        "sales.Order": letter,
        "sales.OrderLine": letter,
        "sales.DocumentSending": letter,
        "sales.BankTransaction": voucher,
        "sales.Reminder": letter,
        "sales.CollectionHandover": letter,
    }


def test_an_erasure_keeps_the_documents_unchanged_held_until_their_periods_end(
    officer: Actor, documents: tuple[Person, SalesDocuments]
) -> None:
    # given a contact person named on a quote, an order, an invoice and a payment
    person, docs = documents
    before = sales.Invoice.objects.values().get(pk=docs.invoice.pk)
    year = timezone.localdate().year

    # when the person is erased
    person_erase(actor=officer, person_ids=[person.pk])

    # then every document is kept as it was, under a hold to the end of its statutory period
    assert sales.Invoice.objects.values().get(pk=docs.invoice.pk) == before
    holds = dict(RecordHold.objects.filter(released_at__isnull=True).values_list("object_type", "ends_on"))
    assert holds[object_type_of(sales.Invoice)] == date(year + 8, 12, 31)
    assert holds[object_type_of(sales.Payment)] == date(year + 8, 12, 31)
    assert holds[object_type_of(sales.Quote)] == date(year + 6, 12, 31)
    assert holds[object_type_of(sales.Order)] == date(year + 6, 12, 31)
    # and the person record stays restricted while the documents refer to it
    assert Person.objects.get(pk=person.pk).restricted_at is not None


def test_the_sweep_deletes_documents_only_once_every_period_has_ended(
    officer: Actor, documents: tuple[Person, SalesDocuments]
) -> None:
    # given documents of 2016: quote and order (6 years, to 2022), invoice and payment (8, to 2024)
    _person, docs = documents
    sales.Quote.objects.filter(pk=docs.quote.pk).update(issue_date=date(2016, 3, 2))
    sales.Order.objects.filter(pk=docs.order.pk).update(order_date=date(2016, 3, 9))
    sales.Invoice.objects.filter(pk=docs.invoice.pk).update(issue_date=date(2016, 3, 31))
    sales.Payment.objects.filter(pk=docs.payment.pk).update(paid_on=date(2016, 5, 2))

    # when the sweep runs on the last day of the invoice's period
    retention_sweep(actor=officer, today=date(2024, 12, 31))

    # then the invoice stays with its line, and the order and quote past their period with it
    assert sales.Invoice.objects.filter(pk=docs.invoice.pk).exists()
    assert sales.InvoiceLine.objects.filter(invoice=docs.invoice).count() == 1
    assert sales.Order.objects.filter(pk=docs.order.pk).exists()
    assert sales.OrderLine.objects.filter(order=docs.order).count() == 1
    assert sales.Quote.objects.filter(pk=docs.quote.pk).exists()
    assert sales.QuoteLine.objects.filter(quote=docs.quote).count() == 1

    # and in the nights after it, everything goes (what refers to a row first)
    for _night in range(3):
        retention_sweep(actor=officer, today=date(2025, 1, 1))
    models = (
        sales.Quote,
        sales.QuoteLine,
        sales.Order,
        sales.OrderLine,
        sales.Invoice,
        sales.InvoiceLine,
        sales.Payment,
    )
    assert [model._meta.label for model in models if model.objects.exists()] == []
