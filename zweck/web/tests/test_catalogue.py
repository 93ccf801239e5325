"""The German catalogue is complete: every translatable string in the code and the templates
has a German translation that is neither empty nor marked fuzzy.

The check runs ``makemessages`` on a copy of the package, so a string added without a
translation (or never added to the catalogue) fails here, naming it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUE = PACKAGE / "locale" / "de" / "LC_MESSAGES" / "django.po"

_ENTRY = re.compile(r"\n\n(?=#|msgid)")


def _unquote(lines: list[str]) -> str:
    return "".join(line.strip()[1:-1] for line in lines)


def _entries(text: str) -> list[dict[str, object]]:
    """The catalogue's entries (the header and obsolete ones left out) with their flags."""
    entries = []
    for block in _ENTRY.split(text.strip()):
        lines = block.splitlines()
        if any(line.startswith("#~") for line in lines):
            continue
        flags = {flag.strip() for line in lines if line.startswith("#,") for flag in line[2:].split(",")}
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            head = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if head:
                current = head.group(1)
                fields[current] = [head.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        msgid = _unquote(fields.get("msgid", []))
        if not msgid:
            continue
        translations = [_unquote(value) for key, value in fields.items() if key.startswith("msgstr")]
        entries.append({"msgid": msgid, "fuzzy": "fuzzy" in flags, "translations": translations})
    return entries


def _untranslated(path: Path) -> list[str]:
    return [
        str(entry["msgid"])
        for entry in _entries(path.read_text(encoding="utf-8"))
        if entry["fuzzy"] or not all(entry["translations"])  # type: ignore[arg-type]
    ]


def test_the_parser_finds_an_untranslated_entry(tmp_path: Path) -> None:
    sample = tmp_path / "django.po"
    sample.write_text(
        'msgid ""\nmsgstr ""\n"Language: de\\n"\n\n'
        'msgid "Contacts"\nmsgstr "Kontakte"\n\n'
        'msgid "Deals"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Tasks"\nmsgstr "Aufgaben"\n\n'
        '#~ msgid "Gone"\n#~ msgstr ""\n',
        encoding="utf-8",
    )
    assert _untranslated(sample) == ["Deals", "Tasks"]


def test_committed_catalogue_has_no_missing_or_fuzzy_translation() -> None:
    assert _untranslated(CATALOGUE) == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_every_translatable_string_is_in_the_german_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "zweck"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.mo", "tests"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["de"], no_obsolete=True, verbosity=0)
    missing = _untranslated(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")
    assert missing == [], (
        f"{len(missing)} string(s) without a German translation in zweck/locale/de/LC_MESSAGES/django.po: "
        + "; ".join(missing[:20])
    )
