"""API tokens: `POST /api/v1/auth/token/` {"username", "password"} → {"token"}; `Authorization: Token …`."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token

from hitechzone.accounts.tests import factories as f

TOKEN = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # the login throttle counts attempts in the cache
    yield
    cache.clear()


def login(client, username, password=f.PASSWORD):
    return client.post(TOKEN, {"username": username, "password": password}, format="json")


@pytest.mark.parametrize("persona", ["admin", "leader", "dept_a", "officer_a", "expert_a", "ent_a"])
def test_every_role_gets_a_token_that_says_who_it_is(zone, api_client, persona):
    response = login(api_client, persona)
    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api_client.get("/api/v1/me/").json()
    assert me["username"] == persona
    assert me["role"] == getattr(zone.users, persona).effective_role


def test_the_token_endpoint_takes_form_data_too(zone, api_client):
    response = api_client.post(TOKEN, {"username": "leader", "password": f.PASSWORD})
    assert response.status_code == 200
    assert Token.objects.get(user=zone.users.leader).key == response.json()["token"]


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"username": "leader", "password": "wrong-password"}, id="bad-password"),
        pytest.param({"username": "nobody", "password": f.PASSWORD}, id="unknown-user"),
        pytest.param({"username": "leader"}, id="no-password"),
        pytest.param({"password": f.PASSWORD}, id="no-username"),
        pytest.param({}, id="empty"),
    ],
)
def test_a_bad_login_is_a_400_without_a_token(zone, api_client, body):
    response = api_client.post(TOKEN, body, format="json")
    assert response.status_code == 400
    assert "token" not in response.json()
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token_and_an_old_token_stops_working(zone, api_client):
    token = login(api_client, "officer_a").json()["token"]
    zone.users.officer_a.is_active = False
    zone.users.officer_a.save()
    assert login(api_client, "officer_a").status_code == 400
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/enterprises/").status_code == 401


def test_a_token_is_only_for_posting(zone, api_client):
    assert api_client.get(TOKEN).status_code == 405


def test_without_a_token_the_api_answers_401(zone, api_client):
    assert api_client.get("/api/v1/me/").status_code == 401
    assert api_client.get("/api/v1/enterprises/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert api_client.get("/api/v1/enterprises/").status_code == 401


def test_a_deleted_token_stops_working(zone, api_client):
    token = login(api_client, "ent_a").json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").status_code == 200
    Token.objects.filter(key=token).delete()
    assert api_client.get("/api/v1/me/").status_code == 401


def test_logins_are_throttled_after_30_a_minute(zone, api_client):
    for _ in range(30):
        assert login(api_client, "leader", "wrong-password").status_code == 400
    response = login(api_client, "leader")
    assert response.status_code == 429
    assert "token" not in response.json()
