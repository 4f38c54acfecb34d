from django.urls import path

from . import import_views as views

app_name = "imports"
urlpatterns = [
    path("", views.import_index, name="list"),
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/confirm/", views.import_confirm, name="confirm"),
    path("<int:pk>/report/", views.import_report, name="report"),
    path("templates/<slug:kind>/", views.import_template, name="template"),
]
