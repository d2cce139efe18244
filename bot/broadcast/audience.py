"""Who a broadcast goes to: the audience kinds staff choose from, stored as JSON."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

ICD10_PREFIX = re.compile(r"^[A-Z][0-9]{2}(\.?[0-9A-Z]{1,4})?$|^[A-Z][0-9]?$")
MAX_AGE = 130
_ADMIN_PREFIXES = ("thanh pho", "thi xa", "thi tran", "huyen", "quan", "phuong", "xa")


class AudienceKind(StrEnum):
    """The ways staff can choose recipients."""

    ALL = "all"
    DISTRICT = "district"
    COMMUNE = "commune"
    AGE = "age"
    CONDITION = "condition"
    CCCD = "cccd"


class AudienceError(ValueError):
    """An audience that cannot be used as given."""


@dataclass(frozen=True)
class Audience:
    """A recipient selection; only the fields of its kind are set."""

    kind: AudienceKind
    place: str | None = None  # district or commune name, as stored on citizens
    district: str | None = None  # narrows a commune with a common name
    min_age: int | None = None
    max_age: int | None = None
    condition_prefix: str | None = None
    national_ids: tuple[str, ...] = field(default=(), repr=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON stored on the broadcast and in the conversation state."""
        data: dict[str, Any] = {"kind": self.kind.value}
        for name in ("place", "district", "min_age", "max_age", "condition_prefix"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.national_ids:
            data["national_ids"] = list(self.national_ids)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Audience:
        """The audience stored by `to_json`."""
        return cls(
            kind=AudienceKind(data["kind"]),
            place=data.get("place"),
            district=data.get("district"),
            min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            condition_prefix=data.get("condition_prefix"),
            national_ids=tuple(data.get("national_ids", ())),
        )


def age_band(text: str) -> Audience:
    """An age band typed as `60-120`, `60+` or `5`."""
    cleaned = text.replace(" ", "").replace("–", "-")
    match = re.fullmatch(r"(\d{1,3})(?:(-)(\d{1,3})|(\+))?", cleaned)
    if match is None:
        raise AudienceError("expected an age band such as 60-120 or 60+")
    low = int(match.group(1))
    high = MAX_AGE if match.group(4) else int(match.group(3) or low)
    if low > high or high > MAX_AGE:
        raise AudienceError("the age band must go from a lower to a higher age, at most 130")
    return Audience(AudienceKind.AGE, min_age=low, max_age=high)


def condition_prefix(text: str) -> Audience:
    """Citizens with a condition whose ICD-10 code starts with the prefix, e.g. `E11` or `I10`."""
    prefix = text.strip().upper()
    if not ICD10_PREFIX.match(prefix):
        raise AudienceError("expected an ICD-10 code or prefix such as E11, I10 or J45.9")
    return Audience(AudienceKind.CONDITION, condition_prefix=prefix.replace(".", ""))


def place_key(name: str) -> str:
    """A place name folded for comparison: no accents, case, spaces or administrative prefix."""
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn").casefold()
    folded = " ".join(folded.split())
    for prefix in _ADMIN_PREFIXES:
        if folded.startswith(prefix + " "):
            return folded[len(prefix) + 1 :]
    return folded


def parse_cli_audience(text: str) -> Audience:
    """`all`, `district=NAME`, `commune=[DISTRICT/]NAME`, `condition=E11`, `age=60-120`.

    `cccd-file=PATH` is read by the command line itself, which has the file system.
    """
    if text.strip() == "all":
        return Audience(AudienceKind.ALL)
    key, sep, value = text.partition("=")
    value = value.strip()
    if not sep or not value:
        raise AudienceError(f"unknown audience {text!r}")
    key = key.strip()
    if key == "district":
        return Audience(AudienceKind.DISTRICT, place=value)
    if key == "commune":
        district, slash, commune = value.rpartition("/")
        return Audience(
            AudienceKind.COMMUNE, place=commune.strip(), district=district.strip() or None
        )
    if key == "condition":
        return condition_prefix(value)
    if key == "age":
        return age_band(value)
    raise AudienceError(f"unknown audience {text!r}")
