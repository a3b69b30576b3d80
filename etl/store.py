"""Writing the store: content-addressed files, then one atomic commit of the manifest.

A build stages every file under its content hash (``2022/wijk.<sha12>.parquet``) without
touching what the current manifest names, then replaces ``manifest.json`` in one
``os.replace``. Until that moment readers see the previous store; if the build fails, the
files it staged are removed and the previous store is exactly as it was. After a commit,
files no manifest names are removed. A lock file keeps two builds from interleaving.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from etl import schema
from etl.errors import EtlError
from etl.files import atomic_write_bytes, ordinary_mode, sha256_file, utc_now
from etl.plausibility import Checked

TMP_PATTERN: Final = ".*.tmp"
"""Names of temporary files while a build writes (``.wijk.k3j2x9.tmp``)."""


@dataclass
class StoreWriter:
    """Stage files into a store and commit them with a new manifest.

    Use as a context manager: leaving it with an exception removes what was staged.

    Parameters
    ----------
    store
        The store directory; created when missing.
    """

    store: Path
    staged: dict[str, schema.FileEntry] = field(default_factory=dict)
    _lock: Any = None
    _created: list[Path] = field(default_factory=list)

    def __enter__(self) -> StoreWriter:
        self.store.mkdir(parents=True, exist_ok=True)
        self._lock = (self.store / ".lock").open("w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._lock.close()
            raise EtlError(
                f"Another build is writing {self.store}; wait for it to finish."
            ) from None
        self._remove_leftovers()
        return self

    def _remove_leftovers(self) -> None:
        """Remove temporary files of earlier builds that were killed mid-write.

        Only names this module and :func:`etl.files.atomic_write_bytes` create
        (``.<name>.<random>.tmp`` in the store and its year folders); the lock is held, so no
        running build owns them.
        """
        for path in (*self.store.glob(TMP_PATTERN), *self.store.glob(f"*/{TMP_PATTERN}")):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            keep = self._referenced()
            for path in self._created:
                if path.relative_to(self.store).as_posix() not in keep:
                    path.unlink(missing_ok=True)
        fcntl.flock(self._lock, fcntl.LOCK_UN)
        self._lock.close()

    def previous_columns(self, jaar: int, table: str) -> dict[str, str]:
        """Return the columns (stem → CBS key) the store held for a year before this build,
        if they came from the same CBS table; empty otherwise (no store, another table)."""
        try:
            manifest = schema.read_manifest(self.store)
            if manifest.year(jaar).table != table:
                return {}
        except schema.StoreError:
            return {}
        return next(
            (dict(f.columns) for f in manifest.files if f.kind == "statistics" and f.jaar == jaar),
            {},
        )

    def _referenced(self) -> set[str]:
        try:
            manifest = schema.read_manifest(self.store)
        except schema.StoreError:
            return set()
        return {f.path for f in manifest.files}

    def _stage(
        self, folder: str, stem: str, write: Any, suffix: str = "parquet"
    ) -> tuple[str, str, int]:
        directory = self.store / folder
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{stem}.", suffix=".tmp")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            write(tmp)
            tmp.chmod(ordinary_mode())  # readable like the manifest, not mkstemp's 0600
            digest = sha256_file(tmp)
            size = tmp.stat().st_size
            final = directory / f"{stem}.{digest[:12]}.{suffix}"
            if not _intact(final, digest, size):  # new, or an earlier copy was damaged
                tmp.replace(final)
                self._created.append(final)
        finally:
            tmp.unlink(missing_ok=True)
        return final.relative_to(self.store).as_posix(), digest, size

    def add_frame(
        self,
        frame: pd.DataFrame,
        *,
        kind: str,
        sources: list[dict[str, str]],
        jaar: int | None = None,
        niveau: str | None = None,
        columns: dict[str, str] | None = None,
        checks: Checked | None = None,
        edition: schema.Edition | None = None,
        source: str | None = None,
    ) -> schema.FileEntry:
        """Stage a (Geo)DataFrame as (Geo)Parquet and remember its manifest entry.

        Parameters
        ----------
        frame
            The rows to store; a GeoDataFrame is written as GeoParquet with its CRS.
        kind
            ``statistics``, ``web``, ``crime`` or ``focusgebieden``.
        sources
            Provenance: for each source ``source`` (table id or layer), ``origin`` (URL or
            directory) and ``retrieved`` (ISO 8601).
        jaar, niveau
            Year and level the file belongs to, if any.
        columns
            Stem → CBS key of the columns, for statistics files.
        checks
            The plausibility checks the frame passed and their warnings
            (:func:`etl.plausibility.check_frame`), recorded in the manifest entry.
        edition, source
            The source edition the file holds (its year, period and indeling go into the
            manifest) and the source's id.
        """
        folder = str(jaar) if jaar is not None else "."
        stem = niveau if niveau and kind == "statistics" else f"{kind}-{niveau}" if niveau else kind
        if edition is not None and jaar is None:
            stem = f"{kind}-{edition.jaar}" + (f"-{niveau}" if niveau else "")

        def write(path: Path) -> None:
            if isinstance(frame, gpd.GeoDataFrame):
                frame.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)
            else:
                frame.to_parquet(path, index=False, compression="zstd")

        rel, digest, size = self._stage(folder, stem, write)
        entry = schema.FileEntry(
            path=rel,
            kind=kind,
            rows=len(frame),
            sha256=digest,
            sources=tuple(sources),
            jaar=jaar,
            niveau=niveau,
            columns=columns or {},
            size=size,
            checks=tuple(checks.passed) if checks else (),
            warnings=tuple(checks.warnings) if checks else (),
            source=source,
            edition=None if edition is None else edition.jaar,
            periode=None if edition is None else edition.periode,
            indeling=None if edition is None else edition.indeling,
        )
        self.staged[rel] = entry
        return entry

    def add_json(
        self,
        payload: bytes,
        *,
        kind: str,
        rows: int,
        sources: list[dict[str, str]],
        jaar: int,
        niveau: str,
        suffix: str = "json",
    ) -> schema.FileEntry:
        """Stage a JSON payload of a year and niveau (``<jaar>/<kind>-<niveau>.<sha12>.json``,
        or another ``suffix`` such as ``json.br`` for a compressed one) and remember its
        manifest entry; ``rows`` counts the areas it holds."""
        rel, digest, size = self._stage(
            str(jaar), f"{kind}-{niveau}", lambda p: p.write_bytes(payload), suffix
        )
        entry = schema.FileEntry(
            path=rel,
            kind=kind,
            rows=rows,
            sha256=digest,
            size=size,
            sources=tuple(sources),
            jaar=jaar,
            niveau=niveau,
        )
        self.staged[rel] = entry
        return entry

    def commit(self, years: list[schema.YearInfo], *, replace_kinds: set[str]) -> schema.Manifest:
        """Write the new manifest atomically and remove files no manifest names.

        Files of the previous manifest stay when their year is not rebuilt and their kind
        is not in ``replace_kinds`` (e.g. a build of 2024 keeps 2022).

        Parameters
        ----------
        years
            The records of the years this build produced.
        replace_kinds
            Kinds without a year (``crime``, ``focusgebieden``) this build replaces.
        """
        rebuilt = {y.jaar for y in years}
        try:
            previous = schema.read_manifest(self.store)
        except schema.StoreError:
            previous = schema.Manifest(built="", files=(), years=())
        kept_files = [
            f
            for f in previous.files
            if (f.jaar is not None and f.jaar not in rebuilt)
            or (f.jaar is None and f.kind not in replace_kinds)
        ]
        kept_years = [y for y in previous.years if y.jaar not in rebuilt]
        manifest = schema.Manifest(
            built=utc_now(),
            files=tuple(kept_files) + tuple(self.staged.values()),
            years=tuple(kept_years) + tuple(years),
        )
        text = json.dumps(manifest.to_json(), indent=2, ensure_ascii=False) + "\n"
        atomic_write_bytes(self.store / schema.MANIFEST, text.encode("utf-8"))
        self._created.clear()
        self._collect_garbage({f.path for f in manifest.files})
        return manifest

    def _collect_garbage(self, keep: set[str]) -> None:
        for path in _data_files(self.store):
            if path.relative_to(self.store).as_posix() not in keep:
                path.unlink(missing_ok=True)
        for directory in sorted(self.store.iterdir()):
            if directory.is_dir():
                with contextlib.suppress(OSError):
                    directory.rmdir()  # only when empty


def _intact(path: Path, digest: str, size: int) -> bool:
    """Tell whether a content-addressed file already holds exactly the bytes staged."""
    try:
        return path.is_file() and path.stat().st_size == size and sha256_file(path) == digest
    except OSError:
        return False


def _data_files(store: Path) -> Iterator[Path]:
    yield from store.glob("*.parquet")
    yield from store.glob("*/*.parquet")
    yield from store.glob("*/*.json")
