"""File conventions every part of the project shares: atomic writes, checksums, timestamps.

Writes go to a temporary file in the target's directory and are moved into place with
``os.replace``, so a reader sees the old file or the new one, never part of one, and a
failed write leaves the old file untouched. ``layers`` (exports) may import this module.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, with the permissions of an ordinary new file.

    Raises
    ------
    OSError
        When the directory is missing or not writable; ``path`` is then untouched.
    """
    directory = path.parent if str(path.parent) else Path()
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, ordinary_mode())  # not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ordinary_mode() -> int:
    """Return the permissions of an ordinary new file under the current umask (``0644``
    under the usual ``022``), for files first created by :func:`tempfile.mkstemp` (``0600``)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def utc_now() -> str:
    """Return the current time as ISO 8601 in UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def utc_timestamp(seconds: float) -> str:
    """Return a POSIX timestamp (e.g. a file's mtime) as ISO 8601 in UTC, to the second."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")
