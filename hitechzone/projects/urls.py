"""M3 pages (``views``, ``views_panels``, ``views_pipeline``; a project's land, approvals and enterprise:
``views_links``)."""

from . import views, views_links, views_panels, views_pipeline

app_name = views.app_name
urlpatterns = [*views.urlpatterns, *views_panels.urlpatterns, *views_pipeline.urlpatterns, *views_links.urlpatterns]

__all__ = ["app_name", "urlpatterns"]
