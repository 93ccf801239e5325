"""Receivables pages of accounting (``invoice.manage``): bank statements read in and what they
matched, the review list of credits to assign or dismiss, the overdue invoices with their
dunning level and interest, reminders sent (with their PDF), handing a claim to a debt
collector, and the DATEV export of a period. Each view parses, calls one service or selector,
renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zweck.core.permissions import Permission
from zweck.sales import dunning, receivables, selectors
from zweck.sales.models import BankTransaction
from zweck.sales.reminder_printing import reminder_file_name, reminder_pdf
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import paginate
from zweck.web.staff.sales_receivables_forms import (
    AssignForm,
    BankStatementForm,
    DatevForm,
    DismissForm,
    HandoverForm,
)

MANAGE = Permission.INVOICE_MANAGE
VIEW = Permission.SALES_VIEW
# The open invoices the review list offers to pick from (the field takes any number).
OFFERED_INVOICES = 200


def _download(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["Cache-Control"] = "no-store"
    return response


def _page(
    request: StaffRequest, template: str, section: str, status: int = 200, **context: Any
) -> HttpResponse:
    return render_page(
        request,
        template,
        {"sales_section": "receivables", "receivables_section": section, **context},
        status=status,
    )


# ------------------------------------------------------------------------------- bank statements


@require_http_methods(["GET", "POST"])
@staff_view(VIEW, MANAGE)
def bank_statements(request: StaffRequest) -> HttpResponse:
    """Read in a camt.053 statement; the statements read before."""
    posted = request.method == "POST"
    form = BankStatementForm(
        request.POST if posted else None, request.FILES if posted else None, actor=request.actor
    )
    if posted and form.is_valid():
        result = form.submit()
        if result is not None:
            messages.success(
                request,
                _(
                    "%(credits)s credits read: %(matched)s booked, %(review)s to review, %(known)s read before."
                )
                % {
                    "credits": result.credits,
                    "matched": result.matched,
                    "review": result.review,
                    "known": result.known,
                },
            )
            return HttpResponseRedirect(
                reverse("staff:sales_bank_statement", args=[result.statements[0].pk])
                if len(result.statements) == 1
                else reverse("staff:sales_bank_statements")
            )
    return _page(
        request,
        "staff/sales/receivables/statements.html",
        "statements",
        status=422 if form.errors else 200,
        form=form,
        page=paginate(request, receivables.bank_statement_list(actor=request.actor)),
        review_count=receivables.review_list(actor=request.actor).count(),
    )


@require_GET
@staff_view(VIEW, MANAGE)
def bank_statement(request: StaffRequest, statement_id: int) -> HttpResponse:
    """One statement: what it matched and what waits for review."""
    statement = receivables.bank_statement_list(actor=request.actor).get(pk=statement_id)
    credits = (
        receivables.bank_transaction_list(actor=request.actor)
        .filter(statement=statement)
        .prefetch_related("payments__invoice")
    )
    return _page(
        request,
        "staff/sales/receivables/statement.html",
        "statements",
        statement=statement,
        credits=list(credits),
        reasons=receivables.REVIEW_REASONS,
    )


# ----------------------------------------------------------------------------------- review list


def _review_page(
    request: StaffRequest, failed: AssignForm | DismissForm | None = None, status: int = 200
) -> HttpResponse:
    page = paginate(request, receivables.review_list(actor=request.actor))
    rows = []
    for credit in page:
        assign = failed if isinstance(failed, AssignForm) and failed.credit.pk == credit.pk else None
        dismiss = failed if isinstance(failed, DismissForm) and failed.credit.pk == credit.pk else None
        rows.append(
            {
                "credit": credit,
                "reason": receivables.REVIEW_REASONS.get(credit.review_reason, ""),
                "assign": assign or AssignForm(actor=request.actor, credit=credit),
                "dismiss": dismiss or DismissForm(actor=request.actor, credit=credit),
                "open_tab": "dismiss" if dismiss else "assign",
                "failed": failed is not None and failed.credit.pk == credit.pk,
            }
        )
    offered = receivables.open_invoices(workspace_id=request.actor.workspace_id).order_by(
        "-issue_date", "-pk"
    )
    return _page(
        request,
        "staff/sales/receivables/review.html",
        "review",
        status=status,
        page=page,
        rows=rows,
        offered=list(offered.values_list("number", "buyer_name")[:OFFERED_INVOICES]),
    )


@require_GET
@staff_view(VIEW, MANAGE)
def review(request: StaffRequest) -> HttpResponse:
    return _review_page(request)


def _credit(request: StaffRequest, credit_id: int) -> BankTransaction:
    return receivables.bank_transaction_get(actor=request.actor, transaction_id=credit_id)


@require_POST
@staff_view(VIEW, MANAGE)
def credit_assign(request: StaffRequest, credit_id: int) -> HttpResponse:
    credit = _credit(request, credit_id)
    form = AssignForm(request.POST, actor=request.actor, credit=credit)
    if form.is_valid() and form.submit() is not None:
        messages.success(
            request,
            _("The credit is booked as a payment of invoice %(number)s.")
            % {"number": form.cleaned_data["invoice"]},
        )
        return HttpResponseRedirect(reverse("staff:sales_review"))
    return _review_page(request, form, status=422)


@require_POST
@staff_view(VIEW, MANAGE)
def credit_dismiss(request: StaffRequest, credit_id: int) -> HttpResponse:
    credit = _credit(request, credit_id)
    form = DismissForm(request.POST, actor=request.actor, credit=credit)
    if form.is_valid() and form.submit() is not None:
        messages.success(request, _("The credit is off the review list; nothing was booked."))
        return HttpResponseRedirect(reverse("staff:sales_review"))
    return _review_page(request, form, status=422)


# --------------------------------------------------------------------------------------- overdue


@require_GET
@staff_view(VIEW, MANAGE)
def overdue(request: StaffRequest) -> HttpResponse:
    """The open invoices past their due date, the longest overdue first."""
    today = timezone.localdate()
    rows = dunning.overdue_rows(actor=request.actor, on=today)
    return _page(
        request,
        "staff/sales/receivables/overdue.html",
        "overdue",
        rows=rows,
        today=today,
        reminders=list(dunning.reminder_list(actor=request.actor)[:20]),
    )


@require_POST
@staff_view(VIEW, MANAGE)
def reminder_send(request: StaffRequest, invoice_id: int) -> HttpResponse:
    """Send the invoice's next reminder or dunning notice, with its PDF."""
    invoice = selectors.invoice_get(actor=request.actor, invoice_id=invoice_id)
    try:
        reminder = dunning.reminder_send(actor=request.actor, invoice=invoice, on=timezone.localdate())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(level)s for invoice %(number)s sent to %(email)s.")
            % {"level": reminder.get_level_display(), "number": invoice.number, "email": reminder.email},
        )
    return HttpResponseRedirect(reverse("staff:sales_overdue"))


@require_GET
@staff_view(VIEW, MANAGE)
def reminder_download(request: StaffRequest, reminder_id: int) -> HttpResponse:
    reminder = dunning.reminder_get(actor=request.actor, reminder_id=reminder_id)
    return _download(reminder_pdf(reminder), "application/pdf", reminder_file_name(reminder))


@require_http_methods(["GET", "POST"])
@staff_view(VIEW, MANAGE)
def collection(request: StaffRequest, invoice_id: int) -> HttpResponse:
    """Hand an overdue claim to a debt collector, after saying what is passed on."""
    invoice = selectors.invoice_get(actor=request.actor, invoice_id=invoice_id)
    form = HandoverForm(
        request.POST if request.method == "POST" else None, actor=request.actor, invoice=invoice
    )
    if request.method == "POST" and form.is_valid():
        handover = form.submit()
        if handover is not None:
            messages.success(
                request,
                _("Invoice %(number)s is handed to %(recipient)s; the disclosure is recorded.")
                % {"number": invoice.number, "recipient": handover.recipient.name},
            )
            return HttpResponseRedirect(reverse("staff:sales_overdue"))
    return _page(
        request,
        "staff/sales/receivables/collection.html",
        "overdue",
        status=422 if form.errors else 200,
        form=form,
        invoice=invoice,
        heading=_("Hand invoice %(number)s to a debt collector") % {"number": invoice.number},
        reminders=list(dunning.reminder_list(actor=request.actor, invoice_id=invoice.pk)),
    )


# ------------------------------------------------------------------------------------------ DATEV


@require_GET
@staff_view(VIEW, MANAGE)
def datev(request: StaffRequest) -> HttpResponse:
    """The period form; with a period given, the Buchungsstapel as a download."""
    asked = "from" in request.GET or "to" in request.GET
    form = DatevForm(
        request.GET if asked else None,
        actor=request.actor,
        initial=DatevForm.last_month(timezone.localdate()),
    )
    if asked and form.is_valid():
        content = form.submit()
        if content is not None:
            first, last = form.cleaned_data["from"], form.cleaned_data["to"]
            name = f"EXTF_Buchungsstapel_{first:%Y%m%d}_{last:%Y%m%d}.csv"
            return _download(content, "text/csv; charset=windows-1252", name)
    return _page(
        request,
        "staff/sales/receivables/datev.html",
        "datev",
        status=422 if form.errors else 200,
        form=form,
    )
