from zweck.sales.models.catalogue import Product
from zweck.sales.models.documents import Order, OrderLine, Quote, QuoteLine
from zweck.sales.models.invoices import (
    Invoice,
    InvoiceCancellation,
    InvoiceLine,
    InvoiceTaxTotal,
    Payment,
)
from zweck.sales.models.settings import DocumentCounter, SalesSettings

__all__ = [
    "DocumentCounter",
    "Invoice",
    "InvoiceCancellation",
    "InvoiceLine",
    "InvoiceTaxTotal",
    "Order",
    "OrderLine",
    "Payment",
    "Product",
    "Quote",
    "QuoteLine",
    "SalesSettings",
]

# Documents exchanged with the outside: e-invoices received, quotes and invoices sent.
from zweck.sales.models.exchange import DocumentSending, SupplierInvoice

__all__ += ["DocumentSending", "SupplierInvoice"]
# Collection: bank statements, reminders, handovers to debt collectors, receivables settings.
from zweck.sales.models.receivables import (
    BankStatement,
    BankTransaction,
    CollectionHandover,
    ReceivablesSettings,
    Reminder,
)

__all__ += ["BankStatement", "BankTransaction", "CollectionHandover", "ReceivablesSettings", "Reminder"]
