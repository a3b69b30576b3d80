"""File conventions every part of the project shares: atomic writes, checksums, timestamps.

Writes go to a temporary file in the target's directory and are moved into place with
``os.replace``, so a reader sees the old file or the new one, never part of one, and a
failed write leaves the old file untouched. ``layers`` (exports) may import this module.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, with the permissions of an ordinary new file.

    Raises
    ------
    OSError
        When the directory is missing or not writable; ``path`` is then untouched.
    """
    tmp = _staged(path, data)
    try:
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _staged(path: Path, data: bytes) -> Path:
    """Write ``data`` in full to a temporary file beside ``path``; return the temporary file."""
    directory = path.parent if str(path.parent) else Path()
    fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, ordinary_mode())  # not mkstemp's 0600
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def atomic_write_files(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files as one: either every file is the new one, or none is.

    Every file is first written in full to a temporary file beside its target (a full disk
    or a file-size limit fails here, before any target changes); then the targets are moved
    into place. Should a move fail, the targets already moved get their old content back
    (or are removed if they were new).

    Raises
    ------
    OSError
        When a file cannot be written; no target is changed.
    ValueError
        When two entries name the same file.
    """
    targets = [Path(path).resolve() for path, _ in files]
    if len(set(targets)) != len(targets):
        raise ValueError(f"Two of the files to write are the same file: {targets}.")
    staged: list[Path] = []
    backups: list[tuple[Path, Path | None]] = []  # target, its old content (None: was new)
    try:
        for target, (_, data) in zip(targets, files, strict=True):
            staged.append(_staged(target, data))
        for target, tmp in zip(targets, staged, strict=True):
            old: Path | None = None
            if target.exists():
                old = target.with_name(f".{target.name}.{os.getpid()}.old.tmp")
                old.unlink(missing_ok=True)
                os.link(target, old)
            backups.append((target, old))
            tmp.replace(target)
    except BaseException:
        for target, old in reversed(backups):
            if old is not None:
                old.replace(target)
            else:
                target.unlink(missing_ok=True)
        raise
    finally:
        for tmp in staged:
            tmp.unlink(missing_ok=True)
        for _, old in backups:
            if old is not None:
                old.unlink(missing_ok=True)


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
