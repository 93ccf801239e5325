"""A workspace larger than one page of the download and one batch of the deletion: the ZIP is
written page by page as it streams, holds every row once, and the deletion in many batches
leaves nothing of it and every row of the workspace beside it."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from zweck.accounts.actors import Actor
from zweck.accounts.tests.factories import make_actor
from zweck.cli.seed import seed_generate
from zweck.core.permissions import Role
from zweck.privacy.offboarding import workspace_contract_set, workspace_offboard
from zweck.privacy.workspace_data import PAGE_SIZE, workspace_data_sets, workspace_export_chunks

pytestmark = pytest.mark.django_db(transaction=True)

ANCHOR = date(2026, 6, 1)
PERSONS = PAGE_SIZE + 500


def _counts(workspace_id: int) -> dict[str, int]:
    return {data_set.label: data_set.rows(workspace_id).count() for data_set in workspace_data_sets()}


def test_a_large_workspace_streams_out_and_goes_in_batches(owner: Actor) -> None:
    # given a workspace with more persons than a page holds, and another one beside it
    seed_generate(workspace=owner.workspace, persons=PERSONS, activities_per_person=2, anchor=ANCHOR)
    neighbour = make_actor(Role.OWNER)
    seed_generate(workspace=neighbour.workspace, persons=300, activities_per_person=2, anchor=ANCHOR)
    neighbour_before = _counts(neighbour.workspace_id)
    rows = _counts(owner.workspace_id)
    assert rows["crm.Person"] == PERSONS

    # when the workspace is downloaded
    chunks = list(workspace_export_chunks(workspace=owner.workspace, lang="de"))

    # then it came in many pieces, each data set's file holds every row once
    assert len(chunks) > len([label for label, count in rows.items() if count])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    manifest = json.loads(archive.read("manifest.json"))
    persons = [json.loads(line) for line in archive.read("data/crm.person.jsonl").splitlines()]
    assert len({person["id"] for person in persons}) == PERSONS
    activities = archive.read("data/crm.activity.jsonl").count(b"\n")
    assert activities == rows["crm.Activity"]
    assert {entry["data_set"]: entry["rows"] for entry in manifest["data_sets"]}["crm.Person"] == PERSONS

    # when it is deleted, 1,000 rows a statement
    workspace = workspace_contract_set(
        workspace=owner.workspace, ends_on=date(2026, 1, 1), today=date(2025, 12, 1)
    )
    rows = _counts(owner.workspace_id)
    tombstone = workspace_offboard(workspace=workspace, today=date(2026, 2, 1), batch_size=1000)

    # then nothing of it is left, every row counted, and the neighbour is whole
    assert set(_counts(owner.workspace_id).values()) == {0}
    assert tombstone.rows_deleted == {label: count for label, count in rows.items() if count}
    assert _counts(neighbour.workspace_id) == neighbour_before
