# Word and digit indexes for the free-text columns of tickets (subject, description), their
# messages (body) and held mail (subject), which the register declares as free text: the
# mention search of data-subject requests (zweck.privacy.mentions) reads them as it reads every
# other free-text column. The index expressions and names are those of privacy 0004 and 0005,
# so the same queries use them. PostgreSQL only: on SQLite every operation here does nothing.

import importlib

from django.db import migrations

from zweck.core.migration_operations import RunSQLOnPostgreSQL

words = importlib.import_module("zweck.privacy.migrations.0004_mention_word_indexes")
digits = importlib.import_module("zweck.privacy.migrations.0005_mention_digit_indexes")

COLUMNS = (
    ("service_ticket", "subject"),
    ("service_ticket", "description"),
    ("service_ticketmessage", "body"),
    ("service_heldmail", "subject"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0001_tickets"),
        ("privacy", "0005_mention_digit_indexes"),
    ]

    operations = [
        *[
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE INDEX IF NOT EXISTS {words.index_name(table, column)} ON {table} "
                    f"USING gin (workspace_id, to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS {words.index_name(table, column)}",
            )
            for table, column in COLUMNS
        ],
        *[
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE INDEX IF NOT EXISTS {digits.index_name(table, column)} ON {table} "
                    f"USING gin (workspace_id, {digits.DIGITS.format(column=column)})"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS {digits.index_name(table, column)}",
            )
            for table, column in COLUMNS
        ],
    ]
