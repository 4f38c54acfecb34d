"""The calendar API (deadline, working days) and the deadline calculator page."""

import pytest
from django.urls import reverse
from django.utils import translation

from hitechzone.common import calendar

pytestmark = pytest.mark.django_db

DEADLINE = "/api/v1/calendar/deadline/"
WORKING_DAYS = "/api/v1/calendar/working-days/"


@pytest.fixture(autouse=True)
def _empty_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


@pytest.fixture
def api(api_as):
    """``api(user)``: a token-authenticated client that asks for English messages."""

    def login(user):
        client = api_as(user)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return login


def test_the_urls():
    assert reverse("api-calendar-deadline") == DEADLINE
    assert reverse("api-calendar-working-days") == WORKING_DAYS
    assert reverse("calendar:deadline") == "/calendar/deadline/"


# --- deadline ---------------------------------------------------------------------------------------------------


def test_deadline_across_the_spring_festival(api, zone):
    # Accepted Fri 2025-01-24: Sun 1-26 make-up (1), Mon 1-27 (2), [holiday 1-28..2-4], 2-5 (3), 2-6 (4), 2-7 (5).
    response = api(zone.users.ent_a).get(DEADLINE, {"start": "2025-01-24", "days": "5"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "start": "2025-01-24",
        "days": 5,
        "due_on": "2025-02-07",
        "provisional": False,
        "unconfirmed_years": [],
        "pauses": [],
        "paused_working_days": 0,
    }


def test_deadline_with_pauses_comma_separated_and_repeated(api, zone):
    # Accepted Mon 2025-09-22; paused 9-26..9-30 and 9-29..10-10 (merged: 9-26..10-10, whose working days are
    # 9-26, Sun 9-28 make-up, 9-29, 9-30, 10-9, 10-10). Counted: 9-23 (1), 9-24 (2), 9-25 (3), Sat 10-11
    # make-up (4), 10-13 (5), 10-14 (6), 10-15 (7), 10-16 (8), 10-17 (9), Mon 10-20 (10).
    client = api(zone.users.officer_a)
    expected = {
        "due_on": "2025-10-20",
        "pauses": [["2025-09-26", "2025-10-10"]],
        "paused_working_days": 6,
        "provisional": False,
    }
    for query in [
        "pause=2025-09-26:2025-09-30,2025-09-29:2025-10-10",
        "pause=2025-09-26:2025-09-30&pause=2025-09-29:2025-10-10",
        "pause=2025-09-29:2025-10-10&pause=,2025-09-26:2025-09-30,",
    ]:
        response = client.get(f"{DEADLINE}?start=2025-09-22&days=10&{query}")
        assert response.status_code == 200, (query, response.content)
        assert response.json().items() >= expected.items(), query


def test_an_immediate_item_is_due_on_the_day_of_acceptance(api, zone):
    response = api(zone.users.expert_a).get(DEADLINE, {"start": "2025-10-03", "days": "0"})
    assert response.status_code == 200
    assert response.json()["due_on"] == "2025-10-03"


def test_a_deadline_into_2027_is_provisional(api, zone):
    # Thu 2026-12-24: 12-25 (1), 12-28 .. 12-31 (2..5); 2027 weekdays only: Fri 1-1 (6), 1-4 .. 1-7 (7..10).
    response = api(zone.users.dept_a).get(DEADLINE, {"start": "2026-12-24", "days": "10"})
    assert response.status_code == 200
    body = response.json()
    assert (body["due_on"], body["provisional"], body["unconfirmed_years"]) == ("2027-01-07", True, [2027])


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"days": "5"}, "start", "required"),
        ({"start": "2025-13-01", "days": "5"}, "start", "YYYY-MM-DD"),
        ({"start": "25-1-24", "days": "5"}, "start", "YYYY-MM-DD"),
        ({"start": "1899-12-31", "days": "5"}, "start", "1900 to 2100"),
        ({"start": "2025-01-24"}, "days", "required"),
        ({"start": "2025-01-24", "days": "-1"}, "days", "0 to 1000"),
        ({"start": "2025-01-24", "days": "1001"}, "days", "0 to 1000"),
        ({"start": "2025-01-24", "days": "3.5"}, "days", "0 to 1000"),
        ({"start": "2025-01-24", "days": "many"}, "days", "0 to 1000"),
        ({"start": "2025-01-24", "days": "5", "pause": "2025-01-27"}, "pause", "YYYY-MM-DD:YYYY-MM-DD"),
        ({"start": "2025-01-24", "days": "5", "pause": "2025-01-27:2025-02-31"}, "pause", "YYYY-MM-DD:YYYY-MM-DD"),
        ({"start": "2025-01-24", "days": "5", "pause": "2025-02-07:2025-01-27"}, "pause", "cannot end"),
        ({"start": "2025-01-24", "days": "5", "pause": "2025-02-07:2201-01-27"}, "pause", "1900 to 2100"),
        ({"start": "2100-12-01", "days": "100"}, "days", "1900 to 2100"),
    ],
)
def test_bad_input_answers_400_naming_the_field(api, zone, params, field, message):
    response = api(zone.users.officer_a).get(DEADLINE, params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [field]
    assert message in body[field][0]


def test_every_bad_field_is_reported_at_once(api, zone):
    response = api(zone.users.officer_a).get(DEADLINE, {"start": "x", "days": "y", "pause": "z"})
    assert response.status_code == 400
    assert sorted(response.json()) == ["days", "pause", "start"]


def test_messages_follow_the_language_asked_for(api_as, zone):
    client = api_as(zone.users.officer_a)
    response = client.get(DEADLINE, {"start": "1800-01-01", "days": "5"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = translation.gettext("The working-day calendar covers the years %(first)s to %(last)s, not %(year)s.")
    assert response.json()["start"] == [expected % {"first": 1900, "last": 2100, "year": 1800}]


# --- working days -----------------------------------------------------------------------------------------------


def test_working_days_between_two_dates(api, zone):
    client = api(zone.users.leader)
    # After Fri 2025-09-26 up to Sat 2025-10-11: Sun 9-28 (1), 9-29 (2), 9-30 (3), [holiday], 10-9 (4),
    # 10-10 (5), Sat 10-11 make-up (6).
    response = client.get(WORKING_DAYS, {"from": "2025-09-26", "to": "2025-10-11"})
    assert response.status_code == 200
    assert response.json() == {"working_days": 6, "provisional": False, "unconfirmed_years": []}
    assert client.get(WORKING_DAYS, {"from": "2025-10-11", "to": "2025-09-26"}).json()["working_days"] == -6
    assert client.get(WORKING_DAYS, {"from": "2025-10-11", "to": "2025-10-11"}).json()["working_days"] == 0
    # Across the new year into 2027 (weekdays only): 12-31 (1), Fri 2027-01-01 (2), Mon 1-4 (3).
    response = client.get(WORKING_DAYS, {"from": "2026-12-30", "to": "2027-01-04"})
    assert response.json() == {"working_days": 3, "provisional": True, "unconfirmed_years": [2027]}


def test_working_days_bad_input(api, zone):
    client = api(zone.users.leader)
    response = client.get(WORKING_DAYS, {"from": "2025-09-26"})
    assert response.status_code == 400
    assert list(response.json()) == ["to"]
    response = client.get(WORKING_DAYS, {"from": "2025-02-29", "to": "3000-01-01"})
    assert response.status_code == 400
    body = response.json()
    assert "YYYY-MM-DD" in body["from"][0]
    assert "1900 to 2100" in body["to"][0]


# --- who may call -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DEADLINE, WORKING_DAYS])
def test_anonymous_callers_are_refused(api_client, url):
    response = api_client.get(url, {"start": "2025-01-24", "days": "5", "from": "2025-01-01", "to": "2025-02-01"})
    assert response.status_code in {401, 403}


def test_a_session_user_may_call(client, zone):
    client.force_login(zone.users.ent_b)
    response = client.get(DEADLINE, {"start": "2025-01-24", "days": "5"})
    assert response.status_code == 200
    assert response.json()["due_on"] == "2025-02-07"


def test_the_schema_documents_the_calendar_endpoints(api, zone):
    response = api(zone.users.admin).get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    parameters = {p["name"] for p in paths["/api/v1/calendar/deadline/"]["get"]["parameters"]}
    assert parameters == {"start", "days", "pause"}
    assert {p["name"] for p in paths["/api/v1/calendar/working-days/"]["get"]["parameters"]} == {"from", "to"}


# --- the deadline calculator page ------------------------------------------------------------------------------


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_calculator_answers_on_the_same_page(english, zone):
    english.force_login(zone.users.officer_a)
    # Accepted Mon 2025-01-20, paused Fri 1-24 .. Thu 2-6: 1-21 (1), 1-22 (2), 1-23 (3), Fri 2-7 (4),
    # Sat 2-8 make-up (5), 2-10 .. 2-14 (6..10).
    response = english.get(
        reverse("calendar:deadline"), {"start": "2025-01-20", "days": "10", "pauses": "2025-01-24:2025-02-06"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="due-on">2025-02-14<' in html
    assert 'data-testid="due-weekday">Friday<' in html
    assert 'data-testid="provisional"' not in html
    answer = response.context["answer"]
    assert answer["due_on"].isoformat() == "2025-02-14"
    rows = {row.day.isoformat(): row for row in answer["rows"]}
    assert len(rows) == 26  # 2025-01-20 .. 2025-02-14
    assert rows["2025-01-20"].is_start
    assert rows["2025-01-26"].paused  # the make-up Sunday, paused
    assert rows["2025-01-29"].label == "Public holiday · 春节"
    assert (rows["2025-02-08"].label, rows["2025-02-08"].count) == ("Make-up workday · 春节", 5)
    assert rows["2025-02-14"].is_due
    assert rows["2025-02-14"].count == 10
    assert html.count('data-testid="day-row"') == 26


def test_the_calculator_warns_of_a_provisional_answer(english, zone):
    english.force_login(zone.users.ent_a)
    response = english.get(reverse("calendar:deadline"), {"start": "2026-12-24", "days": "10"})
    html = response.content.decode()
    assert 'data-testid="due-on">2027-01-07<' in html
    assert 'data-testid="provisional"' in html
    assert "the holidays of 2027 are not confirmed yet" in html


def test_the_calculator_shows_errors_next_to_the_fields(english, zone):
    english.force_login(zone.users.officer_a)
    response = english.get(
        reverse("calendar:deadline"), {"start": "2025-01-20", "days": "-3", "pauses": "2025-01-24:2025-01-20\nnonsense"}
    )
    assert response.status_code == 200
    assert response.context["answer"] is None
    errors = response.context["form"].errors
    assert set(errors) == {"days", "pauses"}
    assert len(errors["pauses"]) == 2
    assert "is-invalid" in response.content.decode()


def test_the_calculator_without_parameters_shows_the_empty_form(english, zone):
    english.force_login(zone.users.officer_a)
    response = english.get(reverse("calendar:deadline"))
    assert response.status_code == 200
    assert response.context["answer"] is None
    assert not response.context["form"].is_bound


def test_the_calculator_needs_a_signed_in_user(client):
    response = client.get(reverse("calendar:deadline"), {"start": "2025-01-20", "days": "10"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
