"""Downloads of the current view: its rows as CSV (plain or for Dutch Excel) and a codebook.

Each page registers an *exporter* for its path (:func:`exporter`): a function from the path
and the :class:`~dashboard.urls.ViewState` to an :class:`Export` (the score rows shown, the
year, level and scoring configuration). :func:`payload` turns it into what ``dcc.Download``
sends, through :mod:`layers.export` (column order, formula-injection-safe CSV, codebook
with every parameter and the data vintage from the store's manifest).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import dcc

from dashboard import data
from dashboard.urls import ViewState
from layers.config import ScoringConfig
from layers.export import codebook_name, data_name, to_csv

FORMATS = ("csv", "excel", "codebook")
"""What the download buttons ask for."""


@dataclass(frozen=True)
class Export:
    """The data of one view.

    Attributes
    ----------
    frame
        Score rows of the composed view (:func:`layers.view.score_view` or
        ``score_view_groups`` output, or both concatenated), indexed by code.
    jaar, niveau
        The year and level whose vintage the codebook records.
    config
        The scoring configuration used.
    name
        The file name stem, e.g. ``zicht-op-wijken_wijk_2022``.
    """

    frame: pd.DataFrame
    jaar: int
    niveau: str
    config: ScoringConfig
    name: str


Exporter = Callable[[str, ViewState], Export | None]

EXPORTERS: list[tuple[re.Pattern[str], Exporter]] = []
"""(path pattern, exporter), tried in order."""


def exporter(pattern: str) -> Callable[[Exporter], Exporter]:
    """Register the exporter of the pages whose path fully matches ``pattern``."""
    compiled = re.compile(pattern)

    def register(func: Exporter) -> Exporter:
        EXPORTERS[:] = [(p, f) for p, f in EXPORTERS if p.pattern != pattern]
        EXPORTERS.append((compiled, func))
        return func

    return register


def export_for(path: str, view: ViewState) -> Export | None:
    """The export of the view at ``path``, or ``None`` when the page shows no data."""
    for pattern, func in EXPORTERS:
        if pattern.fullmatch(path or "/"):
            return func(path, view)
    return None


def safe_name(text: str) -> str:
    """A file-name-safe version of a text (letters, digits, ``-`` and ``_``)."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-")[:80] or "export"


def file_stem(export: Export) -> str:
    """The file name stem of an export: its name, plus ``_whatif-<digest>`` when it was
    scored with other parameters than the default (so a what-if download never takes the
    name of the default one, and two different what-ifs differ)."""
    default = ScoringConfig().for_niveau(export.niveau)
    if export.config == default:
        return export.name
    spec = json.dumps(export.config.to_dict(), sort_keys=True).encode()
    return f"{export.name}_whatif-{hashlib.sha256(spec).hexdigest()[:8]}"


def content(export: Export, fmt: str) -> tuple[bytes, str]:
    """The bytes and file name of one download format of an export."""
    made = data.export_bundle(export.frame, export.jaar, export.niveau, export.config)
    stem = file_stem(export)
    if fmt == "codebook":
        return to_csv(made.codebook), codebook_name(data_name(stem))
    excel = fmt == "excel"
    return to_csv(made.data, excel=excel), data_name(stem, excel=excel)


def payload(export: Export, fmt: str) -> dict[str, Any]:
    """What ``dcc.Download`` needs to send one format of an export."""
    body, filename = content(export, fmt)
    sent: dict[str, Any] = dcc.express.send_bytes(body, filename, type="text/csv")
    return sent
