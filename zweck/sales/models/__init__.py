from zweck.sales.models.catalogue import Product
from zweck.sales.models.documents import Order, OrderLine, Quote, QuoteLine
from zweck.sales.models.exchange import DocumentSending, SupplierInvoice
from zweck.sales.models.invoices import (
    Invoice,
    InvoiceCancellation,
    InvoiceLine,
    InvoiceTaxTotal,
    Payment,
)
from zweck.sales.models.receivables import (
    BankStatement,
    BankTransaction,
    CollectionHandover,
    ReceivablesSettings,
    Reminder,
)
from zweck.sales.models.settings import DocumentCounter, SalesSettings

__all__ = [
    "BankStatement",
    "BankTransaction",
    "CollectionHandover",
    "DocumentCounter",
    "DocumentSending",
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
    "ReceivablesSettings",
    "Reminder",
    "SalesSettings",
    "SupplierInvoice",
]
