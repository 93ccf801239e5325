from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zweck.accounts.actors import Actor
from zweck.accounts.models import Workspace
from zweck.privacy.defaults import DOCUMENT_SUBJECTS
from zweck.privacy.documents import DocumentError, ropa_document
from zweck.privacy.fides import fides_yaml
from zweck.privacy.labels import LANGUAGES
from zweck.privacy.notice_versions import published_notice
from zweck.privacy.selectors import register_coverage, register_snapshot, workspace_by_slug
from zweck.privacy.services import register_defaults_install


def _add_workspace(parser: Any) -> None:
    parser.add_argument(
        "--workspace", default=None, help=gettext_noop("The workspace's short name (default: the only one).")
    )


class Command(BaseCommand):
    help = gettext_noop(
        "The privacy register: records of processing, privacy notices, Fides export, coverage."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        for name, help_text in (
            ("ropa", gettext_noop("Records of processing activities (Art. 30 GDPR).")),
            ("notice", gettext_noop("The privacy notice for one group of data subjects (Art. 13/14 GDPR).")),
        ):
            document = commands.add_parser(name, help=help_text)
            _add_workspace(document)
            document.add_argument("--lang", choices=LANGUAGES, default="de")
            document.add_argument("--format", choices=("html", "md", "pdf"), default="md")
            document.add_argument(
                "--output", "-o", type=Path, default=None, help=gettext_noop("Write to this file.")
            )
            if name == "notice":
                document.add_argument("--subject", choices=DOCUMENT_SUBJECTS, required=True)
        fides = commands.add_parser("fides", help=gettext_noop("Fides dataset and system manifest (YAML)."))
        _add_workspace(fides)
        fides.add_argument(
            "--output", "-o", type=Path, default=None, help=gettext_noop("Write to this file.")
        )
        _add_workspace(
            commands.add_parser("coverage", help=gettext_noop("What the register covers, and every gap."))
        )
        _add_workspace(
            commands.add_parser(
                "install-defaults", help=gettext_noop("Copy the shipped defaults into the workspace.")
            )
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            workspace = workspace_by_slug(slug=options["workspace"])
        except Workspace.DoesNotExist as error:
            raise CommandError(_("Name an existing workspace with --workspace.")) from error
        # The command runs as the workspace's own machinery (operator access to the server).
        actor = Actor.system(workspace)
        action = options["action"]
        if action == "install-defaults":
            installed = register_defaults_install(actor=actor)
            created = (
                len(installed.retention_rules) + len(installed.activities) + len(installed.security_measures)
            )
            self.stdout.write(_("%(count)d register rows created.") % {"count": created})
        elif action == "coverage":
            self._coverage(actor)
        elif action == "fides":
            self._emit(fides_yaml(register_snapshot(actor=actor)), options["output"])
        else:
            snapshot = register_snapshot(actor=actor)
            try:
                if action == "ropa":
                    document = ropa_document(snapshot, lang=options["lang"], fmt=options["format"])
                else:
                    document = published_notice(
                        snapshot, subject=options["subject"], lang=options["lang"], fmt=options["format"]
                    )
            except DocumentError as error:
                raise CommandError(str(error)) from error
            self._emit(document, options["output"])

    def _emit(self, document: str | bytes, output: Path | None) -> None:
        if output is not None:
            if isinstance(document, bytes):
                output.write_bytes(document)
            else:
                output.write_text(document, encoding="utf-8")
            self.stderr.write(_("Written to %(path)s.") % {"path": output})
        elif isinstance(document, bytes):
            sys.stdout.buffer.write(document)
        else:
            self.stdout.write(document, ending="")

    def _coverage(self, actor: Actor) -> None:
        coverage = register_coverage(actor=actor)
        for category in coverage.fields_by_category:
            self.stdout.write(f"{category.category} ({category.name}): {len(category.fields)}")
        for title, problems in (
            (_("Undeclared fields"), coverage.undeclared_fields),
            (_("Processing without a legal basis"), coverage.processing_without_legal_basis),
            (_("Personal data without a retention rule"), coverage.personal_data_without_retention),
            (_("Recipients outside the EU/EEA without a safeguard"), coverage.transfers_without_safeguard),
        ):
            self.stdout.write(f"{title}: {len(problems) or _('none')}")
            for problem in problems:
                self.stdout.write(f"  - {problem}")
        if not coverage.is_complete:
            raise CommandError(_("The register has gaps."))
