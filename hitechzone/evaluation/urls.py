"""M4 pages: the evaluation (``views``), energy ranking and prices (``views.energy``), land exit (``views.land``)."""

from .views import energy, land
from .views import urlpatterns as evaluation_urlpatterns

app_name = "evaluation"
urlpatterns = [*evaluation_urlpatterns, *energy.urlpatterns, *land.urlpatterns]
