"""Members of the workspace, for those who manage them: roles, invitations, deactivation; and
the page where an invited person accepts."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zweck.accounts.members import (
    INVITATION_DAYS,
    invitation_accept,
    invitation_from_token,
    invitation_revoke,
    member_deactivate,
    member_invite,
    member_role_change,
)
from zweck.accounts.models import Invitation, User
from zweck.accounts.security import client_of
from zweck.accounts.selectors import invitation_list_open, member_list_for_management
from zweck.accounts.services import user_create
from zweck.core.permissions import Permission, Role
from zweck.outbox.services import mail_queue
from zweck.web.staff.access import SESSION_WORKSPACE, StaffRequest, render_page, staff_view


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.READ_ONLY)

    def __init__(self, *args: Any, may_make_owners: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not may_make_owners:
            role = self.fields["role"]
            assert isinstance(role, forms.ChoiceField)
            role.choices = [choice for choice in Role.choices if choice[0] != Role.OWNER]


def _send_invitation(request: StaffRequest, invitation: Invitation, token: str) -> None:
    """The invitation's mail, through the outbox (in the inviting language)."""
    actor = request.actor
    inviter = actor.user.get_full_name() if actor.user is not None else actor.workspace.name
    link = request.build_absolute_uri(reverse("staff:invitation_accept", args=[token]))
    body = _(
        "Hello,\n\n%(inviter)s invites you to work in %(workspace)s on Zweck as %(role)s.\n\n"
        "To accept, open this link within %(days)s days:\n%(link)s\n\n"
        "If you did not expect this invitation, ignore this email: nothing happens without you.\n"
    ) % {
        "inviter": inviter,
        "workspace": actor.workspace.name,
        "role": Role(invitation.role).label,
        "days": INVITATION_DAYS,
        "link": link,
    }
    mail_queue(
        to=invitation.email,
        subject=_("Invitation to %(workspace)s on Zweck") % {"workspace": actor.workspace.name},
        body=body,
        workspace_id=actor.workspace_id,
    )


def _members_page(
    request: StaffRequest, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    may_make_owners = request.actor.can(Permission.WORKSPACE_MANAGE)
    roles = [choice for choice in Role.choices if may_make_owners or choice[0] != Role.OWNER]
    return render_page(
        request,
        "staff/members/list.html",
        {
            "members": list(member_list_for_management(actor=request.actor)),
            "invitations": list(invitation_list_open(actor=request.actor)),
            "invite_form": invite_form or InviteForm(may_make_owners=may_make_owners),
            "roles": roles,
            "may_make_owners": may_make_owners,
        },
        status=status,
    )


@staff_view(Permission.MEMBER_MANAGE)
def member_list(request: StaffRequest) -> HttpResponse:
    return _members_page(request)


@require_POST
@staff_view(Permission.MEMBER_MANAGE)
def member_invite_view(request: StaffRequest) -> HttpResponse:
    form = InviteForm(request.POST, may_make_owners=request.actor.can(Permission.WORKSPACE_MANAGE))
    if form.is_valid():
        try:
            member_invite(
                actor=request.actor,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                notify=lambda invitation, token: _send_invitation(request, invitation, token),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The invitation is on its way. Its link works for seven days."))
            return HttpResponseRedirect(reverse("staff:member_list"))
    return _members_page(request, invite_form=form, status=422)


def _membership(request: StaffRequest, membership_id: int) -> Any:
    return member_list_for_management(actor=request.actor).get(pk=membership_id)


@require_POST
@staff_view(Permission.MEMBER_MANAGE)
def member_role_view(request: StaffRequest, membership_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    try:
        member_role_change(actor=request.actor, membership=membership, role=request.POST.get("role", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _members_page(request, status=422)
    messages.success(request, _("The role of %(member)s was changed.") % {"member": membership.user})
    return HttpResponseRedirect(reverse("staff:member_list"))


@staff_view(Permission.MEMBER_MANAGE)
def member_deactivate_view(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Ask first, then take the seat: sessions and tokens end at once."""
    membership = _membership(request, membership_id)
    if request.method == "POST":
        try:
            member_deactivate(actor=request.actor, membership=membership, client=client_of(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return _members_page(request, status=422)
        messages.success(
            request, _("%(member)s can no longer work in this workspace.") % {"member": membership.user}
        )
        return HttpResponseRedirect(reverse("staff:member_list"))
    return render_page(request, "staff/members/deactivate.html", {"membership": membership})


@require_POST
@staff_view(Permission.MEMBER_MANAGE)
def invitation_revoke_view(request: StaffRequest, invitation_id: int) -> HttpResponse:
    invitation = invitation_list_open(actor=request.actor).get(pk=invitation_id)
    invitation_revoke(actor=request.actor, invitation=invitation)
    messages.success(request, _("The invitation was withdrawn; its link no longer works."))
    return HttpResponseRedirect(reverse("staff:member_list"))


class NewAccountForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return cleaned


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Where the invitation's link leads: join as the signed-in user, or make an account."""
    invitation = invitation_from_token(token)
    if invitation is None:
        return render(request, "staff/members/invitation_invalid.html", status=404)
    existing = User.objects.filter(email=invitation.email).first()
    signed_in = cast(User, request.user) if request.user.is_authenticated else None
    context: dict[str, Any] = {"invitation": invitation, "role": Role(invitation.role).label}
    if existing is not None:
        if signed_in is None or signed_in.pk != existing.pk:
            context["login_url"] = f"{settings.LOGIN_URL}?next={request.path}"
            context["other_user"] = signed_in
            return render(request, "staff/members/invitation_sign_in.html", context)
        if request.method == "POST":
            try:
                membership = invitation_accept(invitation=invitation, user=existing)
            except ValidationError as error:
                context["errors"] = error.messages
                return render(request, "staff/members/invitation_join.html", context, status=422)
            request.session[SESSION_WORKSPACE] = membership.workspace_id
            messages.success(
                request, _("Welcome to %(workspace)s.") % {"workspace": invitation.workspace.name}
            )
            return HttpResponseRedirect(reverse("staff:dashboard"))
        return render(request, "staff/members/invitation_join.html", context)
    form = NewAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = user_create(
                    email=invitation.email,
                    password=form.cleaned_data["password1"],
                    full_name=form.cleaned_data["full_name"],
                    language=request.LANGUAGE_CODE if request.LANGUAGE_CODE in ("de", "en") else "en",
                )
                membership = invitation_accept(invitation=invitation, user=user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error("password1" if field == "password" else None, errors)
        else:
            auth_login(request, user, backend="zweck.accounts.backends.ThrottledModelBackend")
            request.session[SESSION_WORKSPACE] = membership.workspace_id
            messages.success(
                request, _("Welcome to %(workspace)s.") % {"workspace": invitation.workspace.name}
            )
            return HttpResponseRedirect(reverse("staff:dashboard"))
    context["form"] = form
    return render(
        request, "staff/members/invitation_new_account.html", context, status=422 if form.errors else 200
    )
