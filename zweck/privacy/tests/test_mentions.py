"""Free-text mention search: every free-text field of the register has a word index on
PostgreSQL, and the planner uses it instead of a scan; a mention is the term on its own, on
either database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Q

from zweck.accounts.actors import Actor
from zweck.crm.models import Activity
from zweck.privacy.mentions import mention_condition
from zweck.privacy.subjects import free_text_declarations

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's"
)


@postgresql_only
@pytest.mark.django_db
def test_every_free_text_field_has_a_word_index() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE '%to_tsvector%'")
        indexes = cursor.fetchall()
    missing = [
        f"{d.model._meta.db_table}.{name}"
        for d in free_text_declarations()
        for name in d.free_text_fields()
        if not any(
            table == d.model._meta.db_table
            and f"coalesce({d.model._meta.get_field(name).column}, ''" in definition.lower()
            for table, definition in indexes
        )
    ]
    assert missing == []


@postgresql_only
def test_mention_search_uses_the_index(workspace: object, owner: Actor) -> None:
    # Without the workspace condition, no other index can answer the pattern match.
    terms = ["anna.beispiel@example.com", "Anna Beispiel"]
    condition = Q()
    for name in ("subject", "body"):
        for term in terms:
            condition |= mention_condition(name, term)
    rows = Activity.objects.filter(condition).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = rows.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "crm_activity_subject_mention_words" in plan
    assert "crm_activity_body_mention_words" in plan
