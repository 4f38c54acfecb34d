import pytest
from django.contrib import admin
from django.urls import reverse

from hitechzone.evaluation import models

pytestmark = pytest.mark.django_db

REGISTERED = [m for m in admin.site._registry if m._meta.app_label == "evaluation"]


def test_every_evaluation_model_in_the_admin_is_listed_and_read_only(admin_client):
    assert REGISTERED
    for model in REGISTERED:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = admin_client.get(url)
        assert response.status_code == 200, model
        add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        assert add.encode() not in response.content, model
        assert getattr(models, model.__name__) is model
