"""Resident identity numbers (居民身份证号码, GB 11643-1999) and phone numbers: checked and masked, in one place.

No ORM and no Django settings: the services check with :func:`check_id_number`, every page, answer and export
shows :func:`mask_id_number` / :func:`mask_phone`.
"""

from __future__ import annotations

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"  # the check character for sum mod 11 = 0, 1, … 10 (ISO 7064 MOD 11-2)
LENGTH = 18
SHOWN_HEAD, SHOWN_TAIL = 6, 4


class IdNumberError(ValueError):
    """Why an ID number is refused (the message is for the user; see ``MESSAGES``)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_character(first17: str) -> str:
    return CHECK_CHARACTERS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date(number: str) -> date | None:
    """The birth date the number carries (characters 7–14), or None when it is no real date."""
    text = number[6:14]
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def check_id_number(raw: str, *, today: date) -> str:
    """The number normalised (trimmed, a final lower-case x upper-cased), or :class:`IdNumberError` with a code:
    ``length`` (not 17 digits and a digit or X), ``birth_date`` (no real birth date, or one after ``today`` or
    before 1900), ``check_digit`` (the 18th character is not the GB 11643 check character)."""
    number = (raw or "").strip().upper()
    if len(number) != LENGTH or not (number[:17].isascii() and number[:17].isdigit()):
        raise IdNumberError("length")
    if not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("length")
    born = birth_date(number)
    if born is None or born > today or born.year < 1900:  # no living person was born before 1900
        raise IdNumberError("birth_date")
    if check_character(number[:17]) != number[17]:
        raise IdNumberError("check_digit")
    return number


def mask_id_number(number: str) -> str:
    """The first 6 and the last 4 characters with ``*`` between (18 characters); "" for none."""
    if not number:
        return ""
    hidden = max(len(number) - SHOWN_HEAD - SHOWN_TAIL, 0)
    return number[:SHOWN_HEAD] + "*" * hidden + number[-SHOWN_TAIL:]


def mask_phone(phone: str) -> str:
    """The first 3 and the last 4 digits with ``*`` between (138****5678); a short number all ``*``."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) < 8:  # too short to show any of it
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
