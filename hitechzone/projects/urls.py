"""M3 pages (``views``, ``views_panels``, ``views_pipeline``)."""

from . import views, views_panels, views_pipeline

app_name = views.app_name
urlpatterns = [*views.urlpatterns, *views_panels.urlpatterns, *views_pipeline.urlpatterns]

__all__ = ["app_name", "urlpatterns"]
