"""The pipeline's rules as data (issue 14 item 9; docs/0010): which moves a project may make from which stage, and
which stage needs which decision of the leader.

Rules as small objects (UK Data Hub's ``investment/project/validate.py``): :data:`MOVES` names each kind of move
with the stages it starts from and where it leads; :data:`GATES` names the stages a project enters only with a
given decision. :func:`target` and :func:`gate_refusal` read them; the service ``pipeline.project_move`` enforces
them, and the project's page offers what :func:`offered` allows. Nothing here reads the database.

- Forward one stage at a time along :data:`ROAD` (线索 → 洽谈 → 评审 → 签约 → 供地 → 审批 → 开工 → 投产): no
  skipping, so that every stage a project passed has its date; no going back.
- Pause (暂停) from any stage of the road before production; resume only into the stage it was paused from.
- Terminate (终止) from any stage before production, paused included, with a reason; terminated is final, and so
  is production (投产: the road's end).
- Signed (签约) only with the leader's decision to admit or to admit with conditions: a project without a decision
  cannot be signed, a rejected one cannot go past review.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Project, ProjectDecision, ProjectStageEvent

S = Project.Stage
K = ProjectStageEvent.Kind
O = ProjectDecision.Outcome  # noqa: E741 — the outcomes, as S the stages and K the kinds

#: The road from first contact to production, in order.
ROAD: tuple[str, ...] = (
    S.LEAD,
    S.NEGOTIATION,
    S.REVIEW,
    S.SIGNED,
    S.LAND,
    S.APPROVAL,
    S.CONSTRUCTION,
    S.PRODUCTION,
)
#: The stages a project is still on its way in (it may advance, pause or end there).
UNDER_WAY: tuple[str, ...] = ROAD[:-1]
#: The stage the leader decides at (评审): a decision is taken on a project there and nowhere else.
DECISION_STAGE = S.REVIEW
#: The stage whose date is the project's landing (落地): land supplied (供地).
LANDING_STAGE = S.LAND
#: The stage "洽谈 to 落地" counts from.
NEGOTIATION_STAGE = S.NEGOTIATION

NEXT = "next"  # a move's ``to``: the next stage on the road
PAUSED_FROM = "paused_from"  # a move's ``to``: the stage the project was paused from


@dataclass(frozen=True)
class Move:
    """A kind of move: from which stages, to where (a stage, :data:`NEXT` or :data:`PAUSED_FROM`), and whether
    the mover must say why."""

    kind: str
    from_stages: tuple[str, ...]
    to: str
    needs_reason: bool = False


@dataclass(frozen=True)
class Gate:
    """A stage entered only with one of ``outcomes`` as the leader's decision; the refusals say why."""

    stage: str
    outcomes: tuple[str, ...]
    undecided: str
    refused: str


MOVES: tuple[Move, ...] = (
    Move(K.ADVANCE, UNDER_WAY, NEXT),
    Move(K.PAUSE, UNDER_WAY, S.PAUSED),
    Move(K.RESUME, (S.PAUSED,), PAUSED_FROM),
    Move(K.TERMINATE, (*UNDER_WAY, S.PAUSED), S.TERMINATED, needs_reason=True),
)

GATES: tuple[Gate, ...] = (
    Gate(
        S.SIGNED,
        (O.ADMIT, O.CONDITIONAL),
        undecided=_("A project cannot be signed before the leader has admitted it."),
        refused=_("A rejected project cannot go past review."),
    ),
)


def next_stage(stage: str) -> str | None:
    """The stage after ``stage`` on the road (None at its end and off it)."""
    if stage not in ROAD or stage == ROAD[-1]:
        return None
    return ROAD[ROAD.index(stage) + 1]


def target(move: Move, stage: str, paused_from: str | None) -> str | None:
    """Where ``move`` leads a project at ``stage`` (None: the move does not start there)."""
    if stage not in move.from_stages:
        return None
    if move.to == NEXT:
        return next_stage(stage)
    if move.to == PAUSED_FROM:
        return paused_from
    return move.to


def move_to(stage: str, to_stage: str, paused_from: str | None) -> Move | None:
    """The move that takes a project from ``stage`` to ``to_stage`` (None: no rule allows it)."""
    return next((m for m in MOVES if target(m, stage, paused_from) == to_stage), None)


def offered(stage: str, paused_from: str | None) -> list[tuple[Move, str]]:
    """Every move a project at ``stage`` may make, with the stage it leads to, in the table's order."""
    out = []
    for move in MOVES:
        to = target(move, stage, paused_from)
        if to:
            out.append((move, to))
    return out


def gate_refusal(to_stage: str, decision: ProjectDecision | None) -> str | None:
    """Why a project with ``decision`` (None: no decision yet) may not enter ``to_stage`` (None: it may)."""
    for gate in GATES:
        if gate.stage != to_stage:
            continue
        if decision is None:
            return str(gate.undecided)
        if decision.outcome not in gate.outcomes:
            return str(gate.refused)
    return None
