"""Shared fixtures: the offline mirror in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The offline mirror of CBS and PDOK answers beside the checkout."""
    if not (SHARED / "cbs").is_dir():
        pytest.skip(f"the offline mirror {SHARED} is absent; these tests read real CBS data")
    return SHARED
