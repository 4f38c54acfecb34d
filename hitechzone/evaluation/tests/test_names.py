"""What a run and a scheme are called on the pages (issue 13, item 7): a run by its year (a brand's by its brand, a
run not published by when it ran), never by its internal number; the default scheme by its title, without its slug
or a developer's note."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from hitechzone.evaluation import services
from hitechzone.evaluation.models import Scheme


def test_a_published_run_is_called_by_its_year(published_run):
    assert str(published_run) == "2025 evaluation"


def test_a_run_not_published_is_called_by_its_year_and_the_local_time_it_ran(zone):
    with time_machine.travel(datetime(2026, 3, 5, 14, 20, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        run = services.run_evaluation(by=zone.users.admin, year=2025)
    assert str(run) == "2025 evaluation (run 2026-03-05 14:20)"


def test_a_results_breadcrumb_names_its_run_for_people(client, zone, published_run):
    client.force_login(zone.users.admin)
    result = published_run.results.get(enterprise=zone.ent_a)
    page = client.get(reverse("evaluation:result", args=[result.pk])).content.decode()
    assert f'">{published_run}</a></li>' in page
    assert f"#{published_run.pk}" not in page


def test_the_default_scheme_is_shown_by_its_title_without_its_slug_or_a_developers_note(client, zone):
    scheme = Scheme.objects.get(name="default")
    client.force_login(zone.users.admin)
    listing = client.get(reverse("evaluation:schemes")).content.decode()
    detail = client.get(reverse("evaluation:scheme", args=[scheme.pk])).content.decode()
    assert scheme.title in listing
    assert ">default<" not in listing
    assert "Issue 6" not in detail
    assert "First version" in detail
