"""Command line of the layers: ``python -m layers export``.

Reads one year and niveau from the store (read-only, through :mod:`etl.schema`), composes
its view (each indicator at the latest edition of its own source, :mod:`layers.view`),
scores it with the parameters given, and writes the export and its codebook atomically as a
pair (:func:`etl.files.atomic_write_files`): a reader never sees half a file, and a failed
write leaves neither new file. Outputs inside the store, or data and codebook in one file,
are refused.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from etl import schema
from etl.files import atomic_write_files
from layers.config import MAX_AGE_RANGE, REFERENCES, ScoringConfig
from layers.crime import crime_period
from layers.errors import LayersError
from layers.export import codebook, export_frame, to_csv, vintage
from layers.focus import members, overview
from layers.indicators import SCORED_DOMAINS, carried
from layers.scoring import score_groups
from layers.view import score_view

_DEFAULT = ScoringConfig()
_BUILD = "python -m etl build --years 2022 2024 --source ../shared"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m layers",
        description="Score Dutch areas on the NPLV problem domains and export the results.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    e = sub.add_parser(
        "export",
        help="write indicator values, percentiles, domain scores, stacking and composite",
        description=(
            "Score every area of one KWB year and niveau in the store (or the NPLV focus "
            "areas, with --focusgebieden) and write a CSV with indicator values, percentiles, "
            "domain scores, the stacking count and the composite score, plus a codebook "
            "beside it that describes every column (definition, unit, CBS table and key, "
            "direction) and records the scoring parameters and the data vintage. Text cells "
            "are neutralised against spreadsheet formula injection. Example: python -m "
            "layers export --year 2022 --niveau wijk --out scores.csv"
        ),
    )
    e.add_argument("--year", type=int, required=True, metavar="YEAR", help="KWB year, e.g. 2022")
    e.add_argument(
        "--niveau",
        choices=schema.MAP_NIVEAUS,
        default="wijk",
        help="level of the areas scored (default: wijk)",
    )
    e.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="the CSV to write, e.g. scores.csv"
    )
    e.add_argument(
        "--codebook",
        type=Path,
        metavar="FILE",
        help="where the codebook goes (default: beside --out, e.g. scores.codebook.csv)",
    )
    e.add_argument(
        "--store",
        metavar="DIR",
        help=schema.STORE_HELP,
    )
    e.add_argument(
        "--excel",
        action="store_true",
        help="Excel-friendly CSV: ';' separator, decimal comma, UTF-8 with BOM",
    )
    e.add_argument(
        "--focusgebieden",
        action="store_true",
        help=(
            "export the 20 NPLV focus areas instead of the single areas, each aggregated from "
            "its member areas at --niveau and placed among them"
        ),
    )
    e.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help=(
            "JSON file of scoring parameters (the scoring_config value of an earlier "
            "codebook); the options below override it"
        ),
    )
    e.add_argument(
        "--reference",
        choices=REFERENCES,
        help="rank percentiles against all areas of NL or of the same gemeente (default: nl)",
    )
    e.add_argument(
        "--min-population",
        type=int,
        metavar="N",
        help=f"areas with fewer inhabitants get no scores (default: {_DEFAULT.min_population})",
    )
    e.add_argument(
        "--threshold",
        type=float,
        metavar="X",
        help=(
            "a domain counts towards the stacking count at this score or above, 0-100 "
            f"(default: {_DEFAULT.threshold:g})"
        ),
    )
    e.add_argument(
        "--min-coverage",
        type=float,
        metavar="SHARE",
        help=(
            "share of a domain's indicators an area needs for a domain score, above 0 and at "
            f"most 1 (default: {_DEFAULT.min_coverage:g})"
        ),
    )
    e.add_argument(
        "--max-age",
        type=int,
        metavar="YEARS",
        help=(
            "each indicator takes the latest edition of its source at most this many years "
            f"older than --year, {MAX_AGE_RANGE[0]}-{MAX_AGE_RANGE[1]} "
            f"(default: {_DEFAULT.max_age})"
        ),
    )
    e.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="DOMAIN=W",
        help=(
            "weight of a domain in the composite score; repeat per domain (default: 1 each; "
            f"domains: {', '.join(SCORED_DOMAINS)})"
        ),
    )
    return parser


def _config(args: argparse.Namespace) -> ScoringConfig:
    base = _DEFAULT
    if args.config is not None:
        try:
            base = ScoringConfig.from_dict(json.loads(args.config.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(
                f"The scoring parameters in {args.config} cannot be read: {exc}"
            ) from exc
    changes: dict[str, object] = {}
    for name in ("reference", "min_population", "threshold", "min_coverage", "max_age"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    if args.weight:
        weights = dict(base.weights)
        for item in args.weight:
            domain, sep, value = item.partition("=")
            if not sep or domain not in weights:
                raise ValueError(
                    f"--weight {item!r}: write DOMAIN=W with DOMAIN one of "
                    f"{', '.join(SCORED_DOMAINS)}."
                )
            try:
                weights[domain] = float(value)
            except ValueError:
                raise ValueError(f"--weight {item!r}: {value!r} is not a number.") from None
        changes["weights"] = weights
    return base.replace(**changes)


def _codebook_path(args: argparse.Namespace) -> Path:
    out: Path = args.out
    return args.codebook or out.with_name(f"{out.stem}.codebook{out.suffix}")


def _check_targets(args: argparse.Namespace, store: Path) -> None:
    """Refuse outputs that would overwrite each other or land in the store."""
    out, book = Path(args.out), _codebook_path(args)
    if out.resolve() == book.resolve() or (out.exists() and book.exists() and out.samefile(book)):
        raise ValueError(
            f"--out and --codebook both name {out}; the codebook would overwrite the data. "
            "Give the codebook its own file (or leave --codebook out for "
            f"{out.stem}.codebook{out.suffix})."
        )
    root = store.resolve()
    for option, path in (("--out", out), ("--codebook", book)):
        if path.resolve().is_relative_to(root):
            raise ValueError(
                f"{option} {path} lies inside the store {store}, which only `python -m etl "
                "build` writes; write the export elsewhere."
            )
        if not path.parent.is_dir():
            raise OSError(f"The directory {path.parent} does not exist; create it first.")


def _export(args: argparse.Namespace) -> str:
    config = _config(args)
    store = schema.store_dir(args.store)
    _check_targets(args, store)
    manifest = schema.read_manifest(store)
    if not manifest.years:
        raise schema.StoreError(
            f"The store at {store} holds no years yet: build one with `{_BUILD}`."
        )
    manifest.year(args.year)  # lists the store's years when it has not this one
    if not manifest.has("statistics", args.year, args.niveau):
        have = [n for n in schema.MAP_NIVEAUS if manifest.has("statistics", args.year, n)]
        raise schema.StoreError(
            f"The store holds no {args.niveau} statistics for {args.year}; it has "
            f"{', '.join(have) or 'none'}."
        )
    sources = schema.read_sources(store, args.niveau)
    stats = pd.DataFrame(sources.statistics[args.year])
    crime = sources.crime
    provenance = None
    if args.focusgebieden:
        focus = schema.read_focusgebieden(store)
        groups = members(focus, jaar=args.year, niveau=args.niveau, areas=stats[schema.CODE])
        if not groups:
            raise LayersError(
                f"No focus-area definition fits {args.year} at niveau {args.niveau}; the "
                "definitions start at indeling 2022 and cover wijken and buurten."
            )
        names = dict(overview(focus)[[schema.FOCUSGEBIED_ID, schema.FOCUSGEBIED]].to_numpy())
        result = score_groups(stats, groups, config=config, crime=crime, names=names)
        uses_crime = any(i.misdrijf_groep for i in carried(stats, crime, max_age=config.max_age))
        periode = crime_period(crime, args.year, config.max_age) if uses_crime else None
        data_vintage = vintage(manifest, jaar=args.year, niveau=args.niveau, crime_periode=periode)
    else:
        result = score_view(sources, jaar=args.year, niveau=args.niveau, config=config)
        provenance = result.attrs["provenance"]
        data_vintage = vintage(manifest, jaar=args.year, niveau=args.niveau, provenance=provenance)
    frame = export_frame(result)
    book = codebook(list(frame.columns), config=config, vintage=data_vintage, provenance=provenance)
    book_path = _codebook_path(args)
    atomic_write_files(
        [(args.out, to_csv(frame, excel=args.excel)), (book_path, to_csv(book, excel=args.excel))]
    )
    return f"wrote {len(frame):,} rows to {args.out} and the codebook to {book_path}"


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 done, 2 bad input or store)."""
    args = _parser().parse_args(argv)
    try:
        message = _export(args)
    except (schema.StoreError, LayersError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(message, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
