"""M6 pages: every route is in ``views``."""

from .views import app_name, urlpatterns

__all__ = ["app_name", "urlpatterns"]
