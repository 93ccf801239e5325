"""``zweck privacy hold place|release|list`` and ``zweck dsr lift-restriction|decide-objection``:
the commands act as the workspace's system actor, print one line per record and turn every
refusal into an error at the option it is about, writing nothing."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.crm.models import Person
from zweck.crm.tests.factories import make_deal, make_person
from zweck.privacy.dsr import dsr_link_persons, dsr_open, dsr_restrict, dsr_verify, objection_record
from zweck.privacy.models import DataSubjectRequest, RecordHold
from zweck.privacy.request_models import ObjectionScope, RequestChannel, RequestKind

pytestmark = pytest.mark.django_db
CLAIM = "Legal claim of the customer"


def run(owner: Actor, *arguments: str) -> str:
    out = StringIO()
    call_command(*arguments, "--workspace", owner.workspace.slug, stdout=out)
    return out.getvalue()


def _written() -> tuple[Any, ...]:
    return (
        list(RecordHold.objects.order_by("pk").values()),
        AuditEvent.objects.count(),
        list(DataSubjectRequest.objects.order_by("pk").values_list("status", "decision")),
        list(Person.objects.order_by("pk").values_list("restricted_at", flat=True)),
    )


def _refusal(owner: Actor, *arguments: str) -> str:
    before = _written()
    with pytest.raises(CommandError) as refused:
        run(owner, *arguments)
    assert _written() == before
    return str(refused.value)


def test_placing_a_hold_prints_it_and_audits_the_system_actor(owner: Actor) -> None:
    deal = make_deal(owner)
    until = (timezone.localdate() + timedelta(days=400)).isoformat()

    output = run(owner, "privacy", "hold", "place", "--type", "deal", "--id", str(deal.pk),
                 "--until", until, "--reason", CLAIM)  # fmt: skip

    hold = RecordHold.objects.get()
    assert output == f"{hold.pk}\tdeal\t{deal.pk}\t{until}\tactive\t{CLAIM}\n"
    assert (hold.object_type, hold.object_id, hold.ends_on.isoformat()) == ("crm.deal", deal.pk, until)
    event = AuditEvent.objects.get(action="hold.place")
    assert (event.actor_id, event.object_id) == (None, str(hold.pk))


def test_bad_hold_input_is_refused_at_its_options(owner: Actor) -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()

    refusal = _refusal(owner, "privacy", "hold", "place", "--type", "invoice", "--id", "1",
                       "--until", yesterday, "--reason", " ")  # fmt: skip
    unknown = _refusal(owner, "privacy", "hold", "place", "--type", "person", "--id", "999999",
                       "--until", "2999-01-01", "--reason", CLAIM)  # fmt: skip
    malformed = _refusal(owner, "privacy", "hold", "place", "--type", "person", "--id", "1",
                         "--until", "31.12.2030", "--reason", CLAIM)  # fmt: skip

    assert refusal.splitlines() == [
        "--type: Choose one of: person, activity, deal.",
        "--reason: Give the legal reason for the hold.",
        "--until: The end of the hold cannot lie in the past.",
    ]
    assert unknown == "--id: Unknown id 999999."
    assert malformed == "--until: Enter a date (YYYY-MM-DD)."


def test_the_list_shows_active_holds_unless_asked_for_more(owner: Actor) -> None:
    person = make_person(owner, first_name="Lara", last_name="Lang")
    until = (timezone.localdate() + timedelta(days=30)).isoformat()
    run(owner, "privacy", "hold", "place", "--type", "person", "--id", str(person.pk),
        "--until", until, "--reason", "Open tax assessment")  # fmt: skip
    first = RecordHold.objects.get()
    run(owner, "privacy", "hold", "place", "--type", "crm.Person", "--id", str(person.pk),
        "--until", until, "--reason", CLAIM)  # fmt: skip
    second = RecordHold.objects.exclude(pk=first.pk).get()

    released = run(owner, "privacy", "hold", "release", str(first.pk), "--reason", "Assessment closed")

    assert released == f"{first.pk}\tperson\t{person.pk}\t{until}\tended\tOpen tax assessment\n"
    assert run(owner, "privacy", "hold", "list").splitlines() == [
        f"{second.pk}\tperson\t{person.pk}\t{until}\tactive\t{CLAIM}"
    ]
    assert [
        line.split("\t")[0] for line in run(owner, "privacy", "hold", "list", "--state", "ended").splitlines()
    ] == [str(first.pk)]
    assert len(run(owner, "privacy", "hold", "list", "--state", "all").splitlines()) == 2
    assert Person.objects.filter(pk=person.pk).exists()


def test_releasing_needs_a_hold_of_the_workspace_that_has_not_ended(owner: Actor, stranger: Actor) -> None:
    deal = make_deal(owner)
    run(owner, "privacy", "hold", "place", "--type", "deal", "--id", str(deal.pk),
        "--until", "2999-12-31", "--reason", CLAIM)  # fmt: skip
    hold = RecordHold.objects.get()
    run(owner, "privacy", "hold", "release", str(hold.pk), "--reason", "Settled")

    again = _refusal(owner, "privacy", "hold", "release", str(hold.pk), "--reason", "Settled again")
    foreign = _refusal(stranger, "privacy", "hold", "release", str(hold.pk), "--reason", "Settled")
    missing = _refusal(owner, "privacy", "hold", "release", str(hold.pk + 1), "--reason", " ")

    assert again == f"This hold already ended on {timezone.localdate().isoformat()}."
    assert foreign == f"No hold #{hold.pk} in this workspace."
    assert missing == f"No hold #{hold.pk + 1} in this workspace."


def test_with_several_workspaces_the_workspace_must_be_named(owner: Actor, stranger: Actor) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("privacy", "hold", "list", stdout=StringIO())
    assert str(refused.value) == "Name an existing workspace with --workspace."


def _request(owner: Actor, kind: str, person: Person, **details: Any) -> DataSubjectRequest:
    request = dsr_open(
        actor=owner, kind=kind, channel=RequestChannel.LETTER, requester_name="Lara", **details
    )
    dsr_verify(actor=owner, request=request)
    dsr_link_persons(actor=owner, request=request, person_ids=[person.pk])
    return request


def test_lifting_a_restriction_from_the_command_line(owner: Actor) -> None:
    person = make_person(owner, first_name="Lara", last_name="Lang")
    request = _request(owner, RequestKind.RESTRICTION, person)
    dsr_restrict(actor=owner, request=request)

    blank = _refusal(owner, "dsr", "lift-restriction", str(request.pk), "--reason", " ")
    output = run(owner, "dsr", "lift-restriction", str(request.pk), "--reason", "Accurate after all")
    again = _refusal(owner, "dsr", "lift-restriction", str(request.pk), "--reason", "Once more")
    unknown = _refusal(owner, "dsr", "lift-restriction", str(request.pk + 1), "--reason", "x")

    assert blank == "--reason: Give the reasons for lifting the restriction."
    assert output == f"{request.pk}\tcompleted\tgranted\trestricted records: 0\n"
    assert Person.objects.get(pk=person.pk).restricted_at is None
    assert AuditEvent.objects.filter(action="person.restriction_lift", actor=None).count() == 1
    assert again == "None of the request's person records is restricted."
    assert unknown == f"No request #{request.pk + 1} in this workspace."


@pytest.mark.parametrize(
    ("decision", "status", "recorded", "restricted"),
    [("upheld", "completed", "granted", 1), ("rejected", "rejected", "refused", 0)],
)
def test_deciding_an_objection_from_the_command_line(
    owner: Actor, decision: str, status: str, recorded: str, restricted: int
) -> None:
    person = make_person(owner, first_name="Olaf", last_name="Widerspruch")
    request = _request(
        owner, RequestKind.OBJECTION, person, objection_scope=ObjectionScope.LEGITIMATE_INTEREST
    )
    objection_record(actor=owner, request=request)

    blank = _refusal(
        owner, "dsr", "decide-objection", str(request.pk), "--decision", decision, "--reason", ""
    )
    output = run(owner, "dsr", "decide-objection", str(request.pk), "--decision", decision,
                 "--reason", "Weighed the interests")  # fmt: skip

    assert blank == "--reason: Give the reasons for the decision."
    assert output == f"{request.pk}\t{status}\t{recorded}\trestricted records: {restricted}\n"
    assert DataSubjectRequest.objects.get(pk=request.pk).decision_reason == "Weighed the interests"
    with pytest.raises(CommandError, match="invalid choice: 'maybe'"):
        run(owner, "dsr", "decide-objection", str(request.pk), "--decision", "maybe", "--reason", "x")
