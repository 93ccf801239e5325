"""Bearer-token authentication: every API call acts as the token's member in its workspace."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from zweck.accounts.actors import Actor, MissingPermission
from zweck.accounts.security import client_of
from zweck.accounts.services import TokenExpired, TokenNeedsTwoFactor, TokenReadOnly, token_authenticate
from zweck.accounts.throttle import TooManyAttempts
from zweck.core.permissions import Permission


class TokenAuth(HttpBearer):
    """``Authorization: Bearer zk_…`` → the ``Actor`` on ``request.auth``.

    An unknown, revoked or expired token is unauthenticated (401). A member whose role no
    longer grants API use is known but refused (403), so their client can tell the two apart.
    A client that sent too many unknown tokens is refused (429) for each further unknown one.
    An expired token is 401 with a message that says so; a read-only token is refused (403)
    for every method but GET, HEAD and OPTIONS; so is every token of a member without two
    factors in a workspace that requires them.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        writes = request.method not in ("GET", "HEAD", "OPTIONS")
        try:
            actor = token_authenticate(plain=token, client=client_of(request), writes=writes)
        except TooManyAttempts as error:
            raise HttpError(429, error.refusal.message) from error
        except TokenExpired as error:
            expired = formats.date_format(timezone.localtime(error.expired_at), "DATETIME_FORMAT")
            raise HttpError(
                401, _("This API token expired on %(time)s. Create a new one.") % {"time": expired}
            ) from error
        except TokenNeedsTwoFactor as error:
            raise HttpError(
                403,
                _(
                    "Your workspace requires two-factor authentication. Set it up on your account page "
                    "before you use the API."
                ),
            ) from error
        except TokenReadOnly as error:
            raise HttpError(
                403, _("This API token may only read. Use a token with write access for changes.")
            ) from error
        if actor is not None and not actor.can(Permission.TOKEN_USE):
            # Known but refused: the refusal is logged with who was refused.
            request.auth = actor  # type: ignore[attr-defined]
            raise MissingPermission([Permission.TOKEN_USE])
        return actor


def actor_of(request: HttpRequest) -> Actor:
    """The authenticated actor of an API request (set by ``TokenAuth``)."""
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, Actor)
    return actor
