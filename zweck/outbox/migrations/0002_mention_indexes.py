# Word and digit indexes for the subject and text of outgoing mail, which the register declares
# as free text: the mention search of data-subject requests (zweck.privacy.mentions) reads them
# as it reads every other free-text column. The index expressions and names are those of
# privacy 0004 and 0005, so the same queries use them. PostgreSQL only: on SQLite every
# operation here does nothing.

from django.db import migrations

from zweck.privacy.mention_indexes import mention_index_operations

TABLE = "outbox_outgoingmail"
COLUMNS = ("subject", "body")


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_outgoing_mail"),
        ("privacy", "0005_mention_digit_indexes"),
    ]

    operations = mention_index_operations((TABLE, column) for column in COLUMNS)
