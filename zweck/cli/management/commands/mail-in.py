"""``zweck mail-in``: one email on standard input opens or continues a ticket.

Meant to be called by the mail server for each message (Postfix: a ``pipe`` transport or an
alias ``support: "|zweck mail-in --recipient ${original_recipient}"``). The workspace is the
one whose support address receives the message; ``--workspace`` names it for a mailbox that
serves one workspace only. A message that cannot become part of a ticket is kept for review
(held mail), never dropped. Exit status 0 when the message was stored either way; 75
(temporary failure, EX_TEMPFAIL) when it could not be stored, so the mail server keeps it
and delivers it again later.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.service.mail_in import mail_in

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = gettext_noop(
        "Read one email message from standard input and open or continue a ticket with it; "
        "what cannot be assigned is kept for review."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help=gettext_noop("The envelope recipient the mail server delivered to (may be repeated)."),
        )
        parser.add_argument(
            "--workspace",
            default=None,
            help=gettext_noop("The workspace's short name, for mail to none of the support addresses."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        try:
            result = mail_in(raw=raw, recipients=options["recipient"], workspace_slug=options["workspace"])
        except Exception as error:  # the database is unreachable: the mail server must keep the mail
            self.stderr.write(
                _("The message could not be stored (%(error)s); deliver it again later.")
                % {"error": type(error).__name__}
            )
            sys.exit(EX_TEMPFAIL)
        if result.outcome == "held":
            self.stdout.write(
                _("Kept for review (held mail %(id)s): %(reason)s")
                % {"id": result.held_id, "reason": result.reason}
            )
        else:
            self.stdout.write(
                _("Ticket %(id)s: %(outcome)s.")
                % {
                    "id": result.ticket_id,
                    "outcome": _("opened") if result.outcome == "opened" else _("continued"),
                }
            )
        for line in result.refused_files:
            self.stderr.write(_("Not accepted: %(file)s") % {"file": line})
