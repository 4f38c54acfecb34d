"""The delegated-powers catalogue: 169 items from 24 municipal departments in four delegation modes (no database)."""

import copy
import re
from collections import Counter

from hitechzone.demo import catalogue
from hitechzone.demo.catalogue import ITEMS, MODES, check
from hitechzone.demo.reference import DEPARTMENTS

DEPARTMENT_CODES = {code for code, _name, _short in DEPARTMENTS}


def test_check_finds_no_problem():
    assert check() == []


def test_169_items_from_all_24_departments():
    assert len(ITEMS) == 169
    per_department = Counter(item["department"] for item in ITEMS)
    assert set(per_department) == DEPARTMENT_CODES
    assert len(per_department) == 24
    assert min(per_department.values()) >= 2


def test_heavy_departments_carry_more_items():
    per_department = Counter(item["department"] for item in ITEMS)
    light = max(per_department[code] for code in ("czj", "tjj", "kjj", "mzj"))
    for code in ("fgw", "zrzyj", "zjj", "sthjj", "yjglj", "scjgj", "jtysj", "slj"):
        assert per_department[code] > light, code


def test_all_four_modes_each_used_at_least_15_times():
    assert MODES == {
        "entrusted": "委托授权",
        "jurisdiction": "管辖授权",
        "seal_follow": "见章跟章",
        "agency": "委托办理",
    }
    per_mode = Counter(item["mode"] for item in ITEMS)
    assert set(per_mode) == set(MODES)
    assert min(per_mode.values()) >= 15


def test_codes_unique_and_patterned():
    codes = [item["code"] for item in ITEMS]
    assert len(set(codes)) == len(codes)
    for item in ITEMS:
        assert re.fullmatch(rf"330800-{item['department'].upper()}-\d{{3}}", item["code"]), item["code"]


def test_names_unique_within_department_and_short():
    assert len({(item["department"], item["name"]) for item in ITEMS}) == len(ITEMS)
    assert all(0 < len(item["name"]) <= 60 for item in ITEMS)


def test_time_limits():
    for item in ITEMS:
        assert item["promised_limit"] <= item["statutory_limit"], item["code"]
        assert (item["item_type"] == "immediate") == (item["promised_limit"] == 0), item["code"]
        if item["item_type"] == "commitment":
            assert 1 <= item["promised_limit"] <= 20, item["code"]
        assert 22 <= item["pre_reform_days"] <= 130, item["code"]
        assert item["yellow_threshold"] in (1, 2), item["code"]
    five_day = [item for item in ITEMS if item["item_type"] == "commitment" and item["promised_limit"] == 5]
    assert len(five_day) >= 10


def test_materials():
    for item in ITEMS:
        materials = item["materials"]
        assert 2 <= len(materials) <= 8, item["code"]
        application = materials[0]
        assert application["form"], item["code"]
        assert application["required"], item["code"]
        assert not application["tolerable"], item["code"]
        for material in materials:
            assert not material["tolerable"] or material["required"], (item["code"], material["name"])
    assert sum(any(m["tolerable"] for m in item["materials"]) for item in ITEMS) >= 30


def test_article_items_sit_with_the_right_departments():
    where = {item["name"]: item["department"] for item in ITEMS}
    expected = {
        "企业投资项目备案": "fgw",
        "企业投资项目核准": "fgw",
        "固定资产投资项目节能审查": "fgw",
        "建设用地规划许可证核发": "zrzyj",
        "建设工程规划许可证核发": "zrzyj",
        "建设项目用地预审与选址意见书核发": "zrzyj",
        "乡村建设规划许可证核发": "zrzyj",
        "建筑工程施工许可证核发": "zjj",
        "建设工程竣工验收备案": "zjj",
        "商品房预售许可": "zjj",
        "建设工程消防设计审查": "zjj",
        "建设工程消防验收": "zjj",
        "排污许可证核发": "sthjj",
        "危险废物经营许可证核发": "sthjj",
        "危险化学品建设项目安全条件审查": "yjglj",
        "危险化学品建设项目安全设施设计审查": "yjglj",
        "危险化学品经营许可证核发": "yjglj",
        "特种设备使用登记": "scjgj",
        "工业产品生产许可证核发": "scjgj",
        "食品生产许可": "scjgj",
        "公众聚集场所投入使用、营业前消防安全检查": "xfzd",
        "取水许可": "slj",
        "生产建设项目水土保持方案审批": "slj",
        "洪水影响评价类审批": "slj",
        "防空地下室易地建设审批": "rfb",
        "雷电防护装置设计审核": "qxj",
        "雷电防护装置竣工验收": "qxj",
        "设立税务登记": "swuj",
        "发票领用": "swuj",
    }
    assert {name: where.get(name) for name in expected} == expected


def test_check_reports_broken_data():
    broken = copy.deepcopy(ITEMS)
    broken[0]["promised_limit"] = broken[0]["statutory_limit"] + 1
    broken[1]["mode"] = "delegated"
    broken[2]["materials"][0]["tolerable"] = True
    broken[3]["pre_reform_days"] = 400
    broken[4]["code"] = broken[5]["code"]
    problems = check(broken)
    assert any("promised" in p for p in problems)
    assert any("unknown mode" in p for p in problems)
    assert any("first material" in p for p in problems)
    assert any("pre-reform" in p for p in problems)
    assert any("code used 2 times" in p for p in problems)
    assert check(ITEMS[:-1]) == ["168 items, not 169"]


def test_catalogue_imports_no_django_models():
    with open(catalogue.__file__, encoding="utf-8") as source:
        imports = [line for line in source if line.startswith(("import ", "from "))]
    assert imports
    assert not [line for line in imports if "django" in line or ".models" in line]
