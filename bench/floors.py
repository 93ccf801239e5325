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
