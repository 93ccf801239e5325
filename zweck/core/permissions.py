"""Every permission Zweck knows, and which role holds which — the one place for both.

A role is a bundle of permissions; code asks for permissions, never for roles.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Permission(StrEnum):
    CRM_VIEW = "crm.view"
    CRM_CHANGE = "crm.change"
    CRM_DELETE = "crm.delete"
    ACTIVITY_CHANGE = "activity.change"
    DEAL_VIEW = "deal.view"
    DEAL_CHANGE = "deal.change"
    DEAL_DELETE = "deal.delete"
    PIPELINE_MANAGE = "pipeline.manage"
    REPORT_VIEW = "report.view"
    # Products, quotes, orders and invoices: reading them, writing drafts, and what accounting
    # alone does (finalizing and cancelling invoices, payments, the billing settings).
    SALES_VIEW = "sales.view"
    SALES_CHANGE = "sales.change"
    INVOICE_MANAGE = "invoice.manage"
    PRIVACY_VIEW = "privacy.view"
    PRIVACY_MANAGE = "privacy.manage"
    AUDIT_VIEW = "audit.view"
    MEMBER_MANAGE = "member.manage"
    WORKSPACE_MANAGE = "workspace.manage"
    # Reading the sign-in and security log: the staff's IP addresses and devices (owner only).
    SECURITY_LOG_VIEW = "security_log.view"
    TOKEN_USE = "token.use"
    # Downloading contacts in bulk (CSV through the pages or the API).
    CONTACT_EXPORT = "contact.export"
    # Changing or deleting activities someone else owns.
    ACTIVITY_MANAGE_ALL = "activity.manage_all"
    # Seeing outgoing email that is waiting or failed, and sending it again.
    MAIL_MANAGE = "mail.manage"
    # Tickets: reading them, and working them (replies, notes, status, assignment, held mail).
    TICKET_VIEW = "ticket.view"
    TICKET_MANAGE = "ticket.manage"
    # The consent ledger: reading consents and their proof; recording and withdrawing them.
    CONSENT_VIEW = "consent.view"
    CONSENT_MANAGE = "consent.manage"


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Administrator")
    SALES = "sales", _("Sales")
    SERVICE = "service", _("Service")
    ACCOUNTING = "accounting", _("Accounting")
    MARKETING = "marketing", _("Marketing")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    READ_ONLY = "read_only", _("Read only")


P = Permission
_EVERYTHING = frozenset(Permission)
_READ = frozenset({P.CRM_VIEW, P.DEAL_VIEW, P.TOKEN_USE})

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.OWNER: _EVERYTHING,
    Role.ADMIN: _EVERYTHING - {P.WORKSPACE_MANAGE, P.SECURITY_LOG_VIEW},
    Role.SALES: _READ
    | {
        P.CRM_CHANGE,
        P.CRM_DELETE,
        P.CONTACT_EXPORT,
        P.ACTIVITY_CHANGE,
        P.DEAL_CHANGE,
        P.DEAL_DELETE,
        P.REPORT_VIEW,
        P.SALES_VIEW,
        P.SALES_CHANGE,
        P.TICKET_VIEW,
        P.CONSENT_VIEW,
    },
    Role.SERVICE: _READ | {P.ACTIVITY_CHANGE, P.TICKET_VIEW, P.TICKET_MANAGE},
    Role.ACCOUNTING: _READ | {P.REPORT_VIEW, P.SALES_VIEW, P.SALES_CHANGE, P.INVOICE_MANAGE},
    Role.MARKETING: _READ | {P.ACTIVITY_CHANGE, P.CONSENT_VIEW, P.CONSENT_MANAGE},
    Role.PRIVACY_OFFICER: _READ | {P.PRIVACY_VIEW, P.PRIVACY_MANAGE, P.AUDIT_VIEW, P.CONSENT_VIEW},
    Role.READ_ONLY: _READ | {P.SALES_VIEW, P.TICKET_VIEW},
}


def permissions_for(role: str) -> frozenset[Permission]:
    """The permissions a role grants; an unknown role grants none."""
    return ROLE_PERMISSIONS.get(role, frozenset())


# What each permission allows, in words for people (a refused action names them).
PERMISSION_LABELS: dict[Permission, Promise] = {
    P.CRM_VIEW: _("See contacts and organizations"),
    P.CRM_CHANGE: _("Change contacts and organizations"),
    P.CRM_DELETE: _("Delete contacts and organizations"),
    P.ACTIVITY_CHANGE: _("Record activities"),
    P.DEAL_VIEW: _("See deals"),
    P.DEAL_CHANGE: _("Change deals"),
    P.DEAL_DELETE: _("Delete deals"),
    P.PIPELINE_MANAGE: _("Set up the pipeline"),
    P.REPORT_VIEW: _("See reports"),
    P.SALES_VIEW: _("See products, quotes, orders and invoices"),
    P.SALES_CHANGE: _("Prepare quotes, orders and draft invoices"),
    P.INVOICE_MANAGE: _("Issue and cancel invoices, record payments"),
    P.PRIVACY_VIEW: _("See the privacy register and requests"),
    P.PRIVACY_MANAGE: _("Handle the privacy register and requests"),
    P.AUDIT_VIEW: _("See the audit trail"),
    P.MEMBER_MANAGE: _("Manage members"),
    P.WORKSPACE_MANAGE: _("Manage the workspace"),
    P.TOKEN_USE: _("Use the API"),
    P.CONTACT_EXPORT: _("Export contacts in bulk"),
    P.ACTIVITY_MANAGE_ALL: _("Change and delete other people's activities"),
    P.MAIL_MANAGE: _("See and resend outgoing email"),
    P.SECURITY_LOG_VIEW: _("See the security log"),
    P.TICKET_VIEW: _("See tickets"),
    P.TICKET_MANAGE: _("Work on tickets: reply, add notes, assign, change status"),
    P.CONSENT_VIEW: _("See consents and their proof"),
    P.CONSENT_MANAGE: _("Record and withdraw consents"),
}


def permission_text(code: str) -> str:
    """A permission in words; an unknown code as it is."""
    try:
        return str(PERMISSION_LABELS[Permission(code)])
    except ValueError:
        return code
