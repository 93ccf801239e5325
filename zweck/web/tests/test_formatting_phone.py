from zweck.web.templatetags.staff import phone


def test_phone_filter_groups_e164_for_reading() -> None:
    assert phone("+493012345678") == "+49 30 12345678"
    assert phone("") == ""
    assert phone("not a number") == "not a number"
