"""Every workspace that has its register rows gets the new ``outgoing_mail`` retention rule.

A workspace installs the shipped rules once (``register_defaults_install``); a rule shipped
later reaches the workspaces installed before it here. The values are those shipped with this
migration, frozen: later edits of the defaults do not change what this migration writes.
"""

from django.db import migrations

KEY = "outgoing_mail"
RULE = {
    "name_en": "Outgoing email",
    "name_de": "Ausgehende E-Mails",
    "years": 0,
    "months": 0,
    "days": 30,
    "counts_from": "record_created",
    "from_end_of_year": False,
    "statutory": False,
    "legal_source_en": "Company policy: long enough to see that a message was delivered or to "
    "send it again, short enough to keep little; not a statutory period.",
    "legal_source_de": "Unternehmensrichtlinie: lang genug, um die Zustellung einer Nachricht zu "
    "prüfen oder sie erneut zu senden, kurz genug, um wenig aufzubewahren; keine gesetzliche Frist.",
}


def add_outgoing_mail_rule(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    installed = set(RetentionRule.objects.values_list("workspace_id", flat=True).distinct())
    having = set(RetentionRule.objects.filter(key=KEY).values_list("workspace_id", flat=True))
    RetentionRule.objects.bulk_create(
        RetentionRule(workspace_id=workspace_id, key=KEY, **RULE) for workspace_id in sorted(installed - having)
    )


def remove_outgoing_mail_rule(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    RetentionRule.objects.filter(key=KEY, activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0012_merge_register"),
    ]

    operations = [
        migrations.RunPython(add_outgoing_mail_rule, remove_outgoing_mail_rule),
    ]
