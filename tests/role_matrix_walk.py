"""The walker behind tests/test_role_matrix.py: every URL the project serves, and one request made safely.

``routes()`` lists every URL pattern from the resolver (recursively) as a normalised key — the route with its
converters and regular-expression groups reduced to ``<name>``: ``liaison/problems/<pk>/<action>/``,
``api/v1/problems/<pk>/accept/`` — with the HTTP methods it answers when that is knowable (DRF viewsets and API
views). Patterns left out, each for its reason, are in ``SKIPPED``.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass

from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

# Left out of the walk, with the reason.
SKIPPED = {
    "admin/": "Django's admin: its own is_staff gate and permission system, not the role scoping under test",
}
FORMAT_SUFFIX = "(?P<format>"  # DRF's `.json` twin of a route: the same view as the route without it

_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
_GROUP_NAME = re.compile(r"<\w+>")
WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    key: str  # normalised route, e.g. "api/v1/problems/<pk>/accept/"
    pattern: URLPattern
    methods: tuple[str, ...] | None  # the write methods it serves, when knowable (None: a plain Django view)
    is_api: bool
    is_viewset: bool

    def url(self, kwargs: dict, fill: str | None = None, query: str = "") -> str:
        path = self.key
        for name, value in kwargs.items():
            path = path.replace(f"<{name}>", str(value))
        if fill is not None:
            path = _GROUP_NAME.sub(fill, path)
        assert "<" not in path, f"{self.key}: no value for {path}"
        return "/" + path + (f"?{query}" if query else "")


def normalise(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = _GROUP.sub(r"<\1>", route)
    return _CONVERTER.sub(r"<\1>", route)


def _write_methods(pattern: URLPattern) -> tuple[tuple[str, ...] | None, bool]:
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a DRF viewset route: its method → action mapping, less the methods it refuses
        served = callback.cls.http_method_names
        return tuple(m for m in WRITE_METHODS if m in actions and m in served), True
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None and hasattr(cls, "http_method_names"):
        names = [m for m in WRITE_METHODS if m in cls.http_method_names and hasattr(cls, m)]
        return tuple(names), False
    return None, False


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for raw, pattern in _walk(get_resolver().url_patterns):
        if FORMAT_SUFFIX in raw or "drf_format_suffix" in raw or any(raw.startswith(prefix) for prefix in SKIPPED):
            continue
        key = normalise(raw)
        if key in seen:
            continue
        methods, is_viewset = _write_methods(pattern)
        seen[key] = Route(key, pattern, methods, key.startswith("api/"), is_viewset)
    return list(seen.values())


def body(response) -> bytes:
    """An answer's bytes; a spreadsheet (a zip: .xlsx) as its members' XML, where the cells' text is."""
    content = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"".join(archive.read(n) for n in archive.namelist() if n.endswith(".xml"))
    return content


def request(client, method: str, url: str, *, is_api: bool):
    """One request, its database writes and cookies rolled back: every persona meets the same world, logged in."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if is_api:
            response = getattr(client, method)(url, {}, format="json") if method != "get" else client.get(url)
        else:
            response = getattr(client, method)(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response
