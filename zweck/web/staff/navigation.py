"""The staff UI's navigation: one declarative list of sections and their entries.

An app that adds pages adds one ``Entry`` line to a section here (or a new ``Section``). Each
entry names its URL, label, icon (a symbol of ``static/vendor/lucide/icons.svg``), the
permission it needs, and when it counts as the current page. ``shell`` (a context processor)
hands templates only what the signed-in member's role may open.

Which entry is current: the one whose URL (or one of ``also``) is the longest prefix of the
requested path; an ``exact`` entry only on its own URL. So ``/app/deals/12/`` marks Deals,
``/app/deals/board/`` marks Pipeline, and the dashboard (``/app/``) only itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission

P = Permission


@dataclass(frozen=True)
class Entry:
    """One link of the navigation."""

    url_name: str
    label: Promise | str
    icon: str
    permission: Permission | None = None
    exact: bool = False
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    label: Promise | str
    entries: tuple[Entry, ...]


SECTIONS: tuple[Section, ...] = (
    Section(
        pgettext_lazy("navigation", "Work"),
        (
            Entry("staff:dashboard", _("Dashboard"), "layout-dashboard", P.CRM_VIEW, exact=True),
            Entry("staff:organization_list", _("Organizations"), "building-2", P.CRM_VIEW),
            Entry("staff:person_list", _("Contacts"), "users", P.CRM_VIEW),
            Entry("staff:deal_list", _("Deals"), "handshake", P.DEAL_VIEW),
            Entry(
                "staff:deal_board", _("Pipeline"), "kanban", P.DEAL_VIEW, also=("staff:pipeline_stage_list",)
            ),
            Entry("staff:week", _("Calendar"), "calendar", P.CRM_VIEW),
            Entry("staff:task_list", _("Tasks"), "list-checks", P.CRM_VIEW, also=("staff:activity_create",)),
        ),
    ),
    Section(
        pgettext_lazy("navigation", "Sales"),
        (
            Entry("staff:sales_quote_list", _("Quotes & invoices"), "receipt", P.SALES_VIEW),
            Entry("staff:sales_overdue", _("Overdue invoices"), "alarm-clock", P.INVOICE_MANAGE),
            Entry("staff:sales_bank_statements", _("Bank statements"), "landmark", P.INVOICE_MANAGE),
            Entry("staff:revenue_report", _("Revenue"), "chart-column", P.REPORT_VIEW),
        ),
    ),
    Section(
        pgettext_lazy("navigation", "Service"),
        (Entry("staff:ticket_list", _("Tickets"), "life-buoy", P.TICKET_VIEW),),
    ),
    Section(
        pgettext_lazy("navigation", "Marketing"),
        (Entry("staff:consent_signup_form", _("Sign-up forms"), "clipboard-pen-line", P.CONSENT_MANAGE),),
    ),
    Section(
        _("Privacy"),
        (
            Entry(
                "staff:privacy_request_queue",
                pgettext_lazy("navigation", "Requests"),
                "inbox",
                P.PRIVACY_VIEW,
                also=("staff:privacy_notification_list",),
            ),
            Entry(
                "staff:privacy_register", pgettext_lazy("navigation", "Register"), "book-open", P.PRIVACY_VIEW
            ),
            Entry("staff:privacy_hold_list", _("Holds"), "lock", P.PRIVACY_VIEW),
            Entry("staff:privacy_retention", _("Retention"), "hourglass", P.PRIVACY_VIEW),
        ),
    ),
    Section(
        pgettext_lazy("navigation", "Admin"),
        (
            Entry("staff:member_list", _("Members"), "user-cog", P.MEMBER_MANAGE),
            Entry("staff:workspace_contract", _("Contract"), "file-text", P.WORKSPACE_MANAGE),
            Entry(
                "staff:workspace_settings",
                _("Settings"),
                "settings",
                P.WORKSPACE_MANAGE,
                also=("staff:session_settings",),
            ),
            Entry("staff:security_log", _("Security log"), "shield", P.SECURITY_LOG_VIEW),
            Entry("staff:outgoing_mail", _("Outgoing email"), "mail", P.MAIL_MANAGE),
            Entry("staff:audit_log", _("Audit trail"), "history", P.AUDIT_VIEW),
        ),
    ),
)

# The user menu's links (the workspace switch, language and sign-out are forms beside them).
USER_MENU: tuple[Entry, ...] = (
    Entry("staff:my_data", _("My data"), "user"),
    Entry("staff:password_change", _("Password"), "key-round"),
    Entry("staff:account_security", _("Account security"), "shield-check"),
)


@dataclass
class Link:
    """An entry the member may open, ready for a template."""

    url: str
    label: Promise | str
    icon: str
    current: bool = False


@dataclass
class VisibleSection:
    label: Promise | str
    links: list[Link] = field(default_factory=list)


@dataclass
class Navigation:
    """What the shell shows one member on one page."""

    sections: list[VisibleSection]
    user_links: list[Link]
    current: Link | None


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _match_length(entry: Entry, url: str, path: str) -> int:
    if entry.exact:
        return len(url) if path == url else 0
    prefixes = [url, *(found for name in entry.also if (found := _url(name)))]
    return max((len(prefix) for prefix in prefixes if path.startswith(prefix)), default=0)


def _visible(entries: tuple[Entry, ...], actor: Actor) -> list[tuple[Entry, str]]:
    visible = []
    for entry in entries:
        if entry.permission is not None and not actor.can(entry.permission):
            continue
        url = _url(entry.url_name)
        if url is not None:
            visible.append((entry, url))
    return visible


def navigation_for(actor: Actor, path: str) -> Navigation:
    """The sections and user-menu links ``actor`` may open, the one for ``path`` marked current."""
    sections: list[VisibleSection] = []
    best: tuple[int, Link | None] = (0, None)
    for section in SECTIONS:
        visible = VisibleSection(section.label)
        for entry, url in _visible(section.entries, actor):
            link = Link(url, entry.label, entry.icon)
            visible.links.append(link)
            length = _match_length(entry, url, path)
            if length > best[0]:
                best = (length, link)
        if visible.links:
            sections.append(visible)
    user_links = []
    for entry, url in _visible(USER_MENU, actor):
        link = Link(url, entry.label, entry.icon)
        user_links.append(link)
        length = _match_length(entry, url, path)
        if length > best[0]:
            best = (length, link)
    current = best[1]
    if current is not None:
        current.current = True
    return Navigation(sections, user_links, current)


def _actor_of(request: HttpRequest) -> Actor | None:
    """The member of a staff page (set by ``staff_view``), or, on a page outside it (an error
    page), the signed-in user in the session's workspace, without changing the session."""
    actor = getattr(request, "actor", None)
    if isinstance(actor, Actor):
        return actor
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not hasattr(request, "session"):
        return None
    from zweck.accounts.selectors import actor_for
    from zweck.web.staff.access import SESSION_WORKSPACE

    workspace_id = request.session.get(SESSION_WORKSPACE)
    if workspace_id is None:
        return None
    return actor_for(user=user, workspace=int(workspace_id))


class Shell:
    """The frame around every staff page, worked out only when a template asks for it."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._actor: Actor | bool | None = False
        self._navigation: Navigation | None = None
        self._memberships: list[Any] | None = None

    @property
    def actor(self) -> Actor | None:
        if self._actor is False:
            self._actor = _actor_of(self._request)
        return self._actor if isinstance(self._actor, Actor) else None

    @property
    def navigation(self) -> Navigation | None:
        if self._navigation is None and self.actor is not None:
            self._navigation = navigation_for(self.actor, self._request.path)
        return self._navigation

    @property
    def memberships(self) -> list[Any]:
        from zweck.accounts.selectors import membership_list_for_user

        if self._memberships is None:
            user = self.actor.user if self.actor is not None else None
            self._memberships = list(membership_list_for_user(user=user)) if user is not None else []
        return self._memberships

    @property
    def can_manage_workspace(self) -> bool:
        return self.actor is not None and self.actor.can(P.WORKSPACE_MANAGE)


def shell(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``shell`` for the staff frame (lazy: no query unless a page uses it)."""
    return {"shell": Shell(request)}
