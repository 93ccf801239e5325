# Digit indexes for the phone numbers in the free-text mention search of data-subject requests
# (zweck.privacy.mentions.find_mentions).
#
# People write a number with its digits split in any way: "0221 123456", "0221/123456",
# "+49 (0)221 12 34 56", "0049-221-123456". The word index of 0004 keeps "0221/123456" and
# "0221.123456" as one word and "-123456" with its sign, and a trailing group like "56" says
# nothing, so it cannot find the number. These indexes hold each field's digit runs with the
# separators between two digits (spaces, slashes, brackets, dots, dashes) left out and all
# else a space, each run cut to its last six digits: every writing of a number becomes the
# same word ("+49 (0)221 12 34 56" and "0221/123456" both "123456"), found by one exact
# look-up (zweck.privacy.variants.MentionMatcher.phone_index_words); the full number is then
# checked on the few rows found. Only digits are indexed, so the indexes are small (2 MB for
# 1,000,000 activities beside the 15 MB of their word index).
#
# The indexed expression is exactly zweck.privacy.mentions.MENTION_DIGITS_SQL, so the query's
# expression matches the index; test_mentions.py fails on PostgreSQL when a declared
# free-text field has no digit index or the planner does not use it. PostgreSQL only: on
# SQLite every operation here does nothing.

import importlib

from django.db import migrations

from zweck.core.migration_operations import RunSQLOnPostgreSQL

trigram_migration = importlib.import_module("zweck.privacy.migrations.0003_mention_trigram_indexes")
FREE_TEXT_COLUMNS: list[tuple[str, str]] = trigram_migration.FREE_TEXT_COLUMNS

DIGITS = (
    "to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(regexp_replace(COALESCE({column}, ''), "
    "'(\\d)[\\s/().-]+(?=\\d)', '\\1', 'g'), '\\D+', ' ', 'g'), '\\d*(\\d{{6}})', '\\1', 'g'))"
)


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_mention_digits"[:63]


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_mention_word_indexes"),
    ]

    operations = [
        RunSQLOnPostgreSQL(
            sql=(
                f"CREATE INDEX IF NOT EXISTS {index_name(table, column)} ON {table} "
                f"USING gin (workspace_id, {DIGITS.format(column=column)})"
            ),
            reverse_sql=f"DROP INDEX IF EXISTS {index_name(table, column)}",
        )
        for table, column in FREE_TEXT_COLUMNS
    ]
