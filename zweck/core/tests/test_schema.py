"""Every foreign key can be followed backwards through an index.

Deleting or erasing a row makes Django collect the rows that point to it by that column
alone, and the database checks the constraint the same way; without an index led by the
column, each such delete reads the whole referencing table (at a million persons, the
search postings made every erasure take seconds).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models


def _leading_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {
        found["columns"][0]
        for found in constraints.values()
        if (found["index"] or found["unique"] or found["primary_key"]) and found["columns"]
    }


def _foreign_keys() -> list[tuple[str, str]]:
    keys = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.local_fields:
            if isinstance(field, models.ForeignKey) and field.db_constraint:
                keys.append((model._meta.db_table, field.column))
    return keys


@pytest.mark.django_db
def test_every_foreign_key_column_leads_an_index() -> None:
    missing = [
        f"{table}.{column}" for table, column in _foreign_keys() if column not in _leading_columns(table)
    ]

    assert missing == [], "foreign keys no index starts with (give the field an index): " + ", ".join(missing)


@pytest.mark.django_db
def test_the_check_sees_the_person_column_of_the_search_postings() -> None:
    assert ("crm_searchposting", "person_id") in _foreign_keys()
    assert "person_id" in _leading_columns("crm_searchposting")
