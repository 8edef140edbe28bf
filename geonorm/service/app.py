"""The HTTP side of the service: a Starlette application over
:class:`~geonorm.service.protocol.Service`, and :func:`run` to serve it
with uvicorn.

Routes (all read-only, ``GET``; ``/reconcile`` takes ``POST`` too):

- ``/reconcile``: the endpoint to give OpenRefine. Without parameters, the
  manifest; with ``queries`` (JSON), a reconciliation batch; with ``extend``
  (JSON), data extension; by query string or a form-encoded ``POST``.
- ``/suggest/entity``, ``/suggest/type``, ``/suggest/property``: ``prefix``,
  optional ``type``, ``limit``.
- ``/extend/propose``: ``type``, optional ``limit``.
- ``/preview?id=...`` and ``/view?id=...``: an entity as HTML.
- ``/lookup?q=...&kind=...`` (and ``/``): the look-up page.

Every response carries CORS headers (``Access-Control-Allow-Origin: *``);
``OPTIONS`` answers preflight requests. Limits: a body of
:data:`MAX_BODY` bytes, :data:`~geonorm.service.protocol.MAX_QUERIES`
queries a batch, :data:`~geonorm.service.protocol.MAX_QUERY_LENGTH`
characters a query; past them, a 4xx answer with a JSON ``{"error": ...}``.
"""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, MutableMapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from .. import default_registry
from ..registry import Registry
from . import pages
from .properties import KIND_NAMES
from .protocol import MAX_QUERY_LENGTH, BadRequest, Service, query_int

__all__ = ["MAX_BODY", "create_app", "run"]

#: Bytes in one request body, at most.
MAX_BODY = 1_000_000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
    (b"access-control-allow-headers", b"*"),
    (b"access-control-max-age", b"86400"),
]


class _Cors:
    """CORS headers on every HTTP response, errors included, and the answer
    to preflight (``OPTIONS``) requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS":
            await send({"type": "http.response.start", "status": 204, "headers": list(_CORS)})
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == _CORS[0][0] for name, _ in headers):
                    message["headers"] = [*headers, *_CORS]
            await send(message)

        await self.app(scope, receive, with_cors)


def _error(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    # With the CORS headers of its own: a 500 is sent from outside _Cors.
    cors = {name.decode(): value.decode() for name, value in _CORS}
    return JSONResponse({"error": message}, status_code=status, headers={**cors, **(headers or {})})


async def _params(request: Request) -> dict[str, str]:
    """The query string's parameters, and a form-encoded body's."""
    params = dict(request.query_params)
    if request.method == "POST":
        declared = request.headers.get("content-length")
        if declared is not None and (not (declared.isascii() and declared.isdigit()) or int(declared) > MAX_BODY):
            raise HTTPException(413, f"the body is larger than {MAX_BODY} bytes")
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                raise HTTPException(413, f"the body is larger than {MAX_BODY} bytes")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if body and kind not in ("application/x-www-form-urlencoded", ""):
            raise HTTPException(415, "send the parameters form-encoded (application/x-www-form-urlencoded)")
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
        except UnicodeDecodeError:
            raise BadRequest("the body is not UTF-8") from None
    return params


def _json(params: dict[str, str], name: str) -> object:
    try:
        value = json.loads(params[name])
        # Lone surrogates ("\ud800") parse, but cannot be answered in UTF-8.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except json.JSONDecodeError as exc:
        raise BadRequest(f"{name} is not valid JSON: {exc.msg} at character {exc.pos}") from None
    except UnicodeEncodeError:
        raise BadRequest(f"{name} has text that is not Unicode (an unpaired surrogate)") from None
    except (ValueError, RecursionError):
        # Integers of thousands of digits; arrays nested thousands deep.
        raise BadRequest(f"{name} is JSON this service does not read (too deep, or a number too long)") from None
    return value


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def create_app(registry: Registry | None = None) -> Starlette:
    """The service as an ASGI application, answering from ``registry`` (by
    default geonorm's own), for any ASGI server or test client.

    >>> from geonorm.service import create_app
    >>> app = create_app()
    >>> [route.path for route in app.routes][:3]
    ['/', '/reconcile', '/suggest/entity']
    """
    service = Service(registry or default_registry)

    def answer(params: dict[str, str], base: str) -> Response:
        if "queries" in params:
            return JSONResponse(service.reconcile(_json(params, "queries")))
        if "extend" in params:
            return JSONResponse(service.extend(_json(params, "extend")))
        return JSONResponse(service.manifest(base))

    async def reconcile(request: Request) -> Response:
        params = await _params(request)
        # The work runs in a worker thread: a long batch never holds up the
        # event loop, and so the other requests.
        return await run_in_threadpool(answer, params, _base(request))

    def suggest_entity(request: Request) -> Response:
        p = request.query_params
        limit = query_int(p.get("limit"), 10, "limit")
        return JSONResponse(service.suggest_entity(p.get("prefix", ""), p.get("type") or None, limit))

    def suggest_type(request: Request) -> Response:
        return JSONResponse(service.suggest_type(request.query_params.get("prefix", "")))

    def suggest_property(request: Request) -> Response:
        p = request.query_params
        return JSONResponse(service.suggest_property(p.get("prefix", ""), p.get("type") or None))

    def propose(request: Request) -> Response:
        p = request.query_params
        limit = query_int(p.get("limit"), 0, "limit") or None
        return JSONResponse(service.propose(p.get("type") or None, limit))

    def _entity_page(render: Callable[[Registry, Any], str]) -> Callable[[Request], Response]:
        def page(request: Request) -> Response:
            eid = request.query_params.get("id", "")
            entity = service.registry.get(eid) if eid else None
            if entity is None:
                return HTMLResponse(pages.not_found(eid), status_code=404)
            return HTMLResponse(render(service.registry, entity))

        return page

    def lookup(request: Request) -> Response:
        p = request.query_params
        query = p.get("q", "")
        kind = p.get("kind") or None
        if kind is not None and kind not in KIND_NAMES:
            return HTMLResponse(pages.lookup(query, None, [], None, f"unknown kind {kind!r}"), status_code=400)
        if len(query) > MAX_QUERY_LENGTH:
            message = f"the name is too long (at most {MAX_QUERY_LENGTH} characters)"
            return HTMLResponse(pages.lookup("", kind, [], None, message), status_code=400)
        found = service.registry.candidates(query, kind) if query.strip() else []
        best = service.registry.resolve(query, kind) if found else None
        return HTMLResponse(pages.lookup(query, kind, found, best))

    async def home(_: Request) -> Response:
        return RedirectResponse("lookup", status_code=307)

    async def bad_request(_: Request, exc: Exception) -> Response:
        return _error(400, str(exc))

    async def http_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _error(exc.status_code, exc.detail, exc.headers)

    async def server_error(_: Request, exc: Exception) -> Response:
        return _error(500, f"the service failed on this request ({type(exc).__name__}); please report it")

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Load the tables and build the suggest index before the first request.
        service.registry.resolve("India")
        service.prefixes  # noqa: B018
        yield

    routes = [
        Route("/", home),
        Route("/reconcile", reconcile, methods=["GET", "POST"]),
        Route("/suggest/entity", suggest_entity),
        Route("/suggest/type", suggest_type),
        Route("/suggest/property", suggest_property),
        Route("/extend/propose", propose),
        Route("/preview", _entity_page(pages.preview)),
        Route("/view", _entity_page(pages.view)),
        Route("/lookup", lookup),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={BadRequest: bad_request, HTTPException: http_error, Exception: server_error},
        lifespan=lifespan,
    )
    app.add_middleware(_Cors)
    return app


def run(registry: Registry | None = None, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve :func:`create_app` with uvicorn on ``host``:``port`` until
    interrupted. :class:`OSError` when the address cannot be listened on
    (a port in use, say), before anything is announced. ``geonorm serve``
    calls it; from Python, with a table of your own::

        from geonorm import Registry
        from geonorm.service import run

        mine = Registry()
        mine.load("my-aliases.toml")
        run(mine, port=8000)
    """
    import uvicorn

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, so that asyncio sets TCP_NODELAY on the connections (with
    # Nagle and delayed ACKs, a keep-alive answer would wait 40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    print(
        f"geonorm: reconciliation endpoint http://{shown}:{port}/reconcile, look-up page http://{shown}:{port}/lookup"
    )
    server = uvicorn.Server(uvicorn.Config(create_app(registry), log_level="warning"))
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
