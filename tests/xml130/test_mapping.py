"""Turning XML 130 values into the store's vocabulary: cards, codes, money, results, diagnoses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.ingest.store import CitizenRef, FacilityRef
from bot.ingest.xml130.codes import blood_group, card_lookup_values, parse_card, visit_type
from bot.ingest.xml130.errors import HosoError
from bot.ingest.xml130.mapping import (
    diagnosis_records,
    money,
    observation_record,
    result_value,
    service_record,
)
from bot.ingest.xml130.records import ResultLine, ServiceLine, VisitSummary


def test_old_card_code_gives_group_level_and_percent() -> None:
    card = parse_card("HT3960123456789")
    assert (card.beneficiary_group, card.benefit_level, card.benefit_percent) == ("HT", 3, 95)
    assert (card.issuing_province, card.social_insurance_number) == ("96", "0123456789")


@pytest.mark.parametrize(("level", "percent"), [(1, 100), (2, 100), (3, 95), (4, 80), (5, 100)])
def test_benefit_levels(level: int, percent: int) -> None:
    assert parse_card(f"DN{level}960123456789").benefit_percent == percent


def test_new_card_codes_carry_no_level() -> None:
    assert parse_card("0123456789").benefit_level is None
    assert parse_card("096085001234").social_insurance_number is None  # a CCCD used as the card


@pytest.mark.parametrize(
    "code", ["DN6960123456789", "dn4960123456789", "01234", "DN49601234567890"]
)
def test_malformed_card_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="not a card code"):
        parse_card(code)


def test_a_card_is_looked_up_also_by_its_lifelong_number() -> None:
    assert card_lookup_values("DN4960123456789") == ("DN4960123456789", "0123456789")
    assert card_lookup_values("0123456789") == ("0123456789",)


@pytest.mark.parametrize(
    ("code", "name"),
    [("01", "outpatient_visit"), ("1", "outpatient_visit"), ("03", "inpatient"), ("99", "other")],
)
def test_visit_types(code: str, name: str) -> None:
    assert visit_type(code) == name


@pytest.mark.parametrize(
    ("text", "group"), [("A", "A"), ("o rh+", "O+"), ("AB Rh-", "AB-"), ("B+", "B+"), ("X", None)]
)
def test_blood_groups(text: str, group: str | None) -> None:
    assert blood_group(text) == group


@pytest.mark.parametrize(
    ("value", "whole"),
    [(Decimal("0.5"), 1), (Decimal("1250400.49"), 1_250_400), (Decimal("-2.5"), -3), (None, None)],
)
def test_money_is_whole_vnd_rounded_half_up(value: Decimal | None, whole: int | None) -> None:
    assert money(value) == whole


@pytest.mark.parametrize(
    ("text", "number", "words"),
    [
        ("7,8", 7.8, None),
        ("12.4", 12.4, None),
        ("-3", -3.0, None),
        ("<5", None, "<5"),
        ("1.234,5", None, "1.234,5"),
        ("Âm tính", None, "Âm tính"),
        (None, None, None),
    ],
)
def test_result_values(text: str | None, number: float | None, words: str | None) -> None:
    assert result_value(text) == (number, words)


def summary(**fields: object) -> VisitSummary:
    return VisitSummary(ma_lk="L", facility_code="96001", full_name="A", **fields)  # type: ignore[arg-type]


def test_diagnosis_names_follow_their_codes_when_listed_alike() -> None:
    records = diagnosis_records(
        summary(main_diagnosis="j15.9", other_diagnoses=("I10",), diagnosis_text="Viêm phổi; THA")
    )
    assert [(d.rank, d.code, d.name) for d in records] == [
        (0, "J15.9", "Viêm phổi"),
        (1, "I10", "THA"),
    ]


def test_diagnosis_text_without_codes_is_kept() -> None:
    (only,) = diagnosis_records(summary(diagnosis_text="Theo dõi sốt"))
    assert (only.rank, only.code, only.code_system, only.name) == (0, None, None, "Theo dõi sốt")


def test_supply_line_is_named_by_the_supply() -> None:
    line = service_record(ServiceLine(supply_code="N1", supply_name="Gạc"), 1)
    assert (line.name, line.code) == ("Gạc", "N1")
    with pytest.raises(HosoError) as caught:
        service_record(ServiceLine(service_code="X"), 4)
    assert (caught.value.table, caught.value.record, caught.value.field) == (
        "XML3",
        4,
        "TEN_DICH_VU",
    )


def test_result_needs_a_code() -> None:
    ref, facility = CitizenRef.by_key("c"), FacilityRef.by_code("96001")
    with pytest.raises(HosoError) as caught:
        observation_record(ResultLine(name="X", value="1"), 2, "k", ref, facility)
    assert (caught.value.table, caught.value.record, caught.value.field) == ("XML4", 2, "MA_CHI_SO")
