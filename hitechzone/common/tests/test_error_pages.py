"""The error pages: a page not for the role answers 403, an unknown page 404, a failure 500 — each Chinese first,
inside the site's frame (the menu when signed in) and with the way home; the 500 page renders even when the frame
cannot (a context processor or the database fails). The main menu offers only pages the role may open."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from hitechzone.common import error_views
from hitechzone.common.context_processors import menu_entries

pytestmark = pytest.mark.django_db

# (persona, a page its role may not open): the cases the issue names, and one per module gate.
REFUSED = [
    ("expert_a", "/liaison/"),
    ("expert_a", "/approvals/"),
    ("dept_a", "/evaluation/"),
    ("dept_a", "/imports/"),
    ("dept_a", "/audit/"),
    ("ent_a", "/audit/?export=xlsx"),
    ("officer_a", "/liaison/assignments/"),
]


@pytest.mark.parametrize(("persona", "url"), REFUSED)
def test_a_page_not_for_the_role_answers_403_in_chinese_inside_the_frame(client, zone, persona, url):
    client.force_login(getattr(zone.users, persona))
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 403
    assert "您无权打开此页面" in html
    assert 'data-testid="error-home"' in html
    assert f'href="{reverse("home")}"' in html
    assert 'id="mainnav"' in html  # the site's frame, with the user's menu
    assert "Forbidden" not in html
    assert "Not Found" not in html


def test_the_403_page_speaks_english_when_the_language_is_english(client, zone, settings):
    client.force_login(zone.users.expert_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/liaison/")
    assert response.status_code == 403
    assert "You may not open this page" in response.content.decode()
    assert "Back to the home page" in response.content.decode()


def test_an_unknown_page_answers_404_in_chinese_inside_the_frame(client, zone):
    client.force_login(zone.users.leader)
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html
    assert 'data-testid="error-home"' in html
    assert 'id="mainnav"' in html


def test_another_enterprises_object_stays_404_not_403(client, zone):
    """docs/0001: an object outside the user's scope is never admitted to exist, even on a page the role opens."""
    client.force_login(zone.users.ent_a)
    response = client.get(reverse("enterprises:detail", args=[zone.ent_b.pk]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_the_500_page_is_framed_and_chinese(zone):
    request = RequestFactory().get("/")
    request.user = zone.users.leader
    response = error_views.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "系统出错了" in html
    assert 'data-testid="error-home"' in html
    assert 'id="mainnav"' in html


def broken_context_processor(request):
    raise RuntimeError("the database is gone")


def server_error_with_a_broken_frame(settings, user):
    """The 500 page when every framed render fails (a context processor raises, as a lost database would)."""
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [
                    *settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                    f"{__name__}.broken_context_processor",
                ],
            },
        }
    ]
    request = RequestFactory().get("/")
    request.user = user
    response = error_views.server_error(request)
    return response, response.content.decode()


def test_the_500_page_still_renders_when_the_frame_fails(zone, settings):
    response, html = server_error_with_a_broken_frame(settings, zone.users.leader)
    assert response.status_code == 500
    assert "系统出错了" in html
    assert 'data-testid="error-home"' in html
    assert 'id="mainnav"' not in html  # the minimal page: no menu, nothing that needs the request


def test_the_500_page_still_answers_its_words_when_the_static_files_are_not_collected(zone, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path  # no manifest: every {% static %} raises
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response, html = server_error_with_a_broken_frame(settings, zone.users.leader)
    assert response.status_code == 500
    assert "系统出错了" in html
    assert 'href="/"' in html
    assert "返回首页" in html


@pytest.mark.parametrize("persona", ["admin", "leader", "dept_a", "officer_a", "expert_a", "ent_a"])
def test_every_main_menu_entry_opens_for_the_roles_it_is_shown_to(client, zone, persona):
    user = getattr(zone.users, persona)
    client.force_login(user)
    shown = [e for e in menu_entries() if user.effective_role in e.roles]
    assert shown
    for entry in shown:
        response = client.get(reverse(entry.url_name), follow=True)
        assert response.status_code == 200, (persona, entry.url_name, response.status_code)
