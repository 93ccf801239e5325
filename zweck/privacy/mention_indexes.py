"""The word and digit indexes the mention search needs on a free-text column, for an app's
migration to create: the index names and expressions of privacy 0004 and 0005, so the same
queries use them (test_mentions.py and test_possible_mentions.py fail on PostgreSQL when a
declared free-text column has neither). PostgreSQL only: on SQLite the operations do nothing."""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from zweck.core.migration_operations import RunSQLOnPostgreSQL

_words = importlib.import_module("zweck.privacy.migrations.0004_mention_word_indexes")
_digits = importlib.import_module("zweck.privacy.migrations.0005_mention_digit_indexes")


def mention_index_operations(columns: Iterable[tuple[str, str]]) -> list[RunSQLOnPostgreSQL]:
    """A word index, then a digit index, for each ``(table, column)``; each reversible."""
    pairs = list(columns)
    return [
        *(
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE INDEX IF NOT EXISTS {_words.index_name(table, column)} ON {table} "
                    f"USING gin (workspace_id, to_tsvector('simple'::regconfig, COALESCE({column}, '')))"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS {_words.index_name(table, column)}",
            )
            for table, column in pairs
        ),
        *(
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE INDEX IF NOT EXISTS {_digits.index_name(table, column)} ON {table} "
                    f"USING gin (workspace_id, {_digits.DIGITS.format(column=column)})"
                ),
                reverse_sql=f"DROP INDEX IF EXISTS {_digits.index_name(table, column)}",
            )
            for table, column in pairs
        ),
    ]
