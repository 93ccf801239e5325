"""Which permission each document action needs.

The sales app's own permissions are not there yet; until they are, documents are read with the
deal permissions (the sales team's) and received invoices with the report permission (which
accounting holds). One place to change when the sales permissions arrive.
"""

from __future__ import annotations

from zweck.core.permissions import Permission

DOCUMENT_VIEW = Permission.DEAL_VIEW
DOCUMENT_SEND = Permission.DEAL_CHANGE
SUPPLIER_INVOICE_VIEW = Permission.REPORT_VIEW
SUPPLIER_INVOICE_CHANGE = Permission.REPORT_VIEW
