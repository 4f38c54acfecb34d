"""Every role × every M4 evaluation endpoint: who lists and opens which rows, who may write.

Deny by default: a row outside the persona's scope answers 404 (never 403 with data); a write by a role that may
never make it answers 403 before anything is looked up, and writes nothing; the anonymous get 401. The world is the
hand-computed year of ``test_api`` (E1 is enterprise A, E2 enterprise B), run twice: ``published`` (published by
the leader) and ``draft`` (not published); plus an exemption and a veto for 2023 of each of A and B.
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hitechzone.evaluation import services
from hitechzone.evaluation.models import EvaluationResult, EvaluationRun, Exemption, Scheme, SchemeVersion, Veto
from hitechzone.evaluation.schemes import DEFAULT_DEFINITION

from .test_api import EXEMPTIONS, RESULTS, RUNS, SCHEMES, VETOES, YEAR, build_case

PERSONAS = ["admin", "leader", "dept_a", "officer_a", "officer_b", "expert_a", "ent_a", "ent_b"]
ALL, A, B, NONE = "all", frozenset("a"), frozenset("b"), frozenset()
SEES = {
    "admin": ALL, "leader": ALL, "dept_a": NONE, "officer_a": A, "officer_b": B, "expert_a": NONE,
    "ent_a": A, "ent_b": B,
}  # fmt: skip
ALL_RUNS = {"admin", "leader"}
PUBLISHERS = {"admin", "leader"}
OTHER_YEAR = 2023


@pytest.fixture
def client_of(db):
    def login(persona: str, world) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if persona != "anonymous":
            token, _created = Token.objects.get_or_create(user=getattr(world.users, persona))
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return login


@pytest.fixture
def world(zone):
    case = build_case(zone)
    admin = zone.users.admin
    zone.case = case
    zone.published = services.run_evaluation(by=admin, year=YEAR)
    services.run_publish(by=zone.users.leader, run=zone.published)
    zone.draft = services.run_evaluation(by=admin, year=YEAR)
    zone.result = {
        key: EvaluationResult.objects.get(run=zone.published, enterprise=enterprise)
        for key, enterprise in (("a", case.e1), ("b", case.e2))
    }
    zone.draft_result_a = EvaluationResult.objects.get(run=zone.draft, enterprise=case.e1)
    zone.exemption, zone.veto = {}, {}
    for key, enterprise in (("a", zone.ent_a), ("b", zone.ent_b)):
        zone.exemption[key] = services.exemption_set(
            by=admin, enterprise=enterprise, year=OTHER_YEAR, reason=Exemption.Reason.OTHER, details="搬迁"
        )
        zone.veto[key] = services.veto_set(
            by=admin, enterprise=enterprise, year=OTHER_YEAR, kind=Veto.Kind.ENVIRONMENT, reason="环境事故"
        )
    return zone


def sides(persona: str, rows: dict) -> set:
    """The rows of ``rows`` ({"a": x, "b": y}) the persona sees."""
    seen = SEES[persona]
    return set(rows.values()) if seen == ALL else {rows[key] for key in seen}


def listed(client, url, **params) -> list[dict]:
    response = client.get(url, {"page_size": 500, **params})
    assert response.status_code == 200, (url, response.status_code, response.content)
    return response.json()["results"]


def status_of(client, url) -> int:
    return client.get(url).status_code


def snapshot() -> tuple[int, ...]:
    return (
        EvaluationRun.objects.count(),
        EvaluationRun.objects.filter(published_at__isnull=False).count(),
        EvaluationResult.objects.count(),
        Scheme.objects.count(),
        SchemeVersion.objects.count(),
        Exemption.objects.count(),
        Veto.objects.count(),
    )


# --- Reads ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_lists_and_opens_exactly_its_runs(world, client_of, persona):
    client = client_of(persona, world)
    published, draft = world.published.pk, world.draft.pk
    runs = {row["id"] for row in listed(client, RUNS)}
    if persona in ALL_RUNS:
        expected = {published, draft}
    elif SEES[persona] == NONE:
        expected = set()
    else:
        expected = {published}
    assert runs == expected
    assert status_of(client, f"{RUNS}{published}/") == (200 if published in expected else 404)
    assert status_of(client, f"{RUNS}{draft}/") == (200 if draft in expected else 404)
    assert status_of(client, f"{RUNS}{draft}/results/") == (200 if draft in expected else 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_reads_exactly_its_results(world, client_of, persona):
    client = client_of(persona, world)
    url = f"{RUNS}{world.published.pk}/results/"
    seen = SEES[persona]
    if seen == NONE:
        assert status_of(client, url) == 404
    else:
        usccs = {row["uscc"] for row in listed(client, url)}
        if seen == ALL:
            assert len(usccs) == 6
        else:
            assert usccs == {r.uscc for r in sides(persona, world.result)}
    across = {row["id"] for row in listed(client, RESULTS)}
    if seen == ALL:
        assert across == set(EvaluationResult.objects.values_list("pk", flat=True))
    else:
        assert across == {r.pk for r in sides(persona, world.result)}
    for key, result in world.result.items():
        visible = seen == ALL or key in seen
        assert status_of(client, f"{RESULTS}{result.pk}/") == (200 if visible else 404)
        assert status_of(client, f"{RESULTS}{result.pk}/explain/") == (200 if visible else 404)
    draft = world.draft_result_a.pk
    assert status_of(client, f"{RESULTS}{draft}/explain/") == (200 if persona in ALL_RUNS else 404)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["exemption", "veto"])
def test_each_persona_lists_and_opens_exactly_its_exemptions_and_vetoes(world, client_of, persona, kind):
    client = client_of(persona, world)
    url, rows = (EXEMPTIONS, world.exemption) if kind == "exemption" else (VETOES, world.veto)
    assert {row["id"] for row in listed(client, url)} == {row.pk for row in sides(persona, rows)}
    for row in rows.values():
        expected = 200 if row in sides(persona, rows) else 404
        assert status_of(client, f"{url}{row.pk}/") == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_signed_in_persona_reads_the_schemes(world, client_of, persona):
    client = client_of(persona, world)
    names = {row["name"] for row in listed(client, SCHEMES)}
    assert "default" in names
    default = Scheme.objects.get(name="default")
    assert status_of(client, f"{SCHEMES}{default.pk}/") == 200


def test_the_anonymous_get_401_everywhere(world, client_of):
    client = client_of("anonymous", world)
    result = world.result["a"].pk
    for url in (
        SCHEMES,
        RUNS,
        f"{RUNS}{world.published.pk}/",
        f"{RUNS}{world.published.pk}/results/",
        RESULTS,
        f"{RESULTS}{result}/",
        f"{RESULTS}{result}/explain/",
        EXEMPTIONS,
        VETOES,
    ):
        assert status_of(client, url) == 401, url
    before = snapshot()
    assert client.post(RUNS, {"year": YEAR}, format="json").status_code == 401
    assert client.post(f"{RUNS}{world.draft.pk}/publish/").status_code == 401
    assert snapshot() == before


# --- Writes -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_run_and_publish(world, client_of, persona):
    client = client_of(persona, world)
    before = snapshot()
    response = client.post(RUNS, {"year": YEAR}, format="json")
    if persona == "admin":
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 403
        assert snapshot() == before
    before = snapshot()
    response = client.post(f"{RUNS}{world.draft.pk}/publish/")
    if persona in PUBLISHERS:
        assert response.status_code == 200, response.content
        assert EvaluationRun.objects.get(pk=world.draft.pk).published_at is not None
    else:
        assert response.status_code == 403
        assert snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_create_and_revise_a_scheme(world, client_of, persona):
    client = client_of(persona, world)
    before = snapshot()
    body = {"name": "trial", "title": "试行方案", "definition": DEFAULT_DEFINITION, "effective_from": YEAR}
    created = client.post(SCHEMES, body, format="json")
    default = Scheme.objects.get(name="default")
    revised = client.post(
        f"{SCHEMES}{default.pk}/versions/", {"definition": DEFAULT_DEFINITION, "effective_from": 2030}, format="json"
    )
    if persona == "admin":
        assert (created.status_code, revised.status_code) == (201, 201), (created.content, revised.content)
    else:
        assert (created.status_code, revised.status_code) == (403, 403)
        assert snapshot() == before


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["exemption", "veto"])
def test_who_may_enter_and_remove_an_exemption_or_a_veto(world, client_of, persona, kind):
    client = client_of(persona, world)
    before = snapshot()
    enterprise = world.case.e3
    if kind == "exemption":
        url, existing = EXEMPTIONS, world.exemption["a"]
        body = {"enterprise": enterprise.pk, "year": YEAR, "reason": "public_utility", "details": "污水处理厂"}
    else:
        url, existing = VETOES, world.veto["a"]
        body = {"enterprise": enterprise.pk, "year": YEAR, "kind": "safety", "reason": "重大生产安全事故"}
    created = client.post(url, body, format="json")
    removed = client.delete(f"{url}{existing.pk}/")
    if persona == "admin":
        assert (created.status_code, removed.status_code) == (201, 204), (created.content, removed.content)
    else:
        assert (created.status_code, removed.status_code) == (403, 403)
        assert snapshot() == before
