"""Project hygiene: pinned dependency ranges, no secrets, data/ tracks only definitions,
imports go downward only."""

from __future__ import annotations

import ast
import re
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _tracked() -> list[Path]:
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [REPO / p for p in out.decode().split("\0") if p]


def test_every_dependency_is_pinned_within_a_range() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    for req in requirements:
        if req.startswith("pandas-stubs"):
            continue  # stubs follow pandas
        assert ">=" in req and "<" in req.replace("<=", ""), f"{req} needs a range like >=a,<b"


SECRET = re.compile(
    r"(-----BEGIN [A-Z ]*PRIVATE KEY-----|AKIA[0-9A-Z]{16}|ghp_[0-9A-Za-z]{36}"
    r"|(?i:(password|passwd|secret|api_key|token)\s*[:=]\s*['\"][^'\"\s]{8,}['\"]))"
)


def test_no_secrets_are_committed() -> None:
    hits = []
    for path in _tracked():
        if path.suffix in {".parquet", ".png"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        hits += [f"{path.relative_to(REPO)}: {m.group(0)[:20]}…" for m in SECRET.finditer(text)]
    assert hits == []


def test_data_tracks_only_definitions_and_its_readme() -> None:
    tracked = {p.relative_to(REPO).as_posix() for p in _tracked()}
    data = {p for p in tracked if p.startswith("data/")}
    assert data <= {"data/README.md", "data/focusgebieden.csv"}


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (REPO / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(path.name, a.name) for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module in {"etl", "layers", "dashboard"}:  # from etl import schema
                    found |= {(path.name, f"{node.module}.{a.name}") for a in node.names}
                else:
                    found.add((path.name, node.module))
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("etl", ("layers", "dashboard")), ("layers", ("dashboard",))],
)
def test_imports_only_go_downward(package: str, forbidden: tuple[str, ...]) -> None:
    wrong = {(f, m) for f, m in _imports(package) if m.split(".")[0] in forbidden}
    assert wrong == set()


def test_layers_and_dashboard_see_etl_only_through_its_schema_and_files() -> None:
    allowed = {"etl.schema", "etl.files"}
    for package in ("layers", "dashboard"):
        etl = {m for _, m in _imports(package) if m.split(".")[0] == "etl"}
        assert etl <= allowed, f"{package} imports {etl - allowed}"


def test_the_installed_packages_are_the_product_only() -> None:
    # the benchmarks (``python -m bench``) and the stand-in services (``python -m replay``)
    # run from the checkout; they are not product code, and the product never imports them
    find = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    include = find["setuptools"]["packages"]["find"]["include"]
    assert sorted(include) == ["dashboard*", "etl*", "layers*"]
    for package in ("etl", "layers", "dashboard"):
        tools = {m for _, m in _imports(package) if m.split(".")[0] in ("bench", "replay")}
        assert tools == set(), f"{package} imports {tools}"
