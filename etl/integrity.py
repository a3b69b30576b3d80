"""Checking that a store file is the one its manifest names: inside the store, size, SHA-256.

Readers trust the store only as far as the manifest vouches for it. :func:`verify` resolves a
manifest path inside the store (an absolute path, ``..`` or a link that leads out is refused),
compares the file's size with the size recorded (cheap; manifests written before sizes were
recorded skip this step) and then its SHA-256. A file that passed is remembered by its path,
its digest, the manifest's ``built`` stamp and what ``stat`` says of it (size, modification
time, inode), so each file is hashed once per process and build; a rewrite of the file or a new
build checks it again. Failures raise :class:`DamagedFileError`, which :mod:`etl.schema` turns into
its ``StoreError`` with the command that repairs the store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path, PurePosixPath
from typing import Final

from etl.files import sha256_file

MEMO_SIZE: Final = 1024
"""How many verified files a process remembers; older ones are hashed again when read."""

_VERIFIED: OrderedDict[tuple[object, ...], None] = OrderedDict()
_LOCK: Final = threading.Lock()


class DamagedFileError(Exception):
    """A manifest entry that does not match the store: outside it, missing, or altered.

    Attributes
    ----------
    path
        The path as the manifest records it.
    reason
        What is wrong, in words (``"size 120 bytes, the manifest says 4,096"``).
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def inside(store: Path, rel: str) -> Path:
    """Return the file a manifest path names, refusing a path that leaves the store.

    Raises
    ------
    DamagedFileError
        For an empty or absolute path, a ``..`` part, or one that resolves (through links)
        outside the store directory.
    """
    parts = PurePosixPath(rel).parts
    if not rel or PurePosixPath(rel).is_absolute() or "\\" in rel or ".." in parts:
        raise DamagedFileError(rel, "the manifest names a path outside the store")
    root = Path(store).resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or path == root:
        raise DamagedFileError(rel, "the manifest names a path outside the store")
    return path


def verify(
    store: Path, rel: str, *, sha256: str, size: int | None, built: str, memo: bool = True
) -> Path:
    """Check one manifest entry against the file it names and return the file's path.

    Parameters
    ----------
    store
        The store directory.
    rel
        The entry's path, relative to the store.
    sha256, size
        What the manifest records; ``size=None`` (older manifests) skips the size check.
    built
        The manifest's ``built`` stamp: a new build verifies its files again.
    memo
        Whether a file already verified in this process (unchanged since) is trusted;
        ``False`` hashes it anyway (``python -m etl status``).

    Raises
    ------
    DamagedFileError
        When the path leaves the store, the file is missing, or its size or SHA-256 differ.
    """
    path = inside(store, rel)
    try:
        st = path.stat()
    except OSError:
        raise DamagedFileError(rel, "the file is missing") from None
    if not path.is_file():
        raise DamagedFileError(rel, "not a regular file")
    key = (str(path), sha256, built, st.st_size, st.st_mtime_ns, st.st_ino)
    with _LOCK:
        if memo and key in _VERIFIED:
            _VERIFIED.move_to_end(key)
            return path
    if size is not None and st.st_size != size:
        raise DamagedFileError(
            rel, f"{st.st_size:,} bytes, the manifest says {size:,} (truncated?)"
        )
    try:
        digest = sha256_file(path)
    except OSError as exc:
        raise DamagedFileError(rel, f"the file cannot be read ({exc.strerror or exc})") from None
    if digest != sha256:
        raise DamagedFileError(
            rel, f"its SHA-256 is {digest[:12]}…, the manifest says {sha256[:12]}… (altered)"
        )
    with _LOCK:
        _VERIFIED[key] = None
        while len(_VERIFIED) > MEMO_SIZE:
            _VERIFIED.popitem(last=False)
    return path
