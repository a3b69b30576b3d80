"""The transport of the extract step: a retrying HTTP session and the mirror files it feeds.

:class:`RetryingSession` is a drop-in :class:`requests.Session` that retries transient
failures (connection errors, timeouts, answers cut off mid-body, HTTP 429/500/502/503/504 and
JSON bodies that do not parse) with bounded exponential backoff, applies the timeout of
:class:`~etl.settings.Settings` when the caller gives none, and ends in an
:class:`~etl.errors.ExtractError` or :class:`~etl.errors.SourceFormatError` whose message says
what was being fetched, from where, how often it was tried, the last error and what to do next.
:func:`session_class` binds the settings to a subclass that takes no arguments, for clients
such as ``cbsodata`` that build their sessions themselves. The module also owns the JSON files
of the mirror layout (``cbs/<TABLE>/<Subtable>.json``, ``pdok/gebiedsindelingen/<YEAR>/<layer>
.json``): :func:`write_json` caches a live answer atomically, :func:`read_json` reads one back.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import requests
import urllib3.exceptions

from etl.errors import ExtractError, SourceFormatError
from etl.files import atomic_write_bytes
from etl.settings import Settings

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
"""Receives one human-readable line per page fetched."""

Sleep = Callable[[float], None]
"""Waits a number of seconds; tests pass a recorder instead of :func:`time.sleep`."""

CHUNK: Final = 1 << 16
"""Bytes read from a body at a time; each read returns what has arrived."""

RETRY_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
"""HTTP statuses that mean "try again later"."""

TRANSIENT_ERRORS: Final = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
    urllib3.exceptions.ProtocolError,
    http.client.IncompleteRead,
)
"""Exceptions of a request that may succeed when repeated (including bodies cut off)."""

_CUT_OFF: Final = (
    requests.exceptions.ChunkedEncodingError,
    urllib3.exceptions.ProtocolError,
    http.client.IncompleteRead,
)

NEXT_STEP: Final = (
    "Check the network connection and the service URL (ZICHT_CBS_URL, ZICHT_DATADERDEN_URL "
    "or ZICHT_PDOK_URL), try again later, or build offline from a mirror directory with "
    "`--source DIR`."
)


@dataclass(frozen=True)
class Target:
    """What a request fetches, in words, for error messages and progress lines.

    Attributes
    ----------
    what
        E.g. ``"CBS table 85318NED, subtable TypedDataSet, page 2"``.
    missing
        What an HTTP 404 means for this request, e.g. ``"missing subtable: ..."``.
    """

    what: str
    missing: str = "the service does not have it"


Describe = Callable[[str], Target]
"""Turns the URL of a request into the :class:`Target` it fetches."""

OnJson = Callable[[str, Any], None]
"""Called with the URL and the parsed body of every valid JSON answer; may raise."""


def _describe_url(url: str) -> Target:
    return Target(what=url)


@dataclass(frozen=True)
class _Failure:
    """One failed attempt: what went wrong and whether it was a body that did not parse."""

    error: str
    invalid_json: bool = False
    retry_after: float | None = None


class RetryingSession(requests.Session):
    """A :class:`requests.Session` that retries transient failures and checks JSON bodies.

    Every request is tried at most ``settings.retries + 1`` times; the wait before retry *n*
    (1-based) is ``settings.backoff * 2 ** (n - 1)`` seconds, at least the ``Retry-After`` the
    server asked for, and never more than ``settings.backoff_max``. A request without a
    ``timeout`` gets ``settings.timeout`` seconds (connect and read). The body is read in
    pieces against a deadline of ``settings.deadline`` seconds for the whole attempt, so a
    server that trickles bytes slower than the read timeout notices cannot hold a request open.

    Parameters
    ----------
    settings
        Retries, backoff and timeout; the defaults of :class:`~etl.settings.Settings` if None.
    sleep
        How to wait between attempts.
    describe
        Names what a URL fetches, for messages; defaults to the URL itself.
    on_json
        Called with each valid JSON answer (to count pages, report progress or check shape).
    allow_status
        Statuses handed back to the caller as they are instead of raising (e.g. ``{404}``
        where "not found" is an answer).
    expect_json
        Whether a 2xx body must parse as JSON; an invalid body counts as a transient failure.

    Raises
    ------
    etl.errors.ExtractError
        When all attempts failed, or at once for a status that retrying cannot fix (4xx).
    etl.errors.SourceFormatError
        When the last attempt answered with a body that is not valid JSON.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        sleep: Sleep = time.sleep,
        describe: Describe = _describe_url,
        on_json: OnJson | None = None,
        allow_status: frozenset[int] = frozenset(),
        expect_json: bool = True,
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self._sleep = sleep
        self._describe = describe
        self._on_json = on_json
        self._allow_status = allow_status
        self._expect_json = expect_json
        self._depth = 0  # > 0 while requests follows redirects inside our own send

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        """Send a prepared request with retries; see the class docstring."""
        if self._depth:  # a redirect hop: the outer call retries the whole exchange
            return super().send(request, **kwargs)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.settings.timeout
        kwargs["stream"] = True  # the body is read by _read_body, against the deadline
        proxies = kwargs.get("proxies")
        if isinstance(proxies, Mapping) and not any(proxies.values()):
            del kwargs["proxies"]  # empty proxy maps (cbsodata's) would bypass NO_PROXY handling
        url = request.url or ""
        attempts = max(self.settings.retries, 0) + 1
        failure = _Failure("no attempt was made")
        for attempt in range(1, attempts + 1):
            target = self._describe(url)
            outcome = self._attempt(request, kwargs, target)
            if isinstance(outcome, requests.Response):
                return outcome
            failure = outcome
            if attempt < attempts:
                wait = self.delay(attempt, failure.retry_after)
                log.info(
                    "%s: attempt %d of %d failed (%s); retrying in %.1f s",
                    target.what,
                    attempt,
                    attempts,
                    failure.error,
                    wait,
                )
                self._sleep(wait)
        target = self._describe(url)
        message = (
            f"Could not fetch {target.what} from {url}: gave up after {attempts} "
            f"attempt{'s' if attempts != 1 else ''}; last error: {failure.error}. {NEXT_STEP}"
        )
        if failure.invalid_json:
            raise SourceFormatError(message)
        raise ExtractError(message)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Return the seconds to wait after failed attempt number ``attempt`` (1-based)."""
        s = self.settings
        wait = s.backoff * 2.0 ** (attempt - 1)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return max(0.0, min(wait, s.backoff_max))

    def _attempt(
        self, request: requests.PreparedRequest, kwargs: dict[str, Any], target: Target
    ) -> requests.Response | _Failure:
        self._depth += 1
        started = time.monotonic()
        try:
            response = super().send(request, **kwargs)
        except requests.Timeout as exc:
            return _Failure(
                f"no answer within the timeout of {kwargs['timeout']} s "
                f"({type(exc).__name__}; raise ZICHT_TIMEOUT for a slow service)"
            )
        except _CUT_OFF as exc:
            return _Failure(
                _short(f"the answer was cut off mid-body ({type(exc).__name__}: {exc})")
            )
        except TRANSIENT_ERRORS as exc:
            return _Failure(
                _short(f"no connection, or it was closed early ({type(exc).__name__}: {exc})")
            )
        finally:
            self._depth -= 1
        late = self._read_body(response, started, kwargs["timeout"])
        if late is not None:
            return late
        status = response.status_code
        if 200 <= status < 300:
            return self._checked(response)
        if status in self._allow_status:
            return response
        response.close()
        reason = f"HTTP {status} {response.reason or ''}".rstrip()
        said = " ".join(response.text.split())
        if said:
            reason += f" ({_short(said, 200)})"
        if status in RETRY_STATUSES:
            return _Failure(reason, retry_after=_retry_after(response))
        detail = (
            target.missing
            if status == 404
            else "the service refused the request, and retrying will not help; check the "
            "service URL (ZICHT_CBS_URL, ZICHT_DATADERDEN_URL or ZICHT_PDOK_URL) or build "
            "offline with `--source DIR`"
        )
        raise ExtractError(
            f"Could not fetch {target.what} from {response.url}: {reason}; {detail}."
        )

    def _read_body(
        self, response: requests.Response, started: float, timeout: object
    ) -> _Failure | None:
        """Read a streamed body in pieces until it ends or the deadline passes."""
        deadline = self.settings.deadline
        chunks: list[bytes] = []
        received = 0
        try:
            while True:
                if time.monotonic() - started > deadline:
                    response.close()
                    return _Failure(
                        f"no complete answer within the deadline of {deadline:g} s "
                        f"({received:,} bytes received; the server sends too slowly; raise "
                        "ZICHT_DEADLINE for a slow service)"
                    )
                chunk = response.raw.read1(CHUNK, decode_content=True)
                if not chunk:
                    break
                chunks.append(chunk)
                received += len(chunk)
        except (urllib3.exceptions.ReadTimeoutError, TimeoutError) as exc:
            response.close()
            return _Failure(
                f"no answer within the timeout of {timeout} s "
                f"({type(exc).__name__}; raise ZICHT_TIMEOUT for a slow service)"
            )
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
            response.close()
            return _Failure(
                _short(f"the answer was cut off mid-body ({type(exc).__name__}: {exc})")
            )
        response._content = b"".join(chunks)
        response._content_consumed = True  # type: ignore[attr-defined]
        response.close()  # the connection goes back to the pool
        return None

    def _checked(self, response: requests.Response) -> requests.Response | _Failure:
        if not self._expect_json:
            return response
        body = response.content
        try:
            payload = json.loads(body)
        except (ValueError, RecursionError) as exc:  # JSON, UTF-8, nested too deep
            return _Failure(
                f"the answer is not valid JSON (truncated? {len(body):,} bytes; {exc})",
                invalid_json=True,
            )
        if self._on_json is not None:
            self._on_json(response.url, payload)
        return response


def session_class(
    settings: Settings,
    *,
    sleep: Sleep = time.sleep,
    describe: Describe = _describe_url,
    on_json: OnJson | None = None,
    allow_status: frozenset[int] = frozenset(),
) -> type[RetryingSession]:
    """Return a :class:`RetryingSession` subclass whose constructor takes no arguments.

    For clients that build their own sessions (``cbsodata`` calls ``Session()`` for every
    page): each instance gets the options given here.
    """

    class BoundRetryingSession(RetryingSession):
        def __init__(self) -> None:
            super().__init__(
                settings,
                sleep=sleep,
                describe=describe,
                on_json=on_json,
                allow_status=allow_status,
            )

    return BoundRetryingSession


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def write_json(path: Path, data: Any, *, indent: int | None = None) -> None:
    """Write JSON atomically: a temporary file in the same directory, then a rename.

    Readers see the old file or the new one, never half of one. ``indent=1`` gives the layout
    ``cbsodata`` mirrors use; ``None`` the compact layout of WFS answers.

    Raises
    ------
    etl.errors.ExtractError
        If the directory cannot be created or written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, json.dumps(data, indent=indent, ensure_ascii=False).encode())
    except OSError as exc:
        raise ExtractError(
            f"Could not write the cache file {path} ({exc}); check that ZICHT_RAW "
            f"({path.parent}) is a writable directory with free space."
        ) from exc


def read_json(path: Path, *, what: str) -> Any:
    """Read a JSON file of a mirror directory.

    Parameters
    ----------
    path
        The file.
    what
        What the file holds, for messages (``"CBS table 85318NED, subtable TypedDataSet"``).

    Raises
    ------
    etl.errors.ExtractError
        If the file cannot be read.
    etl.errors.SourceFormatError
        If it is not valid JSON.
    """
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise ExtractError(
            f"Could not read {what} from {path} ({exc}); check the --source directory."
        ) from exc
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        raise SourceFormatError(
            f"{path} ({what}) is not valid JSON (truncated? {len(text):,} bytes; {exc}). "
            "Restore the file from the mirror, or fetch it again live (omit --source)."
        ) from exc
