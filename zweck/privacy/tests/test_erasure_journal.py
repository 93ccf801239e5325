"""Every erasure's tombstones also reach the journal outside the database once it commits,
never when it rolls back, and hold keyed hashes only."""

from __future__ import annotations

import pytest
from django.db import transaction

from zweck.accounts.actors import Actor
from zweck.crm.tests.factories import make_person
from zweck.privacy.erasure import person_erase
from zweck.privacy.erasure_journal import journal_file, journal_read, journal_restore
from zweck.privacy.models import ErasureTombstone

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_committed_erasure_is_journalled_with_hashes_only(owner: Actor) -> None:
    person = make_person(
        owner, first_name="Jutta", last_name="Journal", email="jutta@example.com", phone="+49 30 1234567"
    )
    person_erase(actor=owner, person_ids=[person.pk])
    entries = journal_read()
    assert {entry.kind for entry in entries} == {"email", "phone"}
    assert {entry.workspace_id for entry in entries} == {owner.workspace_id}
    assert {entry.digest for entry in entries} == set(
        ErasureTombstone.objects.filter(workspace_id=owner.workspace_id).values_list("digest", flat=True)
    )
    text = journal_file().read_text()
    for value in ("jutta", "Journal", "1234567"):
        assert value not in text


def test_a_rolled_back_erasure_leaves_no_line(owner: Actor) -> None:
    person = make_person(owner, email="rollback@example.com")
    with pytest.raises(RuntimeError), transaction.atomic():
        person_erase(actor=owner, person_ids=[person.pk])
        raise RuntimeError("the surrounding work failed")
    assert journal_read() == []


def test_the_journal_writes_back_what_the_database_lost_and_skips_a_torn_line(owner: Actor) -> None:
    person = make_person(owner, email="lost@example.com")
    person_erase(actor=owner, person_ids=[person.pk])
    with journal_file().open("a") as out:
        out.write('{"workspace": 1, "kind": "em')  # a line cut short by a crash
    ErasureTombstone.objects.all().delete()
    assert journal_restore() == 1
    assert journal_restore() == 0
    assert ErasureTombstone.objects.filter(workspace_id=owner.workspace_id).count() == 1
