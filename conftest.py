"""Personas (Healthchecks' alice/bob/charlie): one user per role, two of each scoped role.

``zone`` builds a small zone in which every "A can, B cannot" sentence has its A and B:
enterprise A served by officer A, enterprise B served by officer B, department A and B.
"""

import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest


def pytest_configure(config):
    """Tests render templates without a collectstatic first: plain static storage, served from the finders."""
    from django.conf import settings

    # Hashing every persona's password with PBKDF2 costs seconds per test; the hash is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise warns at every request when STATIC_ROOT is missing (no collectstatic before the tests): make it.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session", autouse=True)
def _audit_guard_installed():
    """The audit guard watches the whole suite (``hitechzone.common.audit_guard``)."""
    from hitechzone.common import audit_guard

    audit_guard.install()
    yield
    audit_guard.uninstall()


@pytest.fixture(autouse=True)
def _audit_guard(_audit_guard_installed):
    """A test (its fixtures included) that writes an audited model without its audit records fails, naming the
    model, the kind of write, the fields and the line that made it."""
    from hitechzone.common import audit_guard

    audit_guard.take()
    with audit_guard.armed():
        yield
    found = audit_guard.take()
    if found:
        pytest.fail(audit_guard.report(found), pytrace=False)


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language: a request in English (the test client's LocaleMiddleware) leaves
    English active in the thread, and a later test's fixtures would write their stored texts in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def zone(db):
    from hitechzone.accounts.models import Role
    from hitechzone.enterprises.tests import factories as f

    brand_a = f.BrandFactory(code="gaoxin", name="高新技术产业开发区", short_name="高新区")
    brand_b = f.BrandFactory(code="lvchan", name="绿色产业集聚区", short_name="绿色集聚区")
    chain = f.ChainFactory(code="fluorine", name="氟化工")
    dept_a, dept_b = f.DepartmentFactory(name="市经济和信息化局"), f.DepartmentFactory(name="市生态环境局")
    ent_a = f.EnterpriseFactory(name="浙江甲方氟材料有限公司", brand=brand_a)
    ent_a.chains.add(chain)
    ent_b = f.EnterpriseFactory(name="浙江乙方硅业有限公司", brand=brand_b)
    indicator_a = f.IndicatorFactory(enterprise=ent_a)
    indicator_b = f.IndicatorFactory(enterprise=ent_b)
    parcel_a = f.ParcelFactory(brand=brand_a, enterprise=ent_a)
    parcel_b = f.ParcelFactory(brand=brand_b, enterprise=ent_b)
    contact_a = f.ContactFactory(enterprise=ent_a)
    contact_b = f.ContactFactory(enterprise=ent_b)

    def user(username, role, **links):
        return f.UserFactory(username=username, role=role, **links)

    users = SimpleNamespace(
        admin=user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
        leader=user("leader", Role.LEADER),
        dept_a=user("dept_a", Role.DEPARTMENT, department=dept_a),
        dept_b=user("dept_b", Role.DEPARTMENT, department=dept_b),
        officer_a=user("officer_a", Role.OFFICER),
        officer_b=user("officer_b", Role.OFFICER),
        expert_a=user("expert_a", Role.EXPERT),
        expert_b=user("expert_b", Role.EXPERT),
        ent_a=user("ent_a", Role.ENTERPRISE, enterprise=ent_a),
        ent_b=user("ent_b", Role.ENTERPRISE, enterprise=ent_b),
    )
    f.AssignmentFactory(officer=users.officer_a, enterprise=ent_a)
    f.AssignmentFactory(officer=users.officer_b, enterprise=ent_b)
    return SimpleNamespace(
        users=users,
        brand_a=brand_a,
        brand_b=brand_b,
        chain=chain,
        dept_a=dept_a,
        dept_b=dept_b,
        ent_a=ent_a,
        ent_b=ent_b,
        indicator_a=indicator_a,
        indicator_b=indicator_b,
        parcel_a=parcel_a,
        parcel_b=parcel_b,
        contact_a=contact_a,
        contact_b=contact_b,
    )


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_as(api_client):
    """``api_as(user)``: an API client authenticated as that user (by token, as a real client would)."""
    from rest_framework.authtoken.models import Token

    def login(user):
        token, _ = Token.objects.get_or_create(user=user)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api_client

    return login


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file (not pytest-django's in-memory one), so that the worker processes
    of hitechzone/enterprises/tests/test_jobs_faults.py open the same database as the test."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    # In memory where the machine has a RAM disk (as fast as SQLite's ":memory:"), else in pytest's tmp.
    shm = Path("/dev/shm")  # noqa: S108 — mkdtemp makes a private folder in it
    folder = Path(tempfile.mkdtemp(prefix="hitechzone-test-", dir=shm)) if shm.is_dir() else None
    db.setdefault("TEST", {})["NAME"] = str((folder or tmp_path_factory.mktemp("db")) / "test.sqlite3")
    yield
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
