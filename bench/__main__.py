"""``python -m bench --out DIR``: every benchmark figure beside its baseline, as
``DIR/bench.json`` and ``DIR/bench.md``.

A fresh store is built from the offline mirror (``../shared``) into a temporary directory
first, so the figures never depend on the state of ``data/store``. The sections run in
order (etl, scoring, map, browser, scale) with progress lines on standard error; a section
that fails is recorded as a failed figure and the exit status is 1. The default run takes
about three and a half minutes on two cores.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from bench import browser, maps, pipeline, report, scale, scoring
from bench.measure import SHARED, Figure

SECTIONS: Final = ("etl", "scoring", "map", "browser", "scale")
YEARS: Final = (2017, 2019, 2022, 2024)
"""Years of the store the map, browser and scale sections run on (every year of the mirror)."""
QUICK_SCORING: Final = ((2024, "wijk"),)
"""``--quick`` scores one year and level (the row-by-row baseline of 2017 buurten alone takes
about 15 s)."""

BASELINES: Final = {
    pipeline.SECTION: pipeline.BASELINE,
    scoring.SECTION: scoring.BASELINE,
    maps.SECTION: maps.BASELINE,
    browser.SECTION: browser.BASELINE,
    scale.SECTION: scale.BASELINE,
}


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure Zicht op Wijken beside its baselines (ETL, scoring, map, browser, "
        "scale) on a fresh store built from the offline mirror; write DIR/bench.json and "
        "DIR/bench.md.",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path("bench-out"),
        help="where bench.json and bench.md go (created; default bench-out)",
    )
    parser.add_argument(
        "--repeat",
        metavar="N",
        type=int,
        help="repetitions per figure; each figure is the median (default 5, --quick 1); "
        "slow baselines run at most 3 times, and the row-by-row scoring of more than "
        "5,000 areas once",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: one repetition, scoring of one year and level only",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=SECTIONS,
        metavar="SECTION",
        help=f"run only these sections, of: {', '.join(SECTIONS)} (default: all); the browser "
        "section needs /usr/bin/chromium and is skipped with a note without it",
    )
    parser.add_argument(
        "--source",
        metavar="DIR",
        type=Path,
        default=SHARED,
        help=f"the offline mirror the store is built from (default {SHARED})",
    )
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def build_store(source: Path, store: Path) -> float:
    """Build a store of :data:`YEARS` from the mirror; return the seconds it took."""
    from etl.build import BuildOptions, build
    from etl.settings import Settings

    start = time.perf_counter()
    build(
        BuildOptions(years=YEARS, source=source, store=store),
        settings=Settings(raw=store.parent / "raw-unused"),
        progress=lambda _: None,
    )
    return time.perf_counter() - start


def progress(text: str) -> None:
    """One progress line on standard error."""
    print(text, file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen sections and write the report; 0 when every section ran."""
    args = parse(argv)
    source: Path = args.source
    if not (source / "cbs").is_dir() or not (source / "pdok").is_dir():
        progress(
            f"error: the offline mirror {source} is absent (it needs cbs/ and pdok/); the "
            "benchmark builds its store from it. Put the mirror beside the checkout as "
            "../shared or pass --source DIR."
        )
        return 2
    repeat = args.repeat or (1 if args.quick else 5)
    chosen = [s for s in SECTIONS if args.only is None or s in args.only]
    load_before = report.machine()["load_average"]
    figures: list[Figure] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="zow-bench-") as tmp:
        store = Path(tmp) / "store"
        progress(f"building a fresh store of {YEARS} from {source} into {store} …")
        built = build_store(source, store)
        progress(f"  store built in {built:.1f} s")
        runners: dict[str, Callable[[], list[Figure]]] = {
            "etl": lambda: pipeline.run(repeat=repeat, source=source),
            "scoring": lambda: scoring.run(
                store, repeat=repeat, cases=QUICK_SCORING if args.quick else scoring.CASES
            ),
            "map": lambda: maps.run(store, repeat=max(repeat, 1 if args.quick else 5)),
            "browser": lambda: browser.run(store, repeat=repeat),
            "scale": lambda: scale.run(store, repeat=repeat),
        }
        for section in chosen:
            progress(f"{section} …")
            start = time.perf_counter()
            try:
                got = runners[section]()
            except Exception as exc:  # a failed section is reported, the others still run
                traceback.print_exc()
                failed = True
                got = [Figure(section, f"{section} section", None, "", note=f"failed: {exc}")]
            figures += got
            progress(f"  {section}: {len(got)} figures in {time.perf_counter() - start:.0f} s")
    info = report.machine()
    info["load_average_start"] = load_before
    info["command"] = "python -m bench " + shlex.join(sys.argv[1:] if argv is None else argv)
    info["store"] = f"built from {source} ({', '.join(map(str, YEARS))}) into a temporary "
    info["store"] += f"directory in {built:.1f} s"
    json_path, md_path = report.write(args.out, figures, info, BASELINES)
    progress(f"wrote {json_path} and {md_path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
