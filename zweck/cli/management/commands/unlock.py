from __future__ import annotations

import ipaddress
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.services import sign_in_unlock_operator
from zweck.accounts.throttle import account_locked_until


class Command(BaseCommand):
    help = gettext_noop(
        "Lift the lock after too many failed attempts: of a login (by email) or of a client IP address."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", nargs="?", help=gettext_noop("The login's email address."))
        parser.add_argument("--ip", help=gettext_noop("A client IP address whose lock to lift."))
        parser.add_argument(
            "--check", action="store_true", help=gettext_noop("Only say whether the login is locked.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email, ip_address = options["email"], options["ip"]
        if not email and not ip_address:
            raise CommandError(_("Name a login's email address or an IP address (--ip)."))
        if ip_address:
            try:
                ip_address = str(ipaddress.ip_address(ip_address))
            except ValueError as error:
                raise CommandError(_("%(value)s is not an IP address.") % {"value": ip_address}) from error
        if options["check"]:
            if not email:
                raise CommandError(_("--check needs a login's email address."))
            until = account_locked_until(email)
            if until is None:
                self.stdout.write(_("%(email)s is not locked.") % {"email": email})
            else:
                when = formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")
                self.stdout.write(_("%(email)s is locked until %(time)s.") % {"email": email, "time": when})
            return
        removed = sign_in_unlock_operator(email=email, ip_address=ip_address)
        if removed:
            self.stdout.write(_("Unlocked."))
        else:
            self.stdout.write(_("Nothing was locked or counted."))
