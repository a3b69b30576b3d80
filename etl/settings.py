"""Settings of the extract step, read once from the environment into a frozen dataclass.

- ``ZICHT_CBS_URL``: base URL of the CBS OData v3 service (``https://opendata.cbs.nl``)
- ``ZICHT_DATADERDEN_URL``: base URL of CBS's third-party catalog, where the police and RIVM
  publish (``https://dataderden.cbs.nl``)
- ``ZICHT_PDOK_URL``: base URL of PDOK's CBS gebiedsindelingen service
  (``https://service.pdok.nl/cbs/gebiedsindelingen``)
- ``ZICHT_TIMEOUT``: seconds to wait for a connection or a read (60)
- ``ZICHT_DEADLINE``: seconds one request may take in all, however steadily the answer
  trickles in (300)
- ``ZICHT_TABLE_DEADLINE``: seconds all requests of one table or layer may take together (3600)
- ``ZICHT_RETRIES``: attempts after the first for a failing request (4)
- ``ZICHT_BACKOFF``: first wait between attempts in seconds, doubled each time (1)
- ``ZICHT_BACKOFF_MAX``: longest wait between attempts in seconds (30)
- ``ZICHT_RAW``: where live answers are cached, in the mirror layout (``data/raw``)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Where the live services are and how patiently to talk to them."""

    cbs_url: str = "https://opendata.cbs.nl"
    dataderden_url: str = "https://dataderden.cbs.nl"
    pdok_url: str = "https://service.pdok.nl/cbs/gebiedsindelingen"
    timeout: float = 60.0
    deadline: float = 300.0
    table_deadline: float = 3600.0
    retries: int = 4
    backoff: float = 1.0
    backoff_max: float = 30.0
    raw: Path = Path("data") / "raw"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``ZICHT_*`` environment variables (see the module table)."""
        env = os.environ if environ is None else environ
        base = cls()
        try:
            return cls(
                cbs_url=env.get("ZICHT_CBS_URL", base.cbs_url).rstrip("/"),
                dataderden_url=env.get("ZICHT_DATADERDEN_URL", base.dataderden_url).rstrip("/"),
                pdok_url=env.get("ZICHT_PDOK_URL", base.pdok_url).rstrip("/"),
                timeout=float(env.get("ZICHT_TIMEOUT", base.timeout)),
                deadline=float(env.get("ZICHT_DEADLINE", base.deadline)),
                table_deadline=float(env.get("ZICHT_TABLE_DEADLINE", base.table_deadline)),
                retries=int(env.get("ZICHT_RETRIES", base.retries)),
                backoff=float(env.get("ZICHT_BACKOFF", base.backoff)),
                backoff_max=float(env.get("ZICHT_BACKOFF_MAX", base.backoff_max)),
                raw=Path(env.get("ZICHT_RAW", str(base.raw))),
            )
        except ValueError as exc:
            raise ValueError(f"A ZICHT_* setting is not a number: {exc}") from exc

    def catalog_url(self, catalog: str) -> str:
        """Return the base URL of a CBS catalog: ``opendata`` or ``dataderden``."""
        if catalog == "dataderden":
            return self.dataderden_url
        if catalog == "opendata":
            return self.cbs_url
        raise ValueError(f"Unknown CBS catalog {catalog!r}; use opendata or dataderden.")

    def with_(self, **changes: object) -> Settings:
        """Return a copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
