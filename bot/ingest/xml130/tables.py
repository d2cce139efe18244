"""Read one decoded XML 130 table (the XML inside a NOIDUNGFILE) into typed records."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from bot.ingest.xml130.dates import parse_birth_date, parse_day, parse_local_time, parse_timestamp
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.records import (
    DrugLine,
    InsuranceCard,
    Kind,
    Moment,
    ReexamAppointment,
    ResultLine,
    ServiceLine,
    VisitSummary,
)

_DECIMAL = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True, slots=True)
class TableSpec:
    """Where a table's records sit in its XML document."""

    name: str
    root: str
    list_tag: str | None  # None: the root element is the single record
    record_tag: str | None
    record_type: type[Any]


TABLES: Mapping[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("XML1", "TONG_HOP", None, None, VisitSummary),
        TableSpec(
            "XML2", "CHITIEU_CHITIET_THUOC", "DSACH_CHI_TIET_THUOC", "CHI_TIET_THUOC", DrugLine
        ),
        TableSpec(
            "XML3", "CHITIEU_CHITIET_DVKT_VTYT", "DSACH_CHI_TIET_DVKT", "CHI_TIET_DVKT", ServiceLine
        ),
        TableSpec(
            "XML4",
            "CHITIEU_CHITIET_DICHVUCANLAMSANG",
            "DSACH_CHI_TIET_CLS",
            "CHI_TIET_CLS",
            ResultLine,
        ),
        TableSpec("XML14", "CHI_TIEU_GIAYHEN_KHAMLAI", None, None, ReexamAppointment),
    )
}


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One record attribute and the element it comes from."""

    attribute: str
    element: str
    kind: Kind
    required: bool
    choices: frozenset[int] | None


_FIELD_SPECS: dict[type[Any], tuple[FieldSpec, ...]] = {}


def field_specs(record_type: type[Any]) -> tuple[FieldSpec, ...]:
    """The XML-backed fields of a record type, in declaration order."""
    specs = _FIELD_SPECS.get(record_type)
    if specs is None:
        specs = tuple(
            FieldSpec(
                item.name,
                item.metadata["xml"],
                item.metadata["kind"],
                item.metadata["required"],
                item.metadata["choices"],
            )
            for item in fields(record_type)
            if "xml" in item.metadata
        )
        _FIELD_SPECS[record_type] = specs
    return specs


def local_name(tag: str) -> str:
    """An element name without its namespace."""
    return tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag


def split_list(text: str) -> tuple[str, ...]:
    """The non-empty items of a ;-separated value."""
    return tuple(item.strip() for item in text.split(";") if item.strip())


def _decimal(text: str) -> Decimal:
    if not _DECIMAL.match(text):
        raise ValueError("not a number with a dot as decimal separator")
    return Decimal(text)


def _integer(text: str) -> int:
    if not text.isdigit() or not text.isascii():
        raise ValueError("not a whole number")
    return int(text)


def _moment(text: str) -> Moment:
    day = parse_day(text)
    return Moment(day, parse_local_time(text) if len(text) == 12 else None)


_READERS: Mapping[Kind, Callable[[str], Any]] = {
    Kind.TEXT: lambda text: text,
    Kind.INT: _integer,
    Kind.DECIMAL: _decimal,
    Kind.DAY: parse_day,
    Kind.TIMESTAMP: parse_timestamp,
    Kind.BIRTH: parse_birth_date,
    Kind.MOMENT: _moment,
    Kind.LIST: split_list,
}


def _element_values(element: ET.Element) -> dict[str, str]:
    """The stripped texts of an element's children by name (the last of a name counts);
    empty ones are left out."""
    values: dict[str, str] = {}
    for child in element:
        tag, text = child.tag, (child.text or "").strip()
        name = tag if tag[:1] != "{" else local_name(tag)
        if text:
            values[name] = text
        else:
            values.pop(name, None)
    return values


_Reading = tuple[str, str, Callable[[str], Any], bool, frozenset[int] | None]
_READINGS: dict[type[Any], tuple[_Reading, ...]] = {}


def _readings(record_type: type[Any]) -> tuple[_Reading, ...]:
    """(attribute, element, reader, required, choices) of each field, looked up once per type."""
    readings = _READINGS.get(record_type)
    if readings is None:
        readings = tuple(
            (spec.attribute, spec.element, _READERS[spec.kind], spec.required, spec.choices)
            for spec in field_specs(record_type)
        )
        _READINGS[record_type] = readings
    return readings


def read_fields(
    record_type: type[Any], values: Mapping[str, str], table: str, record: int | None
) -> dict[str, Any]:
    """Typed keyword arguments for `record_type` from element texts; raises HosoError."""
    arguments: dict[str, Any] = {}
    for attribute, element, reader, required, choices in _readings(record_type):
        text = values.get(element)
        if not text:
            if required:
                raise _field_error("missing", values, table, element, record)
            continue
        try:
            value = reader(text)
        except ValueError as error:
            raise _field_error(str(error), values, table, element, record) from None
        if choices is not None and value not in choices:
            allowed = ", ".join(str(choice) for choice in sorted(choices))
            reason = f"unknown code (expected one of {allowed})"
            raise _field_error(reason, values, table, element, record)
        arguments[attribute] = value
    return arguments


def _field_error(
    reason: str, values: Mapping[str, str], table: str, field: str, record: int | None
) -> HosoError:
    ma_lk = values.get("MA_LK") or None
    return HosoError(reason, table=table, field=field, record=record, ma_lk=ma_lk)


def _card_dates(values: Mapping[str, str], element: str, count: int) -> list[Any]:
    text = values.get(element, "")
    if not text.strip():
        return [None] * count
    parts = [part.strip() for part in text.split(";")]
    if len(parts) != count:
        raise HosoError(
            f"{len(parts)} dates for {count} cards in MA_THE_BHYT", table="XML1", field=element
        )
    try:
        return [parse_day(part) if part else None for part in parts]
    except ValueError as error:
        raise HosoError(str(error), table="XML1", field=element) from None


def read_cards(values: Mapping[str, str]) -> tuple[InsuranceCard, ...]:
    """The cards of MA_THE_BHYT with GT_THE_TU/GT_THE_DEN matched by position."""
    numbers = [
        number.replace(" ", "").upper() for number in split_list(values.get("MA_THE_BHYT", ""))
    ]
    starts = _card_dates(values, "GT_THE_TU", len(numbers))
    ends = _card_dates(values, "GT_THE_DEN", len(numbers))
    return tuple(InsuranceCard(n, s, e) for n, s, e in zip(numbers, starts, ends, strict=True))


def _parse_document(spec: TableSpec, data: bytes) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise HosoError(f"malformed XML ({error})", table=spec.name) from None
    if local_name(root.tag) != spec.root:
        raise HosoError(
            f"root element is {local_name(root.tag)}, expected {spec.root}", table=spec.name
        )
    return root


def parse_table(name: str, data: bytes) -> list[Any]:
    """The records of table `name` (XML1, XML2, XML3, XML4 or XML14) in document `data`."""
    spec = TABLES[name]
    root = _parse_document(spec, data)
    if spec.record_tag is None:
        values = _element_values(root)
        arguments = read_fields(spec.record_type, values, spec.name, None)
        if spec.record_type is VisitSummary:
            arguments["cards"] = read_cards(values)
        return [spec.record_type(**arguments)]
    if b"xmlns" in data:  # records may be in a namespace: compare local names
        elements = [item for item in root.iter() if local_name(item.tag) == spec.record_tag]
    else:
        elements = list(root.iter(spec.record_tag))
    return [
        spec.record_type(**read_fields(spec.record_type, _element_values(item), spec.name, number))
        for number, item in enumerate(elements, start=1)
    ]
