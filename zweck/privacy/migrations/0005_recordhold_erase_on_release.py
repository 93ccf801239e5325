# A hold now says whether its record is erased when the hold ends: a hold an erasure left is,
# a legal hold placed on a live record is not. Every hold placed before this migration was
# erased when it ended, so the existing ones keep that.

from django.db import migrations, models


def existing_holds_erase_on_release(apps, schema_editor):
    RecordHold = apps.get_model("privacy", "RecordHold")
    RecordHold.objects.update(erase_on_release=True)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_mention_word_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordhold",
            name="erase_on_release",
            field=models.BooleanField(default=False, verbose_name="erase the record when the hold ends"),
        ),
        migrations.AddField(
            model_name="recordhold",
            name="release_reason",
            field=models.TextField(blank=True, verbose_name="reasons for the early release"),
        ),
        migrations.RunPython(existing_holds_erase_on_release, migrations.RunPython.noop),
    ]
