"""Checking and storing the files sent with tickets.

Invariants:
- a file is accepted only up to ``MAX_ATTACHMENT_BYTES`` and only as one of ``ALLOWED_TYPES``,
  judged by its name's extension *and* its first bytes where the type has a signature (a
  program renamed to ``.pdf`` is refused);
- the stored name is derived from the content's hash, never from the name the sender chose,
  so no path or name from outside reaches the file system;
- files are deleted only after the transaction that deleted their rows has committed.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from zweck.service.models.tickets import attachment_storage

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_MESSAGE = 10

_ZIP = (b"PK\x03\x04",)
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
# Extension → (content type, accepted first bytes; empty: plain text, checked for NUL bytes).
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".txt": ("text/plain", ()),
    ".log": ("text/plain", ()),
    ".csv": ("text/csv", ()),
    ".eml": ("message/rfc822", ()),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".doc": ("application/msword", _OLE),
    ".xls": ("application/vnd.ms-excel", _OLE),
    ".zip": ("application/zip", _ZIP),
}


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks, ready to be stored with a ticket."""

    file_name: str
    content_type: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def clean_file_name(name: str) -> str:
    """The last part of ``name``, without control characters, at most 200 characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    cleaned = cleaned.strip().strip(".")
    if len(cleaned) > 200:
        stem, dot, extension = cleaned.rpartition(".")
        cleaned = (stem[: 199 - len(extension)] + dot + extension) if dot else cleaned[:200]
    return cleaned


def attachment_check(*, file_name: str, content: bytes, field: str = "attachments") -> CheckedFile:
    """The file as it will be stored, or ``ValidationError`` on ``field`` saying what is wrong."""
    name = clean_file_name(file_name)
    if not name:
        raise ValidationError({field: _("The file has no name.")})
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            {
                field: _("%(name)s is larger than %(limit)s.")
                % {"name": name, "limit": filesizeformat(MAX_ATTACHMENT_BYTES)}
            }
        )
    if not content:
        raise ValidationError({field: _("%(name)s is empty.") % {"name": name}})
    extension = PurePath(name).suffix.lower()
    allowed = ALLOWED_TYPES.get(extension)
    if allowed is None:
        raise ValidationError(
            {
                field: _("%(name)s: files of this type are not accepted (allowed: %(types)s).")
                % {"name": name, "types": ", ".join(sorted(ext.lstrip(".") for ext in ALLOWED_TYPES))}
            }
        )
    content_type, signatures = allowed
    if signatures:
        matches = any(content.startswith(signature) for signature in signatures)
    else:
        matches = b"\x00" not in content[:8192]
    if not matches:
        raise ValidationError(
            {field: _("%(name)s does not contain what its name says it is.") % {"name": name}}
        )
    return CheckedFile(file_name=name, content_type=content_type, content=content)


def attachment_content(checked: CheckedFile) -> ContentFile[bytes]:
    return ContentFile(checked.content, name=checked.file_name)


def attachment_files_delete(paths: Iterable[str]) -> None:
    """Delete stored files once the current transaction commits (their rows are gone then)."""
    names = [path for path in paths if path]
    if not names:
        return

    def delete() -> None:
        storage = attachment_storage()
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.warning(
                    "Could not delete an attachment file; attachment_files_prune removes it later."
                )

    transaction.on_commit(delete)


def attachment_files_prune() -> int:
    """Delete stored files no attachment row names any more (rows deleted by the retention sweep
    or a workspace's end); how many were deleted."""
    from zweck.service.models import TicketAttachment

    storage = attachment_storage()
    known = set(TicketAttachment.objects.values_list("file", flat=True))
    deleted = 0
    try:
        workspaces, _files = storage.listdir("")
    except FileNotFoundError:
        return 0
    for workspace in workspaces:
        tickets, _files = storage.listdir(workspace)
        for ticket in tickets:
            _dirs, files = storage.listdir(f"{workspace}/{ticket}")
            for name in files:
                path = f"{workspace}/{ticket}/{name}"
                if path not in known:
                    storage.delete(path)
                    deleted += 1
    return deleted
