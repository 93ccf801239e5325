"""Backups sealed with a key the operator holds: AES-256-GCM in chunks.

A sealed file is the magic ``ZWECKBK1``, a random 7-byte nonce prefix, then the plaintext in
chunks of 1 MiB, each encrypted and authenticated on its own with the nonce
``prefix || chunk number (4 bytes) || last-chunk flag (1 byte)`` and the header as associated
data. Reordered, dropped, appended or altered chunks and a file cut short all fail to open
(the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár), and no file of any size
is ever held in memory whole.

The key is 32 random bytes, kept base64-encoded in a file of its own (``zweck backup
--new-key FILE``), never next to the backups it opens.
"""

from __future__ import annotations

import base64
import os
import struct
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext as _

MAGIC = b"ZWECKBK1"
PREFIX_BYTES = 7
CHUNK = 1024 * 1024
TAG = 16


class SealError(Exception):
    """The file is not a sealed backup, or not one this key opens."""


def key_new(path: Path) -> None:
    """Write a new random key to ``path`` (refusing to overwrite one), readable by its owner only."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(base64.b64encode(AESGCM.generate_key(bit_length=256)).decode("ascii") + "\n")


def key_read(path: Path) -> bytes:
    try:
        key = base64.b64decode(path.read_text(encoding="ascii").strip(), validate=True)
    except (OSError, ValueError) as error:
        raise SealError(_("%(path)s does not hold a backup key.") % {"path": path}) from error
    if len(key) != 32:
        raise SealError(_("%(path)s does not hold a 256-bit backup key.") % {"path": path})
    return key


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, 1 if last else 0)


def is_sealed(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def seal(source: BinaryIO, target: BinaryIO, key: bytes) -> None:
    cipher = AESGCM(key)
    prefix = os.urandom(PREFIX_BYTES)
    header = MAGIC + prefix
    target.write(header)
    number = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        target.write(cipher.encrypt(_nonce(prefix, number, last), chunk, header))
        if last:
            return
        number, chunk = number + 1, following


def unseal(source: BinaryIO, target: BinaryIO, key: bytes) -> None:
    cipher = AESGCM(key)
    header = source.read(len(MAGIC) + PREFIX_BYTES)
    if len(header) != len(MAGIC) + PREFIX_BYTES or not header.startswith(MAGIC):
        raise SealError(_("This file is not a sealed Zweck backup."))
    prefix = header[len(MAGIC) :]
    number = 0
    block = source.read(CHUNK + TAG)
    while True:
        following = source.read(CHUNK + TAG)
        last = not following
        try:
            target.write(cipher.decrypt(_nonce(prefix, number, last), block, header))
        except InvalidTag as error:
            raise SealError(
                _("The backup does not open with this key, or it was altered or cut short.")
            ) from error
        if last:
            return
        number, block = number + 1, following
