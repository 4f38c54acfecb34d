"""统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.

18 characters: registration authority (1), entity category (1), administrative division (6),
entity identifier — the organisation code of GB 11714 — (9, its last character a check
character), and the check character (1), computed modulo 31 over the first 17.
The code never uses I, O, Z, S or V.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration authority → the entity categories it may issue (GB 32100-2015 table 1 and its updates).
CATEGORIES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "1234589",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, …, 其他
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 市场监管 (工商): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他
}


@dataclass(frozen=True)
class UsccProblem:
    check: str
    message: str


def check_char(first17: str) -> str:
    total = sum(VALUES[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8: str) -> str:
    # GB 11714 values letters A=10 … Z=35 (base 36), unlike the USCC alphabet.
    total = sum(int(c, 36) * w for c, w in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalise(raw: str) -> str:
    """Upper-case, full-width to half-width, spaces removed."""
    text = "".join(chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c for c in str(raw))
    return "".join(text.split()).upper()


def problems(code: str) -> list[UsccProblem]:
    """Every check that fails, in the order GB 32100 lays the code out; empty when the code is valid."""
    if len(code) != 18:
        return [UsccProblem("length", _("It has %(n)d characters; a USCC has 18.") % {"n": len(code)})]
    bad = sorted({c for c in code if c not in VALUES})
    if bad:
        return [
            UsccProblem(
                "alphabet",
                _("It contains %(chars)s; a USCC uses only digits and capital letters other than I, O, Z, S, V.")
                % {"chars": "、".join(bad)},
            )
        ]
    found: list[UsccProblem] = []
    authority, category = code[0], code[1]
    if authority not in CATEGORIES:
        found.append(
            UsccProblem(
                "authority",
                _("The 1st character, the registration authority code, %(c)s is not defined.") % {"c": authority},
            )
        )
    elif category not in CATEGORIES[authority]:
        found.append(
            UsccProblem(
                "category",
                _("The 2nd character, the entity category %(c)s, is not defined for registration authority %(a)s.")
                % {"c": category, "a": authority},
            )
        )
    if not code[2:8].isdigit():
        found.append(
            UsccProblem("division", _("Characters 3–8, the administrative division code, must be six digits."))
        )
    expected_org = org_check_char(code[8:16]) if code[8:16].isalnum() else None
    if expected_org != code[16]:
        found.append(
            UsccProblem(
                "organisation_check",
                _("The 17th character, the organisation code's check character (GB 11714), should be %(e)s.")
                % {"e": expected_org},
            )
        )
    expected = check_char(code[:17])
    if expected != code[17]:
        found.append(
            UsccProblem(
                "check_digit",
                _("The 18th character, the check character, should be %(e)s, not %(g)s.")
                % {"e": expected, "g": code[17]},
            )
        )
    return found


def is_valid(code: str) -> bool:
    return not problems(code)


def validate_uscc(value: str) -> None:
    """Django validator: raises a ValidationError that says which check failed."""
    found = problems(normalise(value))
    if found:
        raise ValidationError(
            [ValidationError(_("Invalid USCC: %(msg)s") % {"msg": p.message}, code=f"uscc_{p.check}") for p in found]
        )


def make(first16: str) -> str:
    """Complete 16 leading characters into a valid USCC (for demo data, benchmarks and tests)."""
    first17 = first16 + org_check_char(first16[8:16])
    return first17 + check_char(first17)
