"""The callback requests the dashboard's pages send, built as the browser builds them.

Dash pages render in the browser: after the index page, every view is one or more
``POST /_dash-update-component`` requests. :class:`Callbacks` builds their JSON bodies the
way dash-renderer does (same keys, same ``changedPropIds`` strings, pattern-matching ids
expanded to the concrete components on the page). The output strings come from the app's
own callback list (``GET /_dash-dependencies``), so a callback that gains an output or an
``allow_duplicate`` hash is followed, not hard-coded. The bodies were first copied from
Chromium's requests (Playwright) and are checked against it again by
``tests/bench/test_payloads.py``.

A user's steps as the browser performs them (what the map and load benchmarks replay):

- open a page: ``router(path, search)`` (the map arrives inside the page content), then the
  initial ``download(…, clicks=0)`` that Dash fires for the new download buttons and, on
  the map page once the map is drawn, ``recolours`` (every measure's colouring, for
  recolouring in the browser);
- recolour: ``sync_controls`` (the measure changed) returns the new search; then
  ``draw_map`` (a ``Patch``), ``table_body``, ``router`` (which keeps the page), ``whatif``
  and ``nav`` for the new search;
- drill down: ``drill`` (a click on a gemeente) returns the new URL; then ``draw_map`` with
  the old geokey sends the wijken of that gemeente;
- download: ``download(…, fmt="csv", clicks=1)``.

:func:`find`, :func:`output` and :func:`prop` read what came back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

from dashboard import components, ids, routes, svgmap
from layers.constants import DEFAULT_MAX_AGE
from layers.indicators import SCORED_DOMAINS

URL: Final = "/_dash-update-component"
"""Where every callback request goes."""

CONTENT: Final = "_pages_content"
"""Dash Pages' container of the page content (the router's first output)."""

DOWNLOAD_FORMATS: Final = ("csv", "excel", "codebook")
"""The download buttons of every page, in page order."""


def page_of(pathname: str) -> str:
    """The page key that the router mounts for a path (``notfound`` for unknown paths)."""
    route = routes.route_of(pathname)
    return route.key if route else routes.NOT_FOUND.key


def sid(component_id: str | Mapping[str, Any]) -> str:
    """A component id as Dash writes it in prop ids (dict keys sorted, compact JSON)."""
    if isinstance(component_id, Mapping):
        return (
            "{"
            + ",".join(
                f"{json.dumps(k)}:{json.dumps(component_id[k])}" for k in sorted(component_id)
            )
            + "}"
        )
    return component_id


def split_output(output: str) -> list[tuple[Any, str]]:
    """The (id, prop) pairs of an output string (``..a.b...c.d..`` or ``a.b``); dict ids
    are parsed, ``prop@hash`` is kept as it is."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    pairs = []
    for part in parts:
        component_id, prop = part.rsplit(".", 1)
        pairs.append(
            (json.loads(component_id) if component_id.startswith("{") else component_id, prop)
        )
    return pairs


def _spec(component_id: Any, prop: str, *values: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"id": component_id, "property": prop}
    if values:
        spec["value"] = values[0]
    return spec


class Callbacks:
    """Builds callback request bodies for one app.

    Parameters
    ----------
    dependencies
        The app's callback list, as ``GET /_dash-dependencies`` returns it.
    """

    def __init__(self, dependencies: Sequence[Mapping[str, Any]]) -> None:
        self._dependencies = list(dependencies)
        self._outputs = [str(d["output"]) for d in dependencies]

    def output_of(self, *needles: str) -> str:
        """The one output string that contains every needle.

        Raises
        ------
        LookupError
            When no callback or more than one matches (the app changed: update the needle).
        """
        found = [o for o in self._outputs if all(n in o for n in needles)]
        if len(found) != 1:
            raise LookupError(f"{len(found)} callbacks have outputs with {needles}")
        return found[0]

    def generic(
        self, needle: str, inputs: Sequence[Any], state: Sequence[Any] = ()
    ) -> dict[str, Any]:
        """A body for any callback whose ids have no wildcards: ``inputs`` and ``state``
        are the values in the order the callback declares them; the first input changed.

        Raises
        ------
        LookupError
            When no callback or more than one has ``needle`` in its outputs.
        ValueError
            When the callback has wildcard (``ALL``/``MATCH``) ids.
        """
        output = self.output_of(needle)
        dep = next(d for d in self._dependencies if d["output"] == output)
        if "[" in output or any("[" in json.dumps(i["id"]) for i in dep["inputs"] + dep["state"]):
            raise ValueError(f"{output[:60]} has wildcard ids; use its own builder")

        def specs(declared: Sequence[Mapping[str, Any]], values: Sequence[Any]) -> list[Any]:
            parsed = [json.loads(i["id"]) if i["id"].startswith("{") else i["id"]
                      for i in declared]  # fmt: skip
            return [_spec(i, d["property"], v) for i, d, v in
                    zip(parsed, declared, values, strict=True)]  # fmt: skip

        ins = specs(dep["inputs"], inputs)
        pairs = split_output(output)
        outputs: Any = [_spec(i, p) for i, p in pairs]
        first = ins[0]
        return self._body(
            output,
            outputs if output.startswith("..") else outputs[0],
            ins,
            [(first["id"], first["property"])],
            specs(dep["state"], state),
        )

    @staticmethod
    def _duplicate(output: str, prop: str) -> str:
        """``prop@hash`` as the output string spells an ``allow_duplicate`` output."""
        match = re.search(r"\." + prop + r"(@[0-9a-f]+)", output)
        return prop + (match.group(1) if match else "")

    @staticmethod
    def _body(
        output: str,
        outputs: Any,
        inputs: list[Any],
        changed: Sequence[tuple[Any, str]],
        state: list[Any] | None = None,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "output": output,
            "outputs": outputs,
            "inputs": inputs,
            "changedPropIds": [f"{sid(i)}.{p}" for i, p in changed],
            "parsedChangedPropsIds": [
                i if isinstance(i, Mapping) else f"{i}.{p}" for i, p in changed
            ],
        }
        if state is not None:
            body["state"] = state
        return body

    def router(
        self,
        pathname: str,
        search: str,
        *,
        shown: Mapping[str, str] | None = None,
        changed: Sequence[str] = ("pathname", "search"),
    ) -> dict[str, Any]:
        """Dash Pages' router: the page content for a URL (on a first visit ``shown`` is
        unset; later it is the path and search of the page on screen)."""
        output = self.output_of(f"{CONTENT}.children")
        shown_state = _spec(ids.SHOWN, "data", *(() if shown is None else (dict(shown),)))
        return self._body(
            output,
            [_spec(i, p) for i, p in split_output(output)],
            [_spec(ids.LOCATION, "pathname", pathname), _spec(ids.LOCATION, "search", search)],
            [(ids.LOCATION, p) for p in changed],
            [shown_state],
        )

    def draw_map(self, search: str, geokey: Any, *, pathname: str = "/") -> dict[str, Any]:
        """The map callback for a new search (the URL changed; controls as on a first
        draw, unset); ``geokey`` is the geometry the browser holds."""
        return self.sync_controls(search, {}, "search", pathname=pathname, geokey=geokey)

    def sync_controls(
        self,
        search: str,
        controls: Mapping[str, Any],
        changed: str,
        *,
        pathname: str = "/",
        geokey: Any = None,
    ) -> dict[str, Any]:
        """The map page's controls ⇄ URL ⇄ map callback after one control (``niveau``,
        ``jaar``, ``maat``, ``gemeente``, ``focus``) or the URL (``search``) changed;
        ``geokey`` is the geometry the browser holds."""
        output = self.output_of(f"{ids.MAP_GEOKEY}.data")
        url = ids.url("map")
        control_ids = {
            "niveau": ids.MAP_NIVEAU,
            "jaar": ids.MAP_JAAR,
            "maat": ids.MAP_MAAT,
            "gemeente": ids.MAP_GEMEENTE,
            "focus": ids.MAP_FOCUS,
        }
        outputs = [_spec(i, p) for i, p in split_output(output)]
        inputs = [_spec(url, "search", search)]
        inputs += [_spec(cid, "value", controls.get(key)) for key, cid in control_ids.items()]
        trigger = (url, "search") if changed == "search" else (control_ids[changed], "value")
        state = [_spec(url, "pathname", pathname), _spec(ids.MAP_GEOKEY, "data", geokey)]
        return self._body(output, outputs, inputs, [trigger], state)

    def recolours(
        self,
        search: str,
        geokey: Any,
        *held: str,
        pathname: str = "/",
        changed: str = "drawn",
    ) -> dict[str, Any]:
        """The map page's fetch of every measure's colouring: first once its map is drawn
        (``geokey``: the paths on screen), then on each URL change (``changed="search"``;
        ``held``: the key of the bundle the browser holds)."""
        output = self.output_of(f"{ids.MAP_RECOLOURS}.data")
        url = ids.url("map")
        inputs = [_spec(ids.MAP_DRAWN, "data", geokey), _spec(url, "search", search)]
        state = [_spec(url, "pathname", pathname), _spec(ids.MAP_RECOLOURS_KEY, "data", *held)]
        outputs = [_spec(i, p) for i, p in split_output(output)]
        trigger = (url, "search") if changed == "search" else (ids.MAP_DRAWN, "data")
        return self._body(output, outputs, inputs, [trigger], state)

    def drill(self, click: Any, search: str) -> dict[str, Any]:
        """A click on the map (its click store); ``drill_click`` builds a realistic one."""
        url = ids.url("map")
        output = self.output_of(f"{sid(url)}.href")
        ((component_id, prop),) = split_output(output)
        return self._body(
            output,
            _spec(component_id, prop),
            [_spec(ids.MAP_GRAPH, svgmap.CLICK_PROP, click)],
            [(ids.MAP_GRAPH, svgmap.CLICK_PROP)],
            [_spec(url, "search", search)],
        )

    def download(
        self, pathname: str, search: str, *, fmt: str = "csv", clicks: int = 1
    ) -> dict[str, Any]:
        """A download button (``clicks=0``: the call Dash makes when the buttons appear)."""
        output = self.output_of(f"{ids.DOWNLOAD}.data")
        url = ids.url(page_of(pathname))
        buttons = [{"fmt": f, "type": ids.DOWNLOAD_BUTTON} for f in DOWNLOAD_FORMATS]
        inputs = [[_spec(b, "n_clicks", clicks if b["fmt"] == fmt else 0) for b in buttons]]
        changed = [(b, "n_clicks") for b in buttons if clicks == 0 or b["fmt"] == fmt]
        state = [[_spec(url, "pathname", pathname)], [_spec(url, "search", search)]]
        return self._body(output, _spec(ids.DOWNLOAD, "data"), inputs, changed, state)

    def table_body(
        self, table: str, pathname: str, search: str, state: Any = None
    ) -> dict[str, Any]:
        """A sortable table re-rendered for a new search (or table state)."""
        output = self.output_of(f'"type":"{components.TABLE_BODY}"}}.children')
        url = ids.url(page_of(pathname))
        state_id = {"table": table, "type": components.TABLE_STATE}
        value = state if state is not None else components.table_state(("waarde", True))
        return self._body(
            output,
            _spec({"table": table, "type": components.TABLE_BODY}, "children"),
            [_spec(state_id, "data", value), [_spec(url, "search", search)]],
            [(url, "search")],
            [
                [_spec(url, "pathname", pathname)],
                _spec(state_id, "id", {"type": components.TABLE_STATE, "table": table}),
            ],
        )

    def nav(self, pathname: str, search: str) -> dict[str, Any]:
        """The header links following a new search."""
        output = self.output_of(f"{ids.BRAND}.href")
        url = ids.url(page_of(pathname))
        links = [_spec({"page": r.key, "type": ids.NAV_LINK}, "href") for r in routes.NAV]
        return self._body(
            output,
            [links, _spec(ids.BRAND, "href"), _spec(ids.LANG_LINK, "href")],
            [[_spec(url, "search", search)]],
            [(url, "search")],
            [[_spec(url, "pathname", pathname)]],
        )

    def whatif(
        self,
        pathname: str,
        search: str,
        *,
        weights: Sequence[float] | None = None,
        threshold: Any = 80,
        min_population: Any = 200,
        reference: Any = "nl",
        max_age: Any = DEFAULT_MAX_AGE,
    ) -> dict[str, Any]:
        """The what-if controls following a new search."""
        output = self.output_of(f"{ids.WHATIF_THRESHOLD}.value")
        url = ids.url(page_of(pathname))
        weight_ids = [{"domain": d, "type": ids.WHATIF_WEIGHT} for d in SCORED_DOMAINS]
        values = list(weights) if weights is not None else [1] * len(weight_ids)
        singles = (
            ids.WHATIF_THRESHOLD, ids.WHATIF_MIN_POPULATION, ids.WHATIF_REFERENCE,
            ids.WHATIF_MAX_AGE,
        )  # fmt: skip
        outputs = [
            [_spec(url, self._duplicate(output, "search"))],
            [_spec(w, "value") for w in weight_ids],
            *(_spec(s, "value") for s in singles),
            _spec(ids.WHATIF_SUMMARY, "children"),
        ]
        inputs = [
            [_spec(url, "search", search)],
            [_spec(w, "value", v) for w, v in zip(weight_ids, values, strict=False)],
            _spec(ids.WHATIF_THRESHOLD, "value", threshold),
            _spec(ids.WHATIF_MIN_POPULATION, "value", min_population),
            _spec(ids.WHATIF_REFERENCE, "value", reference),
            _spec(ids.WHATIF_RESET, "n_clicks", 0),
            _spec(ids.WHATIF_MAX_AGE, "value", max_age),
        ]
        return self._body(output, outputs, inputs, [(url, "search")])


def drill_click(code: str) -> dict[str, Any]:
    """What the map (``assets/zicht-map.js``) reports for a click on the area ``code``."""
    return {"points": [{"location": code}], "t": 1}


def components_of(tree: Any) -> Iterator[dict[str, Any]]:
    """Every Dash component (``{"type", "namespace", "props"}``) in a response, depth first;
    figures are not searched."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            props = node.get("props")
            if "namespace" in node and isinstance(props, Mapping):
                yield dict(node)
                stack.extend(v for k, v in props.items() if k != "figure")
            else:
                stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(reversed(node))


def find(tree: Any, component_id: str | Mapping[str, Any]) -> dict[str, Any] | None:
    """The props of the component with this id in a response, or ``None``."""
    for component in components_of(tree):
        if component["props"].get("id") == component_id:
            return dict(component["props"])
    return None


def output(response: Mapping[str, Any], component_id: Any, prop: str) -> Any:
    """The value a callback response sets for one output (``None`` when it sets none)."""
    changed = response.get("response", {}).get(sid(component_id), {})
    for key, value in changed.items():
        if key == prop or key.startswith(prop + "@"):
            return value
    return None


def prop(response: Mapping[str, Any], component_id: Any, name: str) -> Any:
    """A prop of a component inside the page content of a router response."""
    content = output(response, "_pages_content", "children")
    props = find(content, component_id) if content is not None else None
    return None if props is None else props.get(name)
