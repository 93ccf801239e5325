"""Argument types shared by the ``zweck`` commands."""

from __future__ import annotations

import argparse

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.models import FederalState

NO_STATE = "none"


def federal_state(value: str) -> str:
    """A federal state's ISO 3166-2:DE code (``BY``, ``de-by``), or ``none`` (or nothing) for the
    nationwide public holidays only, as stored."""
    code = value.strip().upper().removeprefix("DE-")
    if code in ("", NO_STATE.upper()):
        return FederalState.NONE
    if code not in FederalState.values:
        raise argparse.ArgumentTypeError(
            _("%(value)s is not a German federal state; use one of %(codes)s or %(none)s.")
            % {
                "value": value,
                "codes": ", ".join(sorted(code for code in FederalState.values if code)),
                "none": NO_STATE,
            }
        )
    return code


FEDERAL_STATE_HELP = gettext_noop(
    "The federal state (ISO 3166-2:DE code such as BY or NW, or 'none'): its public holidays, "
    "besides weekends, move a request's deadline to the next working day."
)
