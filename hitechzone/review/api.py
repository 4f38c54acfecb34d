"""The shared review's API pieces (docs/0013): the shapes of a panel, of its draw and decline, and the answers
:func:`panel_answer` and :func:`scores_answer` — one copy for M3's ``projects/{id}/panel/`` and M6's
``talent/team-applications/{id}/panel/``. Each module keeps its criteria's serializer (their fields differ)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from hitechzone.accounts.models import Role

from . import panels, pool
from . import services as review


class DrawSerializer(serializers.Serializer):
    size = serializers.IntegerField(required=False, help_text=_("odd, 5 to 15; 5 if left out"))
    seed = serializers.IntegerField(
        required=False, min_value=0, max_value=panels.MAX_SEED, help_text=_("drawn at random if left out")
    )


class MemberSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    academician = serializers.BooleanField()
    status = serializers.CharField()
    replaces = serializers.IntegerField(allow_null=True, help_text=_("the expert whose seat this member took"))


class ExcludedSerializer(serializers.Serializer):
    expert = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField(
        help_text=_("affiliation, former_affiliation, declared_conflict, inactive or specialty")
    )
    reason = serializers.CharField()


class PanelSerializer(serializers.Serializer):
    seed = serializers.IntegerField()
    size = serializers.IntegerField()
    chain = serializers.CharField(allow_blank=True)
    drawn_on = serializers.DateField()
    weights_version = serializers.IntegerField()
    members = MemberSerializer(many=True)
    eligible = serializers.ListField(child=serializers.IntegerField(), help_text=_("expert ids, as the draw read them"))
    excluded = ExcludedSerializer(many=True)
    replacements = serializers.ListField(child=serializers.DictField(), help_text=_("each replacement's seed and pool"))


def panel_answer(user, panel) -> dict:
    """The panel as the API shows it, already in :class:`PanelSerializer`'s shape and types (the views answer it as
    it is: run through the serializer, the ~1,500 exclusions of a draw from 2,000 experts took as long as the draw's
    SQL; bench/README.md, issue 14). An expert sees the members, not who was excluded nor why."""
    seats = list(panel.members.select_related("expert", "replaces").order_by("seat"))
    auditor = user.effective_role != Role.EXPERT
    names = pool.read().names if auditor and panel.excluded else {}
    reasons = panels.reason_texts()
    return {
        "seed": panel.seed,
        "size": panel.size,
        "chain": panel.chain,
        "drawn_on": panel.drawn_on,
        "weights_version": panel.weights.version,
        "members": [
            {
                "expert": s.expert_id,
                "name": s.expert.name,
                "title": s.expert.title,
                "academician": s.expert.academician,
                "status": s.status,
                "replaces": s.replaces.expert_id if s.replaces_id else None,
            }
            for s in seats
        ],
        "eligible": panel.eligible if auditor else [],
        "excluded": [
            {
                "expert": e["expert"],
                "name": names.get(e["expert"], ""),
                "code": e["code"],
                "reason": reasons(e),
            }
            for e in (panel.excluded if auditor else [])
        ],
        "replacements": panel.replacements if auditor else [],
    }


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


def scores_answer(user, panel) -> dict:
    """The panel's scores as ``user`` may read them (``services.scores_view`` keeps the seal)."""
    view = review.scores_view(user, panel)
    return {
        "sealed": view.sealed,
        "submitted": view.submitted,
        "members": [
            {
                "expert": s.expert_id,
                "name": s.expert.name,
                "criteria": s.score.criteria,
                "total": s.score.total,
                "veto": s.score.veto,
                "veto_reason": s.score.veto_reason,
                "comment": s.score.comment,
            }
            for s in view.members
        ],
        "panel_score": view.panel_score,
        "recommendation": view.recommendation,
        "weights": panel.weights.weights,
    }
