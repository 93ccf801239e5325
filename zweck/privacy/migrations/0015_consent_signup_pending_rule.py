"""Every workspace that has its register rows gets the new ``consent_signup_pending`` retention
rule (sign-ups of the double opt-in that were never confirmed). The values are frozen here, as
in ``0013_outgoing_mail_retention_rule``."""

from django.db import migrations

KEY = "consent_signup_pending"
RULE = {
    "name_en": "Sign-ups awaiting confirmation",
    "name_de": "Unbestätigte Anmeldungen",
    "years": 0,
    "months": 0,
    "days": 7,
    "counts_from": "record_created",
    "from_end_of_year": False,
    "statutory": False,
    "legal_source_en": "Company policy: the confirmation link works for 48 hours; a sign-up "
    "nobody confirmed is of no use after that; not a statutory period.",
    "legal_source_de": "Unternehmensrichtlinie: Der Bestätigungslink gilt 48 Stunden; eine nie "
    "bestätigte Anmeldung wird danach nicht mehr gebraucht; keine gesetzliche Frist.",
}


def add_rule(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    installed = set(RetentionRule.objects.values_list("workspace_id", flat=True).distinct())
    having = set(RetentionRule.objects.filter(key=KEY).values_list("workspace_id", flat=True))
    RetentionRule.objects.bulk_create(
        RetentionRule(workspace_id=workspace_id, key=KEY, **RULE) for workspace_id in sorted(installed - having)
    )


def remove_rule(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    RetentionRule.objects.filter(key=KEY, activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0014_merge_disclosures"),
    ]

    operations = [
        migrations.RunPython(add_rule, remove_rule),
    ]
