"""The demo catalogue's blank forms and samples: real workbooks, stored once."""

import io

import pytest


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media) -> list[str]:
    """Every file under MEDIA_ROOT, as its path there."""
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def test_the_demos_blank_forms_are_workbooks_and_loading_again_writes_nothing_new(media):
    import openpyxl

    from hitechzone.demo.approvals import _attachments, demo_workbook
    from hitechzone.demo.catalogue import ITEMS as DEMO_ITEMS

    workbook = openpyxl.load_workbook(io.BytesIO(demo_workbook("空白表", [("申请表",), ("申请单位", "A & <B>")])))
    assert [[c.value for c in row] for row in workbook.active.iter_rows()] == [
        ["申请表", None],
        ["申请单位", "A & <B>"],
    ]
    spec = next(s for s in DEMO_ITEMS if s["materials"][0]["form"] and s["materials"][0]["sample"])
    files = _attachments(spec, spec["materials"][0])
    assert set(files) == {"blank_form", "sample"}
    assert files["blank_form"].startswith(f"approvals/forms/{spec['code']}/v1/")
    assert _attachments(spec, spec["materials"][0]) == files
    assert len(stored(media)) == 2
    sample = openpyxl.load_workbook(media / files["sample"]).active
    assert sample["A1"].value.endswith("（填写样例）")
