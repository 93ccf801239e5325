"""The pipeline stages page: list, add, rename, reorder and delete stages, with the permission matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from zweck.accounts.actors import Actor
from zweck.audit.models import AuditEvent
from zweck.core.permissions import Permission, Role
from zweck.crm.models import PipelineStage
from zweck.crm.services import pipeline_stage_create
from zweck.crm.tests.factories import make_deal, make_stages
from zweck.web.tests.accessibility import accessibility_problems
from zweck.web.tests.conftest import client_for
from zweck.web.tests.test_activity_edit_views import client_holding

pytestmark = pytest.mark.django_db
P = Permission
MANAGE = frozenset({P.DEAL_VIEW, P.PIPELINE_MANAGE})


@pytest.fixture
def stages(owner: Actor) -> list[PipelineStage]:
    """The default pipeline, with a deal in its first stage."""
    made = make_stages(owner)
    make_deal(owner, title="Rahmenvertrag 2026")
    return made


def pipeline(owner: Actor) -> list[tuple[str, int]]:
    """The workspace's stages as (name, position), in pipeline order."""
    rows = PipelineStage.objects.filter(workspace_id=owner.workspace_id).order_by("position", "pk")
    return list(rows.values_list("name", "position"))


def state(owner: Actor) -> tuple[Any, ...]:
    return (pipeline(owner), AuditEvent.objects.count())


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    status: int
    data: tuple[tuple[str, str], ...] = ()
    audit: str = ""
    # The stage it addresses: the last one, which holds no deals.
    addressed: bool = True

    def send(self, client: Client, stages: list[PipelineStage]) -> Any:
        url = self.path.format(stage=stages[-1].pk)
        if self.method == "GET":
            return client.get(url)
        return client.post(url, dict(self.data))


CALLS = [
    Call("GET", "/app/pipeline/", 200, addressed=False),
    Call("GET", "/app/pipeline/new/", 200, addressed=False),
    Call(
        "POST",
        "/app/pipeline/new/",
        302,
        (("name", "Vertrag"), ("default_probability", "90")),
        "pipelinestage.create",
        addressed=False,
    ),
    Call("GET", "/app/pipeline/{stage}/edit/", 200),
    Call(
        "POST",
        "/app/pipeline/{stage}/edit/",
        302,
        (("name", "Verhandlung"), ("default_probability", "75")),
        "pipelinestage.update",
    ),
    Call("POST", "/app/pipeline/{stage}/move/", 302, (("direction", "up"),), "pipelinestage.update"),
    Call("GET", "/app/pipeline/{stage}/delete/", 200),
    Call("POST", "/app/pipeline/{stage}/delete/", 302, audit="pipelinestage.delete"),
]
by_call = pytest.mark.parametrize("call", CALLS, ids=[f"{c.method} {c.path}" for c in CALLS])


@by_call
def test_anonymous_visitors_are_sent_to_log_in(call: Call, owner: Actor, stages: list[PipelineStage]) -> None:
    before = state(owner)

    response = call.send(Client(), stages)

    assert response.status_code == 302
    assert response["Location"].startswith("/app/login/?next=")
    assert state(owner) == before


@by_call
def test_another_workspace_gets_404_or_its_own_pipeline(
    call: Call, owner: Actor, stages: list[PipelineStage], stranger: Actor
) -> None:
    before = state(owner)

    response = call.send(client_for(stranger), stages)

    assert response.status_code == (404 if call.addressed else call.status)
    assert pipeline(owner) == before[0]


CASES = [(call, missing) for call in CALLS for missing in sorted(MANAGE)]


@pytest.mark.parametrize(
    ("call", "missing"), CASES, ids=[f"{c.method} {c.path} without {m}" for c, m in CASES]
)
def test_a_member_without_the_permission_is_refused(
    call: Call,
    missing: Permission,
    owner: Actor,
    stages: list[PipelineStage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = client_holding(owner, MANAGE - {missing}, monkeypatch)
    before = state(owner)

    response = call.send(client, stages)

    assert response.status_code == 403
    assert state(owner) == before


@by_call
def test_a_member_with_the_permission_succeeds(
    call: Call, owner: Actor, stages: list[PipelineStage], monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_holding(owner, MANAGE, monkeypatch)
    before = state(owner)

    response = call.send(client, stages)

    assert response.status_code == call.status
    if call.audit:
        assert pipeline(owner) != before[0]
        assert AuditEvent.objects.filter(action=call.audit).exists()


def test_the_board_links_to_the_stages_only_for_those_who_manage_them(
    owner: Actor, stages: list[PipelineStage], actor_with_role: Any
) -> None:
    seller = actor_with_role(Role.SALES)

    assert 'href="/app/pipeline/"' in client_for(owner).get("/app/deals/board/").content.decode()
    assert 'href="/app/pipeline/"' not in client_for(seller).get("/app/deals/board/").content.decode()
    assert client_for(seller).get("/app/pipeline/").status_code == 403


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_page_lists_the_stages_in_order_and_is_accessible(
    language: str, owner: Actor, stages: list[PipelineStage]
) -> None:
    client = client_for(owner)
    client.cookies["django_language"] = language

    response = client.get("/app/pipeline/")

    page = response.content.decode()
    names = ["Lead", "Qualified", "Proposal", "Negotiation"]
    if language == "de":
        names = ["Lead", "Qualifiziert", "Angebot", "Verhandlung"]
    positions = [page.index(f'<th scope="row">{name}') for name in names]
    assert positions == sorted(positions)
    assert [stage.deal_count for stage in response.context["stages"]] == [1, 0, 0, 0]
    assert accessibility_problems(page) == []


def test_adding_a_stage_appends_it(owner: Actor, stages: list[PipelineStage]) -> None:
    response = client_for(owner).post("/app/pipeline/new/", {"name": "Vertrag", "default_probability": "90"})

    assert response.status_code == 302
    assert response["Location"] == "/app/pipeline/"
    assert pipeline(owner)[-1] == ("Vertrag", 4)
    assert PipelineStage.objects.get(name="Vertrag").default_probability == 90


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"name": "Qualified", "default_probability": "20"},
            {"name": ["The pipeline already has a stage of this name."]},
        ),
        ({"name": "", "default_probability": "20"}, {"name": ["This field is required."]}),
        (
            {"name": "Vertrag", "default_probability": "120"},
            {"default_probability": ["Ensure this value is less than or equal to 100."]},
        ),
    ],
)
def test_bad_input_for_a_new_stage_is_shown_at_its_field(
    data: dict[str, str], errors: dict[str, list[str]], owner: Actor, stages: list[PipelineStage]
) -> None:
    before = state(owner)

    response = client_for(owner).post("/app/pipeline/new/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert state(owner) == before


def test_renaming_to_a_taken_name_is_refused(owner: Actor, stages: list[PipelineStage]) -> None:
    before = state(owner)

    response = client_for(owner).post(
        f"/app/pipeline/{stages[1].pk}/edit/", {"name": "Proposal", "default_probability": "25"}
    )

    assert response.context["form"].errors == {"name": ["The pipeline already has a stage of this name."]}
    assert state(owner) == before


def test_renaming_a_stage(owner: Actor, stages: list[PipelineStage]) -> None:
    response = client_for(owner).post(
        f"/app/pipeline/{stages[1].pk}/edit/", {"name": "Bedarf geklärt", "default_probability": "30"}
    )

    stage = PipelineStage.objects.get(pk=stages[1].pk)
    assert response.status_code == 302
    assert (stage.name, stage.default_probability, stage.position) == ("Bedarf geklärt", 30, 1)
    assert AuditEvent.objects.get(action="pipelinestage.update").changed_fields == [
        "default_probability",
        "name",
    ]


def test_moving_stages_up_and_down(owner: Actor, stages: list[PipelineStage]) -> None:
    client = client_for(owner)

    client.post(f"/app/pipeline/{stages[2].pk}/move/", {"direction": "up"})
    assert [name for name, _ in pipeline(owner)] == ["Lead", "Proposal", "Qualified", "Negotiation"]

    client.post(f"/app/pipeline/{stages[0].pk}/move/", {"direction": "down"})
    assert pipeline(owner) == [("Proposal", 0), ("Lead", 1), ("Qualified", 2), ("Negotiation", 3)]
    events = AuditEvent.objects.filter(action="pipelinestage.update")
    assert sorted(int(event.object_id) for event in events) == sorted(
        [stages[2].pk, stages[1].pk, stages[0].pk, stages[2].pk]
    )


def test_moving_the_first_stage_up_changes_nothing(owner: Actor, stages: list[PipelineStage]) -> None:
    before = state(owner)

    response = client_for(owner).post(f"/app/pipeline/{stages[0].pk}/move/", {"direction": "up"})

    assert response.status_code == 302
    assert state(owner) == before


def test_moving_renumbers_stages_that_shared_a_position(owner: Actor, stages: list[PipelineStage]) -> None:
    PipelineStage.objects.filter(workspace_id=owner.workspace_id).update(position=0)
    added = pipeline_stage_create(actor=owner, name="Vertrag")

    client_for(owner).post(f"/app/pipeline/{added.pk}/move/", {"direction": "up"})

    assert pipeline(owner) == [
        ("Lead", 0),
        ("Qualified", 1),
        ("Proposal", 2),
        ("Vertrag", 3),
        ("Negotiation", 4),
    ]


def test_deleting_a_stage_that_holds_deals_is_refused_with_a_message(
    owner: Actor, stages: list[PipelineStage]
) -> None:
    client = client_for(owner)
    before = state(owner)

    response = client.post(f"/app/pipeline/{stages[0].pk}/delete/", follow=True)

    assert response.redirect_chain == [("/app/pipeline/", 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "The stage Lead still holds deals; move them to another stage first."
    ]
    assert state(owner) == before


def test_deleting_an_empty_stage(owner: Actor, stages: list[PipelineStage]) -> None:
    response = client_for(owner).post(f"/app/pipeline/{stages[2].pk}/delete/")

    assert response.status_code == 302
    assert [name for name, _ in pipeline(owner)] == ["Lead", "Qualified", "Negotiation"]
    event = AuditEvent.objects.get(action="pipelinestage.delete")
    assert event.object_id == str(stages[2].pk)
