"""The fixed wording of the generated documents, in English and German.

Each text is an English message id marked for translation (``gettext_noop``) with its
German text beside it. ``text(key, lang)`` asks Django's catalogue first and falls back to
the German written here, so the documents are correct in German today and a translation
catalogue, once it exists, takes over without a change to the templates.
"""

from __future__ import annotations

import gettext as gettext_module
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, Protocol

import phonenumbers
import pycountry
from django.db import models
from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext_noop as _noop

from zweck.privacy.choices import (
    LegalBasis,
    RecipientRole,
    RetentionEvent,
    SpecialCategoryCondition,
    TransferSafeguard,
)

LANGUAGES = ("de", "en")

TEXTS: dict[str, tuple[str, str]] = {
    # key: (English message id, German)
    "ropa_title": (_noop("Records of processing activities"), "Verzeichnis von Verarbeitungstätigkeiten"),
    "ropa_intro": (
        _noop("Records of the processing activities under our responsibility, Art. 30(1) GDPR."),
        "Verzeichnis der Verarbeitungstätigkeiten in unserer Verantwortung nach Art. 30 Abs. 1 DSGVO.",
    ),
    "notice_title": (_noop("Privacy notice"), "Datenschutzhinweise"),
    "notice_for": (_noop("for"), "für"),
    "notice_intro": (
        _noop(
            "This notice tells you which personal data we process about you, why, on what legal "
            "basis, who receives it, how long we keep it, and which rights you have "
            "(Art. 13 and 14 GDPR)."
        ),
        "Diese Hinweise erklären, welche personenbezogenen Daten wir über Sie verarbeiten, "
        "wozu, auf welcher Rechtsgrundlage, wer sie erhält, wie lange wir sie speichern und "
        "welche Rechte Sie haben (Art. 13 und 14 DSGVO).",
    ),
    "as_of": (_noop("As of"), "Stand"),
    "controller": (_noop("Controller"), "Verantwortlicher"),
    "controller_and_contact": (
        _noop("Name and contact details of the controller"),
        "Name und Kontaktdaten des Verantwortlichen",
    ),
    "dpo": (_noop("Data-protection officer"), "Datenschutzbeauftragte(r)"),
    "representative": (_noop("Representative in the Union"), "Vertreter in der Union"),
    "not_applicable": (
        _noop("Not applicable: the controller is established in the Union."),
        "Entfällt: Der Verantwortliche hat seinen Sitz in der Union.",
    ),
    "email": (_noop("Email"), "E-Mail"),
    "phone": (_noop("Phone"), "Telefon"),
    "website": (_noop("Website"), "Website"),
    "address": (_noop("Address"), "Anschrift"),
    "activities": (_noop("Processing activities"), "Verarbeitungstätigkeiten"),
    "activity": (_noop("Processing activity"), "Verarbeitungstätigkeit"),
    "purpose": (_noop("Purpose"), "Zweck"),
    "purposes_and_bases": (
        _noop("Purposes and legal bases of the processing"),
        "Zwecke und Rechtsgrundlagen der Verarbeitung",
    ),
    "legal_basis": (_noop("Legal basis"), "Rechtsgrundlage"),
    "legitimate_interest": (_noop("Legitimate interest pursued"), "Verfolgtes berechtigtes Interesse"),
    "special_condition": (
        _noop("Condition for special categories of data"),
        "Bedingung für besondere Kategorien personenbezogener Daten",
    ),
    "subject_categories": (_noop("Categories of data subjects"), "Kategorien betroffener Personen"),
    "data_categories": (_noop("Categories of personal data"), "Kategorien personenbezogener Daten"),
    "recipients": (_noop("Recipients"), "Empfänger"),
    "recipient_categories": (_noop("Categories of recipients"), "Kategorien von Empfängern"),
    "named_recipients": (_noop("Recipients and processors"), "Empfänger und Auftragsverarbeiter"),
    "disclosures": (_noop("Data passed to recipients"), "An Empfänger übermittelte Daten"),
    "no_named_recipients": (
        _noop("We disclose this data to no other recipient."),
        "Wir geben diese Daten an keine weiteren Empfänger weiter.",
    ),
    "role": (_noop("Role"), "Rolle"),
    "service": (_noop("Service"), "Leistung"),
    "country": (_noop("Country"), "Land"),
    "safeguard": (_noop("Safeguard"), "Garantie"),
    "dated": (_noop("dated"), "vom"),
    "transfers": (_noop("Transfers to third countries"), "Übermittlungen in Drittländer"),
    "transfers_intro": (
        _noop("Data is transferred outside the EU/EEA only to these recipients, with these safeguards:"),
        "Daten werden nur an diese Empfänger außerhalb der EU/des EWR übermittelt, mit diesen Garantien:",
    ),
    "no_transfers": (
        _noop("We do not transfer personal data to countries outside the EU/EEA."),
        "Wir übermitteln keine personenbezogenen Daten in Länder außerhalb der EU/des EWR.",
    ),
    "safeguard_copy": (
        _noop("You can obtain a copy of the safeguards from the contact details above."),
        "Eine Kopie der Garantien erhalten Sie über die oben genannten Kontaktdaten.",
    ),
    "retention": (_noop("Storage period and erasure"), "Speicherdauer und Löschung"),
    "retention_short": (_noop("Storage period"), "Speicherdauer"),
    "retention_intro": (
        _noop(
            "We keep personal data only as long as the purpose requires, and then for the periods "
            "below; where a statutory period applies, the data is restricted meanwhile and erased "
            "when the period ends."
        ),
        "Wir speichern personenbezogene Daten nur so lange, wie der Zweck es erfordert, und "
        "danach für die folgenden Fristen; gilt eine gesetzliche Frist, ist die Verarbeitung bis "
        "dahin eingeschränkt, und die Daten werden mit Fristende gelöscht.",
    ),
    "legal_source": (_noop("Source"), "Grundlage"),
    "security": (
        _noop("Technical and organisational security measures"),
        "Technische und organisatorische Sicherheitsmaßnahmen",
    ),
    "sources": (_noop("Where the data comes from"), "Herkunft der Daten"),
    "provision": (
        _noop("Are you required to provide the data?"),
        "Sind Sie verpflichtet, die Daten bereitzustellen?",
    ),
    "automated": (_noop("Automated decision-making"), "Automatisierte Entscheidungsfindung"),
    "no_automated": (
        _noop(
            "We make no decisions based solely on automated processing, including profiling (Art. 22 GDPR)."
        ),
        "Wir treffen keine ausschließlich automatisierten Entscheidungen einschließlich Profiling (Art. 22 DSGVO).",
    ),
    "rights": (_noop("Your rights"), "Ihre Rechte"),
    "rights_intro": (
        _noop("You have the following rights; to use them, contact us at the details above."),
        "Sie haben die folgenden Rechte; wenden Sie sich dafür an die oben genannten Kontaktdaten.",
    ),
    "right_access": (
        _noop(
            "Access: you can ask whether we process data about you and receive a copy of it (Art. 15 GDPR)."
        ),
        "Auskunft: Sie können erfragen, ob wir Daten über Sie verarbeiten, und eine Kopie "
        "erhalten (Art. 15 DSGVO).",
    ),
    "right_rectification": (
        _noop(
            "Rectification: you can have inaccurate data corrected and incomplete data completed (Art. 16 GDPR)."
        ),
        "Berichtigung: Sie können unrichtige Daten korrigieren und unvollständige ergänzen lassen (Art. 16 DSGVO).",
    ),
    "right_erasure": (
        _noop(
            "Erasure: you can have your data erased unless we must keep it, for example by law (Art. 17 GDPR)."
        ),
        "Löschung: Sie können Ihre Daten löschen lassen, sofern wir sie nicht etwa von Gesetzes "
        "wegen aufbewahren müssen (Art. 17 DSGVO).",
    ),
    "right_restriction": (
        _noop("Restriction: you can have the processing of your data restricted (Art. 18 GDPR)."),
        "Einschränkung: Sie können die Einschränkung der Verarbeitung Ihrer Daten verlangen (Art. 18 DSGVO).",
    ),
    "right_portability": (
        _noop(
            "Data portability: you can receive the data you provided to us in a structured, "
            "commonly used, machine-readable format, or have it sent to another controller (Art. 20 GDPR)."
        ),
        "Datenübertragbarkeit: Sie können die Daten, die Sie uns bereitgestellt haben, in einem "
        "strukturierten, gängigen und maschinenlesbaren Format erhalten oder an einen anderen "
        "Verantwortlichen übermitteln lassen (Art. 20 DSGVO).",
    ),
    "right_objection": (
        _noop(
            "Objection: you can object at any time, on grounds relating to your particular "
            "situation, to processing based on legitimate interests; you can object to direct "
            "marketing at any time without giving reasons (Art. 21 GDPR)."
        ),
        "Widerspruch: Sie können der Verarbeitung auf Grundlage berechtigter Interessen aus "
        "Gründen, die sich aus Ihrer besonderen Situation ergeben, jederzeit widersprechen; "
        "der Direktwerbung können Sie jederzeit ohne Angabe von Gründen widersprechen (Art. 21 DSGVO).",
    ),
    "right_withdraw": (
        _noop(
            "Withdrawal of consent: where we process data on your consent, you can withdraw it at "
            "any time with effect for the future, as easily as you gave it (Art. 7(3) GDPR)."
        ),
        "Widerruf der Einwilligung: Soweit wir Daten auf Grundlage Ihrer Einwilligung "
        "verarbeiten, können Sie diese jederzeit mit Wirkung für die Zukunft widerrufen, so "
        "einfach, wie Sie sie erteilt haben (Art. 7 Abs. 3 DSGVO).",
    ),
    "right_complaint": (
        _noop("Complaint: you can lodge a complaint with a supervisory authority (Art. 77 GDPR)."),
        "Beschwerde: Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).",
    ),
    "right_objection_pointer": (
        _noop("Objection: see “Your right to object” at the beginning of this notice (Art. 21 GDPR)."),
        "Widerspruch: siehe „Ihr Widerspruchsrecht“ am Anfang dieser Hinweise (Art. 21 DSGVO).",
    ),
    "objection_title": (
        _noop("Your right to object (Art. 21 GDPR)"),
        "Ihr Widerspruchsrecht (Art. 21 DSGVO)",
    ),
    "objection_legitimate": (
        _noop(
            "Where we process your data because of our legitimate interests (Art. 6(1)(f) GDPR), you "
            "may object at any time, on grounds relating to your particular situation. We then stop, "
            "unless we can show compelling legitimate grounds that override your interests, rights "
            "and freedoms, or we need the data to establish, exercise or defend legal claims."
        ),
        "Soweit wir Ihre Daten wegen unserer berechtigten Interessen verarbeiten (Art. 6 Abs. 1 "
        "lit. f DSGVO), können Sie jederzeit aus Gründen, die sich aus Ihrer besonderen Situation "
        "ergeben, widersprechen. Wir hören dann damit auf, es sei denn, wir können zwingende "
        "schutzwürdige Gründe nachweisen, die Ihre Interessen, Rechte und Freiheiten überwiegen, oder "
        "wir brauchen die Daten, um Rechtsansprüche geltend zu machen, auszuüben oder zu verteidigen.",
    ),
    "objection_concerns": (
        _noop("This concerns these purposes:"),
        "Das betrifft diese Zwecke:",
    ),
    "objection_marketing": (
        _noop(
            "You may object at any time, without giving reasons, to the use of your data for direct "
            "marketing; we then no longer use it for that purpose."
        ),
        "Der Verwendung Ihrer Daten für Direktwerbung können Sie jederzeit ohne Angabe von Gründen "
        "widersprechen; wir verwenden sie dann nicht mehr für diesen Zweck.",
    ),
    "objection_how": (
        _noop("To object, use our privacy portal or write to the contact details below:"),
        "Für Ihren Widerspruch nutzen Sie unser Datenschutzportal oder die unten genannten Kontaktdaten:",
    ),
    "objection_how_contact": (
        _noop("To object, write to the contact details below; no form is needed."),
        "Für Ihren Widerspruch genügt eine Nachricht an die unten genannten Kontaktdaten; ein Formular ist nicht nötig.",
    ),
    "portal_intro": (
        _noop("You can also make every request about your data through our privacy portal:"),
        "Alle Anliegen zu Ihren Daten können Sie auch über unser Datenschutzportal stellen:",
    ),
    "version": (_noop("Version"), "Version"),
    "version_of": (_noop("Version %(number)s of %(date)s"), "Version %(number)s vom %(date)s"),
    "history": (_noop("Earlier versions and changes"), "Frühere Fassungen und Änderungen"),
    "history_title": (_noop("Changes to this privacy notice"), "Änderungen dieser Datenschutzhinweise"),
    "history_intro": (
        _noop("Each version of this notice, newest first, with what changed from the version before it."),
        "Jede Fassung dieser Hinweise, die neueste zuerst, mit den Änderungen gegenüber der vorherigen Fassung.",
    ),
    "current_version": (_noop("current version"), "aktuelle Fassung"),
    "first_version": (_noop("The first published version."), "Die erste veröffentlichte Fassung."),
    "removed": (_noop("Removed"), "Entfernt"),
    "added": (_noop("Added"), "Hinzugefügt"),
    "changed_in": (_noop("In “%(section)s”"), "In „%(section)s“"),
    "read_version": (_noop("Read this version in full"), "Diese Fassung vollständig lesen"),
    "back_to_notice": (_noop("Back to the current notice"), "Zurück zu den aktuellen Hinweisen"),
    "back_to_history": (_noop("All versions"), "Alle Fassungen"),
    "changes": (_noop("Changes from the previous version"), "Änderungen gegenüber der vorherigen Fassung"),
    "our_authority": (_noop("The authority responsible for us is"), "Für uns zuständig ist"),
    "general": (_noop("General information"), "Allgemeine Angaben"),
    "not_stated": (_noop("not stated"), "nicht angegeben"),
    "coverage_title": (_noop("Register coverage"), "Vollständigkeit des Verzeichnisses"),
}

RIGHTS = (
    "right_access",
    "right_rectification",
    "right_erasure",
    "right_restriction",
    "right_portability",
    "right_objection",
    "right_withdraw",
    "right_complaint",
)


def localized(english: str, german: str, lang: str) -> str:
    """``english`` (a message id) in ``lang``: the catalogue's translation, else ``german``."""
    with translation.override(lang):
        translated = translation.gettext(english)
    if lang == "de" and translated == english:
        return german
    return translated


def text(key: str, lang: str) -> str:
    return localized(*TEXTS[key], lang)


def texts(lang: str) -> dict[str, str]:
    """Every fixed text in ``lang``, for the templates (``{{ t.controller }}``)."""
    return {key: text(key, lang) for key in TEXTS}


def _pick(lang: str, english: str, german: str) -> str:
    return german if lang == "de" else english


LEGAL_BASIS_TEXTS: dict[str, tuple[str, str]] = {
    LegalBasis.CONSENT: ("Art. 6(1)(a) GDPR (consent)", "Art. 6 Abs. 1 lit. a DSGVO (Einwilligung)"),
    LegalBasis.CONTRACT: (
        "Art. 6(1)(b) GDPR (performance of a contract or pre-contractual steps)",
        "Art. 6 Abs. 1 lit. b DSGVO (Vertragserfüllung oder vorvertragliche Maßnahmen)",
    ),
    LegalBasis.LEGAL_OBLIGATION: (
        "Art. 6(1)(c) GDPR (legal obligation)",
        "Art. 6 Abs. 1 lit. c DSGVO (rechtliche Verpflichtung)",
    ),
    LegalBasis.VITAL_INTERESTS: (
        "Art. 6(1)(d) GDPR (vital interests)",
        "Art. 6 Abs. 1 lit. d DSGVO (lebenswichtige Interessen)",
    ),
    LegalBasis.PUBLIC_TASK: (
        "Art. 6(1)(e) GDPR (public task)",
        "Art. 6 Abs. 1 lit. e DSGVO (öffentliche Aufgabe)",
    ),
    LegalBasis.LEGITIMATE_INTERESTS: (
        "Art. 6(1)(f) GDPR (legitimate interests)",
        "Art. 6 Abs. 1 lit. f DSGVO (berechtigte Interessen)",
    ),
}

_SPECIAL_CONDITION_NAMES: dict[str, tuple[str, str]] = {
    SpecialCategoryCondition.EXPLICIT_CONSENT: ("explicit consent", "ausdrückliche Einwilligung"),
    SpecialCategoryCondition.EMPLOYMENT: ("employment and social security law", "Arbeits- und Sozialrecht"),
    SpecialCategoryCondition.VITAL_INTERESTS: ("vital interests", "lebenswichtige Interessen"),
    SpecialCategoryCondition.NOT_FOR_PROFIT: (
        "not-for-profit body",
        "Organisation ohne Gewinnerzielungsabsicht",
    ),
    SpecialCategoryCondition.MADE_PUBLIC: (
        "made public by the data subject",
        "von der betroffenen Person öffentlich gemacht",
    ),
    SpecialCategoryCondition.LEGAL_CLAIMS: ("legal claims", "Rechtsansprüche"),
    SpecialCategoryCondition.PUBLIC_INTEREST: (
        "substantial public interest",
        "erhebliches öffentliches Interesse",
    ),
    SpecialCategoryCondition.HEALTH_CARE: ("health or social care", "Gesundheits- oder Sozialversorgung"),
    SpecialCategoryCondition.PUBLIC_HEALTH: ("public health", "öffentliche Gesundheit"),
    SpecialCategoryCondition.ARCHIVING_RESEARCH: (
        "archiving, research, statistics",
        "Archiv-, Forschungs- und Statistikzwecke",
    ),
}

ROLE_TEXTS: dict[str, tuple[str, str]] = {
    RecipientRole.PROCESSOR: ("Processor (Art. 28 GDPR)", "Auftragsverarbeiter (Art. 28 DSGVO)"),
    RecipientRole.SUBPROCESSOR: (
        "Sub-processor (Art. 28(4) GDPR)",
        "Unterauftragsverarbeiter (Art. 28 Abs. 4 DSGVO)",
    ),
    RecipientRole.CONTROLLER: ("Independent controller", "Eigenständiger Verantwortlicher"),
    RecipientRole.AUTHORITY: ("Public authority", "Behörde"),
}

SAFEGUARD_TEXTS: dict[str, tuple[str, str]] = {
    TransferSafeguard.NONE: ("no safeguard", "keine Garantie"),
    TransferSafeguard.EEA: ("within the EU/EEA", "innerhalb der EU/des EWR"),
    TransferSafeguard.ADEQUACY: (
        "adequacy decision of the European Commission (Art. 45 GDPR)",
        "Angemessenheitsbeschluss der Europäischen Kommission (Art. 45 DSGVO)",
    ),
    TransferSafeguard.SCC: (
        "EU standard contractual clauses (SCCs, Art. 46(2)(c) GDPR)",
        "EU-Standardvertragsklauseln (SCCs, Art. 46 Abs. 2 lit. c DSGVO)",
    ),
}

# (English noun, English clause, German noun in the dative, German clause)
_EVENT_TEXTS: dict[str, tuple[str, str, str, str]] = {
    RetentionEvent.RECORD_CREATED: (
        "the record arose",
        "the record arose",
        "der Entstehung des Datensatzes",
        "der Datensatz entstanden ist",
    ),
    RetentionEvent.RELATIONSHIP_ENDED: (
        "the end of the business relationship",
        "the business relationship ended",
        "dem Ende der Geschäftsbeziehung",
        "die Geschäftsbeziehung geendet hat",
    ),
    RetentionEvent.CONTRACT_ENDED: (
        "the end of the contract",
        "the contract ended",
        "dem Ende des Vertrags",
        "der Vertrag geendet hat",
    ),
    RetentionEvent.WARRANTY_ENDED: (
        "the end of the warranty obligations",
        "the warranty obligations ended",
        "dem Ende der Gewährleistungspflichten",
        "die Gewährleistungspflichten geendet haben",
    ),
    RetentionEvent.ACCOUNT_CLOSED: (
        "the closing of the user account",
        "the user account was closed",
        "der Schließung des Benutzerkontos",
        "das Benutzerkonto geschlossen wurde",
    ),
    RetentionEvent.SESSION_EXPIRED: (
        "the expiry of the session",
        "the session expired",
        "dem Ablauf der Sitzung",
        "die Sitzung abgelaufen ist",
    ),
    RetentionEvent.LAST_USE: (
        "the last use",
        "the data was last used",
        "der letzten Verwendung",
        "die Daten zuletzt verwendet wurden",
    ),
    RetentionEvent.CASE_CLOSED: (
        "the closing of the ticket",
        "the ticket was closed",
        "dem Abschluss des Tickets",
        "das Ticket abgeschlossen wurde",
    ),
}

_UNITS = {
    "years": (("year", "years"), ("Jahr", "Jahre")),
    "months": (("month", "months"), ("Monat", "Monate")),
    "days": (("day", "days"), ("Tag", "Tage")),
}


def legal_basis_text(code: str, lang: str) -> str:
    english, german = LEGAL_BASIS_TEXTS[code]
    return _pick(lang, english, german)


def special_condition_text(code: str, lang: str) -> str:
    if not code:
        return ""
    english, german = _SPECIAL_CONDITION_NAMES[code]
    if lang == "de":
        return f"Art. 9 Abs. 2 lit. {code} DSGVO ({german})"
    return f"Art. 9(2)({code}) GDPR ({english})"


def article_30_text(letter: str, lang: str) -> str:
    return f"Art. 30 Abs. 1 lit. {letter} DSGVO" if lang == "de" else f"Art. 30(1)({letter}) GDPR"


def role_text(code: str, lang: str) -> str:
    return _pick(lang, *ROLE_TEXTS[code])


def safeguard_text(code: str, lang: str) -> str:
    return _pick(lang, *SAFEGUARD_TEXTS[code])


@cache
def _country_translation(lang: str) -> gettext_module.NullTranslations:
    return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_text(code: str, lang: str) -> str:
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    name = getattr(country, "common_name", None) or country.name
    return _country_translation(lang).gettext(country.name) if lang == "de" else name


class RetentionLike(Protocol):
    years: int
    months: int
    days: int
    counts_from: str
    from_end_of_year: bool


def period_text(rule: RetentionLike, lang: str) -> str:
    parts = []
    for unit in ("years", "months", "days"):
        amount = getattr(rule, unit)
        if amount:
            english, german = _UNITS[unit]
            singular, plural = german if lang == "de" else english
            parts.append(f"{amount} {singular if amount == 1 else plural}")
    if len(parts) > 1:
        return f"{', '.join(parts[:-1])} {_pick(lang, 'and', 'und')} {parts[-1]}"
    return parts[0] if parts else ""


def retention_text(rule: RetentionLike, lang: str) -> str:
    """How long, in words: "8 years from the end of the calendar year in which the record arose"."""
    noun_en, clause_en, noun_de, clause_de = _EVENT_TEXTS[rule.counts_from]
    period = period_text(rule, lang)
    if rule.from_end_of_year:
        if lang == "de":
            return f"{period} ab dem Ende des Kalenderjahres, in dem {clause_de}"
        return f"{period} from the end of the calendar year in which {clause_en}"
    if not period:
        return f"bis zu {noun_de}" if lang == "de" else f"until {noun_en}"
    return f"{period} nach {noun_de}" if lang == "de" else f"{period} after {noun_en}"


def data_category_text(key: str, lang: str) -> str:
    """A data category's name, as written below; the taxonomy's own name for any other key."""
    if key in DATA_CATEGORY_NAMES:
        return _pick(lang, *DATA_CATEGORY_NAMES[key])
    return _english_category_names().get(key, key)


@cache
def _english_category_names() -> dict[str, str]:
    from fideslang import DEFAULT_TAXONOMY

    return {item.fides_key: item.name or item.fides_key for item in DEFAULT_TAXONOMY.data_category}


DATA_CATEGORY_NAMES: dict[str, tuple[str, str]] = {
    # key: (English, German)
    "user": ("Personal data", "Personenbezogene Daten"),
    "user.account": ("Account data", "Kontodaten"),
    "user.authorization": ("Permissions", "Berechtigungen"),
    "user.authorization.credentials": ("Sign-in credentials", "Zugangsdaten"),
    "user.authorization.password": ("Password (as a hash)", "Passwort (als Hashwert)"),
    "user.behavior": (
        "Interaction data (e.g. appointments, times)",
        "Interaktionsdaten (z. B. Termine, Zeitpunkte)",
    ),
    "user.behavior.purchase_history": ("Order and purchase history", "Auftrags- und Kaufhistorie"),
    "user.contact": ("Contact details", "Kontaktdaten"),
    "user.contact.address": ("Postal address", "Anschrift"),
    "user.contact.address.city": ("City", "Ort"),
    "user.contact.address.country": ("Country", "Land"),
    "user.contact.address.postal_code": ("Postal code", "Postleitzahl"),
    "user.contact.address.street": ("Street", "Straße"),
    "user.contact.email": ("Email address", "E-Mail-Adresse"),
    "user.contact.organization": ("Company", "Unternehmen"),
    "user.contact.phone_number": ("Phone number", "Telefonnummer"),
    "user.contact.url": ("Website and profile addresses", "Website- und Profiladressen"),
    "user.content.private": ("Content of communication and notes", "Kommunikationsinhalte und Notizen"),
    "user.content.public": ("Content the person published", "Von der Person veröffentlichte Inhalte"),
    "user.content.self_image": ("Photos of the person", "Fotos der Person"),
    "user.demographic.date_of_birth": ("Date of birth", "Geburtsdatum"),
    "user.demographic.gender": ("Salutation", "Anrede"),
    "user.demographic.language": ("Preferred language", "Bevorzugte Sprache"),
    "user.device": ("Browser and device (user agent)", "Browser und Gerät (User-Agent)"),
    "user.device.cookie_id": ("Session identifier", "Sitzungskennung"),
    "user.device.device_id": ("Device identifiers (IT inventory)", "Gerätekennungen (IT-Inventar)"),
    "user.device.ip_address": ("IP address", "IP-Adresse"),
    "user.financial": ("Financial data", "Finanzdaten"),
    "user.financial.bank_account": ("Bank details", "Bankverbindung"),
    "user.health_and_medical": (
        "Health details (e.g. dietary or accessibility needs)",
        "Gesundheitsangaben (z. B. Ernährung, Barrierefreiheit)",
    ),
    "user.job_title": ("Position and role", "Position und Funktion"),
    "user.location.imprecise": ("Place of meetings", "Ort von Terminen"),
    "user.location.precise": ("Precise location", "Genauer Standort"),
    "user.name": ("Name", "Name"),
    "user.name.first": ("First name", "Vorname"),
    "user.name.last": ("Last name", "Nachname"),
    "user.payment": ("Payment and invoice data", "Zahlungs- und Rechnungsdaten"),
    "user.privacy_preferences": ("Consents and objections", "Einwilligungen und Widersprüche"),
    "user.unique_id": ("Identifiers", "Kennungen"),
    "user.unique_id.pseudonymous": ("Pseudonymous identifiers", "Pseudonyme Kennungen"),
    "user.workplace": ("Employer", "Arbeitgeber"),
}


# The fideslang data uses a workspace chooses from when it adds a processing activity: those of
# the shipped activities and a few more a service company pursues. Any other use of the taxonomy
# is accepted too (through the API) and named by the taxonomy's English name.
DATA_USE_NAMES: dict[str, tuple[str, str]] = {
    # key: (English, German)
    "essential.service": ("Providing our services", "Erbringung unserer Leistungen"),
    "essential.service.operations.support": ("Support for our clients", "Support für unsere Kunden"),
    "essential.service.notifications": ("Notifications about the service", "Benachrichtigungen zum Dienst"),
    "essential.service.security": ("Security of our systems", "Sicherheit unserer Systeme"),
    "essential.service.authentication": ("Sign-in to our systems", "Anmeldung an unseren Systemen"),
    "essential.service.payment_processing": ("Processing payments", "Abwicklung von Zahlungen"),
    "essential.legal_obligation": ("Meeting legal obligations", "Erfüllung gesetzlicher Pflichten"),
    "essential.fraud_detection": ("Preventing fraud", "Verhinderung von Betrug"),
    "finance": ("Accounting and finance", "Buchhaltung und Finanzen"),
    "sales": ("Sales", "Vertrieb"),
    "marketing.communications.email": ("Advertising by email", "Werbung per E-Mail"),
    "marketing.communications.sms": ("Advertising by text message", "Werbung per SMS"),
    "marketing.advertising.first_party": ("Advertising our own offers", "Werbung für eigene Angebote"),
    "analytics.reporting": ("Reports and statistics", "Berichte und Statistiken"),
    "functional.service.improve": ("Improving our services", "Verbesserung unserer Leistungen"),
    "employment": ("Employment of our staff", "Beschäftigung unserer Mitarbeitenden"),
    "employment.recruitment": ("Recruiting staff", "Gewinnung von Mitarbeitenden"),
    "third_party_sharing.legal_obligation": (
        "Disclosure the law requires",
        "Gesetzlich vorgeschriebene Weitergabe",
    ),
}


def data_use_text(key: str, lang: str) -> str:
    """A data use's name, as written above; the taxonomy's own name for any other key."""
    if key in DATA_USE_NAMES:
        return _pick(lang, *DATA_USE_NAMES[key])
    return _english_use_names().get(key, key)


@cache
def _english_use_names() -> dict[str, str]:
    from fideslang import DEFAULT_TAXONOMY

    return {item.fides_key: item.name or item.fides_key for item in DEFAULT_TAXONOMY.data_use}


# ---------------------------------------------------------------- values as people read them

# Dates and times as a letter in each language writes them: 02.12.2026, 14:30 and 2 Dec 2026, 14:30.
DATE_FORMATS = {"de": ("d.m.Y", "d.m.Y, H:i"), "en": ("j M Y", "j M Y, H:i")}


def language_of(value: str | None) -> str:
    """One of ``LANGUAGES`` for a language tag or locale name ("de-DE", "de_DE.UTF-8", "en");
    English where none fits."""
    code = (value or "").replace("_", "-").split("-")[0].split(".")[0].lower()
    return code if code in LANGUAGES else "en"


def date_text(value: date | datetime | None, lang: str) -> str:
    """A date, or a date and time in the installation's time zone, without seconds."""
    if value is None:
        return ""
    day_format, moment_format = DATE_FORMATS[language_of(lang)]
    with translation.override(lang):
        if isinstance(value, datetime):
            moment = timezone.localtime(value) if timezone.is_aware(value) else value
            return dateformat.format(moment, moment_format)
        return dateformat.format(value, day_format)


def phone_text(number: str) -> str:
    """An E.164 number as people read it: ``+4930123456`` → ``+49 30 123456``."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def yes_no(value: bool, lang: str) -> str:
    return localized(*(_YES if value else _NO), lang)


_YES = (_noop("yes"), "ja")
_NO = (_noop("no"), "nein")


def number_text(value: int | float | Decimal, lang: str) -> str:
    with translation.override(lang):
        return formats.number_format(value, use_l10n=True, force_grouping=True)


def field_label(model_field: Any, lang: str) -> str:
    """A field's name for people, in ``lang``: its verbose name through the catalogue."""
    with translation.override(lang):
        return str(translation.gettext(str(model_field.verbose_name)))


def model_label(model: type[models.Model], lang: str, *, plural: bool = False) -> str:
    """A model's name for people, in ``lang``, capitalized."""
    name = model._meta.verbose_name_plural if plural else model._meta.verbose_name
    with translation.override(lang):
        shown = str(translation.gettext(str(name)))
    return shown[:1].upper() + shown[1:]


def value_text(model_field: Any, value: Any, lang: str) -> str:
    """A field's value as a person reads it: choices by their text, yes/no, localized dates
    and numbers, lists joined; an empty value as an empty string. ``value`` as the row holds
    it or as an export writes it (dates and times as ISO text, decimals as text)."""
    if value is None or value == "" or value == []:
        return ""
    if getattr(model_field, "choices", None) and not model_field.is_relation:
        with translation.override(lang):
            return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(model_field, models.DateTimeField):
        value = datetime.fromisoformat(value)
    elif isinstance(value, str) and isinstance(model_field, models.DateField):
        value = date.fromisoformat(value)
    elif isinstance(value, str) and isinstance(model_field, models.DecimalField):
        value = Decimal(value)
    if isinstance(value, bool):
        return yes_no(value, lang)
    if isinstance(value, (date, datetime)):
        return date_text(value, lang)
    if isinstance(value, (Decimal, float)) or (isinstance(value, int) and not model_field.is_relation):
        return number_text(value, lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    return str(value)
