"""``StrEnum`` for Python 3.10 too: members are strings in comparisons, JSON, f-strings and dict keys."""

from __future__ import annotations

from enum import Enum


class StrEnum(str, Enum):
    """An enumeration whose members are their string values wherever a string is expected."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)
