"""The register's shipped defaults: retention rules, processing activities, security measures.

These are code data. ``register_defaults_install`` copies them into a workspace's own rows,
which the privacy officer edits afterwards; the keys stay fixed, because the declarations
in every app's ``privacy.py`` name them. Every statutory period cites its source (the same
sources as ``docs`` LAW.md); where a period is a company policy and not a law, it says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zweck.crm.choices import SubjectCategory
from zweck.privacy.choices import LegalBasis, RetentionEvent, SpecialCategoryCondition

if TYPE_CHECKING:
    from zweck.privacy.models import RetentionRule

# Staff users of the workspace are data subjects too; their notice is not published in the portal.
STAFF = "staff"
SUBJECT_GROUPS: tuple[str, ...] = (*SubjectCategory.values, STAFF)
NOTICE_SUBJECTS: tuple[str, ...] = tuple(SubjectCategory.values)
# The groups a notice is written for: the public ones, and the staff, who read theirs inside Zweck.
DOCUMENT_SUBJECTS: tuple[str, ...] = (*NOTICE_SUBJECTS, STAFF)


@dataclass(frozen=True)
class SubjectGroupPreset:
    """A group of data subjects, with where its data comes from (Art. 14(2)(f) GDPR)."""

    key: str
    name_en: str
    name_de: str
    fides_subject: str
    source_en: str
    source_de: str


SUBJECT_GROUP_PRESETS: dict[str, SubjectGroupPreset] = {
    preset.key: preset
    for preset in (
        SubjectGroupPreset(
            key=SubjectCategory.BUSINESS_CONTACT,
            name_en="Business contacts",
            name_de="Geschäftskontakte",
            fides_subject="prospect",
            source_en="From you (for example business cards, emails, conversations) and from "
            "publicly available sources such as company websites and commercial registers.",
            source_de="Von Ihnen selbst (etwa Visitenkarten, E-Mails, Gespräche) sowie aus "
            "öffentlich zugänglichen Quellen wie Unternehmenswebsites und Handelsregistern.",
        ),
        SubjectGroupPreset(
            key=SubjectCategory.CLIENT_CONTACT,
            name_en="Contacts at our clients",
            name_de="Ansprechpersonen bei unseren Kunden",
            fides_subject="customer",
            source_en="From you, or from your employer when it names you as a contact person for our services.",
            source_de="Von Ihnen selbst oder von Ihrem Arbeitgeber, wenn er Sie uns als "
            "Ansprechperson für unsere Leistungen benennt.",
        ),
        SubjectGroupPreset(
            key=SubjectCategory.CLIENT_DATA_SUBJECT,
            name_en="People whose data our clients entrust to us",
            name_de="Personen, deren Daten uns unsere Kunden anvertrauen",
            fides_subject="customer",
            source_en="From our client, who passes the data to us only as far as the service it "
            "commissioned requires.",
            source_de="Von unserem Kunden, der uns die Daten nur übergibt, soweit die beauftragte "
            "Leistung es erfordert.",
        ),
        SubjectGroupPreset(
            key=SubjectCategory.OTHER_CONTACT,
            name_en="Other people who contact us",
            name_de="Sonstige Personen, die sich an uns wenden",
            fides_subject="visitor",
            source_en="From you, when you contact us.",
            source_de="Von Ihnen selbst, wenn Sie sich an uns wenden.",
        ),
        SubjectGroupPreset(
            key=STAFF,
            name_en="Staff users of this system",
            name_de="Mitarbeitende, die dieses System nutzen",
            fides_subject="employee",
            source_en="From the staff member and from the workspace's administrators.",
            source_de="Von den Mitarbeitenden selbst und von den Administratoren des Arbeitsbereichs.",
        ),
    )
}


@dataclass(frozen=True)
class RetentionPreset:
    key: str
    name_en: str
    name_de: str
    counts_from: RetentionEvent
    years: int = 0
    months: int = 0
    days: int = 0
    from_end_of_year: bool = False
    statutory: bool = False
    legal_source_en: str = ""
    legal_source_de: str = ""


def preset_rule(key: str) -> RetentionRule:
    """The shipped retention rule ``key`` as an unsaved row (no workspace yet)."""
    from zweck.privacy.models import RetentionRule

    preset = RETENTION_PRESETS[key]
    return RetentionRule(
        key=preset.key,
        name_en=preset.name_en,
        name_de=preset.name_de,
        years=preset.years,
        months=preset.months,
        days=preset.days,
        counts_from=preset.counts_from,
        from_end_of_year=preset.from_end_of_year,
        statutory=preset.statutory,
        legal_source_en=preset.legal_source_en,
        legal_source_de=preset.legal_source_de,
    )


_START_EN = "the period starts at the end of the calendar year, § 257(5) HGB, § 147(4) AO"
_START_DE = "die Frist beginnt mit dem Schluss des Kalenderjahres, § 257 Abs. 5 HGB, § 147 Abs. 4 AO"
_LIMITATION_EN = "regular limitation period for claims, §§ 195, 199(1) BGB"
_LIMITATION_DE = "regelmäßige Verjährungsfrist, §§ 195, 199 Abs. 1 BGB"
_POLICY_EN = "Company policy; not a statutory period."
_POLICY_DE = "Unternehmensrichtlinie; keine gesetzliche Frist."

RETENTION_PRESETS: dict[str, RetentionPreset] = {
    preset.key: preset
    for preset in (
        RetentionPreset(
            key="books_and_records",
            name_en="Books, inventories, financial statements, management reports",
            name_de="Handelsbücher, Inventare, Jahresabschlüsse, Lageberichte",
            counts_from=RetentionEvent.RECORD_CREATED,
            years=10,
            from_end_of_year=True,
            statutory=True,
            legal_source_en=f"§ 257(1) Nr. 1, (4) HGB; § 147(1) Nr. 1, (3) AO; {_START_EN}.",
            legal_source_de=f"§ 257 Abs. 1 Nr. 1, Abs. 4 HGB; § 147 Abs. 1 Nr. 1, Abs. 3 AO; {_START_DE}.",
        ),
        RetentionPreset(
            key="accounting_vouchers",
            name_en="Accounting vouchers, including invoices",
            name_de="Buchungsbelege einschließlich Rechnungen",
            counts_from=RetentionEvent.RECORD_CREATED,
            years=8,
            from_end_of_year=True,
            statutory=True,
            legal_source_en="§ 257(1) Nr. 4, (4) HGB; § 147(3) AO as amended by the Viertes "
            "Bürokratieentlastungsgesetz (BGBl. 2024 I Nr. 323), in force 1 January 2025, for "
            "every voucher whose old ten-year period had not ended by 31 December 2024 "
            f"(Art. 97 § 19a EGAO); § 14b UStG; {_START_EN}.",
            legal_source_de="§ 257 Abs. 1 Nr. 4, Abs. 4 HGB; § 147 Abs. 3 AO in der Fassung des Vierten "
            "Bürokratieentlastungsgesetzes (BGBl. 2024 I Nr. 323), in Kraft seit 1. Januar 2025, für "
            "alle Belege, deren bisherige zehnjährige Frist am 31. Dezember 2024 noch nicht abgelaufen "
            f"war (Art. 97 § 19a EGAO); § 14b UStG; {_START_DE}.",
        ),
        RetentionPreset(
            key="business_letters",
            name_en="Business letters received and copies of those sent",
            name_de="Empfangene Handels- und Geschäftsbriefe und Wiedergaben der abgesandten",
            counts_from=RetentionEvent.RECORD_CREATED,
            years=6,
            from_end_of_year=True,
            statutory=True,
            legal_source_en=f"§ 257(1) Nr. 2–3, (4) HGB; § 147(1) Nr. 2–3, (3) AO; {_START_EN}.",
            legal_source_de=f"§ 257 Abs. 1 Nr. 2–3, Abs. 4 HGB; § 147 Abs. 1 Nr. 2–3, Abs. 3 AO; {_START_DE}.",
        ),
        RetentionPreset(
            key="service_records",
            name_en="Records of services delivered",
            name_de="Unterlagen zu erbrachten Dienstleistungen",
            counts_from=RetentionEvent.RECORD_CREATED,
            years=7,
            legal_source_en="Company policy where no law or contract sets a period; not a statutory period.",
            legal_source_de="Unternehmensrichtlinie, soweit weder Gesetz noch Vertrag eine Frist "
            "vorgeben; keine gesetzliche Frist.",
        ),
        RetentionPreset(
            key="business_relationship",
            name_en="Contact and relationship data",
            name_de="Kontakt- und Beziehungsdaten",
            counts_from=RetentionEvent.RELATIONSHIP_ENDED,
            years=3,
            from_end_of_year=True,
            legal_source_en=f"The {_LIMITATION_EN}; kept for legal claims, Art. 17(3)(e) GDPR.",
            legal_source_de=f"Die {_LIMITATION_DE}; Aufbewahrung für Rechtsansprüche, Art. 17 Abs. 3 lit. e DSGVO.",
        ),
        RetentionPreset(
            key="warranty",
            name_en="Contract data relevant to warranty",
            name_de="Gewährleistungsrelevante Vertragsdaten",
            counts_from=RetentionEvent.WARRANTY_ENDED,
            years=4,
            legal_source_en="Company policy after the warranty obligations end; not a statutory period.",
            legal_source_de="Unternehmensrichtlinie nach Ende der Gewährleistungspflichten; keine gesetzliche Frist.",
        ),
        RetentionPreset(
            key="tenant_contract",
            name_en="Workspace data after the hosting contract ends",
            name_de="Daten des Arbeitsbereichs nach Ende des Hosting-Vertrags",
            counts_from=RetentionEvent.CONTRACT_ENDED,
            days=30,
            legal_source_en="Hosting contract with the operator; statutory retention takes "
            "precedence (Art. 17(3)(b) GDPR).",
            legal_source_de="Hosting-Vertrag mit dem Betreiber; gesetzliche Aufbewahrungspflichten "
            "gehen vor (Art. 17 Abs. 3 lit. b DSGVO).",
        ),
        RetentionPreset(
            key="staff_account",
            name_en="Staff user accounts",
            name_de="Benutzerkonten der Mitarbeitenden",
            counts_from=RetentionEvent.ACCOUNT_CLOSED,
            days=30,
            legal_source_en=_POLICY_EN,
            legal_source_de=_POLICY_DE,
        ),
        RetentionPreset(
            key="audit_trail",
            name_en="Audit and security logs",
            name_de="Audit- und Sicherheitsprotokolle",
            counts_from=RetentionEvent.RECORD_CREATED,
            years=3,
            from_end_of_year=True,
            legal_source_en=f"Accountability, Art. 5(2) GDPR; {_LIMITATION_EN}.",
            legal_source_de=f"Rechenschaftspflicht, Art. 5 Abs. 2 DSGVO; {_LIMITATION_DE}.",
        ),
        RetentionPreset(
            key="security_log",
            name_en="Sign-in and security log",
            name_de="Anmelde- und Sicherheitsprotokoll",
            counts_from=RetentionEvent.RECORD_CREATED,
            days=30,
            legal_source_en="Company policy: long enough to notice and investigate misuse of an "
            "account (Art. 32 GDPR), short enough to keep little; not a statutory period.",
            legal_source_de="Unternehmensrichtlinie: lang genug, um den Missbrauch eines Kontos zu "
            "bemerken und aufzuklären (Art. 32 DSGVO), kurz genug, um wenig aufzubewahren; keine "
            "gesetzliche Frist.",
        ),
        RetentionPreset(
            key="outgoing_mail",
            name_en="Outgoing email",
            name_de="Ausgehende E-Mails",
            counts_from=RetentionEvent.RECORD_CREATED,
            days=30,
            legal_source_en="Company policy: long enough to see that a message was delivered or to "
            "send it again, short enough to keep little; not a statutory period.",
            legal_source_de="Unternehmensrichtlinie: lang genug, um die Zustellung einer Nachricht zu "
            "prüfen oder sie erneut zu senden, kurz genug, um wenig aufzubewahren; keine gesetzliche Frist.",
        ),
        RetentionPreset(
            key="support_tickets",
            name_en="Support tickets and their conversation",
            name_de="Support-Tickets und ihr Verlauf",
            counts_from=RetentionEvent.CASE_CLOSED,
            years=3,
            legal_source_en=f"Company policy: three years after the ticket was closed, the {_LIMITATION_EN}, "
            "for questions about the service delivered; not a statutory period. A ticket that is part "
            "of an invoice is kept with the invoice.",
            legal_source_de=f"Unternehmensrichtlinie: drei Jahre nach Abschluss des Tickets, die "
            f"{_LIMITATION_DE}, für Rückfragen zur erbrachten Leistung; keine gesetzliche Frist. Ein "
            "Ticket, das Teil einer Rechnung ist, wird mit der Rechnung aufbewahrt.",
        ),
        RetentionPreset(
            key="held_incoming_mail",
            name_en="Incoming email kept for review",
            name_de="Zur Prüfung zurückgehaltene eingehende E-Mails",
            counts_from=RetentionEvent.RECORD_CREATED,
            days=90,
            legal_source_en="Company policy: long enough to review mail that could not be assigned "
            "to a ticket, short enough to keep little; not a statutory period.",
            legal_source_de="Unternehmensrichtlinie: lang genug, um E-Mails zu prüfen, die keinem "
            "Ticket zugeordnet werden konnten, kurz genug, um wenig aufzubewahren; keine gesetzliche Frist.",
        ),
        RetentionPreset(
            key="session",
            name_en="Sign-in sessions",
            name_de="Anmeldesitzungen",
            counts_from=RetentionEvent.SESSION_EXPIRED,
            legal_source_en="Needed only while the user is signed in.",
            legal_source_de="Nur erforderlich, solange die Person angemeldet ist.",
        ),
        RetentionPreset(
            key="consent_proof",
            name_en="Proof of consent",
            name_de="Nachweis von Einwilligungen",
            counts_from=RetentionEvent.LAST_USE,
            years=5,
            statutory=True,
            legal_source_en="§ 7a UWG (consent to telephone advertising: five years from its grant "
            "and from each use), applied to every consent proof; Art. 7(1) GDPR.",
            legal_source_de="§ 7a UWG (Einwilligung in Telefonwerbung: fünf Jahre ab Erteilung und "
            "ab jeder Verwendung), angewandt auf jeden Einwilligungsnachweis; Art. 7 Abs. 1 DSGVO.",
        ),
        RetentionPreset(
            key="consent_signup_pending",
            name_en="Sign-ups awaiting confirmation",
            name_de="Unbestätigte Anmeldungen",
            counts_from=RetentionEvent.RECORD_CREATED,
            days=7,
            legal_source_en="Company policy: the confirmation link works for 48 hours; a sign-up "
            "nobody confirmed is of no use after that; not a statutory period.",
            legal_source_de="Unternehmensrichtlinie: Der Bestätigungslink gilt 48 Stunden; eine nie "
            "bestätigte Anmeldung wird danach nicht mehr gebraucht; keine gesetzliche Frist.",
        ),
    )
}


@dataclass(frozen=True)
class ActivityPreset:
    key: str
    name_en: str
    name_de: str
    purpose_en: str
    purpose_de: str
    legal_basis: LegalBasis
    subject_categories: tuple[str, ...]
    retention: str
    data_use: str  # a fideslang data use, for the Fides export
    data_categories: tuple[str, ...] = ()
    legitimate_interest_en: str = ""
    legitimate_interest_de: str = ""
    special_category_condition: SpecialCategoryCondition = SpecialCategoryCondition.NONE
    recipient_categories_en: str = ""
    recipient_categories_de: str = ""
    provision_en: str = ""
    provision_de: str = ""


_CONTACTS = (SubjectCategory.BUSINESS_CONTACT, SubjectCategory.CLIENT_CONTACT)
_CONTACT_DATA = ("user.name", "user.contact", "user.job_title", "user.workplace")
_NO_DUTY_EN = "You are not obliged to provide this data; without it we cannot keep in touch with you."
_NO_DUTY_DE = "Sie sind nicht verpflichtet, diese Daten bereitzustellen; ohne sie können wir nicht mit Ihnen in Kontakt bleiben."
_CONTRACT_DUTY_EN = (
    "The data is needed to conclude and perform the contract (for example company name, billing "
    "address, contact persons); without it we cannot deliver the service, or not in full."
)
_CONTRACT_DUTY_DE = (
    "Die Daten sind für Abschluss und Erfüllung des Vertrags erforderlich (etwa Firmenname, "
    "Rechnungsanschrift, Ansprechpersonen); ohne sie können wir die Leistung nicht oder nicht "
    "vollständig erbringen."
)
_STAFF_ONLY_EN = "Our staff who need the data for their work, and the hosting provider as our processor."
_STAFF_ONLY_DE = "Unsere Mitarbeitenden, die die Daten für ihre Arbeit benötigen, und der Hosting-Dienstleister als unser Auftragsverarbeiter."

ACTIVITY_PRESETS: dict[str, ActivityPreset] = {
    preset.key: preset
    for preset in (
        ActivityPreset(
            key="contact_management",
            name_en="Managing business contacts",
            name_de="Verwaltung von Geschäftskontakten",
            purpose_en="Keeping the contact details of the people we do business with available to "
            "our staff, recording how each contact relates to us, and finding companies and "
            "contacts with similar needs.",
            purpose_de="Wir halten die Kontaktdaten der Menschen, mit denen wir geschäftlich zu tun "
            "haben, für unsere Mitarbeitenden bereit, halten fest, in welcher Beziehung ein Kontakt "
            "zu uns steht, und erkennen Unternehmen und Kontakte mit ähnlichem Bedarf.",
            legal_basis=LegalBasis.LEGITIMATE_INTERESTS,
            legitimate_interest_en="Maintaining and developing our business relationships with "
            "companies and the people who work for them.",
            legitimate_interest_de="Pflege und Entwicklung unserer Geschäftsbeziehungen zu "
            "Unternehmen und den Menschen, die dort arbeiten.",
            # People who merely write to us are answered, not kept as contacts.
            subject_categories=_CONTACTS,
            data_categories=(*_CONTACT_DATA, "user.demographic.language"),
            recipient_categories_en=_STAFF_ONLY_EN,
            recipient_categories_de=_STAFF_ONLY_DE,
            provision_en=_NO_DUTY_EN,
            provision_de=_NO_DUTY_DE,
            retention="business_relationship",
            data_use="sales",
        ),
        ActivityPreset(
            key="client_relationship",
            name_en="Managing client relationships",
            name_de="Betreuung von Kundenbeziehungen",
            purpose_en="Recording meetings, calls, tasks and deals with the people at our clients, "
            "so that everyone who serves a client knows the history of the relationship.",
            purpose_de="Wir halten Termine, Telefonate, Aufgaben und Geschäftschancen mit den "
            "Menschen bei unseren Kunden fest, damit alle, die einen Kunden betreuen, den Verlauf "
            "der Beziehung kennen.",
            legal_basis=LegalBasis.LEGITIMATE_INTERESTS,
            legitimate_interest_en="Serving our clients consistently and performing our contracts "
            "with them, which requires working with their staff.",
            legitimate_interest_de="Eine verlässliche Betreuung unserer Kunden und die Erfüllung "
            "unserer Verträge mit ihnen, die die Zusammenarbeit mit ihren Mitarbeitenden erfordert.",
            subject_categories=_CONTACTS,
            data_categories=(*_CONTACT_DATA, "user.content.private", "user.behavior"),
            recipient_categories_en=_STAFF_ONLY_EN,
            recipient_categories_de=_STAFF_ONLY_DE,
            provision_en=_NO_DUTY_EN,
            provision_de=_NO_DUTY_DE,
            retention="business_letters",
            data_use="essential.service",
        ),
        ActivityPreset(
            key="service_delivery",
            name_en="Delivering our services",
            name_de="Erbringung unserer Dienstleistungen",
            purpose_en="Planning, performing and documenting the services agreed with our clients, "
            "including data that a client entrusts to us for that service.",
            purpose_de="Planung, Durchführung und Dokumentation der mit unseren Kunden vereinbarten "
            "Leistungen, einschließlich der Daten, die ein Kunde uns dafür anvertraut.",
            legal_basis=LegalBasis.CONTRACT,
            subject_categories=(SubjectCategory.CLIENT_CONTACT, SubjectCategory.CLIENT_DATA_SUBJECT),
            data_categories=(*_CONTACT_DATA, "user.content.private"),
            recipient_categories_en="Subcontractors we involve in a service, as our processors.",
            recipient_categories_de="Subunternehmer, die wir an einer Leistung beteiligen, als "
            "unsere Auftragsverarbeiter.",
            provision_en=_CONTRACT_DUTY_EN,
            provision_de=_CONTRACT_DUTY_DE,
            retention="service_records",
            data_use="essential.service",
        ),
        ActivityPreset(
            key="quotes_and_orders",
            name_en="Quotes, orders and invoicing",
            name_de="Angebote, Aufträge und Rechnungsstellung",
            purpose_en="Preparing quotes, handling orders, issuing invoices and following up payments.",
            purpose_de="Erstellung von Angeboten, Abwicklung von Aufträgen, Rechnungsstellung und "
            "Verfolgung von Zahlungen.",
            legal_basis=LegalBasis.CONTRACT,
            subject_categories=_CONTACTS,
            data_categories=(
                *_CONTACT_DATA,
                "user.financial.bank_account",
                "user.payment",
                "user.behavior.purchase_history",
            ),
            recipient_categories_en="Payment service providers and banks; our accounting (ERP) provider as processor.",
            recipient_categories_de="Zahlungsdienstleister und Banken; unser Anbieter für "
            "Buchhaltung (ERP) als Auftragsverarbeiter.",
            provision_en=_CONTRACT_DUTY_EN,
            provision_de=_CONTRACT_DUTY_DE,
            retention="accounting_vouchers",
            data_use="finance",
        ),
        ActivityPreset(
            key="support_and_maintenance",
            name_en="Support and maintenance",
            name_de="Support und Wartung",
            purpose_en="Handling support tickets, remote maintenance sessions and maintenance work, "
            "and documenting the IT systems we look after (inventory, checklists, reports).",
            purpose_de="Bearbeitung von Support-Tickets, Fernwartungssitzungen und Wartungsarbeiten "
            "sowie Dokumentation der von uns betreuten IT-Systeme (Inventar, Checklisten, Berichte).",
            legal_basis=LegalBasis.CONTRACT,
            subject_categories=(SubjectCategory.CLIENT_CONTACT, SubjectCategory.CLIENT_DATA_SUBJECT),
            data_categories=(
                *_CONTACT_DATA,
                "user.content.private",
                "user.device.device_id",
                "user.device.ip_address",
            ),
            recipient_categories_en="Providers of remote monitoring and management (RMM) software, as processors.",
            recipient_categories_de="Anbieter von Fernwartungs- und Monitoring-Software (RMM) als "
            "Auftragsverarbeiter.",
            provision_en=_CONTRACT_DUTY_EN,
            provision_de=_CONTRACT_DUTY_DE,
            retention="service_records",
            data_use="essential.service.operations.support",
        ),
        ActivityPreset(
            key="call_recording",
            name_en="Recording calls",
            name_de="Aufzeichnung von Telefonaten",
            purpose_en="Recording a call when everyone on it agreed beforehand, so that what was "
            "said and agreed can be checked later; the call's record notes that it was recorded.",
            purpose_de="Aufzeichnung eines Telefonats, wenn alle Beteiligten vorher zugestimmt "
            "haben, damit sich Gesagtes und Vereinbartes später nachvollziehen lässt; der Eintrag "
            "des Telefonats vermerkt die Aufzeichnung.",
            legal_basis=LegalBasis.CONSENT,
            subject_categories=_CONTACTS,
            data_categories=("user.behavior",),
            recipient_categories_en=_STAFF_ONLY_EN,
            recipient_categories_de=_STAFF_ONLY_DE,
            provision_en="Agreeing to a recording is voluntary; without your consent the call is not recorded.",
            provision_de="Die Zustimmung zur Aufzeichnung ist freiwillig; ohne Ihre Einwilligung "
            "wird das Telefonat nicht aufgezeichnet.",
            retention="business_relationship",
            data_use="essential.service",
        ),
        ActivityPreset(
            key="events_and_training",
            name_en="Events and training",
            name_de="Veranstaltungen und Schulungen",
            purpose_en="Organising events, courses and training: registration, attendance, "
            "certificates, and dietary or accessibility needs where a participant tells us.",
            purpose_de="Organisation von Veranstaltungen, Kursen und Schulungen: Anmeldung, "
            "Teilnahme, Bescheinigungen sowie Ernährungs- oder Barrierefreiheitsbedürfnisse, wenn "
            "Teilnehmende sie uns mitteilen.",
            legal_basis=LegalBasis.CONTRACT,
            # Dietary or accessibility needs can reveal health data: only with explicit consent.
            special_category_condition=SpecialCategoryCondition.EXPLICIT_CONSENT,
            subject_categories=_CONTACTS,
            data_categories=(*_CONTACT_DATA, "user.health_and_medical"),
            recipient_categories_en="Venues and caterers, only as far as the event needs.",
            recipient_categories_de="Veranstaltungsorte und Caterer, nur soweit die Veranstaltung es erfordert.",
            provision_en="Name and email address are needed to register; health-related details are voluntary.",
            provision_de="Name und E-Mail-Adresse sind für die Anmeldung erforderlich; Angaben zur "
            "Gesundheit sind freiwillig.",
            retention="business_letters",
            data_use="essential.service",
        ),
        ActivityPreset(
            key="newsletters_and_invitations",
            name_en="Newsletters and invitations",
            name_de="Newsletter und Einladungen",
            purpose_en="Sending newsletters, market insights and invitations to our events to the "
            "people who asked for them, and keeping proof of their consent.",
            purpose_de="Versand von Newslettern, Markteinblicken und Einladungen zu unseren "
            "Veranstaltungen an Menschen, die sie angefordert haben, und Nachweis ihrer Einwilligung.",
            legal_basis=LegalBasis.CONSENT,
            subject_categories=_CONTACTS,
            data_categories=("user.name", "user.contact.email", "user.privacy_preferences"),
            recipient_categories_en="An email delivery provider, as processor.",
            recipient_categories_de="Ein Dienstleister für den E-Mail-Versand als Auftragsverarbeiter.",
            provision_en="Subscribing is voluntary; you can withdraw your consent at any time.",
            provision_de="Die Anmeldung ist freiwillig; Sie können Ihre Einwilligung jederzeit widerrufen.",
            retention="consent_proof",
            data_use="marketing.communications.email",
        ),
        ActivityPreset(
            key="answering_enquiries",
            name_en="Answering enquiries",
            name_de="Beantwortung von Anfragen",
            purpose_en="Answering the messages people send us, and nothing else.",
            purpose_de="Beantwortung der Nachrichten, die uns erreichen, und zu nichts anderem.",
            legal_basis=LegalBasis.LEGITIMATE_INTERESTS,
            legitimate_interest_en="Replying to the people who contact us.",
            legitimate_interest_de="Antworten an die Menschen, die sich an uns wenden.",
            subject_categories=(SubjectCategory.OTHER_CONTACT,),
            data_categories=("user.name", "user.contact", "user.content.private"),
            recipient_categories_en=_STAFF_ONLY_EN,
            recipient_categories_de=_STAFF_ONLY_DE,
            provision_en=_NO_DUTY_EN,
            provision_de=_NO_DUTY_DE,
            retention="business_letters",
            data_use="essential.service.notifications",
        ),
        ActivityPreset(
            key="security_logging",
            name_en="Security logging",
            name_de="Sicherheitsprotokollierung",
            purpose_en="Logging sign-ins and changes, and scanning incoming messages for malicious "
            "content, to detect and investigate misuse and to prove lawful processing.",
            purpose_de="Protokollierung von Anmeldungen und Änderungen sowie Prüfung eingehender "
            "Nachrichten auf Schadinhalte, um Missbrauch zu erkennen und aufzuklären und die "
            "rechtmäßige Verarbeitung nachzuweisen.",
            legal_basis=LegalBasis.LEGITIMATE_INTERESTS,
            legitimate_interest_en="Protecting our systems and the data in them against misuse and "
            "attacks, and being able to demonstrate compliance (Art. 5(2), Art. 32 GDPR).",
            legitimate_interest_de="Schutz unserer Systeme und der darin gespeicherten Daten vor "
            "Missbrauch und Angriffen sowie Nachweis der Rechtmäßigkeit (Art. 5 Abs. 2, Art. 32 DSGVO).",
            subject_categories=SUBJECT_GROUPS,
            data_categories=("user.unique_id", "user.device.ip_address", "user.behavior"),
            recipient_categories_en=_STAFF_ONLY_EN,
            recipient_categories_de=_STAFF_ONLY_DE,
            retention="audit_trail",
            data_use="essential.service.security",
        ),
        ActivityPreset(
            key="legal_obligations",
            name_en="Statutory retention and other legal obligations",
            name_de="Gesetzliche Aufbewahrung und sonstige rechtliche Pflichten",
            purpose_en="Keeping commercial and tax records for the periods the law prescribes, and "
            "demonstrating that we comply with the law while we deliver our services.",
            purpose_de="Aufbewahrung von Handels- und Steuerunterlagen für die gesetzlich "
            "vorgeschriebenen Fristen und Nachweis, dass wir bei unserer Leistungserbringung die "
            "Gesetze einhalten.",
            legal_basis=LegalBasis.LEGAL_OBLIGATION,
            subject_categories=_CONTACTS,
            data_categories=(*_CONTACT_DATA, "user.payment", "user.financial"),
            recipient_categories_en="Tax advisers, auditors and tax authorities, where the law requires it.",
            recipient_categories_de="Steuerberater, Wirtschaftsprüfer und Finanzbehörden, soweit das "
            "Gesetz es verlangt.",
            provision_en="The law requires us to keep these records.",
            provision_de="Das Gesetz verpflichtet uns, diese Unterlagen aufzubewahren.",
            retention="books_and_records",
            data_use="essential.legal_obligation",
        ),
        ActivityPreset(
            key="management_reporting",
            name_en="Management reporting",
            name_de="Berichte für die Geschäftsführung",
            purpose_en="Preparing key figures and revenue and pipeline reports for our management; "
            "the reports show totals, not individuals.",
            purpose_de="Erstellung von Kennzahlen sowie Umsatz- und Vertriebsberichten für die "
            "Geschäftsführung; die Berichte zeigen Summen, keine Einzelpersonen.",
            legal_basis=LegalBasis.LEGITIMATE_INTERESTS,
            legitimate_interest_en="Steering our company on the basis of reliable figures.",
            legitimate_interest_de="Steuerung unseres Unternehmens auf der Grundlage verlässlicher Zahlen.",
            subject_categories=_CONTACTS,
            data_categories=("user.workplace",),
            recipient_categories_en="Our management only.",
            recipient_categories_de="Ausschließlich unsere Geschäftsführung.",
            retention="business_relationship",
            data_use="analytics.reporting",
        ),
        ActivityPreset(
            key="account_administration",
            name_en="Staff accounts and workspace administration",
            name_de="Benutzerkonten und Verwaltung des Arbeitsbereichs",
            purpose_en="Giving our staff accounts, roles and sign-in to this system, and "
            "administering the workspace.",
            purpose_de="Benutzerkonten, Rollen und Anmeldung unserer Mitarbeitenden in diesem System "
            "sowie Verwaltung des Arbeitsbereichs.",
            legal_basis=LegalBasis.CONTRACT,
            subject_categories=(STAFF,),
            data_categories=("user.name", "user.contact.email", "user.account", "user.authorization"),
            recipient_categories_en="The hosting provider, as processor.",
            recipient_categories_de="Der Hosting-Dienstleister als Auftragsverarbeiter.",
            provision_en="Staff need an account to use the system.",
            provision_de="Ohne Benutzerkonto können Mitarbeitende das System nicht nutzen.",
            retention="staff_account",
            data_use="essential.service.authentication",
        ),
    )
}


@dataclass(frozen=True)
class SecurityMeasurePreset:
    """A technical or organisational measure (Art. 32 GDPR), for Art. 30(1)(g)."""

    key: str
    title_en: str
    title_de: str
    description_en: str
    description_de: str


SECURITY_MEASURE_PRESETS: dict[str, SecurityMeasurePreset] = {
    preset.key: preset
    for preset in (
        SecurityMeasurePreset(
            key="access_control",
            title_en="Access control",
            title_de="Zugriffskontrolle",
            description_en="Every user has a personal account; roles grant only the permissions a "
            "task needs; each workspace sees only its own data.",
            description_de="Jede Person hat ein eigenes Konto; Rollen gewähren nur die für eine "
            "Aufgabe nötigen Berechtigungen; jeder Arbeitsbereich sieht nur seine eigenen Daten.",
        ),
        SecurityMeasurePreset(
            key="audit_trail",
            title_en="Audit trail",
            title_de="Protokollierung",
            description_en="Every change is logged with who made it and when, in the same "
            "transaction as the change; the log holds no personal values.",
            description_de="Jede Änderung wird mit Urheber und Zeitpunkt in derselben Transaktion "
            "protokolliert; das Protokoll enthält keine personenbezogenen Werte.",
        ),
        SecurityMeasurePreset(
            key="encryption_in_transit",
            title_en="Encryption in transit",
            title_de="Verschlüsselte Übertragung",
            description_en="Connections to the system are encrypted with TLS.",
            description_de="Verbindungen zum System sind mit TLS verschlüsselt.",
        ),
        SecurityMeasurePreset(
            key="passwords",
            title_en="Password storage",
            title_de="Passwortspeicherung",
            description_en="Passwords are stored only as Argon2 hashes; API tokens only as digests.",
            description_de="Passwörter werden nur als Argon2-Hashwerte gespeichert, API-Tokens nur als Prüfsummen.",
        ),
        SecurityMeasurePreset(
            key="restriction_and_retention",
            title_en="Restriction and retention",
            title_de="Einschränkung und Löschfristen",
            description_en="Restricted data is hidden from every use except storage; retention "
            "periods are applied automatically.",
            description_de="Eingeschränkte Daten sind jeder Nutzung außer der Speicherung entzogen; "
            "Löschfristen werden automatisch angewendet.",
        ),
    )
}


def preset_reference_errors(label: str, activities: tuple[str, ...], retention: str | None) -> list[str]:
    """Why a register declaration names an activity or retention rule that is not shipped here."""
    errors = [
        f"{label}: processing activity {key!r} is not a shipped default (add it to zweck/privacy/defaults.py)."
        for key in activities
        if key not in ACTIVITY_PRESETS
    ]
    if retention is not None and retention not in RETENTION_PRESETS:
        errors.append(
            f"{label}: retention rule {retention!r} is not a shipped default (add it to zweck/privacy/defaults.py)."
        )
    return errors
