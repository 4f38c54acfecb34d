from django.urls import path

from . import views

app_name = "liaison"
urlpatterns = [
    path("", views.home, name="home"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/confirm/", views.assignments_confirm, name="assignments-confirm"),
    path("assignments/enterprise/<int:pk>/", views.enterprise_assignments, name="enterprise-assignments"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new/", views.visit_new, name="visit-new"),
    path("coverage/", views.coverage, name="coverage"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/new/", views.problem_new, name="problem-new"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/<slug:action>/", views.problem_act, name="problem-act"),
    path("escalated/", views.escalated, name="escalated"),
]
