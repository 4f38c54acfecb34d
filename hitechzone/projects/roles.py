"""M3's role sets, in one place: who reads the module's pages, who records investors and projects."""

from hitechzone.accounts.models import Role

#: Who opens the module's pages (each sees the rows its scope gives: an expert the projects of the panels he sits on,
#: an enterprise its own investor's projects). Department staff have no business here (403).
PAGE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.EXPERT, Role.ENTERPRISE})
#: Who has the module in the main menu.
MENU_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.EXPERT})
#: Who records investors and projects (an officer edits only the projects he brought: ``Project.objects.editable``).
WRITERS = frozenset({Role.ADMIN, Role.OFFICER})
#: Who may run the admission check on figures of their own (it stores nothing): the zone's investment side and an
#: enterprise preparing its project. Experts review through their panels (issue 14, items 6-7), not here.
CHECK_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ENTERPRISE})

# Expert panels (docs/0009).
#: Who reads the expert pool and a project's panel (an expert: the panels he sits on; the investor's own login
#: never learns who reviews it: 403).
POOL_READERS = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
PANEL_ROLES = frozenset({*POOL_READERS, Role.EXPERT})
#: Who draws a panel: administrators, leaders, and an officer for the projects he brought (``panel_services.can_draw``).
DRAW_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
#: Who scores and declines: a sitting member of the project's panel, for himself.
REVIEWERS = frozenset({Role.EXPERT})
#: Who decides on a project's admission (docs/0010): the leaders, as the article's 项目决策 is the management
#: committee's. Administrators configure and do not decide; officers carry the project and do not judge it.
DECIDERS = frozenset({Role.LEADER})
#: Who moves a project along the pipeline: its own officer (``Project.objects.editable``) and administrators.
MOVERS = frozenset({Role.ADMIN, Role.OFFICER})
#: Who reads the freed land on offer (issue 14 item 10): the zone's investment side. An enterprise has no business
#: there (its own parcels are not on offer), nor experts or department staff (403).
LAND_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
