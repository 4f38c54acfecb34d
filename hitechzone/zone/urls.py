from django.urls import path

from . import views

app_name = "zone"
urlpatterns = [
    path("parcels/", views.parcels, name="parcels"),
    path("parcels/<int:pk>/", views.parcel_detail, name="parcel"),
    path("departments/", views.departments, name="departments"),
]
