"""The revenue report page for management: period filter, SVG charts with tables beside them,
CSV and XLSX downloads of the same figures."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zweck.accounts.actors import Actor
from zweck.core.permissions import Permission
from zweck.sales import reports
from zweck.sales.report_exports import age_label, report_csv, report_xlsx
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.charts import bar_rows, column_chart
from zweck.web.templatetags.staff import money


class PeriodForm(forms.Form):
    preset = forms.ChoiceField(
        label=gettext_lazy("Period"),
        required=False,
        choices=[
            ("last_12_months", gettext_lazy("Last 12 months")),
            ("this_year", gettext_lazy("This year")),
            ("last_year", gettext_lazy("Last year")),
            ("last_5_years", gettext_lazy("Last 5 years")),
        ],
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def period(self, today: datetime.date) -> reports.Period | None:
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            return reports.period_from(
                start=data.get("start"), end=data.get("end"), preset=data.get("preset"), today=today
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
            return None


def build_report(actor: Actor, period: reports.Period) -> reports.RevenueReport:
    return reports.revenue_report(
        actor=actor,
        period=period,
        owner_names=reports.owner_names(actor=actor),
        labels={
            "others": _("All others"),
            "no_product": _("Items without a product"),
            "no_owner": _("No owner"),
        },
    )


def _month_label(month: datetime.date, *, with_year: bool) -> str:
    return formats.date_format(month, "M y" if with_year else "M")


def _compact(amount: Any) -> str:
    """An axis value: thousands as "k" (same in German and English on a chart axis)."""
    value = float(amount)
    if abs(value) >= 1_000_000:
        return formats.number_format(round(value / 1_000_000, 1), decimal_pos=1, use_l10n=True) + " M"
    if abs(value) >= 1000:
        thousands = value / 1000
        places = 0 if thousands == round(thousands) else 1
        return formats.number_format(round(thousands, places), decimal_pos=places, use_l10n=True) + " k"
    return formats.number_format(round(value), use_l10n=True)


def _context(report: reports.RevenueReport) -> dict[str, Any]:
    currency = report.currency
    years = {month.month.year for month in report.months}
    labels = [_month_label(m.month, with_year=len(years) > 1) for m in report.months]
    chart = column_chart(
        [m.net for m in report.months],
        labels,
        [money(m.net, currency) for m in report.months],
        tick_text=_compact,
        overlay=[m.pipeline_weighted for m in report.months],
        overlay_texts=[money(m.pipeline_weighted, currency) for m in report.months],
    )
    # Long periods: label every n-th month so the labels do not run into each other.
    step = max(1, -(-len(labels) // 12))
    month_rows = list(zip(report.months, labels, strict=True))
    largest_bucket = max([bucket.amount for bucket in report.receivables] + [0]) or 1
    return {
        "report": report,
        "chart": chart,
        "chart_labels": [label for index, label in enumerate(chart.labels) if index % step == 0],
        "month_rows": month_rows,
        "customer_rows": bar_rows(
            [s.net for s in report.customers],
            [s.label for s in report.customers],
            [money(s.net, currency) for s in report.customers],
        ),
        "product_rows": bar_rows(
            [s.net for s in report.products],
            [s.label for s in report.products],
            [money(s.net, currency) for s in report.products],
        ),
        "owner_rows": bar_rows(
            [s.net for s in report.owners],
            [s.label for s in report.owners],
            [money(s.net, currency) for s in report.owners],
        ),
        "shares": {"customers": report.customers, "products": report.products, "owners": report.owners},
        "receivable_rows": [
            {
                "key": bucket.key,
                "label": age_label(bucket.key),
                "amount": bucket.amount,
                "invoices": bucket.invoices,
                "percent": round(float(bucket.amount / largest_bucket) * 100, 1),
            }
            for bucket in report.receivables
        ],
        "has_revenue": any(m.invoices for m in report.months),
    }


@staff_view(Permission.REPORT_VIEW)
def revenue_report(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    period = form.period(today) if request.GET else reports.last_twelve_months(today)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if period is not None:
        context.update(_context(build_report(request.actor, period)))
    return render_page(request, "staff/reports/revenue.html", context)


def _download(request: StaffRequest) -> reports.RevenueReport | None:
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    period = form.period(today) if request.GET else reports.last_twelve_months(today)
    return build_report(request.actor, period) if period is not None else None


def _file_name(report: reports.RevenueReport, extension: str) -> str:
    return f"revenue-{report.period.start:%Y-%m-%d}-{report.period.end:%Y-%m-%d}.{extension}"


@staff_view(Permission.REPORT_VIEW)
def revenue_report_csv(request: StaffRequest) -> HttpResponse:
    report = _download(request)
    if report is None:
        return HttpResponse(
            _("The period is not valid."), status=400, content_type="text/plain; charset=utf-8"
        )
    response = StreamingHttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "csv")}"'
    return cast(HttpResponse, response)


@staff_view(Permission.REPORT_VIEW)
def revenue_report_xlsx(request: StaffRequest) -> HttpResponse:
    report = _download(request)
    if report is None:
        return HttpResponse(
            _("The period is not valid."), status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(
        report_xlsx(report), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "xlsx")}"'
    return response
