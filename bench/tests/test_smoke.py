"""The benchmark's own code path at a tiny size, so it never rots.

Runs every registered operation against the test database (Zweck's API called
in-process), writes the report and checks that every operation has its row with
numbers or an explicit reason. No timing is asserted: numbers at this size mean nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import report
from bench.context import Context
from bench.http import InProcessClient
from bench.operations import load_operations
from bench.runner import run_all
from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create

PERSONS = 300


def _seed(owner: Actor) -> None:
    try:
        from zweck.cli.seed import seed_generate
    except ImportError:
        # Until the seed generator lands, a few persons through the services do.
        from zweck.crm.tests.factories import make_organization, make_person

        organization = make_organization(owner)
        for number in range(PERSONS):
            make_person(
                owner,
                first_name=f"Anna{number % 7}",
                last_name=f"Schneider{number}",
                organization=organization,
            )
        return
    seed_generate(workspace=owner.workspace, persons=PERSONS, activities_per_person=2, seed=7)


@pytest.mark.django_db(transaction=False)
def test_smoke_run_reports_every_operation(owner: Actor, tmp_path: Path) -> None:
    # given a seeded workspace and its API reachable in-process
    _seed(owner)
    _token, plain = token_create(actor=owner, name="bench")
    context = Context(
        database="postgres" if _vendor() == "postgresql" else "sqlite",
        actor=owner,
        repetitions=3,
        warmup=1,
        scratch=tmp_path,
        http=InProcessClient(token=plain),
        import_rows=50,
        run_id="t",
    )

    # when the smoke path runs
    rows = run_all(context)
    path = report.write(rows, {"database": context.database, "persons": str(PERSONS)}, tmp_path, "smoke")

    # then every operation has a row, measured or with the reason it is not
    operations = load_operations()
    assert [row.operation.key for row in rows] == list(operations)
    failed = [(row.operation.key, row.reason) for row in rows if row.status == "failed"]
    assert failed == []
    for row in rows:
        if row.status == "measured":
            assert row.outcome is not None
            assert len(row.outcome.ours.samples_ns) >= 1
            assert all(sample > 0 for sample in row.outcome.ours.samples_ns)
        else:
            assert row.status == "not built"
            assert row.reason
    text = path.read_text()
    for key in operations:
        line = next(line for line in text.splitlines() if f"(`{key}`) |" in line)
        assert re.search(r"\d+(\.\d+)? (ms|s) \|", line) or "not yet built: " in line, line
    assert (tmp_path / "LATEST.md").read_text() == text.replace("smoke.png", "LATEST.png")


def _vendor() -> str:
    from django.db import connection

    return connection.vendor
