"""Workspaces that installed the shipped register get its new activity, the recording of calls,
as ``register_defaults_install`` would create it; a workspace without register rows installs
the defaults itself later."""

from django.db import migrations

# The shipped default as it stood when this migration was written (zweck/privacy/defaults.py).
CALL_RECORDING = {
    "key": "call_recording",
    "name_en": "Recording calls",
    "name_de": "Aufzeichnung von Telefonaten",
    "purpose_en": "Recording a call when everyone on it agreed beforehand, so that what was said and "
    "agreed can be checked later; the call's record notes that it was recorded.",
    "purpose_de": "Aufzeichnung eines Telefonats, wenn alle Beteiligten vorher zugestimmt haben, damit "
    "sich Gesagtes und Vereinbartes später nachvollziehen lässt; der Eintrag des Telefonats vermerkt "
    "die Aufzeichnung.",
    "legal_basis": "a",
    "subject_categories": ["business_contact", "client_contact"],
    "data_categories": ["user.behavior"],
    "recipient_categories_en": "Our staff who need the data for their work, and the hosting provider "
    "as our processor.",
    "recipient_categories_de": "Unsere Mitarbeitenden, die die Daten für ihre Arbeit benötigen, und "
    "der Hosting-Dienstleister als unser Auftragsverarbeiter.",
    "provision_en": "Agreeing to a recording is voluntary; without your consent the call is not recorded.",
    "provision_de": "Die Zustimmung zur Aufzeichnung ist freiwillig; ohne Ihre Einwilligung wird das "
    "Telefonat nicht aufgezeichnet.",
    "data_use": "essential.service",
}


def add_call_recording(apps, schema_editor):
    ProcessingActivity = apps.get_model("privacy", "ProcessingActivity")
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    installed = ProcessingActivity.objects.values_list("workspace_id", flat=True).distinct()
    for workspace_id in sorted(set(installed)):
        if ProcessingActivity.objects.filter(workspace_id=workspace_id, key="call_recording").exists():
            continue
        rule = RetentionRule.objects.filter(workspace_id=workspace_id, key="business_relationship").first()
        if rule is None:
            continue
        ProcessingActivity.objects.create(workspace_id=workspace_id, retention=rule, **CALL_RECORDING)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0008_activity_enabled_and_notice_versions")]

    operations = [migrations.RunPython(add_call_recording, migrations.RunPython.noop)]
