from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zweck.core.models import WorkspaceScopedModel
from zweck.crm.choices import ContactLabel, DataSource, SubjectCategory
from zweck.crm.validators import validate_e164


class Person(WorkspaceScopedModel):
    """A contact: a natural person and therefore a data subject.

    ``subject_category`` and ``source`` decide which notice applies to them (Art. 13 when
    they gave us their data, Art. 14 when it came from elsewhere). ``restricted_at`` marks
    restriction of processing (Art. 18): selectors hide the person from every use but
    storage and the privacy officer's views.
    """

    salutation = models.CharField(_("salutation"), max_length=20, blank=True)
    title = models.CharField(_("title"), max_length=40, blank=True, help_text=_("e.g. Dr., Prof."))
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    position = models.CharField(_("position"), max_length=150, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, blank=True)
    subject_category = models.CharField(
        _("data-subject category"),
        max_length=24,
        choices=SubjectCategory.choices,
        default=SubjectCategory.BUSINESS_CONTACT,
    )
    source = models.CharField(
        _("source of the data"),
        max_length=24,
        choices=DataSource.choices,
        default=DataSource.PROVIDED_BY_SUBJECT,
    )
    source_note = models.CharField(_("note on the source"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact owner"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Names, addresses, numbers and companies in one lower-cased line, kept current by the
    # services; the trigram index on it serves typo-tolerant search.
    search_text = models.TextField(editable=False, blank=True, default="")
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    restricted_at = models.DateTimeField(
        _("processing restricted since"), null=True, blank=True, editable=False
    )
    # The day the business relationship or contract with this person ended: the retention
    # clock of their contact data starts here (``zweck.crm.services.relationships``).
    relationship_ended_on = models.DateField(
        _("relationship ended on"), null=True, blank=True, editable=False
    )
    # The date came from the person's organizations (all of them ended), not from the person.
    relationship_end_inherited = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["workspace", "last_name", "first_name"], name="person_workspace_name"),
            models.Index(fields=["workspace", "updated_at"], name="person_workspace_updated"),
            models.Index(fields=["workspace", "relationship_ended_on"], name="person_relationship_ended"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class PersonEmail(WorkspaceScopedModel):
    """One email address of a person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField(_("email address"), max_length=254)
    label = models.CharField(
        _("label"), max_length=10, choices=ContactLabel.choices, default=ContactLabel.WORK
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["workspace", "email"], name="personemail_workspace_email")]
        constraints = [
            models.UniqueConstraint(fields=["person", "email"], name="personemail_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.email


class PersonPhone(WorkspaceScopedModel):
    """One phone number of a person, stored in E.164."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone number"), max_length=20, validators=[validate_e164])
    label = models.CharField(
        _("label"), max_length=10, choices=ContactLabel.choices, default=ContactLabel.WORK
    )
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["-is_primary", "id"]
        indexes = [models.Index(fields=["workspace", "number"], name="personphone_workspace_number")]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="personphone_unique_per_person"),
        ]

    def __str__(self) -> str:
        return self.number


class OrganizationMembership(WorkspaceScopedModel):
    """A person's place at an organization, with their role there."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey("crm.Organization", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=150, blank=True)
    is_primary = models.BooleanField(_("primary organization"), default=True)

    class Meta:
        verbose_name = _("organization membership")
        verbose_name_plural = _("organization memberships")
        indexes = [
            models.Index(fields=["workspace", "organization"], name="orgmember_workspace_org"),
            models.Index(fields=["workspace", "person"], name="orgmember_workspace_person"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "organization"], name="orgmember_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.organization_id}"
