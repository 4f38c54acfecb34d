"""M6 pages: the routes of ``views``, then those of the modules beside it."""

from . import views_finance, views_links
from .views import app_name
from .views import urlpatterns as _core

urlpatterns = [*_core, *views_finance.urlpatterns, *views_links.urlpatterns]

__all__ = ["app_name", "urlpatterns"]
