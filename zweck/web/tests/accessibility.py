"""A small accessibility check of rendered HTML: labelled controls, one h1, alt texts, a language.

It reads the markup as a screen reader would meet it; it does not replace testing with one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_UNLABELLED_INPUTS = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class _Control:
    tag: str
    attributes: dict[str, str]
    inside_label: bool


@dataclass
class Findings:
    h1_count: int = 0
    language: str = ""
    images_without_alt: list[str] = field(default_factory=list)
    controls: list[_Control] = field(default_factory=list)
    label_targets: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)

    def problems(self) -> list[str]:
        found = []
        if self.h1_count != 1:
            found.append(f"{self.h1_count} h1 elements instead of one")
        if not self.language:
            found.append("no lang attribute on <html>")
        found.extend(f"image without alt text: {source}" for source in self.images_without_alt)
        for control in self.controls:
            attributes = control.attributes
            labelled = (
                control.inside_label
                or attributes.get("id", "") in self.label_targets
                or attributes.get("aria-label")
                or any(part in self.ids for part in attributes.get("aria-labelledby", "").split())
            )
            if not labelled:
                found.append(f"<{control.tag} name={attributes.get('name')!r}> has no label")
        return found


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.findings = Findings()
        self.label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.findings.ids.add(attributes["id"])
        if tag == "html":
            self.findings.language = attributes.get("lang", "")
        elif tag == "h1":
            self.findings.h1_count += 1
        elif tag == "img" and "alt" not in attributes:
            self.findings.images_without_alt.append(attributes.get("src", ""))
        elif tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.findings.label_targets.add(attributes["for"])
        elif tag in {"select", "textarea"} or (
            tag == "input" and attributes.get("type", "text") not in _UNLABELLED_INPUTS
        ):
            self.findings.controls.append(_Control(tag, attributes, self.label_depth > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.label_depth = max(0, self.label_depth - 1)


def accessibility_problems(markup: str) -> list[str]:
    checker = _Checker()
    checker.feed(markup)
    return checker.findings.problems()
