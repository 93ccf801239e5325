# Trigram indexes for the free-text mention search of data-subject requests
# (zweck.privacy.subjects.mention_rows): an access export and an erasure find every note that
# names the subject's email, phone or full name through these indexes, never by a scan.
#
# Django's icontains on PostgreSQL compares UPPER(column) LIKE UPPER(pattern), so the indexes
# are on UPPER(column) with gin_trgm_ops; btree_gin lets them lead with workspace_id as every
# tenant index does. PostgreSQL only: on SQLite every operation here does nothing.
#
# One index per free-text field of the register (Personal(free_text=True)) on a workspace
# table; test_mentions.py fails on PostgreSQL when a declared free-text field has none.

from django.db import migrations

from zweck.core.migration_operations import RunSQLOnPostgreSQL

FREE_TEXT_COLUMNS = [
    ("crm_person", "notes"),
    ("crm_organization", "notes"),
    ("crm_activity", "subject"),
    ("crm_activity", "body"),
    ("crm_deal", "title"),
    ("crm_deal", "close_reason"),
    ("privacy_datasubjectrequest", "details"),
    ("privacy_datasubjectrequest", "decision_reason"),
    ("privacy_requestaction", "note"),
]


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_mention_trgm"[:63]


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0001_initial"),
        ("privacy", "0002_data_subject_requests"),
    ]

    operations = [
        # Created idempotently: the CRM's search migration creates the same extensions.
        RunSQLOnPostgreSQL(
            sql="CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS btree_gin;",
            reverse_sql=migrations.RunSQL.noop,
        ),
        *[
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {table} "
                    f"USING gin (workspace_id, UPPER({column}) gin_trgm_ops)"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS {index_name(table, column)}",
            )
            for table, column in FREE_TEXT_COLUMNS
        ],
    ]
