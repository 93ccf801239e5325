"""Generated notices and records of processing state everything the seed notices state."""

from __future__ import annotations

import pytest

from zweck.accounts.actors import Actor
from zweck.privacy.defaults import NOTICE_SUBJECTS
from zweck.privacy.documents import DocumentError, notice_document, ropa_document
from zweck.privacy.labels import RIGHTS, text
from zweck.privacy.selectors import register_snapshot

RIGHTS_EN = [
    "Access: you can ask whether we process data about you and receive a copy of it (Art. 15 GDPR).",
    "Rectification: you can have inaccurate data corrected and incomplete data completed (Art. 16 GDPR).",
    "Erasure: you can have your data erased unless we must keep it, for example by law (Art. 17 GDPR).",
    "Restriction: you can have the processing of your data restricted (Art. 18 GDPR).",
    "Data portability: you can receive the data you provided to us",
    # Set apart at the top (Art. 21(4) GDPR), not in the list of rights.
    "Where we process your data because of our legitimate interests (Art. 6(1)(f) GDPR), you may object at any time",
    "Withdrawal of consent: where we process data on your consent, you can withdraw it",
    "Complaint: you can lodge a complaint with a supervisory authority (Art. 77 GDPR).",
]
RIGHTS_DE = [
    "Auskunft: Sie können erfragen, ob wir Daten über Sie verarbeiten",
    "Berichtigung: Sie können unrichtige Daten korrigieren",
    "Löschung: Sie können Ihre Daten löschen lassen",
    "Einschränkung: Sie können die Einschränkung der Verarbeitung",
    "Datenübertragbarkeit: Sie können die Daten, die Sie uns bereitgestellt haben",
    "Soweit wir Ihre Daten wegen unserer berechtigten Interessen verarbeiten (Art. 6 Abs. 1 lit. f DSGVO), können Sie jederzeit",
    "Widerruf der Einwilligung: Soweit wir Daten auf Grundlage Ihrer Einwilligung",
    "Beschwerde: Sie können sich bei einer Datenschutz-Aufsichtsbehörde beschweren (Art. 77 DSGVO).",
]


def _notice(actor: Actor, subject: str, lang: str) -> str:
    document = notice_document(register_snapshot(actor=actor), subject=subject, lang=lang, fmt="md")
    assert isinstance(document, str)
    return document


def _missing(document: str, expected: list[str]) -> list[str]:
    return [item for item in expected if item not in document]


@pytest.mark.parametrize("subject", NOTICE_SUBJECTS)
@pytest.mark.parametrize(("lang", "rights"), [("en", RIGHTS_EN), ("de", RIGHTS_DE)])
def test_every_notice_names_controller_dpo_authority_and_every_right(
    installed: Actor, subject: str, lang: str, rights: list[str]
) -> None:
    workspace = installed.workspace
    document = _notice(installed, subject, lang)
    assert (
        _missing(document, [*rights, workspace.name, workspace.dpo_email, workspace.supervisory_authority])
        == []
    )
    assert len(RIGHTS) == len(rights)


def test_seed_000_business_contacts(installed: Actor) -> None:
    document = _notice(installed, "business_contact", "en")
    assert document.startswith("# Privacy notice for Business contacts\n")
    assert (
        _missing(
            document,
            [
                # providing contact details to staff, tracking the relationship, similar needs
                "### Managing business contacts",
                "Keeping the contact details of the people we do business with available to our staff, recording "
                "how each contact relates to us, and finding companies and contacts with similar needs.",
                "### Managing client relationships",
                # key figures and revenue reports for management
                "### Management reporting",
                "revenue and pipeline reports for our management",
                # information about our services and invitations, where lawful
                "### Newsletters and invitations",
                "- **Legal basis:** Art. 6(1)(f) GDPR (legitimate interests)",
                "- **Legal basis:** Art. 6(1)(a) GDPR (consent)",
                "- **Legitimate interest pursued:** Maintaining and developing our business relationships",
                # company name, names, phone, email, interactions (meetings, tasks)
                "Company",
                "First name",
                "Last name",
                "Phone number",
                "Email address",
                "Interaction data (e.g. appointments, times)",
                # as long as the relationship needs a record
                "3 years from the end of the calendar year in which the business relationship ended",
                "From you (for example business cards, emails, conversations) and from publicly available sources",
            ],
        )
        == []
    )


def test_seed_000_client_contacts_with_seven_years_for_service_records(installed: Actor) -> None:
    document = _notice(installed, "client_contact", "en")
    assert (
        _missing(
            document,
            [
                "### Delivering our services",
                "- **Legal basis:** Art. 6(1)(b) GDPR (performance of a contract or pre-contractual steps)",
                "### Support and maintenance",
                "### Security logging",
                "scanning incoming messages for malicious content",
                "### Statutory retention and other legal obligations",
                "- **Legal basis:** Art. 6(1)(c) GDPR (legal obligation)",
                "### Management reporting",
                "- **Records of services delivered:** 7 years after the record arose (Source: Company policy where "
                "no law or contract sets a period; not a statutory period.)",
            ],
        )
        == []
    )


def test_seed_000_people_whose_data_clients_entrust_to_us(installed: Actor) -> None:
    document = _notice(installed, "client_data_subject", "en")
    assert (
        _missing(
            document,
            [
                "# Privacy notice for People whose data our clients entrust to us",
                "### Delivering our services",
                "From our client, who passes the data to us only as far as the service it commissioned requires.",
                "Contact details",
                "Employer",
                "Position and role",
                "7 years after the record arose",
            ],
        )
        == []
    )
    assert "### Newsletters and invitations" not in document


def test_seed_000_other_people_are_only_answered(installed: Actor) -> None:
    document = _notice(installed, "other_contact", "en")
    headings = [line for line in document.splitlines() if line.startswith("### ")]
    assert headings == ["### Answering enquiries", "### Security logging"]
    assert "Answering the messages people send us, and nothing else." in document


def test_seed_004_notice_in_german(like_seed_004: Actor) -> None:
    document = _notice(like_seed_004, "client_contact", "de")
    assert document.startswith("# Datenschutzhinweise für Ansprechpersonen bei unseren Kunden\n")
    assert (
        _missing(
            document,
            [
                # purposes: quotes and orders, support incl. remote maintenance, invoicing, legal duties, newsletter
                "### Angebote, Aufträge und Rechnungsstellung",
                "### Support und Wartung",
                "Fernwartungssitzungen",
                "Dokumentation der von uns betreuten IT-Systeme (Inventar, Checklisten, Berichte)",
                "### Gesetzliche Aufbewahrung und sonstige rechtliche Pflichten",
                "### Newsletter und Einladungen",
                # legal bases (a), (b), (c), (f)
                "Art. 6 Abs. 1 lit. a DSGVO (Einwilligung)",
                "Art. 6 Abs. 1 lit. b DSGVO (Vertragserfüllung oder vorvertragliche Maßnahmen)",
                "Art. 6 Abs. 1 lit. c DSGVO (rechtliche Verpflichtung)",
                "Art. 6 Abs. 1 lit. f DSGVO (berechtigte Interessen)",
                # master and contact data, contract/support/communication, ERP/billing, IT documentation
                "- Kontaktdaten\n",
                "- Unternehmen\n",
                "- Kommunikationsinhalte und Notizen\n",
                "- Zahlungs- und Rechnungsdaten\n",
                "- Auftrags- und Kaufhistorie\n",
                "- Gerätekennungen (IT-Inventar)\n",
                # Odoo and NinjaOne as processors, SCCs for the transfer
                "| Odoo S.A. | Auftragsverarbeiter (Art. 28 DSGVO) | ERP: Angebote, Aufträge, Rechnungen, "
                "Zahlungsstatus | Belgien | innerhalb der EU/des EWR |",
                "| NinjaOne, LLC | Auftragsverarbeiter (Art. 28 DSGVO) | Fernwartung und Monitoring (RMM) | "
                "Vereinigte Staaten | EU-Standardvertragsklauseln (SCCs, Art. 46 Abs. 2 lit. c DSGVO) (vom 2021-06-04) |",
                "- NinjaOne, LLC (Vereinigte Staaten): EU-Standardvertragsklauseln (SCCs, Art. 46 Abs. 2 lit. c DSGVO) "
                "vom 2021-06-04",
                "Eine Kopie der Garantien erhalten Sie über die oben genannten Kontaktdaten.",
                # contract and billing records for the statutory periods, support data as needed
                "- **Buchungsbelege einschließlich Rechnungen:** 8 Jahre ab dem Ende des Kalenderjahres, in dem der "
                "Datensatz entstanden ist",
                "- **Handelsbücher, Inventare, Jahresabschlüsse, Lageberichte:** 10 Jahre ab dem Ende des "
                "Kalenderjahres, in dem der Datensatz entstanden ist",
                "- **Unterlagen zu erbrachten Dienstleistungen:** 7 Jahre nach der Entstehung des Datensatzes",
                # certain details are required for the contract
                "- **Angebote, Aufträge und Rechnungsstellung:** Die Daten sind für Abschluss und Erfüllung des "
                "Vertrags erforderlich (etwa Firmenname, Rechnungsanschrift, Ansprechpersonen)",
            ],
        )
        == []
    )


def test_notice_without_transfers_says_so(installed: Actor) -> None:
    assert "We do not transfer personal data to countries outside the EU/EEA." in _notice(
        installed, "business_contact", "en"
    )


def test_records_of_processing_contain_every_article_30_item(like_seed_004: Actor) -> None:
    document = ropa_document(register_snapshot(actor=like_seed_004), lang="de", fmt="md")
    assert isinstance(document, str)
    workspace = like_seed_004.workspace
    assert document.startswith("# Verzeichnis von Verarbeitungstätigkeiten\n")
    assert (
        _missing(
            document,
            [
                # (a) controller, DPO, representative
                "## Name und Kontaktdaten des Verantwortlichen (Art. 30 Abs. 1 lit. a DSGVO)",
                f"**Verantwortlicher:** {workspace.name}, Musterstraße 1, 10115 Berlin, Deutschland",
                "**Datenschutzbeauftragte(r):** Dana Datenschutz; E-Mail: privacy@example.com",
                "**Vertreter in der Union:** Entfällt",
                # (b) purposes
                "- **Zweck (Art. 30 Abs. 1 lit. b DSGVO):** Erstellung von Angeboten, Abwicklung von Aufträgen",
                # (c) categories of data subjects and data
                "- **Kategorien betroffener Personen (Art. 30 Abs. 1 lit. c DSGVO):** Mitarbeitende, die dieses "
                "System nutzen",
                "- **Kategorien betroffener Personen (Art. 30 Abs. 1 lit. c DSGVO):** Ansprechpersonen bei unseren "
                "Kunden, Personen, deren Daten uns unsere Kunden anvertrauen",
                "- **Kategorien personenbezogener Daten (Art. 30 Abs. 1 lit. c DSGVO):**",
                # (d) recipients
                "- **Kategorien von Empfängern (Art. 30 Abs. 1 lit. d DSGVO):** Anbieter von Fernwartungs- und "
                "Monitoring-Software (RMM) als Auftragsverarbeiter.; NinjaOne, LLC – Auftragsverarbeiter "
                "(Art. 28 DSGVO) – Fernwartung und Monitoring (RMM) (Vereinigte Staaten)",
                # (e) transfers with safeguards
                "- **Übermittlungen in Drittländer (Art. 30 Abs. 1 lit. e DSGVO):** NinjaOne, LLC (Vereinigte "
                "Staaten): EU-Standardvertragsklauseln (SCCs, Art. 46 Abs. 2 lit. c DSGVO) vom 2021-06-04",
                # (f) time limits for erasure
                "- **Speicherdauer (Art. 30 Abs. 1 lit. f DSGVO):** Buchungsbelege einschließlich Rechnungen: 8 Jahre "
                "ab dem Ende des Kalenderjahres, in dem der Datensatz entstanden ist (Grundlage: § 257 Abs. 1 Nr. 4, "
                "Abs. 4 HGB;",
                # (g) security measures
                "## Technische und organisatorische Sicherheitsmaßnahmen (Art. 30 Abs. 1 lit. g DSGVO)",
                "- **Zugriffskontrolle:**",
                "- **Verschlüsselte Übertragung:**",
            ],
        )
        == []
    )
    assert document.count("- **Zweck (Art. 30 Abs. 1 lit. b DSGVO):**") == 13  # with the recording of calls


def test_html_documents_are_escaped_and_in_the_language(like_seed_004: Actor) -> None:
    snapshot = register_snapshot(actor=like_seed_004)
    html = notice_document(snapshot, subject="client_contact", lang="en", fmt="html")
    assert isinstance(html, str)
    assert '<html lang="en">' in html
    assert "<h1>Privacy notice for Contacts at our clients</h1>" in html
    assert "<td>NinjaOne, LLC</td>" in html
    ropa = ropa_document(snapshot, lang="en", fmt="html")
    assert "<h1>Records of processing activities</h1>" in ropa


@pytest.mark.parametrize("lang", ["de", "en"])
def test_pdf_documents_are_real_pdfs(like_seed_004: Actor, lang: str) -> None:
    snapshot = register_snapshot(actor=like_seed_004)
    for document in (
        ropa_document(snapshot, lang=lang, fmt="pdf"),
        notice_document(snapshot, subject="client_contact", lang=lang, fmt="pdf"),
    ):
        assert isinstance(document, bytes)
        assert document.startswith(b"%PDF-")
        assert document.rstrip().endswith(b"%%EOF")
        assert len(document) > 10_000


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"subject": "client_contact", "lang": "fr"}, "Unknown language 'fr'"),
        ({"subject": "suppliers", "lang": "de"}, "Unknown data-subject group 'suppliers'"),
        ({"subject": "client_contact", "lang": "de", "fmt": "docx"}, "Unknown format 'docx'"),
    ],
)
def test_documents_refuse_what_they_cannot_make(
    installed: Actor, arguments: dict[str, str], message: str
) -> None:
    with pytest.raises(DocumentError, match=message):
        notice_document(register_snapshot(actor=installed), **arguments)


def test_fixed_texts_fall_back_to_the_written_german() -> None:
    assert text("ropa_title", "de") == "Verzeichnis von Verarbeitungstätigkeiten"
    assert text("notice_title", "de") == "Datenschutzhinweise"
    assert text("notice_title", "en") == "Privacy notice"
