"""Decode one HOSO: base64-decode and parse each table the bot uses, check they belong together
and that every line has what the store needs (so that a decoded visit can always be written)."""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from collections.abc import Sequence
from typing import Any

from bot.ingest.xml130.envelope import RawHoso
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.records import ResultLine, ServiceLine, VisitSummary, Xml130Visit
from bot.ingest.xml130.tables import TABLES, parse_table


def skipped_tables(hoso: RawHoso) -> Counter[str]:
    """How many tables of each kind the bot does not use (XML6 is counted separately)."""
    return Counter(kind or "(no LOAIHOSO)" for kind, _ in hoso.tables if kind not in TABLES)


def decode_table(kind: str, content: str) -> bytes:
    """The XML document inside a NOIDUNGFILE (line breaks in the base64 are allowed)."""
    compact = "".join(content.split())
    if not compact:
        raise HosoError("empty", table=kind, field="NOIDUNGFILE")
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise HosoError("undecodable base64", table=kind, field="NOIDUNGFILE") from None


def decode_hoso(hoso: RawHoso) -> Xml130Visit:
    """The typed tables of one HOSO; raises HosoError naming the table and field at fault.

    XML1 is read first, so that a fault in another table can name the visit's MA_LK.
    """
    records: dict[str, list[Any]] = {kind: [] for kind in TABLES}
    ordered = sorted(
        (entry for entry in hoso.tables if entry[0] in TABLES), key=lambda e: e[0] != "XML1"
    )
    try:
        for kind, content in ordered:
            records[kind].extend(parse_table(kind, decode_table(kind, content)))
        return _assemble(records)
    except HosoError as error:
        if error.ma_lk is None and records["XML1"]:
            error.ma_lk = records["XML1"][0].ma_lk
        raise


def _assemble(records: dict[str, list[Any]]) -> Xml130Visit:
    summaries: list[VisitSummary] = records["XML1"]
    if not summaries:
        raise HosoError("the HOSO has no XML1 table", table="XML1")
    if len(summaries) > 1:
        raise HosoError("more than one XML1 table in the HOSO", table="XML1")
    visit = Xml130Visit(
        summary=summaries[0],
        drugs=records["XML2"],
        services=records["XML3"],
        results=records["XML4"],
        reexams=records["XML14"],
    )
    for table in ("XML2", "XML3", "XML4", "XML14"):
        _check_same_visit(visit.summary.ma_lk, table, records[table])
    for number, service in enumerate(visit.services, 1):
        service_name(service, number)
    for number, result in enumerate(visit.results, 1):
        result_code(result, number)
    return visit


def _check_same_visit(ma_lk: str, table: str, lines: Sequence[object]) -> None:
    for number, line in enumerate(lines, start=1):
        line_ma_lk = getattr(line, "ma_lk", None)
        if line_ma_lk is not None and line_ma_lk != ma_lk:
            raise HosoError(
                "differs from the MA_LK of XML1",
                table=table,
                field="MA_LK",
                record=number if table != "XML14" else None,
            )


def service_name(line: ServiceLine, number: int) -> str:
    """What an XML3 line is called: TEN_DICH_VU, else TEN_VAT_TU; raises HosoError."""
    name = line.service_name or line.supply_name
    if not name:
        reason = "missing (nor TEN_VAT_TU)"
        raise HosoError(reason, table="XML3", field="TEN_DICH_VU", record=number)
    return name


def result_code(line: ResultLine, number: int) -> str:
    """What an XML4 line measures: MA_CHI_SO, else MA_DICH_VU; raises HosoError."""
    code = line.code or line.service_code
    if not code:
        raise HosoError("missing (nor MA_DICH_VU)", table="XML4", field="MA_CHI_SO", record=number)
    return code
