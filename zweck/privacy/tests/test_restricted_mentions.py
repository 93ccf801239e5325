"""A restricted person's mentions in other people's records are hidden when the records are
used (Art. 18(2) GDPR): through the selectors, the API and the staff pages. The privacy
officer sees them; the hidden text is never written back over the stored one."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zweck.accounts.tests.factories import make_actor
from zweck.api.tests.support import Api, token_for
from zweck.core.permissions import Role
from zweck.crm.models import Activity
from zweck.crm.selectors import activity_get, activity_list
from zweck.crm.services import activity_create, activity_update
from zweck.crm.tests.factories import make_person
from zweck.privacy.restriction import person_restrict, person_restriction_lift
from zweck.web.tests.conftest import client_for

pytestmark = pytest.mark.django_db

BODY = "Frank called. Rita Beispiel (rita@example.com, +49 221 1234567) wants the offer by Friday."
MASKED = "Frank called. […] ([…], […]) wants the offer by Friday."


@pytest.fixture
def scene(owner):  # type: ignore[no-untyped-def]
    rita = make_person(owner, "Rita", "Beispiel", email="rita@example.com", phone="+49 221 1234567")
    frank = make_person(owner, "Frank", "Muster")
    sales = make_actor(Role.SALES, owner.workspace)
    # the salesperson's own activity: they may change it
    activity = activity_create(
        actor=owner,
        kind="call",
        subject="Call with Rita Beispiel",
        body=BODY,
        participants=[frank],
        owner=sales.user,
    )
    person_restrict(actor=owner, person_ids=[rita.pk])
    officer = make_actor(Role.PRIVACY_OFFICER, owner.workspace)
    return owner, sales, officer, rita, activity


def test_sales_reads_the_activity_with_the_restricted_person_masked(scene) -> None:  # type: ignore[no-untyped-def]
    _owner, sales, _officer, _rita, activity = scene
    read = activity_get(actor=sales, activity_id=activity.pk)
    assert read.body == MASKED
    assert read.subject == "Call with […]"
    assert [a.body for a in activity_list(actor=sales)] == [MASKED]


def test_the_privacy_officer_sees_the_mentions(scene) -> None:  # type: ignore[no-untyped-def]
    _owner, _sales, officer, _rita, activity = scene
    assert activity_get(actor=officer, activity_id=activity.pk).body == BODY


def test_the_api_and_the_staff_page_show_the_masked_text(scene) -> None:  # type: ignore[no-untyped-def]
    _owner, sales, _officer, _rita, activity = scene
    answer = Api(token_for(sales)).get(f"/activities/{activity.pk}").json()
    assert answer["body"] == MASKED
    page = client_for(sales).get(f"/app/activities/{activity.pk}/").content.decode()
    assert "rita@example.com" not in page
    assert "Rita Beispiel" not in page


def test_the_masked_text_is_never_written_back(scene) -> None:  # type: ignore[no-untyped-def]
    _owner, sales, _officer, _rita, activity = scene
    read = activity_get(actor=sales, activity_id=activity.pk)
    # other fields can be changed; the stored text stays whole
    activity_update(actor=sales, activity=read, location="Köln")
    assert Activity.objects.get(pk=activity.pk).body == BODY
    with pytest.raises(ValidationError) as refused:
        activity_update(
            actor=sales, activity=activity_get(actor=sales, activity_id=activity.pk), body=MASKED + " Done."
        )
    assert list(refused.value.message_dict) == ["body"]
    assert Activity.objects.get(pk=activity.pk).body == BODY


def test_lifting_the_restriction_shows_the_mentions_again(scene) -> None:  # type: ignore[no-untyped-def]
    owner, sales, _officer, rita, activity = scene
    person_restriction_lift(actor=owner, person_ids=[rita.pk], reason="Accurate after all")
    assert activity_get(actor=sales, activity_id=activity.pk).body == BODY
