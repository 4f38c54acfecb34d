"""M5 pages: materials, flows and balances (``views``), the network (``network_views``), the optimiser
(``optimize_views``), the park indicators (``indicator_views``) and the projects (``project_views``)."""

from . import indicator_views, network_views, optimize_views, project_views, views

app_name = "circular"
urlpatterns = [
    *views.urlpatterns,
    *network_views.urlpatterns,
    *optimize_views.urlpatterns,
    *indicator_views.urlpatterns,
    *project_views.urlpatterns,
]
