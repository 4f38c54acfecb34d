from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_new, name="item-new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/status/", views.item_status, name="item-status"),
    path("materials/<int:pk>/files/", views.material_files, name="material-files"),
    path("materials/<int:pk>/<slug:kind>/", views.material_file, name="material-file"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application-new"),
    path("applications/new/materials/", views.filing_materials, name="filing-materials"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/notices/<int:notice>/", views.notice_print, name="notice-print"),
    path("applications/<int:pk>/<slug:action>/", views.application_act, name="application-act"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/new/", views.bundle_new, name="bundle-new"),
    path("bundles/<int:pk>/", views.bundle_detail, name="bundle"),
    path("overdue/", views.overdue, name="overdue"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/answer/", views.rectification_answer, name="rectification-answer"),
]
