"""M3 pages (``views``, ``views_pipeline``)."""

from . import views, views_pipeline

app_name = views.app_name
urlpatterns = [*views.urlpatterns, *views_pipeline.urlpatterns]
