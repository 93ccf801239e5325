# Word indexes for the free-text mention search of data-subject requests
# (zweck.privacy.subjects.mention_rows), replacing the trigram indexes of 0003 for it.
#
# A trigram index answers '%Anna Beispiel%' by reading the posting lists of every trigram of
# the pattern, and trigrams of names and addresses ("SCH", "EXA", ".CO") occur in a large share
# of all notes, so the work grows with the table. A word index reads the lists of the words
# "anna" and "beispiel" (an address or phone number is one word), which grow with the number
# of notes naming those words. The search then checks containment on the few rows found.
#
# The indexed expression is exactly what Django's ``field__search=SearchQuery(term,
# config="simple")`` compiles to, so the query's expression matches the index. "simple"
# lowercases and splits, neither stems nor drops stop words. btree_gin lets each index lead
# with workspace_id as every tenant index does. PostgreSQL only: on SQLite every operation
# here does nothing.
#
# The trigram indexes on activity subjects and deal titles stay: the CRM's activity and deal
# lists search those columns with icontains. The others served only the mention search.
# test_mentions.py fails on PostgreSQL when a declared free-text field has no word index.

import importlib

from django.db import migrations

from zweck.core.migration_operations import RunSQLOnPostgreSQL

# The same free-text columns and trigram index names as 0003 (a module name that starts with a
# digit is imported by name).
trigram_migration = importlib.import_module("zweck.privacy.migrations.0003_mention_trigram_indexes")
FREE_TEXT_COLUMNS: list[tuple[str, str]] = trigram_migration.FREE_TEXT_COLUMNS
trigram_index_name = trigram_migration.index_name
TRIGRAM_KEPT_FOR_LIST_SEARCH = {("crm_activity", "subject"), ("crm_deal", "title")}


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_mention_words"[:63]


def trigram_index_sql(table: str, column: str) -> str:
    return (
        f"CREATE INDEX IF NOT EXISTS {trigram_index_name(table, column)} ON {table} "
        f"USING gin (workspace_id, UPPER({column}) gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_mention_trigram_indexes"),
    ]

    operations = [
        *[
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {table} "
                    f"USING gin (workspace_id, to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS {index_name(table, column)}",
            )
            for table, column in FREE_TEXT_COLUMNS
        ],
        *[
            RunSQLOnPostgreSQL(
                sql=f"DROP INDEX IF EXISTS {trigram_index_name(table, column)}",
                reverse_sql=trigram_index_sql(table, column),
            )
            for table, column in FREE_TEXT_COLUMNS
            if (table, column) not in TRIGRAM_KEPT_FOR_LIST_SEARCH
        ],
    ]
