"""Free-text mention search: every free-text field of the register has a trigram index on
PostgreSQL, and the planner uses it instead of a scan."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from zweck.accounts.actors import Actor
from zweck.crm.models import Activity
from zweck.privacy.subjects import free_text_declarations

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
)


@postgresql_only
@pytest.mark.django_db
def test_every_free_text_field_has_a_trigram_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
        indexes = cursor.fetchall()
    missing = [
        f"{d.model._meta.db_table}.{name}"
        for d in free_text_declarations()
        for name in d.free_text_fields()
        if not any(
            table == d.model._meta.db_table
            and f"upper({d.model._meta.get_field(name).column})"
            in definition.lower().replace("::text", "").replace("((", "(").replace("))", ")")
            for table, definition in indexes
        )
    ]
    assert missing == []


@postgresql_only
def test_mention_search_uses_the_index(workspace: object, owner: Actor) -> None:
    # Without the workspace condition, no other index can answer the pattern match.
    rows = Activity.objects.filter(
        Q(body__icontains="anna.beispiel@example.com") | Q(subject__icontains="anna.beispiel@example.com")
    ).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = rows.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "mention_trgm" in plan
