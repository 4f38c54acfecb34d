"""M3's role sets, in one place: who reads the module's pages, who records investors and projects."""

from hitechzone.accounts.models import Role

#: Who opens the module's pages (each sees the rows its scope gives: an expert none until panels exist, an enterprise
#: its own investor's projects). Department staff have no business here (403).
PAGE_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.EXPERT, Role.ENTERPRISE})
#: Who has the module in the main menu.
MENU_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.EXPERT})
#: Who records investors and projects (an officer edits only the projects he brought: ``Project.objects.editable``).
WRITERS = frozenset({Role.ADMIN, Role.OFFICER})
#: Who may run the admission check on figures of their own (it stores nothing): the zone's investment side and an
#: enterprise preparing its project. Experts will review through their panels (issue 14, items 6-7), not here.
CHECK_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER, Role.ENTERPRISE})
#: Who reads the freed land on offer (issue 14 item 10): the zone's investment side. An enterprise has no business
#: there (its own parcels are not on offer), nor experts or department staff (403).
LAND_ROLES = frozenset({Role.ADMIN, Role.LEADER, Role.OFFICER})
