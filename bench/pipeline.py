"""ETL benchmark: the offline build of 2017, 2022 and 2024 from ``../shared``.

Baseline: a child process that only reads the same inputs (``json.load`` of every CBS
subtable and ``GeoDataFrame.from_features`` of every PDOK layer the build reads): the floor
any pipeline over these files pays. The ratio says how close the build comes to it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.measure import SHARED, Figure, median_child

SECTION = "etl"
BASELINE = (
    "a child process that only reads the same inputs (`json.load` of every CBS subtable and "
    "`GeoDataFrame.from_features` of every PDOK layer the build reads): the floor any "
    "pipeline over these files pays"
)
YEARS = ("2017", "2022", "2024")

_READ_ONLY = """
import json, sys
from pathlib import Path
import geopandas as gpd
root = Path(sys.argv[1])
for table in ("83765NED", "85318NED", "85984NED", "47018NED"):
    for path in (root / "cbs" / table).glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
for path in (root / "pdok" / "gebiedsindelingen").glob("*/*.json"):
    collection = json.loads(path.read_text(encoding="utf-8"))
    gpd.GeoDataFrame.from_features(collection["features"])
"""


def run(*, repeat: int, source: Path = SHARED) -> list[Figure]:
    """Time the build and the read-only baseline, each in fresh child processes."""
    with tempfile.TemporaryDirectory(prefix="zow-bench-store-") as tmp:
        build = ["-m", "etl", "build", "--years", *YEARS, "--source", str(source),
                 "--store", str(Path(tmp) / "store"), "--quiet"]  # fmt: skip
        seconds, peak = median_child(build, repeat=repeat)
    base_seconds, base_peak = median_child(["-c", _READ_ONLY, str(source)], repeat=repeat)
    name = "read the same inputs (json.load + GeoDataFrame.from_features)"
    return [
        Figure(SECTION, "offline build 2017+2022+2024", seconds, "s", base_seconds, name, repeat),
        Figure(SECTION, "offline build peak memory", peak, "MiB", base_peak, name, repeat),
    ]
