"""The register is the truth: every field of every installed model must be declared."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from zweck.core.register import (
    NOT_PERSONAL,
    Erasure,
    Personal,
    Register,
    RegisterError,
    register,
)
from zweck.crm.models import Person


def test_every_field_of_every_model_is_declared() -> None:
    missing = register.undeclared_fields(apps.get_models(include_auto_created=True))
    assert missing == [], "Undeclared fields — say what each one is:\n" + "\n".join(missing)


def test_undeclared_field_is_reported_with_model_field_and_file() -> None:
    # given a register that knows Person without its notes field
    declaration = register.get(Person)
    assert declaration is not None
    partial = Register()
    partial.declare(Person, fields={k: v for k, v in declaration.fields.items() if k != "notes"})
    # when completeness is checked
    missing = partial.undeclared_fields([Person])
    # then the message names model, field and the file to edit
    assert missing == ["crm.Person.notes (declare it in zweck/crm/privacy.py)"]


def test_unknown_data_category_is_refused_naming_the_declaration() -> None:
    with pytest.raises(RegisterError, match=r"crm.Person.first_name: 'user.name.given' is not a fideslang"):
        Register().declare(Person, fields={"first_name": Personal("user.name.given")})


def test_declaring_a_field_the_model_lacks_is_refused() -> None:
    with pytest.raises(
        RegisterError, match=r"crm.Person.nickname is declared but the model has no such field"
    ):
        Register().declare(Person, fields={"nickname": NOT_PERSONAL})


def test_new_model_without_declaration_fails_completeness() -> None:
    class Unregistered(models.Model):
        secret = models.CharField(max_length=10)

        class Meta:
            app_label = "crm"
            managed = False

    missing = register.undeclared_fields([Unregistered])
    assert missing == [
        "crm.Unregistered.id (declare it in zweck/crm/privacy.py)",
        "crm.Unregistered.secret (declare it in zweck/crm/privacy.py)",
    ]


def test_every_declared_activity_and_retention_rule_is_a_shipped_default() -> None:
    problems = [problem for declaration in register for problem in declaration.reference_errors()]
    assert problems == []


def test_an_unknown_activity_is_refused_naming_the_declaration() -> None:
    with pytest.raises(
        RegisterError,
        match=r"crm.Person: processing activity 'cold_calling' is not a shipped default "
        r"\(add it to zweck/privacy/defaults.py\)",
    ):
        Register().declare(Person, fields={}, activities=("contact_management", "cold_calling"))


def test_an_unknown_retention_rule_is_refused_naming_the_declaration() -> None:
    with pytest.raises(RegisterError, match=r"crm.Person: retention rule 'forever' is not a shipped default"):
        Register().declare(Person, fields={}, retention="forever")


def test_every_data_category_in_use_has_written_names_in_both_languages() -> None:
    from zweck.privacy.defaults import ACTIVITY_PRESETS
    from zweck.privacy.labels import DATA_CATEGORY_NAMES

    in_use = {
        personal.category for declaration in register for personal in declaration.personal_fields().values()
    }
    in_use |= {key for preset in ACTIVITY_PRESETS.values() for key in preset.data_categories}
    assert sorted(in_use - set(DATA_CATEGORY_NAMES)) == []


def test_staff_references_in_contact_rows_are_not_the_contacts_data() -> None:
    declaration = register.get(Person)
    assert declaration is not None
    assert "owner" in declaration.personal_fields()
    assert sorted(set(declaration.personal_fields()) - set(declaration.subject_fields())) == [
        "created_by",
        "owner",
        "updated_by",
    ]


def test_rows_under_a_statutory_period_are_held_on_erasure_never_anonymized_or_deleted() -> None:
    # Art. 17(3)(b) GDPR: a statutory retention period keeps the row (restricted, deleted when
    # the period ends); only a hold says so to the erasure.
    from zweck.privacy.defaults import RETENTION_PRESETS

    wrong = [
        f"{declaration.label} ({declaration.retention}: {declaration.erasure})"
        for declaration in register
        if declaration.subject is not None
        and declaration.retention is not None
        and RETENTION_PRESETS[declaration.retention].statutory
        and (declaration.erasure is not Erasure.HOLD or not declaration.hold_reason)
    ]
    assert wrong == []
