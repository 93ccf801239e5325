"""The catalogue of products and services, and the company and bank details every invoice names."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from zweck.core.permissions import Permission
from zweck.sales import selectors, services
from zweck.sales.web_support import product_search
from zweck.web.staff.access import StaffRequest, render_page, staff_view
from zweck.web.staff.listing import list_template, paginate, sort_by
from zweck.web.staff.sales_forms import ProductForm, SalesSettingsForm

SORTS = {"name": "name", "-name": "-name", "price": "unit_net_price", "-price": "-unit_net_price"}


@staff_view(Permission.SALES_VIEW)
def product_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    include_inactive = request.GET.get("inactive") == "1"
    products = product_search(actor=request.actor, query=query or None, include_inactive=include_inactive)
    return render_page(
        request,
        list_template(request, "staff/sales/products/list.html"),
        {
            "sales_section": "products",
            "heading": _("Products and services"),
            "search_hint": _("Name or article number"),
            "page": paginate(request, sort_by(request, products, SORTS)),
            "query": query,
            "include_inactive": include_inactive,
            "sort": request.GET.get("sort", ""),
        },
    )


def _product_form(request: StaffRequest, form: ProductForm, heading: str) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and form.submit() is not None:
        messages.success(request, _("Product or service saved."))
        return HttpResponseRedirect(reverse("staff:sales_product_list"))
    return render_page(
        request,
        "staff/sales/form.html",
        {
            "sales_section": "products",
            "heading": heading,
            "form": form,
            "cancel_url": reverse("staff:sales_product_list"),
        },
        status=422 if form.errors else 200,
    )


@staff_view(Permission.SALES_VIEW, Permission.SALES_CHANGE)
def product_create(request: StaffRequest) -> HttpResponse:
    form = ProductForm(request.POST or None, actor=request.actor)
    return _product_form(request, form, _("New product or service"))


@staff_view(Permission.SALES_VIEW, Permission.SALES_CHANGE)
def product_edit(request: StaffRequest, product_id: int) -> HttpResponse:
    product = selectors.product_get(actor=request.actor, product_id=product_id)
    form = ProductForm(request.POST or None, actor=request.actor, product=product)
    return _product_form(request, form, _("Edit %(name)s") % {"name": product.name})


@staff_view(Permission.INVOICE_MANAGE)
def sales_settings(request: StaffRequest) -> HttpResponse:
    settings = services.sales_settings_get(actor=request.actor)
    form = SalesSettingsForm(request.POST or None, actor=request.actor, settings=settings)
    if request.method == "POST" and form.is_valid() and form.submit() is not None:
        messages.success(request, _("Company and bank details saved. New invoices show them."))
        return HttpResponseRedirect(reverse("staff:sales_settings"))
    return render_page(
        request,
        "staff/sales/form.html",
        {
            "sales_section": "settings",
            "heading": _("Company and bank details"),
            "intro": _(
                "Every invoice names these details, as § 14 UStG requires. A finalized invoice keeps "
                "the details it was issued with; changes here apply to the next one."
            ),
            "form": form,
            "cancel_url": reverse("staff:sales_invoice_list"),
        },
        status=422 if form.errors else 200,
    )
