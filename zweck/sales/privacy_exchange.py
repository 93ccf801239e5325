"""Register declarations of the documents exchanged with the outside (loaded by ``privacy.py``).

A received e-invoice is an accounting voucher of the workspace (8 years from the end of the
calendar year of its date, § 147(1) Nr. 4, (3) AO; § 257(1) Nr. 4, (4) HGB; § 14b UStG), kept
as received: a supplier may be a sole trader, whose name, address, VAT ID and bank account are
personal data, so those fields are declared personal and never masked. A record of a document
sent is part of the copy of the business letter or invoice sent, and follows its document's
rule: it goes with the document.
"""

from django.db.models.functions import Coalesce, TruncDate

from zweck.core.register import NOT_PERSONAL, Erasure, Mask, Personal, base_fields, register
from zweck.sales import models as sales
from zweck.sales.privacy import LETTER_HOLD

KEPT = Mask.NONE


register.declare(
    sales.SupplierInvoice,
    fields=base_fields(
        source_format=NOT_PERSONAL,
        file_name=NOT_PERSONAL,
        file_sha256=NOT_PERSONAL,
        status=NOT_PERSONAL,
        profile=NOT_PERSONAL,
        type_code=NOT_PERSONAL,
        number=NOT_PERSONAL,
        issue_date=NOT_PERSONAL,
        due_date=NOT_PERSONAL,
        supply_date=NOT_PERSONAL,
        supplier_name=Personal("user.name", mask=KEPT),
        supplier_vat_id=Personal("user.contact", mask=KEPT),
        supplier_tax_number=Personal("user.contact", mask=KEPT),
        supplier_address=Personal("user.contact.address", mask=KEPT),
        supplier_iban=Personal("user.financial.bank_account", mask=KEPT),
        buyer_name=NOT_PERSONAL,
        buyer_reference=NOT_PERSONAL,
        currency=NOT_PERSONAL,
        net_total=Personal("user.payment", mask=KEPT),
        tax_total=Personal("user.payment", mask=KEPT),
        gross_total=Personal("user.payment", mask=KEPT),
        due_amount=Personal("user.payment", mask=KEPT),
        lines=Personal("user.payment", mask=KEPT),
        xml=Personal("user.payment", mask=KEPT),
    ),
    activities=("legal_obligations",),
    retention="accounting_vouchers",
    clocks={"record_created": Coalesce("issue_date", TruncDate("created_at"))},
)
register.declare(
    sales.DocumentSending,
    subject="recipient",
    fields=base_fields(
        quote=NOT_PERSONAL,
        invoice=NOT_PERSONAL,
        recipient=NOT_PERSONAL,
        recipient_email=Personal("user.contact.email", mask=KEPT),
        sent_by=Personal("user.unique_id", mask=KEPT),
        sent_at=NOT_PERSONAL,
        attachment_name=NOT_PERSONAL,
    ),
    activities=("quotes_and_orders",),
    retention="business_letters",
    erasure=Erasure.HOLD,
    hold_reason=LETTER_HOLD,
    clocks={"record_created": TruncDate("sent_at")},
)
