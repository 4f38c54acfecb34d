"""Evaluation schemes as data: the JSON a :class:`~hitechzone.evaluation.models.SchemeVersion` stores, and its
reading into the kernel's dataclasses (:mod:`hitechzone.evaluation.kernel`).

The JSON mirrors the dataclasses::

    {
      "quantities": [{"name": "pollution_equivalents", "missing": "all",
                      "terms": [{"figure": "cod_t", "scale": 1000.0, "divisor": 1.0}, …]}],
      "groups": [{"key": "above", "label": "规上", "tie_indicator": "tax_per_mu",
                  "indicators": [{"key": "tax_per_mu", "label": "亩均税收", "numerator": "tax_wan_yuan",
                                  "denominator": "land_mu", "weight": 30.0, "unit": "万元/亩"}, …]},
                 {"key": "below", …}],
      "cap": null,
      "scope": {"land_figure": "land_mu", "min_land_below_scale": 3.0, "exclude_exempt": true},
      "classes": {"share_a": "0.10", "share_b": "0.35", "share_d": "0.08", "veto_class": "D"}
    }

Figures are the names of ``EnterpriseIndicator.FIGURES``; a numerator or denominator may also name one of the
scheme's quantities (a quantity's terms are figures only). Class shares are decimal strings, so that the
class counts are exact (``kernel.round_half_up``). ``quantities``, ``cap``, ``scope``, ``classes`` and a
group's ``tie_indicator`` may be left out (the kernel's defaults; the tie indicator then is ``tax_per_mu`` if
the group has it, else its first indicator).

:func:`scheme_from_dict` checks everything and raises one ``ValidationError`` listing every problem.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from hitechzone.enterprises.models import EnterpriseIndicator

from . import kernel

GROUP_KEYS = (kernel.ABOVE, kernel.BELOW)
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MISSING_RULES = ("all", "any")

_TOP_KEYS = {"quantities", "groups", "cap", "scope", "classes"}
_QUANTITY_KEYS = {"name", "terms", "missing"}
_TERM_KEYS = {"figure", "scale", "divisor"}
_GROUP_KEYS = {"key", "label", "indicators", "tie_indicator"}
_INDICATOR_KEYS = {"key", "label", "numerator", "denominator", "weight", "unit"}
_SCOPE_KEYS = {"land_figure", "min_land_below_scale", "exclude_exempt"}
_CLASS_KEYS = {"share_a", "share_b", "share_d", "veto_class"}


def figures() -> tuple[str, ...]:
    """The figure names a scheme may read (the yearly indicators' figures)."""
    return EnterpriseIndicator.FIGURES


def _share(value: Decimal) -> str:
    return format(value, "f")


def scheme_to_dict(scheme: kernel.Scheme) -> dict:
    """The JSON-able definition of a kernel scheme (without its name and version: those are the model's)."""
    return {
        "quantities": [
            {
                "name": q.name,
                "missing": q.missing,
                "terms": [{"figure": t.figure, "scale": float(t.scale), "divisor": float(t.divisor)} for t in q.terms],
            }
            for q in scheme.quantities
        ],
        "groups": [
            {
                "key": g.key,
                "label": g.label,
                "tie_indicator": g.tie_indicator,
                "indicators": [
                    {
                        "key": i.key,
                        "label": i.label,
                        "numerator": i.numerator,
                        "denominator": i.denominator,
                        "weight": float(i.weight),
                        "unit": i.unit,
                    }
                    for i in g.indicators
                ],
            }
            for g in scheme.groups
        ],
        "cap": None if scheme.cap is None else float(scheme.cap),
        "scope": {
            "land_figure": scheme.scope.land_figure,
            "min_land_below_scale": float(scheme.scope.min_land_below_scale),
            "exclude_exempt": scheme.scope.exclude_exempt,
        },
        "classes": {
            "share_a": _share(scheme.classes.share_a),
            "share_b": _share(scheme.classes.share_b),
            "share_d": _share(scheme.classes.share_d),
            "veto_class": scheme.classes.veto_class,
        },
    }


#: The default scheme (issue 6, "Schemes" point 2) as data. Migration ``0002_default_scheme`` holds a frozen
#: copy of it (version 1 of the scheme ``default``); change the scheme by revising it, not by editing this.
DEFAULT_DEFINITION: dict = scheme_to_dict(kernel.DEFAULT_SCHEME)


class _Checker:
    """Collects every problem of a definition (``where: what``) instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def mapping(self, value, where: str, allowed: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.add(where, _("must be an object (a mapping of names to values)."))
            return None
        for key in sorted(set(value) - allowed, key=str):
            self.add(where, _("unknown entry “%(key)s”.") % {"key": key})
        return value

    def text(self, value, where: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.add(where, _("must be a non-empty text."))
            return ""
        return value.strip()

    def key(self, value, where: str) -> str:
        if not isinstance(value, str) or not KEY_RE.match(value):
            self.add(
                where,
                _("“%(value)s” is not a valid key (lower-case letters, digits and _, starting with a letter).")
                % {"value": value},
            )
            return ""
        return value

    def number(self, value, where: str, *, positive: bool = False, minimum: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.add(where, _("must be a number."))
            return math.nan
        value = float(value)
        if positive and not value > 0:
            self.add(where, _("must be greater than 0 (it is %(value)s).") % {"value": value})
        if minimum is not None and value < minimum:
            self.add(where, _("must be at least %(min)s (it is %(value)s).") % {"min": minimum, "value": value})
        return value

    def share(self, value, where: str) -> Decimal:
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                raise InvalidOperation
            share = Decimal(str(value).strip())
            if not share.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            self.add(where, _("must be a decimal number such as “0.10”."))
            return Decimal(0)
        if not Decimal(0) <= share <= Decimal(1):
            self.add(where, _("must lie between 0 and 1 (it is %(value)s).") % {"value": share})
        return share


def scheme_from_dict(definition, *, name: str = "", version: int = 0) -> kernel.Scheme:
    """The kernel scheme of a definition; raises ``ValidationError`` listing every problem found."""
    c = _Checker()
    known_figures = set(figures())
    top = c.mapping(definition, _("Scheme"), _TOP_KEYS)
    if top is None:
        raise ValidationError(c.errors)

    # Quantities (derived sums of figures).
    quantities: list[kernel.Quantity] = []
    raw_quantities = top.get("quantities", [])
    if not isinstance(raw_quantities, list):
        c.add(_("Quantities"), _("must be a list."))
        raw_quantities = []
    quantity_names: set[str] = set()
    for qi, raw in enumerate(raw_quantities, start=1):
        where = _("Quantity %(n)d") % {"n": qi}
        q = c.mapping(raw, where, _QUANTITY_KEYS)
        if q is None:
            continue
        qname = c.key(q.get("name"), where)
        if qname:
            where = _("Quantity “%(name)s”") % {"name": qname}
            if qname in known_figures:
                c.add(where, _("a quantity cannot take the name of a figure."))
            if qname in quantity_names:
                c.add(where, _("is defined twice."))
            quantity_names.add(qname)
        missing = q.get("missing", "all")
        if missing not in MISSING_RULES:
            c.add(where, _("“missing” must be “all” or “any”."))
        raw_terms = q.get("terms")
        if not isinstance(raw_terms, list) or not raw_terms:
            c.add(where, _("needs at least one term."))
            raw_terms = []
        terms = []
        for ti, raw_term in enumerate(raw_terms, start=1):
            twhere = _("%(quantity)s, term %(n)d") % {"quantity": where, "n": ti}
            t = c.mapping(raw_term, twhere, _TERM_KEYS)
            if t is None:
                continue
            figure = t.get("figure")
            if figure not in known_figures:
                c.add(twhere, _("unknown figure “%(name)s”.") % {"name": figure})
            scale = c.number(t.get("scale", 1.0), twhere + " " + _("scale"), positive=True)
            divisor = c.number(t.get("divisor", 1.0), twhere + " " + _("divisor"), positive=True)
            terms.append(kernel.Term(str(figure), scale, divisor))
        quantities.append(kernel.Quantity(qname, tuple(terms), missing if missing in MISSING_RULES else "all"))
    operands = known_figures | quantity_names

    # Groups and their indicators.
    groups: list[kernel.Group] = []
    raw_groups = top.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        c.add(_("Groups"), _("a scheme needs at least one group (“above” and/or “below”)."))
        raw_groups = []
    seen_groups: set[str] = set()
    for gi, raw in enumerate(raw_groups, start=1):
        where = _("Group %(n)d") % {"n": gi}
        g = c.mapping(raw, where, _GROUP_KEYS)
        if g is None:
            continue
        gkey = g.get("key")
        if gkey not in GROUP_KEYS:
            c.add(where, _("unknown group “%(key)s” (only “above” and “below”).") % {"key": gkey})
        elif gkey in seen_groups:
            c.add(where, _("the group “%(key)s” is defined twice.") % {"key": gkey})
        seen_groups.add(gkey)
        label = c.text(g.get("label"), where + " " + _("label"))
        where = _("Group “%(label)s”") % {"label": label or gkey}
        raw_indicators = g.get("indicators")
        if not isinstance(raw_indicators, list) or not raw_indicators:
            c.add(where, _("needs at least one indicator."))
            raw_indicators = []
        indicators = []
        keys: set[str] = set()
        for ii, raw_ind in enumerate(raw_indicators, start=1):
            iwhere = _("%(group)s, indicator %(n)d") % {"group": where, "n": ii}
            ind = c.mapping(raw_ind, iwhere, _INDICATOR_KEYS)
            if ind is None:
                continue
            ikey = c.key(ind.get("key"), iwhere)
            if ikey:
                iwhere = _("%(group)s, indicator “%(key)s”") % {"group": where, "key": ikey}
                if ikey in keys:
                    c.add(iwhere, _("the key is used twice in the group."))
                keys.add(ikey)
            ilabel = c.text(ind.get("label"), iwhere + " " + _("label"))
            for part in ("numerator", "denominator"):
                if ind.get(part) not in operands:
                    c.add(
                        iwhere,
                        _("unknown %(part)s “%(name)s” (a figure of the yearly indicators or a quantity).")
                        % {"part": part, "name": ind.get(part)},
                    )
            weight = c.number(ind.get("weight"), iwhere + " " + _("weight"), positive=True)
            unit = c.text(ind.get("unit", ""), iwhere + " " + _("unit"), required=False)
            indicators.append(
                kernel.Indicator(ikey, ilabel, str(ind.get("numerator")), str(ind.get("denominator")), weight, unit)
            )
        tie = g.get("tie_indicator")
        if tie is None:
            tie = "tax_per_mu" if "tax_per_mu" in keys or not indicators else indicators[0].key
        elif tie not in keys:
            c.add(where, _("the tie indicator “%(key)s” is not one of the group's indicators.") % {"key": tie})
        groups.append(kernel.Group(str(gkey), label, tuple(indicators), str(tie)))

    # Cap, scope, classes.
    cap = top.get("cap")
    if cap is not None:
        cap = c.number(cap, _("Cap"), positive=True)

    scope = kernel.ScopeRule()
    if "scope" in top:
        s = c.mapping(top["scope"], _("Scope"), _SCOPE_KEYS)
        if s is not None:
            land = s.get("land_figure", scope.land_figure)
            if land not in known_figures:
                c.add(_("Scope"), _("unknown land figure “%(name)s”.") % {"name": land})
            minimum = c.number(
                s.get("min_land_below_scale", scope.min_land_below_scale),
                _("Scope") + " " + _("minimum land below designated size"),
                minimum=0.0,
            )
            exempt = s.get("exclude_exempt", scope.exclude_exempt)
            if not isinstance(exempt, bool):
                c.add(_("Scope"), _("“exclude_exempt” must be true or false."))
            scope = kernel.ScopeRule(str(land), minimum, bool(exempt))

    classes = kernel.ClassRule()
    if "classes" in top:
        k = c.mapping(top["classes"], _("Classes"), _CLASS_KEYS)
        if k is not None:
            shares = {
                part: c.share(k.get(part, getattr(classes, part)), _("Classes") + " " + part)
                for part in ("share_a", "share_b", "share_d")
            }
            if sum(shares.values()) > 1:
                c.add(_("Classes"), _("the shares of A, B and D add up to more than 1."))
            veto_class = k.get("veto_class", classes.veto_class)
            if veto_class not in kernel.CLASSES:
                c.add(_("Classes"), _("the class of a vetoed enterprise must be one of A, B, C, D."))
            classes = kernel.ClassRule(**shares, veto_class=str(veto_class))

    if c.errors:
        raise ValidationError(c.errors)
    return kernel.Scheme(
        name=name,
        version=version,
        groups=tuple(groups),
        quantities=tuple(quantities),
        cap=cap,
        scope=scope,
        classes=classes,
    )


def validate(definition) -> list[str]:
    """The problems of a definition (empty when it is good)."""
    try:
        scheme_from_dict(definition)
    except ValidationError as exc:
        return list(exc.messages)
    return []
