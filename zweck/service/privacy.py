"""Register declarations of the service desk: tickets, their conversation and attachments,
the desk's settings and service level targets, and incoming mail kept for review.

A ticket's requester is its data subject; its texts and messages are free text that may
mention other people (the mention search reads them, erasure of those people redacts them).
Tickets are kept three years after they were closed (rule ``support_tickets``, company policy
after the regular limitation period, §§ 195, 199(1) BGB), counted from ``closed_at``; a ticket
that is never closed is not swept. Erasing a requester deletes their tickets with every
message and attachment row (the files follow through ``attachment_files_prune``). Technicians
appear as staff references (assignee, author): employees' identifiers, not the contact's data.
"""

from collections.abc import Callable

from zweck.core.register import NOT_PERSONAL, Mask, NotPersonal, Personal, base_fields, register
from zweck.service import models as service

ACTIVITIES = ("support_and_maintenance", "client_relationship", "answering_enquiries")
STAFF_REFERENCE = Personal("user.unique_id", mask=Mask.NONE)
TEXT = Personal("user.content.private", free_text=True, provided=True)
SETTING = NotPersonal("A setting of the workspace's service desk.")

register.declare(
    service.ServiceSettings,
    fields=base_fields(
        # The company's support mailbox (support@…), not a person's address.
        inbound_address=NotPersonal("The workspace's own support mailbox."),
        ticket_prefix=SETTING,
        next_ticket_number=SETTING,
        business_day_start=SETTING,
        business_day_end=SETTING,
        acknowledge_new_tickets=SETTING,
    ),
)
register.declare(
    service.SlaTarget,
    fields=base_fields(
        organization=NOT_PERSONAL,
        priority=SETTING,
        response_minutes=SETTING,
        resolution_minutes=SETTING,
    ),
)
register.declare(
    service.Ticket,
    subject="requester",
    fields=base_fields(
        number=NOT_PERSONAL,
        organization=NOT_PERSONAL,
        # The link to the subject; the person's own data stays in the CRM.
        requester=NOT_PERSONAL,
        requester_email=Personal("user.contact.email", provided=True),
        subject=TEXT,
        description=TEXT,
        status=NOT_PERSONAL,
        priority=NOT_PERSONAL,
        category=NOT_PERSONAL,
        channel=NOT_PERSONAL,
        assignee=STAFF_REFERENCE,
        response_due_at=NOT_PERSONAL,
        resolution_due_at=NOT_PERSONAL,
        sla_due_at=NOT_PERSONAL,
        first_response_at=Personal("user.behavior"),
        resolved_at=Personal("user.behavior"),
        closed_at=NOT_PERSONAL,
        response_minutes=NOT_PERSONAL,
        resolution_minutes=NOT_PERSONAL,
    ),
    activities=ACTIVITIES,
    retention="support_tickets",
    clocks={"case_closed": "closed_at"},
)
register.declare(
    service.TicketMessage,
    subject="ticket__requester",
    fields=base_fields(
        ticket=NOT_PERSONAL,
        kind=NOT_PERSONAL,
        author_kind=NOT_PERSONAL,
        author=STAFF_REFERENCE,
        body=TEXT,
        channel=NOT_PERSONAL,
        message_id=Personal("user.unique_id"),
        is_automatic=NOT_PERSONAL,
    ),
    activities=ACTIVITIES,
    retention="support_tickets",
    clocks={"case_closed": "ticket__closed_at"},
)
register.declare(
    service.TicketAttachment,
    subject="ticket__requester",
    fields=base_fields(
        ticket=NOT_PERSONAL,
        message=NOT_PERSONAL,
        file_name=Personal("user.content.private", provided=True),
        content_type=NOT_PERSONAL,
        size=NOT_PERSONAL,
        sha256=NOT_PERSONAL,
        # The stored file: what the requester (or staff) sent.
        file=Personal("user.content.private", provided=True, mask=Mask.NONE),
    ),
    activities=ACTIVITIES,
    retention="support_tickets",
    clocks={"case_closed": "ticket__closed_at"},
)
register.declare(
    service.HeldMail,
    # Mail that belongs to no ticket yet: its sender may be nobody the workspace knows, so the
    # row has no subject path; it is kept only for the short review period.
    fields={
        "id": NOT_PERSONAL,
        "workspace": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "reason": NOT_PERSONAL,
        "status": NOT_PERSONAL,
        "sender": Personal("user.contact.email"),
        "subject": Personal("user.content.private", free_text=True),
        "raw": Personal("user.content.private"),
        "size": NOT_PERSONAL,
        "ticket": NOT_PERSONAL,
        "decided_at": NOT_PERSONAL,
        "decided_by": STAFF_REFERENCE,
    },
    activities=("answering_enquiries",),
    retention="held_incoming_mail",
)


@register.on_erasure
def _forget_attachment_files(workspace_id: int, person_ids: list[int]) -> Callable[[], None]:
    """The files of an erased requester's tickets leave the disk with their rows."""
    from zweck.service.attachments import attachment_files_delete

    paths = list(
        service.TicketAttachment.objects.in_workspace(workspace_id)
        .filter(ticket__requester_id__in=person_ids)
        .values_list("file", flat=True)
    )

    def finish() -> None:
        attachment_files_delete(paths)

    return finish
