#!/usr/bin/env python
"""Generate a province-sized zone for benchmarks, written in bulk into the configured database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hitechzone_bench .venv/bin/python bench/make_zone.py
    .venv/bin/python bench/make_zone.py --enterprises 2000 --reset        # SQLite (var/), small N

Default: 100,000 enterprises, each with 3 years (2023–2025) of yearly indicators, about 1.5 parcels,
two contacts, one or two industry-chain links, and — when it is eligible (industrial, not exited,
2025 output ≥ 5 million yuan) — one service officer (about 300 enterprises per officer, so a few
hundred officers; a tenth of them also had an earlier officer whose assignment has ended).

Brands, blocks, functional areas, chains and departments are the demo's (``load_structure``, insert
when missing, never deleted). Every row this script writes is marked so that ``--reset`` finds it
again: USCCs in the made-up division 339900 (``91339900…``), parcel codes ``BZ-…``, usernames
``bench-…``. Officers and personas log in with the password ``bench-Zone-2026``.

On PostgreSQL the rows go in with ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``), elsewhere with
``bulk_create``. Either way the run is one transaction, followed by ``VACUUM ANALYZE`` / ``ANALYZE``.
"""

# ruff: noqa: S608
from __future__ import annotations

import argparse
import enum
import math
import os
import random
import sys
import time
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hitechzone.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import AutoField, BigAutoField, SmallAutoField  # noqa: E402
from django.utils import timezone  # noqa: E402

from hitechzone.accounts.models import Role, User  # noqa: E402
from hitechzone.common.units import mu_to_m2  # noqa: E402
from hitechzone.demo import reference as ref  # noqa: E402
from hitechzone.demo.generator import Report, load_structure  # noqa: E402
from hitechzone.enterprises import uscc  # noqa: E402
from hitechzone.enterprises.models import (  # noqa: E402
    Assignment,
    Contact,
    Enterprise,
    EnterpriseIndicator,
    Industry,
    IndustryChain,
)
from hitechzone.zone.models import Block, Brand, Department, FunctionalArea, Parcel  # noqa: E402

YEARS = (2023, 2024, 2025)
DIVISION = "339900"  # a made-up division code: every bench USCC starts with 91339900
USCC_PREFIX = "91" + DIVISION
PARCEL_PREFIX = "BZ-"
USER_PREFIX = "bench-"
PASSWORD = "bench-Zone-2026"  # noqa: S105 — benchmark personas only
ELIGIBLE_OUTPUT_WAN_YUAN = 500.0
ENTERPRISES_PER_OFFICER = 300
ASSIGNMENTS_START = date(2023, 1, 1)
HANDOVER = date(2024, 7, 1)

PLACES = ["浙江"] * 6 + ["衢州", "杭州", "宁波", "温州", "金华", "台州", "绍兴", "湖州", "丽水", "嘉兴", "舟山"]
# Characters that two at a time make invented trade names (瑞恒, 泰源 …); real names are filtered out below.
TRADE_CHARS = (
    "瑞恒晟华岳博远鼎泰联创嘉禾宏图永正天衡汇川泓源晨曦明德凯越盛邦聚能新峰澜云帆金璟"
    "百诚毅锦程润达安星海卓立弘同济纳通瓯峻岭清钱九东升北辰南屏西信启尚致和裕万鑫衢禾"
    "常青翔宇泽丰众宝银湾绿洲红枫白鹭"
)
SUFFIXES = ("有限公司", "有限公司", "股份有限公司", "科技有限公司")
STATUSES = ["operating"] * 90 + ["construction"] * 5 + ["suspended"] * 3 + ["exited"] * 2

# Speed: Decimal from a formatted string, not Decimal(str(x)).quantize().
_FMT = {2: "{:.2f}".format, 3: "{:.3f}".format, 4: "{:.4f}".format, 6: "{:.6f}".format}


def dec(x: float, places: int = 2) -> Decimal:
    return Decimal(_FMT[places](x))


class Clock:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()

    def lap(self, what: str) -> None:
        now = time.perf_counter()
        print(f"  {what:<52} {now - self.last:7.1f} s   (total {now - self.start:6.1f} s)", flush=True)
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


# --------------------------------------------------------------------------------------------- writing


class Writer:
    """Bulk insert of plain dicts (attname → value): COPY on PostgreSQL, bulk_create elsewhere.

    Fields a row leaves out get the model field's default (auto_now/auto_now_add: the run's start), so
    a field another engineer adds later with a default does not break the script."""

    def __init__(self, batch_size: int = 5000) -> None:
        self.pg = connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.now = timezone.now()

    def _fields(self, model):
        auto = (AutoField, BigAutoField, SmallAutoField)
        return [f for f in model._meta.concrete_fields if not (f.primary_key and isinstance(f, auto))]

    def _default(self, field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        value = field.get_default()
        return value.value if isinstance(value, enum.Enum) else value

    def write(self, model, rows: Iterable[dict], label: str) -> int:
        fields = self._fields(model)
        defaults = {f.attname: self._default(f) for f in fields}
        names = [f.attname for f in fields]
        n = 0
        if self.pg:
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[a] if a in row else defaults[a] for a in names])
                    n += 1
                    if n % 100_000 == 0:
                        print(f"    {label}: {n:,}", flush=True)
            return n
        batch = []
        for row in rows:
            batch.append(model(**{**defaults, **row}))
            if len(batch) >= self.batch_size:
                model.objects.bulk_create(batch, batch_size=self.batch_size)
                n += len(batch)
                batch = []
                if n % 100_000 == 0:
                    print(f"    {label}: {n:,}", flush=True)
        model.objects.bulk_create(batch, batch_size=self.batch_size)
        return n + len(batch)


# --------------------------------------------------------------------------------------------- planning


def make_uscc(serial: int) -> str:
    """A valid, unique USCC for serial n: the 8 organisation characters are a scrambled base-31 serial."""
    value = (serial * 1_000_003 + 7_654_321) % 31**8  # 1,000,003 is prime to 31: a bijection
    org = []
    for _ in range(8):
        value, digit = divmod(value, 31)
        org.append(uscc.ALPHABET[digit])
    return uscc.make(USCC_PREFIX + "".join(org))


def person_name(rng: random.Random) -> str:
    return rng.choice(ref.SURNAMES) + "".join(rng.choice(ref.GIVEN) for _ in range(rng.choice((1, 2))))


def trade_names() -> list[str]:
    chars = list(dict.fromkeys(TRADE_CHARS))
    names = [a + b for a in chars for b in chars if a != b]
    names += ref.TRADE_NAMES
    return [n for n in names if not any(p in n for p in ref.FORBIDDEN_NAME_PARTS)]


class Planner:
    def __init__(self, rng: random.Random, count: int) -> None:
        self.rng = rng
        self.count = count
        self.trades = trade_names()
        self.used: set[str] = set()
        self.blocks_by_brand: dict[str, list[str]] = {}
        for code, _name, brand in ref.BLOCKS:
            self.blocks_by_brand.setdefault(brand, []).append(code)
        self.chains = ref.CHAINS
        self.weights = [c[3] for c in ref.CHAINS]

    def name(self, words: list[str]) -> str:
        rng = self.rng
        for _attempt in range(500):
            suffix = rng.choice(SUFFIXES)
            word = rng.choice(words)
            if word.endswith("科技") and suffix == "科技有限公司":
                suffix = "有限公司"
            name = f"{rng.choice(PLACES)}{rng.choice(self.trades)}{word}{suffix}"
            if name not in self.used and not any(p in name for p in ref.FORBIDDEN_NAME_PARTS):
                self.used.add(name)
                return name
        raise RuntimeError("ran out of invented names")

    def enterprises(self, industries: set[str]):
        """Yield one plan (a dict) per enterprise."""
        rng = self.rng
        chains = rng.choices(self.chains, weights=self.weights, k=self.count)
        for serial, chain in enumerate(chains, start=1):
            code, _n, _e, _w, area, brands, inds, words = chain
            brand = rng.choice(brands)
            # Long middle, a few very strong, some weak: log-normal output per mu (10k yuan per mu).
            output_per_mu = math.exp(rng.gauss(math.log(260), 0.75))
            if code == "logistics":
                output_per_mu /= 3
            land_mu = round(max(3.0, math.exp(rng.gauss(math.log(45), 0.9))), 2)
            industry = rng.choice(inds)
            yield {
                "serial": serial,
                "uscc": make_uscc(serial),
                "name": self.name(words),
                "chain": code,
                "brand": brand,
                "area": area,
                "block": rng.choice(self.blocks_by_brand[brand]),
                "industry": industry if industry in industries else None,
                "land_mu": land_mu,
                "output_per_mu": output_per_mu,
                "tax_rate": min(0.15, max(0.005, rng.gauss(0.045, 0.02))),
                "growth": [rng.gauss(1.06, 0.09) for _ in YEARS],
                "established": date(1995, 1, 1) + timedelta(days=rng.randrange(0, 365 * 28)),
                "legal_rep": person_name(rng),
                "industrial": code != "logistics",
                "status": rng.choice(STATUSES),
                "chemical": code in {"fluorine", "organosilicon", "inorganic-silicon", "fine-chemicals"},
            }


def indicator_rows(rng: random.Random, plan: dict) -> list[dict]:
    rows = []
    output = plan["output_per_mu"] * plan["land_mu"] / math.prod(plan["growth"])
    chemical = plan["chemical"]
    energy_per_wan = rng.uniform(0.25, 0.9) if chemical else rng.uniform(0.03, 0.15)
    land = dec(plan["land_mu"], 4)
    for year, growth in zip(YEARS, plan["growth"], strict=True):
        output *= growth
        revenue = output * rng.uniform(0.92, 1.08)
        energy = output * energy_per_wan * rng.uniform(0.95, 1.05)
        emission = output / 10000
        rows.append(
            {
                "year": year,
                "land_mu": land,
                "gross_output_wan_yuan": dec(output),
                "revenue_wan_yuan": dec(revenue),
                "tax_wan_yuan": dec(revenue * plan["tax_rate"] * rng.uniform(0.85, 1.15)),
                "value_added_wan_yuan": dec(output * rng.uniform(0.18, 0.32)),
                "rd_spending_wan_yuan": dec(revenue * rng.uniform(0.005, 0.06)),
                "energy_tce": dec(energy, 3),
                "electricity_wan_kwh": dec(energy * rng.uniform(1.2, 3.5) / 10, 3),  # 15–45 % of the energy
                "cod_t": dec(emission * rng.uniform(2, 12) * (3 if chemical else 1), 3),
                "ammonia_nitrogen_t": dec(emission * rng.uniform(0.2, 1.2), 3),
                "so2_t": dec(emission * rng.uniform(0.5, 6) * (2 if chemical else 0.5), 3),
                "nox_t": dec(emission * rng.uniform(0.5, 5), 3),
                "employees_avg": max(5, int(output / rng.uniform(60, 180))),
                "is_above_scale": plan["industrial"] and revenue >= 2000,
                "_output": output,
                "_revenue": revenue,
            }
        )
    return rows


# --------------------------------------------------------------------------------------------- reset


def bench_counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).count(),
        "parcels": Parcel.objects.filter(code__startswith=PARCEL_PREFIX).count(),
        "users": User.objects.filter(username__startswith=USER_PREFIX).count(),
    }


def reset(clock: Clock) -> None:
    """Delete every bench row: the big child tables with plain SQL first, then the ORM for the rest.

    The SQL is built from model table names only; the values are parameters (hence the S608 noqa)."""
    qn = connection.ops.quote_name
    ent = qn(Enterprise._meta.db_table)
    bench_ents = f"SELECT id FROM {ent} WHERE uscc LIKE %s"
    bench_users = f"SELECT id FROM {qn(User._meta.db_table)} WHERE username LIKE %s"
    like_e, like_u = USCC_PREFIX + "%", USER_PREFIX + "%"
    through = Enterprise.chains.through._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {qn(Assignment._meta.db_table)} WHERE enterprise_id IN ({bench_ents})"
            f" OR officer_id IN ({bench_users})",
            [like_e, like_u],
        )
        for model in (EnterpriseIndicator, Contact):
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE enterprise_id IN ({bench_ents})", [like_e])
        cursor.execute(f"DELETE FROM {qn(through)} WHERE enterprise_id IN ({bench_ents})", [like_e])
        cursor.execute(f"DELETE FROM {qn(Parcel._meta.db_table)} WHERE code LIKE %s", [PARCEL_PREFIX + "%"])
        clock.lap("reset: child rows deleted")
        # Users and enterprises through the ORM: it also clears whatever later modules link to them.
        User.objects.filter(username__startswith=USER_PREFIX).delete()
        Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).delete()
    clock.lap("reset: bench users and enterprises deleted")


# --------------------------------------------------------------------------------------------- load


def load(n: int, seed: int, officers: int | None, clock: Clock) -> dict[str, int]:
    rng = random.Random(seed)
    writer = Writer()
    counts: dict[str, int] = {}

    report = Report()
    load_structure(report)
    brand = {b.code: b for b in Brand.objects.all()}
    area = {a.code: a for a in FunctionalArea.objects.all()}
    block = {b.code: b for b in Block.objects.all()}
    chain = {c.code: c for c in IndustryChain.objects.all()}
    industries = set(Industry.objects.values_list("code", flat=True))
    clock.lap(f"structure (demo's load_structure, +{report.total} rows)")

    plans = list(Planner(rng, n).enterprises(industries))
    indicators = {p["serial"]: indicator_rows(rng, p) for p in plans}
    clock.lap(f"planned {n:,} enterprises and {n * len(YEARS):,} indicator rows")

    def enterprise_rows():
        for p in plans:
            latest = indicators[p["serial"]][-1]
            revenue = latest["_revenue"]
            size = (
                "large" if revenue >= 40000 else "medium" if revenue >= 2000 else "small" if revenue >= 300 else "micro"
            )
            b = brand[p["brand"]]
            yield {
                "uscc": p["uscc"],
                "name": p["name"],
                "legal_representative": p["legal_rep"],
                "industry_id": p["industry"],
                "brand_id": b.pk,
                "block_id": block[p["block"]].pk,
                "functional_area_id": area[p["area"]].pk if p["area"] else None,
                "is_industrial": p["industrial"],
                "is_above_scale": latest["is_above_scale"],
                "size": size,
                "status": p["status"],
                "established_on": p["established"],
                "registered_capital_wan_yuan": dec(round(max(100.0, revenue * rng.uniform(0.05, 0.4)))),
                "address": f"{b.short_name}{block[p['block']].name}{rng.randint(1, 399)}号",
            }

    counts["enterprises"] = writer.write(Enterprise, enterprise_rows(), "enterprises")
    ids = dict(Enterprise.objects.filter(uscc__startswith=USCC_PREFIX).values_list("uscc", "id"))
    eid = {p["serial"]: ids[p["uscc"]] for p in plans}
    clock.lap(f"enterprises: {counts['enterprises']:,}")

    def indicator_out():
        for p in plans:
            e = eid[p["serial"]]
            for row in indicators[p["serial"]]:
                out = {k: v for k, v in row.items() if not k.startswith("_")}
                out["enterprise_id"] = e
                yield out

    counts["yearly indicators"] = writer.write(EnterpriseIndicator, indicator_out(), "indicators")
    clock.lap(f"yearly indicators: {counts['yearly indicators']:,}")

    def link_rows():
        others = list(chain)
        for p in plans:
            e = eid[p["serial"]]
            yield {"enterprise_id": e, "industrychain_id": chain[p["chain"]].pk}
            # Silicon makers often work both chains; a few others sit on a second chain too.
            second = None
            if p["chain"] == "fluorine" and p["serial"] % 4 == 0:
                second = "organosilicon"
            elif p["serial"] % 20 == 0:
                second = others[p["serial"] // 20 % len(others)]
            if second and second != p["chain"]:
                yield {"enterprise_id": e, "industrychain_id": chain[second].pk}

    counts["chain links"] = writer.write(Enterprise.chains.through, link_rows(), "chain links")
    clock.lap(f"chain links: {counts['chain links']:,}")

    def parcel_rows():
        # 1–2 parcels per enterprise (1.5 on average), the land split between them, plus reserve land.
        for p in plans:
            pieces = rng.choice((1, 2))
            shares = [rng.uniform(0.5, 1.5) for _ in range(pieces)]
            total = sum(shares)
            remaining = Decimal(_FMT[4](p["land_mu"]))
            blk = block[p["block"]]
            for k, share in enumerate(shares):
                mu = remaining if k == pieces - 1 else dec(p["land_mu"] * share / total, 4)
                remaining -= mu
                yield {
                    "code": f"{PARCEL_PREFIX}{p['brand'].upper()}-{p['serial']:07d}-{k + 1}",
                    "name": f"{blk.name}{rng.randint(1, 600)}号地块",
                    "brand_id": brand[p["brand"]].pk,
                    "block_id": blk.pk,
                    "functional_area_id": area[p["area"]].pk if p["area"] else None,
                    "enterprise_id": eid[p["serial"]],
                    "land_use": "industrial" if p["industrial"] else "warehouse",
                    "area_mu": mu,
                    "area_m2": mu_to_m2(mu),
                    "latitude": dec(28.95 + rng.uniform(-0.4, 0.4), 6),
                    "longitude": dec(118.88 + rng.uniform(-0.5, 0.5), 6),
                    "acquired_on": p["established"] + timedelta(days=rng.randrange(30, 400)),
                }
        for k in range(1, max(15, n // 200) + 1):
            code, name, b = ref.BLOCKS[k % len(ref.BLOCKS)]
            mu = dec(rng.uniform(15, 160), 4)
            yield {
                "code": f"{PARCEL_PREFIX}RESERVE-{k:06d}",
                "name": f"{name}储备用地{k}号",
                "brand_id": brand[b].pk,
                "block_id": block[code].pk,
                "land_use": "reserve",
                "area_mu": mu,
                "area_m2": mu_to_m2(mu),
                "latitude": dec(28.95 + rng.uniform(-0.4, 0.4), 6),
                "longitude": dec(118.88 + rng.uniform(-0.5, 0.5), 6),
            }

    counts["parcels"] = writer.write(Parcel, parcel_rows(), "parcels")
    clock.lap(f"parcels: {counts['parcels']:,}")

    def contact_rows():
        for p in plans:
            e = eid[p["serial"]]
            yield {
                "enterprise_id": e,
                "name": p["legal_rep"],
                "title": "总经理",
                "phone": f"139{rng.randrange(10**8):08d}",
                "is_primary": True,
            }
            yield {
                "enterprise_id": e,
                "name": person_name(rng),
                "title": "办公室主任",
                "phone": f"0570-{rng.randrange(10**7):07d}",
                "is_primary": False,
            }

    counts["contacts"] = writer.write(Contact, contact_rows(), "contacts")
    clock.lap(f"contacts: {counts['contacts']:,}")

    # People: personas and officers (one password hash for all: hashing is slow on purpose).
    password = make_password(PASSWORD)
    eligible = [
        p
        for p in plans
        if p["industrial"]
        and p["status"] != "exited"
        and indicators[p["serial"]][-1]["_output"] >= ELIGIBLE_OUTPUT_WAN_YUAN
    ]
    eligible.sort(key=lambda p: (p["area"] or "~", p["brand"], p["uscc"]))  # chains and brands stay together
    n_officers = officers or max(12, round(len(eligible) / ENTERPRISES_PER_OFFICER))
    departments = list(Department.objects.order_by("sort_order")[:2])
    people = [
        {
            "username": "bench-admin",
            "role": Role.ADMIN.value,
            "full_name": "基准 管理员",
            "is_staff": True,
            "is_superuser": True,
        },
        {"username": "bench-leader", "role": Role.LEADER.value, "full_name": "基准 领导"},
        *(
            {
                "username": f"bench-dept{i + 1}",
                "role": Role.DEPARTMENT.value,
                "full_name": f"基准 部门{i + 1}",
                "department_id": d.pk,
            }
            for i, d in enumerate(departments)
        ),
        {
            "username": "bench-ent",
            "role": Role.ENTERPRISE.value,
            "full_name": "基准 企业用户",
            "enterprise_id": eid[eligible[0]["serial"]] if eligible else None,
        },
        *(
            {"username": f"bench-officer{i:03d}", "role": Role.OFFICER.value, "full_name": f"店小二 {person_name(rng)}"}
            for i in range(1, n_officers + 1)
        ),
    ]
    for person in people:
        person["password"] = password
    counts["users"] = writer.write(User, people, "users")
    officer_ids = list(
        User.objects.filter(username__startswith=USER_PREFIX + "officer")
        .order_by("username")
        .values_list("id", flat=True)
    )
    clock.lap(f"users: {counts['users']:,} ({len(officer_ids)} officers)")

    def assignment_rows():
        per_officer = math.ceil(len(eligible) / len(officer_ids))
        for i, p in enumerate(eligible):
            officer = officer_ids[min(i // per_officer, len(officer_ids) - 1)]
            e = eid[p["serial"]]
            if i % 10 == 5:  # a tenth had another officer before the hand-over
                previous = officer_ids[(i // per_officer + 1) % len(officer_ids)]
                yield {
                    "officer_id": previous,
                    "enterprise_id": e,
                    "started_on": ASSIGNMENTS_START,
                    "ended_on": HANDOVER,
                }
                yield {"officer_id": officer, "enterprise_id": e, "started_on": HANDOVER}
            else:
                yield {"officer_id": officer, "enterprise_id": e, "started_on": ASSIGNMENTS_START}

    counts["officer assignments"] = writer.write(Assignment, assignment_rows(), "assignments")
    clock.lap(f"officer assignments: {counts['officer assignments']:,} ({len(eligible):,} eligible)")
    return counts


def analyse(clock: Clock) -> None:
    tables = [m._meta.db_table for m in (Enterprise, EnterpriseIndicator, Parcel, Contact, Assignment, User)]
    tables.append(Enterprise.chains.through._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(table)}")
            else:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    clock.lap("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def unapplied_migrations() -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _backwards in plan]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--enterprises", type=int, default=100_000, metavar="N", help="enterprises (default 100000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026): same seed, same zone")
    parser.add_argument("--officers", type=int, default=None, help="officers (default: one per ~300 eligible)")
    parser.add_argument("--reset", action="store_true", help="delete the previous bench rows first")
    args = parser.parse_args(argv)

    db = connection.settings_dict
    print(f"database: {connection.vendor} {db.get('NAME')} ({db.get('HOST') or 'local'})", flush=True)
    pending = unapplied_migrations()
    if pending:
        print(f"unapplied migrations {pending}: run `.venv/bin/hitechzone migrate` first", file=sys.stderr)
        return 1
    clock = Clock()
    existing = bench_counts()
    if any(existing.values()):
        if not args.reset:
            print(f"bench rows already there {existing}: run again with --reset", file=sys.stderr)
            return 1
        reset(clock)
    with transaction.atomic():
        counts = load(args.enterprises, args.seed, args.officers, clock)
    clock.lap("commit")
    analyse(clock)
    total = sum(counts.values())
    print(f"\nwrote {total:,} rows in {clock.total:.1f} s:")
    for label, count in counts.items():
        print(f"  {label:<22} {count:>10,}")
    print(f"log in as bench-admin / bench-officer001 … with password {PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
