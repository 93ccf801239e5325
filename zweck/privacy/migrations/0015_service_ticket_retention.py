"""The retention event "the ticket or case was closed", and the service desk's two retention
rules for every workspace that has its register rows (``support_tickets``: three years after
a ticket was closed; ``held_incoming_mail``: 90 days for mail kept for review).

A workspace installs the shipped rules once (``register_defaults_install``); rules shipped later
reach the workspaces installed before them here. The values are frozen as shipped with this
migration: later edits of the defaults do not change what it writes.
"""

from django.db import migrations, models

RULES = {
    "support_tickets": {
        "name_en": "Support tickets and their conversation",
        "name_de": "Support-Tickets und ihr Verlauf",
        "years": 3,
        "months": 0,
        "days": 0,
        "counts_from": "case_closed",
        "from_end_of_year": False,
        "statutory": False,
        "legal_source_en": "Company policy: three years after the ticket was closed, the regular "
        "limitation period for claims, §§ 195, 199(1) BGB, for questions about the service "
        "delivered; not a statutory period. A ticket that is part of an invoice is kept with the invoice.",
        "legal_source_de": "Unternehmensrichtlinie: drei Jahre nach Abschluss des Tickets, die "
        "regelmäßige Verjährungsfrist, §§ 195, 199 Abs. 1 BGB, für Rückfragen zur erbrachten "
        "Leistung; keine gesetzliche Frist. Ein Ticket, das Teil einer Rechnung ist, wird mit der "
        "Rechnung aufbewahrt.",
    },
    "held_incoming_mail": {
        "name_en": "Incoming email kept for review",
        "name_de": "Zur Prüfung zurückgehaltene eingehende E-Mails",
        "years": 0,
        "months": 0,
        "days": 90,
        "counts_from": "record_created",
        "from_end_of_year": False,
        "statutory": False,
        "legal_source_en": "Company policy: long enough to review mail that could not be assigned "
        "to a ticket, short enough to keep little; not a statutory period.",
        "legal_source_de": "Unternehmensrichtlinie: lang genug, um E-Mails zu prüfen, die keinem "
        "Ticket zugeordnet werden konnten, kurz genug, um wenig aufzubewahren; keine gesetzliche Frist.",
    },
}


def add_service_rules(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    installed = set(RetentionRule.objects.values_list("workspace_id", flat=True).distinct())
    for key, rule in RULES.items():
        having = set(RetentionRule.objects.filter(key=key).values_list("workspace_id", flat=True))
        RetentionRule.objects.bulk_create(
            RetentionRule(workspace_id=workspace_id, key=key, **rule)
            for workspace_id in sorted(installed - having)
        )


def remove_service_rules(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    RetentionRule.objects.filter(key__in=list(RULES), activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0014_merge_disclosures"),
    ]

    operations = [
        migrations.AlterField(
            model_name="retentionrule",
            name="counts_from",
            field=models.CharField(
                choices=[
                    ("record_created", "The record arose"),
                    ("relationship_ended", "The business relationship or contract ended"),
                    ("last_contact", "The last contact"),
                    ("contract_ended", "The workspace's contract ended"),
                    ("warranty_ended", "The warranty obligations ended"),
                    ("account_closed", "The staff account was closed"),
                    ("session_expired", "The session expired"),
                    ("last_use", "The data was last used"),
                    ("event_ended", "The event ended"),
                    ("case_closed", "The ticket or case was closed"),
                ],
                max_length=24,
                verbose_name="counts from",
            ),
        ),
        migrations.RunPython(add_service_rules, remove_service_rules),
    ]
