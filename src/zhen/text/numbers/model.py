"""The Quantity both readers return, and the value helpers they share."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

QuantityValue = int | float | str | tuple[int | None, int | None, int | None]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text: what it is, its canonical value and where it was written."""

    kind: str
    value: QuantityValue
    text: str
    span: tuple[int, int]
    # How the text hedges the value: "more" (30余万, "more than"), "nearly" (近千, "almost") or
    # "about" (约, "around"); "" when exact. Not part of the key: translators hedge differently.
    approx: str = ""

    @property
    def key(self) -> tuple[str, QuantityValue]:
        """(kind, value): equal keys mean the same quantity in either language."""
        return (self.kind, self.value)

    def matches(self, other: Quantity) -> bool:
        """Same quantity; dates with a missing year/day match any value in that place."""
        if {self.kind, other.kind} <= _CALENDAR_KINDS:
            return all(
                a is None or b is None or a == b
                for a, b in zip(self.value, other.value, strict=True)  # type: ignore[arg-type]
            )
        if {self.kind, other.kind} == {"date", "year"}:
            date, year = (self, other) if self.kind == "date" else (other, self)
            return date.value[0] == year.value  # type: ignore[index]
        return self.key == other.key


# A lunar date written out in English ("November 11 in the Chinese calendar") reads as a date.
_CALENDAR_KINDS = frozenset({"date", "lunar"})


def _canon(value: float) -> int | float:
    """Integral values become int so 1.5 billion and 1500000000 hash equal."""
    # 8.3 * 10**9 is 8300000000.000001 in floating point: closeness is relative to the size.
    nearest = round(value)
    if abs(value - nearest) <= 1e-9 * max(1.0, abs(value)):
        return int(nearest)
    return round(value, 6)


def _arabic_value(text: str) -> float:
    cleaned = text.replace(",", "").replace("，", "").replace("．", ".")
    return float(cleaned)


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _formula_value(surface: str) -> str:
    return re.sub(r"\s+", "", surface.translate(_FULLWIDTH_DIGITS).replace("＋", "+"))


def _is_year_like(surface: str, value: float) -> bool:
    """A bare four-digit number between 1800 and 2199 is read as a year in either language."""
    digits = surface.translate(_FULLWIDTH_DIGITS)
    return bool(re.fullmatch(r"\d{4}", digits)) and 1800 <= value <= 2199


def span_end_year(start: str, end: str) -> int:
    """The year a span of years ends in, written with its last two digits: 2019-20 → 2020,
    1999-00 → 2000 (digits may be full-width)."""
    first = int(start.translate(_FULLWIDTH_DIGITS))
    year = first // 100 * 100 + int(end.translate(_FULLWIDTH_DIGITS))
    return year + 100 if year < first else year


def iter_keys(quantities: list[Quantity]) -> Iterator[tuple[str, QuantityValue]]:
    """Comparable keys, with a date also yielding its (None-year) month/day form for matching."""
    for quantity in quantities:
        yield quantity.key
        if quantity.kind == "date" and isinstance(quantity.value, tuple):
            year, month, day = quantity.value
            if year is not None and day is not None:
                yield ("date", (None, month, day))
            if year is not None:
                yield ("year", year)
