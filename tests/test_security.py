"""Security basics of the running app: debug is off unless asked for (``create_app``,
``python app.py``, ``gunicorn app:server``), errors reveal nothing, no file is served from
a path a user wrote, the store comes only from settings, and every response carries the
protective headers. (Pinned dependency ranges and secrets: ``tests/test_project.py``.)"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from dash import Dash

from dashboard import create_app, data
from dashboard.data import STORE_KEY

REPO = Path(__file__).resolve().parents[1]
SECRET_FILES = ("pyproject.toml", "app.py")
"""Files of the repository that must never come back from a URL."""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Dash:
    """The app on a directory without a store (nothing here needs data)."""
    return create_app(tmp_path_factory.mktemp("no-store"))


@pytest.fixture(scope="module")
def client(app: Dash) -> Any:
    return app.server.test_client()


@pytest.fixture(scope="module")
def entry(monkeypatch_module: pytest.MonkeyPatch) -> ModuleType:
    """``app.py`` imported as gunicorn imports it (``app:server``), with no debug in the
    environment."""
    monkeypatch_module.delenv("FLASK_DEBUG", raising=False)
    monkeypatch_module.delenv("DASH_DEBUG", raising=False)
    monkeypatch_module.syspath_prepend(str(REPO))
    sys.modules.pop("app", None)
    return importlib.import_module("app")


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_create_app_has_debug_off_by_default(app: Dash) -> None:
    assert app.server.debug is False
    assert app.server.config["DEBUG"] is False
    tools = app._dev_tools
    assert not (tools.ui or tools.props_check or tools.hot_reload or tools.serve_dev_bundles)


def test_gunicorn_entry_point_has_debug_off(entry: ModuleType) -> None:
    assert entry.server is entry.app.server
    assert entry.server.debug is False
    assert not entry.app._dev_tools.ui


def test_python_app_py_serves_without_debug_on_loopback_unless_asked(
    entry: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(entry.app, "run", lambda **kw: calls.append(kw))
    monkeypatch.setattr(entry.app, "enable_dev_tools", lambda **kw: calls.append({"tools": kw}))
    assert entry.main([]) == 0
    assert calls == [{"host": "127.0.0.1", "port": 8050, "debug": False}]
    calls.clear()
    entry.main(["--debug"])
    assert calls[-1]["debug"] is True  # only when asked for


def test_no_gunicorn_config_turns_on_reload_or_debug() -> None:
    for name in ("gunicorn_config.py", ".flaskenv", ".env"):
        assert not (REPO / name).exists(), name
    config = (REPO / "gunicorn.conf.py").read_text(encoding="utf-8")  # the production one
    assert not re.search(r"^\s*(reload|debug)\s*=", config, re.MULTILINE)
    assert "FLASK_DEBUG" not in config and "--reload" not in config
    for name in ("Makefile", "README.md"):
        text = (REPO / name).read_text(encoding="utf-8")
        assert "--reload" not in text and "FLASK_DEBUG" not in text, name
        assert not re.search(r"app\.py[^\n]*--debug", text), name


def test_errors_reveal_no_traceback_or_paths(client: Any) -> None:
    r = client.post("/_dash-update-component", data="{not json", content_type="application/json")
    assert r.status_code == 400
    r = client.get("/_dash-component-suites/dash/nope.js")  # a server error inside Dash
    body = r.get_data(as_text=True)
    assert "Traceback" not in body and str(REPO) not in body and "site-packages" not in body


def test_the_werkzeug_debugger_is_not_reachable(client: Any) -> None:
    for path in ("/console", "/?__debugger__=yes&cmd=resource&f=style.css"):
        body = client.get(path).get_data(as_text=True)
        assert "Werkzeug Debugger" not in body and "debugger.js" not in body, path


TRAVERSALS = (
    "/assets/../../pyproject.toml",
    "/assets/%2e%2e/%2e%2e/pyproject.toml",
    "/assets/..%2f..%2fpyproject.toml",
    "/assets/..%5c..%5cpyproject.toml",
    "/assets//etc/passwd",
    "/assets/%2Fetc%2Fpasswd",
    "/assets/%252e%252e/%252e%252e/app.py",
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/_dash-component-suites/dash/../../../../etc/passwd",
    "/_dash-component-suites/dash/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/_dash-component-suites/%2Fetc/passwd",
    "/_dash-component-suites/plotly/package_data/..%2f..%2f..%2fplotly%2f__init__.py",
    "/_favicon.ico/../../app.py",
    "/gebied/..%2f..%2fpyproject.toml",
)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_is_served_from_a_path_a_user_wrote(client: Any, path: str) -> None:
    r = client.get(path)
    body = r.get_data()
    assert b"root:x:0:0" not in body
    for name in SECRET_FILES:
        assert (REPO / name).read_bytes()[:200] not in body, name
    assert b"__version__" not in body
    if r.status_code == 200:
        assert r.mimetype == "text/html" and b'<div id="react-entry-point">' in body


def test_assets_serve_only_the_assets_folder(client: Any) -> None:
    assert client.get("/assets/style.css").status_code == 200
    assert client.get("/assets/__init__.py").status_code == 404
    assert client.get("/assets/../__init__.py").status_code == 404


def test_the_store_comes_only_from_settings(app: Dash, tmp_path: Path) -> None:
    configured = app.server.config[STORE_KEY]
    hostile = {
        "ZICHT_STORE": str(tmp_path),
        "store": "/etc",
        STORE_KEY: "../../etc",
    }
    query = "&".join(f"{k}={v}" for k, v in hostile.items())
    headers = {"ZICHT_STORE": "/etc", "X-Store": "/etc", "Cookie": "ZICHT_STORE=/etc"}
    with app.server.test_request_context("/?" + query, headers=headers, method="GET"):
        assert str(data.store_path()) == configured
    r = app.server.test_client().get("/?" + query, headers=headers)
    assert r.status_code == 503  # the configured directory holds no store: the rebuild page
    assert app.server.config[STORE_KEY] == configured


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name):
                names.add(f"{base.id}.{node.attr}")
            elif isinstance(base, ast.Attribute):
                names.add(f"{base.attr}.{node.attr}")
        elif isinstance(node, ast.Name):
            names.add(node.id)
    return names


def test_dashboard_code_reads_no_request_input_into_files() -> None:
    """The dashboard never reads request arguments, headers, cookies or uploads itself
    (every user input arrives through Dash callbacks as values), never serves files by
    name, and only ``create_app`` and ``app.py`` set the store directory."""
    forbidden = {
        "request.args", "request.values", "request.form", "request.files", "request.cookies",
        "request.headers", "request.get_json", "request.data", "send_file", "send_from_directory",
    }  # fmt: skip
    sources = [*(REPO / "dashboard").rglob("*.py"), REPO / "app.py"]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        found = _calls(ast.parse(text)) & forbidden
        assert not found, (path.name, found)
        writes = re.findall(r"config\[STORE_KEY\]\s*=", text)
        if path.name not in {"__init__.py", "app.py", "data.py"} or path.parent.name == "pages":
            assert not writes, path  # data.warm hands the configured store to its own app
        if "open(" in text:  # reading files is data.py's job, through etl.schema
            assert path.name == "data.py", path


def test_every_response_carries_the_protective_headers(client: Any) -> None:
    for path in ("/", "/gebied/WK036300", "/assets/style.css", "/_dash-layout"):
        r = client.get(path)
        csp = r.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, path
        assert "frame-ancestors 'self'" in csp
        assert r.headers.get("X-Content-Type-Options") == "nosniff"
