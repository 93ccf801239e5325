"""What every operation declares besides its success schema."""

from __future__ import annotations

from typing import Any

from zweck.api.errors import ErrorOut

ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 413, 422})


def answers(schema: Any, status: int = 200) -> dict[Any, Any]:
    """The ``response`` of an operation: its success schema plus the common error body."""
    return {status: schema, ERROR_STATUSES: ErrorOut}


NO_CONTENT = answers(None, 204)
