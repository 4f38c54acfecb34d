"""The import pages say why a workbook was refused, on the batch's page (and its progress poll) and in the list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hitechzone.common import jobs
from hitechzone.common.models import ImportBatch

pytestmark = pytest.mark.django_db

NOT_XLSX = "这不是 Excel 工作簿（.xlsx）。"


def test_a_refused_upload_shows_its_reason_on_its_page_its_poll_and_the_list(client, zone):
    client.force_login(zone.users.admin)
    upload = SimpleUploadedFile("名单.xlsx", b"just some text, not a workbook", content_type="application/octet-stream")
    response = client.post(reverse("imports:list"), {"kind": "indicators", "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    jobs.run_pending()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REFUSED

    page = client.get(reverse("imports:detail", args=[batch.pk]))
    poll = client.get(reverse("imports:detail", args=[batch.pk]), headers={"HX-Request": "true"})
    listing = client.get(reverse("imports:list"))

    for response in (page, poll, listing):
        assert response.status_code == 200
        assert NOT_XLSX in response.content.decode()
    assert 'hx-trigger="every 1s"' not in poll.content.decode()  # the poll stops: the job is done


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


# (file name, content, the reason in Chinese): one per refusal reason an ordinary user meets.
REFUSALS = [
    ("名单.xlsm", b"PK\x03\x04", "不接受启用宏的工作簿（.xlsm）"),
    ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "旧版 Excel 97–2003（.xls）"),
    ("名单.xlsx", b"PK\x03\x04 broken zip", "工作簿已损坏"),
    ("名单.xlsx", _zip({"hello.txt": b"hi"}), NOT_XLSX),
    (
        "名单.xlsx",
        _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": b"<x/>", "xl/vbaProject.bin": b"m"}),
        "工作簿含有宏",
    ),
]


@pytest.mark.parametrize(("name", "content", "reason"), REFUSALS, ids=["xlsm", "xls", "damaged", "no-sheet", "macros"])
def test_every_refusal_reason_is_shown_on_the_batch_page_and_in_the_list(client, zone, name, content, reason):
    client.force_login(zone.users.admin)
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    client.post(reverse("imports:list"), {"kind": "indicators", "file": upload})
    jobs.run_pending()
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.REFUSED
    for response in (client.get(reverse("imports:detail", args=[batch.pk])), client.get(reverse("imports:list"))):
        assert reason in response.content.decode()
