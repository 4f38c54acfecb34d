from django.urls import path

from . import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_index, name="list"),
    path("<int:pk>/", views.enterprise_show, name="detail"),
    path("indicators/export/", views.indicator_export, name="indicator-export"),
]
