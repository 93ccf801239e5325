# The consent ledger on PostgreSQL: a trigger refuses every UPDATE of a consent record or a
# consent text that changes more than the staff references (Django clears ``created_by`` and
# ``updated_by`` when a user account is deleted), whoever sends it. Deleting stays possible for
# the privacy engine (a hold that ends, the retention sweep, the end of a workspace). On SQLite
# this does nothing: the models refuse the change there.

from django.db import migrations

from zweck.core.migration_operations import RunSQLOnPostgreSQL

GUARDED = ("marketing_consentrecord", "marketing_consenttext")

FUNCTION = """
CREATE OR REPLACE FUNCTION marketing_ledger_append_only() RETURNS trigger AS $$
BEGIN
    IF (to_jsonb(NEW) - 'created_by_id' - 'updated_by_id')
        IS DISTINCT FROM (to_jsonb(OLD) - 'created_by_id' - 'updated_by_id') THEN
        RAISE EXCEPTION 'The consent ledger is append-only: % is never changed.', TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


class Migration(migrations.Migration):
    dependencies = [
        ("marketing", "0001_consent_ledger"),
    ]

    operations = [
        RunSQLOnPostgreSQL(sql=FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS marketing_ledger_append_only()"),
        *[
            RunSQLOnPostgreSQL(
                sql=(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION marketing_ledger_append_only()"
                ),
                reverse_sql=f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            )
            for table in GUARDED
        ],
    ]
