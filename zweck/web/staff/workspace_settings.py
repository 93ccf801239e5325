"""The owner's settings page: the controller's details every privacy notice and the records of
processing name (``privacy.controller.controller_update``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.forms.models import fields_for_model, model_to_dict
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.accounts.models import Workspace
from zweck.accounts.services import workspace_session_limits_set
from zweck.core.permissions import Permission
from zweck.privacy.controller import CONTROLLER_FIELDS, controller_get, controller_update
from zweck.privacy.documents import portal_address
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.forms import ServiceForm
from zweck.web.staff.privacy_register_forms import country_choices

SESSION_FIELDS = ("session_idle_minutes", "session_lifetime_hours", "require_two_factor")

# The page's sections: a heading and the fields under it. A later setting (say, the contract's
# end) adds its own section here and its field to the service.
SECTIONS: list[tuple[Any, tuple[str, ...]]] = [
    (
        gettext_lazy("Controller"),
        ("name", "legal_name", "street", "postal_code", "city", "country", "email", "phone", "website"),
    ),
    (gettext_lazy("Data-protection officer"), ("dpo_name", "dpo_email", "dpo_phone")),
    (gettext_lazy("Supervisory authority"), ("supervisory_authority", "supervisory_authority_url")),
    (gettext_lazy("Requests and deadlines"), ("privacy_portal_url", "federal_state")),
    (gettext_lazy("Representative in the Union"), ("representative",)),
]


class WorkspaceSettingsForm(ServiceForm):
    """The controller's details, as the model labels and limits them."""

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(workspace, fields=CONTROLLER_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Workspace,
                fields=CONTROLLER_FIELDS,
                widgets={"representative": forms.Textarea(attrs={"rows": 3})},
            )
        )
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"),
            choices=country_choices()[1:],
            help_text=_("Where the controller is established."),
        )
        self.fields["name"].help_text = _("How the workspace is called in Zweck.")
        self.fields["legal_name"].help_text = _(
            "The full name the notices and the records of processing give, e.g. with the legal form."
        )
        self.fields["dpo_email"].help_text = _("Published in every privacy notice.")
        # Under their section's heading, these fields need not repeat it.
        for name in ("dpo_name", "supervisory_authority"):
            self.fields[name].label = _("Name")
        self.fields["representative"].label = _("Name and address")

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (str(title), [self[name] for name in names if name in self.fields]) for title, names in SECTIONS
        ]

    def submit(self) -> Workspace | None:
        return self.call(controller_update, **{name: self.cleaned_data[name] for name in CONTROLLER_FIELDS})


@staff_view(Permission.WORKSPACE_MANAGE)
def workspace_settings(request: StaffRequest) -> HttpResponse:
    workspace = controller_get(actor=request.actor)
    form = WorkspaceSettingsForm(request.POST or None, actor=request.actor, workspace=workspace)
    url = reverse("staff:workspace_settings")
    if request.method == "POST" and form.is_valid() and form.submit() is not None:
        messages.success(request, _("Settings saved. The privacy notices now show them."))
        return HttpResponseRedirect(url)
    return render_page(
        request,
        "staff/settings/workspace.html",
        {
            "form": form,
            "portal_url": portal_address(workspace),
            "notices_url": reverse("public:notice_index") + f"?workspace={workspace.slug}",
        },
        status=422 if form.errors else 200,
    )


class SessionLimitsForm(ServiceForm):
    """How long the members' sessions last: without activity, and at most."""

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        kwargs.setdefault("initial", model_to_dict(workspace, fields=SESSION_FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Workspace, fields=SESSION_FIELDS))

    def submit(self) -> Workspace | None:
        return self.call(
            workspace_session_limits_set,
            idle_minutes=self.cleaned_data["session_idle_minutes"],
            lifetime_hours=self.cleaned_data["session_lifetime_hours"],
            require_two_factor=self.cleaned_data["require_two_factor"],
        )


@staff_view(Permission.WORKSPACE_MANAGE)
def session_settings(request: StaffRequest) -> HttpResponse:
    """The owner's settings for sessions: idle timeout and absolute lifetime."""
    workspace = controller_get(actor=request.actor)
    form = SessionLimitsForm(request.POST or None, actor=request.actor, workspace=workspace)
    if request.method == "POST" and form.is_valid() and form.submit() is not None:
        messages.success(
            request, _("Session settings saved. Running sessions follow them within five minutes.")
        )
        return HttpResponseRedirect(reverse("staff:session_settings"))
    return render_page(
        request,
        "staff/settings/sessions.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
