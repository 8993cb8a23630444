"""Direct dispatch of the public GET routes: one thread-pool hop, no router walk, no DI solver.

Wallets, verifiers and employers hit the public documents, images and pages far more than
anything else, and most of a request's time went to the framework around the route: the
router trying routes in order, the dependency solver, and three thread-pool hops (the
session dependency's enter and exit and the sync endpoint). :class:`DirectRoutes` answers
those routes itself, calling **the same endpoint functions** with the same unit of work:

- the route is found by its first path segment and its own regular expression;
- path, query and header parameters are validated by the route's own FastAPI fields;
- the session dependency (``db.get_session``, or its override in tests) is entered, the
  endpoint called and the session closed (commit or rollback) in **one** worker thread;
  routes that read single statements (``db.get_reads``) get a pooled connection in that
  thread instead, and on SQLite the loop thread's held connection (``db.HeldReads``);
  the other dependencies it accepts are async functions of the request alone (settings,
  links), awaited on the loop. On SQLite there is no hop at all: these reads are local
  file reads that never wait for a writer (WAL), where a thread only adds its cost (a
  quarter of a JSON document's request, a third of a cached page's). A page's first
  rendering (it verifies the badge: about 10 ms of CPU) then holds the loop; in a thread
  it would hold the GIL for as long, releasing it every 5 ms. On a database server every
  route keeps its thread, so that the loop stays free while the server answers.

Anything else is left to FastAPI untouched: other methods and paths, a parameter that does
not validate, a route with other dependencies, and any exception the endpoint raises (a
404 or 410 problem, a bug): the request is then handled again by the full stack, which
renders it as before. These routes only read, so running one again is harmless; the
response is only sent by whoever produced it whole.
"""

import inspect
import re
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, get_type_hints

from anyio import to_thread
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, APIRouter
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from badgeforge.db import HeldReads, Reads, get_reads, get_session

_MISSING = object()
Values = dict[str, Any]


@dataclass(frozen=True)
class _Param:
    """One query or header parameter: where to read it and the route's field to check it."""

    name: str
    key: str
    field: Any  # fastapi's ModelField (validate, get_default)


@dataclass(frozen=True)
class _Direct:
    """A route answered directly, with what its endpoint needs."""

    route: APIRoute
    regex: re.Pattern[str]
    path_fields: dict[str, Any]
    query: tuple[_Param, ...]
    headers: tuple[_Param, ...]
    unit_name: str
    unit: Callable[..., Any]  # get_session or get_reads
    async_deps: tuple[tuple[str, Callable[..., Awaitable[Any]]], ...]


def _header_key(field: Any) -> str:
    info = field.field_info
    if info.alias and info.alias != field.name:
        return str(info.alias).lower()
    name: str = field.name
    return name.replace("_", "-") if getattr(info, "convert_underscores", True) else name


def _returns_response(endpoint: Callable[..., Any]) -> bool:
    try:
        returned = get_type_hints(endpoint).get("return")
    except (NameError, TypeError):
        return False
    return isinstance(returned, type) and issubclass(returned, Response)


def _plain(dependant: Dependant) -> bool:
    """A dependant that takes nothing but the request (state readers: settings, links)."""
    return not (
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.dependencies
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    )


def direct_route(route: APIRoute) -> _Direct | None:
    """How to answer ``route`` directly, or None when only FastAPI can."""
    dependant = route.dependant
    if (
        route.methods != {"GET"}
        or inspect.iscoroutinefunction(route.endpoint)
        or not _returns_response(route.endpoint)
        or dependant.cookie_params
        or dependant.body_params
        or dependant.request_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    ):
        return None
    unit_name, unit = "", None
    async_deps = []
    for sub in dependant.dependencies:
        if sub.call in (get_session, get_reads) and unit is None and sub.name:
            unit_name, unit = sub.name, sub.call
        elif inspect.iscoroutinefunction(sub.call) and _plain(sub) and sub.name:
            async_deps.append((sub.name, sub.call))
        else:
            return None
    if unit is None:
        return None
    return _Direct(
        route,
        route.path_regex,
        {field.name: field for field in dependant.path_params},
        tuple(_Param(f.name, f.alias, f) for f in dependant.query_params),
        tuple(_Param(f.name, _header_key(f), f) for f in dependant.header_params),
        unit_name,
        unit,
        tuple(async_deps),
    )


def _first_segment(path: str) -> str:
    return path.split("/", 2)[1] if path.count("/") >= 1 else ""


class DirectRoutes:
    """ASGI middleware answering the eligible GET routes of ``routers`` directly."""

    def __init__(self, app: ASGIApp, *, routers: Iterable[APIRouter]) -> None:
        self.app = app
        self._routers = tuple(routers)
        self._table: dict[str, list[_Direct]] | None = None
        self._inline: bool | None = None
        self.answered = 0

    def table(self) -> dict[str, list[_Direct]]:
        """Eligible routes by the first segment of their path (built at first use)."""
        if self._table is None:
            table: dict[str, list[_Direct]] = {}
            for router in self._routers:
                for route in router.routes:
                    if not isinstance(route, APIRoute) or route.path.startswith("/{"):
                        continue
                    direct = direct_route(route)
                    if direct is not None:
                        table.setdefault(_first_segment(route.path), []).append(direct)
            self._table = table
        return self._table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        for direct in self.table().get(_first_segment(path), ()):
            match = direct.regex.match(path)
            if match is not None:
                response = await self._answer(direct, match, scope, receive)
                if response is None:
                    break
                self.answered += 1
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _answer(
        self, direct: _Direct, match: re.Match[str], scope: Scope, receive: Receive
    ) -> Response | None:
        """The endpoint's response, or None to let FastAPI handle the request."""
        route = direct.route
        raw = match.groupdict()
        path_params = {n: route.param_convertors[n].convert(v) for n, v in raw.items()}
        scope["path_params"] = path_params
        scope["endpoint"] = route.endpoint
        scope["route"] = route
        request = Request(scope, receive)
        values = _validated(direct, path_params, request)
        if values is None:
            return None
        app: FastAPI = scope["app"]
        overrides = getattr(app, "dependency_overrides", {})
        for name, call in direct.async_deps:
            override = overrides.get(call)
            values[name] = await (override() if override is not None else call(request))
        if self._inline is None:
            engine = getattr(app.state, "engine", None)
            self._inline = engine is not None and engine.dialect.name == "sqlite"
        override = overrides.get(direct.unit)
        held: HeldReads | None = getattr(app.state, "held_reads", None)
        if direct.unit is get_reads and override is None and self._inline and held is not None:
            try:
                response = route.endpoint(**values, **{direct.unit_name: held.connection()})
            except SQLAlchemyError:
                held.discard()  # the next read opens a fresh connection
                return None
            except Exception:
                return None  # rendered by the full stack (problem handlers), run again there
            return response if isinstance(response, Response) else None
        unit_scope = _unit_scope(direct.unit, override, request)
        if unit_scope is None:
            return None

        def run() -> Any:
            with unit_scope as unit:
                return route.endpoint(**values, **{direct.unit_name: unit})

        try:
            response = run() if self._inline else await to_thread.run_sync(run)
        except Exception:
            return None  # rendered by the full stack (problem handlers), run again there
        return response if isinstance(response, Response) else None


def _validated(direct: _Direct, path_params: Values, request: Request) -> Values | None:
    values: Values = {}
    for name, raw in path_params.items():
        value, errors = direct.path_fields[name].validate(raw, values, loc=("path", name))
        if errors:
            return None
        values[name] = value
    for params, source in (
        (direct.query, request.query_params),
        (direct.headers, request.headers),
    ):
        for param in params:
            raw = source.get(param.key, _MISSING)
            if raw is _MISSING:
                if param.field.field_info.is_required():
                    return None
                values[param.name] = param.field.get_default()
                continue
            value, errors = param.field.validate(raw, values, loc=("query", param.key))
            if errors:
                return None
            values[param.name] = value
    return values


def _unit_scope(
    unit: Callable[..., Iterator[Session | Reads]],
    override: Callable[..., Any] | None,
    request: Request,
) -> AbstractContextManager[Session | Reads] | None:
    """What FastAPI would open: ``unit`` (``get_session`` or ``get_reads``), or its
    zero-argument override."""
    if override is None:
        return contextmanager(unit)(request)
    if inspect.isgeneratorfunction(override) and not inspect.signature(override).parameters:
        generator: Callable[[], Iterator[Session | Reads]] = override
        return contextmanager(generator)()
    return None
