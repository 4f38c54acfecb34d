"""The administrator uploads a file that is not a workbook: the batch's page says why (no progress bar left hanging
at 0 %), and so does the list of imports (issue 13, defect 1)."""

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOT_XLSX = "这不是 Excel 工作簿（.xlsx）。"


def test_a_file_that_is_not_a_workbook_is_refused_with_its_reason_on_the_page_and_in_the_list(live_server, page):
    from hitechzone.accounts.models import Role
    from hitechzone.common import jobs
    from hitechzone.enterprises.tests import factories as f

    f.UserFactory(username="admin1", role=Role.ADMIN, is_staff=True)
    log_in(page, live_server, "admin1")

    page.goto(f"{live_server.url}/imports/")
    page.select_option("#id_kind", "indicators")
    page.set_input_files(
        "#id_file", files=[{"name": "名单.xlsx", "mimeType": "text/plain", "buffer": "企业名单，不是工作簿".encode()}]
    )
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/imports/*/")
    jobs.run_pending()  # the worker's turn: it checks the file and refuses it

    result = page.locator("[data-testid=import-result]")
    result.wait_for()  # the page's poll picks the refusal up and stops
    assert NOT_XLSX in result.inner_text()
    assert page.locator("[data-testid=import-progress]").count() == 0
    assert page.locator("#import-status[hx-trigger]").count() == 0

    page.goto(f"{live_server.url}/imports/")
    assert NOT_XLSX in page.locator("table").inner_text()
