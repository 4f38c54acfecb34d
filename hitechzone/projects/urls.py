"""M3 pages (``views``; a project's land, approvals and enterprise: ``views_links``)."""

from . import views_links
from .views import app_name, urlpatterns

urlpatterns = [*urlpatterns, *views_links.urlpatterns]

__all__ = ["app_name", "urlpatterns"]
