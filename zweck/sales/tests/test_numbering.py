"""Invoice numbers: unique per workspace and series, without gaps, also when several
transactions finalize at once (PostgreSQL, real threads and connections)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from zweck.sales.models import Invoice
from zweck.sales.services import invoice_create, invoice_finalize, sales_settings_update
from zweck.sales.tests.conftest import SUPPLY, Shop, consulting

TODAY = date(2026, 12, 1)


@pytest.mark.django_db
def test_a_refused_finalization_takes_no_number_and_each_series_counts_on_its_own(shop: Shop) -> None:
    bare = invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting()])
    with pytest.raises(ValidationError):
        invoice_finalize(actor=shop.accountant, invoice=bare, today=TODAY)  # no date of supply
    first = invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting()], **SUPPLY)
    assert invoice_finalize(actor=shop.accountant, invoice=first, today=TODAY).number == "RE-2026-0001"

    sales_settings_update(actor=shop.owner, invoice_prefix="G-")
    other = invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting()], **SUPPLY)
    assert invoice_finalize(actor=shop.accountant, invoice=other, today=TODAY).number == "G-2026-0001"
    next_year = invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting()], **SUPPLY)
    assert (
        invoice_finalize(actor=shop.accountant, invoice=next_year, today=date(2027, 1, 2)).number
        == "G-2027-0001"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to race for")
@pytest.mark.django_db(transaction=True)
def test_parallel_finalizations_give_unique_numbers_without_gaps(shop: Shop) -> None:
    # given 12 drafts, finalized by 4 threads at once, each in its own transaction and connection
    drafts = [
        invoice_create(actor=shop.owner, organization=shop.customer, lines=[consulting()], **SUPPLY)
        for _ in range(12)
    ]
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def finalize(share: list[Invoice]) -> None:
        try:
            start.wait(timeout=60)
            for draft in share:
                invoice_finalize(actor=shop.accountant, invoice=draft, today=TODAY)
        except BaseException as error:  # reported below, the thread must not die silently
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finalize, args=(drafts[index::4],)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    # then every invoice has its own number, 1 to 12 without a gap
    assert failures == []
    numbers = sorted(Invoice.objects.filter(pk__in=[d.pk for d in drafts]).values_list("sequence", flat=True))
    assert numbers == list(range(1, 13))
    assert Invoice.objects.filter(number__isnull=False).values("number").distinct().count() == 12
