"""Command line of the ETL: ``python -m etl build`` and ``python -m etl status``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl import schema
from etl.build import FOCUS_DEFINITION, BuildOptions, build
from etl.errors import EtlError
from etl.registry import KWB_TABLES, UnknownYearError
from etl.settings import Settings

_YEARS = ", ".join(f"{y} ({t})" for y, t in KWB_TABLES.items())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="Build the Zicht op Wijken store from CBS statistics and PDOK boundaries.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="fetch, harmonise and store KWB years",
        description=(
            "Fetch CBS Kerncijfers Wijken en Buurten, police-registered crime (47018NED, every "
            "year) and RIVM health per wijk and buurt (50090NED) through cbsodata, each from "
            "its own CBS catalog, and PDOK boundaries through WFS (or read them from a mirror "
            "directory), harmonise them and write GeoParquet files and manifest.json to the "
            "store. The store changes only when every step succeeded; years already in the "
            f"store and not named here are kept. Known years: {_YEARS}. Values a table "
            "declares impossible (a negative count, a share above 100 %, infinity) end the "
            "build; unusual values CBS itself publishes are stored with a warning. A file of "
            "the store that fails its checksum is written again. Service URLs, timeouts, "
            "deadlines and retries come from ZICHT_CBS_URL, ZICHT_DATADERDEN_URL, "
            "ZICHT_PDOK_URL, ZICHT_TIMEOUT, ZICHT_DEADLINE (one request), ZICHT_TABLE_DEADLINE "
            "(one table), ZICHT_RETRIES, ZICHT_BACKOFF and ZICHT_BACKOFF_MAX."
        ),
    )
    b.add_argument(
        "--years",
        type=int,
        nargs="+",
        required=True,
        metavar="YEAR",
        help="KWB years to build, e.g. --years 2022 2024",
    )
    b.add_argument(
        "--source",
        type=Path,
        metavar="DIR",
        help=(
            "read a directory in the mirror layout (cbs/<TABLE>/<Subtable>.json, "
            "pdok/gebiedsindelingen/<YEAR>/<layer>.json) instead of the live services, "
            "e.g. ../shared or data/raw; default: live"
        ),
    )
    b.add_argument(
        "--store",
        metavar="DIR",
        help=schema.STORE_HELP,
    )
    b.add_argument(
        "--raw",
        type=Path,
        metavar="DIR",
        help="where live answers are cached in the mirror layout (default: $ZICHT_RAW or data/raw)",
    )
    b.add_argument(
        "--geometry-fallback",
        type=int,
        metavar="YEAR",
        help=(
            "for a year without boundaries of its own, attach the boundaries of YEAR and "
            "report the codes that do not match (default: store such years without a map)"
        ),
    )
    b.add_argument(
        "--no-crime",
        action="store_true",
        help="skip the sources beside KWB: police crime (47018NED) and RIVM health (50090NED)",
    )
    b.add_argument(
        "--focus",
        type=Path,
        default=FOCUS_DEFINITION,
        metavar="FILE",
        help="focus-area definition CSV (default: data/focusgebieden.csv of this project)",
    )
    b.add_argument("--quiet", action="store_true", help="print only warnings and errors")
    s = sub.add_parser(
        "status",
        help="show what the store holds and check every file against the manifest",
        description=(
            "Show what the store holds and where it came from, and check every file against "
            "the manifest (inside the store, size, SHA-256). Exit status: 0 every file is "
            "intact, 1 a file is damaged (rebuild its year to repair it), 2 the manifest "
            "cannot be read."
        ),
    )
    s.add_argument(
        "--store",
        metavar="DIR",
        help=schema.STORE_HELP,
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    store = schema.store_dir(args.store)
    if args.command == "status":
        return _status(store)
    settings = Settings.from_env()
    if args.raw is not None:
        settings = settings.with_(raw=args.raw)

    def progress(line: str) -> None:
        if not args.quiet or "warning" in line:
            print(line, file=sys.stderr, flush=True)

    try:
        build(
            BuildOptions(
                years=tuple(args.years),
                source=args.source,
                store=store,
                geometry_fallback=args.geometry_fallback,
                crime=not args.no_crime,
                focus=args.focus,
            ),
            settings=settings,
            progress=progress,
        )
    except (EtlError, UnknownYearError, schema.StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("The store was left as it was.", file=sys.stderr)
        return 2
    except OSError as exc:  # a full disk (ENOSPC), a file-size limit (EFBIG), permissions
        where = f" ({exc.filename})" if exc.filename else ""
        print(
            f"error: writing the store {store} failed{where}: {exc.strerror or exc}. Free "
            "disk space, raise the file-size limit (ulimit -f) or choose another --store, "
            "then build again.",
            file=sys.stderr,
        )
        print("The store was left as it was.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; the store was left as it was.", file=sys.stderr)
        return 130
    return 0


def _status(store: Path) -> int:
    """Print what the store holds and check every file: 0 all intact, 1 a file is damaged,
    2 the manifest cannot be read."""
    try:
        manifest = schema.read_manifest(store)
    except schema.StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"store {store} built {manifest.built}")
    for y in manifest.years:
        geo = y.geometry_year if y.geometry_year is not None else "none"
        print(f"  {y.jaar}: {y.table} {y.title!r}, boundaries: {geo}")
        for w in y.warnings:
            print(f"    warning: {w}")
    damaged = 0
    for f in manifest.files:
        try:
            schema.verified_path(store, f, built=manifest.built, memo=False)
        except schema.StoreError as exc:
            damaged += 1
            print(f"  {f.path}: DAMAGED", flush=True)
            print(f"error: {exc}", file=sys.stderr)
            continue
        print(f"  {f.path}: {f.rows:,} rows, sha256 {f.sha256[:12]}, intact")
    if damaged:
        print(
            f"{damaged} of {len(manifest.files)} files are damaged; `python -m etl build` "
            "with the years named above repairs them.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
