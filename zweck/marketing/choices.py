from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    """What a person consents to (Art. 6(1)(a), 9(2)(a) GDPR; § 7(2) UWG)."""

    NEWSLETTER = "newsletter", _("Newsletter")
    EVENT_INVITATIONS = "event_invitations", _("Invitations to events")
    TELEPHONE = "telephone", _("Calls for advertising")
    DISCLOSURE = "disclosure", _("Passing data to a named recipient")
    CALL_RECORDING = "call_recording", _("Recording of calls")
    SPECIAL_CATEGORY = "special_category", _("Health-related details for an event")


# The purposes that are direct marketing: an objection (Art. 21(2) GDPR) ends them all.
MARKETING_PURPOSES = (ConsentPurpose.NEWSLETTER, ConsentPurpose.EVENT_INVITATIONS, ConsentPurpose.TELEPHONE)
# The purposes a public sign-up form may offer: those the person can ask for themselves.
SIGNUP_PURPOSES = (ConsentPurpose.NEWSLETTER, ConsentPurpose.EVENT_INVITATIONS)


class ConsentChannel(models.TextChoices):
    """The channel the consent covers."""

    EMAIL = "email", _("Email")
    TELEPHONE = "telephone", _("Telephone")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")


class ConsentMethod(models.TextChoices):
    """How the consent (or its withdrawal) was given."""

    DOUBLE_OPT_IN = "double_opt_in", _("Double opt-in (confirmed by email)")
    WEB_FORM = "web_form", _("Web form")
    PAPER = "paper", _("On paper")
    VERBAL = "verbal", _("Verbally (with a note)")
    PREFERENCE_CENTRE = "preference_centre", _("Preference centre")


class RecordKind(models.TextChoices):
    GRANT = "grant", _("Consent given")
    WITHDRAWAL = "withdrawal", _("Consent withdrawn")
