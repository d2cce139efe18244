"""The error raised when one HOSO (one visit) of a submission cannot be imported."""

from __future__ import annotations


class HosoError(Exception):
    """A HOSO is rejected; `table`, `field` and `record` say where, `reason` says why.

    `ma_lk` names the visit when it could be read before the fault was found.

    The reason never quotes personal values (names, IDs, birth dates, phones) nor anything
    from the HIV/AIDS table, so it is safe to print and log.
    """

    def __init__(
        self,
        reason: str,
        *,
        table: str | None = None,
        field: str | None = None,
        record: int | None = None,
        ma_lk: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.table = table
        self.field = field
        self.record = record
        self.ma_lk = ma_lk

    def where(self) -> str:
        """`XML2 record 3 field NGAY_YL`, or as much of it as is known."""
        return location(self.table, self.field, self.record)


def location(table: str | None, field: str | None, record: int | None) -> str:
    """`XML2 record 3 field NGAY_YL`, or as much of it as is known."""
    parts = []
    if table:
        parts.append(table)
    if record is not None:
        parts.append(f"record {record}")
    if field:
        parts.append(f"field {field}")
    return " ".join(parts)
