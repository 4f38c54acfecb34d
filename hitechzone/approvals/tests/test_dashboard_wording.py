"""The dashboard says what its on-time rate and its overdue figure count, so that "100 % on time" beside "19
overdue" cannot be read as a contradiction: the rate is over the year's completed applications, the overdue
figure over the applications still running today."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_on_time_rate_and_the_overdue_figure_say_what_they_count_in_chinese(client, zone):
    client.force_login(zone.users.leader)
    html = client.get(reverse("approvals:home"), {"year": 2025}).content.decode()
    assert "按时办结率（已办结件）" in html
    assert "在办件中已逾期" in html
    assert "按时办结率按 2025 年已办结的申请计算；逾期数为今天仍在办理且已超过办结期限的申请" in html


def test_the_on_time_rate_and_the_overdue_figure_say_what_they_count_in_english(client, zone, settings):
    client.force_login(zone.users.leader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("approvals:home"), {"year": 2025}).content.decode()
    assert "On time, of those completed" in html
    assert "Running, past the due date" in html
    assert "The on-time rate counts the applications completed in 2025; the overdue figure counts" in html
