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
