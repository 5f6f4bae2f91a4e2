"""The city's HTTP intake (Starlette; `zwdesk city serve` runs it on uvicorn).

    GET  /v1/time                          → 200 {"now": "<ISO-8601 UTC>"}
    POST /v1/stations/{station_id}/register {"token", "public_key"} → 200 {"registered": true}
                                             wrong or used token → 403 {"error"}
    POST /v1/bundles  (X-Zwdesk-Station, body = sealed bundle) → 200 receipt bytes (JSON)
                                             refused → 400/403/413 {"error", "reason"}

Bodies are read in chunks and refused (413) as soon as they pass the limit — a declared
Content-Length over the limit is refused before any of the body is read.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from zwdesk.city.errors import RegistrationError
from zwdesk.city.intake import VIA_HTTP, CityIntake
from zwdesk.city.merge_rows import MergeWorkerError
from zwdesk.sync.errors import BundleRefusedError, RefusalReason

RECEIPT_MEDIA_TYPE = "application/json"
STATION_HEADER = "X-Zwdesk-Station"
MAX_REGISTRATION_BYTES = 16 * 1024
_FORBIDDEN = frozenset({RefusalReason.UNKNOWN_STATION, RefusalReason.BAD_SIGNATURE})
_log = logging.getLogger(__name__)


class _TooLarge(Exception):
    pass


class _BadRequest(Exception):
    pass


class _HungUp(_BadRequest):
    """The client went away before the whole body came (an everyday line failure)."""


def _error(status: int, message: str, reason: str | None = None) -> JSONResponse:
    content = {"error": message} if reason is None else {"error": message, "reason": reason}
    return JSONResponse(content, status_code=status)


def refusal_status(reason: RefusalReason) -> int:
    """413 for sizes, 403 for who-sent-it (station, signature), 400 for everything else."""
    if reason is RefusalReason.OVERSIZED:
        return 413
    return 403 if reason in _FORBIDDEN else 400


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise _TooLarge
        except ValueError as error:
            raise _BadRequest from error
    body = bytearray()
    try:
        async for chunk in request.stream():
            body += chunk
            if len(body) > limit:
                raise _TooLarge
    except ClientDisconnect as error:
        raise _HungUp from error
    return bytes(body)


async def _time(request: Request) -> Response:
    return JSONResponse({"now": datetime.now(UTC).isoformat(timespec="milliseconds")})


def create_app(intake: CityIntake) -> Starlette:
    """The ASGI application over one intake (its database, keys and size limits)."""
    bundle_limit = intake.limits.max_bundle_bytes

    async def register(request: Request) -> Response:
        station_id = request.path_params["station_id"]
        if not station_id.isprintable():  # no station's id (and PostgreSQL cannot store NUL)
            return _error(403, f"站点编号无效：{station_id.encode('unicode_escape').decode()}")
        try:
            document = json.loads(await _read_body(request, MAX_REGISTRATION_BYTES))
            token, public_key = document["token"], document["public_key"]
            if not isinstance(token, str) or not isinstance(public_key, str):
                raise _BadRequest
        except _TooLarge:
            return _error(413, "登记请求过大")
        except (_BadRequest, ValueError, KeyError, TypeError):
            return _error(400, '登记请求应为 JSON：{"token": …, "public_key": …}')
        try:
            await run_in_threadpool(intake.database.register, station_id, token, public_key)
        except RegistrationError as error:
            _log.warning("站点 %s 登记被拒：%s", station_id, error)
            return _error(403, str(error))
        except ValueError as error:
            return _error(400, f"public_key 不是有效的 Ed25519 公钥（{error}）")
        _log.info("站点 %s 已登记", station_id)
        return JSONResponse({"registered": True})

    async def bundles(request: Request) -> Response:
        station_id = request.headers.get(STATION_HEADER, "").strip()
        if not station_id:
            return _error(403, f"缺少 {STATION_HEADER} 请求头", RefusalReason.UNKNOWN_STATION.value)
        try:
            data = await _read_body(request, bundle_limit)
        except _TooLarge:
            return _error(
                413, f"数据包被拒收：超过上限 {bundle_limit} 字节", RefusalReason.OVERSIZED.value
            )
        except _HungUp:  # nobody is left to read the answer; nothing was stored
            _log.info("站点 %s 的上传在传完之前断开", station_id)
            return _error(400, "数据包被拒收：上传在传完之前断开", RefusalReason.TRUNCATED.value)
        except _BadRequest:
            return _error(400, "Content-Length 无效", RefusalReason.WRONG_FORMAT.value)
        try:
            result = await run_in_threadpool(
                intake.receive, data, station_id=station_id, via=VIA_HTTP
            )
        except BundleRefusedError as error:
            _log.warning("站点 %s 的数据包被拒收（%s）：%s", station_id, error.reason.value, error)
            return _error(refusal_status(error.reason), str(error), error.reason.value)
        except MergeWorkerError as error:  # nothing stored: the station sends it again later
            _log.error("站点 %s 的数据包未能接收：%s", station_id, error)
            return _error(503, f"{error}，请稍后重试")
        manifest = result.manifest
        _log.info(
            "站点 %s 数据包 %s（变更 %d–%d）%s",
            station_id,
            manifest.bundle_id,
            manifest.change_from,
            manifest.change_to,
            "已接收" if result.stored else "重复，返回原回执",
        )
        return Response(result.receipt, media_type=RECEIPT_MEDIA_TYPE)

    async def internal_error(request: Request, error: Exception) -> Response:
        _log.exception("处理 %s 时出错", request.url.path, exc_info=error)
        return _error(500, "市里服务内部错误，请稍后重试")

    return Starlette(
        routes=[
            Route("/v1/time", _time, methods=["GET"]),
            Route("/v1/stations/{station_id}/register", register, methods=["POST"]),
            Route("/v1/bundles", bundles, methods=["POST"]),
        ],
        exception_handlers={Exception: internal_error},
    )
