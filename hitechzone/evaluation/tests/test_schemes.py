"""Schemes as data: the JSON round trip, validation, and versions (create, revise, which version a year uses)."""

from __future__ import annotations

import copy
import importlib
import json

import pytest
from django.core.exceptions import ValidationError

from hitechzone.evaluation import kernel, services
from hitechzone.evaluation.models import EvaluationResult, Scheme, SchemeVersion
from hitechzone.evaluation.schemes import DEFAULT_DEFINITION, scheme_from_dict, scheme_to_dict, validate
from hitechzone.evaluation.services import Refused


def test_the_default_scheme_round_trips_through_json():
    definition = json.loads(json.dumps(scheme_to_dict(kernel.DEFAULT_SCHEME)))
    assert scheme_from_dict(definition, name="default", version=1) == kernel.DEFAULT_SCHEME
    assert definition == DEFAULT_DEFINITION
    assert DEFAULT_DEFINITION["classes"] == {"share_a": "0.10", "share_b": "0.35", "share_d": "0.08", "veto_class": "D"}


def test_the_migration_holds_a_frozen_copy_of_the_default_as_version_1(db):
    migration = importlib.import_module("hitechzone.evaluation.migrations.0002_default_scheme")
    assert migration.DEFINITION == DEFAULT_DEFINITION
    scheme = Scheme.objects.get(name="default")
    assert scheme.title == "亩均效益综合评价（默认）"
    assert scheme.current.number == 1
    assert scheme.current.effective_from == 2000
    assert scheme.current.definition == DEFAULT_DEFINITION
    assert scheme.current.kernel() == kernel.DEFAULT_SCHEME


def test_optional_parts_take_the_kernels_defaults():
    minimal = {
        "groups": [
            {
                "key": "below",
                "label": "规下",
                "indicators": [
                    {"key": "tax_per_kwh", "label": "单位用电税收", "numerator": "tax_wan_yuan",
                     "denominator": "electricity_wan_kwh", "weight": 100},
                ],
            }
        ]
    }  # fmt: skip
    scheme = scheme_from_dict(minimal, name="x", version=3)
    assert (scheme.name, scheme.version, scheme.cap, scheme.quantities) == ("x", 3, None, ())
    assert scheme.scope == kernel.ScopeRule()
    assert scheme.classes == kernel.ClassRule()
    assert scheme.groups[0].tie_indicator == "tax_per_kwh"  # no tax_per_mu in the group: its first indicator
    assert scheme.groups[0].indicators[0].weight == 100.0
    assert scheme.groups[0].indicators[0].unit == ""


def _broken(mutate) -> list[str]:
    definition = copy.deepcopy(DEFAULT_DEFINITION)
    mutate(definition)
    return validate(definition)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["groups"][0]["indicators"][0].update(numerator="profit"), "unknown numerator “profit”"),
        (lambda d: d["groups"][1]["indicators"][1].update(denominator="water"), "unknown denominator “water”"),
        (lambda d: d["quantities"][0]["terms"][0].update(figure="bod_t"), "unknown figure “bod_t”"),
        (lambda d: d["groups"][0]["indicators"][2].update(weight=0), "weight: must be greater than 0"),
        (lambda d: d["groups"][0]["indicators"][2].update(weight=-5), "weight: must be greater than 0"),
        (lambda d: d["groups"][0]["indicators"][2].update(weight="20"), "weight: must be a number"),
        (lambda d: d["groups"][0]["indicators"][1].update(key="tax_per_mu"), "the key is used twice in the group"),
        (lambda d: d["groups"][1].update(key="micro"), "unknown group “micro” (only “above” and “below”)"),
        (lambda d: d["groups"][1].update(key="above"), "the group “above” is defined twice"),
        (lambda d: d["groups"][1].update(indicators=[]), "needs at least one indicator"),
        (lambda d: d.update(groups=[]), "a scheme needs at least one group"),
        (lambda d: d["groups"][0].update(tie_indicator="profit"), "the tie indicator “profit” is not one of"),
        (lambda d: d["classes"].update(share_a="1.2"), "must lie between 0 and 1 (it is 1.2)"),
        (lambda d: d["classes"].update(share_d="-0.1"), "must lie between 0 and 1"),
        (lambda d: d["classes"].update(share_b="lots"), "must be a decimal number"),
        (lambda d: d["classes"].update(share_a="0.5", share_b="0.45"), "add up to more than 1"),
        (lambda d: d["classes"].update(veto_class="E"), "must be one of A, B, C, D"),
        (lambda d: d.update(cap=0), "Cap: must be greater than 0"),
        (lambda d: d["scope"].update(land_figure="area"), "unknown land figure “area”"),
        (lambda d: d["scope"].update(min_land_below_scale=-1), "must be at least 0.0"),
        (lambda d: d["quantities"][0].update(name="cod_t"), "cannot take the name of a figure"),
        (lambda d: d["quantities"][0].update(missing="some"), "“missing” must be “all” or “any”"),
        (lambda d: d["quantities"][0]["terms"][1].update(divisor=0), "divisor: must be greater than 0"),
        (lambda d: d.update(weights={}), "unknown entry “weights”"),
        (lambda d: d["groups"][0]["indicators"][0].update(key="Tax"), "is not a valid key"),
        (lambda d: d["groups"][0]["indicators"][0].update(label=""), "label: must be a non-empty text"),
    ],
)
def test_a_broken_definition_is_refused_with_a_clear_message(mutate, message):
    problems = _broken(mutate)
    assert any(message in p for p in problems), problems


def test_every_problem_is_listed_at_once():
    def mutate(d):
        d["groups"][0]["indicators"][0]["weight"] = 0
        d["groups"][1]["indicators"][0]["numerator"] = "profit"
        d["classes"]["share_d"] = "-0.1"

    with pytest.raises(ValidationError) as caught:
        scheme_from_dict(_mutated(mutate))
    assert len(caught.value.messages) == 3
    assert validate("not a dict") == ["Scheme: must be an object (a mapping of names to values)."]


def _mutated(mutate):
    d = copy.deepcopy(DEFAULT_DEFINITION)
    mutate(d)
    return d


# --- Versions ------------------------------------------------------------------------------------------------------


def _reweighted(weight_tax: float) -> dict:
    d = copy.deepcopy(DEFAULT_DEFINITION)
    d["groups"][1]["indicators"][0]["weight"] = weight_tax
    d["groups"][1]["indicators"][1]["weight"] = 100 - weight_tax
    return d


def test_revising_a_scheme_makes_a_new_version_and_each_year_uses_the_version_in_force(zone):
    default = Scheme.objects.get(name="default")
    v2 = services.scheme_revise(
        by=zone.users.admin, scheme=default, definition=_reweighted(70), effective_from=2025, note="税收 70"
    )
    v3 = services.scheme_revise(by=zone.users.admin, scheme=default, definition=_reweighted(60), effective_from=2027)
    default.refresh_from_db()
    assert (v2.number, v3.number, default.current) == (2, 3, v3)
    assert (v2.created_by, v2.note) == (zone.users.admin, "税收 70")
    assert services.scheme_version_for(year=2024).number == 1
    assert services.scheme_version_for(year=2025).number == 2
    assert services.scheme_version_for(year=2026, scheme="default").number == 2
    assert services.scheme_version_for(year=2030, scheme=default).number == 3
    assert services.scheme_version_for(year=2024, scheme=v3) == v3  # an explicit version is used as given
    # Two versions from the same year: the later one.
    v4 = services.scheme_revise(by=zone.users.admin, scheme=default, definition=_reweighted(65), effective_from=2025)
    assert services.scheme_version_for(year=2025) == v4


def test_old_runs_keep_their_version_and_a_new_version_changes_new_runs_only(zone):
    old = services.run_evaluation(by=zone.users.admin, year=2025)
    old_scores = dict(EvaluationResult.objects.filter(run=old).values_list("uscc", "subscores"))
    v2 = services.scheme_revise(
        by=zone.users.admin,
        scheme=Scheme.objects.get(name="default"),
        definition=_reweighted(80),
        effective_from=2020,
    )
    new = services.run_evaluation(by=zone.users.admin, year=2025)
    old.refresh_from_db()
    assert old.scheme_version.number == 1
    assert new.scheme_version == v2
    assert dict(EvaluationResult.objects.filter(run=old).values_list("uscc", "subscores")) == old_scores
    # The zone's two firms are alike: each sub-score is the weight.
    assert {s["tax_per_mu"] for s in old_scores.values()} == {50.0}
    new_subs = EvaluationResult.objects.filter(run=new).values_list("subscores", flat=True)
    assert {s["tax_per_mu"] for s in new_subs} == {80.0}
    assert new.summary["indicators"]["below"][0]["weight"] == 80.0
    # Re-running the old run's version reproduces it.
    again = services.run_evaluation(by=zone.users.admin, year=2025, scheme=old.scheme_version)
    assert dict(EvaluationResult.objects.filter(run=again).values_list("uscc", "subscores")) == old_scores


def test_creating_a_scheme_makes_its_version_1(zone):
    scheme = services.scheme_create(
        by=zone.users.admin,
        name="gaoxin",
        title="高新区亩均评价",
        definition=_reweighted(60),
        effective_from=2024,
        brand=zone.brand_a,
        description="高新区自定",
        note="first",
    )
    assert (scheme.brand, scheme.current.number, scheme.current.effective_from) == (zone.brand_a, 1, 2024)
    assert SchemeVersion.objects.filter(scheme=scheme).count() == 1
    assert services.scheme_version_for(year=2024, scheme="gaoxin") == scheme.current
    with pytest.raises(Refused, match="No version of the scheme"):
        services.scheme_version_for(year=2023, scheme="gaoxin")


@pytest.mark.parametrize("persona", ["leader", "officer_a", "dept_a", "expert_a", "ent_a"])
def test_only_an_administrator_creates_or_revises_schemes(zone, persona):
    user = getattr(zone.users, persona)
    with pytest.raises(Refused, match="Only an administrator"):
        services.scheme_create(by=user, name="x", title="X", definition=DEFAULT_DEFINITION, effective_from=2025)
    with pytest.raises(Refused, match="Only an administrator"):
        services.scheme_revise(
            by=user, scheme=Scheme.objects.get(name="default"), definition=DEFAULT_DEFINITION, effective_from=2025
        )
    assert Scheme.objects.count() == 1
    assert SchemeVersion.objects.count() == 1


def test_an_invalid_definition_or_name_is_refused_and_nothing_is_written(zone):
    admin = zone.users.admin
    bad = _reweighted(0)
    with pytest.raises(Refused, match=r"The scheme is not valid: .*weight: must be greater than 0"):
        services.scheme_create(by=admin, name="x", title="X", definition=bad, effective_from=2025)
    with pytest.raises(Refused, match="The scheme is not valid"):
        services.scheme_revise(by=admin, scheme=Scheme.objects.get(name="default"), definition=bad, effective_from=2025)
    with pytest.raises(Refused, match="A scheme named default exists"):
        services.scheme_create(by=admin, name="default", title="X", definition=DEFAULT_DEFINITION, effective_from=2025)
    with pytest.raises(Refused, match="short slug"):
        services.scheme_create(by=admin, name="高新 区", title="X", definition=DEFAULT_DEFINITION, effective_from=2025)
    with pytest.raises(Refused, match="The year must be"):
        services.scheme_create(by=admin, name="x", title="X", definition=DEFAULT_DEFINITION, effective_from=20250)
    assert Scheme.objects.count() == 1
    assert SchemeVersion.objects.count() == 1
