"""Who is using the staff UI, and in which workspace: every staff view goes through ``staff_view``.

The current workspace is kept in the session. Each request rebuilds the ``Actor`` from the
user's active membership there, so a revoked seat or a changed role takes effect on the
next click. Objects the actor's selectors do not return answer 404, so a guessed id of
another workspace looks exactly like an id that does not exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from zweck.accounts.actors import Actor
from zweck.accounts.models import User
from zweck.accounts.security import client_of, security_denial_record
from zweck.accounts.selectors import actor_for, membership_list_for_user
from zweck.accounts.two_factor import two_factor_enabled
from zweck.core.permissions import Permission

SESSION_WORKSPACE = "zweck_workspace_id"
# Set when the session passed a second factor (at sign-in or by setting one up in it).
SESSION_TWO_FACTOR = "zweck.two_factor"


class StaffRequest(HttpRequest):
    """A request of a signed-in member: ``actor`` is set by ``staff_view``."""

    actor: Actor
    user: User
    htmx: HtmxDetails


def resolve_actor(request: HttpRequest) -> Actor | None:
    """The actor for the signed-in user in the session's workspace, or their first workspace."""
    user = cast(User, request.user)
    workspace_id = request.session.get(SESSION_WORKSPACE)
    if workspace_id is not None:
        actor = actor_for(user=user, workspace=int(workspace_id))
        if actor is not None:
            return actor
    membership = membership_list_for_user(user=user).first()
    if membership is None:
        return None
    request.session[SESSION_WORKSPACE] = membership.workspace_id
    return actor_for(user=user, workspace=membership.workspace_id)


def switch_workspace(request: HttpRequest, workspace_id: int) -> Actor:
    """Make ``workspace_id`` the session's workspace; 404 when the user has no seat there."""
    actor = actor_for(user=cast(User, request.user), workspace=workspace_id)
    if actor is None:
        raise Http404
    request.session[SESSION_WORKSPACE] = actor.workspace_id
    return actor


def two_factor_missing(request: HttpRequest, actor: Actor) -> bool:
    """Whether the workspace requires two factors and the user has none (checked in the
    database only until the session knows it has them)."""
    if not actor.workspace.require_two_factor or request.session.get(SESSION_TWO_FACTOR):
        return False
    if two_factor_enabled(cast(User, request.user)):
        request.session[SESSION_TWO_FACTOR] = True
        return False
    return True


type StaffViewFunction[**P] = Callable[Concatenate[StaffRequest, P], HttpResponse]


def staff_view[**P](
    *permissions: Permission,
) -> Callable[[StaffViewFunction[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """Require a signed-in member holding ``permissions``; give the view ``request.actor``.

    Anonymous visitors go to the login page; a member without a permission gets 403, and the
    refusal is written to the security log; ``DoesNotExist`` from a selector becomes 404. In a
    workspace that requires two factors, a member without an authenticator app is sent to set
    one up first.
    """

    def decorate(view: StaffViewFunction[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = resolve_actor(request)
            if actor is None:
                security_denial_record(client=client_of(request), user=cast(User, request.user))
                return render(request, "staff/no_workspace.html", status=403)
            if two_factor_missing(request, actor):
                target = reverse("staff:two_factor_enrol") + "?required=1"
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return HttpResponseRedirect(target)
            staff_request = cast(StaffRequest, request)
            staff_request.actor = actor
            try:
                actor.require(*permissions)
                return view(staff_request, *args, **kwargs)
            except ObjectDoesNotExist as error:
                raise Http404 from error
            except PermissionDenied as error:
                security_denial_record(client=client_of(request), actor=actor, error=error)
                raise

        return wrapper

    return decorate


def page_context(request: StaffRequest, **context: Any) -> dict[str, Any]:
    """What every staff page needs: the actor and their permissions (the frame itself, with the
    member's workspaces, comes from the ``shell`` context processor)."""
    return {
        "actor": request.actor,
        "can": {str(permission) for permission in request.actor.permissions},
        **context,
    }


def render_page(
    request: StaffRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    return render(request, template, page_context(request, **(context or {})), status=status)


def redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """Back to the page named in ``next`` when it is one of ours, else to ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return HttpResponseRedirect(target)
