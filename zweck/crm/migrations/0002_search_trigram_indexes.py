# Trigram indexes for contact search (zweck.crm.search, docs/adr/0004-search.md).
#
# PostgreSQL only: pg_trgm supplies the trigram operator class, btree_gin lets the
# GIN index lead with workspace_id as every tenant index does. On SQLite every
# operation here does nothing; search there works without an index.
#
# The indexes stay out of the models' Meta because SQLite cannot create them.

from django.contrib.postgres.operations import BtreeGinExtension, TrigramExtension
from django.db import migrations

from zweck.core.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):

    dependencies = [
        ("crm", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        BtreeGinExtension(),
        RunSQLOnPostgreSQL(
            sql="CREATE INDEX person_search_trgm ON crm_person USING gin (workspace_id, search_text gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS person_search_trgm",
        ),
        RunSQLOnPostgreSQL(
            sql=(
                "CREATE INDEX organization_search_trgm "
                "ON crm_organization USING gin (workspace_id, search_text gin_trgm_ops)"
            ),
            reverse_sql="DROP INDEX IF EXISTS organization_search_trgm",
        ),
    ]
