"""The deterministic demo zone: ``hitechzone load_demo --seed 42``.

Same seed, same zone. Idempotent: every row has a natural key (USCC, parcel code, username …) and
is inserted only when missing, so a second run adds nothing.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hitechzone.accounts.models import Role, User
from hitechzone.common.units import mu_to_m2
from hitechzone.enterprises import uscc
from hitechzone.enterprises.models import Assignment, Contact, Enterprise, EnterpriseIndicator, Industry, IndustryChain
from hitechzone.zone.models import Block, Brand, Department, FunctionalArea, Parcel

from . import reference as ref
from .approvals import load_approvals
from .circular import load_circular
from .evaluation import load_evaluation
from .liaison import load_liaison
from .projects import load_projects
from .talent import load_talent
from .trail import unrecorded

PASSWORD = "demo-Zone-2026"  # noqa: S105 — the published demo password, printed by `make demo`
YEARS = (2023, 2024, 2025)
DIVISION_CODE = "330800"  # a prefecture-level division code for the demo's USCCs
ASSIGNMENTS_START = date(2023, 1, 1)
OFFICER_COUNT = 12
ELIGIBLE_OUTPUT_WAN_YUAN = Decimal(500)

# persona, role, full name, what it is linked to (for the printed login table)
PERSONAS = [
    ("admin", Role.ADMIN, "系统管理员"),
    ("leader", Role.LEADER, "管委会领导"),
    ("dept1", Role.DEPARTMENT, "部门一 经办人"),
    ("dept2", Role.DEPARTMENT, "部门二 经办人"),
    ("officer1", Role.OFFICER, "店小二 一号"),
    ("officer2", Role.OFFICER, "店小二 二号"),
    ("expert1", Role.EXPERT, "评审专家 一号"),
    ("expert2", Role.EXPERT, "评审专家 二号"),
    ("ent1", Role.ENTERPRISE, "企业用户 一号"),
    ("ent2", Role.ENTERPRISE, "企业用户 二号"),
]


@dataclass
class Report:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.created[name] = self.created.get(name, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _d(x: float, places: str = "0.01") -> Decimal:
    return Decimal(str(x)).quantize(Decimal(places))


def _insert_missing(model, objs, key: str, report: Report, label: str) -> None:
    """Insert the objects whose natural key is not in the table yet."""
    existing = set(model.objects.filter(**{f"{key}__in": [getattr(o, key) for o in objs]}).values_list(key, flat=True))
    missing = [o for o in objs if getattr(o, key) not in existing]
    model.objects.bulk_create(missing, batch_size=500)
    report.add(label, len(missing))


def person_name(rng: random.Random) -> str:
    return rng.choice(ref.SURNAMES) + "".join(rng.choice(ref.GIVEN) for _ in range(rng.choice((1, 2))))


def make_uscc(rng: random.Random, serial: int) -> str:
    org = "MA" + "".join(rng.choice(uscc.ALPHABET) for _ in range(5)) + f"{serial % 10}"
    return uscc.make("91" + DIVISION_CODE + org)


def enterprise_name(rng: random.Random, words: list[str], used: set[str]) -> str:
    for _attempt in range(200):
        trade = rng.choice(ref.TRADE_NAMES)
        word = rng.choice(words)
        suffix = rng.choice(("有限公司", "有限公司", "股份有限公司", "科技有限公司"))
        if word.endswith("科技") and suffix == "科技有限公司":
            suffix = "有限公司"
        name = f"浙江{trade}{word}{suffix}"
        if name not in used and not any(p in name for p in ref.FORBIDDEN_NAME_PARTS):
            used.add(name)
            return name
    raise RuntimeError("ran out of invented names")


@unrecorded
def load_structure(report: Report) -> None:
    brands = [
        Brand(code=c, name=n, short_name=s, level=lvl, approved_on=date.fromisoformat(d), sort_order=i)
        for i, (c, n, s, lvl, d) in enumerate(ref.BRANDS)
    ]
    _insert_missing(Brand, brands, "code", report, "brands")
    brand = {b.code: b for b in Brand.objects.all()}
    _insert_missing(Block, [Block(code=c, name=n, brand=brand[b]) for c, n, b in ref.BLOCKS], "code", report, "blocks")
    # The article's three functional areas are all chemical ones (氟硅化工, 精细化工, 生物化工): a hazardous-chemicals
    # project may be placed in any of them (M3's admission check).
    areas = [
        FunctionalArea(code=c, name=n, brand=brand[b], is_chemical=True, sort_order=i)
        for i, (c, n, b) in enumerate(ref.FUNCTIONAL_AREAS)
    ]
    _insert_missing(FunctionalArea, areas, "code", report, "functional areas")
    chains = [IndustryChain(code=c[0], name=c[1], name_en=c[2], sort_order=i) for i, c in enumerate(ref.CHAINS)]
    _insert_missing(IndustryChain, chains, "code", report, "industry chains")
    departments = [
        Department(
            code=c, name=n, short_name=s, level=Department.Level.MUNICIPAL, sort_order=i, phone=f"0570-30{i:05d}"
        )
        for i, (c, n, s) in enumerate(ref.DEPARTMENTS)
    ]
    _insert_missing(Department, departments, "code", report, "departments")


@dataclass
class Plan:
    """One enterprise as planned by the generator, before it touches the database."""

    uscc: str
    name: str
    chain: tuple
    brand: str
    area: str | None
    block: str
    industry: str
    land_mu: float
    output_per_mu: float
    tax_rate: float
    growth: list[float]
    established: date
    legal_rep: str
    industrial: bool


def plan_enterprises(rng: random.Random) -> list[Plan]:
    blocks_by_brand: dict[str, list[str]] = {}
    for code, _name, brand in ref.BLOCKS:
        blocks_by_brand.setdefault(brand, []).append(code)
    used: set[str] = set()
    plans = []
    serial = 0
    for chain in ref.CHAINS:
        code, _n, _e, weight, area, brands, industries, words = chain
        for _i in range(weight):
            serial += 1
            brand = rng.choice(brands)
            # Long middle, a few very strong, some weak: log-normal output per mu (10k yuan per mu).
            output_per_mu = math.exp(rng.gauss(math.log(260), 0.9))
            land_mu = max(3.0, math.exp(rng.gauss(math.log(45), 0.9)))
            if code == "logistics":
                output_per_mu /= 3
            plans.append(
                Plan(
                    uscc=make_uscc(rng, serial),
                    name=enterprise_name(rng, words, used),
                    chain=chain,
                    brand=brand,
                    area=area,
                    block=rng.choice(blocks_by_brand[brand]),
                    industry=rng.choice(industries),
                    land_mu=round(land_mu, 2),
                    output_per_mu=output_per_mu,
                    tax_rate=min(0.15, max(0.005, rng.gauss(0.045, 0.02))),
                    growth=[rng.gauss(1.06, 0.09) for _ in YEARS],
                    established=date(1995, 1, 1) + timedelta(days=rng.randrange(0, 365 * 28)),
                    legal_rep=person_name(rng),
                    industrial=code != "logistics",
                )
            )
    return plans


def indicator_rows(rng: random.Random, plan: Plan) -> list[dict]:
    rows = []
    output = plan.output_per_mu * plan.land_mu / math.prod(plan.growth)
    chemical = plan.chain[0] in {"fluorine", "organosilicon", "inorganic-silicon", "fine-chemicals"}
    energy_per_wan = rng.uniform(0.25, 0.9) if chemical else rng.uniform(0.03, 0.15)
    # Water (t per 10k yuan of output) comes from a stream of its own, so the seed's other figures stay as they were.
    water_rng = random.Random(f"water-{plan.uscc}")
    if chemical:
        water_per_wan = water_rng.uniform(8, 25)
    elif plan.chain[0] == "biomedicine":
        water_per_wan = water_rng.uniform(4, 12)
    else:
        water_per_wan = water_rng.uniform(1.5, 6) if plan.industrial else water_rng.uniform(0.3, 1)
    for year, growth in zip(YEARS, plan.growth, strict=True):
        output *= growth
        revenue = output * rng.uniform(0.92, 1.08)
        energy = output * energy_per_wan * rng.uniform(0.95, 1.05)
        emission = output / 10000
        rows.append(
            {
                "year": year,
                "land_mu": _d(plan.land_mu, "0.0001"),
                "gross_output_wan_yuan": _d(output),
                "revenue_wan_yuan": _d(revenue),
                "tax_wan_yuan": _d(revenue * plan.tax_rate * rng.uniform(0.85, 1.15)),
                "value_added_wan_yuan": _d(output * rng.uniform(0.18, 0.32)),
                "rd_spending_wan_yuan": _d(revenue * rng.uniform(0.005, 0.06)),
                "energy_tce": _d(energy, "0.001"),
                # 1 万kWh is 1.229 tce (当量): electricity is 15–45 % of a firm's energy, the rest fuels and steam.
                "electricity_wan_kwh": _d(energy * rng.uniform(1.2, 3.5) / 10, "0.001"),
                "cod_t": _d(emission * rng.uniform(2, 12) * (3 if chemical else 1), "0.001"),
                "ammonia_nitrogen_t": _d(emission * rng.uniform(0.2, 1.2), "0.001"),
                "so2_t": _d(emission * rng.uniform(0.5, 6) * (2 if chemical else 0.5), "0.001"),
                "nox_t": _d(emission * rng.uniform(0.5, 5), "0.001"),
                "employees_avg": max(5, int(output / rng.uniform(60, 180))),
                "water_wan_t": _d(output * water_per_wan * water_rng.uniform(0.9, 1.1) / 10000, "0.001"),
                "is_above_scale": plan.industrial and revenue >= 2000,
            }
        )
    return rows


@unrecorded
def load_enterprises(rng: random.Random, report: Report) -> list[Plan]:
    plans = plan_enterprises(rng)
    brand = {b.code: b for b in Brand.objects.all()}
    area = {a.code: a for a in FunctionalArea.objects.all()}
    block = {b.code: b for b in Block.objects.all()}
    industries = set(Industry.objects.values_list("code", flat=True))
    rows_by_uscc = {p.uscc: indicator_rows(rng, p) for p in plans}
    objs = []
    for p in plans:
        latest = rows_by_uscc[p.uscc][-1]
        revenue = float(latest["revenue_wan_yuan"])
        size = "large" if revenue >= 40000 else "medium" if revenue >= 2000 else "small" if revenue >= 300 else "micro"
        objs.append(
            Enterprise(
                uscc=p.uscc,
                name=p.name,
                legal_representative=p.legal_rep,
                industry_id=p.industry if p.industry in industries else None,
                brand=brand[p.brand],
                block=block[p.block],
                functional_area=area.get(p.area) if p.area else None,
                is_industrial=p.industrial,
                is_above_scale=latest["is_above_scale"],
                size=size,
                established_on=p.established,
                registered_capital_wan_yuan=_d(max(100.0, revenue * rng.uniform(0.05, 0.4)), "1"),
                address=f"{brand[p.brand].short_name}{block[p.block].name}{rng.randint(1, 399)}号",
            )
        )
    _insert_missing(Enterprise, objs, "uscc", report, "enterprises")
    ent = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[p.uscc for p in plans])}
    chain = {c.code: c for c in IndustryChain.objects.all()}
    through = Enterprise.chains.through
    links = [through(enterprise_id=ent[p.uscc].pk, industrychain_id=chain[p.chain[0]].pk) for p in plans]
    # Silicon makers often work both chains: link some fluorine enterprises to organic silicon too.
    links += [
        through(enterprise_id=ent[p.uscc].pk, industrychain_id=chain["organosilicon"].pk)
        for i, p in enumerate(plans)
        if p.chain[0] == "fluorine" and i % 4 == 0
    ]
    before = through.objects.count()
    through.objects.bulk_create(links, ignore_conflicts=True)
    report.add("chain links", through.objects.count() - before)

    # Parcels: the land of each enterprise in one to three parcels, plus some reserve land.
    parcels = []
    for n, p in enumerate(plans, start=1):
        pieces = rng.choice((1, 1, 1, 2, 2, 3))
        shares = [rng.uniform(0.5, 1.5) for _ in range(pieces)]
        total = sum(shares)
        remaining = Decimal(str(p.land_mu))
        for k, share in enumerate(shares):
            mu = remaining if k == pieces - 1 else _d(p.land_mu * share / total, "0.0001")
            remaining -= mu
            parcels.append(_parcel(rng, f"DK-{p.brand.upper()}-{n:04d}-{k + 1}", p, brand, area, block, ent, mu))
    for n in range(1, 16):
        code, _name, b = ref.BLOCKS[n % len(ref.BLOCKS)]
        mu = _d(rng.uniform(15, 160), "0.0001")
        parcels.append(
            Parcel(
                code=f"DK-RESERVE-{n:03d}",
                name=f"{block[code].name}储备用地{n}号",
                brand=brand[b],
                block=block[code],
                land_use=Parcel.LandUse.RESERVE,
                area_mu=mu,
                area_m2=mu_to_m2(mu),
                latitude=_d(28.95 + rng.uniform(-0.05, 0.05), "0.000001"),
                longitude=_d(118.88 + rng.uniform(-0.06, 0.06), "0.000001"),
            )
        )
    _insert_missing(Parcel, parcels, "code", report, "parcels")

    indicators = [EnterpriseIndicator(enterprise=ent[p.uscc], **row) for p in plans for row in rows_by_uscc[p.uscc]]
    before = EnterpriseIndicator.objects.count()
    EnterpriseIndicator.objects.bulk_create(indicators, ignore_conflicts=True, batch_size=500)
    report.add("yearly indicators", EnterpriseIndicator.objects.count() - before)

    have_contacts = set(Contact.objects.filter(enterprise__in=ent.values()).values_list("enterprise_id", flat=True))
    contacts = []
    for p in plans:
        e = ent[p.uscc]
        if e.pk in have_contacts:
            continue
        contacts.append(
            Contact(
                enterprise=e, name=p.legal_rep, title="总经理", phone=f"139{rng.randrange(10**8):08d}", is_primary=True
            )
        )
        contacts.append(
            Contact(enterprise=e, name=person_name(rng), title="办公室主任", phone=f"0570-{rng.randrange(10**7):07d}")
        )
    Contact.objects.bulk_create(contacts)
    report.add("contacts", len(contacts))
    return plans


def _parcel(rng, code, plan, brand, area, block, ent, mu) -> Parcel:
    return Parcel(
        code=code,
        name=f"{block[plan.block].name}{rng.randint(1, 60)}号地块",
        brand=brand[plan.brand],
        block=block[plan.block],
        functional_area=area.get(plan.area) if plan.area else None,
        enterprise=ent[plan.uscc],
        land_use=Parcel.LandUse.INDUSTRIAL if plan.industrial else Parcel.LandUse.WAREHOUSE,
        area_mu=mu,
        area_m2=mu_to_m2(mu),
        latitude=_d(28.95 + rng.uniform(-0.05, 0.05), "0.000001"),
        longitude=_d(118.88 + rng.uniform(-0.06, 0.06), "0.000001"),
        acquired_on=plan.established + timedelta(days=rng.randrange(30, 400)),
    )


def _user(username: str, role: str, full_name: str, **links) -> User:
    user = User(username=username, role=role, full_name=full_name, **links)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.set_password(PASSWORD)
    return user


@unrecorded
def load_people(rng: random.Random, plans: list[Plan], report: Report) -> None:
    departments = list(Department.objects.order_by("sort_order")[:2])
    eligible = list(
        Enterprise.objects.filter(
            uscc__in=[p.uscc for p in plans],
            is_industrial=True,
            indicators__year=YEARS[-1],
            indicators__gross_output_wan_yuan__gte=ELIGIBLE_OUTPUT_WAN_YUAN,
            # NULLs last on every database (SQLite puts them first, PostgreSQL last): the same personas on both.
        ).order_by(F("functional_area_id").asc(nulls_last=True), "brand_id", "uscc")
    )
    users = []
    for username, role, full_name in PERSONAS:
        links = {}
        if role == Role.DEPARTMENT:
            links["department"] = departments[int(username[-1]) - 1]
        if role == Role.ENTERPRISE:
            # ent1 and ent2 are two different enterprises, served by officer1 and officer2 respectively.
            links["enterprise"] = eligible[int(username[-1]) - 1]
        users.append(_user(username, role, full_name, **links))
    users += [_user(f"officer{n}", Role.OFFICER, f"店小二 {person_name(rng)}") for n in range(3, OFFICER_COUNT + 1)]
    _insert_missing(User, users, "username", report, "users")

    # Every eligible enterprise (output ≥ 5 million yuan) gets exactly one officer; chains stay together.
    officers = {u.username: u for u in User.objects.filter(role=Role.OFFICER)}
    order = [f"officer{n}" for n in range(1, OFFICER_COUNT + 1)]
    assigned = set(Assignment.objects.filter(ended_on__isnull=True).values_list("enterprise_id", flat=True))
    new = []
    per_officer = math.ceil(len(eligible) / len(order))
    for i, enterprise in enumerate(eligible):
        if enterprise.pk in assigned:
            continue
        # ent1's enterprise (index 0) goes to officer1, ent2's (index 1) to officer2; the rest in blocks.
        officer = order[i] if i < 2 else order[min((i - 2) // per_officer, len(order) - 1)]
        new.append(Assignment(officer=officers[officer], enterprise=enterprise, started_on=ASSIGNMENTS_START))
    Assignment.objects.bulk_create(new)
    report.add("officer assignments", len(new))


@transaction.atomic
@unrecorded
def load_demo(*, seed: int = 42, today: date | None = None) -> Report:
    """The zone of ``seed`` as it stands on ``today`` (the one place the demo reads the date: by default the
    clock's local date; a test pins it). The reference year is the same whatever the day."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    report = Report()
    load_structure(report)
    plans = load_enterprises(rng, report)
    load_people(rng, plans, report)
    # The year under way draws from a stream of its own: the reference year's figures stay as the seed made them.
    load_liaison(rng, report, today=today, current=random.Random(f"{seed}-year-under-way"))
    load_approvals(rng, report, today=today, current=random.Random(f"{seed}-apps-{today.year}"))
    load_evaluation(rng, report, today=today)
    # The investment projects need the land the evaluation's exit cases handed back; a stream of their own.
    load_projects(random.Random(f"{seed}-projects"), report, today=today)
    load_circular(rng, report)
    # M6 (issue 15): the article's figures for the year of ``today``; a stream of its own.
    load_talent(random.Random(f"{seed}-talent"), report, today=today)
    return report
