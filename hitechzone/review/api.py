"""The shared review's API pieces (docs/0013): the shapes of a panel, of its draw and decline, and the answers
:func:`panel_answer` and :func:`scores_answer` — one copy for M3's ``projects/{id}/panel/`` and M6's
``talent/team-applications/{id}/panel/``, and the score serializers made once for each kind's criteria
(:func:`score_serializers`)."""

from __future__ import annotations

from dataclasses import dataclass

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


# --- The scores' shapes, one set per kind of review (their criteria differ, the rest is the same) ------------------


@dataclass(frozen=True)
class ScoreSerializers:
    criteria: type[serializers.Serializer]  # criterion code → points
    score_input: type[serializers.Serializer]  # what a member submits
    member_score: type[serializers.Serializer]  # one member's score as read
    scores: type[serializers.Serializer]  # the panel's scores (``scores_answer``)


def score_serializers(prefix: str, criteria) -> ScoreSerializers:
    """The score serializers of one kind of review, named ``{prefix}Criteria``, ``{prefix}ScoreInput``,
    ``{prefix}MemberScore``, ``{prefix}Scores`` in the OpenAPI schema. ``criteria``: ``panels.CRITERIA``-shaped
    ``(code, label, chinese)`` rows."""

    def points(chinese: str):
        return serializers.IntegerField(min_value=panels.MIN_POINTS, max_value=panels.MAX_POINTS, help_text=chinese)

    def make(name: str, fields: dict) -> type[serializers.Serializer]:
        return type(f"{prefix}{name}Serializer", (serializers.Serializer,), {"__module__": __name__, **fields})

    criteria_serializer = make("Criteria", {code: points(chinese) for code, _label, chinese in criteria})

    def validate(self, data):
        if data.get("veto") and not (data.get("veto_reason") or "").strip():
            raise serializers.ValidationError({"veto_reason": _("A veto needs its reason.")})
        return data

    score_input = make(
        "ScoreInput",
        {
            "criteria": criteria_serializer(),
            "comment": serializers.CharField(required=False, allow_blank=True),
            "veto": serializers.BooleanField(
                required=False, default=False, help_text=_("a veto (一票否决), e.g. on safety")
            ),
            "veto_reason": serializers.CharField(required=False, allow_blank=True, max_length=200),
            "validate": validate,
        },
    )
    member_score = make(
        "MemberScore",
        {
            "expert": serializers.IntegerField(),
            "name": serializers.CharField(),
            "criteria": criteria_serializer(),
            "total": serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False),
            "veto": serializers.BooleanField(),
            "veto_reason": serializers.CharField(allow_blank=True),
            "comment": serializers.CharField(allow_blank=True),
        },
    )
    scores = make(
        "Scores",
        {
            "sealed": serializers.BooleanField(help_text=_("true until every sitting member has submitted")),
            "submitted": serializers.ListField(child=serializers.IntegerField(), help_text=_("expert ids")),
            "members": member_score(many=True, help_text=_("while sealed: the caller's own score only")),
            "panel_score": serializers.DecimalField(
                max_digits=7, decimal_places=2, coerce_to_string=False, allow_null=True
            ),
            "recommendation": serializers.ChoiceField(choices=[c for c, _l in panels.RECOMMENDATIONS], allow_null=True),
            "weights": serializers.DictField(child=serializers.CharField(), help_text=_("criterion → percent")),
        },
    )
    return ScoreSerializers(criteria_serializer, score_input, member_score, scores)
