"""REST API v1: one router for every module."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from hitechzone.accounts.api import MeView, TokenView
from hitechzone.approvals import api as approvals_api
from hitechzone.circular import api as circular_api
from hitechzone.circular import optimize_api, project_api
from hitechzone.common import audit_api, import_api, notification_api
from hitechzone.common.calendar_api import DeadlineView, WorkingDaysView
from hitechzone.enterprises import api as enterprises_api
from hitechzone.evaluation import api as evaluation_api
from hitechzone.evaluation import energy_api, land_api
from hitechzone.liaison import api as liaison_api
from hitechzone.projects import api as projects_api
from hitechzone.projects import api_panels as projects_panels_api
from hitechzone.talent import api as talent_api
from hitechzone.talent import api_finance as talent_finance_api
from hitechzone.talent import api_links as talent_links_api
from hitechzone.talent import api_review as talent_review_api
from hitechzone.zone import api as zone_api

router = DefaultRouter()
router.register("brands", zone_api.BrandViewSet, basename="brand")
router.register("blocks", zone_api.BlockViewSet, basename="block")
router.register("functional-areas", zone_api.FunctionalAreaViewSet, basename="functional-area")
router.register("departments", zone_api.DepartmentViewSet, basename="department")
router.register("parcels", zone_api.ParcelViewSet, basename="parcel")
router.register("industries", enterprises_api.IndustryViewSet, basename="industry")
router.register("industry-chains", enterprises_api.IndustryChainViewSet, basename="industry-chain")
router.register("enterprises", enterprises_api.EnterpriseViewSet, basename="enterprise")
router.register("enterprise-indicators", enterprises_api.EnterpriseIndicatorViewSet, basename="enterprise-indicator")
router.register("contacts", enterprises_api.ContactViewSet, basename="contact")
router.register("audit", audit_api.AuditEventViewSet, basename="audit-event")
router.register("imports", import_api.ImportViewSet, basename="import-batch")
router.register("jobs", import_api.JobViewSet, basename="job")
router.register("assignments", liaison_api.AssignmentViewSet, basename="assignment")
router.register("visits", liaison_api.VisitViewSet, basename="visit")
router.register("problems", liaison_api.ProblemViewSet, basename="problem")
router.register("notifications", notification_api.NotificationViewSet, basename="notification")
router.register("approval-items", approvals_api.ItemViewSet, basename="approval-item")
router.register("applications", approvals_api.ApplicationViewSet, basename="application")
router.register("approval-bundles", approvals_api.BundleViewSet, basename="approval-bundle")
router.register("rectifications", approvals_api.RectificationViewSet, basename="rectification")
API_MODULES = (
    projects_api,
    projects_panels_api,
    evaluation_api,
    energy_api,
    land_api,
    circular_api,
    optimize_api,
    talent_api,
    talent_finance_api,
)
for module in (*API_MODULES, project_api):
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("liaison/coverage/", liaison_api.CoverageView.as_view(), name="api-liaison-coverage"),
    path("liaison/stats/", liaison_api.StatsView.as_view(), name="api-liaison-stats"),
    path("approvals/stats/", approvals_api.StatsView.as_view(), name="api-approvals-stats"),
    path("approvals/overdue/", approvals_api.OverdueView.as_view(), name="api-approvals-overdue"),
    path("calendar/deadline/", DeadlineView.as_view(), name="api-calendar-deadline"),
    path("calendar/working-days/", WorkingDaysView.as_view(), name="api-calendar-working-days"),
    *projects_panels_api.PATHS,
    *evaluation_api.PATHS,
    *energy_api.PATHS,
    *land_api.PATHS,
    *circular_api.PATHS,
    *optimize_api.PATHS,
    *project_api.PATHS,
    *talent_api.PATHS,
    *talent_review_api.PATHS,
    *talent_links_api.PATHS,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("", include(router.urls)),
]
