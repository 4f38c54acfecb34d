"""/favicon.ico: every browser asks for it on a first visit, before anyone logs in; a 404 there is a console error."""

import pytest


@pytest.mark.django_db
def test_the_favicon_is_served_to_anyone_and_cached(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header: reserved 0, type 1 (icon)
    assert "max-age=" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert client.head("/favicon.ico").status_code == 200
    assert client.post("/favicon.ico").status_code == 405


@pytest.mark.django_db
def test_every_page_links_its_icons(client):
    body = client.get("/login/").content.decode()
    assert 'rel="icon" href="/static/common/favicon.svg" type="image/svg+xml"' in body
    assert 'rel="icon" href="/favicon.ico"' in body


def test_the_svg_icon_is_in_the_static_files():
    from django.contrib.staticfiles import finders

    assert finders.find("common/favicon.svg")
    assert finders.find("common/favicon.ico")
