from zweck.service.models.mail import HeldMail
from zweck.service.models.settings import ServiceSettings, SlaTarget
from zweck.service.models.tickets import Ticket, TicketAttachment, TicketMessage

__all__ = ["HeldMail", "ServiceSettings", "SlaTarget", "Ticket", "TicketAttachment", "TicketMessage"]
