"""Export files: data and codebook are written as a pair or not at all, never into the store
or onto each other, and formulas are neutralised also behind invisible characters."""

from __future__ import annotations

import hashlib
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from etl.files import atomic_write_files
from layers.__main__ import main
from layers.export import neutralise, to_csv

REPO = Path(__file__).resolve().parents[2]


def _sums(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def _export(store: Path, out: Path, *extra: str) -> list[str]:
    return ["export", "--year", "2022", "--niveau", "gemeente", "--out", str(out),
            "--store", str(store), *extra]  # fmt: skip


def test_out_and_codebook_in_one_file_is_refused(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.csv"
    out.write_bytes(b"keep me")
    assert main(_export(store, out, "--codebook", str(tmp_path / "." / "x.csv"))) == 2
    assert "--out and --codebook both name" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"


def test_a_link_to_the_same_file_is_refused(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_bytes(b"keep me")
    (tmp_path / "y.csv").hardlink_to(out)
    assert main(_export(store, out, "--codebook", str(tmp_path / "y.csv"))) == 2
    assert out.read_bytes() == b"keep me"


@pytest.mark.parametrize("which", ["--out", "--codebook"])
def test_outputs_inside_the_store_are_refused(
    store: Path, tmp_path: Path, which: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _sums(store)
    inside = store / "2022" / "scores.csv"
    args = (
        _export(store, inside)
        if which == "--out"
        else _export(store, tmp_path / "s.csv", "--codebook", str(store / "book.csv"))
    )
    assert main(args) == 2
    assert f"{which} " in capsys.readouterr().err
    assert _sums(store) == before


def _file_size_limit() -> None:  # in the child, before exec
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))


def test_a_failed_write_leaves_neither_new_file(store: Path, tmp_path: Path) -> None:
    """Under a file-size limit the codebook fits and the wijk data does not: neither is
    written (the old exporter left the codebook without its data)."""
    out = tmp_path / "scores.csv"
    wijk = ["wijk" if a == "gemeente" else a for a in _export(store, out)]
    done = subprocess.run(
        [sys.executable, "-m", "layers", *wijk],
        capture_output=True, text=True, cwd=REPO, timeout=300, preexec_fn=_file_size_limit,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error:") and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert main(wijk) == 0  # without the limit both are written
    book = tmp_path / "scores.codebook.csv"
    assert out.stat().st_size > 0 and 0 < book.stat().st_size < 60_000


def test_a_failed_move_restores_the_files_already_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(b"old a")
    real = Path.replace

    def failing(self: Path, target: Path) -> Path:
        if Path(target) == second:
            raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", failing)
    with pytest.raises(OSError, match="No space"):
        atomic_write_files([(first, b"new a"), (second, b"new b")])
    monkeypatch.undo()
    assert first.read_bytes() == b"old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv"]


@pytest.mark.parametrize("hidden", ["\u200b", "\ufeff", "\u2060", "\u202e", "\u200b\ufeff"])
@pytest.mark.parametrize("formula", ["=1+1", "+31", "-2", "@SUM(A1)"])
def test_formulas_behind_invisible_characters_are_neutralised(hidden: str, formula: str) -> None:
    assert neutralise(hidden + formula) == "'" + hidden + formula
    back = pd.read_csv(
        pd.io.common.BytesIO(to_csv(pd.DataFrame({"naam": [hidden + formula]}))), dtype=str
    )
    assert back["naam"].iloc[0] == "'" + hidden + formula


def test_invisible_characters_before_plain_text_are_left_alone() -> None:
    assert neutralise("\u200bAmsterdam") == "\u200bAmsterdam"
    assert neutralise("\u200b") == "\u200b"
