"""The suite-wide role matrix: every URL the project serves × every persona, against tests/role_matrix.py.

``test_every_url_is_declared`` walks the API router's registry and the URL resolver and fails naming every URL
that has no entry in ``role_matrix.MATRIX`` (and every entry that no longer matches a URL).

``test_every_persona_meets_the_matrix_on_every_url`` builds one world (the conftest personas plus one sample
object of every kind, A's and B's where the model is scoped) and walks every declared URL as the anonymous
visitor and as each persona: GET, and every write method the route serves (with an empty body, each request's
writes rolled back, so every persona meets the same world). It collects every difference from the table and
every 5xx, and fails once listing them all.

What a declaration means (see role_matrix.Entry):
- anonymous: the API answers 401/403, a page redirects to /login/ (``public`` URLs excepted);
- a persona in ``get``: 200; a persona not in it: 403 or 404 — exactly 404 on an object URL when its twin
  persona (officer_b for officer_a) may open it, since another's object is never admitted to exist;
- on an API list whose detail route has a sample object: the object is listed exactly for who may open it
  (``LIST_FILTERED`` excepted);
- no answer a persona gets names an enterprise outside its sight (``OTHER_SIDE``) unless the entry's ``other``
  lets it;
- writes: a persona in ``write`` is not refused (not 401/403/404/405); anybody else is (403/404/405).

Set ``HZ_ROLE_MATRIX_RECORD=/path/file.py`` to write what each persona actually got instead of asserting
(a starting point when adding endpoints — to read, never to paste blindly).
"""

from __future__ import annotations

import os
from collections import defaultdict

from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from . import role_matrix as rm
from .role_matrix_walk import body, request, routes
from .role_matrix_world import build_world

RECORD = os.environ.get("HZ_ROLE_MATRIX_RECORD", "")


def test_every_url_is_declared():
    keys = {route.key for route in routes()}
    missing = sorted(keys - rm.MATRIX.keys())
    stale = sorted(rm.MATRIX.keys() - keys)
    assert not missing, "URLs with no entry in tests/role_matrix.py MATRIX:\n  " + "\n  ".join(missing)
    assert not stale, "entries in tests/role_matrix.py MATRIX that match no URL:\n  " + "\n  ".join(stale)


def test_the_router_registry_is_walked():
    """Every viewset in the router has its list or detail route (and its @actions) among the walked keys."""
    from hitechzone.api_urls import router

    keys = {route.key for route in routes()}
    for prefix, viewset, _basename in router.registry:
        assert f"api/v1/{prefix}/" in keys or f"api/v1/{prefix}/<pk>/" in keys, prefix
        for action in viewset.get_extra_actions():
            path = rm_walk_normalise(action.url_path)
            found = any(k.startswith(f"api/v1/{prefix}/") and k.endswith(f"/{path}/") for k in keys)
            assert found, f"{prefix}: @action {action.url_path} not walked"


def rm_walk_normalise(path: str) -> str:
    from .role_matrix_walk import normalise

    return normalise(path)


def _clients(world):
    """persona → (page client, API client); "anonymous" included."""
    out = {"anonymous": (Client(raise_request_exception=False), APIClient(raise_request_exception=False))}
    for persona in rm.PERSONAS:
        user = getattr(world.users, persona)
        page = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        page.force_login(user)
        api = APIClient(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
        token, _ = Token.objects.get_or_create(user=user)
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        out[persona] = (page, api)
    return out


def _listed(response, obj, field: str) -> bool | None:
    """Whether ``obj`` is among a list answer's rows, found by ``field`` (None: the answer is no JSON list)."""
    try:
        body = response.json()
    except ValueError:
        return None
    rows = body.get("results") if isinstance(body, dict) else body
    if not isinstance(rows, list):
        return None
    value = obj.pk if field == "id" else getattr(obj, field)
    return any(isinstance(row, dict) and row.get(field) == value for row in rows)


def _detail_sees(key: str):
    """A viewset's list shows its sample object to exactly who may open it: (object, who, row field), or None."""
    if not key.startswith("api/v1/") or not key.endswith("/") or "<" in key:
        return None
    detail = rm.MATRIX.get(f"{key}<pk>/")
    sample = rm.SAMPLES.get(f"{key}<pk>/", {}).get("pk")
    if detail is None or not sample or sample.startswith("=") or key in rm.LIST_FILTERED:
        return None
    return sample, detail.readers, "id"


def _names_the_other_side(response, world, persona: str) -> str:
    """The name of an enterprise outside the persona's sight that its answer mentions ("" if none)."""
    content = body(response)
    for key in rm.OTHER_SIDE.get(persona, ()):
        name = getattr(world, key).name
        if name.encode() in content:
            return name
    return ""


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/login/")


def check(entry: rm.Entry, route, persona: str, method: str, response, world, got: dict) -> str | None:
    """What is wrong with this answer, per the entry (None: nothing). ``got``: the persona's answers so far."""
    status = response.status_code
    if persona == "anonymous":
        if entry.public:
            return None
        if route.is_api:
            return None if status in (401, 403) else f"answered {status}, expected 401/403"
        if _is_login_redirect(response) or ((method != "get" or entry.readers is None) and status == 405):
            return None
        return f"answered {status}, expected a redirect to /login/"
    if method != "get":
        if entry.writers is None:  # GET_ONLY
            return None if status == got["get"] else f"answered {status}, its GET {got['get']} (a GET-only page)"
        if persona in entry.writers:
            return None if status not in (401, 403, 404, 405) else f"refused with {status}, expected to be let in"
        return None if status in (403, 404, 405) else f"answered {status}, expected 403/404/405 (may not write)"
    if entry.readers is None:
        return None if status in (403, 404, 405) else f"answered {status}, expected 405 (no GET)"
    if persona in entry.redirected:
        return None if status in (301, 302, 303) else f"answered {status}, expected a redirect"
    if persona in entry.readers:
        if status != 200:
            return f"answered {status}, expected 200"
        sees = _detail_sees(route.key)
        if sees:
            obj, who_sees, field = sees
            listed = _listed(response, rm.resolve(world, obj), field)
            if listed is None:
                return "answered no list of rows to look the sample object up in"
            if listed != (persona in who_sees):
                return f"{obj} {'listed' if listed else 'missing'}"
        return None
    if route.key in rm.SAMPLES and rm.TWIN.get(persona) in entry.readers:
        return None if status == 404 else f"answered {status}, expected 404 (another's object)"
    return None if status in (403, 404) else f"answered {status}, expected 403/404"


def test_every_persona_meets_the_matrix_on_every_url(zone, settings):
    settings.LANGUAGE_CODE = "en"
    world = build_world(zone)
    clients = _clients(world)
    wrong: dict[str, list[str]] = defaultdict(list)
    record: dict[str, dict] = {}
    known = set(rm.KNOWN_5XX)
    for route in sorted(routes(), key=lambda r: r.key):
        entry = rm.MATRIX.get(route.key)
        if entry is None and not RECORD:
            continue  # test_every_url_is_declared names it
        entry = entry or rm.Entry(get="")
        query = rm.SAMPLES.get(route.key, {}).get("?", "")
        url = route.url(rm.url_kwargs(world, route.key), fill="999999" if RECORD else None, query=query)
        write_methods = route.methods if route.methods is not None else ("post",)  # a plain view: is POST refused?
        if "patch" in write_methods:  # PUT is PATCH's permission path with a whole body: one of them suffices
            write_methods = tuple(m for m in write_methods if m != "put")
        seen: dict[str, dict[str, int]] = {}
        for persona in ("anonymous", *rm.PERSONAS):
            page, api = clients[persona]
            client = api if route.is_api else page
            got = {}
            for method in ("get", *write_methods):
                response = request(client, method, url, is_api=route.is_api)
                got[method] = response.status_code
                if response.status_code >= 500:
                    if (route.key, persona, method) in rm.KNOWN_5XX:
                        known.discard((route.key, persona, method))
                    else:
                        wrong[f"{route.key} ({url})"].append(f"{persona} {method.upper()} → {response.status_code}")
                    continue
                if method == "get" and response.status_code == 200:
                    got["other"] = _names_the_other_side(response, world, persona)
                if RECORD:
                    continue
                problem = check(entry, route, persona, method, response, world, got)
                if not problem and got.get("other") and persona not in rm.who(entry.other):
                    problem = f"names {got['other']}, not in its scope"
                if problem:
                    wrong[f"{route.key} ({url})"].append(f"{persona} {method.upper()}: {problem}")
            seen[persona] = got
        record[route.key] = seen
    for key, persona, method in sorted(known):
        wrong[key].append(f"{persona} {method.upper()}: no longer answers 5xx — delete it from KNOWN_5XX")
    if RECORD:
        rm.write_record(RECORD, record)
    assert not wrong, "role matrix differences:\n" + "\n".join(
        f"{url}\n    " + "\n    ".join(problems) for url, problems in sorted(wrong.items())
    )
