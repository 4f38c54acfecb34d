"""Loading the demo's M5: materials, the cluster's flows and exchanges, resources, projects; the hints."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from hitechzone.accounts.models import Role, User
from hitechzone.circular.models import CircularProject, Exchange, Flow, Material, ResourceYear
from hitechzone.common.geo import haversine_km
from hitechzone.demo.trail import unrecorded
from hitechzone.enterprises.models import Assignment, Enterprise, EnterpriseIndicator, IndustryChain
from hitechzone.evaluation.models import ExitCase

from .cluster import _centroids, _t, cluster_year, pick_cluster
from .data import (
    CHAIN_LETTERS,
    CLUSTER_CHAINS,
    GR,
    IN,
    MATERIALS,
    PIPE_KM,
    PIPED,
    PLANTS,
    PROJECTS,
    PURITY,
    PURITY_OF,
    YEARS,
    B,
    C,
    E,
    G,
    S,
    W,
)

# --- Loading -------------------------------------------------------------------------------------------------------


def _purity(plant: str, material: str) -> float:
    return PURITY_OF.get((plant, material), PURITY.get(material, 0.995 if material not in ("h2o", "o2") else 1.0))


def _scales(rng: random.Random, cluster: dict[str, Enterprise]) -> dict[int, dict[str, float]]:
    """Year → plant → main output (t): the 2025 capacity (±10 % by seed), earlier years following the firm's
    gross output (within 60–130 % of 2025's)."""
    outputs: dict[tuple[int, int], float] = {
        (e, y): float(v)
        for e, y, v in EnterpriseIndicator.objects.filter(enterprise__in=cluster.values(), year__in=YEARS).values_list(
            "enterprise_id", "year", "gross_output_wan_yuan"
        )
    }
    base = {p.key: p.base_t * rng.uniform(0.9, 1.1) for p in PLANTS}
    scales: dict[int, dict[str, float]] = {}
    for year in YEARS:
        scales[year] = {}
        for key, firm in cluster.items():
            last = outputs.get((firm.pk, YEARS[-1])) or 1.0
            index = min(1.3, max(0.6, outputs.get((firm.pk, year), last) / last))
            scales[year][key] = base[key] * index
    return scales


def load_materials(report) -> dict[str, Material]:
    objs = [
        Material(
            code=code,
            name=name,
            name_en=name_en,
            formula=formula,
            hazard=hazard,
            hazardous_waste_code=hw,
            disposal_cost_yuan_per_t=Decimal(str(disposal)),
            virgin_price_yuan_per_t=Decimal(str(price)),
            transport_cost_yuan_per_t_km=Decimal(transport),
            co2_avoided_t_per_t=Decimal(co2),
        )
        for code, name, name_en, formula, hazard, hw, disposal, price, transport, co2, _chains in MATERIALS
    ]
    existing = set(Material.objects.filter(code__in=[m.code for m in objs]).values_list("code", flat=True))
    Material.objects.bulk_create([m for m in objs if m.code not in existing])
    report.add("materials", len(objs) - len(existing))
    materials = {m.code: m for m in Material.objects.filter(code__in=[m.code for m in objs])}
    chains = {c.code: c.pk for c in IndustryChain.objects.filter(code__in=CLUSTER_CHAINS)}
    through = Material.chains.through
    links = [
        through(material_id=materials[row[0]].pk, industrychain_id=chains[CHAIN_LETTERS[letter]])
        for row in MATERIALS
        for letter in row[-1]
        if CHAIN_LETTERS[letter] in chains
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    return materials


def load_cluster(rng: random.Random, report, materials: dict[str, Material]) -> dict[str, Enterprise]:
    cluster = pick_cluster()
    if not cluster:
        return {}
    scales = _scales(rng, cluster)
    where = _centroids([e.pk for e in cluster.values()])
    process = {p.key: p.process for p in PLANTS}
    flows, exchanges = [], []
    for year in YEARS:
        plan = cluster_year(scales[year])
        for (key, code, role), pure in plan.flows.items():
            purity = _purity(key, code)
            flows.append(
                Flow(
                    enterprise=cluster[key],
                    year=year,
                    material=materials[code],
                    role=role,
                    quantity_t=_t(pure / purity),
                    purity=Decimal(str(purity)),
                    process=process[key],
                )
            )
        for (supplier, receiver, code), pure in plan.exchanges.items():
            km = haversine_km(where[cluster[supplier].pk], where[cluster[receiver].pk])
            piped = code in PIPED and km <= PIPE_KM
            exchanges.append(
                Exchange(
                    year=year,
                    supplier=cluster[supplier],
                    receiver=cluster[receiver],
                    material=materials[code],
                    quantity_t=_t(pure / _purity(supplier, code)),
                    mode=Exchange.Mode.PIPELINE if piped else Exchange.Mode.TRUCK,
                    distance_km=Decimal(str(round(km, 2))),
                )
            )
    before = Flow.objects.count()
    Flow.objects.bulk_create(flows, ignore_conflicts=True, batch_size=500)
    report.add("material flows", Flow.objects.count() - before)
    before = Exchange.objects.count()
    Exchange.objects.bulk_create(exchanges, ignore_conflicts=True, batch_size=500)
    report.add("by-product exchanges", Exchange.objects.count() - before)
    return cluster


def load_resources(rng: random.Random, report, cluster: dict[str, Enterprise]) -> None:
    """Yearly resource data of the zone's industrial firms: water from their yearly figures, a reuse share
    (chemical firms reuse the most), solid waste and main resources from output (the cluster's from its flows)."""
    chemical = set(
        Enterprise.chains.through.objects.filter(
            industrychain__code__in=(*CLUSTER_CHAINS, "fine-chemicals")
        ).values_list("enterprise_id", flat=True)
    )
    inputs: dict[tuple[int, int], float] = {}
    wastes: dict[tuple[int, int], float] = {}
    solid = ("fluorogypsum",)
    for ent, year, code, role, q in Flow.objects.filter(enterprise__in=cluster.values()).values_list(
        "enterprise_id", "year", "material__code", "role", "quantity_t"
    ):
        if role == IN and code not in ("h2o", "o2"):
            inputs[(ent, year)] = inputs.get((ent, year), 0.0) + float(q)
        if role == W and code in solid:
            wastes[(ent, year)] = wastes.get((ent, year), 0.0) + float(q)
    rows = []
    indicators = EnterpriseIndicator.objects.filter(enterprise__is_industrial=True, year__in=YEARS).order_by(
        "enterprise_id", "year"
    )
    for ind in indicators.values_list("enterprise_id", "year", "water_wan_t", "gross_output_wan_yuan",
                                      "value_added_wan_yuan"):  # fmt: skip
        ent, year, water, output, value_added = ind
        chem = ent in chemical
        fresh = float(water or 0) * 10000
        reuse = rng.uniform(0.88, 0.96) if chem else rng.uniform(0.45, 0.85)  # share of all water used
        generated = wastes.get((ent, year)) or float(output) * (
            rng.uniform(0.08, 0.4) if chem else rng.uniform(0.005, 0.05)
        )
        used = generated * (rng.uniform(0.8, 0.97) if (ent, year) in wastes else rng.uniform(0.6, 0.98))
        stored = (generated - used) * rng.uniform(0.2, 0.6)
        main = inputs.get((ent, year)) or float(value_added) * 10000 / rng.uniform(4000, 15000)
        rows.append(
            ResourceYear(
                enterprise_id=ent,
                year=year,
                fresh_water_t=_t(fresh),
                reused_water_t=_t(fresh * reuse / (1 - reuse)),
                solid_waste_generated_t=_t(generated),
                solid_waste_used_t=_t(used),
                solid_waste_stored_t=_t(stored),
                main_resources_t=_t(main),
            )
        )
    before = ResourceYear.objects.count()
    ResourceYear.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    report.add("resource years", ResourceYear.objects.count() - before)


def _other_firms(cluster: dict[str, Enterprise]) -> list[Enterprise]:
    """The chemical firms outside the cluster with projects, by output 2025 (largest first)."""
    leaving = set(ExitCase.objects.values_list("enterprise_id", flat=True))
    taken = {e.pk for e in cluster.values()} | leaving
    firms = (
        Enterprise.objects.filter(
            chains__code__in=(*CLUSTER_CHAINS, "fine-chemicals"),
            is_industrial=True,
            is_above_scale=True,
            indicators__year=YEARS[-1],
        )
        .exclude(pk__in=taken)
        .annotate(output=Sum("indicators__gross_output_wan_yuan"))
        .order_by("-output", "pk")
        .distinct()
    )
    return list(firms)


def load_projects(rng: random.Random, report, cluster: dict[str, Enterprise]) -> None:
    others = _other_firms(cluster)
    objs = []
    for n, (name, owner, key, category, batch, invest, central, status, grade) in enumerate(PROJECTS, start=1):
        if owner == G:
            enterprise = None
        elif key.startswith("other:"):
            enterprise = others[int(key.split(":")[1]) % len(others)] if others else None
        else:
            enterprise = cluster.get(key) or (others[n % len(others)] if others else None)
        if owner == E and enterprise is None:
            continue
        started = date(batch, rng.randint(3, 10), 1)
        completed = date(batch + rng.randint(1, 3), rng.randint(1, 12), 1) if status != S.BUILDING else None
        if status == S.COMPLETED:
            completed = date(2025, rng.randint(3, 9), 1)
        accepted = date(max(completed.year + 1, 2019), rng.randint(3, 11), 15) if status == S.ACCEPTED else None
        paid = {S.ACCEPTED: 1.0, S.COMPLETED: 0.7, S.BUILDING: 0.4}[status]
        if grade == GR.FAILED:
            paid = 0.6  # the rest withheld when it failed acceptance
        scale = invest / 1000
        objs.append(
            CircularProject(
                code=f"XHH-{batch}-{n:02d}",
                name=name,
                owner=owner,
                enterprise=enterprise,
                category=category,
                batch_year=batch,
                total_investment_wan_yuan=Decimal(invest),
                central_funds_approved_wan_yuan=Decimal(central),
                central_funds_paid_wan_yuan=Decimal(round(central * paid)),
                energy_saved_tce=_t(scale * rng.uniform(300, 1200)),
                water_saved_t=_t(scale * rng.uniform(2000, 30000) * (3 if category == C.ZERO_DISCHARGE else 1)),
                co2_cut_t=_t(scale * rng.uniform(800, 3000)),
                waste_cut_t=_t(scale * rng.uniform(300, 2500) * (2 if category == C.BYPRODUCT else 1)),
                status=status,
                started_on=started,
                completed_on=completed,
                accepted_on=accepted,
                grade=grade,
                description=_project_description(category, batch),
            )
        )
    existing = set(CircularProject.objects.filter(code__in=[o.code for o in objs]).values_list("code", flat=True))
    CircularProject.objects.bulk_create([o for o in objs if o.code not in existing])
    report.add("circular projects", len(objs) - len(existing))


def _project_description(category: str, batch: int) -> str:
    what = {
        C.BYPRODUCT: "副产物就近交换利用，减少外购原料和危废处置",
        C.CHAIN: "链接上下游装置，延伸循环产业链",
        C.ZERO_DISCHARGE: "污染物收集处理回用，实现近零排放",
        C.RESEARCH: "循环经济关键技术研发、中试和成果孵化",
    }[category]
    return f"国家园区循环化改造示范试点 {batch} 年度项目：{what}。"


@unrecorded
def load_circular(rng: random.Random, report) -> None:
    """Materials, the cluster's flows and exchanges, resource data and the 23 projects (idempotent)."""
    materials = load_materials(report)
    cluster = load_cluster(rng, report, materials)
    load_resources(rng, report, cluster)
    load_projects(rng, report, cluster)


def hints() -> dict[str, str]:
    """What each persona finds in the circular economy module, from what is loaded (for the printed logins)."""
    year = YEARS[-1]
    projects = CircularProject.objects.count()
    if not projects and not Flow.objects.exists():
        return {}
    found: dict[str, str] = {}
    figures = CircularProject.objects.aggregate(
        invest=Sum("total_investment_wan_yuan"), central=Sum("central_funds_approved_wan_yuan")
    )
    found["leader"] = _(
        "circular economy (循环化改造): the park indicators, %(n)d transformation projects (%(invest)s 10k yuan "
        "invested, %(central)s 10k yuan central funds), what-if optimisations"
    ) % {"n": projects, "invest": f"{figures['invest'] or 0:,.0f}", "central": f"{figures['central'] or 0:,.0f}"}
    found["admin"] = _("circular economy (循环化改造): materials, flows, exchanges, resource data, projects")
    hcl = Material.objects.filter(code="hcl").first()
    if hcl is not None:
        made = Flow.objects.filter(year=year, material=hcl, role=B).aggregate(t=Sum("quantity_t"))["t"] or 0
        shipped = Exchange.objects.filter(year=year, material=hcl).aggregate(t=Sum("quantity_t"))["t"] or 0
        text = _(
            "circular economy (循环化改造): the %(year)d exchange network and its chlorine loop, the exchange "
            "optimiser (%(left)s t of by-product HCl not exchanged yet)"
        ) % {"year": year, "left": f"{max(made - shipped, 0):,.0f}"}
        found["dept1"] = found["dept2"] = text
    ids = set(Flow.objects.filter(year=year).values_list("enterprise_id", flat=True))
    for user in User.objects.filter(role=Role.ENTERPRISE, enterprise_id__in=ids, username__in=("ent1", "ent2")):
        found[user.username] = _("circular economy (循环化改造): its flows, exchanges and element balance")
    served: dict[str, int] = {}
    for username in (
        Assignment.objects.active().filter(enterprise_id__in=ids).values_list("officer__username", flat=True)
    ):
        served[username] = served.get(username, 0) + 1
    for username in ("officer1", "officer2"):
        if served.get(username):
            found[username] = _("circular economy (循环化改造): %(n)d firms served in the HCl/H2 cluster") % {
                "n": served[username]
            }
    if served and not any(served.get(u) for u in ("officer1", "officer2")):
        # The officer serving most of the cluster (same password), printed after the personas.
        username = max(sorted(served), key=served.get)
        found[username] = _(
            "(same password) circular economy (循环化改造): serves %(n)d firms of the HCl/H2 cluster"
        ) % {"n": served[username]}
    return found
