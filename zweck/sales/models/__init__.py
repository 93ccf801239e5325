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
