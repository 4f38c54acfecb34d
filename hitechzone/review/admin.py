"""The one expert pool and the review weights (docs/0013). Scores are not shown here: they stay sealed."""

from django.contrib import admin

from .models import Expert, ScoringWeights


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """The expert pool: specialties, former affiliations (with their end dates) and declared conflicts are JSON
    lists (``["fluorine", "general"]``, ``[{"name": "…", "until": "2024-06-30"}]``, ``["…", "913301…"]``)."""

    list_display = ("name", "title", "academician", "affiliation", "active", "user")
    list_filter = ("academician", "active")
    search_fields = ("name", "affiliation")
    raw_id_fields = ("user",)


@admin.register(ScoringWeights)
class ScoringWeightsAdmin(admin.ModelAdmin):
    """The review criteria's weights; a new version is a new row (a panel keeps the version in force when drawn)."""

    list_display = ("kind", "version", "is_demo_default", "note", "created_at")
    list_filter = ("kind",)
