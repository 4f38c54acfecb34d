"""M4 pages: the evaluation (``views``), energy ranking and prices (``energy_views``), land exit (``land_views``)."""

from . import energy_views, land_views, views

app_name = "evaluation"
urlpatterns = [*views.urlpatterns, *energy_views.urlpatterns, *land_views.urlpatterns]
