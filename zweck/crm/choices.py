from django.db import models
from django.utils.translation import gettext_lazy as _


class RelationshipType(models.TextChoices):
    CUSTOMER = "customer", _("Customer")
    PROSPECT = "prospect", _("Prospect")
    PARTNER = "partner", _("Partner")
    SUPPLIER = "supplier", _("Supplier")
    SUBCONTRACTOR = "subcontractor", _("Subcontractor")


class SubjectCategory(models.TextChoices):
    """The groups of people whose data a B2B service company holds (seed notice 000)."""

    BUSINESS_CONTACT = "business_contact", _("Business contact")
    CLIENT_CONTACT = "client_contact", _("Contact at a client company")
    CLIENT_DATA_SUBJECT = "client_data_subject", _("Person whose data a client entrusts to us")
    OTHER_CONTACT = "other_contact", _("Other person who contacts us")


class DataSource(models.TextChoices):
    PROVIDED_BY_SUBJECT = "provided_by_subject", _("Provided by the person")
    PUBLIC = "public", _("Publicly available sources")
    RECEIVED_FROM_CLIENT = "received_from_client", _("Received from a client")
    OTHER = "other", _("Other")


class ContactLabel(models.TextChoices):
    WORK = "work", _("Work")
    MOBILE = "mobile", _("Mobile")
    HOME = "home", _("Private")
    OTHER = "other", _("Other")


class AddressKind(models.TextChoices):
    OFFICE = "office", _("Office")
    BILLING = "billing", _("Billing")
    SHIPPING = "shipping", _("Delivery")


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    CALL = "call", _("Call")
    EMAIL = "email", _("Email")
    TASK = "task", _("Task")
    NOTE = "note", _("Note")
    EVENT = "event", _("Event")


class DealStatus(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
