"""What the privacy officer and the data subject read: the erasure plan in plain words (staff
pages, API, command line) with its confirmation, and the access export as a document."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from html import unescape
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.accounts.services import token_create
from zweck.audit.models import AuditEvent, AuditEventSubject
from zweck.crm.choices import ActivityKind
from zweck.crm.models import Person, SearchPosting
from zweck.crm.services import activity_create, deal_update
from zweck.crm.tests.factories import make_deal, make_person
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_verify
from zweck.privacy.erasure import erasure_plan
from zweck.privacy.erasure_words import PlanInWords, plan_in_words
from zweck.privacy.exports import access_export
from zweck.privacy.models import DataSubjectRequest
from zweck.privacy.request_models import RequestChannel, RequestKind
from zweck.web.tests.conftest import client_for

EMAIL = "anna.beispiel@example.com"
BERLIN = ZoneInfo("Europe/Berlin")
WORKSHOP_AT = datetime(2026, 3, 2, 14, 30, tzinfo=BERLIN)
TODAY = date(2026, 12, 2)


@dataclass
class Scene:
    anna: Person
    request: DataSubjectRequest
    officer: Actor


@pytest.fixture
def scene(installed: Actor, owner: Actor) -> Scene:
    """Anna with an email address and a phone number, a workshop she shares with Ben, a call
    of her own, a deal, a note of Ben's that names her, and her erasure request."""
    anna = make_person(owner, first_name="Anna", last_name="Beispiel", email=EMAIL, phone="+49 30 1234567")
    ben = make_person(owner, first_name="Ben", last_name="Anders", email="ben.anders@example.com")
    activity_create(
        actor=owner,
        kind=ActivityKind.MEETING,
        subject="Workshop",
        body="Anna and Ben agreed on the plan.",
        starts_at=WORKSHOP_AT,
        participants=[anna, ben],
    )
    activity_create(actor=owner, kind=ActivityKind.CALL, subject="Call with Anna", participants=[anna])
    activity_create(
        actor=owner,
        kind=ActivityKind.NOTE,
        subject="Note",
        body=f"Ben says Anna Beispiel ({EMAIL}) will join.",
        participants=[ben],
    )
    deal = make_deal(owner, title="Framework contract")
    deal_update(actor=owner, deal=deal, contacts=[anna])
    request = dsr_open(
        actor=installed,
        kind=RequestKind.ERASURE,
        channel=RequestChannel.LETTER,
        received_at=datetime(2026, 11, 30, 9, 15, tzinfo=BERLIN),
    )
    dsr_verify(actor=installed, request=request)
    dsr_link_persons(actor=installed, request=request, person_ids=[anna.pk])
    return Scene(anna=anna, request=request, officer=installed)


def _words(scene: Scene, lang: str) -> PlanInWords:
    plan = erasure_plan(actor=scene.officer, person_ids=[scene.anna.pk], today=TODAY)
    return plan_in_words(plan, lang)


def _table(words: PlanInWords) -> list[tuple[str, list[tuple[str, str, str]]]]:
    return [
        (section.heading, [(item.record, item.action_text, item.reason) for item in section.items])
        for section in words.sections
    ]


# Activities and deals are relationship records (the register's business_relationship rule).
RELATIONSHIP_EN = (
    "Contact and relationship data: 3 years from the end of the calendar year in which the business "
    "relationship ended; The regular limitation period for claims, §§ 195, 199(1) BGB; kept for legal "
    "claims, Art. 17(3)(e) GDPR"
)
RELATIONSHIP_DE = (
    "Kontakt- und Beziehungsdaten: 3 Jahre ab dem Ende des Kalenderjahres, in dem die Geschäftsbeziehung "
    "geendet hat; Die regelmäßige Verjährungsfrist, §§ 195, 199 Abs. 1 BGB; Aufbewahrung für "
    "Rechtsansprüche, Art. 17 Abs. 3 lit. e DSGVO"
)


def _kept_until(lang: str) -> str:
    """The end of the request's hold: three years from the end of the year it was recorded in."""
    year = timezone.localdate().year + 3
    return f"31.12.{year}" if lang == "de" else f"31 Dec {year}"


def test_the_plan_reads_record_by_record_in_english(scene: Scene) -> None:
    words = _words(scene, "en")
    until = _kept_until("en")
    anonymized = (
        f"The record itself is still needed ({RELATIONSHIP_EN}); only this person's details are removed."
    )
    assert _table(words) == [
        ("Person", [("Anna Beispiel", "Delete", "Nothing requires keeping it.")]),
        ("Email address", [(f"{EMAIL} (Work)", "Delete", "Nothing requires keeping it.")]),
        ("Phone number", [("+49 30 1234567 (Work)", "Delete", "Nothing requires keeping it.")]),
        (
            "Activities",
            [
                (
                    "Meeting: Workshop, 2 Mar 2026, 14:30",
                    "Remove only this person's link; replace mentions of them in subject and description",
                    "Shared with other people: only this person's link is removed.",
                ),
                (
                    "Call: Call with Anna",
                    "Anonymize: subject, description, starts at, ends at and location emptied",
                    anonymized,
                ),
            ],
        ),
        (
            "Deal",
            [("Framework contract (Open)", "Anonymize: title and reason won or lost emptied", anonymized)],
        ),
        (
            "Data-subject request",
            [
                (
                    "Erasure (Art. 17 GDPR), 30 Nov 2026, 09:15",
                    f"Keep until {until}, restricted meanwhile; requester's organization emptied; requester's "
                    "name and what the subject asks for replaced with “[erased]”; requester's email address and "
                    "requester's phone number replaced with a keyed hash; mentions of this person replaced in "
                    "reasons for the decision",
                    "Proof that the request was answered (Art. 5(2), Art. 12 GDPR; Art. 17(3)(b), (e) GDPR). "
                    "Retention rule: Audit and security logs: 3 years from the end of the calendar year in "
                    "which the record arose; Accountability, Art. 5(2) GDPR; regular limitation period for "
                    "claims, §§ 195, 199(1) BGB. With it: Request actions (3), treated the same way.",
                )
            ],
        ),
    ]
    assert [(item.record, item.action_text, item.reason) for item in words.mentions] == [
        (
            "Activity: Note: Note",
            "Replace mentions of this person in description",
            "Another record that names this person in its text: only the mentions are replaced.",
        )
    ]
    assert words.overview == [
        "Records deleted: 3",
        "Records anonymized: 2",
        "Shared records from which only this person is removed: 1",
        "Other records in which mentions of this person are replaced: 1",
        f"Records kept, restricted, until their hold ends: 1 (the last on {until})",
        "Derived data (such as the search index) is deleted with the records.",
        "This cannot be undone.",
    ]


def test_the_plan_reads_record_by_record_in_german(scene: Scene) -> None:
    words = _words(scene, "de")
    until = _kept_until("de")
    anonymized = f"Der Datensatz selbst wird noch benötigt ({RELATIONSHIP_DE}); nur die Angaben zu dieser Person werden entfernt."
    assert _table(words) == [
        ("Person", [("Anna Beispiel", "Löschen", "Nichts verpflichtet zur Aufbewahrung.")]),
        ("E-Mail-Adresse", [(f"{EMAIL} (Geschäftlich)", "Löschen", "Nichts verpflichtet zur Aufbewahrung.")]),
        (
            "Telefonnummer",
            [("+49 30 1234567 (Geschäftlich)", "Löschen", "Nichts verpflichtet zur Aufbewahrung.")],
        ),
        (
            "Aktivitäten",
            [
                (
                    "Termin: Workshop, 02.03.2026, 14:30",
                    "Nur die Verknüpfung mit dieser Person entfernen; Erwähnungen in Betreff und Beschreibung ersetzen",
                    "Mit anderen Personen geteilt: Nur die Verknüpfung mit dieser Person wird entfernt.",
                ),
                (
                    "Anruf: Call with Anna",
                    "Anonymisieren: Betreff, Beschreibung, Beginn, Ende und Ort geleert",
                    anonymized,
                ),
            ],
        ),
        (
            "Verkaufschance",
            [
                (
                    "Framework contract (Offen)",
                    "Anonymisieren: Titel und Grund für Gewinn oder Verlust geleert",
                    anonymized,
                )
            ],
        ),
        (
            "Betroffenenanfrage",
            [
                (
                    "Löschung (Art. 17 DSGVO), 30.11.2026, 09:15",
                    f"Aufbewahren bis {until}, bis dahin eingeschränkt; Organisation der anfragenden Person "
                    "geleert; Name der anfragenden Person und Anliegen der betroffenen Person durch „[erased]“ "
                    "ersetzt; E-Mail-Adresse der anfragenden Person und Telefonnummer der anfragenden Person "
                    "durch einen Schlüssel-Hash ersetzt; Erwähnungen dieser Person in Gründe für die "
                    "Entscheidung ersetzt",
                    "Nachweis, dass der Antrag beantwortet wurde (Art. 5 Abs. 2, Art. 12 DSGVO; Art. 17 Abs. 3 "
                    "lit. b, e DSGVO). Aufbewahrungsregel: Audit- und Sicherheitsprotokolle: 3 Jahre ab dem Ende "
                    "des Kalenderjahres, in dem der Datensatz entstanden ist; Rechenschaftspflicht, Art. 5 Abs. 2 "
                    "DSGVO; regelmäßige Verjährungsfrist, §§ 195, 199 Abs. 1 BGB. Dazu: Bearbeitungsschritte (3), "
                    "ebenso behandelt.",
                )
            ],
        ),
    ]
    assert [item.record for item in words.mentions] == ["Aktivität: Notiz: Note"]
    assert words.overview[0] == "Gelöschte Datensätze: 3"
    assert words.overview[-1] == "Dies kann nicht rückgängig gemacht werden."


def test_derived_rows_and_audit_entries_are_summarized_in_one_line_each(scene: Scene) -> None:
    # given Anna's search postings and the audit entries about her
    postings = SearchPosting.objects.filter(person=scene.anna).count()
    audit_entries = AuditEventSubject.objects.filter(subject_id=scene.anna.pk).count()
    assert postings > 1 and audit_entries > 1
    # when the plan is read
    words = _words(scene, "en")
    # then neither is listed, each is one line
    listed = {section.data_set for section in words.sections}
    assert listed.isdisjoint({"crm.searchposting", "audit.auditeventsubject"})
    assert [summary.text for summary in words.summaries] == [
        f"Audit event subjects: {audit_entries}, kept until {_kept_until('en')} at the latest "
        "(they hold record numbers, never values)",
        f"Search words of persons: {postings}, deleted",
    ]


def test_internal_names_never_reach_the_words(scene: Scene) -> None:
    for lang in ("en", "de"):
        text = _words(scene, lang).as_text()
        for internal in ("crm.", "privacy.", "first_name", "starts_at", "business_contact", "_"):
            assert internal not in text, (lang, internal)


# ---------------------------------------------------------------- the access export


def _text(html: bytes) -> str:
    """What a reader sees of ``html``: the text without the style sheet and the tags."""
    page = html.decode()
    page = re.sub(r"<style>.*?</style>", " ", page, flags=re.DOTALL)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def test_the_export_names_fields_in_words_and_writes_dates_per_language(scene: Scene, owner: Actor) -> None:
    english = _text(
        access_export(workspace=owner.workspace, person_ids=[scene.anna.pk], fmt="html", lang="en")
    )
    german = _text(
        access_export(workspace=owner.workspace, person_ids=[scene.anna.pk], fmt="html", lang="de")
    )
    # labels, not column names; choices by their text; yes/no; dates without ISO or microseconds
    assert "First name Anna" in english and "Vorname Anna" in german
    assert "Data-subject category Business contact" in english
    assert "Betroffenenkategorie Geschäftskontakt" in german
    assert "Meeting: Workshop, 2 Mar 2026, 14:30" in english
    assert "Termin: Workshop, 02.03.2026, 14:30" in german
    assert "Starts at 2 Mar 2026, 14:30" in english and "Beginn 02.03.2026, 14:30" in german
    assert "Call recorded no" in english and "Anruf aufgezeichnet nein" in german
    assert "Phone number +49 30 1234567" in english
    for text in (english, german):
        assert not re.search(r"\d{4}-\d{2}-\d{2}T|\d\d:\d\d:\d\d", text)
        for internal in ("first_name", "crm.", "business_contact", "provided_by_subject", "starts_at"):
            assert internal not in text, internal
    # the Art. 15 information comes first, then the data
    assert english.index("Information about the processing of your data (Art. 15 GDPR)") < english.index(
        "Your data"
    )
    assert "Where the data comes from Provided by the person" in english
    assert "Herkunft der Daten Von der Person selbst" in german
    # derived data is left out; the link of the workshop is shown with the workshop
    assert "Search words" not in english and "Participant" not in english


def test_the_json_export_keeps_machine_keys_and_leaves_out_derived_data(scene: Scene, owner: Actor) -> None:
    data = json.loads(
        access_export(workspace=owner.workspace, person_ids=[scene.anna.pk], fmt="json", lang="de")
    )
    by_set = {data_set["data_set"]: data_set for data_set in data["data_sets"]}
    assert "crm.SearchPosting" not in by_set
    assert by_set["crm.Person"]["fields"][:4] == ["created_at", "updated_at", "salutation", "title"]
    assert by_set["crm.Person"]["rows"][0]["first_name"] == "Anna"
    assert by_set["crm.Person"]["rows"][0]["subject_category"] == "business_contact"


def test_the_pdf_renders_within_the_page_width(scene: Scene, owner: Actor) -> None:
    from weasyprint import HTML

    for lang in ("en", "de"):
        pdf = access_export(workspace=owner.workspace, person_ids=[scene.anna.pk], fmt="pdf", lang=lang)
        assert pdf.startswith(b"%PDF-")
        html = access_export(workspace=owner.workspace, person_ids=[scene.anna.pk], fmt="html", lang=lang)
        document = HTML(string=html.decode()).render()
        assert len(document.pages) >= 2
        for page in document.pages:
            right_edge = page.width - page._page_box.margin_right  # type: ignore[attr-defined]
            widest = max(
                box.position_x + box.margin_width()
                for box in page._page_box.descendants()  # type: ignore[attr-defined]
                # the page's own boxes and its margin boxes (footer) span the whole sheet
                if hasattr(box, "margin_width")
                and box is not page._page_box  # type: ignore[attr-defined]
                and not str(box.element_tag).startswith("@")
            )
            assert widest <= right_edge + 1, (lang, widest, right_edge)


# ---------------------------------------------------------------- confirmation


def test_the_staff_page_shows_the_plan_in_the_users_language(scene: Scene) -> None:
    client = client_for(scene.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = _text(client.get(f"/app/privacy/requests/{scene.request.pk}/plan/").content)
    assert f"Löschplan #{scene.request.pk}" in page
    assert "Termin: Workshop, 02.03.2026, 14:30" in page
    assert "Suchwörter von Personen" in page and "Löschung bestätigen" in page
    assert "crm." not in page and "redact_mentions" not in page


def _erasure_state() -> tuple[int, int, int]:
    return (
        Person.objects.count(),
        AuditEvent.objects.count(),
        DataSubjectRequest.objects.filter(status="completed").count(),
    )


def test_the_staff_page_refuses_to_erase_without_the_confirmation(scene: Scene) -> None:
    client = client_for(scene.officer)
    before = _erasure_state()
    refused = client.post(f"/app/privacy/requests/{scene.request.pk}/erase/", {"confirm": ""})
    assert refused.status_code == 400
    assert "Tick the box to confirm that the erasure is to be carried out as planned." in _text(
        refused.content
    )
    assert _erasure_state() == before
    done = client.post(f"/app/privacy/requests/{scene.request.pk}/erase/", {"confirm": "erase"})
    assert done.status_code == 302
    assert not Person.objects.filter(pk=scene.anna.pk).exists()


class _Terminal(StringIO):
    """Answers typed at a terminal."""

    def isatty(self) -> bool:
        return True


def _erase(scene: Scene, *arguments: str, **options: Any) -> str:
    out = StringIO()
    call_command(
        "dsr",
        "erase",
        "--email",
        EMAIL,
        "--workspace",
        scene.officer.workspace.slug,
        *arguments,
        stdout=out,
        **options,
    )
    return out.getvalue()


def test_the_command_line_refuses_without_a_terminal_or_yes(scene: Scene) -> None:
    with pytest.raises(CommandError) as refused:
        _erase(scene, "--language", "en", stdin=StringIO("yes\n"))
    assert str(refused.value) == (
        "Nothing was erased: the erasure needs a confirmation. Run the command in a terminal to confirm it, "
        "or pass --yes."
    )
    assert Person.objects.filter(pk=scene.anna.pk).exists()


def test_the_command_line_asks_and_erases_only_on_yes(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    with pytest.raises(CommandError, match=r"^Es wurde nichts gelöscht\.$"):
        _erase(scene, stdin=_Terminal("nein\n"))
    assert Person.objects.filter(pk=scene.anna.pk).exists()
    shown = _erase(scene, stdin=_Terminal("ja\n"))
    assert shown.startswith("Löschplan\n\nWas die Löschung der Daten dieser Person bewirkt")
    assert "  - Termin: Workshop, 02.03.2026, 14:30\n" in shown
    assert "  - Suchwörter von Personen: " in shown
    assert shown.endswith("Zur Bestätigung „ja“ eingeben: Die Löschung wurde durchgeführt.\n")
    assert not Person.objects.filter(pk=scene.anna.pk).exists()


def test_the_command_line_erases_with_yes_in_the_chosen_language(scene: Scene) -> None:
    shown = _erase(scene, "--yes", "--language", "en")
    assert "  - Meeting: Workshop, 2 Mar 2026, 14:30\n" in shown
    assert shown.endswith("The erasure was carried out.\n")
    assert not Person.objects.filter(pk=scene.anna.pk).exists()


def test_the_api_plan_has_machine_keys_and_words_in_the_asked_language(scene: Scene, client: Client) -> None:
    _, token = token_create(actor=scene.officer, name="plan test")
    answer = client.get(
        f"/api/v1/privacy/requests/{scene.request.pk}/erasure-plan",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "de"},
    ).json()
    assert {"data_set": "crm.person", "id": scene.anna.pk, "action": "delete"}.items() <= answer["rows"][
        0
    ].items()
    readable = answer["readable"]
    assert readable["language"] == "de"
    assert [section["heading"] for section in readable["sections"]] == [
        "Person",
        "E-Mail-Adresse",
        "Telefonnummer",
        "Aktivitäten",
        "Verkaufschance",
        "Betroffenenanfrage",
    ]
    assert readable["sections"][0]["items"][0] == {
        "data_set": "crm.person",
        "row_id": scene.anna.pk,
        "record": "Anna Beispiel",
        "action": "delete",
        "action_text": "Löschen",
        "reason": "Nichts verpflichtet zur Aufbewahrung.",
        "held_until": None,
    }
