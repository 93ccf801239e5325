"""Sending a quote or an invoice to the customer's contact person by email, with its PDF.

Invariants:
- only an issued document goes out: a finalized (or cancelled) invoice; a draft quote is first
  numbered and marked sent by the sales service ``quote_send``;
- the email is queued in the outbox (``zweck.outbox``) inside the transaction that records it,
  with its PDF attached, and leaves only after that transaction has committed: a rolled-back
  send never reaches anyone, an SMTP outage is retried by the outbox's worker; every send is
  recorded (``DocumentSending``) and audited in that transaction, with ids only;
- an invoice goes as a ZUGFeRD/Factur-X PDF (EN 16931) where its details allow an e-invoice,
  else as the plain PDF; a quote as its PDF;
- a contact person whose processing is restricted is not written to (the scoped read refuses).

All outgoing mail of sales documents passes ``document_send``: the one place to switch to
another delivery path.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zweck.accounts.actors import Actor
from zweck.audit.services import audit_record
from zweck.core.services import save_scoped
from zweck.outbox.services import Attachment, mail_queue
from zweck.sales.choices import InvoiceStatus, QuoteStatus
from zweck.sales.document_permissions import DOCUMENT_VIEW, INVOICE_SEND, QUOTE_SEND
from zweck.sales.einvoice import EInvoiceError, facturx_pdf
from zweck.sales.models import DocumentSending, Invoice, Quote
from zweck.sales.printing import document_file_name, document_language, document_pdf, supplier_of


def _recipient_email(document: Invoice | Quote) -> str:
    contact = document.contact
    if contact is not None:
        emails = sorted(contact.emails.all(), key=lambda email: (not email.is_primary, email.pk))
        if emails:
            return emails[0].email
    if isinstance(document, Invoice) and document.buyer_email:
        return document.buyer_email
    return ""


def _message(document: Invoice | Quote, sender_name: str) -> tuple[str, str]:
    number = document.number or ""
    if isinstance(document, Quote):
        subject = _("Quote %(number)s") % {"number": number}
        body = _(
            "Good day,\n\nplease find attached our quote %(number)s.\n\nWe look forward to hearing from you.\n\n"
            "Kind regards\n%(sender)s"
        ) % {"number": number, "sender": sender_name}
    else:
        subject = _("Invoice %(number)s") % {"number": number}
        body = _(
            "Good day,\n\nplease find attached our invoice %(number)s. The PDF carries the invoice as an "
            "electronic invoice (ZUGFeRD/Factur-X, EN 16931) as well.\n\nKind regards\n%(sender)s"
        ) % {"number": number, "sender": sender_name}
    return subject, body


def _attachment(document: Invoice | Quote) -> bytes:
    if isinstance(document, Invoice):
        try:
            return facturx_pdf(document)
        except EInvoiceError:
            return document_pdf(document)
    return document_pdf(document)


@transaction.atomic
def document_send(*, actor: Actor, document: Invoice | Quote, to_email: str = "") -> DocumentSending:
    """Email ``document`` as PDF to its contact person (or ``to_email``), record it as sent and
    audit it; the email is queued in the outbox and leaves once the transaction commits."""
    actor.require(QUOTE_SEND if isinstance(document, Quote) else INVOICE_SEND)
    model = type(document)
    # Re-read through the scoped queryset: another workspace's document, or one whose contact
    # person is restricted, is not found.
    document = model.objects.visible_to(actor, DOCUMENT_VIEW).get(pk=document.pk)
    if isinstance(document, Invoice) and document.status == InvoiceStatus.DRAFT:
        raise ValidationError({"status": [_("Finalize the invoice before sending it.")]})
    if isinstance(document, Quote) and document.status == QuoteStatus.DRAFT:
        # The sales service numbers and dates the quote and marks it sent (audited there).
        from zweck.sales.services import quote_send

        document = quote_send(actor=actor, quote=document)
    recipient_email = to_email.strip() or _recipient_email(document)
    if not recipient_email:
        raise ValidationError(
            {"contact": [_("The document names no contact person with an email address to send it to.")]}
        )
    try:
        validate_email(recipient_email)
    except ValidationError as error:
        raise ValidationError({"to_email": [_("Enter a valid email address.")]}) from error

    language = document_language(document)
    with translation.override(language):
        attachment = _attachment(document)
        file_name = document_file_name(document)
        subject, body = _message(document, supplier_of(document).party.name)
    now = timezone.now()
    sending = save_scoped(
        DocumentSending(
            quote=document if isinstance(document, Quote) else None,
            invoice=document if isinstance(document, Invoice) else None,
            recipient=document.contact,
            recipient_email=recipient_email,
            sent_by_id=actor.user_id,
            sent_at=now,
            attachment_name=file_name,
        ),
        actor=actor,
    )
    kind = "quote" if isinstance(document, Quote) else "invoice"
    subject_ids = [document.contact_id] if document.contact_id else []
    audit_record(actor=actor, action=f"{kind}.email", instance=document, subject_ids=subject_ids)

    mail_queue(
        to=recipient_email,
        subject=subject,
        body=body,
        workspace_id=actor.workspace_id,
        reply_to=[email for email in [supplier_of(document).email] if email],
        attachments=[Attachment(name=file_name, content=attachment, content_type="application/pdf")],
    )
    return sending
