from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.crm.choices import AddressKind, RelationshipType
from zweck.crm.validators import validate_industry_code, validate_relationship_types, validate_vat_id


class Tag(WorkspaceScopedModel):
    """A free label a workspace attaches to organizations."""

    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["workspace", "name"], name="tag_unique_name")]

    def __str__(self) -> str:
        return self.name


class Organization(WorkspaceScopedModel):
    """A company or institution the workspace has a relationship with."""

    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=60, blank=True)
    vat_id = models.CharField(_("VAT ID"), max_length=20, blank=True, validators=[validate_vat_id])
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    industry_code = models.CharField(
        _("industry code"),
        max_length=2,
        blank=True,
        validators=[validate_industry_code],
        help_text=_("WZ 2008 / NACE Rev. 2: a section (A–U) or a division (01–99)."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("general email"), blank=True)
    phone = models.CharField(_("general phone"), max_length=32, blank=True)
    relationship_types = models.JSONField(
        _("relationship"),
        default=list,
        blank=True,
        validators=[validate_relationship_types],
        help_text=_("Any of: %(choices)s") % {"choices": ", ".join(RelationshipType.values)},
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="organizations", verbose_name=_("tags"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account owner"),
    )
    notes = models.TextField(_("notes"), blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    relationship_ended_on = models.DateField(
        _("relationship ended on"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["workspace", "name"], name="organization_workspace_name"),
            models.Index(fields=["workspace", "industry_code"], name="organization_ws_industry"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationAddress(WorkspaceScopedModel):
    """A postal address of an organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="addresses")
    kind = models.CharField(_("kind"), max_length=10, choices=AddressKind.choices, default=AddressKind.OFFICE)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=120)
    country = models.CharField(_("country"), max_length=2, default="DE")

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [models.Index(fields=["workspace", "organization"], name="orgaddress_workspace_org")]

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"
