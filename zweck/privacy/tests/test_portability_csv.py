"""The portability CSV is a spreadsheet file: no cell in it runs as a formula."""

from __future__ import annotations

import csv
import io

import pytest

from zweck.accounts.actors import Actor
from zweck.core import spreadsheet
from zweck.crm.choices import SubjectCategory
from zweck.crm.tests.factories import make_person
from zweck.privacy.exports import portability_export

pytestmark = pytest.mark.django_db


def test_the_portability_csv_escapes_a_formula_the_subject_typed(installed: Actor, owner: Actor) -> None:
    # given a contact whose name a spreadsheet would run
    person = make_person(
        owner,
        first_name='=HYPERLINK("http://x.invalid")',
        last_name="-Minus",
        subject_category=SubjectCategory.CLIENT_DATA_SUBJECT,
    )
    # when their portability export is written as CSV
    content = portability_export(workspace=installed.workspace, person_ids=[person.pk], fmt="csv")
    # then no cell starts a formula, and each escaped cell reads back as written
    cells = [value for record in csv.reader(io.StringIO(content.decode())) for value in record]
    assert '\'=HYPERLINK("http://x.invalid")' in cells
    assert "'-Minus" in cells
    assert not [value for value in cells if value.startswith(spreadsheet.FORMULA_STARTS)]
    assert {spreadsheet.restore(value) for value in cells} >= {'=HYPERLINK("http://x.invalid")', "-Minus"}
