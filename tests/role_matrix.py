"""Who may list, read and write every URL: the one table tests/test_role_matrix.py holds the project to.

One entry per URL the resolver serves (the key is the route with its parameters reduced to ``<name>``). A URL
missing from the table fails the suite. The personas are the conftest's ``zone`` users; sample objects come from
tests/role_matrix_world.py (A's objects belong to enterprise A / department A / officer A, B's to B).

Spelling of a persona set: space-separated persona names, or a role standing for both its personas
(``dept`` = dept_a dept_b, ``officer``, ``expert``, ``ent``), or ``all`` (the ten personas); ``""`` = nobody.
"""

from __future__ import annotations

from dataclasses import dataclass

PERSONAS = ("admin", "leader", "dept_a", "dept_b", "officer_a", "officer_b", "expert_a", "expert_b", "ent_a", "ent_b")
ROLES = {"dept": ("dept_a", "dept_b"), "officer": ("officer_a", "officer_b"), "expert": ("expert_a", "expert_b"),
         "ent": ("ent_a", "ent_b"), "all": PERSONAS}  # fmt: skip
TWIN = {"dept_a": "dept_b", "dept_b": "dept_a", "officer_a": "officer_b", "officer_b": "officer_a",
        "expert_a": "expert_b", "expert_b": "expert_a", "ent_a": "ent_b", "ent_b": "ent_a"}  # fmt: skip


def who(spec: str | None) -> frozenset[str] | None:
    if spec is None:
        return None
    out: set[str] = set()
    for token in spec.split():
        if token in ROLES:
            out.update(ROLES[token])
        elif token in PERSONAS:
            out.add(token)
        else:
            raise ValueError(f"unknown persona or role {token!r}")
    return frozenset(out)


@dataclass(frozen=True)
class Entry:
    """One URL's row. ``get``: who gets 200 (None: the URL serves no GET); ``write``: who may write;
    ``redirect``: who is sent elsewhere (302) instead of served; ``public``: the anonymous are served too;
    ``other``: who may find the other side's enterprise named in an answer (see OTHER_SIDE)."""

    get: str | None = "all"
    write: str = ""
    redirect: str = ""
    public: bool = False
    other: str = ""

    @property
    def readers(self):
        return who(self.get)

    @property
    def writers(self):
        return None if self.write == GET_ONLY else who(self.write)

    @property
    def redirected(self):
        return who(self.redirect)


# Whose answers must not name which enterprise (unless the entry's ``other`` lets them): A's officer and user must
# not meet enterprise B, B's not A, an expert neither (experts see no enterprise outside their review).
OTHER_SIDE = {"officer_a": ("ent_b",), "ent_a": ("ent_b",), "officer_b": ("ent_a",), "ent_b": ("ent_a",),
              "expert_a": ("ent_a", "ent_b"), "expert_b": ("ent_a", "ent_b")}  # fmt: skip


def resolve(world, ref: str):
    name, _, attr = ref.partition(".")
    obj = getattr(world, name)
    return getattr(obj, attr) if attr else obj


def url_kwargs(world, key: str) -> dict:
    out = {}
    for name, ref in SAMPLES.get(key, {}).items():
        if name == "?":  # the query string
            continue
        if isinstance(ref, str) and ref.startswith("="):
            out[name] = ref[1:]
        elif isinstance(ref, int):
            out[name] = ref
        else:
            value = resolve(world, ref)
            out[name] = value if "." in ref else value.pk  # a world object's name → its pk; "name.attr" → that
    return out


def write_record(path: str, record: dict) -> None:
    """What every persona got, as draft entries (tests/test_role_matrix.py's record mode)."""
    lines = []
    for key, seen in sorted(record.items()):
        personas = [p for p in PERSONAS if p in seen]
        ok = [p for p in personas if seen[p].get("get") == 200]
        redirect = [p for p in personas if seen[p].get("get") in (301, 302, 303)]
        writes = sorted({m for p in personas for m in seen[p] if m not in ("get", "other")})
        writers = [p for p in personas if any(seen[p][m] not in (401, 403, 404, 405) for m in writes)]
        other = [p for p in personas if seen[p].get("other")]
        statuses = {p: {m: v for m, v in seen[p].items() if m not in ("other",)} for p in ("anonymous", *PERSONAS)}
        lines.append(
            f"    {key!r}: E(get={' '.join(ok)!r}, write={' '.join(writers)!r}, redirect={' '.join(redirect)!r},"
            f" other={' '.join(other)!r}),  # {statuses}"
        )
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")


# Which object each URL with parameters is opened with (tests/role_matrix_world.py builds them; ``M``: an id no
# row has, for kinds the world holds no sample of — such URLs are checked to refuse everybody and never to fail).
M = "=999999"
SAMPLES: dict[str, dict] = {
    "api/v1/calendar/deadline/": {"?": "start=2025-03-03&days=5"},
    "api/v1/calendar/working-days/": {"?": "from=2025-03-03&to=2025-03-31"},
    "api/v1/circular/balances/": {"?": "year=2024"},
    "api/v1/circular/element-graph/": {"?": "year=2024&element=Cl"},
    "api/v1/applications/<pk>/": {"pk": "application_a"},
    **{f"api/v1/applications/<pk>/{a}/": {"pk": "application_a"}
       for a in ("assign", "check", "complete", "pause", "rate", "reject", "resume", "supply")},
    "api/v1/approval-bundles/<pk>/": {"pk": "bundle_a"},
    "api/v1/approval-items/<pk>/": {"pk": "item_a"},
    "api/v1/approval-items/<pk>/materials/<material_id>/files/": {"pk": "item_a", "material_id": "material_a"},
    "api/v1/approval-items/<pk>/status/": {"pk": "item_a"},
    "api/v1/approval-items/<pk>/versions/<number>/": {"pk": "item_a", "number": "=1"},
    "api/v1/assignments/<pk>/": {"pk": "assignment_a"},
    "api/v1/assignments/<pk>/end/": {"pk": "assignment_a"},
    "api/v1/audit/<pk>/": {"pk": "audit_event"},
    "api/v1/blocks/<pk>/": {"pk": "block"},
    "api/v1/brands/<pk>/": {"pk": "brand_a"},
    "api/v1/circular/exchanges/<pk>/": {"pk": "exchange_a"},
    "api/v1/circular/flows/<pk>/": {"pk": "flow_a"},
    "api/v1/circular/materials/<pk>/": {"pk": "cmaterial"},
    "api/v1/circular/optimizations/<pk>/": {"pk": "optimization"},
    "api/v1/circular/projects/<pk>/": {"pk": "project_a"},
    "api/v1/circular/resource-years/<pk>/": {"pk": "resource_year_a"},
    "api/v1/contacts/<pk>/": {"pk": "contact_a"},
    "api/v1/departments/<pk>/": {"pk": "dept_a"},
    "api/v1/energy-rankings/<pk>/": {"pk": M},
    "api/v1/energy-rankings/<pk>/entries/": {"pk": M},
    "api/v1/enterprise-indicators/<pk>/": {"pk": "indicator_a"},
    "api/v1/enterprises/<pk>/": {"pk": "ent_a"},
    "api/v1/evaluation-exemptions/<pk>/": {"pk": "exemption_a"},
    "api/v1/evaluation-results/<pk>/": {"pk": "result_a"},
    "api/v1/evaluation-results/<pk>/explain/": {"pk": "result_a"},
    "api/v1/evaluation-runs/<pk>/": {"pk": "run"},
    "api/v1/evaluation-runs/<pk>/publish/": {"pk": "run"},
    "api/v1/evaluation-runs/<run_id>/results/": {"run_id": "run"},
    "api/v1/evaluation-schemes/<pk>/": {"pk": "scheme"},
    "api/v1/evaluation-schemes/<pk>/versions/": {"pk": "scheme"},
    "api/v1/evaluation-vetoes/<pk>/": {"pk": "veto_a"},
    "api/v1/exit-cases/<pk>/": {"pk": "exit_case_a"},
    "api/v1/exit-cases/<pk>/advance/": {"pk": "exit_case_a"},
    "api/v1/exit-cases/<pk>/cancel/": {"pk": "exit_case_a"},
    "api/v1/exit-policies/<year>/": {"year": "exit_policy.year"},
    "api/v1/functional-areas/<pk>/": {"pk": "area"},
    "api/v1/imports/<pk>/": {"pk": M},
    "api/v1/imports/<pk>/report/": {"pk": M},
    "api/v1/imports/templates/<kind>/": {"kind": "=enterprises"},
    "api/v1/industries/<pk>/": {"pk": "=C"},
    "api/v1/industry-chains/<pk>/": {"pk": "chain"},
    "api/v1/jobs/<pk>/": {"pk": "job_a"},
    "api/v1/notifications/<pk>/": {"pk": "notification_a"},
    "api/v1/notifications/<pk>/read/": {"pk": "notification_a"},
    "api/v1/parcels/<pk>/": {"pk": "parcel_a"},
    "api/v1/price-tiers/<pk>/": {"pk": "price_tier"},
    "api/v1/problems/<pk>/": {"pk": "problem_a"},
    **{f"api/v1/problems/<pk>/{a}/": {"pk": "problem_a"}
       for a in ("accept", "close", "hand_over", "rate", "reply", "solve")},
    "api/v1/rectifications/<pk>/": {"pk": M},
    "api/v1/rectifications/<pk>/answer/": {"pk": M},
    "api/v1/visits/<pk>/": {"pk": "visit_a"},
    "approvals/applications/<pk>/": {"pk": "application_a"},
    "approvals/applications/<pk>/<action>/": {"pk": "application_a", "action": "=check"},
    "approvals/applications/<pk>/notices/<notice>/": {"pk": "notice_a.application_id", "notice": "notice_a"},
    "approvals/bundles/<pk>/": {"pk": "bundle_a"},
    "approvals/items/<pk>/": {"pk": "item_a"},
    "approvals/items/<pk>/edit/": {"pk": "item_a"},
    "approvals/items/<pk>/status/": {"pk": "item_a"},
    "approvals/materials/<pk>/<kind>/": {"pk": "material_a", "kind": "=form"},
    "approvals/materials/<pk>/files/": {"pk": "material_a"},
    "approvals/rectifications/<pk>/answer/": {"pk": M},
    "circular/materials/<code>/": {"code": "cmaterial.code"},
    "circular/optimize/runs/<pk>/": {"pk": "optimization"},
    "circular/optimize/runs/<pk>/scenario.json": {"pk": "optimization"},
    "circular/projects/<pk>/": {"pk": "project_a"},
    "circular/projects/<pk>/edit/": {"pk": "project_a"},
    "enterprises/<pk>/": {"pk": "ent_a"},
    "evaluation/energy/years/<pk>/delete/": {"pk": M},
    "evaluation/exemptions/<pk>/remove/": {"pk": "exemption_a"},
    "evaluation/exit-policies/<pk>/delete/": {"pk": "exit_policy"},
    "evaluation/exits/<pk>/": {"pk": "exit_case_a"},
    "evaluation/exits/<pk>/advance/": {"pk": "exit_case_a"},
    "evaluation/exits/<pk>/cancel/": {"pk": "exit_case_a"},
    "evaluation/exits/<pk>/update/": {"pk": "exit_case_a"},
    "evaluation/jobs/<pk>/": {"pk": "job_a"},
    "evaluation/prices/tiers/<pk>/": {"pk": "price_tier"},
    "evaluation/prices/tiers/<pk>/delete/": {"pk": "price_tier"},
    "evaluation/results/<pk>/": {"pk": "result_a"},
    "evaluation/runs/<pk>/": {"pk": "run"},
    "evaluation/runs/<pk>/publish/": {"pk": "run"},
    "evaluation/schemes/<pk>/": {"pk": "scheme"},
    "evaluation/schemes/<pk>/revise/": {"pk": "scheme"},
    "evaluation/vetoes/<pk>/remove/": {"pk": "veto_a"},
    "imports/<pk>/": {"pk": M},
    "imports/<pk>/confirm/": {"pk": M},
    "imports/<pk>/report/": {"pk": M},
    "imports/templates/<kind>/": {"kind": "=enterprises"},
    "liaison/assignments/enterprise/<pk>/": {"pk": "ent_a"},
    "liaison/problems/<pk>/": {"pk": "problem_a"},
    "liaison/problems/<pk>/<action>/": {"pk": "problem_a", "action": "=accept"},
    "notifications/<pk>/open/": {"pk": "notification_a"},
    "notifications/<pk>/read/": {"pk": "notification_a"},
    "api/v1/investors/<pk>/": {"pk": "investor_a"},
    "api/v1/projects/<pk>/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/admission-checks/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/decision/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/stage/": {"pk": "invproject_a"},
    "projects/<pk>/": {"pk": "invproject_a"},
    "projects/<pk>/edit/": {"pk": "invproject_a"},
    "api/v1/experts/<pk>/": {"pk": "expert_pool_a"},
    "api/v1/projects/<pk>/panel/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/panel/decline/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/scores/": {"pk": "invproject_a"},
    "projects/<pk>/panel/draw/": {"pk": "invproject_a"},
    "projects/<pk>/panel/decline/": {"pk": "invproject_a"},
    "projects/<pk>/score/": {"pk": "invproject_a"},
    "projects/<pk>/decision/": {"pk": "invproject_a"},
    "projects/<pk>/stage/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/bundle/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/enterprise/": {"pk": "invproject_a"},
    "api/v1/projects/<pk>/parcels/": {"pk": "invproject_a"},
    "projects/<pk>/bundle/": {"pk": "invproject_a"},
    "projects/<pk>/enterprise/": {"pk": "invproject_a"},
    "projects/<pk>/parcels/": {"pk": "invproject_a"},
    "api/v1/talent/funds/<pk>/": {"pk": "fund"},
    "api/v1/talent/grants/<pk>/": {"pk": "grant_a"},
    **{f"api/v1/talent/grants/<pk>/{a}/": {"pk": "grant_a"} for a in ("approve", "instalments", "refuse")},
    "api/v1/talent/incubators/<pk>/": {"pk": "incubator"},
    "api/v1/talent/incubators/<pk>/enterprises/": {"pk": "incubator"},
    "api/v1/talent/incubators/<pk>/projects/": {"pk": "incubator"},
    "api/v1/talent/incubators/<pk>/projects/<link>/": {"pk": "incubator", "link": "incubator_project"},
    "talent/incubators/<pk>/projects/": {"pk": "incubator"},
    "talent/incubators/<pk>/projects/<link>/remove/": {"pk": "incubator", "link": "incubator_project"},
    "api/v1/talent/partners/<pk>/": {"pk": "partner"},
    "api/v1/talent/platforms/<pk>/": {"pk": "platform"},
    "api/v1/talent/talents/<pk>/": {"pk": "talent_a"},
    "api/v1/talent/talents/<pk>/reveal/": {"pk": "talent_a"},
    "api/v1/talent/team-applications/<pk>/": {"pk": "team_a"},
    "api/v1/talent/team-applications/<pk>/step/": {"pk": "team_a"},
    "talent/funds/<pk>/": {"pk": "fund"},
    "talent/grants/<pk>/": {"pk": "grant_a"},
    "talent/grants/<pk>/<decision>/": {"pk": "grant_a", "decision": "=approve"},
    "talent/incubators/<pk>/": {"pk": "incubator"},
    "talent/talents/<pk>/": {"pk": "talent_a"},
    "talent/teams/<pk>/": {"pk": "team_a"},
    **{f"api/v1/talent/team-applications/<pk>/{p}/": {"pk": "team_review_a"}
       for p in ("panel", "panel/decline", "scores")},
    **{f"talent/teams/<pk>/{p}/": {"pk": "team_review_a"} for p in ("panel/draw", "panel/decline", "score")},
    **{f"api/v1/talent/grants/<pk>/{p}/": {"pk": "grant_review_a"} for p in ("panel", "panel/decline", "scores")},
    **{f"talent/grants/<pk>/{p}/": {"pk": "grant_review_a"} for p in ("panel/draw", "panel/decline", "panel/score")},
    "zone/parcels/<pk>/": {"pk": "parcel_a"},
}  # fmt: skip

E = Entry
NO_GET = None  # the URL serves no GET (a POST-only action): every persona's GET is refused (403/404/405)
GET_ONLY = "=get"  # a page that serves GET only and answers a POST as it answers a GET (it ignores the method)

# For the API, ``write`` is who is let through to the write (its rules may still answer 400 on an empty body).
# For a page, it is who passes the page's role gate (403/404 otherwise); the service behind may still refuse the
# write itself with a message and a redirect, which the empty POST of the walk cannot tell from success.
MATRIX: dict[str, Entry] = {
    # --- The API: reference data and the registry (docs/0001-role-scoping.md) ---
    'api/v1/assignments/': E(write='admin'),
    'api/v1/assignments/<pk>/': E(get='admin leader officer_a ent_a'),
    'api/v1/assignments/<pk>/end/': E(get=NO_GET, write='admin'),
    'api/v1/blocks/': E(write='admin'),
    'api/v1/blocks/<pk>/': E(write='admin'),
    'api/v1/brands/': E(write='admin'),
    'api/v1/brands/<pk>/': E(write='admin'),
    'api/v1/contacts/': E(write='admin ent'),
    'api/v1/contacts/<pk>/': E(get='admin leader officer_a ent_a', write='admin ent_a'),
    'api/v1/departments/': E(write='admin'),
    'api/v1/departments/<pk>/': E(write='admin'),
    'api/v1/enterprise-indicators/': E(write='admin'),
    'api/v1/enterprise-indicators/<pk>/': E(get='admin leader officer_a ent_a', write='admin'),
    'api/v1/enterprises/': E(write='admin'),
    'api/v1/enterprises/<pk>/': E(get='admin leader dept officer_a ent_a', write='admin'),
    'api/v1/functional-areas/': E(write='admin'),
    'api/v1/functional-areas/<pk>/': E(write='admin'),
    'api/v1/industries/': E(),
    'api/v1/industries/<pk>/': E(),
    'api/v1/industry-chains/': E(write='admin'),
    'api/v1/industry-chains/<pk>/': E(write='admin'),
    'api/v1/parcels/': E(write='admin'),
    'api/v1/parcels/<pk>/': E(get='admin leader dept officer_a ent_a', write='admin'),
    # --- The API: the platform (tokens, me, audit, imports, jobs, notifications, calendar, schema) ---
    'api/v1/': E(),
    'api/v1/audit/': E(),
    'api/v1/audit/<pk>/': E(get='admin leader'),
    'api/v1/auth/token/': E(get=NO_GET, write='all', public=True),
    'api/v1/calendar/deadline/': E(),
    'api/v1/calendar/working-days/': E(),
    'api/v1/docs/': E(public=True),
    'api/v1/imports/': E(write='admin dept_a'),  # dept A is the talent office: it imports M6's kinds
    'api/v1/imports/<pk>/': E(get=''),
    'api/v1/imports/<pk>/report/': E(get=''),
    'api/v1/imports/templates/<kind>/': E(get='admin leader dept officer'),
    'api/v1/jobs/': E(),
    'api/v1/jobs/<pk>/': E(get='admin ent_a'),  # one's own jobs (the sample is ent_a's)
    'api/v1/me/': E(),
    'api/v1/notifications/': E(),
    'api/v1/notifications/<pk>/': E(get='ent_a'),
    'api/v1/notifications/<pk>/read/': E(get=NO_GET, write='ent_a'),
    'api/v1/notifications/read_all/': E(get=NO_GET, write='all'),
    'api/v1/redoc/': E(public=True),
    'api/v1/schema/': E(public=True),
    # --- The API: liaison (M1) ---
    'api/v1/liaison/coverage/': E(),
    'api/v1/liaison/stats/': E(),
    'api/v1/problems/': E(write='officer ent'),
    'api/v1/problems/<pk>/': E(get='admin leader officer_a ent_a'),
    'api/v1/problems/<pk>/accept/': E(get=NO_GET, write='officer_a'),
    'api/v1/problems/<pk>/close/': E(get=NO_GET, write='officer_a'),
    'api/v1/problems/<pk>/hand_over/': E(get=NO_GET, write='officer_a'),
    'api/v1/problems/<pk>/rate/': E(get=NO_GET, write='ent_a'),
    'api/v1/problems/<pk>/reply/': E(get=NO_GET),
    'api/v1/problems/<pk>/solve/': E(get=NO_GET, write='officer_a'),
    'api/v1/visits/': E(write='officer'),
    'api/v1/visits/<pk>/': E(get='admin leader officer_a ent_a'),
    # --- The API: approvals (M2) ---
    'api/v1/applications/': E(write='admin officer ent'),
    'api/v1/applications/<pk>/': E(get='admin leader dept_a officer_a ent_a'),
    'api/v1/applications/<pk>/assign/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/applications/<pk>/check/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/applications/<pk>/complete/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/applications/<pk>/pause/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/applications/<pk>/rate/': E(get=NO_GET, write='officer_a ent_a'),
    'api/v1/applications/<pk>/reject/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/applications/<pk>/resume/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/applications/<pk>/supply/': E(get=NO_GET, write='admin dept_a officer_a ent_a'),
    'api/v1/approval-bundles/': E(write='admin officer ent'),
    'api/v1/approval-bundles/<pk>/': E(get='admin leader dept officer_a ent_a'),  # both items' departments
    'api/v1/approval-items/': E(write='admin dept'),
    'api/v1/approval-items/<pk>/': E(write='admin dept'),
    'api/v1/approval-items/<pk>/materials/<material_id>/files/': E(get=NO_GET, write='admin dept'),
    'api/v1/approval-items/<pk>/status/': E(get=NO_GET, write='admin dept'),
    'api/v1/approval-items/<pk>/versions/<number>/': E(),
    'api/v1/approvals/overdue/': E(),
    'api/v1/approvals/stats/': E(),
    'api/v1/rectifications/': E(),
    'api/v1/rectifications/<pk>/': E(get=''),
    'api/v1/rectifications/<pk>/answer/': E(get=NO_GET),
    # --- The API: investment projects (M3): officers see every project and edit their own; enterprises their own ---
    'api/v1/investors/': E(write='admin officer'),
    'api/v1/investors/<pk>/': E(get='admin leader officer expert_a ent_a'),
    'api/v1/projects/': E(write='admin officer'),
    'api/v1/projects/<pk>/': E(get='admin leader officer expert_a ent_a', write='admin officer_a'),
    'api/v1/projects/<pk>/admission-checks/': E(get='admin leader officer expert_a ent_a'),
    # Expert panels (docs/0009): expert A sits on project A's panel, expert B (conflicted) does not; the investor's
    # own login is refused the panel and the scores (403); an officer draws for the projects he brought.
    'api/v1/experts/': E(write='admin'),
    'api/v1/experts/<pk>/': E(get='admin leader officer expert_a', write='admin'),
    'api/v1/projects/<pk>/panel/': E(get='admin leader officer expert_a', write='admin leader officer_a'),
    'api/v1/projects/<pk>/panel/decline/': E(get=NO_GET, write='expert_a'),
    'api/v1/projects/<pk>/scores/': E(get='admin leader officer expert_a', write='expert_a'),
    'api/v1/projects/admission-check/': E(get=NO_GET, write='admin leader officer ent'),
    'api/v1/projects/<pk>/decision/': E(get=NO_GET, write='leader'),  # leaders decide (docs/0010)
    'api/v1/projects/<pk>/stage/': E(get=NO_GET, write='admin officer_a'),  # its own officer and admins move it
    'api/v1/projects/stats/': E(),  # every role, over the projects it sees (department staff: none)
    # A project's land, parallel approval and enterprise (issue 14, items 10-11): read with the project (expert A
    # reviews project A), written by its own officer; the freed land on offer is the investment side's.
    'api/v1/projects/<pk>/bundle/': E(get='admin leader officer expert_a ent_a', write='admin officer_a'),
    'api/v1/projects/<pk>/enterprise/': E(get='admin leader officer expert_a ent_a', write='admin officer_a'),
    'api/v1/projects/<pk>/parcels/': E(get='admin leader officer expert_a ent_a', write='admin officer_a'),
    'api/v1/projects/available-land/': E(get='admin leader officer'),
    # --- The API: evaluation, energy, prices, land exit (M4) ---
    'api/v1/energy-rankings/': E(write='admin'),
    'api/v1/energy-rankings/<pk>/': E(get=''),
    'api/v1/energy-rankings/<pk>/entries/': E(get=''),
    'api/v1/evaluation-exemptions/': E(write='admin'),
    'api/v1/evaluation-exemptions/<pk>/': E(get='admin leader officer_a ent_a', write='admin'),
    'api/v1/evaluation-results/': E(),
    'api/v1/evaluation-results/<pk>/': E(get='admin leader officer_a ent_a'),
    'api/v1/evaluation-results/<pk>/explain/': E(get='admin leader officer_a ent_a'),
    'api/v1/evaluation-runs/': E(write='admin'),
    'api/v1/evaluation-runs/<pk>/': E(get='admin leader officer ent'),
    'api/v1/evaluation-runs/<pk>/publish/': E(get=NO_GET, write='admin leader'),
    'api/v1/evaluation-runs/<run_id>/results/': E(get='admin leader officer ent'),
    'api/v1/evaluation-schemes/': E(write='admin'),
    'api/v1/evaluation-schemes/<pk>/': E(),
    'api/v1/evaluation-schemes/<pk>/versions/': E(get=NO_GET, write='admin'),
    'api/v1/evaluation-vetoes/': E(write='admin'),
    'api/v1/evaluation-vetoes/<pk>/': E(get='admin leader officer_a ent_a', write='admin'),
    'api/v1/evaluation/inefficient/': E(),
    'api/v1/evaluation/surcharges/': E(get='admin leader'),
    'api/v1/exit-cases/': E(write='admin leader'),
    'api/v1/exit-cases/<pk>/': E(get='admin leader officer_a ent_a', write='admin leader'),
    'api/v1/exit-cases/<pk>/advance/': E(get=NO_GET, write='admin leader'),
    'api/v1/exit-cases/<pk>/cancel/': E(get=NO_GET, write='admin leader'),
    'api/v1/exit-policies/': E(write='admin'),
    'api/v1/exit-policies/<year>/': E(write='admin'),
    'api/v1/price-tiers/': E(write='admin'),
    'api/v1/price-tiers/<pk>/': E(write='admin'),
    'api/v1/price-tiers/defaults/': E(get=NO_GET, write='admin'),
    # --- The API: circular economy (M5) ---
    'api/v1/circular/balances/': E(get='admin leader dept officer ent'),
    'api/v1/circular/element-graph/': E(get='admin leader dept officer ent'),
    'api/v1/circular/exchanges/': E(write='admin dept officer ent'),
    'api/v1/circular/exchanges/<pk>/': E(get='admin leader dept officer_a ent_a', write='admin dept officer_a ent_a'),
    'api/v1/circular/flows/': E(write='admin dept officer ent'),
    'api/v1/circular/flows/<pk>/': E(get='admin leader dept officer_a ent_a', write='admin dept officer_a ent_a'),
    'api/v1/circular/indicators/': E(get='admin leader dept'),
    'api/v1/circular/materials/': E(write='admin dept'),
    'api/v1/circular/materials/<pk>/': E(write='admin dept'),
    'api/v1/circular/optimizations/': E(),
    'api/v1/circular/optimizations/<pk>/': E(get='admin leader dept'),
    'api/v1/circular/optimize/': E(get=NO_GET, write='admin leader dept officer'),
    'api/v1/circular/projects/': E(write='admin dept'),
    'api/v1/circular/projects/<pk>/': E(get='admin leader dept officer_a ent_a', write='admin dept'),
    'api/v1/circular/projects/stats/': E(),
    'api/v1/circular/resource-years/': E(write='admin dept officer ent'),
    'api/v1/circular/resource-years/<pk>/': E(get='admin leader dept officer_a ent_a',
                                              write='admin dept officer_a ent_a'),
    # --- Pages: the platform ---
    '': E(write=GET_ONLY),
    'audit/': E(get='admin leader', write=GET_ONLY),
    'calendar/deadline/': E(write=GET_ONLY),
    'enterprises/': E(write=GET_ONLY),
    'enterprises/<pk>/': E(get='admin leader dept officer_a ent_a', write=GET_ONLY),
    'enterprises/indicators/export/': E(write=GET_ONLY),
    'i18n/setlang/': E(get='', write=GET_ONLY, redirect='all', public=True),  # Django's set_language: anyone
    'imports/': E(get='admin dept_a', write=GET_ONLY),  # the talent office (M6's kinds)
    'imports/<pk>/': E(get='', write=GET_ONLY),
    'imports/<pk>/confirm/': E(get=NO_GET),
    'imports/<pk>/report/': E(get='', write=GET_ONLY),
    'imports/templates/<kind>/': E(get='admin leader dept officer', write=GET_ONLY),
    'favicon.ico': E(public=True),  # every browser asks, before any login
    'login/': E(get='', write='all', redirect='all', public=True),
    'logout/': E(get=NO_GET, write='all'),
    'notifications/': E(write=GET_ONLY),
    'notifications/<pk>/open/': E(get=NO_GET, write='ent_a'),
    'notifications/<pk>/read/': E(get=NO_GET, write='ent_a'),
    'notifications/read-all/': E(get=NO_GET, write='all'),
    'zone/departments/': E(write=GET_ONLY),
    'zone/parcels/': E(write=GET_ONLY),
    'zone/parcels/<pk>/': E(get='admin leader dept officer_a ent_a', write=GET_ONLY),
    # --- Pages: liaison (M1) ---
    'liaison/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'liaison/assignments/': E(get='admin leader', write=GET_ONLY),
    'liaison/assignments/confirm/': E(get=NO_GET, write='admin'),
    'liaison/assignments/enterprise/<pk>/': E(get='admin leader', write='admin'),
    'liaison/coverage/': E(get='admin leader officer', write=GET_ONLY),
    'liaison/escalated/': E(get='admin leader', write=GET_ONLY),
    'liaison/problems/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'liaison/problems/<pk>/': E(get='admin leader officer_a ent_a', write=GET_ONLY),
    'liaison/problems/<pk>/<action>/': E(get=NO_GET, write='officer_a'),
    'liaison/problems/new/': E(get='officer ent', write=GET_ONLY),
    'liaison/visits/': E(get='admin leader officer ent', write=GET_ONLY),
    'liaison/visits/new/': E(get='officer', write=GET_ONLY),
    # --- Pages: approvals (M2) ---
    'approvals/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'approvals/applications/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'approvals/applications/<pk>/': E(get='admin leader dept_a officer_a ent_a', write=GET_ONLY),
    'approvals/applications/<pk>/<action>/': E(get=NO_GET, write='admin leader dept_a officer_a ent_a'),
    'approvals/applications/<pk>/notices/<notice>/': E(get='admin leader dept_a officer_a ent_a', write=GET_ONLY),
    'approvals/applications/new/': E(get='admin officer ent', write=GET_ONLY),
    'approvals/applications/new/materials/': E(get='admin officer ent', write=GET_ONLY),
    'approvals/bundles/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'approvals/bundles/<pk>/': E(get='admin leader dept officer_a ent_a', write=GET_ONLY),
    'approvals/bundles/new/': E(get='admin officer ent', write=GET_ONLY),
    'approvals/items/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'approvals/items/<pk>/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'approvals/items/<pk>/edit/': E(get='admin dept_a', write=GET_ONLY),
    'approvals/items/<pk>/status/': E(get=NO_GET),
    'approvals/items/new/': E(get='admin', write=GET_ONLY),
    'approvals/materials/<pk>/<kind>/': E(get='', write=GET_ONLY),
    'approvals/materials/<pk>/files/': E(get=NO_GET, write='admin leader dept officer ent'),
    'approvals/overdue/': E(get='admin leader dept', write=GET_ONLY),
    'approvals/rectifications/': E(get='admin leader dept', write=GET_ONLY),
    'approvals/rectifications/<pk>/answer/': E(get=NO_GET),
    # --- Pages: investment projects (M3) ---
    'projects/': E(get='admin leader officer expert ent', write=GET_ONLY),
    'projects/<pk>/': E(get='admin leader officer expert_a ent_a', write=GET_ONLY),
    'projects/<pk>/panel/decline/': E(get=NO_GET, write='expert_a'),
    'projects/<pk>/panel/draw/': E(get=NO_GET, write='admin leader officer_a'),
    'projects/<pk>/score/': E(get='expert_a', write='expert_a'),
    'projects/experts/': E(get='admin leader officer', write=GET_ONLY),
    'projects/reviews/': E(get='expert', write=GET_ONLY),
    'projects/<pk>/edit/': E(get='admin officer_a', write=GET_ONLY),
    'projects/new/': E(get='admin officer', write=GET_ONLY),
    'projects/board/': E(get='admin leader officer expert ent', write=GET_ONLY),
    'projects/<pk>/decision/': E(get=NO_GET, write='leader'),
    'projects/<pk>/stage/': E(get=NO_GET, write='admin officer_a'),
    'projects/<pk>/bundle/': E(get='admin officer_a', write=GET_ONLY),
    'projects/<pk>/enterprise/': E(get='admin officer_a', write=GET_ONLY),
    'projects/<pk>/parcels/': E(get='admin officer_a', write=GET_ONLY),
    'projects/land/': E(get='admin leader officer', write=GET_ONLY),
    # --- Pages: evaluation (M4) ---
    'evaluation/': E(get='admin leader officer', write=GET_ONLY, redirect='ent'),
    'evaluation/energy/': E(get='admin leader officer ent', write=GET_ONLY),
    'evaluation/energy/rank/': E(get=NO_GET, write='admin leader officer ent'),
    'evaluation/energy/years/': E(get='admin', write=GET_ONLY),
    'evaluation/energy/years/<pk>/delete/': E(get=NO_GET),
    'evaluation/enterprises/': E(get='admin', write=GET_ONLY),
    'evaluation/exemptions/': E(get='admin leader officer', write='admin'),
    'evaluation/exemptions/<pk>/remove/': E(get='admin', write='admin'),
    'evaluation/exit-policies/': E(get='admin leader', write='admin'),
    'evaluation/exit-policies/<pk>/delete/': E(get=NO_GET, write='admin'),
    'evaluation/exits/': E(get='admin leader officer ent', write=GET_ONLY),
    'evaluation/exits/<pk>/': E(get='admin leader officer_a ent_a', write=GET_ONLY),
    'evaluation/exits/<pk>/advance/': E(get=NO_GET, write='admin leader'),
    'evaluation/exits/<pk>/cancel/': E(get=NO_GET, write='admin leader'),
    'evaluation/exits/<pk>/update/': E(get=NO_GET, write='admin leader'),
    'evaluation/exits/new/': E(get='admin leader', write=GET_ONLY),
    'evaluation/inefficient/': E(get='admin leader officer ent', write=GET_ONLY),
    'evaluation/jobs/<pk>/': E(get='', write=GET_ONLY),  # an evaluation run's job only (the sample is not)
    'evaluation/mine/': E(get='officer', write=GET_ONLY, redirect='admin leader ent'),
    'evaluation/prices/': E(get='admin leader officer ent', write=GET_ONLY),
    'evaluation/prices/tiers/': E(get=NO_GET, write='admin leader officer ent'),
    'evaluation/prices/tiers/<pk>/': E(get=NO_GET, write='admin leader officer ent'),
    'evaluation/prices/tiers/<pk>/delete/': E(get=NO_GET, write='admin leader officer ent'),
    'evaluation/prices/tiers/defaults/': E(get=NO_GET, write='admin leader officer ent'),
    'evaluation/results/<pk>/': E(get='admin leader officer_a ent_a', write=GET_ONLY),
    'evaluation/runs/': E(get='admin leader officer', write=GET_ONLY),
    'evaluation/runs/<pk>/': E(get='admin leader officer ent', write=GET_ONLY),
    'evaluation/runs/<pk>/publish/': E(get=NO_GET, write='admin leader'),
    'evaluation/runs/new/': E(get=NO_GET, write='admin'),
    'evaluation/schemes/': E(get='admin leader officer ent', write=GET_ONLY),
    'evaluation/schemes/<pk>/': E(get='admin leader officer ent', write=GET_ONLY),
    'evaluation/schemes/<pk>/revise/': E(get='admin', write=GET_ONLY),
    'evaluation/schemes/new/': E(get='admin', write=GET_ONLY),
    'evaluation/vetoes/': E(get='admin leader officer', write='admin'),
    'evaluation/vetoes/<pk>/remove/': E(get='admin', write='admin'),
    # --- Pages: circular economy (M5) ---
    'circular/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/balances/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/elements/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/indicators/': E(get='admin leader dept', write=GET_ONLY),
    'circular/materials/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/materials/<code>/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/network/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/network/data/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/optimize/': E(get='admin leader dept officer', write=GET_ONLY),
    'circular/optimize/runs/<pk>/': E(get='admin leader dept', write=GET_ONLY),
    'circular/optimize/runs/<pk>/scenario.json': E(get='admin leader dept', write=GET_ONLY),
    'circular/optimize/scenario.json': E(get='admin leader dept officer', write=GET_ONLY),
    'circular/optimize/upload/': E(get=NO_GET, write='admin leader dept officer'),
    'circular/optimize/zone/': E(get=NO_GET, write='admin leader dept officer'),
    'circular/projects/': E(get='admin leader dept officer ent', write=GET_ONLY),
    'circular/projects/<pk>/': E(get='admin leader dept officer_a ent_a', write=GET_ONLY),
    'circular/projects/<pk>/edit/': E(get='admin dept', write=GET_ONLY),
    'circular/projects/new/': E(get='admin dept', write=GET_ONLY),
    # --- The API: innovation and talent (M6; department A is the talent office, docs/0012) ---
    'api/v1/talent/funds/': E(write='admin dept_a'),
    'api/v1/talent/funds/<pk>/': E(get='admin leader dept_a ent', write='admin dept_a'),
    # Expert A meets enterprise A as the applicant of the grant he reviews (docs/0013).
    'api/v1/talent/grants/': E(write='admin dept_a ent', other='expert_a'),
    'api/v1/talent/grants/<pk>/': E(get='admin leader dept_a ent_a'),
    'api/v1/talent/grants/<pk>/approve/': E(get=NO_GET, write='leader'),
    'api/v1/talent/grants/<pk>/instalments/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/talent/grants/<pk>/refuse/': E(get=NO_GET, write='leader'),
    # The fund's expert review (docs/0013): the applicant enterprise never learns who reviews it.
    'api/v1/talent/grants/<pk>/panel/': E(get='admin leader dept_a expert_a', write='admin dept_a'),
    'api/v1/talent/grants/<pk>/panel/decline/': E(get=NO_GET, write='expert_a'),
    'api/v1/talent/grants/<pk>/scores/': E(get='admin leader dept_a expert_a', write='expert_a'),
    'api/v1/talent/incubators/': E(write='admin dept_a'),
    'api/v1/talent/incubators/<pk>/': E(get='admin leader dept officer ent_a', write='admin dept_a'),
    'api/v1/talent/incubators/<pk>/enterprises/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/talent/incubators/<pk>/projects/': E(get='admin leader dept officer ent_a', write='admin dept_a'),
    'api/v1/talent/incubators/<pk>/projects/<link>/': E(get=NO_GET, write='admin dept_a'),
    'api/v1/talent/partners/': E(write='admin dept_a'),
    'api/v1/talent/partners/<pk>/': E(get='admin leader dept officer', write='admin dept_a'),
    'api/v1/talent/platforms/': E(write='admin dept_a'),
    'api/v1/talent/platforms/<pk>/': E(get='admin leader dept officer', write='admin dept_a'),
    'api/v1/talent/stats/': E(get='admin leader dept_a'),
    'api/v1/talent/talents/': E(write='admin dept_a'),
    'api/v1/talent/talents/<pk>/': E(get='admin leader dept_a', write='admin dept_a'),
    'api/v1/talent/talents/<pk>/reveal/': E(get=NO_GET, write='dept_a'),
    'api/v1/talent/team-applications/': E(write='admin dept_a ent'),
    'api/v1/talent/team-applications/<pk>/': E(get='admin leader dept_a ent_a'),
    'api/v1/talent/team-applications/<pk>/step/': E(get=NO_GET, write='admin leader dept_a ent_a'),
    # The team's expert review (docs/0013): the team's enterprise never learns who reviews it.
    'api/v1/talent/team-applications/<pk>/panel/': E(get='admin leader dept_a expert_a', write='admin dept_a'),
    'api/v1/talent/team-applications/<pk>/panel/decline/': E(get=NO_GET, write='expert_a'),
    'api/v1/talent/team-applications/<pk>/scores/': E(get='admin leader dept_a expert_a', write='expert_a'),
    # --- Pages: innovation and talent (M6) ---
    'talent/': E(get='admin leader dept officer expert ent', write=GET_ONLY, other='expert_a'),
    'talent/funds/': E(get='admin leader dept_a ent', write='admin dept_a'),
    'talent/funds/<pk>/': E(get='admin leader dept_a ent', write=GET_ONLY),
    'talent/grants/': E(get='admin leader dept_a expert ent', write=GET_ONLY, other='expert_a'),
    'talent/grants/<pk>/': E(get='admin leader dept_a ent_a', write='admin dept_a'),
    'talent/grants/<pk>/<decision>/': E(get=NO_GET, write='leader'),
    'talent/grants/new/': E(get='admin dept_a ent', write=GET_ONLY),
    'talent/grants/<pk>/panel/decline/': E(get=NO_GET, write='expert_a'),
    'talent/grants/<pk>/panel/draw/': E(get=NO_GET, write='admin dept_a'),
    'talent/grants/<pk>/panel/score/': E(get=NO_GET, write='expert_a'),
    'talent/incubators/': E(get='admin leader dept officer', write=GET_ONLY),
    'talent/incubators/<pk>/': E(get='admin leader dept officer ent_a', write='admin dept_a'),
    'talent/incubators/new/': E(get='admin dept_a', write=GET_ONLY),
    'talent/incubators/<pk>/projects/': E(get=NO_GET, write='admin dept_a'),
    'talent/incubators/<pk>/projects/<link>/remove/': E(get=NO_GET, write='admin dept_a'),
    'talent/partners/': E(get='admin leader dept officer', write=GET_ONLY),
    'talent/partners/new/': E(get='admin dept_a', write=GET_ONLY),
    'talent/platforms/': E(get='admin leader dept officer', write=GET_ONLY),
    'talent/platforms/new/': E(get='admin dept_a', write=GET_ONLY),
    'talent/talents/': E(get='admin leader dept_a', write=GET_ONLY),
    'talent/talents/<pk>/': E(get='admin leader dept_a', write='dept_a'),
    'talent/talents/new/': E(get='admin dept_a', write=GET_ONLY),
    'talent/teams/': E(get='admin leader dept_a expert ent', write=GET_ONLY),
    'talent/teams/<pk>/': E(get='admin leader dept_a ent_a', write='admin dept_a'),
    'talent/teams/new/': E(get='admin dept_a ent', write=GET_ONLY),
    'talent/teams/<pk>/panel/decline/': E(get=NO_GET, write='expert_a'),
    'talent/teams/<pk>/panel/draw/': E(get=NO_GET, write='admin dept_a'),
    'talent/teams/<pk>/score/': E(get=NO_GET, write='expert_a'),
}  # fmt: skip

# API lists that do not show every row their reader may open (filtered by default), so the walk does not expect
# the list to show exactly the detail's readers the sample object.
LIST_FILTERED: set[str] = set()

# Answers of 500 the walk knows of, each with its reason: reported, to fix in the app; the test fails when one of
# them stops happening (then delete its line) — and on any other 5xx.
KNOWN_5XX: dict[tuple[str, str, str], str] = {}

# M6's technology finance, partnerships and fund calls declare theirs beside this file.
from .role_matrix_talent_finance import MATRIX as _TALENT_FINANCE  # noqa: E402
from .role_matrix_talent_finance import SAMPLES as _TALENT_FINANCE_SAMPLES  # noqa: E402

MATRIX.update(_TALENT_FINANCE)
SAMPLES.update(_TALENT_FINANCE_SAMPLES)
