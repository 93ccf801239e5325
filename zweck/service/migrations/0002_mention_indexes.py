# Word and digit indexes for the free-text columns of tickets (subject, description), their
# messages (body) and held mail (subject), which the register declares as free text: the
# mention search of data-subject requests (zweck.privacy.mentions) reads them as it reads every
# other free-text column. The index expressions and names are those of privacy 0004 and 0005,
# so the same queries use them. PostgreSQL only: on SQLite every operation here does nothing.

from django.db import migrations

from zweck.privacy.mention_indexes import mention_index_operations

COLUMNS = (
    ("service_ticket", "subject"),
    ("service_ticket", "description"),
    ("service_ticketmessage", "body"),
    ("service_heldmail", "subject"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0001_tickets"),
        ("privacy", "0005_mention_digit_indexes"),
    ]

    operations = mention_index_operations(COLUMNS)
