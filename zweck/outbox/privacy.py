"""Register declarations of the outbox: the recipients, subject and text of outgoing email are
personal data, kept only until the short ``outgoing_mail`` period ends."""

from zweck.core.register import NOT_PERSONAL, Personal, register
from zweck.outbox.models import OutgoingMail

register.declare(
    OutgoingMail,
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "from_email": NOT_PERSONAL,
        "recipients": Personal("user.contact.email"),
        "subject": Personal("user.content.private", free_text=True),
        "body": Personal("user.content.private", free_text=True),
        "reply_to": Personal("user.contact.email"),
        "attachments": Personal("user.content.private"),
        # Message ids and the Reply-To of the sending workspace: they link a mail to its thread.
        "headers": Personal("user.unique_id"),
        "status": NOT_PERSONAL,
        "attempts": NOT_PERSONAL,
        "next_attempt_at": NOT_PERSONAL,
        "sent_at": NOT_PERSONAL,
        "last_error": NOT_PERSONAL,
    },
    # Mail answers privacy requests (a legal obligation) and reaches staff about their workspace.
    activities=("legal_obligations", "account_administration"),
    retention="outgoing_mail",
)
