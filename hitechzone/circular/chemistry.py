"""Chemical formulas: parse them, and compute molar masses and element mass fractions (issue 7, M5 point 1).

``parse_formula("(CH3)2SiCl2")`` → ``{"C": 2, "H": 6, "Si": 1, "Cl": 2}``. The grammar::

    formula := part (dot part)*          dot: "·" (or "•", "∙", "⋅", "・"), "*" or "."
    part    := [coefficient] group+      coefficient: 2, 0.5 (hemihydrates) … multiplies the whole part
    group   := element [count] | open part close [count]     open/close: ( ), [ ], { } — nested, matched
    element := capital letter + optional small letter, known to ``ATOMIC_WEIGHTS``
    count   := whole number ≥ 1          (no decimals: "CaSO4.2H2O" is CaSO4 · 2 H2O, not CaSO4.2 …)

Whitespace is ignored and subscript digits (₀–₉) read as digits, so "CaSO₄ · 2H₂O" parses too.
Anything else raises :class:`FormulaError` (a ``ValueError``) whose message says what and where.

Atomic weights are IUPAC's standard atomic weights, as the abridged/conventional values of the 2021 table
(IUPAC CIAAW, "Standard atomic weights of the elements 2021", Pure Appl. Chem. 2022): an element whose
standard atomic weight is an interval (H, Li, B, C, N, O, Mg, Si, S, Cl, Br …) has its conventional value.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from django.utils.translation import gettext as _

# g/mol. The first four periods in full, then the heavier elements a chemical zone meets.
ATOMIC_WEIGHTS: dict[str, float] = {
    # period 1
    "H": 1.008,
    "He": 4.0026,
    # period 2
    "Li": 6.94,
    "Be": 9.0122,
    "B": 10.81,
    "C": 12.011,
    "N": 14.007,
    "O": 15.999,
    "F": 18.998,
    "Ne": 20.180,
    # period 3
    "Na": 22.990,
    "Mg": 24.305,
    "Al": 26.982,
    "Si": 28.085,
    "P": 30.974,
    "S": 32.06,
    "Cl": 35.45,
    "Ar": 39.95,
    # period 4
    "K": 39.098,
    "Ca": 40.078,
    "Sc": 44.956,
    "Ti": 47.867,
    "V": 50.942,
    "Cr": 51.996,
    "Mn": 54.938,
    "Fe": 55.845,
    "Co": 58.933,
    "Ni": 58.693,
    "Cu": 63.546,
    "Zn": 65.38,
    "Ga": 69.723,
    "Ge": 72.630,
    "As": 74.922,
    "Se": 78.971,
    "Br": 79.904,
    "Kr": 83.798,
    # period 5
    "Rb": 85.468,
    "Sr": 87.62,
    "Y": 88.906,
    "Zr": 91.224,
    "Nb": 92.906,
    "Mo": 95.95,
    "Ru": 101.07,
    "Rh": 102.91,
    "Pd": 106.42,
    "Ag": 107.87,
    "Cd": 112.41,
    "In": 114.82,
    "Sn": 118.71,
    "Sb": 121.76,
    "Te": 127.60,
    "I": 126.90,
    "Xe": 131.29,
    # period 6 (selected)
    "Cs": 132.91,
    "Ba": 137.33,
    "La": 138.91,
    "Ce": 140.12,
    "Nd": 144.24,
    "Hf": 178.49,
    "Ta": 180.95,
    "W": 183.84,
    "Re": 186.21,
    "Os": 190.23,
    "Ir": 192.22,
    "Pt": 195.08,
    "Au": 196.97,
    "Hg": 200.59,
    "Tl": 204.38,
    "Pb": 207.2,
    "Bi": 208.98,
}

DOTS = "·•∙⋅・*."
OPEN_TO_CLOSE = {"(": ")", "[": "]", "{": "}"}
CLOSERS = set(OPEN_TO_CLOSE.values())
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_COUNT = re.compile(r"\d+")
_COEFFICIENT = re.compile(r"\d+(?:\.\d+)?")
_SYMBOL = re.compile(r"[A-Z][a-z]?")
_LOWER = re.compile(r"[a-z]+")


class FormulaError(ValueError):
    """A formula that cannot be read; the message says what is wrong and where (for the user)."""


class _Parser:
    """Recursive descent over the normalised text; ``pos`` is the index of the next character."""

    def __init__(self, original: str):
        kept = [(i, c) for i, c in enumerate(original.translate(_SUBSCRIPTS)) if not c.isspace()]
        self.text = "".join(c for _i, c in kept)
        self.where = [i for i, _c in kept] + [len(original)]  # index in the original of each kept character
        self.original = original
        self.pos = 0

    def fail(self, message: str) -> FormulaError:
        return FormulaError(
            _("%(problem)s (at character %(position)d of “%(formula)s”)")
            % {"problem": message, "position": self.where[self.pos] + 1, "formula": self.original}
        )

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def formula(self) -> dict[str, float]:
        atoms: dict[str, float] = {}
        while True:
            if self.peek() in DOTS or not self.peek():
                raise self.fail(_("A hydrate part is empty"))
            coefficient = self.coefficient()
            part = self.groups(closer=None)
            if not part:
                raise self.fail(_("A coefficient must be followed by a formula"))
            _add(atoms, part, coefficient)
            if not self.peek():
                return atoms
            if self.peek() in DOTS:
                self.pos += 1
                continue
            raise self.fail(_("Unexpected character “%(char)s”") % {"char": self.peek()})

    def coefficient(self) -> float:
        match = _COEFFICIENT.match(self.text, self.pos)
        if not match:
            return 1.0
        value = float(match.group())
        if value <= 0:
            raise self.fail(_("A coefficient must be positive"))
        self.pos = match.end()
        return value

    def count(self) -> int:
        match = _COUNT.match(self.text, self.pos)
        if not match:
            return 1
        value = int(match.group())
        if value == 0:
            raise self.fail(_("A count must be at least 1"))
        self.pos = match.end()
        return value

    def groups(self, closer: str | None) -> dict[str, float]:
        """Element and bracket groups up to a dot, the end, or ``closer`` (left for the caller)."""
        atoms: dict[str, float] = {}
        while True:
            char = self.peek()
            if not char or char in DOTS:
                if closer is not None:
                    raise self.fail(_("Unbalanced parentheses: “%(closer)s” is missing") % {"closer": closer})
                return atoms
            if char in CLOSERS:
                if closer is None:
                    raise self.fail(_("Unbalanced parentheses: “%(char)s” closes nothing") % {"char": char})
                if char != closer:
                    raise self.fail(
                        _("Unbalanced parentheses: “%(char)s” where “%(closer)s” was expected")
                        % {"char": char, "closer": closer}
                    )
                return atoms
            if char in OPEN_TO_CLOSE:
                self.pos += 1
                inner = self.groups(closer=OPEN_TO_CLOSE[char])
                if not inner:
                    raise self.fail(_("Empty parentheses"))
                self.pos += 1  # the closer, checked by the inner call
                _add(atoms, inner, self.count())
                continue
            if char.isdigit():
                raise self.fail(_("A number must follow an element or a closing parenthesis"))
            match = _SYMBOL.match(self.text, self.pos)
            if not match:
                lower = _LOWER.match(self.text, self.pos)
                if lower:
                    raise self.fail(
                        _("Unknown element “%(symbol)s” (element symbols start with a capital letter)")
                        % {"symbol": lower.group()}
                    )
                raise self.fail(_("Unexpected character “%(char)s”") % {"char": char})
            symbol = match.group()
            if symbol not in ATOMIC_WEIGHTS:
                raise self.fail(_("Unknown element “%(symbol)s”") % {"symbol": symbol})
            self.pos = match.end()
            _add(atoms, {symbol: 1.0}, self.count())


def _add(into: dict[str, float], atoms: dict[str, float], times: float) -> None:
    for symbol, n in atoms.items():
        into[symbol] = into.get(symbol, 0.0) + n * times


@lru_cache(maxsize=1024)
def _parse(text: str) -> tuple[tuple[str, float], ...]:
    if not text.strip():
        raise FormulaError(_("The formula is empty."))
    return tuple(_Parser(text).formula().items())


def parse_formula(text: str) -> dict[str, float]:
    """Element symbol → number of atoms in one formula unit, in the order the elements first appear."""
    return dict(_parse(text or ""))


def molar_mass(text: str) -> float:
    """Molar mass in g/mol."""
    return math.fsum(ATOMIC_WEIGHTS[symbol] * n for symbol, n in _parse(text or ""))


def mass_fractions(text: str) -> dict[str, float]:
    """Element symbol → mass fraction (they sum to 1)."""
    atoms = _parse(text or "")
    total = molar_mass(text)
    return {symbol: ATOMIC_WEIGHTS[symbol] * n / total for symbol, n in atoms}
