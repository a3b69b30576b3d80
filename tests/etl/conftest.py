"""Fixtures of the ETL tests: checksums of a store, and a mirror whose files can be broken."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

Checksums = Callable[[Path], dict[str, str]]


def _checksums(store: Path) -> dict[str, str]:
    return {
        p.relative_to(store).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(store.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


@pytest.fixture(scope="session")
def checksums() -> Checksums:
    """Every file of a store (lock file aside) → its SHA-256: compare before and after."""
    return _checksums


@pytest.fixture
def linked_mirror(shared: Path, tmp_path: Path) -> Path:
    """A mirror directory whose files are links to ../shared, so that a test can replace one
    file (truncate it, change its schema, remove it) without touching ../shared."""
    into = tmp_path / "mirror"
    for src in [*(shared / "cbs").rglob("*.json"), *(shared / "pdok").rglob("*.json")]:
        dst = into / src.relative_to(shared)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.symlink_to(src)
    return into
