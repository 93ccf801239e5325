"""Which permission each document action needs: reading a quote or invoice (and its PDF or
e-invoice) is seeing sales documents; emailing a quote is preparing it (it is numbered and marked
sent on the way); emailing an issued invoice and handling received invoices is accounting's."""

from __future__ import annotations

from zweck.core.permissions import Permission

DOCUMENT_VIEW = Permission.SALES_VIEW
QUOTE_SEND = Permission.SALES_CHANGE
INVOICE_SEND = Permission.INVOICE_MANAGE
SUPPLIER_INVOICE_VIEW = Permission.INVOICE_MANAGE
SUPPLIER_INVOICE_CHANGE = Permission.INVOICE_MANAGE
