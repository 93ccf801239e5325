"""The sales pages' addresses, under ``/app/sales/`` (included by ``zweck.web.staff.urls``)."""

from django.urls import path

from zweck.web.staff import sales_catalogue, sales_documents, sales_downloads, sales_receivables

urlpatterns = [
    path("sales/", sales_documents.quote_list, name="sales_quote_list"),
    path("sales/quotes/new/", sales_documents.quote_create, name="sales_quote_create"),
    path("sales/quotes/<int:quote_id>/", sales_documents.quote_detail, name="sales_quote_detail"),
    path("sales/quotes/<int:quote_id>/edit/", sales_documents.quote_edit, name="sales_quote_edit"),
    path("sales/quotes/<int:quote_id>/send/", sales_documents.quote_send, name="sales_quote_send"),
    path("sales/quotes/<int:quote_id>/accept/", sales_documents.quote_accept, name="sales_quote_accept"),
    path("sales/quotes/<int:quote_id>/decline/", sales_documents.quote_decline, name="sales_quote_decline"),
    path("sales/quotes/<int:quote_id>/order/", sales_documents.quote_order, name="sales_quote_order"),
    path("sales/deals/<int:deal_id>/order/", sales_documents.deal_order, name="sales_deal_order"),
    path("sales/orders/", sales_documents.order_list, name="sales_order_list"),
    path("sales/orders/<int:order_id>/", sales_documents.order_detail, name="sales_order_detail"),
    path("sales/orders/<int:order_id>/edit/", sales_documents.order_edit, name="sales_order_edit"),
    path("sales/orders/<int:order_id>/invoice/", sales_documents.order_invoice, name="sales_order_invoice"),
    path("sales/invoices/", sales_documents.invoice_list, name="sales_invoice_list"),
    path("sales/invoices/<int:invoice_id>/", sales_documents.invoice_detail, name="sales_invoice_detail"),
    path("sales/invoices/<int:invoice_id>/edit/", sales_documents.invoice_edit, name="sales_invoice_edit"),
    path(
        "sales/invoices/<int:invoice_id>/finalize/",
        sales_documents.invoice_finalize,
        name="sales_invoice_finalize",
    ),
    path(
        "sales/invoices/<int:invoice_id>/cancel/", sales_documents.invoice_cancel, name="sales_invoice_cancel"
    ),
    path(
        "sales/invoices/<int:invoice_id>/payment/",
        sales_documents.invoice_payment,
        name="sales_invoice_payment",
    ),
    path("sales/products/", sales_catalogue.product_list, name="sales_product_list"),
    path("sales/products/new/", sales_catalogue.product_create, name="sales_product_create"),
    path("sales/products/<int:product_id>/edit/", sales_catalogue.product_edit, name="sales_product_edit"),
    path("sales/settings/", sales_catalogue.sales_settings, name="sales_settings"),
    # Downloads and sending by email (linked from the detail pages), received e-invoices.
    path("sales/invoices/<int:invoice_id>/pdf/", sales_downloads.invoice_pdf, name="sales_invoice_pdf"),
    path(
        "sales/invoices/<int:invoice_id>/xrechnung/",
        sales_downloads.invoice_xrechnung,
        name="sales_invoice_xrechnung",
    ),
    path("sales/invoices/<int:invoice_id>/email/", sales_downloads.invoice_send, name="sales_invoice_email"),
    path("sales/quotes/<int:quote_id>/pdf/", sales_downloads.quote_pdf, name="sales_quote_pdf"),
    path("sales/quotes/<int:quote_id>/email/", sales_downloads.quote_send, name="sales_quote_email"),
    path("sales/supplier-invoices/", sales_downloads.supplier_invoice_list, name="sales_supplier_invoices"),
    path(
        "sales/supplier-invoices/<int:supplier_invoice_id>/",
        sales_downloads.supplier_invoice_detail,
        name="sales_supplier_invoice_detail",
    ),
    # Receivables: bank statements and their review, overdue invoices and reminders, DATEV.
    path("sales/receivables/", sales_receivables.bank_statements, name="sales_bank_statements"),
    path(
        "sales/receivables/statements/<int:statement_id>/",
        sales_receivables.bank_statement,
        name="sales_bank_statement",
    ),
    path("sales/receivables/review/", sales_receivables.review, name="sales_review"),
    path(
        "sales/receivables/credits/<int:credit_id>/assign/",
        sales_receivables.credit_assign,
        name="sales_credit_assign",
    ),
    path(
        "sales/receivables/credits/<int:credit_id>/dismiss/",
        sales_receivables.credit_dismiss,
        name="sales_credit_dismiss",
    ),
    path("sales/receivables/overdue/", sales_receivables.overdue, name="sales_overdue"),
    path(
        "sales/invoices/<int:invoice_id>/reminder/",
        sales_receivables.reminder_send,
        name="sales_reminder_send",
    ),
    path(
        "sales/invoices/<int:invoice_id>/collection/",
        sales_receivables.collection,
        name="sales_collection",
    ),
    path(
        "sales/reminders/<int:reminder_id>/pdf/",
        sales_receivables.reminder_download,
        name="sales_reminder_pdf",
    ),
    path("sales/receivables/datev/", sales_receivables.datev, name="sales_datev"),
]
