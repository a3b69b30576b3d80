"""Command line of the layers: ``python -m layers export | peers | change | persistence``.

Reads one year and niveau from the store (read-only, through :mod:`etl.schema`); :func:`view`
is the one place that turns a year and niveau into scored areas: its composed view, each
indicator at the latest edition of its own source (:mod:`layers.view`). ``export`` writes
the scores and their codebook atomically as a pair (:func:`etl.files.atomic_write_files`): a
reader never sees half a file, a failed write leaves neither new file, and outputs inside
the store or data and codebook in one file are refused. ``peers`` lists
an area's comparable areas (:mod:`layers.peers`), ``change`` an indicator's change between
two editions and its biggest movers, ``persistence`` the share of codes kept
(:mod:`layers.change`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from etl import schema
from etl.files import atomic_write_files
from layers.change import BREAKS, change, class_order, movers, persistence
from layers.config import MAX_AGE_RANGE, REFERENCES, ScoringConfig
from layers.constants import BEIDE, KLASSE, NIEUW, STATUS, VERVALLEN
from layers.errors import LayersError
from layers.export import Bundle, bundle, codebook_name, to_csv
from layers.focus import members, overview
from layers.indicators import SCORED_DOMAINS, get_indicator
from layers.peers import (
    FEATURES,
    codebook_notes,
    compare_with_peers,
    find_peers,
    method_text,
    peer_frame,
)
from layers.view import compose, score_view, score_view_groups

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
    _peers_parser(sub)
    _change_parser(sub)
    return parser


def _peers_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "peers",
        help="list the areas most comparable to one area by context, and compare their scores",
        description=(
            "Find the areas of the same year and niveau most similar to one area by context "
            "only (population size, urbanity, age structure, household composition, housing "
            "stock; never the problem indicators), each feature standardised as (x - median) "
            "/ IQR and weighted, and compare the area's domain scores with the peers' median "
            "and range. Example: python -m layers peers --code WK034403 --year 2024"
        ),
    )
    p.add_argument("--code", required=True, metavar="CODE", help="area code, e.g. WK034403")
    p.add_argument("--year", type=int, required=True, metavar="YEAR", help="KWB year, e.g. 2024")
    p.add_argument("--k", type=int, default=10, metavar="N", help="number of peers (default: 10)")
    p.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="FEATURE=W",
        help=(
            "weight of a context feature; repeat per feature, 0 leaves it out (features: "
            f"{', '.join(f.indicator for f in FEATURES)})"
        ),
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="also write the peer set with its features as CSV, plus a codebook beside it",
    )
    p.add_argument("--excel", action="store_true", help="Excel-friendly CSV (with --out)")
    p.add_argument("--store", metavar="DIR", help=schema.STORE_HELP)


def _change_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser(
        "change",
        help="the change of one indicator between two editions and its biggest movers",
        description=(
            "Compare one indicator between two KWB editions for the areas whose code exists in "
            "both (CBS keeps a code only while the area keeps its boundaries): the change in "
            "the indicator's unit and in percentile rank, classed better/worse by its "
            "direction; new and gone codes are counted, never shown as zero change. Example: "
            "python -m layers change --indicator woz_waarde --from 2017 --to 2022 "
            "--gemeente GM0344"
        ),
    )
    c.add_argument("--indicator", required=True, metavar="ID", help="indicator id, e.g. woz_waarde")
    c.add_argument("--from", dest="van", type=int, required=True, metavar="YEAR")
    c.add_argument("--to", dest="tot", type=int, required=True, metavar="YEAR")
    c.add_argument("--niveau", choices=schema.MAP_NIVEAUS, default="wijk")
    c.add_argument("--gemeente", metavar="GMxxxx", help="only the movers of this gemeente")
    c.add_argument("--n", type=int, default=10, metavar="N", help="movers listed (default: 10)")
    c.add_argument("--store", metavar="DIR", help=schema.STORE_HELP)
    k = sub.add_parser(
        "persistence",
        help="the share of area codes kept between editions",
        description=(
            "Count the codes of one niveau present in each pair of editions and in all of "
            "them. Example: python -m layers persistence --years 2017 2019 2022 2024"
        ),
    )
    k.add_argument("--years", type=int, nargs="+", required=True, metavar="YEAR")
    k.add_argument("--niveau", choices=schema.MAP_NIVEAUS, default="wijk")
    k.add_argument("--gemeente", metavar="GMxxxx", help="only the areas of this gemeente code")
    k.add_argument("--store", metavar="DIR", help=schema.STORE_HELP)


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
        changes["weights"] = {
            **dict(base.weights),
            **_weights(args.weight, "DOMAIN", SCORED_DOMAINS),
        }
    return base.replace(**changes)


def _weights(items: list[str], what: str, names: tuple[str, ...]) -> dict[str, float]:
    """Read repeated ``--weight NAME=W`` options; NAME must be one of ``names``."""
    weights = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or name not in names:
            raise ValueError(
                f"--weight {item!r}: write {what}=W with {what} one of {', '.join(names)}."
            )
        try:
            weights[name] = float(value)
        except ValueError:
            raise ValueError(f"--weight {item!r}: {value!r} is not a number.") from None
    return weights


def _store(arg: str | None) -> tuple[Path, schema.Manifest]:
    store = schema.store_dir(arg)
    manifest = schema.read_manifest(store)
    if not manifest.years:
        raise schema.StoreError(
            f"The store at {store} holds no years yet: build one with `{_BUILD}`."
        )
    return store, manifest


def _has_view(manifest: schema.Manifest, year: int, niveau: schema.Niveau) -> None:
    """Raise a :class:`~etl.schema.StoreError` naming what the store has when it holds no
    statistics of this year and niveau."""
    manifest.year(year)  # lists the store's years when it has not this one
    if not manifest.has("statistics", year, niveau):
        have = [n for n in schema.MAP_NIVEAUS if manifest.has("statistics", year, n)]
        raise schema.StoreError(
            f"The store holds no {niveau} statistics for {year}; it has "
            f"{', '.join(have) or 'none'}."
        )


def _inputs(
    store: Path, manifest: schema.Manifest, year: int, niveau: schema.Niveau
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Statistics (without geometry) and crime of one year and niveau of the store."""
    _has_view(manifest, year, niveau)
    stats = pd.DataFrame(schema.read_statistics(store, year, niveau))
    crime = schema.read_crime(store)
    return stats.drop(columns=[schema.GEOMETRY]), None if crime.empty else crime


def view(
    store: Path,
    manifest: schema.Manifest,
    year: int,
    niveau: schema.Niveau,
    config: ScoringConfig = _DEFAULT,
) -> pd.DataFrame:
    """The view of one year and niveau, every area scored: each indicator at the latest
    edition of its own source (:func:`layers.view.score_view`), its provenance in
    ``attrs["provenance"]``."""
    _has_view(manifest, year, niveau)
    sources = schema.read_sources(store, niveau)
    return score_view(sources, jaar=year, niveau=niveau, config=config)


def _export(args: argparse.Namespace) -> str:
    config = _config(args)
    store, manifest = _store(args.store)
    if args.focusgebieden:
        _has_view(manifest, args.year, args.niveau)
        composed = compose(
            schema.read_sources(store, args.niveau), jaar=args.year, niveau=args.niveau,
            config=config,
        )  # fmt: skip
        focus = schema.read_focusgebieden(store)
        areas = composed.stats[schema.CODE]
        groups = members(focus, jaar=args.year, niveau=args.niveau, areas=areas)
        if not groups:
            raise LayersError(
                f"No focus-area definition fits {args.year} at niveau {args.niveau}; the "
                "definitions start at indeling 2022 and cover wijken and buurten."
            )
        names = dict(overview(focus)[[schema.FOCUSGEBIED_ID, schema.FOCUSGEBIED]].to_numpy())
        result = score_view_groups(composed, groups, config=config, names=names)
    else:
        result = view(store, manifest, args.year, args.niveau, config)
    made = bundle(result, manifest, jaar=args.year, niveau=args.niveau, config=config)
    return _write(store, args.out, made, excel=args.excel, book_path=args.codebook)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}"


def _table(frame: pd.DataFrame) -> str:
    return frame.to_string(float_format=_number, na_rep="-")


def _peers(args: argparse.Namespace) -> str:
    niveau = schema.niveau_of(args.code)
    if niveau not in schema.MAP_NIVEAUS:
        raise ValueError(f"Peers are found for gemeenten, wijken and buurten, not {args.code}.")
    if args.out is not None and not args.out.parent.is_dir():
        raise OSError(f"The directory {args.out.parent} does not exist; create it first.")
    store, manifest = _store(args.store)
    areas = view(store, manifest, args.year, niveau)
    features = tuple(f.indicator for f in FEATURES)
    weights = _weights(args.weight, "FEATURE", features)
    found = find_peers(areas, args.code, k=args.k, weights=weights)
    name = areas.loc[args.code, schema.NAAM]
    gemeente = areas.loc[args.code, schema.GEMEENTENAAM]
    print(
        f"{len(found.codes)} comparable areas ({niveau}) of {args.code} {name} ({gemeente}), "
        f"{args.year}"
    )
    print(method_text(found))
    print()
    print(_table(found.peers))
    print()
    print(f"{found.code} against its peers (0-100, higher = worse):")
    print(_table(compare_with_peers(areas, found)))
    if args.out is None:
        return ""
    made = bundle(
        peer_frame(areas, found), manifest, jaar=args.year, niveau=niveau, config=_DEFAULT,
        extra=codebook_notes(found),
    )  # fmt: skip
    return _write(store, args.out, made, excel=args.excel)


def _change(args: argparse.Namespace) -> str:
    store, manifest = _store(args.store)
    before = view(store, manifest, args.van, args.niveau)
    after = view(store, manifest, args.tot, args.niveau)
    result = change(before, after, args.indicator)
    ind = get_indicator(args.indicator)
    counts = result[STATUS].value_counts()
    print(
        f"{ind.label_en} ({ind.unit}), {args.niveau} {args.van} → {args.tot}: "
        f"{counts.get(BEIDE, 0):,} codes in both, {counts.get(NIEUW, 0):,} new, "
        f"{counts.get(VERVALLEN, 0):,} gone (CBS gives an area a new code when its "
        "boundaries change)."
    )
    classes = result[KLASSE].value_counts().reindex(class_order(ind), fill_value=0)
    print("classes: " + ", ".join(f"{c} {n:,}" for c, n in classes.items() if n))
    print(
        f"(breaks at {BREAKS[0]:g} and {BREAKS[1]:g} × the {args.van} IQR of "
        f"{result.attrs['schaal']:g} {ind.unit})"
    )
    print()
    where = f" in {args.gemeente}" if args.gemeente else ""
    print(f"biggest movers{where}:")
    print(_table(movers(result, gemeente=args.gemeente, n=args.n)))
    return ""


def _persistence(args: argparse.Namespace) -> str:
    store, manifest = _store(args.store)
    codes = {}
    n_gem: dict[int, int] = {}
    for year in dict.fromkeys(args.years):
        stats, _ = _inputs(store, manifest, year, args.niveau)
        if args.gemeente:
            stats = stats[stats[schema.GEMEENTE_CODE] == args.gemeente]
        n_gem[year] = stats[schema.GEMEENTE_CODE].nunique()
        print(f"{year}: {len(stats):,} {args.niveau} codes in {n_gem[year]:,} gemeente(n)")
        codes[year] = pd.Index(stats[schema.CODE])
    partial = [y for y, n in n_gem.items() if n < max(n_gem.values()) / 2]
    if partial:
        print(
            f"note: {', '.join(map(str, partial))} cover(s) far fewer gemeenten than the other "
            "editions, so pairs with them measure coverage as much as boundary changes; "
            "compare within one gemeente with --gemeente."
        )
    table = persistence(codes)
    shares = {"aandeel_van": "% of van kept", "aandeel_tot": "% of tot existing in van"}
    table[list(shares)] = (100 * table[list(shares)]).round(1)
    print()
    print(table.rename(columns=shares).to_string(index=False, na_rep="-"))
    return ""


def _write(
    store: Path,
    out: Path,
    made: Bundle,
    *,
    excel: bool,
    book_path: Path | None = None,
) -> str:
    """Write an export and its codebook as a pair (codebook beside it by default), after
    refusing targets that would overwrite each other or land in the store."""
    book_path = book_path or out.with_name(codebook_name(out.name))
    if out.resolve() == book_path.resolve() or (
        out.exists() and book_path.exists() and out.samefile(book_path)
    ):
        raise ValueError(
            f"--out and --codebook both name {out}; the codebook would overwrite the data. "
            "Give the codebook its own file (or leave --codebook out for "
            f"{codebook_name(out.name)})."
        )
    root = store.resolve()
    for option, path in (("--out", out), ("--codebook", book_path)):
        if path.resolve().is_relative_to(root):
            raise ValueError(
                f"{option} {path} lies inside the store {store}, which only `python -m etl "
                "build` writes; write the export elsewhere."
            )
        if not path.parent.is_dir():
            raise OSError(f"The directory {path.parent} does not exist; create it first.")
    data, book = to_csv(made.data, excel=excel), to_csv(made.codebook, excel=excel)
    atomic_write_files([(out, data), (book_path, book)])
    return f"wrote {len(made.data):,} rows to {out} and the codebook to {book_path}"


_COMMANDS = {
    "export": _export,
    "peers": _peers,
    "change": _change,
    "persistence": _persistence,
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 done, 2 bad input or store)."""
    args = _parser().parse_args(argv)
    try:
        message = _COMMANDS[args.command](args)
    except (schema.StoreError, LayersError, ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if message:
        print(message, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
