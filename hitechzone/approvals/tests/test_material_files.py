"""The blank form and the filled-in sample of a required material: attached, replaced and removed by the item's
catalogue editors (service, page, API) without a new version; refused for anybody else, for an earlier version, a
cancelled item, a file of another type, an empty one or one over 10 MB; downloaded by every signed-in user (never
from a public URL); carried over to a new version by the materials that keep their name.

Every test stores its files under its own ``tmp_path`` (``settings.MEDIA_ROOT``). The fixtures (``catalogue``,
``item_a`` …) are described in ``conftest.py``.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hitechzone.approvals import services
from hitechzone.approvals.models import Item, Material
from hitechzone.common.models import AuditEvent

ITEMS = "/api/v1/approval-items/"
MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def u(zone):
    return zone.users


@pytest.fixture
def form_of_a(catalogue) -> Material:
    """申请表, the first material of item A (department A)."""
    return catalogue.materials["申请表"]


def upload(name: str = "申请表.docx", content: bytes = b"blank form") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored(media) -> list[str]:
    """Every file under MEDIA_ROOT, as its path there."""
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def fresh(material: Material) -> Material:
    return Material.objects.select_related("version").get(pk=material.pk)


def english(client: Client) -> Client:
    """Pages speak Chinese unless the language cookie says otherwise."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(user) -> Client:
    client = english(Client())
    client.force_login(user)
    return client


def api(user) -> APIClient:
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def files_url(item: Item, material: Material) -> str:
    return f"{ITEMS}{item.pk}/materials/{material.pk}/files/"


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- The service ------------------------------------------------------------------------------------------------


def test_a_department_attaches_a_blank_form_and_a_sample_without_making_a_new_version(u, item_a, form_of_a, media):
    material = services.material_attach(
        material=form_of_a, by=u.dept_a, blank_form=upload(), sample=upload("填写样例.pdf", b"%PDF-1.4 sample")
    )
    item_a.refresh_from_db()
    assert item_a.current.number == 1
    assert material.version_id == item_a.current_id
    assert material.blank_form.name == "approvals/forms/330100-A-001/v1/申请表.docx"
    assert material.sample.name == "approvals/samples/330100-A-001/v1/填写样例.pdf"
    assert (media / material.blank_form.name).read_bytes() == b"blank form"
    assert fresh(form_of_a).sample.read() == b"%PDF-1.4 sample"


def test_the_audit_trail_records_the_file_names_before_and_after(u, form_of_a):
    services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload())
    services.material_attach(material=form_of_a, by=u.dept_a, remove_blank_form=True)
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Material), object_id=str(form_of_a.pk), action="update"
    ).order_by("at", "id")
    assert [e.changes for e in events] == [
        {"blank_form": ["", "approvals/forms/330100-A-001/v1/申请表.docx"]},
        {"blank_form": ["approvals/forms/330100-A-001/v1/申请表.docx", ""]},
    ]


def test_a_replaced_file_keeps_its_name_made_unique_and_the_old_file_stays_stored(u, form_of_a, media):
    first = services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload(content=b"v1")).blank_form.name
    second = services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload(content=b"v2")).blank_form.name
    assert first != second
    assert re.fullmatch(r"approvals/forms/330100-A-001/v1/申请表_\w{7}\.docx", second)
    assert fresh(form_of_a).blank_form.read() == b"v2"
    assert (media / first).read_bytes() == b"v1"  # an earlier version may point at it


def test_removing_clears_one_file_and_leaves_the_other(u, form_of_a, media):
    services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload(), sample=upload("样例.png", b"png"))
    material = services.material_attach(material=form_of_a, by=u.dept_a, remove_sample=True)
    assert not material.sample
    assert material.blank_form.name.endswith("申请表.docx")
    assert len(stored(media)) == 2  # removal clears the field, it deletes nothing


def test_an_administrator_attaches_to_any_departments_item(u, catalogue):
    material = catalogue.materials["环境影响报告书"]  # item B, department B
    assert services.material_attach(material=material, by=u.admin, sample=upload("样例.xlsx")).sample


@pytest.mark.parametrize(
    ("persona", "message"),
    [
        ("dept_b", "You may not edit this department's items."),
        ("ent_a", "You may not edit this department's items."),
        ("officer_a", "You may not edit this department's items."),
        ("leader", "You may not edit this department's items."),
        ("expert_a", "You may not edit this department's items."),
    ],
)
def test_only_the_items_catalogue_editors_attach_files(u, form_of_a, media, persona, message):
    with pytest.raises(services.Refused, match=re.escape(message)):
        services.material_attach(material=form_of_a, by=getattr(u, persona), blank_form=upload())
    assert not fresh(form_of_a).blank_form
    assert stored(media) == []


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"blank_form": upload("申请表.exe")}, "申请表.exe is not one of the accepted file types (pdf, doc, docx"),
        ({"blank_form": upload("申请表")}, "申请表 is not one of the accepted file types"),
        ({"sample": upload("样例.PDF.zip")}, "样例.PDF.zip is not one of the accepted file types"),
        ({"blank_form": upload("申请表.pdf", b"")}, "申请表, blank form: 申请表.pdf is empty."),
        ({"sample": upload("样例.jpg", b"x" * (10 * MB + 1))}, "申请表, sample: 样例.jpg is larger than 10 MB."),
        ({}, "Choose a file to attach, or a file to remove."),
        ({"remove_blank_form": True}, "申请表 has no blank form to remove."),
        (
            {"blank_form": upload(), "remove_blank_form": True},
            "either attach a new file or remove the file, not both",
        ),
        # One bad file refuses both: nothing is written.
        ({"blank_form": upload(), "sample": upload("样例.txt")}, "样例.txt is not one of the accepted file types"),
    ],
)
def test_a_file_of_another_type_empty_or_too_big_is_refused_and_nothing_is_written(u, form_of_a, media, files, message):
    with pytest.raises(services.Refused, match=re.escape(message)):
        services.material_attach(material=form_of_a, by=u.dept_a, **files)
    material = fresh(form_of_a)
    assert (material.blank_form.name, material.sample.name) == ("", "")
    assert stored(media) == []


def test_a_file_of_exactly_10_mb_and_an_upper_case_extension_are_accepted(u, form_of_a):
    material = services.material_attach(material=form_of_a, by=u.dept_a, sample=upload("样例.JPEG", b"x" * 10 * MB))
    assert material.sample.size == 10 * MB


def test_the_files_of_a_cancelled_item_cannot_change(u, item_a, form_of_a, media):
    services.item_set_status(item=item_a, by=u.dept_a, status=Item.Status.CANCELLED, reason="职权调整")
    with pytest.raises(services.Refused, match=re.escape("A cancelled item cannot be edited.")):
        services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload())
    assert stored(media) == []


def test_a_suspended_item_still_takes_files(u, item_a, form_of_a):
    services.item_set_status(item=item_a, by=u.dept_a, status=Item.Status.SUSPENDED, reason="流程调整")
    assert services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload()).blank_form


def test_the_files_of_an_earlier_version_are_history_and_cannot_change(u, item_a, form_of_a, media):
    services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload(content=b"v1 form"))
    services.item_revise(item=item_a, by=u.dept_a, promised_limit=3, note="压缩承诺时限")
    with pytest.raises(services.Refused, match=r"belongs to version 1, which is no longer current"):
        services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload(content=b"new"))
    with pytest.raises(services.Refused, match=r"no longer current"):
        services.material_attach(material=form_of_a, by=u.dept_a, remove_blank_form=True)
    assert fresh(form_of_a).blank_form.read() == b"v1 form"


def test_a_new_version_keeps_the_files_of_the_materials_that_keep_their_name(u, item_a, form_of_a, catalogue):
    services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload(), sample=upload("样例.pdf"))
    licence = catalogue.materials["营业执照"]
    services.material_attach(material=licence, by=u.dept_a, sample=upload("营业执照样例.png", b"png"))
    services.item_revise(
        item=item_a,
        by=u.dept_a,
        note="精简材料",
        materials=[
            {"name": "申请表", "required": True},
            {"name": "营业执照（副本）", "required": True, "original": False},  # renamed: a new material
            {"name": "项目可行性研究报告", "required": True, "tolerable": False},  # changed, same name
        ],
    )
    item_a.refresh_from_db()
    new = {m.name: m for m in item_a.current.materials.all()}
    assert item_a.current.number == 2
    assert new["申请表"].blank_form.name == fresh(form_of_a).blank_form.name
    assert new["申请表"].sample.name.endswith("/v1/样例.pdf")
    assert not new["营业执照（副本）"].sample
    assert fresh(licence).sample  # version 1 keeps its files
    # The new version's material takes its own files; version 1's stay as they were.
    services.material_attach(material=new["申请表"], by=u.dept_a, blank_form=upload("申请表v2.docx"))
    assert fresh(new["申请表"]).blank_form.name == "approvals/forms/330100-A-001/v2/申请表v2.docx"
    assert fresh(form_of_a).blank_form.name == "approvals/forms/330100-A-001/v1/申请表.docx"


def test_an_edit_that_only_changes_files_is_not_a_new_version(u, item_a, form_of_a):
    services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload())
    with pytest.raises(services.Refused, match="Nothing changed"):
        services.item_revise(item=item_a, by=u.dept_a, materials=services.version_snapshot(item_a.current)[1])


def test_the_catalogue_can_be_created_with_files_uploaded_or_already_stored(zone, media):
    common = {"mode": "entrusted", "item_type": "commitment", "statutory_limit": 20, "promised_limit": 5}
    item = services.item_create(
        by=zone.users.dept_a,
        code="A-100",
        department=zone.dept_a,
        name="企业投资项目备案",
        materials=[
            {"name": "申请表", "blank_form": upload("申请表.xlsx"), "sample": "approvals/samples/shared/样例.pdf"},
            {"name": "营业执照"},
        ],
        **common,
    )
    first, second = item.current.materials.all()
    assert first.blank_form.name == "approvals/forms/A-100/v1/申请表.xlsx"
    assert first.sample.name == "approvals/samples/shared/样例.pdf"
    assert (second.blank_form.name, second.sample.name) == ("", "")
    with pytest.raises(
        services.Refused, match=r"申请表, blank form: 申请表\.bat is not one of the accepted file types"
    ):
        services.item_create(
            by=zone.users.dept_a,
            code="A-101",
            department=zone.dept_a,
            name="另一事项",
            materials=[{"name": "申请表", "blank_form": upload("申请表.bat")}],
            **common,
        )
    assert not Item.objects.filter(code="A-101").exists()


# --- The page ---------------------------------------------------------------------------------------------------


def test_the_item_page_offers_each_material_an_upload_form_to_its_editors_only(u, item_a, form_of_a):
    url = reverse("approvals:item", args=[item_a.pk])
    text = page(u.dept_a).get(url).content.decode()
    forms = re.findall(r'<form method="post" enctype="multipart/form-data" action="([^"]+)"', text)
    assert forms == [
        reverse("approvals:material-files", args=[m.pk]) for m in item_a.current.materials.order_by("position")
    ]
    assert 'name="csrfmiddlewaretoken"' in text
    for persona in ("dept_b", "ent_a", "officer_a", "leader"):
        assert 'data-testid="material-files"' not in page(getattr(u, persona)).get(url).content.decode(), persona


def test_an_earlier_version_and_a_cancelled_item_show_no_upload_form(u, item_a):
    services.item_revise(item=item_a, by=u.dept_a, promised_limit=3)
    url = reverse("approvals:item", args=[item_a.pk])
    client = page(u.dept_a)
    assert 'data-testid="material-files"' in client.get(url).content.decode()
    assert 'data-testid="material-files"' not in client.get(f"{url}?version=1").content.decode()
    services.item_set_status(item=item_a, by=u.dept_a, status=Item.Status.CANCELLED, reason="职权调整")
    assert 'data-testid="material-files"' not in client.get(url).content.decode()


def test_the_department_attaches_from_the_page_and_everybody_downloads_it(u, item_a, form_of_a):
    client = page(u.dept_a)
    response = client.post(
        reverse("approvals:material-files", args=[form_of_a.pk]),
        {"blank_form": upload(), "sample": upload("样例.pdf", b"%PDF sample")},
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('approvals:item', args=[item_a.pk])}#material-{form_of_a.pk}"
    assert said(response) == ["The files of 申请表 are saved."]
    text = client.get(reverse("approvals:item", args=[item_a.pk])).content.decode()
    assert reverse("approvals:material-file", args=[form_of_a.pk, "form"]) in text
    assert reverse("approvals:material-file", args=[form_of_a.pk, "sample"]) in text
    assert 'name="remove_blank_form"' in text
    assert "/media/" not in text
    download = page(u.ent_a).get(reverse("approvals:material-file", args=[form_of_a.pk, "sample"]))
    assert b"".join(download.streaming_content) == b"%PDF sample"


def test_the_page_replaces_and_removes_files(u, form_of_a):
    client = page(u.dept_a)
    url = reverse("approvals:material-files", args=[form_of_a.pk])
    client.post(url, {"blank_form": upload(content=b"v1"), "sample": upload("样例.pdf")})
    client.post(url, {"blank_form": upload(content=b"v2")})
    assert fresh(form_of_a).blank_form.read() == b"v2"
    response = client.post(url, {"remove_sample": "on"})
    assert said(response)[-1] == "The files of 申请表 are saved."  # the redirects were not followed: three
    material = fresh(form_of_a)
    assert (bool(material.blank_form), bool(material.sample)) == (True, False)


@pytest.mark.parametrize(
    ("persona", "files", "message"),
    [
        ("dept_a", {"blank_form": ("申请表.exe", b"MZ")}, "申请表.exe is not one of the accepted file types"),
        ("dept_a", {"sample": ("样例.pdf", b"")}, "申请表, sample: 样例.pdf is empty."),
        ("dept_a", {}, "Choose a file to attach, or a file to remove."),
        ("dept_b", {"blank_form": ("申请表.pdf", b"%PDF")}, "You may not edit this department's items."),
        ("ent_a", {"blank_form": ("申请表.pdf", b"%PDF")}, "You may not edit this department's items."),
    ],
)
def test_a_refusal_on_the_page_is_shown_and_nothing_is_written(u, form_of_a, media, persona, files, message):
    response = page(getattr(u, persona)).post(
        reverse("approvals:material-files", args=[form_of_a.pk]),
        {key: upload(name, content) for key, (name, content) in files.items()},
    )
    assert response.status_code == 302
    [shown] = said(response)
    assert message in shown
    assert stored(media) == []
    assert not fresh(form_of_a).blank_form


def test_the_upload_needs_a_post_with_the_csrf_token(u, item_a, form_of_a, media):
    client = english(Client(enforce_csrf_checks=True))
    client.force_login(u.dept_a)
    url = reverse("approvals:material-files", args=[form_of_a.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"blank_form": upload()}).status_code == 403
    assert stored(media) == []
    text = client.get(reverse("approvals:item", args=[item_a.pk])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)
    assert client.post(url, {"csrfmiddlewaretoken": token, "blank_form": upload()}).status_code == 302
    assert fresh(form_of_a).blank_form


def test_an_earlier_versions_material_is_refused_on_the_page(u, item_a, form_of_a, media):
    services.item_revise(item=item_a, by=u.dept_a, promised_limit=3)
    response = page(u.dept_a).post(reverse("approvals:material-files", args=[form_of_a.pk]), {"blank_form": upload()})
    [shown] = said(response)
    assert "belongs to version 1, which is no longer current" in shown
    assert stored(media) == []


# --- Downloads ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["admin", "leader", "dept_a", "dept_b", "officer_a", "officer_b", "expert_a", "ent_a", "ent_b"]
)
def test_every_signed_in_role_downloads_the_files_as_an_attachment(u, form_of_a, persona):
    services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload(content=b"the form"))
    response = page(getattr(u, persona)).get(reverse("approvals:material-file", args=[form_of_a.pk, "form"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "申请表.docx" in response["Content-Disposition"] or "%E7%94%B3" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"the form"


def test_a_download_needs_a_signed_in_user_and_an_existing_file(u, form_of_a, media):
    material = services.material_attach(material=form_of_a, by=u.dept_a, blank_form=upload())
    url = reverse("approvals:material-file", args=[form_of_a.pk, "form"])
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client = page(u.ent_a)
    assert client.get(reverse("approvals:material-file", args=[form_of_a.pk, "sample"])).status_code == 404
    assert client.get(reverse("approvals:material-file", args=[form_of_a.pk, "other"])).status_code == 404
    assert client.get(reverse("approvals:material-file", args=[10**9, "form"])).status_code == 404
    (media / material.blank_form.name).unlink()  # gone from the storage
    assert client.get(url).status_code == 404


# --- The API ----------------------------------------------------------------------------------------------------


def test_the_api_attaches_files_and_the_item_shows_their_download_urls(u, item_a, form_of_a):
    response = api(u.dept_a).post(
        files_url(item_a, form_of_a),
        {"blank_form": upload(), "sample": upload("样例.pdf", b"%PDF")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    form_url = reverse("approvals:material-file", args=[form_of_a.pk, "form"])
    assert body["id"] == form_of_a.pk
    assert body["blank_form"] == "申请表.docx"
    assert body["blank_form_url"] == f"http://testserver{form_url}"
    assert body["sample_url"].endswith(reverse("approvals:material-file", args=[form_of_a.pk, "sample"]))
    detail = api(u.ent_a).get(f"{ITEMS}{item_a.pk}/").json()
    materials = {m["name"]: m for m in detail["materials"]}
    assert materials["申请表"]["blank_form_url"] == f"http://testserver{form_url}"
    assert (materials["营业执照"]["blank_form_url"], materials["营业执照"]["sample_url"]) == (None, None)
    assert detail["version"] == 1
    # The URL is the signed-in users' download, not a public media URL.
    assert b"".join(page(u.expert_a).get(form_url).streaming_content) == b"blank form"


def test_the_api_removes_a_file_with_its_flag(u, item_a, form_of_a):
    client = api(u.dept_a)
    client.post(files_url(item_a, form_of_a), {"blank_form": upload(), "sample": upload("样例.pdf")})
    response = client.post(files_url(item_a, form_of_a), {"remove_sample": "true"}, format="multipart")
    assert response.status_code == 200, response.content
    assert (response.json()["sample"], response.json()["sample_url"]) == (None, None)
    assert response.json()["blank_form"] == "申请表.docx"


def test_the_api_answers_a_refusal_with_its_message_and_writes_nothing(u, item_a, item_b, form_of_a, media):
    url = files_url(item_a, form_of_a)
    assert api(u.ent_a).post(url, {"blank_form": upload()}).status_code == 403
    answer = api(u.dept_b).post(url, {"blank_form": upload()})
    assert (answer.status_code, answer.json()) == (400, {"detail": "You may not edit this department's items."})
    answer = api(u.dept_a).post(url, {"blank_form": upload("申请表.svg")})
    assert answer.status_code == 400
    assert "申请表.svg is not one of the accepted file types" in answer.json()["detail"]
    answer = api(u.dept_a).post(url, {"sample": upload("样例.pdf", b"")})
    assert (answer.status_code, answer.json()["detail"]) == (400, "申请表, sample: 样例.pdf is empty.")
    other = item_b.current.materials.first()
    assert api(u.admin).post(files_url(item_a, other), {"blank_form": upload()}).status_code == 404
    services.item_revise(item=item_a, by=u.dept_a, promised_limit=3)
    answer = api(u.dept_a).post(url, {"blank_form": upload()})
    assert answer.status_code == 400
    assert "no longer current" in answer.json()["detail"]
    assert stored(media) == []


def test_the_api_needs_a_signed_in_catalogue_editor(u, item_a, form_of_a):
    assert APIClient().post(files_url(item_a, form_of_a), {"blank_form": upload()}).status_code in (401, 403)
    assert api(u.leader).post(files_url(item_a, form_of_a), {"blank_form": upload()}).status_code == 403
