"""The city's sync endpoint over HTTP(S) — three calls, a timeout on each, no retries.

Retrying, backing off and deciding what a failure means for the outbox is the sender's job
(`zwdesk.services.sync_sender`). Failures are typed:

- `CityOfflineError` — no connection, connection dropped or reset, response cut short;
  `CityTimeoutError` (a subclass) when the city did not answer in time. The request may or
  may not have arrived: sending the same bundle again is safe (the city answers with the same
  receipt).
- `CityRefusedError` — the city answered 400/403/413 with `{"error", "reason"}`: it read the
  request and will not take it. Sending the same bytes again will not help.
- `CityServerError` — any other answer (5xx, an unexpected status, an unreadable body).

Protocol: `GET /v1/time` → `{"now": ISO-8601 UTC}`; `POST /v1/stations/{id}/register` with
`{"token", "public_key"}` → `{"registered": true}`; `POST /v1/bundles` (header
`X-Zwdesk-Station`, body the sealed bundle) → the receipt bytes. Idempotent on the city's side.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from typing import Any

from zwdesk.sync.errors import SyncError
from zwdesk.sync.receipt import MAX_RECEIPT_BYTES

DEFAULT_TIMEOUT_SECONDS = 30.0
MAX_RESPONSE_BYTES = MAX_RECEIPT_BYTES + 64 * 1024  # time and errors are tiny
STATION_HEADER = "X-Zwdesk-Station"
REFUSAL_STATUSES = frozenset({400, 403, 413})
_CHUNK = 64 * 1024


class CityOfflineError(SyncError):
    """The city could not be reached, or the connection broke before a whole answer came."""


class CityTimeoutError(CityOfflineError):
    """The city did not answer within the timeout."""


class CityRefusedError(SyncError):
    """The city read the request and refused it; `reason` is its code, the message Chinese."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class CityServerError(SyncError):
    """The city answered, but not with anything this client understands (5xx, bad body)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CityClient:
    """Talks to one city (`base_url` from the enrolment file). Thread-compatible: no state but
    the configuration, each call opens its own connection."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        use_system_proxy: bool = True,
    ) -> None:
        if not base_url.startswith(("https://", "http://")):
            raise ValueError(f"city URL must be http(s): {base_url}")
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._timeout = timeout
        handlers: list[urllib.request.BaseHandler] = []
        if not use_system_proxy:
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)

    @property
    def base_url(self) -> str:
        return self._base_url

    # -- the three calls ---------------------------------------------------------------------
    def server_time(self) -> datetime:
        """The city's clock (`GET /v1/time`), timezone-aware UTC."""
        body = self._request("GET", "v1/time")
        document = self._json(body)
        try:
            return _as_utc(datetime.fromisoformat(str(document["now"])))
        except (KeyError, TypeError, ValueError) as error:
            raise CityServerError(200, f"市里返回的时间无法识别（{error}）") from error

    def register(self, station_id: str, token: str, public_key: str) -> None:
        """Register the station's public signing key with its one-time enrolment token."""
        body = self._request(
            "POST",
            f"v1/stations/{urllib.parse.quote(station_id, safe='')}/register",
            json.dumps({"token": token, "public_key": public_key}).encode("utf-8"),
            {"Content-Type": "application/json"},
        )
        document = self._json(body)
        if document.get("registered") is not True:
            raise CityServerError(200, "市里未确认登记（应答中没有 registered: true）")

    def upload_bundle(self, station_id: str, data: bytes) -> bytes:
        """POST a sealed bundle; the city's signed receipt bytes (verify them before use)."""
        return self._request(
            "POST",
            "v1/bundles",
            data,
            {"Content-Type": "application/octet-stream", STATION_HEADER: station_id},
        )

    # -- plumbing ----------------------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> bytes:
        url = urllib.parse.urljoin(self._base_url, path)
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        deadline = time.monotonic() + self._timeout
        try:
            with self._opener.open(request, timeout=self._timeout) as response:
                status = int(response.status)
                data = self._read(response, deadline)
        except urllib.error.HTTPError as error:
            with error:
                try:
                    data = self._read(error, deadline)
                except (CityOfflineError, CityServerError):
                    data = b""
            raise self._answer_error(int(error.code), data) from None
        except urllib.error.URLError as error:
            raise self._network_error(error.reason, url) from error
        except TimeoutError as error:
            raise CityTimeoutError(f"市里服务器在 {self._timeout:g} 秒内没有应答") from error
        except (http.client.HTTPException, OSError) as error:
            raise self._network_error(error, url) from error
        if status != 200:
            raise self._answer_error(status, data)
        return data

    def _read(self, response: Any, deadline: float) -> bytes:
        """The whole body, within the deadline and the size cap."""
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise CityTimeoutError(f"市里服务器在 {self._timeout:g} 秒内没有应答完")
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise CityServerError(int(response.status), "市里服务器的应答过大")
                chunks.append(chunk)
        except TimeoutError as error:
            raise CityTimeoutError(f"市里服务器在 {self._timeout:g} 秒内没有应答完") from error
        except http.client.IncompleteRead as error:
            raise CityOfflineError("连接中断：市里服务器的应答不完整") from error
        except (http.client.HTTPException, OSError) as error:
            raise CityOfflineError(f"连接中断：{error}") from error
        # read(n) returns b"" at a premature end instead of raising: compare with the header.
        declared = response.headers.get("Content-Length")
        if declared is not None and not declared.strip().isdigit():
            # Cut inside the header's value ("content-length: " then EOF).
            raise CityOfflineError("连接中断：市里服务器的应答不完整（应答头不完整）")
        if declared is not None and int(declared) != size:
            raise CityOfflineError(
                f"连接中断：市里服务器的应答不完整（{size}/{int(declared)} 字节）"
            )
        # The city always states its answer's length (or chunks it). Without either, the
        # connection broke inside the headers — http.client takes EOF there as their end.
        chunked = "chunked" in (response.headers.get("Transfer-Encoding") or "").lower()
        if declared is None and not chunked:
            raise CityOfflineError("连接中断：市里服务器的应答不完整（应答头不完整）")
        return b"".join(chunks)

    def _network_error(self, error: object, url: str) -> CityOfflineError:
        if isinstance(error, TimeoutError):
            return CityTimeoutError(f"市里服务器在 {self._timeout:g} 秒内没有应答")
        return CityOfflineError(f"无法连接市里服务器 {self._base_url}（{error}）")

    @staticmethod
    def _json(body: bytes) -> dict[str, Any]:
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CityServerError(200, f"市里服务器的应答不是 JSON（{error}）") from error
        if not isinstance(document, dict):
            raise CityServerError(200, "市里服务器的应答不是 JSON 对象")
        return document

    @staticmethod
    def _answer_error(status: int, body: bytes) -> CityRefusedError | CityServerError:
        try:
            document = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            document = {}
        if not isinstance(document, dict):
            document = {}
        error = str(document.get("error") or "").strip()
        if status in REFUSAL_STATUSES:
            reason = str(document.get("reason") or "").strip() or f"http-{status}"
            return CityRefusedError(status, reason, error or f"市里拒收（HTTP {status}）")
        detail = f"：{error}" if error else ""
        return CityServerError(status, f"市里服务器出错（HTTP {status}）{detail}")
