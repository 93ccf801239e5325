"""Register declarations for collection: bank statements and their credits, reminders sent and
claims handed to debt collectors (loaded by ``zweck/sales/privacy.py``).

A credit on the bank statement is an accounting voucher like the payment booked from it (8 years,
§ 147(1) Nr. 4, (3) AO; § 257(1) Nr. 4 HGB); a reminder sent is a copy of a business letter
(6 years, § 257(1) Nr. 3 HGB). Both are kept unchanged under their hold when the debtor's contact
person asks for erasure, like the invoice they are about.
"""

from django.db.models.functions import Coalesce, TruncDate

from zweck.core.register import NOT_PERSONAL, Erasure, NotPersonal, Personal, base_fields, register
from zweck.sales import models as sales
from zweck.sales.privacy import ACTIVITIES, KEPT, LETTER_HOLD, VOUCHER_HOLD

OWN_ACCOUNT = NotPersonal("The workspace's own bank account and its statements.")

register.declare(
    sales.ReceivablesSettings,
    fields=base_fields(
        **{
            name: NOT_PERSONAL
            for name in (
                "reminder_days",
                "first_notice_days",
                "second_notice_days",
                "reminder_fee",
                "first_notice_fee",
                "second_notice_fee",
                "payment_days",
                "charge_interest",
                "charge_flat_fee",
                "consultant_number",
                "client_number",
                "fiscal_year_start_month",
                "account_length",
                "debtor_account",
                "bank_account",
                "revenue_standard_account",
                "revenue_reduced_account",
                "revenue_reverse_charge_account",
                "revenue_intra_community_account",
                "revenue_small_business_account",
                "revenue_export_account",
                "revenue_exempt_account",
            )
        }
    ),
)
register.declare(
    sales.BankStatement,
    fields=base_fields(
        identifier=OWN_ACCOUNT,
        account_iban=OWN_ACCOUNT,
        version=NOT_PERSONAL,
        statement_created_at=NOT_PERSONAL,
        from_date=NOT_PERSONAL,
        to_date=NOT_PERSONAL,
        file_name=OWN_ACCOUNT,
        credit_count=NOT_PERSONAL,
        matched_count=NOT_PERSONAL,
        review_count=NOT_PERSONAL,
        known_count=NOT_PERSONAL,
    ),
)
register.declare(
    sales.BankTransaction,
    # The payer is known through the invoices the credit paid; a credit still under review is
    # about no one the CRM knows yet.
    subject="payments__invoice__contact",
    fields=base_fields(
        statement=NOT_PERSONAL,
        key=NOT_PERSONAL,
        amount=Personal("user.payment", mask=KEPT),
        currency=NOT_PERSONAL,
        booking_date=NOT_PERSONAL,
        value_date=NOT_PERSONAL,
        payer_name=Personal("user.name", mask=KEPT),
        payer_iban=Personal("user.financial.bank_account", mask=KEPT),
        remittance=Personal("user.payment", mask=KEPT),
        end_to_end_id=NOT_PERSONAL,
        state=NOT_PERSONAL,
        review_reason=NOT_PERSONAL,
        resolved_at=NOT_PERSONAL,
        note=Personal("user.content.private", mask=KEPT),
    ),
    activities=ACTIVITIES,
    retention="accounting_vouchers",
    erasure=Erasure.HOLD,
    hold_reason=VOUCHER_HOLD,
    clocks={"record_created": Coalesce("booking_date", TruncDate("created_at"))},
)
register.declare(
    sales.BankTransaction.payments.through,
    fields={"id": NOT_PERSONAL, "banktransaction": NOT_PERSONAL, "payment": NOT_PERSONAL},
)
register.declare(
    sales.Reminder,
    subject="invoice__contact",
    fields=base_fields(
        invoice=NOT_PERSONAL,
        level=NOT_PERSONAL,
        sent_on=NOT_PERSONAL,
        pay_by=NOT_PERSONAL,
        days_overdue=Personal("user.payment", mask=KEPT),
        open_amount=Personal("user.payment", mask=KEPT),
        fee=Personal("user.payment", mask=KEPT),
        flat_fee=Personal("user.payment", mask=KEPT),
        interest_rate=NOT_PERSONAL,
        interest=Personal("user.payment", mask=KEPT),
        total=Personal("user.payment", mask=KEPT),
        email=Personal("user.contact.email", mask=KEPT),
        subject=NOT_PERSONAL,
        text=Personal("user.content.private", mask=KEPT),
    ),
    activities=ACTIVITIES,
    retention="business_letters",
    erasure=Erasure.HOLD,
    hold_reason=LETTER_HOLD,
    clocks={"record_created": "sent_on"},
)
register.declare(
    sales.CollectionHandover,
    subject="invoice__contact",
    fields=base_fields(
        invoice=NOT_PERSONAL,
        recipient=NOT_PERSONAL,
        disclosure=NOT_PERSONAL,
        handed_over_on=NOT_PERSONAL,
        amount=Personal("user.payment", mask=KEPT),
        note=Personal("user.content.private", mask=KEPT),
    ),
    activities=ACTIVITIES,
    retention="business_letters",
    erasure=Erasure.HOLD,
    hold_reason=LETTER_HOLD,
    clocks={"record_created": "handed_over_on"},
)
