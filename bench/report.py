"""Writing benchmark results: ``bench.json`` (every figure with its baseline, the machine
and what each baseline is) and ``bench.md`` (the same as Markdown tables, one per section,
each under a sentence saying what its baseline is)."""

from __future__ import annotations

import json
import math
import os
import platform
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.measure import Figure


def machine() -> dict[str, Any]:
    """What the figures ran on."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    try:
        load = [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except (OSError, ValueError):
        load = []
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "date": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "load_average": load,
    }


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit in {"B", "bytes"}:
        if abs(value) >= 1024 * 1024:
            return f"{value / 1024 / 1024:,.2f} MiB"
        if abs(value) >= 10 * 1024:
            return f"{value / 1024:,.0f} KiB"
        return f"{value:,.0f} B"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def _load(info: dict[str, Any]) -> str:
    """How busy the machine was (other work on a shared machine skews times)."""
    end = info.get("load_average") or []
    start = info.get("load_average_start") or []
    if not end:
        return "."
    text = f"; load average (1 min) {end[0]:.1f} at the end"
    return text + (f", {start[0]:.1f} at the start." if start else ".")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(
    figures: Sequence[Figure],
    info: dict[str, Any],
    baselines: Mapping[str, str] | None = None,
) -> str:
    """Render the figures as Markdown: what ran where, then one table per section, each
    under a sentence saying what its baseline is.

    Parameters
    ----------
    info
        :func:`machine` plus optional ``command`` and ``store`` (how the run was made).
    baselines
        Section → what its baseline is.
    """
    baselines = baselines or {}
    lines = [
        f"Measured {info['date']} on {info['cpu']} ({info['cores']} cores, "
        f"{info['memory_gib']} GiB), Python {info['python']}, {info['system']}"
        + _load(info)
        + (f" Command: `{info['command']}`." if info.get("command") else "")
        + (f" Store: {info['store']}." if info.get("store") else ""),
        "",
        "Ratio = baseline ÷ value (above 1: better than the baseline, in time or bytes); "
        "times are medians of the repetitions shown; – = no baseline applies.",
    ]
    sections = list(dict.fromkeys(f.section for f in figures))
    for section in sections:
        lines += ["", f"### {section}", ""]
        if section in baselines:
            lines += [f"Baseline: {baselines[section]}.", ""]
        lines += [
            "| figure | value | baseline | ratio | baseline is | reps |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for f in (f for f in figures if f.section == section):
            ratio = "–" if f.ratio is None else f"{f.ratio:,.1f}×"
            value = "not measured" if f.value is None else _fmt(f.value, f.unit)
            note = f" ({f.note})" if f.note else ""
            lines.append(
                f"| {_cell(f.name + note)} | {value} | {_fmt(f.baseline, f.unit)} | {ratio} | "
                f"{_cell(f.baseline_name or '–')} | {f.repeats} |"
            )
    return "\n".join(lines) + "\n"


def _plain(value: Any) -> Any:
    """JSON data with NaN and infinities as ``null`` (strict JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def write(
    out: Path,
    figures: Sequence[Figure],
    info: dict[str, Any],
    baselines: Mapping[str, str] | None = None,
) -> tuple[Path, Path]:
    """Write ``bench.json`` and ``bench.md`` into ``out`` (created when missing)."""
    out.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": info,
        "baselines": dict(baselines or {}),
        "figures": [f.to_json() for f in figures],
    }
    data = _plain(data)
    json_path, md_path = out / "bench.json", out / "bench.md"
    text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False)
    json_path.write_text(text + "\n", encoding="utf-8")
    md_path.write_text(markdown(figures, info, baselines), encoding="utf-8")
    return json_path, md_path
