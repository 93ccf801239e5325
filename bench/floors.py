"""Raw SQL shared by the floors: the least a database must do to give the same answer.

Table and column names come from the models' metadata, so a renamed column does not
silently break a floor; the statements themselves are plain SQL run on the driver's
cursor (psycopg or sqlite3), with no ORM, no validation and no audit trail beyond the
one row the product writes too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import connection, models

from zweck.audit.models import AuditEvent
from zweck.crm.models import Organization, OrganizationMembership, Person, PersonEmail, PersonPhone

PERSON = Person._meta.db_table
EMAIL = PersonEmail._meta.db_table
PHONE = PersonPhone._meta.db_table
MEMBERSHIP = OrganizationMembership._meta.db_table
ORGANIZATION = Organization._meta.db_table
AUDIT = AuditEvent._meta.db_table

# The persons visible to a salesperson: the workspace's, not restricted, not archived.
VISIBLE = "workspace_id = %s AND restricted_at IS NULL AND archived_at IS NULL"
ORDER = "last_name, first_name, id"


def person_rows_sql(page_sql: str) -> str:
    """The page's persons with their emails, phones and organization names in one statement."""
    return f"""
        SELECT p.id, p.first_name, p.last_name, p.position, e.email, f.number, o.name
        FROM ({page_sql}) p
        LEFT JOIN {EMAIL} e ON e.person_id = p.id
        LEFT JOIN {PHONE} f ON f.person_id = p.id
        LEFT JOIN {MEMBERSHIP} m ON m.person_id = p.id
        LEFT JOIN {ORGANIZATION} o ON o.id = m.organization_id
    """


def person_page_sql(where: str, *, limit: int, offset: int = 0) -> str:
    return (
        f"SELECT id, first_name, last_name, position, {ORDER.split(',')[0]} AS sort_key FROM {PERSON} "
        f"WHERE {where} ORDER BY {ORDER} LIMIT {int(limit)} OFFSET {int(offset)}"
    )


def insert_sql(model: type[models.Model], values: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """``INSERT ... RETURNING id`` for one row: given values, the field defaults for the rest."""
    columns, params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in values:
            value = values[field.attname]
        elif field.name in values:
            value = values[field.name]
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        else:
            value = ""
        columns.append(field.column)
        params.append(field.get_db_prep_save(value, connection))
    placeholders = ", ".join(["%s"] * len(columns))
    return (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES ({placeholders}) RETURNING id",
        params,
    )


def person_dependent_deletes() -> list[str]:
    """``DELETE`` statements for every table whose rows die with a person, children first."""
    statements = []
    for relation in Person._meta.related_objects:
        if relation.on_delete is models.CASCADE and relation.one_to_many:
            related = relation.related_model
            statements.append(f"DELETE FROM {related._meta.db_table} WHERE {relation.field.column} = %s")
    statements.append(f"DELETE FROM {PERSON} WHERE id = %s")
    return statements


# Free-text mentions, as the privacy operations find them: every free-text column the register
# declares, each term answered from the column's word index (privacy migration 0004) and then
# checked for containment; SQLite, which has no such index, checks containment alone.
MENTION_CONFIG = "simple"
MINIMUM_TERM_LENGTH = 5


def mention_columns() -> list[tuple[str, str]]:
    """(table, column) of every free-text field of a workspace table in the register."""
    from zweck.privacy.subjects import free_text_declarations

    return [
        (declaration.model._meta.db_table, declaration.model._meta.get_field(name).column)
        for declaration in free_text_declarations()
        for name in declaration.free_text_fields()
    ]


def mention_terms(emails: list[str], phones: list[str], names: list[str]) -> list[str]:
    """The subject's identifiers long enough to be evidence of a mention, each once."""
    terms: list[str] = []
    for term in (*emails, *phones, *names):
        if term and len(term) >= MINIMUM_TERM_LENGTH and term.lower() not in (t.lower() for t in terms):
            terms.append(term)
    return terms


def _like_pattern(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def mention_condition_sql(column: str, terms: list[str]) -> tuple[str, list[Any]]:
    """``(... OR ...)``: ``column`` holds one of ``terms``, through the word index where there is one."""
    parts, params = [], []
    for term in terms:
        if connection.vendor == "postgresql":
            parts.append(
                f"(to_tsvector('{MENTION_CONFIG}'::regconfig, COALESCE({column}, '')) "
                f"@@ plainto_tsquery('{MENTION_CONFIG}'::regconfig, %s) AND UPPER({column}) LIKE UPPER(%s))"
            )
            params += [term, _like_pattern(term)]
        else:
            parts.append(f"UPPER({column}) LIKE UPPER(%s) ESCAPE '\\'")
            params.append(_like_pattern(term))
    return "(" + " OR ".join(parts) + ")", params


def mention_select_sql(workspace_id: int, terms: list[str]) -> tuple[str, list[Any]]:
    """One ``UNION ALL`` statement: (table, id, column, text) of every free-text mention."""
    selects, params = [], []
    for table, column in mention_columns():
        condition, condition_params = mention_condition_sql(column, terms)
        selects.append(
            f"SELECT '{table}', id, '{column}', {column} FROM {table} WHERE workspace_id = %s AND {condition}"
        )
        params += [workspace_id, *condition_params]
    return " UNION ALL ".join(selects), params


def mention_redact_sql(workspace_id: int, terms: list[str], marker: str) -> list[tuple[str, list[Any]]]:
    """Per free-text column, one ``UPDATE`` replacing every term in the rows that mention one."""
    statements = []
    for table, column in mention_columns():
        replaced, replace_params = column, []
        for term in terms:
            replaced = f"REPLACE({replaced}, %s, %s)"
            replace_params += [term, marker]
        condition, condition_params = mention_condition_sql(column, terms)
        statements.append(
            (
                f"UPDATE {table} SET {column} = {replaced} WHERE workspace_id = %s AND {condition}",
                [*replace_params, workspace_id, *condition_params],
            )
        )
    return statements
