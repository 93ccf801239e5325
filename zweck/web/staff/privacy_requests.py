"""The privacy officer's request queue: deadlines (overdue and soon due highlighted), opening a
request received by email, phone or letter, a request's detail with every step of handling it
(each a POST through a ``dsr`` service, each in the action log afterwards), the erasure plan to
review and its execution, and the recipient notifications (Art. 19) tracked until confirmed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.privacy import dsr
from zweck.privacy.erasure import erasure_plan
from zweck.privacy.erasure_words import plan_in_words, words
from zweck.privacy.exports import formats_of, media_type
from zweck.privacy.mention_decisions import CONFIRM, mention_decide, request_possible_mentions
from zweck.privacy.models import DataSubjectRequest, RecipientNotification
from zweck.privacy.notifications import (
    recipient_notification_confirm,
    recipient_notification_get,
    recipient_notification_list,
)
from zweck.privacy.request_models import ObjectionScope, RequestKind
from zweck.privacy.subjects import subject_candidates
from zweck.privacy.transmission import link_lifetime, transmission_link_create
from zweck.web.staff.access import StaffRequest, redirect_back, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate
from zweck.web.staff.pages import form_page
from zweck.web.staff.privacy_request_forms import (
    AssignForm,
    DecideForm,
    ExtendForm,
    LinkPersonsForm,
    ObjectionDecideForm,
    RectifyForm,
    RequestOpenForm,
    RestrictionLiftForm,
)

SOON_DAYS = 7

# What each line of a request's action log means, in the interface language.
ACTION_LABELS = {
    "request.received": gettext_lazy("Request received"),
    "request.repeated": gettext_lazy("The same request arrived again"),
    "dsr.verify": gettext_lazy("Identity check recorded"),
    "dsr.assign": gettext_lazy("Assigned"),
    "dsr.link_persons": gettext_lazy("Person records linked"),
    "dsr.extend": gettext_lazy("Deadline extended"),
    "dsr.decide": gettext_lazy("Decided"),
    "dsr.erase": gettext_lazy("Erasure carried out"),
    "dsr.restrict": gettext_lazy("Restriction carried out"),
    "person.erase": gettext_lazy("Person records erased"),
    "person.restrict": gettext_lazy("Person records restricted"),
    "person.restriction_notice": gettext_lazy("Subject told that the restriction ends"),
    "person.restriction_lift": gettext_lazy("Restriction lifted"),
    "person.rectify": gettext_lazy("Person record rectified"),
    "export.generated": gettext_lazy("Export generated"),
    "transmission.link_created": gettext_lazy("Link for the direct transmission created"),
    "transmission.downloaded": gettext_lazy("Export downloaded through a transmission link"),
    "dsr.deadline_recompute": gettext_lazy("Deadline moved to the working days of the federal state"),
    "objection.suppress": gettext_lazy("Addresses put on the marketing suppression list"),
    "objection.restrict": gettext_lazy("Restricted until the objection is decided"),
    "objection.decide": gettext_lazy("Objection decided"),
    "notification.confirm": gettext_lazy("Recipient confirmed a notification"),
    "hold.release": gettext_lazy("A hold ended early"),
    "mention.confirm": gettext_lazy("Possible mention confirmed"),
    "mention.dismiss": gettext_lazy("Possible mention dismissed"),
}

# What a recipient is told about (``RecipientNotification.action``).
NOTIFICATION_LABELS = {
    "rectification": gettext_lazy("Rectification"),
    "erasure": gettext_lazy("Erasure"),
    "restriction": gettext_lazy("Restriction"),
}


def _flag_deadline(row: DataSubjectRequest, today: date) -> DataSubjectRequest:
    row.overdue = row.is_open and row.deadline < today  # type: ignore[attr-defined]
    row.soon_due = row.is_open and today <= row.deadline <= today + timedelta(days=SOON_DAYS)  # type: ignore[attr-defined]
    return row


def _label_notifications(notifications: Any) -> list[RecipientNotification]:
    rows: list[RecipientNotification] = list(notifications)
    for row in rows:
        row.action_label = NOTIFICATION_LABELS.get(row.action, row.action)  # type: ignore[attr-defined]
    return rows


def _detail_url(request_id: int) -> str:
    return reverse("staff:privacy_request_detail", args=[request_id])


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def request_queue(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        _flag_deadline(row, today)
        for row in dsr.dsr_list(actor=request.actor, open_only=request.GET.get("all") != "1")
    ]
    return render_page(request, "staff/privacy/queue.html", {"rows": rows, "today": today})


@staff_view(Permission.PRIVACY_MANAGE)
def request_open(request: StaffRequest) -> HttpResponse:
    return form_page(
        request,
        RequestOpenForm(request.POST or None, actor=request.actor),
        heading=_("Record a request"),
        done=lambda opened: (_("Request #%(id)s recorded.") % {"id": opened.pk}, _detail_url(opened.pk)),
        cancel_url=reverse("staff:privacy_request_queue"),
        submit_label=_("Record the request"),
    )


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def request_detail(request: StaffRequest, request_id: int) -> HttpResponse:
    found = _flag_deadline(dsr.dsr_get(actor=request.actor, request_id=request_id), timezone.localdate())
    persons = list(found.persons.all())
    actions = list(found.actions.all())
    for action in actions:
        action.label = ACTION_LABELS.get(action.action, action.action)  # type: ignore[attr-defined]
    return render_page(
        request,
        "staff/privacy/detail.html",
        {
            "row": found,
            "persons": persons,
            "any_restricted": any(person.restricted_at for person in persons),
            "actions": actions,
            "notifications": _label_notifications(found.notifications.select_related("recipient")),
            "export_formats": formats_of(found.kind),
            "transmission_days": link_lifetime().days,
            "decides_objection": found.objection_scope == ObjectionScope.LEGITIMATE_INTEREST,
            "possible_mentions": (
                request_possible_mentions(actor=request.actor, request=found)
                if found.is_open and found.kind in (RequestKind.ACCESS, RequestKind.ERASURE)
                else []
            ),
        },
    )


def _plan_page(request: StaffRequest, found: DataSubjectRequest, *, refused: bool = False) -> HttpResponse:
    """The erasure plan in the staff user's language, with the confirmation its execution needs."""
    lang = translation.get_language() or "en"
    plan = erasure_plan(actor=request.actor, person_ids=[p.pk for p in found.persons.all()], request=found)
    return render_page(
        request,
        "staff/privacy/plan.html",
        {
            "row": found,
            "plan": plan_in_words(plan, lang),
            "w": words(lang),
            "refused": refused,
            "possible_mentions": plan.possible_mentions,
        },
        status=400 if refused else 200,
    )


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def request_erasure_plan(request: StaffRequest, request_id: int) -> HttpResponse:
    return _plan_page(request, dsr.dsr_get(actor=request.actor, request_id=request_id))


# The value of the confirmation checkbox on the plan page.
CONFIRMED = "erase"


@require_POST
@staff_view(Permission.PRIVACY_MANAGE)
def request_erasure_execute(request: StaffRequest, request_id: int) -> HttpResponse:
    """Carry out the erasure once the privacy officer confirmed the plan; without the
    confirmation the plan is shown again with the question marked, and nothing changes."""
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    if request.POST.get("confirm") != CONFIRMED:
        return _plan_page(request, found, refused=True)
    try:
        dsr.dsr_erase(actor=request.actor, request=found)
    except ValidationError as error:
        _show_refusal(request, error)
    else:
        messages.success(request, _("The erasure was carried out."))
    return redirect_back(request, _detail_url(request_id))


@require_POST
@staff_view(Permission.PRIVACY_MANAGE)
def request_mention_decide(request: StaffRequest, request_id: int) -> HttpResponse:
    """Confirm or dismiss one possible mention of the request's subject; back to the page."""
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    decision = request.POST.get("decision", "")
    try:
        mention_decide(actor=request.actor, request=found, key=request.POST.get("key", ""), decision=decision)
    except ValidationError as error:
        _show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The possible mention is confirmed: it is handled like a certain one.")
            if decision == CONFIRM
            else _("The possible mention is dismissed: it is left alone."),
        )
    return redirect_back(request, _detail_url(request_id))


def _show_refusal(request: StaffRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


type Step = Callable[[Actor, DataSubjectRequest], object]
type StepView = Callable[[HttpRequest, int], HttpResponse]


def _post_step(step: Step, done: Callable[[], str]) -> StepView:
    """A POST action on one request: ``step`` calls the service; its refusal is shown as a
    message, success as ``done()``. Back to the request's page (or ``next``)."""

    @require_POST
    @staff_view(Permission.PRIVACY_MANAGE)
    def view(request: StaffRequest, request_id: int) -> HttpResponse:
        found = dsr.dsr_get(actor=request.actor, request_id=request_id)
        try:
            step(request.actor, found)
        except ValidationError as error:
            _show_refusal(request, error)
        else:
            messages.success(request, done())
        return redirect_back(request, _detail_url(request_id))

    return view


request_verify = _post_step(
    lambda actor, found: dsr.dsr_verify(actor=actor, request=found),
    lambda: _("The identity is recorded as verified."),
)
request_verification_failed = _post_step(
    lambda actor, found: dsr.dsr_verify(actor=actor, request=found, verified=False),
    lambda: _("The identity is recorded as not verifiable."),
)
request_restrict = _post_step(
    lambda actor, found: dsr.dsr_restrict(actor=actor, request=found),
    lambda: _("The processing of the person records is restricted."),
)
request_objection = _post_step(
    lambda actor, found: dsr.objection_record(actor=actor, request=found),
    lambda: _("The objection is recorded."),
)


@require_POST
@staff_view(Permission.PRIVACY_MANAGE)
def request_export(request: StaffRequest, request_id: int) -> HttpResponse:
    """The access or portability export as a download; recorded in the request's log."""
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    fmt = request.POST.get("format", "json")
    lang = request.POST.get("lang") or translation.get_language() or "en"
    try:
        body = dsr.dsr_export(actor=request.actor, request=found, fmt=fmt, lang=lang)
    except ValidationError as error:
        _show_refusal(request, error)
        return HttpResponseRedirect(_detail_url(request_id))
    response = HttpResponse(body, content_type=media_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="request-{found.pk}-{found.kind}.{fmt}"'
    return response


@require_POST
@staff_view(Permission.PRIVACY_MANAGE)
def request_transmission_link(request: StaffRequest, request_id: int) -> HttpResponse:
    """Direct transmission (Art. 20(2) GDPR): a link to the portability export for another
    controller, shown once on the page that answers the POST."""
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    try:
        link = transmission_link_create(
            actor=request.actor, request=found, fmt=request.POST.get("format", "json")
        )
    except ValidationError as error:
        _show_refusal(request, error)
        return HttpResponseRedirect(_detail_url(request_id))
    url = request.build_absolute_uri(reverse("public:transmission_download", args=[link.token]))
    return render_page(
        request,
        "staff/privacy/requests/transmission_link.html",
        {"row": found, "link": link, "url": url},
    )


def _request_form_page(
    request: StaffRequest, found: DataSubjectRequest, form: Any, *, heading: str, done: Callable[[Any], str]
) -> HttpResponse:
    return form_page(
        request,
        form,
        heading=f"{heading} – #{found.pk}",
        done=lambda result: (done(result), _detail_url(found.pk)),
        cancel_url=_detail_url(found.pk),
        submit_label=heading,
    )


def _form_step(form_class: Any, heading: Callable[[], str], done: Callable[[Any], str]) -> StepView:
    """A form about one request (GET shows it, POST submits it through the form's service)."""

    @staff_view(Permission.PRIVACY_MANAGE)
    def view(request: StaffRequest, request_id: int) -> HttpResponse:
        found = dsr.dsr_get(actor=request.actor, request_id=request_id)
        form = form_class(request.POST or None, actor=request.actor, request=found)
        return _request_form_page(request, found, form, heading=heading(), done=done)

    return view


request_assign = _form_step(AssignForm, lambda: _("Assign"), lambda _result: _("The request is assigned."))
request_extend = _form_step(
    ExtendForm,
    lambda: _("Extend the deadline"),
    lambda extended: (
        _("The deadline is extended to %(date)s; the requester is told.")
        % {"date": extended.deadline.isoformat()}
    ),
)
request_decide = _form_step(DecideForm, lambda: _("Decide"), lambda _result: _("The request is decided."))
request_objection_decide = _form_step(
    ObjectionDecideForm, lambda: _("Decide the objection"), lambda _result: _("The objection is decided.")
)
request_restriction_lift = _form_step(
    RestrictionLiftForm,
    lambda: _("Lift the restriction"),
    lambda _result: _("The subject was told, and the restriction is lifted."),
)


def _field_label(field: Any) -> str:
    """A field's name for people: its verbose name, or for a list of related rows (emails,
    phones) the plural name of those rows."""
    if field.is_relation and field.auto_created:
        return str(field.related_model._meta.verbose_name_plural)
    return str(field.verbose_name)


def _changed_message(changed: list[str]) -> str:
    if not changed:
        return _("Nothing changed.")
    from zweck.crm.models import Person

    names = [_field_label(Person._meta.get_field(name)) for name in changed]
    return _("Changed: %(fields)s. The recipients are to be notified.") % {"fields": ", ".join(names)}


@staff_view(Permission.PRIVACY_MANAGE)
def request_rectify(request: StaffRequest, request_id: int) -> HttpResponse:
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    wanted = request.POST.get("person") or request.GET.get("person") or ""
    persons = {str(person.pk): person for person in found.persons.all()}
    person = persons.get(wanted) or next(iter(persons.values()), None)
    if person is None:
        messages.error(request, _("Name the person records the request covers first."))
        return HttpResponseRedirect(_detail_url(request_id))
    form = RectifyForm(request.POST or None, actor=request.actor, request=found, person=person)
    heading = _("Rectify %(name)s") % {"name": person}
    return _request_form_page(request, found, form, heading=heading, done=_changed_message)


@staff_view(Permission.PRIVACY_MANAGE)
def request_subjects(request: StaffRequest, request_id: int) -> HttpResponse:
    """Find the subject: candidates with the evidence of each match; link one or several."""
    found = dsr.dsr_get(actor=request.actor, request_id=request_id)
    search = {
        "email": request.GET.get("email", found.requester_email),
        "phone": request.GET.get("phone", found.requester_phone),
        "name": request.GET.get("name", found.requester_name),
        "organization": request.GET.get("organization", found.requester_organization),
    }
    candidates = subject_candidates(actor=request.actor, **search)
    linked = list(found.persons.all())
    found_ids = {candidate.person_id for candidate in candidates}
    choices = [(c.person_id, c.display_name) for c in candidates]
    choices += [(person.pk, str(person)) for person in linked if person.pk not in found_ids]
    form = LinkPersonsForm(
        request.POST or None,
        actor=request.actor,
        request=found,
        choices=choices,
        initial={"persons": [str(person.pk) for person in linked]},
    )
    if request.method == "POST" and form.is_valid() and form.submit() is not None:
        messages.success(request, _("The person records are linked."))
        return HttpResponseRedirect(_detail_url(found.pk))
    checked = set(request.POST.getlist("persons")) if form.is_bound else {str(p.pk) for p in linked}
    return render_page(
        request,
        "staff/privacy/requests/subjects.html",
        {
            "row": found,
            "search": search,
            "candidates": candidates,
            "others": [person for person in linked if person.pk not in found_ids],
            "checked": checked,
            "form": form,
        },
    )


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def notification_list(request: StaffRequest) -> HttpResponse:
    """The workspace's recipient notifications still waiting for confirmation, the oldest first."""
    page = paginate(request, recipient_notification_list(actor=request.actor, pending_only=True))
    page.object_list = _label_notifications(page.object_list)
    template = list_template(request, "staff/privacy/requests/notifications.html")
    return render_page(request, template, {"page": page})


@require_POST
@staff_view(Permission.PRIVACY_MANAGE)
def notification_confirm(request: StaffRequest, notification_id: int) -> HttpResponse:
    notification = recipient_notification_get(actor=request.actor, notification_id=notification_id)
    try:
        recipient_notification_confirm(actor=request.actor, notification=notification)
    except ValidationError as error:
        _show_refusal(request, error)
    else:
        messages.success(
            request, _("%(recipient)s confirmed the notification.") % {"recipient": notification.recipient}
        )
    return redirect_back(request, reverse("staff:privacy_notification_list"))
