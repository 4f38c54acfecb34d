from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy

from hitechzone.common import error_views
from hitechzone.common.views import favicon
from hitechzone.zone.views import home

# The admin is the platform's back office: its header and titles name the platform, not "Django".
admin.site.site_header = admin.site.site_title = gettext_lazy("hitechzone")
admin.site.index_title = gettext_lazy("Administration")

urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("enterprises/", include("hitechzone.enterprises.urls")),
    path("zone/", include("hitechzone.zone.urls")),
    path("audit/", include("hitechzone.common.audit_views")),
    path("imports/", include("hitechzone.common.import_urls")),
    path("liaison/", include("hitechzone.liaison.urls", namespace="liaison")),
    path("approvals/", include("hitechzone.approvals.urls", namespace="approvals")),
    path("projects/", include("hitechzone.projects.urls", namespace="projects")),
    path("evaluation/", include("hitechzone.evaluation.urls", namespace="evaluation")),
    path("circular/", include("hitechzone.circular.urls", namespace="circular")),
    path("talent/", include("hitechzone.talent.urls", namespace="talent")),
    path("notifications/", include("hitechzone.common.notification_views", namespace="notifications")),
    path("calendar/", include("hitechzone.common.calendar_views")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("hitechzone.api_urls")),
]

# The error pages, Chinese first and inside the site's frame (common/error_views.py).
handler403 = error_views.permission_denied
handler404 = error_views.page_not_found
handler500 = error_views.server_error
