"""The consent texts a workspace starts with, one per purpose in German and English.

A workspace publishes its own wording as a new version (``consent_text_publish``); these are
only the first version, written so that the person knows what they agree to, who asks, and
that they can withdraw at any time (Art. 7(2)–(3) GDPR).
"""

from __future__ import annotations

from zweck.marketing.choices import ConsentPurpose

DEFAULT_TEXTS: dict[str, dict[str, str]] = {
    ConsentPurpose.NEWSLETTER: {
        "en": "Yes, please send me the newsletter of {controller} by email (news about services, "
        "market insights, about once a month). I can withdraw this consent at any time, for "
        "example through the link in every email.",
        "de": "Ja, {controller} darf mir den Newsletter per E-Mail senden (Neuigkeiten zu "
        "Leistungen, Markteinblicke, etwa einmal im Monat). Ich kann diese Einwilligung jederzeit "
        "widerrufen, zum Beispiel über den Link in jeder E-Mail.",
    },
    ConsentPurpose.EVENT_INVITATIONS: {
        "en": "Yes, {controller} may invite me to its events, webinars and training by email. I "
        "can withdraw this consent at any time.",
        "de": "Ja, {controller} darf mich per E-Mail zu Veranstaltungen, Webinaren und Schulungen "
        "einladen. Ich kann diese Einwilligung jederzeit widerrufen.",
    },
    ConsentPurpose.TELEPHONE: {
        "en": "Yes, {controller} may call me to tell me about its services. I can withdraw this "
        "consent at any time.",
        "de": "Ja, {controller} darf mich anrufen, um mich über seine Leistungen zu informieren. Ich "
        "kann diese Einwilligung jederzeit widerrufen.",
    },
    ConsentPurpose.DISCLOSURE: {
        "en": "Yes, {controller} may pass my contact details to the recipient named here for the "
        "purpose stated. I can withdraw this consent at any time.",
        "de": "Ja, {controller} darf meine Kontaktdaten für den genannten Zweck an den hier "
        "genannten Empfänger weitergeben. Ich kann diese Einwilligung jederzeit widerrufen.",
    },
    ConsentPurpose.CALL_RECORDING: {
        "en": "Yes, {controller} may record our telephone call so that what was agreed can be "
        "checked later. I can withdraw this consent at any time.",
        "de": "Ja, {controller} darf unser Telefonat aufzeichnen, damit sich Vereinbartes später "
        "nachvollziehen lässt. Ich kann diese Einwilligung jederzeit widerrufen.",
    },
    ConsentPurpose.SPECIAL_CATEGORY: {
        "en": "Yes, {controller} may use the health-related details I give (such as dietary or "
        "accessibility needs) for the event named here, and only for it (Art. 9(2)(a) GDPR). I can "
        "withdraw this consent at any time.",
        "de": "Ja, {controller} darf meine gesundheitsbezogenen Angaben (etwa zu Ernährung oder "
        "Barrierefreiheit) für die hier genannte Veranstaltung und nur für sie verwenden (Art. 9 "
        "Abs. 2 lit. a DSGVO). Ich kann diese Einwilligung jederzeit widerrufen.",
    },
}
LANGUAGES = ("de", "en")
