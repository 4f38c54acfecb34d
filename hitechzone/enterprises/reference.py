"""Reference data that every installation has: the GB/T 4754-2017 industry code table."""

import csv
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "gbt4754_2017.csv"


def industry_rows() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_industries(Industry) -> int:
    """Insert or update every code of the table, parents first. Returns the number of codes."""
    rows = industry_rows()
    existing = set(Industry.objects.values_list("code", flat=True))
    order = {"section": 0, "division": 1, "group": 2, "class": 3}
    rows.sort(key=lambda r: order[r["level"]])
    new, changed = [], []
    for r in rows:
        obj = Industry(
            code=r["code"], level=r["level"], parent_id=r["parent"] or None, name_zh=r["name_zh"], name_en=r["name_en"]
        )
        (changed if r["code"] in existing else new).append(obj)
    for level in order:
        Industry.objects.bulk_create([o for o in new if o.level == level])
    Industry.objects.bulk_update(changed, ["level", "parent", "name_zh", "name_en"])
    return len(rows)
