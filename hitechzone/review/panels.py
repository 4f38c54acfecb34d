"""The rules of a review panel, one copy for every module (docs/0013; M3's projects, 项目决策专家咨询制度, issue 14
items 6-7, docs/0009; M6's team applications, issue 15), with no ORM inside: who is eligible, the draw, a
replacement for a member who declines, a member's weighted total, the panel score and its recommendation.
``review.services`` reads the database, calls these and stores what they answer; an auditor replays a stored draw
with :func:`draw` (the stored eligible list, size and seed give the same members).

Eligibility of an expert for a subject (the first reason found excludes him, conflicts first):

- no conflict of interest with a side of the subject (:class:`Party` for a project: the investor or its parent
  group; :class:`Sides` for anything else, e.g. a team's leader, members and employer or host organisation) — names
  compared normalised (``strip``, ``casefold``), USCCs too: his affiliation is one; a former affiliation with one
  ended within the last 3 years (on the day exactly 3 years before the draw included); a declared conflict names
  one;
- active;
- a specialty that is the project's chain, or ``"general"`` (a project without a chain: ``"general"`` only).

The draw (:func:`draw`): ``random.Random(seed)`` over the eligible experts sorted by id; one academician first
(``choice`` among the eligible academicians), then ``sample`` of the other seats among everybody else eligible.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

GENERAL = "general"  # an expert who may sit on a panel of any chain
DEFAULT_SIZE = 5
MIN_SIZE = 5
MAX_SIZE = 15
CONFLICT_YEARS = 3
#: A seed is a whole number 0 … 2**53 - 1: exact in JSON (JavaScript's numbers) as in Python.
MAX_SEED = 2**53 - 1

#: The kinds of review, each with its criteria (their weights are data: ScoringWeights, versioned per kind).
PROJECT, TEAM, FUND = "project", "team", "fund"
KINDS = (
    (PROJECT, gettext_lazy("Investment project (M3)")),
    (TEAM, gettext_lazy("Entrepreneurship team (M6)")),
    (FUND, gettext_lazy("Innovation fund application (M6)")),
)

#: A project's criteria, in the order they are shown (code, label, Chinese term).
CRITERIA = (
    ("industry_fit", gettext_lazy("Industry fit"), "产业导向"),
    ("investment_intensity", gettext_lazy("Investment intensity"), "投资强度"),
    ("safety_environment", gettext_lazy("Safety and environment"), "安全环保"),
    ("industry_linkage", gettext_lazy("Industry linkage"), "产业关联"),
    ("technology", gettext_lazy("Technology"), "技术先进性"),
    ("economic_benefit", gettext_lazy("Economic benefit"), "经济效益"),
)
CRITERION_CODES = tuple(code for code, _label, _zh in CRITERIA)
#: A team application's criteria (the park's 创业团队评审): innovation, the team, the market, feasibility, and the fit
#: with the zone's industrial chains.
TEAM_CRITERIA = (
    ("innovation", gettext_lazy("Innovation"), "创新性"),
    ("team", gettext_lazy("Team strength"), "团队实力"),
    ("market", gettext_lazy("Market prospects"), "市场前景"),
    ("feasibility", gettext_lazy("Feasibility"), "可行性"),
    ("chain_fit", gettext_lazy("Fit with the zone's chains"), "产业链契合度"),
)
#: An application to the innovation fund's criteria (创新基金项目评审): innovation, feasibility, the economic benefit,
#: the enterprise's (or team's) capacity, and the fit with the zone's industrial chains.
FUND_CRITERIA = (
    ("innovation", gettext_lazy("Innovation"), "创新性"),
    ("feasibility", gettext_lazy("Feasibility"), "可行性"),
    ("economic_benefit", gettext_lazy("Economic benefit"), "经济效益"),
    ("capacity", gettext_lazy("Team and enterprise capacity"), "团队与企业实力"),
    ("chain_fit", gettext_lazy("Fit with the zone's chains"), "产业链契合度"),
)
CRITERIA_BY_KIND = {PROJECT: CRITERIA, TEAM: TEAM_CRITERIA, FUND: FUND_CRITERIA}


def criteria_of(kind: str = PROJECT) -> tuple:
    """The criteria (code, label, Chinese term) of a kind of review."""
    return CRITERIA_BY_KIND[kind]


def codes_of(kind: str = PROJECT) -> tuple[str, ...]:
    return tuple(code for code, _label, _zh in CRITERIA_BY_KIND[kind])


MIN_POINTS, MAX_POINTS = 0, 100

ADMIT, CONDITIONAL, REJECT = "admit", "conditional", "reject"
RECOMMENDATIONS = (
    (ADMIT, gettext_lazy("Admit")),
    (CONDITIONAL, gettext_lazy("Admit with conditions")),
    (REJECT, gettext_lazy("Reject")),
)
ADMIT_FROM, CONDITIONAL_FROM = Decimal(80), Decimal(60)


def norm(text: str) -> str:
    """A name or USCC as compared: surrounding blanks dropped, case folded."""
    return (text or "").strip().casefold()


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# --- Eligibility ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """What the rules read of an expert."""

    id: int
    academician: bool = False
    active: bool = True
    specialties: tuple[str, ...] = (GENERAL,)
    affiliation: str = ""
    former_affiliations: tuple[tuple[str, dt.date], ...] = ()  # (organisation, until)
    declared_conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Party:
    """The side whose conflicts count: the investor (its name, USCC or foreign registration) and its parent group."""

    investor: str
    parent_group: str = ""
    registrations: tuple[str, ...] = ()  # USCC, foreign registration

    def sides(self) -> dict[str, str]:
        """normalised identifier → which side it is ("investor" or "parent_group")."""
        out = {norm(r): "investor" for r in self.registrations if norm(r)}
        if norm(self.parent_group):
            out[norm(self.parent_group)] = "parent_group"
        if norm(self.investor):
            out[norm(self.investor)] = "investor"
        return out


@dataclass(frozen=True)
class Sides:
    """The sides whose conflicts count, named: ``((identifier, side), …)`` — e.g. a team's leader and members
    (``team_leader``, ``team_member``) and the employer or host organisation (``employer``, ``host``). A later
    identifier equal to an earlier one (normalised) takes its side."""

    named: tuple[tuple[str, str], ...] = ()

    def sides(self) -> dict[str, str]:
        return {norm(name): side for name, side in self.named if norm(name)}


#: What each side reads as in a reason (``reason_text``).
SIDE_LABELS = {
    "investor": gettext_lazy("the investor"),
    "parent_group": gettext_lazy("the investor's parent group"),
    "team_leader": gettext_lazy("the team's leader"),
    "team_member": gettext_lazy("a member of the team"),
    "employer": gettext_lazy("the team's enterprise"),
    "host": gettext_lazy("a member's employer or host organisation"),
    "recipient": gettext_lazy("the applicant enterprise"),
    "recipient_host": gettext_lazy("a host organisation of the applicant's talents"),
}


INACTIVE, SPECIALTY, AFFILIATION, FORMER, DECLARED = (
    "inactive",
    "specialty",
    "affiliation",
    "former_affiliation",
    "declared_conflict",
)
CONFLICTS = (AFFILIATION, FORMER, DECLARED)


def exclusion(
    c: Candidate,
    *,
    chain: str,
    party: Party | Sides,
    today: dt.date,
    sides: dict | None = None,
    cutoff: dt.date | None = None,
) -> dict | None:
    """Why ``c`` may not sit on the subject's panel (a JSON-ready record), or None when he may. ``sides`` and
    ``cutoff``: the party's :meth:`Party.sides` and the day :data:`CONFLICT_YEARS` before ``today``, when the caller
    has them already (:func:`eligibility` works them out once for the whole pool)."""
    sides = party.sides() if sides is None else sides
    if norm(c.affiliation) in sides:
        return {"expert": c.id, "code": AFFILIATION, "organisation": c.affiliation, "side": sides[norm(c.affiliation)]}
    cutoff = years_before(today, CONFLICT_YEARS) if cutoff is None else cutoff
    for organisation, until in c.former_affiliations:
        if norm(organisation) in sides and until >= cutoff:
            return {"expert": c.id, "code": FORMER, "organisation": organisation, "side": sides[norm(organisation)],
                    "until": until.isoformat()}  # fmt: skip
    for named in c.declared_conflicts:
        if norm(named) in sides:
            return {"expert": c.id, "code": DECLARED, "organisation": named, "side": sides[norm(named)]}
    if not c.active:
        return {"expert": c.id, "code": INACTIVE}
    if GENERAL not in c.specialties and not (chain and chain in c.specialties):
        return {"expert": c.id, "code": SPECIALTY, "chain": chain}
    return None


def eligibility(
    candidates: Iterable[Candidate], *, chain: str, party: Party | Sides, today: dt.date
) -> tuple[list[Candidate], list[dict]]:
    """(the eligible, sorted by id; the excluded with their reasons, by id)."""
    eligible, excluded = [], []
    sides, cutoff = party.sides(), years_before(today, CONFLICT_YEARS)
    for c in sorted(candidates, key=lambda c: c.id):
        found = exclusion(c, chain=chain, party=party, today=today, sides=sides, cutoff=cutoff)
        if found is None:
            eligible.append(c)
        else:
            excluded.append(found)
    return eligible, excluded


#: What an exclusion record's words depend on: every key of the records :func:`exclusion` writes but the expert.
REASON_KEYS = ("code", "organisation", "side", "until", "chain")


def reason_texts() -> Callable[[dict], str]:
    """:func:`reason_text` that words each distinct reason once (a draw from 2,000 experts excludes ~1,500, most of
    them for the same chain: the same sentence translated 1,500 times)."""
    memo: dict[tuple, str] = {}

    def text(record: dict) -> str:
        get = record.get
        key = (get("code"), get("organisation"), get("side"), get("until"), get("chain"))  # REASON_KEYS
        found = memo.get(key)
        if found is None:
            found = memo[key] = reason_text(record)
        return found

    return text


def reason_text(record: dict) -> str:
    """An exclusion record in words (in the active language)."""
    side = str(SIDE_LABELS.get(record.get("side"), SIDE_LABELS["parent_group"]))
    code = record["code"]
    if code == AFFILIATION:
        return _("Works at %(organisation)s (%(side)s).") % {"organisation": record["organisation"], "side": side}
    if code == FORMER:
        return _("Worked at %(organisation)s (%(side)s) until %(until)s, within the last %(years)d years.") % {
            "organisation": record["organisation"],
            "side": side,
            "until": record["until"],
            "years": CONFLICT_YEARS,
        }
    if code == DECLARED:
        return _("Declared a conflict of interest with %(organisation)s (%(side)s).") % {
            "organisation": record["organisation"],
            "side": side,
        }
    if code == INACTIVE:
        return _("Not active in the pool.")
    if record.get("chain"):
        return _("No specialty in the project's chain (%(chain)s), nor general.") % {"chain": record["chain"]}
    return _("The project has no chain, and the expert is not a general one.")


# --- The draw -------------------------------------------------------------------------------------------------------


class Shortfall(Exception):
    """Too few eligible experts, or no eligible academician: the message names what is missing."""


def shortfall(*, size: int, eligible: int, academicians: int) -> Shortfall:
    missing = []
    if eligible < size:
        missing.append(
            _("a panel of %(size)d needs %(size)d eligible experts, and only %(count)d are eligible")
            % {"size": size, "count": eligible}
        )
    if academicians < 1:
        missing.append(_("no eligible expert is an academician (院士), and a panel needs at least one"))
    return Shortfall(_("The panel cannot be drawn: %(missing)s.") % {"missing": "; ".join(missing)})


def size_problem(size) -> str:
    """Why ``size`` is not a panel's size ("" when it is: odd, 5 … 15)."""
    if isinstance(size, bool) or not isinstance(size, int) or size < MIN_SIZE or size > MAX_SIZE or size % 2 == 0:
        return _("A panel's size is an odd number from %(min)d to %(max)d.") % {"min": MIN_SIZE, "max": MAX_SIZE}
    return ""


def draw(eligible: Sequence[tuple[int, bool]], *, seed: int, size: int = DEFAULT_SIZE) -> list[int]:
    """The members (expert ids, in seat order) drawn from ``eligible`` ((id, academician) pairs) with ``seed``.

    Deterministic: the same pool (in any order), seed and size give the same members. Raises :class:`Shortfall`
    with fewer than ``size`` eligible experts or no academician among them."""
    pool = sorted(set(eligible))
    academicians = [i for i, is_academician in pool if is_academician]
    if len(pool) < size or not academicians:
        raise shortfall(size=size, eligible=len(pool), academicians=len(academicians))
    rng = random.Random(seed)  # noqa: S311 — a reproducible draw: the stored seed replays it
    first = rng.choice(academicians)
    rest = [i for i, _is in pool if i != first]
    return [first, *rng.sample(rest, size - 1)]


def replacement(candidates: Sequence[tuple[int, bool]], *, seed: int, academician_needed: bool) -> int:
    """The expert drawn (with ``seed``) to take a declining member's seat, among ``candidates`` (the eligible not
    yet on the panel); an academician when the panel would otherwise have none."""
    pool = sorted({(i, a) for i, a in candidates if a or not academician_needed})
    if not pool:
        if academician_needed:
            raise Shortfall(_("No other eligible academician (院士) is left to take the seat: the panel needs one."))
        raise Shortfall(_("No other eligible expert is left to take the seat."))
    return random.Random(seed).choice(pool)[0]  # noqa: S311 — reproducible, as the draw


def replacement_seed(seed: int, n: int) -> int:
    """The seed of the panel's ``n``-th replacement (1, 2 …): the panel's seed plus ``n``."""
    return seed + n


# --- Scores ---------------------------------------------------------------------------------------------------------


def weighted_total(criteria: dict[str, int], weights: dict[str, str]) -> Decimal:
    """Σ points × weight % ÷ 100 over the weights' criteria, exact."""
    total = sum((Fraction(int(criteria[code])) * Fraction(Decimal(str(weights[code]))) for code in weights),
                Fraction(0)) / 100  # fmt: skip
    return Decimal(total.numerator) / Decimal(total.denominator)


def round_half_up(x: Fraction, places: int = 2) -> Decimal:
    """``x`` (≥ 0) rounded half up to ``places`` decimals, from the exact fraction (no binary or decimal detour)."""
    scaled = x * 10**places
    whole = (scaled + Fraction(1, 2)).__floor__()
    return (Decimal(whole) / Decimal(10**places)).quantize(Decimal(1).scaleb(-places))


def panel_score(totals: Sequence[Decimal]) -> Decimal | None:
    """The mean of the members' weighted totals, after dropping one highest and one lowest when there are 5 or more;
    exact, rounded half up to 2 places. None without totals."""
    values = sorted(Fraction(Decimal(str(t))) for t in totals)
    if not values:
        return None
    if len(values) >= 5:
        values = values[1:-1]
    return round_half_up(sum(values, Fraction(0)) / len(values))


def recommendation(score: Decimal | None, *, veto: bool) -> str | None:
    """Any veto: reject; else the (rounded) panel score ≥ 80 admit, ≥ 60 conditional, below reject."""
    if veto:
        return REJECT
    if score is None:
        return None
    if score >= ADMIT_FROM:
        return ADMIT
    if score >= CONDITIONAL_FROM:
        return CONDITIONAL
    return REJECT


def recommendation_label(code: str | None) -> str:
    return str(dict(RECOMMENDATIONS).get(code, "")) if code else ""


# --- Shapes of stored data (the model's clean() and the services check them) ---------------------------------------


def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def expert_problems(specialties, former_affiliations, declared_conflicts) -> dict[str, list[str]]:
    """What is wrong with an expert's lists, by field (the chain codes themselves are checked by the service)."""
    problems: dict[str, list[str]] = {}
    if not isinstance(specialties, list) or not all(isinstance(s, str) and s.strip() for s in specialties):
        problems["specialties"] = [_('Give a list of chain codes, or "general".')]
    good = isinstance(former_affiliations, list) and all(
        isinstance(f, dict)
        and isinstance(f.get("name"), str)
        and f["name"].strip()
        and parse_date(f.get("until")) is not None
        for f in former_affiliations
    )
    if not good:
        problems["former_affiliations"] = [_('Give a list of {"name": …, "until": "YYYY-MM-DD"}.')]
    declared = declared_conflicts
    if not isinstance(declared, list) or not all(isinstance(s, str) and s.strip() for s in declared):
        problems["declared_conflicts"] = [_("Give a list of organisation names or USCCs.")]
    return problems


def weights_problems(weights, kind: str = PROJECT) -> list[str]:
    """What is wrong with a weights table: the kind's criteria, each a percent ≥ 0, together 100."""
    if kind not in CRITERIA_BY_KIND:
        return [_("Not a kind of review: %(kind)s.") % {"kind": kind}]
    if not isinstance(weights, dict):
        return [_("Give an object of criterion → percent.")]
    problems = []
    codes = codes_of(kind)
    if set(weights) != set(codes):
        problems.append(_("The criteria are exactly: %(codes)s.") % {"codes": ", ".join(codes)})
        return problems
    total = Decimal(0)
    for code in codes:
        try:
            value = Decimal(str(weights[code]))
        except InvalidOperation:
            problems.append(_("%(code)s: not a number.") % {"code": code})
            continue
        if not value.is_finite() or value < 0:
            problems.append(_("%(code)s: not a percent ≥ 0.") % {"code": code})
            continue
        total += value
    if not problems and total != 100:
        problems.append(_("The weights add up to %(total)s %%, not 100 %%.") % {"total": total})
    return problems


def criteria_problems(criteria, kind: str = PROJECT) -> dict[str, str]:
    """What is wrong with a member's points, by criterion: each a whole number 0 … 100, every criterion of the kind
    given."""
    if not isinstance(criteria, dict):
        return {"criteria": _("Give an object of criterion → points.")}
    problems = {}
    codes = codes_of(kind)
    for code in codes:
        value = criteria.get(code)
        if isinstance(value, bool) or not isinstance(value, int) or not MIN_POINTS <= value <= MAX_POINTS:
            problems[code] = _("A whole number from 0 to 100.")
    for code in set(criteria) - set(codes):
        problems[code] = _("Not a criterion.")
    return problems
