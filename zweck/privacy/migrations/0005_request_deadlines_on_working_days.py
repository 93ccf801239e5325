# The stored deadlines of existing data-subject requests end on a working day: where one month
# (or, extended, three months) after receipt is a Saturday, Sunday or public holiday, the period
# ends on the next working day (Art. 3(4) Regulation (EEC, Euratom) No 1182/71; see
# zweck.privacy.deadlines). Existing workspaces have no federal state yet, so the nationwide
# public holidays of their country count; setting a state later moves the open requests again
# (zweck.privacy.request_deadlines). Going back restores the unmoved calendar dates.

from django.db import migrations
from django.utils import timezone

from zweck.privacy.deadlines import ANSWER_MONTHS, EXTENSION_MONTHS, WorkingDays, stored_deadlines
from zweck.privacy.periods import add_months

BATCH = 1000


def _rewrite(apps, derive):
    workspace_model = apps.get_model("accounts", "Workspace")
    request_model = apps.get_model("privacy", "DataSubjectRequest")
    for workspace in workspace_model.objects.order_by("pk").only("pk", "country", "federal_state"):
        working_days = WorkingDays(country=workspace.country, subdivision=workspace.federal_state)
        rows = (
            request_model.objects.filter(workspace_id=workspace.pk)
            .order_by("pk")
            .only("pk", "received_at", "due_on", "extended_due_on")
        )
        changed = []
        for row in rows.iterator(chunk_size=BATCH):
            due, extended = derive(row, working_days)
            if (due, extended) != (row.due_on, row.extended_due_on):
                row.due_on, row.extended_due_on = due, extended
                changed.append(row)
            if len(changed) >= BATCH:
                request_model.objects.bulk_update(changed, ["due_on", "extended_due_on"])
                changed = []
        request_model.objects.bulk_update(changed, ["due_on", "extended_due_on"])


def move_to_working_days(apps, schema_editor):
    _rewrite(
        apps,
        lambda row, working_days: stored_deadlines(
            received_at=row.received_at,
            extended=row.extended_due_on is not None,
            working_days=working_days,
        ),
    )


def back_to_calendar_dates(apps, schema_editor):
    def unmoved(row, working_days):
        received_on = timezone.localdate(row.received_at)
        extended = row.extended_due_on is not None
        return (
            add_months(received_on, ANSWER_MONTHS),
            add_months(received_on, ANSWER_MONTHS + EXTENSION_MONTHS) if extended else None,
        )

    _rewrite(apps, unmoved)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_workspace_add_federal_state"),
        ("privacy", "0004_mention_word_indexes"),
    ]

    operations = [migrations.RunPython(move_to_working_days, back_to_calendar_dates)]
