"""The privacy officer's register pages: the workspace's processing activities, recipients,
retention rules and security measures; the generated documents (records of processing, the
privacy notices, the Fides manifest) to read and to download; the coverage report; and the
forms that configure the register, each of which calls one of the register's services."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zweck.core.permissions import Permission
from zweck.privacy import selectors
from zweck.privacy.defaults import DOCUMENT_SUBJECTS
from zweck.privacy.documents import (
    DocumentError,
    media_type,
    register_activities,
    ropa_document,
    subject_group_name,
)
from zweck.privacy.fides import fides_yaml
from zweck.privacy.labels import LANGUAGES, country_text, retention_text
from zweck.privacy.notice_versions import published_notice
from zweck.privacy.services import (
    processing_activity_delete,
    processing_activity_update,
    recipient_delete,
    register_defaults_install,
    shipped_activity_keys,
)
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.pages import delete_page, form_page
from zweck.web.staff.privacy_register_forms import (
    ProcessingActivityForm,
    RecipientForm,
    RegisterRowForm,
    RetentionRuleForm,
    page_language,
)

FORMATS = ("html", "md", "pdf")
_BODY = re.compile(r"<body>(.*)</body>", re.DOTALL)
_HEADING = re.compile(r"<(/?)h([1-5])\b")


def _demoted(html: str) -> str:
    """The document's headings one level down, so that the page keeps a single h1."""
    return _HEADING.sub(lambda match: f"<{match.group(1)}h{int(match.group(2)) + 1}", html)


@dataclass(frozen=True)
class DocumentLink:
    """One generated document, with where to read it and to download it in each language."""

    title: str
    kind: str
    subject: str = ""

    def view_url(self, lang: str) -> str:
        if self.kind == "ropa":
            return reverse("staff:privacy_register_ropa", args=[lang])
        return reverse("staff:privacy_register_notice", args=[self.subject, lang])

    def download_url(self, lang: str, fmt: str) -> str:
        if self.kind == "ropa":
            return reverse("staff:privacy_register_ropa_download", args=[lang, fmt])
        return reverse("staff:privacy_register_notice_download", args=[self.subject, lang, fmt])

    def links(self) -> list[dict[str, object]]:
        return [
            {
                "lang": lang,
                "view": self.view_url(lang),
                "downloads": [(fmt, self.download_url(lang, fmt)) for fmt in FORMATS],
            }
            for lang in LANGUAGES
        ]


def _documents(lang: str) -> list[DocumentLink]:
    return [
        DocumentLink(title=_("Records of processing activities (Art. 30 GDPR)"), kind="ropa"),
        *(
            DocumentLink(
                title=_("Privacy notice for %(group)s (Art. 13 and 14 GDPR)")
                % {"group": subject_group_name(subject, lang)},
                kind="notice",
                subject=subject,
            )
            for subject in DOCUMENT_SUBJECTS
        ),
    ]


def _pick(row: object, name: str, lang: str) -> str:
    """The German or the English text of a bilingual register field."""
    return str(getattr(row, f"{name}_{lang}"))


def _overview_url() -> str:
    return reverse("staff:privacy_register")


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def register_overview(request: StaffRequest) -> HttpResponse:
    lang = page_language()
    snapshot = selectors.register_snapshot(actor=request.actor)
    rules = [
        {
            "rule": rule,
            "name": _pick(rule, "name", lang),
            "period": retention_text(rule, lang),
            "source": _pick(rule, "legal_source", lang),
        }
        for rule in snapshot.retention_rules
    ]
    recipients = [
        {
            "recipient": recipient,
            "service": _pick(recipient, "service", lang),
            "country": country_text(recipient.country, lang),
            "activities": [_pick(activity, "name", lang) for activity in recipient.activities.all()],
        }
        for recipient in snapshot.recipients
    ]
    measures = [
        {
            "title": _pick(measure, "title", lang),
            "description": _pick(measure, "description", lang),
        }
        for measure in snapshot.security_measures
    ]
    return render_page(
        request,
        "staff/privacy/register/overview.html",
        {
            "is_empty": not (snapshot.activities or snapshot.retention_rules or snapshot.security_measures),
            "activities": register_activities(snapshot, lang=lang),
            # Only an activity the workspace added itself can be deleted; a shipped one is switched off.
            "shipped_keys": shipped_activity_keys(),
            "recipients": recipients,
            "rules": rules,
            "measures": measures,
            "documents": _documents(lang),
            "public_notices_url": reverse("public:notice_index")
            + f"?workspace={request.actor.workspace.slug}",
        },
    )


@require_POST
@staff_view(Permission.PRIVACY_MANAGE)
def register_install_defaults(request: StaffRequest) -> HttpResponse:
    installed = register_defaults_install(actor=request.actor)
    created = len(installed.retention_rules) + len(installed.activities) + len(installed.security_measures)
    messages.success(request, _("%(count)d register entries installed.") % {"count": created})
    return HttpResponseRedirect(_overview_url())


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def register_coverage(request: StaffRequest) -> HttpResponse:
    coverage = selectors.register_coverage(actor=request.actor)
    gaps = [
        (_("Undeclared fields"), coverage.undeclared_fields, _("Every field is declared in the register.")),
        (
            _("Processing without a legal basis"),
            coverage.processing_without_legal_basis,
            _("Every processing of personal data has a legal basis."),
        ),
        (
            _("Personal data without a retention rule"),
            coverage.personal_data_without_retention,
            _("All personal data has a retention rule."),
        ),
        (
            _("Recipients outside the EU/EEA without a safeguard"),
            coverage.transfers_without_safeguard,
            _("Every recipient outside the EU/EEA has a dated safeguard."),
        ),
    ]
    return render_page(request, "staff/privacy/register/coverage.html", {"coverage": coverage, "gaps": gaps})


def _document_or_404(kind: str, request: StaffRequest, lang: str, fmt: str, subject: str = "") -> str | bytes:
    snapshot = selectors.register_snapshot(actor=request.actor)
    try:
        if kind == "ropa":
            return ropa_document(snapshot, lang=lang, fmt=fmt)
        return published_notice(snapshot, subject=subject, lang=lang, fmt=fmt)
    except DocumentError as error:
        raise Http404 from error


def _document_page(request: StaffRequest, link: DocumentLink, lang: str) -> HttpResponse:
    html = _document_or_404(link.kind, request, lang, "html", link.subject)
    body = _BODY.search(str(html))
    return render_page(
        request,
        "staff/privacy/register/document.html",
        {"link": link, "lang": lang, "document": _demoted(body.group(1)) if body else ""},
    )


def _download(body: str | bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _document_download(request: StaffRequest, link: DocumentLink, lang: str, fmt: str) -> HttpResponse:
    body = _document_or_404(link.kind, request, lang, fmt, link.subject)
    name = "records-of-processing" if link.kind == "ropa" else f"privacy-notice-{link.subject}"
    filename = f"{name}-{request.actor.workspace.slug}-{lang}.{fmt}".replace("_", "-")
    return _download(body, media_type(fmt), filename)


def _notice_link(subject: str, lang: str) -> DocumentLink:
    link = next((link for link in _documents(lang) if link.subject == subject), None)
    if link is None:
        raise Http404
    return link


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def register_ropa(request: StaffRequest, lang: str) -> HttpResponse:
    return _document_page(request, _documents(page_language())[0], lang)


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def register_ropa_download(request: StaffRequest, lang: str, fmt: str) -> HttpResponse:
    return _document_download(request, _documents(page_language())[0], lang, fmt)


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def register_notice(request: StaffRequest, subject: str, lang: str) -> HttpResponse:
    return _document_page(request, _notice_link(subject, page_language()), lang)


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def register_notice_download(request: StaffRequest, subject: str, lang: str, fmt: str) -> HttpResponse:
    return _document_download(request, _notice_link(subject, page_language()), lang, fmt)


@require_GET
@staff_view(Permission.PRIVACY_VIEW)
def register_fides(request: StaffRequest) -> HttpResponse:
    snapshot = selectors.register_snapshot(actor=request.actor)
    filename = f"fides-{request.actor.workspace.slug}.yml"
    return _download(fides_yaml(snapshot), "application/yaml; charset=utf-8", filename)


def _edit_page(request: StaffRequest, form: RegisterRowForm, heading: str) -> HttpResponse:
    return form_page(
        request,
        form,
        heading=heading,
        done=lambda saved: (_("Changes saved."), _overview_url()),
        cancel_url=_overview_url(),
    )


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def recipient_create(request: StaffRequest) -> HttpResponse:
    return form_page(
        request,
        RecipientForm(request.POST or None, actor=request.actor),
        heading=_("New recipient"),
        done=lambda created: (_("Recipient %(name)s added.") % {"name": created.name}, _overview_url()),
        cancel_url=_overview_url(),
    )


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def recipient_edit(request: StaffRequest, recipient_id: int) -> HttpResponse:
    recipient = selectors.recipient_get(actor=request.actor, recipient_id=recipient_id)
    return _edit_page(
        request,
        RecipientForm(request.POST or None, actor=request.actor, row=recipient),
        _("Edit recipient %(name)s") % {"name": recipient.name},
    )


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def recipient_delete_confirm(request: StaffRequest, recipient_id: int) -> HttpResponse:
    recipient = selectors.recipient_get(actor=request.actor, recipient_id=recipient_id)
    return delete_page(
        request,
        delete=lambda: recipient_delete(actor=request.actor, recipient=recipient),
        heading=_("Delete recipient %(name)s?") % {"name": recipient.name},
        explanation=_(
            "The recipient no longer appears in the records of processing and the privacy notices."
        ),
        cancel_url=_overview_url(),
        deleted_message=_("Recipient deleted."),
        deleted_url=_overview_url(),
    )


ACTIVITY_FORM_TEMPLATE = "staff/privacy/register/activity_form.html"


def _activities_url() -> str:
    return _overview_url() + "#activities-heading"


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def activity_create(request: StaffRequest) -> HttpResponse:
    """Add a processing activity of the workspace's own."""
    return form_page(
        request,
        ProcessingActivityForm(request.POST or None, actor=request.actor),
        heading=_("New processing activity"),
        done=lambda created: (
            _("Processing activity %(name)s added; the notices of its groups name it.")
            % {"name": _pick(created, "name", page_language())},
            _activities_url(),
        ),
        cancel_url=_activities_url(),
        submit_label=_("Add processing activity"),
        template=ACTIVITY_FORM_TEMPLATE,
    )


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def activity_delete_confirm(request: StaffRequest, key: str) -> HttpResponse:
    activity = selectors.processing_activity_get(actor=request.actor, key=key)
    name = _pick(activity, "name", page_language())
    return delete_page(
        request,
        delete=lambda: processing_activity_delete(actor=request.actor, activity=activity),
        heading=_("Delete processing activity %(name)s?") % {"name": name},
        explanation=_(
            "The activity leaves the records of processing and the privacy notices, which get a new "
            "version; recipients no longer list it. To pause it instead, switch it off."
        ),
        cancel_url=_activities_url(),
        deleted_message=_("Processing activity %(name)s deleted.") % {"name": name},
        deleted_url=_activities_url(),
    )


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def activity_edit(request: StaffRequest, key: str) -> HttpResponse:
    activity = selectors.processing_activity_get(actor=request.actor, key=key)
    return form_page(
        request,
        ProcessingActivityForm(request.POST or None, actor=request.actor, row=activity),
        heading=_("Edit processing activity %(name)s") % {"name": _pick(activity, "name", page_language())},
        done=lambda saved: (_("Changes saved."), _activities_url()),
        cancel_url=_activities_url(),
        template=ACTIVITY_FORM_TEMPLATE,
    )


@require_POST
@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def activity_switch(request: StaffRequest, key: str) -> HttpResponse:
    """Switch an activity on or off: off, the notices and the records of processing leave it
    out, and fields that serve only it are no longer collected."""
    activity = selectors.processing_activity_get(actor=request.actor, key=key)
    enabled = request.POST.get("enabled") == "on"
    processing_activity_update(actor=request.actor, activity=activity, enabled=enabled)
    name = _pick(activity, "name", page_language())
    if enabled:
        messages.success(request, _("%(name)s is in use again.") % {"name": name})
    else:
        messages.success(
            request,
            _(
                "%(name)s is switched off: the notices no longer name it, and what only it needed is no longer collected."
            )
            % {"name": name},
        )
    return HttpResponseRedirect(_activities_url())


@staff_view(Permission.PRIVACY_VIEW, Permission.PRIVACY_MANAGE)
def retention_rule_edit(request: StaffRequest, key: str) -> HttpResponse:
    rule = selectors.retention_rule_get(actor=request.actor, key=key)
    return _edit_page(
        request,
        RetentionRuleForm(request.POST or None, actor=request.actor, row=rule),
        _("Edit retention rule %(name)s") % {"name": _pick(rule, "name", page_language())},
    )
