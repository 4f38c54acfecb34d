"""Issue 13, item 5: a history entry reads with names and local time, not ids and UTC ISO strings."""

import re
from datetime import UTC, datetime

import pytest

from .session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_history_entry_shows_names_and_local_time(live_server, page):
    from django.contrib.contenttypes.models import ContentType

    from hitechzone.accounts.models import Role
    from hitechzone.common import audit
    from hitechzone.common.models import AuditEvent, Source
    from hitechzone.enterprises.models import Enterprise
    from hitechzone.enterprises.tests import factories as f

    old = f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区")
    new = f.BrandFactory(code="lvchan", name="绿色产业集聚区", short_name="绿色集聚区")
    enterprise = f.EnterpriseFactory(name="浙江瑞丰氟材料有限公司", brand=old)
    admin = f.UserFactory(username="admin1", role=Role.ADMIN, full_name="王管理")
    with audit.audit_context(user=admin, source=Source.UI):
        enterprise.brand = new
        enterprise.save()
    AuditEvent.objects.create(
        at=datetime(2026, 12, 7, 0, 25, 18, tzinfo=UTC),
        user=admin,
        username="admin1",
        source=Source.UI,
        action=AuditEvent.Action.UPDATE,
        content_type=ContentType.objects.get_for_model(Enterprise),
        object_id=str(enterprise.pk),
        object_repr=enterprise.name,
        changes={"created_at": [None, "2026-12-07T00:25:18.833737+00:00"]},
        enterprise_id=enterprise.pk,
    )

    log_in(page, live_server, "admin1")

    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    history = page.locator("[data-testid=enterprise-history]")
    text = history.inner_text()
    assert "高新技术产业开发区" in text
    assert "绿色产业集聚区" in text
    assert not re.search(rf"→ {new.pk}(?!\d)", text)  # the brand by name, not its id
    assert "2026-12-07 08:25" in text  # Asia/Shanghai, the site's format
    assert "T00:25" not in text
    assert "+00:00" not in text
    assert "{}" not in text
    assert "王管理" in text

    page.goto(f"{live_server.url}/audit/?object_id={enterprise.pk}&content_type=enterprises.enterprise")
    table = page.locator("[data-testid=audit-table]").inner_text()
    assert "绿色产业集聚区" in table
    assert "2026-12-07 08:25" in table
