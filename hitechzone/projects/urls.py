"""M3 pages (``views``)."""

from . import views_panels
from .views import app_name, urlpatterns

urlpatterns = [*urlpatterns, *views_panels.urlpatterns]

__all__ = ["app_name", "urlpatterns"]
