"""Activities in the staff UI: the in-place log form and timeline, the detail page, editing and
deleting, tasks, the week view, .ics files."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import icalendar
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zweck.accounts.actors import MissingPermission
from zweck.core.permissions import Permission
from zweck.crm import selectors
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Activity, Deal, Organization, Person
from zweck.crm.services import activity_complete, activity_delete
from zweck.crm.services.activities import activity_is_own
from zweck.web.staff.access import StaffRequest, redirect_back, render_page, staff_view
from zweck.web.staff.forms import ActivityEditForm, ActivityForm
from zweck.web.staff.pages import delete_page, form_page

TIMELINE_LENGTH = 50


def _timeline(request: StaffRequest, about: dict[str, int]) -> list[Activity]:
    activities = selectors.activity_list(
        actor=request.actor,
        person_id=about.get("person_id"),
        organization_id=about.get("organization_id"),
        deal_id=about.get("deal_id"),
    ).select_related("owner")
    return list(activities.order_by("-starts_at", "-due_at", "-id")[:TIMELINE_LENGTH])


def _about(person: Person | None, organization: Organization | None, deal: Deal | None) -> dict[str, int]:
    if person is not None:
        return {"person_id": person.pk}
    if organization is not None:
        return {"organization_id": organization.pk}
    assert deal is not None
    return {"deal_id": deal.pk}


def activity_panel_context(
    request: StaffRequest,
    *,
    person: Person | None = None,
    organization: Organization | None = None,
    deal: Deal | None = None,
    form: ActivityForm | None = None,
) -> dict[str, Any]:
    """The timeline of a person, organization or deal, with the form to log something new."""
    about = _about(person, organization, deal)
    key, value = next(iter(about.items()))
    if form is None and request.actor.can(Permission.ACTIVITY_CHANGE):
        form = ActivityForm(actor=request.actor, person=person, organization=organization, deal=deal)
    return {
        "timeline": _timeline(request, about),
        "activity_form": form,
        "activity_form_url": f"{reverse('staff:activity_create')}?{key.removesuffix('_id')}={value}",
        "now": timezone.now(),
    }


@require_POST
@staff_view(Permission.ACTIVITY_CHANGE)
def activity_create(request: StaffRequest) -> HttpResponse:
    """Log an activity from a person, organization or deal page; htmx gets the panel back."""
    actor = request.actor
    person = organization = deal = None
    if "person" in request.GET:
        person = selectors.person_get(actor=actor, person_id=int(request.GET["person"]))
        back = reverse("staff:person_detail", args=[person.pk])
    elif "organization" in request.GET:
        organization = selectors.organization_get(
            actor=actor, organization_id=int(request.GET["organization"])
        )
        back = reverse("staff:organization_detail", args=[organization.pk])
    else:
        deal = selectors.deal_get(actor=actor, deal_id=int(request.GET.get("deal", "0")))
        back = reverse("staff:deal_detail", args=[deal.pk])
    form = ActivityForm(request.POST, actor=actor, person=person, organization=organization, deal=deal)
    saved = form.is_valid() and form.submit() is not None
    if not request.htmx:
        if saved:
            return redirect(back)
        # Without JavaScript the errors are shown on the page the form came from.
        return render_page(request, "staff/activities/form_page.html", {"activity_form": form, "back": back})
    if saved:
        form = ActivityForm(actor=actor, person=person, organization=organization, deal=deal)
    context = activity_panel_context(request, person=person, organization=organization, deal=deal, form=form)
    return render_page(request, "staff/activities/_panel.html", {**context, "saved": saved})


def _detail_url(activity: Activity) -> str:
    return reverse("staff:activity_detail", args=[activity.pk])


def _own_activity(request: StaffRequest, activity_id: int) -> Activity:
    """An activity the member may change: their own, or any with the right to manage all (403 otherwise)."""
    activity = selectors.activity_get(actor=request.actor, activity_id=activity_id)
    if not activity_is_own(request.actor, activity):
        raise MissingPermission([Permission.ACTIVITY_MANAGE_ALL])
    return activity


@staff_view(Permission.CRM_VIEW)
def activity_detail(request: StaffRequest, activity_id: int) -> HttpResponse:
    """One activity with everything recorded about it, and what the user may do with it."""
    activity = selectors.activity_get(actor=request.actor, activity_id=activity_id)
    return render_page(
        request,
        "staff/activities/detail.html",
        {"activity": activity, "now": timezone.now(), "may_change": activity_is_own(request.actor, activity)},
    )


@staff_view(Permission.ACTIVITY_CHANGE)
def activity_edit(request: StaffRequest, activity_id: int) -> HttpResponse:
    activity = _own_activity(request, activity_id)
    return form_page(
        request,
        ActivityEditForm(request.POST or None, actor=request.actor, activity=activity),
        heading=_("Edit %(subject)s") % {"subject": activity.subject},
        done=lambda saved: (_("Changes saved."), _detail_url(saved)),
        cancel_url=_detail_url(activity),
    )


def _page_after_deletion(activity: Activity) -> str:
    """Where the activity was seen: its first participant's page, its organization, deal, or the tasks."""
    participant = next(iter(activity.participants.all()), None)
    if participant is not None:
        return reverse("staff:person_detail", args=[participant.pk])
    if activity.organization_id is not None:
        return reverse("staff:organization_detail", args=[activity.organization_id])
    if activity.deal_id is not None:
        return reverse("staff:deal_detail", args=[activity.deal_id])
    return reverse("staff:task_list")


@staff_view(Permission.ACTIVITY_CHANGE)
def activity_delete_confirm(request: StaffRequest, activity_id: int) -> HttpResponse:
    activity = _own_activity(request, activity_id)
    return delete_page(
        request,
        delete=lambda: activity_delete(actor=request.actor, activity=activity),
        heading=_("Delete %(subject)s?") % {"subject": activity.subject},
        explanation=_("The activity is deleted from the timelines of its contacts, organization and deal."),
        cancel_url=_detail_url(activity),
        deleted_message=_("Activity deleted."),
        deleted_url=_page_after_deletion(activity),
    )


@require_POST
@staff_view(Permission.ACTIVITY_CHANGE)
def activity_toggle_done(request: StaffRequest, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get(actor=request.actor, activity_id=activity_id)
    activity = activity_complete(actor=request.actor, activity=activity, done=activity.done_at is None)
    if request.htmx:
        return render_page(request, "staff/activities/_task.html", {"task": activity, "now": timezone.now()})
    return redirect_back(request, reverse("staff:task_list"))


@staff_view(Permission.CRM_VIEW)
def task_list(request: StaffRequest) -> HttpResponse:
    """The signed-in user's tasks: open ones by due date, or the recently done ones."""
    show_done = request.GET.get("done") == "1"
    tasks = selectors.activity_list(
        actor=request.actor, kind=ActivityKind.TASK, owner_id=request.actor.user_id, open_only=not show_done
    )
    if show_done:
        tasks = tasks.filter(done_at__isnull=False).order_by("-done_at")
    else:
        tasks = tasks.order_by("due_at", "id")
    return render_page(
        request,
        "staff/activities/tasks.html",
        {"tasks": tasks[:200], "show_done": show_done, "now": timezone.now()},
    )


def _monday(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@staff_view(Permission.CRM_VIEW)
def week(request: StaffRequest) -> HttpResponse:
    """The meetings of one week (Monday to Sunday, in the workspace's time zone)."""
    monday = _monday(request.GET.get("week", ""))
    start = timezone.make_aware(datetime.combine(monday, time.min))
    end = timezone.make_aware(datetime.combine(monday + timedelta(days=7), time.min))
    meetings = (
        selectors.activity_list(
            actor=request.actor, kind=ActivityKind.MEETING, starts_after=start, starts_before=end
        )
        .select_related("organization")
        .order_by("starts_at", "id")
    )
    days: list[dict[str, Any]] = [
        {"date": monday + timedelta(days=offset), "meetings": []} for offset in range(7)
    ]
    for meeting in meetings:
        assert meeting.starts_at is not None
        days[timezone.localtime(meeting.starts_at).date().weekday()]["meetings"].append(meeting)
    return render_page(
        request,
        "staff/activities/week.html",
        {
            "days": days,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous_week": monday - timedelta(days=7),
            "next_week": monday + timedelta(days=7),
            "today": timezone.localdate(),
        },
    )


@staff_view(Permission.CRM_VIEW)
def activity_ics(request: StaffRequest, activity_id: int) -> HttpResponse:
    """A meeting (or any dated activity) as an iCalendar file for the user's own calendar."""
    activity = selectors.activity_get(actor=request.actor, activity_id=activity_id)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Zweck//Zweck CRM//EN")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add(
        "uid", f"activity-{activity.pk}-{request.actor.workspace_id}@{request.get_host().split(':')[0]}"
    )
    event.add("dtstamp", timezone.now())
    event.add("summary", activity.subject)
    moment = activity.starts_at or activity.due_at or activity.created_at
    event.add("dtstart", moment)
    event.add("dtend", activity.ends_at or moment + timedelta(hours=1))
    if activity.location:
        event.add("location", activity.location)
    if activity.body:
        event.add("description", activity.body)
    for person in activity.participants.all():
        primary = next(iter(person.emails.all()), None)
        if primary is not None:
            attendee = icalendar.vCalAddress(f"mailto:{primary.email}")
            attendee.params["cn"] = icalendar.vText(person.full_name)
            event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="zweck-{activity.kind}-{activity.pk}.ics"'
    return response
